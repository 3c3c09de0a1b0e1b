/**
 * Cluster labels as the metrics on points take them: any integers, recoded to 0..L−1 once at the public boundary.
 * @module
 */

/** Labels recoded to 0..L−1 in order of first appearance, with the size of each. */
export interface CodedLabels {
  codes: Int32Array;
  counts: Float64Array;
}

/**
 * Validates one integer label per row and recodes them to 0..L−1 in order of first appearance.
 *
 * @throws TypeError for a label that is not an integer; RangeError when the length is not `n`.
 */
export function encodeLabels(labels: ArrayLike<number>, n: number): CodedLabels {
  if (typeof labels !== 'object' || labels === null || typeof labels.length !== 'number') {
    throw new TypeError(`labels must be an array of integers, got ${String(labels)}`);
  }
  if (labels.length !== n)
    throw new RangeError(`labels has length ${labels.length}, expected ${n} (rows of X)`);
  const codes = new Int32Array(n);
  const index = new Map<number, number>();
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (typeof l !== 'number' || !Number.isInteger(l)) {
      throw new TypeError(`labels[${i}] is ${String(l)}: labels must be integers`);
    }
    let c = index.get(l);
    if (c === undefined) {
      c = counts.length;
      index.set(l, c);
      counts.push(0);
    }
    codes[i] = c;
    counts[c]!++;
  }
  return { codes, counts: Float64Array.from(counts) };
}

/**
 * scikit-learn's `check_number_of_labels`: the metrics on points need 2 ≤ L ≤ n − 1 labels.
 *
 * @param what - how to name the labels in the message (e.g. `'labels'`, or the sample they were drawn in).
 */
export function checkLabelCount(nLabels: number, n: number, what: string, metric = 'the silhouette'): void {
  if (nLabels < 2 || nLabels > n - 1) {
    throw new RangeError(
      `${what} has ${nLabels} distinct label${nLabels === 1 ? '' : 's'} among ${n} rows: ${metric} needs ` +
        `between 2 and n − 1 = ${n - 1}`,
    );
  }
}
