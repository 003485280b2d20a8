/**
 * The example optimizer served by `npm start`: the augmented Lagrangian demo
 * of the protocol, described symbolically in {@link demoProblem} and built in
 * memory (the hand-written version of the same functions is
 * `almDemoProblem` in lowlevel.ts).
 *
 * Its settings ({@link demoSolverConfiguration}) make a fresh solve with
 * p = (1, 10) from u0 = 0 end "Converged" (11 outer, 139 inner iterations)
 * within 2e-5 of the KKT point u* ~ (0.0913638, 0.1370457, -0.1047198,
 * 0.1008784, 0.0101764) and of its cost 3.9981356:
 * - penaltyWeightUpdateFactor 2 and maxOuterIterations 20: with opengen's
 *   defaults (1.75, 10) the loop runs out of outer iterations one step short;
 * - tolerance 1e-6 and constraintsTolerance 1e-5: with OpEn's demo settings
 *   (1e-5, 1e-4) the answer is 2.4e-4 from u* and its cost 2.7e-4 above the
 *   optimum, because a violation of 1e-4 moves the cost by about |y| 1e-4.
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
