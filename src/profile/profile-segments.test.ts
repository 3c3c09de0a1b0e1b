// profileSegments: sizes, shares, means, medians, lift and z equal a plain re-computation on a hand-made table.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DuckDBEngine } from '../engine/index.js';
import type { FeatureDef } from '../features/index.js';
import { profileSegments } from './profile-segments.js';

function close(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );
}

// customer, segment (0-based), recency_days, monetary, frequency, country (undefined = not in the table)
const DATA: [string, number, number, number, number, string | undefined][] = [
  ['1', 0, 10, 1000, 10, 'UK'],
  ['2', 0, 20, 800, 8, 'UK'],
  ['3', 0, 30, 600, 6, 'FR'],
  ['4', 1, 200, 50, 1, 'DE'],
  ['5', 1, 300, 20, 1, undefined],
  ['6', 1, 250, 30, 2, 'DE'],
];
const FEATURES: FeatureDef[] = [
  { name: 'recency_days', label: 'Days since last purchase', source: 'behaviour' },
  { name: 'monetary', label: 'Net spend', source: 'behaviour' },
  { name: 'frequency', label: 'Orders', source: 'behaviour' },
];
const LOG1P = ['recency_days', 'monetary', 'frequency'];

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sdPop = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const log1p = (x: number) => Math.sign(x) * Math.log(1 + Math.abs(x));

describe('profileSegments', () => {
  it('sizes, shares, revenue, means, medians, lift, z, categories, flags and names', async () => {
    const e = await DuckDBEngine.open({ path: ':memory:' });
    try {
      const pos = Int32Array.from(DATA, (_, i) => i);
      await e.createTable('features', [
        { name: '_pos', kind: 'int32', values: pos },
        { name: 'customer_id', kind: 'text', values: DATA.map((r) => r[0]) },
        { name: 'recency_days', kind: 'double', values: Float64Array.from(DATA.map((r) => r[2])) },
        { name: 'monetary', kind: 'double', values: Float64Array.from(DATA.map((r) => r[3])) },
        { name: 'frequency', kind: 'double', values: Float64Array.from(DATA.map((r) => r[4])) },
      ]);
      await e.createTable('segment_labels', [
        { name: '_pos', kind: 'int32', values: pos },
        { name: 'segment', kind: 'int32', values: Int32Array.from(DATA.map((r) => r[1])) },
      ]);
      const withCountry = DATA.filter((r) => r[5] !== undefined);
      await e.createTable('cust_country', [
        { name: 'customer_id', kind: 'text', values: withCountry.map((r) => r[0]) },
        { name: 'country', kind: 'text', values: withCountry.map((r) => r[5]!) },
      ]);

      const p = await profileSegments(e, {
        features: FEATURES,
        log1p: LOG1P,
        categories: [{ attribute: 'Country', table: 'cust_country', column: 'country' }],
        asOf: '2011-12-10',
        k: 3, // segment 3 is empty
      });

      assert.equal(p.asOf, '2011-12-10');
      assert.equal(p.customers, 6);
      assert.equal(p.revenue, 2500);
      assert.equal(p.segments.length, 3);
      assert.deepEqual(
        p.segments.map((s) => [s.segment, s.size, s.revenue]),
        [
          [1, 3, 2400],
          [2, 3, 100],
          [3, 0, 0],
        ],
      );
      close(p.segments[0]!.share, 0.5, 'share');
      close(p.segments[0]!.revenueShare, 0.96, 'revenue share');
      close(p.segments[1]!.revenueShare, 0.04, 'revenue share');

      FEATURES.forEach((f, j) => {
        const all = DATA.map((r) => r[2 + j] as number);
        close(p.overall[f.name]!.mean, mean(all), `${f.name} overall mean`);
        close(p.overall[f.name]!.median, median(all), `${f.name} overall median`);
        close(p.overall[f.name]!.sd, sdPop(all), `${f.name} overall sd`);
        const tAll = all.map(log1p);
        for (const s of [0, 1]) {
          const v = DATA.filter((r) => r[1] === s).map((r) => r[2 + j] as number);
          const st = p.segments[s]!.features[f.name]!;
          close(st.mean, mean(v), `${f.name} seg ${s} mean`);
          close(st.median, median(v), `${f.name} seg ${s} median`);
          close(st.lift, mean(v) / mean(all), `${f.name} seg ${s} lift`);
          close(st.z, (mean(v.map(log1p)) - mean(tAll)) / sdPop(tAll), `${f.name} seg ${s} z`);
          // Cohen's d against the rest, pooled population SDs, computed directly.
          const tv = v.map(log1p);
          const rest = DATA.filter((r) => r[1] !== s).map((r) => log1p(r[2 + j] as number));
          const pooled = Math.sqrt(
            (tv.length * sdPop(tv) ** 2 + rest.length * sdPop(rest) ** 2) / tAll.length,
          );
          close(st.smd, (mean(tv) - mean(rest)) / pooled, `${f.name} seg ${s} smd`);
        }
      });

      // Distinctive features: |z| ≥ 0.25, strongest first, with the direction.
      for (const s of p.segments.slice(0, 2)) {
        const zs = s.distinctive.map((d) => Math.abs(d.z));
        assert.deepEqual(
          zs,
          [...zs].sort((a, b) => b - a),
        );
        for (const d of s.distinctive) assert.equal(d.direction, d.z > 0 ? 'higher' : 'lower');
      }
      assert.equal(p.segments[0]!.distinctive.find((d) => d.feature === 'recency_days')?.direction, 'lower');

      assert.deepEqual(
        p.segments[0]!.categories['Country']?.map(([v]) => v),
        ['UK', 'FR'],
      );
      close(p.segments[0]!.categories['Country']![0]![1], 2 / 3, 'UK share');
      assert.deepEqual(
        p.segments[1]!.categories['Country']?.map(([v]) => v),
        ['DE', '(missing)'],
      );

      assert.deepEqual(p.segments[0]!.flags, ['small segment (3 customers)']);
      assert.deepEqual(p.segments[2]!.flags, ['small segment (0 customers)']);

      // Segment 1 is recent and valuable, segment 2 lapsed and low-value.
      assert.match(p.segments[0]!.name, /^Recent (high spenders|frequent buyers)$/);
      assert.match(p.segments[1]!.name, /^Lapsed (low spenders|one-off buyers)$/);
      assert.equal(new Set(p.segments.map((s) => s.name)).size, 3);
    } finally {
      await e.close();
    }
  });
});
