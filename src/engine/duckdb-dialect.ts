/**
 * The DuckDB dialect: reads CSV, Parquet and JSON files directly, with its own sniffer and reject tables.
 * @module
 */
import { Dialect, type CopyFormat, type FileSource } from './dialect.js';

export class DuckDBDialect extends Dialect {
  readonly name = 'duckdb';
  readonly readsLocalFiles = true;

  daysBetween(from: string, to: string): string {
    return `(epoch(${to}) - epoch(${from})) / 86400.0`;
  }

  readFile(source: FileSource, options: { allText: boolean }): string {
    const path = this.quoteString(source.path);
    switch (source.format) {
      case 'parquet':
        return `read_parquet(${path}, file_row_number = true)`;
      case 'json':
        // JSON carries its own types; the cleaning step casts what it needs.
        return `read_json_auto(${path}${source.compression === 'gzip' ? ", compression = 'gzip'" : ''})`;
      case 'csv': {
        const c = source.csv;
        if (!c) throw new TypeError(`CSV source ${source.path} has no dialect settings`);
        const args = [
          path,
          `delim = ${this.quoteString(c.delimiter)}`,
          `quote = ${this.quoteString(c.quote)}`,
          `escape = ${this.quoteString(c.escape)}`,
          `header = ${c.header}`,
          `compression = ${this.quoteString(source.compression === 'gzip' ? 'gzip' : 'none')}`,
          `encoding = ${this.quoteString(c.encoding)}`,
          `skip = ${c.skip ?? 0}`,
          `all_varchar = ${options.allText}`,
          'null_padding = false',
          'strict_mode = true',
          'store_rejects = true',
          'parallel = true',
        ];
        return `read_csv(${args.join(', ')})`;
      }
    }
  }

  copyTo(query: string, path: string, format: CopyFormat): string {
    const opts = format === 'csv' ? '(FORMAT csv, HEADER true)' : '(FORMAT parquet, COMPRESSION zstd)';
    return `COPY (${query}) TO ${this.quoteString(path)} ${opts}`;
  }

  tryDouble(expr: string): string {
    return `TRY_CAST(trim(${expr}) AS DOUBLE)`;
  }

  tryTimestamp(expr: string, format?: string): string {
    if (format) return `TRY_STRPTIME(trim(${expr}), ${this.quoteString(format)})`;
    return `TRY_CAST(trim(${expr}) AS TIMESTAMP)`;
  }
}
