/**
 * The report stage: turns `ReportData` into a self-contained report.html.
 * @module
 */

export type { ReportData, ReportFeature, ReportSegment } from './report-data.js';
export { renderReport, REPORT_DATA_ELEMENT_ID, type RenderReportOptions } from './render-report.js';
export { assertValidReportData, reportDataProblems } from './validate-report-data.js';
export { createFormat, MISSING, type ReportFormat } from './format.js';
export { SEGMENT_PALETTE, segmentColor } from './palette.js';
