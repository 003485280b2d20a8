/**
 * The forward-backward step shared by PANOC and FBS: the iterate record, the
 * step-size estimate and backtracking, and the statistics of an inner solve.
 *
 * @module
 */
export { ForwardBackwardCache, GAMMA_L_COEFF } from "./cache.js";
export {
  DeadlineClock,
  deadlineAfter,
  type InnerSolverOptions,
  type InnerSolverStatistics,
  type InnerSolverStatus,
  InnerStatisticsRecord,
  nowMs,
} from "./inner.js";
export { ForwardBackwardIterate } from "./iterate.js";
export { type ForwardBackwardStep, forwardBackwardStep, forwardBackwardStepFor } from "./kernel.js";
export {
  backtrackLipschitz,
  evaluate,
  finiteAtUBar,
  halveStep,
  initialIterate,
  innerSolverStatus,
  MAX_NONFINITE_BACKTRACKS,
  requireFiniteIterate,
  settleBest,
  trackBest,
} from "./step.js";
