/**
 * Clustering: partition customers into segments. The public API of `src/cluster`, re-exported by name.
 * @module
 */

export {
  kmeans,
  predictKMeans,
  KMEANS_DEFAULTS,
  type KMeansAlgorithm,
  type KMeansIteration,
  type KMeansOptions,
  type KMeansResult,
} from './k-means.js';
export {
  dbscan,
  DBSCAN_DEFAULTS,
  type DBSCANMetric,
  type DBSCANOptions,
  type DBSCANResult,
} from './dbscan.js';
export { KDTree, type KDTreeMetric, type KDTreeOptions } from './kd-tree.js';
export {
  agglomerative,
  cutLinkage,
  AGGLOMERATIVE_DEFAULTS,
  type AgglomerativeLinkage,
  type AgglomerativeOptions,
  type AgglomerativeResult,
} from './agglomerative.js';
export {
  gaussianMixture,
  GAUSSIAN_MIXTURE_DEFAULTS,
  type CovarianceType,
  type GaussianMixtureInit,
  type GaussianMixtureOptions,
  type GaussianMixtureResult,
} from './gaussian-mixture.js';
export { predictGaussianMixture, type GaussianMixtureParameters } from './gaussian-mixture-predict.js';
export {
  miniBatchKMeans,
  MiniBatchKMeans,
  MINI_BATCH_KMEANS_DEFAULTS,
  type MiniBatchKMeansOptions,
  type MiniBatchKMeansResult,
} from './mini-batch-k-means.js';
export {
  bisectingKMeans,
  BISECTING_KMEANS_DEFAULTS,
  type BisectingKMeansOptions,
  type BisectingKMeansResult,
  type BisectingStrategy,
} from './bisecting-k-means.js';
export {
  kModes,
  KMODES_DEFAULTS,
  type CategoricalLike,
  type CategoryValue,
  type CodedMatrix,
  type KModesOptions,
  type KModesResult,
} from './k-modes.js';
export {
  kPrototypes,
  KPROTOTYPES_DEFAULTS,
  type KPrototypesCentroids,
  type KPrototypesInput,
  type KPrototypesOptions,
  type KPrototypesResult,
} from './k-prototypes.js';
export {
  hdbscan,
  HDBSCAN_DEFAULTS,
  type HDBSCANOptions,
  type HDBSCANResult,
  type HDBSCANSelectionMethod,
} from './hdbscan.js';
