// The silhouette's pair schedule and threads: every pair once, the same sums on any number of threads, and every
// generated loop (4 rows, 2 rows, 1 row, the loop beyond 64 features) against a brute-force reference.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { encodeLabels } from './labels.js';
import { type PoolProbe, labelDistanceSums, silhouetteCore, silhouetteThreads } from './silhouette-core.js';
import { TILE, schedulePlayers } from './silhouette-kernels.js';
import { bruteForce, randomData } from './test-support.js';

describe('silhouette tile schedule', () => {
  it('meets every pair of tiles (and each tile with itself) exactly once, each tile once a round', () => {
    for (const tiles of [1, 2, 3, 6, 7, 20]) {
      const P = schedulePlayers(tiles);
      const met = new Map<string, number>();
      for (let r = 0; r < P; r++) {
        const busy = new Set<number>();
        const meet = (a: number, b: number) => {
          if (a >= tiles || b >= tiles) return;
          const key = `${Math.min(a, b)},${Math.max(a, b)}`;
          met.set(key, (met.get(key) ?? 0) + 1);
          for (const t of new Set([a, b])) {
            assert.ok(!busy.has(t), `tile ${t} twice in round ${r}`);
            busy.add(t);
          }
        };
        meet(r, r);
        for (let s = 1; s <= (P - 1) / 2; s++) meet((r + s) % P, (r - s + P) % P);
      }
      assert.equal(met.size, (tiles * (tiles + 1)) / 2);
      for (const count of met.values()) assert.equal(count, 1);
    }
  });
});

describe('silhouette core', () => {
  it('gives bit-identical sums on 1, 2 and 3 threads, with the workers taking part', () => {
    // Enough rounds and blocks (17 × 9) that a worker, once loaded, gets some even on a busy machine.
    const n = 16 * TILE + 37;
    const X = randomData(n, 7, 31);
    const codes = Int32Array.from({ length: n }, (_, i) => (i * 13) % 6);
    const x = X.data as Float64Array;
    const one = labelDistanceSums(x, n, 7, codes, 6, 1);
    let workerBlocks = 0;
    for (const threads of [2, 3]) {
      const probe: PoolProbe = {};
      assert.deepEqual(labelDistanceSums(x, n, 7, codes, 6, threads, probe), one);
      workerBlocks += probe.workerBlocks!;
    }
    assert.ok(workerBlocks > 0, 'workers ran no block');
  });
  it('matches brute force for each generated loop, partial tiles and row remainders', () => {
    // d ≤ 16: four rows at a time; ≤ 64: two; beyond: the loop. n leaves a partial tile and rows not a multiple of 4.
    for (const [n, d] of [
      [TILE + 3, 3],
      [2 * TILE + 1, 20],
      [TILE + 2, 70],
    ] as const) {
      const X = randomData(n, d, n + d);
      const labels = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 3 : i % 3));
      const coded = encodeLabels(labels, n);
      const out = new Float64Array(n);
      silhouetteCore(X.data as Float64Array, n, d, coded, out, 2);
      // Silhouettes near 0 are differences of near-equal means: compare absolutely.
      bruteForce(X, labels).forEach((v, i) =>
        assert.ok(Math.abs(out[i]! - v) < 1e-13, `n=${n} d=${d} row ${i}: ${out[i]} vs ${v}`),
      );
    }
  });
  it('defaults to one thread for small inputs and validates threads', () => {
    assert.equal(silhouetteThreads(undefined, 1000, 10), 1);
    assert.equal(silhouetteThreads(3, 10, 1), 3);
    assert.throws(() => silhouetteThreads(0, 10, 1), /threads must be an integer ≥ 1, got 0/);
  });
});
