/**
 * The example optimizer served by `npm start`: the augmented Lagrangian demo
 * of the protocol, described symbolically in {@link demoProblem} and built in
 * memory (the hand-written version of the same functions is
 * `almDemoProblem` in lowlevel.ts).
 *
 * Its settings ({@link demoSolverConfiguration}) make a fresh solve with
 * p = (1, 10) from u0 = 0 end "Converged" (10 outer, 215 inner iterations)
 * at u ~ (0.09135, 0.13703, -0.10479, 0.10089, 0.01018):
 * - penaltyWeightUpdateFactor 2 and maxOuterIterations 20: with opengen's
 *   defaults (1.75, 10) the loop runs out of outer iterations one step short;
 * - tolerance 1e-5 with the "stationarity" inner rule (||r|| / gamma < eps):
 *   the fixed-point-residual rule stops early when the penalty makes gamma
 *   small (a larger penalty factor such as 10 then "converges" 1e-2 away
 *   from the solution).
 */
import { OptimizerBuilder } from "../src/problem/index.js";
import type { ParametricOptimizer } from "../src/solver/index.js";
import { demoProblem, demoSolverConfiguration, meta } from "./problems.js";

/** The demo optimizer, generated from its symbolic description. */
export function createOptimizer(): ParametricOptimizer {
  return new OptimizerBuilder(
    demoProblem(),
    meta,
    undefined,
    demoSolverConfiguration,
  ).buildInMemory();
}
