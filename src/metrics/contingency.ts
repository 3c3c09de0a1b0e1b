/**
 * The contingency table of two labelings of the same points, kept sparse: what the pair-counting and
 * information-theoretic comparisons (ARI, MI, NMI, AMI) are computed from.
 * @module
 */

/** A label as the labeling comparisons take it: any number or string (compared with SameValueZero). */
export type Label = number | string;

/** Row and column totals and the non-zero cells of a contingency table. */
export interface Contingency {
  /** Points. */
  n: number;
  /** `rows[i]`: points with the i-th distinct label of `labelsTrue` (order of first appearance). */
  rows: Float64Array;
  /** `cols[j]`: points with the j-th distinct label of `labelsPred`. */
  cols: Float64Array;
  /** Counts of the non-zero cells, and the row and column of each. */
  cells: Float64Array;
  cellRow: Int32Array;
  cellCol: Int32Array;
}

/** Dense counting while the table has at most this many cells per point (and fits in memory easily). */
const DENSE_CELLS_PER_POINT = 4;

function encode(labels: ArrayLike<Label>, name: string): { codes: Int32Array; size: number } {
  if (typeof labels !== 'object' || labels === null || typeof labels.length !== 'number') {
    throw new TypeError(`${name} must be an array of labels, got ${String(labels)}`);
  }
  const n = labels.length;
  const codes = new Int32Array(n);
  const index = new Map<Label, number>();
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    let c = index.get(l);
    if (c === undefined) {
      if (typeof l !== 'number' && typeof l !== 'string') {
        throw new TypeError(`${name}[${i}] is ${String(l)}: labels must be numbers or strings`);
      }
      c = index.size;
      index.set(l, c);
    }
    codes[i] = c;
  }
  return { codes, size: index.size };
}

/**
 * Cross-tabulates two labelings (scikit-learn's `contingency_matrix(..., sparse=True)`, up to the order of rows,
 * columns and cells). Counts in a dense table when it is small next to n, else in a hash map of the non-zero cells,
 * so that labelings with many distinct labels (up to n each) cost O(n), not O(n²).
 *
 * @throws RangeError when the lengths differ; TypeError for a label that is neither a number nor a string.
 */
export function contingency(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>): Contingency {
  const a = encode(labelsTrue, 'labelsTrue');
  const b = encode(labelsPred, 'labelsPred');
  const n = a.codes.length;
  if (b.codes.length !== n) {
    throw new RangeError(`labelsTrue has ${n} labels but labelsPred has ${b.codes.length}`);
  }
  const R = a.size;
  const C = b.size;
  const rows = new Float64Array(R);
  const cols = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    rows[a.codes[i]!]!++;
    cols[b.codes[i]!]!++;
  }
  const cellIds: number[] = [];
  const counts: number[] = [];
  if (R * C <= DENSE_CELLS_PER_POINT * n + 1024) {
    const table = new Float64Array(R * C);
    for (let i = 0; i < n; i++) table[a.codes[i]! * C + b.codes[i]!]!++;
    for (let q = 0; q < table.length; q++) {
      if (table[q]! > 0) {
        cellIds.push(q);
        counts.push(table[q]!);
      }
    }
  } else {
    // R · C < 2⁵³ for any n that fits in memory, so the cell id is an exact integer key.
    const cell = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const q = a.codes[i]! * C + b.codes[i]!;
      const c = cell.get(q);
      if (c === undefined) {
        cell.set(q, counts.length);
        cellIds.push(q);
        counts.push(1);
      } else counts[c]!++;
    }
  }
  const cellRow = new Int32Array(cellIds.length);
  const cellCol = new Int32Array(cellIds.length);
  cellIds.forEach((q, k) => {
    cellRow[k] = Math.floor(q / C);
    cellCol[k] = q % C;
  });
  return { n, rows, cols, cells: Float64Array.from(counts), cellRow, cellCol };
}
