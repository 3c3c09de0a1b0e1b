/**
 * Holdout validation of a purchase model: predicted against actual purchases in a period after calibration, per
 * customer and by calibration frequency (lifetimes' `plot_calibration_purchases_vs_holdout_purchases`), and the
 * cumulative tracking curve (lifetimes' `expected_cumulative_transactions`). Model-generic: only the
 * {@link PurchaseModel} interface is used.
 * @module
 */
import { assertNever } from '../../util/errors.js';
import { checkRepeatData } from './repeat-data.js';
import type { PurchaseModel, RepeatData } from './types.js';

/** What the binned table groups customers by (lifetimes' `kind`). */
export type HoldoutGrouping = 'frequency' | 'recency' | 'T' | 'time-since-last-purchase';

export interface HoldoutOptions {
  /** Group customers by this calibration quantity; default 'frequency' (lifetimes' `frequency_cal`). */
  by?: HoldoutGrouping;
  /** Keep the first this many groups in ascending order, as lifetimes' plot does (`n`); default 7. */
  bins?: number;
}

/** One row of the binned table: customers with the same calibration value. */
export interface HoldoutBin {
  /** The calibration frequency (or recency, T, T − recency) shared by the group. */
  value: number;
  customers: number;
  /** Mean holdout purchases of the group. */
  actual: number;
  /** Mean predicted holdout purchases of the group. */
  predicted: number;
}

export interface HoldoutComparison {
  /** E[X(T, T + durationHoldout) | calibration history] per customer. */
  predicted: Float64Array;
  /** The holdout purchases given, per customer. */
  actual: Float64Array;
  customers: number;
  sumPredicted: number;
  sumActual: number;
  /** Mean absolute and root-mean-square error per customer. */
  mae: number;
  rmse: number;
  /** Pearson correlation of predicted and actual; NaN when either is constant. */
  correlation: number;
  bins: HoldoutBin[];
}

/**
 * Compares a model fitted on a calibration period with what happened in the holdout period that followed:
 * predicted holdout purchases per customer (`conditionalExpectedPurchases(durationHoldout, calibration)`)
 * against `frequencyHoldout`, the aggregate errors, and the table lifetimes plots: by calibration frequency (or
 * `by`), the mean actual and mean predicted holdout purchases of the first `bins` groups. Calibration weights,
 * when given, weight every sum and mean (a row then stands for that many identical customers).
 *
 * `durationHoldout` is in the calibration data's time unit (lifetimes' `duration_holdout`).
 *
 * @example
 * const cmp = holdoutComparison(fitBetaGeo(cal), cal, holdoutPurchases, 39);
 * cmp.bins; // [{ value: 0, customers: 1411, actual: 0.24, predicted: 0.22 }, …]
 */
export function holdoutComparison(
  model: PurchaseModel<object>,
  calibration: RepeatData,
  frequencyHoldout: ArrayLike<number>,
  durationHoldout: number,
  opts: HoldoutOptions = {},
): HoldoutComparison {
  const cal = checkRepeatData(calibration, 'calibration');
  const n = cal.n;
  if (frequencyHoldout.length !== n) {
    throw new RangeError(
      `frequencyHoldout must have one entry per customer (${n}), got ${frequencyHoldout.length}`,
    );
  }
  if (!(durationHoldout > 0) || durationHoldout === Infinity) {
    throw new RangeError(`durationHoldout must be finite and > 0, got ${durationHoldout}`);
  }
  const bins = opts.bins ?? 7;
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins must be a whole number ≥ 1, got ${bins}`);
  const actual = Float64Array.from(frequencyHoldout);
  for (let i = 0; i < n; i++) {
    if (!(actual[i]! >= 0) || actual[i] === Infinity) {
      throw new RangeError(`frequencyHoldout[${i}] must be finite and ≥ 0, got ${frequencyHoldout[i]}`);
    }
  }
  const predicted = model.conditionalExpectedPurchases(durationHoldout, {
    frequency: cal.frequency,
    recency: cal.recency,
    T: cal.T,
  });
  const w = cal.weights;
  let W = 0;
  let sp = 0;
  let sa = 0;
  let abs = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i]!;
    const e = predicted[i]! - actual[i]!;
    W += wi;
    sp += wi * predicted[i]!;
    sa += wi * actual[i]!;
    abs += wi * Math.abs(e);
    sq += wi * e * e;
  }
  // Correlation from centred sums (two passes, no cancellation).
  const mp = sp / W;
  const ma = sa / W;
  let cpp = 0;
  let caa = 0;
  let cpa = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i]!;
    const dp = predicted[i]! - mp;
    const da = actual[i]! - ma;
    cpp += wi * dp * dp;
    caa += wi * da * da;
    cpa += wi * dp * da;
  }
  const key = groupingKey(opts.by ?? 'frequency', cal.frequency, cal.recency, cal.T);
  return {
    predicted,
    actual,
    customers: W,
    sumPredicted: sp,
    sumActual: sa,
    mae: abs / W,
    rmse: Math.sqrt(sq / W),
    correlation: cpp > 0 && caa > 0 ? cpa / Math.sqrt(cpp * caa) : NaN,
    bins: binnedMeans(key, predicted, actual, w, bins),
  };
}

function groupingKey(by: HoldoutGrouping, x: Float64Array, tx: Float64Array, T: Float64Array): Float64Array {
  switch (by) {
    case 'frequency':
      return x;
    case 'recency':
      return tx;
    case 'T':
      return T;
    case 'time-since-last-purchase':
      return T.map((t, i) => t - tx[i]!);
    default:
      return assertNever(by, 'holdout grouping');
  }
}

/** Weighted means of predicted and actual per distinct key, the `bins` smallest keys (pandas groupby().mean()). */
function binnedMeans(
  key: Float64Array,
  predicted: Float64Array,
  actual: Float64Array,
  w: Float64Array | null,
  bins: number,
): HoldoutBin[] {
  const acc = new Map<number, { customers: number; p: number; a: number }>();
  for (let i = 0; i < key.length; i++) {
    const wi = w === null ? 1 : w[i]!;
    if (wi === 0) continue;
    let b = acc.get(key[i]!);
    if (b === undefined) acc.set(key[i]!, (b = { customers: 0, p: 0, a: 0 }));
    b.customers += wi;
    b.p += wi * predicted[i]!;
    b.a += wi * actual[i]!;
  }
  return [...acc.keys()]
    .sort((a, b) => a - b)
    .slice(0, bins)
    .map((value) => {
      const b = acc.get(value)!;
      return { value, customers: b.customers, actual: b.a / b.customers, predicted: b.p / b.customers };
    });
}

export interface CumulativeTransactionsOptions {
  /**
   * Actual repeat transactions in each period 0..periods − 1 (not cumulative), counted by the caller from its
   * transactions (e.g. in SQL); the result then carries their running sums.
   */
  actualPerPeriod?: ArrayLike<number>;
  /**
   * Periods per reported step (lifetimes' `freq_multiplier`): with 7 on daily data, first purchases and the actual
   * counts are per day, and the curve is reported weekly with time measured in weeks (the model's unit). Default 1.
   */
  periodsPerUnit?: number;
}

export interface CumulativeTransactions {
  /** Steps 1..periods / periodsPerUnit: the end of each reported period, in periods from the start. */
  period: Float64Array;
  /** Expected cumulative repeat transactions of the whole cohort by the end of each step. */
  predicted: Float64Array;
  /** Running sums of `actualPerPeriod` at each step, when given. */
  actual?: Float64Array;
}

/**
 * The tracking curve of lifetimes' `expected_cumulative_transactions` (after Fader, Hardie & Lee's note 008,
 * p. 8): for each step k = 1..⌊periods / u⌋ (u = `periodsPerUnit`), the expected cumulative repeat transactions of
 * every customer whose first purchase came before period k·u, Σ E[X((k·u − f) / u)] over first-purchase times
 * f < k·u, next to the actual running total of repeat transactions in periods 0..k·u − 1.
 *
 * `firstPurchaseTimes` are each customer's first-purchase period, counted from the start of the data (0 for the
 * first period; lifetimes uses whole periods, any value ≥ 0 works). Customers are grouped by first-purchase time
 * and E[X(t)] is computed once per distinct t.
 *
 * @example
 * const track = expectedCumulativeTransactions(model, firstPurchaseDay, 546, { actualPerPeriod, periodsPerUnit: 7 });
 * track.predicted; // one value per week
 */
export function expectedCumulativeTransactions(
  model: PurchaseModel<object>,
  firstPurchaseTimes: ArrayLike<number>,
  periods: number,
  opts: CumulativeTransactionsOptions = {},
): CumulativeTransactions {
  const u = opts.periodsPerUnit ?? 1;
  if (!Number.isInteger(periods) || periods < 1) {
    throw new RangeError(`periods must be a whole number ≥ 1, got ${periods}`);
  }
  if (!Number.isInteger(u) || u < 1)
    throw new RangeError(`periodsPerUnit must be a whole number ≥ 1, got ${u}`);
  // Cohort sizes by first-purchase time, ascending.
  const sizes = new Map<number, number>();
  for (let i = 0; i < firstPurchaseTimes.length; i++) {
    const f = firstPurchaseTimes[i]!;
    if (!(f >= 0) || f === Infinity) {
      throw new RangeError(`firstPurchaseTimes[${i}] must be finite and ≥ 0, got ${f}`);
    }
    sizes.set(f, (sizes.get(f) ?? 0) + 1);
  }
  const starts = Float64Array.from(sizes.keys()).sort();
  const counts = Float64Array.from(starts, (f) => sizes.get(f)!);
  const steps = Math.floor(periods / u);
  const expected = new Map<number, number>();
  const expectedAt = (t: number): number => {
    let e = expected.get(t);
    if (e === undefined) expected.set(t, (e = model.expectedPurchases(t)));
    return e;
  };
  const period = new Float64Array(steps);
  const predicted = new Float64Array(steps);
  for (let k = 1; k <= steps; k++) {
    const end = k * u;
    let sum = 0;
    for (let j = 0; j < starts.length && starts[j]! < end; j++)
      sum += counts[j]! * expectedAt((end - starts[j]!) / u);
    period[k - 1] = end;
    predicted[k - 1] = sum;
  }
  const result: CumulativeTransactions = { period, predicted };
  if (opts.actualPerPeriod !== undefined) {
    const a = opts.actualPerPeriod;
    if (a.length < steps * u) {
      throw new RangeError(`actualPerPeriod needs at least ${steps * u} periods, got ${a.length}`);
    }
    const actual = new Float64Array(steps);
    let run = 0;
    for (let p = 0; p < steps * u; p++) {
      const v = a[p]!;
      if (!(v >= 0) || v === Infinity)
        throw new RangeError(`actualPerPeriod[${p}] must be finite and ≥ 0, got ${v}`);
      run += v;
      if ((p + 1) % u === 0) actual[(p + 1) / u - 1] = run;
    }
    result.actual = actual;
  }
  return result;
}
