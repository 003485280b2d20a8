import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  almDemoProblem,
  penaltyProblem as handPenaltyProblem,
  rosenbrockCost,
  rosenbrockGradient,
} from "../../examples/lowlevel.js";
import {
  bicycleMpcProblem,
  demoProblem,
  demoSolverConfiguration,
  penaltyProblem,
  rosenbrockBallProblem,
} from "../../examples/problems.js";
import { OptimizerBuilder, Problem } from "../../src/problem/index.js";
import type { Constraint } from "../../src/sets/index.js";
import { Ball2, Halfspace, Rectangle } from "../../src/sets/index.js";
import {
  type AlmProblem,
  ParametricOptimizer,
  SolverConfiguration,
  type SolverStatus,
} from "../../src/solver/index.js";
import { add, dot, mul, norm2Squared, sub, sum, sym } from "../../src/symbolic/index.js";

function solved(optimizer: ParametricOptimizer, p: number[]): SolverStatus {
  const result = optimizer.solve(p);
  if (!result.ok) throw result.error;
  return result.status;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol,
      `entry ${i}: ${actual[i]} vs ${expected[i]} (tolerance ${tol})`,
    );
  }
}

// a small deterministic generator (xorshift), values in [-1, 1)
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 31 - 1;
  };
}

function build(
  problem: Problem,
  settings: ConstructorParameters<typeof SolverConfiguration>[0] = {},
) {
  return new OptimizerBuilder(
    problem,
    undefined,
    undefined,
    new SolverConfiguration(settings),
  ).buildInMemory();
}

describe("OptimizerBuilder.buildInMemory: OpEn's known answers", () => {
  it("Rosenbrock on Ball2(1)", () => {
    const s = solved(build(rosenbrockBallProblem(), { tolerance: 1e-8 }), []);
    assert.equal(s.exitStatus, "Converged");
    assertClose(s.solution, [0.78641515, 0.61769831], 1e-6);
  });

  it("PANOC on a quadratic over Ball2(0.2)", () => {
    const u = sym("u", 2);
    const f = add(
      mul(0.5, add(add(mul(u[0], u[0]), mul(2, mul(u[1], u[1]))), mul(2, mul(u[0], u[1])))),
      add(sub(u[0], u[1]), 3),
    );
    const pr = new Problem(u, [], f).withConstraints(new Ball2(0.2));
    const s = solved(build(pr, { tolerance: 1e-9, lbfgsMemory: 5 }), []);
    assertClose(s.solution, [-0.14895971825577, 0.13345786727339], 1e-9);
  });

  it("penalty method: u* = -(1/sqrt 3)(1, 1, 1)", () => {
    const u = sym("u", 3);
    const pr = new Problem(u, [], add(mul(0.5, norm2Squared(u)), sum(u))).withPenaltyConstraints([
      sub(norm2Squared(u), 1),
    ]);
    const s = solved(
      build(pr, {
        initialPenalty: 5000,
        penaltyWeightUpdateFactor: 2.2,
        tolerance: 1e-5,
        constraintsTolerance: 1e-6,
      }),
      [],
    );
    assert.equal(s.exitStatus, "Converged");
    const c = -1 / Math.sqrt(3);
    assertClose(s.solution, [c, c, c], 1e-4);
    assert.ok(Math.abs(s.cost - -1.2320508075688776) < 1e-4);
  });

  const n = [1, 2, 1, 5, 2];
  const b = -10.39;
  const expected = n.map((ni) => (ni * b) / 35);

  it("halfspace least norm, U = the halfspace", () => {
    const u = sym("u", 5);
    const pr = new Problem(u, [], norm2Squared(u)).withConstraints(new Halfspace(n, b));
    const s = solved(build(pr, { tolerance: 1e-10 }), []);
    assertClose(s.solution, expected, 1e-8);
    assert.ok(Math.abs(s.cost - 3.0843457142857) < 1e-10);
  });

  it("halfspace least norm as an ALM constraint <n, u> in (-inf, b], parameter b", () => {
    const u = sym("u", 5);
    const p = sym("p", 1);
    const pr = new Problem(u, p, norm2Squared(u)).withAugLagrangianConstraints(
      [sub(dot(n, u), p[0])],
      new Rectangle(null, [0]),
    );
    const s = solved(
      build(pr, { tolerance: 1e-8, constraintsTolerance: 1e-8, maxOuterIterations: 50 }),
      [b],
    );
    assert.equal(s.exitStatus, "Converged");
    assertClose(s.solution, expected, 1e-5);
    // the multiplier of <n,u> <= b: 2u = -y n, so y = -2u_1/n_1 = 2 * 10.39 / 35
    assertClose(s.lagrangeMultipliers, [(2 * 10.39) / 35], 1e-4);
  });
});

describe("generated functions against the hand-written ones of examples/lowlevel.ts", () => {
  const next = random(42);
  const vec = (k: number, scale = 1) => Float64Array.from({ length: k }, () => scale * next());

  function compare(generated: AlmProblem, hand: AlmProblem): void {
    const g1 = new Float64Array(5);
    const g2 = new Float64Array(5);
    for (let trial = 0; trial < 20; trial++) {
      const u = vec(5, 2);
      const p = Float64Array.of(1 + next(), 10 + 5 * next());
      assert.ok(
        Math.abs(generated.cost(u, p) - rosenbrockCost(u, p)) <= 1e-12 * (1 + hand.cost(u, p)),
      );
      generated.gradient(u, p, g1);
      rosenbrockGradient(u, p, g2);
      assertClose(g1, g2, 1e-11 * (1 + Math.max(...g2.map(Math.abs))));
      for (const [F, J, k] of [
        ["mappingF1", "jacobianF1Transpose", hand.n1],
        ["mappingF2", "jacobianF2Transpose", hand.n2],
      ] as const) {
        if (k === 0) continue;
        const f1 = new Float64Array(k);
        const f2 = new Float64Array(k);
        generated[F]?.(u, p, f1);
        hand[F]?.(u, p, f2);
        assertClose(f1, f2, 1e-14);
        const v = vec(k);
        generated[J]?.(u, p, v, g1);
        hand[J]?.(u, p, v, g2);
        assertClose(g1, g2, 1e-14);
      }
      // The fused pair: (f, F1, F2) and w0 grad f + J_F1^T w1 + J_F2^T w2.
      const { n1, n2 } = hand;
      const values = new Float64Array(1 + n1 + n2);
      generated.costAndMappings?.(u, p, values);
      const expected = new Float64Array(1 + n1 + n2);
      expected[0] = hand.cost(u, p);
      if (n1 > 0) hand.mappingF1?.(u, p, expected.subarray(1, 1 + n1));
      if (n2 > 0) hand.mappingF2?.(u, p, expected.subarray(1 + n1));
      assertClose(values, expected, 1e-12 * (1 + Math.abs(expected[0])));
      const w = vec(1 + n1 + n2);
      generated.lagrangianGradient?.(u, p, w, g1);
      hand.gradient(u, p, g2);
      const jtw = new Float64Array(5);
      for (let i = 0; i < 5; i++) g2[i] *= w[0];
      if (n1 > 0) hand.jacobianF1Transpose?.(u, p, w.subarray(1, 1 + n1), jtw);
      for (let i = 0; n1 > 0 && i < 5; i++) g2[i] += jtw[i];
      if (n2 > 0) hand.jacobianF2Transpose?.(u, p, w.subarray(1 + n1), jtw);
      for (let i = 0; n2 > 0 && i < 5; i++) g2[i] += jtw[i];
      assertClose(g1, g2, 1e-11 * (1 + Math.max(...g2.map(Math.abs))));
    }
  }

  it("the README penalty problem: cost, gradient, F2, J_F2^T w, and the fused pair", () => {
    compare(build(penaltyProblem()).problem, handPenaltyProblem());
  });

  it("the protocol demo: cost, gradient, F1, J_F1^T y, and the fused pair", () => {
    compare(build(demoProblem()).problem, almDemoProblem());
  });

  it("the README penalty problem takes the same iterations as the hand-written one", () => {
    const hand = solved(new ParametricOptimizer(handPenaltyProblem()), [1, 10]);
    const gen = solved(build(penaltyProblem()), [1, 10]);
    assert.equal(gen.exitStatus, hand.exitStatus);
    assert.equal(gen.numOuterIterations, hand.numOuterIterations);
    assert.equal(gen.numInnerIterations, hand.numInnerIterations);
    assert.equal(gen.penalty, hand.penalty);
    assertClose(gen.solution, hand.solution, 1e-9);
  });

  it("the protocol demo converges with the settings of examples/demo.ts, as the hand-written one", () => {
    const hand = solved(
      new ParametricOptimizer(almDemoProblem(), demoSolverConfiguration),
      [1, 10],
    );
    const gen = solved(
      new OptimizerBuilder(
        demoProblem(),
        undefined,
        undefined,
        demoSolverConfiguration,
      ).buildInMemory(),
      [1, 10],
    );
    assert.equal(gen.exitStatus, "Converged");
    assert.equal(gen.numOuterIterations, hand.numOuterIterations);
    assert.equal(gen.numInnerIterations, hand.numInnerIterations);
    assertClose(gen.solution, hand.solution, 1e-9);
    assertClose(gen.lagrangeMultipliers, hand.lagrangeMultipliers, 1e-6);
  });
});

describe("the bicycle MPC", () => {
  it("has the gradient of its cost (central differences)", () => {
    const opt = build(bicycleMpcProblem({ horizon: 10 }));
    const next = random(7);
    const u = Float64Array.from({ length: 20 }, () => next());
    const p = Float64Array.of(0.1, -0.2, 0.3, 2, 1, 0.5);
    const g = new Float64Array(20);
    opt.problem.gradient(u, p, g);
    for (let i = 0; i < 20; i++) {
      const h = 1e-6;
      const up = Float64Array.from(u);
      const um = Float64Array.from(u);
      up[i] += h;
      um[i] -= h;
      const fd = (opt.problem.cost(up, p) - opt.problem.cost(um, p)) / (2 * h);
      assert.ok(Math.abs(g[i] - fd) <= 1e-5 * (1 + Math.abs(fd)), `entry ${i}: ${g[i]} vs ${fd}`);
    }
  });

  it("converges (horizon 50) to a point satisfying the projected-gradient optimality condition", () => {
    const opt = build(bicycleMpcProblem(), { tolerance: 1e-5, maxInnerIterations: 2000 });
    const p = Float64Array.of(0, 0, 0, 2, 1, 0);
    const s = solved(opt, Array.from(p));
    assert.equal(s.exitStatus, "Converged");
    // u* = Pi_U(u* - grad f(u*)) at a stationary point; measured independently of the solver
    const g = new Float64Array(100);
    opt.problem.gradient(s.solution, p, g);
    const step = Float64Array.from(s.solution, (x, i) => x - g[i]);
    (opt.problem.constraints as Constraint).project(step);
    for (let i = 0; i < 100; i++) assert.ok(Math.abs(step[i] - s.solution[i]) < 1e-2);
    for (let t = 0; t < 50; t++) {
      assert.ok(s.solution[2 * t] >= -1 && s.solution[2 * t] <= 2);
      assert.ok(Math.abs(s.solution[2 * t + 1]) <= 0.6);
    }
  });
});

describe("generatedCode: what the TCP server may solve on its event loop", () => {
  it("is true with the library's sets, false with a set of the user's", () => {
    const u = sym("u", 2);
    const mine: Constraint = {
      dimension: undefined,
      project: (x) => {
        x[0] = Math.min(x[0], 1);
      },
      isConvex: () => true,
      isCompact: () => false,
    };
    const library = build(new Problem(u, [], norm2Squared(u)).withConstraints(new Ball2(1)));
    const users = build(new Problem(u, [], norm2Squared(u)).withConstraints(mine));
    assert.equal(library.generatedCode, true);
    assert.equal(users.generatedCode, false);
    // the user's set still solves (in the worker, on a server)
    assert.equal(solved(users, []).exitStatus, "Converged");
  });
});
