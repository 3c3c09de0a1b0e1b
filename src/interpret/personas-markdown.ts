/**
 * personas.md: the persona cards as plain Markdown a marketing team can read, paste or print.
 * @module
 */
import type { Persona } from './personas.js';

export interface PersonasMarkdownOptions {
  /** ISO 4217 code or symbol, shown with the value shares' heading. */
  currency?: string;
  /** Heading of the document. Default "Personas". */
  title?: string;
}

/**
 * Renders personas as Markdown: a heading, then per persona its size, value, traits, behaviour, typical customer
 * and action.
 *
 * @example
 * writeFileSync('personas.md', personasMarkdown(personas, { currency: 'GBP' }));
 */
export function personasMarkdown(
  personas: readonly Persona[],
  options: PersonasMarkdownOptions = {},
): string {
  const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%` : '—');
  const lift = (x: number) => (Number.isFinite(x) ? ` (${x.toFixed(1)}× average)` : '');
  // Underscores inside words (email_open) need no escape in CommonMark and read better without one.
  const md = (s: string) => s.replace(/([\\`*[\]<>#|])|(?<!\w)_|_(?!\w)/g, (m) => `\\${m}`);
  const int = (n: number) => new Intl.NumberFormat('en-US').format(n);
  const out: string[] = [`# ${md(options.title ?? 'Personas')}`, ''];
  out.push(
    `${personas.length} persona${personas.length === 1 ? '' : 's'}, one per segment${options.currency ? `; money in ${md(options.currency)}` : ''}.`,
    '',
  );
  for (const p of personas) {
    out.push(`## ${p.segment}. ${md(p.name)}`, '');
    const clv = p.valueShare.predictedClv;
    out.push(
      `**${int(p.size)} customers** (${pct(p.share)} of all) · ${pct(p.valueShare.revenue)} of revenue` +
        (clv !== null ? ` · ${pct(clv)} of predicted lifetime value` : ''),
      '',
    );
    out.push(`**Action: ${md(p.action.name)}** — ${md(p.action.why)}`, '');
    if (p.traits.length > 0) {
      out.push('What sets them apart:', '', ...p.traits.map((t) => `- ${md(t)}`), '');
    }
    const b = p.behaviour;
    const lines: string[] = [];
    if (b.busiestDays.length > 0)
      lines.push(`Busiest days: ${b.busiestDays.map((d) => `${d.day} ${pct(d.share)}`).join(', ')}`);
    if (b.busiestHours.length > 0) {
      lines.push(
        `Busiest hours: ${b.busiestHours.map((h) => `${String(h.hour).padStart(2, '0')}:00 ${pct(h.share)}`).join(', ')}`,
      );
    }
    if (b.topProducts.length > 0) {
      lines.push(
        `Top products: ${b.topProducts.map((x) => `${md(x.product)} ${pct(x.share)} of spend${lift(x.lift)}`).join('; ')}`,
      );
    }
    if (b.channels.length > 0) {
      lines.push(
        `Channels: ${b.channels.map((c) => `${md(c.channel)} ${pct(c.share)}${lift(c.lift)}`).join('; ')}`,
      );
    }
    if (b.campaigns.length > 0) {
      lines.push(
        `Past campaigns: ${b.campaigns.map((c) => `${md(c.campaign)} ${pct(c.share)} responded (everyone ${pct(c.overall)})`).join('; ')}`,
      );
    }
    if (lines.length > 0) out.push(...lines.map((l) => `- ${l}`), '');
    const t = p.typicalCustomer;
    if (t) {
      const values = t.values
        .map((v) => `${md(v.label)} ${v.value === null ? '—' : round(v.value)}`)
        .join(', ');
      out.push(`Typical customer: ${md(t.customerId)}${values ? ` — ${values}` : ''}`, '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function round(x: number): string {
  return String(Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 100) / 100);
}
