/**
 * Shape checks on `ReportData` before anything is drawn, so a mismatch between stages fails loudly with every
 * problem listed instead of drawing a quietly wrong chart.
 * @module
 */

import type { Problem } from '../util/errors.js';
import type { ReportData, ReportPersona, ReportValue } from './report-data.js';

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
  if (data.value !== undefined && data.value !== null) valueProblems(data.value, ids, add);
  if (data.personas !== undefined && data.personas !== null) personaProblems(data.personas, ids, add);
  return problems;
}

/**
 * Shape problems in the customer-value block. It comes from a separate stage (and may be read back from JSON), so
 * each array and object it indexes is checked to be one before it is read.
 */
function valueProblems(
  v: ReportValue,
  ids: Set<number>,
  add: (where: string, message: string) => void,
): void {
  if (typeof v !== 'object') {
    add('value', `is ${typeof v}, expected an object or null`);
    return;
  }
  const isArray = (x: unknown, where: string): x is unknown[] => {
    if (Array.isArray(x)) return true;
    add(where, `is ${describe(x)}, expected an array`);
    return false;
  };
  const isObject = (x: unknown, where: string): x is Record<string, unknown> => {
    if (typeof x === 'object' && x !== null && !Array.isArray(x)) return true;
    add(where, `is ${describe(x)}, expected an object`);
    return false;
  };
  const numbersIn = (x: unknown, where: string): void => {
    if (!isObject(x, where)) return;
    for (const [key, n] of Object.entries(x)) {
      if (typeof n !== 'number') add(`${where}.${key}`, `is ${describe(n)}, expected a number`);
    }
  };
  const sameLength = (a: unknown, where: string, n: number, like: string): void => {
    if (isArray(a, where) && a.length !== n) add(where, `has ${a.length} values, expected ${n} like ${like}`);
  };

  const rfm = v.rfm;
  if (rfm !== null && rfm !== undefined && isObject(rfm, 'value.rfm')) {
    const bins = rfm.bins;
    const binsOk = Number.isInteger(bins) && bins >= 1 && bins <= 10;
    if (!binsOk) add('value.rfm.bins', `is ${describe(bins)}, expected a whole number of score bins, 1..10`);
    const names = new Set<string>();
    if (isArray(rfm.segments, 'value.rfm.segments')) {
      rfm.segments.forEach((seg, i) => {
        if (!isObject(seg, `value.rfm.segments[${i}]`)) return;
        if (typeof seg.name !== 'string')
          add(`value.rfm.segments[${i}].name`, `is ${describe(seg.name)}, expected a string`);
        else if (names.has(seg.name))
          add(`value.rfm.segments[${i}].name`, `duplicates segment name ${JSON.stringify(seg.name)}`);
        else names.add(seg.name);
        if (typeof seg.description !== 'string') {
          add(`value.rfm.segments[${i}].description`, `is ${describe(seg.description)}, expected a string`);
        }
      });
    }
    if (isArray(rfm.grid, 'value.rfm.grid')) {
      const seen = new Set<string>();
      rfm.grid.forEach((c, i) => {
        const where = `value.rfm.grid[${i}]`;
        if (!isObject(c, where)) return;
        for (const key of ['r', 'f'] as const) {
          const x = c[key];
          if (!Number.isInteger(x) || (binsOk && (x < 1 || x > bins))) {
            add(`${where}.${key}`, `is ${describe(x)}, expected a score 1..${binsOk ? bins : 'bins'}`);
          }
        }
        const cell = `${c.r},${c.f}`;
        if (seen.has(cell)) add(where, `repeats the cell r = ${c.r}, f = ${c.f}`);
        seen.add(cell);
        // '' names no segment: a cell the map leaves uncovered.
        if (typeof c.segment !== 'string' || (c.segment !== '' && !names.has(c.segment))) {
          add(`${where}.segment`, `is ${describe(c.segment)}, which is not a name in value.rfm.segments`);
        }
      });
    }
  }

  const clv = v.clv;
  if (clv !== null && clv !== undefined && isObject(clv, 'value.clv')) {
    numbersIn(clv.params, 'value.clv.params');
    if (clv.spendParams !== null) numbersIn(clv.spendParams, 'value.clv.spendParams');
    if (isArray(clv.perSegment, 'value.clv.perSegment')) {
      const seen = new Set<number>();
      clv.perSegment.forEach((s, i) => {
        if (!isObject(s, `value.clv.perSegment[${i}]`)) return;
        if (!ids.has(s.id)) {
          add(`value.clv.perSegment[${i}].id`, `is ${describe(s.id)}, which is not a segment id`);
        } else if (seen.has(s.id)) {
          add(`value.clv.perSegment[${i}].id`, `duplicates segment id ${s.id}`);
        }
        seen.add(s.id);
      });
    }
    const h = clv.holdout;
    if (h !== null && h !== undefined && isObject(h, 'value.clv.holdout')) {
      isArray(h.byFrequency, 'value.clv.holdout.byFrequency');
      const t = h.tracking;
      if (isObject(t, 'value.clv.holdout.tracking') && isArray(t.dates, 'value.clv.holdout.tracking.dates')) {
        const n = t.dates.length;
        const like = 'value.clv.holdout.tracking.dates';
        sameLength(t.actual, 'value.clv.holdout.tracking.actual', n, like);
        sameLength(t.predicted, 'value.clv.holdout.tracking.predicted', n, like);
        if (!Number.isInteger(t.calibrationIndex) || t.calibrationIndex < 0 || t.calibrationIndex > n) {
          add(
            'value.clv.holdout.tracking.calibrationIndex',
            `is ${describe(t.calibrationIndex)}, expected a period index 0..${n}`,
          );
        }
      }
    }
  }

  const c = v.composite;
  if (c !== null && c !== undefined && isObject(c, 'value.composite')) {
    numbersIn(c.weights, 'value.composite.weights');
    isArray(c.cuts, 'value.composite.cuts');
    const hist = c.histogram;
    if (
      isObject(hist, 'value.composite.histogram') &&
      isArray(hist.edges, 'value.composite.histogram.edges') &&
      isArray(hist.counts, 'value.composite.histogram.counts')
    ) {
      if (hist.counts.length > 0 && hist.edges.length !== hist.counts.length + 1) {
        add(
          'value.composite.histogram.edges',
          `has ${hist.edges.length} values, expected ${hist.counts.length + 1} (one more than counts)`,
        );
      }
      // Non-finite edges (no scores) draw as a note, not a problem; finite ones must rise.
      const at = hist.edges.findIndex(
        (e, i) =>
          i > 0 && Number.isFinite(e) && Number.isFinite(hist.edges[i - 1]) && !(e > hist.edges[i - 1]!),
      );
      if (at > 0)
        add(
          `value.composite.histogram.edges[${at}]`,
          `is ${describe(hist.edges[at])}, not above the edge before it`,
        );
    }
  }
}

/** Shape problems in the persona cards: each names a known segment once, with the lists the section iterates. */
function personaProblems(
  personas: ReportPersona[],
  ids: Set<number>,
  add: (where: string, message: string) => void,
): void {
  if (!Array.isArray(personas)) {
    add('personas', `is ${describe(personas)}, expected an array or null`);
    return;
  }
  const seen = new Set<number>();
  personas.forEach((p: unknown, i) => {
    const where = `personas[${i}]`;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) {
      add(where, `is ${describe(p)}, expected an object`);
      return;
    }
    const x = p as Record<string, unknown>;
    const segment = x['segment'];
    if (typeof segment !== 'number' || !ids.has(segment)) {
      add(`${where}.segment`, `is ${describe(segment)}, which is not a segment id`);
    } else if (seen.has(segment)) {
      add(`${where}.segment`, `duplicates segment id ${segment}`);
    } else seen.add(segment);
    if (typeof x['name'] !== 'string') add(`${where}.name`, `is ${describe(x['name'])}, expected a string`);
    if (!Array.isArray(x['traits'])) add(`${where}.traits`, `is ${describe(x['traits'])}, expected an array`);
    const action = x['action'] as Record<string, unknown> | null | undefined;
    if (typeof action !== 'object' || action === null || typeof action['name'] !== 'string') {
      add(`${where}.action`, `is ${describe(action)}, expected { name, why }`);
    }
    const b = x['behaviour'] as Record<string, unknown> | null | undefined;
    if (typeof b !== 'object' || b === null || Array.isArray(b)) {
      add(`${where}.behaviour`, `is ${describe(b)}, expected an object`);
      return;
    }
    for (const key of ['busiestDays', 'busiestHours', 'topProducts', 'channels', 'campaigns']) {
      if (!Array.isArray(b[key]))
        add(`${where}.behaviour.${key}`, `is ${describe(b[key])}, expected an array`);
    }
  });
}

/** A value for a message: JSON where it is short, its type otherwise. */
function describe(x: unknown): string {
  if (x === undefined) return 'missing';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object' && x !== null) return 'an object';
  if (typeof x === 'number') return String(x);
  const text = JSON.stringify(x) ?? String(x);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
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
