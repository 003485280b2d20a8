/** The lowered problem: its values against the hand-written model, its sets, its derivatives. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Ball2,
  BallInf,
  CartesianProduct,
  NoConstraints,
  OcpBuilder,
  OptimalControlProblem,
  Rectangle,
  sq,
  Zero,
} from "../../src/index.js";
import type { AlmProblem } from "../../src/solver/types.js";
import { random } from "../symbolic/fixtures.js";
import {
  GETTING_STARTED_VALUES,
  gettingStarted,
  handCost,
  handRollout,
  maxDiff,
  GETTING_STARTED_HORIZON as N,
} from "./fixtures.js";

function lowLevel(ocp: Pick<OptimalControlProblem, "lower">) {
  const optimizer = new OcpBuilder(ocp).buildInMemory();
  return { optimizer, problem: optimizer.optimizer.problem };
}

function evaluate(f: (u: Float64Array, p: Float64Array, out: Float64Array) => void, n: number) {
  return (u: Float64Array, p: Float64Array) => {
    const out = new Float64Array(n);
    f(u, p, out);
    return Array.from(out);
  };
}

describe("lowering of the getting-started OCP", () => {
  const rand = random(7);
  const u = Array.from({ length: N }, () => 0.4 * rand() - 0.2);
  const { x } = handRollout(u);

  it("single shooting: cost, F1 = x_t[2] - xmin for t = 0..N-1, U and C each one box", () => {
    const { optimizer, problem } = lowLevel(gettingStarted("single"));
    const p = optimizer.packParameters(GETTING_STARTED_VALUES);
    assert.deepEqual(Array.from(p), [0.4, 0.2, 0, 0, 30, 1, 0.8, -0.2]);
    const U = Float64Array.from(u);
    assert.ok(Math.abs(problem.cost(U, p) - handCost(u)) < 1e-12 * handCost(u));
    const F1 = evaluate(problem.mappingF1 as never, N)(U, p);
    assert.ok(
      maxDiff(
        F1,
        x.slice(0, N).map((s) => s[1] + 0.2),
      ) < 1e-14,
    );
    assert.deepEqual([problem.nu, problem.np, problem.n1, problem.n2], [N, 8, N, 0]);
    assert.ok(problem.constraints instanceof Rectangle);
    assert.deepEqual(Array.from(problem.constraints.xmin ?? []), new Array(N).fill(-0.2));
    assert.ok(problem.almSetC instanceof Rectangle);
    assert.equal(problem.almSetC.dimension, N);
  });

  it("multiple shooting at the rolled-out states: same cost, zero dynamics defects", () => {
    for (const kind of ["penalty", "alm"] as const) {
      const { optimizer, problem } = lowLevel(gettingStarted("multiple", kind));
      const p = optimizer.packParameters(GETTING_STARTED_VALUES);
      const z = Float64Array.from(u.flatMap((ut, t) => [ut, ...x[t + 1]]));
      assert.equal(problem.nu, 3 * N);
      assert.ok(Math.abs(problem.cost(z, p) - handCost(u)) < 1e-12 * handCost(u));
      if (kind === "penalty") {
        assert.equal(problem.n2, 2 * N);
        assert.ok(
          Math.max(...evaluate(problem.mappingF2 as never, 2 * N)(z, p).map(Math.abs)) < 1e-15,
        );
        assert.equal(problem.n1, N);
      } else {
        assert.equal(problem.n2, 0);
        const F1 = evaluate(problem.mappingF1 as never, 3 * N)(z, p);
        // Path constraints of every stage first, then the dynamics defects.
        assert.ok(
          maxDiff(
            F1.slice(0, N),
            x.slice(0, N).map((s) => s[1] + 0.2),
          ) < 1e-14,
        );
        assert.ok(Math.max(...F1.slice(N).map(Math.abs)) < 1e-15);
        const C = problem.almSetC as Rectangle;
        assert.ok(C instanceof Rectangle, "the orthant and the zero block merge into one box");
        assert.deepEqual(Array.from(C.xmin ?? []), new Array(3 * N).fill(0));
        assert.deepEqual(Array.from(C.xmax ?? []), [
          ...new Array(N).fill(Infinity),
          ...new Array(2 * N).fill(0),
        ]);
      }
      // Inputs boxed, states free: one Rectangle with infinite bounds on the states.
      const U = problem.constraints as Rectangle;
      assert.ok(U instanceof Rectangle);
      assert.deepEqual(Array.from(U.xmax ?? []).slice(0, 4), [0.2, Infinity, Infinity, 0.2]);
    }
  });
});

/** Central differences of the cost and of v^T F against the generated gradient and J^T v. */
function checkDerivatives(problem: AlmProblem, p: Float64Array, seed: number) {
  const rand = random(seed);
  const u = Float64Array.from({ length: problem.nu }, () => rand() - 0.5);
  const h = 1e-6;
  const fd = (f: (w: Float64Array) => number) =>
    Array.from(u, (_, j) => {
      const up = Float64Array.from(u);
      const dn = Float64Array.from(u);
      up[j] += h;
      dn[j] -= h;
      return (f(up) - f(dn)) / (2 * h);
    });
  const close = (a: number[], b: number[], what: string) => {
    const scale = Math.max(1, ...b.map(Math.abs));
    assert.ok(maxDiff(a, b) < 1e-6 * scale, `${what}: ${maxDiff(a, b)}`);
  };
  close(
    evaluate(problem.gradient, problem.nu)(u, p),
    fd((w) => problem.cost(w, p)),
    "gradient",
  );
  const pairs = [
    [problem.n1, problem.mappingF1, problem.jacobianF1Transpose],
    [problem.n2, problem.mappingF2, problem.jacobianF2Transpose],
  ] as const;
  for (const [n, F, JT] of pairs) {
    if (n === 0 || F === undefined || JT === undefined) continue;
    const v = Float64Array.from({ length: n }, () => rand() - 0.5);
    const out = new Float64Array(problem.nu);
    JT(u, p, v, out);
    const vF = (w: Float64Array) => evaluate(F, n)(w, p).reduce((s, fi, i) => s + fi * v[i], 0);
    close(Array.from(out), fd(vF), "J^T v");
  }
}

/** A time-varying, discounted OCP with every kind of constraint (nx = 3, nu = 2). */
function everything(shooting: "single" | "multiple") {
  const ocp = new OptimalControlProblem({ nx: 3, nu: 2, horizon: 6, shooting })
    .addParameter("x0", 3)
    .addParameter("gamma", 1, 0.9)
    .addParameter("w", 2, [1, 2]);
  ocp
    .withContinuousDynamics(
      (x, u, p) => [x[1], x[2].mul(p.w[0]).sub(x[0]).add(u[0]), u[1].sub(sq(x[2]))],
      0.1,
      { method: "rk4", steps: 2 },
    )
    .withStageCost((x, u, p, t) =>
      p.gamma.pow(t).mul(
        sq(x[0])
          .add(sq(x[1]))
          .add(p.w[1].mul(sq(u[0]).add(sq(u[1])))),
      ),
    )
    .withTerminalCost((x) => sq(x[0]).add(sq(x[2])).mul(10))
    .withPathConstraint((x, u) => [x[0].add(u[0]), x[1].mul(u[1])], {
      kind: "alm",
      setC: new Ball2(1),
    })
    .withPathConstraint((x, _u, _p, t) => (t === 0 ? x[2] : x[2].mul(0.5)))
    .withTerminalConstraint((x) => x[0].sub(x[1]), { kind: "alm", setC: new Zero() })
    .withTerminalConstraint((x) => [sq(x[1])]);
  if (shooting === "multiple") ocp.withDynamicsConstraints("alm");
  return ocp;
}

describe("derivatives of the lowered problem match central differences", () => {
  it("getting-started OCP, single and multiple shooting", () => {
    for (const [shooting, kind] of [
      ["single"],
      ["multiple", "penalty"],
      ["multiple", "alm"],
    ] as const) {
      const { optimizer, problem } = lowLevel(gettingStarted(shooting, kind));
      checkDerivatives(problem, optimizer.packParameters(GETTING_STARTED_VALUES), 11);
    }
  });

  it("a discounted OCP with continuous dynamics, ALM and penalty path and terminal constraints", () => {
    for (const shooting of ["single", "multiple"] as const) {
      const { optimizer, problem } = lowLevel(everything(shooting));
      const p = optimizer.packParameters({ x0: [0.3, -0.2, 0.5] });
      checkDerivatives(problem, p, 5);
      const extra = shooting === "multiple" ? 3 * 6 : 0;
      assert.equal(problem.n1, 2 * 6 + extra + 1);
      assert.equal(problem.n2, 6 + 1);
      // Ball2 blocks break the boxes: Ball2, Ball2, ..., then one box of the dynamics and terminal zeros.
      const C = problem.almSetC as CartesianProduct;
      assert.ok(C instanceof CartesianProduct);
      assert.equal(C.sets.length, 7);
      assert.ok(C.sets.slice(0, 6).every((s) => s instanceof Ball2));
      assert.ok(C.sets[6] instanceof Zero);
      assert.equal(C.dimension, problem.n1);
    }
  });
});

describe("hard constraints and sets", () => {
  function linear(shooting: "single" | "multiple" = "multiple") {
    return new OptimalControlProblem({ nx: 2, nu: 1, horizon: 3, shooting })
      .addParameter("x0", 2)
      .withDynamics((x, u) => [x[0].add(x[1]), x[1].add(u[0])])
      .withStageCost((x, u) => sq(x[0]).add(sq(u[0])));
  }

  it("a box on (x_t, u_t) bounds every u_t and x_1..x_{N-1}; x_N takes the terminal set", () => {
    const ocp = linear()
      .withHardStageStateInputConstraints(new Rectangle([-1, -2, -3], [1, 2, 3]))
      .withHardTerminalStateConstraints(new BallInf(0.5));
    const U = new OcpBuilder(ocp).problem.constraints as Rectangle;
    assert.ok(U instanceof Rectangle);
    // Layout u_0, x_1, u_1, x_2, u_2, x_3.
    assert.deepEqual(Array.from(U.xmin ?? []), [-3, -1, -2, -3, -1, -2, -3, -0.5, -0.5]);
    assert.deepEqual(Array.from(U.xmax ?? []), [3, 1, 2, 3, 1, 2, 3, 0.5, 0.5]);
  });

  it("input sets that are not boxes stay a product; free states are merged", () => {
    const ocp = linear().withInputConstraints(new Ball2(2));
    const U = new OcpBuilder(ocp).problem.constraints as CartesianProduct;
    assert.ok(U instanceof CartesianProduct);
    assert.deepEqual(U.ends, [1, 3, 4, 6, 7, 9]);
    assert.ok(U.sets[1] instanceof NoConstraints);
    const single = new OcpBuilder(linear("single").withInputConstraints(new BallInf(1))).problem;
    assert.ok(single.constraints instanceof Rectangle);
    assert.equal(new OcpBuilder(linear()).problem.constraints, undefined);
  });

  it("rejects what cannot be lowered, with clear messages", () => {
    assert.throws(
      () =>
        linear("single").withHardStageStateInputConstraints(new Rectangle([0, 0, 0], [1, 1, 1])),
      /withHardStageStateInputConstraints applies to multiple shooting only/,
    );
    assert.throws(
      () => linear("single").withHardTerminalStateConstraints(new BallInf(1)),
      /multiple shooting only/,
    );
    assert.throws(() => linear("single").withDynamicsConstraints("alm"), /multiple shooting only/);
    assert.throws(
      () => linear().withHardStageStateInputConstraints(new Ball2(1)),
      /hard stage set must be a box/,
    );
    assert.throws(
      () => linear().withHardStageStateInputConstraints(new Rectangle([0, 0], [1, 1])),
      /hard stage set has dimension 2, expected 3/,
    );
    const both = linear()
      .withInputConstraints(new BallInf(1))
      .withHardStageStateInputConstraints(new BallInf(2));
    assert.throws(() => new OcpBuilder(both), /does not combine/);
    assert.throws(
      () => linear().withPathConstraint((x) => x[0], { kind: "alm" }),
      /an "alm" path constraint needs setC/,
    );
    assert.throws(
      () => linear().withPathConstraint((x) => x[0], { setC: new Zero() }),
      /a penalty path constraint takes no setC/,
    );
    const wrongC = linear().withPathConstraint((x) => [x[0], x[1]], {
      kind: "alm",
      setC: new Rectangle([0], [1]),
    });
    assert.throws(
      () => new OcpBuilder(wrongC),
      /the set C of the path constraint 0 at t = 0 has dimension 1, expected 2/,
    );
    const noX0 = new OptimalControlProblem({ nx: 2, nu: 1, horizon: 3 })
      .addParameter("x", 2)
      .withDynamics((x) => x)
      .withStageCost((x) => x[0]);
    assert.throws(
      () => new OcpBuilder(noX0),
      /the parameter "x0" \(size nx = 2\) must be declared/,
    );
    const badDynamics = linear().withDynamics((x) => [x[0]]);
    assert.throws(
      () => new OcpBuilder(badDynamics),
      /dynamics at t = 0 must return 2 expressions, got 1/,
    );
    const unknown = linear().withStageCost((x, _u, p) => x[0].mul((p as never as { q: number }).q));
    assert.throws(() => new OcpBuilder(unknown), /unknown parameter "q" \(declared: x0\)/);
    assert.throws(() => linear().addParameter("x0", 2), /parameter "x0" is already declared/);
    assert.throws(
      () => new OptimalControlProblem({ nx: 0, nu: 1, horizon: 3 }),
      /nx must be a positive integer, got 0/,
    );
    assert.throws(
      () => new OptimalControlProblem({ nx: 1, nu: 1, horizon: 3, shooting: "double" as never }),
      /shooting must be "single" or "multiple"/,
    );
    const noCost = new OptimalControlProblem({ nx: 1, nu: 1, horizon: 2 })
      .addParameter("x0", 1)
      .withDynamics((x) => x);
    assert.throws(() => new OcpBuilder(noCost), /the stage cost is not set/);
  });
});

describe("named parameters", () => {
  const optimizer = new OcpBuilder(gettingStarted("single")).buildInMemory();

  it("defaults fill what is not given; scalars for size 1", () => {
    const p = optimizer.packParameters({ x0: [1, 2], a: 0.5 });
    assert.deepEqual(Array.from(p), [1, 2, 0, 0, 1, 0.1, 0.5, -1]);
  });

  it("results are plain data: JSON round trip, and a printable summary", () => {
    const result = optimizer.solve(GETTING_STARTED_VALUES);
    const copy = JSON.parse(JSON.stringify(result));
    assert.deepEqual(copy.inputs, result.inputs);
    assert.deepEqual(copy.states, result.states);
    assert.deepEqual(copy.lagrangeMultipliers, result.lagrangeMultipliers);
    assert.equal(copy.exitStatus, result.exitStatus);
    const text = String(result);
    assert.match(text, /^OCP solution:\n {2}Exit status \.+ (Converged|NotConverged\w+)\n/);
    assert.match(text, /Inputs \.+ \[\[-?\d/);
    assert.match(text, new RegExp(`Outer iterations \\.+ ${result.numOuterIterations}\n`));
  });

  it("unknown, missing, mis-sized and non-finite values are errors with the protocol's codes", () => {
    const code = (values: object, c: number, message: RegExp) =>
      assert.throws(
        () => optimizer.solve(values as never),
        (e: Error & { code?: number }) => e.code === c && message.test(e.message),
      );
    code(
      { x0: [1, 2], qq: 3 },
      1000,
      /unknown parameter\(s\) "qq"; declared: x0, xref, q, r, a, xmin/,
    );
    code({ q: 3 }, 1000, /missing value\(s\) for parameter\(s\) without default: x0/);
    code({ x0: [1, 2, 3] }, 3003, /parameter "x0" has size 2, got 3 value\(s\)/);
    code({ x0: [1, Number.NaN] }, 1000, /parameter "x0" has a non-finite entry at index 1/);
    code({ x0: "1,2" }, 1000, /parameter "x0" must be a number or an array of numbers/);
    assert.throws(
      () => optimizer.solve({ x0: [1, 2] }, { initialGuess: [1] }),
      (e: Error & { code?: number }) => e.code === 1600,
    );
  });
});
