import type { SmoothProblem } from "../problem.js";
import { each, sum, unrolled } from "../unrolled.js";
import type { ForwardBackwardIterate } from "./iterate.js";

/**
 * The forward-backward step at an iterate of length n, for its step size
 * `it.gamma` (a field rather than an argument: V8 would box the number at
 * each call of a function too large to inline).
 */
export type ForwardBackwardStep = (
  problem: SmoothProblem,
  it: ForwardBackwardIterate,
  n: number,
) => void;

/**
 * The forward-backward step at `it.u` from its gradient: the gradient step,
 * its projection u_bar, the residual r = u - u_bar, ||grad||^2, ||r||,
 * <grad, r> and the envelope's distance term. Non-finite values are stored,
 * not thrown.
 */
export const forwardBackwardStep: ForwardBackwardStep = (problem, it, n) => {
  const gamma = it.gamma;
  const u = it.u;
  const g = it.gradient;
  const uBar = it.uBar;
  let gg = 0;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    gg += gi * gi;
    uBar[i] = u[i] - gamma * gi;
  }
  problem.project(uBar);
  const r = it.residual;
  let rr = 0;
  let dd = 0;
  let gr = 0;
  for (let i = 0; i < n; i++) {
    const ubi = uBar[i];
    const ui = u[i];
    const gi = g[i];
    const ri = ui - ubi;
    r[i] = ri;
    rr += ri * ri;
    // the gradient step again: recomputed, the same bits, rather than stored
    const d = ui - gamma * gi - ubi;
    dd += d * d;
    gr += gi * ri;
  }
  it.gradientNormSquared = gg;
  it.normResidual = Math.sqrt(rr);
  it.stepDistanceSquared = dd;
  it.gradientDotResidual = gr;
};

/** {@link forwardBackwardStep} for length n, unrolled when n is small. */
export function forwardBackwardStepFor(n: number): ForwardBackwardStep {
  return unrolled("forwardBackwardStep", n, ["problem", "it"], unrolledStep, forwardBackwardStep);
}

function unrolledStep(n: number): string {
  return `const gamma = it.gamma, u = it.u, g = it.gradient, uBar = it.uBar, r = it.residual;
${each(n, (i) => `const u${i} = u[${i}], g${i} = g[${i}], s${i} = u${i} - gamma * g${i}; uBar[${i}] = s${i};`)}
problem.project(uBar);
${each(n, (i) => `const b${i} = uBar[${i}], r${i} = u${i} - b${i}, d${i} = s${i} - b${i}; r[${i}] = r${i};`)}
it.gradientNormSquared = ${sum(n, (i) => `g${i} * g${i}`)};
it.normResidual = Math.sqrt(${sum(n, (i) => `r${i} * r${i}`)});
it.stepDistanceSquared = ${sum(n, (i) => `d${i} * d${i}`)};
it.gradientDotResidual = ${sum(n, (i) => `g${i} * r${i}`)};`;
}
