/** Vector helpers and opengen's helper functions, on arrays of scalars. */
import { abs, add, type Expr, fmax, mul, neg, type Scalar, sqrt, sub, toExpr } from "./expr.js";

/**
 * Concatenates scalars and vectors into one vector of expressions (numbers
 * become constants), like CasADi's `vertcat`.
 */
export function vertcat(...parts: (Scalar | readonly Scalar[])[]): Expr[] {
  const out: Expr[] = [];
  for (const part of parts) {
    if (Array.isArray(part)) {
      for (const x of part as readonly Scalar[]) out.push(toExpr(x));
    } else {
      out.push(toExpr(part as Scalar));
    }
  }
  return out;
}

/**
 * The type of a vector of expressions with the shape of `T`: a tuple of the
 * same length when `T` is a tuple, `Expr[]` otherwise.
 */
export type ExprsOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: Expr };

function sameLength(what: string, a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) {
    throw new Error(`${what}: lengths differ, ${a.length} and ${b.length}`);
  }
}

function elementwise<T extends readonly Scalar[]>(
  what: string,
  a: T,
  b: readonly Scalar[],
  op: (x: Scalar, y: Scalar) => Expr,
): ExprsOf<T> {
  sameLength(what, a, b);
  return a.map((x, i) => op(x, b[i])) as ExprsOf<T>;
}

/** The elementwise sum a + b of two vectors of the same length. */
export function vadd<const T extends readonly Scalar[]>(a: T, b: readonly Scalar[]): ExprsOf<T> {
  return elementwise("vadd", a, b, add);
}

/** The elementwise difference a - b of two vectors of the same length. */
export function vsub<const T extends readonly Scalar[]>(a: T, b: readonly Scalar[]): ExprsOf<T> {
  return elementwise("vsub", a, b, sub);
}

/** The elementwise (Hadamard) product of two vectors of the same length. */
export function vmul<const T extends readonly Scalar[]>(a: T, b: readonly Scalar[]): ExprsOf<T> {
  return elementwise("vmul", a, b, mul);
}

/** The vector a scaled by s, (s a_0, …, s a_{n-1}). */
export function vscale<const T extends readonly Scalar[]>(a: T, s: Scalar): ExprsOf<T> {
  return a.map((x) => mul(s, x)) as ExprsOf<T>;
}

/** The vector -a. */
export function vneg<const T extends readonly Scalar[]>(a: T): ExprsOf<T> {
  return a.map((x) => neg(x)) as ExprsOf<T>;
}

/**
 * The matrix-vector product A x, with A given by rows (numbers or
 * expressions), each as long as x. The result has one entry per row.
 */
export function matVec<const R extends readonly (readonly Scalar[])[]>(
  A: R,
  x: readonly Scalar[],
): ExprsOf<R> {
  return A.map((row, i) => {
    sameLength(`matVec: row ${i} and x`, row, x);
    return dot(row, x);
  }) as ExprsOf<R>;
}

/** The sum of the entries (0 for an empty vector). */
export function sum(a: readonly Scalar[]): Expr {
  let s = toExpr(0);
  for (const x of a) s = add(s, x);
  return s;
}

/** The inner product of two vectors of the same length. */
export function dot(a: readonly Scalar[], b: readonly Scalar[]): Expr {
  sameLength("dot", a, b);
  let s = toExpr(0);
  for (let i = 0; i < a.length; i++) s = add(s, mul(a[i], b[i]));
  return s;
}

/** The squared Euclidean norm, sum of a_i^2. */
export function norm2Squared(a: readonly Scalar[]): Expr {
  return dot(a, a);
}

/**
 * The Euclidean norm. Its derivative at 0 is NaN (0 times infinity); use
 * {@link norm2Squared} where the norm may vanish.
 */
export function norm2(a: readonly Scalar[]): Expr {
  return sqrt(norm2Squared(a));
}

/** The 1-norm, sum of |a_i|. */
export function norm1(a: readonly Scalar[]): Expr {
  let s = toExpr(0);
  for (const x of a) s = add(s, abs(x));
  return s;
}

/** The infinity norm, max |a_i| (0 for an empty vector), as a chain of `fmax`. */
export function normInf(a: readonly Scalar[]): Expr {
  if (a.length === 0) return toExpr(0);
  let m = abs(a[0]);
  for (let i = 1; i < a.length; i++) m = fmax(m, abs(a[i]));
  return m;
}

/**
 * opengen's Rosenbrock function with parameters p = (a, b):
 * sum over i of b (u[i+1] - u[i]^2)^2 + (a - u[i])^2.
 */
export function rosenbrock(u: readonly Scalar[], p: readonly Scalar[]): Expr {
  if (p.length !== 2) {
    throw new Error(`rosenbrock: p must have length 2 (a, b), got ${p.length}`);
  }
  const [a, b] = p;
  let s = toExpr(0);
  for (let i = 0; i + 1 < u.length; i++) {
    const r = sub(u[i + 1], mul(u[i], u[i]));
    const d = sub(a, u[i]);
    s = add(s, add(mul(b, mul(r, r)), mul(d, d)));
  }
  return s;
}
