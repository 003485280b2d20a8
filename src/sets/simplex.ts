import { checkSlice, positiveFinite } from "./checks.js";
import type { Constraint } from "./constraint.js";
import { simplexThreshold } from "./simplexThreshold.js";

/** The simplex {x : x >= 0, sum_i x_i = alpha} of any dimension (Condat's projection). */
export class Simplex implements Constraint {
  /** The sum of the entries (positive). */
  readonly alpha: number;
  /** Any dimension. */
  readonly dimension: number | undefined = undefined;
  // scratch of Condat's method, grown on first use for a larger dimension, then reused
  private work = new Float64Array(0);

  /** @param alpha the (finite, positive) sum of the entries */
  constructor(alpha: number) {
    this.alpha = positiveFinite("Simplex", "alpha", alpha);
  }

  /** Projects `x[start, end)` onto the simplex; the slice must not be empty. */
  project(x: Float64Array, start = 0, end: number = x.length): void {
    checkSlice("Simplex", undefined, x.length, start, end);
    const n = end - start;
    if (n === 0) throw new Error("Simplex: cannot project an empty slice");
    if (this.work.length < 2 * n) this.work = new Float64Array(2 * n);
    const tau = simplexThreshold(x, start, n, this.alpha, this.work);
    for (let i = start; i < end; i++) {
      x[i] = Math.max(x[i] - tau, 0);
    }
  }

  /** Always true. */
  isConvex(): boolean {
    return true;
  }

  /** Always true. */
  isCompact(): boolean {
    return true;
  }
}
