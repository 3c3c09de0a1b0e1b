/**
 * Adjusted mutual information: mutual information corrected for chance, so that random labelings score about 0
 * whatever their numbers of clusters (Vinh, Epps & Bailey 2010, JMLR 11, §4, eq. "AMI").
 * @module
 */

import type { Label } from './contingency.js';
import { expectedMutualInfoCore } from './expected-mutual-info.js';
import { type MutualInfoOptions, normalizedInput } from './normalized-mutual-info.js';

/** `max(|x|, ε)` with the sign of x (+ for 0), as scikit-learn keeps AMI's numerator and denominator off 0. */
function awayFromZero(x: number): number {
  return x < 0 ? Math.min(x, -Number.EPSILON) : Math.max(x, Number.EPSILON);
}

/**
 * Adjusted mutual information between two labelings (scikit-learn's `adjusted_mutual_info_score`):
 *
 *   AMI = (MI − E[MI]) / (mean(H(U), H(V)) − E[MI])
 *
 * with E[MI] the expected mutual information under random labelings with the same cluster sizes (hypergeometric
 * model, Vinh et al. 2010 eq. 24a, exact up to terms that cannot change a double). 1 for identical partitions up to
 * renaming, about 0 for independent ones, possibly negative.
 *
 * scikit-learn's conventions: 1.0 when both labelings have one label (or there are no points); 0.0 when just one
 * does; numerator and denominator kept at least machine epsilon from 0, with their sign.
 *
 * @param options - `averageMethod`: `'arithmetic'` (default), `'geometric'`, `'min'` or `'max'`.
 * @throws RangeError when the lengths differ or for an unknown `averageMethod`.
 *
 * @example
 * adjustedMutualInfoScore([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 * adjustedMutualInfoScore([0, 0, 1, 1], [0, 1, 0, 1]); // −0.5 (worse than chance)
 */
export function adjustedMutualInfoScore(
  labelsTrue: ArrayLike<Label>,
  labelsPred: ArrayLike<Label>,
  options: MutualInfoOptions = {},
): number {
  const input = normalizedInput(labelsTrue, labelsPred, options);
  if (typeof input === 'number') return input;
  const { c, mi, normalizer } = input;
  const emi = expectedMutualInfoCore(c.rows, c.cols, c.n);
  return awayFromZero(mi - emi) / awayFromZero(normalizer - emi);
}
