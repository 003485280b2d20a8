import {
  CheckedConstraint,
  type Constraint,
  type UncheckedProjection,
  uncheckedProjection,
} from "./constraint.js";

/**
 * The Cartesian product of sets on consecutive slices: set k acts on
 * `[ends[k-1], ends[k])` (the first one from 0). Built fluently:
 *
 * ```ts
 * const U = new CartesianProduct().add(2, new Ball2(1)).add(5, new Rectangle(lo, hi));
 * ```
 */
export class CartesianProduct extends CheckedConstraint {
  protected readonly setName = "CartesianProduct";
  private readonly segmentEnds: number[] = [];
  private readonly segmentSets: Constraint[] = [];
  // each segment's projection, its slice checked by `add` and by the product's `project`
  private readonly segmentProjections: UncheckedProjection[] = [];

  /** The exclusive end index of every segment, increasing. */
  get ends(): readonly number[] {
    return this.segmentEnds;
  }

  /** The set of every segment. */
  get sets(): readonly Constraint[] {
    return this.segmentSets;
  }

  /** The total dimension: the end of the last segment (0 while empty). */
  get dimension(): number {
    const k = this.segmentEnds.length;
    return k === 0 ? 0 : this.segmentEnds[k - 1];
  }

  /**
   * Appends a set acting on the slice from the previous segment's end (or 0) to
   * `end` (exclusive). Returns this product.
   *
   * @param end the exclusive end index of the new segment, beyond the previous one
   * @param set the set of that segment; a set of fixed dimension must match the segment length
   */
  add(end: number, set: Constraint): this {
    const begin = this.dimension;
    if (!Number.isInteger(end) || end <= begin) {
      throw new Error(
        `CartesianProduct: segment end must be an integer greater than ${begin}, got ${end}`,
      );
    }
    if (set == null || typeof set.project !== "function") {
      throw new Error("CartesianProduct: set must be a constraint");
    }
    if (set.dimension !== undefined && set.dimension !== end - begin) {
      throw new Error(
        `CartesianProduct: segment [${begin}, ${end}) has length ${end - begin} but its set has dimension ${set.dimension}`,
      );
    }
    this.segmentEnds.push(end);
    this.segmentSets.push(set);
    this.segmentProjections.push(uncheckedProjection(set));
    return this;
  }

  /** Projects every segment of `x[start, end)` onto its set. */
  projectUnchecked(x: Float64Array, start: number, _end: number): void {
    let begin = start;
    for (let k = 0; k < this.segmentProjections.length; k++) {
      const segmentEnd = start + this.segmentEnds[k];
      this.segmentProjections[k].projectUnchecked(x, begin, segmentEnd);
      begin = segmentEnd;
    }
  }

  /** True when every set is convex. */
  isConvex(): boolean {
    for (const set of this.segmentSets) if (!set.isConvex()) return false;
    return true;
  }

  /** True when every set is compact. */
  isCompact(): boolean {
    for (const set of this.segmentSets) if (!set.isCompact()) return false;
    return true;
  }
}
