/**
 * Personas: one card per segment a marketing team can act on — who they are in plain words, when and what they
 * buy, which channels reach them, their typical customer and what to do next, from an editable rule set.
 * @module
 */
import { z } from 'zod';
import type { Profiles, SegmentProfile } from '../profile/index.js';
import type { Problem } from '../util/errors.js';
import type { PersonaData, SegmentBehaviour } from './persona-data.js';

/** A persona, JSON-ready (personas.json is `Persona[]`). */
export interface Persona {
  /** 1-based segment number as in segments.csv. */
  segment: number;
  name: string;
  size: number;
  /** Fraction of customers. */
  share: number;
  /** Fraction of net revenue, and of predicted lifetime value when the features have `predicted_clv`. */
  valueShare: { revenue: number; predictedClv: number | null };
  /** Plain-words sentences on what sets the segment apart, strongest first. */
  traits: string[];
  behaviour: {
    /** Share of the segment's purchases per weekday, Monday first, and per hour 0..23; null when not known. */
    weekdays: number[] | null;
    hours: number[] | null;
    /** Weekdays with the largest share of the segment's purchases, busiest first. */
    busiestDays: { day: string; share: number; lift: number }[];
    busiestHours: { hour: number; share: number; lift: number }[];
    topProducts: { product: string; share: number; lift: number }[];
    channels: { channel: string; share: number; lift: number }[];
    campaigns: { campaign: string; share: number; overall: number; lift: number }[];
  };
  /** The customer nearest the segment mean, with the clustered features' values; null when not known. */
  typicalCustomer: {
    customerId: string;
    values: { feature: string; label: string; value: number | null }[];
  } | null;
  /** What to do, from the first action rule that matches. */
  action: { name: string; why: string };
}

/**
 * A condition on one feature of a persona relative to all customers, on the profile's z-score (segment mean −
 * overall mean, in overall standard deviations, on the log scale for skewed features). `feature` may list
 * alternatives: the first the data has is used (e.g. predicted CLV, else net spend). A missing feature fails.
 */
export const ActionConditionSchema = z
  .strictObject({
    feature: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    /** Holds when z > above. */
    above: z.number().optional(),
    /** Holds when z < below. */
    below: z.number().optional(),
  })
  .refine((c) => c.above !== undefined || c.below !== undefined, {
    message: 'needs above or below (a z-score)',
  })
  .refine((c) => c.above === undefined || c.below === undefined || c.above < c.below, {
    message: 'above must be less than below, or nothing can match',
  });

/** An action rule: when every condition holds (an empty `when` always does), the persona gets this action. */
export const ActionRuleSchema = z.strictObject({
  name: z.string().min(1),
  /** Why, in words a marketer reads; the evidence (segment vs average) is appended. */
  why: z.string().min(1),
  when: z.array(ActionConditionSchema),
});

/** The rule set: first match wins. Embed in a config schema as `actions: ActionRulesSchema.optional()`. */
export const ActionRulesSchema = z.array(ActionRuleSchema).min(1);

export type ActionCondition = z.infer<typeof ActionConditionSchema>;
export type ActionRule = z.infer<typeof ActionRuleSchema>;

const LAPSED = 'recency_days';

/**
 * The default actions, first match wins; thresholds are z-scores against all customers (0.5 = half a standard
 * deviation). Override the whole list in the config to change them.
 */
export const DEFAULT_ACTION_RULES: readonly ActionRule[] = [
  {
    name: 'Win back: personal offer',
    why: 'They spent a lot but have not bought for a long time',
    when: [
      // Past spend, not predicted value: a lapsed customer's predicted value is low by definition.
      { feature: 'monetary', above: 0.5 },
      { feature: LAPSED, above: 0.5 },
    ],
  },
  {
    name: 'Reward and retain: loyalty perks, early access',
    why: 'Your best customers: recent, frequent and high spending',
    when: [
      { feature: LAPSED, below: -0.5 },
      { feature: 'frequency', above: 0.75 },
      { feature: 'monetary', above: 0.75 },
    ],
  },
  {
    name: 'Onboard: welcome series, second-purchase incentive',
    why: 'They only just started buying',
    when: [
      { feature: 'tenure_days', below: -0.75 },
      { feature: LAPSED, below: 0 },
    ],
  },
  {
    name: 'Low-cost reactivation or let go',
    why: 'They spent little and have not bought for a long time',
    when: [
      { feature: 'monetary', below: -0.5 },
      { feature: LAPSED, above: 0.5 },
    ],
  },
  {
    name: 'Grow: cross-sell',
    why: 'Likely still active with room to spend more',
    when: [
      { feature: 'p_alive', above: 0.25 },
      { feature: 'monetary', above: -0.5, below: 0.75 },
    ],
  },
  { name: 'Keep in regular campaigns', why: 'Nothing stands out enough to treat them differently', when: [] },
];

/**
 * Every problem in an action rule set, each naming the rule (position and name) and the field.
 *
 * @example
 * actionRuleProblems([{ name: 'X', why: 'y', when: [{ feature: 'frequency' }] }]);
 * // [{ where: 'actions[0] ("X").when[0]', message: 'needs above or below (a z-score)' }]
 */
export function actionRuleProblems(value: unknown, where = 'actions'): Problem[] {
  const r = ActionRulesSchema.safeParse(value);
  if (r.success) return [];
  return r.error.issues.map((issue) => {
    const [i, ...rest] = issue.path;
    let at = where;
    if (typeof i === 'number') {
      const name = (value as { name?: unknown }[])[i]?.name;
      at += `[${i}]${typeof name === 'string' ? ` (${JSON.stringify(name)})` : ''}`;
    }
    for (const p of rest) at += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
    return { where: at, message: issue.message };
  });
}

/**
 * Validates an action rule set (from a config file or code); throws one `TypeError` listing every problem.
 *
 * @example
 * const rules = checkActionRules(config.personas?.actions ?? DEFAULT_ACTION_RULES);
 */
export function checkActionRules(value: unknown, where = 'actions'): ActionRule[] {
  const problems = actionRuleProblems(value, where);
  if (problems.length > 0) {
    throw new TypeError(
      `invalid action rules (${problems.length} problem(s)): ${problems.map((p) => `${p.where}: ${p.message}`).join('; ')}`,
    );
  }
  return value as ActionRule[];
}

export interface PersonaOptions {
  /** Every feature's human label; one-hot columns of an attribute are left out of traits (FeatureDef fits). */
  features: readonly { name: string; label: string; oneHot?: unknown }[];
  /** Clustered features: the typical customer's values are shown for these. */
  clustered: readonly string[];
  /** Names by segment number (1-based), e.g. from model.json when scoring; the profile's name otherwise. */
  names?: Readonly<Record<number, string>>;
  /** ISO 4217 code or symbol for money in traits. */
  currency?: string;
  /** Number-formatting locale. Default en-US. */
  locale?: string;
  /** Traits per persona at most. Default 4. */
  maxTraits?: number;
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * Builds one persona per segment (noise, segment 0, is left out: it is no group to market to).
 *
 * @example
 * const personas = buildPersonas(profiles, data, DEFAULT_ACTION_RULES, { features: defs, clustered, currency: 'GBP' });
 * personas[0]?.action.name; // "Reward and retain: loyalty perks, early access"
 */
export function buildPersonas(
  profiles: Profiles,
  data: PersonaData,
  rules: readonly ActionRule[] = DEFAULT_ACTION_RULES,
  options: PersonaOptions,
): Persona[] {
  checkActionRules(rules);
  const labels = new Map(options.features.map((f) => [f.name, f.label]));
  const oneHot = new Set(options.features.filter((f) => f.oneHot).map((f) => f.name));
  const label = (f: string) => labels.get(f) ?? f;
  const words = new Words(options.locale ?? 'en-US', options.currency);
  const clvAll = profiles.overall['predicted_clv'];
  return profiles.segments
    .filter((p) => !p.noise)
    .map((p) => {
      const b = data.segments.find((s) => s.segment === p.segment);
      const clv = p.features['predicted_clv'];
      const clvTotal = clvAll ? clvAll.mean * profiles.customers : NaN;
      return {
        segment: p.segment,
        name: options.names?.[p.segment] ?? p.name,
        size: p.size,
        share: p.share,
        valueShare: {
          revenue: p.revenueShare,
          predictedClv:
            clv && clvTotal !== 0 && Number.isFinite(clvTotal) ? (clv.mean * p.size) / clvTotal : null,
        },
        traits: traits(p, profiles, options.clustered, oneHot, label, words, options.maxTraits ?? 4),
        behaviour: behaviour(b, data),
        typicalCustomer: b?.medoid
          ? {
              customerId: b.medoid.customerId,
              values: options.clustered.map((f) => {
                const v = b.medoid!.values[f];
                return { feature: f, label: label(f), value: typeof v === 'number' ? v : null };
              }),
            }
          : null,
        action: chooseAction(p, profiles, rules, label, words),
      };
    });
}

function behaviour(b: SegmentBehaviour | undefined, data: PersonaData): Persona['behaviour'] {
  const top = <T>(shares: number[] | null, overall: number[] | null, n: number, at: (i: number) => T) =>
    shares
      ? shares
          .map((share, i) => ({ i, share, lift: overall && overall[i]! > 0 ? share / overall[i]! : NaN }))
          .filter((x) => x.share > 0)
          .sort((x, y) => y.share - x.share || x.i - y.i)
          .slice(0, n)
          .map((x) => ({ ...at(x.i), share: x.share, lift: x.lift }))
      : [];
  return {
    weekdays: b?.weekdays ?? null,
    hours: b?.hours ?? null,
    busiestDays: top(b?.weekdays ?? null, data.overall.weekdays, 2, (i) => ({ day: DAYS[i]! })),
    busiestHours: top(b?.hours ?? null, data.overall.hours, 3, (i) => ({ hour: i })),
    topProducts: (b?.products ?? []).map((x) => ({ product: x.product, share: x.share, lift: x.lift })),
    channels: (b?.channels ?? []).map((x) => ({ channel: x.type, share: x.share, lift: x.lift })),
    campaigns: (b?.campaigns ?? []).map((x) => ({
      campaign: x.column,
      share: x.share,
      overall: x.overall,
      lift: x.lift,
    })),
  };
}

/**
 * The profile's most distinctive features as sentences ("last bought 9 days ago on average (everyone: 4 months)"):
 * the clustered features first (they define the segment), then the rest, each by |z|; derived scores (RFM
 * scores, composite bands) are left out as they restate the features they come from.
 */
function traits(
  p: SegmentProfile,
  profiles: Profiles,
  clustered: readonly string[],
  oneHot: ReadonlySet<string>,
  label: (f: string) => string,
  w: Words,
  max: number,
): string[] {
  const derived = /_score$|^rfm_|^composite_|^value_segment$/;
  const candidates = Object.entries(p.features)
    .filter(([f, s]) => !derived.test(f) && !oneHot.has(f) && Number.isFinite(s.z) && Math.abs(s.z) >= 0.25)
    .sort(([fa, a], [fb, b]) => {
      const ca = clustered.includes(fa) ? 0 : 1;
      const cb = clustered.includes(fb) ? 0 : 1;
      return ca - cb || Math.abs(b.z) - Math.abs(a.z);
    });
  return candidates.slice(0, max).map(([f, s]) => {
    const all = profiles.overall[f]?.mean ?? NaN;
    return traitSentence(f, label(f), s.mean, all, w);
  });
}

/** One feature of a segment against everyone, in words, with units the feature name implies. */
export function traitSentence(feature: string, label: string, seg: number, all: number, w: Words): string {
  switch (feature) {
    case 'recency_days':
      return `last bought ${w.duration(seg)} ago on average (everyone: ${w.duration(all)})`;
    case 'interpurchase_days':
      return `buy every ${w.duration(seg)} — ${w.ratio(all / seg, 'as often as the average')}`;
    case 'tenure_days':
      return `first bought ${w.duration(seg)} ago on average (everyone: ${w.duration(all)})`;
    case 'frequency':
      return `${w.num(seg)} orders each — ${w.ratio(seg / all, 'the average')}`;
    case 'monetary':
      return `spend ${w.money(seg)} each in all — ${w.ratio(seg / all, 'the average')}`;
    case 'avg_order_value':
      return `${w.money(seg)} an order — ${w.ratio(seg / all, 'the average')}`;
    case 'predicted_clv':
      return `predicted to spend ${w.money(seg)} each — ${w.ratio(seg / all, 'the average')}`;
    case 'return_rate':
      return `return ${w.pct(seg)} of what they spend (everyone: ${w.pct(all)})`;
    case 'p_alive':
      return `${w.pct(seg)} chance of still being active (everyone: ${w.pct(all)})`;
    case 'expected_purchases':
      return `expected to order ${w.num(seg)} times in the coming months (everyone: ${w.num(all)})`;
    case 'distinct_products':
      return `buy ${w.num(seg)} different products (everyone: ${w.num(all)})`;
    default:
      return `${label}: ${w.num(seg)} (everyone: ${w.num(all)})`;
  }
}

/** The first rule whose conditions all hold; the default fallback when none does. */
function chooseAction(
  p: SegmentProfile,
  profiles: Profiles,
  rules: readonly ActionRule[],
  label: (f: string) => string,
  w: Words,
): Persona['action'] {
  for (const rule of rules) {
    const evidence: string[] = [];
    const holds = rule.when.every((c) => {
      const feature = (Array.isArray(c.feature) ? c.feature : [c.feature]).find((f) => p.features[f]);
      const stats = feature ? p.features[feature] : undefined;
      if (!feature || !stats || !Number.isFinite(stats.z)) return false;
      if (
        (c.above !== undefined && !(stats.z > c.above)) ||
        (c.below !== undefined && !(stats.z < c.below))
      ) {
        return false;
      }
      const all = profiles.overall[feature]?.mean ?? NaN;
      evidence.push(`${label(feature)} ${w.num(stats.mean)} vs ${w.num(all)} on average`);
      return true;
    });
    if (holds)
      return {
        name: rule.name,
        why: evidence.length > 0 ? `${rule.why} (${evidence.join('; ')}).` : `${rule.why}.`,
      };
  }
  const fallback = DEFAULT_ACTION_RULES[DEFAULT_ACTION_RULES.length - 1]!;
  return { name: fallback.name, why: `${fallback.why}.` };
}

/** Numbers in the words of a trait: durations, money, shares, ratios. */
export class Words {
  private readonly money0: Intl.NumberFormat;
  private readonly symbol: string;
  constructor(
    private readonly locale: string,
    currency?: string,
  ) {
    const iso = currency !== undefined && /^[A-Za-z]{3}$/.test(currency);
    this.money0 = new Intl.NumberFormat(locale, {
      maximumFractionDigits: 0,
      ...(iso ? { style: 'currency', currency: currency.toUpperCase() } : {}),
    });
    this.symbol = iso ? '' : (currency ?? '');
  }
  num(x: number): string {
    if (!Number.isFinite(x)) return '—';
    const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2;
    return new Intl.NumberFormat(this.locale, { maximumFractionDigits: digits }).format(x);
  }
  money(x: number): string {
    return Number.isFinite(x) ? `${this.symbol}${this.money0.format(x)}` : '—';
  }
  pct(x: number): string {
    return Number.isFinite(x) ? `${Math.round(x * 100)}%` : '—';
  }
  /** 9 → "9 days", 21 → "3 weeks", 130 → "4 months", 800 → "2.2 years". */
  duration(days: number): string {
    if (!Number.isFinite(days)) return '—';
    const unit = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
    if (days < 14) return unit(Math.round(days), 'day');
    if (days < 60) return unit(Math.round(days / 7), 'week');
    if (days < 548) return unit(Math.round(days / 30.44), 'month');
    return `${this.num(Math.round((days / 365.25) * 10) / 10)} years`;
  }
  /** (4.2, "the average") → "4.2× the average"; near 1 → "about the average"; 0.03 → "3% of the average". */
  ratio(r: number, what: string): string {
    if (!Number.isFinite(r) || r <= 0) return `vs ${what}`;
    if (r >= 0.9 && r <= 1.1) return `about ${what}`;
    if (r < 0.5) return `${Math.max(1, Math.round(r * 100))}% of ${what}`;
    return `${r >= 10 ? Math.round(r) : r.toFixed(1)}× ${what}`;
  }
}
