/**
 * Rules that explain segments: a shallow CART tree trained on the segment labels over the original, unscaled
 * features, read back as a few plain-words rules per segment ("Days since last purchase ≤ 21 and Orders ≥ 6"),
 * each with how much of its segment it covers and how precise it is, and the tree's fidelity — how often it gives a
 * customer the segment the method gave. A shallow tree keeps rules short enough to read; fidelity says how much of
 * the segmentation they capture.
 * @module
 */
import { decisionTree } from '../supervised/decision-tree.js';
import { applyTree, treeRules, type RuleCondition } from '../supervised/tree-predict.js';
import type { TreeStructure } from '../supervised/types.js';
import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';

/** A feature as rules name it. */
export interface RuleFeature {
  name: string;
  /** Human label, e.g. "Days since last purchase". */
  label: string;
}

export interface SegmentRule {
  /** e.g. "Days since last purchase ≤ 21 and Orders ≥ 6". */
  text: string;
  conditions: { feature: string; op: '<=' | '>'; threshold: number; text: string }[];
  /** Customers the rule selects. */
  customers: number;
  /** Share of the segment's customers the rule selects. */
  coverage: number;
  /** Share of the customers the rule selects that are in the segment. */
  precision: number;
}

export interface SegmentRules {
  /**
   * Per label 0..k−1 (noise, −1, is left out): its rules, most covering first, their combined coverage, and the
   * permutation importance of each feature (in `features` order) for the segment: how much of the segment the tree
   * stops recognising when that feature's values are shuffled among customers (Breiman 2001, per class).
   */
  perSegment: { label: number; rules: SegmentRule[]; coverage: number; importance: number[] }[];
  /** Share of all customers whose segment the tree reproduces. */
  fidelity: number;
  maxDepth: number;
  /** Customers the tree was trained on (a seeded sample of large data). */
  fittedOn: number;
}

export interface ExplainOptions {
  /** Depth of the tree: rules have at most this many conditions. Default 3. */
  maxDepth?: number;
  /** Customers the tree is trained on at most. Default 50,000. */
  sampleSize?: number;
  /** Smallest leaf, as a share of the customers trained on. Default 0.5 %. */
  minLeafShare?: number;
  /** Rules shown per segment at most. Default 3. */
  maxRules?: number;
  /** A rule covering less than this share of its segment is not shown. Default 5 %. */
  minCoverage?: number;
  seed?: number;
}

/**
 * Trains the explaining tree on `x` (unscaled features, one column per `features` entry) and the segment `labels`
 * (−1 = noise, kept as its own class so rules do not claim noise customers), then measures every rule on all
 * customers.
 */
export function explainSegments(
  x: Matrix,
  features: readonly RuleFeature[],
  labels: Int32Array,
  k: number,
  opts: ExplainOptions = {},
): SegmentRules {
  const n = x.rows;
  const d = x.cols;
  if (features.length !== d) throw new RangeError(`features has ${features.length} entries for ${d} columns`);
  if (labels.length !== n) throw new RangeError(`labels has ${labels.length} entries for ${n} customers`);
  const maxDepth = opts.maxDepth ?? 3;
  const seed = opts.seed ?? 0;
  const sampleSize = Math.min(n, opts.sampleSize ?? 50_000);
  const idx = sampleSize < n ? Int32Array.from(new Random(seed).sampleIndices(n, sampleSize)).sort() : null;
  const train = idx ? take(x, idx) : x;
  const y = idx ? Int32Array.from(idx, (i) => labels[i]!) : labels;
  const model = decisionTree(train, y, {
    maxDepth,
    minSamplesLeaf: Math.max(1, Math.round((opts.minLeafShare ?? 0.005) * train.rows)),
    seed,
  });
  const classes = model.classes as number[];
  const integer = Array.from({ length: d }, (_, j) => isIntegerColumn(x, j));

  // Every customer through the tree: per leaf, customers per segment.
  const leaves = applyTree(model.tree, x);
  const perLeaf = new Map<number, Float64Array>();
  const segmentSize = new Float64Array(k);
  let agree = 0;
  const predictedOfLeaf = new Map<number, number>();
  for (const r of treeRules(model.tree, undefined, classes))
    predictedOfLeaf.set(r.leaf, Number(r.prediction));
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    const leaf = leaves[i]!;
    let counts = perLeaf.get(leaf);
    if (!counts) perLeaf.set(leaf, (counts = new Float64Array(k + 1)));
    counts[l + 1]!++; // slot 0 is noise
    if (l >= 0) segmentSize[l]!++;
    if (predictedOfLeaf.get(leaf) === l) agree++;
  }

  const names = features.map((f) => f.name);
  const perSegment: SegmentRules['perSegment'] = [];
  const rules = treeRules(model.tree, names, classes);
  for (let s = 0; s < k; s++) {
    const mine: SegmentRule[] = [];
    for (const r of rules) {
      if (Number(r.prediction) !== s) continue;
      const counts = perLeaf.get(r.leaf);
      if (!counts) continue;
      const inLeaf = counts.reduce((a, b) => a + b, 0);
      const hits = counts[s + 1]!;
      if (inLeaf === 0 || segmentSize[s] === 0) continue;
      const conditions = r.conditions.map((c) => ({
        feature: c.feature,
        op: c.op,
        threshold: c.threshold,
        text: conditionText(c, features[c.featureIndex]!.label, integer[c.featureIndex]!),
      }));
      mine.push({
        text: conditions.length > 0 ? conditions.map((c) => c.text).join(' and ') : 'every customer',
        conditions,
        customers: inLeaf,
        coverage: hits / segmentSize[s]!,
        precision: hits / inLeaf,
      });
    }
    mine.sort((a, b) => b.coverage - a.coverage || b.precision - a.precision);
    const shown = mine.filter((r) => r.coverage >= (opts.minCoverage ?? 0.05)).slice(0, opts.maxRules ?? 3);
    perSegment.push({
      label: s,
      rules: shown,
      coverage: shown.reduce((a, r) => a + r.coverage, 0),
      importance: [],
    });
  }
  permutationImportance(model.tree, classes, train, y, k, seed, perSegment);
  return { perSegment, fidelity: n > 0 ? agree / n : NaN, maxDepth, fittedOn: train.rows };
}

/**
 * Per segment and feature: the segment's recall on the training customers minus its recall with that feature's
 * column shuffled (one seeded permutation per feature, the same for every segment).
 */
function permutationImportance(
  tree: TreeStructure,
  classes: readonly number[],
  x: Matrix,
  y: Int32Array,
  k: number,
  seed: number,
  out: SegmentRules['perSegment'],
): void {
  const { rows: n, cols: d } = x;
  const recall = (pred: Int32Array): Float64Array => {
    const hit = new Float64Array(k);
    const size = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const l = y[i]!;
      if (l < 0) continue;
      size[l]!++;
      if (pred[i] === l) hit[l]!++;
    }
    return hit.map((h, s) => (size[s]! > 0 ? h / size[s]! : NaN));
  };
  const classOf = leafClasses(tree, classes);
  const predict = (m: Matrix) => Int32Array.from(applyTree(tree, m), (leaf) => classOf[leaf]!);
  const base = recall(predict(x));
  const shuffled: Matrix = { data: Float64Array.from(x.data), rows: n, cols: d };
  const rng = new Random(seed + 1);
  for (let j = 0; j < d; j++) {
    const perm = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    for (let i = 0; i < n; i++) shuffled.data[i * d + j] = x.data[perm[i]! * d + j]!;
    const r = recall(predict(shuffled));
    for (let s = 0; s < k; s++) out[s]!.importance.push(base[s]! - r[s]!);
    for (let i = 0; i < n; i++) shuffled.data[i * d + j] = x.data[i * d + j]!;
  }
}

/** The segment label each leaf predicts: its heaviest class, as `predict` decides. */
function leafClasses(tree: TreeStructure, classes: readonly number[]): Int32Array {
  const k = tree.nClasses;
  const out = new Int32Array(tree.nodeCount).fill(-2);
  for (let i = 0; i < tree.nodeCount; i++) {
    if (tree.left[i] !== -1) continue;
    let best = 0;
    for (let c = 1; c < k; c++) if (tree.value[i * k + c]! > tree.value[i * k + best]!) best = c;
    out[i] = classes[best]!;
  }
  return out;
}

function take(x: Matrix, idx: Int32Array): Matrix {
  const d = x.cols;
  const data = new Float64Array(idx.length * d);
  idx.forEach((i, r) => data.set(x.data.subarray(i * d, i * d + d), r * d));
  return { data, rows: idx.length, cols: d };
}

function isIntegerColumn(x: Matrix, j: number): boolean {
  for (let i = 0; i < x.rows; i++) if (!Number.isInteger(x.data[i * x.cols + j]!)) return false;
  return true;
}

/**
 * A condition in words. Thresholds are midpoints between observed values; on a whole-number feature they become
 * the whole numbers that hold ("Orders > 5.5" reads "Orders ≥ 6"); otherwise three significant digits.
 */
export function conditionText(c: RuleCondition, label: string, integer: boolean): string {
  if (integer) {
    return c.op === '<='
      ? `${label} ≤ ${fmt(Math.floor(c.threshold))}`
      : `${label} ≥ ${fmt(Math.floor(c.threshold) + 1)}`;
  }
  return `${label} ${c.op === '<=' ? '≤' : '>'} ${fmt(Number(c.threshold.toPrecision(3)))}`;
}

function fmt(v: number): string {
  return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
