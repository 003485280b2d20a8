/**
 * Symbolic problems (see {@link Problem}): the examples of OpEn's
 * documentation and a model predictive control problem, described with the
 * symbolic layer and built by an {@link OptimizerBuilder}.
 *
 * As a problem module this file exports the protocol's demo (`problem`,
 * `solverConfiguration`, `meta`): `loadOptimizer("dist/examples/problems.js")`
 * builds it in memory, and the command line's `build` command writes its
 * optimizer folder.
 */
import {
  add,
  Ball2,
  BallInf,
  cos,
  type Expr,
  fmax,
  mul,
  OptimizerMeta,
  Problem,
  Rectangle,
  rosenbrock,
  type Scalar,
  SolverConfiguration,
  sin,
  sq,
  sub,
  sum,
  sym,
  tan,
  Zero,
} from "open-engine";

/**
 * The protocol's demo: nu = 5, p = (a, b), the Rosenbrock cost over
 * Ball2(1.5), F1(u) = (1.5 u1 - u2, sin(u3 + pi/5) - 0.5) in C = {0},
 * Y = the infinity ball of radius 1e12.
 */
export function demoProblem(): Problem {
  const u = sym("u", 5);
  const p = sym("p", 2);
  const F1 = [sub(mul(1.5, u[0]), u[1]), sub(sin(add(u[2], Math.PI / 5)), 0.5)];
  return new Problem(u, p, rosenbrock(u, p))
    .withConstraints(new Ball2(1.5))
    .withAugLagrangianConstraints(F1, new Zero(), new BallInf(1e12));
}

/**
 * The demo's solver settings (those of examples/demo.ts): a fresh solve with
 * p = (1, 10) ends "Converged".
 */
export const demoSolverConfiguration = new SolverConfiguration({
  tolerance: 1e-6,
  constraintsTolerance: 1e-5,
  penaltyWeightUpdateFactor: 2,
  maxOuterIterations: 20,
});

/**
 * The penalty problem of OpEn's README: nu = 5, p = (a, b), the Rosenbrock
 * cost, U = Ball2(1.5), F2(u) = (1.5 u1 - u2, max(0, u3 - u4 + 0.1)) = 0.
 */
export function penaltyProblem(): Problem {
  const u = sym("u", 5);
  const p = sym("p", 2);
  const F2 = [sub(mul(1.5, u[0]), u[1]), fmax(0, add(sub(u[2], u[3]), 0.1))];
  return new Problem(u, p, rosenbrock(u, p))
    .withConstraints(new Ball2(1.5))
    .withPenaltyConstraints(F2);
}

/** f(u) = (1 - u1)^2 + b (u2 - u1^2)^2 over the unit Euclidean ball (nu = 2, np = 0). */
export function rosenbrockBallProblem(b = 100): Problem {
  const u = sym("u", 2);
  return new Problem(u, [], add(sq(sub(1, u[0])), mul(b, sq(sub(u[1], sq(u[0])))))).withConstraints(
    new Ball2(1),
  );
}

/** Dimensions and weights of {@link bicycleMpcProblem}. */
export interface BicycleMpcOptions {
  /** Prediction horizon N (default 50). */
  readonly horizon?: number;
  /** Sampling time in seconds (default 0.1). */
  readonly samplingTime?: number;
  /** Wheelbase in metres (default 0.5). */
  readonly wheelbase?: number;
}

/**
 * Model predictive control of a kinematic bicycle by single shooting:
 * states z = (x, y, theta), inputs (v, delta) at each of N stages, so
 * nu = 2N, with dynamics
 *
 *     x+ = x + T v cos(theta),  y+ = y + T v sin(theta),  theta+ = theta + T v tan(delta) / L.
 *
 * The parameter is p = (x0, y0, theta0, xref, yref, thetaref) (np = 6); the
 * cost sums ||(x, y) - ref||^2 + 0.1 (theta - thetaref)^2 + 0.1 (v^2 + delta^2)
 * over the stages and adds a terminal penalty 10 times the stage weights on
 * the state. U bounds the inputs: v in [-1, 2] m/s, delta in [-0.6, 0.6] rad.
 */
export function bicycleMpcProblem(options: BicycleMpcOptions = {}): Problem {
  const N = options.horizon ?? 50;
  const T = options.samplingTime ?? 0.1;
  const L = options.wheelbase ?? 0.5;
  const u = sym("u", 2 * N);
  const p = sym("p", 6);
  let [x, y, theta]: Scalar[] = [p[0], p[1], p[2]];
  const stateCost = (weight: number): Expr =>
    add(
      mul(weight, add(sq(sub(x, p[3])), sq(sub(y, p[4])))),
      mul(0.1 * weight, sq(sub(theta, p[5]))),
    );
  const terms: Expr[] = [];
  for (let t = 0; t < N; t++) {
    const v = u[2 * t];
    const delta = u[2 * t + 1];
    if (t > 0) terms.push(stateCost(1));
    terms.push(mul(0.1, add(sq(v), sq(delta))));
    const Tv = mul(T, v);
    [x, y, theta] = [
      add(x, mul(Tv, cos(theta))),
      add(y, mul(Tv, sin(theta))),
      add(theta, mul(mul(Tv, 1 / L), tan(delta))),
    ];
  }
  terms.push(stateCost(10));
  const cost = sum(terms);
  const lower: number[] = [];
  const upper: number[] = [];
  for (let t = 0; t < N; t++) {
    lower.push(-1, -0.6);
    upper.push(2, 0.6);
  }
  return new Problem(u, p, cost).withConstraints(new Rectangle(lower, upper));
}

/** The demo, as this module's problem (see the module comment). */
export const problem: Problem = demoProblem();

/** The demo's solver settings, as this module's. */
export const solverConfiguration: SolverConfiguration = demoSolverConfiguration;

/** The demo's metadata, as this module's. */
export const meta: OptimizerMeta = new OptimizerMeta("demo_optimizer", "0.1.0");
