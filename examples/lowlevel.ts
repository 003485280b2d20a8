/**
 * Hand-written low-level problems ({@link AlmProblem} objects): the examples
 * of OpEn's documentation, written directly as functions of (u, p).
 */
import { pathToFileURL } from "node:url";
import {
  type AlmProblem,
  Ball2,
  BallInf,
  ParametricOptimizer,
  SolverConfiguration,
  Zero,
} from "open-engine";

/** f(u) = (1 - u1)^2 + 200 (u2 - u1^2)^2 over the unit Euclidean ball (nu = 2, np = 0). */
export function rosenbrock2d(b = 200): AlmProblem {
  return {
    nu: 2,
    np: 0,
    n1: 0,
    n2: 0,
    cost: (u) => (1 - u[0]) ** 2 + b * (u[1] - u[0] * u[0]) ** 2,
    gradient: (u, _p, out) => {
      const d = u[1] - u[0] * u[0];
      out[0] = 2 * (u[0] - 1) - 4 * b * u[0] * d;
      out[1] = 2 * b * d;
    },
    constraints: new Ball2(1),
  };
}

/** sum_{i=1..nu-1} b (u_{i+1} - u_i^2)^2 + (a - u_i)^2 with p = (a, b). */
export function rosenbrockCost(u: Float64Array, p: Float64Array): number {
  const a = p[0];
  const b = p[1];
  let f = 0;
  for (let i = 0; i + 1 < u.length; i++) {
    const d = u[i + 1] - u[i] * u[i];
    const e = a - u[i];
    f += b * d * d + e * e;
  }
  return f;
}

/** The gradient of {@link rosenbrockCost} with respect to u. */
export function rosenbrockGradient(u: Float64Array, p: Float64Array, out: Float64Array): void {
  const a = p[0];
  const b = p[1];
  const n = u.length;
  // A loop, not out.fill(0): for a handful of entries the builtin's call cost dominates.
  for (let i = 0; i < n; i++) out[i] = 0;
  for (let i = 0; i + 1 < n; i++) {
    const d = u[i + 1] - u[i] * u[i];
    out[i] += -4 * b * u[i] * d - 2 * (a - u[i]);
    out[i + 1] += 2 * b * d;
  }
}

/**
 * The penalty problem of OpEn's README: nu = 5, p = (a, b), the Rosenbrock
 * cost, U = Ball2(1.5), F2(u) = (1.5 u1 - u2, max(0, u3 - u4 + 0.1)) = 0.
 */
export function penaltyProblem(): AlmProblem {
  return {
    nu: 5,
    np: 2,
    n1: 0,
    n2: 2,
    cost: rosenbrockCost,
    gradient: rosenbrockGradient,
    constraints: new Ball2(1.5),
    mappingF2: (u, _p, out) => {
      out[0] = 1.5 * u[0] - u[1];
      out[1] = Math.max(0, u[2] - u[3] + 0.1);
    },
    jacobianF2Transpose: (u, _p, w, out) => {
      const active = u[2] - u[3] + 0.1 > 0 ? w[1] : 0;
      out[0] = 1.5 * w[0];
      out[1] = -w[0];
      out[2] = active;
      out[3] = -active;
      out[4] = 0;
    },
  };
}

/**
 * The augmented Lagrangian demo of the protocol: the Rosenbrock cost over
 * Ball2(1.5) with F1(u) = (1.5 u1 - u2, sin(u3 + pi/5) - 0.5) in C = {0} and
 * Y = the infinity ball of radius 1e12.
 */
export function almDemoProblem(): AlmProblem {
  return {
    nu: 5,
    np: 2,
    n1: 2,
    n2: 0,
    cost: rosenbrockCost,
    gradient: rosenbrockGradient,
    constraints: new Ball2(1.5),
    mappingF1: (u, _p, out) => {
      out[0] = 1.5 * u[0] - u[1];
      out[1] = Math.sin(u[2] + Math.PI / 5) - 0.5;
    },
    jacobianF1Transpose: (u, _p, y, out) => {
      out[0] = 1.5 * y[0];
      out[1] = -y[0];
      out[2] = Math.cos(u[2] + Math.PI / 5) * y[1];
      out[3] = 0;
      out[4] = 0;
    },
    almSetC: new Zero(),
    almSetY: new BallInf(1e12),
  };
}

// Run as a script (`npm run example -- lowlevel`): solve each problem and print the result.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const cases = [
    ["Rosenbrock over the unit ball", rosenbrock2d(), []],
    ["OpEn's penalty problem, p = (1, 10)", penaltyProblem(), [1, 10]],
    ["the augmented Lagrangian demo, p = (1, 10)", almDemoProblem(), [1, 10]],
  ] as const;
  for (const [title, problem, p] of cases) {
    // opengen's default settings, with a tighter tolerance
    const config = new SolverConfiguration({ tolerance: 1e-6 });
    const result = new ParametricOptimizer(problem, config).solve(p);
    if (!result.ok) throw result.error;
    const s = result.status;
    const u = Array.from(s.solution, (x) => x.toFixed(5)).join(", ");
    console.log(
      `${title}: ${s.exitStatus} after ${s.numOuterIterations} outer / ${s.numInnerIterations} inner ` +
        `iterations, u = (${u}), f(u) = ${s.cost.toPrecision(6)}, ||F2(u)|| = ${s.f2Norm.toPrecision(4)}`,
    );
  }
}
