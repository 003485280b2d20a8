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
  finiteAtUBar,
  forwardBackwardStep,
  GAMMA_L_COEFF,
  halveStep,
  initialIterate,
  innerSolverStatus,
  MAX_NONFINITE_BACKTRACKS,
  requireFiniteIterate,
  settleBest,
  trackBest,
} from "./step.js";
