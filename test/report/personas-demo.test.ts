// Personas end to end on demo data with planted segments: the pipeline's stages up to the profiles run as
// run-pipeline.ts calls them, then gatherPersonaData + buildPersonas. Each planted group's persona must name its
// planted traits and get the action its behaviour calls for; the Markdown carries every persona.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/index.js';
import { generateDemoData } from '../../src/demo/index.js';
import { DuckDBEngine } from '../../src/engine/index.js';
import { gatherPersonaData, type PersonaData } from '../../src/interpret/persona-data.js';
import { buildPersonas, type Persona } from '../../src/interpret/personas.js';
import { personasMarkdown } from '../../src/interpret/personas-markdown.js';
import { buildClusterInput } from '../../src/pipeline/cluster-input.js';
import { prepare } from '../../src/pipeline/prepare.js';
import { createLabelsTable } from '../../src/pipeline/segments-table.js';
import { profileSegments, type Profiles } from '../../src/profile/index.js';
import { getSegmenter } from '../../src/segment/index.js';
import { computeCustomerValue } from '../../src/value/index.js';
import { tempDir } from '../helpers.js';

process.env['TZ'] = 'UTC';

describe('personas on planted demo data', () => {
  let engine: DuckDBEngine;
  let personas: Persona[];
  let profiles: Profiles;
  let data: PersonaData;
  let defs: { name: string; label: string }[];
  let clustered: string[];
  /** Planted group name → the persona holding most of its customers. */
  const byPlanted = new Map<string, Persona>();
  const planted = new Map<string, string>();

  before(async () => {
    const dir = tempDir('segmint-personas-');
    const demo = await generateDemoData(join(dir, 'data'), { customers: 1500, seed: 11 });
    const config = parseConfig(
      {
        transactions: { path: demo.transactions },
        customers: { path: demo.customers },
        events: { path: demo.events },
        segmentation: { method: 'kmeans', k: 5, seed: 11 },
        output: { dir: join(dir, 'out'), memory: true },
      },
      'test',
    );
    engine = await DuckDBEngine.open({ path: ':memory:', threads: 2 });
    const prep = await prepare(engine, config, new Date('2026-07-15T00:00:00Z'), () => undefined);
    const value = await computeCustomerValue(engine, config.value, {
      asOf: prep.features.asOf,
      hasTransactions: true,
      method: 'kmeans',
    });
    if (value) prep.features.features.push(...value.features);
    defs = prep.features.features;
    const { clusterNames, log1p, matrix, input } = await buildClusterInput(
      engine,
      config,
      prep.features.features,
      true,
    );
    clustered = clusterNames;
    const seg = await getSegmenter('kmeans').fit(input, config.segmentation);
    await createLabelsTable(engine, seg.labels);
    profiles = await profileSegments(engine, {
      features: prep.features.features,
      log1p,
      categories: [],
      asOf: prep.features.asOf,
      k: seg.k,
    });
    data = await gatherPersonaData(engine, {
      k: seg.k,
      hasTransactions: true,
      hasProduct: true,
      hasEvents: true,
      hasCustomers: true,
      scaledMatrix: matrix,
      labels: seg.labels,
    });
    personas = buildPersonas(profiles, data, undefined, { features: defs, clustered, currency: 'GBP' });

    for (const line of readFileSync(demo.truth, 'utf8').trim().split('\n').slice(1)) {
      const [id, group] = line.split(',');
      planted.set(id!, group!);
    }
    const ids = (
      await engine.columns('SELECT customer_id FROM features ORDER BY _pos', ['text'])
    )[0] as string[];
    const counts = new Map<string, number[]>();
    ids.forEach((id, i) => {
      const g = planted.get(id);
      if (g === undefined) return;
      const c = counts.get(g) ?? new Array<number>(seg.k).fill(0);
      c[seg.labels[i]!]!++;
      counts.set(g, c);
    });
    for (const [g, c] of counts) byPlanted.set(g, personas[c.indexOf(Math.max(...c))]!);
  });
  after(() => engine?.close());

  const persona = (group: string) => {
    const p = byPlanted.get(group);
    assert.ok(p, `no persona for planted group ${group}: ${[...byPlanted.keys()].join(', ')}`);
    return p;
  };
  const show = (p: Persona) => `${p.name}: ${p.action.name} — ${p.traits.join(' | ')}`;

  test('champions: recent, frequent, high spending — rewarded', () => {
    const p = persona('Champions');
    assert.match(p.action.name, /^Reward and retain/, show(p));
    assert.ok(
      p.traits.some((t) => /orders each — \d+(\.\d)?× the average/.test(t)),
      show(p),
    );
    assert.ok(p.valueShare.revenue > 2 * p.share, 'champions bring far more than their share of revenue');
  });

  test('at-risk big spenders: lapsed and high value — won back', () => {
    const p = persona('At-risk big spenders');
    assert.match(p.action.name, /^Win back/, show(p));
    assert.match(p.action.why, /Days since last purchase/);
    assert.ok(
      p.traits.some((t) => /last bought \d+ months ago/.test(t)),
      show(p),
    );
  });

  test('new customers: recent first purchase — onboarded', () => {
    const p = persona('New customers');
    assert.match(p.action.name, /^Onboard/, show(p));
    assert.ok(
      p.traits.some((t) => /(first|last) bought \d+ (days|weeks) ago/.test(t)),
      show(p),
    );
  });

  test('hibernating bargain hunters: low value, lapsed — low-cost reactivation', () => {
    const p = persona('Hibernating bargain hunters');
    assert.match(p.action.name, /^Low-cost reactivation/, show(p));
  });

  test('loyal regulars: active, mid value — grown by cross-selling', () => {
    const p = persona('Loyal regulars');
    assert.match(p.action.name, /^Grow: cross-sell/, show(p));
  });

  test('behaviour and typical customer are filled from the demo data', () => {
    for (const p of personas) {
      assert.equal(p.behaviour.busiestDays.length, 2);
      assert.ok(p.behaviour.topProducts.length > 0);
      assert.ok(p.behaviour.channels.some((c) => c.channel === 'email_open'));
      assert.ok(p.typicalCustomer && planted.has(p.typicalCustomer.customerId));
      assert.deepEqual(
        p.typicalCustomer.values.map((v) => v.feature),
        ['recency_days', 'frequency', 'monetary'],
      );
      assert.ok(p.valueShare.predictedClv !== null && p.valueShare.predictedClv >= 0);
    }
    const clv = personas.reduce((a, p) => a + p.valueShare.predictedClv!, 0);
    assert.ok(Math.abs(clv - 1) < 1e-6, `predicted CLV shares sum to ${clv}`);
    // Champions were planted as the heaviest app users, hibernating customers as barely engaged.
    const app = (p: Persona) => p.behaviour.channels.find((c) => c.channel === 'app_open')?.lift ?? 0;
    assert.ok(app(persona('Champions')) > app(persona('Hibernating bargain hunters')));
  });

  test('markdown carries every persona’s name, size and action', () => {
    const md = personasMarkdown(personas, { currency: 'GBP' });
    for (const p of personas) {
      assert.ok(md.includes(`## ${p.segment}. ${p.name}`), p.name);
      assert.ok(md.includes(`**${new Intl.NumberFormat('en-US').format(p.size)} customers**`));
      assert.ok(md.includes(`**Action: ${p.action.name}**`));
    }
    assert.match(md, /^# Personas\n/);
    // SEGMINT_PERSONAS_MD=/path.md keeps the text for a person to read.
    const keep = process.env['SEGMINT_PERSONAS_MD'];
    if (keep) writeFileSync(keep, md);
  });

  test('names: an override by segment number wins (as scoring passes model.json names), others stay', () => {
    const named = buildPersonas(profiles, data, undefined, {
      features: defs,
      clustered,
      names: { 2: 'Weekend browsers' },
    });
    assert.equal(named[1]!.name, 'Weekend browsers');
    assert.equal(named[0]!.name, personas[0]!.name);
    assert.deepEqual(
      buildPersonas(profiles, data, undefined, { features: defs, clustered }).map((p) => p.name),
      personas.map((p) => p.name),
      'the same model gives the same names',
    );
  });

  test('a custom rule set is followed, first match wins', () => {
    const custom = buildPersonas(
      profiles,
      data,
      [
        { name: 'Heavy buyers', why: 'Many orders', when: [{ feature: 'frequency', above: 1 }] },
        { name: 'Everyone else', why: 'The rest', when: [] },
      ],
      { features: defs, clustered },
    );
    const champions = custom.find((p) => p.segment === persona('Champions').segment)!;
    assert.equal(champions.action.name, 'Heavy buyers');
    assert.match(champions.action.why, /^Many orders \(Orders [\d.]+ vs [\d.]+ on average\)\.$/);
    assert.equal(
      custom.find((p) => p.segment === persona('Hibernating bargain hunters').segment)!.action.name,
      'Everyone else',
    );
  });
});
