import { finiteNumber } from "./checks.js";
import { CheckedConstraint } from "./constraint.js";
import { copyNormal } from "./halfspace.js";

/** The hyperplane {x : <normal, x> = offset}. */
export class Hyperplane extends CheckedConstraint {
  protected readonly setName = "Hyperplane";
  /** The normal vector (nonzero). */
  readonly normal: Float64Array;
  /** The offset b. */
  readonly offset: number;
  /** The normal's length. */
  readonly dimension: number;
  private readonly normSquared: number;

  /**
   * @param normal a nonzero normal vector n
   * @param offset the right-hand side b of <n, x> = b
   */
  constructor(normal: ArrayLike<number>, offset: number) {
    super();
    [this.normal, this.normSquared] = copyNormal("Hyperplane", normal);
    this.offset = finiteNumber("Hyperplane", "offset", offset);
    this.dimension = this.normal.length;
  }

  /** Moves `x[start, end)` along the normal onto the hyperplane. */
  projectUnchecked(x: Float64Array, start: number, _end: number): void {
    const n = this.normal;
    let dot = 0;
    for (let i = 0; i < n.length; i++) dot += n[i] * x[start + i];
    const step = (dot - this.offset) / this.normSquared;
    for (let i = 0; i < n.length; i++) x[start + i] -= step * n[i];
  }

  isConvex(): boolean {
    return true;
  }

  /** True only in dimension 1, where the hyperplane is a point. */
  isCompact(): boolean {
    return this.dimension === 1;
  }
}
