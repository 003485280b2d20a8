import { type TwoLoop, twoLoopFor } from "./twoLoop.js";
import { copyVector } from "./vector.js";

/**
 * Limited-memory BFGS with the cautious update rule of Li and Fukushima:
 * keeps the last `memory` accepted pairs (s, y) and applies the implied
 * inverse-Hessian estimate by the two-loop recursion with H0 = (s'y / y'y) I
 * of the newest pair. Allocates only at construction.
 */
export class Lbfgs {
  /** Vector length. */
  readonly n: number;
  /** Number of stored pairs. */
  readonly memory: number;
  /** Exponent alpha of the cautious rule. */
  readonly cbfgsAlpha: number;
  /** Factor epsilon of the cautious rule. */
  readonly cbfgsEpsilon: number;
  /** Pairs with s'y at or below this are rejected. */
  readonly syEpsilon: number;
  // Pair k occupies [k n, (k + 1) n) of these flat buffers.
  private readonly s: Float64Array;
  private readonly y: Float64Array;
  private readonly rho: Float64Array;
  private readonly alpha: Float64Array;
  // slots[head + k] (k < active) indexes s/y/rho from newest to oldest and
  // slots[head + memory] is the candidate slot: a ring of memory + 1 slot
  // numbers stored twice, so that a new pair moves the head instead of
  // shifting every slot.
  private readonly slots: Int32Array;
  private head = 0;
  private readonly oldState: Float64Array;
  private readonly oldG: Float64Array;
  private hasOld = false;
  private active = 0;
  private h0 = 1;
  // the two-loop recursion for this n (specialised for small n)
  private readonly twoLoop: TwoLoop;

  /**
   * @param n vector length (>= 1)
   * @param memory number of pairs kept (>= 1)
   * @param cbfgsAlpha exponent of the cautious rule (>= 0)
   * @param cbfgsEpsilon factor of the cautious rule (>= 0; 0 disables the rule)
   * @param syEpsilon curvature threshold on s'y (>= 0)
   */
  constructor(n: number, memory: number, cbfgsAlpha = 1, cbfgsEpsilon = 1e-8, syEpsilon = 1e-10) {
    if (!Number.isSafeInteger(n) || n < 1)
      throw new Error(`Lbfgs: n must be a positive integer, got ${n}`);
    if (!Number.isSafeInteger(memory) || memory < 1) {
      throw new Error(`Lbfgs: memory must be a positive integer, got ${memory}`);
    }
    if (!(cbfgsAlpha >= 0) || !(cbfgsEpsilon >= 0) || !(syEpsilon >= 0)) {
      throw new Error("Lbfgs: cbfgsAlpha, cbfgsEpsilon and syEpsilon must be non-negative");
    }
    this.n = n;
    this.memory = memory;
    this.cbfgsAlpha = cbfgsAlpha;
    this.cbfgsEpsilon = cbfgsEpsilon;
    this.syEpsilon = syEpsilon;
    this.s = new Float64Array((memory + 1) * n);
    this.y = new Float64Array((memory + 1) * n);
    this.rho = new Float64Array(memory + 1);
    this.alpha = new Float64Array(memory);
    this.slots = new Int32Array(2 * (memory + 1));
    for (let k = 0; k <= memory; k++) {
      this.slots[k] = k;
      this.slots[k + memory + 1] = k;
    }
    this.oldState = new Float64Array(n);
    this.oldG = new Float64Array(n);
    this.twoLoop = twoLoopFor(n);
  }

  /** Number of pairs currently stored. */
  get activeSize(): number {
    return this.active;
  }

  /** Forgets every pair and the previous point. */
  reset(): void {
    this.active = 0;
    this.hasOld = false;
  }

  /**
   * Offers the new point `state` with its "gradient" `g`: forms s and y
   * against the last accepted point and keeps the pair when s'y > syEpsilon
   * and s'y / ||s||^2 > cbfgsEpsilon ||g||^cbfgsAlpha. The first call after
   * construction or {@link reset} only records the point. Returns whether the
   * point was accepted.
   */
  update(g: Float64Array, state: Float64Array): boolean {
    const n = this.n;
    if (!this.hasOld) {
      copyVector(this.oldState, state, n);
      copyVector(this.oldG, g, n);
      this.hasOld = true;
      return true;
    }
    const slots = this.slots;
    const m = this.memory;
    const candidate = slots[this.head + m];
    const off = candidate * n;
    const s = this.s;
    const y = this.y;
    const oldState = this.oldState;
    const oldG = this.oldG;
    let ys = 0;
    let ss = 0;
    let gg = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      const si = state[i] - oldState[i];
      const yi = g[i] - oldG[i];
      s[off + i] = si;
      y[off + i] = yi;
      ys += si * yi;
      ss += si * si;
      yy += yi * yi;
      gg += g[i] * g[i];
    }
    if (ss <= Number.MIN_VALUE || (this.syEpsilon > 0 && ys <= this.syEpsilon)) return false;
    if (this.cbfgsEpsilon > 0 && this.cbfgsAlpha > 0) {
      const lhs = ys / ss;
      const norm = Math.sqrt(gg);
      const rhs = this.cbfgsEpsilon * (this.cbfgsAlpha === 1 ? norm : norm ** this.cbfgsAlpha);
      if (!(lhs > rhs) || !Number.isFinite(lhs) || !Number.isFinite(rhs)) return false;
    }
    this.rho[candidate] = 1 / ys;
    this.h0 = ys / yy;
    copyVector(oldState, state, n);
    copyVector(oldG, g, n);
    // The candidate slot becomes the newest; the oldest (when full) becomes the candidate.
    // one slot back around the ring (no integer division)
    const head = this.head === 0 ? m : this.head - 1;
    slots[head] = candidate;
    slots[head + m + 1] = candidate;
    this.head = head;
    if (this.active < m) this.active++;
    return true;
  }

  /** Replaces q by H q (leaves it unchanged while no pair is stored). */
  applyHessian(q: Float64Array): void {
    this.applyHessianInto(q, q);
  }

  /** Writes H q into `out` (q itself while no pair is stored); q and out may be one array. */
  applyHessianInto(q: Float64Array, out: Float64Array): void {
    const active = this.active;
    if (active === 0) {
      if (out !== q) copyVector(out, q, this.n);
      return;
    }
    const { s, y, rho, alpha, slots, head, h0, n } = this;
    this.twoLoop(q, out, s, y, rho, alpha, slots, head, active, h0, n);
  }
}
