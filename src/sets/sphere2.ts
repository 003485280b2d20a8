import { copyCenter, positiveFinite } from "./checks.js";
import { CheckedConstraint } from "./constraint.js";

/**
 * The Euclidean sphere {x : ||x - center||_2 = radius} (nonconvex). The centre
 * itself, equally near to every point, projects to center + radius e_1.
 */
export class Sphere2 extends CheckedConstraint {
  protected readonly setName = "Sphere2";
  protected override readonly needsEntries = true;
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
    this.radius = positiveFinite("Sphere2", "radius", radius);
    this.center = copyCenter("Sphere2", center);
    this.dimension = this.center === null ? undefined : this.center.length;
  }

  /** Scales `x - center` to the radius. */
  projectUnchecked(x: Float64Array, start: number, end: number): void {
    const c = this.center;
    let norm2 = 0;
    for (let i = start; i < end; i++) {
      const d = c === null ? x[i] : x[i] - c[i - start];
      norm2 += d * d;
    }
    if (norm2 === 0) {
      for (let i = start; i < end; i++) x[i] = c === null ? 0 : c[i - start];
      x[start] += this.radius;
      return;
    }
    const scale = this.radius / Math.sqrt(norm2);
    for (let i = start; i < end; i++) {
      const ci = c === null ? 0 : c[i - start];
      x[i] = ci + scale * (x[i] - ci);
    }
  }

  isConvex(): boolean {
    return false;
  }

  isCompact(): boolean {
    return true;
  }
}
