import { positiveFinite } from "./checks.js";
import { CheckedConstraint } from "./constraint.js";

/**
 * The second-order cone {(z, t) : ||z||_2 <= alpha t} of any dimension n >= 1,
 * t being the last entry of the slice.
 */
export class SecondOrderCone extends CheckedConstraint {
  protected readonly setName = "SecondOrderCone";
  protected override readonly needsEntries = true;
  /** The aperture alpha (positive). */
  readonly alpha: number;
  /** Any dimension. */
  readonly dimension: number | undefined = undefined;

  /** @param alpha the finite positive aperture */
  constructor(alpha: number) {
    super();
    this.alpha = positiveFinite("SecondOrderCone", "alpha", alpha);
  }

  /** Projects `x[start, end)` = (z, t) onto the cone. */
  projectUnchecked(x: Float64Array, start: number, end: number): void {
    const alpha = this.alpha;
    const last = end - 1;
    const t = x[last];
    let norm2 = 0;
    for (let i = start; i < last; i++) norm2 += x[i] * x[i];
    const norm = Math.sqrt(norm2);
    if (norm <= alpha * t) return;
    // in the polar cone {alpha ||z|| <= -t}: the projection is the apex
    if (alpha * norm <= -t) {
      x.fill(0, start, end);
      return;
    }
    // otherwise project onto the boundary ray through (alpha z / ||z||, 1)
    const tNew = (alpha * norm + t) / (alpha * alpha + 1);
    const scale = (alpha * tNew) / norm;
    for (let i = start; i < last; i++) x[i] *= scale;
    x[last] = tNew;
  }

  isConvex(): boolean {
    return true;
  }

  isCompact(): boolean {
    return false;
  }
}
