import { copyVector, finiteNumber } from "./checks.js";
import { CheckedConstraint } from "./constraint.js";

/** Copies a normal vector, rejecting the zero vector; returns it with its squared norm. */
export function copyNormal(set: string, normal: ArrayLike<number>): [Float64Array, number] {
  const n = copyVector(set, "normal", normal);
  let normSquared = 0;
  for (let i = 0; i < n.length; i++) normSquared += n[i] * n[i];
  if (!(normSquared > 0) || !Number.isFinite(normSquared)) {
    throw new Error(`${set}: normal must be a nonzero vector of moderate size`);
  }
  return [n, normSquared];
}

/** The halfspace {x : <normal, x> <= offset}. */
export class Halfspace extends CheckedConstraint {
  protected readonly setName = "Halfspace";
  /** The normal vector (nonzero). */
  readonly normal: Float64Array;
  /** The offset b. */
  readonly offset: number;
  /** The normal's length. */
  readonly dimension: number;
  private readonly normSquared: number;

  /**
   * @param normal a nonzero normal vector n
   * @param offset the right-hand side b of <n, x> <= b
   */
  constructor(normal: ArrayLike<number>, offset: number) {
    super();
    [this.normal, this.normSquared] = copyNormal("Halfspace", normal);
    this.offset = finiteNumber("Halfspace", "offset", offset);
    this.dimension = this.normal.length;
  }

  /** Moves `x[start, end)` along the normal onto the boundary when it violates the inequality. */
  projectUnchecked(x: Float64Array, start: number, _end: number): void {
    const n = this.normal;
    let dot = 0;
    for (let i = 0; i < n.length; i++) dot += n[i] * x[start + i];
    if (dot <= this.offset) return;
    const step = (dot - this.offset) / this.normSquared;
    for (let i = 0; i < n.length; i++) x[start + i] -= step * n[i];
  }

  isConvex(): boolean {
    return true;
  }

  isCompact(): boolean {
    return false;
  }
}
