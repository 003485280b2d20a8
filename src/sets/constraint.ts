import { checkSlice } from "./checks.js";

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

  /**
   * The same projection without checking the slice, for a caller that checked
   * it once beforehand (the solver does when the problem is built). Optional:
   * where a set lacks it, {@link uncheckedProjection} falls back on `project`.
   */
  projectUnchecked?(x: Float64Array, start: number, end: number): void;

  /** Whether the set is convex. Only convex sets may serve as the set C of the augmented Lagrangian. */
  isConvex(): boolean;

  /** Whether the set is bounded (and closed). The multiplier set Y must be compact. */
  isCompact(): boolean;
}

/** A projection whose slice the caller has already checked. */
export interface UncheckedProjection {
  /** Projects `x[start, end)`; the slice must lie in `x` and fit the set. */
  projectUnchecked(x: Float64Array, start: number, end: number): void;
}

/**
 * The sets of the library: the public `project` checks the slice (in range,
 * of the set's dimension, nonempty where the set needs it) and then runs the
 * set's own `projectUnchecked`.
 */
export abstract class CheckedConstraint implements Constraint, UncheckedProjection {
  abstract readonly dimension: number | undefined;
  /** The set's name, for error messages. */
  protected abstract readonly setName: string;
  /** Whether an empty slice is an error (sets defined by a last or first entry). */
  protected readonly needsEntries: boolean = false;

  /** {@inheritDoc Constraint.project} */
  project(x: Float64Array, start = 0, end: number = x.length): void {
    checkSlice(this.setName, this.dimension, x.length, start, end);
    if (this.needsEntries && end === start) {
      throw new Error(`${this.setName}: cannot project an empty slice`);
    }
    this.projectUnchecked(x, start, end);
  }

  abstract projectUnchecked(x: Float64Array, start: number, end: number): void;
  abstract isConvex(): boolean;
  abstract isCompact(): boolean;
}

/**
 * The projection onto `set` for a caller that checks its slices once: the
 * set's own `projectUnchecked`, or its checked `project` for a user-defined
 * set without one.
 */
export function uncheckedProjection(set: Constraint): UncheckedProjection {
  if (typeof set.projectUnchecked === "function") return set as UncheckedProjection;
  return { projectUnchecked: (x, start, end) => set.project(x, start, end) };
}
