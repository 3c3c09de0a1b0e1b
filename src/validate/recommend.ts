/**
 * From the measures of every k to a recommendation: each criterion's vote with its rule in words, the k most
 * criteria pick, whether the data show clear structure at all, and the reasons in plain sentences.
 * @module
 */
import { gapRule, type GapValue } from './gap-statistic.js';
import { kneedle } from './kneedle.js';
import { PREDICTION_STRENGTH_THRESHOLD } from './prediction-strength.js';
import { JACCARD_DISSOLVED, JACCARD_STABLE } from './stability.js';
import type { CriterionVote, KEvaluation, SelectKResult } from './types.js';

/** Mean ARI between refits at or above which a k counts as stable (our choice; it mirrors prediction strength's 0.8). */
export const STABLE_ARI = 0.8;
/** Stability vote: a k within this much of the most stable k's mean ARI ties with it, and the larger k wins. */
export const STABILITY_TIE = 0.005;
/** Silhouette below which Kaufman & Rousseeuw (1990, §2.2) see no substantial structure; at or above 0.5 reasonable. */
const SILHOUETTE_NONE = 0.25;
const SILHOUETTE_CLEAR = 0.5;

/** How the reasons name each criterion. */
export const CRITERION_NAMES: Record<CriterionVote['criterion'], string> = {
  elbow: 'the elbow',
  silhouette: 'the silhouette',
  'calinski-harabasz': 'Calinski–Harabasz',
  'davies-bouldin': 'Davies–Bouldin',
  bic: 'BIC',
  gap: 'the gap statistic',
  stability: 'stability',
  'prediction-strength': 'prediction strength',
};

/** What `recommend` needs besides the evaluations. */
export interface RecommendContext {
  /** Gap(1) and s_1, or null when the gap statistic is off. */
  gapAtOne: { gap: number; gapSE: number } | null;
  /** Name of the method, for the sentences. */
  methodName: string;
  /** Share of rows each stability refit saw, for the sentences. */
  stabilityFraction: number;
}

type Recommendation = Pick<SelectKResult, 'elbow' | 'votes' | 'recommended' | 'structure' | 'reasons'>;

/**
 * The recommendation rule (documented in `selectK`): votes, then the k with most votes (ties: the more stable k,
 * then the smaller), then the structure verdict.
 */
export function recommend(evaluations: readonly KEvaluation[], ctx: RecommendContext): Recommendation {
  const ks = evaluations.map((e) => e.k);
  const { votes, elbow } = castVotes(evaluations, ctx);
  const stabilityOf = (k: number): number => evaluations.find((e) => e.k === k)?.stability ?? -Infinity;
  const count = new Map<number, number>(ks.map((k) => [k, 0]));
  for (const v of votes) if (v.k !== null && count.has(v.k)) count.set(v.k, count.get(v.k)! + 1);
  const most = Math.max(...count.values());
  const byPreference = (a: number, b: number): number => stabilityOf(b) - stabilityOf(a) || a - b;
  const tied = ks.filter((k) => count.get(k) === most).sort(byPreference);
  const recommended = tied[0]!;
  const rec = evaluations.find((e) => e.k === recommended)!;

  const reasons: string[] = [];
  const cast = votes.filter((v) => v.k !== null).length;
  const agree = votes.filter((v) => v.k === recommended);
  if (most === 0) {
    reasons.push(
      `No criterion picks a k in ${ks[0]}..${ks[ks.length - 1]}; k = ${recommended} is ` +
        (rec.stability !== null ? `the most stable (mean ARI ${fmt(rec.stability)}).` : 'the smallest.'),
    );
  } else {
    reasons.push(
      `k = ${recommended} for ${ctx.methodName}: ${agree.length} of ${votes.length} criteria pick it ` +
        `(${agree.map((v) => CRITERION_NAMES[v.criterion]).join(', ')}).`,
    );
    if (tied.length > 1) {
      const others = tied
        .slice(1)
        .map((k) => `k = ${k}`)
        .join(' and ');
      reasons.push(
        rec.stability !== null && stabilityOf(tied[1]!) !== rec.stability
          ? `It ties with ${others} on ${most} vote${most === 1 ? '' : 's'} and is the more stable ` +
              `(mean ARI ${fmt(rec.stability)} against ${fmt(stabilityOf(tied[1]!))}).`
          : `It ties with ${others} on ${most} vote${most === 1 ? '' : 's'}; the smaller k is preferred.`,
      );
    }
  }
  const otherKs = [...new Set(votes.filter((v) => v.k !== recommended).map((v) => v.k))];
  for (const k of otherKs) {
    const who = votes.filter((v) => v.k === k);
    const names = who.map((v) => `${CRITERION_NAMES[v.criterion]} (${v.rule})`).join('; ');
    reasons.push(
      k === null
        ? `No pick from ${names}.`
        : `${k === 1 ? 'k = 1, no clear structure' : `k = ${k}`} from ${names}.`,
    );
  }
  reasons.push(...stabilityReasons(rec, ctx));

  const structure = structureOf(evaluations, votes, rec, agree.length, cast, ctx.gapAtOne, reasons);
  return { elbow, votes, recommended, structure, reasons };
}

/** Every criterion's pick among the evaluations, with its rule in words; criteria not measured cast no vote. */
function castVotes(
  evaluations: readonly KEvaluation[],
  ctx: RecommendContext,
): { votes: CriterionVote[]; elbow: number | null } {
  const ks = evaluations.map((e) => e.k);
  const votes: CriterionVote[] = [];
  const elbow =
    ks.length >= 3
      ? kneedle(
          ks,
          evaluations.map((e) => e.inertia),
          { curve: 'convex', direction: 'decreasing' },
        )
      : null;
  votes.push({
    criterion: 'elbow',
    k: elbow,
    rule: elbow === null ? 'no knee in the inertia curve (Kneedle)' : 'knee of the inertia curve (Kneedle)',
  });
  const best = (value: (e: KEvaluation) => number | null, sign: 1 | -1): KEvaluation | null => {
    let out: KEvaluation | null = null;
    for (const e of evaluations) {
      const v = value(e);
      if (v !== null && Number.isFinite(v) && (out === null || sign * v > sign * value(out)!)) out = e;
    }
    return out;
  };
  const extreme = (
    criterion: CriterionVote['criterion'],
    value: (e: KEvaluation) => number | null,
    sign: 1 | -1,
    what: string,
  ): void => {
    const e = best(value, sign);
    votes.push({
      criterion,
      k: e?.k ?? null,
      rule: e ? `${sign > 0 ? 'highest' : 'lowest'} ${what} (${fmt(value(e)!)})` : `no finite ${what}`,
    });
  };
  extreme('silhouette', (e) => e.silhouette, 1, 'mean silhouette');
  extreme('calinski-harabasz', (e) => e.calinskiHarabasz, 1, 'Calinski–Harabasz index');
  extreme('davies-bouldin', (e) => e.daviesBouldin, -1, 'Davies–Bouldin index');
  if (evaluations.some((e) => e.bic !== null)) extreme('bic', (e) => e.bic, -1, 'BIC');
  if (ctx.gapAtOne !== null && evaluations.every((e) => e.gap !== null)) {
    const values = [
      { k: 1, ...ctx.gapAtOne },
      ...evaluations.map((e) => ({ k: e.k, gap: e.gap!, gapSE: e.gapSE! })),
    ] as GapValue[];
    const { k, ruleMet } = gapRule(values);
    votes.push({
      criterion: 'gap',
      k,
      rule: ruleMet
        ? 'smallest k with Gap(k) ≥ Gap(k+1) − s(k+1)'
        : `no k below ${k} has Gap(k) ≥ Gap(k+1) − s(k+1): the largest k tried`,
    });
  }
  const stable = evaluations.filter((e) => e.stability !== null && Number.isFinite(e.stability));
  if (stable.length > 0) {
    const top = Math.max(...stable.map((e) => e.stability!));
    const pick = stable.filter((e) => e.stability! >= top - STABILITY_TIE).pop()!;
    votes.push({
      criterion: 'stability',
      k: pick.k,
      rule: `highest mean ARI between subsample refits (${fmt(pick.stability!)}; the larger k on a tie within ${STABILITY_TIE})`,
    });
  }
  const ps = evaluations.filter((e) => e.predictionStrength !== null);
  if (ps.length > 0) {
    const strong = ps.filter((e) => e.predictionStrength! >= PREDICTION_STRENGTH_THRESHOLD).pop();
    votes.push({
      criterion: 'prediction-strength',
      k: strong?.k ?? 1,
      rule: strong
        ? `largest k with prediction strength ≥ ${PREDICTION_STRENGTH_THRESHOLD} (${fmt(strong.predictionStrength!)})`
        : `no k reaches prediction strength ${PREDICTION_STRENGTH_THRESHOLD}`,
    });
  }
  return { votes, elbow };
}

/** Sentences on how the recommended k holds up under refitting and prediction. */
function stabilityReasons(rec: KEvaluation, ctx: RecommendContext): string[] {
  const out: string[] = [];
  if (rec.stability !== null) {
    out.push(
      `Refits on ${Math.round(ctx.stabilityFraction * 100)}% subsamples ` +
        `${rec.stability >= STABLE_ARI ? 'agree' : 'disagree'} at k = ${rec.k}: mean ARI ${fmt(rec.stability)} ` +
        `(SD ${fmt(rec.stabilitySD!)}; stable from ${STABLE_ARI}).`,
    );
  }
  if (rec.clusterJaccard !== null) {
    const weak = rec.clusterJaccard.map((j, c) => ({ j, c })).filter(({ j }) => j < JACCARD_STABLE);
    const dissolved = weak.filter(({ j }) => j <= JACCARD_DISSOLVED).length;
    // Name the clusters when there are few; count them otherwise.
    const which =
      weak.length <= 4
        ? `Cluster${weak.length > 1 ? 's' : ''} ${weak.map(({ c, j }) => `${c} (Jaccard ${fmt(j)})`).join(', ')} of the k = ${rec.k} fit`
        : `${weak.length} of the ${rec.k} clusters`;
    out.push(
      weak.length === 0
        ? `Every cluster comes back in the refits (Jaccard ≥ ${JACCARD_STABLE}).`
        : `${which} ${weak.length > 1 ? 'do' : 'does'} not come back reliably in the refits (Jaccard < ${JACCARD_STABLE})` +
            (dissolved > 0
              ? `; ${dissolved === weak.length ? (weak.length > 1 ? 'all dissolve' : 'it dissolves') : `${dissolved} dissolve`} (≤ ${JACCARD_DISSOLVED}).`
              : '.'),
    );
  }
  if (rec.predictionStrength !== null) {
    out.push(
      `Prediction strength at k = ${rec.k} is ${fmt(rec.predictionStrength)} ` +
        `(${rec.predictionStrength >= PREDICTION_STRENGTH_THRESHOLD ? 'at or above' : 'below'} ` +
        `${PREDICTION_STRENGTH_THRESHOLD}).`,
    );
  }
  return out;
}

/** 'none', 'weak' or 'clear', appending the sentence that says why to `reasons`. */
function structureOf(
  evaluations: readonly KEvaluation[],
  votes: readonly CriterionVote[],
  rec: KEvaluation,
  agreeing: number,
  cast: number,
  gapAtOne: RecommendContext['gapAtOne'],
  reasons: string[],
): SelectKResult['structure'] {
  const gap = votes.find((v) => v.criterion === 'gap');
  let gapSaysNone = gap?.k === 1;
  if (gapSaysNone && gapAtOne !== null) {
    // Tibshirani's rule is local: it stops at k = 1 whenever Gap(2) dips, even with a far higher Gap further on.
    // Read it as "no structure" only if Gap(1) is also within one s of the highest gap (Dudoit & Fridlyand 2002's
    // global-maximum rule would pick 1 too).
    const top = evaluations.reduce((a, b) => ((b.gap ?? -Infinity) > (a.gap ?? -Infinity) ? b : a));
    if (top.gap !== null && top.gapSE !== null && gapAtOne.gap < top.gap - top.gapSE) {
      gapSaysNone = false;
      reasons.push(
        `The gap statistic's 1-standard-error rule stops at k = 1, but its highest value is at k = ${top.k} ` +
          `(Gap ${fmt(top.gap)} against ${fmt(gapAtOne.gap)} at k = 1), so it is not read as "no structure".`,
      );
    }
  }
  const byStability = evaluations.some((e) => e.stability !== null);
  const byPrediction = evaluations.some((e) => e.predictionStrength !== null);
  // Whether a k holds up: stability when measured, else prediction strength, else unknown.
  const holds = (e: KEvaluation): boolean | null =>
    byStability
      ? (e.stability ?? -Infinity) >= STABLE_ARI
      : byPrediction
        ? (e.predictionStrength ?? -Infinity) >= PREDICTION_STRENGTH_THRESHOLD
        : null;
  const measure = byStability ? 'mean ARI' : 'prediction strength';
  const value = (e: KEvaluation): number => (byStability ? e.stability : e.predictionStrength) ?? -Infinity;
  const anyHolds = evaluations.some((e) => holds(e) === true);
  const bestHeld = evaluations.reduce((a, b) => (value(b) > value(a) ? b : a));
  const checked = byStability || byPrediction;

  if (!gap && !checked) {
    // Nothing tests for structure: fall back on Kaufman & Rousseeuw's reading of the silhouette.
    const s = rec.silhouette;
    const verdict = !(s >= SILHOUETTE_NONE)
      ? 'none'
      : s >= SILHOUETTE_CLEAR && agreeing * 2 >= cast
        ? 'clear'
        : 'weak';
    reasons.push(
      `Gap statistic, stability and prediction strength are off; by the silhouette alone (${fmt(s)}) the ` +
        `structure is ${verdict} (none below ${SILHOUETTE_NONE}, clear from ${SILHOUETTE_CLEAR}).`,
    );
    return verdict;
  }
  if ((gapSaysNone || !gap) && !anyHolds) {
    const parts = [
      ...(gap ? ['the gap statistic prefers k = 1'] : []),
      ...(checked ? [`no k is stable (best ${measure} ${fmt(value(bestHeld))} at k = ${bestHeld.k})`] : []),
    ];
    reasons.push(
      `No clear structure: ${parts.join(' and ')}; k = ${rec.k} is only the best of weak options.`,
    );
    return 'none';
  }
  const problems: string[] = [];
  if (gapSaysNone) problems.push('the gap statistic prefers k = 1');
  if (holds(rec) === false) problems.push(`k = ${rec.k} is not stable (${measure} ${fmt(value(rec))})`);
  if (agreeing * 2 < cast) problems.push(`only ${agreeing} of ${cast} criteria agree`);
  if (rec.clusterJaccard?.some((j) => j <= JACCARD_DISSOLVED))
    problems.push('some of its clusters dissolve in refits');
  if (problems.length === 0) {
    reasons.push(
      `Clear structure at k = ${rec.k}: ` +
        [
          ...(checked ? ['it holds up under refitting'] : []),
          ...(gap ? ['the gap statistic finds structure'] : []),
        ]
          .concat(['most criteria agree'])
          .join(', ') +
        '.',
    );
    return 'clear';
  }
  reasons.push(`Weak structure: ${problems.join('; ')}.`);
  return 'weak';
}

/** A number for a sentence: 3 significant digits, thousands separated. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toPrecision(3)));
}
