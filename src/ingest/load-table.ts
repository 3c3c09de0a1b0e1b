/**
 * Loads a source file into a raw table in the engine, numbering every row, and keeps the lines the reader could
 * not parse (wrong number of fields, bad quoting, invalid text) in a side table so that every input line is
 * accounted for.
 * @module
 */
import type { Engine, FileSource } from '../engine/index.js';
import { InputError } from '../util/errors.js';
import { firstLine } from './detect-source.js';

export interface RawColumn {
  name: string;
  /** Engine type name, e.g. VARCHAR, DOUBLE, TIMESTAMP. */
  type: string;
}

export interface RawTable {
  /** Table with `_row` (1-based data-row number in read order) and the file's columns. */
  table: string;
  /** Table `(line, error, text)` of lines the reader rejected; empty for Parquet/JSON. */
  malformedTable: string;
  columns: RawColumn[];
  rows: number;
  malformed: number;
  source: FileSource;
}

/**
 * Reads `source` into temporary table `name` (replacing it): working data that is not kept in segmint.duckdb.
 * CSV columns arrive as text; Parquet and JSON as typed.
 */
export async function loadRawTable(
  engine: Engine,
  name: string,
  source: FileSource,
  label: string,
): Promise<RawTable> {
  const d = engine.dialect;
  const t = d.quoteIdent(name);
  const malformedTable = `${name}_malformed`;
  const m = d.quoteIdent(malformedTable);
  const allText = source.format === 'csv';
  let reader = d.readFile(source, { allText });
  if (source.format === 'csv') {
    reader = reader.replace(
      /\)$/,
      `, rejects_table = ${d.quoteString(`${name}_rej`)}, rejects_scan = ${d.quoteString(`${name}_scan`)})`,
    );
  }
  try {
    // Parquet is read where it lies (a view, numbered by the reader, in parallel); text formats are parsed once
    // into a table numbered in file order.
    await engine.exec(
      source.format === 'parquet'
        ? `CREATE OR REPLACE TEMP VIEW ${t} AS SELECT file_row_number + 1 AS _row, * EXCLUDE (file_row_number) FROM ${reader}`
        : `CREATE OR REPLACE TEMP TABLE ${t} AS SELECT row_number() OVER () AS _row, * FROM ${reader}`,
    );
    // A view is read lazily: count now, so that a broken file is reported here.
    if (source.format === 'parquet') await engine.query(`SELECT count(*) AS n FROM ${t}`);
  } catch (e) {
    throw new InputError(`cannot read ${label} file ${source.path}: ${firstLine((e as Error).message)}`, {
      cause: e,
    });
  }
  if (source.format === 'csv') {
    await engine.exec(
      `CREATE OR REPLACE TEMP TABLE ${m} AS SELECT line::BIGINT AS line, error_type || ': ' || error_message AS error, csv_line AS text
       FROM ${d.quoteIdent(`${name}_rej`)} ORDER BY line`,
    );
  } else {
    await engine.exec(`CREATE OR REPLACE TEMP TABLE ${m} (line BIGINT, error VARCHAR, text VARCHAR)`);
  }
  const described = await engine.query(`DESCRIBE ${t}`);
  const columns = described
    .map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }))
    .filter((c) => c.name !== '_row');
  const [counts] = await engine.query(
    `SELECT (SELECT count(*) FROM ${t}) AS n, (SELECT count(*) FROM ${m}) AS bad`,
  );
  const rows = Number(counts?.['n'] ?? 0);
  const malformed = Number(counts?.['bad'] ?? 0);
  if (rows === 0 && malformed === 0) {
    throw new InputError(
      `${label} file ${source.path} has no data rows${columns.length ? ' (only a header)' : ''}`,
    );
  }
  if (rows === 0) {
    throw new InputError(
      `${label} file ${source.path}: none of its ${malformed} lines could be parsed (first problem: ${String(
        (await engine.query(`SELECT error FROM ${m} LIMIT 1`))[0]?.['error'] ?? '?',
      )})`,
    );
  }
  return { table: name, malformedTable, columns, rows, malformed, source };
}
