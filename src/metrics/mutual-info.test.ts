// MI, NMI and AMI: scikit-learn's values and edge-case conventions, and the invariants of each.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { adjustedMutualInfoScore } from './adjusted-mutual-info.js';
import { contingency } from './contingency.js';
import { mutualInfoScore } from './mutual-info.js';
import { type AverageMethod, normalizedMutualInfoScore } from './normalized-mutual-info.js';
import { relClose } from './test-support.js';

const METHODS: AverageMethod[] = ['arithmetic', 'geometric', 'min', 'max'];

describe("mutual information: scikit-learn's values", () => {
  const a = [0, 0, 0, 1, 1, 2, 2, 2, 2];
  const b = [1, 1, 0, 0, 0, 2, 2, 3, 3];
  it('MI, and NMI and AMI under each averaging', () => {
    relClose(mutualInfoScore(a, b), 0.8486855577264174, 1e-14, 'MI');
    const nmi = [0.6985700758646516, 0.7042534620100086, 0.8000000000000002, 0.6199661734413532];
    const ami = [0.4992571877866831, 0.506041291662165, 0.6324693810841172, 0.4123971310349043];
    METHODS.forEach((m, i) => {
      relClose(normalizedMutualInfoScore(a, b, { averageMethod: m }), nmi[i]!, 1e-14, `NMI ${m}`);
      relClose(adjustedMutualInfoScore(a, b, { averageMethod: m }), ami[i]!, 1e-13, `AMI ${m}`);
    });
    relClose(adjustedMutualInfoScore([0, 0, 1, 1], [0, 1, 0, 1]), -0.5, 1e-14, 'AMI worse than chance');
  });
  it('edge cases: one label, no points, identical, all singletons', () => {
    const one = [0, 0, 0];
    assert.equal(normalizedMutualInfoScore(one, [1, 1, 1]), 1);
    assert.equal(adjustedMutualInfoScore(one, [1, 1, 1]), 1);
    assert.equal(normalizedMutualInfoScore(one, [0, 1, 2]), 0);
    assert.equal(adjustedMutualInfoScore([0, 1, 2], one), 0);
    assert.equal(normalizedMutualInfoScore([], []), 1);
    assert.equal(adjustedMutualInfoScore([], []), 1);
    assert.equal(mutualInfoScore([], []), 0);
    assert.equal(mutualInfoScore([0, 1], [0, 0]), 0);
    assert.equal(normalizedMutualInfoScore([0, 1, 2], [5, 6, 7]), 1);
    assert.equal(adjustedMutualInfoScore([0, 1, 2], [5, 6, 7]), 1);
    // All singletons against anything: MI equals its expectation, AMI is 0 up to rounding (scikit-learn: −6.4e-16).
    assert.ok(Math.abs(adjustedMutualInfoScore([0, 1, 2, 3], [0, 0, 1, 1])) < 1e-14);
  });
  it('rejects mismatched lengths, odd labels and unknown averaging, naming the value', () => {
    assert.throws(() => mutualInfoScore([0, 1], [0]), /labelsTrue has 2 labels but labelsPred has 1/);
    assert.throws(
      () => normalizedMutualInfoScore([0, 1], [0, 1], { averageMethod: 'median' as AverageMethod }),
      /averageMethod is "median": expected one of arithmetic, geometric, min, max/,
    );
    assert.throws(
      () => adjustedMutualInfoScore([0, null as unknown as number], [0, 1]),
      /labelsTrue\[1\] is null/,
    );
  });
});

describe('mutual information: invariants', () => {
  const rng = new Random(21);
  const n = 3000;
  const u = Int32Array.from({ length: n }, () => rng.int(6));
  const v = Int32Array.from(u, (x) => (rng.next() < 0.4 ? x : rng.int(9)));
  it('symmetric in the two labelings (NMI, AMI for each averaging; MI)', () => {
    relClose(mutualInfoScore(u, v), mutualInfoScore(v, u), 1e-14, 'MI');
    for (const m of METHODS) {
      relClose(
        normalizedMutualInfoScore(u, v, { averageMethod: m }),
        normalizedMutualInfoScore(v, u, { averageMethod: m }),
        1e-14,
        `NMI ${m}`,
      );
      relClose(
        adjustedMutualInfoScore(u, v, { averageMethod: m }),
        adjustedMutualInfoScore(v, u, { averageMethod: m }),
        1e-12,
        `AMI ${m}`,
      );
    }
  });
  it('unchanged by renaming labels (numbers to strings too) and by permuting points', () => {
    const renamed = Array.from(u, (x) => `segment ${(x * 5) % 6}`);
    const perm = new Random(22).shuffle(Array.from({ length: n }, (_, i) => i));
    for (const f of [mutualInfoScore, normalizedMutualInfoScore, adjustedMutualInfoScore]) {
      const ref = f(u, v);
      relClose(f(renamed, v), ref, 1e-12, `${f.name} renamed`);
      relClose(
        f(
          perm.map((i) => u[i]!),
          perm.map((i) => v[i]!),
        ),
        ref,
        1e-12,
        `${f.name} permuted`,
      );
    }
  });
  it('orders the averages: min ≥ geometric ≥ arithmetic ≥ max for NMI; AMI near 0 for independent labelings', () => {
    const [ar, ge, mi, ma] = (['arithmetic', 'geometric', 'min', 'max'] as const).map((m) =>
      normalizedMutualInfoScore(u, v, { averageMethod: m }),
    );
    assert.ok(mi! >= ge! && ge! >= ar! && ar! >= ma!, `${mi} ${ge} ${ar} ${ma}`);
    const w = Int32Array.from({ length: n }, () => rng.int(40));
    assert.ok(Math.abs(adjustedMutualInfoScore(u, w)) < 0.01);
    assert.ok(normalizedMutualInfoScore(u, w) > 0.01); // NMI is not adjusted for chance
  });
});

describe('contingency', () => {
  /** Checks every non-zero cell against a count of the pairs, and that no pair is missing. */
  function check(a: Int32Array, b: Int32Array): void {
    const c = contingency(a, b);
    const firstA = [...new Set(a)];
    const firstB = [...new Set(b)];
    const pairs = new Map<string, number>();
    a.forEach((x, i) => pairs.set(`${x},${b[i]}`, (pairs.get(`${x},${b[i]}`) ?? 0) + 1));
    assert.equal(c.cells.length, pairs.size);
    for (let q = 0; q < c.cells.length; q++) {
      assert.equal(c.cells[q], pairs.get(`${firstA[c.cellRow[q]!]},${firstB[c.cellCol[q]!]}`));
    }
    firstA.forEach((x, i) => assert.equal(c.rows[i], a.filter((y) => y === x).length));
  }
  it('counts the cells, densely for few labels and in a hash map for many', () => {
    const rng = new Random(23);
    const b = Int32Array.from({ length: 500 }, () => rng.int(5));
    check(
      Int32Array.from({ length: 500 }, () => rng.int(300)),
      b,
    ); // 300 × 5 cells > 4n + 1024: hash map
    check(
      Int32Array.from({ length: 500 }, () => rng.int(20)),
      b,
    ); // dense
  });
});
