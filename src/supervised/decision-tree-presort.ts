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

/** One thread's buffers for `presortColumn` (n rows). */
export interface PresortScratch {
  lo: Uint32Array;
  hi: Uint32Array;
  idx: Int32Array;
  lo2: Uint32Array;
  hi2: Uint32Array;
  idx2: Int32Array;
  col: Float64Array;
  counts: Int32Array;
}

const DIGIT_BITS = 11;
const RADIX = 1 << DIGIT_BITS;
const DIGIT_MASK = RADIX - 1;
/** A 64-bit key in 11-bit digits (the last one 9 bits). */
const DIGITS = 6;

export function presortScratch(n: number): PresortScratch {
  return {
    lo: new Uint32Array(n),
    hi: new Uint32Array(n),
    idx: new Int32Array(n),
    lo2: new Uint32Array(n),
    hi2: new Uint32Array(n),
    idx2: new Int32Array(n),
    col: new Float64Array(n),
    counts: new Int32Array(DIGITS * RADIX),
  };
}

/** Digit `pass` (11 bits from bit 11·pass) of the 64-bit key hi:lo. */
function digit(lo: number, hi: number, pass: number): number {
  const shift = pass * DIGIT_BITS;
  if (shift + DIGIT_BITS <= 32) return (lo >>> shift) & DIGIT_MASK;
  if (shift >= 32) return (hi >>> (shift - 32)) & DIGIT_MASK;
  // Digit 2 straddles the words: bits 22..31 of lo and bit 0 of hi.
  return ((lo >>> shift) | (hi << (32 - shift))) & DIGIT_MASK;
}

/**
 * Sorts `values[o .. o + n)` ascending in place and writes the permutation (original positions) to
 * `order[o .. o + n)`, with a stable LSD radix sort on the IEEE-754 bits mapped to an order-preserving unsigned key
 * (Herf 2001, "Radix tricks": flip every bit of a negative number, only the sign bit of a positive one), in 11-bit
 * digits (a 2048-entry histogram stays in L1, where 16-bit digits' 64K scatter targets thrash the cache), skipping
 * a digit all keys share. When every value is a float32 (data read as float32, as scikit-learn fits on), the key is
 * the float32's 32 bits: three passes moving 8 bytes a row instead of up to six moving 12. The sorted values are
 * decoded from the sorted keys, sequentially, rather than gathered. O(n) against O(n log n) for a comparison sort
 * with a callback. −0 sorts before +0; both are the same value to the splitter.
 */
export function presortColumn(
  values: Float64Array | Float32Array,
  order: Int32Array,
  o: number,
  n: number,
  scratch: PresortScratch,
): void {
  let single = true;
  if (values instanceof Float64Array) {
    for (let i = o; i < o + n && single; i++) single = Math.fround(values[i]!) === values[i];
  }
  if (single || !(values instanceof Float64Array)) presortSingle(values, order, o, n, scratch);
  else presortDouble(values, order, o, n, scratch);
}

/** Prefix sums of the histogram `counts[base .. base + RADIX)`; false when one bucket holds all n keys. */
function offsets(counts: Int32Array, base: number, n: number): boolean {
  for (let b = 0; b < RADIX; b++) {
    const c = counts[base + b]!;
    if (c === n) return false;
    if (c !== 0) break;
  }
  let sum = 0;
  for (let b = 0; b < RADIX; b++) {
    const c = counts[base + b]!;
    counts[base + b] = sum;
    sum += c;
  }
  return true;
}

function presortSingle(
  values: Float64Array | Float32Array,
  order: Int32Array,
  o: number,
  n: number,
  sc: PresortScratch,
): void {
  const { counts } = sc;
  let { lo: key, idx, lo2: key2, idx2 } = sc;
  const f32 = new Float32Array(sc.col.buffer, sc.col.byteOffset, n);
  const u32 = new Uint32Array(f32.buffer, f32.byteOffset, n);
  f32.set(values.subarray(o, o + n));
  counts.fill(0, 0, 3 * RADIX);
  for (let i = 0; i < n; i++) {
    const b = u32[i]!;
    const kk = (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
    key[i] = kk;
    idx[i] = i;
    counts[kk & DIGIT_MASK]!++;
    counts[RADIX + ((kk >>> 11) & DIGIT_MASK)]!++;
    counts[2 * RADIX + (kk >>> 22)]!++;
  }
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * RADIX;
    if (!offsets(counts, base, n)) continue;
    const shift = pass * DIGIT_BITS;
    for (let i = 0; i < n; i++) {
      const kk = key[i]!;
      const p = counts[base + ((kk >>> shift) & DIGIT_MASK)]!++;
      key2[p] = kk;
      idx2[p] = idx[i]!;
    }
    [key, key2] = [key2, key];
    [idx, idx2] = [idx2, idx];
  }
  order.set(idx, o);
  for (let p = 0; p < n; p++) {
    const kk = key[p]!;
    u32[p] = kk & 0x80000000 ? kk ^ 0x80000000 : ~kk;
  }
  for (let p = 0; p < n; p++) values[o + p] = f32[p]!;
}

function presortDouble(
  values: Float64Array,
  order: Int32Array,
  o: number,
  n: number,
  sc: PresortScratch,
): void {
  const { col, counts } = sc;
  let { lo, hi, idx, lo2, hi2, idx2 } = sc;
  col.set(values.subarray(o, o + n));
  const bits = new Uint32Array(col.buffer, col.byteOffset, 2 * n);
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
    counts[l & DIGIT_MASK]!++;
    counts[RADIX + ((l >>> 11) & DIGIT_MASK)]!++;
    counts[2 * RADIX + (((l >>> 22) | (h << 10)) & DIGIT_MASK)]!++;
    counts[3 * RADIX + ((h >>> 1) & DIGIT_MASK)]!++;
    counts[4 * RADIX + ((h >>> 12) & DIGIT_MASK)]!++;
    counts[5 * RADIX + (h >>> 23)]!++;
  }
  for (let pass = 0; pass < DIGITS; pass++) {
    const base = pass * RADIX;
    if (!offsets(counts, base, n)) continue;
    for (let i = 0; i < n; i++) {
      const l = lo[i]!;
      const h = hi[i]!;
      const p = counts[base + digit(l, h, pass)]!++;
      lo2[p] = l;
      hi2[p] = h;
      idx2[p] = idx[i]!;
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [idx, idx2] = [idx2, idx];
  }
  order.set(idx, o);
  for (let p = 0; p < n; p++) {
    const h = hi[p]!;
    if (h & 0x80000000) {
      bits[2 * p] = lo[p]!;
      bits[2 * p + 1] = h ^ 0x80000000;
    } else {
      bits[2 * p] = ~lo[p]!;
      bits[2 * p + 1] = ~h;
    }
  }
  values.set(col, o);
}

/**
 * Argsorts each column of the row-major n × d matrix `x` (see `presortColumn`). The builder sorts the columns in
 * parallel through its kernels; this is the same sort on one thread.
 */
export function presortFeatures(x: Float64Array | Float32Array, n: number, d: number): PresortedFeatures {
  const order = new Int32Array(n * d);
  const values = new Float64Array(n * d);
  transposeInto(x, n, d, values);
  const scratch = presortScratch(n);
  for (let j = 0; j < d; j++) presortColumn(values, order, j * n, n, scratch);
  return { order, values };
}

/** Whether every value of `x` is a float32 (as data read as float32, or rounded to it as scikit-learn fits on). */
export function allFloat32(x: Float64Array | Float32Array): boolean {
  if (x instanceof Float32Array) return true;
  for (let i = 0; i < x.length; i++) if (Math.fround(x[i]!) !== x[i]) return false;
  return true;
}

/** `out[j · n + i] = x[i · d + j]`: the columns of the row-major n × d matrix `x`, one after another. */
export function transposeInto(
  x: Float64Array | Float32Array,
  n: number,
  d: number,
  out: Float64Array | Float32Array,
): void {
  for (let i = 0; i < n; i++) {
    const r = i * d;
    for (let j = 0; j < d; j++) out[j * n + i] = x[r + j]!;
  }
}
