// Rules recovered from segments planted by rules: the tree must find the planted thresholds, say them in words,
// and measure coverage, precision and fidelity on every customer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../util/random.js';
import { conditionText, explainSegments } from './segment-rules.js';

function planted(n: number, seed: number) {
  const rng = new Random(seed);
  const data = new Float64Array(n * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const recency = rng.int(365); // whole days
    const orders = 1 + rng.int(20); // whole orders
    const spend = rng.next() * 1000; // noise: no segment depends on it
    data.set([recency, orders, spend], i * 3);
    // Champions: recent and frequent; Lapsed: not recent; the rest: recent, few orders.
    labels[i] = recency <= 30 && orders >= 6 ? 0 : recency > 30 ? 1 : 2;
  }
  return { x: { data, rows: n, cols: 3 }, labels };
}

const FEATURES = [
  { name: 'recency_days', label: 'Days since last purchase' },
  { name: 'frequency', label: 'Orders' },
  { name: 'monetary', label: 'Net spend' },
];

test('planted rule segments: the planted thresholds in words, full coverage and precision', () => {
  const { x, labels } = planted(20_000, 1);
  const r = explainSegments(x, FEATURES, labels, 3, { maxDepth: 3, seed: 0 });
  assert.equal(r.fidelity, 1);
  const champions = r.perSegment[0]!;
  assert.equal(champions.rules.length, 1);
  const rule = champions.rules[0]!;
  assert.equal(rule.text, 'Days since last purchase ≤ 30 and Orders ≥ 6');
  assert.equal(rule.coverage, 1);
  assert.equal(rule.precision, 1);
  assert.equal(r.perSegment[1]!.rules[0]!.text, 'Days since last purchase ≥ 31');
  // Permutation importance: the segments depend on recency and orders, never on spend.
  for (const seg of r.perSegment) {
    assert.equal(seg.importance.length, 3);
    assert.equal(seg.importance[2], 0, 'spend is never used');
  }
  // Champions (recency ≤ 30, 8 % of days) lose most of their recall when recency is shuffled, a quarter when orders
  // are (three quarters of shuffled order counts still qualify); lapsed customers do not depend on orders at all.
  assert.ok(r.perSegment[0]!.importance[0]! > 0.8, 'champions on recency');
  assert.ok(r.perSegment[0]!.importance[1]! > 0.15, 'champions on orders');
  assert.ok(r.perSegment[1]!.importance[0]! > 0.05, 'lapsed on recency');
  assert.equal(r.perSegment[1]!.importance[1], 0, 'lapsed do not depend on orders');
  // Coverage and precision are counts over all customers.
  const size = labels.filter((l) => l === 0).length;
  assert.equal(rule.customers, size);
});

test('a sample fits the tree; rules are still measured on every customer; noise is not claimed', () => {
  const { x, labels } = planted(30_000, 2);
  for (let i = 0; i < 3000; i++) labels[i * 10] = -1; // 10 % noise
  const r = explainSegments(x, FEATURES, labels, 3, { sampleSize: 5000, seed: 3 });
  assert.equal(r.fittedOn, 5000);
  assert.ok(r.fidelity > 0.85 && r.fidelity < 0.95, `fidelity ${r.fidelity}`);
  for (const s of r.perSegment) {
    for (const rule of s.rules) {
      assert.ok(rule.precision <= 0.95, 'a tenth of every leaf is noise');
      assert.ok(rule.coverage > 0.05);
    }
  }
});

test('condition text: whole numbers as the whole numbers that hold, others to three digits', () => {
  const c = (op: '<=' | '>', threshold: number) => ({ feature: 'f', featureIndex: 0, op, threshold });
  assert.equal(conditionText(c('<=', 21.5), 'Days', true), 'Days ≤ 21');
  assert.equal(conditionText(c('>', 5.5), 'Orders', true), 'Orders ≥ 6');
  assert.equal(conditionText(c('>', 1234.5678), 'Net spend', false), 'Net spend > 1,230');
  assert.equal(conditionText(c('<=', 0.12345), 'Share returned', false), 'Share returned ≤ 0.12');
});

test('mismatched inputs are named', () => {
  const { x, labels } = planted(100, 4);
  assert.throws(
    () => explainSegments(x, FEATURES.slice(1), labels, 3),
    /features has 2 entries for 3 columns/,
  );
  assert.throws(() => explainSegments(x, FEATURES, labels.subarray(1), 3), /labels has 99 entries/);
});
