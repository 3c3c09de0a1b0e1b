/**
 * Predictive segments: customers banded by predicted lifetime value (low, medium, high at two quantiles) and split
 * by whether the purchase model still thinks them alive — "High value, at risk" is the group a retention team
 * calls first.
 * @module
 */

export interface PredictiveOptions {
  /** Quantiles of predicted CLV between low | medium | high value, e.g. [0.5, 0.8]. */
  valueQuantiles: readonly [number, number];
  /** P(alive) below this is "at risk". */
  atRiskBelow: number;
}

/** Bands and names, as model.json keeps them to score new customers the same way. */
export interface PredictiveCuts {
  /** CLV thresholds: below cuts[0] is low value, below cuts[1] medium, else high. */
  clvCuts: [number, number];
  atRiskBelow: number;
}

/** Segment names in label order: value tiers high to low, active before at risk. */
export const PREDICTIVE_SEGMENTS = [
  'High value, active',
  'High value, at risk',
  'Medium value, active',
  'Medium value, at risk',
  'Low value, active',
  'Low value, at risk',
] as const;

/** What each predictive segment means and what to do, for the report. */
export const PREDICTIVE_DESCRIPTIONS: Record<(typeof PREDICTIVE_SEGMENTS)[number], string> = {
  'High value, active':
    'The most valuable customers, still buying — keep them close: loyalty perks, early access.',
  'High value, at risk':
    'Valuable customers the model thinks may have stopped — win them back first: a personal offer or call.',
  'Medium value, active': 'Steady customers with room to grow — cross-sell and nudge towards the next tier.',
  'Medium value, at risk': 'Mid-value customers drifting away — a timely reminder or incentive.',
  'Low value, active': 'Small but active — keep the cost of serving them low; automated nurturing.',
  'Low value, at risk': 'Small and lapsing — little to win back; include only in low-cost campaigns.',
};

/**
 * The CLV value of quantile q by the "lower" rule (the ⌈q·n⌉-th smallest), so the cut is a value customers
 * actually have and ties fall on one side together.
 */
function quantileCut(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
}

/** Fits the CLV cut points on these customers. */
export function fitPredictiveCuts(clv: Float64Array, o: PredictiveOptions): PredictiveCuts {
  const [q1, q2] = o.valueQuantiles;
  if (!(q1 > 0 && q1 < q2 && q2 < 1))
    throw new RangeError(`valueQuantiles must satisfy 0 < low < high < 1; got [${q1}, ${q2}]`);
  if (clv.length === 0) throw new RangeError('no customers to band by predicted value');
  const sorted = Float64Array.from(clv).sort();
  if (Number.isNaN(sorted[sorted.length - 1]!)) throw new RangeError('predicted CLV contains NaN');
  const c1 = quantileCut(sorted, q1);
  const c2 = quantileCut(sorted, q2);
  return { clvCuts: [c1, c2], atRiskBelow: o.atRiskBelow };
}

/** Label per customer (index into PREDICTIVE_SEGMENTS). */
export function predictiveLabels(clv: Float64Array, pAlive: Float64Array, cuts: PredictiveCuts): Int32Array {
  if (clv.length !== pAlive.length)
    throw new RangeError(`clv has ${clv.length} customers but pAlive has ${pAlive.length}`);
  const [c1, c2] = cuts.clvCuts;
  const out = new Int32Array(clv.length);
  for (let i = 0; i < clv.length; i++) {
    const v = clv[i]!;
    // Low below the first cut, high from the second up; a customer on a cut moves up (ties stay together).
    const tier = v >= c2 ? 0 : v >= c1 ? 1 : 2;
    out[i] = tier * 2 + (pAlive[i]! < cuts.atRiskBelow ? 1 : 0);
  }
  return out;
}
