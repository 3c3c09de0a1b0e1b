/**
 * Supervised segmentation: some customers' segment is known (a CRM field in the customers file); a random forest
 * learns it from the clustered features and predicts the rest. Accuracy is measured first on a stratified hold-out
 * of the labelled customers (accuracy, per-segment precision and recall, confusion matrix), then the forest is
 * refitted on every labelled customer. Labelled customers keep their known segment; the others get the forest's.
 * @module
 */
import { randomForest } from '../supervised/random-forest.js';
import { accuracyScore, confusionMatrix, precisionRecallFscoreSupport } from '../supervised/metrics.js';
import { trainTestSplit } from '../supervised/train-test-split.js';
import { argmaxRows, predictTreeProba } from '../supervised/tree-predict.js';
import type { TreeStructure } from '../supervised/types.js';
import { InputError } from '../util/errors.js';
import type { Matrix } from '../util/matrix.js';
import { sampledSilhouette } from './partition.js';
import type { SavedForest, SegmentationOptions, SegmentationResult, SegmentInput } from './segmenter.js';

/** How well the forest predicts the known segments on customers it did not see. */
export interface SupervisedEvaluation {
  labelled: number;
  predicted: number;
  train: number;
  test: number;
  accuracy: number;
  /** Per segment (in `names` order): precision, recall and the number of test customers. */
  perSegment: { name: string; precision: number; recall: number; support: number }[];
  /** `matrix[i][j]`: test customers of segment i predicted as j. */
  confusion: number[][];
  /** Out-of-bag accuracy of the final forest on all labelled customers. */
  oobScore: number | null;
}

/** Fewest labelled customers of a segment: fewer cannot be split into training and test customers. */
const MIN_PER_SEGMENT = 2;

export function supervisedSegmentation(
  input: SegmentInput,
  known: readonly (string | null)[],
  labelColumn: string,
  o: SegmentationOptions,
): { result: SegmentationResult; evaluation: SupervisedEvaluation } {
  const x = input.x;
  const n = x.rows;
  const s = o.supervised;
  const labelledIdx: number[] = [];
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const v = known[i];
    if (v === null || v === undefined || v.trim() === '') continue;
    labelledIdx.push(i);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (counts.size < 2) {
    throw new InputError(
      `customers column ${labelColumn} gives ${counts.size === 0 ? 'no' : 'only one'} known segment for the customers segmented; supervised segmentation needs at least two`,
    );
  }
  const rare = [...counts].filter(([, c]) => c < MIN_PER_SEGMENT).map(([name]) => name);
  if (rare.length > 0) {
    throw new InputError(
      `customers column ${labelColumn}: segment${rare.length === 1 ? '' : 's'} ${rare.map((r) => `"${r}"`).join(', ')} ${rare.length === 1 ? 'has' : 'have'} fewer than ${MIN_PER_SEGMENT} labelled customers; merge or drop ${rare.length === 1 ? 'it' : 'them'}`,
    );
  }
  // Segments numbered largest first, as every method numbers them; ties by name.
  const names = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([name]) => name);
  const code = new Map(names.map((name, c) => [name, c]));
  const labelled = Int32Array.from(labelledIdx);
  const y = Int32Array.from(labelled, (i) => code.get(known[i]!)!);
  const forestOptions = {
    nEstimators: s.nEstimators,
    maxDepth: s.maxDepth,
    minSamplesLeaf: s.minSamplesLeaf,
    seed: o.seed,
  };

  // Accuracy on a stratified hold-out of the labelled customers.
  const split = trainTestSplit(labelled.length, { testSize: s.testSize, seed: o.seed, stratify: y });
  const held = randomForest(
    rowsOf(x, labelled, split.train),
    Array.from(split.train, (j) => y[j]!),
    forestOptions,
  );
  const truth = Array.from(split.test, (j) => y[j]!);
  const guess = held.predict(rowsOf(x, labelled, split.test)).map(Number);
  const all = names.map((_, c) => c);
  const prf = precisionRecallFscoreSupport(truth, guess, { labels: all });
  const evaluation: SupervisedEvaluation = {
    labelled: labelled.length,
    predicted: n - labelled.length,
    train: split.train.length,
    test: split.test.length,
    accuracy: accuracyScore(truth, guess),
    perSegment: names.map((name, c) => ({
      name,
      precision: prf.precision[c]!,
      recall: prf.recall[c]!,
      support: prf.support?.[c] ?? 0,
    })),
    confusion: confusionMatrix(truth, guess, { labels: all }).matrix,
    oobScore: null,
  };

  // The final forest on every labelled customer predicts the others; known segments stay as they are.
  const forest = randomForest(rowsOf(x, labelled), y, { ...forestOptions, oobScore: true });
  evaluation.oobScore = forest.oobScore;
  const model: SavedForest = {
    method: 'supervised',
    k: names.length,
    names,
    trees: forest.trees.map((t) => savedTree(t, forest.classes as number[], names.length)),
  };
  const labels = predictForest(model, x);
  for (let j = 0; j < labelled.length; j++) labels[labelled[j]!] = y[j]!;
  const reason =
    `the ${names.length} known segments of customers column ${labelColumn} (${labelled.length.toLocaleString('en-US')} labelled customers); ` +
    `a ${s.nEstimators}-tree random forest predicts the other ${(n - labelled.length).toLocaleString('en-US')} ` +
    `and was ${(100 * evaluation.accuracy).toFixed(1)} % accurate on ${split.test.length.toLocaleString('en-US')} labelled customers it did not see`;
  return {
    result: {
      labels,
      k: names.length,
      noise: 0,
      model,
      kSelection: null,
      kReason: reason,
      silhouette: sampledSilhouette(
        input,
        labels,
        { gamma: 0, numeric: true },
        o.silhouetteSampleSize,
        o.seed,
      ),
      stability: null,
    },
    evaluation,
  };
}

/** A tree as model.json keeps it, its class columns re-indexed to the segment codes 0..k−1. */
function savedTree(t: TreeStructure, classes: readonly number[], k: number): SavedForest['trees'][number] {
  const value = new Array<number>(t.nodeCount * k).fill(0);
  for (let i = 0; i < t.nodeCount; i++) {
    let total = 0;
    for (let c = 0; c < t.nClasses; c++) total += t.value[i * t.nClasses + c]!;
    // Class fractions, so every tree weighs the same in the vote whatever its sample size (soft voting).
    for (let c = 0; c < t.nClasses; c++)
      value[i * k + classes[c]!] = total > 0 ? t.value[i * t.nClasses + c]! / total : 0;
  }
  return {
    left: Array.from(t.left),
    right: Array.from(t.right),
    feature: Array.from(t.feature),
    threshold: Array.from(t.threshold),
    value,
  };
}

/** The forest's segment for each row: the largest mean class fraction over the trees. */
export function predictForest(model: SavedForest, x: Matrix): Int32Array {
  const k = model.k;
  const proba = new Float64Array(x.rows * k);
  for (const t of model.trees) {
    const nodes = t.left.length;
    const tree: TreeStructure = {
      nodeCount: nodes,
      left: Int32Array.from(t.left),
      right: Int32Array.from(t.right),
      feature: Int32Array.from(t.feature),
      threshold: Float64Array.from(t.threshold),
      value: Float64Array.from(t.value),
      impurity: new Float64Array(nodes),
      nNodeSamples: new Int32Array(nodes),
      weightedNNodeSamples: new Float64Array(nodes),
      nClasses: k,
      maxDepth: 0,
    };
    predictTreeProba(tree, x, proba, true);
  }
  return argmaxRows(proba, k);
}

function rowsOf(x: Matrix, rows: Int32Array, pick?: Int32Array): Matrix {
  const d = x.cols;
  const idx = pick ? Int32Array.from(pick, (j) => rows[j]!) : rows;
  const data = new Float64Array(idx.length * d);
  idx.forEach((i, r) => data.set(x.data.subarray(i * d, i * d + d), r * d));
  return { data, rows: idx.length, cols: d };
}
