import type { Constraint } from "./constraint.js";

/**
 * The squared Euclidean distance from `x` to `set`: copies `x` into the
 * caller's preallocated `work` buffer (length at least `x.length`), projects
 * it there and returns ||x - Pi(x)||^2. `x` is left unchanged and nothing is
 * allocated (the augmented Lagrangian's dist_C^2 term).
 */
export function distanceSquaredToSet(set: Constraint, x: Float64Array, work: Float64Array): number {
  const n = x.length;
  if (work.length < n) {
    throw new Error(`distanceSquaredToSet: work has length ${work.length}, needs at least ${n}`);
  }
  work.set(x);
  set.project(work, 0, n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - work[i];
    sum += d * d;
  }
  return sum;
}
