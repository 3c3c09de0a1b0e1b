/**
 * Gathers what report.html shows from the run's results: headline figures, profiles, a 2-D PCA projection of a
 * sample of customers, the k sweep and the quality summary.
 * @module
 */
import type { Config } from '../config/index.js';
import { pca } from '../decomposition/index.js';
import type { Profiles } from '../profile/index.js';
import type { ReportData } from '../report/index.js';
import { METHOD_LABELS, type SegmentationResult } from '../segment/index.js';
import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { VERSION } from '../version.js';
import type { Prepared } from './prepare.js';

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
      ...(s.noise ? { noise: true } : {}),
    })),
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
    kSelection: ks
      ? {
          criterion: ks.criterion,
          ks: ks.ks,
          silhouette: ks.silhouette,
          inertia: ks.inertia,
          chosen: ks.chosen,
          note:
            ks.fittedOn < ks.total
              ? `fitted on a sample of ${ks.fittedOn.toLocaleString('en-US')} of ${ks.total.toLocaleString('en-US')} customers`
              : ks.silhouetteOn < ks.total
                ? `silhouette estimated on ${ks.silhouetteOn.toLocaleString('en-US')} of ${ks.total.toLocaleString('en-US')} customers`
                : '',
        }
      : null,
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
