/**
 * Renders `ReportData` into report.html: one self-contained page (inline CSS, inline Chart.js, data as embedded
 * JSON) that opens offline and makes no network request.
 * @module
 */

import { createHash } from 'node:crypto';
import { chartJsSource } from './chart-js-source.js';
import { createFormat } from './format.js';
import { escapeHtml, inlineScriptSource, jsonForScript } from './html.js';
import { REPORT_CLIENT_SCRIPT } from './report-client.js';
import { REPORT_CSS } from './report-css.js';
import type { ReportData } from './report-data.js';
import {
  categoriesSection,
  footerHtml,
  headerHtml,
  kSelectionSection,
  validitySection,
  supervisedSection,
  navHtml,
  overviewSection,
  profilesSection,
  projectionSection,
  qualitySection,
  type Section,
  type SectionContext,
} from './report-sections.js';
import { buildReportView } from './report-view.js';
import { personasSection } from './personas-section.js';
import { valueSection } from './value-section.js';
import { assertValidReportData } from './validate-report-data.js';

/** Options for {@link renderReport}. */
export interface RenderReportOptions {
  /** BCP 47 locale for number and date formatting. Default `en-US`. */
  locale?: string;
}

/** `id` of the `<script type="application/json">` holding the `ReportData` exactly as given. */
export const REPORT_DATA_ELEMENT_ID = 'segmint-data';

/**
 * Renders the report page. Throws a `RangeError` listing every shape problem in `data` (see
 * `reportDataProblems`) or naming an invalid locale; non-finite numbers are drawn as "—".
 *
 * The page carries a Content-Security-Policy that allows only its own two inline scripts (by SHA-256 hash) and no
 * network at all, so even a string that slipped past escaping could neither run nor fetch anything.
 *
 * @example
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('report.html', renderReport(data));
 */
export function renderReport(data: ReportData, options: RenderReportOptions = {}): string {
  const locale = options.locale ?? 'en-US';
  try {
    Intl.getCanonicalLocales(locale);
  } catch (cause) {
    throw new RangeError(`locale ${JSON.stringify(locale)} is not a valid BCP 47 language tag`, { cause });
  }
  assertValidReportData(data);

  const fmt = createFormat(locale, data.summary.currency);
  const ctx: SectionContext = { data, fmt };
  const sections: Section[] = [
    overviewSection(ctx),
    profilesSection(ctx),
    personasSection(ctx),
    valueSection(ctx),
    categoriesSection(ctx),
    projectionSection(ctx),
    kSelectionSection(ctx),
    supervisedSection(ctx),
    validitySection(ctx),
    qualitySection(ctx),
  ].filter((s): s is Section => s !== null);

  const chartJs = chartJsSource();
  const scripts = [inlineScriptSource(chartJs.source), inlineScriptSource(REPORT_CLIENT_SCRIPT)];
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`).join(' ')}`,
    "style-src 'unsafe-inline'",
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; '); // Only constants and base64 hashes: nothing here needs HTML escaping.

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="segmint ${escapeHtml(data.version)}">
<title>${escapeHtml(data.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${headerHtml(ctx)}
${navHtml(sections)}
<main class="wrap">
${sections.map((s) => s.html).join('\n')}
</main>
${footerHtml(ctx, chartJs.version)}
<script type="application/json" id="${REPORT_DATA_ELEMENT_ID}">${jsonForScript(data)}</script>
<script type="application/json" id="segmint-view">${jsonForScript(buildReportView(data, fmt))}</script>
<script>${scripts[0]}</script>
<script>${scripts[1]}</script>
</body>
</html>
`;
}
