/**
 * `segmint run`: ingest → quality → features → segmentation → profiles → outputs, on the embedded engine, with
 * every output written all-or-nothing into the output folder.
 * @module
 */
import { totalmem } from 'node:os';
import { dirname } from 'node:path';
import { isValueMethod, type Config } from '../config/index.js';
import { DuckDBEngine, type Engine } from '../engine/index.js';
import type { FeatureDef, FeatureSpec } from '../features/index.js';
import {
  DEFAULT_ACTION_RULES,
  buildPersonas,
  explainSegments,
  gatherPersonaData,
  personasMarkdown,
} from '../interpret/index.js';
import { InputError } from '../util/errors.js';
import { supervisedSegmentation, type SupervisedEvaluation } from '../segment/segment-supervised.js';
import {
  getSegmenter,
  segmentStability,
  valueSegmentation,
  type SegmentationResult,
  type SegmentInput,
  type ValueMethod,
} from '../segment/index.js';
import { nameByModes, profileSegments, type Profiles } from '../profile/index.js';
import { renderReport } from '../report/index.js';
import { SCRATCH, Staging, fingerprint } from '../output/index.js';
import { VERSION } from '../version.js';
import { prepare, type Prepared } from './prepare.js';
import { buildReportData } from './build-report-data.js';
import { createLabelsTable, createSegmentsTable } from './segments-table.js';
import { buildClusterInput } from './cluster-input.js';
import { MODEL_FORMAT, MODEL_VERSION, type ModelFile } from './model-file.js';
import type { Matrix } from '../util/matrix.js';
import { computeCustomerValue, type CustomerValue } from '../value/index.js';

/** Progress: a step started (fraction undefined) or advanced (0..1). */
export type ProgressFn = (step: string, fraction?: number) => void;

export interface RunOptions {
  config: Config;
  /** Time of the run (dates after it are out of range). */
  now?: Date;
  onProgress?: ProgressFn;
  /** Command line, for run.json. */
  argv?: string[];
}

export interface RunResult {
  outDir: string;
  files: string[];
  customers: number;
  method: string;
  k: number;
  /** Customers in no segment (density methods' noise), reported as segment 0. */
  noise: number;
  kReason: string;
  silhouette: number;
  segments: { segment: number; name: string; size: number; share: number; revenueShare: number }[];
  quality: { input: string; inputRows: number; used: number; rejected: number }[];
  timings: Record<string, number>;
  /** Method supervised: the forest's accuracy on labelled customers it did not see; null for other methods. */
  supervised: SupervisedEvaluation | null;
  /** Lifetime value in brief, and what the value stage could not compute; null when it did not run. */
  value: {
    /** e.g. "BG/NBD"; null when lifetime value was not computed (`notes` says why when it was asked for). */
    model: string | null;
    months: number;
    /** Sum of predicted CLV over the horizon; null when spend could not be modelled (`clvNote` says why). */
    totalClv: number | null;
    meanProbabilityAlive: number;
    clvNote: string | null;
    holdout: { calibrationEnd: string; predicted: number; actual: number; mae: number } | null;
    holdoutNote: string | null;
    notes: string[];
  } | null;
}

/** Runs the whole pipeline. Throws InputError for bad input; leaves no partial output on failure. */
export async function runPipeline(options: RunOptions): Promise<RunResult> {
  const { config } = options;
  const now = options.now ?? new Date();
  const started = performance.now();
  const timings: Record<string, number> = {};
  let last = started;
  let current = 'start';
  const step = (name: string) => {
    const t = performance.now();
    timings[current] = (timings[current] ?? 0) + (t - last) / 1000;
    last = t;
    current = name;
    options.onProgress?.(name);
  };

  const staging = await Staging.create(config.output.dir);
  let engine: Engine | undefined;
  try {
    const fingerprints = Promise.all(
      [config.transactions?.path, config.customers?.path, config.events?.path]
        .filter((p): p is string => !!p)
        .map((p) => fingerprint(p).catch(() => null)),
    );
    engine = await DuckDBEngine.open({
      path: config.output.memory ? ':memory:' : await staging.path('segmint.duckdb'),
      memoryLimit: config.engine.memoryLimit ?? defaultMemoryLimit(),
      tempDirectory: dirname(await staging.path(`${SCRATCH}/duckdb/spill`)),
      ...(config.engine.threads ? { threads: config.engine.threads } : {}),
    });
    const duckdbVersion = String((await engine.query('SELECT version() AS v'))[0]?.['v'] ?? '');
    const prep = await prepare(engine, config, now, step);
    const method = config.segmentation.method;
    let value: CustomerValue | null = null;
    if (config.value.enabled && (config.transactions || config.value.composite)) {
      step('Customer value');
      value = await computeCustomerValue(engine, config.value, {
        asOf: prep.features.asOf,
        hasTransactions: Boolean(config.transactions),
        method,
      });
      // The numeric value columns are features from here on: profiled, clusterable, saved in the spec.
      if (value) prep.features.features.push(...value.features);
    }

    step('Scaling features');
    const defs = prep.features.features;
    const { clusterNames, log1p, cluster, matrix, input } = await buildClusterInput(
      engine,
      config,
      defs,
      Boolean(config.transactions),
    );

    step('Segmenting');
    const segmenter = isValueMethod(method) || method === 'supervised' ? null : getSegmenter(method);
    let seg: SegmentationResult;
    let supervised: SupervisedEvaluation | null = null;
    if (method === 'supervised') {
      const labelColumn = config.segmentation.supervised.labelColumn!;
      const known = await knownSegments(engine, labelColumn, clusterNames, defs);
      const r = supervisedSegmentation(input, known, labelColumn, config.segmentation);
      seg = r.result;
      supervised = r.evaluation;
    } else if (segmenter) {
      seg = await segmenter.fit(input, config.segmentation, (message, fraction) =>
        options.onProgress?.(`Segmenting: ${message}`, fraction),
      );
    } else {
      // computeCustomerValue throws when a value method's columns cannot be computed, so segments exist here.
      seg = valueSegmentation(method as ValueMethod, value!.segments!, input, config.segmentation);
    }

    const v = config.segmentation.validation;
    if (segmenter && v.stabilityRuns > 0 && seg.k >= 2) {
      step('Checking segment stability');
      seg.stability = segmentStability(
        input,
        seg.labels,
        seg.k,
        segmenter.refitter(config.segmentation, seg.k),
        {
          sampleSize: v.sampleSize,
          runs: v.stabilityRuns,
          fraction: v.stabilityFraction,
          seed: config.segmentation.seed,
        },
      );
    }

    step('Profiling segments');
    await createLabelsTable(engine, seg.labels);
    const profiles = await profile(engine, prep, seg, log1p);
    nameCategorySegments(profiles, seg, input);
    nameFromModel(profiles, seg, value);
    flagUnstable(profiles, seg, v.unstableBelow);
    let explanation: Awaited<ReturnType<typeof explainProfiles>> | null = null;
    if (clusterNames.length > 0 && seg.k >= 2) {
      step('Explaining segments');
      explanation = await explainProfiles(
        engine,
        profiles,
        seg,
        clusterNames,
        defs,
        config.segmentation.seed,
      );
    }

    // Names from the config replace generated ones everywhere (segments.csv, profiles, personas, report).
    for (const p of profiles.segments) {
      const name = config.personas.names?.[String(p.segment)];
      if (name && !p.noise) p.name = name;
    }
    step('Building personas');
    const personaData = await gatherPersonaData(engine, {
      k: seg.k,
      noise: seg.noise > 0,
      hasTransactions: Boolean(config.transactions),
      hasProduct: Boolean(prep.mappings['transactions']?.['product']),
      hasEvents: Boolean(config.events),
      hasCustomers: Boolean(config.customers),
      scaledMatrix: matrix,
      labels: seg.labels,
    });
    const personas = buildPersonas(profiles, personaData, config.personas.actions ?? DEFAULT_ACTION_RULES, {
      features: defs,
      clustered: clusterNames,
      ...(config.output.currency ? { currency: config.output.currency } : {}),
    });

    step('Writing outputs');
    const spec: FeatureSpec = {
      asOf: prep.features.asOf,
      asOfFrom: prep.features.asOfFrom,
      features: defs,
      cluster,
      scaling: config.features.scaling,
    };
    await writeSegments(engine, staging, profiles, value?.columns ?? []);
    await writeRejects(engine, staging, prep);
    const { output: _output, ...modelConfig } = config;
    const model: ModelFile = {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      segmint: VERSION,
      createdAt: now.toISOString(),
      config: stripPaths(modelConfig),
      columns: prep.mappings,
      features: spec,
      model: seg.model,
      value: value?.saved ?? null,
      segments: profiles.segments.map((s) => ({ segment: s.segment, name: s.name, size: s.size })),
      training: {
        customers: matrix.rows,
        asOf: spec.asOf,
        silhouette: Number.isFinite(seg.silhouette) ? seg.silhouette : null,
      },
    };
    await staging.writeJson('model.json', model);
    await staging.writeJson('profiles.json', {
      ...profiles,
      ...(explanation ? { rules: explanation } : {}),
      features: defs.map((f) => ({
        name: f.name,
        label: f.label,
        source: f.source,
        clustered: clusterNames.includes(f.name),
      })),
    });
    await staging.writeJson('quality.json', qualityJson(prep));
    await staging.writeJson('personas.json', personas);
    await staging.writeText(
      'personas.md',
      personasMarkdown(personas, config.output.currency ? { currency: config.output.currency } : {}),
    );
    if (config.output.report) {
      step('Writing report');
      const data = buildReportData({
        personas,
        config,
        prep,
        profiles,
        seg,
        matrix,
        clusterNames,
        log1p,
        now,
        value,
        explanation,
        supervised,
      });
      await staging.writeText('report.html', renderReport(data));
    }
    await engine.close();
    engine = undefined;
    step('done');
    const result: RunResult = {
      outDir: config.output.dir,
      files: [],
      customers: matrix.rows,
      method,
      k: seg.k,
      noise: seg.noise,
      kReason: seg.kReason,
      silhouette: seg.silhouette,
      segments: profiles.segments.map((s) => ({
        segment: s.segment,
        name: s.name,
        size: s.size,
        share: s.share,
        revenueShare: s.revenueShare,
      })),
      quality: prep.quality.inputs.map((q) => ({
        input: q.input,
        inputRows: q.rows,
        used: q.used,
        rejected: q.rejected,
      })),
      timings,
      value: valueSummary(value),
      supervised,
    };
    await staging.writeJson('run.json', {
      segmint: VERSION,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      engine: { name: 'duckdb', version: duckdbVersion },
      argv: options.argv ?? [],
      startedAt: now.toISOString(),
      seconds: (performance.now() - started) / 1000,
      timings,
      inputs: (await fingerprints).filter((f) => f !== null),
      config,
      result: {
        customers: result.customers,
        method,
        k: result.k,
        noise: result.noise,
        kReason: result.kReason,
        silhouette: result.silhouette,
        kSelection: seg.kSelection,
        stability: seg.stability,
        value: result.value,
        supervised,
      },
    });
    result.files = await staging.commit();
    return result;
  } catch (e) {
    if (engine) await engine.close().catch(() => undefined);
    await staging.abort();
    throw e;
  }
}

async function profile(
  engine: Engine,
  prep: Prepared,
  seg: SegmentationResult,
  log1p: readonly string[],
): Promise<Profiles> {
  const categories: { attribute: string; table: string; column: string }[] = [];
  // Country of the latest purchase (computed with the behaviour features), unless the customers file has its own.
  const attrs = (prep.customers?.attributes ?? []).filter((a) => a.kind === 'categorical');
  if (prep.hasCountry && !attrs.some((a) => a.name.toLowerCase() === 'country')) {
    categories.push({ attribute: 'country', table: 'customer_behaviour', column: 'country' });
  }
  for (const a of attrs) categories.push({ attribute: a.name, table: 'customers', column: a.name });
  return profileSegments(engine, {
    features: prep.features.features,
    log1p,
    categories,
    asOf: prep.features.asOf,
    k: seg.k,
    noise: seg.noise > 0,
  });
}

/**
 * k-modes segments differ by category, so they are named by their modes; k-prototypes segments too when their
 * numeric traits give no name.
 */
function nameCategorySegments(profiles: Profiles, seg: SegmentationResult, input: SegmentInput): void {
  const m = seg.model;
  const c = input.categorical;
  if ((m.method !== 'kmodes' && m.method !== 'kprototypes') || !c) return;
  const baseModes = m.attributes.map((a, j) => {
    const counts = new Float64Array(a.levels.length);
    for (let i = 0; i < c.rows; i++) {
      const code = c.codes[i * c.cols + j]!;
      if (code >= 0) counts[code]!++;
    }
    return counts.indexOf(Math.max(...counts));
  });
  const byModes = nameByModes(m.modes, m.attributes, baseModes);
  for (const s of profiles.segments) {
    if (s.noise) continue;
    if (m.method === 'kmodes' || s.name.startsWith('Typical customers')) s.name = byModes[s.segment - 1]!;
  }
}

/** Records each segment's stability and flags the ones that do not hold up in refits. */
function flagUnstable(profiles: Profiles, seg: SegmentationResult, below: number): void {
  const st = seg.stability;
  if (!st) return;
  for (const p of profiles.segments) {
    if (p.noise) continue;
    const j = st.jaccard[p.segment - 1];
    if (j === undefined || !Number.isFinite(j)) continue;
    p.stability = Math.round(j * 1000) / 1000;
    p.holdsUp = j >= below;
    if (!p.holdsUp) {
      p.flags.push(`does not hold up: refits reproduce it at Jaccard ${j.toFixed(2)} (below ${below})`);
    }
  }
}

/**
 * The known segment of each customer in `features` order (null when unknown) from the customers file's
 * `labelColumn`, which must not be among the clustered features (the forest would read the answer).
 */
async function knownSegments(
  engine: Engine,
  labelColumn: string,
  clusterNames: readonly string[],
  defs: readonly FeatureDef[],
): Promise<(string | null)[]> {
  const columns = (await engine.query('SELECT column_name FROM (DESCRIBE customers)')).map((r) =>
    String(r['column_name']),
  );
  if (!columns.includes(labelColumn)) {
    throw new InputError(
      `segmentation.supervised.labelColumn: the customers file has no column ${JSON.stringify(labelColumn)} (columns: ${columns.filter((c) => c !== 'customer_id').join(', ')})`,
    );
  }
  const leaking = defs.filter(
    (f) =>
      clusterNames.includes(f.name) &&
      (f.oneHot?.attribute === labelColumn || f.attribute?.column === labelColumn),
  );
  if (leaking.length > 0) {
    throw new InputError(
      `features.cluster includes ${leaking.map((f) => f.name).join(', ')}, made from the label column ${labelColumn}: the forest would read the answer; remove ${leaking.length === 1 ? 'it' : 'them'}`,
    );
  }
  const q = engine.dialect.quoteIdent(labelColumn);
  const [known] = (await engine.columns(
    `SELECT CAST(c.${q} AS VARCHAR) FROM features f LEFT JOIN customers c ON CAST(c.customer_id AS VARCHAR) = f.customer_id ORDER BY f._pos`,
    ['text'],
  )) as [(string | null)[]];
  return known;
}

/**
 * Rules per segment from a shallow tree on the unscaled clustered features (see src/interpret), attached to the
 * profiles; returns the tree's fidelity for profiles.json and the report.
 */
async function explainProfiles(
  engine: Engine,
  profiles: Profiles,
  seg: SegmentationResult,
  clusterNames: readonly string[],
  defs: readonly FeatureDef[],
  seed: number,
): Promise<{ fidelity: number; maxDepth: number; fittedOn: number }> {
  const q = (c: string) => engine.dialect.quoteIdent(c);
  const cols = (await engine.columns(
    `SELECT ${clusterNames.map((c) => `CAST(${q(c)} AS DOUBLE)`).join(', ')} FROM features ORDER BY _pos`,
    clusterNames.map(() => 'double' as const),
  )) as Float64Array[];
  const n = seg.labels.length;
  const d = clusterNames.length;
  const data = new Float64Array(n * d);
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) data[i * d + j] = cols[j]![i]!;
  const features = clusterNames.map((name) => ({
    name,
    label: defs.find((f) => f.name === name)?.label ?? name,
  }));
  const r = explainSegments({ data, rows: n, cols: d }, features, seg.labels, seg.k, { seed });
  for (const p of profiles.segments) {
    if (p.noise) continue;
    const mine = r.perSegment[p.segment - 1];
    if (mine) {
      p.rules = mine.rules.map((rule) => ({
        text: rule.text,
        customers: rule.customers,
        coverage: round3(rule.coverage),
        precision: round3(rule.precision),
      }));
      p.importance = Object.fromEntries(clusterNames.map((name, j) => [name, round3(mine.importance[j]!)]));
    }
  }
  return { fidelity: round3(r.fidelity), maxDepth: r.maxDepth, fittedOn: r.fittedOn };
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/**
 * Methods whose segments have names of their own — the value methods (the RFM map, predictive tiers, composite
 * bands, with what each means) and supervised (the known labels) — keep them; clusterings keep the profiled names.
 */
function nameFromModel(profiles: Profiles, seg: SegmentationResult, value: CustomerValue | null): void {
  if (!('names' in seg.model)) return;
  const names = seg.model.names;
  const descriptions = value?.segments?.descriptions ?? [];
  for (const p of profiles.segments) {
    if (p.noise) continue;
    p.name = names[p.segment - 1] ?? p.name;
    const description = descriptions[p.segment - 1];
    if (description) p.description = description;
  }
}

/** The value figures the CLI prints and run.json records. */
function valueSummary(value: CustomerValue | null): RunResult['value'] {
  if (!value) return null;
  const c = value.clv;
  if (!c) {
    return {
      model: null,
      months: 0,
      totalClv: null,
      meanProbabilityAlive: NaN,
      clvNote: null,
      holdout: null,
      holdoutNote: null,
      notes: value.notes,
    };
  }
  let total = 0;
  let alive = 0;
  const n = c.pAlive.length;
  for (let i = 0; i < n; i++) {
    total += c.clv ? c.clv[i]! : 0;
    alive += c.pAlive[i]!;
  }
  const h = c.holdout;
  return {
    model: c.modelLabel,
    months: value.saved.clv?.months ?? 0,
    totalClv: c.clv ? total : null,
    meanProbabilityAlive: n > 0 ? alive / n : NaN,
    clvNote: c.clvNote,
    holdout: h
      ? { calibrationEnd: h.calibrationEnd, predicted: h.predicted, actual: h.actual, mae: h.mae }
      : null,
    holdoutNote: c.holdoutNote,
    notes: value.notes,
  };
}

async function writeSegments(
  engine: Engine,
  staging: Staging,
  profiles: Profiles,
  valueColumns: readonly string[],
): Promise<void> {
  const d = engine.dialect;
  await createSegmentsTable(engine, profiles.segments, valueColumns);
  await engine.exec(d.copyTo('SELECT * FROM segments', await staging.path('segments.csv'), 'csv'));
  await engine.exec(d.copyTo('SELECT * FROM segments', await staging.path('segments.parquet'), 'parquet'));
}

async function writeRejects(engine: Engine, staging: Staging, prep: Prepared): Promise<void> {
  for (const r of prep.rejects) {
    await engine.exec(
      engine.dialect.copyTo(
        `SELECT * FROM ${engine.dialect.quoteIdent(r.table)}`,
        await staging.path(`rejects/${r.input}.csv`),
        'csv',
      ),
    );
  }
}

function qualityJson(prep: Prepared): unknown {
  return {
    balanced: prep.quality.inputs.every((i) => i.used + i.rejected === i.rows),
    ...prep.quality,
    rejectsFiles: Object.fromEntries(prep.rejects.map((r) => [r.input, `rejects/${r.input}.csv`])),
  };
}

/** 40% of RAM, at most 4 GB: leaves room for Node's arrays and keeps a large run's peak memory bounded. */
export function defaultMemoryLimit(): string {
  return `${Math.max(256, Math.min(4096, Math.floor((0.4 * totalmem()) / 2 ** 20)))}MB`;
}

function stripPaths(c: Omit<Config, 'output'>): Omit<Config, 'output'> {
  const strip = <T extends { path: string }>(x: T | undefined) => (x ? { ...x, path: '' } : undefined);
  const out = { ...c };
  if (c.transactions) out.transactions = strip(c.transactions)!;
  if (c.customers) out.customers = strip(c.customers)!;
  if (c.events) out.events = strip(c.events)!;
  return out;
}

export type { Matrix };
