import { asSolverError } from "../errors.js";
import type { SmoothProblem } from "../problem.js";
import type { ExitStatus, InnerIterationInfo } from "../types.js";
import { copyVector } from "../vector.js";
import type { PanocCache } from "./cache.js";
import {
  backtrackLipschitz,
  finiteAtUBar,
  forwardBackwardStep,
  GAMMA_L_COEFF,
  halveStep,
  initializeStep,
  MAX_NONFINITE_BACKTRACKS,
  nowMs,
  requireFinite,
  residualAt,
  settleBest,
  trackBest,
} from "./forwardBackward.js";

const MAX_LINE_SEARCH_HALVINGS = 10;

/** The outcome of a PANOC or FBS solve. */
export interface InnerSolverStatus {
  readonly exitStatus: ExitStatus;
  readonly iterations: number;
  /** ||r|| of the returned point's forward-backward step. */
  readonly normFpr: number;
  /** ||r|| / gamma of the returned point: a stationarity measure in gradient units. */
  readonly stationarity: number;
  /** The cost at the returned point. */
  readonly cost: number;
}

/** Limits and stopping rule of one inner solve. */
export interface InnerSolverOptions {
  /** Tolerance on the stopping measure (default 1e-4). */
  readonly tolerance?: number;
  /** Iteration limit (default 500). */
  readonly maxIterations?: number;
  /** Time budget in microseconds (default: none). */
  readonly maxDurationMicros?: number;
  /**
   * OpEn's AKKT tolerance (the ALM's relaxed inner tolerance): at the first
   * iterate the solve also requires ||r + gamma grad psi(u)|| below it (later
   * iterates pass it whenever ||r|| < tolerance <= it, as in OpEn 0.12).
   * Default: no AKKT test.
   */
  readonly akktTolerance?: number;
  /** Called at every iterate (see {@link InnerIterationInfo}). */
  readonly onIteration?: (info: InnerIterationInfo) => void;
}

/**
 * PANOC: minimizes a smooth function over a set by forward-backward steps
 * accelerated with L-BFGS directions and a line search on the
 * forward-backward envelope. Works in a {@link PanocCache}; allocates nothing
 * while iterating.
 */
export class PanocOptimizer {
  /** Iterations of the last solve. */
  iterations = 0;

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
    const deadline =
      options.maxDurationMicros === undefined
        ? Number.POSITIVE_INFINITY
        : nowMs() + options.maxDurationMicros / 1000;
    const exitStatus = this.run(
      u,
      options.tolerance ?? 1e-4,
      options.maxIterations ?? 500,
      deadline,
      options.akktTolerance ?? Number.POSITIVE_INFINITY,
      options.onIteration,
      1,
    );
    let cost: number;
    try {
      cost = this.problem.cost(u);
    } catch (e) {
      throw asSolverError(e);
    }
    // Finite when converged; a non-converged best u_bar passed the Lipschitz backtrack.
    requireFinite(cost, "cost", this.iterations);
    return {
      exitStatus,
      iterations: this.iterations,
      normFpr: this.cache.bestNormResidual,
      stationarity: this.cache.bestNormResidual / this.cache.bestGamma,
      cost,
    };
  }

  /**
   * The solve loop: from u (overwritten by the best u_bar), until ||r|| is
   * below `tolerance` (and, at the first iterate, the AKKT residual below
   * `akktTolerance`), `maxIterations` iterations, or the clock passes
   * `deadline` (ms, {@link performance.now} time). The residual of the
   * result is in the cache (`bestNormResidual`, `bestGamma`). `onIteration`
   * sees every iterate, tagged with `outerIteration`.
   */
  run(
    u: Float64Array,
    tolerance: number,
    maxIterations: number,
    deadline: number,
    akktTolerance: number,
    onIteration: ((info: InnerIterationInfo) => void) | undefined,
    outerIteration: number,
  ): ExitStatus {
    try {
      return this.iterate(
        u,
        tolerance,
        maxIterations,
        deadline,
        akktTolerance,
        onIteration,
        outerIteration,
      );
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
    const lbfgs = cache.lbfgs;
    cache.resetState();
    lbfgs.reset();
    this.iterations = 0;
    initializeStep(problem, cache, u);
    forwardBackwardStep(problem, cache, u);
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
          cost: cache.cost,
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
      // Reading the clock costs as much as a small iteration: look every 4th.
      if ((cache.iteration & 3) === 0 && nowMs() > deadline) {
        status = "NotConvergedOutOfTime";
        break;
      }
      if (backtrackLipschitz(problem, cache, u)) {
        lbfgs.reset();
        trackBest(cache);
      }
      cache.sigma = (1 - GAMMA_L_COEFF) / (4 * cache.gamma);
      lbfgs.update(cache.residual, u);
      if (cache.iteration === 0) {
        this.stepToUBar(u);
      } else {
        this.lineSearch(u);
      }
      this.accept(u);
      cache.iteration++;
    }
    if (status !== "Converged") settleBest(problem, cache, u);
    this.iterations = cache.iteration;
    copyVector(u, cache.bestUBar, cache.n);
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
    const r = cache.residual;
    const g = cache.gradient;
    const gamma = cache.gamma;
    let s = 0;
    for (let i = 0; i < cache.n; i++) {
      const e = r[i] + gamma * g[i];
      s += e * e;
    }
    return Math.sqrt(s);
  }

  /** The step tau of the last line search (1 at the first iteration, 0 for the safe step). */
  private tau = 1;

  /**
   * Makes u_bar the trial point (the first step, the safe step). Its cost is
   * finite after the Lipschitz backtrack, but its gradient need not be (a
   * square root at a bound, say): then gamma halves and u_bar is recomputed
   * until it is, or throws when no such step is found.
   */
  private stepToUBar(u: Float64Array): void {
    const problem = this.problem;
    const cache = this.cache;
    for (let k = 0; ; k++) {
      copyVector(cache.work, cache.uBar, cache.n);
      const fbe = this.evaluateTrial();
      if (Number.isFinite(fbe)) return;
      if (k >= MAX_NONFINITE_BACKTRACKS) this.requireFiniteTrial(fbe);
      halveStep(problem, cache, u);
      backtrackLipschitz(problem, cache, u);
      // A vanished step would make u its own answer: no step, not convergence.
      if (cache.normResidual === 0) this.requireFiniteTrial(fbe);
      cache.lbfgs.reset();
      trackBest(cache);
      cache.sigma = (1 - GAMMA_L_COEFF) / (4 * cache.gamma);
    }
  }

  /** Throws when the trial point just evaluated has a non-finite cost or gradient. */
  private requireFiniteTrial(fbe: number): void {
    const it = this.cache.iteration;
    requireFinite(this.trialCost, "cost", it);
    requireFinite(this.trialGradientNormSquared, "gradient", it);
    requireFinite(fbe, "forward-backward envelope", it);
  }

  /**
   * FBE at the trial point cache.work: cost, gradient, forward-backward step
   * there. Non-finite values are returned, not thrown: the line search
   * shrinks its step on them.
   */
  private evaluateTrial(): number {
    const problem = this.problem;
    const cache = this.cache;
    const n = cache.n;
    const x = cache.work;
    const g = cache.workGradient;
    const gamma = cache.gamma;
    const cost = problem.costAndGradient(x, g);
    let gg = 0;
    const step = cache.trialGradientStep;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      gg += gi * gi;
      step[i] = x[i] - gamma * gi;
    }
    const uBar = cache.trialUBar;
    copyVector(uBar, step, n);
    problem.project(uBar);
    let dd = 0;
    for (let i = 0; i < n; i++) {
      const d = step[i] - uBar[i];
      dd += d * d;
    }
    this.trialCost = cost;
    this.trialGradientNormSquared = gg;
    return cost - 0.5 * gamma * gg + (0.5 / gamma) * dd;
  }

  private trialCost = 0;
  private trialGradientNormSquared = 0;

  /**
   * Line search on the FBE along u - (1 - tau) r - tau d, tau = 1, 1/2, ...,
   * 2^-10; a trial with a non-finite FBE (cost or gradient) fails like any
   * other. When none passes, the safe step u_bar (OpEn keeps the last trial
   * instead, its issue 423); a non-finite cost or gradient there is an error.
   */
  private lineSearch(u: Float64Array): void {
    const cache = this.cache;
    const n = cache.n;
    const r = cache.residual;
    const d = cache.direction;
    copyVector(d, r, n);
    cache.lbfgs.applyHessian(d);
    const gamma = cache.gamma;
    const step = cache.gradientStep;
    const uBar = cache.uBar;
    let dd = 0;
    for (let i = 0; i < n; i++) {
      const e = step[i] - uBar[i];
      dd += e * e;
    }
    const nr = cache.normResidual;
    const fbe = cache.cost - 0.5 * gamma * cache.gradientNormSquared + (0.5 / gamma) * dd;
    const rhs = fbe - cache.sigma * nr * nr;
    const x = cache.work;
    let tau = 1;
    for (let k = 0; k <= MAX_LINE_SEARCH_HALVINGS; k++) {
      const a = 1 - tau;
      for (let i = 0; i < n; i++) x[i] = u[i] - a * r[i] - tau * d[i];
      if (this.evaluateTrial() <= rhs) {
        this.tau = tau;
        return;
      }
      tau *= 0.5;
    }
    // The safe step: u_bar always decreases the FBE.
    this.tau = 0;
    this.stepToUBar(u);
  }

  /** Moves u to the trial point and makes its quantities current (buffer swaps, no copies). */
  private accept(u: Float64Array): void {
    const cache = this.cache;
    copyVector(u, cache.work, cache.n);
    const g = cache.gradient;
    cache.gradient = cache.workGradient;
    cache.workGradient = g;
    const step = cache.gradientStep;
    cache.gradientStep = cache.trialGradientStep;
    cache.trialGradientStep = step;
    const uBar = cache.uBar;
    cache.uBar = cache.trialUBar;
    cache.trialUBar = uBar;
    cache.cost = this.trialCost;
    cache.gradientNormSquared = this.trialGradientNormSquared;
    residualAt(cache, u);
  }
}
