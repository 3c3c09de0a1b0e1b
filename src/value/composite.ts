/**
 * A weighted composite score over named customer features (each put on one scale first), the parameters to score
 * new customers the same way, and bands cut from the score by quantiles or thresholds.
 * @module
 */
import { scoreColumn } from './rfm-scores.js';

export type NormaliseMethod = 'minmax' | 'zscore' | 'rank';

/** Parameters of one feature's normalisation. */
export type FeatureScale =
  | { min: number; max: number }
  | { mean: number; sd: number }
  /** Percentile-rank knots: `levels[i]` at `values[i]`, linear in between (see `compositeScore`). */
  | { values: number[]; levels: number[] };

/** What scores new customers as the fitted ones were: the method and each feature's parameters (JSON-safe). */
export interface CompositeNormalisation {
  method: NormaliseMethod;
  features: Record<string, FeatureScale>;
}

export interface CompositeOptions {
  /** How each feature is put on one scale before weighting; default 'rank'. */
  normalise?: NormaliseMethod;
  /** Rank normalisation keeps at most this many knots per feature (the size of the saved model); default 1001. */
  maxKnots?: number;
}

export interface CompositeResult {
  /** Σ weight × normalised feature, per customer. */
  score: Float64Array;
  normalisation: CompositeNormalisation;
}

/**
 * Weighted sum of normalised features: `score[i] = Σ_f weights[f] · norm_f(columns[f][i])`, over the features
 * `weights` names, in its key order. A negative weight makes low values score high (e.g. `recency_days: -1`).
 * Weights are used as given; with 'minmax' or 'rank' and positive weights summing to 1 the score lies in [0, 1].
 *
 * Normalisations, fitted on these customers:
 * - 'minmax': (x − min) / (max − min); 0 for a constant feature. New values outside the range go beyond [0, 1].
 * - 'zscore': (x − mean) / sd, population sd (ddof 0, as scikit-learn's StandardScaler); 0 for a constant feature.
 * - 'rank': the mid-distribution function, (#{v < x} + #{v ≤ x}) / 2n, so ties share a value, the lowest of n
 *   distinct values gets 1/2n and the highest 1 − 1/2n (Parzen 2004, "Quantile probability and statistical data
 *   modeling"). It is kept as knots — every distinct value, or `maxKnots` of them spread by rank when there are
 *   more — and read by linear interpolation between knots (0 below the first, 1 above the last). The fitted scores
 *   are read the same way, so re-scoring these customers with the saved normalisation gives the same numbers; with
 *   more distinct values than knots a fitted value is within one knot's step (≈ 1/maxKnots) of its exact rank.
 *
 * Throws a TypeError naming a feature `columns` lacks (with those it has), a RangeError for a non-finite weight or
 * value (with its feature and position) or columns of different lengths.
 *
 * @example
 * const { score, normalisation } = compositeScore(
 *   { recency_days: [3, 40, 200], monetary: [500, 80, 20] },
 *   { recency_days: -1, monetary: 2 },
 *   { normalise: 'minmax' },
 * );
 * // score [2, 0.0621…, −1]; later: scoreComposite(newColumns, weights, normalisation)
 */
export function compositeScore(
  columns: Readonly<Record<string, ArrayLike<number>>>,
  weights: Readonly<Record<string, number>>,
  options: CompositeOptions = {},
): CompositeResult {
  const method = options.normalise ?? 'rank';
  const maxKnots = options.maxKnots ?? 1001;
  if (!Number.isInteger(maxKnots) || maxKnots < 2) {
    throw new RangeError(`maxKnots must be a whole number ≥ 2, got ${maxKnots}`);
  }
  const { names, n } = checkInputs(columns, weights);
  const features: Record<string, FeatureScale> = {};
  for (const f of names) features[f] = fitScale(columns[f]!, method, maxKnots);
  const normalisation: CompositeNormalisation = { method, features };
  return { score: weightedSum(columns, weights, names, n, normalisation), normalisation };
}

/**
 * Scores customers with a normalisation fitted before by `compositeScore` (on other customers): the same formula,
 * the same parameters, nothing refitted.
 */
export function scoreComposite(
  columns: Readonly<Record<string, ArrayLike<number>>>,
  weights: Readonly<Record<string, number>>,
  normalisation: CompositeNormalisation,
): Float64Array {
  const { names, n } = checkInputs(columns, weights);
  for (const f of names) {
    if (!Object.hasOwn(normalisation.features, f)) {
      throw new TypeError(
        `the normalisation has no parameters for feature ${JSON.stringify(f)} (it has ${Object.keys(
          normalisation.features,
        )
          .map((k) => JSON.stringify(k))
          .join(', ')})`,
      );
    }
  }
  return weightedSum(columns, weights, names, n, normalisation);
}

function weightedSum(
  columns: Readonly<Record<string, ArrayLike<number>>>,
  weights: Readonly<Record<string, number>>,
  names: readonly string[],
  n: number,
  normalisation: CompositeNormalisation,
): Float64Array {
  const score = new Float64Array(n);
  for (const f of names) {
    const w = weights[f]!;
    const x = columns[f]!;
    const norm = normaliser(normalisation.features[f]!, normalisation.method, f);
    for (let i = 0; i < n; i++) score[i] = score[i]! + w * norm(x[i]!);
  }
  return score;
}

function checkInputs(
  columns: Readonly<Record<string, ArrayLike<number>>>,
  weights: Readonly<Record<string, number>>,
): { names: string[]; n: number } {
  const names = Object.keys(weights);
  if (names.length === 0) throw new RangeError('weights must name at least one feature, got {}');
  const available = Object.keys(columns);
  let n = -1;
  let first = '';
  for (const f of names) {
    const w = weights[f];
    if (typeof w !== 'number' || !Number.isFinite(w)) {
      throw new RangeError(`weight of ${JSON.stringify(f)} must be a finite number, got ${String(w)}`);
    }
    const x = columns[f];
    if (!Object.hasOwn(columns, f) || x === null || typeof x?.length !== 'number') {
      throw new TypeError(
        `weights name feature ${JSON.stringify(f)}, which is not among the columns (${available.map((c) => JSON.stringify(c)).join(', ') || 'none'})`,
      );
    }
    if (n < 0) {
      n = x.length;
      first = f;
    } else if (x.length !== n) {
      throw new RangeError(
        `feature ${JSON.stringify(f)} has ${x.length} values, ${JSON.stringify(first)} has ${n}`,
      );
    }
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) {
        throw new RangeError(`feature ${JSON.stringify(f)}[${i}] must be a finite number, got ${x[i]}`);
      }
    }
  }
  return { names, n };
}

function fitScale(x: ArrayLike<number>, method: NormaliseMethod, maxKnots: number): FeatureScale {
  const n = x.length;
  switch (method) {
    case 'minmax': {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        min = Math.min(min, x[i]!);
        max = Math.max(max, x[i]!);
      }
      return n === 0 ? { min: 0, max: 0 } : { min, max };
    }
    case 'zscore': {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x[i]!;
      const mean = n === 0 ? 0 : sum / n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (x[i]! - mean) ** 2;
      return { mean, sd: n === 0 ? 0 : Math.sqrt(ss / n) };
    }
    case 'rank':
      return rankKnots(x, maxKnots);
    default:
      throw new RangeError(`normalise must be 'minmax', 'zscore' or 'rank', got ${JSON.stringify(method)}`);
  }
}

/** Knots of the mid-distribution function: every distinct value, or `maxKnots` spread by rank (ends included). */
function rankKnots(x: ArrayLike<number>, maxKnots: number): { values: number[]; levels: number[] } {
  const n = x.length;
  const sorted = Float64Array.from(x).sort();
  // Distinct values with the index one past their last copy.
  const distinct: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === n - 1 || sorted[i + 1] !== sorted[i]) {
      distinct.push(sorted[i]!);
      ends.push(i + 1);
    }
  }
  let pick: number[] = distinct.map((_, j) => j);
  if (distinct.length > maxKnots) {
    const set = new Set<number>();
    for (let j = 0; j < maxKnots; j++) set.add(Math.round((j * (distinct.length - 1)) / (maxKnots - 1)));
    pick = [...set];
  }
  const values: number[] = [];
  const levels: number[] = [];
  for (const j of pick) {
    const below = j === 0 ? 0 : ends[j - 1]!;
    values.push(distinct[j]!);
    levels.push((below + ends[j]!) / (2 * n));
  }
  return { values, levels };
}

function normaliser(scale: FeatureScale, method: NormaliseMethod, f: string): (x: number) => number {
  const bad = () =>
    new TypeError(
      `the ${method} parameters of feature ${JSON.stringify(f)} are malformed: ${JSON.stringify(scale)}`,
    );
  switch (method) {
    case 'minmax': {
      if (!('min' in scale)) throw bad();
      const { min, max } = scale;
      const range = max - min;
      return range > 0 ? (x) => (x - min) / range : () => 0;
    }
    case 'zscore': {
      if (!('mean' in scale)) throw bad();
      const { mean, sd } = scale;
      return sd > 0 ? (x) => (x - mean) / sd : () => 0;
    }
    case 'rank': {
      if (!('values' in scale) || scale.values.length !== scale.levels.length || scale.values.length === 0)
        throw bad();
      const { values, levels } = scale;
      const last = values.length - 1;
      return (x) => {
        if (x < values[0]!) return 0;
        if (x > values[last]!) return 1;
        let lo = 0;
        let hi = last;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (values[mid]! < x) lo = mid + 1;
          else hi = mid;
        }
        // values[lo] is the first knot ≥ x.
        if (values[lo] === x) return levels[lo]!;
        const a = values[lo - 1]!;
        const b = values[lo]!;
        return levels[lo - 1]! + ((levels[lo]! - levels[lo - 1]!) * (x - a)) / (b - a);
      };
    }
    default:
      throw new RangeError(`normalise must be 'minmax', 'zscore' or 'rank', got ${JSON.stringify(method)}`);
  }
}

export interface SegmentByScoreOptions {
  /** Probabilities in (0, 1), increasing: bands cut at these quantiles of the score. Default [0.25, 0.5, 0.75]. */
  quantiles?: readonly number[];
  /** Increasing cut points on the score itself (instead of quantiles). */
  thresholds?: readonly number[];
  /** Band names, lowest first; one more than the cuts. Default "Score band 1", "Score band 2", …. */
  names?: readonly string[];
}

export interface ScoreBands {
  /** Band per customer, 0 = lowest, into `names`. */
  labels: Int32Array;
  /** The cut points used (for quantiles, the score values they picked), to band new customers the same way. */
  cuts: number[];
  names: string[];
}

/**
 * Cuts a score into bands. A score's band is the number of cuts strictly below it, so a score equal to a cut
 * stays in the lower band and equal scores share a band. A quantile p cuts at the ⌈n·p⌉-th smallest score
 * (Hyndman & Fan definition 1, as `rfmScores` cuts; n·p within 1e-9 of a whole number counts as whole, so 0.3 of
 * 100 is the 30th); with many equal scores two quantiles can pick the same score and the band between them is
 * empty. Pass the returned `cuts` as `thresholds` to band new customers the same way.
 *
 * @example
 * segmentByScore([0.1, 0.9, 0.5, 0.7], { quantiles: [0.5], names: ['Low', 'High'] });
 * // { labels: [0, 1, 0, 1], cuts: [0.5], names: ['Low', 'High'] }
 */
export function segmentByScore(score: ArrayLike<number>, options: SegmentByScoreOptions = {}): ScoreBands {
  const n = score.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(score[i]))
      throw new RangeError(`score[${i}] must be a finite number, got ${score[i]}`);
  }
  if (options.quantiles && options.thresholds) {
    throw new TypeError('give quantiles or thresholds, not both');
  }
  let cuts: number[];
  if (options.thresholds) {
    cuts = [...options.thresholds];
    checkIncreasing(cuts, 'thresholds', -Infinity, Infinity);
  } else {
    const quantiles = [...(options.quantiles ?? [0.25, 0.5, 0.75])];
    checkIncreasing(quantiles, 'quantiles', 0, 1);
    if (n === 0) throw new RangeError('quantile bands need at least one score, got none');
    const sorted = Float64Array.from(score).sort();
    cuts = quantiles.map((p) => {
      const np = n * p;
      const whole = Math.round(np);
      const rank = Math.abs(np - whole) <= 1e-9 * Math.max(1, np) ? whole : Math.ceil(np);
      return sorted[Math.min(n, Math.max(1, rank)) - 1]!;
    });
  }
  const names = options.names
    ? [...options.names]
    : Array.from({ length: cuts.length + 1 }, (_, k) => `Score band ${k + 1}`);
  if (names.length !== cuts.length + 1) {
    throw new RangeError(
      `names must give ${cuts.length + 1} bands (one more than the ${cuts.length} cuts), got ${names.length}: ${JSON.stringify(names)}`,
    );
  }
  names.forEach((name, k) => {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new TypeError(`names[${k}] must be a non-empty string, got ${JSON.stringify(name)}`);
    }
  });
  const labels = scoreColumn(score, cuts, 'higher');
  for (let i = 0; i < n; i++) labels[i] = labels[i]! - 1;
  return { labels, cuts, names };
}

/** Finite, strictly increasing, strictly inside (lo, hi). */
function checkIncreasing(v: readonly number[], what: string, lo: number, hi: number): void {
  if (v.length === 0) throw new RangeError(`${what} must list at least one value, got []`);
  v.forEach((x, k) => {
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= lo || x >= hi || (k > 0 && x <= v[k - 1]!)) {
      const range = Number.isFinite(lo) ? ` in (${lo}, ${hi})` : '';
      throw new RangeError(
        `${what}[${k}] must be a finite number${range}, above the one before it, got ${x}`,
      );
    }
  });
}
