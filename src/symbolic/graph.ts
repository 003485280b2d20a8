/** Traversals of expression graphs. */
import { type Expr, type Scalar, toExpr } from "./expr.js";

/**
 * The nodes reachable from some roots in topological order, with each node's
 * position and the positions of its children, so that passes over the graph
 * work on arrays instead of looking nodes up.
 */
export interface IndexedGraph {
  /** The nodes, as {@link topologicalOrder} lists them. */
  readonly order: readonly Expr[];
  /** The position in `order` of each node. */
  readonly position: ReadonlyMap<Expr, number>;
  /**
   * The positions of the children of `order[i]` at `children[3 * i + k]`,
   * k < its number of arguments (at most 3).
   */
  readonly children: Int32Array;
}

/**
 * The nodes reachable from `roots`, each once, children before parents
 * (depth-first post-order, children left to right, roots in order), with
 * their positions. The order depends only on the structure of the graph, so
 * it is deterministic.
 */
export function indexedGraph(roots: readonly Scalar[]): IndexedGraph {
  const order: Expr[] = [];
  const position = new Map<Expr, number>();
  let children = new Int32Array(3 * 64);
  // Iterative: single-shooting graphs can be thousands of levels deep. A node
  // gets its position when its children are done; in a graph without cycles
  // no node can be met again while it is on the stack, so the position map
  // also serves as the set of nodes seen. Frame d of the stack is the node
  // stack[d], the index of its next child and the positions of the children
  // met so far; the arrays keep their length as the stack shrinks, so frames
  // are reused.
  const stack: Expr[] = [];
  const next: number[] = [];
  const frameChildren: number[] = [];
  let depth = 0;
  const enter = (node: Expr): void => {
    if (depth === stack.length) {
      stack.push(node);
      next.push(0);
      frameChildren.push(0, 0, 0);
    } else {
      stack[depth] = node;
      next[depth] = 0;
    }
    depth++;
  };
  for (const r of roots) {
    const root = toExpr(r);
    if (position.has(root)) continue;
    enter(root);
    while (depth > 0) {
      const top = depth - 1;
      const node = stack[top];
      const k = next[top];
      if (k < node.args.length) {
        next[top] = k + 1;
        const child = node.args[k];
        const seen = position.get(child);
        if (seen === undefined) enter(child);
        else frameChildren[3 * top + k] = seen;
        continue;
      }
      const i = order.length;
      order.push(node);
      position.set(node, i);
      if (3 * i + 3 > children.length) {
        const grown = new Int32Array(2 * children.length);
        grown.set(children);
        children = grown;
      }
      for (let h = 0; h < k; h++) children[3 * i + h] = frameChildren[3 * top + h];
      depth--;
      if (top > 0) frameChildren[3 * (top - 1) + next[top - 1] - 1] = i;
    }
  }
  return { order, position, children };
}

/**
 * The nodes reachable from `roots`, each once, children before parents
 * (depth-first post-order, children left to right, roots in order). The order
 * depends only on the structure of the graph, so it is deterministic.
 */
export function topologicalOrder(roots: readonly Scalar[]): Expr[] {
  return indexedGraph(roots).order as Expr[];
}

/** The symbols appearing in `exprs`, each once, in first-seen (depth-first) order. */
export function freeSymbols(exprs: readonly Scalar[]): Expr[] {
  return topologicalOrder(exprs).filter((e) => e.op === "sym");
}

/** The number of distinct nodes (leaves included) reachable from `exprs`. */
export function nodeCount(exprs: readonly Scalar[]): number {
  return topologicalOrder(exprs).length;
}
