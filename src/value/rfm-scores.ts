/**
 * RFM scores: recency, frequency and monetary value each cut into `bins` quantile bins scored 1..bins, the cell
 * they make ("545"), and the cut points, so that new customers can be scored later exactly as these were.
 * @module
 */

/** Which end of a dimension scores high: 'higher' (more is better) or 'lower' (less is better, as for recency). */
export type ScoreDirection = 'lower' | 'higher';

export interface RfmDirection {
  recency: ScoreDirection;
  frequency: ScoreDirection;
  monetary: ScoreDirection;
}

/** One value per customer in each dimension. Recency is the time since the last purchase (lower is better). */
export interface RfmValues {
  recency: ArrayLike<number>;
  frequency: ArrayLike<number>;
  monetary: ArrayLike<number>;
}

/** Cut points per dimension, `bins − 1` each, non-decreasing; plain arrays so they can be saved as JSON. */
export interface RfmCuts {
  recency: number[];
  frequency: number[];
  monetary: number[];
}

export interface RfmScoreOptions {
  /** Bins per dimension, 2 or more; default 5. */
  bins?: number;
  /** Default: recency 'lower', frequency and monetary 'higher'. */
  direction?: Partial<RfmDirection>;
}

export interface RfmScores {
  /** Scores 1..bins per customer. */
  r: Int32Array;
  f: Int32Array;
  m: Int32Array;
  /** "545": the three scores as digits, or joined by '-' ("10-4-7") when bins > 9. */
  cell: string[];
  cuts: RfmCuts;
  bins: number;
  direction: RfmDirection;
}

export const DEFAULT_RFM_DIRECTION: Readonly<RfmDirection> = Object.freeze({
  recency: 'lower',
  frequency: 'higher',
  monetary: 'higher',
});

const DIMENSIONS = ['recency', 'frequency', 'monetary'] as const;

/**
 * Scores customers by quantile in each dimension.
 *
 * The rule, the same in `scoreWithCuts` and `rfmScoresSql`:
 * - cut k (k = 1..bins − 1) is the ⌈n·k/bins⌉-th smallest value (1-based): the k/bins quantile by Hyndman & Fan's
 *   definition 1 (1996, "Sample quantiles in statistical packages"), the inverse of the empirical distribution
 *   function. Cuts are values that occur in the data, so "F2 means frequency above 3" can be read off them;
 * - a value's bin is 1 + the number of cuts strictly below it (a value equal to a cut falls in the lower bin);
 *   with direction 'higher' the score is the bin, with 'lower' it is bins + 1 − bin.
 *
 * So equal values always share a score, and the scores depend on the values only, never on row order. With many
 * equal values several cuts coincide and the bins between them are empty: if 35% of customers bought once, cuts 1
 * (20%) and 2 (40%) may both be 1 and nobody scores F2 — the buyers of 1 all score F1, and F3 still means "above the
 * 40th percentile". Scores keep their quantile meaning rather than being re-packed into consecutive numbers.
 *
 * @example
 * const s = rfmScores({ recency: [5, 40, 90, 200], frequency: [9, 4, 1, 1], monetary: [900, 300, 50, 20] }, { bins: 2 });
 * // s.cell ['222', '222', '111', '111'], s.cuts.frequency [1]
 */
export function rfmScores(values: RfmValues, options: RfmScoreOptions = {}): RfmScores {
  const bins = options.bins ?? 5;
  checkBins(bins);
  const n = checkValues(values);
  if (n === 0) throw new RangeError('rfmScores needs at least one customer, got none');
  const cuts: RfmCuts = {
    recency: quantileCuts(values.recency, bins),
    frequency: quantileCuts(values.frequency, bins),
    monetary: quantileCuts(values.monetary, bins),
  };
  return scoreWithCuts(values, cuts, {
    bins,
    ...(options.direction ? { direction: options.direction } : {}),
  });
}

/**
 * Scores customers with cut points fitted before (by `rfmScores` on other customers), by the same rule. A value
 * beyond the fitted range scores 1 or `bins`. `options.bins`, when given, must be the cuts' length + 1.
 *
 * @example
 * const fitted = rfmScores(training);
 * const later = scoreWithCuts(newCustomers, fitted.cuts, { direction: fitted.direction });
 */
export function scoreWithCuts(values: RfmValues, cuts: RfmCuts, options: RfmScoreOptions = {}): RfmScores {
  const bins = checkCuts(cuts, options.bins);
  const direction = resolveDirection(options.direction);
  const n = checkValues(values);
  const r = scoreColumn(values.recency, cuts.recency, direction.recency);
  const f = scoreColumn(values.frequency, cuts.frequency, direction.frequency);
  const m = scoreColumn(values.monetary, cuts.monetary, direction.monetary);
  const cell = new Array<string>(n);
  const sep = bins > 9 ? '-' : '';
  for (let i = 0; i < n; i++) cell[i] = `${r[i]}${sep}${f[i]}${sep}${m[i]}`;
  return {
    r,
    f,
    m,
    cell,
    cuts: { recency: [...cuts.recency], frequency: [...cuts.frequency], monetary: [...cuts.monetary] },
    bins,
    direction,
  };
}

/**
 * The `bins − 1` cut points of `values`: cut k is the ⌈n·k/bins⌉-th smallest value (Hyndman & Fan definition 1).
 * Values must be finite (not NaN).
 */
export function quantileCuts(values: ArrayLike<number>, bins: number): number[] {
  const n = values.length;
  if (n === 0) throw new RangeError('quantile cuts need at least one value, got none');
  const sorted = Float64Array.from(values).sort();
  const cuts: number[] = [];
  for (let k = 1; k < bins; k++) cuts.push(sorted[cutRank(n, k, bins) - 1]!);
  return cuts;
}

/** ⌈n·k/bins⌉, the 1-based rank of cut k, in integers (exact below 2⁵³ / bins). */
export function cutRank(n: number, k: number, bins: number): number {
  return Math.floor((n * k + bins - 1) / bins);
}

/** The bin of each value: 1 + the number of cuts strictly below it; reversed for direction 'lower'. */
export function scoreColumn(
  values: ArrayLike<number>,
  cuts: readonly number[],
  direction: ScoreDirection,
): Int32Array {
  const n = values.length;
  const bins = cuts.length + 1;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    // Binary search for the first cut ≥ x: its index is the count of cuts below x.
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cuts[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    out[i] = direction === 'higher' ? lo + 1 : bins - lo;
  }
  return out;
}

/**
 * Checks saved cut points (bins − 1 finite, non-decreasing numbers per dimension) and that `bins`, when given,
 * agrees with them; returns the number of bins.
 */
export function checkCuts(cuts: RfmCuts, bins?: number): number {
  const implied = (Array.isArray(cuts?.recency) ? cuts.recency.length : 0) + 1;
  if (bins !== undefined && bins !== implied) {
    throw new RangeError(`bins is ${bins} but the cuts are for ${implied} bins (${implied - 1} cuts each)`);
  }
  checkBins(implied);
  for (const dim of DIMENSIONS) {
    const c = cuts[dim];
    if (!Array.isArray(c) || c.length !== implied - 1) {
      throw new RangeError(
        `cuts.${dim} must have ${implied - 1} cut points like cuts.recency, got ${JSON.stringify(c)}`,
      );
    }
    for (let k = 0; k < c.length; k++) {
      if (!Number.isFinite(c[k]) || (k > 0 && c[k]! < c[k - 1]!)) {
        throw new RangeError(`cuts.${dim}[${k}] must be a finite number ≥ the cut before it, got ${c[k]}`);
      }
    }
  }
  return implied;
}

export function resolveDirection(direction: Partial<RfmDirection> | undefined): RfmDirection {
  const out = { ...DEFAULT_RFM_DIRECTION, ...direction };
  for (const dim of DIMENSIONS) {
    if (out[dim] !== 'lower' && out[dim] !== 'higher') {
      throw new RangeError(`direction.${dim} must be 'lower' or 'higher', got ${JSON.stringify(out[dim])}`);
    }
  }
  return out;
}

export function checkBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 2)
    throw new RangeError(`bins must be a whole number ≥ 2, got ${bins}`);
}

/** Equal lengths and no NaN or infinity; returns the number of customers. */
function checkValues(values: RfmValues): number {
  if (values === null || typeof values !== 'object') {
    throw new TypeError(`values must be { recency, frequency, monetary }, got ${String(values)}`);
  }
  for (const dim of DIMENSIONS) {
    const v = values[dim] as ArrayLike<number> | undefined;
    if (v === undefined || v === null || typeof v.length !== 'number') {
      throw new TypeError(`values.${dim} must be an array of numbers, got ${String(v)}`);
    }
  }
  const n = values.recency.length;
  for (const dim of DIMENSIONS) {
    const v = values[dim];
    if (v.length !== n)
      throw new RangeError(`values.${dim} has ${v.length} entries, values.recency has ${n}`);
    for (let i = 0; i < n; i++) {
      if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) {
        throw new RangeError(`values.${dim}[${i}] must be a finite number, got ${v[i]}`);
      }
    }
  }
  return n;
}
