/**
 * The customer groups the demo data generator plants, in words and shares: the answer key a segmentation of the
 * demo data should rediscover.
 * @module
 */

/** Stable identifiers of the planted groups. */
export const PLANTED_SEGMENT_IDS = ['champions', 'loyal', 'new', 'at_risk', 'hibernating'] as const;
export type PlantedSegmentId = (typeof PLANTED_SEGMENT_IDS)[number];

/** One planted group: what it is called, how many customers it holds and how it behaves. */
export interface PlantedSegment {
  id: PlantedSegmentId;
  /** Name as written in truth.csv's `planted_segment` column. */
  name: string;
  /** Target fraction of customers, 0..1 (counts are rounded by largest remainder). */
  share: number;
  /** How the group shows in purchases, engagement and attributes, one trait per entry. */
  traits: readonly string[];
}

/**
 * The five planted groups. Their purchase behaviour is built to separate on log-scaled recency, frequency and
 * monetary value; attributes and engagement lean the same way but overlap between groups, as in real data.
 *
 * @example
 * PLANTED_SEGMENTS.find((s) => s.id === 'champions')?.share; // 0.12
 */
export const PLANTED_SEGMENTS: readonly PlantedSegment[] = [
  {
    id: 'champions',
    name: 'Champions',
    share: 0.12,
    traits: [
      'last order within the past ~7 weeks (median about a week)',
      '14–42 orders over up to 18 months, 3–8 lines per order, about £160 an order',
      'highest engagement: frequent email opens and clicks, web sessions and app opens',
      'mostly aged 28–48, above-average income, prefer the app or web, low price sensitivity',
      'lean to tech, fashion, outdoors and wellness; return a little more than most',
    ],
  },
  {
    id: 'loyal',
    name: 'Loyal regulars',
    share: 0.25,
    traits: [
      'one order about every month for 6–17 months, last within ~6 weeks',
      'mid spend: about £60 an order, 2–5 lines',
      'steady email readers, some web sessions, little app use',
      'older (mostly 42–62), middle income, prefer email, moderate price sensitivity',
      'lean to home, cooking and crafts',
    ],
  },
  {
    id: 'new',
    name: 'New customers',
    share: 0.13,
    traits: [
      'first order in the last 60 days, 1 or 2 orders in all',
      'about £45 an order, 1–4 lines',
      'signed up recently; many web sessions and app opens since',
      'young (mostly 22–36), lower income, prefer the app or web',
      'lean to fashion, gaming, wellness and tech',
    ],
  },
  {
    id: 'at_risk',
    name: 'At-risk big spenders',
    share: 0.15,
    traits: [
      'spent heavily (5–16 orders of about £220) but last ordered 5–12 months ago',
      'engagement has faded: occasional email opens, hardly any clicks or sessions',
      'mostly aged 36–56, highest income, prefer email or web, low price sensitivity',
      'lean to outdoors, tech and travel; return the most',
    ],
  },
  {
    id: 'hibernating',
    name: 'Hibernating bargain hunters',
    share: 0.35,
    traits: [
      '1–3 small orders (about £18) that all lie 7–18 months back',
      'buy the cheaper products of a category',
      'barely engaged: rare email opens, almost no sessions',
      'wide age range, lowest income, prefer email, high price sensitivity (4–5)',
      'lean to crafts, home and cooking',
    ],
  },
];
