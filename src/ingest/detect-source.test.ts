// detectSource + loadRawTable: every supported file shape is detected and read back to the values written, and
// bad files fail with an InputError a person can act on.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';

import { DuckDBEngine } from '../engine/index.js';
import { InputError } from '../util/errors.js';
import { detectSource } from './detect-source.js';
import { loadRawTable } from './load-table.js';

process.env['TZ'] = 'UTC';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'segmint-detect-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const withEngine = <T>(fn: (e: DuckDBEngine) => Promise<T>): Promise<T> => DuckDBEngine.using(fn);

/** Every data row of a raw table as plain strings, in read order, without `_row`. */
async function rawRows(e: DuckDBEngine, table: string): Promise<Record<string, string | null>[]> {
  const rows = await e.query(`SELECT * FROM ${e.dialect.quoteIdent(table)} ORDER BY _row`);
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r)
        .filter(([k]) => k !== '_row')
        .map(([k, v]) => [k, v === null ? null : String(v)]),
    ),
  );
}

const EXPECTED = [
  { id: '1', name: 'a', amount: '2.5' },
  { id: '2', name: 'b', amount: '3' },
];

/** An InputError whose message matches every pattern. */
function inputError(...patterns: RegExp[]): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  };
}

describe('detectSource: CSV dialects', () => {
  const cases: { name: string; content: string | Buffer; delimiter: string; compression: 'none' | 'gzip' }[] =
    [
      { name: 'comma.csv', content: 'id,name,amount\n1,a,2.5\n2,b,3\n', delimiter: ',', compression: 'none' },
      { name: 'semi.csv', content: 'id;name;amount\n1;a;2.5\n2;b;3\n', delimiter: ';', compression: 'none' },
      {
        name: 'tab.txt',
        content: 'id\tname\tamount\n1\ta\t2.5\n2\tb\t3\n',
        delimiter: '\t',
        compression: 'none',
      },
      {
        name: 'tab.tsv',
        content: 'id\tname\tamount\n1\ta\t2.5\n2\tb\t3\n',
        delimiter: '\t',
        compression: 'none',
      },
      {
        name: 'gz.csv.gz',
        content: gzipSync('id,name,amount\n1,a,2.5\n2,b,3\n'),
        delimiter: ',',
        compression: 'gzip',
      },
      {
        name: 'gz.tsv.gz',
        content: gzipSync('id\tname\tamount\n1\ta\t2.5\n2\tb\t3\n'),
        delimiter: '\t',
        compression: 'gzip',
      },
    ];
  for (const c of cases) {
    it(`${c.name}: delimiter ${JSON.stringify(c.delimiter)}, ${c.compression}, values read back`, () =>
      withEngine(async (e) => {
        const path = file(c.name, c.content);
        const src = await detectSource(e, path, 'transactions');
        assert.equal(src.format, 'csv');
        assert.equal(src.compression, c.compression);
        assert.equal(src.csv?.delimiter, c.delimiter);
        assert.equal(src.csv?.header, true);
        assert.equal(src.csv?.encoding, 'utf-8');
        const raw = await loadRawTable(e, 'raw', src, 'transactions');
        assert.deepEqual(
          raw.columns.map((col) => col.name),
          ['id', 'name', 'amount'],
        );
        assert.ok(
          raw.columns.every((col) => col.type === 'VARCHAR'),
          'CSV columns arrive as text',
        );
        assert.equal(raw.rows, 2);
        assert.equal(raw.malformed, 0);
        assert.deepEqual(await rawRows(e, 'raw'), EXPECTED);
      }));
  }

  it('UTF-8 with a byte-order mark: the first column name has no BOM and accents survive', () =>
    withEngine(async (e) => {
      const path = file('bom.csv', '\uFEFFid,name\n1,café\n2,b\n');
      const src = await detectSource(e, path, 'customers');
      assert.equal(src.csv?.encoding, 'utf-8');
      const raw = await loadRawTable(e, 'raw', src, 'customers');
      assert.deepEqual(
        raw.columns.map((c) => c.name),
        ['id', 'name'],
      );
      assert.deepEqual(await rawRows(e, 'raw'), [
        { id: '1', name: 'café' },
        { id: '2', name: 'b' },
      ]);
    }));

  it('quoted fields with the delimiter inside are one field', () =>
    withEngine(async (e) => {
      const path = file('quoted.csv', 'id,name,amount\n1,"Smith, J",2.5\n2,"say ""hi""",3\n3,c,4\n');
      const raw = await loadRawTable(e, 'raw', await detectSource(e, path, 'transactions'), 'transactions');
      const rows = await rawRows(e, 'raw');
      assert.equal(raw.rows, 3);
      assert.equal(rows[0]?.['name'], 'Smith, J');
      assert.equal(rows[1]?.['name'], 'say "hi"');
    }));

  it('a user-forced delimiter wins over the sniffer', () =>
    withEngine(async (e) => {
      const path = file('forced.csv', 'id;name,x\n1;a,b\n2;c,d\n');
      const src = await detectSource(e, path, 'transactions', { delimiter: ';' });
      assert.equal(src.csv?.delimiter, ';');
      const raw = await loadRawTable(e, 'raw', src, 'transactions');
      assert.deepEqual(
        raw.columns.map((c) => c.name),
        ['id', 'name,x'],
      );
    }));

  it('a line with too many fields is kept aside with its file line number; the other rows load', () =>
    withEngine(async (e) => {
      let text = 'id,name,amount\n';
      for (let i = 1; i <= 12; i++) text += i === 5 ? '5,x,1,extra\n' : `${i},n${i},${i}.5\n`;
      const path = file('malformed.csv', text);
      // Delimiter forced here; the test below checks the sniffer finds it by itself.
      const src = await detectSource(e, path, 'transactions', { delimiter: ',' });
      const raw = await loadRawTable(e, 'raw', src, 'transactions');
      assert.equal(raw.rows, 11);
      assert.equal(raw.malformed, 1);
      assert.equal(raw.rows + raw.malformed, 12, 'every data line is accounted for');
      const bad = await e.query(`SELECT line, error, text FROM ${e.dialect.quoteIdent(raw.malformedTable)}`);
      assert.equal(bad.length, 1);
      assert.equal(Number(bad[0]?.['line']), 6, 'header is line 1, so data row 5 is line 6');
      assert.match(String(bad[0]?.['error']), /TOO MANY COLUMNS/i);
      assert.equal(bad[0]?.['text'], '5,x,1,extra');
    }));

  it('the sniffer still finds the comma when one line has too many fields', {}, () =>
    withEngine(async (e) => {
      let text = 'id,name,amount\n';
      for (let i = 1; i <= 200; i++) text += i === 5 ? '5,x,1,extra\n' : `${i},n${i},${i}.5\n`;
      const src = await detectSource(e, file('malformed-sniff.csv', text), 'transactions');
      assert.equal(src.csv?.delimiter, ',');
    }),
  );
});

describe('detectSource: Parquet and JSON', () => {
  it('Parquet written by DuckDB COPY: detected by magic bytes, columns typed', () =>
    withEngine(async (e) => {
      const path = join(dir, 'tx.parquet');
      await e.exec(
        e.dialect.copyTo(
          `SELECT * FROM (VALUES (17850.0::DOUBLE, TIMESTAMP '2010-12-01 08:26:00', 'x'), (13047.0, TIMESTAMP '2010-12-02 09:00:00', 'y')) t(cid, ts, s)`,
          path,
          'parquet',
        ),
      );
      const src = await detectSource(e, path, 'transactions');
      assert.deepEqual(src, { path, format: 'parquet', compression: 'none' });
      const raw = await loadRawTable(e, 'raw', src, 'transactions');
      assert.deepEqual(raw.columns, [
        { name: 'cid', type: 'DOUBLE' },
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 's', type: 'VARCHAR' },
      ]);
      assert.equal(raw.rows, 2);
      const rows = await e.query(`SELECT cid, strftime(ts, '%Y-%m-%d %H:%M') AS ts FROM raw ORDER BY _row`);
      assert.deepEqual(rows, [
        { cid: 17850, ts: '2010-12-01 08:26' },
        { cid: 13047, ts: '2010-12-02 09:00' },
      ]);
    }));

  it('a .parquet name without PAR1 bytes, forced to parquet, is an InputError', () =>
    withEngine(async (e) => {
      const path = file('fake.parquet', 'id,name\n1,a\n');
      await assert.rejects(
        detectSource(e, path, 'transactions', { format: 'parquet' }),
        inputError(/not a Parquet file/),
      );
    }));

  it('JSON array and NDJSON are detected as json', () =>
    withEngine(async (e) => {
      const arr = await detectSource(
        e,
        file('a.json', '[{"id":1,"name":"a"},{"id":2,"name":"b"}]'),
        'events',
      );
      assert.equal(arr.format, 'json');
      const nd = await detectSource(
        e,
        file('b.ndjson', '{"id":1,"name":"a"}\n{"id":2,"name":"b"}\n'),
        'events',
      );
      assert.equal(nd.format, 'json');
      // A .txt whose content starts with "{" is JSON too.
      const sniffed = await detectSource(e, file('c.txt', '  {"id":1}\n{"id":2}\n'), 'events');
      assert.equal(sniffed.format, 'json');
      const gz = await detectSource(e, file('d.jsonl.gz', gzipSync('{"id":1}\n')), 'events');
      assert.deepEqual([gz.format, gz.compression], ['json', 'gzip']);
    }));

  for (const [name, content] of [
    ['array.json', '[{"id":1,"name":"a"},{"id":2,"name":"b"}]'],
    ['lines.ndjson', '{"id":1,"name":"a"}\n{"id":2,"name":"b"}\n'],
  ] as const) {
    it(`${name} loads as text columns`, {}, () =>
      withEngine(async (e) => {
        const raw = await loadRawTable(
          e,
          'raw',
          await detectSource(e, file(name, content), 'events'),
          'events',
        );
        assert.equal(raw.rows, 2);
        assert.deepEqual(await rawRows(e, 'raw'), [
          { id: '1', name: 'a' },
          { id: '2', name: 'b' },
        ]);
      }),
    );
  }
});

describe('detectSource: errors', () => {
  it('a missing file', () =>
    withEngine(async (e) => {
      await assert.rejects(
        detectSource(e, join(dir, 'nope.csv'), 'transactions'),
        inputError(/^transactions file not found: .*nope\.csv$/),
      );
    }));

  it('a folder', () =>
    withEngine(async (e) => {
      await assert.rejects(detectSource(e, dir, 'transactions'), inputError(/is a folder/));
    }));

  it('an empty file (0 bytes), and an empty gzip', () =>
    withEngine(async (e) => {
      await assert.rejects(
        detectSource(e, file('empty.csv', ''), 'transactions'),
        inputError(/is empty \(0 bytes\)/),
      );
      await assert.rejects(
        detectSource(e, file('empty.csv.gz', gzipSync('')), 'transactions'),
        inputError(/empty \(no data after decompression\)/),
      );
    }));

  it('a header-only file fails at load with "only a header"', () =>
    withEngine(async (e) => {
      const src = await detectSource(e, file('header.csv', 'customer_id,date,amount\n'), 'transactions');
      await assert.rejects(
        loadRawTable(e, 'raw', src, 'transactions'),
        inputError(/has no data rows \(only a header\)/),
      );
    }));

  it('Latin-1 bytes: names the byte and its line, suggests --encoding latin-1', () =>
    withEngine(async (e) => {
      const bytes = Buffer.concat([
        Buffer.from('id,name\n1,a\n2,caf'),
        Buffer.from([0xe9]), // é in Latin-1
        Buffer.from('\n3,b\n4,c\n'),
      ]);
      const path = file('latin1.csv', bytes);
      await assert.rejects(
        detectSource(e, path, 'customers'),
        inputError(/not UTF-8/, /byte 0xe9 on line 3/, /--encoding latin-1/),
      );
    }));

  it('Latin-1 byte in the last two bytes of the file is still named', {}, () =>
    withEngine(async (e) => {
      const bytes = Buffer.concat([
        Buffer.from('id,name\n1,a\n2,caf'),
        Buffer.from([0xe9]),
        Buffer.from('\n'),
      ]);
      await assert.rejects(
        detectSource(e, file('latin1-end.csv', bytes), 'customers'),
        inputError(/byte 0xe9 on line 3/),
      );
    }),
  );

  it('encoding: latin-1 reads a Latin-1 file', {}, () =>
    withEngine(async (e) => {
      const bytes = Buffer.concat([
        Buffer.from('id,name\n1,a\n2,caf'),
        Buffer.from([0xe9]),
        Buffer.from('\n3,b\n'),
      ]);
      const path = file('latin1-ok.csv', bytes);
      const src = await detectSource(e, path, 'customers', { encoding: 'latin-1' });
      assert.equal(src.csv?.encoding, 'latin-1');
      const raw = await loadRawTable(e, 'raw', src, 'customers');
      assert.equal(raw.rows, 3);
      assert.equal((await rawRows(e, 'raw'))[1]?.['name'], 'café');
    }),
  );

  it('a UTF-16 file with a byte-order mark is detected and read', {}, () =>
    withEngine(async (e) => {
      const bytes = Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('id,name\n1,café\n2,b\n', 'utf16le'),
      ]);
      const src = await detectSource(e, file('utf16.csv', bytes), 'customers');
      assert.equal(src.csv?.encoding, 'utf-16');
      const raw = await loadRawTable(e, 'raw', src, 'customers');
      assert.equal(raw.rows, 2);
      assert.deepEqual(await rawRows(e, 'raw'), [
        { id: '1', name: 'café' },
        { id: '2', name: 'b' },
      ]);
    }),
  );

  it('the engine reads Latin-1 once the dialect is given (the part after detection works)', () =>
    withEngine(async (e) => {
      // Independent of the sniffer: a hand-built FileSource with encoding latin-1.
      const bytes = Buffer.concat([
        Buffer.from('id,name\n1,a\n2,caf'),
        Buffer.from([0xe9]),
        Buffer.from('\n3,b\n'),
      ]);
      const path = file('latin1-direct.csv', bytes);
      const raw = await loadRawTable(
        e,
        'raw',
        {
          path,
          format: 'csv',
          compression: 'none',
          csv: { delimiter: ',', quote: '"', escape: '"', header: true, encoding: 'latin-1', skip: 0 },
        },
        'customers',
      );
      assert.equal(raw.rows, 3);
      assert.equal((await rawRows(e, 'raw'))[1]?.['name'], 'café');
    }));
});
