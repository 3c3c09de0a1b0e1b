/**
 * Shape checks on `ReportData` before anything is drawn, so a mismatch between stages fails loudly with every
 * problem listed instead of drawing a quietly wrong chart.
 * @module
 */

import type { Problem } from '../util/errors.js';
import type { ReportData } from './report-data.js';

/**
 * Lists every structural problem in `data`: matrices whose shape does not match the segments × features, parallel
 * arrays of different lengths, projection points naming a segment id that does not exist. Non-finite numbers are
 * not problems here: the renderer shows them as "—".
 *
 * @example
 * reportDataProblems(data); // [] when the renderer can draw it
 */
export function reportDataProblems(data: ReportData): Problem[] {
  const problems: Problem[] = [];
  const add = (where: string, message: string): void => {
    problems.push({ where, message });
  };
  const s = data.segments.length;
  const f = data.features.length;

  if (s === 0) add('segments', 'is empty: a report needs at least one segment');
  const ids = new Set<number>();
  data.segments.forEach((seg, i) => {
    if (ids.has(seg.id)) add(`segments[${i}].id`, `duplicates segment id ${seg.id}`);
    ids.add(seg.id);
  });

  for (const key of ['means', 'medians', 'z'] as const) {
    const m = data.profile[key];
    if (m.length !== s) add(`profile.${key}`, `has ${m.length} rows, expected one per segment (${s})`);
    m.forEach((row, i) => {
      if (row.length !== f)
        add(`profile.${key}[${i}]`, `has ${row.length} values, expected one per feature (${f})`);
    });
  }
  if (data.profile.overall.length !== f) {
    add('profile.overall', `has ${data.profile.overall.length} values, expected one per feature (${f})`);
  }

  data.categories.forEach((c, i) => {
    if (c.perSegment.length !== s) {
      add(`categories[${i}].perSegment`, `has ${c.perSegment.length} lists, expected one per segment (${s})`);
    }
  });

  const p = data.projection;
  const n = p.x.length;
  if (p.y.length !== n) add('projection.y', `has ${p.y.length} values, expected ${n} like projection.x`);
  if (p.segment.length !== n) {
    add('projection.segment', `has ${p.segment.length} values, expected ${n} like projection.x`);
  }
  let unknown = 0;
  let firstUnknown = -1;
  p.segment.forEach((id, i) => {
    if (!ids.has(id)) {
      unknown++;
      if (firstUnknown < 0) firstUnknown = i;
    }
  });
  if (unknown > 0) {
    add(
      `projection.segment[${firstUnknown}]`,
      `is ${p.segment[firstUnknown]}, which is not a segment id (${unknown} point(s) like this); ` +
        `known ids: ${[...ids].join(', ')}`,
    );
  }

  const k = data.kSelection;
  if (k !== null) {
    if (k.silhouette.length !== k.ks.length) {
      add(
        'kSelection.silhouette',
        `has ${k.silhouette.length} values, expected ${k.ks.length} like kSelection.ks`,
      );
    }
    if (k.inertia.length !== k.ks.length) {
      add('kSelection.inertia', `has ${k.inertia.length} values, expected ${k.ks.length} like kSelection.ks`);
    }
  }
  return problems;
}

/**
 * Throws one `RangeError` listing every problem {@link reportDataProblems} finds; returns quietly otherwise.
 *
 * @example
 * assertValidReportData(data);
 */
export function assertValidReportData(data: ReportData): void {
  const problems = reportDataProblems(data);
  if (problems.length > 0) {
    const list = problems.map((pr) => `${pr.where} ${pr.message}`).join('; ');
    throw new RangeError(`invalid ReportData (${problems.length} problem(s)): ${list}`);
  }
}
