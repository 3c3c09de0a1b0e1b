/**
 * The default, embedded engine: DuckDB in-process through `@duckdb/node-api`, keeping its working data in a
 * file in the output folder (or in memory).
 * @module
 */
// Types only: the native module (~40 MB, 0.3–1 s to load) is imported when an engine opens, so importing
// 'segmint' for its clustering library never loads DuckDB.
import type * as DuckDBNodeApi from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBInstance, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { DuckDBDialect } from './duckdb-dialect.js';
import type { ColumnInput, ColumnKind, Engine, FetchedColumn, Row, SqlParam } from './engine.js';

export interface DuckDBEngineOptions {
  /** Database file, or ':memory:'. */
  path: string;
  /** Worker threads DuckDB may use (default: all cores). */
  threads?: number;
  /** Memory limit, e.g. '4GB'. */
  memoryLimit?: string;
  /** Folder for spilling to disk. */
  tempDirectory?: string;
}

const CHUNK = 2048;

type DuckDBApi = typeof DuckDBNodeApi;
let duckdbApi: Promise<DuckDBApi> | undefined;

/** `@duckdb/node-api`, loaded on first use (one import shared by every engine). */
function loadDuckDB(): Promise<DuckDBApi> {
  duckdbApi ??= import('@duckdb/node-api');
  return duckdbApi;
}
/** Set SEGMINT_TRACE_SQL=1 to print each statement's time to stderr (for profiling). */
const TRACE = process.env['SEGMINT_TRACE_SQL'] === '1';

async function traced<T>(sql: string, run: () => Promise<T>): Promise<T> {
  if (!TRACE) return run();
  const t0 = performance.now();
  try {
    return await run();
  } finally {
    process.stderr.write(
      `[sql ${(performance.now() - t0).toFixed(0).padStart(6)} ms] ${sql.replace(/\s+/g, ' ').slice(0, 140)}\n`,
    );
  }
}

export class DuckDBEngine implements Engine {
  readonly dialect = new DuckDBDialect();
  private constructor(
    private readonly api: DuckDBApi,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  static async open(options: DuckDBEngineOptions): Promise<DuckDBEngine> {
    const config: Record<string, string> = {};
    if (options.threads) config['threads'] = String(options.threads);
    if (options.memoryLimit) config['memory_limit'] = options.memoryLimit;
    if (options.tempDirectory) config['temp_directory'] = options.tempDirectory;
    const api = await loadDuckDB();
    const instance = await api.DuckDBInstance.create(options.path, config);
    const conn = await instance.connect();
    return new DuckDBEngine(api, instance, conn);
  }

  /**
   * Runs `fn` with a fresh engine (in memory by default) and closes it afterwards, whatever happens.
   * @example
   * const n = await DuckDBEngine.using((e) => e.query('SELECT 42 AS n'));
   */
  static async using<T>(
    fn: (engine: DuckDBEngine) => Promise<T>,
    options: DuckDBEngineOptions = { path: ':memory:' },
  ): Promise<T> {
    const engine = await DuckDBEngine.open(options);
    try {
      return await fn(engine);
    } finally {
      await engine.close();
    }
  }

  async exec(sql: string, params?: readonly SqlParam[]): Promise<void> {
    await traced(sql, () =>
      params && params.length > 0 ? this.conn.run(sql, params as DuckDBValue[]) : this.conn.run(sql),
    );
  }

  async query(sql: string, params?: readonly SqlParam[]): Promise<Row[]> {
    const reader = await traced(sql, () =>
      this.conn.runAndReadAll(sql, params ? (params as DuckDBValue[]) : undefined),
    );
    return reader.getRowObjectsJS() as Row[];
  }

  async columns(
    sql: string,
    kinds: readonly ColumnKind[],
    params?: readonly SqlParam[],
  ): Promise<FetchedColumn[]> {
    const result = await traced(sql, () =>
      this.conn.run(sql, params ? (params as DuckDBValue[]) : undefined),
    );
    if (result.columnCount !== kinds.length) {
      throw new RangeError(`query returned ${result.columnCount} columns, expected ${kinds.length}`);
    }
    const chunks = await result.fetchAllChunks();
    let n = 0;
    for (const c of chunks) n += c.rowCount;
    const out: FetchedColumn[] = kinds.map((k) =>
      k === 'double' ? new Float64Array(n) : k === 'int32' ? new Int32Array(n) : new Array<string | null>(n),
    );
    let offset = 0;
    for (const chunk of chunks) {
      const rows = chunk.rowCount;
      for (let c = 0; c < kinds.length; c++) {
        const vector = chunk.getColumnVector(c);
        const target = out[c]!;
        if (target instanceof Float64Array) {
          for (let i = 0; i < rows; i++) {
            const v = vector.getItem(i);
            target[offset + i] = v === null ? NaN : Number(v);
          }
        } else if (target instanceof Int32Array) {
          for (let i = 0; i < rows; i++) {
            const v = vector.getItem(i);
            if (v === null) throw new TypeError(`column ${c} has NULL where an integer was expected`);
            target[offset + i] = Number(v);
          }
        } else {
          for (let i = 0; i < rows; i++) {
            const v = vector.getItem(i);
            target[offset + i] = v === null ? null : String(v);
          }
        }
      }
      offset += rows;
    }
    return out;
  }

  async createTable(
    table: string,
    columns: readonly ColumnInput[],
    options: { temporary?: boolean } = {},
  ): Promise<void> {
    const q = (s: string) => this.dialect.quoteIdent(s);
    const sqlType = (k: ColumnKind) => (k === 'double' ? 'DOUBLE' : k === 'int32' ? 'INTEGER' : 'VARCHAR');
    const { DOUBLE, INTEGER, VARCHAR, DuckDBDataChunk } = this.api;
    const types: DuckDBType[] = columns.map((c) =>
      c.kind === 'double' ? DOUBLE : c.kind === 'int32' ? INTEGER : VARCHAR,
    );
    await this.conn.run(
      `CREATE OR REPLACE ${options.temporary ? 'TEMP ' : ''}TABLE ${q(table)} (${columns.map((c) => `${q(c.name)} ${sqlType(c.kind)}`).join(', ')})`,
    );
    const n = columns[0]?.values.length ?? 0;
    for (const c of columns) {
      if (c.values.length !== n)
        throw new RangeError(`column ${c.name} has ${c.values.length} values, expected ${n}`);
    }
    const appender = await this.conn.createAppender(table, null, options.temporary ? 'temp' : null);
    try {
      for (let start = 0; start < n; start += CHUNK) {
        const end = Math.min(n, start + CHUNK);
        const chunk = DuckDBDataChunk.create(types, end - start);
        for (let c = 0; c < columns.length; c++) {
          const vals = columns[c]!.values;
          const slice: DuckDBValue[] = [];
          for (let i = start; i < end; i++) {
            const v = vals[i] as number | string | null;
            slice.push(typeof v === 'number' && Number.isNaN(v) ? null : v);
          }
          chunk.setColumnValues(c, slice);
        }
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
