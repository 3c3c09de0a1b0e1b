/**
 * What the segmenter receives: the scaled matrix, plus categorical attributes as level codes for the methods that
 * cluster on categories (kprototypes, kmodes). Used by `run` and `assign` alike, so both code customers the same.
 * @module
 */
import type { Engine } from '../engine/index.js';
import { fetchCategoryCodes, type CategoricalAttribute, type FeatureDef } from '../features/index.js';
import type { SegmentInput } from '../segment/index.js';
import type { Matrix } from '../util/matrix.js';

export async function segmentInput(
  engine: Engine,
  defs: readonly FeatureDef[],
  x: Matrix,
  attributes: readonly CategoricalAttribute[] | null,
): Promise<SegmentInput> {
  if (!attributes) return { x, categorical: null };
  const cols = await fetchCategoryCodes(engine, defs, attributes);
  const q = cols.length;
  const n = x.rows;
  const codes = new Int32Array(n * q);
  cols.forEach((col, j) => {
    for (let i = 0; i < n; i++) codes[i * q + j] = col[i]!;
  });
  return {
    x,
    categorical: { codes, rows: n, cols: q, attributes: attributes.map((a) => ({ ...a })) },
  };
}
