import assert from "node:assert/strict";
import { test } from "node:test";
import { Lbfgs } from "../../src/solver/index.js";
import { rng } from "./random.js";

/** Explicit BFGS inverse-Hessian recursion H+ = V' H V + rho s s', V = I - rho y s'. */
function explicitH(pairs: { s: number[]; y: number[] }[], n: number): number[][] {
  const last = pairs[pairs.length - 1];
  const dot = (a: number[], b: number[]) => a.reduce((acc, ai, i) => acc + ai * b[i], 0);
  const h0 = dot(last.s, last.y) / dot(last.y, last.y);
  let H = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? h0 : 0)),
  );
  for (const { s, y } of pairs) {
    const rho = 1 / dot(s, y);
    const V = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) - rho * y[i] * s[j]),
    );
    const HV = H.map((row) =>
      V[0].map((_, j) => row.reduce((acc, hik, k) => acc + hik * V[k][j], 0)),
    );
    H = V.map((_, i) =>
      V[0].map((_, j) => V.reduce((acc, vk, k) => acc + vk[i] * HV[k][j], 0) + rho * s[i] * s[j]),
    );
  }
  return H;
}

function run(n: number, pairsCount: number, memory: number, seed: number) {
  const rand = rng(seed);
  // g = A x with A symmetric positive definite, so y = A s and s'y > 0.
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => rand()));
  const A = B.map((_, i) =>
    B.map((_, j) => B.reduce((acc, bk) => acc + bk[i] * bk[j], 0) + (i === j ? 1 : 0)),
  );
  const lbfgs = new Lbfgs(n, memory, 1, 1e-8, 1e-10);
  const pairs: { s: number[]; y: number[] }[] = [];
  let x = Array.from({ length: n }, () => rand());
  let g = A.map((row) => row.reduce((acc, aij, j) => acc + aij * x[j], 0));
  assert.equal(lbfgs.update(Float64Array.from(g), Float64Array.from(x)), true);
  for (let k = 0; k < pairsCount; k++) {
    const xn = x.map((xi) => xi + rand());
    const gn = A.map((row) => row.reduce((acc, aij, j) => acc + aij * xn[j], 0));
    assert.equal(lbfgs.update(Float64Array.from(gn), Float64Array.from(xn)), true);
    pairs.push({ s: xn.map((v, i) => v - x[i]), y: gn.map((v, i) => v - g[i]) });
    x = xn;
    g = gn;
  }
  const q = Array.from({ length: n }, () => rand());
  const H = explicitH(pairs.slice(-memory), n);
  const expected = H.map((row) => row.reduce((acc, hij, j) => acc + hij * q[j], 0));
  const got = Float64Array.from(q);
  lbfgs.applyHessian(got);
  return { expected, got };
}

test("two-loop recursion equals the explicit BFGS inverse Hessian (memory not full)", () => {
  for (const seed of [1, 2, 3]) {
    const { expected, got } = run(4, 3, 5, seed);
    for (let i = 0; i < 4; i++)
      assert.ok(Math.abs(expected[i] - got[i]) < 1e-9 * (1 + Math.abs(expected[i])));
  }
});

test("two-loop recursion keeps only the last `memory` pairs", () => {
  const { expected, got } = run(5, 7, 3, 42);
  for (let i = 0; i < 5; i++)
    assert.ok(Math.abs(expected[i] - got[i]) < 1e-9 * (1 + Math.abs(expected[i])));
});

test("empty buffer leaves the vector unchanged; non-positive curvature and cautious rule reject", () => {
  const lbfgs = new Lbfgs(2, 3, 1, 1e-8, 1e-10);
  const q = Float64Array.of(1, -2);
  lbfgs.applyHessian(q);
  assert.deepEqual(Array.from(q), [1, -2]);
  assert.equal(lbfgs.update(Float64Array.of(0, 0), Float64Array.of(0, 0)), true);
  // s = (1, 0), y = (-1, 0): s'y < 0.
  assert.equal(lbfgs.update(Float64Array.of(-1, 0), Float64Array.of(1, 0)), false);
  assert.equal(lbfgs.activeSize, 0);
  // s = (1, 0), y = (1e-9, 0): s'y/||s||^2 = 1e-9 <= 1e-8 * ||g|| = 1e-8 * 1e3.
  assert.equal(lbfgs.update(Float64Array.of(1e-9, 1e3), Float64Array.of(1, 0)), false);
  assert.equal(lbfgs.update(Float64Array.of(2, 0), Float64Array.of(1, 0)), true);
  assert.equal(lbfgs.activeSize, 1);
  lbfgs.reset();
  assert.equal(lbfgs.activeSize, 0);
});
