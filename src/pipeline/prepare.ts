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
import { cleanCustomers, cleanEvents, cleanTransactions, type CleanCustomersResult, type QualityReport } from '../quality/index.js';
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

async function ingest(engine: Engine, input: NonNullable<Config['customers'] | Config['events'] | Config['transactions']>, table: string, label: string): Promise<RawTable> {
  const source = await detectSource(engine, input.path, label, {
    ...(input.format ? { format: input.format } : {}),
    ...(input.delimiter ? { delimiter: input.delimiter } : {}),
    ...(input.header !== undefined ? { header: input.header } : {}),
    ...(input.encoding ? { encoding: input.encoding } : {}),
  });
  return loadRawTable(engine, table, source, label);
}

export async function prepare(engine: Engine, config: Config, now: Date, step: StepFn, spec?: FeatureSpec): Promise<Prepared> {
  step('Reading transactions');
  const txRaw = await ingest(engine, config.transactions, 'raw_transactions', 'transactions');
  const txLabel = `transactions file ${config.transactions.path}`;
  const txCols = txRaw.columns.map((c) => c.name);
  const txRoles = resolveColumns(txCols, {
    label: txLabel,
    mapping: config.transactions.columns,
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
  const rejects = [{ input: 'transactions', table: tx.rejectsTable }];
  const mappings: Prepared['mappings'] = { transactions: txRoles };
  const inputs = [tx.quality];

  let customers: CleanCustomersResult | undefined;
  if (config.customers) {
    step('Reading customers');
    const raw = await ingest(engine, config.customers, 'raw_customers', 'customers');
    const roles = resolveColumns(raw.columns.map((c) => c.name), {
      label: `customers file ${config.customers.path}`,
      mapping: config.customers.columns,
      required: ['customerId'],
      optional: [],
      configPath: 'customers.columns',
    });
    customers = await cleanCustomers(engine, raw, roles['customerId']!, config.customers);
    rejects.push({ input: 'customers', table: customers.rejectsTable });
    mappings['customers'] = roles;
    inputs.push(customers.quality);
  }

  let eventTypes: string[] | undefined;
  if (config.events) {
    step('Reading events');
    const raw = await ingest(engine, config.events, 'raw_events', 'events');
    const roles = resolveColumns(raw.columns.map((c) => c.name), {
      label: `events file ${config.events.path}`,
      mapping: config.events.columns,
      required: ['customerId', 'timestamp'],
      optional: ['type'],
      configPath: 'events.columns',
    });
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
      hasProduct: Boolean(txRoles['product']),
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
    ...(tx.dateFormat ? { dateFormat: tx.dateFormat } : {}),
    hasCountry: Boolean(txRoles['country']),
  };
}
