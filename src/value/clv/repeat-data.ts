/**
 * Checks repeat-purchase summaries (frequency, recency, T) once where they enter the lifetime-value models, and
 * groups identical customers so a likelihood is evaluated once per distinct history.
 * @module
 */
import type { RepeatData } from './types.js';

/** Repeat data after checking: one typed array per column, weights null when every customer counts once. */
export interface CheckedRepeatData {
  n: number;
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  weights: Float64Array | null;
}

/**
 * Checks `data` as lifetimes' `_check_inputs` does, and more: equal lengths, at least one row; frequency a
 * non-negative integer; recency and T finite and ≥ 0 with recency ≤ T; recency 0 when frequency is 0 (a customer
 * with no repeat purchase has none to date); weights finite and ≥ 0 with a positive sum. Throws a RangeError
 * naming the first bad row and value, a TypeError for a missing column.
 */
export function checkRepeatData(data: RepeatData, what = 'data'): CheckedRepeatData {
  const cols = ['frequency', 'recency', 'T'] as const;
  for (const c of cols) {
    const v = data[c] as ArrayLike<number> | undefined;
    if (v === undefined || v === null || typeof v.length !== 'number') {
      throw new TypeError(`${what}.${c} must be an array of numbers, got ${String(v)}`);
    }
  }
  const n = data.frequency.length;
  if (data.recency.length !== n || data.T.length !== n) {
    throw new RangeError(
      `${what}: frequency, recency and T must have the same length, got ${n}, ${data.recency.length}, ${data.T.length}`,
    );
  }
  if (data.weights !== undefined && data.weights.length !== n) {
    throw new RangeError(
      `${what}.weights must have one entry per customer (${n}), got ${data.weights.length}`,
    );
  }
  if (n === 0) throw new RangeError(`${what} has no customers`);
  const frequency = Float64Array.from(data.frequency);
  const recency = Float64Array.from(data.recency);
  const T = Float64Array.from(data.T);
  for (let i = 0; i < n; i++) {
    const x = frequency[i]!;
    const tx = recency[i]!;
    const t = T[i]!;
    if (!(x >= 0) || !Number.isInteger(x)) {
      throw new RangeError(`${what}.frequency[${i}] must be a whole number ≥ 0, got ${data.frequency[i]}`);
    }
    if (!(t >= 0) || t === Infinity)
      throw new RangeError(`${what}.T[${i}] must be finite and ≥ 0, got ${data.T[i]}`);
    if (!(tx >= 0) || tx === Infinity) {
      throw new RangeError(`${what}.recency[${i}] must be finite and ≥ 0, got ${data.recency[i]}`);
    }
    if (tx > t) throw new RangeError(`${what}.recency[${i}] = ${tx} exceeds T[${i}] = ${t}`);
    if (x === 0 && tx !== 0) {
      throw new RangeError(`${what}.recency[${i}] must be 0 when frequency[${i}] is 0, got ${tx}`);
    }
  }
  return { n, frequency, recency, T, weights: checkWeights(data.weights, n, what) };
}

/** Weights as a Float64Array (null when absent), each finite and ≥ 0, with a positive sum. */
export function checkWeights(
  weights: ArrayLike<number> | undefined,
  n: number,
  what: string,
): Float64Array | null {
  if (weights === undefined) return null;
  const w = Float64Array.from(weights);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!(w[i]! >= 0) || w[i] === Infinity) {
      throw new RangeError(`${what}.weights[${i}] must be finite and ≥ 0, got ${weights[i]}`);
    }
    sum += w[i]!;
  }
  if (!(sum > 0)) throw new RangeError(`${what}.weights sum to 0: no customer to fit`);
  return w;
}

/** The distinct values of a column, ascending, and each row's index into them. */
export interface CodedColumn {
  values: Float64Array;
  index: Int32Array;
}

/**
 * Codes a column by its distinct values. Whole numbers in a range of at most 4n + 2²⁰ (days, weeks, counts) are
 * coded by a presence table in O(n + range); anything else by sorting a copy and binary search, O(n log n).
 */
export function codeColumn(v: Float64Array): CodedColumn {
  const n = v.length;
  let lo = Infinity;
  let hi = -Infinity;
  let whole = true;
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
    if (whole && !Number.isInteger(x)) whole = false;
  }
  const index = new Int32Array(n);
  if (whole && hi - lo <= 4 * n + (1 << 20)) {
    const slot = new Int32Array(hi - lo + 1).fill(-1);
    for (let i = 0; i < n; i++) slot[v[i]! - lo] = 0;
    let k = 0;
    for (let j = 0; j < slot.length; j++) if (slot[j] === 0) slot[j] = k++;
    const values = new Float64Array(k);
    for (let j = 0; j < slot.length; j++) if (slot[j]! >= 0) values[slot[j]!] = lo + j;
    for (let i = 0; i < n; i++) index[i] = slot[v[i]! - lo]!;
    return { values, index };
  }
  const sorted = Float64Array.from(v).sort();
  let k = 0;
  for (let j = 0; j < n; j++) if (j === 0 || sorted[j] !== sorted[k - 1]) sorted[k++] = sorted[j]!;
  const values = sorted.slice(0, k);
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    let a = 0;
    let b = k - 1;
    while (a < b) {
      const m = (a + b) >> 1;
      if (values[m]! < x) a = m + 1;
      else b = m;
    }
    index[i] = a;
  }
  return { values, index };
}

/**
 * Customers grouped by identical (frequency, recency, T), with each group's total weight; per group, indices into
 * the distinct values of each column, so a likelihood computes log(α + T) once per distinct T and log Γ terms once
 * per distinct frequency.
 */
export interface RepeatGroups {
  /** Groups (distinct histories with positive weight). */
  size: number;
  x: CodedColumn;
  recency: CodedColumn;
  T: CodedColumn;
  /** Per group: the customers it stands for (sum of their weights). */
  weight: Float64Array;
  /** Per distinct frequency: the total weight of its groups. */
  weightByX: Float64Array;
  /** Sum of all weights. */
  total: number;
  /** Σ weight × frequency. */
  totalFrequency: number;
  maxT: number;
}

/**
 * Groups checked repeat data by identical (frequency, recency, T). Exact for any likelihood that is a weighted sum
 * over customers (as lifetimes' `weights`, which its users build by hand). Three stable counting-sort passes over
 * the coded columns (T, then recency, then frequency) put equal histories next to each other in O(n + distinct
 * values).
 */
export function groupRepeatData(d: CheckedRepeatData): RepeatGroups {
  const { n } = d;
  const cx = codeColumn(d.frequency);
  const cr = codeColumn(d.recency);
  const cT = codeColumn(d.T);
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Int32Array(n);
  for (const col of [cT, cr, cx]) {
    const counts = new Int32Array(col.values.length + 1);
    for (let i = 0; i < n; i++) counts[col.index[i]! + 1]!++;
    for (let k = 1; k < counts.length; k++) counts[k]! += counts[k - 1]!;
    for (let j = 0; j < n; j++) {
      const i = order[j]!;
      next[counts[col.index[i]!]!++] = i;
    }
    [order, next] = [next, order];
  }
  // Runs of equal codes become groups; `next` is reused for the group's first row.
  const gx = new Int32Array(n);
  const gr = new Int32Array(n);
  const gT = new Int32Array(n);
  const weight = new Float64Array(n);
  const w = d.weights;
  let size = 0;
  let prev = -1;
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    const wi = w === null ? 1 : w[i]!;
    if (wi === 0) continue;
    if (
      prev >= 0 &&
      cx.index[i] === cx.index[prev] &&
      cr.index[i] === cr.index[prev] &&
      cT.index[i] === cT.index[prev]
    ) {
      weight[size - 1]! += wi;
    } else {
      gx[size] = cx.index[i]!;
      gr[size] = cr.index[i]!;
      gT[size] = cT.index[i]!;
      weight[size++] = wi;
    }
    prev = i;
  }
  const weightByX = new Float64Array(cx.values.length);
  let total = 0;
  let totalFrequency = 0;
  let maxT = 0;
  for (let g = 0; g < size; g++) {
    weightByX[gx[g]!]! += weight[g]!;
    total += weight[g]!;
    totalFrequency += weight[g]! * cx.values[gx[g]!]!;
    maxT = Math.max(maxT, cT.values[gT[g]!]!);
  }
  return {
    size,
    x: { values: cx.values, index: gx.slice(0, size) },
    recency: { values: cr.values, index: gr.slice(0, size) },
    T: { values: cT.values, index: gT.slice(0, size) },
    weight: weight.slice(0, size),
    weightByX,
    total,
    totalFrequency,
    maxT,
  };
}
