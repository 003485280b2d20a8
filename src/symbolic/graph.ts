/** Traversals of expression graphs. */
import { type Expr, type Scalar, toExpr } from "./expr.js";

/**
 * The nodes reachable from `roots`, each once, children before parents
 * (depth-first post-order, children left to right, roots in order). The order
 * depends only on the structure of the graph, so it is deterministic.
 */
export function topologicalOrder(roots: readonly Scalar[]): Expr[] {
  const order: Expr[] = [];
  const seen = new Set<Expr>();
  // Iterative: single-shooting graphs can be thousands of levels deep.
  const stack: Expr[] = [];
  const next: number[] = [];
  for (const r of roots) {
    const root = toExpr(r);
    if (seen.has(root)) continue;
    seen.add(root);
    stack.push(root);
    next.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const node = stack[top];
      const k = next[top];
      if (k < node.args.length) {
        next[top] = k + 1;
        const child = node.args[k];
        if (!seen.has(child)) {
          seen.add(child);
          stack.push(child);
          next.push(0);
        }
      } else {
        order.push(node);
        stack.pop();
        next.pop();
      }
    }
  }
  return order;
}

/** The symbols appearing in `exprs`, each once, in first-seen (depth-first) order. */
export function freeSymbols(exprs: readonly Scalar[]): Expr[] {
  return topologicalOrder(exprs).filter((e) => e.op === "sym");
}

/** The number of distinct nodes (leaves included) reachable from `exprs`. */
export function nodeCount(exprs: readonly Scalar[]): number {
  return topologicalOrder(exprs).length;
}
