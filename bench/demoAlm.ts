/**
 * The protocol's demo with the settings of OpEn's `open-demo-server`
 * (tolerance 1e-5, constraints tolerance 1e-4, penalty factor 2, 20 outer
 * iterations), as a problem module to serve: the TCP benchmark compares like
 * with like with it (the shipped demo solves to 1e-6 / 1e-5).
 */
import { SolverConfiguration } from "open-engine";
import { demoProblem, meta } from "../examples/problems.js";

/** The demo. */
export const problem = demoProblem();

/** OpEn's demoAlm settings. */
export const solverConfiguration = new SolverConfiguration({
  tolerance: 1e-5,
  constraintsTolerance: 1e-4,
  penaltyWeightUpdateFactor: 2,
  maxOuterIterations: 20,
});

export { meta };
