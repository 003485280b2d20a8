import { SolverError } from "../errors.js";
import type { SmoothProblem } from "../problem.js";
import { copyVector } from "../vector.js";

/** gamma = GAMMA_L_COEFF / L. */
export const GAMMA_L_COEFF = 0.95;
const LIPSCHITZ_EPSILON = 1e-6;
const LIPSCHITZ_DELTA = 1e-12;
const MIN_LIPSCHITZ = 1e-10;
const MAX_BACKTRACKS = 10;
/** Halvings of gamma allowed while the cost at u_bar is not finite (a factor of about 1e-18). */
export const MAX_NONFINITE_BACKTRACKS = 60;
const DESCENT_SLACK = 1e-6;

/**
 * A non-finite value becomes a {@link SolverError} naming `what` and where
 * it was computed: at an iteration number, or at a named point.
 */
export function requireFinite(value: number, what: string, where: number | string): number {
  if (!Number.isFinite(value)) {
    const at = typeof where === "number" ? `iteration ${where}` : where;
    throw new SolverError(`the ${what} is not finite at ${at}`);
  }
  return value;
}

/**
 * The buffers and step-size state shared by PANOC and FBS at the current
 * iterate u: the cost and gradient at u, the forward (gradient) step, its
 * projection u_bar, the fixed-point residual r = u - u_bar, and L, gamma.
 */
export class ForwardBackwardCache {
  /** Problem size. */
  readonly n: number;
  /** Gradient at u. */
  gradient: Float64Array;
  /** u - gamma grad(u). */
  gradientStep: Float64Array;
  /** Pi_U(u - gamma grad(u)). */
  uBar: Float64Array;
  /** r = u - u_bar. */
  readonly residual: Float64Array;
  /** Work vector (Lipschitz probe point, trial point). */
  readonly work: Float64Array;
  /** Second work vector (probe gradient, trial gradient). */
  workGradient: Float64Array;
  /** The u_bar with the smallest residual so far. */
  readonly bestUBar: Float64Array;
  cost = 0;
  gradientNormSquared = 0;
  lipschitz = 1;
  gamma = GAMMA_L_COEFF;
  normResidual = Number.POSITIVE_INFINITY;
  bestNormResidual = Number.POSITIVE_INFINITY;
  bestGamma = 1;
  iteration = 0;

  constructor(n: number) {
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new Error(`solver cache: the problem size must be a positive integer, got ${n}`);
    }
    this.n = n;
    this.gradient = new Float64Array(n);
    this.gradientStep = new Float64Array(n);
    this.uBar = new Float64Array(n);
    this.residual = new Float64Array(n);
    this.work = new Float64Array(n);
    this.workGradient = new Float64Array(n);
    this.bestUBar = new Float64Array(n);
  }

  /** Clears the iteration state before a solve. */
  resetState(): void {
    this.iteration = 0;
    this.normResidual = Number.POSITIVE_INFINITY;
    this.bestNormResidual = Number.POSITIVE_INFINITY;
  }
}

/** Sum of squares, throwing when the gradient it measures is not finite. */
function gradientNormSquared(g: Float64Array, n: number, where: string): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += g[i] * g[i];
  return requireFinite(s, "gradient", where);
}

/**
 * Cost and gradient at u, then the local Lipschitz estimate
 * L = ||grad(u + h) - grad(u)|| / ||h|| with h_i = max(1e-6 u_i, 1e-12),
 * floored at 1e-10; gamma = 0.95 / L. That is OpEn's probe, unsigned: for a
 * negative u_i the step is 1e-12 (a signed probe gives another L, hence
 * other iterates from the first step on). The probe point lives in a work
 * buffer: u is not moved (OpEn keeps u + h as its iterate).
 */
export function initializeStep(
  problem: SmoothProblem,
  cache: ForwardBackwardCache,
  u: Float64Array,
): void {
  const n = cache.n;
  const start = "the start point (iteration 0)";
  cache.cost = requireFinite(problem.costAndGradient(u, cache.gradient), "cost", start);
  cache.gradientNormSquared = gradientNormSquared(cache.gradient, n, start);
  const probe = cache.work;
  let hh = 0;
  for (let i = 0; i < n; i++) {
    const ui = u[i];
    const h = Math.max(LIPSCHITZ_EPSILON * ui, LIPSCHITZ_DELTA);
    probe[i] = ui + h;
    hh += h * h;
  }
  const g1 = cache.workGradient;
  problem.gradient(probe, g1);
  const g0 = cache.gradient;
  let dd = 0;
  for (let i = 0; i < n; i++) {
    const d = g1[i] - g0[i];
    dd += d * d;
  }
  requireFinite(dd, "gradient", "the Lipschitz probe next to the start point (iteration 0)");
  cache.lipschitz = Math.max(Math.sqrt(dd / hh), MIN_LIPSCHITZ);
  cache.gamma = GAMMA_L_COEFF / cache.lipschitz;
}

/**
 * u_bar = Pi_U(u - gamma grad), r = u - u_bar and ||r||, from the cached
 * gradient at u.
 */
export function forwardBackwardStep(
  problem: SmoothProblem,
  cache: ForwardBackwardCache,
  u: Float64Array,
): void {
  const n = cache.n;
  const gamma = cache.gamma;
  const g = cache.gradient;
  const step = cache.gradientStep;
  const uBar = cache.uBar;
  for (let i = 0; i < n; i++) step[i] = u[i] - gamma * g[i];
  copyVector(uBar, step, n);
  problem.project(uBar);
  residualAt(cache, u);
}

/** r = u - u_bar and its norm. */
export function residualAt(cache: ForwardBackwardCache, u: Float64Array): void {
  const n = cache.n;
  const uBar = cache.uBar;
  const r = cache.residual;
  let rr = 0;
  for (let i = 0; i < n; i++) {
    const ri = u[i] - uBar[i];
    r[i] = ri;
    rr += ri * ri;
  }
  cache.normResidual = Math.sqrt(rr);
}

/** Doubles L, halves gamma, and recomputes u_bar and r at u. */
export function halveStep(
  problem: SmoothProblem,
  cache: ForwardBackwardCache,
  u: Float64Array,
): void {
  cache.lipschitz *= 2;
  cache.gamma *= 0.5;
  forwardBackwardStep(problem, cache, u);
}

/**
 * Halves gamma (doubling L) while psi(u_bar) exceeds the quadratic upper
 * model psi(u) + 1e-6 |psi(u)| - <grad, r> + (L/2) ||r||^2, at most 10 times
 * per call. A non-finite psi(u_bar) (u_bar outside the function's domain, or
 * an overflow) fails the test too and keeps halving past that limit: the
 * caller then only ever steps to a u_bar of finite cost. OpEn also stops
 * at L >= 1e9; we do not, because with a larger L the envelope's line
 * search is unsound and its iterates can diverge (a penalty near 1e9 needs
 * such an L). Returns whether gamma changed; throws a {@link SolverError}
 * when no step size up to 2^-60 gamma gives a finite cost.
 */
export function backtrackLipschitz(
  problem: SmoothProblem,
  cache: ForwardBackwardCache,
  u: Float64Array,
): boolean {
  const n = cache.n;
  let changed = false;
  let costBar = problem.cost(cache.uBar);
  if (!Number.isFinite(costBar) && cache.bestNormResidual === cache.normResidual) {
    // This u_bar was just recorded as the best one: forget it, the answer
    // must have a finite cost (the caller records the repaired u_bar).
    cache.bestNormResidual = Number.POSITIVE_INFINITY;
  }
  for (let k = 0; ; k++) {
    if (Number.isFinite(costBar)) {
      if (k >= MAX_BACKTRACKS) break;
      const g = cache.gradient;
      const r = cache.residual;
      let gr = 0;
      for (let i = 0; i < n; i++) gr += g[i] * r[i];
      const nr = cache.normResidual;
      const bound =
        cache.cost +
        DESCENT_SLACK * Math.abs(cache.cost) -
        gr +
        (GAMMA_L_COEFF / (2 * cache.gamma)) * nr * nr;
      if (costBar <= bound) break;
    } else if (k >= MAX_NONFINITE_BACKTRACKS) {
      throw noFiniteStep(cache.iteration);
    }
    const wasFinite = Number.isFinite(costBar);
    halveStep(problem, cache, u);
    changed = true;
    costBar = problem.cost(cache.uBar);
    // r = 0 after a non-finite u_bar: the step vanished in rounding and only
    // u itself is finite. That is no step, not convergence.
    if (!wasFinite && cache.normResidual === 0) throw noFiniteStep(cache.iteration);
  }
  return changed;
}

function noFiniteStep(iteration: number): SolverError {
  return new SolverError(
    `the cost is not finite at iteration ${iteration} for any forward-backward step (gamma halved up to ${MAX_NONFINITE_BACKTRACKS} times)`,
  );
}

/**
 * Whether the cost at u_bar is finite. A converged u_bar is the answer, and
 * the loop has not evaluated the cost there yet: at a domain edge it may be
 * outside (the next Lipschitz backtrack then shrinks the step).
 */
export function finiteAtUBar(problem: SmoothProblem, cache: ForwardBackwardCache): boolean {
  return Number.isFinite(problem.cost(cache.uBar));
}

/**
 * Before a solve returns unconverged: when the best u_bar is the current
 * one, not yet checked by a backtrack, and its cost is not finite, shrinks
 * its step until it is (the answer, and the next solve's start, must be
 * finite).
 */
export function settleBest(
  problem: SmoothProblem,
  cache: ForwardBackwardCache,
  u: Float64Array,
): void {
  if (cache.bestNormResidual === cache.normResidual && !finiteAtUBar(problem, cache)) {
    backtrackLipschitz(problem, cache, u);
    trackBest(cache);
  }
}

/** Records u_bar when its residual ||r|| is the smallest so far; returns ||r||. */
export function trackBest(cache: ForwardBackwardCache): number {
  const measure = cache.normResidual;
  if (measure < cache.bestNormResidual) {
    cache.bestNormResidual = measure;
    cache.bestGamma = cache.gamma;
    copyVector(cache.bestUBar, cache.uBar, cache.n);
  }
  return measure;
}

/** A clock in milliseconds for deadlines. */
export function nowMs(): number {
  return performance.now();
}
