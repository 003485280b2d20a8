import assert from "node:assert/strict";
import { type Constraint, uncheckedProjection } from "../../src/sets/constraint.js";
import type { Random } from "./random.js";

/** Asserts |actual_i - expected_i| <= tol (1 + |expected_i|) for every i. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12) {
  assert.equal(actual.length, expected.length, "lengths differ");
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    assert.ok(
      err <= tol * (1 + Math.abs(expected[i])),
      `entry ${i}: got ${actual[i]}, expected ${expected[i]} (error ${err})`,
    );
  }
}

/** Projects a copy of `x` and returns it. */
export function projected(set: Constraint, x: ArrayLike<number>): Float64Array {
  const y = Float64Array.from(x);
  set.project(y);
  return y;
}

/** Euclidean distance. */
export function dist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** Euclidean norm. */
export function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** Options of {@link checkProjectionProperties}. */
export interface PropertyOptions {
  /** Membership test of the set, given a tolerance-bearing point. */
  contains: (x: Float64Array) => boolean;
  /** Number of random test points. */
  points?: number;
  /** Scale of the random points. */
  scale?: number;
  /** Number of random points of the set compared against each projection. */
  samples?: number;
}

/**
 * Property checks on seeded random points: the projection lands in the set,
 * is idempotent, is non-expansive when the set is convex, is at least as close
 * as many sampled points of the set, and leaves the rest of a longer vector
 * untouched when projecting a slice, the solver's unchecked projection giving
 * the same bits.
 */
export function checkProjectionProperties(
  set: Constraint,
  n: number,
  rng: Random,
  options: PropertyOptions,
): void {
  const points = options.points ?? 40;
  const scale = options.scale ?? 3;
  const samples: Float64Array[] = [];
  for (let k = 0; k < (options.samples ?? 200); k++) {
    samples.push(projected(set, rng.vector(n, scale * rng.uniform(0.1, 2))));
  }
  for (const s of samples) assert.ok(options.contains(s), `sample ${Array.from(s)} not in set`);
  let previous: { x: Float64Array; px: Float64Array } | null = null;
  for (let k = 0; k < points; k++) {
    const x = rng.vector(n, scale * rng.uniform(0.1, 2));
    const px = projected(set, x);
    assert.ok(options.contains(px), `projection ${Array.from(px)} of ${Array.from(x)} not in set`);
    assertClose(projected(set, px), px, 1e-10);
    const d = dist(x, px);
    for (const s of samples) {
      assert.ok(d <= dist(x, s) * (1 + 1e-9) + 1e-12, "a sampled point of the set is closer");
    }
    if (set.isConvex() && previous !== null) {
      assert.ok(
        dist(px, previous.px) <= dist(x, previous.x) * (1 + 1e-9) + 1e-12,
        "projection is expansive",
      );
    }
    previous = { x, px };
    const padded = new Float64Array(n + 5);
    padded.fill(7.25);
    padded.set(x, 2);
    set.project(padded, 2, 2 + n);
    assertClose(padded.subarray(2, 2 + n), px, 0);
    for (const i of [0, 1, n + 2, n + 3, n + 4]) assert.equal(padded[i], 7.25);
    const unchecked = new Float64Array(n + 5).fill(7.25);
    unchecked.set(x, 2);
    uncheckedProjection(set).projectUnchecked(unchecked, 2, 2 + n);
    assert.deepEqual(unchecked, padded);
  }
}

/** Simplex projection by sorting (Held, Wolfe, Crowder), an independent method. */
export function simplexBySorting(y: ArrayLike<number>, alpha: number): Float64Array {
  const sorted = Array.from(y).sort((a, b) => b - a);
  let sum = 0;
  let tau = 0;
  for (let k = 0; k < sorted.length; k++) {
    sum += sorted[k];
    const candidate = (sum - alpha) / (k + 1);
    if (sorted[k] - candidate > 0) tau = candidate;
  }
  return Float64Array.from(y, (v) => Math.max(v - tau, 0));
}
