// End-to-end tests of the CLI on generated data: outputs, planted segments, reproducibility, assign, bad input.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir, readCsv, ari } from './helpers.js';

const OUTPUTS = [
  'segments.csv',
  'segments.parquet',
  'profiles.json',
  'model.json',
  'quality.json',
  'run.json',
  'report.html',
  'segmint.duckdb',
];

describe('segmint demo', () => {
  let dir: string;
  before(() => {
    dir = join(tempDir(), 'demo');
    const r = cli(['demo', '--out', dir, '--customers', '1500', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', '--quiet prints nothing');
  });

  test('writes every output', () => {
    for (const f of OUTPUTS) assert.ok(existsSync(join(dir, f)), `${f} missing`);
    assert.ok(existsSync(join(dir, 'rejects', 'transactions.csv')));
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('.segmint-staging')),
      [],
      'no staging folder left',
    );
  });

  test('every input row is accounted for, and every customer with a purchase is segmented once', () => {
    const q = JSON.parse(readFileSync(join(dir, 'quality.json'), 'utf8')) as {
      balanced: boolean;
      inputs: {
        input: string;
        rows: number;
        used: number;
        rejected: number;
        rejectedByReason: Record<string, number>;
      }[];
    };
    assert.equal(q.balanced, true);
    for (const i of q.inputs) {
      assert.equal(i.used + i.rejected, i.rows, i.input);
      assert.equal(
        Object.values(i.rejectedByReason).reduce((a, b) => a + b, 0),
        i.rejected,
        i.input,
      );
    }
    // Independent count of customers with a purchase: raw transactions with an id, a positive quantity and price.
    const tx = readCsv(join(dir, 'data', 'transactions.csv'));
    const col = (n: string) => tx.header.indexOf(n);
    const buyers = new Set<string>();
    for (const r of tx.rows) {
      const id = r[col('CustomerID')]!;
      if (
        id &&
        !r[col('InvoiceNo')]!.startsWith('C') &&
        Number(r[col('Quantity')]) > 0 &&
        Number(r[col('UnitPrice')]) > 0
      )
        buyers.add(id);
    }
    const seg = readCsv(join(dir, 'segments.csv'));
    const ids = seg.rows.map((r) => r[0]!);
    assert.equal(new Set(ids).size, ids.length, 'each customer once');
    assert.deepEqual(new Set(ids), buyers);
    const rejectLines =
      readFileSync(join(dir, 'rejects', 'transactions.csv'), 'utf8')
        .trimEnd()
        .split('\n').length - 1;
    assert.equal(rejectLines, q.inputs[0]!.rejected);
  });

  test('k: auto finds the five planted segments, the criteria agree and every segment holds up', () => {
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as {
      result: {
        kSelection: { recommended: number; structure: string; votes: { criterion: string; k: number }[] };
      };
    };
    const sel = run.result.kSelection;
    assert.equal(sel.recommended, 5);
    assert.equal(sel.structure, 'clear');
    for (const c of ['elbow', 'silhouette', 'gap', 'stability'])
      assert.ok(
        sel.votes.some((v) => v.criterion === c),
        `${c} voted`,
      );
    const profiles = JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8')) as {
      segments: { stability: number; holdsUp: boolean }[];
    };
    for (const p of profiles.segments) {
      assert.ok(p.stability >= 0.75 && p.holdsUp, `segment stability ${p.stability}`);
    }
  });

  test('k chosen automatically finds the five planted segments', () => {
    const truth = new Map(readCsv(join(dir, 'data', 'truth.csv')).rows.map((x) => [x[0]!, x[1]!]));
    const seg = readCsv(join(dir, 'segments.csv')).rows;
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { model: { k: number } };
    assert.equal(model.model.k, 5);
    const score = ari(
      seg.map((x) => truth.get(x[0]!)!),
      seg.map((x) => x[1]!),
    );
    assert.ok(score >= 0.9, `ARI ${score.toFixed(3)} < 0.9`);
  });

  test('the demo reports its agreement with the planted segments', () => {
    const out = join(tempDir(), 'demo-talk');
    const r = cli(['demo', '--out', out, '--customers', '600', '--seed', '7']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /5 planted segments .* adjusted Rand index (0\.\d\d|1\.00)/s);
  });

  test('profiles and model are consistent with segments.csv', () => {
    const profiles = JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8')) as {
      segments: { segment: number; name: string; size: number }[];
    };
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
      model: { k: number; centroids: number[][] };
      features: { cluster: unknown[] };
    };
    const seg = readCsv(join(dir, 'segments.csv'));
    assert.deepEqual(seg.header.slice(0, 3), ['customer_id', 'segment', 'segment_name']);
    assert.equal(model.model.centroids.length, model.model.k);
    assert.equal(model.model.centroids[0]!.length, model.features.cluster.length);
    for (const p of profiles.segments) {
      const members = seg.rows.filter((r) => Number(r[1]) === p.segment);
      assert.equal(members.length, p.size);
      assert.ok(members.every((r) => r[2] === p.name));
    }
    assert.equal(
      new Set(profiles.segments.map((p) => p.name)).size,
      profiles.segments.length,
      'names are unique',
    );
    const withCategories = profiles as unknown as {
      segments: { categories: Record<string, [string, number][]> }[];
    };
    for (const p of withCategories.segments) {
      for (const [attribute, values] of Object.entries(p.categories)) {
        assert.equal(new Set(values.map((v) => v[0])).size, values.length, `${attribute} values listed once`);
      }
    }
  });

  test('a run is reproducible, and assign with the saved model reproduces its labels', () => {
    const a = join(tempDir(), 'a');
    const b = join(tempDir(), 'b');
    assert.equal(cli(['run', join(dir, 'segmint.yaml'), '--out', a, '--quiet']).code, 0);
    assert.equal(cli(['run', join(dir, 'segmint.yaml'), '--out', b, '--quiet', '--memory']).code, 0);
    assert.equal(
      readFileSync(join(a, 'segments.csv'), 'utf8'),
      readFileSync(join(b, 'segments.csv'), 'utf8'),
    );
    const assigned = join(tempDir(), 'assigned.csv');
    const data = join(dir, 'data');
    const r = cli([
      'assign',
      '--model',
      join(a, 'model.json'),
      '--transactions',
      join(data, 'transactions.csv'),
      '--customers',
      join(data, 'customers.csv'),
      '--events',
      join(data, 'events.csv'),
      '--out',
      assigned,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Assigned 1,\d{3} customers/);
    const x = readCsv(join(a, 'segments.csv')).rows.map((row) => row.slice(0, 3).join(','));
    const y = readCsv(assigned).rows.map((row) => row.slice(0, 3).join(','));
    assert.deepEqual(y, x);
  });
});

describe('segmentation methods end to end', () => {
  let dir: string;
  before(() => {
    dir = join(tempDir(), 'demo');
    const r = cli(['demo', '--out', dir, '--customers', '800', '--seed', '3', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
  });
  const data = () => join(dir, 'data');
  const assign = (model: string, out: string) =>
    cli([
      'assign',
      '--model',
      model,
      '--transactions',
      join(data(), 'transactions.csv'),
      '--customers',
      join(data(), 'customers.csv'),
      '--events',
      join(data(), 'events.csv'),
      '--out',
      out,
      '--quiet',
    ]);

  for (const method of ['gaussian-mixture', 'hdbscan', 'kprototypes']) {
    test(`--method ${method}: outputs agree with each other and assign reproduces the labels`, () => {
      const out = join(tempDir(), method);
      const r = cli(['run', join(dir, 'segmint.yaml'), '--method', method, '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`segments? with ${method} \\(`));
      const seg = readCsv(join(out, 'segments.csv'));
      const profiles = JSON.parse(readFileSync(join(out, 'profiles.json'), 'utf8')) as {
        segments: { segment: number; name: string; size: number; noise?: boolean }[];
      };
      const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as {
        model: { method: string; k: number };
      };
      assert.equal(model.model.method, method);
      // Every customer is in exactly one listed segment; segment 0 only for noise.
      assert.equal(
        profiles.segments.reduce((a, p) => a + p.size, 0),
        seg.rows.length,
      );
      for (const p of profiles.segments) {
        assert.equal(p.segment === 0, p.noise === true, `segment ${p.segment}`);
        assert.equal(seg.rows.filter((row) => Number(row[1]) === p.segment).length, p.size);
      }
      assert.equal(profiles.segments.filter((p) => !p.noise).length, model.model.k);
      const assigned = join(tempDir(), 'assigned.csv');
      const a = assign(join(out, 'model.json'), assigned);
      assert.equal(a.code, 0, a.stderr);
      const x = seg.rows.map((row) => row.slice(0, 3).join(','));
      const y = readCsv(assigned).rows.map((row) => row.slice(0, 3).join(','));
      if (method === 'hdbscan') {
        // Reference customers within reach: not the tree itself, so near-identical rather than identical.
        const same = x.filter((v, i) => v === y[i]).length;
        assert.ok(same / x.length > 0.9, `${same} of ${x.length} assigned as trained`);
      } else {
        assert.deepEqual(y, x);
      }
    });
  }

  test('dbscan puts planted-free noise in segment 0, named, and the report shows it', () => {
    const out = join(tempDir(), 'dbscan');
    const yaml = join(tempDir(), 'dbscan.yaml');
    writeFileSync(
      yaml,
      readFileSync(join(dir, 'segmint.yaml'), 'utf8')
        .replace(
          /segmentation:\n/,
          'segmentation:\n  method: dbscan\n  dbscan:\n    eps: 0.3\n    minSamples: 10\n',
        )
        .replace(/path: data\//g, `path: ${data()}/`)
        .replace(/dir: .*/, `dir: ${out}`),
    );
    const r = cli(['run', yaml]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /customers fit no segment and are listed as segment 0, "Outliers \(no segment\)"/);
    const seg = readCsv(join(out, 'segments.csv'));
    const noise = seg.rows.filter((row) => row[1] === '0');
    assert.ok(noise.length > 0);
    assert.ok(noise.every((row) => row[2] === 'Outliers (no segment)'));
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /Outliers \(no segment\)/);
  });

  test('settings for another method, or k with a density method, are named errors', () => {
    const yaml = join(tempDir(), 'bad.yaml');
    writeFileSync(
      yaml,
      readFileSync(join(dir, 'segmint.yaml'), 'utf8')
        .replace(/segmentation:\n/, 'segmentation:\n  method: kmeans\n  dbscan:\n    eps: 0.3\n')
        .replace(/path: data\//g, `path: ${data()}/`),
    );
    const r = cli(['run', yaml, '--out', join(tempDir(), 'never')]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /segmentation\.dbscan: these settings are for method dbscan, but method is kmeans/,
    );
    const k = cli([
      'run',
      join(dir, 'segmint.yaml'),
      '--method',
      'hdbscan',
      '--k',
      '4',
      '--out',
      join(tempDir(), 'x'),
    ]);
    assert.equal(k.code, 2);
    assert.match(k.stderr, /segmentation\.k: hdbscan finds the number of segments itself/);
    const m = cli(['run', join(dir, 'segmint.yaml'), '--method', 'kmedoids']);
    assert.equal(m.code, 2);
    assert.match(m.stderr, /kmedoids.*(choices|Allowed)/i);
  });
});

describe('bad input: a clear one-line error, exit 2, no output', () => {
  const tx =
    'InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n1,A,2024-01-02 10:00:00,1,5.0\n2,B,2024-01-03 10:00:00,2,3.5\n3,C,2024-02-01 09:00:00,1,8.0\n';

  function expectInputError(
    files: Record<string, string | Buffer>,
    args: (d: string) => string[],
    message: RegExp,
  ): void {
    const d = tempDir();
    for (const [name, content] of Object.entries(files)) writeFileSync(join(d, name), content);
    const out = join(d, 'out');
    const r = cli(args(d).concat(['--out', out]));
    assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(out), false, 'no output folder left behind');
  }

  test('missing file', () =>
    expectInputError(
      {},
      (d) => ['run', '--transactions', join(d, 'nope.csv')],
      /transactions file not found: .*nope\.csv/,
    ));
  test('empty file', () =>
    expectInputError({ 'tx.csv': '' }, (d) => ['run', '--transactions', join(d, 'tx.csv')], /is empty/));
  test('header only', () =>
    expectInputError(
      { 'tx.csv': 'CustomerID,InvoiceDate,Amount\n' },
      (d) => ['run', '--transactions', join(d, 'tx.csv')],
      /no data rows/,
    ));
  test('wrong delimiter', () =>
    expectInputError(
      { 'tx.csv': tx },
      (d) => ['run', '--transactions', join(d, 'tx.csv'), '--delimiter', ';'],
      /only one column was found: is the delimiter right\?/,
    ));
  test('missing column names the columns found and the closest match', () =>
    expectInputError(
      { 'tx.csv': tx.replace('CustomerID', 'Kunde_Nr') },
      (d) => ['run', '--transactions', join(d, 'tx.csv')],
      /no customer id column.*Columns found: InvoiceNo, Kunde_Nr, InvoiceDate/,
    ));
  test('garbage dates', () =>
    expectInputError(
      { 'tx.csv': 'CustomerID,InvoiceDate,Amount\nA,yesterday,5\nB,soon,6\nC,later,7\n' },
      (d) => ['run', '--transactions', join(d, 'tx.csv')],
      /cannot read dates in column "InvoiceDate" \(e\.g\. "yesterday"\)/,
    ));
  test('garbage amounts', () =>
    expectInputError(
      { 'tx.csv': 'CustomerID,InvoiceDate,Amount\nA,2024-01-01,five\nB,2024-01-02,six\n' },
      (d) => ['run', '--transactions', join(d, 'tx.csv')],
      /no usable transactions.*unparseable_amount: 2/,
    ));
  test('one customer only', () =>
    expectInputError(
      { 'tx.csv': 'CustomerID,InvoiceDate,Amount\nA,2024-01-01,5\nA,2024-02-01,6\n' },
      (d) => ['run', '--transactions', join(d, 'tx.csv')],
      /only 1 customer with a valid purchase/,
    ));
  test('k larger than the number of customers', () =>
    expectInputError(
      { 'tx.csv': tx },
      (d) => ['run', '--transactions', join(d, 'tx.csv'), '--k', '10'],
      /k is 10 but there are only 3 customers/,
    ));
  test('non-UTF-8 text', () =>
    expectInputError(
      {
        'tx.csv': Buffer.concat([
          Buffer.from('CustomerID,InvoiceDate,Amount,City\nA,2024-01-01,5,K'),
          Buffer.from([0xf6]),
          Buffer.from('ln\n'),
        ]),
      },
      (d) => ['run', '--transactions', join(d, 'tx.csv')],
      /not UTF-8 text: byte 0xf6 on line 2.*--encoding latin-1/,
    ));
  test('invalid config reports every problem with where it is', () => {
    const d = tempDir();
    writeFileSync(join(d, 'tx.csv'), tx);
    writeFileSync(
      join(d, 'segmint.yaml'),
      'transactions:\n  path: tx.csv\nsegmentation:\n  k: many\n  nInit: 0\nfeatures:\n  scaling: zscore\n',
    );
    const r = cli(['run', join(d, 'segmint.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /3 problems/);
    assert.match(r.stderr, /segmentation\.k/);
    assert.match(r.stderr, /segmentation\.nInit/);
    assert.match(r.stderr, /features\.scaling/);
  });
  test('unknown flag', () => {
    const r = cli(['run', '--transactions', 'x.csv', '--kk', '3']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--kk'/);
  });
  test('a failed run leaves an existing output folder as it was', () => {
    const d = tempDir();
    writeFileSync(join(d, 'tx.csv'), 'CustomerID,InvoiceDate,Amount\nA,2024-01-01,5\n');
    writeFileSync(join(d, 'keep.txt'), 'mine');
    const r = cli(['run', '--transactions', join(d, 'tx.csv'), '--out', d]);
    assert.equal(r.code, 2);
    assert.deepEqual(readdirSync(d).sort(), ['keep.txt', 'tx.csv']);
  });
});

describe('flags', () => {
  test('--help works for every command', () => {
    for (const c of [[], ['run'], ['evaluate'], ['assign'], ['quality'], ['demo']]) {
      const r = cli([...c, '--help']);
      assert.equal(r.code, 0, `${c.join(' ')} --help`);
      assert.match(r.stdout, /Usage: segmint/);
    }
  });
  test('quality reports a file without segmenting', () => {
    const d = tempDir();
    writeFileSync(
      join(d, 'tx.csv'),
      'CustomerID,InvoiceDate,Amount\nA,2024-01-01,5\nA,2024-01-01,5\n,2024-01-02,3\nB,bad,4\n',
    );
    const r = cli(['quality', join(d, 'tx.csv'), '--out', join(d, 'q')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /4 rows — 1 usable, 3 rejected/);
    const q = JSON.parse(readFileSync(join(d, 'q', 'quality.json'), 'utf8')) as {
      inputs: { rejectedByReason: Record<string, number> }[];
    };
    assert.deepEqual(q.inputs[0]!.rejectedByReason, {
      duplicate: 1,
      missing_customer_id: 1,
      unparseable_date: 1,
    });
  });
});

describe('segmint evaluate', () => {
  let dir: string;
  before(() => {
    dir = join(tempDir(), 'evaluate-demo');
    const r = cli(['demo', '--out', dir, '--customers', '1200', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
  });

  test('recommends the five planted segments, with a table of every criterion and the votes', () => {
    const out = join(dir, 'evaluation.json');
    const r = cli(['evaluate', join(dir, 'segmint.yaml'), '--k-max', '8', '--out', out], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /k-means/);
    assert.match(r.stdout, /silhouette/);
    assert.match(r.stdout, /gap/);
    assert.match(r.stdout, /Recommendation: k-means with k = 5/);
    const ev = JSON.parse(readFileSync(out, 'utf8')) as {
      best: { method: string; k: number };
      methods: {
        selection: { ks: number[]; structure: string; evaluations: { k: number; gap: number }[] };
      }[];
    };
    assert.deepEqual(ev.best, { ...ev.best, method: 'kmeans', k: 5 });
    assert.deepEqual(ev.methods[0]!.selection.ks, [2, 3, 4, 5, 6, 7, 8]);
    assert.equal(ev.methods[0]!.selection.structure, 'clear');
  });

  test('compares methods, prints JSON on request, and rejects a method without k', () => {
    const r = cli(
      [
        'evaluate',
        join(dir, 'segmint.yaml'),
        '--methods',
        'kmeans,gaussian-mixture',
        '--k-max',
        '6',
        '--json',
      ],
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    const ev = JSON.parse(r.stdout) as {
      methods: { method: string; selection: { votes: { criterion: string }[] } }[];
    };
    assert.deepEqual(
      ev.methods.map((m) => m.method),
      ['kmeans', 'gaussian-mixture'],
    );
    assert.ok(ev.methods[1]!.selection.votes.some((v) => v.criterion === 'bic'));
    const bad = cli(['evaluate', join(dir, 'segmint.yaml'), '--methods', 'kmeans,dbscan'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--methods: "dbscan" cannot be swept over k/);
  });

  test('says "no clear structure" on customers with uniform random attributes', () => {
    const d = tempDir();
    let rows = 'customer_id,a,b,c\n';
    let s = 12345;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 1500; i++)
      rows += `c${i},${rnd().toFixed(5)},${rnd().toFixed(5)},${rnd().toFixed(5)}\n`;
    writeFileSync(join(d, 'customers.csv'), rows);
    const r = cli(['evaluate', '--customers', join(d, 'customers.csv'), '--k-max', '6']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /no clear structure/);
  });
});
