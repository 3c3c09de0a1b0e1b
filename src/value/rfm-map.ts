/**
 * Named RFM segments: a map of rules over R, F (and optionally M) scores, first match wins, with the widely used
 * eleven-segment map over R and F as the default, and a checker that finds the cells a map leaves unnamed.
 * @module
 */
import type { Problem } from '../util/errors.js';

/** An inclusive score range `[low, high]`. */
export type ScoreRange = readonly [number, number];

/** One rule: a customer whose scores lie in every given range gets `name`; a dimension left out matches all. */
export interface RfmRule {
  name: string;
  r?: ScoreRange;
  f?: ScoreRange;
  m?: ScoreRange;
  /** What the segment is, in plain words, and what to do about it (for the report). */
  description?: string;
}

/** Rules in order: the first that matches a customer names them. */
export type RfmMap = readonly RfmRule[];

/**
 * The widely used RFM segment map over R and F scores in 5 bins (as popularised by Putler's and Klaviyo's RFM
 * guides). The eleven rules cover the 25 (R, F) cells once each, so order does not matter here; M is not used.
 *
 * | R \ F | 1 | 2 | 3 | 4 | 5 |
 * | --- | --- | --- | --- | --- | --- |
 * | 5 | New Customers | Potential Loyalists | Potential Loyalists | Champions | Champions |
 * | 4 | Promising | Potential Loyalists | Potential Loyalists | Loyal Customers | Loyal Customers |
 * | 3 | About to Sleep | About to Sleep | Need Attention | Loyal Customers | Loyal Customers |
 * | 2 | Hibernating | Hibernating | At Risk | At Risk | Can't Lose Them |
 * | 1 | Lost | Lost | At Risk | At Risk | Can't Lose Them |
 *
 * Frozen: copy it (`structuredClone`) to edit.
 */
export const DEFAULT_RFM_MAP: RfmRule[] = deepFreeze([
  {
    name: 'Champions',
    r: [5, 5],
    f: [4, 5],
    description:
      'Bought recently, buy often and spend the most — reward them; they adopt new products and promote you.',
  },
  {
    name: 'Loyal Customers',
    r: [3, 4],
    f: [4, 5],
    description: 'Buy often and not long ago — upsell, ask for reviews, keep them in a loyalty programme.',
  },
  {
    name: 'Potential Loyalists',
    r: [4, 5],
    f: [2, 3],
    description:
      'Recent buyers who came back a few times — offer membership or recommendations to build the habit.',
  },
  {
    name: 'New Customers',
    r: [5, 5],
    f: [1, 1],
    description:
      'Bought for the first time, very recently — welcome them and help them to a second purchase.',
  },
  {
    name: 'Promising',
    r: [4, 4],
    f: [1, 1],
    description:
      'Bought once, fairly recently — build the relationship with onboarding and a well-timed offer.',
  },
  {
    name: 'Need Attention',
    r: [3, 3],
    f: [3, 3],
    description:
      'Middling recency and frequency — a limited-time, personalised offer can stop them drifting away.',
  },
  {
    name: 'About to Sleep',
    r: [3, 3],
    f: [1, 2],
    description:
      'Bought rarely and not lately — reconnect with popular products or a discount before they lapse.',
  },
  {
    name: "Can't Lose Them",
    r: [1, 2],
    f: [5, 5],
    description:
      'Used to buy most often but have not for a long time — win them back personally; do not lose them to a competitor.',
  },
  {
    name: 'At Risk',
    r: [1, 2],
    f: [3, 4],
    description: 'Bought often, long ago — send personalised win-back offers and ask what changed.',
  },
  {
    name: 'Hibernating',
    r: [2, 2],
    f: [1, 2],
    description: 'Few purchases, long ago — offer relevant products or special prices; spend little on them.',
  },
  {
    name: 'Lost',
    r: [1, 1],
    f: [1, 2],
    description: 'Bought little and longest ago — try one reactivation campaign, otherwise leave them be.',
  },
]);

function deepFreeze(rules: RfmRule[]): RfmRule[] {
  for (const rule of rules) {
    for (const dim of ['r', 'f', 'm'] as const) if (rule[dim]) Object.freeze(rule[dim]);
    Object.freeze(rule);
  }
  return Object.freeze(rules) as RfmRule[];
}

/** Scores per customer, as `rfmScores` returns them; `m` only needed when a rule constrains M. */
export interface RfmScoreColumns {
  r: ArrayLike<number>;
  f: ArrayLike<number>;
  m?: ArrayLike<number>;
}

/**
 * The rule that names each customer: an index into `map` (first matching rule), or −1 when no rule matches
 * (impossible for a map `checkRfmMap` passes).
 *
 * @example
 * const segment = assignRfmSegments({ r: [5, 1], f: [5, 1] }); // Int32Array [0, 10]
 * DEFAULT_RFM_MAP[segment[0]!]!.name; // 'Champions'
 */
export function assignRfmSegments(scores: RfmScoreColumns, map: RfmMap = DEFAULT_RFM_MAP): Int32Array {
  const n = scores.r.length;
  if (scores.f.length !== n)
    throw new RangeError(`scores.f has ${scores.f.length} entries, scores.r has ${n}`);
  const needsM = map.some((rule) => rule.m !== undefined);
  const m = scores.m;
  if (needsM) {
    if (!m) {
      const i = map.findIndex((rule) => rule.m !== undefined);
      throw new TypeError(`rule ${i} (${JSON.stringify(map[i]!.name)}) constrains m, but scores have no m`);
    }
    if (m.length !== n) throw new RangeError(`scores.m has ${m.length} entries, scores.r has ${n}`);
  }
  // Flatten the ranges once: rule j matches when lo ≤ score ≤ hi in each dimension (open ranges are ±Infinity).
  const k = map.length;
  const bounds = new Float64Array(k * 6);
  map.forEach((rule, j) => {
    (['r', 'f', 'm'] as const).forEach((dim, d) => {
      const range = rule[dim];
      bounds[j * 6 + 2 * d] = range ? range[0] : -Infinity;
      bounds[j * 6 + 2 * d + 1] = range ? range[1] : Infinity;
    });
  });
  const out = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const r = scores.r[i]!;
    const f = scores.f[i]!;
    const mi = needsM ? m![i]! : 0;
    for (let j = 0; j < k; j++) {
      const b = j * 6;
      if (
        r >= bounds[b]! &&
        r <= bounds[b + 1]! &&
        f >= bounds[b + 2]! &&
        f <= bounds[b + 3]! &&
        mi >= bounds[b + 4]! &&
        mi <= bounds[b + 5]!
      ) {
        out[i] = j;
        break;
      }
    }
  }
  return out;
}

/**
 * Every problem of a map for scores in 1..bins, each with where it is (`map[3].f`, `map`): empty or non-string
 * names, ranges that are not two whole numbers low ≤ high within 1..bins, rules no customer can reach (every cell
 * they cover is taken by earlier rules), and cells no rule covers — over (R, F), or over (R, F, M) when a rule
 * constrains M. An empty list means every possible customer gets a name.
 *
 * @example
 * checkRfmMap([{ name: 'Best', r: [5, 5] }], 5);
 * // [{ where: 'map', message: 'no rule covers 20 of the 25 (R, F) cells: R1 F1, R1 F2, … — add rules or a catch-all rule with no ranges' }]
 */
export function checkRfmMap(map: RfmMap, bins = 5, where = 'map'): Problem[] {
  const problems: Problem[] = [];
  if (!Array.isArray(map) || map.length === 0) {
    return [{ where, message: 'the map needs at least one rule' }];
  }
  let rangesOk = true;
  map.forEach((rule, j) => {
    const at = `${where}[${j}]`;
    if (rule === null || typeof rule !== 'object') {
      problems.push({
        where: at,
        message: `a rule must be { name, r?, f?, m?, description? }, got ${JSON.stringify(rule)}`,
      });
      rangesOk = false;
      return;
    }
    if (typeof rule.name !== 'string' || rule.name.trim() === '') {
      problems.push({
        where: `${at}.name`,
        message: `a rule needs a non-empty name, got ${JSON.stringify(rule.name)}`,
      });
    }
    for (const dim of ['r', 'f', 'm'] as const) {
      const range = rule[dim] as unknown;
      if (range === undefined) continue;
      const ok =
        Array.isArray(range) &&
        range.length === 2 &&
        range.every((v) => Number.isInteger(v) && v >= 1 && v <= bins) &&
        (range[0] as number) <= (range[1] as number);
      if (!ok) {
        rangesOk = false;
        problems.push({
          where: `${at}.${dim}`,
          message: `give [low, high], whole numbers with 1 ≤ low ≤ high ≤ ${bins} (the score bins), got ${JSON.stringify(range)}`,
        });
      }
    }
  });
  if (!rangesOk) return problems; // coverage means little until the ranges are valid

  // Assign every possible cell and see which rules win none and which cells none takes.
  const withM = map.some((rule) => rule.m !== undefined);
  const cells = withM ? bins ** 3 : bins ** 2;
  const r = new Int32Array(cells);
  const f = new Int32Array(cells);
  const m = new Int32Array(cells);
  for (let c = 0; c < cells; c++) {
    r[c] = 1 + (Math.floor(c / (withM ? bins * bins : bins)) % bins);
    f[c] = 1 + (Math.floor(c / (withM ? bins : 1)) % bins);
    m[c] = withM ? 1 + (c % bins) : 1;
  }
  const winner = assignRfmSegments({ r, f, m }, map);
  const wins = new Int32Array(map.length);
  const uncovered: string[] = [];
  for (let c = 0; c < cells; c++) {
    if (winner[c]! >= 0) wins[winner[c]!]!++;
    else uncovered.push(`R${r[c]} F${f[c]}${withM ? ` M${m[c]}` : ''}`);
  }
  map.forEach((rule, j) => {
    if (wins[j] === 0) {
      problems.push({
        where: `${where}[${j}]`,
        message: `rule ${JSON.stringify(rule.name)} never applies: earlier rules take every cell it covers (first match wins)`,
      });
    }
  });
  if (uncovered.length > 0) {
    const shown = uncovered.slice(0, 12).join(', ') + (uncovered.length > 12 ? ', …' : '');
    problems.push({
      where,
      message: `no rule covers ${uncovered.length} of the ${cells} ${withM ? '(R, F, M)' : '(R, F)'} cells: ${shown} — add rules or a catch-all rule with no ranges`,
    });
  }
  return problems;
}
