/**
 * The constraint sets of open-engine: every one implements {@link Constraint}
 * and projects in place on a slice of a `Float64Array`.
 *
 * @module
 */
export { Ball2 } from "./ball2.js";
export { BallInf } from "./ballInf.js";
export type { Constraint } from "./constraint.js";
export { distanceSquaredToSet } from "./distance.js";
export { NoConstraints } from "./noConstraints.js";
export { Rectangle } from "./rectangle.js";
export { Zero } from "./zero.js";
