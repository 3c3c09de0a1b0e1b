/**
 * The shared front half of `run` and `assign`: ingest every input, clean it with a quality report, and build the
 * per-customer features table.
 * @module
 */
import type { Engine } from '../engine/index.js';
import type { Config } from '../config/index.js';
import {
  checkAmountRoles,
  detectSource,
  loadRawTable,
  resolveColumns,
  TRANSACTION_ROLES,
  type RawTable,
} from '../ingest/index.js';
import {
  cleanCustomers,
  cleanEvents,
  cleanTransactions,
  type CleanCustomersResult,
  type CleanTransactionsResult,
  type InputQuality,
  type QualityReport,
} from '../quality/index.js';
import { InputError } from '../util/errors.js';
import { buildFeatures, type FeatureSpec, type FeaturesResult } from '../features/index.js';

export type StepFn = (step: string) => void;

export interface Prepared {
  quality: QualityReport;
  features: FeaturesResult;
  customers?: CleanCustomersResult;
  /** Rejects tables to write, by input name. */
  rejects: { input: string; table: string }[];
  /** Column mapping actually used, by input. */
  mappings: Record<string, Record<string, string | undefined>>;
  /** Detected transactions date format (saved for scoring). */
  dateFormat?: string;
  hasCountry: boolean;
}

async function ingest(
  engine: Engine,
  input: NonNullable<Config['customers'] | Config['events'] | Config['transactions']>,
  table: string,
  label: string,
): Promise<RawTable> {
  const source = await detectSource(engine, input.path, label, {
    ...(input.format ? { format: input.format } : {}),
    ...(input.delimiter ? { delimiter: input.delimiter } : {}),
    ...(input.header !== undefined ? { header: input.header } : {}),
    ...(input.encoding ? { encoding: input.encoding } : {}),
  });
  return loadRawTable(engine, table, source, label);
}

export async function prepare(
  engine: Engine,
  config: Config,
  now: Date,
  step: StepFn,
  spec?: FeatureSpec,
): Promise<Prepared> {
  const inputs: InputQuality[] = [];
  const rejects: Prepared['rejects'] = [];
  const mappings: Prepared['mappings'] = {};
  const tx = config.transactions
    ? await prepareTransactions(engine, config, config.transactions, now, step)
    : undefined;
  if (tx) {
    inputs.push(tx.quality);
    rejects.push({ input: 'transactions', table: tx.rejectsTable });
    mappings['transactions'] = tx.roles;
  }

  let customers: CleanCustomersResult | undefined;
  if (config.customers) {
    step('Reading customers');
    const raw = await ingest(engine, config.customers, 'raw_customers', 'customers');
    const roles = resolveColumns(
      raw.columns.map((c) => c.name),
      {
        label: `customers file ${config.customers.path}`,
        mapping: config.customers.columns,
        required: ['customerId'],
        optional: [],
        configPath: 'customers.columns',
      },
    );
    customers = await cleanCustomers(engine, raw, roles['customerId']!, config.customers);
    rejects.push({ input: 'customers', table: customers.rejectsTable });
    mappings['customers'] = roles;
    inputs.push(customers.quality);
  }

  let eventTypes: string[] | undefined;
  if (config.events) {
    step('Reading events');
    const raw = await ingest(engine, config.events, 'raw_events', 'events');
    const roles = resolveColumns(
      raw.columns.map((c) => c.name),
      {
        label: `events file ${config.events.path}`,
        mapping: config.events.columns,
        required: ['customerId', 'timestamp'],
        optional: ['type'],
        configPath: 'events.columns',
      },
    );
    const ev = await cleanEvents(engine, raw, roles, config, now);
    eventTypes = ev.types;
    rejects.push({ input: 'events', table: ev.rejectsTable });
    mappings['events'] = roles;
    inputs.push(ev.quality);
  }

  step('Computing features');
  const features = await buildFeatures(
    engine,
    {
      hasTransactions: Boolean(tx),
      hasProduct: Boolean(tx?.roles['product']),
      ...(eventTypes ? { eventTypes } : {}),
      ...(customers ? { attributes: customers.attributes } : {}),
      ...(config.features.asOf ? { asOf: config.features.asOf } : {}),
      maxCategories: config.features.maxCategories,
    },
    spec,
  );
  return {
    quality: { inputs, customersExcluded: features.excluded },
    features,
    ...(customers ? { customers } : {}),
    rejects,
    mappings,
    ...(tx?.dateFormat ? { dateFormat: tx.dateFormat } : {}),
    hasCountry: Boolean(tx?.roles['country']),
  };
}

/** Reads, maps and cleans the transactions file. */
export async function prepareTransactions(
  engine: Engine,
  config: Config,
  t: NonNullable<Config['transactions']>,
  now: Date,
  step: StepFn,
): Promise<CleanTransactionsResult & { roles: Record<string, string | undefined> }> {
  step('Reading transactions');
  const txRaw = await ingest(engine, t, 'raw_transactions', 'transactions');
  const txLabel = `transactions file ${t.path}`;
  const txCols = txRaw.columns.map((c) => c.name);
  const txRoles = resolveColumns(txCols, {
    label: txLabel,
    mapping: t.columns,
    required: ['customerId', 'date'],
    optional: TRANSACTION_ROLES.filter((r) => r !== 'customerId' && r !== 'date'),
    configPath: 'transactions.columns',
  });
  checkAmountRoles(txRoles, txLabel, txCols);

  step('Cleaning transactions');
  const tx = await cleanTransactions(engine, txRaw, txRoles, config, now);
  if (tx.quality.used === 0) {
    const top = Object.entries(tx.quality.rejectedByReason).sort((a, b) => b[1] - a[1])[0];
    throw new InputError(
      `${txLabel}: no usable transactions — all ${tx.quality.rows} rows were rejected${top ? ` (mostly ${top[0]}: ${top[1]})` : ''}`,
    );
  }
  return { ...tx, roles: txRoles };
}
