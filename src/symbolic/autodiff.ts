/**
 * Reverse-mode automatic differentiation on expression graphs: one backward
 * sweep over the graph in reverse topological order accumulates adjoints, and
 * the result is again a (shared, interned) expression graph. The adjoint of
 * each operation comes from its record in the operation table.
 */
import { add, type Expr, recordOf, type Scalar, toExpr } from "./expr.js";
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
    const n = order[i];
    if (w === undefined || (w.op === "const" && w.value === 0) || n.args.length === 0) continue;
    recordOf(n).adjoints.forEach((contribution, k) => {
      if (contribution !== null) accumulate(n.args[k], () => contribution(w, n));
    });
  }
  return wrt.map((s) => {
    const i = position.get(s);
    return (i === undefined ? undefined : adjoint[i]) ?? toExpr(0);
  });
}
