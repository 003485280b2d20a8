/**
 * Straight-line variants of the solver's vector kernels, generated once per
 * vector length. For the short vectors of embedded problems V8 spends more on
 * loop control and per-element bounds checks than on the arithmetic; the
 * generated code keeps the entries in local variables instead. Each kernel
 * also has a generic loop, used beyond {@link MAX_UNROLLED_SIZE} and where the
 * platform forbids generated code (a content security policy). Both run the
 * same floating-point operations in the same order, so they give the same
 * bits (tested per kernel).
 */

/** Lengths up to this get straight-line kernels (beyond, the loops' cost is amortised). */
export const MAX_UNROLLED_SIZE = 24;

const compiled = new Map<string, unknown>();

/**
 * The kernel `name` for length n: compiled from `params` and `body(n)` the
 * first time it is asked for (then shared), or `generic` when n is beyond
 * {@link MAX_UNROLLED_SIZE} or code cannot be generated here.
 */
export function unrolled<F>(
  name: string,
  n: number,
  params: readonly string[],
  body: (n: number) => string,
  generic: F,
): F {
  if (n > MAX_UNROLLED_SIZE) return generic;
  const key = `${name}/${n}`;
  let fn = compiled.get(key) as F | undefined;
  if (fn === undefined) {
    try {
      fn = new Function(...params, `"use strict";\n${body(n)}`) as F;
    } catch {
      fn = generic;
    }
    compiled.set(key, fn);
  }
  return fn;
}

/** Statements `text(0) text(1) ... text(n - 1)`. */
export function each(n: number, text: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => text(i)).join(" ");
}

/**
 * The sum `term(0) + ... + term(n - 1)` in index order: the additions of a
 * loop `s = 0; s += term(i)`, the same bits but for the sign of a zero sum
 * (0 + -0 is +0). The first addition of the loop, to zero, is left out: in
 * the two-loop recursion each sum is on the critical path.
 */
export function sum(n: number, term: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => term(i)).join(" + ");
}
