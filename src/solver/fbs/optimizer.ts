import { asSolverError } from "../errors.js";
import {
  backtrackLipschitz,
  ForwardBackwardCache,
  finiteAtUBar,
  forwardBackwardStep,
  initializeStep,
  nowMs,
  requireFinite,
  settleBest,
  trackBest,
} from "../panoc/forwardBackward.js";
import type { InnerSolverOptions, InnerSolverStatus } from "../panoc/optimizer.js";
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
  constructor(
    readonly problem: SmoothProblem,
    readonly cache: FbsCache,
  ) {
    if (problem.n !== cache.n) {
      throw new Error(`FbsOptimizer: the problem has size ${problem.n}, the cache ${cache.n}`);
    }
  }

  /** Solves from u (overwritten with the best u_bar found). Throws a SolverError on failure. */
  solve(u: Float64Array, options: InnerSolverOptions = {}): InnerSolverStatus {
    const tolerance = options.tolerance ?? 1e-4;
    const maxIterations = options.maxIterations ?? 500;
    const deadline =
      options.maxDurationMicros === undefined
        ? Number.POSITIVE_INFINITY
        : nowMs() + options.maxDurationMicros / 1000;
    const problem = this.problem;
    const cache = this.cache;
    try {
      cache.resetState();
      initializeStep(problem, cache, u);
      forwardBackwardStep(problem, cache, u);
      let exitStatus: ExitStatus = "NotConvergedIterations";
      for (;;) {
        if (trackBest(cache) < tolerance && finiteAtUBar(problem, cache)) {
          exitStatus = "Converged";
          break;
        }
        if (cache.iteration >= maxIterations) break;
        if ((cache.iteration & 3) === 0 && nowMs() > deadline) {
          exitStatus = "NotConvergedOutOfTime";
          break;
        }
        if (backtrackLipschitz(problem, cache, u)) trackBest(cache);
        copyVector(u, cache.uBar, cache.n);
        cache.iteration++;
        cache.cost = requireFinite(
          problem.costAndGradient(u, cache.gradient),
          "cost",
          cache.iteration,
        );
        let gg = 0;
        for (let i = 0; i < cache.n; i++) gg += cache.gradient[i] * cache.gradient[i];
        cache.gradientNormSquared = requireFinite(gg, "gradient", cache.iteration);
        forwardBackwardStep(problem, cache, u);
      }
      if (exitStatus !== "Converged") settleBest(problem, cache, u);
      u.set(cache.bestUBar);
      return {
        exitStatus,
        iterations: cache.iteration,
        normFpr: cache.bestNormResidual,
        stationarity: cache.bestNormResidual / cache.bestGamma,
        cost: requireFinite(problem.cost(u), "cost", cache.iteration),
      };
    } catch (e) {
      throw asSolverError(e);
    }
  }
}
