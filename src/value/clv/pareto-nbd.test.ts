// Pareto/NBD: parity with lifetimes' ParetoNBDFitter (fit, log-likelihood, predictions), an mpmath reference where
// scipy's hyp2f1 gives out, the hypergeometric function against closed forms and its own series, the analytic
// gradient against differences, recovery of simulated parameters, and input checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fitParetoNbd, paretoNbdLogLikelihood, paretoNbdModel } from './pareto-nbd.js';
import { hyp2f1OneLog } from './pareto-nbd-special.js';
import { simulateParetoNbd } from './simulate.js';
import { readFixture, relClose } from './test-support.js';
import type { ParetoNbdParams, RepeatData } from './types.js';

interface Predictions {
  index: number;
  frequency: number;
  recency: number;
  T: number;
  probabilityAlive: number;
  conditionalExpectedPurchases: number[];
}
interface FitSide {
  params: ParetoNbdParams;
  objective: number;
  logLikelihood: number;
}
interface ParityCase {
  name: string;
  data: { frequency: number[]; recency: number[]; T: number[]; weights?: number[] };
  penalizer: number;
  lifetimes: FitSide;
  tight: FitSide;
  maxRelativeGap: number;
  horizons: number[];
  expectedPurchases: number[];
  customers: Predictions[];
}
interface ExtremeCase {
  params: ParetoNbdParams;
  frequency: number;
  recency: number;
  T: number;
  logLikelihood: number;
  probabilityAlive: number;
}

const parity = readFixture<{ cases: ParityCase[] }>('pareto-nbd.json').cases;
const extreme = readFixture<{ cases: ExtremeCase[] }>('pareto-nbd-extreme.json').cases;
const NAMES = ['r', 'alpha', 's', 'beta'] as const;

/** log-space values within `abs` of each other: the functions' values within that relatively. */
function logClose(actual: number, expected: number, abs: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= abs,
    `${what}: ${actual} vs ${expected} (diff ${actual - expected})`,
  );
}

function one(x: number, tx: number, T: number): RepeatData {
  return { frequency: [x], recency: [tx], T: [T] };
}

/** ₂F₁(1, p; c; z) by its power series, summed plainly (an independent check for z not too near 1). */
function seriesHyp2f1One(p: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 1e6 && term > 1e-18 * sum; n++) {
    term *= ((p + n) / (c + n)) * z;
    sum += term;
  }
  return sum;
}

/** Standard errors of log r, log α, log s, log β at `p`: √diag of the inverse observed information. */
function logParameterStandardErrors(p: ParetoNbdParams, data: RepeatData): number[] {
  const h = 1e-4;
  const g = new Float64Array(4);
  const info: number[][] = [];
  for (const k of NAMES) {
    const row: number[] = [];
    paretoNbdLogLikelihood({ ...p, [k]: p[k] * Math.exp(h) }, data, g);
    const up = NAMES.map((n, j) => g[j]! * p[n]);
    paretoNbdLogLikelihood({ ...p, [k]: p[k] * Math.exp(-h) }, data, g);
    NAMES.forEach((n, j) => row.push(-(up[j]! - g[j]! * p[n]) / (2 * h)));
    info.push(row);
  }
  // Gauss–Jordan inverse of the 4 × 4 information matrix.
  const a = info.map((row, i) => [...row, ...NAMES.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < 4; c++) {
    const pivot = a[c]![c]!;
    for (let j = 0; j < 8; j++) a[c]![j]! /= pivot;
    for (let i = 0; i < 4; i++) {
      if (i === c) continue;
      const f = a[i]![c]!;
      for (let j = 0; j < 8; j++) a[i]![j]! -= f * a[c]![j]!;
    }
  }
  return NAMES.map((_, i) => Math.sqrt(a[i]![4 + i]!));
}

describe('hyp2f1OneLog', () => {
  it('matches closed forms: ₂F₁(1, 1; 2; z) = −log(1 − z)/z and ₂F₁(1, b; b; z) = 1/(1 − z)', () => {
    for (const z of [1e-8, 0.1, 0.5, 0.9, 0.999, 0.99999]) {
      // Rounding accumulates over the fraction's steps, ~5,000 of them at 1 − 1e-5.
      const tol = z >= 0.999 ? 3e-11 : 1e-13;
      logClose(hyp2f1OneLog(1, 2, z), Math.log(-Math.log1p(-z) / z), tol, `(1, 2, ${z})`);
      for (const b of [0.3, 2.5, 700])
        logClose(hyp2f1OneLog(b, b, z), -Math.log1p(-z), tol, `(${b}, ${b}, ${z})`);
    }
    assert.equal(hyp2f1OneLog(3, 4, 0), 0);
  });
  it('matches the power series, including the p > c cases the likelihood meets (b < 0 in NR terms)', () => {
    for (const [p, c] of [
      [0.55, 2.16],
      [1.61, 2.16],
      [1.2, 1.5],
      [5000.5, 5002.1],
      [1.6, 5002.1],
      [0.01, 0.03],
    ] as const) {
      for (const z of [0.01, 0.3, 0.7, 0.95, 0.99]) {
        logClose(hyp2f1OneLog(p, c, z), Math.log(seriesHyp2f1One(p, c, z)), 1e-13, `(${p}, ${c}, ${z})`);
      }
    }
  });
  it('gives partial derivatives that match central differences', () => {
    const g = new Float64Array(3);
    for (const [p, c, z] of [
      [0.55, 2.16, 0.2],
      [1.61, 2.16, 0.9],
      [30.5, 31.7, 0.6],
      [1.6, 40.1, 0.999],
      [0.8, 6.8, 0],
    ] as const) {
      hyp2f1OneLog(p, c, z, g);
      const h = 1e-6;
      const fd = [
        (hyp2f1OneLog(p + h, c, z) - hyp2f1OneLog(p - h, c, z)) / (2 * h),
        (hyp2f1OneLog(p, c + h, z) - hyp2f1OneLog(p, c - h, z)) / (2 * h),
        z === 0
          ? hyp2f1OneLog(p, c, h) / h
          : (hyp2f1OneLog(p, c, z + h * 1e-3) - hyp2f1OneLog(p, c, z - h * 1e-3)) / (2e-3 * h),
      ];
      for (let k = 0; k < 3; k++) {
        assert.ok(
          Math.abs(g[k]! - fd[k]!) <= 1e-6 * Math.max(1, Math.abs(fd[k]!)),
          `∂${'pcz'[k]} at (${p}, ${c}, ${z}): ${g[k]} vs ${fd[k]}`,
        );
      }
    }
  });
});

describe('paretoNbdLogLikelihood', () => {
  it("equals lifetimes' total log-likelihood at its parameters", () => {
    for (const c of parity) {
      for (const side of [c.lifetimes, c.tight]) {
        relClose(paretoNbdLogLikelihood(side.params, c.data), side.logLikelihood, 1e-11, c.name);
      }
    }
  });
  it('matches mpmath where scipy gives out: 5,000 purchases, α ≫ β, β ≫ α (ratio 10⁶), recency = T', () => {
    for (const c of extreme) {
      const data = one(c.frequency, c.recency, c.T);
      const what = `${JSON.stringify(c.params)} x ${c.frequency} t_x ${c.recency} T ${c.T}`;
      relClose(paretoNbdLogLikelihood(c.params, data), c.logLikelihood, 1e-10, what);
      relClose(paretoNbdModel(c.params).probabilityAlive(data)[0]!, c.probabilityAlive, 1e-9, what);
    }
  });
  it('has an analytic gradient that matches central differences, for α ≥ β and α < β', () => {
    const cdnow = parity[0]!.data;
    const sample: RepeatData = {
      frequency: [...cdnow.frequency.slice(0, 300), 5000, 12, 0],
      recency: [...cdnow.recency.slice(0, 300), 900, 5, 0],
      T: [...cdnow.T.slice(0, 300), 1000, 30, 80],
    };
    const g = new Float64Array(4);
    for (const p of [
      { r: 0.55, alpha: 10.5, s: 0.7, beta: 9 },
      { r: 0.55, alpha: 8, s: 0.7, beta: 30 },
      { r: 2, alpha: 3000, s: 0.7, beta: 0.5 },
      { r: 0.3, alpha: 0.2, s: 4, beta: 5e4 },
    ]) {
      paretoNbdLogLikelihood(p, sample, g);
      NAMES.forEach((k, j) => {
        const h = 1e-6 * p[k];
        const up = paretoNbdLogLikelihood({ ...p, [k]: p[k] + h }, sample);
        const down = paretoNbdLogLikelihood({ ...p, [k]: p[k] - h }, sample);
        const fd = (up - down) / (2 * h);
        assert.ok(
          Math.abs(g[j]! - fd) <= 1e-5 * Math.max(1, Math.abs(fd)),
          `∂${k} at ${JSON.stringify(p)}: ${g[j]} vs ${fd}`,
        );
      });
    }
  });
  it('is the same whether identical rows come grouped with weights or one by one', () => {
    const d = parity[0]!.data;
    const p = parity[0]!.lifetimes.params;
    const grouped = parity.find((c) => c.data.weights)!.data;
    relClose(paretoNbdLogLikelihood(p, grouped), paretoNbdLogLikelihood(p, d), 1e-12, 'grouped');
  });
});

describe('fitParetoNbd', () => {
  for (const c of parity) {
    it(`matches lifetimes on ${c.name}`, () => {
      const m = fitParetoNbd(c.data, { penalizer: c.penalizer });
      assert.equal(m.model, 'pareto-nbd');
      assert.ok(m.converged, `converged (${m.iterations} iterations)`);
      assert.equal(m.n, c.data.weights ? c.data.weights.reduce((a, b) => a + b, 0) : c.data.frequency.length);
      for (const k of NAMES) {
        // lifetimes' Nelder–Mead stops at tol 1e-4; the tight refit of its own objective is the optimum itself.
        relClose(m.params[k], c.lifetimes.params[k], 1e-3, `${k} vs lifetimes`);
        relClose(m.params[k], c.tight.params[k], 2e-5, `${k} vs the tight refit`);
      }
      // Our optimum's log-likelihood is at least as good as the tight refit's when there is no penalty.
      if (c.penalizer === 0) assert.ok(m.logLikelihood >= c.tight.logLikelihood - 1e-7);
      relClose(m.logLikelihood, c.tight.logLikelihood, 1e-9, 'logLikelihood');
    });
    it(`predicts as lifetimes at its parameters on ${c.name}`, () => {
      const m = paretoNbdModel(c.lifetimes.params);
      c.horizons.forEach((t, j) =>
        relClose(m.expectedPurchases(t), c.expectedPurchases[j]!, 1e-6, `E[X(${t})]`),
      );
      const data: RepeatData = {
        frequency: c.customers.map((u) => u.frequency),
        recency: c.customers.map((u) => u.recency),
        T: c.customers.map((u) => u.T),
      };
      const alive = m.probabilityAlive(data);
      c.customers.forEach((u, i) =>
        relClose(alive[i]!, u.probabilityAlive, 1e-6, `P(alive) of row ${u.index}`),
      );
      c.horizons.forEach((t, j) => {
        const ce = m.conditionalExpectedPurchases(t, data);
        c.customers.forEach((u, i) =>
          relClose(ce[i]!, u.conditionalExpectedPurchases[j]!, 1e-6, `E[X(T, T + ${t})] of row ${u.index}`),
        );
      });
    });
  }

  it('recovers the parameters of 30,000 simulated customers, whose counts and survival the model predicts', () => {
    const truth = { r: 0.8, alpha: 6, s: 0.6, beta: 9 };
    const n = 30_000;
    const T = Float64Array.from({ length: n }, (_, i) => 20 + (i % 41)); // cohorts of 20..60 weeks
    const sim = simulateParetoNbd(truth, T, { seed: 11 });
    const m = fitParetoNbd(sim);
    assert.ok(m.converged);
    // Each log-parameter within 3.5 standard errors of the truth, the errors from the observed information (the
    // Hessian of the log-likelihood in log-parameters, by differences of the analytic gradient).
    const se = logParameterStandardErrors(m.params, sim);
    NAMES.forEach((k, j) => {
      const z = (Math.log(m.params[k]) - Math.log(truth[k])) / se[j]!;
      assert.ok(
        Math.abs(z) < 3.5,
        `${k}: ${m.params[k]} vs ${truth[k]}, ${z.toFixed(2)} standard errors (${se[j]})`,
      );
      assert.ok(se[j]! < 0.1, `${k}: standard error ${se[j]} of its log`);
    });
    // The simulator against the model's own predictions at the true parameters: mean repeat purchases E[X(T)]
    // and the share still alive, E[P(alive | data)] = P(alive at T).
    const model = paretoNbdModel(truth);
    let expected = 0;
    let observed = 0;
    let aliveShare = 0;
    for (let i = 0; i < n; i++) {
      expected += model.expectedPurchases(T[i]!);
      observed += sim.frequency[i]!;
      aliveShare += sim.alive[i]!;
    }
    relClose(observed / n, expected / n, 0.03, 'mean repeat purchases');
    const pAlive = model.probabilityAlive(sim);
    relClose(pAlive.reduce((a, b) => a + b, 0) / n, aliveShare / n, 0.02, 'share alive');
  });

  it('groups identical rows exactly: one row with weight 3 fits as three rows', () => {
    const rows: RepeatData = {
      frequency: [0, 2, 2, 2, 5, 1],
      recency: [0, 10, 10, 10, 30, 3],
      T: [40, 40, 40, 40, 38, 39],
    };
    const weighted: RepeatData = {
      frequency: [0, 2, 5, 1],
      recency: [0, 10, 30, 3],
      T: [40, 40, 38, 39],
      weights: [1, 3, 1, 1],
    };
    const a = fitParetoNbd(rows, { penalizer: 0.01 });
    // lifetimes divides the weighted total by the mean weight, so the same penalty weighs more on fewer rows; at
    // penalizer 0.01 × 6/4 the grouped rows reproduce the ungrouped objective up to a constant factor.
    const b = fitParetoNbd(weighted, { penalizer: 0.01 * (4 / 6) });
    for (const k of NAMES) relClose(b.params[k], a.params[k], 1e-6, k);
    relClose(b.logLikelihood, a.logLikelihood, 1e-9, 'logLikelihood');
    assert.equal(b.n, 6);
  });
});

describe('edge cases', () => {
  it('refuses to fit only one-time buyers (no maximum), and predicts for them with given parameters', () => {
    const data = { frequency: [0, 0, 0, 0], recency: [0, 0, 0, 0], T: [10, 20, 30, 40] };
    assert.throws(() => fitParetoNbd(data), /no customer made a repeat purchase/);
    assert.throws(() => fitParetoNbd(data, { penalizer: 0.1 }), /no customer made a repeat purchase/);
    const m = paretoNbdModel({ r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 });
    const alive = m.probabilityAlive(data);
    const ce = m.conditionalExpectedPurchases(52, data);
    for (let i = 0; i < 4; i++) {
      assert.ok(
        alive[i]! > 0 && alive[i]! < 1 && (i === 0 || alive[i]! < alive[i - 1]!),
        `P(alive) ${alive}`,
      );
      assert.ok(ce[i]! > 0 && (i === 0 || ce[i]! < ce[i - 1]!), `E[X(T, T + 52)] ${ce}`);
    }
    // Still a valid likelihood: a total of log-probabilities of no purchase.
    const ll = paretoNbdLogLikelihood(m.params, data);
    assert.ok(ll < 0 && ll > -10, `log-likelihood ${ll}`);
  });
  it('stays finite with 5,000 purchases over a long T, in the likelihood, its gradient and the predictions', () => {
    const data = one(5000, 900, 1000);
    const p = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };
    const g = new Float64Array(4);
    assert.ok(Number.isFinite(paretoNbdLogLikelihood(p, data, g)));
    assert.ok(g.every(Number.isFinite), `gradient ${g}`);
    const m = paretoNbdModel(p);
    const alive = m.probabilityAlive(data)[0]!;
    assert.ok(alive >= 0 && alive < 1e-10, `P(alive) after 100 silent weeks at 5 a week: ${alive}`);
    assert.ok(Number.isFinite(m.conditionalExpectedPurchases(52, data)[0]!));
    // Just bought: alive for sure, and the next year brings about 5 a week.
    const recent = one(5000, 1000, 1000);
    assert.equal(m.probabilityAlive(recent)[0], 1);
    const ce = m.conditionalExpectedPurchases(52, recent)[0]!;
    assert.ok(ce > 150 && ce < 260, `E[X(T, T + 52)] = ${ce}`);
    const fitted = fitParetoNbd({
      frequency: [5000, 0, 3, 1],
      recency: [900, 0, 20, 5],
      T: [1000, 40, 40, 40],
    });
    for (const k of NAMES) assert.ok(Number.isFinite(fitted.params[k]), `${k} = ${fitted.params[k]}`);
  });
  it('fits one customer', () => {
    const m = fitParetoNbd(one(3, 20, 40), { maxIter: 200 });
    for (const k of NAMES)
      assert.ok(Number.isFinite(m.params[k]) && m.params[k] > 0, `${k} = ${m.params[k]}`);
    assert.ok(Number.isFinite(m.logLikelihood));
    assert.equal(m.n, 1);
  });
  it('has predictions with the right limits: nothing in no time, P(alive) 1 at recency = T, s = 1 continuous', () => {
    const m = paretoNbdModel({ r: 0.5, alpha: 10, s: 0.7, beta: 12 });
    assert.equal(m.expectedPurchases(0), 0);
    assert.equal(m.conditionalExpectedPurchases(0, one(2, 10, 20))[0], 0);
    assert.equal(m.probabilityAlive(one(4, 30, 30))[0], 1);
    const at1 = paretoNbdModel({ r: 0.5, alpha: 10, s: 1, beta: 12 });
    const near1 = paretoNbdModel({ r: 0.5, alpha: 10, s: 1 + 1e-9, beta: 12 });
    relClose(at1.expectedPurchases(30), near1.expectedPurchases(30), 1e-8, 'E[X(30)] at s = 1');
    relClose(
      at1.conditionalExpectedPurchases(30, one(2, 10, 20))[0]!,
      near1.conditionalExpectedPurchases(30, one(2, 10, 20))[0]!,
      1e-8,
      'conditional at s = 1',
    );
  });
  it('names the row and value of bad input', () => {
    const bad = (
      patch: Partial<Record<'frequency' | 'recency' | 'T' | 'weights', number[]>>,
    ): RepeatData => ({
      frequency: [1, 0, 2],
      recency: [5, 0, 8],
      T: [10, 10, 10],
      ...patch,
    });
    assert.throws(() => fitParetoNbd(bad({ recency: [5, 0, NaN] })), /recency\[2\].*NaN/);
    assert.throws(() => fitParetoNbd(bad({ T: [10, -1, 10] })), /T\[1\].*-1/);
    assert.throws(() => fitParetoNbd(bad({ frequency: [1, 0, -2] })), /frequency\[2\].*-2/);
    assert.throws(() => fitParetoNbd(bad({ frequency: [1.5, 0, 2] })), /frequency\[0\].*1\.5/);
    assert.throws(() => fitParetoNbd(bad({ recency: [5, 0, 12] })), /recency\[2\] = 12 exceeds T\[2\] = 10/);
    assert.throws(
      () => fitParetoNbd(bad({ recency: [5, 3, 8] })),
      /recency\[1\] must be 0 when frequency\[1\] is 0, got 3/,
    );
    assert.throws(() => fitParetoNbd(bad({ weights: [1, Infinity, 1] })), /weights\[1\].*Infinity/);
    assert.throws(() => fitParetoNbd(bad({ T: [10, 10] })), RangeError);
    assert.throws(() => fitParetoNbd({ frequency: [], recency: [], T: [] }), /no customers/);
    assert.throws(() => fitParetoNbd(bad({}), { penalizer: -1 }), /penalizer.*-1/);
    assert.throws(() => fitParetoNbd(bad({}), { initial: { gamma: 1 } }), /initial\.gamma/);
    assert.throws(() => fitParetoNbd(bad({}), { initial: { s: -2 } }), /initial\.s.*-2/);
    assert.throws(() => fitParetoNbd({ frequency: [0], recency: [0], T: [0] }), /T > 0/);
    assert.throws(
      () => paretoNbdModel({ r: 1, alpha: 0, s: 1, beta: 1 }),
      /alpha must be finite and > 0, got 0/,
    );
    assert.throws(
      () => paretoNbdModel({ r: 1, alpha: 1, s: 1, beta: 1 }).expectedPurchases(-1),
      /t must be .*-1/,
    );
    assert.throws(
      () => paretoNbdModel({ r: 1, alpha: 1, s: 1, beta: 1 }).probabilityAlive(bad({ recency: [5, 0, 11] })),
      /recency\[2\] = 11/,
    );
  });
});
