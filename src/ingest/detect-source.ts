/**
 * Works out how to read a data file: its format (CSV/TSV, Parquet, JSON/NDJSON), compression, CSV dialect and
 * text encoding, and fails early with a clear message for a missing, empty or wrongly encoded file.
 * @module
 */
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import type { Engine, FileSource } from '../engine/index.js';
import { InputError } from '../util/errors.js';

/** What the user may force instead of detection. */
export interface ReadOptions {
  format?: 'csv' | 'parquet' | 'json';
  delimiter?: string;
  header?: boolean;
  encoding?: 'utf-8' | 'utf-16' | 'latin-1';
  quote?: string;
}

const SNIFF_BYTES = 1 << 20;

/** Detects how to read `path`; `label` names the input in messages (e.g. "transactions"). */
export async function detectSource(
  engine: Engine,
  path: string,
  label: string,
  options: ReadOptions = {},
): Promise<FileSource> {
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new InputError(`${label} file ${path} is a folder, not a file`);
    size = s.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${label} file not found: ${path}`, { cause: e });
  }
  if (size === 0) throw new InputError(`${label} file ${path} is empty (0 bytes)`);

  const magic = await readHead(path, 4);
  const compression = magic[0] === 0x1f && magic[1] === 0x8b ? 'gzip' : 'none';
  const isParquet = magic.toString('latin1') === 'PAR1';
  const head = isParquet ? Buffer.alloc(0) : await readText(path, compression === 'gzip');
  if (!isParquet && head.length === 0)
    throw new InputError(`${label} file ${path} is empty (no data after decompression)`);

  const format = options.format ?? (isParquet ? 'parquet' : guessTextFormat(path, head));
  if (format === 'parquet') {
    if (!isParquet) throw new InputError(`${label} file ${path} is not a Parquet file (no PAR1 magic bytes)`);
    return { path, format, compression: 'none' };
  }
  const encoding = options.encoding ?? detectEncoding(head, path, label);
  if (format === 'json') return { path, format, compression };

  const sniffed = await sniffCsv(engine, path, label, encoding);
  const delimiter = options.delimiter ?? (path.match(/\.tsv(\.gz)?$/i) ? '\t' : sniffed.delimiter);
  return {
    path,
    format: 'csv',
    compression,
    csv: {
      delimiter,
      quote: options.quote ?? (sniffed.quote || '"'),
      escape: sniffed.escape || '"',
      header: options.header ?? sniffed.header,
      encoding,
      skip: sniffed.skip,
    },
  };
}

async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The first MiB of text, decompressed when gzip. */
async function readText(path: string, gzip: boolean): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  const source = createReadStream(path, gzip ? {} : { end: SNIFF_BYTES - 1 });
  const stream = gzip ? source.pipe(createGunzip()) : source;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      total += chunk.length;
      if (total >= SNIFF_BYTES) break;
    }
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
  } finally {
    source.destroy();
  }
  return Buffer.concat(parts).subarray(0, SNIFF_BYTES);
}

function guessTextFormat(path: string, head: Buffer): 'csv' | 'json' {
  if (/\.(nd)?jsonl?(\.gz)?$/i.test(path)) return 'json';
  const first = head.toString('utf8').trimStart()[0];
  return first === '{' || first === '[' ? 'json' : 'csv';
}

/** UTF-8 (with or without BOM) or UTF-16 (BOM); anything else is an error naming the first bad byte. */
function detectEncoding(head: Buffer, path: string, label: string): 'utf-8' | 'utf-16' | 'latin-1' {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'utf-16';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(head, { stream: true });
    return 'utf-8';
  } catch {
    const bad = firstInvalidUtf8(head);
    const line = head.subarray(0, bad).toString('latin1').split('\n').length;
    throw new InputError(
      `${label} file ${path} is not UTF-8 text: byte 0x${head[bad]?.toString(16).padStart(2, '0')} on line ${line} ` +
        `is not valid UTF-8. If the file is Latin-1/Windows-1252, pass --encoding latin-1 (or encoding: latin-1 in the config)`,
    );
  }
}

function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const len =
      c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      if (i + k >= b.length) return b.length; // a sequence cut at the end of the sniffed block: fine
      if ((b[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += len;
  }
  return b.length;
}

interface Sniffed {
  delimiter: string;
  quote: string;
  escape: string;
  header: boolean;
  skip: number;
}

async function sniffCsv(engine: Engine, path: string, label: string, encoding: string): Promise<Sniffed> {
  try {
    // ignore_errors: one malformed line in the sample must not make the sniffer give up on the real delimiter.
    const rows = await engine.query(
      `SELECT "Delimiter" AS d, "Quote" AS q, "Escape" AS e, "HasHeader" AS h, "SkipRows" AS s
       FROM sniff_csv(${engine.dialect.quoteString(path)}, sample_size = 4096, ignore_errors = true, encoding = ${engine.dialect.quoteString(encoding)})`,
    );
    const r = rows[0];
    if (!r) throw new Error('no result');
    return {
      delimiter: String(r['d'] ?? ','),
      quote: r['q'] === '(empty)' ? '' : String(r['q'] ?? '"'),
      escape: r['e'] === '(empty)' ? '' : String(r['e'] ?? '"'),
      header: Boolean(r['h']),
      skip: Number(r['s'] ?? 0),
    };
  } catch (e) {
    throw new InputError(`cannot read ${label} file ${path} as CSV: ${firstLine((e as Error).message)}`, {
      cause: e,
    });
  }
}

export function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
