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

function allEqual(x: Float64Array | null, value: number): boolean {
  if (x === null) return value === Number.NEGATIVE_INFINITY || value === Number.POSITIVE_INFINITY;
  for (let i = 0; i < x.length; i++) if (x[i] !== value) return false;
  return true;
}

/**
 * Whether C is {0} or an orthant (a rectangle with one side all infinite and
 * the other all zero): the sets for which componentwise scaling of F1 leaves
 * C unchanged, so preconditioning is allowed.
 */
export function isZeroOrOrthant(setC: Constraint): boolean {
  if (setC instanceof Zero) return true;
  if (!(setC instanceof Rectangle)) return false;
  const lo = setC.xmin;
  const hi = setC.xmax;
  const nonNegative = allEqual(lo, 0) && allEqual(hi, Number.POSITIVE_INFINITY);
  const nonPositive = allEqual(lo, Number.NEGATIVE_INFINITY) && allEqual(hi, 0);
  return nonNegative || nonPositive;
}
