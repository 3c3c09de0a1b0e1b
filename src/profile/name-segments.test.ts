// nameSegments: clear z patterns give the expected words, and names are always unique.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { nameSegments } from './name-segments.js';
import type { FeatureStats } from './profile-segments.js';

/** Stats with only z set (naming reads nothing else). */
function z(values: Record<string, number>): Record<string, FeatureStats> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, { mean: 0, median: 0, lift: 1, z: v, smd: v }]),
  );
}

describe('nameSegments: words from clear patterns', () => {
  const cases: [string, Record<string, number>, string][] = [
    ['recent big spenders', { recency_days: -1.5, monetary: 2, frequency: 0.1 }, 'Recent high spenders'],
    ['lapsed one-off buyers', { recency_days: 1.2, frequency: -1, monetary: -0.5 }, 'Lapsed one-off buyers'],
    ['new customers, no value trait', { tenure_days: -1, monetary: 0.1 }, 'New customers'],
    [
      'long-standing broad shoppers',
      { tenure_days: 0.9, distinct_products: 1.4 },
      'Long-standing broad shoppers',
    ],
    ['value only', { monetary: 1 }, 'High spenders'],
    ['small baskets only', { avg_order_value: -0.8, monetary: -0.4 }, 'Small-basket buyers'],
    [
      'clear timing (|z| ≥ 0.5) names the segment',
      { engagement_events: 2, recency_days: -0.5 },
      'Recent customers',
    ],
    [
      'otherwise the strongest adjective wins',
      { engagement_events: 2, recency_days: -0.4 },
      'Engaged customers',
    ],
    [
      'returning-heavy frequent buyers',
      { return_rate: 1.1, frequency: 0.7 },
      'Returning-heavy frequent buyers',
    ],
    ['a low return rate has no word', { return_rate: -2 }, 'Typical customers'],
    ['everything near the base', { recency_days: 0.1, monetary: -0.2, frequency: 0.29 }, 'Typical customers'],
    ['threshold 0.3 is included', { monetary: 0.3 }, 'High spenders'],
    ['NaN z is ignored', { monetary: NaN, recency_days: -0.6 }, 'Recent customers'],
  ];
  for (const [what, stats, expected] of cases) {
    it(what, () => assert.deepEqual(nameSegments([z(stats)]), [expected]));
  }

  it('attribute-only segments are named from their two strongest labelled features', () => {
    const names = nameSegments(
      [z({ age: 1.2, income: -0.8, tier: 0.2 }), z({ age: -0.1, income: 0.1 }), z({ income: 0.6 })],
      { age: 'age', income: 'income', tier: 'tier (rank)' },
    );
    assert.deepEqual(names, ['High age, low income', 'Typical customers', 'High income']);
  });

  it('behavioural words win over labels', () => {
    assert.deepEqual(nameSegments([z({ monetary: 0.5, age: 3 })], { age: 'age' }), ['High spenders']);
  });
});

describe('nameSegments: uniqueness', () => {
  it('two segments with the same name are told apart by their next strongest trait', () => {
    const names = nameSegments([
      z({ recency_days: -1, monetary: 1.5, frequency: 0.9 }),
      z({ recency_days: -1.2, monetary: 1.1, tenure_days: 0.8 }),
    ]);
    assert.deepEqual(names, ['Recent high spenders, frequent buyers', 'Recent high spenders, long-standing']);
  });

  it('identical segments are numbered', () => {
    assert.deepEqual(nameSegments([z({}), z({}), z({})]), [
      'Typical customers',
      'Typical customers (2)',
      'Typical customers (3)',
    ]);
  });

  it('names are unique and one per segment for random z patterns (property)', () => {
    const rng = new Random(11);
    const features = [
      'recency_days',
      'tenure_days',
      'engagement_events',
      'return_rate',
      'monetary',
      'frequency',
      'avg_order_value',
      'distinct_products',
      'age',
      'income',
    ];
    const labels = { age: 'age', income: 'income' };
    for (let trial = 0; trial < 300; trial++) {
      const k = 2 + rng.int(12);
      // Coarse z values make collisions likely.
      const stats = Array.from({ length: k }, () =>
        z(
          Object.fromEntries(features.filter(() => rng.next() < 0.5).map((f) => [f, (rng.int(5) - 2) * 0.5])),
        ),
      );
      const names = nameSegments(stats, labels);
      assert.equal(names.length, k);
      assert.equal(new Set(names).size, k, `trial ${trial}: ${JSON.stringify(names)}`);
      for (const n of names) assert.ok(n.length > 0 && n[0] === n[0]!.toUpperCase(), `capitalised: ${n}`);
    }
  });
});
