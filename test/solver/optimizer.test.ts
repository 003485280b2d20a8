import assert from "node:assert/strict";
import { test } from "node:test";
import { almDemoProblem, penaltyProblem } from "../../examples/lowlevel.js";
import {
  type AlmProblem,
  ParametricOptimizer,
  type SolveResult,
  SolverConfiguration,
} from "../../src/solver/index.js";

function status(result: SolveResult) {
  if (!result.ok) throw result.error;
  return result.status;
}

function error(result: SolveResult) {
  assert.equal(result.ok, false);
  if (result.ok) throw new Error("unreachable");
  return result.error;
}

test("request checks: order 1600, 1700, 3003, exact messages, 1000 for bad values", () => {
  const o = new ParametricOptimizer(almDemoProblem());
  let e = error(o.solve([1], { initialGuess: [0], initialLagrangeMultipliers: [0] }));
  assert.equal(e.code, 1600);
  assert.equal(e.message, "initial guess has incompatible dimensions: provided 1, expected 5");
  e = error(o.solve([1], { initialLagrangeMultipliers: [0, 0, 0] }));
  assert.equal(e.code, 1700);
  assert.equal(e.message, "wrong dimension of Langrange multipliers: provided 3, expected 2");
  e = error(o.solve([1, 2, 3]));
  assert.equal(e.code, 3003);
  assert.equal(e.message, "wrong number of parameters: provided 3, expected 2");
  for (const c0 of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    e = error(o.solve([1, 10], { initialPenalty: c0 }));
    assert.equal(e.code, 1000);
    assert.equal(e.message, "invalid request: initial_penalty must be a positive finite number");
  }
  e = error(o.solve([1, Number.NaN]));
  assert.equal(e.code, 1000);
  assert.match(e.message, /^invalid request: parameter\[1\]/);
  e = error(o.solve([1, 10], { initialGuess: [0, 0, Number.POSITIVE_INFINITY, 0, 0] }));
  assert.equal(e.code, 1000);
  e = error(o.solve([1, 10], { initialLagrangeMultipliers: [Number.NaN, 0] }));
  assert.equal(e.code, 1000);
});

test("a failed check changes no state; warm start from the previous solution", () => {
  const a = new ParametricOptimizer(almDemoProblem());
  const b = new ParametricOptimizer(almDemoProblem());
  const first = status(a.solve([1, 10], { initialGuess: [0.5, 0.5, 0.5, 0.5, 0.5] }));
  error(a.solve([1, 2, 3]));
  error(a.solve([1, 10], { initialGuess: [1] }));
  error(a.solve([1, 10], { initialPenalty: -1 }));
  assert.deepEqual(Array.from(a.warmStartVector), Array.from(first.solution));
  // Without a guess, a starts from its previous solution: same as b given that guess.
  const warm = status(a.solve([2, 5]));
  const explicit = status(b.solve([2, 5], { initialGuess: first.solution }));
  assert.deepEqual(Array.from(warm.solution), Array.from(explicit.solution));
  assert.equal(warm.numInnerIterations, explicit.numInnerIterations);
  // The very first solve without a guess starts from zeros.
  const c = new ParametricOptimizer(almDemoProblem());
  const d = new ParametricOptimizer(almDemoProblem());
  assert.deepEqual(
    Array.from(status(c.solve([1, 10])).solution),
    Array.from(status(d.solve([1, 10], { initialGuess: [0, 0, 0, 0, 0] })).solution),
  );
});

test("two solves from the same start are bit-identical", () => {
  const o = new ParametricOptimizer(penaltyProblem(), new SolverConfiguration({ tolerance: 1e-5 }));
  const options = { initialGuess: [0.1, 0.2, 0.3, 0.4, 0.5] };
  const x = status(o.solve([1, 10], options));
  status(o.solve([3, 50], { initialGuess: [1, -1, 1, -1, 0], initialPenalty: 100 }));
  const y = status(o.solve([1, 10], options));
  const strip = (s: typeof x) => ({ ...s, solveTimeMs: 0 });
  assert.deepEqual(strip(x), strip(y));
  assert.ok(x.solution.every((v, i) => Object.is(v, y.solution[i])));
  assert.ok(Object.is(x.cost, y.cost) && Object.is(x.f2Norm, y.f2Norm));
  const m = new ParametricOptimizer(almDemoProblem());
  const opts = {
    initialGuess: [0, 0, 0, 0, 0],
    initialLagrangeMultipliers: [1, -2],
    initialPenalty: 3,
  };
  const p1 = status(m.solve([1, 10], opts));
  const p2 = status(m.solve([1, 10], opts));
  assert.deepEqual(strip(p1), strip(p2));
  assert.ok(p1.solution.every((v, i) => Object.is(v, p2.solution[i])));
  assert.ok(p1.lagrangeMultipliers.every((v, i) => Object.is(v, p2.lagrangeMultipliers[i])));
});

test("solver failures are error 2000 and keep the warm start", () => {
  const base = almDemoProblem();
  const nan: AlmProblem = { ...base, cost: () => Number.NaN };
  const o = new ParametricOptimizer(nan);
  const e = error(o.solve([1, 10]));
  assert.equal(e.code, 2000);
  assert.equal(e.message, "problem solution failed: the cost is not finite at iteration 0");
  const throwing: AlmProblem = {
    ...base,
    mappingF1: () => {
      throw new Error("F1 exploded");
    },
  };
  const t = new ParametricOptimizer(throwing);
  const before = t.warmStartVector;
  const f = error(t.solve([1, 10], { initialGuess: [1, 1, 1, 1, 1] }));
  assert.equal(f.code, 2000);
  assert.equal(f.message, "problem solution failed: a problem function threw: F1 exploded");
  assert.deepEqual(Array.from(t.warmStartVector), Array.from(before));
});

test("the status carries every protocol field, consistent with the solution", () => {
  const o = new ParametricOptimizer(penaltyProblem(), new SolverConfiguration({ tolerance: 1e-5 }));
  const s = status(o.solve([1, 10]));
  const u = s.solution;
  const f2 = [1.5 * u[0] - u[1], Math.max(0, u[2] - u[3] + 0.1)];
  assert.ok(Math.abs(s.f2Norm - Math.hypot(...f2)) < 1e-15);
  const a = 1;
  const b = 10;
  let f = 0;
  for (let i = 0; i < 4; i++) f += b * (u[i + 1] - u[i] ** 2) ** 2 + (a - u[i]) ** 2;
  assert.ok(Math.abs(s.cost - f) < 1e-12);
  assert.equal(s.lagrangeMultipliers.length, 0);
  assert.equal(s.deltaYNormOverC, 0);
  assert.ok(s.penalty >= 1 && s.solveTimeMs >= 0 && s.lastProblemNormFpr > 0);
});
