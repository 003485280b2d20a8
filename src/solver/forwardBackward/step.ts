import { requireFinite, SolverError } from "../errors.js";
import type { SmoothProblem } from "../problem.js";
import { copyVector } from "../vector.js";
import { type ForwardBackwardCache, GAMMA_L_COEFF } from "./cache.js";
import type { InnerSolverStatistics, InnerSolverStatus } from "./inner.js";
import type { ForwardBackwardIterate } from "./iterate.js";

const LIPSCHITZ_EPSILON = 1e-6;
const LIPSCHITZ_DELTA = 1e-12;
const MIN_LIPSCHITZ = 1e-10;
const MAX_BACKTRACKS = 10;
/** Halvings of gamma allowed while the cost at u_bar is not finite (a factor of about 1e-18). */
export const MAX_NONFINITE_BACKTRACKS = 60;
const DESCENT_SLACK = 1e-6;

/**
 * Cost, gradient and forward-backward step (with the cache's gamma) at
 * `it.u`: the whole iterate record. Non-finite values are stored, not thrown.
 */
export function evaluate(
  problem: SmoothProblem,
  cache: ForwardBackwardCache,
  it: ForwardBackwardIterate,
): void {
  it.cost = problem.costAndGradient(it.u, it.gradient);
  stepWithCacheGamma(problem, cache, it);
}

/** The forward-backward step of `it` with the cache's step size. */
function stepWithCacheGamma(
  problem: SmoothProblem,
  cache: ForwardBackwardCache,
  it: ForwardBackwardIterate,
): void {
  it.gamma = cache.gamma;
  cache.step(problem, it, cache.n);
}

/** Throws a SolverError when the cost or gradient of `it` is not finite. */
export function requireFiniteIterate(it: ForwardBackwardIterate, iteration: number): void {
  requireFinite(it.cost, "cost", iteration);
  requireFinite(it.gradientNormSquared, "gradient", iteration);
}

/**
 * The first iterate at the cache's start point: cost and gradient, then the
 * local Lipschitz estimate L = ||grad(u + h) - grad(u)|| / ||h|| with
 * h_i = max(1e-6 u_i, 1e-12), floored at 1e-10; gamma = 0.95 / L; then the
 * forward-backward step. That is OpEn's probe, unsigned: for a negative u_i
 * the step is 1e-12 (a signed probe gives another L, hence other iterates
 * from the first step on). The probe lives in the trial record: u is not
 * moved (OpEn keeps u + h as its iterate).
 */
export function initialIterate(problem: SmoothProblem, cache: ForwardBackwardCache): void {
  const n = cache.n;
  const current = cache.current;
  const u = current.u;
  const g0 = current.gradient;
  const start = "the start point (iteration 0)";
  current.cost = requireFinite(problem.costAndGradient(u, g0), "cost", start);
  let gg = 0;
  for (let i = 0; i < n; i++) gg += g0[i] * g0[i];
  requireFinite(gg, "gradient", start);
  const probe = cache.trial.u;
  let hh = 0;
  for (let i = 0; i < n; i++) {
    const ui = u[i];
    const h = Math.max(LIPSCHITZ_EPSILON * ui, LIPSCHITZ_DELTA);
    probe[i] = ui + h;
    hh += h * h;
  }
  const g1 = cache.trial.gradient;
  problem.gradient(probe, g1);
  let dd = 0;
  for (let i = 0; i < n; i++) {
    const d = g1[i] - g0[i];
    dd += d * d;
  }
  requireFinite(dd, "gradient", "the Lipschitz probe next to the start point (iteration 0)");
  cache.lipschitz = Math.max(Math.sqrt(dd / hh), MIN_LIPSCHITZ);
  cache.gamma = GAMMA_L_COEFF / cache.lipschitz;
  stepWithCacheGamma(problem, cache, current);
}

/** Doubles L, halves gamma, and recomputes the current iterate's u_bar and r. */
export function halveStep(problem: SmoothProblem, cache: ForwardBackwardCache): void {
  cache.lipschitz *= 2;
  cache.gamma *= 0.5;
  stepWithCacheGamma(problem, cache, cache.current);
}

/**
 * Halves gamma (doubling L) while psi(u_bar) of the current iterate exceeds
 * the quadratic upper model psi(u) + 1e-6 |psi(u)| - <grad, r> + (L/2) ||r||^2,
 * at most 10 times per call. A non-finite psi(u_bar) (u_bar outside the
 * function's domain, or an overflow) fails the test too and keeps halving
 * past that limit: the caller then only ever steps to a u_bar of finite
 * cost. OpEn also stops at L >= 1e9; we do not, because with a larger L the
 * envelope's line search is unsound and its iterates can diverge (a penalty
 * near 1e9 needs such an L). Returns whether gamma changed; throws a
 * {@link SolverError} when no step size up to 2^-60 gamma gives a finite cost.
 */
export function backtrackLipschitz(problem: SmoothProblem, cache: ForwardBackwardCache): boolean {
  const current = cache.current;
  let changed = false;
  let costBar = problem.cost(current.uBar);
  if (!Number.isFinite(costBar) && cache.bestNormResidual === current.normResidual) {
    // This u_bar was just recorded as the best one: forget it, the answer
    // must have a finite cost (the caller records the repaired u_bar).
    cache.bestNormResidual = Number.POSITIVE_INFINITY;
  }
  for (let k = 0; ; k++) {
    if (Number.isFinite(costBar)) {
      if (k >= MAX_BACKTRACKS) break;
      const nr = current.normResidual;
      const bound =
        current.cost +
        DESCENT_SLACK * Math.abs(current.cost) -
        current.gradientDotResidual +
        (GAMMA_L_COEFF / (2 * cache.gamma)) * nr * nr;
      if (costBar <= bound) break;
    } else if (k >= MAX_NONFINITE_BACKTRACKS) {
      throw noFiniteStep(cache.iteration);
    }
    const wasFinite = Number.isFinite(costBar);
    halveStep(problem, cache);
    changed = true;
    costBar = problem.cost(current.uBar);
    // r = 0 after a non-finite u_bar: the step vanished in rounding and only
    // u itself is finite. That is no step, not convergence.
    if (!wasFinite && current.normResidual === 0) throw noFiniteStep(cache.iteration);
  }
  return changed;
}

function noFiniteStep(iteration: number): SolverError {
  return new SolverError(
    `the cost is not finite at iteration ${iteration} for any forward-backward step (gamma halved up to ${MAX_NONFINITE_BACKTRACKS} times)`,
  );
}

/**
 * Whether the cost at the current u_bar is finite. A converged u_bar is the
 * answer, and the loop has not evaluated the cost there yet: at a domain
 * edge it may be outside (the next Lipschitz backtrack then shrinks the step).
 */
export function finiteAtUBar(problem: SmoothProblem, cache: ForwardBackwardCache): boolean {
  return Number.isFinite(problem.cost(cache.current.uBar));
}

/**
 * Before a solve returns unconverged: when the best u_bar is the current
 * one, not yet checked by a backtrack, and its cost is not finite, shrinks
 * its step until it is (the answer, and the next solve's start, must be
 * finite).
 */
export function settleBest(problem: SmoothProblem, cache: ForwardBackwardCache): void {
  if (cache.bestNormResidual === cache.current.normResidual && !finiteAtUBar(problem, cache)) {
    backtrackLipschitz(problem, cache);
    trackBest(cache);
  }
}

/** Records the current u_bar when its residual ||r|| is the smallest so far; returns ||r||. */
export function trackBest(cache: ForwardBackwardCache): number {
  const current = cache.current;
  const measure = current.normResidual;
  if (measure < cache.bestNormResidual) {
    cache.bestNormResidual = measure;
    cache.bestGamma = cache.gamma;
    copyVector(cache.bestUBar, current.uBar, cache.n);
  }
  return measure;
}

/**
 * The status of a finished inner solve whose answer is in u: its statistics
 * and the cost there (finite when converged; an unconverged best u_bar
 * passed the Lipschitz backtrack or {@link settleBest}).
 */
export function innerSolverStatus(
  problem: SmoothProblem,
  u: Float64Array,
  statistics: InnerSolverStatistics,
): InnerSolverStatus {
  const cost = requireFinite(problem.cost(u), "cost", statistics.iterations);
  return {
    exitStatus: statistics.exitStatus,
    iterations: statistics.iterations,
    normFpr: statistics.normFpr,
    stationarity: statistics.stationarity,
    cost,
  };
}
