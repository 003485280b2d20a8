import assert from "node:assert/strict";
import { test } from "node:test";
import { almDemoProblem, penaltyProblem, rosenbrockGradient } from "../../examples/lowlevel.js";
import { Ball2, Halfspace, NoConstraints, Rectangle, Zero } from "../../src/sets/index.js";
import {
  type AlmProblem,
  AugmentedLagrangian,
  deriveSetY,
  isZeroOrOrthant,
  ParametricOptimizer,
  SolverConfiguration,
} from "../../src/solver/index.js";

function solved(optimizer: ParametricOptimizer, p: number[], guess?: number[]) {
  const result = optimizer.solve(p, { initialGuess: guess ?? null });
  if (!result.ok) throw result.error;
  return result.status;
}

test("penalty method: the projection of -(1,1,1) onto the unit sphere", () => {
  const problem: AlmProblem = {
    nu: 3,
    np: 0,
    n1: 0,
    n2: 1,
    cost: (u) => 0.5 * (u[0] ** 2 + u[1] ** 2 + u[2] ** 2) + u[0] + u[1] + u[2],
    gradient: (u, _p, g) => {
      for (let i = 0; i < 3; i++) g[i] = u[i] + 1;
    },
    mappingF2: (u, _p, out) => {
      out[0] = u[0] ** 2 + u[1] ** 2 + u[2] ** 2 - 1;
    },
    jacobianF2Transpose: (u, _p, w, out) => {
      for (let i = 0; i < 3; i++) out[i] = 2 * u[i] * w[0];
    },
  };
  const config = new SolverConfiguration({
    initialPenalty: 5000,
    penaltyWeightUpdateFactor: 2.2,
    tolerance: 1e-5,
    constraintsTolerance: 1e-6,
    maxOuterIterations: 50,
    maxInnerIterations: 2000,
  });
  const s = solved(new ParametricOptimizer(problem, config), []);
  assert.equal(s.exitStatus, "Converged");
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(s.solution[i] + 1 / Math.sqrt(3)) < 1e-5);
  assert.ok(Math.abs(s.cost - -1.2320508075688776) < 1e-5);
  assert.ok(s.f2Norm <= 1e-6);
});

test("n1 = n2 = 0: one PANOC solve (halfspace least-norm point)", () => {
  const n = [1, 2, 1, 5, 2];
  const problem: AlmProblem = {
    nu: 5,
    np: 0,
    n1: 0,
    n2: 0,
    cost: (u) => u.reduce((a, x) => a + x * x, 0),
    gradient: (u, _p, g) => {
      for (let i = 0; i < 5; i++) g[i] = 2 * u[i];
    },
    constraints: new Halfspace(n, -10.39),
  };
  const s = solved(
    new ParametricOptimizer(problem, new SolverConfiguration({ tolerance: 1e-10 })),
    [],
  );
  assert.equal(s.exitStatus, "Converged");
  assert.equal(s.numOuterIterations, 1);
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(s.solution[i] - (n[i] * -10.39) / 35) < 1e-8);
  assert.ok(Math.abs(s.cost - 3.0843457142857) < 1e-9);
});

test("OpEn's README penalty problem reproduces OpEn's counts", () => {
  const base = { tolerance: 1e-5, constraintsTolerance: 1e-4 };
  const s = solved(
    new ParametricOptimizer(penaltyProblem(), new SolverConfiguration(base)),
    [1, 10],
    [0, 0, 0, 0, 0],
  );
  assert.equal(s.exitStatus, "NotConvergedIterations");
  assert.equal(s.numOuterIterations, 10);
  assert.equal(s.numInnerIterations, 96);
  assert.ok(Math.abs(s.f2Norm - 0.1048) < 1e-3);
  const fast = new SolverConfiguration({
    ...base,
    penaltyWeightUpdateFactor: 10,
    maxOuterIterations: 50,
  });
  const t = solved(new ParametricOptimizer(penaltyProblem(), fast), [1, 10], [0, 0, 0, 0, 0]);
  assert.equal(t.exitStatus, "Converged");
  assert.equal(t.numOuterIterations, 8);
  assert.ok(t.numInnerIterations > 60 && t.numInnerIterations < 90, `${t.numInnerIterations}`);
  assert.ok(t.f2Norm <= 1e-4);
});

/** ||grad f + J_F1^T y|| for the ALM demo (the ball constraint is inactive at its solution). */
function demoStationarity(u: Float64Array, y: Float64Array): number {
  const g = new Float64Array(5);
  rosenbrockGradient(u, Float64Array.of(1, 10), g);
  g[0] += 1.5 * y[0];
  g[1] -= y[0];
  g[2] += Math.cos(u[2] + Math.PI / 5) * y[1];
  return Math.hypot(...g);
}

test("ALM demo: the demo settings converge to a KKT point", async () => {
  const { createOptimizer } = await import("../../examples/demo.js");
  const s = solved(createOptimizer(), [1, 10]);
  assert.equal(s.exitStatus, "Converged");
  const u = s.solution;
  assert.ok(Math.hypot(...u) < 1.5);
  assert.ok(Math.abs(1.5 * u[0] - u[1]) < 1e-4);
  assert.ok(Math.abs(Math.sin(u[2] + Math.PI / 5) - 0.5) < 1e-4);
  // The status's KKT residual is the gradient of the Lagrangian (u is inside U).
  const stationarity = demoStationarity(u, s.lagrangeMultipliers);
  assert.ok(Math.abs(s.kktStationarity - stationarity) < 1e-9 * (1 + stationarity));
  assert.ok(stationarity < 1e-2);
  // Within 1e-3 of the KKT point (a tight solve, 1e-10) and 1e-4 of its cost.
  const uStar = [0.0913638, 0.1370457, -0.1047198, 0.1008784, 0.0101764];
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(u[i] - uStar[i]) < 1e-3, `u[${i}]`);
  assert.ok(Math.abs(s.cost - 3.9981356) < 1e-4, `cost ${s.cost}`);
});

test("ALM demo with preconditioning reaches the same KKT point", () => {
  const config = new SolverConfiguration({
    tolerance: 1e-5,
    penaltyWeightUpdateFactor: 2,
    constraintsTolerance: 1e-5,
    maxOuterIterations: 30,
    preconditioning: true,
  });
  const s = solved(new ParametricOptimizer(almDemoProblem(), config), [1, 10]);
  assert.equal(s.exitStatus, "Converged");
  const u = s.solution;
  assert.ok(Math.abs(1.5 * u[0] - u[1]) < 1e-4);
  assert.ok(Math.abs(Math.sin(u[2] + Math.PI / 5) - 0.5) < 1e-4);
  assert.ok(demoStationarity(u, s.lagrangeMultipliers) < 1e-2);
});

test("preconditioning is refused for a set C that is neither Zero nor an orthant", () => {
  const problem = { ...almDemoProblem(), almSetC: new Ball2(0.1) };
  assert.throws(
    () => new ParametricOptimizer(problem, new SolverConfiguration({ preconditioning: true })),
    /preconditioning requires the set C to be Zero or an orthant/,
  );
  assert.equal(isZeroOrOrthant(new Zero()), true);
  assert.equal(isZeroOrOrthant(new Rectangle(null, [0, 0])), true);
  assert.equal(isZeroOrOrthant(new Rectangle([0, 0], [Infinity, Infinity])), true);
  assert.equal(isZeroOrOrthant(new Rectangle([0, -1], null)), false);
  // Coordinate by coordinate: {0}, [0, inf), (-inf, 0] and R mixed.
  const mixed = new Rectangle([0, 0, -Infinity, -Infinity], [0, Infinity, 0, Infinity]);
  assert.equal(isZeroOrOrthant(mixed), true);
  assert.equal(isZeroOrOrthant(new Rectangle([0, 0], [0, 1])), false);
});

test("preconditioning with a mixed orthant C gives the plain solution", () => {
  // min ||u - a||^2 / 2 with F1 = (u1 + u2 - 1, u1 - u2, 3 u3, u1) in
  // {0} x [0, inf) x (-inf, 0] x R, a = (2, 0.5, 1): u1 + u2 = 1, u1 >= u2,
  // u3 <= 0 give u* = (1.25, -0.25, 0) (the first two: projection of (2, 0.5)
  // on the line, where u1 >= u2 holds; the third: clipped).
  const a = [2, 0.5, 1];
  const problem: AlmProblem = {
    nu: 3,
    np: 0,
    n1: 4,
    n2: 0,
    cost: (u) => 0.5 * ((u[0] - a[0]) ** 2 + (u[1] - a[1]) ** 2 + (u[2] - a[2]) ** 2),
    gradient: (u, _p, g) => {
      for (let i = 0; i < 3; i++) g[i] = u[i] - a[i];
    },
    mappingF1: (u, _p, out) => {
      out[0] = u[0] + u[1] - 1;
      out[1] = u[0] - u[1];
      out[2] = 3 * u[2];
      out[3] = u[0];
    },
    jacobianF1Transpose: (_u, _p, v, out) => {
      out[0] = v[0] + v[1] + v[3];
      out[1] = v[0] - v[1];
      out[2] = 3 * v[2];
    },
    almSetC: new Rectangle([0, 0, -Infinity, -Infinity], [0, Infinity, 0, Infinity]),
  };
  for (const preconditioning of [false, true]) {
    const config = new SolverConfiguration({
      tolerance: 1e-8,
      constraintsTolerance: 1e-7,
      maxOuterIterations: 30,
      preconditioning,
    });
    const s = solved(new ParametricOptimizer(problem, config), [], [0, 0, 0]);
    assert.equal(s.exitStatus, "Converged");
    const expected = [1.25, -0.25, 0];
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(s.solution[i] - expected[i]) < 1e-5);
  }
});

test("derived Y: +-1e12 where C is bounded, 0 where unbounded; a ball otherwise", () => {
  const y = deriveSetY(new Rectangle([-1, -Infinity, 0], [Infinity, 2, 0]), 3);
  const x = Float64Array.of(-5e12, -5e12, -5e12);
  y.project(x);
  assert.deepEqual(Array.from(x), [-1e12, 0, -1e12]);
  const z = Float64Array.of(5e12, 5e12, 5e12);
  y.project(z);
  assert.deepEqual(Array.from(z), [0, 1e12, 1e12]);
  const ball = deriveSetY(new Zero(), 2);
  const w = Float64Array.of(3e12, -2);
  ball.project(w);
  assert.deepEqual(Array.from(w), [1e12, -2]);
  assert.equal(ball.isCompact(), true);
});

/** A problem with F1 (a box C) and F2, for the checks of psi. */
function boxAndPenaltyProblem(): AlmProblem {
  return {
    nu: 3,
    np: 1,
    n1: 2,
    n2: 2,
    cost: (u, p) => p[0] * u[0] ** 4 + Math.sin(u[1]) * u[2] + u[2] ** 2,
    gradient: (u, p, g) => {
      g[0] = 4 * p[0] * u[0] ** 3;
      g[1] = Math.cos(u[1]) * u[2];
      g[2] = Math.sin(u[1]) + 2 * u[2];
    },
    mappingF1: (u, _p, out) => {
      out[0] = u[0] * u[1] + u[2];
      out[1] = Math.exp(u[0]) - u[2];
    },
    jacobianF1Transpose: (u, _p, v, out) => {
      out[0] = u[1] * v[0] + Math.exp(u[0]) * v[1];
      out[1] = u[0] * v[0];
      out[2] = v[0] - v[1];
    },
    almSetC: new Rectangle([-0.5, -1], [0.5, 0.2]),
    mappingF2: (u, _p, out) => {
      out[0] = u[0] ** 2 - u[1];
      out[1] = Math.max(0, u[2] - 0.1);
    },
    jacobianF2Transpose: (u, _p, w, out) => {
      const a = u[2] - 0.1 > 0 ? w[1] : 0;
      out[0] = 2 * u[0] * w[0];
      out[1] = -w[0];
      out[2] = a;
    },
  };
}

test("grad psi agrees with central finite differences at random points, c < 1 and c > 1", () => {
  const problem = boxAndPenaltyProblem();
  // Seeded points in [-1, 1)^3 (an LCG), c below, at and above 1.
  let seed = 12345;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return (seed / 2 ** 32) * 2 - 1;
  };
  for (const c of [0.3, 1, 7, 0.05, 40]) {
    const psi = new AugmentedLagrangian(problem);
    psi.p[0] = 1.7;
    psi.y.set([0.4, -1.3]);
    psi.c = c;
    const u = Float64Array.of(rand(), rand(), rand());
    const g = new Float64Array(3);
    const value = psi.costAndGradient(u, g);
    assert.ok(Math.abs(value - psi.cost(u)) < 1e-12);
    for (let i = 0; i < 3; i++) {
      const h = 1e-6;
      const up = Float64Array.from(u);
      const dn = Float64Array.from(u);
      up[i] += h;
      dn[i] -= h;
      const fd = (psi.cost(up) - psi.cost(dn)) / (2 * h);
      assert.ok(
        Math.abs(fd - g[i]) < 1e-6 * (1 + Math.abs(g[i])),
        `c=${c} i=${i}: ${fd} vs ${g[i]}`,
      );
    }
  }
});

test("psi from the separate functions is bit for bit psi from a fused pair doing the same operations in the same order", () => {
  const separate = boxAndPenaltyProblem();
  const { cost, gradient, mappingF1, mappingF2, jacobianF1Transpose, jacobianF2Transpose } =
    separate;
  const jtw = new Float64Array(3);
  const fused: AlmProblem = {
    ...separate,
    costAndMappings: (u, p, out) => {
      out[0] = cost(u, p);
      mappingF1?.(u, p, out.subarray(1, 3));
      mappingF2?.(u, p, out.subarray(3));
    },
    lagrangianGradient: (u, p, w, out) => {
      gradient(u, p, out);
      for (let i = 0; i < 3; i++) out[i] *= w[0];
      jacobianF1Transpose?.(u, p, w.subarray(1, 3), jtw);
      for (let i = 0; i < 3; i++) out[i] += jtw[i];
      jacobianF2Transpose?.(u, p, w.subarray(3), jtw);
      for (let i = 0; i < 3; i++) out[i] += jtw[i];
    },
  };
  for (const c of [0.3, 7, 40]) {
    const [a, b] = [fused, separate].map((problem) => {
      const psi = new AugmentedLagrangian(problem);
      psi.p[0] = 1.7;
      psi.y.set([0.4, -1.3]);
      psi.c = c;
      // preconditioning scales, so that every weight enters
      psi.wf = 0.3;
      psi.w1.set([0.5, 2]);
      psi.w2.set([0.7, 1.5]);
      return psi;
    });
    for (const u of [Float64Array.of(0.2, -0.7, 0.9), Float64Array.of(-0.4, 0.3, -0.1)]) {
      assert.equal(a.cost(u), b.cost(u), `c = ${c}: cost`);
      const ga = new Float64Array(3);
      const gb = new Float64Array(3);
      assert.equal(a.costAndGradient(u, ga), b.costAndGradient(u, gb));
      assert.deepEqual(ga, gb, `c = ${c}: gradient`);
      a.gradient(u, ga);
      assert.deepEqual(ga, gb);
      const ya = new Float64Array(2);
      const yb = new Float64Array(2);
      a.evaluateConstraints(u);
      b.evaluateConstraints(u);
      assert.equal(a.multiplierUpdate(ya), b.multiplierUpdate(yb));
      assert.deepEqual(ya, yb);
      assert.equal(a.penaltyResidual(), b.penaltyResidual());
      assert.ok(b.penaltyResidual() > 0);
    }
  }
  assert.throws(
    () => new ParametricOptimizer({ ...fused, lagrangianGradient: undefined }),
    /lagrangianGradient must be a function when costAndMappings is given/,
  );
});

test("exit statuses of the outer loop", () => {
  const outer = new SolverConfiguration({ maxOuterIterations: 1 });
  const a = solved(new ParametricOptimizer(penaltyProblem(), outer), [1, 10]);
  assert.equal(a.exitStatus, "NotConvergedIterations");
  assert.equal(a.numOuterIterations, 1);
  const inner = new SolverConfiguration({ maxInnerIterations: 1, maxOuterIterations: 3 });
  const b = solved(new ParametricOptimizer(almDemoProblem(), inner), [1, 10]);
  assert.equal(b.exitStatus, "NotConvergedIterations");
  assert.equal(b.numInnerIterations, 3);
  const spin = (us: number) => {
    const t = performance.now() + us / 1000;
    while (performance.now() < t) {}
  };
  const base = almDemoProblem();
  const slow: AlmProblem = {
    ...base,
    gradient: (u, p, g) => {
      spin(100);
      base.gradient(u, p, g);
    },
  };
  const timed = new SolverConfiguration({
    maxDurationMicros: 2000,
    tolerance: 1e-8,
    maxOuterIterations: 100,
  });
  const c = solved(new ParametricOptimizer(slow, timed), [1, 10]);
  assert.equal(c.exitStatus, "NotConvergedOutOfTime");
  assert.ok(c.numInnerIterations < 20);
});

test("problem validation at construction", () => {
  const demo = almDemoProblem();
  const cases: [AlmProblem, RegExp][] = [
    [{ ...demo, nu: 0 }, /nu must be an integer >= 1/],
    [{ ...demo, n1: -1 }, /n1 must be an integer >= 0/],
    [{ ...demo, mappingF1: undefined }, /mappingF1 must be a function when n1 > 0/],
    [{ ...demo, jacobianF1Transpose: undefined }, /jacobianF1Transpose must be a function/],
    [{ ...demo, almSetC: undefined }, /almSetC \(the set C\) is required/],
    [{ ...demo, almSetY: new NoConstraints() }, /the set Y \(almSetY\) must be compact/],
    [
      { ...demo, almSetC: new Rectangle([0, 0, 0], [1, 1, 1]) },
      /the set C \(almSetC\) has dimension 3, expected 2/,
    ],
    [
      { ...demo, constraints: new Ball2(1, [0, 0]) },
      /the set U \(constraints\) has dimension 2, expected 5/,
    ],
    [{ ...penaltyProblem(), mappingF2: undefined }, /mappingF2 must be a function when n2 > 0/],
  ];
  for (const [problem, message] of cases) {
    assert.throws(() => new ParametricOptimizer(problem), message);
  }
  const nonconvex = {
    dimension: undefined,
    project: () => {},
    isConvex: () => false,
    isCompact: () => false,
  };
  assert.throws(() => new ParametricOptimizer({ ...demo, almSetC: nonconvex }), /must be convex/);
});

test("preconditioning a badly scaled problem gives the solution found without it", () => {
  // min 1e4 ((u1 - 1)^2 + (u2 - 2)^2) s.t. 1e3 (u1 + u2 - 1) = 0: the projection of
  // (1, 2) onto the line u1 + u2 = 1, i.e. u* = (0, 1), multiplier y* = 20.
  const problem: AlmProblem = {
    nu: 2,
    np: 0,
    n1: 1,
    n2: 0,
    cost: (u) => 1e4 * ((u[0] - 1) ** 2 + (u[1] - 2) ** 2),
    gradient: (u, _p, g) => {
      g[0] = 2e4 * (u[0] - 1);
      g[1] = 2e4 * (u[1] - 2);
    },
    mappingF1: (u, _p, out) => {
      out[0] = 1e3 * (u[0] + u[1] - 1);
    },
    jacobianF1Transpose: (_u, _p, v, out) => {
      out[0] = 1e3 * v[0];
      out[1] = 1e3 * v[0];
    },
    almSetC: new Zero(),
  };
  const base = {
    tolerance: 1e-6,
    constraintsTolerance: 1e-7,
    maxOuterIterations: 50,
  };
  const plain = solved(new ParametricOptimizer(problem, new SolverConfiguration(base)), []);
  const scaled = solved(
    new ParametricOptimizer(problem, new SolverConfiguration({ ...base, preconditioning: true })),
    [],
  );
  // The tolerances apply to the scaled problem (wf = 5e-5, w1 = 1e-3).
  assert.equal(scaled.exitStatus, "Converged");
  assert.ok(Math.abs(scaled.solution[0]) < 1e-5 && Math.abs(scaled.solution[1] - 1) < 1e-5);
  assert.ok(Math.abs(scaled.lagrangeMultipliers[0] - 20) < 1e-2);
  assert.ok(Math.abs(plain.solution[0] - scaled.solution[0]) < 1e-5);
  assert.ok(Math.abs(plain.solution[1] - scaled.solution[1]) < 1e-5);
  assert.ok(Math.abs(plain.cost - scaled.cost) < 1e-1);
  // Without scaling, gamma ~ 1e-9 makes ||r|| < 1e-6 hold at once, far from
  // stationary: the KKT residual says so, within its bound 2 ||r|| / gamma.
  assert.ok(plain.kktStationarity > 1e3);
  assert.ok(plain.kktStationarity <= 2 * plain.lastProblemStationarity);
  assert.ok(scaled.kktStationarity < 1);
});
