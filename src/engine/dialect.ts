/**
 * SQL differences between engines, in one place: identifier quoting, literals, file readers and writers.
 * Stages write SQL through a `Dialect` so that PostgreSQL, Spark or ClickHouse can be added as a subclass that
 * overrides only what differs.
 * @module
 */

/** A source file as ingest detected it. */
export interface FileSource {
  path: string;
  format: 'csv' | 'parquet' | 'json';
  /** CSV only. */
  csv?: {
    delimiter: string;
    quote: string;
    escape: string;
    header: boolean;
    encoding: 'utf-8' | 'utf-16' | 'latin-1';
    /** Skip this many lines before the header. */
    skip?: number;
  };
  compression: 'gzip' | 'none';
}

export type CopyFormat = 'csv' | 'parquet';

export abstract class Dialect {
  abstract readonly name: string;
  /** Whether the engine can read files from the local disk itself (DuckDB: yes; a remote server: no). */
  abstract readonly readsLocalFiles: boolean;

  /** Quotes an identifier: `a"b` → `"a""b"`. */
  quoteIdent(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  }

  /** A string literal, for the few places (file paths in table functions) that cannot take a bound parameter. */
  quoteString(value: string): string {
    if (value.includes('\0')) throw new TypeError(`string contains a NUL byte: ${JSON.stringify(value)}`);
    return `'${value.replaceAll("'", "''")}'`;
  }

  /** A finite number literal. */
  number(value: number): string {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return Number.isInteger(value) ? String(value) : value.toPrecision(17);
  }

  /** `ln(1 + x)` that keeps the sign for negative values (net returners have negative money). */
  signedLog1p(expr: string): string {
    return `sign(${expr}) * ln(1 + abs(${expr}))`;
  }

  /** Whole days from `from` to `to` (timestamps), as a double. */
  abstract daysBetween(from: string, to: string): string;
  /** A relation reading every column of a source file as text (CSV/JSON) or natively typed (Parquet). */
  abstract readFile(source: FileSource, options: { allText: boolean }): string;
  /** Statement writing a query's result to a file. */
  abstract copyTo(query: string, path: string, format: CopyFormat): string;
  /** Expression casting text to a double, NULL when unparseable. */
  abstract tryDouble(expr: string): string;
  /** Expression parsing text as a timestamp with an optional strptime format, NULL when unparseable. */
  abstract tryTimestamp(expr: string, format?: string): string;
}
