import { positiveFinite } from "./checks.js";
import { CheckedConstraint } from "./constraint.js";
import { simplexThreshold } from "./simplexThreshold.js";

/** The simplex {x : x >= 0, sum_i x_i = alpha} of any dimension (Condat's projection). */
export class Simplex extends CheckedConstraint {
  protected readonly setName = "Simplex";
  protected override readonly needsEntries = true;
  /** The sum of the entries (positive). */
  readonly alpha: number;
  /** Any dimension. */
  readonly dimension: number | undefined = undefined;
  // scratch of Condat's method, grown on first use for a larger dimension, then reused
  private work = new Float64Array(0);

  /** @param alpha the (finite, positive) sum of the entries */
  constructor(alpha: number) {
    super();
    this.alpha = positiveFinite("Simplex", "alpha", alpha);
  }

  /** Projects `x[start, end)` onto the simplex; the slice must not be empty. */
  projectUnchecked(x: Float64Array, start: number, end: number): void {
    const n = end - start;
    if (this.work.length < 2 * n) this.work = new Float64Array(2 * n);
    const tau = simplexThreshold(x, start, n, this.alpha, this.work);
    for (let i = start; i < end; i++) {
      x[i] = Math.max(x[i] - tau, 0);
    }
  }

  isConvex(): boolean {
    return true;
  }

  isCompact(): boolean {
    return true;
  }
}
