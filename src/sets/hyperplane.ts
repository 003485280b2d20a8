import { checkSlice, finiteNumber } from "./checks.js";
import type { Constraint } from "./constraint.js";
import { copyNormal } from "./halfspace.js";

/** The hyperplane {x : <normal, x> = offset}. */
export class Hyperplane implements Constraint {
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
    [this.normal, this.normSquared] = copyNormal("Hyperplane", normal);
    this.offset = finiteNumber("Hyperplane", "offset", offset);
    this.dimension = this.normal.length;
  }

  /** Moves `x[start, end)` along the normal onto the hyperplane. */
  project(x: Float64Array, start = 0, end: number = x.length): void {
    checkSlice("Hyperplane", this.dimension, x.length, start, end);
    const n = this.normal;
    let dot = 0;
    for (let i = 0; i < n.length; i++) dot += n[i] * x[start + i];
    const step = (dot - this.offset) / this.normSquared;
    for (let i = 0; i < n.length; i++) x[start + i] -= step * n[i];
  }

  /** Always true. */
  isConvex(): boolean {
    return true;
  }

  /** True only in dimension 1, where the hyperplane is a point. */
  isCompact(): boolean {
    return this.dimension === 1;
  }
}
