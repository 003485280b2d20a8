import type { Constraint } from "../../sets/constraint.js";
import type { SolverConfiguration } from "../configuration.js";
import type { AlmProblem } from "../types.js";
import { deriveSetY, isZeroOrOrthant } from "./sets.js";

function count(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`AlmProblem: ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
}

function fn(name: string, value: unknown, reason: string): void {
  if (typeof value !== "function") {
    throw new Error(`AlmProblem: ${name} must be a function ${reason}`);
  }
}

function dimension(name: string, set: Constraint, expected: number, what: string): void {
  if (set.dimension !== undefined && set.dimension !== expected) {
    throw new Error(
      `AlmProblem: ${name} has dimension ${set.dimension}, expected ${expected} (${what})`,
    );
  }
}

/**
 * Checks an {@link AlmProblem} (and the preconditioning setting against it)
 * and returns the multiplier set Y to use (given or derived from C), or
 * `undefined` when n1 = 0. Throws an Error naming the problem.
 */
export function validateAlmProblem(
  problem: AlmProblem,
  configuration: SolverConfiguration,
): Constraint | undefined {
  count("nu", problem.nu, 1);
  count("np", problem.np, 0);
  count("n1", problem.n1, 0);
  count("n2", problem.n2, 0);
  fn("cost", problem.cost, "f(u, p)");
  fn("gradient", problem.gradient, "writing grad f(u, p)");
  if (problem.constraints !== undefined) {
    dimension("the set U (constraints)", problem.constraints, problem.nu, "nu");
  }
  if (problem.costAndMappings !== undefined || problem.lagrangianGradient !== undefined) {
    fn("costAndMappings", problem.costAndMappings, "when lagrangianGradient is given");
    fn("lagrangianGradient", problem.lagrangianGradient, "when costAndMappings is given");
  }
  if (problem.n2 > 0) {
    fn("mappingF2", problem.mappingF2, "when n2 > 0");
    fn("jacobianF2Transpose", problem.jacobianF2Transpose, "when n2 > 0");
  }
  if (problem.n1 === 0) return undefined;
  fn("mappingF1", problem.mappingF1, "when n1 > 0");
  fn("jacobianF1Transpose", problem.jacobianF1Transpose, "when n1 > 0");
  const setC = problem.almSetC;
  if (setC === undefined)
    throw new Error("AlmProblem: almSetC (the set C) is required when n1 > 0");
  dimension("the set C (almSetC)", setC, problem.n1, "n1");
  if (!setC.isConvex()) throw new Error("AlmProblem: the set C (almSetC) must be convex");
  const setY = problem.almSetY ?? deriveSetY(setC, problem.n1);
  dimension("the set Y (almSetY)", setY, problem.n1, "n1");
  if (!setY.isCompact()) throw new Error("AlmProblem: the set Y (almSetY) must be compact");
  if (configuration.preconditioning && !isZeroOrOrthant(setC)) {
    throw new Error(
      "AlmProblem: preconditioning requires the set C to be Zero or an orthant (each coordinate {0}, [0, inf), (-inf, 0] or R), or n1 = 0",
    );
  }
  return setY;
}
