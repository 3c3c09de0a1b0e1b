/**
 * The run configuration: what a `segmint.yaml` may say, its defaults, and validation that reports every problem
 * at once with where it is.
 * @module
 */
import { z } from 'zod';
import { checkRfmMap } from '../value/rfm-map.js';
import { ActionRulesSchema } from '../interpret/personas.js';

const encoding = z.enum(['utf-8', 'utf-16', 'latin-1']);
const readSettings = {
  path: z.string().min(1),
  format: z.enum(['csv', 'parquet', 'json']).optional(),
  delimiter: z.string().min(1).max(4).optional(),
  header: z.boolean().optional(),
  encoding: encoding.optional(),
  /** strptime format for dates, e.g. '%d/%m/%Y %H:%M'; detected when absent. */
  dateFormat: z.string().min(1).optional(),
  /** Decimal separator of numbers in text files; a comma is detected in files not delimited by commas. */
  decimal: z.enum(['.', ',']).optional(),
};

export const TransactionsSchema = z.strictObject({
  ...readSettings,
  columns: z
    .strictObject({
      customerId: z.string().optional(),
      invoiceId: z.string().optional(),
      date: z.string().optional(),
      quantity: z.string().optional(),
      unitPrice: z.string().optional(),
      amount: z.string().optional(),
      product: z.string().optional(),
      country: z.string().optional(),
    })
    .default({}),
});

export const CustomersSchema = z.strictObject({
  ...readSettings,
  columns: z.strictObject({ customerId: z.string().optional() }).default({}),
  /** Attributes to one-hot encode; detected (text columns with few values) when absent. */
  categorical: z.array(z.string()).optional(),
  /** Numeric attributes used as they are; detected when absent. */
  numeric: z.array(z.string()).optional(),
  /** Ordered categories encoded as their rank, e.g. { size: [S, M, L] }. */
  ordinal: z.record(z.string(), z.array(z.union([z.string(), z.number()])).min(2)).default({}),
});

export const EventsSchema = z.strictObject({
  ...readSettings,
  columns: z
    .strictObject({
      customerId: z.string().optional(),
      timestamp: z.string().optional(),
      type: z.string().optional(),
    })
    .default({}),
});

const keepDrop = z.enum(['keep', 'drop']);

export const QualitySchema = z.strictObject({
  /** Exact duplicate lines: drop all but the first (default) or keep. */
  duplicates: keepDrop.default('drop'),
  /** Cancellations and returns: net them against purchases (default) or drop them. */
  cancellations: z.enum(['net', 'drop']).default('net'),
  /** Lines whose amount is zero. */
  zeroAmounts: keepDrop.default('drop'),
  /** Lines with a negative unit price (e.g. bad-debt adjustments). */
  negativePrices: keepDrop.default('drop'),
  /** Dates after the latest allowed date (default: the time of the run). */
  maxDate: z.string().optional(),
  /** Dates before this are out of range (default 1990-01-01). */
  minDate: z.string().default('1990-01-01'),
  /** Product codes that are not products (postage, fees, manual adjustments): kept unless listed here. */
  excludeProducts: z.array(z.string()).default([]),
  /** Extreme line amounts: Tukey's far-out fence on log(1 + |amount|), reported; `drop` removes them. */
  outliers: z
    .strictObject({ fence: z.number().positive().default(3), action: keepDrop.default('keep') })
    .default({ fence: 3, action: 'keep' }),
});

export const FeaturesSchema = z.strictObject({
  /** Reference date for recency (ISO); default: the day after the last valid transaction. */
  asOf: z.string().optional(),
  /** Features to cluster on; default: the behavioural features (and engagement when events are given). */
  cluster: z.array(z.string()).min(1).optional(),
  /** Features to log1p before scaling; default: money and count features. */
  log1p: z.array(z.string()).optional(),
  scaling: z.enum(['standard', 'robust', 'minmax']).default('standard'),
  /** Categories kept per categorical attribute before the rest is grouped as "other". */
  maxCategories: z.number().int().min(1).max(100).default(12),
});

/** Clustering methods: segments found in the scaled features. */
export const CLUSTER_METHODS = [
  'kmeans',
  'minibatch-kmeans',
  'bisecting-kmeans',
  'gaussian-mixture',
  'agglomerative',
  'dbscan',
  'hdbscan',
  'kprototypes',
  'kmodes',
] as const;
/**
 * Value methods: segments defined by rules on customer value (the `value` block): the named RFM map, predicted
 * lifetime value × probability alive, or a weighted composite score cut into bands.
 */
export const VALUE_METHODS = ['rfm', 'predictive', 'composite'] as const;
/** Segments learned from customers whose segment is known (a CRM field): a random forest predicts the rest. */
export const LABEL_METHODS = ['supervised'] as const;
/** Segmentation methods, as `segmentation.method` names them. */
export const SEGMENTATION_METHODS = [...CLUSTER_METHODS, ...VALUE_METHODS, ...LABEL_METHODS] as const;

/** Per-method settings: each block applies to the method of the same name only. */
export const MethodOptionsSchemas = {
  miniBatch: z.strictObject({
    /** Customers per mini-batch (scikit-learn's default 1024). */
    batchSize: z.number().int().min(1).default(1024),
  }),
  gaussianMixture: z.strictObject({
    covarianceType: z.enum(['full', 'tied', 'diag', 'spherical']).default('full'),
  }),
  agglomerative: z.strictObject({
    linkage: z.enum(['ward', 'complete', 'average', 'single']).default('ward'),
    /** Customers the tree is built on (memory grows with its square); the rest join the nearest segment mean. */
    sampleSize: z.number().int().min(100).max(30_000).default(10_000),
  }),
  dbscan: z.strictObject({
    /** Neighbourhood radius in the scaled feature space (standard scaling: in standard deviations). */
    eps: z.number().positive().default(0.5),
    /** Customers (itself included) within eps that make a customer a core point. */
    minSamples: z.number().int().min(1).default(5),
    /** Customers DBSCAN is fitted on; the rest join the segment of a core customer within eps, else noise. */
    sampleSize: z.number().int().min(100).default(50_000),
  }),
  hdbscan: z.strictObject({
    /** Smallest segment; default 1% of the fitted customers, at least 5. */
    minClusterSize: z.number().int().min(2).optional(),
    /** Neighbours that define a customer's core distance; default minClusterSize. */
    minSamples: z.number().int().min(1).optional(),
    clusterSelectionMethod: z.enum(['eom', 'leaf']).default('eom'),
    /** Customers HDBSCAN is fitted on; the rest join the segment of a nearby clustered customer, else noise. */
    sampleSize: z.number().int().min(100).default(20_000),
  }),
  supervised: z.strictObject({
    /** Column of the customers file holding the known segment; customers without a value are predicted. */
    labelColumn: z.string().min(1).optional(),
    /** Share of the labelled customers held out to measure accuracy before the final fit on all of them. */
    testSize: z.number().gt(0).lt(1).default(0.25),
    /** Trees of the random forest (scikit-learn's n_estimators). */
    nEstimators: z.number().int().min(1).max(1000).default(100),
    maxDepth: z.number().int().min(1).nullable().default(null),
    minSamplesLeaf: z.number().int().min(1).default(1),
  }),
} as const;

/** Which method each per-method block belongs to. */
export const METHOD_OF_OPTIONS: Record<keyof typeof MethodOptionsSchemas, readonly string[]> = {
  miniBatch: ['minibatch-kmeans'],
  gaussianMixture: ['gaussian-mixture'],
  agglomerative: ['agglomerative'],
  dbscan: ['dbscan'],
  hdbscan: ['hdbscan'],
  supervised: ['supervised'],
};

const M = MethodOptionsSchemas;

/** Choosing k and checking stability; the defaults follow the papers each measure comes from. */
export const ValidationSchema = z.strictObject({
  /** Customers the k sweep, the gap statistic and the stability refits fit on: a seeded sample beyond it. */
  sampleSize: z.number().int().min(100).default(20_000),
  /** Reference data sets of the gap statistic (Tibshirani, Walther & Hastie 2001); 0 leaves it out. */
  gapReferences: z.number().int().min(0).max(100).default(10),
  /** Refits on subsamples, per k and for the final segments; 0 leaves stability out. */
  stabilityRuns: z.number().int().min(0).max(200).default(10),
  /** Fraction of the sampled customers each stability refit sees. */
  stabilityFraction: z.number().gt(0.1).lt(1).default(0.8),
  /** Prediction strength of each k on a seeded half/half split (Tibshirani & Walther 2005). */
  predictionStrength: z.boolean().default(true),
  /**
   * A segment whose mean Jaccard similarity with its best match across refits is below this is flagged as not
   * holding up (Hennig 2007: below 0.6 a cluster should not be trusted; 0.75 and above it is stable).
   */
  unstableBelow: z.number().min(0).max(1).default(0.6),
});

export const SegmentationSchema = z.strictObject({
  method: z.enum(SEGMENTATION_METHODS).default('kmeans'),
  k: z.union([z.literal('auto'), z.number().int().min(1).max(100)]).default('auto'),
  kMin: z.number().int().min(2).default(2),
  kMax: z.number().int().min(2).max(100).default(10),
  nInit: z.number().int().min(1).max(100).default(10),
  maxIter: z.number().int().min(1).default(300),
  seed: z.number().int().default(42),
  /** Customers sampled to sweep k on large data (every customer is still assigned). */
  sweepSampleSize: z.number().int().min(100).default(50_000),
  /** Customers sampled to estimate the silhouette. */
  silhouetteSampleSize: z.number().int().min(100).default(5_000),
  /**
   * kprototypes / kmodes: the categorical attributes of the customers file to cluster on, as categories rather
   * than one-hot columns; default every categorical attribute.
   */
  categorical: z.array(z.string().min(1)).min(1).optional(),
  /** How `k: auto` chooses k, and how the segments are shown to be real (stable across refits). */
  validation: ValidationSchema.default(ValidationSchema.parse({})),
  miniBatch: M.miniBatch.default(M.miniBatch.parse({})),
  gaussianMixture: M.gaussianMixture.default(M.gaussianMixture.parse({})),
  agglomerative: M.agglomerative.default(M.agglomerative.parse({})),
  dbscan: M.dbscan.default(M.dbscan.parse({})),
  hdbscan: M.hdbscan.default(M.hdbscan.parse({})),
  supervised: M.supervised.default(M.supervised.parse({})),
});

const scoreRange = z
  .tuple([z.number().int().min(1), z.number().int().min(1)])
  .refine(([lo, hi]) => lo <= hi, 'give [low, high] with low ≤ high');

/** One rule of the RFM segment map: the first rule whose ranges contain a customer's scores names them. */
export const RfmRuleSchema = z.strictObject({
  name: z.string().trim().min(1),
  /** Inclusive score ranges; a dimension left out matches every score. */
  r: scoreRange.optional(),
  f: scoreRange.optional(),
  m: scoreRange.optional(),
  /** What the segment is and what to do about it, for the report. */
  description: z.string().default(''),
});

/** Customer value: RFM scores and the named map, lifetime-value models, predictive segments, a composite score. */
export const ValueSchema = z.strictObject({
  /** Compute value columns (RFM scores, predicted CLV, probability alive) beside any segmentation. */
  enabled: z.boolean().default(true),
  rfm: z
    .strictObject({
      /** Score bins per dimension: scores run 1..bins by quantile, higher is better. */
      bins: z.number().int().min(2).max(10).default(5),
      /** Which way each dimension scores: recency 'lower' (recent buyers score high), the others 'higher'. */
      direction: z
        .strictObject({
          recency: z.enum(['lower', 'higher']).default('lower'),
          frequency: z.enum(['lower', 'higher']).default('higher'),
          monetary: z.enum(['lower', 'higher']).default('higher'),
        })
        .default({ recency: 'lower', frequency: 'higher', monetary: 'higher' }),
      /** The named segment map, first match wins; default the widely used 11 segments over R and F (5 bins). */
      map: z.array(RfmRuleSchema).min(1).optional(),
    })
    .default({
      bins: 5,
      direction: { recency: 'lower', frequency: 'higher', monetary: 'higher' },
    }),
  clv: z
    .strictObject({
      /** Purchase model: BG/NBD (default), Pareto/NBD, MBG/NBD; 'none' switches lifetime value off. */
      model: z.enum(['bg-nbd', 'pareto-nbd', 'mbg-nbd', 'none']).default('bg-nbd'),
      /** Time unit of frequency, recency and T: purchases on the same day (week) count once. */
      unit: z.enum(['days', 'weeks']).default('days'),
      /** Horizon of predicted lifetime value, in months. */
      months: z.number().int().min(1).max(120).default(12),
      /** Monthly discount rate of future spend. */
      discountRate: z.number().min(0).max(1).default(0.01),
      /** L2 penalty on the models' parameters (lifetimes' penalizer_coef); 0 is plain maximum likelihood. */
      penalizer: z.number().min(0).default(0),
      /**
       * Days at the end of the data held out to check the model (refitted on the rest); 'auto' holds out a quarter
       * of the observed period, 0 skips the check.
       */
      holdoutDays: z.union([z.literal('auto'), z.number().int().min(0)]).default('auto'),
    })
    .default({
      model: 'bg-nbd',
      unit: 'days',
      months: 12,
      discountRate: 0.01,
      penalizer: 0,
      holdoutDays: 'auto',
    }),
  predictive: z
    .strictObject({
      /** Quantiles of predicted CLV that split customers into low, medium and high value. */
      valueQuantiles: z.tuple([z.number().gt(0).lt(1), z.number().gt(0).lt(1)]).default([0.5, 0.8]),
      /** Below this probability of being alive a customer is "at risk". */
      atRiskBelow: z.number().gt(0).lt(1).default(0.5),
    })
    .default({ valueQuantiles: [0.5, 0.8], atRiskBelow: 0.5 }),
  /** A weighted score of named features; required for method composite. */
  composite: z
    .strictObject({
      /** Feature → weight; a negative weight scores low values high (e.g. recency_days: -1). */
      weights: z
        .record(z.string().min(1), z.number())
        .refine((w) => Object.keys(w).length > 0, 'name at least one feature'),
      /** How features are put on one scale before weighting: percentile rank (default), min–max or z-score. */
      normalise: z.enum(['rank', 'minmax', 'zscore']).default('rank'),
      /** Score quantiles that cut the bands (default quartiles); or `thresholds` on the score itself. */
      quantiles: z.array(z.number().gt(0).lt(1)).min(1).optional(),
      thresholds: z.array(z.number()).min(1).optional(),
      /** Band names, lowest first; default "Score band 1", …. */
      names: z.array(z.string().trim().min(1)).optional(),
    })
    .optional(),
});

/** Personas: a card per segment with traits, behaviour, a typical customer and a suggested action. */
export const PersonasSchema = z.strictObject({
  /**
   * Suggested actions, first match wins: `{ name, why, when: [{ feature, above?, below? }] }` with conditions on
   * the segment's z-score against all customers; default the documented rule set (src/interpret/personas.ts).
   */
  actions: ActionRulesSchema.optional(),
  /** Segment names by segment number, e.g. { 1: VIPs }: used in every output instead of the generated names. */
  names: z
    .record(z.string().regex(/^\d+$/, 'use the segment number as the key'), z.string().trim().min(1))
    .optional(),
});

export const OutputSchema = z.strictObject({
  dir: z.string().min(1).default('segmint-out'),
  /** Keep working data in memory instead of a DuckDB file in the output folder. */
  memory: z.boolean().default(false),
  /** Write report.html. */
  report: z.boolean().default(true),
  /** Keep the clean transactions (table `tx`) in segmint.duckdb; off by default as it is the largest table. */
  keepTransactions: z.boolean().default(false),
  /** ISO 4217 currency of amounts (e.g. GBP), for the report. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'use a three-letter ISO 4217 code such as EUR')
    .optional(),
});

export const EngineSchema = z.strictObject({
  /** DuckDB's memory limit, e.g. '4GB'; beyond it DuckDB spills to disk. Default: 40% of RAM, at most 4 GB. */
  memoryLimit: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'use a size such as 4GB')
    .optional(),
  /** Threads DuckDB may use; default all cores. */
  threads: z.number().int().min(1).max(256).optional(),
});

export const ConfigSchema = z.strictObject({
  /** Transactions; optional when a customers file alone is segmented on its attributes. */
  transactions: TransactionsSchema.optional(),
  customers: CustomersSchema.optional(),
  events: EventsSchema.optional(),
  quality: QualitySchema.default(QualitySchema.parse({})),
  features: FeaturesSchema.default(FeaturesSchema.parse({})),
  segmentation: SegmentationSchema.default(SegmentationSchema.parse({})),
  value: ValueSchema.default(ValueSchema.parse({})),
  personas: PersonasSchema.default({}),
  output: OutputSchema.default(OutputSchema.parse({})),
  engine: EngineSchema.default({}),
});

/**
 * Checks across fields, run on the raw input so they are reported even when another field has a type error
 * (zod skips refinements of an object whose fields failed).
 */
export function crossFieldProblems(raw: unknown): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const c = obj(raw);
  if (c['transactions'] === undefined && c['customers'] === undefined) {
    out.push({
      path: 'transactions',
      message:
        'give a transactions file (transactions.path), or a customers file to segment on its attributes',
    });
  }
  const seg = obj(c['segmentation']);
  const kMin = typeof seg['kMin'] === 'number' ? seg['kMin'] : 2;
  const kMax = typeof seg['kMax'] === 'number' ? seg['kMax'] : 10;
  if (kMin > kMax)
    out.push({ path: 'segmentation.kMin', message: `kMin (${kMin}) is larger than kMax (${kMax})` });
  const method = typeof seg['method'] === 'string' ? seg['method'] : 'kmeans';
  for (const [block, methods] of Object.entries(METHOD_OF_OPTIONS)) {
    // A block equal to its defaults says nothing (a parsed config, e.g. a model file's, carries every block).
    const given = seg[block];
    const schema = MethodOptionsSchemas[block as keyof typeof MethodOptionsSchemas];
    if (
      given === undefined ||
      JSON.stringify(schema.safeParse(given).data) === JSON.stringify(schema.parse({}))
    )
      continue;
    if (!methods.includes(method)) {
      out.push({
        path: `segmentation.${block}`,
        message: `these settings are for method ${methods.join(' or ')}, but method is ${method}`,
      });
    }
  }
  if (
    (method === 'dbscan' || method === 'hdbscan' || isValueMethod(method)) &&
    seg['k'] !== undefined &&
    seg['k'] !== 'auto'
  ) {
    out.push({
      path: 'segmentation.k',
      message: isValueMethod(method)
        ? `${method} segments come from its rules (the value.${method === 'rfm' ? 'rfm map' : method} settings), not from k; remove k (or set it to auto)`
        : `${method} finds the number of segments itself from the data's density; remove k (or set it to auto)`,
    });
  }
  if (seg['categorical'] !== undefined && method !== 'kprototypes' && method !== 'kmodes') {
    out.push({
      path: 'segmentation.categorical',
      message: `categorical attributes are clustered as categories only by kprototypes and kmodes, but method is ${method}`,
    });
  }
  out.push(...valueProblems(c, method));
  if (method === 'supervised') {
    if (c['customers'] === undefined)
      out.push({
        path: 'customers',
        message: 'method supervised needs a customers file with the known segments',
      });
    if (obj(seg['supervised'])['labelColumn'] === undefined)
      out.push({
        path: 'segmentation.supervised.labelColumn',
        message: 'method supervised needs the customers-file column holding the known segment',
      });
  }
  if (method === 'supervised' && seg['k'] !== undefined && seg['k'] !== 'auto')
    out.push({ path: 'segmentation.k', message: 'supervised segments are the known labels; remove k' });
  for (const [section, key] of [
    ['features', 'asOf'],
    ['quality', 'maxDate'],
    ['quality', 'minDate'],
  ] as const) {
    const v = obj(c[section])[key];
    if (typeof v === 'string' && Number.isNaN(Date.parse(v)))
      out.push({ path: `${section}.${key}`, message: `"${v}" is not a date (use YYYY-MM-DD)` });
  }
  return out;
}

/** A raw config section as an object ({} when absent or not an object), for checks that run before zod's. */
function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function isValueMethod(method: string): method is (typeof VALUE_METHODS)[number] {
  return (VALUE_METHODS as readonly string[]).includes(method);
}

/** The value block against the method: what a value method needs, and the composite score's bands. */
function valueProblems(c: Record<string, unknown>, method: string): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const value = obj(c['value']);
  const clv = obj(value['clv']);
  const composite = value['composite'] === undefined ? undefined : obj(value['composite']);
  if (isValueMethod(method)) {
    const needs: [boolean, string, string][] = [
      [
        value['enabled'] === false,
        'value.enabled',
        `method ${method} needs the value columns; remove enabled: false`,
      ],
      [
        method !== 'composite' && c['transactions'] === undefined,
        'segmentation.method',
        `method ${method} needs a transactions file`,
      ],
      [
        method === 'predictive' && clv['model'] === 'none',
        'value.clv.model',
        'method predictive segments by predicted lifetime value: choose bg-nbd, pareto-nbd or mbg-nbd',
      ],
      [
        method === 'composite' && composite === undefined,
        'value.composite',
        'method composite needs value.composite.weights, e.g. { monetary: 2, frequency: 1, recency_days: -1 }',
      ],
    ];
    for (const [missing, path, message] of needs) if (missing) out.push({ path, message });
  }
  const rfm = obj(value['rfm']);
  const bins = typeof rfm['bins'] === 'number' ? rfm['bins'] : 5;
  if (rfm['map'] === undefined) {
    if (bins !== 5)
      out.push({
        path: 'value.rfm.map',
        message: `the default RFM map is for 5 score bins; give a map for ${bins} bins (rules with r, f and m ranges)`,
      });
  } else if (Array.isArray(rfm['map'])) {
    // Shape errors are zod's; coverage is checked once every rule has the right shape.
    const parsed = z.array(RfmRuleSchema).safeParse(rfm['map']);
    if (parsed.success) {
      for (const p of checkRfmMap(parsed.data, bins, 'value.rfm.map'))
        out.push({ path: p.where, message: p.message });
    }
  }
  if (composite) {
    const q = composite['quantiles'];
    const t = composite['thresholds'];
    const n = composite['names'];
    if (q !== undefined && t !== undefined)
      out.push({ path: 'value.composite', message: 'give quantiles or thresholds, not both' });
    const cuts = Array.isArray(q) ? q : Array.isArray(t) ? t : [0.25, 0.5, 0.75];
    const which = Array.isArray(q) ? 'quantiles' : 'thresholds';
    if (
      (Array.isArray(q) || Array.isArray(t)) &&
      cuts.some((v, i) => i > 0 && !(Number(v) > Number(cuts[i - 1])))
    )
      out.push({ path: `value.composite.${which}`, message: `${which} must increase` });
    if (Array.isArray(n) && n.length !== cuts.length + 1)
      out.push({
        path: 'value.composite.names',
        message: `${cuts.length} cut${cuts.length === 1 ? '' : 's'} make ${cuts.length + 1} bands, but ${n.length} name${n.length === 1 ? ' is' : 's are'} given`,
      });
  }
  return out;
}

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
