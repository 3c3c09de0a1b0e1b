/**
 * From the features table to what a method clusters: the clustered feature names (default RFM; on a customers
 * file alone, its numeric attributes), their fitted transforms, the scaled matrix and, for kprototypes / kmodes,
 * the categorical attributes. Shared by `run` and `evaluate`.
 * @module
 */
import type { Config } from '../config/index.js';
import type { Engine } from '../engine/index.js';
import {
  DEFAULT_CLUSTER,
  DEFAULT_LOG1P,
  categoricalAttributes,
  fetchFeatures,
  fitTransforms,
  scaleMatrix,
  type FeatureDef,
} from '../features/index.js';
import type { SegmentInput } from '../segment/index.js';
import { InputError } from '../util/errors.js';
import type { Matrix } from '../util/matrix.js';
import { segmentInput } from './segment-input.js';

export interface ClusterInput {
  clusterNames: string[];
  log1p: readonly string[];
  /** Fitted scaling of each clustered feature, saved in model.json. */
  cluster: ReturnType<typeof fitTransforms>;
  matrix: Matrix;
  input: SegmentInput;
}

/** Builds the clustered matrix of the configured method from the features table; InputError when it cannot. */
export async function buildClusterInput(
  engine: Engine,
  config: Config,
  defs: FeatureDef[],
  hasTransactions: boolean,
): Promise<ClusterInput> {
  const available = new Set(defs.map((f) => f.name));
  const method = config.segmentation.method;
  const byCategory = method === 'kprototypes' || method === 'kmodes';
  if (method === 'kmodes' && config.features.cluster) {
    throw new InputError(
      'kmodes clusters on categorical attributes only: remove features.cluster, or use method kprototypes to mix them with numeric features',
    );
  }
  const clusterNames =
    method === 'kmodes'
      ? []
      : (config.features.cluster ??
        (hasTransactions
          ? DEFAULT_CLUSTER.filter((n) => available.has(n))
          : defs.filter((f) => f.source === 'attribute' && !f.oneHot).map((f) => f.name)));
  const attributes = byCategory ? categoricalAttributes(defs, config.segmentation.categorical) : null;
  if (attributes && attributes.length === 0) {
    throw new InputError(
      `${method} clusters on categorical attributes, but there are none: give a customers file with text attributes (customers.categorical lists them)`,
    );
  }
  if (clusterNames.length === 0 && method !== 'kmodes') {
    throw new InputError(
      `no numeric features to segment on: list them in features.cluster (available: ${defs.map((f) => f.name).join(', ')})`,
    );
  }
  const log1p = config.features.log1p ?? DEFAULT_LOG1P;
  const fetched = await fetchFeatures(engine, defs, clusterNames, log1p);
  const cluster = fitTransforms(fetched, config.features.scaling);
  const matrix = scaleMatrix(fetched, cluster);
  const input = await segmentInput(engine, defs, matrix, attributes);
  return { clusterNames, log1p, cluster, matrix, input };
}
