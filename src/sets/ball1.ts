import { copyCenter, positiveFinite } from "./checks.js";
import { CheckedConstraint } from "./constraint.js";
import { simplexThreshold } from "./simplexThreshold.js";

/**
 * The l1 ball {x : sum_i |x_i - center_i| <= radius}. A point outside is
 * projected by soft thresholding, the threshold being that of the projection
 * of |x - center| onto the simplex of size `radius`.
 */
export class Ball1 extends CheckedConstraint {
  protected readonly setName = "Ball1";
  /** The radius (positive). */
  readonly radius: number;
  /** The centre, or `null` for the origin. */
  readonly center: Float64Array | null;
  /** The centre's length, or `undefined` (any dimension) when centred at the origin. */
  readonly dimension: number | undefined;
  // |x - center| in [2n, 3n) and the simplex scratch in [0, 2n); grown on first use
  private work = new Float64Array(0);

  /**
   * @param radius a finite positive radius
   * @param center the centre (default: the origin, in any dimension)
   */
  constructor(radius: number, center?: ArrayLike<number> | null) {
    super();
    this.radius = positiveFinite("Ball1", "radius", radius);
    this.center = copyCenter("Ball1", center);
    this.dimension = this.center === null ? undefined : this.center.length;
  }

  /** Projects `x[start, end)` onto the ball. */
  projectUnchecked(x: Float64Array, start: number, end: number): void {
    const c = this.center;
    const n = end - start;
    let norm1 = 0;
    for (let i = 0; i < n; i++) {
      norm1 += Math.abs(c === null ? x[start + i] : x[start + i] - c[i]);
    }
    if (norm1 <= this.radius) return;
    if (this.work.length < 3 * n) this.work = new Float64Array(3 * n);
    const work = this.work;
    for (let i = 0; i < n; i++) {
      work[2 * n + i] = Math.abs(c === null ? x[start + i] : x[start + i] - c[i]);
    }
    const tau = simplexThreshold(work, 2 * n, n, this.radius, work);
    for (let i = 0; i < n; i++) {
      const ci = c === null ? 0 : c[i];
      const d = x[start + i] - ci;
      const shrunk = Math.abs(d) - tau;
      x[start + i] = shrunk > 0 ? ci + (d > 0 ? shrunk : -shrunk) : ci;
    }
  }

  isConvex(): boolean {
    return true;
  }

  isCompact(): boolean {
    return true;
  }
}
