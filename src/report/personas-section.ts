/**
 * The "Personas" section: one card per segment a marketing team can act on — its action first, then what sets it
 * apart, when and what it buys, the channels that reach it, past campaign response and its typical customer.
 * Plain HTML and CSS only: the weekday and hour bars are styled spans, so the section needs no page script.
 * @module
 */

import { MISSING, type ReportFormat } from './format.js';
import { escapeHtml as esc } from './html.js';
import { segmentColor } from './palette.js';
import type { ReportPersona } from './report-data.js';
import { panel, type Section, type SectionContext } from './report-sections.js';

const DAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
/** Axis letters: three-letter days do not fit under bars a seventh of a phone card wide. */
const DAY_AXIS = ['M', 'T', 'W', 'T', 'F', 'S', 'S'];

/** Scoped styles: the shared stylesheet has the card frame (`.seg-card`) and chips; these are the persona parts. */
const PERSONA_CSS = `
.persona-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 14px; }
.persona-card h4 { font-size: 16px; }
.persona-action { margin: 6px 0 10px; padding: 8px 10px; border-radius: 8px; background: var(--accent-soft); font-size: 13px; }
.persona-action b { display: block; font-size: 14px; color: var(--accent); }
.persona-card h5 { margin: 10px 0 4px; font-size: 12px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; color: var(--muted); }
.persona-card ul.persona-traits { margin: 0; padding-left: 18px; font-size: 13px; }
.persona-card ul.persona-traits li { margin: 1px 0; overflow-wrap: anywhere; }
.persona-card .chips { gap: 4px; }
.persona-card .chip { font-size: 12px; padding: 1px 8px; }
.persona-bars { display: flex; align-items: flex-end; gap: 2px; height: 38px; }
.persona-bars span { flex: 1 1 0; min-width: 0; background: var(--faint); border-radius: 2px 2px 0 0; }
.persona-bars span.top { background: var(--accent); }
.persona-axis { display: flex; gap: 2px; font-size: 10px; color: var(--muted); }
.persona-axis span { flex: 1 1 0; min-width: 0; text-align: center; white-space: nowrap; overflow: visible; }
.persona-when { display: grid; grid-template-columns: minmax(0, 7fr) minmax(0, 12fr); gap: 14px; }
.persona-typical { font-size: 13px; color: var(--muted); margin: 0; overflow-wrap: anywhere; }
.persona-typical b { color: var(--ink); font-weight: 600; }
`;

/**
 * The personas section; null when `data.personas` is absent or empty.
 *
 * @example
 * const section = personasSection({ data, fmt: createFormat('en-US', 'GBP') });
 */
export function personasSection({ data, fmt }: SectionContext): Section | null {
  const personas = data.personas;
  if (!personas || personas.length === 0) return null;
  const index = new Map(data.segments.map((s, i) => [s.id, i]));
  const cards = personas.map((p) => personaCard(p, index.get(p.segment) ?? 0, fmt)).join('\n');
  return {
    id: 'personas',
    title: 'Personas',
    html: panel(
      'personas',
      'Personas',
      'Each segment as a customer to act on: what to do, what sets them apart, when and what they buy, which ' +
        'channels reach them, and the customer most typical of them.',
      `<style>${PERSONA_CSS}</style><div class="persona-grid">${cards}</div>
<p class="footnote">Lift: the segment's share over all customers' share (2.0× = twice as common). The typical customer
is the one nearest the segment's average on the clustered features. Actions come from a rule set you can edit in the
config; the figures in brackets are what made the rule match.</p>`,
    ),
  };
}

function personaCard(p: ReportPersona, i: number, fmt: ReportFormat): string {
  const v = p.valueShare;
  const stats = [
    `${fmt.int(p.size)} customers (${fmt.pct(p.share)})`,
    `${fmt.pct(v.revenue)} of revenue`,
    ...(v.predictedClv !== null ? [`${fmt.pct(v.predictedClv)} of predicted value`] : []),
  ].join(' · ');
  const b = p.behaviour;
  const parts: string[] = [
    `<h4>${esc(p.name)}</h4><p class="seg-stats">Segment ${fmt.int(p.segment)} · ${esc(stats)}</p>`,
    `<div class="persona-action"><b>${esc(p.action.name)}</b>${esc(p.action.why)}</div>`,
  ];
  if (p.traits.length > 0) {
    parts.push(
      `<h5>What sets them apart</h5><ul class="persona-traits">${p.traits.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>`,
    );
  }
  const when = whenHtml(b, fmt);
  if (when) parts.push(`<h5>When they buy</h5>${when}`);
  const chips = (items: { label: string; share: number; extra: string }[]) =>
    `<div class="chips">${items
      .map(
        (x) =>
          `<span class="chip"><span class="chip-label">${esc(x.label)}</span><span class="chip-share">${fmt.pct(x.share)}${x.extra}</span></span>`,
      )
      .join('')}</div>`;
  const lift = (l: number) => (Number.isFinite(l) ? ` · ${esc(fmt.fixed(l, 1))}×` : '');
  if (b.topProducts.length > 0) {
    parts.push(
      `<h5>What they buy <span class="muted">(share of spend · lift)</span></h5>${chips(
        b.topProducts.map((x) => ({ label: x.product, share: x.share, extra: lift(x.lift) })),
      )}`,
    );
  }
  if (b.channels.length > 0) {
    parts.push(
      `<h5>Channels <span class="muted">(customers reached · lift)</span></h5>${chips(
        b.channels.map((x) => ({ label: x.channel, share: x.share, extra: lift(x.lift) })),
      )}`,
    );
  }
  if (b.campaigns.length > 0) {
    parts.push(
      `<h5>Past campaigns <span class="muted">(responded · everyone)</span></h5>${chips(
        b.campaigns.map((x) => ({ label: x.campaign, share: x.share, extra: ` · ${fmt.pct(x.overall)}` })),
      )}`,
    );
  }
  const t = p.typicalCustomer;
  if (t) {
    const values = t.values
      .map((x) => `${esc(x.label)} <b>${x.value === null ? MISSING : esc(fmt.value(x.value))}</b>`)
      .join(', ');
    parts.push(
      `<h5>Typical customer</h5><p class="persona-typical"><b>${esc(t.customerId)}</b>${values ? ` — ${values}` : ''}</p>`,
    );
  }
  return `<article class="seg-card persona-card" data-segment="${fmt.int(p.segment)}" style="border-top-color:${segmentColor(i)}">
${parts.join('\n')}</article>`;
}

/** Weekday and hour bars (the busiest highlighted) with the busiest named in words for screen readers. */
function whenHtml(b: ReportPersona['behaviour'], fmt: ReportFormat): string {
  const bars = (shares: number[], labels: string[], names: string[], busiest: Set<number>, what: string) => {
    const most = Math.max(0, ...shares.filter((x) => Number.isFinite(x)));
    const spans = shares
      .map((x, k) => {
        const h = most > 0 && Number.isFinite(x) ? Math.max(2, Math.round((x / most) * 100)) : 0;
        return `<span${busiest.has(k) ? ' class="top"' : ''} style="height:${h}%" title="${esc(`${names[k]}: ${fmt.pct(x)}`)}"></span>`;
      })
      .join('');
    const axis = labels.map((l) => `<span>${esc(l)}</span>`).join('');
    return `<div><div class="persona-bars" role="img" aria-label="${esc(what)}">${spans}</div><div class="persona-axis" aria-hidden="true">${axis}</div></div>`;
  };
  const out: string[] = [];
  if (b.weekdays && b.weekdays.length === 7) {
    const days = new Set(b.busiestDays.map((d) => DAY_SHORT.findIndex((s) => d.day.startsWith(s))));
    const said = b.busiestDays.map((d) => `${d.day} ${fmt.pct(d.share)}`).join(', ');
    out.push(bars(b.weekdays, DAY_AXIS, DAY_SHORT, days, `Purchases by weekday; busiest ${said}`));
  }
  if (b.hours && b.hours.length === 24) {
    const hours = new Set(b.busiestHours.map((h) => h.hour));
    const said = b.busiestHours.map((h) => `${h.hour}:00 ${fmt.pct(h.share)}`).join(', ');
    const labels = b.hours.map((_, h) => (h % 6 === 0 ? String(h) : ''));
    out.push(
      bars(
        b.hours,
        labels,
        b.hours.map((_, h) => `${h}:00`),
        hours,
        `Purchases by hour of day; busiest ${said}`,
      ),
    );
  }
  return out.length > 0 ? `<div class="persona-when">${out.join('')}</div>` : '';
}
