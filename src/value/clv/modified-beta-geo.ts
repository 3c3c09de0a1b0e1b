/**
 * The modified BG/NBD purchase model (MBG/NBD; Batislam, Denizel & Filiztekin 2007, "Empirical validation and
 * comparison of models for customer base analysis"): BG/NBD in which a customer may also drop out right after the
 * first purchase, so one-time buyers are not all alive. Conventions of lifetimes' `ModifiedBetaGeoFitter`.
 * @module
 */
import { betaGeometricModel, fitBetaGeoFamily } from './beta-geo.js';
import type { FitOptions, FitReport, ModifiedBetaGeoParams, PurchaseModel, RepeatData } from './types.js';

/** A fitted (or given) MBG/NBD model. */
export type ModifiedBetaGeoModel = PurchaseModel<ModifiedBetaGeoParams>;

/**
 * Fits MBG/NBD by maximum likelihood, as lifetimes' `ModifiedBetaGeoFitter.fit`: the same grouping, scaling,
 * objective (mean negative log-likelihood + `penalizer × Σ param²`, α in time scaled to max T = 1) and analytic
 * gradient as {@link fitBetaGeo}, with the log-likelihood (Batislam et al. 2007, eq. 4)
 * log Γ(r + x) − log Γ(r) + r log α + log B(a, b + x + 1) − log B(a, b) − (r + x) log(α + T)
 * + log(1 + a/(b + x) · ((α + T)/(α + tₓ))^{r+x}) for every customer, one-time buyers included.
 *
 * When no customer made a repeat purchase the likelihood has no maximum (it improves without bound as the model
 * predicts no purchases): a RangeError, unless a penalizer is given.
 *
 * @example
 * const m = fitModifiedBetaGeo({ frequency: [2, 0, 5], recency: [30.4, 0, 60], T: [38.9, 40, 61.1] }, { penalizer: 0.01 });
 * m.probabilityAlive({ frequency: [0], recency: [0], T: [40] }); // below 1, unlike BG/NBD
 */
export function fitModifiedBetaGeo(data: RepeatData, opts: FitOptions = {}): ModifiedBetaGeoModel {
  const fit = fitBetaGeoFamily('mbg-nbd', data, opts);
  return modifiedBetaGeoModel(fit.params, fit.report);
}

/**
 * An MBG/NBD model from given parameters, or from a fit. Predictions as lifetimes' (Batislam et al. 2007):
 * - `expectedPurchases(t)` = b/(a − 1) · [1 − (α/(α + t))^r ₂F₁(r, b + 1; a + b; t/(α + t))];
 * - `conditionalExpectedPurchases(t, data)` = (a + b + x)/(a − 1) · [1 − ((α + T)/(α + T + t))^{r+x}
 *   ₂F₁(r + x, b + x + 1; a + b + x; t/(α + T + t))] / (1 + a/(b + x) · ((α + T)/(α + tₓ))^{r+x});
 * - `probabilityAlive(data)` = 1 / (1 + a/(b + x) · ((α + T)/(α + tₓ))^{r+x}), for x = 0 too.
 *
 * @example
 * modifiedBetaGeoModel({ r: 0.525, alpha: 6.18, a: 0.891, b: 1.614 }).expectedPurchases(39);
 */
export function modifiedBetaGeoModel(
  params: ModifiedBetaGeoParams,
  report?: FitReport,
): ModifiedBetaGeoModel {
  return betaGeometricModel('mbg-nbd', params, report);
}
