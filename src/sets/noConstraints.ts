import { CheckedConstraint } from "./constraint.js";

/** The whole space R^n of any dimension: projection leaves the slice unchanged. */
export class NoConstraints extends CheckedConstraint {
  protected readonly setName = "NoConstraints";
  /** Any dimension. */
  readonly dimension: number | undefined = undefined;

  /** Leaves `x` unchanged (only checks the slice). */
  projectUnchecked(_x: Float64Array, _start: number, _end: number): void {}

  isConvex(): boolean {
    return true;
  }

  isCompact(): boolean {
    return false;
  }
}
