import type { Constraint } from "../../sets/constraint.js";
import { BallInf, Rectangle, Zero } from "../../sets/index.js";

/** The bound used for derived multiplier sets Y. */
export const MULTIPLIER_BOUND = 1e12;

/**
 * The multiplier set Y derived from C when the problem gives none: for a
 * rectangle C, the rectangle with bounds -1e12 on the sides where C is
 * bounded below (0 where not) and +1e12 where C is bounded above (0 where
 * not); for any other C (compact or not), the infinity ball of radius 1e12.
 * (For a non-rectangular unbounded C such as a halfspace or a cone this is a
 * safe default: it only caps the size of the multipliers.)
 */
export function deriveSetY(setC: Constraint, n1: number): Constraint {
  if (setC instanceof Rectangle) {
    const lo = new Float64Array(n1);
    const hi = new Float64Array(n1);
    for (let i = 0; i < n1; i++) {
      const cmin = setC.xmin === null ? Number.NEGATIVE_INFINITY : setC.xmin[i];
      const cmax = setC.xmax === null ? Number.POSITIVE_INFINITY : setC.xmax[i];
      lo[i] = Number.isFinite(cmin) ? -MULTIPLIER_BOUND : 0;
      hi[i] = Number.isFinite(cmax) ? MULTIPLIER_BOUND : 0;
    }
    return new Rectangle(lo, hi);
  }
  return new BallInf(MULTIPLIER_BOUND);
}

/**
 * Whether every coordinate of C is {0}, [0, inf), (-inf, 0] or R (Zero, or
 * a Rectangle with such bounds, as opengen's `is_orthant` but coordinate by
 * coordinate): exactly the sets that a positive diagonal scaling of F1 maps
 * onto themselves, so W1 F1 in C if and only if F1 in C and preconditioning
 * leaves the problem unchanged.
 */
export function isZeroOrOrthant(setC: Constraint): boolean {
  if (setC instanceof Zero) return true;
  if (!(setC instanceof Rectangle)) return false;
  for (let i = 0; i < setC.dimension; i++) {
    const lo = setC.xmin === null ? Number.NEGATIVE_INFINITY : setC.xmin[i];
    const hi = setC.xmax === null ? Number.POSITIVE_INFINITY : setC.xmax[i];
    if (
      !(
        (lo === 0 || lo === Number.NEGATIVE_INFINITY) &&
        (hi === 0 || hi === Number.POSITIVE_INFINITY)
      )
    ) {
      return false;
    }
  }
  return true;
}
