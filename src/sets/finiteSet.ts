import { copyVector } from "./checks.js";
import { CheckedConstraint } from "./constraint.js";

/**
 * A finite set of points: a point projects to the nearest one (Euclidean
 * distance), the first in the given order on ties. Nonconvex unless it has a
 * single point.
 */
export class FiniteSet extends CheckedConstraint {
  protected readonly setName = "FiniteSet";
  /** The points, concatenated (count * dimension entries). */
  readonly points: Float64Array;
  /** The number of points. */
  readonly count: number;
  /** The length of every point. */
  readonly dimension: number;

  /** @param points a nonempty list of points of equal, nonzero length */
  constructor(points: ReadonlyArray<ArrayLike<number>>) {
    super();
    if (points == null || typeof points.length !== "number" || points.length === 0) {
      throw new Error("FiniteSet: points must be a nonempty array of points");
    }
    const n = points[0]?.length;
    if (typeof n !== "number" || n === 0) {
      throw new Error("FiniteSet: points[0] must be a nonempty array of numbers");
    }
    this.count = points.length;
    this.dimension = n;
    this.points = new Float64Array(this.count * n);
    for (let k = 0; k < this.count; k++) {
      const point = copyVector("FiniteSet", `points[${k}]`, points[k]);
      if (point.length !== n) {
        throw new Error(
          `FiniteSet: all points must have length ${n}, but points[${k}] has length ${point.length}`,
        );
      }
      this.points.set(point, k * n);
    }
  }

  /** Replaces `x[start, end)` by the nearest point (the first of equally near ones). */
  projectUnchecked(x: Float64Array, start: number, _end: number): void {
    const n = this.dimension;
    const pts = this.points;
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let k = 0; k < this.count; k++) {
      let d = 0;
      for (let i = 0; i < n; i++) {
        const diff = x[start + i] - pts[k * n + i];
        d += diff * diff;
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    for (let i = 0; i < n; i++) x[start + i] = pts[best * n + i];
  }

  /** True only for a single point. */
  isConvex(): boolean {
    return this.count === 1;
  }

  isCompact(): boolean {
    return true;
  }
}
