import { copyCenter, positiveFinite } from "./checks.js";
import { CheckedConstraint } from "./constraint.js";

/** The Euclidean ball {x : ||x - center||_2 <= radius}. */
export class Ball2 extends CheckedConstraint {
  protected readonly setName = "Ball2";
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
    this.radius = positiveFinite("Ball2", "radius", radius);
    this.center = copyCenter("Ball2", center);
    this.dimension = this.center === null ? undefined : this.center.length;
  }

  /** Scales `x - center` back to the sphere when it lies outside the ball. */
  projectUnchecked(x: Float64Array, start: number, end: number): void {
    const c = this.center;
    // Two loops per case rather than a test per entry: the origin-centred
    // ball is the hot one (the constraint U of most problems).
    let norm2 = 0;
    if (c === null) {
      for (let i = start; i < end; i++) norm2 += x[i] * x[i];
    } else {
      for (let i = start; i < end; i++) {
        const d = x[i] - c[i - start];
        norm2 += d * d;
      }
    }
    const norm = Math.sqrt(norm2);
    if (norm <= this.radius) return;
    const scale = this.radius / norm;
    if (c === null) {
      for (let i = start; i < end; i++) x[i] *= scale;
    } else {
      for (let i = start; i < end; i++) {
        const ci = c[i - start];
        x[i] = ci + scale * (x[i] - ci);
      }
    }
  }

  isConvex(): boolean {
    return true;
  }

  isCompact(): boolean {
    return true;
  }
}
