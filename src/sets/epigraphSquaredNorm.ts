import { CheckedConstraint } from "./constraint.js";

const MAX_NEWTON = 60;

/**
 * The largest real root of theta^3 + b theta^2 + d = 0 (Cardano's formula,
 * trigonometric form when there are three real roots).
 */
function largestCubicRoot(b: number, d: number): number {
  // theta = y - b/3 gives y^3 + P y + Q = 0
  const P = (-b * b) / 3;
  const Q = (2 * b * b * b) / 27 + d;
  const D = (Q * Q) / 4 + (P * P * P) / 27;
  let y: number;
  if (D >= 0) {
    const sq = Math.sqrt(D);
    y = Math.cbrt(-Q / 2 + sq) + Math.cbrt(-Q / 2 - sq);
  } else {
    const m = Math.sqrt(-P / 3);
    const arg = Math.max(-1, Math.min(1, -Q / 2 / (m * m * m)));
    y = 2 * m * Math.cos(Math.acos(arg) / 3);
  }
  return y - b / 3;
}

/**
 * The epigraph of the squared Euclidean norm, {(z, t) : ||z||^2 <= t}, of any
 * dimension n >= 1, t being the last entry of the slice.
 *
 * A point (x, s) outside projects to (x / theta, s + (theta - 1) / 2), theta =
 * 1 + 2 mu (mu the multiplier) being the unique root above 1 of
 * theta^3 + (2s - 1) theta^2 - 2 ||x||^2 = 0: Cardano's formula gives it, and
 * safeguarded Newton steps polish it to full precision.
 */
export class EpigraphSquaredNorm extends CheckedConstraint {
  protected readonly setName = "EpigraphSquaredNorm";
  protected override readonly needsEntries = true;
  /** Any dimension. */
  readonly dimension: number | undefined = undefined;

  /** Projects `x[start, end)` = (z, t) onto the epigraph. */
  projectUnchecked(x: Float64Array, start: number, end: number): void {
    const last = end - 1;
    const s = x[last];
    let nx2 = 0;
    for (let i = start; i < last; i++) nx2 += x[i] * x[i];
    if (nx2 <= s) return;
    const b = 2 * s - 1;
    const d = -2 * nx2;
    // the cubic is negative at 1 and positive at hi (theta + b >= 1, theta^2 >= 2 nx2)
    let lo = 1;
    let hi = Math.max(1, 1 - b) + Math.sqrt(2 * nx2);
    let theta = largestCubicRoot(b, d);
    if (!(theta > lo && theta < hi)) theta = 0.5 * (lo + hi);
    for (let k = 0; k < MAX_NEWTON; k++) {
      const f = theta * theta * (theta + b) + d;
      if (f === 0) break;
      if (f > 0) hi = theta;
      else lo = theta;
      let next = theta - f / (theta * (3 * theta + 2 * b));
      if (!(next >= lo && next <= hi)) next = 0.5 * (lo + hi);
      const step = Math.abs(next - theta);
      theta = next;
      if (step <= 1e-16 * theta) break;
    }
    const inv = 1 / theta;
    for (let i = start; i < last; i++) x[i] *= inv;
    // equals s + (theta - 1) / 2 at the root, without its cancellation when s << 0
    x[last] = nx2 * inv * inv;
  }

  isConvex(): boolean {
    return true;
  }

  isCompact(): boolean {
    return false;
  }
}
