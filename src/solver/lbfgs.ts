import { type TwoLoop, twoLoopFor } from "./twoLoop.js";
import { each, sum, unrolled } from "./unrolled.js";
import { copyVector } from "./vector.js";

/**
 * Forms the candidate pair s = state - oldState, y = g - oldG at offset `off`
 * of the flat buffers, copies state and g into nextState and nextG (the old
 * point once the pair is accepted), and writes s'y, s's, y'y and g'g into
 * `sums`.
 */
export type FormPair = (
  state: Float64Array,
  g: Float64Array,
  oldState: Float64Array,
  oldG: Float64Array,
  nextState: Float64Array,
  nextG: Float64Array,
  s: Float64Array,
  y: Float64Array,
  off: number,
  sums: Float64Array,
  n: number,
) => void;

export const formPair: FormPair = (
  state,
  g,
  oldState,
  oldG,
  nextState,
  nextG,
  s,
  y,
  off,
  sums,
  n,
) => {
  let ys = 0;
  let ss = 0;
  let yy = 0;
  let gg = 0;
  for (let i = 0; i < n; i++) {
    const xi = state[i];
    const gi = g[i];
    nextState[i] = xi;
    nextG[i] = gi;
    const si = xi - oldState[i];
    const yi = gi - oldG[i];
    s[off + i] = si;
    y[off + i] = yi;
    ys += si * yi;
    ss += si * si;
    yy += yi * yi;
    gg += gi * gi;
  }
  sums[0] = ys;
  sums[1] = ss;
  sums[2] = yy;
  sums[3] = gg;
};

function unrolledFormPair(n: number): string {
  const at = (base: string, i: number) => `${base}[off + ${i}]`;
  return `${each(n, (i) => `const x${i} = state[${i}], g${i} = g[${i}]; nextState[${i}] = x${i}; nextG[${i}] = g${i};`)}
${each(n, (i) => `const s${i} = x${i} - oldState[${i}], y${i} = g${i} - oldG[${i}]; ${at("s", i)} = s${i}; ${at("y", i)} = y${i};`)}
sums[0] = ${sum(n, (i) => `s${i} * y${i}`)};
sums[1] = ${sum(n, (i) => `s${i} * s${i}`)};
sums[2] = ${sum(n, (i) => `y${i} * y${i}`)};
sums[3] = ${sum(n, (i) => `g${i} * g${i}`)};`;
}

/** {@link formPair} for length n, unrolled when n is small. */
export function formPairFor(n: number): FormPair {
  const params = ["state", "g", "oldState", "oldG", "nextState", "nextG", "s", "y", "off", "sums"];
  return unrolled("formPair", n, params, unrolledFormPair, formPair);
}

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
  // The last accepted point, and the buffers the next one is copied into
  // while its pair is formed (swapped with these on acceptance).
  private oldState: Float64Array;
  private oldG: Float64Array;
  private nextState: Float64Array;
  private nextG: Float64Array;
  private readonly sums = new Float64Array(4);
  private hasOld = false;
  private active = 0;
  private h0 = 1;
  // the kernels for this n (unrolled for small n)
  private readonly formPair: FormPair;
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
    this.nextState = new Float64Array(n);
    this.nextG = new Float64Array(n);
    this.formPair = formPairFor(n);
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
    const sums = this.sums;
    this.formPair(
      state,
      g,
      this.oldState,
      this.oldG,
      this.nextState,
      this.nextG,
      this.s,
      this.y,
      off,
      sums,
      n,
    );
    const ys = sums[0];
    const ss = sums[1];
    const yy = sums[2];
    const gg = sums[3];
    if (ss <= Number.MIN_VALUE || (this.syEpsilon > 0 && ys <= this.syEpsilon)) return false;
    if (this.cbfgsEpsilon > 0 && this.cbfgsAlpha > 0) {
      const lhs = ys / ss;
      const norm = Math.sqrt(gg);
      const rhs = this.cbfgsEpsilon * (this.cbfgsAlpha === 1 ? norm : norm ** this.cbfgsAlpha);
      if (!(lhs > rhs) || !Number.isFinite(lhs) || !Number.isFinite(rhs)) return false;
    }
    this.rho[candidate] = 1 / ys;
    this.h0 = ys / yy;
    const oldState = this.oldState;
    const oldG = this.oldG;
    this.oldState = this.nextState;
    this.oldG = this.nextG;
    this.nextState = oldState;
    this.nextG = oldG;
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
