/**
 * `k: auto` in the pipeline: every criterion of `src/validate` (elbow, silhouette, Calinski–Harabasz,
 * Davies–Bouldin, BIC for mixtures, gap statistic, stability, prediction strength) over kMin..kMax on a sample of
 * the customers, and one sentence saying what they decided.
 * @module
 */
import { selectK, type PartitionFitter, type SelectKResult } from '../validate/index.js';
import type { Matrix } from '../util/matrix.js';
import type { SegmentationOptions } from './segmenter.js';

/**
 * Customers an agglomerative sweep fits on at most: it builds 1 + gap references + stability runs + 2 trees, each
 * O(m²) in time, so the sweep samples fewer customers than the final tree uses.
 */
export const AGGLOMERATIVE_SWEEP_ROWS = 3000;

/** Runs the sweep on `x` with the method's own fitter. */
export function chooseK(
  x: Matrix,
  fitter: PartitionFitter,
  methodLabel: string,
  o: SegmentationOptions,
  /** Customers the method itself fits on at most: the sweep never fits on more. */
  methodSampleSize: number,
  onProgress?: (message: string, fraction: number) => void,
): SelectKResult {
  const v = o.validation;
  return selectK(x, {
    kMin: o.kMin,
    kMax: o.kMax,
    fitter,
    methodLabel,
    sampleSize: Math.min(v.sampleSize, methodSampleSize),
    silhouetteSampleSize: o.silhouetteSampleSize,
    gapReferences: v.gapReferences,
    stabilityRuns: v.stabilityRuns,
    stabilityFraction: v.stabilityFraction,
    predictionStrength: v.predictionStrength,
    seed: o.seed,
    ...(onProgress ? { onProgress } : {}),
  });
}

/** How the report and the CLI name each criterion. */
export const CRITERION_LABELS: Record<SelectKResult['votes'][number]['criterion'], string> = {
  elbow: 'elbow',
  silhouette: 'silhouette',
  'calinski-harabasz': 'Calinski–Harabasz',
  'davies-bouldin': 'Davies–Bouldin',
  bic: 'BIC',
  gap: 'gap statistic',
  stability: 'stability',
  'prediction-strength': 'prediction strength',
};

/** One sentence: the k, which criteria agree, which pick another k, and whether the sweep used a sample. */
export function kReasonOf(sel: SelectKResult): string {
  const k = sel.recommended;
  const agree = sel.votes.filter((v) => v.k === k).map((v) => CRITERION_LABELS[v.criterion]);
  const other = sel.votes
    .filter((v) => v.k !== k && v.k !== null)
    .map((v) => `${CRITERION_LABELS[v.criterion]} ${v.k}`);
  const range = `k = ${sel.ks[0]}..${sel.ks[sel.ks.length - 1]}`;
  const fmt = (n: number) => n.toLocaleString('en-US');
  let s =
    sel.structure === 'none'
      ? `no clear structure: the criteria over ${range} do not find well-separated, stable segments; k = ${k} is the best of weak options`
      : `k = ${k} recommended over ${range}: ${agree.length} of ${sel.votes.length} criteria agree (${agree.join(', ') || 'none'})`;
  if (other.length) s += `; ${other.join(', ')}`;
  if (sel.structure === 'weak') s += '; the structure is weak';
  if (sel.sampled) s += `; evaluated on a sample of ${fmt(sel.fittedOn)} of ${fmt(sel.total)} customers`;
  return s;
}
