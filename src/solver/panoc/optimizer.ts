import { asSolverError, requireFinite } from "../errors.js";
import {
  backtrackLipschitz,
  DeadlineClock,
  deadlineAfter,
  evaluate,
  finiteAtUBar,
  GAMMA_L_COEFF,
  halveStep,
  type InnerSolverOptions,
  type InnerSolverStatistics,
  type InnerSolverStatus,
  InnerStatisticsRecord,
  initialIterate,
  innerSolverStatus,
  MAX_NONFINITE_BACKTRACKS,
  requireFiniteIterate,
  settleBest,
  trackBest,
} from "../forwardBackward/index.js";
import type { SmoothProblem } from "../problem.js";
import type { ExitStatus, InnerIterationInfo } from "../types.js";
import { copyVector } from "../vector.js";
import type { PanocCache } from "./cache.js";

const MAX_LINE_SEARCH_HALVINGS = 10;

/**
 * PANOC: minimizes a smooth function over a set by forward-backward steps
 * accelerated with L-BFGS directions and a line search on the
 * forward-backward envelope. Works in a {@link PanocCache}; allocates nothing
 * while iterating.
 */
export class PanocOptimizer {
  private readonly statistics = new InnerStatisticsRecord();
  private readonly clock = new DeadlineClock();
  /** The step tau of the last line search (1 at the first iteration, 0 for the safe step). */
  private tau = 1;

  constructor(
    readonly problem: SmoothProblem,
    readonly cache: PanocCache,
  ) {
    if (problem.n !== cache.n) {
      throw new Error(`PanocOptimizer: the problem has size ${problem.n}, the cache ${cache.n}`);
    }
  }

  /**
   * Solves from u (overwritten with the solution, the best u_bar found).
   * Steps whose cost or gradient is not finite are shrunk; throws a
   * SolverError when the start point's cost or gradient is not finite, when
   * no step from an iterate has a finite cost and gradient, or when a
   * problem function throws.
   */
  solve(u: Float64Array, options: InnerSolverOptions = {}): InnerSolverStatus {
    const statistics = this.run(
      u,
      options.tolerance ?? 1e-4,
      options.maxIterations ?? 500,
      deadlineAfter(options.maxDurationMicros),
      options.akktTolerance ?? Number.POSITIVE_INFINITY,
      options.onIteration,
      1,
    );
    try {
      return innerSolverStatus(this.problem, u, statistics);
    } catch (e) {
      throw asSolverError(e);
    }
  }

  /**
   * The solve loop: from u (overwritten by the best u_bar), until ||r|| is
   * below `tolerance` (and, at the first iterate, the AKKT residual below
   * `akktTolerance`), `maxIterations` iterations, or the clock passes
   * `deadline` (ms, on the clock of `performance.now()`). Returns the solve's
   * statistics (a record reused by the next solve). `onIteration` sees every
   * iterate, tagged with `outerIteration`.
   */
  run(
    u: Float64Array,
    tolerance: number,
    maxIterations: number,
    deadline: number,
    akktTolerance: number,
    onIteration: ((info: InnerIterationInfo) => void) | undefined,
    outerIteration: number,
  ): InnerSolverStatistics {
    try {
      const status = this.iterate(
        u,
        tolerance,
        maxIterations,
        deadline,
        akktTolerance,
        onIteration,
        outerIteration,
      );
      return this.statistics.finish(status, this.cache);
    } catch (e) {
      throw asSolverError(e);
    }
  }

  private iterate(
    u: Float64Array,
    tolerance: number,
    maxIterations: number,
    deadline: number,
    akktTolerance: number,
    onIteration: ((info: InnerIterationInfo) => void) | undefined,
    outerIteration: number,
  ): ExitStatus {
    const problem = this.problem;
    const cache = this.cache;
    const n = cache.n;
    const lbfgs = cache.lbfgs;
    cache.start(u);
    this.clock.start(deadline);
    lbfgs.reset();
    initialIterate(problem, cache);
    this.tau = 1;
    let status: ExitStatus = "NotConvergedIterations";
    for (;;) {
      const normResidual = trackBest(cache);
      if (onIteration !== undefined) {
        onIteration({
          outerIteration,
          iteration: cache.iteration,
          fpr: normResidual,
          gamma: cache.gamma,
          cost: cache.current.cost,
          tau: this.tau,
        });
      }
      if (
        normResidual < tolerance &&
        (cache.iteration > 0 || this.firstAkktResidual(akktTolerance) < akktTolerance) &&
        finiteAtUBar(problem, cache)
      ) {
        status = "Converged";
        break;
      }
      if (cache.iteration >= maxIterations) break;
      if (this.clock.passed()) {
        status = "NotConvergedOutOfTime";
        break;
      }
      if (backtrackLipschitz(problem, cache)) {
        lbfgs.reset();
        trackBest(cache);
      }
      cache.sigma = (1 - GAMMA_L_COEFF) / (4 * cache.gamma);
      const current = cache.current;
      lbfgs.update(current.residual, current.u);
      if (cache.iteration === 0) {
        this.stepToUBar();
      } else {
        this.lineSearch();
      }
      cache.acceptTrial();
      cache.iteration++;
    }
    if (status !== "Converged") settleBest(problem, cache);
    copyVector(u, cache.bestUBar, n);
    return status;
  }

  /**
   * ||r + gamma grad psi(u)||: OpEn 0.12's AKKT residual at the first iterate
   * of a solve, where its "previous gradient" is still zero. Only computed
   * when an AKKT tolerance is set.
   */
  private firstAkktResidual(akktTolerance: number): number {
    if (akktTolerance === Number.POSITIVE_INFINITY) return 0;
    const cache = this.cache;
    const r = cache.current.residual;
    const g = cache.current.gradient;
    const gamma = cache.gamma;
    let s = 0;
    for (let i = 0; i < cache.n; i++) {
      const e = r[i] + gamma * g[i];
      s += e * e;
    }
    return Math.sqrt(s);
  }

  /**
   * Makes the current u_bar the trial point (the first step, the safe step).
   * Its cost is finite after the Lipschitz backtrack, but its gradient need
   * not be (a square root at a bound, say): then gamma halves and u_bar is
   * recomputed until it is, or throws when no such step is found.
   */
  private stepToUBar(): void {
    const problem = this.problem;
    const cache = this.cache;
    const n = cache.n;
    for (let k = 0; ; k++) {
      const trial = cache.trial;
      copyVector(trial.u, cache.current.uBar, n);
      evaluate(problem, cache, trial);
      const fbe = trial.envelope();
      if (Number.isFinite(fbe)) return;
      if (k >= MAX_NONFINITE_BACKTRACKS) this.requireFiniteTrial(fbe);
      halveStep(problem, cache);
      backtrackLipschitz(problem, cache);
      // A vanished step would make u its own answer: no step, not convergence.
      if (cache.current.normResidual === 0) this.requireFiniteTrial(fbe);
      cache.lbfgs.reset();
      trackBest(cache);
      cache.sigma = (1 - GAMMA_L_COEFF) / (4 * cache.gamma);
    }
  }

  /** Throws when the trial point just evaluated has a non-finite cost, gradient or envelope. */
  private requireFiniteTrial(fbe: number): void {
    const it = this.cache.iteration;
    requireFiniteIterate(this.cache.trial, it);
    requireFinite(fbe, "forward-backward envelope", it);
  }

  /**
   * Line search on the FBE along u - (1 - tau) r - tau d, tau = 1, 1/2, ...,
   * 2^-10; a trial with a non-finite FBE (cost or gradient) fails like any
   * other. When none passes, the safe step u_bar (OpEn keeps the last trial
   * instead, its issue 423), see {@link stepToUBar}.
   */
  private lineSearch(): void {
    const cache = this.cache;
    const n = cache.n;
    const current = cache.current;
    const trial = cache.trial;
    const u = current.u;
    const r = current.residual;
    const d = cache.direction;
    cache.lbfgs.applyHessianInto(r, d);
    const nr = current.normResidual;
    const rhs = current.envelope() - cache.sigma * nr * nr;
    const x = trial.u;
    let tau = 1;
    for (let k = 0; k <= MAX_LINE_SEARCH_HALVINGS; k++) {
      cache.trialPoint(x, u, r, d, 1 - tau, tau, n);
      evaluate(this.problem, cache, trial);
      if (trial.envelope() <= rhs) {
        this.tau = tau;
        return;
      }
      tau *= 0.5;
    }
    // The safe step: u_bar always decreases the FBE.
    this.tau = 0;
    this.stepToUBar();
  }
}
