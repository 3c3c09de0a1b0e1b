/**
 * Finds and reads the Chart.js UMD bundle that the report inlines, so the page draws charts with no network.
 * @module
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The bundle's text and the Chart.js version it announces in its banner. */
export interface ChartJsSource {
  source: string;
  version: string;
  path: string;
}

let cached: ChartJsSource | undefined;

/**
 * Reads `chart.js/dist/chart.umd.js` once per process. The package's `exports` map does not list that file, so
 * `require.resolve('chart.js/dist/chart.umd.js')` fails with ERR_PACKAGE_PATH_NOT_EXPORTED; instead we resolve
 * the package's CommonJS entry (`dist/chart.cjs`, which `exports` does list) and read its sibling. Resolution is
 * relative to this module, so it works the same from `src/` under tsx and from compiled `dist/`.
 *
 * @example
 * const { source, version } = chartJsSource(); // version "4.6.1"
 */
export function chartJsSource(): ChartJsSource {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    path = join(dirname(require.resolve('chart.js')), 'chart.umd.js');
  } catch (cause) {
    throw new Error('cannot find the chart.js package, which the report needs for its charts', { cause });
  }
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new Error(`cannot read the Chart.js bundle at ${path}`, { cause });
  }
  const version = /Chart\.js v(\d+\.\d+\.\d+\S*)/.exec(source.slice(0, 500))?.[1] ?? 'unknown';
  if (!version.startsWith('4.')) {
    throw new Error(`the report expects Chart.js 4, but ${path} is version ${version}`);
  }
  cached = { source, version, path };
  return cached;
}
