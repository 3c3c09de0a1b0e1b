/**
 * The engine contract: everything the pipeline stages ask of a SQL engine. DuckDB implements it; PostgreSQL,
 * Spark or ClickHouse can implement it later without touching the stages.
 * @module
 */
import type { Dialect } from './dialect.js';

/** A value bound to a `?` or `$1` placeholder. */
export type SqlParam = string | number | boolean | null;

/** A small result as plain rows (for summaries, never for per-customer data). */
export type Row = Record<string, unknown>;

/** Column types the engine can return as typed arrays. */
export type ColumnKind = 'double' | 'int32' | 'text';

/** A column fetched in bulk: numbers in a typed array (NULL → NaN for doubles), text as strings. */
export type FetchedColumn = Float64Array | Int32Array | (string | null)[];

/** A typed column to load into a table. */
export interface ColumnInput {
  name: string;
  kind: ColumnKind;
  values: Float64Array | Int32Array | readonly (string | null)[];
}

export interface Engine {
  readonly dialect: Dialect;
  /** Runs statements for their effect. */
  exec(sql: string, params?: readonly SqlParam[]): Promise<void>;
  /** Runs a query with a small result and returns rows as objects (numbers as JS numbers). */
  query(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /**
   * Runs a query and returns its columns as typed arrays, one per requested column kind, in result order.
   * This is how numeric models receive data: flat arrays, never row objects.
   */
  columns(sql: string, kinds: readonly ColumnKind[], params?: readonly SqlParam[]): Promise<FetchedColumn[]>;
  /** Creates (or replaces) a table from typed columns; `temporary` tables are working data, not kept. */
  createTable(
    table: string,
    columns: readonly ColumnInput[],
    options?: { temporary?: boolean },
  ): Promise<void>;
  close(): Promise<void>;
}
