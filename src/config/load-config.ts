/**
 * Reads a YAML config, resolves its file paths against the config's folder, and validates it, reporting every
 * problem at once.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigSchema, crossFieldProblems, type Config } from './schema.js';
import { InputError, type Problem } from '../util/errors.js';

/** Validates a config object; `source` names it in messages (a file path or "flags"). */
export function parseConfig(value: unknown, source: string): Config {
  const result = ConfigSchema.safeParse(value);
  const cross = crossFieldProblems(value).map((p) => ({ where: p.path, message: p.message }));
  if (result.success && cross.length === 0) return result.data;
  const problems: Problem[] = [
    ...(result.success
      ? []
      : result.error.issues.map((i) => ({
          where: i.path.length ? i.path.join('.') : '(top level)',
          message: i.message,
        }))),
    ...cross,
  ];
  const lines = problems.map((p) => `${p.where}: ${p.message}`);
  throw new InputError(
    `${source} has ${problems.length} problem${problems.length > 1 ? 's' : ''}: ${lines.join('; ')}`,
    {
      problems,
    },
  );
}

/** Loads and validates a YAML config file. Relative input paths are taken from the config's folder. */
export async function loadConfig(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(
      `config file not found: ${path} (create one, or use flags: segmint run --transactions FILE)`,
      { cause: e },
    );
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({
      where: `${path}:${e.linePos?.[0]?.line ?? '?'}`,
      message: e.message.split('\n')[0]!,
    }));
    throw new InputError(
      `${path} is not valid YAML: ${problems.map((p) => `${p.where}: ${p.message}`).join('; ')}`,
      { problems },
    );
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(
      `${path} must be a YAML mapping with at least "transactions: { path: FILE }" or "customers: { path: FILE }"`,
    );
  }
  const config = parseConfig(raw, path);
  const base = dirname(path);
  const fix = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  if (config.transactions) config.transactions.path = fix(config.transactions.path);
  if (config.customers) config.customers.path = fix(config.customers.path);
  if (config.events) config.events.path = fix(config.events.path);
  config.output.dir = fix(config.output.dir);
  return config;
}
