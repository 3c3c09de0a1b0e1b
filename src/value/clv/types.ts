/**
 * The contract of the lifetime-value models ("buy till you die"), in the conventions of the lifetimes and
 * PyMC-Marketing packages: a customer is summarised by `frequency` (repeat purchase periods), `recency` (time from
 * the first to the last purchase) and `T` (time from the first purchase to the end of observation), all in the
 * summary's time unit. Purchase models (BG/NBD, Pareto/NBD, MBG/NBD) predict how many purchases a customer makes
 * and whether they are still "alive"; the Gamma–Gamma model predicts the value of a purchase. Fitted parameters are
 * maximum-likelihood estimates; `logLikelihood` is the total over customers (weights included), not a mean.
 * @module
 */

/** Per-customer repeat-purchase data, in one time unit. Arrays have one entry per customer (or per group). */
export interface RepeatData {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  /** Customers each row stands for (rows grouped by identical (frequency, recency, T)); default 1. */
  weights?: ArrayLike<number>;
}

/** Per-customer spend data for the Gamma–Gamma model: repeat purchases and their mean value. */
export interface SpendData {
  frequency: ArrayLike<number>;
  monetaryValue: ArrayLike<number>;
  weights?: ArrayLike<number>;
}

export interface FitOptions {
  /**
   * L2 penalty on the parameters, exactly as lifetimes applies its `penalizer_coef` to each model (so penalised
   * fits match it): `penalizer × Σ param²` with time-scale parameters (α, β) measured in units of the largest T,
   * added to the mean negative log-likelihood for BG/NBD, MBG/NBD and Gamma–Gamma, and to the weight-normalised
   * total for Pareto/NBD. Default 0.
   */
  penalizer?: number;
  /** Starting parameters (model-specific names); default: the model's own start. */
  initial?: Record<string, number>;
  /** Optimiser iterations; default 1000. */
  maxIter?: number;
  /** Convergence tolerance on the objective's gradient norm (in log-parameter space); default 1e-9. */
  tol?: number;
}

/** What every fit reports besides its parameters. */
export interface FitReport {
  /** Total log-likelihood at the estimate (weights included; penalty excluded). */
  logLikelihood: number;
  /** Customers fitted (sum of weights). */
  n: number;
  iterations: number;
  converged: boolean;
}

export type PurchaseModelName = 'bg-nbd' | 'pareto-nbd' | 'mbg-nbd';

/** A fitted purchase model: parameters plus predictions, vectorised over customers. */
export interface PurchaseModel<P extends object = Record<string, number>> extends FitReport {
  model: PurchaseModelName;
  params: P;
  /** E[X(t)]: expected purchases of a new customer in a period of length t (lifetimes' `expected_number_of_purchases_up_to_time`). */
  expectedPurchases(t: number): number;
  /** E[X(T, T + t) | frequency, recency, T] per customer (lifetimes' `conditional_expected_number_of_purchases_up_to_time`). */
  conditionalExpectedPurchases(t: number, data: RepeatData): Float64Array;
  /** P(alive | frequency, recency, T) per customer (lifetimes' `conditional_probability_alive`). */
  probabilityAlive(data: RepeatData): Float64Array;
}

export interface BetaGeoParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}
export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}
/** MBG/NBD (Batislam et al. 2007) has BG/NBD's parameters. */
export type ModifiedBetaGeoParams = BetaGeoParams;

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** A fitted Gamma–Gamma spend model. */
export interface SpendModel extends FitReport {
  model: 'gamma-gamma';
  params: GammaGammaParams;
  /**
   * Customers left out of the fit because they made no repeat purchase (frequency 0: no spend to average),
   * weights included; 0 for a model built from given parameters.
   */
  excluded: number;
  /** E[M | frequency, monetaryValue] per customer (lifetimes' `conditional_expected_average_profit`). */
  conditionalExpectedAverageProfit(data: SpendData): Float64Array;
}

export interface LifetimeValueOptions {
  /** Months ahead (lifetimes' `time`); default 12. */
  months?: number;
  /** Monthly discount rate (lifetimes' `discount_rate`); default 0.01. */
  discountRate?: number;
  /** Length of a month in the data's time unit: 30 for days, 4.345 for weeks, 1 for months (lifetimes' `freq`). */
  periodsPerMonth?: number;
}
