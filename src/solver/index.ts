/**
 * The numerical core: PANOC with L-BFGS, forward-backward splitting, and the
 * augmented Lagrangian / penalty outer loop, behind {@link ParametricOptimizer}.
 *
 * @module
 */
export { AugmentedLagrangian } from "./alm/augmentedLagrangian.js";
export { AlmOptimizer } from "./alm/optimizer.js";
export { deriveSetY, isZeroOrOrthant, MULTIPLIER_BOUND } from "./alm/sets.js";
export { validateAlmProblem } from "./alm/validate.js";
export {
  DEFAULT_SOLVER_SETTINGS,
  SOLVER_SETTINGS,
  SolverConfiguration,
  type SolverSettings,
} from "./configuration.js";
export { SolverError } from "./errors.js";
export { FbsCache, FbsOptimizer } from "./fbs/optimizer.js";
export {
  ForwardBackwardCache,
  ForwardBackwardIterate,
  type InnerSolverOptions,
  type InnerSolverStatistics,
  type InnerSolverStatus,
} from "./forwardBackward/index.js";
export { Lbfgs } from "./lbfgs.js";
export { ParametricOptimizer } from "./optimizer.js";
export { PanocCache } from "./panoc/cache.js";
export { PanocOptimizer } from "./panoc/optimizer.js";
export { PanocProblem, type SmoothProblem } from "./problem.js";
export * from "./types.js";
