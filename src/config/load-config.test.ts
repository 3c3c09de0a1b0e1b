// Config loading: defaults filled in, every problem reported at once with where it is, YAML errors with their
// line, and input paths taken relative to the config's folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { InputError, type Problem } from '../util/errors.js';
import { loadConfig, parseConfig } from './load-config.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'segmint-config-'));
  mkdirSync(join(dir, 'project', 'conf'), { recursive: true });
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function yaml(name: string, text: string): string {
  const p = join(dir, 'project', 'conf', name);
  writeFileSync(p, text);
  return p;
}

/** The problems of the InputError `fn` throws (or its promise rejects with). */
async function problemsOf(fn: () => unknown): Promise<{ message: string; problems: Problem[] }> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    return { message: e.message, problems: e.problems };
  }
  assert.fail('expected an InputError');
}

describe('parseConfig', () => {
  it('fills in the documented defaults', () => {
    const c = parseConfig({ transactions: { path: 'tx.csv' } }, 'flags');
    assert.equal(c.transactions?.path, 'tx.csv');
    assert.deepEqual(c.transactions?.columns, {});
    assert.deepEqual(c.quality, {
      duplicates: 'drop',
      cancellations: 'net',
      zeroAmounts: 'drop',
      negativePrices: 'drop',
      minDate: '1990-01-01',
      excludeProducts: [],
      outliers: { fence: 3, action: 'keep' },
    });
    assert.equal(c.features.scaling, 'standard');
    assert.equal(c.features.maxCategories, 12);
    assert.equal(c.segmentation.k, 'auto');
    assert.equal(c.segmentation.seed, 42);
    assert.deepEqual(c.output, { dir: 'segmint-out', memory: false, report: true, keepTransactions: false });
    assert.deepEqual(c.engine, {});
  });

  it('reports several problems at once, each with its path', async () => {
    const { message, problems } = await problemsOf(() =>
      parseConfig(
        {
          transactions: { path: 'a.csv', delimter: ';' },
          features: { scaling: 'zscore' },
          segmentation: { k: 0, nInit: 2.5 },
        },
        'segmint.yaml',
      ),
    );
    const where = problems.map((p) => p.where).sort();
    assert.deepEqual(where, ['features.scaling', 'segmentation.k', 'segmentation.nInit', 'transactions']);
    assert.match(message, /^segmint\.yaml has 4 problems: /);
    assert.match(problems.find((p) => p.where === 'transactions')!.message, /delimter/);
    assert.match(problems.find((p) => p.where === 'features.scaling')!.message, /standard.*robust.*minmax/);
    for (const p of problems)
      assert.ok(message.includes(`${p.where}: ${p.message}`), `message lists ${p.where}`);
  });

  it('an unknown top-level key is reported at "(top level)"', async () => {
    const { problems } = await problemsOf(() =>
      parseConfig({ transactions: { path: 'a.csv' }, segmentaton: {} }, 'x'),
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.where, '(top level)');
    assert.match(problems[0]!.message, /segmentaton/);
  });

  it('cross-field checks: kMin above kMax and a date that is not a date, both reported', async () => {
    const { message, problems } = await problemsOf(() =>
      parseConfig(
        {
          transactions: { path: 'a.csv' },
          segmentation: { kMin: 6, kMax: 3 },
          features: { asOf: 'next tuesday' },
        },
        'segmint.yaml',
      ),
    );
    assert.deepEqual(problems.map((p) => p.where).sort(), ['features.asOf', 'segmentation.kMin']);
    assert.match(message, /kMin \(6\) is larger than kMax \(3\)/);
    assert.match(message, /"next tuesday" is not a date/);
  });

  it('cross-field problems are reported together with field problems', {}, async () => {
    const { problems } = await problemsOf(() =>
      parseConfig(
        {
          transactions: { path: 'a.csv' },
          features: { scaling: 'zscore' },
          segmentation: { kMin: 6, kMax: 3 },
          quality: { maxDate: 'soon' },
        },
        'segmint.yaml',
      ),
    );
    assert.deepEqual(problems.map((p) => p.where).sort(), [
      'features.scaling',
      'quality.maxDate',
      'segmentation.kMin',
    ]);
  });

  it('a range error or an unknown key does not hide the cross-field checks', async () => {
    const { problems } = await problemsOf(() =>
      parseConfig(
        { transactions: { path: 'a.csv', delimter: ';' }, segmentation: { k: 0, kMin: 6, kMax: 3 } },
        'segmint.yaml',
      ),
    );
    assert.deepEqual(problems.map((p) => p.where).sort(), [
      'segmentation.k',
      'segmentation.kMin',
      'transactions',
    ]);
  });

  it('no input at all is a problem', async () => {
    const { problems } = await problemsOf(() => parseConfig({}, 'x'));
    assert.ok(
      problems.some((p) => p.where === 'transactions'),
      JSON.stringify(problems),
    );
  });
});

describe('loadConfig', () => {
  it('relative input paths and the output folder are resolved against the config folder; absolute ones kept', async () => {
    const p = yaml(
      'ok.yaml',
      [
        'transactions:',
        '  path: ../data/tx.csv',
        'customers:',
        '  path: /abs/customers.csv',
        'events:',
        '  path: events.ndjson',
        'output:',
        '  dir: out',
        '',
      ].join('\n'),
    );
    const c = await loadConfig(p);
    assert.equal(c.transactions?.path, join(dir, 'project', 'data', 'tx.csv'));
    assert.equal(c.customers?.path, '/abs/customers.csv');
    assert.equal(c.events?.path, join(dir, 'project', 'conf', 'events.ndjson'));
    assert.equal(c.output.dir, join(dir, 'project', 'conf', 'out'));
  });

  it('the default output folder is also next to the config', async () => {
    const c = await loadConfig(yaml('default-out.yaml', 'transactions:\n  path: tx.csv\n'));
    assert.equal(c.output.dir, join(dir, 'project', 'conf', 'segmint-out'));
  });

  it('a YAML syntax error names the file and line (duplicate key on line 5)', async () => {
    const p = yaml(
      'dup.yaml',
      'transactions:\n  path: a.csv\nquality:\n  duplicates: keep\nquality:\n  zeroAmounts: keep\n',
    );
    const { message, problems } = await problemsOf(() => loadConfig(p));
    assert.match(message, /is not valid YAML/);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.where, `${p}:5`);
    assert.match(problems[0]!.message, /unique/i);
  });

  it('a YAML syntax error names the line (tab indentation on line 3)', async () => {
    const p = yaml('tab.yaml', 'transactions:\n  path: a.csv\n\tdelimiter: ";"\n');
    const { problems } = await problemsOf(() => loadConfig(p));
    assert.equal(problems[0]?.where, `${p}:3`);
    assert.match(problems[0]!.message, /tab/i);
  });

  it('validation problems name the config file and every path', async () => {
    const p = yaml('invalid.yaml', 'transactions:\n  path: a.csv\nsegmentation:\n  k: 0\n  nInit: -1\n');
    const { message, problems } = await problemsOf(() => loadConfig(p));
    assert.ok(message.startsWith(`${p} has 2 problems: `), message);
    assert.deepEqual(problems.map((x) => x.where).sort(), ['segmentation.k', 'segmentation.nInit']);
  });

  it('a list or an empty file is not a config', async () => {
    await assert.rejects(loadConfig(yaml('list.yaml', '- a\n- b\n')), /must be a YAML mapping/);
    await assert.rejects(loadConfig(yaml('empty.yaml', '')), /must be a YAML mapping/);
  });

  it('a missing config file is an InputError', async () => {
    const { message } = await problemsOf(() => loadConfig(join(dir, 'nope.yaml')));
    assert.match(message, /^config file not found: .*nope\.yaml/);
  });
});
