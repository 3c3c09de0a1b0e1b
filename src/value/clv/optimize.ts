/**
 * A small unconstrained minimiser for the lifetime-value models' maximum-likelihood fits: BFGS with a strong-Wolfe
 * line search, on a handful of (log-)parameters.
 * @module
 */

/**
 * The objective: returns f(x) and, when `grad` is not null, writes ∇f(x) into it. `grad` is only ever non-null
 * when {@link MinimizeOptions.gradient} is true (the objective then promises to fill it). It may return `Infinity`
 * or `NaN` where it is undefined (an overflowing parameter, say): the line search then shortens the step.
 */
export type Objective = (x: Float64Array, grad: Float64Array | null) => number;

export interface MinimizeOptions {
  /**
   * Whether the objective writes its own gradient into `grad` (true) or the minimiser should estimate it by
   * central finite differences (false: `grad` is then always null). Default false.
   */
  gradient?: boolean;
  /** Most BFGS iterations (each one line search); default 1000. */
  maxIter?: number;
  /** Converged when the largest gradient component |∂f/∂xᵢ| is at most this; default 1e-9. */
  gradTol?: number;
  /**
   * When no step along the search direction (nor along −∇f after a restart) lowers f any more, f is at its
   * minimum to rounding: the run counts as converged if the largest gradient component is at most
   * `stallTol · max(1, |f|)` (default 1e-6), which allows for the rounding noise of an estimated gradient and of
   * a sum over many customers. Above it the run stops unconverged.
   */
  stallTol?: number;
  /** Relative step of the central differences, times max(1, |xᵢ|); default ε^(1/3) ≈ 6.1e-6 (optimal for O(h²) error). */
  diffStep?: number;
  /** Called after every iteration with the iteration number, x and f(x); return `false` to stop early. */
  onIteration?: (iteration: number, x: Float64Array, value: number) => boolean | void;
}

export interface MinimizeResult {
  /** The minimiser found (a new array). */
  x: Float64Array;
  value: number;
  /** Gradient at `x` (analytic or estimated). */
  gradient: Float64Array;
  iterations: number;
  /** Objective evaluations, including those of finite differences. */
  evaluations: number;
  converged: boolean;
  /** Why it stopped: small gradient, no further decrease possible, iteration limit, or the callback. */
  reason: 'gradient' | 'stalled' | 'max-iterations' | 'callback';
}

/** ε^(1/3): balances the O(h²) truncation and O(ε/h) rounding errors of a central difference. */
const CBRT_EPS = Math.cbrt(Number.EPSILON);
/** Sufficient-decrease (Armijo) and curvature constants of the strong Wolfe conditions (Nocedal & Wright §3.1). */
const C1 = 1e-4;
const C2 = 0.9;
/** Relative differences in f below this count as rounding noise (sums over millions of terms carry ~1e-13). */
const FLAT = 1e-12;
/** Line-search iteration limits: bracketing expansions and zoom steps. */
const MAX_BRACKET = 60;
const MAX_ZOOM = 60;

/**
 * Minimises `f` from `x0` by BFGS (Nocedal & Wright, "Numerical Optimization", 2nd ed., Algorithm 6.1) with the
 * dense inverse-Hessian update, the first step's scaling H₀ = (sᵀy / yᵀy) I (eq. 6.20), and a line search that
 * satisfies the strong Wolfe conditions (Algorithms 3.5 and 3.6, with safeguarded cubic interpolation in the zoom,
 * as in Moré & Thuente 1994). A trial point whose gradient already meets `gradTol` is accepted when f there is
 * within rounding noise (1e-12 relative) of f(x), as in Hager & Zhang's approximate Wolfe conditions (2005):
 * near the minimum a sum over millions of customers cannot show the decrease the exact test asks for. Meant for
 * a few parameters (dense n × n update): the lifetime-value models have 3–4,
 * optimised over their logarithms so that every value of x is a valid model.
 *
 * The gradient is the objective's own when `opts.gradient` is true (one call per point), otherwise central finite
 * differences (2n extra calls per point). A step on which f is not finite counts as too long. When a search
 * direction yields no decrease the inverse Hessian is reset to the identity once before giving up (`stalled`).
 *
 * @example
 * // Rosenbrock's function, with its gradient.
 * const r = minimize((x, g) => {
 *   const [a, b] = [x[0]!, x[1]!];
 *   if (g) { g[0] = -2 * (1 - a) - 400 * a * (b - a * a); g[1] = 200 * (b - a * a); }
 *   return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
 * }, Float64Array.of(-1.2, 1), { gradient: true });
 * r.x; // ≈ [1, 1]
 */
export function minimize(f: Objective, x0: ArrayLike<number>, opts: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIter = opts.maxIter ?? 1000;
  const gradTol = opts.gradTol ?? 1e-9;
  const stallTol = opts.stallTol ?? 1e-6;
  const diffStep = opts.diffStep ?? CBRT_EPS;
  const analytic = opts.gradient ?? false;
  if (n === 0) throw new RangeError('minimize needs at least one parameter, got an empty x0');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x0[i])) throw new RangeError(`x0[${i}] must be finite, got ${x0[i]}`);
  }
  if (!(maxIter >= 0)) throw new RangeError(`maxIter must be ≥ 0, got ${maxIter}`);
  if (!(gradTol >= 0)) throw new RangeError(`gradTol must be ≥ 0, got ${gradTol}`);

  let evaluations = 0;
  /** f(x) and its gradient into g (analytic or central differences). */
  const valueAndGradient = (x: Float64Array, g: Float64Array): number => {
    evaluations++;
    if (analytic) return f(x, g);
    const fx = f(x, null);
    if (!Number.isFinite(fx)) return fx;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      const h = diffStep * Math.max(1, Math.abs(xi));
      x[i] = xi + h;
      const up = f(x, null);
      x[i] = xi - h;
      const down = f(x, null);
      x[i] = xi;
      evaluations += 2;
      // One-sided where a side is undefined, so a minimum near the edge of the domain still gets a slope.
      if (Number.isFinite(up) && Number.isFinite(down)) g[i] = (up - down) / (2 * h);
      else if (Number.isFinite(up)) g[i] = (up - fx) / h;
      else if (Number.isFinite(down)) g[i] = (fx - down) / h;
      else g[i] = NaN;
    }
    return fx;
  };

  // Scratch buffers, allocated once.
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const H = new Float64Array(n * n); // inverse Hessian approximation, row-major
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  const trial = { x: new Float64Array(n), g: new Float64Array(n) };

  let fx = valueAndGradient(x, g);
  if (!Number.isFinite(fx))
    throw new RangeError(`the objective is not finite at the start x0 = [${Array.from(x0)}]: ${fx}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(g[i]))
      throw new RangeError(`the gradient's component ${i} is not finite at the start: ${g[i]}`);
  }
  const setIdentity = (): void => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = 1;
  };
  setIdentity();
  let fresh = true; // H is the identity (no curvature information yet)

  let iterations = 0;
  let reason: MinimizeResult['reason'] = 'max-iterations';
  for (;;) {
    if (maxNorm(g) <= gradTol) {
      reason = 'gradient';
      break;
    }
    if (iterations >= maxIter) break;
    // d = −H g
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j]! * g[j]!;
      d[i] = v;
      slope += v * g[i]!;
    }
    if (!(slope < 0)) {
      // Not a descent direction (H lost positive definiteness to rounding): restart from steepest descent.
      setIdentity();
      fresh = true;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = -dot(g, g);
    }
    // Without curvature information, a first step of length at most 1 in x.
    const step0 = fresh ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    const ls = lineSearch(valueAndGradient, x, fx, g, d, slope, step0, trial, xNew, gNew, gradTol);
    if (ls === null) {
      if (fresh) {
        reason = 'stalled';
        break;
      }
      setIdentity();
      fresh = true;
      continue;
    }
    iterations++;
    // s = x⁺ − x, y = g⁺ − g
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
      sy += s[i]! * y[i]!;
      yy += y[i]! * y[i]!;
    }
    x.set(xNew);
    g.set(gNew);
    fx = ls;
    if (sy > 1e-300 && Number.isFinite(sy) && Number.isFinite(yy)) {
      if (fresh) {
        // N&W eq. 6.20: scale the identity to the curvature just measured before the first update.
        const scale = sy / yy;
        for (let i = 0; i < n * n; i++) H[i] = H[i]! * scale;
        fresh = false;
      }
      bfgsUpdate(H, s, y, sy, Hy, n);
    }
    if (opts.onIteration?.(iterations, x, fx) === false) {
      reason = 'callback';
      break;
    }
  }
  const gradNorm = maxNorm(g);
  const converged =
    reason === 'gradient' || (reason === 'stalled' && gradNorm <= stallTol * Math.max(1, Math.abs(fx)));
  return { x, value: fx, gradient: g, iterations, evaluations, converged, reason };
}

/**
 * H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / yᵀs (N&W eq. 6.17), expanded so it costs O(n²):
 * H − ρ (Hy sᵀ + s (Hy)ᵀ) + (ρ² yᵀHy + ρ) s sᵀ.
 */
function bfgsUpdate(
  H: Float64Array,
  s: Float64Array,
  y: Float64Array,
  sy: number,
  Hy: Float64Array,
  n: number,
): void {
  const rho = 1 / sy;
  let yHy = 0;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < n; j++) v += H[i * n + j]! * y[j]!;
    Hy[i] = v;
    yHy += y[i]! * v;
  }
  const c = rho * rho * yHy + rho;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      H[i * n + j] = H[i * n + j]! - rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!) + c * s[i]! * s[j]!;
    }
  }
}

/**
 * Strong-Wolfe line search along d from x (N&W Algorithm 3.5): expands the step until it brackets an acceptable
 * one, then zooms in (Algorithm 3.6). Writes the accepted point and gradient into xOut / gOut and returns its
 * value, or null when no step lowers f.
 */
function lineSearch(
  fg: (x: Float64Array, g: Float64Array) => number,
  x: Float64Array,
  f0: number,
  g0: Float64Array,
  d: Float64Array,
  slope0: number,
  step0: number,
  trial: { x: Float64Array; g: Float64Array },
  xOut: Float64Array,
  gOut: Float64Array,
  gradTol: number,
): number | null {
  const n = x.length;
  // Rounding noise of f: a sum over a million customers is off by ~1e-13 relative, so near the minimum trial values
  // differ from f(x) by noise only and the sufficient-decrease test fails at random.
  const noise = FLAT * Math.max(1, Math.abs(f0));
  // Steps below this change no coordinate of x beyond rounding: the search stops instead of shrinking on.
  let xMax = 0;
  let dMax = 0;
  for (let i = 0; i < n; i++) {
    xMax = Math.max(xMax, Math.abs(x[i]!));
    dMax = Math.max(dMax, Math.abs(d[i]!));
  }
  const minStep = (4 * Number.EPSILON * (1 + xMax)) / dMax;
  /** A trial point where the gradient test passes and f is no higher than f(x) beyond noise: the minimum. */
  let done = false;
  /** φ(α) = f(x + α d) and φ′(α) = ∇f · d, evaluated into trial. */
  const phi = (alpha: number): [number, number] => {
    for (let i = 0; i < n; i++) trial.x[i] = x[i]! + alpha * d[i]!;
    const v = fg(trial.x, trial.g);
    if (Number.isFinite(v) && v <= f0 + noise && maxNorm(trial.g) <= gradTol) done = true;
    return [v, Number.isFinite(v) ? dot(trial.g, d) : NaN];
  };
  // The best point seen that lowers f, kept in case the Wolfe conditions cannot be met (rounding-level slopes).
  let bestValue = f0;
  let best = false;
  const keep = (v: number): void => {
    if (v < bestValue) {
      bestValue = v;
      best = true;
      xOut.set(trial.x);
      gOut.set(trial.g);
    }
  };
  const accept = (v: number): number => {
    xOut.set(trial.x);
    gOut.set(trial.g);
    return v;
  };

  let aPrev = 0;
  let fPrev = f0;
  let dPrev = slope0;
  let a = step0;
  for (let k = 0; k < MAX_BRACKET; k++) {
    const [fa, da] = phi(a);
    if (done) return accept(fa);
    if (!Number.isFinite(fa) || !Number.isFinite(da)) {
      // Outside the objective's domain: step back towards the last good point.
      a = aPrev + (a - aPrev) * 0.1;
      if (a - aPrev < minStep) break;
      continue;
    }
    keep(fa);
    if (fa > f0 + C1 * a * slope0 || (aPrev > 0 && fa >= fPrev)) {
      const z = zoom(phi, f0, slope0, aPrev, fPrev, dPrev, a, fa, da, keep, minStep, () => done);
      return z === null ? (best ? bestValue : null) : accept(z);
    }
    if (Math.abs(da) <= -C2 * slope0) return accept(fa);
    if (da >= 0) {
      const z = zoom(phi, f0, slope0, a, fa, da, aPrev, fPrev, dPrev, keep, minStep, () => done);
      return z === null ? (best ? bestValue : null) : accept(z);
    }
    aPrev = a;
    fPrev = fa;
    dPrev = da;
    a *= 2;
  }
  return best ? bestValue : null;
}

/**
 * N&W Algorithm 3.6: shrinks the interval between `lo` (lower value, satisfies sufficient decrease) and `hi`
 * until a point meets the strong Wolfe conditions; trial steps by cubic interpolation of the two ends' values and
 * slopes, kept inside the middle 80 % of the interval (else bisection). Returns the accepted value, with trial
 * holding its point, or null once the interval is narrower than `minStep` (steps that move x by a few ulps only)
 * or three trials in a row differ from f(x) by rounding only: f is then flat along d to working precision, and
 * shrinking further would only spend evaluations.
 */
function zoom(
  phi: (a: number) => [number, number],
  f0: number,
  slope0: number,
  aLo: number,
  fLo: number,
  dLo: number,
  aHi: number,
  fHi: number,
  dHi: number,
  keep: (v: number) => void,
  minStep: number,
  done: () => boolean,
): number | null {
  // Trials whose value differs from f(x) by rounding only: a few in a row mean f is flat along d at this scale.
  const noise = FLAT * Math.max(1, Math.abs(f0));
  let flat = 0;
  for (let k = 0; k < MAX_ZOOM; k++) {
    const width = aHi - aLo;
    if (Math.abs(width) <= Math.max(minStep, 1e-16 * Math.max(Math.abs(aLo), Math.abs(aHi)))) return null;
    if (flat >= 3) return null;
    let a = cubicMinimizer(aLo, fLo, dLo, aHi, fHi, dHi);
    const lo = Math.min(aLo, aHi) + 0.1 * Math.abs(width);
    const hi = Math.max(aLo, aHi) - 0.1 * Math.abs(width);
    if (!(a >= lo && a <= hi)) a = 0.5 * (aLo + aHi);
    const [fa, da] = phi(a);
    if (!Number.isFinite(fa) || !Number.isFinite(da)) {
      aHi = a;
      fHi = Infinity;
      dHi = NaN;
      continue;
    }
    if (done()) return fa;
    keep(fa);
    flat = Math.abs(fa - f0) <= noise ? flat + 1 : 0;
    if (fa > f0 + C1 * a * slope0 || fa >= fLo) {
      aHi = a;
      fHi = fa;
      dHi = da;
    } else {
      if (Math.abs(da) <= -C2 * slope0) return fa;
      if (da * (aHi - aLo) >= 0) {
        aHi = aLo;
        fHi = fLo;
        dHi = dLo;
      }
      aLo = a;
      fLo = fa;
      dLo = da;
    }
  }
  return null;
}

/**
 * Minimiser of the cubic through (a, fa) and (b, fb) with slopes da and db (N&W eq. 3.59); NaN when it does not
 * exist (the caller bisects).
 */
function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  if (!Number.isFinite(fb) || !Number.isFinite(db)) return NaN;
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (Number.isNaN(v)) return NaN; // a NaN gradient never counts as converged
    if (v > m) m = v;
  }
  return m;
}
