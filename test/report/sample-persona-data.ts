/**
 * Seeded persona cards for report tests, one per segment of a sample `ReportData`, shaped like
 * src/interpret/personas.ts builds them on the demo data (products, channels, campaigns, a typical customer).
 * @module
 */

import type { ReportData, ReportPersona } from '../../src/report/report-data.js';
import { Random } from '../../src/util/random.js';

const ACTIONS = [
  [
    'Reward and retain: loyalty perks, early access',
    'Your best customers: recent, frequent and high spending',
  ],
  ['Grow: cross-sell', 'Likely still active with room to spend more'],
  ['Win back: personal offer', 'They spent a lot but have not bought for a long time'],
  ['Onboard: welcome series, second-purchase incentive', 'They only just started buying'],
  ['Low-cost reactivation or let go', 'They spent little and have not bought for a long time'],
] as const;

/** One persona per non-noise segment of `data`; `campaigns` adds AcceptedCmp-style columns. */
export function buildSamplePersonas(
  data: ReportData,
  options: { seed?: number; campaigns?: boolean } = {},
): ReportPersona[] {
  const rnd = new Random(options.seed ?? 3);
  const shares = (n: number, peak: number) => {
    const raw = Array.from({ length: n }, (_, i) => 0.3 + rnd.next() + (i === peak ? 1.5 : 0));
    const sum = raw.reduce((a, b) => a + b, 0);
    return raw.map((x) => x / sum);
  };
  return data.segments
    .filter((s) => !s.noise)
    .map((s, i) => {
      const weekdays = shares(7, (i * 2) % 7);
      const hours = shares(24, 9 + ((i * 5) % 12)).map((x, h) => (h < 6 ? x / 10 : x));
      const hourSum = hours.reduce((a, b) => a + b, 0);
      const normHours = hours.map((x) => x / hourSum);
      const top = (xs: number[], n: number) =>
        xs
          .map((share, k) => ({ k, share }))
          .sort((a, b) => b.share - a.share)
          .slice(0, n);
      const [action, why] = ACTIONS[i % ACTIONS.length]!;
      return {
        segment: s.id,
        name: s.name,
        size: s.size,
        share: s.share,
        valueShare: {
          revenue: s.revenueShare,
          predictedClv: Math.min(1, s.revenueShare * (0.6 + rnd.next())),
        },
        traits: [
          `last bought ${5 + i * 40} days ago on average (everyone: 4 months)`,
          `${(1 + rnd.next() * 20).toFixed(1)} orders each — ${(0.2 + rnd.next() * 3).toFixed(1)}× the average`,
          `spend £${Math.round(100 + rnd.next() * 5000).toLocaleString('en-US')} each in all — ${(0.2 + rnd.next() * 4).toFixed(1)}× the average`,
        ],
        behaviour: {
          weekdays,
          hours: normHours,
          busiestDays: top(weekdays, 2).map((d) => ({
            day: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][d.k]!,
            share: d.share,
            lift: d.share * 7,
          })),
          busiestHours: top(normHours, 3).map((h) => ({ hour: h.k, share: h.share, lift: h.share * 24 })),
          topProducts: [
            'WHITE HANGING HEART T-LIGHT HOLDER',
            'REGENCY CAKESTAND 3 TIER',
            'JUMBO BAG RED RETROSPOT',
            'PARTY BUNTING',
          ]
            .slice(0, 2 + (i % 3))
            .map((product) => ({ product, share: 0.01 + rnd.next() * 0.05, lift: 0.5 + rnd.next() * 2.5 })),
          channels: ['email_open', 'web_session', 'app_open'].map((channel) => ({
            channel,
            share: rnd.next(),
            lift: 0.3 + rnd.next() * 1.7,
          })),
          campaigns: options.campaigns
            ? ['AcceptedCmp1', 'AcceptedCmp2', 'Response'].map((campaign) => {
                const overall = 0.05 + rnd.next() * 0.1;
                const share = overall * (0.3 + rnd.next() * 2);
                return { campaign, share, overall, lift: share / overall };
              })
            : [],
        },
        typicalCustomer: {
          customerId: String(12346 + i * 17),
          values: [
            { feature: 'recency_days', label: 'Days since last purchase', value: 5 + i * 40 },
            { feature: 'frequency', label: 'Orders', value: 1 + i * 3 },
            { feature: 'monetary', label: 'Net spend', value: 150.5 + i * 900 },
          ],
        },
        action: { name: action, why: `${why} (Net spend 3,251 vs 1,670 on average).` },
      };
    });
}
