/**
 * Normalised mutual information: MI scaled to [0, 1] by a mean of the two labelings' entropies (Strehl & Ghosh
 * 2002 for the geometric mean; Vinh, Epps & Bailey 2010, JMLR 11, Table 2, for the others).
 * @module
 */

import { assertNever } from '../util/errors.js';
import { type Contingency, type Label, contingency } from './contingency.js';
import { entropyCore, mutualInfoCore } from './mutual-info.js';

/** Which mean of H(U) and H(V) normalises the mutual information (scikit-learn's `average_method`). */
export type AverageMethod = 'arithmetic' | 'geometric' | 'min' | 'max';

/** Options for `normalizedMutualInfoScore` and `adjustedMutualInfoScore`. */
export interface MutualInfoOptions {
  /** The mean of the two entropies to normalise by. Default `'arithmetic'`, as scikit-learn's. */
  averageMethod?: AverageMethod;
}

const AVERAGE_METHODS: readonly string[] = ['arithmetic', 'geometric', 'min', 'max'];

/** The `averageMethod` of `options`, validated, with its default. */
function averageMethodOf(options: MutualInfoOptions | undefined): AverageMethod {
  const method = options?.averageMethod ?? 'arithmetic';
  if (!AVERAGE_METHODS.includes(method)) {
    throw new RangeError(
      `averageMethod is ${JSON.stringify(method)}: expected one of ${AVERAGE_METHODS.join(', ')}`,
    );
  }
  return method;
}

/** Two labelings to normalise the MI of: their table, the averaging, and the mean entropy. */
export interface NormalizedInput {
  c: Contingency;
  mi: number;
  /** `generalizedAverage(H(U), H(V), averageMethod)`. */
  normalizer: number;
}

/**
 * The start NMI and AMI share: validates the options, builds the table, and returns 1.0 for scikit-learn's perfect
 * match special case (both labelings one label, or no points) and 0.0 when exactly one has a single label (MI = 0,
 * and AMI's too); else the table, the MI and the normaliser.
 */
export function normalizedInput(
  labelsTrue: ArrayLike<Label>,
  labelsPred: ArrayLike<Label>,
  options: MutualInfoOptions | undefined,
): NormalizedInput | number {
  const method = averageMethodOf(options);
  const c = contingency(labelsTrue, labelsPred);
  const R = c.rows.length;
  const C = c.cols.length;
  if ((R === 1 && C === 1) || (R === 0 && C === 0)) return 1;
  if (R === 1 || C === 1) return 0;
  const mi = mutualInfoCore(c);
  const normalizer = generalizedAverage(entropyCore(c.rows, c.n), entropyCore(c.cols, c.n), method);
  return { c, mi, normalizer };
}

/** scikit-learn's `_generalized_average` of two entropies. */
export function generalizedAverage(u: number, v: number, method: AverageMethod): number {
  switch (method) {
    case 'arithmetic':
      return (u + v) / 2;
    case 'geometric':
      return Math.sqrt(u * v);
    case 'min':
      return Math.min(u, v);
    case 'max':
      return Math.max(u, v);
    default:
      return assertNever(method, 'averageMethod');
  }
}

/**
 * Normalised mutual information between two labelings (scikit-learn's `normalized_mutual_info_score`):
 * `MI(U, V) / mean(H(U), H(V))`, 1 for identical partitions up to renaming, 0 for independent ones. Not adjusted
 * for chance: many small clusters score above 0 at random (use `adjustedMutualInfoScore` for that).
 *
 * scikit-learn's conventions: 1.0 when both labelings have one label (or there are no points), and 0.0 whenever
 * the MI is 0 (including one labeling with a single label).
 *
 * @param options - `averageMethod`: `'arithmetic'` (default), `'geometric'`, `'min'` or `'max'`.
 * @throws RangeError when the lengths differ or for an unknown `averageMethod`.
 *
 * @example
 * normalizedMutualInfoScore([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 * normalizedMutualInfoScore([0, 0, 1, 1], [0, 0, 1, 2], { averageMethod: 'max' }); // 0.6666…
 */
export function normalizedMutualInfoScore(
  labelsTrue: ArrayLike<Label>,
  labelsPred: ArrayLike<Label>,
  options: MutualInfoOptions = {},
): number {
  const input = normalizedInput(labelsTrue, labelsPred, options);
  if (typeof input === 'number') return input;
  return input.mi === 0 ? 0 : input.mi / input.normalizer;
}
