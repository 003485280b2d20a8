import { each, unrolled } from "../unrolled.js";

/** x = u - a r - tau d, the line search's trial point for a = 1 - tau. */
export type TrialPoint = (
  x: Float64Array,
  u: Float64Array,
  r: Float64Array,
  d: Float64Array,
  a: number,
  tau: number,
  n: number,
) => void;

export const trialPoint: TrialPoint = (x, u, r, d, a, tau, n) => {
  for (let i = 0; i < n; i++) x[i] = u[i] - a * r[i] - tau * d[i];
};

/** {@link trialPoint} for length n, unrolled when n is small. */
export function trialPointFor(n: number): TrialPoint {
  return unrolled(
    "trialPoint",
    n,
    ["x", "u", "r", "d", "a", "tau"],
    (n) => each(n, (i) => `x[${i}] = u[${i}] - a * r[${i}] - tau * d[${i}];`),
    trialPoint,
  );
}
