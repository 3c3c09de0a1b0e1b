// Customer value end to end on demo data with planted segments: the value columns in segments.csv, the value
// methods (rfm, predictive, composite) as segmentations, assign reproducing them, and the planted groups landing
// where their behaviour says they should.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { cli, readCsv, tempDir } from './helpers.js';

/** The default RFM map as the issue lists it, written out independently of src/value/rfm-map.ts. */
const EXPECTED_MAP: [string, [number, number], [number, number]][] = [
  ['Champions', [5, 5], [4, 5]],
  ['Loyal Customers', [3, 4], [4, 5]],
  ['Potential Loyalists', [4, 5], [2, 3]],
  ['New Customers', [5, 5], [1, 1]],
  ['Promising', [4, 4], [1, 1]],
  ['Need Attention', [3, 3], [3, 3]],
  ['About to Sleep', [3, 3], [1, 2]],
  ["Can't Lose Them", [1, 2], [5, 5]],
  ['At Risk', [1, 2], [3, 4]],
  ['Hibernating', [2, 2], [1, 2]],
  ['Lost', [1, 1], [1, 2]],
];

function expectedName(r: number, f: number): string {
  const hit = EXPECTED_MAP.find(([, rr, ff]) => r >= rr[0] && r <= rr[1] && f >= ff[0] && f <= ff[1]);
  return hit ? hit[0] : '';
}

describe('customer value end to end', () => {
  let dir: string;
  let truth: Map<string, string>;
  before(() => {
    dir = join(tempDir(), 'demo');
    const r = cli(['demo', '--out', dir, '--customers', '1500', '--seed', '11', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    truth = new Map(readCsv(join(dir, 'data', 'truth.csv')).rows.map((row) => [row[0]!, row[1]!]));
  });
  const data = (f: string) => join(dir, 'data', f);
  /** Scores the demo data with a saved model; returns the scored file. */
  const assign = (model: string, name: string): string => {
    const file = join(tempDir(), name);
    const a = cli([
      'assign',
      '--model',
      model,
      '--transactions',
      data('transactions.csv'),
      '--customers',
      data('customers.csv'),
      '--events',
      data('events.csv'),
      '--out',
      file,
      '--quiet',
    ]);
    assert.equal(a.code, 0, a.stderr);
    return file;
  };
  const col = (h: string[], name: string) => {
    const i = h.indexOf(name);
    assert.ok(i >= 0, `segments.csv has no column ${name} (has ${h.join(', ')})`);
    return i;
  };

  test('segments.csv carries RFM scores, the named segment, P(alive) and predicted CLV beside k-means', () => {
    const out = join(tempDir(), 'kmeans');
    const r = cli(['run', join(dir, 'segmint.yaml'), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Lifetime value \(BG\/NBD\): predicted 12-month value/);
    assert.match(r.stdout, /holdout check: fitted up to \d{4}-\d\d-\d\d/);
    const { header, rows } = readCsv(join(out, 'segments.csv'));
    const [rc, fc, mc, cell, name, alive, clv, rec, freq] = [
      'r_score',
      'f_score',
      'm_score',
      'rfm_cell',
      'rfm_segment',
      'p_alive',
      'predicted_clv',
      'recency_days',
      'frequency',
    ].map((c) => col(header, c));
    for (const row of rows) {
      const r5 = Number(row[rc!]);
      const f5 = Number(row[fc!]);
      const m5 = Number(row[mc!]);
      for (const s of [r5, f5, m5]) assert.ok(Number.isInteger(s) && s >= 1 && s <= 5, `score ${s}`);
      assert.equal(row[cell!], `${r5}${f5}${m5}`);
      assert.equal(row[name!], expectedName(r5, f5), `R${r5} F${f5}`);
      const p = Number(row[alive!]);
      assert.ok(p >= 0 && p <= 1, `p_alive ${p}`);
      assert.ok(Number(row[clv!]) >= 0, `predicted_clv ${row[clv!]}`);
    }
    // Scores follow the data: more recent never scores lower on R, more orders never lower on F.
    const byRecency = [...rows].sort((a, b) => Number(a[rec!]) - Number(b[rec!]));
    for (let i = 1; i < byRecency.length; i++)
      assert.ok(Number(byRecency[i]![rc!]) <= Number(byRecency[i - 1]![rc!]));
    const byFrequency = [...rows].sort((a, b) => Number(a[freq!]) - Number(b[freq!]));
    for (let i = 1; i < byFrequency.length; i++)
      assert.ok(Number(byFrequency[i]![fc!]) >= Number(byFrequency[i - 1]![fc!]));
    // The report draws the value section.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /Customer value/);
    // Every segment is explained by rules; the rules' tree reproduces most of the segmentation (issue 6).
    const profiles = JSON.parse(readFileSync(join(out, 'profiles.json'), 'utf8')) as {
      rules: { fidelity: number };
      segments: { name: string; rules?: { text: string; coverage: number; precision: number }[] }[];
    };
    assert.ok(profiles.rules.fidelity > 0.8, `fidelity ${profiles.rules.fidelity}`);
    for (const s of profiles.segments) {
      assert.ok((s.rules ?? []).length > 0, `${s.name} has a rule`);
      for (const r of s.rules!) assert.ok(r.coverage > 0 && r.precision > 0.5, `${s.name}: ${r.text}`);
    }
    assert.match(html, /Who is in it/);
    assert.match(html, /Depends most on: /);
    // Personas (issue 6): one per segment, each with an action, in personas.json, personas.md and the report.
    const personas = JSON.parse(readFileSync(join(out, 'personas.json'), 'utf8')) as {
      name: string;
      action: { name: string };
    }[];
    assert.equal(personas.length, profiles.segments.length);
    const md = readFileSync(join(out, 'personas.md'), 'utf8');
    for (const p of personas) {
      assert.ok(p.action.name.length > 0, p.name);
      assert.ok(md.includes(p.name), `personas.md names ${p.name}`);
    }
    assert.match(html, /id="personas"/);
  });

  test('method rfm: planted groups land in the RFM segments their behaviour implies; assign reproduces them', () => {
    const out = join(tempDir(), 'rfm');
    const r = cli(['run', join(dir, 'segmint.yaml'), '--method', 'rfm', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /with rfm \(\d+ named segments of the RFM map/);
    const { header, rows } = readCsv(join(out, 'segments.csv'));
    const id = col(header, 'customer_id');
    const name = col(header, 'segment_name');
    const rfmName = col(header, 'rfm_segment');
    const share = (planted: string, names: string[]) => {
      const mine = rows.filter((row) => truth.get(row[id]!) === planted);
      return mine.filter((row) => names.includes(row[name]!)).length / mine.length;
    };
    for (const row of rows) assert.equal(row[name], row[rfmName]);
    // Planted champions buy often and recently; hibernating bargain hunters neither; at-risk big spenders bought
    // often but long ago; new customers only recently.
    assert.ok(share('Champions', ['Champions', 'Loyal Customers']) > 0.8, 'champions');
    assert.ok(
      share('Hibernating bargain hunters', ['Hibernating', 'Lost', 'About to Sleep']) > 0.7,
      'hibernating',
    );
    // At-risk big spenders bought often but months ago: over half are named At Risk or Can't Lose Them (the rest,
    // with hibernating customers filling the lowest recency quintiles, score R3), and they are over-represented
    // there at least twice their 15 % share.
    assert.ok(share('At-risk big spenders', ['At Risk', "Can't Lose Them"]) > 0.5, 'at risk');
    const named = rows.filter((row) => ['At Risk', "Can't Lose Them"].includes(row[name]!));
    const atRiskShare =
      named.filter((row) => truth.get(row[id]!) === 'At-risk big spenders').length / named.length;
    assert.ok(atRiskShare > 0.3, `planted at-risk share of At Risk / Can't Lose Them: ${atRiskShare}`);
    assert.ok(
      share('New customers', [
        'New Customers',
        'Promising',
        'Potential Loyalists',
        'Need Attention',
        'About to Sleep',
      ]) > 0.7,
      'new',
    );
    const profiles = JSON.parse(readFileSync(join(out, 'profiles.json'), 'utf8')) as {
      segments: { segment: number; name: string; size: number; description?: string }[];
    };
    assert.equal(
      profiles.segments.reduce((a, s) => a + s.size, 0),
      rows.length,
    );
    for (const s of profiles.segments) assert.ok((s.description ?? '').length > 10, s.name);
    const assigned = assign(join(out, 'model.json'), 'assigned.csv');
    const again = readCsv(assigned);
    assert.deepEqual(
      again.rows.map((row) => row.slice(0, 3).join(',')),
      rows.map((row) => row.slice(0, 3).join(',')),
    );
    assert.deepEqual(
      again.rows.map((row) => row[col(again.header, 'predicted_clv')]),
      rows.map((row) => row[col(header, 'predicted_clv')]),
    );
  });

  test('method predictive: at-risk big spenders are "at risk", champions are active and high value', () => {
    const out = join(tempDir(), 'predictive');
    const r = cli(['run', join(dir, 'segmint.yaml'), '--method', 'predictive', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const { header, rows } = readCsv(join(out, 'segments.csv'));
    const id = col(header, 'customer_id');
    const name = col(header, 'segment_name');
    const alive = col(header, 'p_alive');
    const mean = (planted: string) => {
      const mine = rows.filter((row) => truth.get(row[id]!) === planted);
      return mine.reduce((a, row) => a + Number(row[alive]), 0) / mine.length;
    };
    assert.ok(mean('Champions') > 0.8, `champions P(alive) ${mean('Champions')}`);
    assert.ok(mean('At-risk big spenders') < mean('Loyal regulars'), 'at risk below loyal');
    const champions = rows.filter((row) => truth.get(row[id]!) === 'Champions');
    const highActive =
      champions.filter((row) => row[name] === 'High value, active').length / champions.length;
    assert.ok(highActive > 0.7, `champions high value and active: ${highActive}`);
    const atRisk = rows.filter((row) => truth.get(row[id]!) === 'At-risk big spenders');
    assert.ok(atRisk.filter((row) => row[name]!.endsWith('at risk')).length / atRisk.length > 0.5);
  });

  test('method composite: bands follow the weighted score; a bad feature name is a clear error', () => {
    // Next to the demo's own config, so its relative data paths resolve.
    const cfgPath = join(dir, 'composite.yaml');
    const base = readFileSync(join(dir, 'segmint.yaml'), 'utf8');
    const out = join(tempDir(), 'composite');
    writeFileSync(
      cfgPath,
      `${base.replace(/segmentation:[\s\S]*?(?=\n\S|$)/, '')}\nsegmentation:\n  method: composite\nvalue:\n  composite:\n    weights: { monetary: 2, frequency: 1, recency_days: -1 }\n    quantiles: [0.5, 0.9]\n    names: [Low, Middle, Top]\n`,
    );
    const r = cli(['run', cfgPath, '--out', out]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const { header, rows } = readCsv(join(out, 'segments.csv'));
    const score = col(header, 'composite_score');
    const name = col(header, 'segment_name');
    const sorted = [...rows].sort((a, b) => Number(a[score]) - Number(b[score]));
    const rank = { Low: 0, Middle: 1, Top: 2 } as Record<string, number>;
    for (let i = 1; i < sorted.length; i++)
      assert.ok(rank[sorted[i]![name]!]! >= rank[sorted[i - 1]![name]!]!, 'bands follow the score');
    const top = rows.filter((row) => row[name] === 'Top').length / rows.length;
    assert.ok(Math.abs(top - 0.1) < 0.03, `top band share ${top}`);

    writeFileSync(cfgPath, readFileSync(cfgPath, 'utf8').replace('frequency: 1', 'freqency: 1'));
    const bad = cli(['run', cfgPath, '--out', join(tempDir(), 'bad')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /value\.composite\.weights names "freqency", not a feature/);
    assert.ok(!existsSync(join(tempDir(), 'bad', 'segments.csv')));
  });

  test('value columns are features: k-means on P(alive) and predicted CLV, reproduced by assign', () => {
    const cfgPath = join(dir, 'value-features.yaml');
    const base = readFileSync(join(dir, 'segmint.yaml'), 'utf8');
    writeFileSync(
      cfgPath,
      `${base.replace(/segmentation:[\s\S]*?(?=\n\S|$)/, '')}\nfeatures:\n  cluster: [p_alive, predicted_clv, r_score]\nsegmentation:\n  k: 3\npersonas:\n  names: { 2: Our middle group }\n`,
    );
    const out = join(tempDir(), 'value-features');
    const r = cli(['run', cfgPath, '--out', out]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const profiles = JSON.parse(readFileSync(join(out, 'profiles.json'), 'utf8')) as {
      features: { name: string; source: string; clustered: boolean }[];
      segments: { features: Record<string, { mean: number }> }[];
    };
    const clustered = profiles.features.filter((f) => f.clustered).map((f) => f.name);
    // A name from the config replaces the generated one.
    assert.equal(
      (profiles.segments as unknown as { segment: number; name: string }[]).find((s) => s.segment === 2)
        ?.name,
      'Our middle group',
    );
    assert.deepEqual(clustered.sort(), ['p_alive', 'predicted_clv', 'r_score']);
    assert.ok(
      profiles.features.every(
        (f) =>
          f.source !== 'value' ||
          ['p_alive', 'predicted_clv', 'r_score', 'f_score', 'm_score', 'expected_purchases'].includes(
            f.name,
          ),
      ),
    );
    // Segments differ in predicted value: the means are not all equal.
    const means = profiles.segments.map((s) => s.features['predicted_clv']!.mean);
    assert.ok(Math.max(...means) > 2 * Math.min(...means), `CLV means ${means.join(', ')}`);
    const assigned = assign(join(out, 'model.json'), 'assigned-value.csv');
    assert.deepEqual(
      readCsv(assigned).rows.map((row) => row.slice(0, 2).join(',')),
      readCsv(join(out, 'segments.csv')).rows.map((row) => row.slice(0, 2).join(',')),
    );
  });

  test('config errors name the value setting', () => {
    const cfgPath = join(dir, 'bad.yaml');
    const base = readFileSync(join(dir, 'segmint.yaml'), 'utf8');
    writeFileSync(
      cfgPath,
      `${base.replace(/segmentation:[\s\S]*?(?=\n\S|$)/, '')}\nsegmentation:\n  method: rfm\n  k: 4\nvalue:\n  clv:\n    model: none\n`,
    );
    const r = cli(['run', cfgPath, '--out', join(tempDir(), 'x')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /segmentation\.k/);
    assert.match(r.stderr, /rfm segments come from its rules/);
  });
});
