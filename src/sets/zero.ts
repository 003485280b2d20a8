import { CheckedConstraint } from "./constraint.js";

/** The set {0} of any dimension: projection sets the slice to zero. */
export class Zero extends CheckedConstraint {
  protected readonly setName = "Zero";
  /** Any dimension. */
  readonly dimension: number | undefined = undefined;

  /** Sets `x[start, end)` to zero. */
  projectUnchecked(x: Float64Array, start: number, end: number): void {
    // a loop: for the short slices of embedded problems `fill`'s call costs more
    for (let i = start; i < end; i++) x[i] = 0;
  }

  isConvex(): boolean {
    return true;
  }

  isCompact(): boolean {
    return true;
  }
}
