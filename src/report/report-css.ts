/**
 * The report's stylesheet, inlined into the page: system fonts only (no web fonts, so no network), a readable
 * measure, tabular figures, a layout that folds to one column on narrow screens and a print layout.
 * @module
 */

/** CSS for `report-sections.ts` markup. */
export const REPORT_CSS = `
:root {
  --ink: #1f2328;
  --muted: #59636e;
  --faint: #8c959f;
  --line: #d8dee4;
  --hair: #eef1f4;
  --soft: #f6f8fa;
  --page: #f3f5f8;
  --accent: #0b3d91;
  --accent-soft: #eef3fc;
  --ok: #1a7f37;
  --bad: #cf222e;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--page);
  color: var(--ink);
  font: 15px/1.5 var(--font);
  font-feature-settings: "tnum" 1;
}
.wrap { max-width: 1240px; margin: 0 auto; padding: 0 28px; }
h1, h2, h3, h4 { line-height: 1.25; margin: 0; }
.muted { color: var(--muted); }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}

/* Header */
.report-header { background: #fff; border-bottom: 1px solid var(--line); border-top: 4px solid var(--accent); }
.report-header .wrap { padding-top: 26px; padding-bottom: 22px; }
.eyebrow {
  margin: 0 0 4px; font-size: 12px; font-weight: 600; letter-spacing: .08em; text-transform: uppercase;
  color: var(--accent);
}
h1 { font-size: 28px; font-weight: 700; overflow-wrap: anywhere; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 10px 0 18px; font-size: 13px; color: var(--muted); }
.meta div { display: flex; gap: 6px; min-width: 0; }
.meta dt { font-weight: 600; color: var(--ink); }
.meta dd { margin: 0; overflow-wrap: anywhere; }

.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px 13px; min-width: 0; }
.summary-cards .card { background: var(--soft); }
.card-label { font-size: 12px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; color: var(--muted); }
.card-value {
  font-size: 28px; font-weight: 700; line-height: 1.2; margin-top: 4px; overflow-wrap: anywhere;
  font-variant-numeric: tabular-nums;
}
.card-method .card-value { font-size: 22px; line-height: 1.45; }
.card-sub { font-size: 13px; color: var(--muted); margin-top: 2px; display: flex; min-width: 0; white-space: nowrap; }
.card-sub .ellipsis { overflow: hidden; text-overflow: ellipsis; min-width: 0; margin: 0 4px; }
.callout {
  margin: 14px 0 0; padding: 10px 14px; background: var(--accent-soft); border-left: 3px solid var(--accent);
  border-radius: 0 8px 8px 0; font-size: 14px; overflow-wrap: anywhere;
}

/* Table of contents */
.toc {
  position: sticky; top: 0; z-index: 5; background: rgba(255, 255, 255, .96); border-bottom: 1px solid var(--line);
  backdrop-filter: blur(4px);
}
.toc ul { list-style: none; display: flex; flex-wrap: wrap; gap: 2px 4px; margin: 0; padding: 6px 0; }
.toc a {
  display: block; padding: 4px 10px; border-radius: 6px; color: var(--muted); text-decoration: none; font-size: 13px;
  font-weight: 500;
}
.toc a:hover, .toc a:focus-visible { background: var(--soft); color: var(--ink); }

/* Sections */
main.wrap { padding-bottom: 36px; }
.panel {
  background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 22px 26px 24px; margin-top: 20px;
  scroll-margin-top: 52px;
}
.panel h2 { font-size: 20px; font-weight: 650; }
.panel h3 { font-size: 15px; font-weight: 650; margin: 24px 0 10px; }
.lead { margin: 6px 0 18px; max-width: 80ch; color: var(--muted); font-size: 14px; }
.note {
  margin: 8px 0 0; padding: 12px 14px; background: var(--soft); border: 1px dashed var(--line); border-radius: 8px;
  color: var(--muted); font-size: 14px;
}
.footnote { margin: 10px 0 0; font-size: 13px; color: var(--muted); max-width: 100ch; }
.split { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 28px; align-items: start; }
.split-overview, .split-clv { grid-template-columns: minmax(340px, 5fr) minmax(0, 7fr); }
.segments-table thead th.num { white-space: normal; min-width: 5.5em; }
.split h3 { margin-top: 20px; }
.chart-box { position: relative; width: 100%; }
.chart-box + .table-wrap { margin-top: 20px; }
.chart-projection { height: 500px; }
.chart-k { height: 340px; }
.k-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 18px 28px; }
.k-chart { margin: 0; }
.k-chart figcaption { font-size: 13px; font-weight: 600; color: var(--ink, #1f2328); margin-bottom: 4px; }
.chart-k-small { height: 230px; }
.votes { margin: 16px 0; padding-left: 20px; font-size: 14px; columns: 2 340px; }
.votes li { margin: 2px 0; break-inside: avoid; }
.k-table tr.chosen th, .k-table tr.chosen td { background: #eef4ff; font-weight: 600; }
tr.flagged th, tr.flagged td { background: #fff8c5; }
.warning {
  margin: 0 0 16px; padding: 10px 14px; border-radius: 8px; background: #fff8c5; border: 1px solid #e3c35a;
  color: #5c3b00; font-size: 14px; max-width: 100ch;
}

/* Tables */
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
table.narrow { width: auto; min-width: 50%; }
th, td { padding: 7px 10px; text-align: left; vertical-align: top; }
thead th {
  font-size: 12px; font-weight: 600; color: var(--muted); border-bottom: 1px solid var(--line); vertical-align: bottom;
}
.data tbody th, .data tbody td { border-bottom: 1px solid var(--hair); }
tbody th { font-weight: 500; }
th.plain { font-weight: 400; overflow-wrap: anywhere; }
tfoot th, tfoot td { border-top: 1px solid var(--line); font-weight: 600; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.seg { display: flex; align-items: flex-start; gap: 8px; min-width: 9rem; max-width: 20rem; }
.seg-text { overflow-wrap: break-word; min-width: 0; }
.swatch { flex: none; width: 12px; height: 12px; margin-top: .28em; border-radius: 3px; }
.swatch-all { background: repeating-linear-gradient(45deg, #c9d1d9 0 2px, #fff 2px 4px); border: 1px solid #c9d1d9; }
.badge {
  display: inline-block; margin: 2px 4px 2px 0; padding: 0 8px; border-radius: 999px; font-size: 12px;
  line-height: 20px; background: #fff8c5; color: #7d4e00; border: 1px solid #e3c35a; white-space: nowrap;
}
.flags { display: block; }
th .flags { margin: 2px 0 0 20px; font-weight: 400; }

/* Heat map */
.heat-legend { display: flex; align-items: center; flex-wrap: wrap; gap: 8px; font-size: 12px; color: var(--muted); margin-bottom: 10px; }
.heat-bar { display: inline-block; width: 180px; height: 10px; border-radius: 5px; border: 1px solid var(--line); }
.legend-scale { margin-left: 8px; color: var(--faint); }
.heatmap { border-collapse: separate; border-spacing: 3px; margin: 0 -3px; }
.heatmap thead th {
  text-align: center; min-width: 84px; max-width: 10rem; overflow-wrap: break-word; hyphens: auto; border-bottom: 0;
  padding: 4px 6px;
}
.heatmap-by-feature thead th { text-align: left; min-width: 96px; }
.heatmap-by-feature thead .seg { min-width: 0; }
.heatmap-by-feature tbody th { min-width: 11rem; max-width: 18rem; font-weight: 500; overflow-wrap: break-word; }
.heatmap-by-feature .overall-col .seg-text { color: var(--muted); }
.heatmap thead th.corner { text-align: left; }
.heatmap tbody th { padding: 8px 10px 8px 0; vertical-align: middle; }
.heatmap .cell { text-align: center; vertical-align: middle; padding: 7px 6px; border-radius: 4px; }
.heatmap .v { display: block; font-weight: 650; font-size: 14px; font-variant-numeric: tabular-nums; }
.heatmap .z { display: block; font-size: 11px; opacity: .8; font-variant-numeric: tabular-nums; }
.heatmap .overall th, .heatmap .overall td { border-top: 2px solid var(--line); }
.heatmap .overall-cell { background: #fff; color: var(--muted); }
.mark { color: var(--accent); font-size: 10px; margin-left: 4px; vertical-align: 1px; }
.footnote .mark { margin: 0 2px 0 0; }

/* Segment cards */
.seg-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 14px; }
.seg-card {
  border: 1px solid var(--line); border-top: 4px solid var(--faint); border-radius: 10px; padding: 12px 14px 10px;
  min-width: 0; display: flex; flex-direction: column;
}
.seg-card h4 { font-size: 15px; font-weight: 650; }
.seg-card .seg { max-width: none; }
.seg-stats { margin: 4px 0 6px; font-size: 13px; color: var(--muted); }
.stands-out { margin: 0 0 8px; padding: 0; list-style: none; font-size: 13px; }
.confusion td.diag { font-weight: 600; background: #eef6ee; }
.seg-description { margin: 0 0 8px; font-size: 13px; color: var(--muted); }
.seg-rules { margin: 0 0 8px; font-size: 13px; }
.seg-importance { margin: 0 0 8px; font-size: 13px; }
.seg-rules-title { margin: 0 0 2px; font-weight: 600; }
.seg-rules ul { margin: 0; padding-left: 18px; }
.seg-rules li { margin: 1px 0; overflow-wrap: anywhere; }
p.stands-out { margin: 0 0 8px; }
.stands-out li { margin: 1px 0; overflow-wrap: anywhere; }
.stands-out b { font-weight: 650; font-variant-numeric: tabular-nums; }
.arrow { display: inline-block; width: 1.3em; font-size: 11px; }
.arrow.up { color: #c2570c; }
.arrow.down { color: #5e3c99; }
.seg-card .chart-box { margin-top: auto; }

/* Categories */
.chips { display: flex; flex-wrap: wrap; gap: 6px; }
.chip {
  display: inline-flex; gap: 8px; align-items: baseline; max-width: 100%; padding: 2px 10px; border-radius: 6px;
  border: 1px solid var(--line); font-size: 13px;
}
.chip-label { overflow-wrap: break-word; min-width: 0; }
.chip-share { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }

/* Customer value */
.value-h4 { font-size: 14px; font-weight: 650; margin: 20px 0 8px; color: var(--ink); }
.split-rfm { grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); }
.rfm-grid { border-collapse: collapse; width: 100%; table-layout: fixed; }
.rfm-grid thead th { text-align: center; border-bottom: 0; padding: 2px 4px 4px; }
.rfm-grid th.corner, .rfm-grid tbody th { width: 2.6em; }
.rfm-grid tbody th { padding: 0 6px 0 0; vertical-align: middle; font-size: 12px; font-weight: 600; color: var(--muted); }
.rfm-cell { text-align: center; vertical-align: middle; padding: 6px 3px; height: 64px; }
.rfm-cell .rfm-name {
  display: block; font-size: 11px; font-weight: 650; line-height: 1.15; margin-bottom: 2px; overflow-wrap: break-word;
}
.rfm-cell .v { display: block; font-weight: 650; font-size: 14px; font-variant-numeric: tabular-nums; }
.rfm-cell .z { display: block; font-size: 11px; opacity: .85; font-variant-numeric: tabular-nums; }
.rfm-missing { background: var(--soft); color: var(--faint); }
.rfm-segments thead th.num { white-space: normal; min-width: 4.5em; }
.data.rfm-segments tbody .rfm-seg-row > * { border-bottom: 0; padding-bottom: 0; }
.rfm-segments th.rfm-seg-name { font-weight: 600; overflow-wrap: break-word; min-width: 7.5em; }
.data.rfm-segments tbody .rfm-seg-desc td { padding-top: 1px; font-size: 13px; color: var(--muted); }
.rfm-segments .empty th, .rfm-segments .empty td, .data.rfm-segments tbody .rfm-seg-desc.empty td { color: var(--faint); }
.clv-table .share { display: block; font-size: 12px; color: var(--muted); }
.value-cards { margin-bottom: 14px; }
.clv-models td { overflow-wrap: anywhere; }
.param i { font-style: italic; font-family: Georgia, "Times New Roman", serif; }
.holdout-summary { margin: 0 0 12px; font-size: 14px; max-width: 100ch; }
.chart-tracking { height: 300px; }
.chart-score { height: 250px; }

/* Data quality */
.checks { list-style: none; padding: 0; margin: 14px 0 4px; font-size: 14px; }
.checks li { display: flex; gap: 8px; align-items: baseline; margin: 4px 0; }
.check-mark { font-weight: 700; }
.checks .ok .check-mark { color: var(--ok); }
.checks .bad { color: var(--bad); font-weight: 600; }

.report-footer { color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); background: #fff; }
.report-footer .wrap { padding-top: 14px; padding-bottom: 18px; }

@media (max-width: 980px) {
  .split, .split-overview, .split-clv, .split-rfm { grid-template-columns: minmax(0, 1fr); gap: 8px; }
}
@media (max-width: 640px) {
  body { font-size: 14px; }
  .wrap { padding: 0 14px; }
  h1 { font-size: 22px; }
  .panel { padding: 16px; border-radius: 10px; }
  .card-value { font-size: 22px; }
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
  .card { padding: 10px 12px; }
  .card-sub { white-space: normal; }
  .seg-grid { grid-template-columns: minmax(0, 1fr); }
  .toc { position: static; }
  .seg { min-width: 6rem; }
  .cats thead { display: none; }
  .cats th, .cats td { display: block; border: 0; padding: 4px 0; }
  .cats tr { display: block; padding: 6px 0; border-bottom: 1px solid var(--hair); }
  .rfm-cell { height: 56px; padding: 4px 1px; }
  .rfm-cell .v { font-size: 13px; }
  .rfm-cell .z { font-size: 10px; }
  .rfm-cell .rfm-name { font-size: 9px; font-weight: 600; letter-spacing: -.02em; }
  .rfm-grid th.corner, .rfm-grid tbody th { width: 2em; }
  .heat-bar-short { width: 100px; }
  .badge { white-space: normal; }
  .wide-only { display: none; }
  .clv-table th, .clv-table td, .rfm-segments th, .rfm-segments td { padding-left: 5px; padding-right: 5px; }
  .clv-table thead th.num { white-space: normal; }
  .clv-table .seg { min-width: 5.5rem; }
  .rfm-segments th.rfm-seg-name { min-width: 6em; }
}

@page { margin: 12mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { background: #fff; font-size: 11pt; }
  .toc { display: none; }
  .wrap { max-width: none; padding: 0; }
  .report-header { border: 0; }
  .panel { border: 0; border-radius: 0; padding: 0; margin-top: 18pt; }
  .panel h2 { border-bottom: 1px solid var(--line); padding-bottom: 4pt; }
  h2, h3, h4 { break-after: avoid; }
  .card, .seg-card, .chart-box, tr, .chips { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  canvas { max-width: 100% !important; height: auto !important; }
  .report-footer { border: 0; }
}
`;
