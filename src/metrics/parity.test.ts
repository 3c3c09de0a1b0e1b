// Every metric against scikit-learn 1.9 on committed fixtures (scripts/fixtures/make_metric_fixtures.py), 1e-9
// relative: silhouette, Calinski–Harabasz, Davies–Bouldin on labeled points; ARI, MI, NMI and AMI (each
// averaging) on pairs of labelings, with the edge cases scikit-learn special-cases.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import {
  type AverageMethod,
  adjustedMutualInfoScore,
  adjustedRandScore,
  calinskiHarabaszScore,
  daviesBouldinScore,
  mutualInfoScore,
  normalizedMutualInfoScore,
  silhouetteSamples,
  silhouetteScore,
} from './index.js';
import { relClose } from './test-support.js';

interface PointCase {
  name: string;
  dataset: string;
  labels: number[];
  silhouette: number;
  silhouetteSamples: number[];
  calinskiHarabasz: number;
  daviesBouldin: number;
}

interface LabelingCase {
  name: string;
  labelsTrue?: (number | string)[];
  labelsPred?: number[];
  formula?: { n: number; r: number; c: number; mix: number };
  ari: number;
  mi: number;
  nmi: Record<AverageMethod, number>;
  ami: Record<AverageMethod, number>;
}

const read = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/metrics/${name}`, import.meta.url), 'utf8')) as T;

const points = read<{ data: Record<string, number[][]>; cases: PointCase[] }>('points.json');
const labelings = read<{ cases: LabelingCase[] }>('labelings.json');

/**
 * 1e-9 relative; values within 1e-12 of 0 are rounding noise on both sides (an AMI whose MI equals its
 * expectation, a silhouette whose a and b agree), compared absolutely.
 */
function parity(actual: number, expected: number, what: string): void {
  if (Math.abs(expected) < 1e-12) assert.ok(Math.abs(actual) < 1e-12, `${what}: ${actual} vs ${expected}`);
  else relClose(actual, expected, 1e-9, what);
}

/** The fixture script's `hashed` labelings: t = (i · 2654435761) mod 2³² (exact in doubles for i < 2²⁰). */
function hashed(f: { n: number; r: number; c: number; mix: number }): [Int32Array, Int32Array] {
  const a = new Int32Array(f.n);
  const b = new Int32Array(f.n);
  for (let i = 0; i < f.n; i++) {
    const t = (i * 2654435761) % 4294967296;
    a[i] = t % f.r;
    b[i] = Math.floor(t / 4096) % 100 < f.mix ? a[i]! % f.c : Math.floor(t / 1048576) % f.c;
  }
  return [a, b];
}

describe('parity with scikit-learn: metrics on labeled points', () => {
  for (const c of points.cases) {
    const X = points.data[c.dataset]!.slice(0, c.labels.length);
    it(c.name, () => {
      parity(silhouetteScore(X, c.labels), c.silhouette, 'silhouette_score');
      const s = silhouetteSamples(X, c.labels);
      c.silhouetteSamples.forEach((v, i) => parity(s[i]!, v, `silhouette_samples[${i}]`));
      parity(calinskiHarabaszScore(X, c.labels), c.calinskiHarabasz, 'calinski_harabasz_score');
      parity(daviesBouldinScore(X, c.labels), c.daviesBouldin, 'davies_bouldin_score');
    });
  }
});

describe('parity with scikit-learn: comparisons of labelings', () => {
  for (const c of labelings.cases) {
    it(c.name, () => {
      const [a, b] = c.formula ? hashed(c.formula) : [c.labelsTrue!, c.labelsPred!];
      parity(adjustedRandScore(a, b), c.ari, 'adjusted_rand_score');
      parity(mutualInfoScore(a, b), c.mi, 'mutual_info_score');
      for (const m of ['arithmetic', 'geometric', 'min', 'max'] as const) {
        parity(normalizedMutualInfoScore(a, b, { averageMethod: m }), c.nmi[m], `NMI ${m}`);
        parity(adjustedMutualInfoScore(a, b, { averageMethod: m }), c.ami[m], `AMI ${m}`);
      }
    });
  }
});
