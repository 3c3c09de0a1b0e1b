// method supervised end to end: the demo's planted segments given for 60 % of customers as a CRM field; the
// forest must predict the other 40 % as planted, report held-out accuracy, keep the known labels, and assign must
// give the unlabelled customers the same segments.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, readCsv, tempDir } from './helpers.js';
import { Random } from '../src/util/random.js';

describe('method supervised end to end', () => {
  let dir: string;
  let truth: Map<string, string>;
  const known = new Map<string, string>();
  before(() => {
    dir = join(tempDir(), 'demo');
    const r = cli(['demo', '--out', dir, '--customers', '1200', '--seed', '5', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    truth = new Map(readCsv(join(dir, 'data', 'truth.csv')).rows.map((row) => [row[0]!, row[1]!]));
    const { header, rows } = readCsv(join(dir, 'data', 'customers.csv'));
    const rng = new Random(9);
    const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const lines = [[...header, 'crm_segment'].join(',')];
    for (const row of rows) {
      const label = rng.next() < 0.6 ? truth.get(row[0]!)! : '';
      if (label) known.set(row[0]!, label);
      lines.push([...row, label].map(quote).join(','));
    }
    writeFileSync(join(dir, 'data', 'customers-crm.csv'), `${lines.join('\n')}\n`);
    writeFileSync(
      join(dir, 'supervised.yaml'),
      'transactions: { path: data/transactions.csv }\ncustomers: { path: data/customers-crm.csv }\n' +
        'segmentation:\n  method: supervised\n  supervised: { labelColumn: crm_segment, nEstimators: 50 }\n',
    );
  });

  test('predicts the unlabelled customers as planted and keeps the known labels; assign agrees', () => {
    const out = join(tempDir(), 'supervised');
    const r = cli(['run', join(dir, 'supervised.yaml'), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Held-out check: \d+\.\d% of \d+ labelled customers predicted right/);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
      result: { supervised: { accuracy: number; confusion: number[][]; test: number } };
    };
    const sv = run.result.supervised;
    assert.ok(sv.accuracy > 0.9, `held-out accuracy ${sv.accuracy}`);
    assert.equal(
      sv.confusion.flat().reduce((a, b) => a + b, 0),
      sv.test,
    );
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /How well the known segments are predicted/);
    assert.match(html, /Known against predicted, held-out customers/);
    const { header, rows } = readCsv(join(out, 'segments.csv'));
    const name = header.indexOf('segment_name');
    let right = 0;
    let unlabelled = 0;
    for (const row of rows) {
      const id = row[0]!;
      if (known.has(id)) assert.equal(row[name], known.get(id), `known label kept for ${id}`);
      else {
        unlabelled++;
        if (row[name] === truth.get(id)) right++;
      }
    }
    assert.ok(right / unlabelled > 0.9, `unlabelled predicted as planted: ${right} of ${unlabelled}`);

    const scored = join(tempDir(), 'scored.csv');
    const a = cli([
      'assign',
      '--model',
      join(out, 'model.json'),
      '--transactions',
      join(dir, 'data', 'transactions.csv'),
      '--customers',
      join(dir, 'data', 'customers-crm.csv'),
      '--out',
      scored,
      '--quiet',
    ]);
    assert.equal(a.code, 0, a.stderr);
    const again = new Map(readCsv(scored).rows.map((row) => [row[0]!, row[2]!]));
    for (const row of rows) if (!known.has(row[0]!)) assert.equal(again.get(row[0]!), row[name]);
  });

  test('a missing label column is named', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      readFileSync(join(dir, 'supervised.yaml'), 'utf8').replace('crm_segment', 'crm_segmnt'),
    );
    const r = cli(['run', bad, '--out', join(tempDir(), 'x')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /labelColumn: the customers file has no column "crm_segmnt"/);
  });
});
