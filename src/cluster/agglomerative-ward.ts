/**
 * Internal: the merge tree of Ward linkage by the nearest-neighbour chain on cluster centroids and sizes, in
 * O(n·d) memory — no distance matrix. Trusts its typed arrays.
 * @module
 */

import { type MergeTree, chainMerges, sortAndLabel } from './agglomerative-tree.js';
import { type WardScan, wardScanKernel } from './agglomerative-kernels.js';
import { Scratch } from './scratch.js';

/**
 * Squared Ward distance between clusters of sizes `na`, `nb` whose centroids are `s` apart (squared Euclidean):
 * (2·na·nb / (na + nb)) · s. The factor is exactly 1 for two rows, so first merges see pdist's own sums. Every
 * Ward distance of the chain and its scan kernels is computed so (`WardScan` repeats it inline).
 */
export function wardSquared(na: number, nb: number, s: number): number {
  return ((2 * na * nb) / (na + nb)) * s;
}

/**
 * Merge tree for Ward linkage by the nearest-neighbour chain (Murtagh 1983; Müllner 2011, "Modern hierarchical,
 * agglomerative clustering algorithms", §3.3 NN-CHAIN-LINKAGE) with SciPy's control flow and tie-breaking
 * (`_hierarchy.nn_chain`: the previous chain element is kept unless something is strictly closer, then the lowest
 * index; the merged cluster takes the larger index), but with distances computed from the clusters' centroids and
 * sizes instead of a Lance–Williams matrix. For clusters A and B, Ward's distance as SciPy reports it is
 *
 *   d(A, B) = √(2·|A||B| / (|A| + |B|)) · ‖c_A − c_B‖,
 *
 * i.e. √(2 × the increase in within-cluster sum of squares) (Ward 1963; Müllner 2011, Fig. 2 and §2: the
 * Lance–Williams recurrence SciPy runs on Euclidean distances yields exactly this). So memory is the centroids
 * (a copy of X) plus O(n), against n(n − 1)/2 doubles for the matrix (1.6 GB at 20k rows). Time is O(n²·d):
 * each chain step scans the live clusters.
 *
 * Not bit-identical to SciPy: SciPy's heights accumulate the recurrence's rounding, these the centroids'
 * (relative differences ≈ 1e-15 on standardised data; the centroids' rounding is relative to the coordinates'
 * magnitude, so centre data far from the origin first). Exact distance ties can therefore resolve differently
 * where SciPy's recurrence rounds two equal distances apart (or ours does); first merges between single rows
 * compute pdist's own sums, so ties among them resolve as SciPy's.
 *
 * @param x - n × d rows (not modified).
 */
export function wardCentroidTree(x: Float64Array, n: number, d: number): MergeTree {
  const scan: WardScan = wardScanKernel(d);
  // Each stage's arrays come from what the stages before left (see `Scratch`): the merges' sort order and
  // union-find take the dead `live` and `size`, and the linkage matrix the dead centroids (n·d ≥ 4(n − 1) doubles
  // from d = 4), so the arrays peak near the centroid copy plus the merges (20k × 5: ≈ 2× X, was ≈ 4×).
  const scratch = new Scratch();
  // Cluster i's centroid at centroid[i·d …] while i is live (a merged cluster keeps the larger index).
  const centroid = scratch.float64(n * d);
  centroid.set(x.subarray(0, n * d));
  const size = scratch.float64(n).fill(1);
  const live = scratch.int32(n);
  for (let i = 0; i < n; i++) live[i] = i;
  const nearest = (x0: number, yPrev: number, liveCount: number, found: Float64Array): void => {
    const start =
      yPrev >= 0 ? wardSquared(size[x0]!, size[yPrev]!, squaredGap(centroid, x0, yPrev, d)) : Infinity;
    const j = scan(centroid, size, live, liveCount, x0, start, found);
    if (j < 0) {
      found[0] = yPrev;
      found[1] = start;
    } else {
      found[0] = j;
    }
  };
  const merge = (a: number, b: number): void => {
    const na = size[a]!;
    const nb = size[b]!;
    // c_b ← c_a + (c_b − c_a)·nb/(na + nb): exactly c_a when the two centroids are equal (duplicate rows).
    const wb = nb / (na + nb);
    for (let t = 0; t < d; t++) {
      const ca = centroid[a * d + t]!;
      centroid[b * d + t] = ca + (centroid[b * d + t]! - ca) * wb;
    }
    size[b] = na + nb;
    size[a] = 0;
  };
  const raw = chainMerges(n, live, nearest, merge, scratch);
  scratch.release(centroid, size, live);
  // Heights are √d²; sorted afterwards, so ties among them break as among SciPy's reported heights.
  for (let k = 0; k < n - 1; k++) raw.height[k] = Math.sqrt(raw.height[k]!);
  return sortAndLabel(raw, n, false, scratch);
}

/** ‖c_i − c_j‖², summed in feature order. */
function squaredGap(c: Float64Array, i: number, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const e = c[i * d + t]! - c[j * d + t]!;
    s += e * e;
  }
  return s;
}
