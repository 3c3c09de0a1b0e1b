/**
 * Decomposition: low-dimensional views of the feature space. The public API of `src/decomposition`, re-exported by
 * name.
 * @module
 */

export { pca, type PcaResult } from './pca.js';
export { symmetricEigen, type SymmetricEigen } from './symmetric-eigen.js';
