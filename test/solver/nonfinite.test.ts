/**
 * Costs that are not finite outside a region (a domain edge, an overflow):
 * PANOC and FBS shrink their steps to stay inside and reach the known
 * minimizer; only a start point outside the domain, or a point from which
 * no step size gives a finite cost, is a SolverError (error 2000).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Ball2, Rectangle } from "../../src/sets/index.js";
import {
  FbsCache,
  FbsOptimizer,
  PanocCache,
  PanocOptimizer,
  PanocProblem,
  SolverError,
} from "../../src/solver/index.js";

/** Counts the cost evaluations that were not finite. */
function counted(
  n: number,
  cost: (u: Float64Array) => number,
  gradient: (u: Float64Array, g: Float64Array) => void,
  constraints?: Ball2,
) {
  const stats = { nonFinite: 0 };
  const problem = new PanocProblem(
    n,
    (u) => {
      const f = cost(u);
      if (!Number.isFinite(f)) stats.nonFinite++;
      return f;
    },
    gradient,
    constraints,
  );
  return { problem, stats };
}

// f = -log(1 - ||u||^2) - a'u, finite only in the open unit ball. Its
// minimizer is t a / ||a|| with 2t / (1 - t^2) = ||a||, so
// t = (sqrt(1 + ||a||^2) - 1) / ||a||: for a = (30, 40), t = 0.98 lies near
// the edge and the first gradient steps leave the ball.
const A = [30, 40];
const NORM_A = 50;
const T = (Math.sqrt(1 + NORM_A * NORM_A) - 1) / NORM_A;
const barrierCost = (u: Float64Array) =>
  -Math.log(1 - u[0] * u[0] - u[1] * u[1]) - A[0] * u[0] - A[1] * u[1];
const barrierGradient = (u: Float64Array, g: Float64Array) => {
  const s = 2 / (1 - u[0] * u[0] - u[1] * u[1]);
  g[0] = s * u[0] - A[0];
  g[1] = s * u[1] - A[1];
};

test("PANOC: a log barrier whose steps leave its domain reaches the closed-form minimizer", () => {
  const { problem, stats } = counted(2, barrierCost, barrierGradient);
  const u = new Float64Array(2);
  const status = new PanocOptimizer(problem, new PanocCache(2, 5)).solve(u, { tolerance: 1e-10 });
  assert.ok(stats.nonFinite > 0, "the solve met points outside the domain");
  assert.equal(status.exitStatus, "Converged");
  assert.ok(Math.abs(u[0] - (T * A[0]) / NORM_A) < 1e-8, `u0 = ${u[0]}`);
  assert.ok(Math.abs(u[1] - (T * A[1]) / NORM_A) < 1e-8, `u1 = ${u[1]}`);
  assert.ok(Math.abs(status.cost - barrierCost(Float64Array.of(0.6 * T, 0.8 * T))) < 1e-9);
});

test("FBS: the same log barrier, with steps shrunk at the domain edge", () => {
  const { problem, stats } = counted(2, barrierCost, barrierGradient);
  const u = new Float64Array(2);
  const status = new FbsOptimizer(problem, new FbsCache(2)).solve(u, {
    tolerance: 1e-10,
    maxIterations: 20000,
  });
  assert.ok(stats.nonFinite > 0);
  assert.equal(status.exitStatus, "Converged");
  assert.ok(Math.abs(u[0] - 0.6 * T) < 1e-7 && Math.abs(u[1] - 0.8 * T) < 1e-7);
});

test("PANOC: square roots of negative numbers at the first forward-backward step", () => {
  // f = u1 - 2 sqrt(u1) + u2 - 4 sqrt(u2): minimizer (1, 4) where
  // 1 - 1/sqrt(u1) = 0 and 1 - 2/sqrt(u2) = 0. From (25, 30) the curvature is
  // small, so the first gamma sends u_bar to negative coordinates (NaN).
  const { problem, stats } = counted(
    2,
    (u) => u[0] - 2 * Math.sqrt(u[0]) + u[1] - 4 * Math.sqrt(u[1]),
    (u, g) => {
      g[0] = 1 - 1 / Math.sqrt(u[0]);
      g[1] = 1 - 2 / Math.sqrt(u[1]);
    },
  );
  const u = Float64Array.of(25, 30);
  const status = new PanocOptimizer(problem, new PanocCache(2, 5)).solve(u, { tolerance: 1e-10 });
  assert.ok(stats.nonFinite > 0);
  assert.equal(status.exitStatus, "Converged");
  assert.ok(Math.abs(u[0] - 1) < 1e-8 && Math.abs(u[1] - 4) < 1e-8, `u = ${u}`);
  assert.ok(Math.abs(status.cost - -5) < 1e-12);
});

test("PANOC: with a constraint set, the minimizer on the set inside the domain", () => {
  // The barrier on Ball2(0.5): the unconstrained minimizer (norm 0.98) is
  // outside, so the answer is 0.5 a / ||a||, the point of the ball along a
  // (f decreases along a up to t = 0.98).
  const { problem } = counted(2, barrierCost, barrierGradient, new Ball2(0.5));
  const u = Float64Array.of(-0.3, 0.2);
  const status = new PanocOptimizer(problem, new PanocCache(2, 5)).solve(u, { tolerance: 1e-10 });
  assert.equal(status.exitStatus, "Converged");
  assert.ok(Math.abs(u[0] - 0.3) < 1e-8 && Math.abs(u[1] - 0.4) < 1e-8, `u = ${u}`);
});

test("PANOC: a start point outside the domain is still a SolverError, named as such", () => {
  const { problem } = counted(2, barrierCost, barrierGradient);
  assert.throws(
    () => new PanocOptimizer(problem, new PanocCache(2, 5)).solve(Float64Array.of(2, 0)),
    (e: unknown) =>
      e instanceof SolverError &&
      e.message === "the cost is not finite at the start point (iteration 0)",
  );
});

test("PANOC and FBS: no finite step from the start point is a SolverError", () => {
  // The cost is finite at u0 = 3 only: every forward-backward step leaves it.
  const isolated = new PanocProblem(
    1,
    (u) => (u[0] === 3 ? 9 : Number.NaN),
    (u, g) => {
      g[0] = 2 * u[0];
    },
  );
  const noStep = (e: unknown) =>
    e instanceof SolverError &&
    /^the cost is not finite at iteration 0 for any forward-backward step/.test(e.message);
  assert.throws(
    () => new PanocOptimizer(isolated, new PanocCache(1, 3)).solve(Float64Array.of(3)),
    noStep,
  );
  assert.throws(
    () => new FbsOptimizer(isolated, new FbsCache(1)).solve(Float64Array.of(3)),
    noStep,
  );
});

test("PANOC: a curvature above 1e9 is followed, not capped (the capped search diverges to overflow)", () => {
  // f = (c/4) u^4 - b u: minimizer (b/c)^(1/3) = 0.1, where f'' = 3e10. From
  // 0.01 (f'' = 3e8) the Lipschitz estimate must grow past 1e9; stopped
  // there (OpEn's cap), gamma stays too large, the envelope's line search
  // accepts ever larger |u| and the cost overflows.
  const c = 1e12;
  const b = 1e9;
  const problem = new PanocProblem(
    1,
    (u) => (c / 4) * u[0] ** 4 - b * u[0],
    (u, g) => {
      g[0] = c * u[0] ** 3 - b;
    },
  );
  const u = Float64Array.of(0.01);
  const status = new PanocOptimizer(problem, new PanocCache(1, 5)).solve(u, { tolerance: 1e-12 });
  assert.equal(status.exitStatus, "Converged");
  assert.ok(Math.abs(u[0] - 0.1) < 1e-12, `u = ${u[0]}`);
  assert.ok(Math.abs(status.cost - -0.75e8) < 1e-3);
});

test("PANOC and FBS: an iteration limit never returns a point outside the domain", () => {
  // Stopped after k iterations, the best u_bar so far may be a step not yet
  // checked: for these k it lay outside the unit ball before being shrunk.
  const { problem } = counted(2, barrierCost, barrierGradient);
  for (let k = 0; k < 6; k++) {
    for (const solver of [
      new PanocOptimizer(problem, new PanocCache(2, 5)),
      new FbsOptimizer(problem, new FbsCache(2)),
    ]) {
      const u = new Float64Array(2);
      const status = solver.solve(u, { tolerance: 1e-12, maxIterations: k });
      assert.equal(status.exitStatus, "NotConvergedIterations");
      assert.ok(u[0] * u[0] + u[1] * u[1] < 1, `k = ${k}: u = ${u}`);
      assert.equal(status.cost, barrierCost(u));
    }
  }
});

test("PANOC: a step onto a bound where the gradient is infinite is shrunk", () => {
  // The square-root problem on the box [0, 10]^2 from (25, 30): the first
  // u_bar is the corner (0, 0), where the cost is finite but the gradient is
  // -infinity. The minimizer (1, 4) lies inside the box.
  const problem = new PanocProblem(
    2,
    (u) => u[0] - 2 * Math.sqrt(u[0]) + u[1] - 4 * Math.sqrt(u[1]),
    (u, g) => {
      g[0] = 1 - 1 / Math.sqrt(u[0]);
      g[1] = 1 - 2 / Math.sqrt(u[1]);
    },
    new Rectangle([0, 0], [10, 10]),
  );
  const u = Float64Array.of(25, 30);
  const status = new PanocOptimizer(problem, new PanocCache(2, 5)).solve(u, { tolerance: 1e-10 });
  assert.equal(status.exitStatus, "Converged");
  assert.ok(Math.abs(u[0] - 1) < 1e-8 && Math.abs(u[1] - 4) < 1e-8, `u = ${u}`);
});
