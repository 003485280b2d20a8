import { AffineSpace } from "./affineSpace.js";
import { Ball1 } from "./ball1.js";
import { Ball2 } from "./ball2.js";
import { BallInf } from "./ballInf.js";
import { BallP } from "./ballP.js";
import { CartesianProduct } from "./cartesianProduct.js";
import type { Constraint } from "./constraint.js";
import { EpigraphSquaredNorm } from "./epigraphSquaredNorm.js";
import { FiniteSet } from "./finiteSet.js";
import { Halfspace } from "./halfspace.js";
import { Hyperplane } from "./hyperplane.js";
import { NoConstraints } from "./noConstraints.js";
import { Rectangle } from "./rectangle.js";
import { SecondOrderCone } from "./secondOrderCone.js";
import { Simplex } from "./simplex.js";
import { Sphere2 } from "./sphere2.js";
import { Zero } from "./zero.js";

const LIBRARY_SETS: ReadonlySet<unknown> = new Set([
  AffineSpace,
  Ball1,
  Ball2,
  BallInf,
  BallP,
  CartesianProduct,
  EpigraphSquaredNorm,
  FiniteSet,
  Halfspace,
  Hyperplane,
  NoConstraints,
  Rectangle,
  SecondOrderCone,
  Simplex,
  Sphere2,
  Zero,
]);

/**
 * Whether `set` is one of this library's sets (not a subclass), and so are
 * the sets of a Cartesian product: their projections always return, in a
 * bounded number of steps. A user-defined set runs code of its own, which
 * might not.
 */
export function isLibrarySet(set: Constraint): boolean {
  if (!LIBRARY_SETS.has(Object.getPrototypeOf(set)?.constructor)) return false;
  return !(set instanceof CartesianProduct) || set.sets.every(isLibrarySet);
}
