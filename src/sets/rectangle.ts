import { copyVector } from "./checks.js";
import { CheckedConstraint } from "./constraint.js";

/**
 * The box {x : xmin <= x <= xmax}, with infinite bounds allowed. Either bound
 * may be `null` (no bound on that side), but not both.
 */
export class Rectangle extends CheckedConstraint {
  protected readonly setName = "Rectangle";
  /** Lower bounds (entries may be -Infinity), or `null` when unbounded below. */
  readonly xmin: Float64Array | null;
  /** Upper bounds (entries may be +Infinity), or `null` when unbounded above. */
  readonly xmax: Float64Array | null;
  /** The length of the bounds. */
  readonly dimension: number;

  /**
   * @param xmin lower bounds, or `null`
   * @param xmax upper bounds, or `null`; same length as `xmin`, and `xmin <= xmax`
   */
  constructor(xmin: ArrayLike<number> | null, xmax: ArrayLike<number> | null) {
    super();
    if (xmin == null && xmax == null) {
      throw new Error("Rectangle: at least one of xmin and xmax must be given");
    }
    this.xmin = xmin == null ? null : copyVector("Rectangle", "xmin", xmin, true);
    this.xmax = xmax == null ? null : copyVector("Rectangle", "xmax", xmax, true);
    const lo = this.xmin;
    const hi = this.xmax;
    if (lo !== null && hi !== null && lo.length !== hi.length) {
      throw new Error(
        `Rectangle: xmin and xmax must have equal lengths, got ${lo.length} and ${hi.length}`,
      );
    }
    this.dimension = lo !== null ? lo.length : (hi as Float64Array).length;
    for (let i = 0; i < this.dimension; i++) {
      if (lo !== null && lo[i] === Number.POSITIVE_INFINITY) {
        throw new Error(`Rectangle: xmin[${i}] must not be +Infinity (empty set)`);
      }
      if (hi !== null && hi[i] === Number.NEGATIVE_INFINITY) {
        throw new Error(`Rectangle: xmax[${i}] must not be -Infinity (empty set)`);
      }
      if (lo !== null && hi !== null && lo[i] > hi[i]) {
        throw new Error(`Rectangle: xmin[${i}] = ${lo[i]} exceeds xmax[${i}] = ${hi[i]}`);
      }
    }
  }

  /** Clips every entry of `x[start, end)` to its bounds. */
  projectUnchecked(x: Float64Array, start: number, _end: number): void {
    const lo = this.xmin;
    const hi = this.xmax;
    if (lo !== null) {
      for (let i = 0; i < this.dimension; i++) {
        if (x[start + i] < lo[i]) x[start + i] = lo[i];
      }
    }
    if (hi !== null) {
      for (let i = 0; i < this.dimension; i++) {
        if (x[start + i] > hi[i]) x[start + i] = hi[i];
      }
    }
  }

  isConvex(): boolean {
    return true;
  }

  /** True when both bounds are given and finite. */
  isCompact(): boolean {
    const lo = this.xmin;
    const hi = this.xmax;
    if (lo === null || hi === null) return false;
    for (let i = 0; i < this.dimension; i++) {
      if (!Number.isFinite(lo[i]) || !Number.isFinite(hi[i])) return false;
    }
    return true;
  }
}
