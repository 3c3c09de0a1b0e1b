/**
 * Fixtures and assertions the lifetime-value tests share (test code only; not re-exported): the lifetimes parity
 * fixtures written by scripts/fixtures/make_clv_fixtures.py.
 * @module
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { relClose } from '../../metrics/test-support.js';
import type { BetaGeoParams } from './types.js';

export { relClose };

/** A data set of fits.json. */
export interface FixtureData {
  unit: string;
  frequency: number[];
  recency: number[];
  T: number[];
  monetaryValue?: number[];
  weights?: number[];
  truth?: Record<string, number>;
}

/** One fit of fits.json: lifetimes' estimate, a tight refit of the same objective, and their log-likelihoods. */
export interface FitCase {
  dataset: string;
  model: 'bg-nbd' | 'mbg-nbd' | 'gamma-gamma';
  penalizer: number;
  lifetimes: Record<string, number>;
  lifetimesObjective: number;
  lifetimesLogLikelihood: number;
  tight: Record<string, number>;
  tightObjective: number;
  tightLogLikelihood: number;
  n?: number;
  excluded?: number;
}

/** Reads test/fixtures/clv/NAME. */
export function readFixture<T>(name: string): T {
  return JSON.parse(
    readFileSync(new URL(`../../../test/fixtures/clv/${name}`, import.meta.url), 'utf8'),
  ) as T;
}

export const fits = (): { data: Record<string, FixtureData>; cases: FitCase[] } => readFixture('fits.json');

interface PurchasePredictions {
  customers: { frequency: number[]; recency: number[]; T: number[]; monetaryValue: number[] };
  purchase: {
    model: string;
    penalizer: number;
    params: BetaGeoParams;
    expectedPurchases: Record<string, number>;
    conditionalExpectedPurchases: Record<string, number[]>;
    probabilityAlive: number[];
  }[];
}
/** predictions.json: lifetimes' predictions on its own CDNOW parameters for chosen customers. */
export const predictions = readFixture<PurchasePredictions>('predictions.json');

/**
 * Parameters within 1e-3 of lifetimes' (the issue's bar) and 1e-5 of the tight refit; log-likelihood to 1e-9. A
 * parameter the penalised optimum pushes to its boundary 0 (one customer: a → 0) has no relative digits to
 * compare; both sides must then be below 1e-3.
 */
export function checkFit(
  c: FitCase,
  fit: (
    d: FixtureData,
    o: { penalizer: number },
  ) => {
    params: object;
    logLikelihood: number;
    converged: boolean;
    n: number;
  },
): void {
  const d = fits().data[c.dataset]!;
  const m = fit(d, { penalizer: c.penalizer });
  const params = m.params as Record<string, number>;
  assert.equal(m.converged, true);
  for (const k of Object.keys(c.lifetimes)) {
    if (c.tight[k]! < 1e-3) {
      assert.ok(params[k]! < 1e-3 && c.lifetimes[k]! < 1e-3, `${k} at the boundary: ${params[k]}`);
      continue;
    }
    relClose(params[k]!, c.lifetimes[k]!, 1e-3, `${k} vs lifetimes`);
    relClose(params[k]!, c.tight[k]!, 1e-5, `${k} vs tight refit`);
  }
  relClose(m.logLikelihood, c.tightLogLikelihood, 1e-9, 'log-likelihood');
  assert.equal(m.n, d.weights ? d.weights.reduce((a, b) => a + b, 0) : d.frequency.length);
}
