/**
 * The example optimizer served by `npm start`: the augmented Lagrangian demo
 * of the protocol (see {@link almDemoProblem}), written by hand.
 */
import { ParametricOptimizer, SolverConfiguration } from "../src/solver/index.js";
import { almDemoProblem } from "./lowlevel.js";

/**
 * The demo optimizer. Its settings are chosen so that a fresh solve with
 * p = (1, 10) from u0 = 0 ends "Converged" (10 outer, about 215 inner
 * iterations) at u ~ (0.09135, 0.13703, -0.10479, 0.10089, 0.01018):
 * - penaltyWeightUpdateFactor 2 and maxOuterIterations 20: with opengen's
 *   defaults (1.75, 10) the loop runs out of outer iterations one step short;
 * - tolerance 1e-5 with the "stationarity" inner rule (||r|| / gamma < eps):
 *   the fixed-point-residual rule stops early when the penalty makes gamma
 *   small (a larger penalty factor such as 10 then "converges" 1e-2 away
 *   from the solution).
 */
export function createOptimizer(): ParametricOptimizer {
  const configuration = new SolverConfiguration({
    tolerance: 1e-5,
    penaltyWeightUpdateFactor: 2,
    maxOuterIterations: 20,
    innerStoppingRule: "stationarity",
  });
  return new ParametricOptimizer(almDemoProblem(), configuration);
}
