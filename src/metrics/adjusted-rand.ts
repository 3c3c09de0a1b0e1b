/**
 * Adjusted Rand index: agreement between two labelings of the same points, 1 for identical partitions (up to
 * renaming), about 0 for independent ones (Hubert & Arabie 1985, "Comparing partitions").
 * @module
 */

/**
 * ARI from the contingency table of the two labelings, with scikit-learn's conventions (`adjusted_rand_score`):
 * 1.0 when both put every point in one cluster or every point alone.
 *
 * @example
 * adjustedRandScore([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 * adjustedRandScore([0, 0, 1, 2], [0, 0, 1, 1]); // 0.5714…
 */
export function adjustedRandScore(
  labelsTrue: ArrayLike<number | string>,
  labelsPred: ArrayLike<number | string>,
): number {
  const n = labelsTrue.length;
  if (labelsPred.length !== n) {
    throw new RangeError(`labelsTrue has ${n} labels but labelsPred has ${labelsPred.length}`);
  }
  const codeA = new Map<number | string, number>();
  const codeB = new Map<number | string, number>();
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = codeA.get(labelsTrue[i]!) ?? codeA.set(labelsTrue[i]!, codeA.size).size - 1;
    b[i] = codeB.get(labelsPred[i]!) ?? codeB.set(labelsPred[i]!, codeB.size).size - 1;
  }
  const ka = codeA.size;
  const kb = codeB.size;
  if (n === 0 || (ka === kb && (ka === 1 || ka === n))) return 1;
  const table = new Float64Array(ka * kb);
  const rows = new Float64Array(ka);
  const cols = new Float64Array(kb);
  for (let i = 0; i < n; i++) {
    table[a[i]! * kb + b[i]!]!++;
    rows[a[i]!]!++;
    cols[b[i]!]!++;
  }
  const pairs = (x: number) => (x * (x - 1)) / 2;
  let sumCells = 0;
  for (const v of table) sumCells += pairs(v);
  let sumRows = 0;
  for (const v of rows) sumRows += pairs(v);
  let sumCols = 0;
  for (const v of cols) sumCols += pairs(v);
  const expected = (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  return max === expected ? 1 : (sumCells - expected) / (max - expected);
}
