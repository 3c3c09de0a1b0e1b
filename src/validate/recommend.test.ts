import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recommend, type RecommendContext } from './recommend.js';
import type { KEvaluation } from './types.js';

/** An evaluation with every measure off, to override per test. */
function ev(k: number, over: Partial<KEvaluation> = {}): KEvaluation {
  return {
    k,
    inertia: 1000 / k,
    silhouette: 0.3,
    calinskiHarabasz: 100,
    daviesBouldin: 1,
    bic: null,
    aic: null,
    gap: null,
    gapSE: null,
    stability: null,
    stabilitySD: null,
    predictionStrength: null,
    clusterJaccard: null,
    ...over,
  };
}
const ctx: RecommendContext = { gapAtOne: null, methodName: 'k-means', stabilityFraction: 0.8 };
const votesOf = (r: ReturnType<typeof recommend>) =>
  Object.fromEntries(r.votes.map((v) => [v.criterion, v.k]));

test('criteria that are off cast no vote; BIC votes only for mixtures', () => {
  const r = recommend([ev(2, { silhouette: 0.5 }), ev(3), ev(4)], ctx);
  assert.deepEqual(
    r.votes.map((v) => v.criterion),
    ['elbow', 'silhouette', 'calinski-harabasz', 'davies-bouldin'],
  );
  const m = recommend(
    [ev(2, { bic: 50, aic: 40 }), ev(3, { bic: 30, aic: 20 }), ev(4, { bic: 40, aic: 30 })],
    ctx,
  );
  assert.equal(votesOf(m)['bic'], 3);
  assert.match(m.votes.find((v) => v.criterion === 'bic')!.rule, /lowest BIC \(30\)/);
});

test('majority wins; a tie goes to the more stable k, then to the smaller k', () => {
  const stab = (k: number, s: number, sil: number, ch: number) =>
    ev(k, { stability: s, stabilitySD: 0, silhouette: sil, calinskiHarabasz: ch, clusterJaccard: [] });
  // Silhouette → 2, Calinski–Harabasz → 4, Davies–Bouldin → 2 (all equal: smaller k), stability → 4: 2 against 2.
  let r = recommend([stab(2, 0.9, 0.6, 10), stab(3, 0.5, 0.1, 10), stab(4, 0.95, 0.2, 50)], ctx);
  assert.equal(r.recommended, 4);
  assert.ok(r.reasons.some((s) => /ties with k = 2 .* more stable/.test(s)));
  // Equal stability: the smaller k.
  r = recommend([stab(2, 0.9, 0.6, 10), stab(3, 0.5, 0.1, 10), stab(4, 0.9, 0.2, 50)], ctx);
  assert.equal(votesOf(r)['stability'], 4); // the larger k on a tie within 0.005
  assert.equal(r.recommended, 2);
  assert.ok(r.reasons.some((s) => /ties with k = 4 .* smaller k/.test(s)));
});

test('stability votes for the larger k within 0.005 of the best; prediction strength for the largest k ≥ 0.8, else 1', () => {
  const r = recommend(
    [
      ev(2, { stability: 0.998, predictionStrength: 0.95 }),
      ev(3, { stability: 0.7, predictionStrength: 0.85 }),
      ev(4, { stability: 0.995, predictionStrength: 0.5 }),
      ev(5, { stability: 0.98, predictionStrength: 0.6 }),
    ],
    ctx,
  );
  assert.equal(votesOf(r)['stability'], 4);
  assert.equal(votesOf(r)['prediction-strength'], 3);
  const none = recommend([ev(2, { predictionStrength: 0.5 }), ev(3, { predictionStrength: 0.7 })], ctx);
  assert.equal(votesOf(none)['prediction-strength'], 1);
});

test("structure 'none': the gap picks 1 and no k is stable", () => {
  const flat = (k: number) =>
    ev(k, { gap: 0.5, gapSE: 0.02, stability: 0.4, stabilitySD: 0.1, clusterJaccard: [] });
  const r = recommend([flat(2), flat(3), flat(4)], { ...ctx, gapAtOne: { gap: 0.52, gapSE: 0.02 } });
  assert.equal(votesOf(r)['gap'], 1);
  assert.equal(r.structure, 'none');
  assert.ok(
    r.reasons.some((s) => /^No clear structure: the gap statistic prefers k = 1 and no k is stable/.test(s)),
  );
  assert.ok([2, 3, 4].includes(r.recommended));
});

test("structure 'weak': the gap picks 1 but a k is stable, or the recommended k is not stable", () => {
  const e = (k: number, s: number) =>
    ev(k, { gap: 0.5, gapSE: 0.02, stability: s, stabilitySD: 0, clusterJaccard: [] });
  let r = recommend([e(2, 0.95), e(3, 0.5), e(4, 0.4)], { ...ctx, gapAtOne: { gap: 0.52, gapSE: 0.02 } });
  assert.equal(r.structure, 'weak');
  assert.ok(r.reasons.some((s) => /^Weak structure: the gap statistic prefers k = 1/.test(s)));
  r = recommend(
    [ev(2, { silhouette: 0.9, stability: 0.6 }), ev(3, { stability: 0.85 }), ev(4, { stability: 0.5 })],
    ctx,
  );
  assert.equal(r.recommended, 2);
  assert.equal(r.structure, 'weak');
  assert.ok(r.reasons.some((s) => /k = 2 is not stable \(mean ARI 0.6\)/.test(s)));
});

test("structure 'clear': stable, the gap finds structure, most agree — even when Gap(2) dips below Gap(1)", () => {
  const e = (k: number, gap: number, s: number) =>
    ev(k, {
      gap,
      gapSE: 0.02,
      stability: s,
      stabilitySD: 0,
      clusterJaccard: Array.from({ length: k }, () => s),
      silhouette: k === 4 ? 0.8 : 0.3,
      calinskiHarabasz: k === 4 ? 900 : 100,
      daviesBouldin: k === 4 ? 0.3 : 1,
      inertia: k < 4 ? 5000 / k : 1000 - k,
    });
  const evals = [e(2, -0.35, 0.6), e(3, 0.96, 0.7), e(4, 3.0, 1), e(5, 2.87, 0.8), e(6, 2.7, 0.75)];
  const r = recommend(evals, { ...ctx, gapAtOne: { gap: -0.19, gapSE: 0.02 } });
  // Tibshirani's local rule stops at 1, but Gap(4) is far above Gap(1): not read as "no structure".
  assert.equal(votesOf(r)['gap'], 1);
  assert.equal(r.recommended, 4);
  assert.equal(r.structure, 'clear');
  assert.ok(r.reasons.some((s) => /stops at k = 1, but its highest value is at k = 4/.test(s)));
});

test('with gap, stability and prediction strength all off, the silhouette decides the structure', () => {
  const r = (sil: number) => recommend([ev(2, { silhouette: sil }), ev(3), ev(4)], ctx).structure;
  assert.equal(r(0.2), 'none');
  assert.equal(r(0.4), 'weak');
  assert.equal(r(0.7), 'clear');
});

test('clusters that do not come back are named in the reasons', () => {
  const r = recommend(
    [ev(2, { stability: 0.9, stabilitySD: 0.05, clusterJaccard: [0.95, 0.45] }), ev(3)],
    ctx,
  );
  assert.ok(
    r.reasons.some((s) =>
      /Cluster 1 \(Jaccard 0.45\) of the k = 2 fit does not come back.*it dissolves/.test(s),
    ),
  );
  assert.ok(r.reasons.some((s) => /Refits on 80% subsamples agree at k = 2: mean ARI 0.9/.test(s)));
});
