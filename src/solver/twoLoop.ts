import { each, sum, unrolled } from "./unrolled.js";

/**
 * The L-BFGS two-loop recursion q <- H q, as a generic loop and unrolled for
 * the problem size (see unrolled.ts).
 */

/**
 * out <- H q for the `active` newest pairs (q and out may be one array):
 * pair k (newest first) is at offset slots[head + k] n of the flat buffers s
 * and y, with rho = 1 / s'y; alpha is scratch (length >= active); h0 scales
 * the initial estimate. `active` >= 1.
 */
export type TwoLoop = (
  q: Float64Array,
  out: Float64Array,
  s: Float64Array,
  y: Float64Array,
  rho: Float64Array,
  alpha: Float64Array,
  slots: Int32Array,
  head: number,
  active: number,
  h0: number,
  n: number,
) => void;

/**
 * The generic recursion. Each pass's vector update is fused with the next
 * pair's dot product: the same operations in the same order, half the loops.
 */
export const twoLoop: TwoLoop = (input, q, s, y, rho, alpha, slots, head, active, h0, n) => {
  if (q !== input) for (let i = 0; i < n; i++) q[i] = input[i];
  // Newest to oldest: alpha_k = rho_k s_k'q, q -= alpha_k y_k; then q *= h0.
  let off = slots[head] * n;
  let dot = 0;
  for (let i = 0; i < n; i++) dot += s[off + i] * q[i];
  for (let k = 0; k < active; k++) {
    const a = rho[slots[head + k]] * dot;
    alpha[k] = a;
    dot = 0;
    if (k + 1 < active) {
      const next = slots[head + k + 1] * n;
      for (let i = 0; i < n; i++) {
        const qi = q[i] - a * y[off + i];
        q[i] = qi;
        dot += s[next + i] * qi;
      }
      off = next;
    } else {
      // Last pair: scale by h0 and start the oldest-first pass (y_k'q) in the same loop.
      for (let i = 0; i < n; i++) {
        const qi = (q[i] - a * y[off + i]) * h0;
        q[i] = qi;
        dot += y[off + i] * qi;
      }
    }
  }
  // Oldest to newest: q += (alpha_k - rho_k y_k'q) s_k.
  for (let k = active - 1; k >= 0; k--) {
    const coef = alpha[k] - rho[slots[head + k]] * dot;
    if (k > 0) {
      const next = slots[head + k - 1] * n;
      dot = 0;
      for (let i = 0; i < n; i++) {
        const qi = q[i] + coef * s[off + i];
        q[i] = qi;
        dot += y[next + i] * qi;
      }
      off = next;
    } else {
      for (let i = 0; i < n; i++) q[i] += coef * s[off + i];
    }
  }
};

/**
 * The recursion for vectors of length n: straight-line code for n up to
 * {@link MAX_UNROLLED_SIZE}, the generic loops beyond.
 */
export function twoLoopFor(n: number): TwoLoop {
  return unrolled(
    "twoLoop",
    n,
    ["q", "out", "s", "y", "rho", "alpha", "slots", "head", "active", "h0"],
    specialise,
    twoLoop,
  );
}

/** The body of the recursion for length n, q in locals q0..q{n-1}, sums in index order. */
function specialise(n: number): string {
  const at = (base: string, i: number) => (i === 0 ? `${base}[o]` : `${base}[o + ${i}]`);
  const dotWith = (v: string) => sum(n, (i) => `${at(v, i)} * q${i}`);
  const update = (expr: (i: number) => string) => each(n, (i) => `q${i} = ${expr(i)};`);
  return `let ${Array.from({ length: n }, (_, i) => `q${i} = q[${i}]`).join(", ")};
let o = slots[head] * ${n};
let dot = ${dotWith("s")};
for (let k = 0; k < active; k++) {
  const a = rho[slots[head + k]] * dot;
  alpha[k] = a;
  if (k + 1 < active) {
    ${update((i) => `q${i} - a * ${at("y", i)}`)}
    o = slots[head + k + 1] * ${n};
    dot = ${dotWith("s")};
  } else {
    ${update((i) => `(q${i} - a * ${at("y", i)}) * h0`)}
    dot = ${dotWith("y")};
  }
}
for (let k = active - 1; k >= 0; k--) {
  const coef = alpha[k] - rho[slots[head + k]] * dot;
  ${update((i) => `q${i} + coef * ${at("s", i)}`)}
  if (k > 0) {
    o = slots[head + k - 1] * ${n};
    dot = ${dotWith("y")};
  }
}
${each(n, (i) => `out[${i}] = q${i};`)}`;
}
