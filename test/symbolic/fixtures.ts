/** Shared fixtures of the symbolic tests: a seeded generator, random graphs, an MPC cost. */
import {
  abs,
  acos,
  add,
  asin,
  atan,
  atan2,
  constant,
  cos,
  cosh,
  div,
  type Expr,
  eq,
  exp,
  type FunctionSpec,
  fmax,
  fmin,
  ge,
  gradient,
  gt,
  ifElse,
  jacobianTransposeProduct,
  le,
  log,
  lt,
  mul,
  ne,
  neg,
  pow,
  sign,
  sin,
  sinh,
  sq,
  sqrt,
  sub,
  sym,
  tan,
  tanh,
} from "../../src/symbolic/index.js";

/** A seeded uniform generator on [0, 1) (mulberry32). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Builder = (a: Expr, b: Expr, c: Expr, d: Expr) => Expr;

/**
 * Every operation, each wrapped so that its arguments stay where it is smooth
 * (e.g. log of 2 + tanh, asin of 0.9 tanh) and values stay of order one.
 */
export const RANDOM_OPS: readonly Builder[] = [
  (a, b) => mul(0.5, add(a, b)),
  (a, b) => mul(0.5, sub(a, b)),
  (a, b) => mul(a, tanh(b)),
  (a, b) => div(a, add(2, tanh(b))),
  (a, b) => pow(add(1.5, tanh(a)), tanh(b)),
  (a) => pow(tanh(a), 3),
  (a) => sq(tanh(a)),
  (a) => neg(a),
  (a) => sin(a),
  (a) => cos(a),
  (a) => tan(tanh(a)),
  (a) => asin(mul(0.9, tanh(a))),
  (a) => acos(mul(0.9, tanh(a))),
  (a) => atan(a),
  (a, b) => atan2(add(1.2, tanh(a)), tanh(b)),
  (a) => sinh(tanh(a)),
  (a) => cosh(tanh(a)),
  (a) => tanh(a),
  (a) => exp(tanh(a)),
  (a) => log(add(2, tanh(a))),
  (a) => sqrt(add(1.5, tanh(a))),
  (a) => abs(a),
  (a, b) => mul(sign(a), b),
  (a, b) => fmin(a, b),
  (a, b) => fmax(a, b),
  (a, b, c) => mul(lt(a, b), c),
  (a, b, c) => mul(le(a, b), c),
  (a, b, c, d) => ifElse(gt(a, b), c, d),
  (a, b, c) => ifElse(ge(a, b), c, neg(c)),
  (a, b, c) => add(c, eq(a, b)),
  (a, b, c) => sub(c, ne(a, b)),
];

/**
 * A random graph over symbols x (size nx) and parameters p (size 2): a pool of
 * nodes grown by applying every operation in turn to random earlier nodes
 * (biased to recent ones, so results nest deeply and subexpressions are shared).
 */
export function randomGraph(seed: number, nx: number, steps: number) {
  const rand = random(seed);
  const x = sym("x", nx);
  const p = sym("p", 2);
  const pool: Expr[] = [...x, ...p];
  const pick = (): Expr => {
    const r = rand();
    const i = Math.floor(pool.length * (1 - r * r));
    return pool[Math.min(i, pool.length - 1)];
  };
  for (let k = 0; k < steps; k++) {
    const op = RANDOM_OPS[(k + seed) % RANDOM_OPS.length];
    pool.push(op(pick(), pick(), pick(), pick()));
  }
  return { x, p, pool, rand };
}

/** A point with entries uniform in [lo, hi). */
export function point(rand: () => number, n: number, lo: number, hi: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = lo + (hi - lo) * rand();
  return v;
}

/**
 * Single-shooting MPC cost of a kinematic bicycle: state (x, y, heading,
 * speed), inputs (acceleration, steering) per stage, p = (initial state,
 * reference position). Cost: tracking of the reference, input effort, and a
 * terminal weight on the speed.
 */
export function bicycleMpc(horizon: number) {
  const u = sym("u", 2 * horizon);
  const p = sym("p", 6);
  const dt = 0.1;
  const wheelbase = 2.5;
  let [px, py, th, v]: Expr[] = [p[0], p[1], p[2], p[3]];
  let cost: Expr = constant(0);
  for (let t = 0; t < horizon; t++) {
    const acc = u[2 * t];
    const steer = u[2 * t + 1];
    cost = add(cost, add(mul(10, add(sq(sub(px, p[4])), sq(sub(py, p[5])))), mul(0.1, sq(acc))));
    cost = add(cost, mul(0.5, sq(steer)));
    const step = mul(dt, v);
    px = add(px, mul(step, cos(th)));
    py = add(py, mul(step, sin(th)));
    th = add(th, mul(div(step, wheelbase), tan(steer)));
    v = add(v, mul(dt, acc));
  }
  cost = add(cost, add(mul(100, add(sq(sub(px, p[4])), sq(sub(py, p[5])))), sq(v)));
  return { u, p, cost };
}

/**
 * Cost, gradient, a vector mapping (its first entry scaled by `weight`) and
 * its J^T v of a horizon-N bicycle MPC: what an optimizer build generates.
 */
export function mpcSpecs(horizon: number, weight = 1): FunctionSpec[] {
  const { u, p, cost } = bicycleMpc(horizon);
  const F = [mul(weight, mul(u[0], u[1])), sin(u[2]), 4, u[3], p[0]];
  const y = sym("y", F.length);
  return [
    { name: "cost", inputs: [u, p], outputs: [cost], scalar: true },
    { name: "grad", inputs: [u, p], outputs: gradient(cost, u) },
    { name: "mapping", inputs: [u, p], outputs: F },
    { name: "jtv", inputs: [u, p, y], outputs: jacobianTransposeProduct(F, u, y) },
  ];
}
