// minimize: known minima of classic test functions (Moré, Garbow & Hillstrom 1981), with analytic and
// finite-difference gradients, objectives undefined on part of the space, and its argument checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { type Objective, minimize } from './optimize.js';

/** Rosenbrock's banana, minimum 0 at (1, 1). */
const rosenbrock: Objective = (x, g) => {
  const a = x[0]!;
  const b = x[1]!;
  if (g) {
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
  }
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

/** An ill-conditioned convex quadratic ½ (x − c)ᵀ A (x − c) + 3 with eigenvalues 1..10⁴, minimum at c. */
const c = Float64Array.of(0.5, -2, 3, 1e-3);
const A = (() => {
  // A = Q diag(1, 10, 1e3, 1e4) Qᵀ with Q a fixed rotation (Householder reflection of (1, 1, 1, 1) / 2).
  const lambda = [1, 10, 1e3, 1e4];
  const m = new Float64Array(16);
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) {
      let v = 0;
      for (let k = 0; k < 4; k++) v += q(i, k) * lambda[k]! * q(j, k);
      m[i * 4 + j] = v;
    }
  return m;
  function q(i: number, k: number): number {
    return (i === k ? 1 : 0) - 2 * 0.25;
  }
})();
const quadratic: Objective = (x, g) => {
  let f = 3;
  for (let i = 0; i < 4; i++) {
    let v = 0;
    for (let j = 0; j < 4; j++) v += A[i * 4 + j]! * (x[j]! - c[j]!);
    if (g) g[i] = v;
    f += 0.5 * (x[i]! - c[i]!) * v;
  }
  return f;
};

describe('minimize', () => {
  it("finds Rosenbrock's minimum from the classic start, with the analytic gradient", () => {
    const r = minimize(rosenbrock, Float64Array.of(-1.2, 1), { gradient: true });
    assert.equal(r.converged, true);
    assert.equal(r.reason, 'gradient');
    assert.ok(Math.abs(r.x[0]! - 1) < 1e-8 && Math.abs(r.x[1]! - 1) < 1e-8, `x = ${r.x}`);
    assert.ok(r.value < 1e-16);
    assert.ok(r.iterations < 100, `${r.iterations} iterations`);
  });

  it('finds it with central finite differences too', () => {
    const r = minimize(rosenbrock, [-1.2, 1], { gradTol: 1e-7 });
    assert.equal(r.converged, true);
    assert.ok(Math.abs(r.x[0]! - 1) < 1e-6 && Math.abs(r.x[1]! - 1) < 1e-6, `x = ${r.x}`);
    // 2n extra evaluations per gradient.
    assert.ok(r.evaluations >= 5 * r.iterations);
  });

  it('solves an ill-conditioned quadratic (condition number 10⁴) to its centre', () => {
    for (const gradient of [true, false]) {
      const r = minimize(quadratic, [10, 10, -10, 5], { gradient, gradTol: 1e-8 });
      assert.equal(r.converged, true, `gradient ${gradient}: ${r.reason}`);
      for (let i = 0; i < 4; i++) assert.ok(Math.abs(r.x[i]! - c[i]!) < 1e-6, `x[${i}] = ${r.x[i]}`);
      relClose(r.value, 3, 1e-14);
    }
  });

  it('treats points where f is not finite as too far (log-parameter overflow)', () => {
    // f = e^x − 2x on x < 700, undefined beyond: minimum at log 2. A first step far into the undefined region.
    const f: Objective = (x, g) => {
      const v = x[0]!;
      if (v > 700) return NaN;
      if (g) g[0] = Math.exp(v) - 2;
      return Math.exp(v) - 2 * v;
    };
    const r = minimize(f, [-2000], { gradient: true });
    assert.equal(r.converged, true);
    assert.ok(Math.abs(r.x[0]! - Math.LN2) < 1e-9, `x = ${r.x[0]}`);
  });

  it('reports a stall as converged only when the gradient is at rounding level', () => {
    // |x|: no smooth minimum; BFGS ends at 0 with gradient ±1, which is not convergence.
    const r = minimize(
      (x, g) => {
        if (g) g[0] = Math.sign(x[0]!) || 1;
        return Math.abs(x[0]!);
      },
      [3.3],
      { gradient: true, maxIter: 200 },
    );
    assert.equal(r.converged, false);
    assert.ok(r.value < 3.3);
  });

  it('stops at maxIter and when the callback says so, and leaves x0 alone', () => {
    const x0 = Float64Array.of(-1.2, 1);
    const r = minimize(rosenbrock, x0, { gradient: true, maxIter: 3 });
    assert.equal(r.iterations, 3);
    assert.equal(r.reason, 'max-iterations');
    assert.equal(r.converged, false);
    assert.deepEqual(Array.from(x0), [-1.2, 1]);
    const seen: number[] = [];
    const s = minimize(rosenbrock, x0, {
      gradient: true,
      onIteration: (k, _x, v) => {
        seen.push(v);
        return k < 5;
      },
    });
    assert.equal(s.reason, 'callback');
    assert.equal(seen.length, 5);
    for (let k = 1; k < seen.length; k++) assert.ok(seen[k]! < seen[k - 1]!, 'f decreases every iteration');
  });

  it('names the bad input', () => {
    assert.throws(() => minimize(rosenbrock, []), RangeError);
    assert.throws(() => minimize(rosenbrock, [1, NaN]), /x0\[1\] must be finite, got NaN/);
    assert.throws(() => minimize(() => Infinity, [0]), /not finite at the start/);
  });
});

function relClose(a: number, b: number, rel: number): void {
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`);
}
