import { asSolverError } from "../errors.js";
import {
  backtrackLipschitz,
  DeadlineClock,
  deadlineAfter,
  evaluate,
  ForwardBackwardCache,
  finiteAtUBar,
  type InnerSolverOptions,
  type InnerSolverStatus,
  InnerStatisticsRecord,
  initialIterate,
  innerSolverStatus,
  requireFiniteIterate,
  settleBest,
  trackBest,
} from "../forwardBackward/index.js";
import type { SmoothProblem } from "../problem.js";
import type { ExitStatus } from "../types.js";
import { copyVector } from "../vector.js";

/** The buffers of FBS for one problem size, reusable across solves. */
export class FbsCache extends ForwardBackwardCache {}

/**
 * Forward-backward splitting (projected gradient): u <- Pi_U(u - gamma grad),
 * with the same Lipschitz estimate and backtracking as PANOC but no L-BFGS.
 */
export class FbsOptimizer {
  private readonly statistics = new InnerStatisticsRecord();
  private readonly clock = new DeadlineClock();

  constructor(
    readonly problem: SmoothProblem,
    readonly cache: FbsCache,
  ) {
    if (problem.n !== cache.n) {
      throw new Error(`FbsOptimizer: the problem has size ${problem.n}, the cache ${cache.n}`);
    }
  }

  /**
   * Solves from u (overwritten with the best u_bar found). Throws a
   * SolverError on failure. `akktTolerance` and `onIteration` are PANOC's.
   */
  solve(u: Float64Array, options: InnerSolverOptions = {}): InnerSolverStatus {
    const tolerance = options.tolerance ?? 1e-4;
    const maxIterations = options.maxIterations ?? 500;
    const deadline = deadlineAfter(options.maxDurationMicros);
    const problem = this.problem;
    const cache = this.cache;
    const n = cache.n;
    try {
      cache.start(u);
      this.clock.start(deadline);
      initialIterate(problem, cache);
      let exitStatus: ExitStatus = "NotConvergedIterations";
      for (;;) {
        if (trackBest(cache) < tolerance && finiteAtUBar(problem, cache)) {
          exitStatus = "Converged";
          break;
        }
        if (cache.iteration >= maxIterations) break;
        if (this.clock.passed()) {
          exitStatus = "NotConvergedOutOfTime";
          break;
        }
        if (backtrackLipschitz(problem, cache)) trackBest(cache);
        const current = cache.current;
        copyVector(current.u, current.uBar, n);
        cache.iteration++;
        evaluate(problem, cache, current);
        requireFiniteIterate(current, cache.iteration);
      }
      if (exitStatus !== "Converged") settleBest(problem, cache);
      copyVector(u, cache.bestUBar, n);
      return innerSolverStatus(problem, u, this.statistics.finish(exitStatus, cache));
    } catch (e) {
      throw asSolverError(e);
    }
  }
}
