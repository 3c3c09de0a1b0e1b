/**
 * model.json: everything needed to score new customers the way a run scored its own — how the inputs were read
 * and cleaned, the feature specification with transform parameters, the fitted model and the segment names.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Config } from '../config/index.js';
import type { FeatureSpec } from '../features/index.js';
import type { SavedModel } from '../segment/index.js';
import type { SavedValue } from '../value/index.js';
import { InputError } from '../util/errors.js';

export const MODEL_FORMAT = 'segmint-model';
export const MODEL_VERSION = 1;

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  segmint: string;
  createdAt: string;
  /** The run's configuration less file paths: reading, cleaning, feature and segmentation settings. */
  config: Omit<Config, 'output'>;
  /** Column mappings the run resolved, by input. */
  columns: Record<string, Record<string, string | undefined>>;
  features: FeatureSpec;
  model: SavedModel;
  /**
   * The value stage's fitted parts (RFM cut points and map, lifetime-value parameters, CLV bands, composite
   * normalisation); null when value columns were off. Absent in model files of earlier versions.
   */
  value?: SavedValue | null;
  segments: { segment: number; name: string; size: number }[];
  training: { customers: number; asOf: string; silhouette: number | null };
}

const ModelFileShape = z
  .object({
    format: z.literal(MODEL_FORMAT),
    version: z.literal(MODEL_VERSION),
    config: z.object({ transactions: z.object({}).passthrough() }).passthrough(),
    columns: z.record(z.string(), z.record(z.string(), z.string().optional())),
    features: z
      .object({ asOf: z.string(), cluster: z.array(z.object({ name: z.string() }).passthrough()) })
      .passthrough(),
    model: z.discriminatedUnion('method', [
      z
        .object({
          method: z.enum(['kmeans', 'minibatch-kmeans', 'bisecting-kmeans', 'agglomerative']),
          k: z.number().int().min(1),
          centroids: z.array(z.array(z.number())).min(1),
        })
        .passthrough(),
      z
        .object({
          method: z.literal('gaussian-mixture'),
          k: z.number().int().min(1),
          covarianceType: z.enum(['full', 'tied', 'diag', 'spherical']),
          weights: z.array(z.number()).min(1),
          means: z.array(z.array(z.number())).min(1),
          precisionsCholesky: z.array(z.number()).min(1),
        })
        .passthrough(),
      z
        .object({
          method: z.enum(['dbscan', 'hdbscan']),
          k: z.number().int().min(1),
          reference: z.array(z.array(z.number())),
          referenceLabels: z.array(z.number().int()),
          radius: z.array(z.number()),
        })
        .passthrough(),
      z
        .object({
          method: z.enum(['kprototypes', 'kmodes']),
          k: z.number().int().min(1),
          numeric: z.array(z.array(z.number())),
          modes: z.array(z.array(z.number().int())),
          attributes: z.array(z.object({ name: z.string(), levels: z.array(z.string().nullable()) })),
          gamma: z.number(),
        })
        .passthrough(),
      z
        .object({
          method: z.literal('supervised'),
          k: z.number().int().min(1),
          names: z.array(z.string()).min(1),
          trees: z
            .array(
              z
                .object({
                  left: z.array(z.number().int()),
                  right: z.array(z.number().int()),
                  feature: z.array(z.number().int()),
                  threshold: z.array(z.number()),
                  value: z.array(z.number()),
                })
                .passthrough(),
            )
            .min(1),
        })
        .passthrough(),
      z
        .object({
          method: z.enum(['rfm', 'predictive', 'composite']),
          k: z.number().int().min(1),
          names: z.array(z.string()).min(1),
        })
        .passthrough(),
    ]),
    value: z
      .object({
        rfm: z
          .object({
            bins: z.number().int(),
            cuts: z.object({}).passthrough(),
            map: z.array(z.object({ name: z.string() }).passthrough()),
          })
          .passthrough()
          .nullable(),
        clv: z
          .object({
            model: z.enum(['bg-nbd', 'pareto-nbd', 'mbg-nbd']),
            params: z.record(z.string(), z.number()),
          })
          .passthrough()
          .nullable(),
      })
      .passthrough()
      .nullable()
      .optional(),
    segments: z.array(z.object({ segment: z.number(), name: z.string() }).passthrough()),
  })
  .passthrough();

/** Reads and checks a model file. */
export async function readModelFile(path: string): Promise<ModelFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(`model file not found: ${path}`, { cause: e });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(`model file ${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const r = ModelFileShape.safeParse(value);
  if (!r.success) {
    const where = r.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
    throw new InputError(`model file ${path} is not a segmint model (${where})`);
  }
  return value as ModelFile;
}
