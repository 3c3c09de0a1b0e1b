/**
 * Seeded simulation of the lifetime-value models' generative stories, for tests that recover known parameters and
 * for benchmarks: repeat-purchase summaries from BG/NBD, MBG/NBD and Pareto/NBD, mean spend from Gamma–Gamma.
 * @module
 */
import { Random } from '../../util/random.js';
import type { BetaGeoParams, GammaGammaParams, ModifiedBetaGeoParams, ParetoNbdParams } from './types.js';

/** Simulated customers: the summary a fit sees, and the hidden truth behind it. */
export interface SimulatedRepeatData {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** Each customer's purchase rate λ. */
  lambda: Float64Array;
  /** 1 if the customer is still active at T. */
  alive: Uint8Array;
}

export interface SimulationOptions {
  /** Seed of the generator (src/util/random.ts); default 0. */
  seed?: number;
}

/**
 * BG/NBD's story (Fader, Hardie & Lee 2005, §3): λ ~ Gamma(r, rate α), p ~ Beta(a, b); purchases arrive as a
 * Poisson process of rate λ and after each repeat purchase the customer drops out with probability p. Observed
 * from the first purchase (time 0) to each customer's T.
 *
 * @example
 * const sim = simulateBetaGeo({ r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, new Float64Array(10_000).fill(39), { seed: 1 });
 * fitBetaGeo(sim).params; // ≈ the parameters above
 */
export function simulateBetaGeo(
  params: BetaGeoParams,
  T: ArrayLike<number>,
  opts: SimulationOptions = {},
): SimulatedRepeatData {
  return simulateBetaGeometric(params, T, opts, false);
}

/**
 * MBG/NBD's story (Batislam et al. 2007): as BG/NBD, but the customer may also drop out right after the first
 * purchase (with probability p), before any repeat purchase.
 */
export function simulateModifiedBetaGeo(
  params: ModifiedBetaGeoParams,
  T: ArrayLike<number>,
  opts: SimulationOptions = {},
): SimulatedRepeatData {
  return simulateBetaGeometric(params, T, opts, true);
}

function simulateBetaGeometric(
  { r, alpha, a, b }: BetaGeoParams,
  T: ArrayLike<number>,
  opts: SimulationOptions,
  dropAtStart: boolean,
): SimulatedRepeatData {
  checkPositive({ r, alpha, a, b });
  const rng = new Random(opts.seed ?? 0);
  const out = allocate(T);
  for (let i = 0; i < out.T.length; i++) {
    const Ti = out.T[i]!;
    const lambda = gamma(rng, r) / alpha;
    const p = beta(rng, a, b);
    out.lambda[i] = lambda;
    let alive = !(dropAtStart && rng.next() < p);
    let t = 0;
    let x = 0;
    let last = 0;
    while (alive) {
      t += exponential(rng) / lambda;
      if (!(t <= Ti)) break;
      x++;
      last = t;
      if (rng.next() < p) alive = false;
    }
    out.frequency[i] = x;
    out.recency[i] = last;
    out.alive[i] = alive ? 1 : 0;
  }
  return out;
}

/**
 * Pareto/NBD's story (Schmittlein, Morrison & Colombo 1987): λ ~ Gamma(r, rate α), μ ~ Gamma(s, rate β); the
 * customer is active for an exponential lifetime of rate μ and purchases as a Poisson process of rate λ while
 * active.
 */
export function simulateParetoNbd(
  params: ParetoNbdParams,
  T: ArrayLike<number>,
  opts: SimulationOptions = {},
): SimulatedRepeatData {
  const { r, alpha, s, beta: rateBeta } = params;
  checkPositive({ r, alpha, s, beta: rateBeta });
  const rng = new Random(opts.seed ?? 0);
  const out = allocate(T);
  for (let i = 0; i < out.T.length; i++) {
    const Ti = out.T[i]!;
    const lambda = gamma(rng, r) / alpha;
    const mu = gamma(rng, s) / rateBeta;
    const lifetime = exponential(rng) / mu;
    const end = Math.min(lifetime, Ti);
    out.lambda[i] = lambda;
    let t = 0;
    let x = 0;
    let last = 0;
    for (;;) {
      t += exponential(rng) / lambda;
      if (!(t <= end)) break;
      x++;
      last = t;
    }
    out.frequency[i] = x;
    out.recency[i] = last;
    out.alive[i] = lifetime > Ti ? 1 : 0;
  }
  return out;
}

/**
 * Gamma–Gamma's story (Fader, Hardie & Lee 2005, "RFM and CLV", §3; Colombo & Jiang 1999): ν ~ Gamma(q, rate v)
 * per customer, each purchase's value ~ Gamma(p, rate ν); returns each customer's mean value over `frequency`
 * purchases (a Gamma(p x, rate x ν) draw), 0 where frequency is 0.
 *
 * @example
 * const m = simulateGammaGamma({ p: 6, q: 4, v: 15 }, sim.frequency, { seed: 2 });
 */
export function simulateGammaGamma(
  params: GammaGammaParams,
  frequency: ArrayLike<number>,
  opts: SimulationOptions = {},
): Float64Array {
  const { p, q, v } = params;
  checkPositive({ p, q, v });
  const rng = new Random(opts.seed ?? 0);
  const out = new Float64Array(frequency.length);
  for (let i = 0; i < out.length; i++) {
    const x = frequency[i]!;
    if (!(x >= 0) || !Number.isInteger(x)) {
      throw new RangeError(`frequency[${i}] must be a whole number ≥ 0, got ${x}`);
    }
    if (x === 0) continue;
    const nu = gamma(rng, q) / v;
    out[i] = gamma(rng, p * x) / (x * nu);
  }
  return out;
}

function allocate(T: ArrayLike<number>): SimulatedRepeatData {
  const n = T.length;
  const t = Float64Array.from(T);
  for (let i = 0; i < n; i++) {
    if (!(t[i]! >= 0) || t[i] === Infinity)
      throw new RangeError(`T[${i}] must be finite and ≥ 0, got ${T[i]}`);
  }
  return {
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: t,
    lambda: new Float64Array(n),
    alive: new Uint8Array(n),
  };
}

function checkPositive(params: Record<string, number>): void {
  for (const [k, v] of Object.entries(params)) {
    if (!(v > 0) || v === Infinity) throw new RangeError(`parameter ${k} must be finite and > 0, got ${v}`);
  }
}

/** Standard exponential deviate; 1 − U is in (0, 1], so the log is finite. */
function exponential(rng: Random): number {
  return -Math.log(1 - rng.next());
}

/**
 * Gamma(shape, 1) deviate by Marsaglia & Tsang (2000), "A simple method for generating gamma variables"; for
 * shape < 1 their boost G(k) = G(k + 1) · U^{1/k}.
 */
function gamma(rng: Random, shape: number): number {
  return Math.exp(logGammaDeviate(rng, shape));
}

/** log of a Gamma(shape, 1) deviate: for small shapes U^{1/k} underflows, its logarithm does not. */
function logGammaDeviate(rng: Random, shape: number): number {
  if (shape < 1) return logGammaDeviate(rng, shape + 1) + Math.log(1 - rng.next()) / shape;
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let z: number;
    let v: number;
    do {
      z = rng.normal();
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * z ** 4 || Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v)))
      return Math.log(d * v);
  }
}

/** Beta(a, b) deviate as G_a / (G_a + G_b), from the logs so tiny shapes do not give 0 / 0. */
function beta(rng: Random, a: number, b: number): number {
  const la = logGammaDeviate(rng, a);
  const lb = logGammaDeviate(rng, b);
  return 1 / (1 + Math.exp(lb - la));
}
