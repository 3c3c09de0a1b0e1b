/**
 * Internal: validates categorical input (coded Int32Array matrix or string rows) and re-encodes every column to
 * dense codes 0..m−1 in sorted value order, as the `kmodes` package's `encode_features` (np.unique order) does.
 * @module
 */

/** A categorical matrix already coded as integers, row-major n × q. */
export interface CodedMatrix {
  data: Int32Array;
  rows: number;
  cols: number;
}

/** Categorical input: integer codes, or rows of strings where `null`, `undefined` and `''` mean "missing". */
export type CategoricalLike = CodedMatrix | readonly (readonly (string | null | undefined)[])[];

/** One category value: an integer code, a string, or `null` for a missing string value (its own category). */
export type CategoryValue = number | string | null;

/** Dense codes plus the dictionary that maps them back. */
export interface EncodedCategorical {
  /** n × q dense codes: column j, code c means `categories[j][c]`. */
  codes: Int32Array;
  rows: number;
  cols: number;
  /** Per column, the distinct values in sorted order (missing first). */
  categories: CategoryValue[][];
}

function compareValues(a: CategoryValue, b: CategoryValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

/**
 * Raw values of categorical input, row-major: string rows are read into one array of values; integer codes are
 * read in place (a `number[]` copy of n × q codes cost 2.4–6 MB of V8 heap at 100k × 3 and grew the young
 * generation to 16 MB).
 */
interface RawValues {
  rows: number;
  cols: number;
  values: CategoryValue[] | Int32Array;
}

/** Reads the raw values of categorical input, validating its shape and types. */
function rawValues(x: CategoricalLike, name: string): RawValues {
  if (Array.isArray(x)) {
    const rowsArr = x as readonly (readonly (string | null | undefined)[])[];
    const rows = rowsArr.length;
    if (rows === 0) throw new RangeError(`${name} is empty: it needs at least one row`);
    const first = rowsArr[0];
    if (!Array.isArray(first))
      throw new TypeError(`${name}[0] must be an array of strings, got ${typeof first}`);
    const cols = first.length;
    if (cols === 0) throw new RangeError(`${name} has no columns`);
    const values: CategoryValue[] = new Array<CategoryValue>(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = rowsArr[i]!;
      if (!Array.isArray(r) || r.length !== cols) {
        throw new RangeError(
          `${name} row ${i} has ${Array.isArray(r) ? r.length : 'no'} values, expected ${cols} like row 0`,
        );
      }
      for (let j = 0; j < cols; j++) {
        const v: unknown = r[j];
        if (v === null || v === undefined || v === '') values[i * cols + j] = null;
        else if (typeof v === 'string') values[i * cols + j] = v;
        else
          throw new TypeError(
            `${name}[${i}][${j}] is ${JSON.stringify(v)}: values must be strings, null or ''`,
          );
      }
    }
    return { values, rows, cols };
  }
  const m = x as CodedMatrix;
  if (m === null || typeof m !== 'object' || !(m.data instanceof Int32Array)) {
    throw new TypeError(`${name} must be string rows or { data: Int32Array, rows, cols }`);
  }
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 0 || m.cols < 0) {
    throw new RangeError(`${name} has invalid shape ${m.rows}×${m.cols}`);
  }
  if (m.rows === 0) throw new RangeError(`${name} is empty: it needs at least one row`);
  if (m.cols === 0) throw new RangeError(`${name} has no columns`);
  if (m.data.length !== m.rows * m.cols) {
    throw new RangeError(
      `${name}.data has length ${m.data.length}, expected rows × cols = ${m.rows * m.cols}`,
    );
  }
  return { values: m.data, rows: m.rows, cols: m.cols };
}

/** Validates categorical input and encodes each column densely, building the dictionary. */
export function encodeCategorical(x: CategoricalLike, name = 'categorical'): EncodedCategorical {
  const { values, rows, cols } = rawValues(x, name);
  const codes = new Int32Array(rows * cols);
  const categories: CategoryValue[][] = [];
  for (let j = 0; j < cols; j++) {
    const distinct = new Set<CategoryValue>();
    for (let i = 0; i < rows; i++) distinct.add(values[i * cols + j]!);
    const dict = [...distinct].sort(compareValues);
    const index = new Map<CategoryValue, number>();
    dict.forEach((v, c) => index.set(v, c));
    for (let i = 0; i < rows; i++) codes[i * cols + j] = index.get(values[i * cols + j]!)!;
    categories.push(dict);
  }
  return { codes, rows, cols, categories };
}

/**
 * Encodes new rows with an existing dictionary (for `predict`): unseen values get code −1, which matches no mode,
 * as `kmodes`' `encode_features(X, enc_map)` does.
 */
export function encodeWith(
  x: CategoricalLike,
  categories: CategoryValue[][],
  name = 'categorical',
): Int32Array {
  const { values, rows, cols } = rawValues(x, name);
  if (cols !== categories.length) {
    throw new RangeError(`${name} has ${cols} columns, expected ${categories.length} as in the fitted data`);
  }
  const codes = new Int32Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    const index = new Map<CategoryValue, number>();
    categories[j]!.forEach((v, c) => index.set(v, c));
    for (let i = 0; i < rows; i++) codes[i * cols + j] = index.get(values[i * cols + j]!) ?? -1;
  }
  return codes;
}
