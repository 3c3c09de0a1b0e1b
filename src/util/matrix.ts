/**
 * The dense matrix every numeric kernel takes: rows in one flat row-major typed array.
 * @module
 */

/** n × d points in row-major order: point i, feature j is `data[i * cols + j]`. */
export interface Matrix {
  data: Float64Array | Float32Array;
  rows: number;
  cols: number;
}

/** A matrix or an array of rows, as public functions accept. */
export type MatrixLike = Matrix | readonly (readonly number[])[];

/**
 * Validates and normalises user input into a `Matrix`: rejects empty input, ragged rows and non-finite values
 * with a TypeError/RangeError naming the offending position.
 */
export function toMatrix(x: MatrixLike, name = 'X'): Matrix {
  if (Array.isArray(x)) {
    const rowsArr = x as readonly (readonly number[])[];
    const rows = rowsArr.length;
    if (rows === 0) throw new RangeError(`${name} is empty: it needs at least one row`);
    const cols = rowsArr[0]!.length;
    if (cols === 0) throw new RangeError(`${name} has no columns`);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = rowsArr[i]!;
      if (r.length !== cols) {
        throw new RangeError(`${name} row ${i} has ${r.length} values, expected ${cols} like row 0`);
      }
      for (let j = 0; j < cols; j++) data[i * cols + j] = r[j]!;
    }
    return checkFinite({ data, rows, cols }, name);
  }
  const m = x as Matrix;
  if (!(m.data instanceof Float64Array || m.data instanceof Float32Array)) {
    throw new TypeError(`${name}.data must be a Float64Array or Float32Array`);
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
  return checkFinite(m, name);
}

function checkFinite(m: Matrix, name: string): Matrix {
  const { data, cols } = m;
  for (let k = 0; k < data.length; k++) {
    const v = data[k]!;
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `${name}[${Math.floor(k / cols)}][${k % cols}] is ${v}: values must be finite numbers`,
      );
    }
  }
  return m;
}
