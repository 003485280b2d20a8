/**
 * Reverse-mode automatic differentiation on expression graphs: one backward
 * sweep over the graph in reverse topological order accumulates adjoints, and
 * the result is again a (shared, interned) expression graph.
 */
import {
  add,
  cos,
  cosh,
  div,
  type Expr,
  ge,
  ifElse,
  le,
  log,
  mul,
  neg,
  pow,
  type Scalar,
  sign,
  sin,
  sinh,
  sqrt,
  sub,
  toExpr,
} from "./expr.js";
import { topologicalOrder } from "./graph.js";

/** The gradient of the scalar `f` with respect to the symbols `wrt`. */
export function gradient(f: Scalar, wrt: readonly Expr[]): Expr[] {
  return backward([f], [toExpr(1)], wrt, "gradient");
}

/**
 * J_F(wrt)^T v: the product of the transposed Jacobian of the vector function
 * `F` with the vector `v` (one reverse sweep, the Jacobian is never formed).
 */
export function jacobianTransposeProduct(
  F: readonly Scalar[],
  wrt: readonly Expr[],
  v: readonly Expr[],
): Expr[] {
  if (F.length !== v.length) {
    throw new Error(
      `jacobianTransposeProduct: F has length ${F.length} but v has length ${v.length}`,
    );
  }
  return backward(F, v, wrt, "jacobianTransposeProduct");
}

function backward(
  roots: readonly Scalar[],
  seeds: readonly Scalar[],
  wrt: readonly Expr[],
  caller: string,
): Expr[] {
  wrt.forEach((s, i) => {
    if (s.op !== "sym") throw new Error(`${caller}: wrt[${i}] is not a symbol: ${s}`);
  });
  const order = topologicalOrder(roots);
  const position = new Map<Expr, number>();
  order.forEach((e, i) => {
    position.set(e, i);
  });
  // Only nodes that depend on wrt receive adjoints: parameter-only subgraphs stay untouched.
  const targets = new Set(wrt);
  const active = new Uint8Array(order.length);
  order.forEach((e, i) => {
    if (targets.has(e) || e.args.some((a) => active[position.get(a) as number] === 1)) {
      active[i] = 1;
    }
  });
  const adjoint: (Expr | undefined)[] = new Array(order.length);
  const accumulate = (node: Expr, contribution: () => Expr): void => {
    const i = position.get(node) as number;
    if (active[i] === 0) return;
    const previous = adjoint[i];
    adjoint[i] = previous === undefined ? contribution() : add(previous, contribution());
  };
  roots.forEach((r, k) => {
    accumulate(toExpr(r), () => toExpr(seeds[k]));
  });
  for (let i = order.length - 1; i >= 0; i--) {
    const w = adjoint[i];
    if (w === undefined || (w.op === "const" && w.value === 0)) continue;
    propagate(order[i], w, accumulate);
  }
  return wrt.map((s) => {
    const i = position.get(s);
    return (i === undefined ? undefined : adjoint[i]) ?? toExpr(0);
  });
}

/** Adds the adjoint contributions of node `n`, of adjoint `w`, to its children. */
function propagate(n: Expr, w: Expr, acc: (child: Expr, contribution: () => Expr) => void): void {
  const [a, b, c] = n.args;
  switch (n.op) {
    case "const":
    case "sym":
    case "sign":
    case "lt":
    case "le":
    case "gt":
    case "ge":
    case "eq":
    case "ne":
      return;
    case "neg":
      acc(a, () => neg(w));
      return;
    case "add":
      acc(a, () => w);
      acc(b, () => w);
      return;
    case "sub":
      acc(a, () => w);
      acc(b, () => neg(w));
      return;
    case "mul":
      acc(a, () => mul(w, b));
      acc(b, () => mul(w, a));
      return;
    case "div":
      acc(a, () => div(w, b));
      // d(a/b)/db = -(a/b)/b
      acc(b, () => neg(div(mul(w, n), b)));
      return;
    case "pow":
      acc(a, () => mul(w, mul(b, pow(a, sub(b, 1)))));
      acc(b, () => mul(w, mul(n, log(a))));
      return;
    case "sin":
      acc(a, () => mul(w, cos(a)));
      return;
    case "cos":
      acc(a, () => neg(mul(w, sin(a))));
      return;
    case "tan":
      acc(a, () => mul(w, add(1, mul(n, n))));
      return;
    case "asin":
      acc(a, () => div(w, sqrt(sub(1, mul(a, a)))));
      return;
    case "acos":
      acc(a, () => neg(div(w, sqrt(sub(1, mul(a, a))))));
      return;
    case "atan":
      acc(a, () => div(w, add(1, mul(a, a))));
      return;
    case "atan2": {
      // n = atan2(y = a, x = b): d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2)
      const r2 = add(mul(b, b), mul(a, a));
      acc(a, () => div(mul(w, b), r2));
      acc(b, () => neg(div(mul(w, a), r2)));
      return;
    }
    case "sinh":
      acc(a, () => mul(w, cosh(a)));
      return;
    case "cosh":
      acc(a, () => mul(w, sinh(a)));
      return;
    case "tanh":
      acc(a, () => mul(w, sub(1, mul(n, n))));
      return;
    case "exp":
      acc(a, () => mul(w, n));
      return;
    case "log":
      acc(a, () => div(w, a));
      return;
    case "sqrt":
      acc(a, () => div(w, mul(2, n)));
      return;
    case "abs":
      acc(a, () => mul(w, sign(a)));
      return;
    case "fmin": {
      const takeA = le(a, b);
      acc(a, () => ifElse(takeA, w, 0));
      acc(b, () => ifElse(takeA, 0, w));
      return;
    }
    case "fmax": {
      const takeA = ge(a, b);
      acc(a, () => ifElse(takeA, w, 0));
      acc(b, () => ifElse(takeA, 0, w));
      return;
    }
    case "ifElse":
      acc(b, () => ifElse(a, w, 0));
      acc(c, () => ifElse(a, 0, w));
      return;
  }
}
