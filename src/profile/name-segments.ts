/**
 * Short, readable segment names from what sets each segment apart ("Recent high spenders", "Lapsed one-off
 * buyers"): an adjective from timing or engagement, a noun from value or frequency, each picked from the
 * feature with the largest standardised difference; names are made unique.
 * @module
 */
import type { FeatureStats } from './profile-segments.js';

interface Trait {
  feature: string;
  /** Word when the segment is higher than the base, and when lower. */
  high: string;
  low: string;
}

const ADJECTIVES: Trait[] = [
  { feature: 'recency_days', high: 'Lapsed', low: 'Recent' },
  { feature: 'tenure_days', high: 'Long-standing', low: 'New' },
  { feature: 'engagement_events', high: 'Engaged', low: 'Unengaged' },
  { feature: 'return_rate', high: 'Returning-heavy', low: '' },
];
const NOUNS: Trait[] = [
  { feature: 'monetary', high: 'high spenders', low: 'low spenders' },
  { feature: 'frequency', high: 'frequent buyers', low: 'one-off buyers' },
  { feature: 'avg_order_value', high: 'big-basket buyers', low: 'small-basket buyers' },
  { feature: 'distinct_products', high: 'broad shoppers', low: 'narrow shoppers' },
];
const QUALIFIERS: Trait[] = [...ADJECTIVES, ...NOUNS];
const THRESHOLD = 0.3;

function pick(
  stats: Record<string, FeatureStats>,
  traits: Trait[],
  exclude: Set<string>,
): { word: string; feature: string; z: number } | undefined {
  let best: { word: string; feature: string; z: number } | undefined;
  for (const t of traits) {
    const z = stats[t.feature]?.z;
    if (z === undefined || !Number.isFinite(z) || Math.abs(z) < THRESHOLD || exclude.has(t.feature)) continue;
    const word = z > 0 ? t.high : t.low;
    if (!word) continue;
    if (!best || Math.abs(z) > Math.abs(best.z)) best = { word, feature: t.feature, z };
  }
  return best;
}

/**
 * One name per segment, in order; unique. `labels` (feature → label) lets segments without behavioural traits
 * (e.g. a customers file segmented on its attributes) be named from their two most distinctive features.
 */
export function nameSegments(
  stats: Record<string, FeatureStats>[],
  labels: Record<string, string> = {},
): string[] {
  const names = stats.map((s) => {
    // Timing first, as a marketer acts on it: clearly new customers are "New"; else a clearly recent or lapsed
    // segment is named for its recency, a clearly long-standing or new one for its tenure; else the strongest
    // adjective.
    const zOf = (f: string) => (Number.isFinite(s[f]?.z) ? s[f]!.z : 0);
    const r = zOf('recency_days');
    const t = zOf('tenure_days');
    const adj =
      t <= -0.5 && -t >= Math.abs(r)
        ? { word: 'New' }
        : Math.abs(r) >= 0.5
          ? { word: r > 0 ? 'Lapsed' : 'Recent' }
          : Math.abs(t) >= 0.5
            ? { word: t > 0 ? 'Long-standing' : 'New' }
            : pick(s, ADJECTIVES, new Set());
    const noun = pick(s, NOUNS, new Set());
    if (adj && noun) return `${adj.word} ${noun.word}`;
    if (noun) return capitalise(noun.word);
    if (adj) return `${adj.word} customers`;
    const generic = Object.entries(labels)
      .map(([f, label]) => ({ label, z: s[f]?.z ?? 0 }))
      .filter((e) => Number.isFinite(e.z) && Math.abs(e.z) >= 0.5)
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
      .slice(0, 2);
    if (generic.length > 0)
      return capitalise(generic.map((e) => `${e.z > 0 ? 'high' : 'low'} ${e.label}`).join(', '));
    return 'Typical customers';
  });
  // Disambiguate duplicates with the next strongest trait not already in the name, else a number.
  const seen = new Map<string, number>();
  for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1);
  const used = new Set<string>();
  return names.map((n, i) => {
    if (seen.get(n) === 1) return n;
    const inName = new Set(
      QUALIFIERS.filter((t) => n.includes(t.high) || (t.low && n.includes(t.low))).map((t) => t.feature),
    );
    // The strongest remaining trait whose word makes the name unique, else a number.
    const extras = QUALIFIERS.filter((t) => !inName.has(t.feature))
      .map((t) => ({ t, z: stats[i]![t.feature]?.z ?? 0 }))
      .filter((e) => Number.isFinite(e.z) && Math.abs(e.z) >= THRESHOLD && (e.z > 0 ? e.t.high : e.t.low))
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
      .map((e) => `${n}, ${(e.z > 0 ? e.t.high : e.t.low).toLowerCase()}`);
    let candidate = extras.find((c) => !used.has(c)) ?? n;
    let k = 2;
    while (used.has(candidate)) candidate = `${n} (${k++})`;
    used.add(candidate);
    return candidate;
  });
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Names for segments that differ by category (k-modes, k-prototypes): the segment's modal levels that differ from
 * the whole base's most common level, up to three ("Male, Germany, email"); a segment whose modes are the base's
 * own is "Typical: …" with its first two levels. Missing and grouped levels read "no gender", "other city".
 */
export function nameByModes(
  modes: readonly (readonly number[])[],
  attributes: readonly { name: string; levels: readonly (string | null)[] }[],
  baseModes: readonly number[],
): string[] {
  const word = (j: number, code: number) => {
    const a = attributes[j]!;
    const level = a.levels[code];
    return level === null || level === undefined
      ? `no ${a.name}`
      : level === 'other'
        ? `other ${a.name}`
        : level;
  };
  const names = modes.map((m) => {
    const differ = m.map((code, j) => (code !== baseModes[j] ? word(j, code) : '')).filter((w) => w !== '');
    const name =
      differ.length > 0
        ? differ.slice(0, 3).join(', ')
        : `Typical: ${m
            .slice(0, 2)
            .map((code, j) => word(j, code))
            .join(', ')}`;
    return capitalise(name);
  });
  const seen = new Map<string, number>();
  return names.map((n) => {
    const c = (seen.get(n) ?? 0) + 1;
    seen.set(n, c);
    return c === 1 ? n : `${n} (${c})`;
  });
}
