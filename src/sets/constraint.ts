/**
 * A closed set onto which points can be projected, in place.
 *
 * Every set of open-engine implements this one small interface, as every
 * constraint of OpEn implements its `Constraint` trait. A projection works on
 * the slice `x[start, end)` of a `Float64Array`, so that a Cartesian product
 * can project consecutive slices of one vector without allocating views.
 */
export interface Constraint {
  /**
   * The dimension this set requires (e.g. the length of a rectangle's bounds
   * or of a ball's centre), or `undefined` when it accepts any dimension.
   */
  readonly dimension: number | undefined;

  /**
   * Replaces `x[start, end)` by its projection onto the set (a closest point;
   * for a nonconvex set one of the closest points, chosen deterministically).
   * `start` defaults to 0 and `end` to `x.length`. Allocates nothing.
   */
  project(x: Float64Array, start?: number, end?: number): void;

  /** Whether the set is convex. Only convex sets may serve as the set C of the augmented Lagrangian. */
  isConvex(): boolean;

  /** Whether the set is bounded (and closed). The multiplier set Y must be compact. */
  isCompact(): boolean;
}
