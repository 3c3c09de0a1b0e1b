/**
 * Customer lifetime value: a purchase model's expected purchases per future month times a spend model's expected
 * purchase value, discounted, as lifetimes' `GammaGammaFitter.customer_lifetime_value`.
 * @module
 */
import { distinctRows } from './distinct-rows.js';
import type { LifetimeValueOptions, PurchaseModel, RepeatData, SpendModel } from './types.js';

/**
 * Each customer's discounted value over the next `months` months (Fader, Hardie & Lee 2005, "RFM and CLV",
 * in lifetimes' discrete form):
 *
 *   CLV = Σ_{i=1..months} E[M] · (E[X(T, T + iΔ)] − E[X(T, T + (i − 1)Δ)]) / (1 + discountRate)^i
 *
 * with Δ = `periodsPerMonth` (a month in the data's time unit), E[X(T, T + t)] the purchase model's
 * `conditionalExpectedPurchases` and E[M] the spend model's `conditionalExpectedAverageProfit` (which needs
 * the customer's frequency and mean repeat-purchase value). Uses only the two interfaces, so any purchase model
 * (BG/NBD, MBG/NBD, Pareto/NBD) serves. The months × customers conditional expectations dominate the cost.
 *
 * Defaults are lifetimes': 12 months, 1 % a month, and a month of 30 time units (lifetimes' `freq='D'`); pass
 * `periodsPerMonth: 4.345` for weekly data, 1 for monthly.
 *
 * @example
 * const clv = customerLifetimeValue(bgnbd, gammaGamma, { frequency, recency, T, monetaryValue }, { periodsPerMonth: 4.345 });
 */
export function customerLifetimeValue(
  purchase: PurchaseModel<object>,
  spend: SpendModel,
  data: RepeatData & { monetaryValue: ArrayLike<number> },
  opts: LifetimeValueOptions = {},
): Float64Array {
  const months = opts.months ?? 12;
  const rate = opts.discountRate ?? 0.01;
  const step = opts.periodsPerMonth ?? 30;
  if (!Number.isInteger(months) || months < 0)
    throw new RangeError(`months must be a whole number ≥ 0, got ${months}`);
  if (!(rate > -1) || rate === Infinity)
    throw new RangeError(`discountRate must be finite and > −1, got ${rate}`);
  if (!(step > 0) || step === Infinity)
    throw new RangeError(`periodsPerMonth must be finite and > 0, got ${step}`);
  const profit = spend.conditionalExpectedAverageProfit({
    frequency: data.frequency,
    monetaryValue: data.monetaryValue,
  });
  const n = profit.length;
  const clv = new Float64Array(n);
  // Customers with the same (frequency, recency, T) have the same expectations: compute them once per history
  // (on 2M customers from daily data, a few hundred thousand), then read them back per customer. Same numbers.
  const { histories, index } = distinctHistories(data);
  const m = histories.frequency.length;
  // E[X(T, T + 0)] = 0; each month's purchases are the increment of the cumulative expectation.
  let previous: Float64Array = new Float64Array(m);
  for (let i = 1; i <= months; i++) {
    const cumulative = purchase.conditionalExpectedPurchases(i * step, histories);
    const discount = (1 + rate) ** i;
    for (let j = 0; j < n; j++) {
      const h = index[j]!;
      clv[j]! += (profit[j]! * (cumulative[h]! - previous[h]!)) / discount;
    }
    previous = cumulative;
  }
  return clv;
}

/** The distinct (frequency, recency, T) histories of `data`, and each customer's index among them. */
function distinctHistories(data: RepeatData): {
  histories: { frequency: Float64Array; recency: Float64Array; T: Float64Array };
  index: Int32Array;
} {
  const { size, index, first } = distinctRows([data.frequency, data.recency, data.T]);
  const pick = (column: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(size);
    for (let h = 0; h < size; h++) out[h] = column[first[h]!]!;
    return out;
  };
  return {
    histories: { frequency: pick(data.frequency), recency: pick(data.recency), T: pick(data.T) },
    index,
  };
}
