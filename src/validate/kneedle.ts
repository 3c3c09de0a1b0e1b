/**
 * Kneedle: the knee (or elbow) of a curve, such as the inertia of k-means against k.
 * @module
 */

/** Options for `kneedle`. */
export interface KneedleOptions {
  /** `'convex'` for an elbow (e.g. inertia against k), `'concave'` for a knee. */
  curve: 'convex' | 'concave';
  /** Whether y rises or falls with x. */
  direction: 'increasing' | 'decreasing';
  /**
   * Sensitivity S: how far below a local maximum of the difference curve it must fall before that maximum is a
   * knee, in units of the mean spacing of the normalised x. Larger is more conservative. Default 1 (the paper's).
   */
  sensitivity?: number;
}

/**
 * The x of the first knee of a curve, or null when there is none — Kneedle (Satopää, Albrecht, Irwin & Raghavan
 * 2011, "Finding a 'Kneedle' in a Haystack: Detecting Knee Points in System Behavior", ICDCS workshops, §III,
 * offline version), exactly as the `kneed` Python package's `KneeLocator(x, y, S, curve, direction,
 * interp_method='interp1d', online=False)` (0.9) computes it:
 *
 * 1. Normalise x and y to [0, 1] (no smoothing).
 * 2. Turn the curve into a concave increasing one (flip y, mirror x as x → 1 − x, as the curve and direction ask).
 * 3. Difference curve y_d = y_n − x_n; its local maxima and minima (plateaus count as both; the end points count
 *    against themselves, as SciPy's `argrelextrema` with clipping).
 * 4. Each local maximum sets a threshold T = y_d(max) − S · mean(Δx_n); a local minimum resets it to 0 and pauses
 *    detection until the next maximum. The first point whose successor falls below an active threshold makes that
 *    threshold's maximum the knee, mapped back to the original x.
 *
 * Unlike `kneed`, x must be strictly increasing (kneed accepts any order and then mirrors by position). A curve
 * with constant y, or fewer than 3 points, has no knee.
 *
 * @param x - strictly increasing x values.
 * @param y - one y per x.
 * @throws RangeError when lengths differ, x is not strictly increasing, a value is not finite, or the sensitivity
 * is negative or not finite.
 *
 * @example
 * // Inertia of k-means for k = 1..8 on four blobs: the elbow is at 4.
 * kneedle([1, 2, 3, 4, 5, 6, 7, 8], [1000, 520, 260, 60, 52, 45, 40, 36], {
 *   curve: 'convex',
 *   direction: 'decreasing',
 * }); // 4
 */
export function kneedle(x: ArrayLike<number>, y: ArrayLike<number>, options: KneedleOptions): number | null {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`x has ${n} values but y has ${y.length}`);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`kneedle options must be an object with curve and direction, got ${String(options)}`);
  }
  const { curve, direction } = options;
  if (curve !== 'convex' && curve !== 'concave') {
    throw new TypeError(`curve must be 'convex' or 'concave', got ${String(curve)}`);
  }
  if (direction !== 'increasing' && direction !== 'decreasing') {
    throw new TypeError(`direction must be 'increasing' or 'decreasing', got ${String(direction)}`);
  }
  const s = options.sensitivity ?? 1;
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
    throw new RangeError(`sensitivity must be a finite number ≥ 0, got ${String(s)}`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]!)) throw new RangeError(`x[${i}] is ${x[i]}: values must be finite numbers`);
    if (!Number.isFinite(y[i]!)) throw new RangeError(`y[${i}] is ${y[i]}: values must be finite numbers`);
    if (i > 0 && !(x[i]! > x[i - 1]!)) {
      throw new RangeError(
        `x must be strictly increasing, but x[${i}] = ${x[i]} follows x[${i - 1}] = ${x[i - 1]}`,
      );
    }
  }
  if (n < 3) return null;

  const curveD = differenceCurve(x, y, curve, direction);
  if (curveD === null) return null;
  const { xt, yd } = curveD;
  const isMax = new Uint8Array(n);
  const isMin = new Uint8Array(n);
  let firstMax = -1;
  for (let i = 0; i < n; i++) {
    const prev = yd[i === 0 ? 0 : i - 1]!;
    const next = yd[i === n - 1 ? n - 1 : i + 1]!;
    if (yd[i]! >= prev && yd[i]! >= next) {
      isMax[i] = 1;
      if (firstMax < 0) firstMax = i;
    }
    if (yd[i]! <= prev && yd[i]! <= next) isMin[i] = 1;
  }
  if (firstMax < 0) return null;
  // |mean(diff(x_n))|, summed step by step as kneed does (not 1 / (n − 1), which can differ in the last bit).
  let sum = 0;
  for (let i = 1; i < n; i++) sum += xt[i]! - xt[i - 1]!;
  const step = Math.abs(sum / (n - 1));
  let threshold = 0;
  let thresholdIndex = firstMax;
  let active = true;
  for (let i = firstMax; i < n - 1; i++) {
    if (isMax[i]) {
      threshold = yd[i]! - s * step;
      thresholdIndex = i;
      active = true;
    }
    if (isMin[i]) {
      threshold = 0;
      active = false;
    }
    if (active && yd[i + 1]! < threshold) {
      // The difference curve runs over the flipped curve for these two cases: map the position back.
      const flipped = (curve === 'convex') === (direction === 'increasing');
      return x[flipped ? n - 1 - thresholdIndex : thresholdIndex]!;
    }
  }
  return null;
}

/**
 * Kneedle's normalised (possibly mirrored) x and difference curve y_n − x_n of the curve made concave and
 * increasing, or null when y is constant (its
 * normalisation divides by 0; kneed then finds no maximum).
 */
function differenceCurve(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  curve: 'convex' | 'concave',
  direction: 'increasing' | 'decreasing',
): { xt: Float64Array; yd: Float64Array } | null {
  const n = x.length;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < n; i++) {
    yMin = Math.min(yMin, y[i]!);
    yMax = Math.max(yMax, y[i]!);
  }
  if (yMax === yMin) return null;
  const x0 = x[0]!;
  const xRange = x[n - 1]! - x0;
  const yn = Float64Array.from({ length: n }, (_, i) => (y[i]! - yMin) / (yMax - yMin));
  const xn = Float64Array.from({ length: n }, (_, i) => (x[i]! - x0) / xRange);
  // kneed's transform_y: y.max() of the normalised y is exactly 1.
  const flip = (a: Float64Array): Float64Array => a.reverse();
  let yt: Float64Array;
  if (direction === 'decreasing') yt = curve === 'concave' ? flip(yn) : yn.map((v) => 1 - v);
  else yt = curve === 'convex' ? flip(yn.map((v) => 1 - v)) : yn;
  // kneed 0.9 mirrors x by value (x → 1 − x, kept ascending) where it flipped y by position.
  const xt = (direction === 'decreasing') === (curve === 'concave') ? flip(xn.map((v) => 1 - v)) : xn;
  return { xt, yd: yt.map((v, i) => v - xt[i]!) };
}
