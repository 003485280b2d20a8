import assert from "node:assert/strict";
import { test } from "node:test";
import { Ball2, Halfspace, Rectangle } from "../../src/sets/index.js";
import { DeadlineClock } from "../../src/solver/forwardBackward/index.js";
import {
  FbsCache,
  FbsOptimizer,
  PanocCache,
  PanocOptimizer,
  PanocProblem,
  SolverError,
} from "../../src/solver/index.js";

const quadCost = (u: Float64Array) =>
  0.5 * (u[0] * u[0] + 2 * u[1] * u[1] + 2 * u[0] * u[1]) + u[0] - u[1] + 3;
const quadGrad = (u: Float64Array, g: Float64Array) => {
  g[0] = u[0] + u[1] + 1;
  g[1] = 2 * u[1] + u[0] - 1;
};

test("PANOC: OpEn's quadratic on Ball2(0.2) to 1e-8", () => {
  const problem = new PanocProblem(2, quadCost, quadGrad, new Ball2(0.2));
  const panoc = new PanocOptimizer(problem, new PanocCache(2, 5));
  const u = new Float64Array(2);
  const status = panoc.solve(u, { tolerance: 1e-9 });
  assert.equal(status.exitStatus, "Converged");
  assert.ok(Math.abs(u[0] - -0.14895971825577) < 1e-8);
  assert.ok(Math.abs(u[1] - 0.13345786727339) < 1e-8);
  assert.ok(status.normFpr < 1e-9);
});

const rosenbrock = (b: number) =>
  new PanocProblem(
    2,
    (u) => (1 - u[0]) ** 2 + b * (u[1] - u[0] * u[0]) ** 2,
    (u, g) => {
      const d = u[1] - u[0] * u[0];
      g[0] = 2 * (u[0] - 1) - 4 * b * u[0] * d;
      g[1] = 2 * b * d;
    },
    new Ball2(1),
  );

test("PANOC: Rosenbrock on Ball2(1) (OpEn's answers for b = 100 and b = 200)", () => {
  // OpEn's own test: memory 2, tolerance 1e-12, fewer than 50 iterations.
  const panoc = new PanocOptimizer(rosenbrock(100), new PanocCache(2, 2));
  const u = Float64Array.of(-1.5, 0.9);
  const status = panoc.solve(u, { tolerance: 1e-12, maxIterations: 50 });
  assert.equal(status.exitStatus, "Converged");
  assert.ok(Math.abs(u[0] - 0.78641515) < 1e-6 && Math.abs(u[1] - 0.61769831) < 1e-6);
  const panoc200 = new PanocOptimizer(rosenbrock(200), new PanocCache(2, 10));
  const v = Float64Array.of(-1.5, 0.9);
  const s200 = panoc200.solve(v, { tolerance: 1e-8, maxIterations: 100 });
  assert.equal(s200.exitStatus, "Converged");
  assert.ok(Math.abs(v[0] - 0.78628341) < 1e-6 && Math.abs(v[1] - 0.61786601) < 1e-6);
  // The solution is on the boundary of the ball.
  assert.ok(Math.abs(Math.hypot(v[0], v[1]) - 1) < 1e-9);
});

test("PANOC: least-norm point of a halfspace", () => {
  const n = [1, 2, 1, 5, 2];
  const problem = new PanocProblem(
    5,
    (u) => u.reduce((a, x) => a + x * x, 0),
    (u, g) => {
      for (let i = 0; i < 5; i++) g[i] = 2 * u[i];
    },
    new Halfspace(n, -10.39),
  );
  const u = new Float64Array(5);
  const status = new PanocOptimizer(problem, new PanocCache(5, 10)).solve(u, { tolerance: 1e-10 });
  assert.equal(status.exitStatus, "Converged");
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(u[i] - (n[i] * -10.39) / 35) < 1e-8);
  assert.ok(Math.abs(status.cost - 3.0843457142857) < 1e-9);
});

test("PANOC: the cache is reusable and solves are repeatable bit for bit", () => {
  const panoc = new PanocOptimizer(rosenbrock(200), new PanocCache(2, 10));
  const a = Float64Array.of(-1.5, 0.9);
  const sa = panoc.solve(a, { tolerance: 1e-8 });
  const b = Float64Array.of(-1.5, 0.9);
  const sb = panoc.solve(b, { tolerance: 1e-8 });
  assert.deepEqual(Array.from(a), Array.from(b));
  assert.deepEqual(sa, sb);
});

test("PANOC: iteration and time limits; the returned point is the best u_bar, inside U", () => {
  const panoc = new PanocOptimizer(rosenbrock(200), new PanocCache(2, 10));
  const u = Float64Array.of(-1.5, 0.9);
  const status = panoc.solve(u, { tolerance: 1e-12, maxIterations: 3 });
  assert.equal(status.exitStatus, "NotConvergedIterations");
  assert.equal(status.iterations, 3);
  assert.ok(Math.hypot(u[0], u[1]) <= 1 + 1e-12);
  const spin = (us: number) => {
    const t = performance.now() + us / 1000;
    while (performance.now() < t) {}
  };
  const slow = new PanocProblem(
    2,
    (x) => (1 - x[0]) ** 2 + 200 * (x[1] - x[0] * x[0]) ** 2,
    (x, g) => {
      spin(50);
      const d = x[1] - x[0] * x[0];
      g[0] = 2 * (x[0] - 1) - 800 * x[0] * d;
      g[1] = 400 * d;
    },
  );
  const v = Float64Array.of(-1.5, 0.9);
  const s = new PanocOptimizer(slow, new PanocCache(2, 10)).solve(v, {
    tolerance: 1e-14,
    maxIterations: 10000,
    maxDurationMicros: 300,
  });
  assert.equal(s.exitStatus, "NotConvergedOutOfTime");
  assert.ok(s.iterations < 10);
});

test("PANOC: a non-finite cost or a throwing function is a SolverError", () => {
  // The cost turns NaN once |u| < 0.5: from u0 = 3 the iterates reach the
  // edge u = 0.5, where the gradient still points inside and no step is finite.
  const nan = new PanocProblem(
    1,
    (u) => (Math.abs(u[0]) < 0.5 ? Number.NaN : u[0] * u[0]),
    (u, g) => {
      g[0] = 2 * u[0];
    },
  );
  const u = Float64Array.of(3);
  assert.throws(
    () => new PanocOptimizer(nan, new PanocCache(1, 3)).solve(u),
    (e: unknown) =>
      e instanceof SolverError &&
      /^the cost is not finite at iteration \d+ for any forward-backward step/.test(e.message),
  );
  const throwing = new PanocProblem(
    1,
    (x) => x[0] * x[0],
    () => {
      throw new Error("boom");
    },
  );
  assert.throws(
    () => new PanocOptimizer(throwing, new PanocCache(1, 3)).solve(Float64Array.of(1)),
    (e: unknown) => e instanceof SolverError && e.message === "a problem function threw: boom",
  );
  const infGrad = new PanocProblem(
    1,
    (x) => x[0] * x[0],
    (_x, g) => {
      g[0] = Number.POSITIVE_INFINITY;
    },
  );
  assert.throws(
    () => new PanocOptimizer(infGrad, new PanocCache(1, 3)).solve(Float64Array.of(1)),
    /: the gradient is not finite at the start point \(iteration 0\)$/,
  );
});

test("FBS: convex quadratic on a box agrees with the closed form", () => {
  // f = (1/2) u'Qu - b'u with Q diagonal: the box solution is clip(b_i / q_i).
  const q = [1, 4, 0.5, 2];
  const b = [3, -2, 0.1, 1];
  const box = new Rectangle([-1, -0.25, -1, -1], [1, 1, 1, 0.3]);
  const problem = new PanocProblem(
    4,
    (u) => u.reduce((a, x, i) => a + 0.5 * q[i] * x * x - b[i] * x, 0),
    (u, g) => {
      for (let i = 0; i < 4; i++) g[i] = q[i] * u[i] - b[i];
    },
    box,
  );
  const u = new Float64Array(4);
  const status = new FbsOptimizer(problem, new FbsCache(4)).solve(u, {
    tolerance: 1e-12,
    maxIterations: 5000,
  });
  assert.equal(status.exitStatus, "Converged");
  const expected = [1, -0.25, 0.2, 0.3];
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(u[i] - expected[i]) < 1e-10, `u[${i}] = ${u[i]}`);
});

test("FBS: the PANOC quadratic on Ball2(0.2)", () => {
  const problem = new PanocProblem(2, quadCost, quadGrad, new Ball2(0.2));
  const u = new Float64Array(2);
  const status = new FbsOptimizer(problem, new FbsCache(2)).solve(u, { tolerance: 1e-11 });
  assert.equal(status.exitStatus, "Converged");
  assert.ok(Math.abs(u[0] - -0.14895971825577) < 1e-9);
  assert.ok(Math.abs(u[1] - 0.13345786727339) < 1e-9);
});

test("PANOC: a trial point with a non-finite cost shrinks the step instead of failing", () => {
  // f = sum u_i - log u_i (NaN for u_i < 0, minimizer (1, 1)); from (50, 0.5)
  // the L-BFGS steps overshoot into u_i < 0 several times.
  let nonFinite = 0;
  const problem = new PanocProblem(
    2,
    (u) => {
      const f = u[0] - Math.log(u[0]) + u[1] - Math.log(u[1]);
      if (!Number.isFinite(f)) nonFinite++;
      return f;
    },
    (u, g) => {
      g[0] = 1 - 1 / u[0];
      g[1] = 1 - 1 / u[1];
    },
  );
  const u = Float64Array.of(50, 0.5);
  const status = new PanocOptimizer(problem, new PanocCache(2, 5)).solve(u, { tolerance: 1e-8 });
  assert.ok(nonFinite > 0);
  assert.equal(status.exitStatus, "Converged");
  assert.ok(Math.abs(u[0] - 1) < 1e-6 && Math.abs(u[1] - 1) < 1e-6);
});

test("PANOC: run returns the statistics that solve reports, in a record reused by the next run", () => {
  const panoc = new PanocOptimizer(rosenbrock(200), new PanocCache(2, 10));
  const u = Float64Array.of(-1.5, 0.9);
  const status = panoc.solve(u, { tolerance: 1e-8, maxIterations: 100 });
  const v = Float64Array.of(-1.5, 0.9);
  const inf = Number.POSITIVE_INFINITY;
  const stats = panoc.run(v, 1e-8, 100, inf, inf, undefined, 1);
  const { cost, ...expected } = status;
  assert.deepEqual({ ...stats }, expected);
  assert.deepEqual(v, u);
  assert.equal(cost, rosenbrock(200).cost(u));
  const again = panoc.run(Float64Array.of(-1.5, 0.9), 1e-3, 100, inf, inf, undefined, 1);
  assert.equal(again, stats);
  assert.ok(again.iterations < status.iterations && again.normFpr < 1e-3);
});

test("DeadlineClock: slow iterations are checked every time, fast ones in strides", () => {
  const busy = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end) {}
  };
  /** Calls made after the deadline before the clock said so, with `work` between calls. */
  const missed = (work: () => void): number => {
    const clock = new DeadlineClock();
    const deadline = performance.now() + 3;
    clock.start(deadline);
    let late = 0;
    for (;;) {
      const due = performance.now() > deadline;
      if (clock.passed()) return late;
      if (due) late++;
      work();
    }
  };
  // Iterations of 0.3 ms: the clock is read at every one.
  assert.equal(
    missed(() => busy(0.3)),
    0,
  );
  // Fast iterations: read in strides of at most 64.
  assert.ok(missed(() => {}) < 64);
  const never = new DeadlineClock();
  never.start(Number.POSITIVE_INFINITY);
  for (let i = 0; i < 1000; i++) assert.equal(never.passed(), false);
});
