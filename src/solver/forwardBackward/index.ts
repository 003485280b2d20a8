/**
 * The forward-backward step shared by PANOC and FBS: the iterate record, the
 * step-size estimate and backtracking, and the statistics of an inner solve.
 *
 * @module
 */
export {
  deadlineAfter,
  type InnerSolverOptions,
  type InnerSolverStatistics,
  type InnerSolverStatus,
  InnerStatisticsRecord,
  nowMs,
} from "./inner.js";
export { ForwardBackwardIterate } from "./iterate.js";
export {
  backtrackLipschitz,
  evaluate,
  ForwardBackwardCache,
  forwardBackwardStep,
  GAMMA_L_COEFF,
  initialIterate,
  innerSolverStatus,
  requireFiniteIterate,
  trackBest,
} from "./step.js";
