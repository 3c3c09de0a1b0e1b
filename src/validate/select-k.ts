/**
 * `selectK`: sweep k, measure every criterion for each, and recommend a k with its reasons — the "choose and
 * validate" stage between clustering and the profiles.
 * @module
 */
import {
  calinskiHarabaszScore,
  condensedDistances,
  daviesBouldinScore,
  silhouetteScore,
  silhouetteScoreCondensed,
} from '../metrics/index.js';
import { type Matrix, type MatrixLike, toMatrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { checkFraction, checkInteger, checkOptionsObject, checkSeed } from './check-options.js';
import { METHOD_NAMES, fitChecked, resolveFitter } from './fitters.js';
import { type GapContext, gapAt } from './gap-statistic.js';
import { Stream, deriveSeed, distinctLabels, gatherRows, withinSumOfSquares } from './partition-tools.js';
import { predictionStrengthAt, splitTrainTest } from './prediction-strength.js';
import { fmt, recommend } from './recommend.js';
import { referenceSets } from './reference-data.js';
import { drawSubsamples, stabilityAt } from './stability.js';
import type { KEvaluation, SelectKOptions, SelectKResult } from './types.js';

/** The documented defaults merged into `SelectKOptions`. */
export const SELECT_K_DEFAULTS = {
  kMin: 2,
  kMax: 10,
  method: 'kmeans',
  sampleSize: 20_000,
  silhouetteSampleSize: 5_000,
  gapReferences: 10,
  stabilityRuns: 10,
  stabilityFraction: 0.8,
  predictionStrength: true,
  seed: 0,
} as const satisfies SelectKOptions;

/** Up to this many silhouette rows, their pairwise distances are kept for the whole sweep (6,000 rows: 144 MB). */
const CONDENSED_MAX_ROWS = 6000;

/**
 * Sweeps k = kMin..kMax with one method and recommends a k, saying why.
 *
 * **What is measured.** On a seeded sample of `sampleSize` rows when X has more (the result says so: `sampled`,
 * `fittedOn`), for each k: one fit, which gives the inertia (pooled within-cluster sum of squares), the mean
 * silhouette (on `silhouetteSampleSize` of the fitted rows), Calinski–Harabasz, Davies–Bouldin, and BIC/AIC for
 * mixtures; the gap statistic (`gapStatistic`: `gapReferences` PCA-box reference sets, also at k = 1, which the
 * rule compares with kMin); stability
 * (`clusteringStability`: `stabilityRuns` refits on `stabilityFraction` subsamples — the same subsamples for every
 * k — mean pairwise ARI and per-cluster Jaccard against that fit); prediction strength (`predictionStrength` on
 * one seeded half/half split).
 *
 * **Votes.** elbow: the knee of inertia against k (`kneedle`, convex, decreasing; none for fewer than 3 ks);
 * silhouette and Calinski–Harabasz: the highest; Davies–Bouldin and BIC: the lowest; gap: the smallest k with
 * Gap(k) ≥ Gap(k+1) − s_{k+1} (1 = no structure); stability: the highest mean ARI, the larger k among those within
 * 0.005 of it (a coarser partition of real clusters is often just as stable); prediction strength: the largest k
 * with strength ≥ 0.8, else 1. Ties within a criterion go to the smaller k. Criteria that are off do not vote.
 *
 * **Recommendation.** The k in range with the most votes; ties go to the more stable k (mean ARI), then the
 * smaller. Votes for k = 1 or for no k count for no candidate, so the recommendation is always in range — the best
 * k anyway when the data show no structure.
 *
 * **Structure.** A k *holds up* when its mean ARI ≥ 0.8 (when stability is off: prediction strength ≥ 0.8).
 * - `'none'`: the gap statistic says k = 1 (or is off) and no k holds up; with all three off, a silhouette below
 *   0.25 (Kaufman & Rousseeuw). "Says k = 1" means its 1-SE rule picks 1 *and* Gap(1) is within one s of the
 *   highest gap: the rule is local and stops at 1 whenever Gap(2) dips, even below a far higher Gap(k) (then its
 *   vote stays 1, a reason explains, and the structure is judged without it).
 * - `'clear'`: the recommended k holds up, the gap statistic does not say 1, at least half of the votes cast pick
 *   it, and none of its clusters dissolves (Jaccard ≤ 0.5); with all three off, a silhouette ≥ 0.5 and half the
 *   votes.
 * - `'weak'`: anything else; the reasons say which test failed.
 *
 * **Cost.** (kMax − kMin + 1) × (1 + gapReferences + stabilityRuns + 2) fits on the sample, whatever the size of
 * X: about 250 k-means fits on 20,000 rows for k = 2..12 (see `bench/select-k.ts` for 1M customers).
 *
 * @throws RangeError for bad options (kMin < 2, kMax < kMin, kMax too large for the fitted rows, stabilityRuns = 1,
 * fractions outside (0, 1)) or data (non-finite values); TypeError for an unknown method.
 *
 * @example
 * const sel = selectK(customers, { kMin: 2, kMax: 12, seed: 7, onProgress: (m, f) => bar.update(f, m) });
 * sel.recommended; // e.g. 5
 * sel.structure; // 'clear' | 'weak' | 'none'
 * sel.reasons; // ["k = 5 for kmeans: 6 of 7 criteria pick it (…).", …]
 */
export function selectK(X: MatrixLike, options: SelectKOptions = {}): SelectKResult {
  checkOptionsObject(options, 'selectK');
  const D = SELECT_K_DEFAULTS;
  const x = toMatrix(X, 'X');
  const kMin = checkInteger(options.kMin ?? D.kMin, 'kMin', 2);
  const kMax = checkInteger(options.kMax ?? Math.max(D.kMax, kMin), 'kMax', kMin);
  const sampleSize = checkInteger(options.sampleSize ?? D.sampleSize, 'sampleSize', 3);
  const silhouetteSampleSize = checkInteger(
    options.silhouetteSampleSize ?? D.silhouetteSampleSize,
    'silhouetteSampleSize',
    3,
  );
  const B = checkInteger(options.gapReferences ?? D.gapReferences, 'gapReferences', 0);
  const runs = checkInteger(options.stabilityRuns ?? D.stabilityRuns, 'stabilityRuns', 0);
  if (runs === 1)
    throw new RangeError('stabilityRuns must be 0 (off) or ≥ 2: stability compares pairs of refits');
  const fraction = checkFraction(options.stabilityFraction ?? D.stabilityFraction, 'stabilityFraction');
  const withPS = options.predictionStrength ?? D.predictionStrength;
  const seed = checkSeed(options.seed ?? D.seed);
  const onProgress = options.onProgress;
  const { fit, label } = resolveFitter(options);
  const methodName = options.fitter ? label : METHOD_NAMES[options.method ?? D.method];

  const total = x.rows;
  const sampled = total > sampleSize;
  const xs: Matrix = sampled
    ? gatherRows(x, new Random(deriveSeed(seed, Stream.sample)).sampleIndices(total, sampleSize))
    : x;
  const n = xs.rows;
  // The silhouette needs k ≤ rows − 1; a subsample or a half must still hold kMax rows.
  const smallest = Math.min(n - 1, runs > 0 ? Math.round(fraction * n) : n, withPS ? Math.floor(n / 2) : n);
  if (kMax > smallest) {
    throw new RangeError(
      `kMax = ${kMax} is too large for ${n} fitted rows: at most ${smallest} (subsamples and the prediction ` +
        'strength halves must hold kMax rows)',
    );
  }
  const silIdx =
    n > silhouetteSampleSize
      ? new Random(deriveSeed(seed, Stream.silhouette)).sampleIndices(n, silhouetteSampleSize)
      : null;
  const silX = silIdx ? gatherRows(xs, silIdx) : xs;
  // Measured once for every k when they fit (5,000 rows: 100 MB); each k then costs one pass of additions.
  const silDist = silX.rows <= CONDENSED_MAX_ROWS ? condensedDistances(silX) : null;
  const silhouetteOf = (labels: Int32Array): number =>
    silDist ? silhouetteScoreCondensed(silDist, labels) : silhouetteScore(silX, labels);

  const ks = Array.from({ length: kMax - kMin + 1 }, (_, i) => kMin + i);
  const fitsPerK = 1 + B + runs + (withPS ? 2 : 0);
  const totalFits = ks.length * fitsPerK;
  let done = 0;
  let stage = '';
  const tick = (): void => {
    done++;
    onProgress?.(stage, done / totalFits);
  };
  onProgress?.(
    sampled ? `sampled ${n.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows` : 'starting',
    0,
  );

  const gapCtx: GapContext | null =
    B > 0 ? { x: xs, references: referenceSets(xs, B, 'pca-box', seed), fit, seed } : null;
  const subsamples = runs > 0 ? drawSubsamples(xs, runs, fraction, seed) : null;
  const split = withPS ? splitTrainTest(xs, 0.5, seed) : null;
  const gapOne = gapCtx ? gapAt(gapCtx, 1, null) : null;

  const evaluations: KEvaluation[] = ks.map((k) => {
    stage = `k = ${k}: fit`;
    const main = fitChecked(fit, xs, k, deriveSeed(seed, Stream.fit, k));
    tick();
    const labels = main.labels;
    const distinct = distinctLabels(labels);
    const silLabels = silIdx ? Int32Array.from(silIdx, (i) => labels[i]!) : labels;
    const silDistinct = distinctLabels(silLabels);
    const spread = distinct >= 2 && distinct <= n - 1;
    stage = `k = ${k}: gap statistic`;
    const gap = gapCtx ? gapAt(gapCtx, k, labels, tick) : null;
    stage = `k = ${k}: stability`;
    const stab = subsamples ? stabilityAt(xs, k, labels, subsamples, fit, seed, tick) : null;
    stage = `k = ${k}: prediction strength`;
    const ps = split ? predictionStrengthAt(split, k, fit, seed) : null;
    if (ps) {
      tick();
      tick();
    }
    return {
      k,
      inertia: withinSumOfSquares(xs, labels, k),
      silhouette: silDistinct >= 2 && silDistinct <= silX.rows - 1 ? silhouetteOf(silLabels) : NaN,
      calinskiHarabasz: spread ? calinskiHarabaszScore(xs, labels) : NaN,
      daviesBouldin: spread ? daviesBouldinScore(xs, labels) : NaN,
      bic: main.bic ?? null,
      aic: main.aic ?? null,
      gap: gap?.gap ?? null,
      gapSE: gap?.gapSE ?? null,
      stability: stab?.stability ?? null,
      stabilitySD: stab?.stabilitySD ?? null,
      predictionStrength: ps?.predictionStrength ?? null,
      clusterJaccard: stab?.clusterJaccard ?? null,
    };
  });

  const rec = recommend(evaluations, {
    gapAtOne: gapOne ? { gap: gapOne.gap, gapSE: gapOne.gapSE } : null,
    methodName,
    stabilityFraction: fraction,
  });
  rec.reasons.push(
    (sampled
      ? `Fitted on a seeded sample of ${fmt(n)} of ${fmt(total)} rows`
      : `Fitted on all ${fmt(total)} rows`) +
      `; the silhouette on ${silX.rows === n ? 'all of them' : `${fmt(silX.rows)} of them`}.`,
  );
  onProgress?.('done', 1);
  return {
    method: label,
    ks,
    evaluations,
    gapAtOne: gapOne ? { gap: gapOne.gap, gapSE: gapOne.gapSE } : null,
    ...rec,
    fittedOn: n,
    total,
    silhouetteOn: silX.rows,
    sampled,
  };
}
