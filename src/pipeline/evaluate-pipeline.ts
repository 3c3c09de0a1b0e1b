/**
 * `segmint evaluate`: how many segments, and with which method? Prepares the customer features as `run` does,
 * then sweeps k over kMin..kMax for each method asked with every criterion of `src/validate`, and recommends a
 * method and k with its reasons. Writes nothing but the optional evaluation.json (atomically).
 * @module
 */
import type { Config } from '../config/index.js';
import { DuckDBEngine, type Engine } from '../engine/index.js';
import { jsonReplacer, writeFileAtomic } from '../output/index.js';
import {
  AGGLOMERATIVE_SWEEP_ROWS,
  METHOD_LABELS,
  chooseK,
  kReasonOf,
  partitionFitter,
  type KMethod,
  type KSelection,
} from '../segment/index.js';
import { InputError } from '../util/errors.js';
import { VERSION } from '../version.js';
import { buildClusterInput } from './cluster-input.js';
import { prepare } from './prepare.js';
import type { ProgressFn } from './run-pipeline.js';

export interface EvaluateOptions {
  config: Config;
  /** Methods to compare (default: the configured one when it has a k, else k-means). */
  methods: KMethod[];
  /** Write the whole evaluation here as JSON. */
  out?: string;
  now?: Date;
  onProgress?: ProgressFn;
}

export interface MethodEvaluation {
  method: KMethod;
  label: string;
  selection: KSelection;
  /** One sentence, as `run` prints it. */
  summary: string;
  seconds: number;
}

export interface EvaluateResult {
  customers: number;
  /** Clustered features. */
  features: string[];
  methods: MethodEvaluation[];
  /** The recommended method and k, and why this method over the others. */
  best: { method: KMethod; k: number; reason: string };
  /** Where evaluation.json was written, if asked. */
  out?: string;
}

/** Runs the evaluation; InputError for bad input. */
export async function evaluatePipeline(o: EvaluateOptions): Promise<EvaluateResult> {
  const { config } = o;
  if (o.methods.length === 0) throw new InputError('evaluate needs at least one method');
  const now = o.now ?? new Date();
  let engine: Engine | undefined;
  try {
    engine = await DuckDBEngine.open({ path: ':memory:' });
    const prep = await prepare(engine, config, now, (s) => o.onProgress?.(s));
    o.onProgress?.('Scaling features');
    const kConfig = { ...config, segmentation: { ...config.segmentation, method: o.methods[0]! } };
    const { clusterNames, matrix } = await buildClusterInput(
      engine,
      kConfig,
      prep.features.features,
      Boolean(config.transactions),
    );
    await engine.close();
    engine = undefined;
    const seg = config.segmentation;
    if (Math.min(seg.kMax, matrix.rows - 1) < seg.kMin) {
      throw new InputError(
        `only ${matrix.rows} customers: too few to compare k between ${seg.kMin} and ${seg.kMax}; lower segmentation.kMin / --k-min`,
      );
    }
    const methods: MethodEvaluation[] = [];
    for (const [i, method] of o.methods.entries()) {
      const label = METHOD_LABELS[method];
      const started = performance.now();
      const step = `Evaluating ${label} (${i + 1} of ${o.methods.length})`;
      o.onProgress?.(step);
      const cap =
        method === 'agglomerative'
          ? Math.min(seg.agglomerative.sampleSize, AGGLOMERATIVE_SWEEP_ROWS)
          : seg.sweepSampleSize;
      const selection = chooseK(matrix, partitionFitter(method, seg), label, seg, cap, (m, f) =>
        o.onProgress?.(`${step}: ${m}`, f),
      );
      methods.push({
        method,
        label,
        selection,
        summary: kReasonOf(selection),
        seconds: (performance.now() - started) / 1000,
      });
    }
    const best = bestMethod(methods);
    const result: EvaluateResult = { customers: matrix.rows, features: clusterNames, methods, best };
    if (o.out) {
      await writeFileAtomic(
        o.out,
        `${JSON.stringify({ segmint: VERSION, createdAt: now.toISOString(), ...result }, jsonReplacer, 2)}\n`,
      );
      result.out = o.out;
    }
    return result;
  } finally {
    if (engine) await engine.close().catch(() => undefined);
  }
}

/**
 * Across methods: prefer one whose data show structure, then the one whose criteria agree most on its k, then the
 * more stable, then the higher silhouette at that k.
 */
function bestMethod(methods: MethodEvaluation[]): EvaluateResult['best'] {
  const rank = { clear: 2, weak: 1, none: 0 } as const;
  const at = (m: MethodEvaluation) => m.selection.evaluations.find((e) => e.k === m.selection.recommended)!;
  const agreement = (m: MethodEvaluation) =>
    m.selection.votes.filter((v) => v.k === m.selection.recommended).length /
    Math.max(1, m.selection.votes.length);
  const score = (m: MethodEvaluation): number[] => [
    rank[m.selection.structure],
    agreement(m),
    at(m).stability ?? 0,
    Number.isFinite(at(m).silhouette) ? at(m).silhouette : -1,
  ];
  let best = methods[0]!;
  for (const m of methods.slice(1)) {
    const a = score(m);
    const b = score(best);
    const i = a.findIndex((v, j) => v !== b[j]);
    if (i >= 0 && a[i]! > b[i]!) best = m;
  }
  const k = best.selection.recommended;
  const pct = Math.round(100 * agreement(best));
  const reason =
    methods.length === 1
      ? best.summary
      : `${best.label} with k = ${k}: ${best.selection.structure === 'none' ? 'no method found clear structure; ' : ''}` +
        `${pct}% of its criteria agree on k = ${k}` +
        (at(best).stability !== null ? `, stability ${at(best).stability!.toFixed(2)}` : '') +
        `, silhouette ${at(best).silhouette.toFixed(3)}`;
  return { method: best.method, k, reason };
}
