/**
 * Random train/test splits of row indices, plain or stratified by class, with scikit-learn's `train_test_split`
 * sizes and allocation rules.
 * @module
 */
import { Random } from '../util/random.js';
import { encodeClasses } from './labels.js';
import type { ClassLabel } from './types.js';

export interface TrainTestSplitOptions {
  /** A fraction of the rows in (0, 1) (rounded up), or a row count. Default 0.25. */
  testSize?: number;
  seed?: number;
  /** Class labels per row: each class is split in (about) the test share, as scikit-learn's `stratify=y`. */
  stratify?: ArrayLike<ClassLabel>;
}

/** Row indices of each side, in random order. */
export interface TrainTestSplit {
  train: Int32Array;
  test: Int32Array;
}

/**
 * Splits rows 0..n−1 into a training and a test set. Sizes as scikit-learn's: test = ⌈testSize·n⌉ for a fraction,
 * train = n − test. With `stratify`, rows are allocated per class as scikit-learn's `StratifiedShuffleSplit`
 * (`_approximate_mode`: each class its floor share of the train rows, the remaining rows to the classes with the
 * largest remainders, ties in random order; then the same for the test rows from what is left). Not the same
 * rows as scikit-learn's for a given seed: the generators differ.
 *
 * @throws RangeError for a test size outside (0, n), a side with no rows, or (stratified) a class with fewer than
 *   2 rows or fewer rows on a side than classes.
 *
 * @example
 * const { train, test } = trainTestSplit(1000, { testSize: 0.2, seed: 1, stratify: y });
 */
export function trainTestSplit(n: number, options: TrainTestSplitOptions = {}): TrainTestSplit {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`n must be an integer ≥ 2, got ${String(n)}`);
  const testSize = options.testSize ?? 0.25;
  let nTest: number;
  if (typeof testSize === 'number' && testSize > 0 && testSize < 1) nTest = Math.ceil(testSize * n);
  else if (Number.isInteger(testSize) && testSize >= 1 && testSize < n) nTest = testSize;
  else {
    throw new RangeError(
      `testSize must be a fraction in (0, 1) or a row count in [1, ${n - 1}], got ${String(testSize)}`,
    );
  }
  const nTrain = n - nTest;
  if (nTrain === 0) {
    throw new RangeError(`testSize ${testSize} of ${n} rows leaves no training rows`);
  }
  const rng = new Random(options.seed ?? 0);
  if (options.stratify === undefined) {
    const perm = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    return { train: perm.slice(nTest), test: perm.slice(0, nTest) };
  }
  const { classes, codes } = encodeClasses(options.stratify, n, 'stratify');
  const k = classes.length;
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) counts[codes[i]!]!++;
  const least = Math.min(...counts);
  if (least < 2) {
    const c = counts.indexOf(least);
    throw new RangeError(
      `stratify: class ${JSON.stringify(classes[c])} has only ${least} row; every class needs at least 2`,
    );
  }
  if (nTrain < k || nTest < k) {
    throw new RangeError(
      `stratify: ${nTrain} training and ${nTest} test rows cannot each hold all ${k} classes`,
    );
  }
  const trainPer = approximateMode(counts, nTrain, rng);
  const testPer = approximateMode(
    counts.map((c, q) => c - trainPer[q]!),
    nTest,
    rng,
  );
  const byClass: number[][] = classes.map(() => []);
  for (let i = 0; i < n; i++) byClass[codes[i]!]!.push(i);
  const train: number[] = [];
  const test: number[] = [];
  for (let q = 0; q < k; q++) {
    const rows = rng.shuffle(byClass[q]!);
    train.push(...rows.slice(0, trainPer[q]));
    test.push(...rows.slice(trainPer[q], trainPer[q]! + testPer[q]!));
  }
  return { train: rng.shuffle(Int32Array.from(train)), test: rng.shuffle(Int32Array.from(test)) };
}

/**
 * scikit-learn's `_approximate_mode`: draws `total` from classes of sizes `counts` as close to proportionally as
 * whole numbers allow — floors first, then one more to the classes with the largest remainders (a tie among them
 * broken at random), never past a class's size.
 */
function approximateMode(counts: number[], total: number, rng: Random): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  const continuous = counts.map((c) => (c * total) / n);
  const floored = continuous.map(Math.floor);
  let need = total - floored.reduce((a, b) => a + b, 0);
  const remainder = continuous.map((c, q) => c - floored[q]!);
  const values = [...new Set(remainder)].sort((a, b) => b - a);
  for (const v of values) {
    if (need <= 0) break;
    const tied = remainder.flatMap((r, q) => (r === v ? [q] : []));
    const add = Math.min(need, tied.length);
    for (const q of rng.shuffle(tied).slice(0, add)) floored[q]!++;
    need -= add;
  }
  return floored;
}
