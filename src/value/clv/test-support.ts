/**
 * Fixtures and assertions the lifetime-value tests share (test code only; not re-exported): the lifetimes parity
 * fixtures written by scripts/fixtures/make_clv_fixtures.py.
 * @module
 */
import { readFileSync } from 'node:fs';

export { relClose } from '../../metrics/test-support.js';

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
