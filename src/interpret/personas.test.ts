// Action rules: the defaults are valid, bad rule sets are refused with every problem named by rule and field, and
// buildPersonas applies the first rule whose conditions all hold.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Profiles, SegmentProfile } from '../profile/index.js';
import {
  actionRuleProblems,
  buildPersonas,
  checkActionRules,
  DEFAULT_ACTION_RULES,
  type ActionRule,
} from './personas.js';
import type { PersonaData } from './persona-data.js';

function profile(segment: number, z: Record<string, number>): SegmentProfile {
  const features = Object.fromEntries(
    Object.entries(z).map(([f, v]) => [f, { mean: 10 + v, median: 10 + v, lift: 1, z: v, smd: v }]),
  );
  return {
    segment,
    name: `Segment ${segment}`,
    size: 10,
    share: 0.25,
    revenue: 1,
    revenueShare: 0.25,
    features,
    distinctive: [],
    categories: {},
    flags: [],
  };
}

const FEATURES = ['recency_days', 'frequency', 'monetary', 'tenure_days', 'p_alive'].map((name) => ({
  name,
  label: name,
}));

function personasOf(zs: Record<string, number>[], rules?: readonly ActionRule[]) {
  const segments = zs.map((z, i) => profile(i + 1, z));
  const overall = Object.fromEntries(FEATURES.map((f) => [f.name, { mean: 10, median: 10, sd: 1 }]));
  const profiles: Profiles = { asOf: '2026-01-01', customers: 40, revenue: 4, overall, segments };
  const data: PersonaData = { segments: [], overall: { weekdays: null, hours: null } };
  return buildPersonas(profiles, data, rules, { features: FEATURES, clustered: ['frequency'] });
}

describe('action rules', () => {
  test('the defaults are valid and end in a fallback', () => {
    assert.deepEqual(actionRuleProblems(DEFAULT_ACTION_RULES), []);
    assert.deepEqual(DEFAULT_ACTION_RULES.at(-1)!.when, []);
  });

  test('every problem is named by rule position, rule name and field', () => {
    const bad = [
      { name: 'Fine', why: 'ok', when: [] },
      { name: 'No threshold', why: 'x', when: [{ feature: 'frequency' }] },
      { name: 'Typo', why: 'x', when: [{ feature: 'monetary', abvoe: 1 }] },
      { name: 'Empty range', why: 'x', when: [{ feature: 'monetary', above: 1, below: 0 }] },
      { name: '', when: [] },
    ];
    const problems = actionRuleProblems(bad, 'personas.actions').map((p) => `${p.where}: ${p.message}`);
    assert.ok(
      problems.some((p) =>
        p.startsWith('personas.actions[1] ("No threshold").when[0]: needs above or below'),
      ),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('personas.actions[2] ("Typo").when[0]') && /abvoe/.test(p)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) =>
        p.startsWith('personas.actions[3] ("Empty range").when[0]: above must be less than below'),
      ),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('personas.actions[4] ("").name')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('personas.actions[4] ("").why')),
      problems.join('\n'),
    );
    assert.ok(!problems.some((p) => p.startsWith('personas.actions[0]')));
    assert.throws(
      () => checkActionRules(bad),
      (e: unknown) => e instanceof TypeError && /5 problem\(s\)|6 problem\(s\)/.test(e.message),
    );
    assert.throws(() => checkActionRules([]), /actions: /);
    assert.throws(() => checkActionRules('win back'), TypeError);
  });

  test('default rules: first match wins on the profile z-scores', () => {
    const ps = personasOf([
      { monetary: 1, recency_days: 1 }, // lapsed big spender
      { recency_days: -1, frequency: 1, monetary: 1 }, // champion
      { tenure_days: -1, recency_days: -0.5, frequency: -1, monetary: -1 }, // new
      { monetary: -1, recency_days: 1 }, // lapsed small spender
      { p_alive: 0.5, monetary: 0 }, // growable
      { frequency: 0.1 }, // nothing stands out
    ]);
    assert.deepEqual(
      ps.map((p) => p.action.name.split(':')[0]),
      [
        'Win back',
        'Reward and retain',
        'Onboard',
        'Low-cost reactivation or let go',
        'Grow',
        'Keep in regular campaigns',
      ],
    );
    assert.match(ps[0]!.action.why, /\(monetary 11 vs 10 on average; recency_days 11 vs 10 on average\)\.$/);
  });

  test('a feature list uses the first the data has; a missing feature fails the condition', () => {
    const rules: ActionRule[] = [
      { name: 'A', why: 'a', when: [{ feature: ['predicted_clv', 'monetary'], above: 0.5 }] },
      { name: 'B', why: 'b', when: [{ feature: 'engagement_events', above: -10 }] },
      { name: 'C', why: 'c', when: [] },
    ];
    assert.deepEqual(
      personasOf([{ monetary: 1 }, { monetary: 0 }], rules).map((p) => p.action.name),
      ['A', 'C'],
    );
  });
});
