import { copyCenter, positiveFinite } from "./checks.js";
import { CheckedConstraint } from "./constraint.js";

const MAX_ITERATIONS = 200;

/**
 * The root w > 0 of c1 w + c2 w^e = a (a, c1, c2 > 0, e >= 1). The left side is
 * convex and increasing, so Newton's method started above the root decreases
 * monotonically to it. The start is within a factor 2 of the root, since one of
 * the two terms is at least a / 2 there.
 */
function convexRoot(c1: number, c2: number, e: number, a: number): number {
  let w = Math.min(a / c1, (a / c2) ** (1 / e));
  for (let k = 0; k < MAX_ITERATIONS; k++) {
    const we1 = w ** (e - 1);
    const h = c1 * w + c2 * we1 * w - a;
    // h <= 0 only when rounding has reached the root
    if (!(h > 0)) return w;
    const step = h / (c1 + e * c2 * we1);
    w -= step;
    if (step <= 1e-15 * w) return w;
  }
  return w;
}

/**
 * The solution s in [0, a] of s + lambda p s^(p-1) = a (a >= 0, lambda >= 0,
 * p > 1). For p < 2 the equation is solved for u = s^(p-1), in which it is
 * convex too.
 */
function shrink(a: number, lambda: number, p: number): number {
  if (a === 0 || lambda === 0) return a;
  if (p >= 2) return convexRoot(1, lambda * p, p - 1, a);
  const q = 1 / (p - 1);
  return convexRoot(lambda * p, 1, q, a) ** q;
}

/**
 * The p-norm ball {x : ||x - center||_p <= radius} for a finite p > 1. A point
 * outside is projected through the optimality conditions
 * y_i - x_i + lambda p |y_i|^(p-1) sign(y_i) = 0 (y relative to the centre),
 * with the multiplier lambda found by safeguarded Newton/bisection so that
 * ||y||_p = radius, and each |y_i| by monotone Newton on its scalar equation.
 */
export class BallP extends CheckedConstraint {
  protected readonly setName = "BallP";
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
    super();
    this.radius = positiveFinite("BallP", "radius", radius);
    if (typeof p !== "number" || !Number.isFinite(p) || p <= 1) {
      throw new Error(`BallP: p must be a finite number greater than 1, got ${p}`);
    }
    this.p = p;
    this.center = copyCenter("BallP", center);
    this.dimension = this.center === null ? undefined : this.center.length;
  }

  /** Projects `x[start, end)` onto the ball. */
  projectUnchecked(x: Float64Array, start: number, end: number): void {
    const c = this.center;
    const p = this.p;
    const r = this.radius;
    // work in units of the radius: project a = |x - center| / r onto the unit ball
    let maxAbs = 0;
    let dualSum = 0;
    const pDual = p / (p - 1);
    for (let i = start; i < end; i++) {
      const a = Math.abs(c === null ? x[i] : x[i] - c[i - start]) / r;
      if (a > maxAbs) maxAbs = a;
      dualSum += a ** pDual;
    }
    if (maxAbs <= 1 && this.excess(x, start, end, 0) <= 0) return;
    // s_i <= (a_i / (lambda p))^(1/(p-1)) gives ||s||_p <= 1 from lambda = ||a||_pDual / p on
    let lo = 0;
    let hi = dualSum ** (1 / pDual) / p;
    let lambda = hi;
    // Newton on N(lambda)^(1-p) - 1, N = ||s(lambda)||_p, nearly linear in lambda
    const power = (1 - p) / p;
    for (let k = 0; k < MAX_ITERATIONS; k++) {
      const G = this.excess(x, start, end, lambda) + 1;
      if (Math.abs(G - 1) <= 1e-15) break;
      if (G > 1) lo = lambda;
      else hi = lambda;
      if (hi - lo <= 1e-15 * hi) break;
      const Gpow = G ** power;
      let next = lambda - (Gpow - 1) / ((power * Gpow * this.slope) / G);
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

  isConvex(): boolean {
    return true;
  }

  isCompact(): boolean {
    return true;
  }
}
