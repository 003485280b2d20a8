import assert from "node:assert/strict";
import { test } from "node:test";
import { OPS, type Operation, recordOf } from "../../src/symbolic/expr.js";
import * as S from "../../src/symbolic/index.js";
import { point, random } from "./fixtures.js";

/** How to build each operation from symbols, and the interval its arguments are drawn from. */
const CASES: Record<Operation, { build: (...x: S.Expr[]) => S.Expr; lo: number; hi: number }> = {
  neg: { build: S.neg, lo: -2, hi: 2 },
  sin: { build: S.sin, lo: -3, hi: 3 },
  cos: { build: S.cos, lo: -3, hi: 3 },
  tan: { build: S.tan, lo: -1.2, hi: 1.2 },
  asin: { build: S.asin, lo: -0.9, hi: 0.9 },
  acos: { build: S.acos, lo: -0.9, hi: 0.9 },
  atan: { build: S.atan, lo: -3, hi: 3 },
  sinh: { build: S.sinh, lo: -2, hi: 2 },
  cosh: { build: S.cosh, lo: -2, hi: 2 },
  tanh: { build: S.tanh, lo: -2, hi: 2 },
  exp: { build: S.exp, lo: -2, hi: 2 },
  log: { build: S.log, lo: 0.2, hi: 3 },
  sqrt: { build: S.sqrt, lo: 0.2, hi: 3 },
  abs: { build: S.abs, lo: -2, hi: 2 },
  sign: { build: S.sign, lo: -2, hi: 2 },
  add: { build: S.add, lo: -2, hi: 2 },
  sub: { build: S.sub, lo: -2, hi: 2 },
  mul: { build: S.mul, lo: -2, hi: 2 },
  div: { build: S.div, lo: 0.5, hi: 2 },
  pow: { build: S.pow, lo: 0.3, hi: 2 },
  atan2: { build: S.atan2, lo: -2, hi: 2 },
  fmin: { build: S.fmin, lo: -2, hi: 2 },
  fmax: { build: S.fmax, lo: -2, hi: 2 },
  lt: { build: S.lt, lo: -2, hi: 2 },
  le: { build: S.le, lo: -2, hi: 2 },
  gt: { build: S.gt, lo: -2, hi: 2 },
  ge: { build: S.ge, lo: -2, hi: 2 },
  eq: { build: S.eq, lo: -2, hi: 2 },
  ne: { build: S.ne, lo: -2, hi: 2 },
  ifElse: { build: S.ifElse, lo: -2, hi: 2 },
};

/** Away from the kinks of the nonsmooth operations: zero, and ties between arguments. */
function awayFromKinks(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i]) < 1e-2) return false;
    for (let j = 0; j < i; j++) if (Math.abs(x[i] - x[j]) < 1e-2) return false;
  }
  return true;
}

test("each operation's derivative agrees with central differences at random points", () => {
  const rand = random(7);
  for (const op of Object.keys(OPS) as Operation[]) {
    const { build, lo, hi } = CASES[op];
    const arity = OPS[op].adjoints.length;
    const x = S.sym("x", arity);
    const node = build(...x);
    // The node really is this operation on the symbols, not a simplification.
    assert.equal(node.op, op);
    assert.deepEqual(node.args, x);
    assert.equal(recordOf(node), OPS[op]);
    const { f, g } = S.compileFunctions([
      { name: "f", inputs: [x], outputs: [node], scalar: true },
      { name: "g", inputs: [x], outputs: S.gradient(node, x) },
    ]);
    const grad = new Float64Array(arity);
    for (let trial = 0; trial < 6; trial++) {
      let at = point(rand, arity, lo, hi);
      while (!awayFromKinks(at)) at = point(rand, arity, lo, hi);
      g(at, grad);
      for (let i = 0; i < arity; i++) {
        const h = 1e-6 * Math.max(1, Math.abs(at[i]));
        const plus = Float64Array.from(at);
        const minus = Float64Array.from(at);
        plus[i] += h;
        minus[i] -= h;
        const fd = ((f(plus) as number) - (f(minus) as number)) / (plus[i] - minus[i]);
        assert.ok(
          Math.abs(grad[i] - fd) <= 1e-6 * Math.max(1, Math.abs(fd)),
          `d${op}/dx${i} at (${Array.from(at).join(", ")}): ${grad[i]} vs ${fd}`,
        );
      }
      // Folding, through the same record, gives the compiled value exactly.
      const folded = build(...Array.from(at, S.constant));
      assert.ok(Object.is(folded.value, f(at)), `${op} folded at (${Array.from(at).join(", ")})`);
    }
  }
});
