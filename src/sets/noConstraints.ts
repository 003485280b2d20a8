import { checkSlice } from "./checks.js";
import type { Constraint } from "./constraint.js";

/** The whole space R^n of any dimension: projection leaves the slice unchanged. */
export class NoConstraints implements Constraint {
  /** Any dimension. */
  readonly dimension: number | undefined = undefined;

  /** Leaves `x` unchanged (only checks the slice). */
  project(x: Float64Array, start = 0, end: number = x.length): void {
    checkSlice("NoConstraints", undefined, x.length, start, end);
  }

  /** Always true. */
  isConvex(): boolean {
    return true;
  }

  /** Always false. */
  isCompact(): boolean {
    return false;
  }
}
