/**
 * `segmint assign`: scores customers with a saved model — the same reading, cleaning, features, transforms and
 * model as the run that made it — and writes one row per customer with its segment.
 * @module
 */
import { rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Config } from '../config/index.js';
import { parseConfig } from '../config/index.js';
import { DuckDBEngine, type Engine } from '../engine/index.js';
import { featureMatrix } from '../features/index.js';
import { assignWithModel } from '../segment/index.js';
import { computeCustomerValue, type CustomerValue } from '../value/index.js';
import { InputError } from '../util/errors.js';
import { prepare } from './prepare.js';
import { createLabelsTable, createSegmentsTable } from './segments-table.js';
import { segmentInput } from './segment-input.js';
import { readModelFile } from './model-file.js';
import type { ProgressFn } from './run-pipeline.js';
import type { InputQuality } from '../quality/index.js';

export interface AssignOptions {
  modelPath: string;
  /** Transactions file; needed when the model was trained on transactions. */
  transactions?: string;
  customers?: string;
  events?: string;
  /** Output file: .csv or .parquet. */
  out: string;
  /** Reference date; default: as the model was trained (the day after the last purchase, or its fixed date). */
  asOf?: string;
  now?: Date;
  onProgress?: ProgressFn;
}

export interface AssignResult {
  out: string;
  customers: number;
  perSegment: { segment: number; name: string; size: number }[];
  quality: InputQuality[];
  asOf: string;
}

export async function assignPipeline(o: AssignOptions): Promise<AssignResult> {
  const saved = await readModelFile(o.modelPath);
  const spec = saved.features;
  const needsCustomers = spec.features.some((f) => f.source === 'attribute') || !saved.config.transactions;
  if (saved.config.transactions && !o.transactions)
    throw new InputError(`the model was trained on transactions: pass them with --transactions FILE`);
  const needsEvents = spec.features.some((f) => f.source === 'engagement');
  if (needsCustomers && !o.customers)
    throw new InputError(`the model uses customer attributes: pass the customers file with --customers FILE`);
  if (needsEvents && !o.events)
    throw new InputError(`the model uses engagement features: pass the events file with --events FILE`);
  const format = o.out.toLowerCase().endsWith('.parquet')
    ? 'parquet'
    : o.out.toLowerCase().endsWith('.csv')
      ? 'csv'
      : null;
  if (!format) throw new InputError(`--out must end in .csv or .parquet, got ${o.out}`);

  const c = saved.config;
  const config: Config = parseConfig(
    {
      ...c,
      ...(c.transactions
        ? {
            transactions: {
              ...c.transactions,
              path: o.transactions,
              columns: clean(saved.columns['transactions']),
            },
          }
        : {}),
      ...(needsCustomers && c.customers
        ? { customers: { ...c.customers, path: o.customers, columns: clean(saved.columns['customers']) } }
        : { customers: undefined }),
      ...(needsEvents && c.events
        ? { events: { ...c.events, path: o.events, columns: clean(saved.columns['events']) } }
        : { events: undefined }),
      features: {
        ...c.features,
        ...(o.asOf ? { asOf: o.asOf } : spec.asOfFrom === 'config' ? { asOf: spec.asOf } : {}),
      },
      output: { dir: dirname(o.out), memory: true, report: false },
    },
    `model file ${o.modelPath}`,
  );

  const engine: Engine = await DuckDBEngine.open({ path: ':memory:' });
  const tmp = join(dirname(o.out), `.${basename(o.out)}.tmp-${process.pid}`);
  try {
    const prep = await prepare(engine, config, o.now ?? new Date(), (s) => o.onProgress?.(s), spec);
    const [count] = await engine.query('SELECT count(*)::INTEGER AS n FROM features');
    if (Number(count?.['n'] ?? 0) === 0)
      throw new InputError(
        `no customer in ${o.transactions ?? o.customers} can be scored (no valid purchase)`,
      );
    const m = saved.model;
    const isValue = m.method === 'rfm' || m.method === 'predictive' || m.method === 'composite';
    if (isValue && !saved.value)
      throw new InputError(`model file ${o.modelPath} has a ${m.method} model but no value section`);
    // The value columns with the saved cut points and parameters: nothing is refitted on the new customers.
    const value = saved.value
      ? await computeCustomerValue(
          engine,
          config.value,
          { asOf: prep.features.asOf, hasTransactions: Boolean(config.transactions), method: m.method },
          saved.value,
        )
      : null;
    o.onProgress?.('Assigning segments');
    const matrix = await featureMatrix(engine, spec.features, spec.cluster);
    let labels: Int32Array;
    const names = [...saved.segments];
    if (isValue) {
      labels = valueLabels(value, names);
    } else {
      const attributes = m.method === 'kprototypes' || m.method === 'kmodes' ? m.attributes : null;
      const input = await segmentInput(engine, prep.features.features, matrix, attributes);
      labels = assignWithModel(m, input);
    }
    await createLabelsTable(engine, labels);
    await createSegmentsTable(engine, names, value?.columns ?? []);
    await mkdir(dirname(o.out), { recursive: true });
    await engine.exec(engine.dialect.copyTo('SELECT * FROM segments', tmp, format));
    const counts = new Map<number, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    await engine.close();
    await rename(tmp, o.out);
    return {
      out: o.out,
      customers: matrix.rows,
      perSegment: names.map((s) => ({
        segment: s.segment,
        name: s.name,
        size: counts.get(s.segment - 1) ?? 0,
      })),
      quality: prep.quality.inputs,
      asOf: prep.features.asOf,
    };
  } catch (e) {
    await engine.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Labels of a value method's segments by name, as the training run numbered them; a segment that had no customer
 * at training (an RFM cell nobody was in) gets the next number and is added to `names`.
 */
function valueLabels(
  value: CustomerValue | null,
  names: { segment: number; name: string; size: number }[],
): Int32Array {
  const segs = value?.segments;
  if (!segs) throw new Error('value segments were not computed');
  const index = new Map(names.map((s) => [s.name, s.segment - 1]));
  const remap = segs.names.map((name) => {
    let i = index.get(name);
    if (i === undefined) {
      i = names.reduce((mx, s) => Math.max(mx, s.segment), 0);
      names.push({ segment: i + 1, name, size: 0 });
      index.set(name, i);
    }
    return i;
  });
  return Int32Array.from(segs.labels, (l) => (l >= 0 ? remap[l]! : -1));
}

function clean(m: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(m ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}
