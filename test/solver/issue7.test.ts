/**
 * The four cases of issue 7 and OpEn's step-by-step behaviour, with OpEn
 * 0.12's numbers copied in as known answers.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { almDemoProblem, penaltyProblem, rosenbrock2d } from "../../examples/lowlevel.js";
import {
  PanocCache,
  PanocOptimizer,
  PanocProblem,
  ParametricOptimizer,
  SolverConfiguration,
} from "../../src/solver/index.js";
import { onlyF2Case } from "./corpus.js";

function rosenbrockLogged(b: number, gradientPoints: number[][]) {
  const p = rosenbrock2d(b);
  const none = new Float64Array(0);
  return new PanocProblem(
    2,
    (u) => p.cost(u, none),
    (u, g) => {
      gradientPoints.push(Array.from(u));
      p.gradient(u, none, g);
    },
    p.constraints,
  );
}

test("issue 7 case 1: Rosenbrock b=100 from (-1.5, 0.9) follows OpEn to its minimizer", () => {
  const points: number[][] = [];
  const u = Float64Array.of(-1.5, 0.9);
  const status = new PanocOptimizer(rosenbrockLogged(100, points), new PanocCache(2, 10)).solve(u, {
    tolerance: 1e-8,
    maxIterations: 100,
  });
  // OpEn 0.12: 39 iterations to (0.7864151567171878, 0.6176983092784706).
  assert.equal(status.exitStatus, "Converged");
  assert.ok(status.iterations <= Math.floor(39 * 1.1), `${status.iterations} iterations`);
  assert.ok(
    Math.abs(u[0] - 0.7864151567171878) < 1e-7 && Math.abs(u[1] - 0.6176983092784706) < 1e-7,
  );
  // OpEn's Lipschitz probe is u + max(1e-6 u, 1e-12), unsigned: (-1.5 + 1e-12, 0.9 + 9e-7).
  assert.deepEqual(points[1], [-1.5 + 1e-12, 0.9 + 9e-7]);
  // OpEn's first iterate after two Lipschitz backtracks (its trace, gradient
  // evaluation 2); ours differs by ~1e-6 because OpEn keeps u0 + h as its iterate.
  const open = [-0.7661878124940211, 0.6426167100112062];
  assert.ok(Math.abs(points[2][0] - open[0]) < 1e-6 && Math.abs(points[2][1] - open[1]) < 1e-6);
  // No evaluation far outside the ball (the old signed probe led to (340, -269)).
  for (const x of points) assert.ok(Math.hypot(x[0], x[1]) < 2);
  // With opengen's defaults (tolerance 1e-4) it ends at the same minimizer (OpEn: 34 iterations).
  const v = Float64Array.of(-1.5, 0.9);
  const s = new PanocOptimizer(rosenbrockLogged(100, []), new PanocCache(2, 10)).solve(v);
  assert.equal(s.exitStatus, "Converged");
  assert.ok(s.iterations <= 34);
  assert.ok(Math.abs(v[0] - 0.78641515) < 1e-4 && Math.abs(v[1] - 0.61769831) < 1e-4);
});

test("the outer loop reproduces OpEn's counts and answers on its reference cases", () => {
  const solve = (problem: typeof almDemoProblem, settings: object) => {
    const o = new ParametricOptimizer(problem(), new SolverConfiguration(settings));
    const r = o.solve([1, 10], { initialGuess: [0, 0, 0, 0, 0] });
    assert.ok(r.ok);
    return r.status;
  };
  // OpEn 0.12 (demoAlm): 10 outer / 99 inner, Converged, this u.
  const demo = solve(almDemoProblem, {
    tolerance: 1e-5,
    penaltyWeightUpdateFactor: 2,
    maxOuterIterations: 20,
  });
  assert.equal(demo.exitStatus, "Converged");
  assert.equal(demo.numOuterIterations, 10);
  assert.equal(demo.numInnerIterations, 99);
  // One line search of OpEn's run ends on its fallback (the last trial, where
  // we take the safe step u_bar): the answers differ by up to 3e-5.
  const openDemo = [0.0912083, 0.1368175, -0.1047808, 0.1009925, 0.010232];
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(demo.solution[i] - openDemo[i]) < 5e-5);
  // OpEn 0.12 (demoDefaults): 10 / 87, NotConvergedIterations.
  const defaults = solve(almDemoProblem, {});
  assert.equal(defaults.exitStatus, "NotConvergedIterations");
  assert.equal(defaults.numInnerIterations, 87);
  // OpEn 0.12 (penalty): 10 / 96, ||F2|| = 0.1048.
  const penalty = solve(penaltyProblem, { tolerance: 1e-5 });
  assert.equal(penalty.numOuterIterations, 10);
  assert.equal(penalty.numInnerIterations, 96);
  assert.ok(Math.abs(penalty.f2Norm - 0.1048) < 1e-4);
});

test("issue 7 case 2: OpEn's preconditioning test (only_f2 vs only_f2_precond) passes", () => {
  const c = onlyF2Case();
  const run = (preconditioning: boolean) => {
    const o = new ParametricOptimizer(
      c.problem,
      new SolverConfiguration({
        tolerance: 1e-6,
        initialTolerance: 1e-4,
        constraintsTolerance: 1e-5,
        penaltyWeightUpdateFactor: 10,
        maxInnerIterations: 1000,
        maxOuterIterations: 50,
        preconditioning,
      }),
    );
    const r = o.solve(c.p, { initialGuess: c.u0 });
    assert.ok(r.ok);
    return r.status;
  };
  const plain = run(false);
  const scaled = run(true);
  for (const s of [plain, scaled]) {
    assert.equal(s.exitStatus, "Converged");
    assert.ok(s.f2Norm < 1e-5);
    assert.ok(s.lastProblemNormFpr < 1e-6);
    // The optimum 1.0353310 (OpEn: 1.0353236).
    assert.ok(Math.abs(s.cost - 1.035331) < 5e-6, `cost ${s.cost}`);
  }
  assert.ok(Math.abs(plain.cost - scaled.cost) < 5e-5);
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(plain.solution[i] - scaled.solution[i]) < 5e-4);
  // OpEn needs 35 inner iterations with preconditioning.
  assert.ok(scaled.numInnerIterations <= 40, `${scaled.numInnerIterations}`);
});

test("issue 7 case 3: a tiny initial penalty never gives Converged while infeasible", () => {
  const o = new ParametricOptimizer(
    almDemoProblem(),
    new SolverConfiguration({
      tolerance: 1e-6,
      constraintsTolerance: 1e-5,
      penaltyWeightUpdateFactor: 2,
      maxOuterIterations: 20,
    }),
  );
  for (const c0 of [1e-16, 1e-300]) {
    const r = o.solve([1, 10], { initialGuess: [0, 0, 0, 0, 0], initialPenalty: c0 });
    assert.ok(r.ok);
    const s = r.status;
    if (s.exitStatus === "Converged") assert.ok(s.f1Infeasibility <= 1e-5);
    else assert.ok(s.f1Infeasibility > 1e-5);
    assert.ok(s.numOuterIterations > 2);
  }
});

test("the penalty stops at maxPenalty, not-converged, and says so", () => {
  // A problem whose constraint cannot hold: F2(u) = u^2 + 1 = 0.
  const o = new ParametricOptimizer(
    {
      nu: 1,
      np: 0,
      n1: 0,
      n2: 1,
      cost: (u) => u[0] * u[0],
      gradient: (u, _p, g) => {
        g[0] = 2 * u[0];
      },
      mappingF2: (u, _p, out) => {
        out[0] = u[0] * u[0] + 1;
      },
      jacobianF2Transpose: (u, _p, v, out) => {
        out[0] = 2 * u[0] * v[0];
      },
    },
    new SolverConfiguration({
      maxOuterIterations: 100,
      penaltyWeightUpdateFactor: 10,
      maxPenalty: 1e6,
    }),
  );
  const r = o.solve([], { initialGuess: [1] });
  assert.ok(r.ok);
  assert.equal(r.status.exitStatus, "NotConvergedIterations");
  assert.equal(r.status.stopReason, "maxPenalty");
  assert.equal(r.status.penalty, 1e6);
  assert.ok(r.status.numOuterIterations < 100);
});

test("an inner solve that runs out of iterations does not raise the penalty; the status counts it", () => {
  const penalties: number[] = [];
  const o = new ParametricOptimizer(
    almDemoProblem(),
    new SolverConfiguration({ maxInnerIterations: 3, maxOuterIterations: 5 }),
  );
  const r = o.solve([1, 10], {
    initialGuess: [0, 0, 0, 0, 0],
    onOuterIteration: (info) => {
      assert.equal(info.innerExitStatus, "NotConvergedIterations");
      penalties.push(info.penalty);
    },
  });
  assert.ok(r.ok);
  assert.deepEqual(penalties, [1, 1, 1, 1, 1]);
  assert.equal(r.status.innerIterationLimitHits, 5);
  assert.equal(r.status.stopReason, "maxOuterIterations");
});

test("when no line-search trial passes, the safe step u_bar is taken and psi decreases", () => {
  // OpEn's README penalty problem with rho = 10: OpEn's trace shows three
  // line searches of its first inner solve ending on the fallback, where OpEn
  // keeps the last trial (tau = 2^-10, its issue 423) and we take u_bar.
  const records: { outer: number; iteration: number; cost: number; tau: number }[] = [];
  const o = new ParametricOptimizer(
    penaltyProblem(),
    new SolverConfiguration({
      tolerance: 1e-5,
      penaltyWeightUpdateFactor: 10,
      maxOuterIterations: 50,
    }),
  );
  const r = o.solve([1, 10], {
    initialGuess: [0, 0, 0, 0, 0],
    onInnerIteration: (info) =>
      records.push({
        outer: info.outerIteration,
        iteration: info.iteration,
        cost: info.cost,
        tau: info.tau,
      }),
  });
  assert.ok(r.ok);
  const safe = records.filter((x) => x.tau === 0 && x.iteration > 0);
  assert.ok(safe.length >= 1);
  for (const x of safe) {
    const before = records.find((y) => y.outer === x.outer && y.iteration === x.iteration - 1);
    assert.ok(before !== undefined);
    // u_bar passed the Lipschitz test: psi(u_bar) <= psi(u) + 1e-6 |psi(u)| - (1 - 0.95/2) ||r||^2 / gamma.
    assert.ok(x.cost <= before.cost + 1e-6 * Math.abs(before.cost), `${x.cost} > ${before.cost}`);
  }
});
