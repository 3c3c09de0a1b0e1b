/**
 * `segmint quality`: reads and cleans one transactions file and reports its data quality, without segmenting.
 * @module
 */
import type { Config } from '../config/index.js';
import { DuckDBEngine, type Engine } from '../engine/index.js';
import { checkAmountRoles, detectSource, loadRawTable, resolveColumns, TRANSACTION_ROLES } from '../ingest/index.js';
import { cleanTransactions, type InputQuality } from '../quality/index.js';
import { Staging } from '../output/index.js';

/** Checks `config.transactions`; with `outDir`, writes quality.json and rejects/transactions.csv there. */
export async function qualityCheck(config: Config, outDir?: string, now = new Date()): Promise<InputQuality> {
  const staging = outDir ? await Staging.create(outDir) : undefined;
  let engine: Engine | undefined;
  try {
    engine = await DuckDBEngine.open({ path: ':memory:' });
    const t = config.transactions;
    const source = await detectSource(engine, t.path, 'transactions', {
      ...(t.format ? { format: t.format } : {}),
      ...(t.delimiter ? { delimiter: t.delimiter } : {}),
      ...(t.header !== undefined ? { header: t.header } : {}),
      ...(t.encoding ? { encoding: t.encoding } : {}),
    });
    const raw = await loadRawTable(engine, 'raw_transactions', source, 'transactions');
    const cols = raw.columns.map((c) => c.name);
    const label = `transactions file ${t.path}`;
    const roles = resolveColumns(cols, {
      label,
      mapping: t.columns,
      required: ['customerId', 'date'],
      optional: TRANSACTION_ROLES.filter((r) => r !== 'customerId' && r !== 'date'),
      configPath: 'transactions.columns',
    });
    checkAmountRoles(roles, label, cols);
    const r = await cleanTransactions(engine, raw, roles, config, now);
    if (staging) {
      await staging.writeJson('quality.json', { balanced: r.quality.used + r.quality.rejected === r.quality.rows, inputs: [r.quality] });
      await engine.exec(engine.dialect.copyTo(`SELECT * FROM ${r.rejectsTable}`, await staging.path('rejects/transactions.csv'), 'csv'));
    }
    await engine.close();
    engine = undefined;
    await staging?.commit();
    return r.quality;
  } catch (e) {
    await engine?.close().catch(() => undefined);
    await staging?.abort();
    throw e;
  }
}
