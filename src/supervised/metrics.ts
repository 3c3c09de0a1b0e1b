/**
 * Classification metrics with scikit-learn's definitions: accuracy, the confusion matrix, and per-class
 * precision, recall, F-score and support (with its `zero_division` rules and averages).
 * @module
 */
import { compareClassLabels } from './labels.js';
import type { ClassLabel } from './types.js';

/** Both label arrays encoded against their sorted union (scikit-learn's `unique_labels`), or given `labels`. */
interface PairCodes {
  labels: ClassLabel[];
  /** Index into `labels`, −1 for a label not among given `labels`. */
  trueCodes: Int32Array;
  predCodes: Int32Array;
}

function checkLabels(y: ArrayLike<ClassLabel>, name: string): void {
  if (typeof y !== 'object' || y === null || typeof y.length !== 'number') {
    throw new TypeError(`${name} must be an array of class labels, got ${String(y)}`);
  }
  for (let i = 0; i < y.length; i++) {
    const l = y[i];
    if (typeof l === 'number' ? !Number.isFinite(l) : typeof l !== 'string') {
      throw new TypeError(`${name}[${i}] is ${String(l)}: class labels must be finite numbers or strings`);
    }
  }
}

function encodePair(
  yTrue: ArrayLike<ClassLabel>,
  yPred: ArrayLike<ClassLabel>,
  given?: readonly ClassLabel[],
): PairCodes {
  checkLabels(yTrue, 'yTrue');
  checkLabels(yPred, 'yPred');
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`yTrue has ${yTrue.length} labels but yPred has ${yPred.length}`);
  }
  let labels: ClassLabel[];
  if (given !== undefined) {
    if (given.length === 0) throw new RangeError('labels is empty: give at least one label');
    labels = [...given];
    if (new Set(labels).size !== labels.length) {
      throw new RangeError(`labels has duplicates: ${JSON.stringify(labels)}`);
    }
  } else {
    const all = new Set<ClassLabel>();
    for (let i = 0; i < yTrue.length; i++) all.add(yTrue[i]!).add(yPred[i]!);
    labels = [...all].sort(compareClassLabels);
  }
  const index = new Map(labels.map((l, c) => [l, c]));
  const code = (y: ArrayLike<ClassLabel>): Int32Array =>
    Int32Array.from({ length: y.length }, (_, i) => index.get(y[i]!) ?? -1);
  return { labels, trueCodes: code(yTrue), predCodes: code(yPred) };
}

/**
 * Share of rows whose predicted label equals the true one (scikit-learn's `accuracy_score`), or their count with
 * `normalize: false`.
 *
 * @example
 * accuracyScore([0, 1, 1], [0, 1, 0]); // 0.666…
 */
export function accuracyScore(
  yTrue: ArrayLike<ClassLabel>,
  yPred: ArrayLike<ClassLabel>,
  options: { normalize?: boolean } = {},
): number {
  checkLabels(yTrue, 'yTrue');
  checkLabels(yPred, 'yPred');
  const n = yTrue.length;
  if (yPred.length !== n) throw new RangeError(`yTrue has ${n} labels but yPred has ${yPred.length}`);
  let correct = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) correct++;
  if (options.normalize === false) return correct;
  if (n === 0) throw new RangeError('yTrue is empty: accuracy needs at least one label');
  return correct / n;
}

/** A confusion matrix: `matrix[i][j]` rows with true label `labels[i]` predicted as `labels[j]`. */
export interface ConfusionMatrix {
  labels: ClassLabel[];
  matrix: number[][];
}

/**
 * Counts of (true, predicted) label pairs, rows true and columns predicted, over the sorted union of both label
 * arrays or the given `labels` (rows whose labels are not among them are left out), as scikit-learn's
 * `confusion_matrix`.
 *
 * @example
 * confusionMatrix(['a', 'b', 'b'], ['a', 'a', 'b']).matrix; // [[1, 0], [1, 1]]
 */
export function confusionMatrix(
  yTrue: ArrayLike<ClassLabel>,
  yPred: ArrayLike<ClassLabel>,
  options: { labels?: readonly ClassLabel[] } = {},
): ConfusionMatrix {
  const { labels, trueCodes, predCodes } = encodePair(yTrue, yPred, options.labels);
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  for (let i = 0; i < trueCodes.length; i++) {
    const t = trueCodes[i]!;
    const p = predCodes[i]!;
    if (t >= 0 && p >= 0) matrix[t]![p]!++;
  }
  return { labels, matrix };
}

/** What a ratio with a zero denominator becomes: scikit-learn's `zero_division` ('warn' gives 0, silently here). */
export type ZeroDivision = 'warn' | 0 | 1 | 'nan';

export interface PrecisionRecallOptions {
  /** Labels to report, in this order (default: the sorted union of both arrays). */
  labels?: readonly ClassLabel[];
  /** Weight of recall in the F-score (default 1: F1). */
  beta?: number;
  /** null (default): per label; or scikit-learn's 'micro', 'macro', 'weighted' averages. */
  average?: 'micro' | 'macro' | 'weighted' | null;
  zeroDivision?: ZeroDivision;
}

/** Per-label scores (`average: null`), in `labels` order, or one averaged value each (then `support` is null). */
export interface PrecisionRecallFscoreSupport {
  labels: ClassLabel[];
  precision: number[];
  recall: number[];
  fscore: number[];
  support: number[] | null;
}

/**
 * Precision tp / (tp + fp), recall tp / (tp + fn), F-beta (1 + β²)·tp / ((1 + β²)·tp + β²·fn + fp) and support
 * (true rows) per label, as scikit-learn's `precision_recall_fscore_support`: a zero denominator gives
 * `zeroDivision` (0 for 'warn'; NaN for 'nan'); averages ignore NaN scores; 'weighted' weights by support (plain
 * mean when every support is 0); 'micro' pools the counts over labels. Averaged results hold one value each.
 *
 * @example
 * const s = precisionRecallFscoreSupport(['a', 'b', 'b'], ['a', 'a', 'b']);
 * s.precision; // [0.5, 1]
 */
export function precisionRecallFscoreSupport(
  yTrue: ArrayLike<ClassLabel>,
  yPred: ArrayLike<ClassLabel>,
  options: PrecisionRecallOptions = {},
): PrecisionRecallFscoreSupport {
  const beta = options.beta ?? 1;
  if (typeof beta !== 'number' || !(beta >= 0)) {
    throw new RangeError(`beta must be a number ≥ 0, got ${String(beta)}`);
  }
  const zd = options.zeroDivision ?? 'warn';
  if (zd !== 'warn' && zd !== 0 && zd !== 1 && zd !== 'nan') {
    throw new RangeError(`zeroDivision must be 'warn', 0, 1 or 'nan', got ${JSON.stringify(zd)}`);
  }
  const average = options.average ?? null;
  if (average !== null && average !== 'micro' && average !== 'macro' && average !== 'weighted') {
    throw new RangeError(
      `average must be null, 'micro', 'macro' or 'weighted', got ${JSON.stringify(average)}`,
    );
  }
  const zero = zd === 'nan' ? NaN : zd === 1 ? 1 : 0;
  const { labels, trueCodes, predCodes } = encodePair(yTrue, yPred, options.labels);
  const L = labels.length;
  let tp = new Array<number>(L).fill(0);
  let predSum = new Array<number>(L).fill(0);
  let trueSum = new Array<number>(L).fill(0);
  for (let i = 0; i < trueCodes.length; i++) {
    const t = trueCodes[i]!;
    const p = predCodes[i]!;
    if (t >= 0) trueSum[t]!++;
    if (p >= 0) predSum[p]!++;
    if (t >= 0 && t === p) tp[t]!++;
  }
  const support = trueSum;
  if (average === 'micro') {
    const sum = (a: number[]): number[] => [a.reduce((x, v) => x + v, 0)];
    tp = sum(tp);
    predSum = sum(predSum);
    trueSum = sum(trueSum);
  }
  const divide = (num: number, den: number): number => (den === 0 ? zero : num / den);
  const precision = tp.map((v, c) => divide(v, predSum[c]!));
  const recall = tp.map((v, c) => divide(v, trueSum[c]!));
  const b2 = beta * beta;
  const fscore =
    beta === Infinity
      ? recall
      : beta === 0
        ? precision
        : tp.map((v, c) => divide((1 + b2) * v, b2 * trueSum[c]! + predSum[c]!));
  if (average === null) return { labels, precision, recall, fscore, support };
  const weights = average === 'weighted' ? support : null;
  return {
    labels,
    precision: [nanAverage(precision, weights)],
    recall: [nanAverage(recall, weights)],
    fscore: [nanAverage(fscore, weights)],
    support: null,
  };
}

/** scikit-learn's `_nanaverage`: the (weighted) mean of the non-NaN values; plain mean if their weights sum to 0. */
function nanAverage(a: number[], weights: number[] | null): number {
  let sum = 0;
  let wsum = 0;
  let plain = 0;
  let count = 0;
  for (let c = 0; c < a.length; c++) {
    const v = a[c]!;
    if (Number.isNaN(v)) continue;
    const w = weights === null ? 1 : weights[c]!;
    sum += w * v;
    wsum += w;
    plain += v;
    count++;
  }
  if (count === 0) return NaN;
  return wsum === 0 ? plain / count : sum / wsum;
}
