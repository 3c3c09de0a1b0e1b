/**
 * Metrics: how good a clustering is. The public API of `src/metrics`, re-exported by name.
 * @module
 */

export { inertia } from './inertia.js';
export { silhouetteSamples, silhouetteScore, type SilhouetteOptions } from './silhouette.js';
export { condensedDistances, silhouetteScoreCondensed } from './silhouette-condensed.js';
export { calinskiHarabaszScore } from './calinski-harabasz.js';
export { daviesBouldinScore } from './davies-bouldin.js';
export { adjustedRandScore } from './adjusted-rand.js';
export { mutualInfoScore } from './mutual-info.js';
export {
  normalizedMutualInfoScore,
  type AverageMethod,
  type MutualInfoOptions,
} from './normalized-mutual-info.js';
export { adjustedMutualInfoScore } from './adjusted-mutual-info.js';
export {
  silhouetteEstimate,
  type SilhouetteEstimate,
  type SilhouetteEstimateOptions,
} from './silhouette-estimate.js';
