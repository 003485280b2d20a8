import { checkSlice, copyCenter, positiveFinite } from "./checks.js";
import type { Constraint } from "./constraint.js";

const MAX_ITERATIONS = 200;

/**
 * The solution s in [0, a] of s + lambda p s^(p-1) = a (a >= 0, lambda >= 0,
 * p > 1): safeguarded Newton on an increasing function, bisection when a
 * Newton step leaves the bracket.
 */
function shrink(a: number, lambda: number, p: number): number {
  if (a === 0 || lambda === 0) return a;
  const lp = lambda * p;
  let lo = 0;
  // both terms are nonnegative, so the root is below a and below (a / lp)^(1/(p-1))
  let hi = Math.min(a, (a / lp) ** (1 / (p - 1)));
  let s = hi;
  for (let k = 0; k < MAX_ITERATIONS; k++) {
    const sp = s ** (p - 2);
    const h = s + lp * sp * s - a;
    if (h === 0) return s;
    if (h > 0) hi = s;
    else lo = s;
    let next = s - h / (1 + lp * (p - 1) * sp);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - s) <= 1e-16 * s || hi - lo <= 1e-16 * hi) return next;
    s = next;
  }
  return s;
}

/**
 * The p-norm ball {x : ||x - center||_p <= radius} for a finite p > 1. A point
 * outside is projected through the optimality conditions
 * y_i - x_i + lambda p |y_i|^(p-1) sign(y_i) = 0 (y relative to the centre),
 * with the multiplier lambda found by safeguarded Newton/bisection so that
 * ||y||_p = radius, and each |y_i| likewise from its scalar equation.
 */
export class BallP implements Constraint {
  /** The radius (positive). */
  readonly radius: number;
  /** The exponent p (finite, > 1). */
  readonly p: number;
  /** The centre, or `null` for the origin. */
  readonly center: Float64Array | null;
  /** The centre's length, or `undefined` (any dimension) when centred at the origin. */
  readonly dimension: number | undefined;
  // derivative of the last excess() evaluation
  private slope = 0;

  /**
   * @param radius a finite positive radius
   * @param p the exponent, finite and greater than 1
   * @param center the centre (default: the origin, in any dimension)
   */
  constructor(radius: number, p: number, center?: ArrayLike<number> | null) {
    this.radius = positiveFinite("BallP", "radius", radius);
    if (typeof p !== "number" || !Number.isFinite(p) || p <= 1) {
      throw new Error(`BallP: p must be a finite number greater than 1, got ${p}`);
    }
    this.p = p;
    this.center = copyCenter("BallP", center);
    this.dimension = this.center === null ? undefined : this.center.length;
  }

  /** Projects `x[start, end)` onto the ball. */
  project(x: Float64Array, start = 0, end: number = x.length): void {
    checkSlice("BallP", this.dimension, x.length, start, end);
    const c = this.center;
    const p = this.p;
    const r = this.radius;
    // work in units of the radius: project onto the unit ball, then scale back
    let maxAbs = 0;
    for (let i = start; i < end; i++) {
      const a = Math.abs(c === null ? x[i] : x[i] - c[i - start]) / r;
      if (a > maxAbs) maxAbs = a;
    }
    if (maxAbs <= 1 && this.excess(x, start, end, 0) <= 0) return;
    let lo = 0;
    let hi = 1;
    while (this.excess(x, start, end, hi) > 0) {
      lo = hi;
      hi *= 2;
    }
    let lambda = hi;
    for (let k = 0; k < MAX_ITERATIONS; k++) {
      const g = this.excess(x, start, end, lambda);
      if (Math.abs(g) <= 1e-15) break;
      if (g > 0) lo = lambda;
      else hi = lambda;
      if (hi - lo <= 1e-15 * hi) break;
      let next = lambda - g / this.slope;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      lambda = next;
    }
    for (let i = start; i < end; i++) {
      const ci = c === null ? 0 : c[i - start];
      const d = x[i] - ci;
      const s = r * shrink(Math.abs(d) / r, lambda, p);
      x[i] = d >= 0 ? ci + s : ci - s;
    }
  }

  /**
   * sum_i s_i(lambda)^p - 1 for the scaled point in x (x unchanged), decreasing
   * in lambda; stores its derivative (implicit differentiation) in `slope`.
   */
  private excess(x: Float64Array, start: number, end: number, lambda: number): number {
    const c = this.center;
    const p = this.p;
    const r = this.radius;
    let sum = 0;
    let slope = 0;
    for (let i = start; i < end; i++) {
      const a = Math.abs(c === null ? x[i] : x[i] - c[i - start]) / r;
      const s = shrink(a, lambda, p);
      if (s === 0) continue;
      const sp1 = s ** (p - 1);
      sum += sp1 * s;
      slope -= (p * p * sp1 * sp1) / (1 + lambda * p * (p - 1) * s ** (p - 2));
    }
    this.slope = slope;
    return sum - 1;
  }

  /** Always true. */
  isConvex(): boolean {
    return true;
  }

  /** Always true. */
  isCompact(): boolean {
    return true;
  }
}
