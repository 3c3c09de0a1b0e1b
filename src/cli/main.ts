/**
 * The segmint command line: `run`, `evaluate`, `assign`, `quality` and `demo`. Exit codes: 0 success, 2 bad usage or input
 * (one line naming the problem), 1 anything else.
 * @module
 */
import { existsSync } from 'node:fs';
import { resolve, join, relative } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { SEGMENTATION_METHODS, loadConfig, parseConfig, type Config } from '../config/index.js';
import { NOISE_NAME } from '../profile/index.js';
import {
  assignPipeline,
  evaluatePipeline,
  qualityCheck,
  runPipeline,
  type EvaluateResult,
  type RunResult,
} from '../pipeline/index.js';
import { CRITERION_LABELS, K_METHODS, METHOD_LABELS, type KMethod } from '../segment/index.js';
import { compareWithTruth, generateDemoData } from '../demo/index.js';
import { InputError, UsageError } from '../util/errors.js';
import { VERSION } from '../version.js';
import { createProgress } from './progress.js';
import { jsonReplacer, writeFileAtomic } from '../output/index.js';
import { stringify } from 'yaml';

interface CommonFlags {
  quiet?: boolean;
  debug?: boolean;
}

interface RunFlags extends CommonFlags {
  transactions?: string;
  customers?: string;
  events?: string;
  out?: string;
  method?: string;
  k?: string;
  memory?: boolean;
  seed?: string;
  columns?: string;
  delimiter?: string;
  encoding?: string;
  dateFormat?: string;
  asOf?: string;
  currency?: string;
}

const out = (s: string) => process.stdout.write(`${s}\n`);

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  // Output piped into `head` and the like: stop quietly when the reader goes away.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    return reportError(e, debug);
  }
}

function reportError(e: unknown, debug: boolean): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
      return 0;
    // commander already printed its message
    return 2;
  }
  if (e instanceof InputError || e instanceof UsageError) {
    process.stderr.write(`segmint: error: ${e.message}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    return 2;
  }
  const err = e as Error;
  process.stderr.write(
    `segmint: internal error: ${err?.message ?? String(e)}${debug ? '' : ' (run again with --debug for details)'}\n`,
  );
  if (debug && err?.stack) process.stderr.write(`${err.stack}\n`);
  return 1;
}

function buildProgram(): Command {
  const program = new Command('segmint')
    .description('Customer segmentation on one machine: clean, features, clustering, profiles and a report.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `segmint: ${s}` : s) });

  program
    .command('run')
    .description('segment customers from a config file (default segmint.yaml) or from flags')
    .argument('[config]', 'YAML config file (default: segmint.yaml when present)')
    .option('-t, --transactions <file>', 'transactions file (CSV/TSV, Parquet, JSON/NDJSON; .gz ok)')
    .option('-c, --customers <file>', 'customer attributes file (optional)')
    .option('-e, --events <file>', 'engagement events file (optional)')
    .option('-o, --out <dir>', 'output folder (default segmint-out)')
    .addOption(
      new Option('-m, --method <name>', 'segmentation method (default kmeans)').choices(SEGMENTATION_METHODS),
    )
    .option('-k, --k <n|auto>', 'number of segments, or auto to choose it by every criterion (default auto)')
    .option('--seed <n>', 'random seed (default 42)')
    .option('--memory', 'keep working data in memory instead of a DuckDB file in the output folder')
    .option(
      '--columns <role=name,...>',
      'transactions column mapping, e.g. customerId=Cust,date=Day,amount=Total',
    )
    .option('--delimiter <char>', 'CSV delimiter of the transactions file (default: detected)')
    .addOption(
      new Option('--encoding <enc>', 'text encoding of the input files (default: detected)').choices([
        'utf-8',
        'utf-16',
        'latin-1',
      ]),
    )
    .option(
      '--date-format <fmt>',
      "strptime format of transaction dates, e.g. '%d/%m/%Y %H:%M' (default: detected)",
    )
    .option('--as-of <date>', 'reference date for recency (default: the day after the last purchase)')
    .option('--currency <code>', 'ISO 4217 currency of amounts for the report, e.g. GBP')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .action(async (configPath: string | undefined, flags: RunFlags) => {
      const config = await runConfig(configPath, flags);
      const progress = createProgress(!flags.quiet);
      let result: RunResult;
      try {
        result = await runPipeline({ config, onProgress: progress.update, argv: process.argv.slice(2) });
      } finally {
        progress.stop();
      }
      if (!flags.quiet) printRun(result);
    });

  program
    .command('evaluate')
    .description('compare numbers of segments (and methods) by every criterion, and recommend one')
    .argument('[config]', 'YAML config file (default: segmint.yaml when present)')
    .option('-t, --transactions <file>', 'transactions file (CSV/TSV, Parquet, JSON/NDJSON; .gz ok)')
    .option('-c, --customers <file>', 'customer attributes file (optional)')
    .option('-e, --events <file>', 'engagement events file (optional)')
    .option(
      '--methods <list>',
      `methods to compare, comma-separated: ${K_METHODS.join(', ')} (default: the configured method, or kmeans)`,
    )
    .option('--k-min <n>', 'smallest k to try (default 2)')
    .option('--k-max <n>', 'largest k to try (default 10)')
    .option('--seed <n>', 'random seed (default 42)')
    .option('-o, --out <file>', 'also write the whole evaluation as JSON to this file')
    .option('--columns <role=name,...>', 'transactions column mapping, e.g. customerId=Cust,date=Day')
    .option('--delimiter <char>', 'CSV delimiter of the transactions file (default: detected)')
    .option('--date-format <fmt>', 'strptime format of transaction dates (default: detected)')
    .option('--as-of <date>', 'reference date for recency (default: the day after the last purchase)')
    .option('--json', 'print the evaluation as JSON instead of tables')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .action(
      async (
        configPath: string | undefined,
        flags: RunFlags & { methods?: string; kMin?: string; kMax?: string; json?: boolean },
      ) => {
        const { out: outFile, ...runFlags } = flags;
        const config = await runConfig(configPath, runFlags);
        const seg = config.segmentation;
        if (flags.kMin !== undefined) seg.kMin = intFlag(flags.kMin, '--k-min', 2);
        if (flags.kMax !== undefined) seg.kMax = intFlag(flags.kMax, '--k-max', 2);
        if (seg.kMin > seg.kMax)
          throw new UsageError(`--k-min (${seg.kMin}) is larger than --k-max (${seg.kMax})`);
        const methods = parseMethods(flags.methods, seg.method);
        const progress = createProgress(!flags.quiet && !flags.json);
        let r: EvaluateResult;
        try {
          r = await evaluatePipeline({
            config,
            methods,
            ...(outFile ? { out: resolve(outFile) } : {}),
            onProgress: progress.update,
          });
        } finally {
          progress.stop();
        }
        if (flags.json) out(JSON.stringify(r, jsonReplacer, 2));
        else if (!flags.quiet) printEvaluation(r);
      },
    );

  program
    .command('assign')
    .description('assign customers to segments with a saved model.json')
    .requiredOption('-m, --model <file>', 'model.json written by segmint run')
    .option('-t, --transactions <file>', 'transactions file (when the model was trained on transactions)')
    .option('-c, --customers <file>', 'customer attributes file (when the model uses attributes)')
    .option('-e, --events <file>', 'events file (when the model uses engagement)')
    .requiredOption('-o, --out <file>', 'output file, .csv or .parquet')
    .option('--as-of <date>', 'reference date for recency (default: as the model was trained)')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .action(
      async (flags: {
        model: string;
        transactions?: string;
        customers?: string;
        events?: string;
        out: string;
        asOf?: string;
        quiet?: boolean;
      }) => {
        const progress = createProgress(!flags.quiet);
        try {
          const r = await assignPipeline({
            modelPath: flags.model,
            ...(flags.transactions ? { transactions: flags.transactions } : {}),
            ...(flags.customers ? { customers: flags.customers } : {}),
            ...(flags.events ? { events: flags.events } : {}),
            out: flags.out,
            ...(flags.asOf ? { asOf: flags.asOf } : {}),
            onProgress: progress.update,
          });
          progress.stop();
          if (!flags.quiet) {
            out(`Assigned ${fmt(r.customers)} customers (as of ${r.asOf}) → ${r.out}`);
            for (const s of r.perSegment)
              out(`  ${String(s.segment).padStart(2)}  ${s.name.padEnd(36)} ${fmt(s.size).padStart(9)}`);
          }
        } finally {
          progress.stop();
        }
      },
    );

  program
    .command('quality')
    .description('report the data quality of a transactions file without segmenting')
    .argument('<file>', 'transactions file')
    .option('-o, --out <dir>', 'write quality.json and rejects/transactions.csv to this folder')
    .option('--columns <role=name,...>', 'column mapping, e.g. customerId=Cust,date=Day')
    .option('--delimiter <char>', 'CSV delimiter (default: detected)')
    .addOption(
      new Option('--encoding <enc>', 'text encoding (default: detected)').choices([
        'utf-8',
        'utf-16',
        'latin-1',
      ]),
    )
    .option('--date-format <fmt>', 'strptime format of dates (default: detected)')
    .option('--json', 'print the report as JSON')
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .action(async (file: string, flags: RunFlags & { json?: boolean }) => {
      const config = parseConfig({ transactions: transactionsFromFlags(file, flags) }, 'flags');
      const q = await qualityCheck(config, flags.out);
      if (flags.json) {
        out(JSON.stringify(q, null, 2));
        return;
      }
      out(`${q.file}: ${fmt(q.rows)} rows — ${fmt(q.used)} usable, ${fmt(q.rejected)} rejected`);
      for (const [reason, n] of Object.entries(q.rejectedByReason))
        out(`  rejected ${reason.padEnd(22)} ${fmt(n).padStart(10)}`);
      if (q.dateRange) out(`  dates ${q.dateRange.min} to ${q.dateRange.max}`);
      for (const c of q.checks) if (c.count > 0) out(`  ${c.name}: ${fmt(c.count)} — ${c.action}`);
      const missing = q.columns.filter((c) => c.missing > 0);
      if (missing.length)
        out(`  missing values: ${missing.map((c) => `${c.name} ${fmt(c.missing)}`).join(', ')}`);
      if (flags.out)
        out(`Wrote ${join(flags.out, 'quality.json')} and ${join(flags.out, 'rejects', 'transactions.csv')}`);
    });

  program
    .command('demo')
    .description('generate a realistic synthetic retail data set and run the whole pipeline on it')
    .option('-o, --out <dir>', 'output folder', 'segmint-demo')
    .option('--customers <n>', 'number of customers to generate', '2000')
    .option('--seed <n>', 'random seed', '42')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .action(async (flags: { out: string; customers: string; seed: string; quiet?: boolean }) => {
      const customers = intFlag(flags.customers, '--customers', 10);
      const seed = intFlag(flags.seed, '--seed');
      const outDir = resolve(flags.out);
      const dataDir = join(outDir, 'data');
      if (!flags.quiet)
        out(
          `Generating demo data: ${fmt(customers)} customers with planted segments → ${relative(process.cwd(), dataDir) || '.'}`,
        );
      const demo = await generateDemoData(dataDir, { customers, seed });
      const yamlConfig = {
        transactions: { path: 'data/transactions.csv' },
        customers: { path: 'data/customers.csv' },
        events: { path: 'data/events.csv' },
        segmentation: { k: 'auto', seed },
        output: { dir: '.' },
      };
      await writeFileAtomic(
        join(outDir, 'segmint.yaml'),
        `# segmint config for the demo data; run it again with: segmint run ${join(relative(process.cwd(), outDir) || '.', 'segmint.yaml')}\n${stringify(yamlConfig)}`,
      );
      const config = await loadConfig(join(outDir, 'segmint.yaml'));
      const progress = createProgress(!flags.quiet);
      let result: RunResult;
      try {
        result = await runPipeline({ config, onProgress: progress.update, argv: process.argv.slice(2) });
      } finally {
        progress.stop();
      }
      if (!flags.quiet) {
        printRun(result);
        const { ari } = await compareWithTruth(join(outDir, 'segments.csv'), demo.truth);
        out(
          `The demo data has ${demo.plantedSegments.length} planted segments (${demo.plantedSegments.map((p) => p.name).join(', ')}; ` +
            `truth in ${relative(process.cwd(), demo.truth)}). Agreement of the ${result.k} segments found with them: ` +
            `adjusted Rand index ${ari.toFixed(2)} (1 = the same grouping).`,
        );
      }
    });

  return program;
}

async function runConfig(configPath: string | undefined, flags: RunFlags): Promise<Config> {
  let raw: Record<string, unknown>;
  let source = 'flags';
  if (configPath || (!flags.transactions && !flags.customers && existsSync('segmint.yaml'))) {
    const path = configPath ?? 'segmint.yaml';
    const loaded = await loadConfig(path);
    raw = loaded as unknown as Record<string, unknown>;
    source = `${path} with flags`;
  } else if (!flags.transactions && !flags.customers) {
    throw new UsageError(
      'nothing to segment: pass a config file (segmint run segmint.yaml) or --transactions FILE; try segmint demo for an example',
    );
  } else {
    raw = {};
  }
  const cfg = structuredClone(raw) as Record<string, Record<string, unknown>>;
  if (flags.transactions)
    cfg['transactions'] = transactionsFromFlags(flags.transactions, flags, cfg['transactions']);
  else if (flags.columns || flags.delimiter || flags.encoding || flags.dateFormat) {
    cfg['transactions'] = transactionsFromFlags(
      String(cfg['transactions']?.['path'] ?? ''),
      flags,
      cfg['transactions'],
    );
  }
  if (flags.customers)
    cfg['customers'] = {
      ...(cfg['customers'] ?? {}),
      path: flags.customers,
      ...(flags.encoding ? { encoding: flags.encoding } : {}),
    };
  if (flags.events)
    cfg['events'] = {
      ...(cfg['events'] ?? {}),
      path: flags.events,
      ...(flags.encoding ? { encoding: flags.encoding } : {}),
    };
  const seg = { ...(cfg['segmentation'] ?? {}) };
  if (flags.method !== undefined) seg['method'] = flags.method;
  if (flags.k !== undefined) seg['k'] = flags.k === 'auto' ? 'auto' : intFlag(flags.k, '--k', 1);
  if (flags.seed !== undefined) seg['seed'] = intFlag(flags.seed, '--seed');
  cfg['segmentation'] = seg;
  const output = { ...(cfg['output'] ?? {}) };
  if (flags.out) output['dir'] = resolve(flags.out);
  if (flags.memory) output['memory'] = true;
  if (flags.currency) output['currency'] = flags.currency;
  cfg['output'] = output;
  if (flags.asOf) cfg['features'] = { ...(cfg['features'] ?? {}), asOf: flags.asOf };
  return parseConfig(cfg, source);
}

function transactionsFromFlags(
  path: string,
  flags: RunFlags,
  base: Record<string, unknown> = {},
): Record<string, unknown> {
  const t: Record<string, unknown> = { ...base, path };
  if (flags.delimiter)
    t['delimiter'] = flags.delimiter === '\\t' || flags.delimiter === 'tab' ? '\t' : flags.delimiter;
  if (flags.encoding) t['encoding'] = flags.encoding;
  if (flags.dateFormat) t['dateFormat'] = flags.dateFormat;
  if (flags.columns) {
    const cols: Record<string, string> = { ...((base['columns'] as Record<string, string>) ?? {}) };
    for (const pair of flags.columns.split(',')) {
      const m = pair.match(/^\s*([A-Za-z]+)\s*=\s*(.+?)\s*$/);
      if (!m) throw new UsageError(`--columns takes role=name pairs separated by commas, got "${pair}"`);
      cols[m[1]!] = m[2]!;
    }
    t['columns'] = cols;
  }
  return t;
}

function intFlag(v: string, name: string, min = -Infinity): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${name} must be a whole number${min > -Infinity ? ` ≥ ${min}` : ''}, got "${v}"`);
  return n;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function pct(x: number): string {
  // A tiny negative share (net returners) rounds to 0.0%, not "-0.0%".
  return `${(Math.abs(x) < 0.0005 ? 0 : 100 * x).toFixed(1)}%`;
}

function printRun(r: RunResult): void {
  for (const q of r.quality) {
    out(
      `${q.input[0]!.toUpperCase()}${q.input.slice(1)}: ${fmt(q.inputRows)} rows — ${fmt(q.used)} used, ${fmt(q.rejected)} rejected (see quality.json)`,
    );
  }
  out(
    `Segmented ${fmt(r.customers)} customers into ${r.k} segment${r.k === 1 ? '' : 's'} with ${r.method} (${r.kReason})`,
  );
  if (r.noise > 0)
    out(
      `${fmt(r.noise)} ${r.noise === 1 ? 'customer fits no segment and is' : 'customers fit no segment and are'} listed as segment 0, ${JSON.stringify(NOISE_NAME)}`,
    );
  out('');
  const money = r.segments.some((s) => s.revenueShare !== 0);
  const width = Math.max(24, ...r.segments.map((s) => s.name.length));
  out(
    `  #  ${'segment'.padEnd(width)} ${'customers'.padStart(10)} ${'share'.padStart(7)}${money ? ` ${'revenue'.padStart(8)}` : ''}`,
  );
  for (const s of r.segments) {
    out(
      `${String(s.segment).padStart(3)}  ${s.name.padEnd(width)} ${fmt(s.size).padStart(10)} ${pct(s.share).padStart(7)}${money ? ` ${pct(s.revenueShare).padStart(8)}` : ''}`,
    );
  }
  const sv = r.supervised;
  if (sv) {
    out(
      `Held-out check: ${(100 * sv.accuracy).toFixed(1)}% of ${fmt(sv.test)} labelled customers predicted right` +
        (sv.oobScore !== null
          ? ` (out-of-bag ${(100 * sv.oobScore).toFixed(1)}% on all ${fmt(sv.labelled)})`
          : ''),
    );
    for (const p of sv.perSegment) {
      out(
        `  ${p.name.padEnd(28)} precision ${pct(p.precision).padStart(6)}  recall ${pct(p.recall).padStart(6)}  (${fmt(p.support)} held out)`,
      );
    }
  }
  out('');
  printValue(r);
  const rel = relative(process.cwd(), r.outDir) || '.';
  out(`Wrote ${r.files.filter((f) => !f.startsWith('rejects')).join(', ')} and rejects/ to ${rel}`);
  if (r.files.includes('report.html'))
    out(`Open ${join(rel, 'report.html')} in a browser to read the report.`);
}

/** Lifetime value in two lines: the model's prediction, and how it did on the held-out period. */
function printValue(r: RunResult): void {
  const v = r.value;
  if (!v) return;
  for (const note of v.notes) out(`Customer value: ${note}`);
  if (v.model === null) {
    if (v.notes.length > 0) out('');
    return;
  }
  const alive = `mean probability still a customer ${pct(v.meanProbabilityAlive)}`;
  out(
    v.totalClv === null
      ? `Lifetime value (${v.model}): ${alive}; no spend prediction: ${v.clvNote ?? 'not computed'}`
      : `Lifetime value (${v.model}): predicted ${v.months}-month value ${fmt(Math.round(v.totalClv))} in all; ${alive}`,
  );
  const h = v.holdout;
  if (h) {
    out(
      `  holdout check: fitted up to ${h.calibrationEnd}, it predicted ${fmt(Math.round(h.predicted))} repeat purchases after it; there were ${fmt(h.actual)} (mean absolute error ${h.mae.toFixed(2)} per customer)`,
    );
  } else if (v.holdoutNote) out(`  no holdout check: ${v.holdoutNote}`);
  out('');
}

function parseMethods(list: string | undefined, configured: string): KMethod[] {
  if (list === undefined)
    return [(K_METHODS as readonly string[]).includes(configured) ? (configured as KMethod) : 'kmeans'];
  const names = list
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  for (const m of names) {
    if (!(K_METHODS as readonly string[]).includes(m)) {
      throw new UsageError(
        `--methods: "${m}" cannot be swept over k; choose from ${K_METHODS.join(', ')} (dbscan and hdbscan find k themselves)`,
      );
    }
  }
  if (names.length === 0) throw new UsageError('--methods is empty; name at least one method');
  return [...new Set(names)] as KMethod[];
}

function printEvaluation(r: EvaluateResult): void {
  out(`Evaluated ${fmt(r.customers)} customers on ${r.features.join(', ')}`);
  const num = (v: number | null, digits: number) =>
    v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits);
  for (const m of r.methods) {
    const s = m.selection;
    out('');
    out(
      `${m.label} (${m.seconds.toFixed(1)} s)${s.sampled ? ` — on a sample of ${fmt(s.fittedOn)} customers` : ''}`,
    );
    const mixture = s.evaluations.some((e) => e.bic !== null);
    const head = [
      '   k',
      'inertia'.padStart(12),
      'silhouette'.padStart(10),
      'Calinski-H'.padStart(11),
      'Davies-B'.padStart(9),
      ...(mixture ? ['BIC'.padStart(11)] : []),
      'gap ± s'.padStart(15),
      'stability'.padStart(11),
      'pred.str'.padStart(8),
    ];
    out(head.join(' '));
    for (const e of s.evaluations) {
      out(
        [
          `${e.k === s.recommended ? '*' : ' '}${String(e.k).padStart(3)}`,
          num(e.inertia, 1).padStart(12),
          num(e.silhouette, 3).padStart(10),
          num(e.calinskiHarabasz, 1).padStart(11),
          num(e.daviesBouldin, 3).padStart(9),
          ...(mixture ? [num(e.bic, 1).padStart(11)] : []),
          `${num(e.gap, 3)} ± ${num(e.gapSE, 3)}`.padStart(15),
          `${num(e.stability, 2)} ± ${num(e.stabilitySD, 2)}`.padStart(11),
          num(e.predictionStrength, 2).padStart(8),
        ].join(' '),
      );
    }
    for (const v of s.votes)
      out(
        `  ${(CRITERION_LABELS[v.criterion] + ':').padEnd(21)} ${v.k === null ? '—' : `k = ${v.k}`.padEnd(6)}  ${v.rule}`,
      );
    out(`  → ${m.summary}`);
    for (const reason of s.reasons) out(`    ${reason}`);
  }
  out('');
  out(
    `Recommendation: ${METHOD_LABELS[r.best.method]} with k = ${r.best.k}. ${r.methods.length > 1 ? r.best.reason : ''}`.trim(),
  );
  out(
    `Run it with: segmint run --method ${r.best.method} --k ${r.best.k}` +
      (r.out ? `   (details in ${relative(process.cwd(), r.out)})` : ''),
  );
}
