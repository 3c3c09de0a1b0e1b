/**
 * Everything report.html shows, as plain JSON-able data: the pipeline fills it, the renderer only draws it.
 * @module
 */

/** One segment's headline figures. */
export interface ReportSegment {
  id: number;
  name: string;
  size: number;
  /** Fraction of customers, 0..1. */
  share: number;
  /** Fraction of net revenue, 0..1 (can be < 0 for a segment of net returners). */
  revenueShare: number;
  /** Warnings about the segment (e.g. it does not hold up in refits); shown as badges. */
  flags?: string[];
  /** Mean Jaccard similarity with its best match over refits on subsamples (1 = always reproduced). */
  stability?: number | null;
  /** The customers a density method left out of every segment (segment 0): drawn grey. */
  noise?: boolean;
}

/** A feature column shown in profiles. */
export interface ReportFeature {
  /** Column name as in segments.csv, e.g. `recency_days`. */
  name: string;
  /** Human label, e.g. "Recency (days)". */
  label: string;
  /** Whether the feature was used for clustering (others are profiled only). */
  clustered: boolean;
}

export interface ReportData {
  title: string;
  /** ISO timestamp. */
  generatedAt: string;
  version: string;
  /** Input file names (basenames or paths as the user gave them). */
  inputs: { transactions?: string; customers?: string; events?: string };
  summary: {
    customers: number;
    /** Net revenue of segmented customers. */
    revenue: number;
    currency?: string;
    method: string;
    k: number;
    /** Sentence on how k was chosen, e.g. "k = 4 had the highest silhouette (0.41) among k = 2..10". */
    kReason: string;
    /** Reference date for recency, ISO date. */
    asOf: string;
  };
  segments: ReportSegment[];
  features: ReportFeature[];
  profile: {
    /** means[s][f]: mean of feature f in segment s, in the feature's own units. */
    means: number[][];
    /** medians[s][f]. */
    medians: number[][];
    /** overall[f]: mean over all customers. */
    overall: number[];
    /** z[s][f]: (segment mean − overall mean) / overall standard deviation — what sets a segment apart. */
    z: number[][];
  };
  /** Top categorical values per segment, e.g. country: [["United Kingdom", 0.91], ...]. */
  categories: { attribute: string; perSegment: [string, number][][] }[];
  /** 2-D projection of (a sample of) customers. */
  projection: {
    method: string;
    /** Fraction of variance explained by each axis. */
    explained: [number, number];
    x: number[];
    y: number[];
    segment: number[];
    /** Points shown vs customers in total. */
    shown: number;
    total: number;
  };
  /** The k sweep: every criterion per k; null when k was fixed by the user or found by the method. */
  kSelection: {
    /** Criterion that decided, kept for older readers: "votes" when several criteria voted. */
    criterion: string;
    ks: number[];
    silhouette: (number | null)[];
    inertia: number[];
    chosen: number;
    /** e.g. "fitted on a sample of 50,000 of 2,000,000 customers" — empty when all were used. */
    note: string;
    /** Per k, when measured (null entries where a criterion does not apply). */
    calinskiHarabasz?: (number | null)[];
    daviesBouldin?: (number | null)[];
    bic?: (number | null)[];
    gap?: (number | null)[];
    gapSE?: (number | null)[];
    stability?: (number | null)[];
    stabilitySD?: (number | null)[];
    predictionStrength?: (number | null)[];
    /** The knee of the inertia curve (Kneedle), when one was found. */
    elbow?: number | null;
    /** What each criterion picks, with its rule in words. */
    votes?: { criterion: string; k: number | null; rule: string }[];
    structure?: 'clear' | 'weak' | 'none';
    reasons?: string[];
  } | null;
  /**
   * Silhouette of each customer in a sample, per segment, sorted high to low and thinned for drawing to about 500
   * values in all, each segment's in proportion to its size; null when not computed (one segment, or a
   * categorical method).
   */
  silhouettePlot?: {
    segments: { id: number; values: number[]; mean: number; size: number; negative: number }[];
    average: number;
    /** Customers the silhouettes were computed on, and in total. */
    shown: number;
    total: number;
  } | null;
  quality: {
    inputRows: number;
    usedRows: number;
    rejectedRows: number;
    /** reason → rows rejected for it (sums to rejectedRows). */
    rejectedByReason: Record<string, number>;
    /** Findings that were reported, kept or fixed, e.g. { name: "Cancellations", count: 9288, action: "netted against purchases" }. */
    checks: { name: string; count: number; action: string }[];
    /** Customers seen in the data but not segmented, with why (e.g. "only returns"). */
    customersExcluded: { reason: string; count: number }[];
  };
}
