export type { Engine, SqlParam, Row, ColumnKind, FetchedColumn, ColumnInput } from './engine.js';
export { Dialect, type FileSource, type CopyFormat } from './dialect.js';
export { DuckDBDialect } from './duckdb-dialect.js';
export { DuckDBEngine, type DuckDBEngineOptions } from './duckdb-engine.js';
