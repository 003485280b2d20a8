import { checkSlice } from "./checks.js";
import type { Constraint } from "./constraint.js";

/** The set {0} of any dimension: projection sets the slice to zero. */
export class Zero implements Constraint {
  /** Any dimension. */
  readonly dimension: number | undefined = undefined;

  /** Sets `x[start, end)` to zero. */
  project(x: Float64Array, start = 0, end: number = x.length): void {
    checkSlice("Zero", undefined, x.length, start, end);
    x.fill(0, start, end);
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
