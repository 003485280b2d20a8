import assert from "node:assert/strict";
import { test } from "node:test";
import { almDemoProblem, penaltyProblem } from "../../examples/lowlevel.js";
import {
  type AlmProblem,
  ParametricOptimizer,
  type SolveResult,
  SolverConfiguration,
  type SolverStatus,
} from "../../src/solver/index.js";

function status<S extends SolverStatus>(result: SolveResult<S>): S {
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
  assert.equal(
    e.message,
    "problem solution failed: the cost is not finite at the start point (iteration 0)",
  );
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

test("solve never throws, whatever the JavaScript types of its arguments", () => {
  const o = new ParametricOptimizer(almDemoProblem());
  const values: unknown[] = [
    undefined,
    null,
    0,
    Number.NaN,
    "1,10",
    "ab",
    true,
    {},
    { length: 2 },
    { length: 2, 0: "1", 1: 10 },
    [1],
    [1, "10"],
    [1, null],
    [[1], [10]],
    Symbol("p"),
    () => [1, 10],
    new Proxy([1, 10], {
      get() {
        throw new Error("trap");
      },
    }),
  ];
  const codes = new Set([1000, 1600, 1700, 3003]);
  for (const [k, p] of values.entries()) {
    for (const options of [
      undefined,
      null,
      7,
      "x",
      {},
      ...values.map((v) => ({ initialGuess: v })),
    ]) {
      const r = o.solve(p as number[], options as never);
      assert.equal(r.ok, false, `value ${k}`);
      if (!r.ok) assert.ok(codes.has(r.error.code), `${r.error.code} ${r.error.message}`);
    }
  }
  const bad: Record<string, unknown>[] = [
    { initialLagrangeMultipliers: "12" },
    { initialLagrangeMultipliers: [0, "x"] },
    { initialPenalty: "10" },
    { initialPenalty: null, initialGuess: [0, 0, 0, 0, Number.NaN] },
    { onInnerIteration: 3 },
    { onOuterIteration: "log" },
  ];
  for (const options of bad) {
    const r = o.solve([1, 10], options as never);
    assert.equal(r.ok, false, JSON.stringify(options));
    if (!r.ok) assert.ok(codes.has(r.error.code));
  }
  // null options mean no options.
  assert.equal(o.solve([1, 10], null).ok, true);
});

test("JSON.stringify of a status gives plain arrays", () => {
  const o = new ParametricOptimizer(almDemoProblem());
  const s = status(o.solve([1, 10], { initialGuess: [0, 0, 0, 0, 0] }));
  const json = JSON.parse(JSON.stringify(s));
  assert.deepEqual(json.solution, Array.from(s.solution));
  assert.deepEqual(json.lagrangeMultipliers, Array.from(s.lagrangeMultipliers));
  assert.equal(json.exitStatus, s.exitStatus);
  assert.equal(json.kktStationarity, s.kktStationarity);
  assert.equal(json.toJSON, undefined);
  const failed = JSON.parse(JSON.stringify(o.solve([1])));
  assert.deepEqual(failed, {
    ok: false,
    error: { code: 3003, message: "wrong number of parameters: provided 1, expected 2" },
  });
});

test("iteration hooks report every inner and outer iteration; unused, they change nothing", () => {
  const o = new ParametricOptimizer(almDemoProblem(), new SolverConfiguration({ tolerance: 1e-5 }));
  const guess = [0, 0, 0, 0, 0];
  const plain = status(o.solve([1, 10], { initialGuess: guess }));
  const outer: { iteration: number; innerIterations: number; penalty: number }[] = [];
  const inner: { outerIteration: number; iteration: number; fpr: number; tau: number }[] = [];
  const hooked = status(
    o.solve([1, 10], {
      initialGuess: guess,
      onOuterIteration: (info) => outer.push(info),
      onInnerIteration: (info) => inner.push(info),
    }),
  );
  assert.deepEqual(Array.from(hooked.solution), Array.from(plain.solution));
  assert.equal(outer.length, plain.numOuterIterations);
  assert.equal(
    outer.reduce((a, x) => a + x.innerIterations, 0),
    plain.numInnerIterations,
  );
  // Each inner solve reports its iterates 0..k: k + 1 records for k iterations.
  assert.equal(inner.length, plain.numInnerIterations + plain.numOuterIterations);
  assert.deepEqual(
    outer.map((x) => x.iteration),
    outer.map((_, i) => i + 1),
  );
  // The status's penalty is the one the next iteration would use (as OpEn).
  assert.ok(outer[outer.length - 1].penalty <= plain.penalty);
  for (const x of inner) assert.ok(x.tau >= 0 && x.tau <= 1 && x.fpr >= 0);
  // The last inner record of the last outer iteration is below the tolerance.
  assert.ok(inner[inner.length - 1].fpr < 1e-5);
});
