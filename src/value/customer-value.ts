/**
 * The value stage: from the `features` table (and the clean transactions `tx`) to table `customer_value` — RFM
 * scores and the named RFM segment, predicted lifetime value and probability alive, the predictive segment and the
 * composite score — one row per customer of `features`. Run after features and before segmentation; `segments.csv`
 * carries these columns beside any segmentation, and the value methods (rfm, predictive, composite) take their
 * segments from them.
 *
 * Fitting (run) and scoring (assign) share this code: with a `SavedValue` nothing is refitted — RFM cut points, the
 * models' parameters, the CLV bands and the composite score's normalisation all come from the model file.
 * @module
 */
import type { Config } from '../config/index.js';
import type { Engine } from '../engine/index.js';
import type { FeatureDef } from '../features/index.js';
import type { ReportValue } from '../report/report-data.js';
import { InputError } from '../util/errors.js';
import { fitBetaGeo, betaGeoModel } from './clv/beta-geo.js';
import { fitModifiedBetaGeo, modifiedBetaGeoModel } from './clv/modified-beta-geo.js';
import { fitParetoNbd, paretoNbdModel } from './clv/pareto-nbd.js';
import { fitGammaGamma, gammaGammaModel } from './clv/gamma-gamma.js';
import { customerLifetimeValue } from './clv/lifetime-value.js';
import { expectedCumulativeTransactions, holdoutComparison } from './clv/holdout.js';
import type { PurchaseModel, PurchaseModelName, RepeatData, SpendModel } from './clv/types.js';
import { DEFAULT_RFM_MAP, assignRfmSegments, type RfmRule } from './rfm-map.js';
import { rfmScores, scoreWithCuts, type RfmCuts } from './rfm-scores.js';
import { rfmSummarySql } from './rfm-summary-sql.js';
import { compositeScore, scoreComposite, segmentByScore, type CompositeNormalisation } from './composite.js';
import {
  PREDICTIVE_DESCRIPTIONS,
  PREDICTIVE_SEGMENTS,
  fitPredictiveCuts,
  predictiveLabels,
  type PredictiveCuts,
} from './predictive.js';

export type ValueConfig = Config['value'];

/** What model.json keeps to compute the same value columns for new customers. */
export interface SavedValue {
  rfm: { bins: number; direction: ValueConfig['rfm']['direction']; cuts: RfmCuts; map: RfmRule[] } | null;
  clv: {
    model: PurchaseModelName;
    params: Record<string, number>;
    spendParams: Record<string, number> | null;
    unit: 'days' | 'weeks';
    months: number;
    discountRate: number;
  } | null;
  predictive: PredictiveCuts | null;
  composite: {
    weights: Record<string, number>;
    normalisation: CompositeNormalisation;
    cuts: number[];
    names: string[];
  } | null;
}

/** Segments a value method gives: a label per customer into `names` (only segments with customers). */
export interface ValueSegments {
  labels: Int32Array;
  names: string[];
  descriptions: string[];
}

/** The holdout check of the purchase model (refitted on the calibration period), as the report shows it. */
export type HoldoutCheck = NonNullable<NonNullable<ReportValue['clv']>['holdout']>;

export interface CustomerValue {
  /**
   * Text columns of table `customer_value(_pos, …)` (the RFM cell and segment, the predictive and composite bands),
   * which `segments.csv` joins after the features.
   */
  columns: string[];
  /**
   * The numeric value columns (scores, P(alive), expected purchases, predicted CLV, composite score), added to table
   * `features` so they are profiled, can be clustered on (`features.cluster`) and are written with the features.
   */
  features: FeatureDef[];
  saved: SavedValue;
  /** Per customer in `features` order (`_pos`); null when not computed. */
  rfm: {
    r: Int32Array;
    f: Int32Array;
    m: Int32Array;
    /** Index into `saved.rfm.map`. */
    segment: Int32Array;
    monetary: Float64Array;
  } | null;
  clv: {
    clv: Float64Array | null;
    pAlive: Float64Array;
    expectedPurchases: Float64Array;
    modelLabel: string;
    /** Why CLV (money) is missing when only purchases could be predicted. */
    clvNote: string | null;
    holdout: HoldoutCheck | null;
    holdoutNote: string | null;
  } | null;
  composite: { score: Float64Array; band: Int32Array } | null;
  /** The value method's segments, when the segmentation method is one. */
  segments: ValueSegments | null;
  /** What could not be computed and why (e.g. lifetime value when nobody bought twice), for the run's output. */
  notes: string[];
}

const MODEL_LABELS: Record<PurchaseModelName, string> = {
  'bg-nbd': 'BG/NBD',
  'pareto-nbd': 'Pareto/NBD',
  'mbg-nbd': 'MBG/NBD',
};
/** Length of a month in each unit, as lifetimes' `customer_lifetime_value` counts it. */
const PERIODS_PER_MONTH = { days: 30, weeks: 4.345 } as const;
/** Fewest repeat buyers the Gamma–Gamma spend model is fitted on. */
const MIN_REPEAT_BUYERS = 20;
/** Shortest holdout worth checking against, in days. */
const MIN_HOLDOUT_DAYS = 14;

/**
 * Computes table `customer_value` for the customers of `features`. `method` is the segmentation method (a value
 * method gets its segments here). Throws InputError when the configured value method cannot be computed.
 */
export async function computeCustomerValue(
  engine: Engine,
  cfg: ValueConfig,
  ctx: { asOf: string; hasTransactions: boolean; method: string },
  saved?: SavedValue,
): Promise<CustomerValue | null> {
  if (!cfg.enabled && !saved) return null;
  const [count] = await engine.query('SELECT count(*)::INTEGER AS n FROM features');
  const n = Number(count?.['n'] ?? 0);
  const out: CustomerValue = {
    columns: [],
    features: [],
    saved: saved ?? { rfm: null, clv: null, predictive: null, composite: null },
    rfm: null,
    clv: null,
    composite: null,
    segments: null,
    notes: [],
  };
  const table: {
    name: string;
    kind: 'double' | 'int32' | 'text';
    values: Float64Array | Int32Array | (string | null)[];
  }[] = [{ name: '_pos', kind: 'int32', values: Int32Array.from({ length: n }, (_, i) => i) }];

  if (ctx.hasTransactions && (saved ? saved.rfm !== null : true)) {
    const [recency, frequency, monetary] = (await engine.columns(
      'SELECT recency_days, frequency, monetary FROM features ORDER BY _pos',
      ['double', 'double', 'double'],
    )) as [Float64Array, Float64Array, Float64Array];
    const map = saved?.rfm?.map ?? cfg.rfm.map ?? DEFAULT_RFM_MAP;
    const bins = saved?.rfm?.bins ?? cfg.rfm.bins;
    const direction = saved?.rfm?.direction ?? cfg.rfm.direction;
    const scores = saved?.rfm
      ? scoreWithCuts({ recency, frequency, monetary }, saved.rfm.cuts, { bins, direction })
      : rfmScores({ recency, frequency, monetary }, { bins, direction });
    const segment = assignRfmSegments(scores, map);
    out.saved.rfm = { bins, direction, cuts: scores.cuts, map };
    out.rfm = { r: scores.r, f: scores.f, m: scores.m, segment, monetary };
    table.push(
      { name: 'r_score', kind: 'int32', values: scores.r },
      { name: 'f_score', kind: 'int32', values: scores.f },
      { name: 'm_score', kind: 'int32', values: scores.m },
      { name: 'rfm_cell', kind: 'text', values: scores.cell },
      {
        name: 'rfm_segment',
        kind: 'text',
        values: Array.from(segment, (s) => (s >= 0 ? map[s]!.name : null)),
      },
    );
  }

  const clvModel = saved ? saved.clv?.model : cfg.clv.model === 'none' ? undefined : cfg.clv.model;
  if (ctx.hasTransactions && clvModel) {
    try {
      out.clv = await lifetimeValue(engine, cfg, ctx.asOf, clvModel, n, saved, out.saved);
    } catch (e) {
      // Beside a clustering, a model that cannot be fitted (nobody bought twice, say) costs only its columns.
      if (!(e instanceof InputError) || ctx.method === 'predictive') throw e;
      out.notes.push(`no lifetime value: ${e.message}`);
    }
  }
  if (out.clv) {
    table.push(
      { name: 'p_alive', kind: 'double', values: out.clv.pAlive },
      { name: 'expected_purchases', kind: 'double', values: out.clv.expectedPurchases },
    );
    if (out.clv.clv) {
      table.push({ name: 'predicted_clv', kind: 'double', values: out.clv.clv });
      const cuts = saved?.predictive ?? fitPredictiveCuts(out.clv.clv, cfg.predictive);
      out.saved.predictive = cuts;
      const labels = predictiveLabels(out.clv.clv, out.clv.pAlive, cuts);
      table.push({
        name: 'value_segment',
        kind: 'text',
        values: Array.from(labels, (l) => PREDICTIVE_SEGMENTS[l]!),
      });
      if (ctx.method === 'predictive') {
        out.segments = compact(labels, [...PREDICTIVE_SEGMENTS], Object.values(PREDICTIVE_DESCRIPTIONS));
      }
    } else if (ctx.method === 'predictive') {
      throw new InputError(
        `method predictive needs predicted lifetime value, but ${out.clv.clvNote ?? 'it could not be computed'}`,
      );
    }
  } else if (ctx.method === 'predictive') {
    throw new InputError('method predictive needs a transactions file and value.clv.model');
  }

  const comp = saved ? saved.composite : cfg.composite;
  if (comp) {
    const names = Object.keys(comp.weights);
    const available = new Set(
      (await engine.query(`SELECT column_name FROM (DESCRIBE features)`)).map((r) =>
        String(r['column_name']),
      ),
    );
    const missing = names.filter((f) => !available.has(f) || f === '_pos' || f === 'customer_id');
    if (missing.length > 0) {
      throw new InputError(
        `value.composite.weights names ${missing.map((m) => `"${m}"`).join(', ')}, not a feature (available: ${[...available].filter((a) => a !== '_pos' && a !== 'customer_id').join(', ')})`,
      );
    }
    const cols = (await engine.columns(
      `SELECT ${names.map((f) => `CAST(${engine.dialect.quoteIdent(f)} AS DOUBLE)`).join(', ')} FROM features ORDER BY _pos`,
      names.map(() => 'double' as const),
    )) as Float64Array[];
    const columns = Object.fromEntries(names.map((f, j) => [f, cols[j]!]));
    let score: Float64Array;
    let band: Int32Array;
    if (saved?.composite) {
      score = scoreComposite(columns, saved.composite.weights, saved.composite.normalisation);
      band = segmentByScore(score, { thresholds: saved.composite.cuts, names: saved.composite.names }).labels;
    } else {
      const c = cfg.composite!;
      const fitted = compositeScore(columns, c.weights, { normalise: c.normalise });
      score = fitted.score;
      const bands = segmentByScore(score, {
        ...(c.thresholds ? { thresholds: c.thresholds } : { quantiles: c.quantiles ?? [0.25, 0.5, 0.75] }),
        ...(c.names ? { names: c.names } : {}),
      });
      band = bands.labels;
      out.saved.composite = {
        weights: c.weights,
        normalisation: fitted.normalisation,
        cuts: bands.cuts,
        names: bands.names,
      };
    }
    const bandNames = out.saved.composite!.names;
    out.composite = { score, band };
    table.push(
      { name: 'composite_score', kind: 'double', values: score },
      { name: 'composite_band', kind: 'text', values: Array.from(band, (b) => bandNames[b]!) },
    );
    if (ctx.method === 'composite') {
      // Highest band first, as the other methods list their best segments first.
      const k = bandNames.length;
      const flipped = Int32Array.from(band, (b) => k - 1 - b);
      out.segments = compact(
        flipped,
        [...bandNames].reverse(),
        [...bandNames].reverse().map(() => ''),
      );
    }
  } else if (ctx.method === 'composite') {
    throw new InputError('method composite needs value.composite.weights');
  }

  if (ctx.method === 'rfm') {
    if (!out.rfm || !out.saved.rfm) throw new InputError('method rfm needs a transactions file');
    const map = out.saved.rfm.map;
    out.segments = compact(
      out.rfm.segment,
      map.map((r) => r.name),
      map.map((r) => r.description ?? ''),
    );
  }

  await engine.createTable('customer_value', table, { temporary: true });
  out.columns = table.filter((c) => c.kind === 'text').map((c) => c.name);
  const months = out.saved.clv?.months ?? cfg.clv.months;
  out.features = table
    .filter((c) => c.kind !== 'text' && c.name !== '_pos')
    .map((c) => ({ name: c.name, label: valueLabel(c.name, months), source: 'value' as const }));
  if (out.features.length > 0) {
    const q = (c: string) => engine.dialect.quoteIdent(c);
    await engine.exec(`
      CREATE OR REPLACE TEMP TABLE features AS
      SELECT f.*, ${out.features.map((c) => `CAST(v.${q(c.name)} AS DOUBLE) AS ${q(c.name)}`).join(', ')}
      FROM features f JOIN customer_value v USING (_pos) ORDER BY _pos`);
  }
  return out;
}

/** How the report and profiles name each numeric value column. */
function valueLabel(name: string, months: number): string {
  const labels: Record<string, string> = {
    r_score: 'RFM recency score',
    f_score: 'RFM frequency score',
    m_score: 'RFM monetary score',
    p_alive: 'Probability still a customer',
    expected_purchases: `Expected purchases, next ${months} months`,
    predicted_clv: `Predicted value, next ${months} months`,
    composite_score: 'Composite score',
  };
  return labels[name] ?? name;
}

/** Keeps the segments that have customers, in the given order, and renumbers labels 0..k−1. */
function compact(labels: Int32Array, names: string[], descriptions: string[]): ValueSegments {
  const counts = new Float64Array(names.length);
  for (const l of labels) if (l >= 0) counts[l]!++;
  const keep: number[] = [];
  const newIndex = new Int32Array(names.length).fill(-1);
  for (let s = 0; s < names.length; s++) {
    if (counts[s]! > 0) {
      newIndex[s] = keep.length;
      keep.push(s);
    }
  }
  return {
    labels: Int32Array.from(labels, (l) => (l >= 0 ? newIndex[l]! : -1)),
    names: keep.map((s) => names[s]!),
    descriptions: keep.map((s) => descriptions[s] ?? ''),
  };
}

/** One row per purchase order before asOf: the order's date and value (its lines that are not returns). */
async function purchasesTable(engine: Engine, asOf: string): Promise<void> {
  const asOfTs = `${engine.dialect.quoteString(asOf)}::TIMESTAMP`;
  await engine.exec(`
    CREATE OR REPLACE TEMP TABLE value_purchases AS
    SELECT CAST(customer_id AS VARCHAR) AS customer_id, min(ts) AS ts,
      CAST(sum(CAST(amount AS DECIMAL(18, 4))) FILTER (WHERE NOT is_return) AS DOUBLE) AS amount
    FROM tx GROUP BY customer_id, invoice_id, CASE WHEN invoice_id IS NULL THEN ts END
    HAVING sum(amount) FILTER (WHERE NOT is_return) > 0 AND min(ts) < ${asOfTs}`);
}

function buildPurchaseModel(name: PurchaseModelName, params: Record<string, number>): PurchaseModel<object> {
  switch (name) {
    case 'bg-nbd':
      return betaGeoModel(params as never);
    case 'mbg-nbd':
      return modifiedBetaGeoModel(params as never);
    case 'pareto-nbd':
      return paretoNbdModel(params as never);
  }
}

function fitPurchaseModel(
  name: PurchaseModelName,
  data: RepeatData,
  penalizer: number,
): PurchaseModel<object> {
  const fit = name === 'bg-nbd' ? fitBetaGeo : name === 'mbg-nbd' ? fitModifiedBetaGeo : fitParetoNbd;
  try {
    return fit(data, { penalizer });
  } catch (e) {
    if (e instanceof RangeError) {
      throw new InputError(
        `the ${MODEL_LABELS[name]} model cannot be fitted to these customers: ${e.message}`,
        {
          cause: e,
        },
      );
    }
    throw e;
  }
}

/** Repeat-purchase summary per customer in features order, from table `into` made by rfmSummarySql. */
async function fetchSummary(
  engine: Engine,
  into: string,
  holdout: boolean,
): Promise<{ data: RepeatData & { monetaryValue: Float64Array }; frequencyHoldout: Float64Array | null }> {
  const cols = (await engine.columns(
    `SELECT s.frequency, s.recency, s."T", s.monetary_value${holdout ? ', s.frequency_holdout' : ''}
     FROM features f ${holdout ? 'JOIN' : 'LEFT JOIN'} ${into} s USING (customer_id) ORDER BY f._pos`,
    holdout ? ['double', 'double', 'double', 'double', 'double'] : ['double', 'double', 'double', 'double'],
  )) as Float64Array[];
  return {
    data: { frequency: cols[0]!, recency: cols[1]!, T: cols[2]!, monetaryValue: cols[3]! },
    frequencyHoldout: holdout ? cols[4]! : null,
  };
}

async function lifetimeValue(
  engine: Engine,
  cfg: ValueConfig,
  asOf: string,
  modelName: PurchaseModelName,
  n: number,
  saved: SavedValue | undefined,
  into: SavedValue,
): Promise<NonNullable<CustomerValue['clv']>> {
  const unit = saved?.clv?.unit ?? cfg.clv.unit;
  const months = saved?.clv?.months ?? cfg.clv.months;
  const discountRate = saved?.clv?.discountRate ?? cfg.clv.discountRate;
  await purchasesTable(engine, asOf);
  const base = { table: 'value_purchases', customerId: 'customer_id', date: 'ts', amount: 'amount', unit };
  await rfmSummarySql(engine, { ...base, observationEnd: asOf, into: 'value_summary' });
  const { data } = await fetchSummary(engine, 'value_summary', false);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(data.frequency[i]!)) {
      throw new Error(`customer ${i} of features has no purchase before ${asOf} in the value summary`);
    }
  }

  const purchase = saved?.clv
    ? buildPurchaseModel(modelName, saved.clv.params)
    : fitPurchaseModel(modelName, data, cfg.clv.penalizer);
  let spend: SpendModel | null = null;
  let clvNote: string | null = null;
  if (saved?.clv) {
    spend = saved.clv.spendParams ? gammaGammaModel(saved.clv.spendParams as never) : null;
    if (!spend) clvNote = 'the model file has no spend model';
  } else {
    let repeat = 0;
    for (let i = 0; i < n; i++) if (data.frequency[i]! > 0) repeat++;
    if (repeat < MIN_REPEAT_BUYERS) {
      clvNote = `only ${repeat} customer${repeat === 1 ? '' : 's'} bought more than once (the spend model needs ${MIN_REPEAT_BUYERS})`;
    } else {
      try {
        spend = fitGammaGamma(
          { frequency: data.frequency, monetaryValue: data.monetaryValue },
          {
            penalizer: cfg.clv.penalizer,
          },
        );
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        clvNote = `the Gamma–Gamma spend model cannot be fitted: ${e.message}`;
      }
    }
  }
  const ppm = PERIODS_PER_MONTH[unit];
  const pAlive = purchase.probabilityAlive(data);
  const expectedPurchases = purchase.conditionalExpectedPurchases(months * ppm, data);
  const clv = spend
    ? customerLifetimeValue(purchase, spend, data, { months, discountRate, periodsPerMonth: ppm })
    : null;
  into.clv = {
    model: modelName,
    params: { ...(purchase.params as unknown as Record<string, number>) },
    spendParams: spend ? { ...spend.params } : null,
    unit,
    months,
    discountRate,
  };

  let holdout: HoldoutCheck | null = null;
  let holdoutNote: string | null = null;
  if (!saved) {
    const r = await holdoutCheck(engine, cfg, asOf, modelName, base);
    holdout = r.check;
    holdoutNote = r.note;
  }
  return {
    clv,
    pAlive,
    expectedPurchases,
    modelLabel: MODEL_LABELS[modelName],
    clvNote,
    holdout,
    holdoutNote,
  };
}

/**
 * Refits the purchase model on the calibration period (all but the last `holdoutDays`) and compares its
 * predictions with the holdout period's repeat purchases, per customer and as the cumulative tracking curve.
 */
async function holdoutCheck(
  engine: Engine,
  cfg: ValueConfig,
  asOf: string,
  modelName: PurchaseModelName,
  base: { table: string; customerId: string; date: string; amount: string; unit: 'days' | 'weeks' },
): Promise<{ check: HoldoutCheck | null; note: string | null }> {
  const [span] = await engine.query(
    `SELECT date_diff('day', min(ts)::DATE, ${engine.dialect.quoteString(asOf)}::DATE) AS days,
       strftime(min(ts), '%Y-%m-%d') AS first FROM value_purchases`,
  );
  const spanDays = Number(span?.['days'] ?? 0);
  const first = String(span?.['first'] ?? asOf);
  const holdoutDays = cfg.clv.holdoutDays === 'auto' ? Math.round(spanDays / 4) : cfg.clv.holdoutDays;
  if (holdoutDays === 0)
    return { check: null, note: 'holdout check switched off (value.clv.holdoutDays: 0)' };
  if (holdoutDays < MIN_HOLDOUT_DAYS || spanDays - holdoutDays < 2 * MIN_HOLDOUT_DAYS) {
    return {
      check: null,
      note: `the data span ${spanDays} days: too short to hold out ${holdoutDays} days and still fit the model`,
    };
  }
  const calibrationEnd = new Date(Date.parse(`${asOf}T00:00:00Z`) - holdoutDays * 86_400_000)
    .toISOString()
    .slice(0, 10);
  await rfmSummarySql(engine, {
    ...base,
    observationEnd: asOf,
    calibrationEnd,
    into: 'value_holdout_summary',
  });
  const { data, frequencyHoldout } = await fetchSummary(engine, 'value_holdout_summary', true);
  const [dur] = await engine.query('SELECT max(duration_holdout) AS d FROM value_holdout_summary');
  const durationHoldout = Number(dur?.['d'] ?? 0);
  let model: PurchaseModel<object>;
  try {
    model = fitPurchaseModel(modelName, data, cfg.clv.penalizer);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { check: null, note: `the calibration-period refit failed: ${e.message}` };
  }
  const cmp = holdoutComparison(model, data, frequencyHoldout!, durationHoldout, {
    by: 'frequency',
    bins: 8,
  });

  // Tracking: repeat purchase periods per period since the first purchase in the data, actual vs expected.
  const unitDays = base.unit === 'weeks' ? 7 : 1;
  const periods = Math.floor(Math.max(1, Number(span?.['days'] ?? 0)) / unitDays);
  const actualRows = await engine.query(`
    WITH p AS (
      SELECT customer_id, floor(date_diff('day', ${engine.dialect.quoteString(first)}::DATE, ts::DATE) / ${unitDays})::INTEGER AS period
      FROM value_purchases GROUP BY ALL),
    r AS (SELECT period, row_number() OVER (PARTITION BY customer_id ORDER BY period) AS nth FROM p)
    SELECT period, count(*) FILTER (WHERE nth > 1) AS repeats, count(*) FILTER (WHERE nth = 1) AS births
    FROM r GROUP BY period ORDER BY period`);
  const repeats = new Float64Array(periods);
  const births = new Float64Array(periods);
  for (const row of actualRows) {
    const p = Number(row['period']);
    if (p >= 0 && p < periods) {
      repeats[p] = Number(row['repeats']);
      births[p] = Number(row['births']);
    }
  }
  let born = 0;
  for (const b of births) born += b;
  const firstPurchase = new Float64Array(born);
  for (let p = 0, i = 0; p < periods; p++) firstPurchase.fill(p, i, (i += births[p]!));
  const track = expectedCumulativeTransactions(model, firstPurchase, periods, { actualPerPeriod: repeats });
  const startMs = Date.parse(`${first}T00:00:00Z`);
  const dates = Array.from({ length: periods }, (_, p) =>
    new Date(startMs + ((p + 1) * unitDays - 1) * 86_400_000).toISOString().slice(0, 10),
  );
  const calibrationIndex = Math.max(
    0,
    Math.min(
      periods - 1,
      Math.floor((Date.parse(`${calibrationEnd}T00:00:00Z`) - startMs) / (unitDays * 86_400_000)),
    ),
  );
  return {
    check: {
      calibrationEnd,
      observationEnd: asOf,
      customers: data.frequency.length,
      predicted: cmp.sumPredicted,
      actual: cmp.sumActual,
      mae: cmp.mae,
      correlation: cmp.correlation,
      byFrequency: cmp.bins.map((b) => ({
        frequency: String(b.value),
        customers: b.customers,
        predicted: b.predicted,
        actual: b.actual,
      })),
      tracking: {
        dates,
        actual: Array.from(track.actual!),
        predicted: Array.from(track.predicted),
        calibrationIndex,
      },
    },
    note: null,
  };
}
