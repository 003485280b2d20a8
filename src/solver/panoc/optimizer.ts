import type { InnerStoppingRule } from "../configuration.js";
import { asSolverError } from "../errors.js";
import type { SmoothProblem } from "../problem.js";
import type { ExitStatus } from "../types.js";
import { copyVector } from "../vector.js";
import type { PanocCache } from "./cache.js";
import {
  backtrackLipschitz,
  forwardBackwardStep,
  GAMMA_L_COEFF,
  initializeStep,
  nowMs,
  requireFinite,
  residualAt,
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
  /** "fpr" (||r|| < tol, OpEn) or "stationarity" (||r|| / gamma < tol); default "fpr". */
  readonly stoppingRule?: InnerStoppingRule;
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
   * Throws a SolverError on a non-finite cost or gradient, or when a problem
   * function throws.
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
      options.stoppingRule === "stationarity",
    );
    let cost: number;
    try {
      cost = this.problem.cost(u);
    } catch (e) {
      throw asSolverError(e);
    }
    return {
      exitStatus,
      iterations: this.iterations,
      normFpr: this.cache.bestNormResidual,
      stationarity: this.cache.bestNormResidual / this.cache.bestGamma,
      cost,
    };
  }

  /**
   * The solve loop: from u (overwritten by the best u_bar), until the
   * stopping measure is below `tolerance`, `maxIterations` iterations, or the
   * clock passes `deadline` (ms, {@link performance.now} time). The residual
   * of the result is in the cache (`bestNormResidual`, `bestGamma`).
   */
  run(
    u: Float64Array,
    tolerance: number,
    maxIterations: number,
    deadline: number,
    stationarityRule: boolean,
  ): ExitStatus {
    try {
      return this.iterate(u, tolerance, maxIterations, deadline, stationarityRule);
    } catch (e) {
      throw asSolverError(e);
    }
  }

  private iterate(
    u: Float64Array,
    tolerance: number,
    maxIterations: number,
    deadline: number,
    stationarityRule: boolean,
  ): ExitStatus {
    const problem = this.problem;
    const cache = this.cache;
    const lbfgs = cache.lbfgs;
    cache.resetState();
    lbfgs.reset();
    this.iterations = 0;
    initializeStep(problem, cache, u);
    forwardBackwardStep(problem, cache, u);
    let status: ExitStatus = "NotConvergedIterations";
    for (;;) {
      const measure = trackBest(cache, stationarityRule);
      if (measure < tolerance) {
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
        trackBest(cache, stationarityRule);
      }
      cache.sigma = (1 - GAMMA_L_COEFF) / (4 * cache.gamma);
      lbfgs.update(cache.residual, u);
      if (cache.iteration === 0) {
        copyVector(cache.work, cache.uBar, cache.n);
        this.evaluateTrial();
      } else {
        this.lineSearch(u);
      }
      this.accept(u);
      cache.iteration++;
    }
    this.iterations = cache.iteration;
    copyVector(u, cache.bestUBar, cache.n);
    return status;
  }

  /** FBE at the trial point cache.work: cost, gradient, forward-backward step there. */
  private evaluateTrial(): number {
    const problem = this.problem;
    const cache = this.cache;
    const n = cache.n;
    const it = cache.iteration;
    const x = cache.work;
    const g = cache.workGradient;
    const gamma = cache.gamma;
    const cost = requireFinite(problem.costAndGradient(x, g), "cost", it);
    let gg = 0;
    const step = cache.trialGradientStep;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      gg += gi * gi;
      step[i] = x[i] - gamma * gi;
    }
    requireFinite(gg, "gradient", it);
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

  /** Line search on the FBE along u - (1 - tau) r - tau d; falls back to u_bar. */
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
      if (this.evaluateTrial() <= rhs) return;
      tau *= 0.5;
    }
    // The safe step: u_bar always decreases the FBE.
    copyVector(x, uBar, n);
    this.evaluateTrial();
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
