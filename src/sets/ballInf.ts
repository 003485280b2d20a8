import { copyCenter, positiveFinite } from "./checks.js";
import { CheckedConstraint } from "./constraint.js";

/** The infinity-norm ball {x : max_i |x_i - center_i| <= radius}. */
export class BallInf extends CheckedConstraint {
  protected readonly setName = "BallInf";
  /** The radius (positive). */
  readonly radius: number;
  /** The centre, or `null` for the origin. */
  readonly center: Float64Array | null;
  /** The centre's length, or `undefined` (any dimension) when centred at the origin. */
  readonly dimension: number | undefined;

  /**
   * @param radius a finite positive radius
   * @param center the centre (default: the origin, in any dimension)
   */
  constructor(radius: number, center?: ArrayLike<number> | null) {
    super();
    this.radius = positiveFinite("BallInf", "radius", radius);
    this.center = copyCenter("BallInf", center);
    this.dimension = this.center === null ? undefined : this.center.length;
  }

  /** Clips every entry to [center_i - radius, center_i + radius]. */
  projectUnchecked(x: Float64Array, start: number, end: number): void {
    const c = this.center;
    const r = this.radius;
    for (let i = start; i < end; i++) {
      const ci = c === null ? 0 : c[i - start];
      const v = x[i];
      if (v > ci + r) x[i] = ci + r;
      else if (v < ci - r) x[i] = ci - r;
    }
  }

  isConvex(): boolean {
    return true;
  }

  isCompact(): boolean {
    return true;
  }
}
