import assert from "node:assert/strict";
import { test } from "node:test";
import {
  abs,
  add,
  compileFunctions,
  constant,
  type Expr,
  fmax,
  fmin,
  gradient,
  ifElse,
  jacobianTransposeProduct,
  log,
  mul,
  normInf,
  pow,
  rosenbrock,
  sign,
  sin,
  sq,
  sqrt,
  sub,
  sum,
  sym,
} from "../../src/symbolic/index.js";
import { point, RANDOM_OPS, randomGraph } from "./fixtures.js";

/** Central finite difference of the scalar function `f` at `x`, along coordinate i. */
function centralDifference(f: (x: Float64Array) => number, x: Float64Array, i: number): number {
  const h = 1e-5 * Math.max(1, Math.abs(x[i]));
  const xp = Float64Array.from(x);
  const xm = Float64Array.from(x);
  xp[i] += h;
  xm[i] -= h;
  return (f(xp) - f(xm)) / (xp[i] - xm[i]);
}

function assertClose(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );
}

test("gradients of random graphs using every operation agree with central differences", () => {
  const steps = 2 * RANDOM_OPS.length;
  for (let seed = 1; seed <= 12; seed++) {
    const { x, p, pool, rand } = randomGraph(seed, 4, steps);
    // Every operation contributes; the nodes nest and share subexpressions.
    const f = sum(pool.slice(x.length + p.length));
    const g = gradient(f, x);
    const fns = compileFunctions([
      { name: "f", inputs: [x, p], outputs: [f], scalar: true },
      { name: "g", inputs: [x, p], outputs: g },
    ]);
    const out = new Float64Array(x.length);
    for (let trial = 0; trial < 3; trial++) {
      const xv = point(rand, x.length, -1.5, 1.5);
      const pv = point(rand, p.length, -1, 1);
      fns.g(xv, pv, out);
      assert.ok(
        out.some((gi) => Math.abs(gi) > 0.1),
        `seed ${seed}: a nontrivial gradient`,
      );
      for (let i = 0; i < x.length; i++) {
        const fd = centralDifference((z) => fns.f(z, pv) as number, xv, i);
        assertClose(out[i], fd, 1e-6, `seed ${seed} d/dx${i}`);
      }
    }
  }
});

test("J^T v of random vector functions agrees with central differences of v'F", () => {
  for (let seed = 20; seed < 28; seed++) {
    const { x, p, pool, rand } = randomGraph(seed, 3, 3 * RANDOM_OPS.length);
    const F = [...pool.slice(-5), x[0], constant(2), pool[pool.length - 1]];
    const v = sym("v", F.length);
    const jtv = jacobianTransposeProduct(F, x, v);
    const fns = compileFunctions([
      { name: "F", inputs: [x, p], outputs: F },
      { name: "jtv", inputs: [x, p, v], outputs: jtv },
    ]);
    const buffer = new Float64Array(F.length);
    const out = new Float64Array(x.length);
    const xv = point(rand, x.length, -1.5, 1.5);
    const pv = point(rand, p.length, -1, 1);
    const vv = point(rand, v.length, -2, 2);
    fns.jtv(xv, pv, vv, out);
    const vTF = (z: Float64Array): number => {
      fns.F(z, pv, buffer);
      let s = 0;
      for (let k = 0; k < buffer.length; k++) s += vv[k] * buffer[k];
      return s;
    };
    for (let i = 0; i < x.length; i++) {
      assertClose(out[i], centralDifference(vTF, xv, i), 1e-6, `seed ${seed} (J^T v)_${i}`);
    }
  }
});

test("Rosenbrock gradient matches the hand-derived formula", () => {
  const u = sym("u", 5);
  const p = sym("p", 2);
  const g = compileFunctions([
    { name: "g", inputs: [u, p], outputs: gradient(rosenbrock(u, p), u) },
  ]).g;
  const uv = Float64Array.of(0.3, -1.2, 2, 0.7, 1.1);
  const [a, b] = [1.3, 42];
  const out = new Float64Array(5);
  g(uv, Float64Array.of(a, b), out);
  for (let j = 0; j < 5; j++) {
    let expected = 0;
    if (j + 1 < 5) expected += -4 * b * uv[j] * (uv[j + 1] - uv[j] ** 2) - 2 * (a - uv[j]);
    if (j > 0) expected += 2 * b * (uv[j] - uv[j - 1] ** 2);
    assertClose(out[j], expected, 1e-13, `d/du${j}`);
  }
});

test("MPC cost gradient matches the hand-derived adjoint formula", () => {
  // x_{t+1} = x_t + dt sin(u_t), x_0 = p; cost sum_{t=1..N} x_t^2 + r sum_t u_t^2.
  // d cost / d u_k = 2 r u_k + dt cos(u_k) sum_{t > k} 2 x_t.
  const N = 6;
  const dt = 0.2;
  const r = 0.3;
  const u = sym("u", N);
  const [x0] = sym("x0", 1);
  let x: Expr = x0;
  let cost = constant(0);
  for (let t = 0; t < N; t++) {
    x = add(x, mul(dt, sin(u[t])));
    cost = add(cost, add(sq(x), mul(r, sq(u[t]))));
  }
  const g = compileFunctions([{ name: "g", inputs: [u, [x0]], outputs: gradient(cost, u) }]).g;
  const uv = Float64Array.of(0.5, -1, 2, 0.1, -0.4, 1.3);
  const out = new Float64Array(N);
  g(uv, Float64Array.of(0.7), out);
  const states = [0.7];
  for (let t = 0; t < N; t++) states.push(states[t] + dt * Math.sin(uv[t]));
  for (let k = 0; k < N; k++) {
    let tail = 0;
    for (let t = k + 1; t <= N; t++) tail += 2 * states[t];
    assertClose(out[k], 2 * r * uv[k] + dt * Math.cos(uv[k]) * tail, 1e-13, `d/du${k}`);
  }
});

test("subgradients at nonsmooth points and special cases", () => {
  const [x, y] = sym("x", 2);
  const outputs = [
    ...gradient(abs(x), [x]),
    ...gradient(sign(x), [x]),
    ...gradient(fmin(x, y), [x, y]),
    ...gradient(fmax(x, y), [x, y]),
    ...gradient(ifElse(x.gt(0), mul(3, x), mul(5, y)), [x, y]),
    ...gradient(x.lt(y), [x]),
    ...gradient(sqrt(x), [x]),
    ...gradient(pow(x, y), [x, y]),
    ...gradient(normInf([x, mul(-2, y)]), [x, y]),
    ...gradient(mul(y, 4), [x]),
  ];
  const f = compileFunctions([{ name: "f", inputs: [[x, y]], outputs }]).f;
  const out = new Float64Array(outputs.length);
  f(Float64Array.of(0, 0), out);
  // abs'(0) = 0, sign' = 0, fmin and fmax take the first side at ties, ifElse
  // differentiates the taken branch (x > 0 is false), comparisons 0,
  // sqrt'(0) = Infinity, d(x^y) = (y x^(y-1), x^y log x) = (0 * 0^-1, 1 * -Infinity).
  assert.deepEqual(Array.from(out.subarray(0, 9)), [0, 0, 1, 0, 1, 0, 0, 5, 0]);
  assert.equal(out[9], Number.POSITIVE_INFINITY);
  assert.ok(Number.isNaN(out[10]));
  assert.equal(out[11], Number.NEGATIVE_INFINITY);
  // normInf at 0: fmax(|x|, |-2y|) takes the first side, abs' = 0.
  assert.deepEqual(Array.from(out.subarray(12)), [0, 0, 0]);
  f(Float64Array.of(2, 3), out);
  assert.deepEqual(Array.from(out.subarray(0, 9)), [1, 0, 1, 0, 0, 1, 3, 0, 0]);
  assertClose(out[9], 0.5 / Math.sqrt(2), 1e-15, "sqrt'");
  assertClose(out[10], 3 * 2 ** 2, 1e-15, "d/dx x^y");
  assertClose(out[11], 2 ** 3 * Math.log(2), 1e-15, "d/dy x^y");
  assert.deepEqual(Array.from(out.subarray(12)), [0, 2, 0]);
});

test("derivatives with respect to absent symbols are zero; parameters stay untouched", () => {
  const [x, y] = sym("x", 2);
  const [p] = sym("p", 1);
  const g = gradient(mul(log(add(p, 3)), x), [x, y]);
  assert.equal(g[0], log(add(p, 3)));
  assert.equal(g[1].op, "const");
  assert.equal(g[1].value, 0);
  assert.deepEqual(
    gradient(5, [x]).map((e) => e.value),
    [0],
  );
  assert.throws(() => gradient(x, [add(x, 1)]), /gradient: wrt\[0\] is not a symbol/);
  assert.throws(
    () => jacobianTransposeProduct([x, y], [x], sym("v", 1)),
    /F has length 2 but v has length 1/,
  );
  // A repeated output accumulates both seeds.
  const v = sym("v", 2);
  const jtv = jacobianTransposeProduct([sub(x, y), sub(x, y)], [x, y], v);
  const f = compileFunctions([{ name: "f", inputs: [[x, y], v], outputs: jtv }]).f;
  const out = new Float64Array(2);
  f(Float64Array.of(1, 2), Float64Array.of(3, 4), out);
  assert.deepEqual(Array.from(out), [7, -7]);
});
