/**
 * The constraint sets of open-engine: every one implements {@link Constraint}
 * and projects in place on a slice of a `Float64Array`.
 *
 * @module
 */
export { AffineSpace } from "./affineSpace.js";
export { Ball1 } from "./ball1.js";
export { Ball2 } from "./ball2.js";
export { BallInf } from "./ballInf.js";
export { BallP } from "./ballP.js";
export { CartesianProduct } from "./cartesianProduct.js";
export {
  CheckedConstraint,
  type Constraint,
  type UncheckedProjection,
  uncheckedProjection,
} from "./constraint.js";
export { distanceSquaredToSet } from "./distance.js";
export { EpigraphSquaredNorm } from "./epigraphSquaredNorm.js";
export { FiniteSet } from "./finiteSet.js";
export { Halfspace } from "./halfspace.js";
export { Hyperplane } from "./hyperplane.js";
export { NoConstraints } from "./noConstraints.js";
export { Rectangle } from "./rectangle.js";
export { SecondOrderCone } from "./secondOrderCone.js";
export { Simplex } from "./simplex.js";
export { Sphere2 } from "./sphere2.js";
export { Zero } from "./zero.js";
