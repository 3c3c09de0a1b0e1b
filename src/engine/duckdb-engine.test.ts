// The DuckDB engine and dialect against hostile names and values: identifiers and literals round-trip, values
// are bound, typed columns come back as typed arrays with NULL as NaN.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DuckDBDialect } from './duckdb-dialect.js';
import { DuckDBEngine } from './duckdb-engine.js';

process.env['TZ'] = 'UTC';

const withEngine = <T>(fn: (e: DuckDBEngine) => Promise<T>): Promise<T> => DuckDBEngine.using(fn);

const HOSTILE = [
  'plain',
  'Customer ID',
  'a"b',
  "it's",
  'semi;colon',
  'DROP TABLE x; --',
  'ünïcødé',
  'select',
  'tab\there',
  '',
];

describe('DuckDBDialect', () => {
  const d = new DuckDBDialect();

  it('quoteIdent doubles quotes', () => {
    assert.equal(d.quoteIdent('a"b'), '"a""b"');
    assert.equal(d.quoteIdent('x'), '"x"');
  });

  it('quoteString doubles single quotes and refuses NUL', () => {
    assert.equal(d.quoteString("it's"), "'it''s'");
    assert.throws(() => d.quoteString('a\0b'), TypeError);
  });

  it('number writes finite numbers exactly and refuses the rest', () => {
    assert.equal(d.number(3), '3');
    assert.equal(Number(d.number(0.1)), 0.1);
    assert.equal(Number(d.number(1 / 3)), 1 / 3);
    for (const bad of [NaN, Infinity, -Infinity]) assert.throws(() => d.number(bad), RangeError);
  });

  it('hostile identifiers and strings round-trip through the engine', () =>
    withEngine(async (e) => {
      for (const name of HOSTILE.filter((n) => n !== '')) {
        const rows = await e.query(`SELECT ${e.dialect.quoteString(name)} AS ${e.dialect.quoteIdent(name)}`);
        assert.deepEqual(rows, [{ [name]: name }], JSON.stringify(name));
      }
    }));

  it('number literals round-trip exactly', () =>
    withEngine(async (e) => {
      for (const x of [0, -0.5, 0.1, 1 / 3, 1e-300, 123456789.12345679, -(2 ** 52), Number.MAX_VALUE]) {
        const [r] = await e.query(`SELECT ${e.dialect.number(x)}::DOUBLE AS v`);
        assert.equal(r?.['v'], x, String(x));
      }
    }));

  it('tryDouble and tryTimestamp give NULL for junk, values for good text', () =>
    withEngine(async (e) => {
      const [r] = await e.query(
        `SELECT ${d.tryDouble("' 2.5 '")} AS a, ${d.tryDouble("'abc'")} AS b,
                strftime(${d.tryTimestamp("' 2011-03-04 05:06:07 '")}, '%Y-%m-%d %H:%M:%S') AS c, ${d.tryTimestamp("'nope'")} AS n,
                strftime(${d.tryTimestamp("'04/03/2011'", '%d/%m/%Y')}, '%Y-%m-%d') AS f`,
      );
      assert.deepEqual(r, { a: 2.5, b: null, c: '2011-03-04 05:06:07', n: null, f: '2011-03-04' });
    }));

  it('daysBetween is fractional days; signedLog1p keeps the sign', () =>
    withEngine(async (e) => {
      const [r] = await e.query(
        `SELECT ${d.daysBetween("TIMESTAMP '2011-01-01 00:00'", "TIMESTAMP '2011-01-03 12:00'")} AS days,
                ${d.signedLog1p('(-9.0)')} AS neg, ${d.signedLog1p('(9.0)')} AS pos, ${d.signedLog1p('(0.0)')} AS zero`,
      );
      assert.equal(r?.['days'], 2.5);
      assert.ok(Math.abs(Number(r?.['neg']) + Math.log(10)) < 1e-12);
      assert.ok(Math.abs(Number(r?.['pos']) - Math.log(10)) < 1e-12);
      assert.equal(r?.['zero'], 0);
    }));
});

describe('DuckDBEngine', () => {
  it('binds parameters instead of splicing them', () =>
    withEngine(async (e) => {
      await e.exec(`CREATE TABLE t (s VARCHAR, n DOUBLE)`);
      for (const [i, s] of HOSTILE.entries()) await e.exec(`INSERT INTO t VALUES (?, ?)`, [s, i]);
      const rows = await e.query(`SELECT s FROM t WHERE n >= ? ORDER BY n`, [0]);
      assert.deepEqual(
        rows.map((r) => r['s']),
        HOSTILE,
      );
      const [one] = await e.query(`SELECT count(*) AS c FROM t WHERE s = ?`, ['DROP TABLE x; --']);
      assert.equal(Number(one?.['c']), 1);
    }));

  it('createTable + columns round-trip typed arrays; NaN is NULL and back', () =>
    withEngine(async (e) => {
      const n = 5000; // more than one appender chunk
      const ids = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `c${i}`));
      const x = Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? NaN : i / 3));
      const k = Int32Array.from({ length: n }, (_, i) => i - 100);
      await e.createTable('weird "table"', [
        { name: 'Customer ID', kind: 'text', values: ids },
        { name: 'x"y', kind: 'double', values: x },
        { name: 'k', kind: 'int32', values: k },
      ]);
      const [nulls] = await e.query(
        `SELECT count(*) FILTER (WHERE "x""y" IS NULL) AS nx, count(*) FILTER (WHERE "Customer ID" IS NULL) AS ni FROM "weird ""table"""`,
      );
      assert.equal(Number(nulls?.['nx']), Math.ceil(n / 11));
      assert.equal(Number(nulls?.['ni']), Math.ceil(n / 7));
      const [cid, cx, ck] = await e.columns(
        `SELECT "Customer ID", "x""y", k FROM "weird ""table""" ORDER BY k`,
        ['text', 'double', 'int32'],
      );
      assert.ok(cx instanceof Float64Array);
      assert.ok(ck instanceof Int32Array);
      assert.deepEqual(cid, ids);
      assert.deepEqual(ck, k);
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(x[i]!)) assert.ok(Number.isNaN(cx[i]!), `row ${i}`);
        else assert.equal(cx[i], x[i], `row ${i}`);
      }
    }));

  it('columns checks the column count; createTable checks the lengths', () =>
    withEngine(async (e) => {
      await assert.rejects(e.columns(`SELECT 1, 2`, ['double']), RangeError);
      await assert.rejects(
        e.createTable('t', [
          { name: 'a', kind: 'double', values: new Float64Array(3) },
          { name: 'b', kind: 'double', values: new Float64Array(2) },
        ]),
        RangeError,
      );
      await assert.rejects(e.columns(`SELECT NULL::INTEGER`, ['int32']), TypeError);
    }));
});
