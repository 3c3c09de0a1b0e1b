/**
 * Everything report.html shows, as plain JSON-able data: the pipeline fills it, the renderer only draws it.
 * @module
 */

import type { Persona } from '../interpret/personas.js';

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
  /** What the segment means and what to do about it, when its method defines that. */
  description?: string;
  /** Plain-words rules selecting the segment (see `ReportData.rules`), most covering first. */
  rules?: { text: string; coverage: number; precision: number }[];
  /**
   * The clustered features the segment depends on most: permutation importance (the share of the segment the
   * rules' tree stops recognising when the feature is shuffled), largest first.
   */
  importance?: { label: string; value: number }[];
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
  /**
   * Method supervised: how well the random forest predicted the known segments of labelled customers it did not
   * see (segment names in `perSegment` order index the confusion matrix's rows and columns).
   */
  supervised?: {
    labelled: number;
    predicted: number;
    test: number;
    accuracy: number;
    oobScore: number | null;
    perSegment: { name: string; precision: number; recall: number; support: number }[];
    confusion: number[][];
  } | null;
  /** How well the segment rules reproduce the segmentation; absent when no rules were made. */
  rules?: { fidelity: number; maxDepth: number; fittedOn: number } | null;
  /**
   * Customer value: RFM scores and the named segment map, predicted lifetime value and its holdout check, the
   * composite score. Absent or null without transactions (or when `value` is switched off in the config).
   */
  value?: ReportValue | null;
  /**
   * One card per segment a marketing team can act on (src/interpret/personas.ts builds them; `Persona[]` is this
   * shape). Absent or null when personas were not built.
   */
  personas?: ReportPersona[] | null;
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

/** The customer-value part of the report (see `ReportData.value`); each block is null when not computed. */
export interface ReportValue {
  rfm: {
    /** Score bins per dimension (default 5): scores run 1..bins, higher is better. */
    bins: number;
    /**
     * The R × F grid: one entry per (r, f) cell with customers, their mean net spend, and the named segment the
     * map gives that cell (the map may also split a cell by M; then the most common name in it).
     */
    grid: { r: number; f: number; customers: number; meanMonetary: number; segment: string }[];
    /** The named segments in map order, with what they mean and what to do; empty segments included (size 0). */
    segments: {
      name: string;
      description: string;
      customers: number;
      share: number;
      revenueShare: number;
    }[];
  } | null;
  clv: {
    /** e.g. "BG/NBD". */
    model: string;
    /** The purchase model's fitted parameters by name (r, alpha, a, b or r, alpha, s, beta). */
    params: Record<string, number>;
    /** Gamma–Gamma spend parameters (p, q, v); null when too few repeat buyers to fit it. */
    spendParams: Record<string, number> | null;
    /** Time unit of frequency, recency and T: "days" or "weeks". */
    unit: string;
    /** CLV horizon in months and the monthly discount rate. */
    months: number;
    discountRate: number;
    /** Sum of predicted CLV over all customers, and the mean probability of being alive. */
    totalClv: number;
    meanProbabilityAlive: number;
    /** Per segment (same order and ids as `segments`): the distribution of predicted CLV and P(alive). */
    perSegment: {
      id: number;
      name: string;
      /** Quantiles of predicted CLV: 10th, 25th, 50th, 75th, 90th percentile. */
      p10: number;
      p25: number;
      p50: number;
      p75: number;
      p90: number;
      mean: number;
      total: number;
      meanProbabilityAlive: number;
    }[];
    /**
     * The model refitted on the calibration period and checked against the holdout period; null when the data
     * are too short for a holdout or it is switched off.
     */
    holdout: {
      calibrationEnd: string;
      observationEnd: string;
      /** Customers in the calibration fit. */
      customers: number;
      /** Repeat purchases in the holdout: predicted (sum over customers) and actual. */
      predicted: number;
      actual: number;
      /** Per-customer mean absolute error of predicted vs actual holdout repeat purchases. */
      mae: number;
      /** Pearson correlation of predicted and actual per customer. */
      correlation: number;
      /** Mean predicted vs actual holdout purchases by calibration-period frequency (0, 1, …, "7+"). */
      byFrequency: { frequency: string; customers: number; predicted: number; actual: number }[];
      /**
       * The tracking plot: cumulative repeat purchases per period since the start, actual vs the model's expectation;
       * `dates` are ISO dates at the end of each period, `calibrationIndex` the period where the holdout begins.
       */
      tracking: { dates: string[]; actual: number[]; predicted: number[]; calibrationIndex: number };
    } | null;
  } | null;
  composite: {
    /** Feature → weight, as configured, and how features were normalised. */
    weights: Record<string, number>;
    normalise: string;
    /** Histogram of the score, and the cut points between score segments. */
    histogram: { edges: number[]; counts: number[] };
    cuts: number[];
  } | null;
}

/**
 * A persona card (see `ReportData.personas`): the interpret stage's `Persona` as it is, so personas.json and the
 * report carry the same object; `segment` must be a segment id in `ReportData.segments`.
 */
export type ReportPersona = Persona;
