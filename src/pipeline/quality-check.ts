/**
 * `segmint quality`: reads and cleans one transactions file and reports its data quality, without segmenting.
 * @module
 */
import type { Config } from '../config/index.js';
import { DuckDBEngine, type Engine } from '../engine/index.js';
import type { InputQuality } from '../quality/index.js';
import { Staging } from '../output/index.js';
import { InputError } from '../util/errors.js';
import { prepareTransactions } from './prepare.js';

/** Checks `config.transactions`; with `outDir`, writes quality.json and rejects/transactions.csv there. */
export async function qualityCheck(config: Config, outDir?: string, now = new Date()): Promise<InputQuality> {
  if (!config.transactions) throw new InputError('quality needs a transactions file');
  const staging = outDir ? await Staging.create(outDir) : undefined;
  let engine: Engine | undefined;
  try {
    engine = await DuckDBEngine.open({ path: ':memory:' });
    const r = await prepareTransactions(engine, config, config.transactions, now, () => undefined);
    if (staging) {
      await staging.writeJson('quality.json', {
        balanced: r.quality.used + r.quality.rejected === r.quality.rows,
        inputs: [r.quality],
      });
      await engine.exec(
        engine.dialect.copyTo(
          `SELECT * FROM ${r.rejectsTable}`,
          await staging.path('rejects/transactions.csv'),
          'csv',
        ),
      );
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
