/** The integration rules against their closed forms on a linear system. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  compileFunctions,
  type DiscretizationMethod,
  DynamicsDiscretizer,
  type Expr,
  sym,
} from "../../src/index.js";
import { maxDiff } from "./fixtures.js";

// dx/dt = A x + b u with constant u.
const A = [
  [0, 1],
  [-2, -0.3],
];
const B = [0, 1];
const mul = (v: readonly number[]) => A.map((row) => row[0] * v[0] + row[1] * v[1]);

/** x + sum_{k=1}^{order} h^k / k! A^{k-1} (A x + b u): the exact step of an order-`order` rule. */
function taylorStep(x: readonly number[], u: number, h: number, order: number): number[] {
  let term = mul(x).map((v, i) => v + B[i] * u);
  const out = x.slice();
  let factor = 1;
  for (let k = 1; k <= order; k++) {
    factor *= h / k;
    for (let i = 0; i < 2; i++) out[i] += factor * term[i];
    term = mul(term);
  }
  return out;
}

const ORDER: Record<DiscretizationMethod, number> = { euler: 1, midpoint: 2, heun: 2, rk4: 4 };

function discreteStep(method: DiscretizationMethod, h: number, steps: number) {
  const x = sym("x", 2);
  const u = sym("u", 1);
  const d = new DynamicsDiscretizer(
    (s: readonly Expr[], v: readonly Expr[]) => [s[1], s[0].mul(-2).sub(s[1].mul(0.3)).add(v[0])],
    h,
  );
  const next = d.multistep(method, steps)(x, u, undefined);
  const f = compileFunctions([{ name: "f", inputs: [x, u], outputs: next }]).f;
  return (x0: number[], u0: number) => {
    const out = new Float64Array(2);
    f(Float64Array.from(x0), Float64Array.of(u0), out);
    return Array.from(out);
  };
}

test("every rule is the Taylor polynomial of its order on a linear system, sub-steps compose", () => {
  const x0 = [0.7, -0.4];
  for (const method of Object.keys(ORDER) as DiscretizationMethod[]) {
    for (const steps of [1, 3]) {
      const h = 0.2;
      let expected = x0;
      for (let s = 0; s < steps; s++)
        expected = taylorStep(expected, 0.5, h / steps, ORDER[method]);
      assert.ok(
        maxDiff(discreteStep(method, h, steps)(x0, 0.5), expected) < 1e-14,
        `${method} x${steps}`,
      );
    }
  }
});

test("RK4 with sub-steps converges to the exact flow at fourth order", () => {
  const x0 = [1, 0];
  const exact = taylorStep(x0, 0, 0.5, 40); // the matrix exponential, to rounding
  const error = (steps: number) => maxDiff(discreteStep("rk4", 0.5, steps)(x0, 0), exact);
  const ratio = error(4) / error(8);
  assert.ok(ratio > 14 && ratio < 18, `error ratio ${ratio} for halved steps`);
  const discretizer = new DynamicsDiscretizer((x: Expr[]) => x, 0.1);
  assert.equal(discretizer.euler().length, 3);
  assert.throws(
    () => new DynamicsDiscretizer((x: Expr[]) => x, 0),
    /sampling time must be positive/,
  );
  assert.throws(() => discretizer.multistep("rk5" as never), /unknown method "rk5"/);
  assert.throws(() => discretizer.multistep("rk4", 1.5), /steps must be a positive integer/);
  assert.throws(
    () => new DynamicsDiscretizer((x: Expr[]) => [x[0]], 0.1).rk4()(sym("x", 2), [], null),
    /must return 2 expressions \(dx\/dt\), got 1/,
  );
});
