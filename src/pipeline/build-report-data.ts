/**
 * Gathers what report.html shows from the run's results: headline figures, profiles, a 2-D PCA projection of a
 * sample of customers, the k sweep and the quality summary.
 * @module
 */
import type { Config } from '../config/index.js';
import { pca } from '../decomposition/index.js';
import type { Profiles } from '../profile/index.js';
import type { ReportData } from '../report/index.js';
import {
  CRITERION_LABELS,
  METHOD_LABELS,
  type KSelection,
  type SegmentationResult,
} from '../segment/index.js';
import { takeRows } from '../segment/partition.js';
import { silhouetteSamples } from '../metrics/index.js';
import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { VERSION } from '../version.js';
import type { Prepared } from './prepare.js';
import type { CustomerValue } from '../value/index.js';
import { reportValue } from './report-value.js';

const MAX_POINTS = 3000;

const PROFILE_FEATURES = 12;

export interface ReportInputs {
  config: Config;
  prep: Prepared;
  profiles: Profiles;
  seg: SegmentationResult;
  matrix: Matrix;
  clusterNames: readonly string[];
  log1p: readonly string[];
  now: Date;
  /** The value stage's columns; null or absent when it did not run. */
  value?: CustomerValue | null;
  /** A card per segment (src/interpret/personas.ts). */
  personas?: ReportData['personas'];
  /** Method supervised's held-out check. */
  supervised?: ReportData['supervised'];
  /** Fidelity of the segment rules (the rules themselves are on the profiles). */
  explanation?: { fidelity: number; maxDepth: number; fittedOn: number } | null;
}

export function buildReportData(r: ReportInputs): ReportData {
  const { profiles, seg, matrix, prep } = r;
  const defs = prep.features.features;
  // Clustered features first, then the other behaviour/engagement features, then attributes, up to a screenful.
  const shown = [
    ...defs.filter((f) => r.clusterNames.includes(f.name)),
    ...defs.filter((f) => !r.clusterNames.includes(f.name) && f.source !== 'attribute'),
    ...defs.filter((f) => !r.clusterNames.includes(f.name) && f.source === 'attribute' && !f.oneHot),
  ].slice(0, Math.max(PROFILE_FEATURES, r.clusterNames.length));
  const segs = profiles.segments;

  // Projection: PCA fitted on the scaled matrix, drawn for a seeded sample of customers.
  const n = matrix.rows;
  const idx = new Random(r.config.segmentation.seed).sampleIndices(n, Math.min(n, MAX_POINTS));
  const x: number[] = [];
  const y: number[] = [];
  const segment: number[] = [];
  let explained: [number, number] = [0, 0];
  if (matrix.cols >= 2) {
    const p = pca(matrix, 2);
    const d = matrix.cols;
    const sample = new Float64Array(idx.length * d);
    idx.forEach((i, k) => sample.set(matrix.data.subarray(i * d, i * d + d), k * d));
    const t = p.transform({ data: sample, rows: idx.length, cols: d });
    idx.forEach((i, k) => {
      x.push(round(t.data[k * 2]!));
      y.push(round(t.data[k * 2 + 1]!));
      segment.push(seg.labels[i]! + 1);
    });
    explained = [p.explainedVarianceRatio[0] ?? 0, p.explainedVarianceRatio[1] ?? 0];
  }

  const tx = prep.quality.inputs[0]!;
  const ks = seg.kSelection;
  return {
    title: 'Customer segments',
    generatedAt: r.now.toISOString(),
    version: VERSION,
    inputs: {
      ...(r.config.transactions ? { transactions: r.config.transactions.path } : {}),
      ...(r.config.customers ? { customers: r.config.customers.path } : {}),
      ...(r.config.events ? { events: r.config.events.path } : {}),
    },
    summary: {
      customers: profiles.customers,
      revenue: profiles.revenue,
      ...(r.config.output.currency ? { currency: r.config.output.currency } : {}),
      method: METHOD_LABELS[r.config.segmentation.method],
      k: seg.k,
      kReason: seg.kReason,
      asOf: profiles.asOf,
    },
    segments: segs.map((s) => ({
      id: s.segment,
      name: s.name,
      size: s.size,
      share: s.share,
      revenueShare: s.revenueShare,
      ...(s.flags.length ? { flags: s.flags } : {}),
      ...(s.stability !== undefined ? { stability: s.stability } : {}),
      ...(s.noise ? { noise: true } : {}),
      ...(s.description ? { description: s.description } : {}),
      ...(s.rules?.length
        ? { rules: s.rules.map((x) => ({ text: x.text, coverage: x.coverage, precision: x.precision })) }
        : {}),
      ...(s.importance
        ? {
            importance: Object.entries(s.importance)
              .filter(([, v]) => v >= 0.05)
              .sort((a, b) => b[1] - a[1])
              .slice(0, 3)
              .map(([name, value]) => ({ label: defs.find((f) => f.name === name)?.label ?? name, value })),
          }
        : {}),
    })),
    rules: r.explanation ?? null,
    supervised: r.supervised ?? null,
    personas: r.personas ?? null,
    features: shown.map((f) => ({
      name: f.name,
      label: f.label,
      clustered: r.clusterNames.includes(f.name),
    })),
    profile: {
      means: segs.map((s) => shown.map((f) => s.features[f.name]!.mean)),
      medians: segs.map((s) => shown.map((f) => s.features[f.name]!.median)),
      overall: shown.map((f) => profiles.overall[f.name]!.mean),
      z: segs.map((s) => shown.map((f) => s.features[f.name]!.z)),
    },
    categories: [...new Set(segs.flatMap((s) => Object.keys(s.categories)))].map((attribute) => ({
      attribute,
      perSegment: segs.map((s) => s.categories[attribute] ?? []),
    })),
    projection: { method: 'PCA', explained, x, y, segment, shown: idx.length, total: n },
    kSelection: ks ? reportKSelection(ks) : null,
    silhouettePlot: silhouettePlot(r),
    value: reportValue(r.value ?? null, seg, profiles),
    quality: {
      inputRows: tx.rows,
      usedRows: tx.used,
      rejectedRows: tx.rejected,
      rejectedByReason: tx.rejectedByReason,
      checks: tx.checks,
      customersExcluded: prep.quality.customersExcluded,
    },
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** The sweep as the report draws it: one array per criterion, criteria named for people. */
function reportKSelection(ks: KSelection): NonNullable<ReportData['kSelection']> {
  const ev = ks.evaluations;
  const col = (f: (e: KSelection['evaluations'][number]) => number | null) => {
    const values = ev.map((e) => {
      const v = f(e);
      return v === null || !Number.isFinite(v) ? null : v;
    });
    return values.some((v) => v !== null) ? values : undefined;
  };
  const fmt = (n: number) => n.toLocaleString('en-US');
  const optional = {
    calinskiHarabasz: col((e) => e.calinskiHarabasz),
    daviesBouldin: col((e) => e.daviesBouldin),
    bic: col((e) => e.bic),
    gap: col((e) => e.gap),
    gapSE: col((e) => e.gapSE),
    stability: col((e) => e.stability),
    stabilitySD: col((e) => e.stabilitySD),
    predictionStrength: col((e) => e.predictionStrength),
  };
  return {
    criterion: ks.votes.length === 1 ? CRITERION_LABELS[ks.votes[0]!.criterion] : 'votes',
    ks: ks.ks,
    silhouette: ev.map((e) => (Number.isFinite(e.silhouette) ? e.silhouette : null)),
    inertia: ev.map((e) => e.inertia),
    chosen: ks.recommended,
    note: ks.sampled
      ? `the criteria were computed on a sample of ${fmt(ks.fittedOn)} of ${fmt(ks.total)} customers`
      : ks.silhouetteOn < ks.fittedOn
        ? `silhouette estimated on ${fmt(ks.silhouetteOn)} of ${fmt(ks.fittedOn)} customers`
        : '',
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    elbow: ks.elbow,
    votes: ks.votes.map((v) => ({ criterion: CRITERION_LABELS[v.criterion], k: v.k, rule: v.rule })),
    structure: ks.structure,
    reasons: ks.reasons,
  };
}

/** Customers the silhouette plot is computed on at most (distances among them: O(m²)). */
const SILHOUETTE_PLOT_POINTS = 2000;
/** Bars drawn in all: each segment's sorted values are thinned to evenly spaced ranks, bars ∝ its size. */
const SILHOUETTE_PLOT_BARS = 500;

/** Each customer's silhouette on a seeded sample, sorted within its segment; null when it does not apply. */
function silhouettePlot(r: ReportInputs): NonNullable<ReportData['silhouettePlot']> | null {
  const { seg, matrix } = r;
  const method = r.config.segmentation.method;
  if (method === 'kprototypes' || method === 'kmodes' || seg.k < 2) return null;
  const clustered = Int32Array.from(Array.from(seg.labels.keys()).filter((i) => seg.labels[i]! >= 0));
  const take =
    clustered.length > SILHOUETTE_PLOT_POINTS
      ? Int32Array.from(
          new Random(r.config.segmentation.seed).sampleIndices(clustered.length, SILHOUETTE_PLOT_POINTS),
          (j) => clustered[j]!,
        )
      : clustered;
  const labels = Int32Array.from(take, (i) => seg.labels[i]!);
  const distinct = new Set(labels).size;
  if (distinct < 2 || distinct > labels.length - 1) return null;
  const values = silhouetteSamples(takeRows(matrix, take), labels);
  const segments = [];
  let total = 0;
  for (let s = 0; s < seg.k; s++) {
    const own = Array.from(values.filter((_, i) => labels[i] === s)).sort((a, b) => b - a);
    if (own.length === 0) continue;
    const mean = own.reduce((a, b) => a + b, 0) / own.length;
    total += mean * own.length;
    const bars = Math.min(
      own.length,
      Math.max(8, Math.round((SILHOUETTE_PLOT_BARS * own.length) / labels.length)),
    );
    const thinned = Array.from({ length: bars }, (_, b) =>
      round(own[bars === 1 ? 0 : Math.round((b * (own.length - 1)) / (bars - 1))]!),
    );
    segments.push({
      id: s + 1,
      values: thinned,
      mean,
      size: own.length,
      negative: own.filter((v) => v < 0).length / own.length,
    });
  }
  return { segments, average: total / labels.length, shown: labels.length, total: seg.labels.length };
}
