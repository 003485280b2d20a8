import assert from "node:assert/strict";
import { test } from "node:test";
import type { Expr } from "../../src/symbolic/expr.js";
import { indexedGraph } from "../../src/symbolic/graph.js";
import { add, constant, mul, sin, sym, topologicalOrder } from "../../src/symbolic/index.js";
import { randomGraph } from "./fixtures.js";

/** Depth-first post-order by recursion, the definition the iterative traversal follows. */
function postOrder(roots: readonly Expr[]): Expr[] {
  const order: Expr[] = [];
  const seen = new Set<Expr>();
  const visit = (e: Expr): void => {
    if (seen.has(e)) return;
    seen.add(e);
    for (const a of e.args) visit(a);
    order.push(e);
  };
  for (const r of roots) visit(r);
  return order;
}

test("the indexed graph lists each node once, children first, with its children's positions", () => {
  for (const seed of [1, 2, 3]) {
    const { x, pool } = randomGraph(seed, 4, 120);
    // Repeated roots, a leaf root and a constant among them.
    const roots = [...pool.slice(-12), pool[pool.length - 1], x[2], constant(2)];
    const { order, position, children } = indexedGraph(roots);
    assert.deepEqual(order, postOrder(roots));
    assert.deepEqual(topologicalOrder(roots), order);
    order.forEach((e, i) => {
      assert.equal(position.get(e), i);
      e.args.forEach((a, k) => {
        assert.equal(children[3 * i + k], order.indexOf(a), `seed ${seed} node ${i} child ${k}`);
      });
    });
    assert.equal(position.size, order.length);
  }
  // A repeated child: both argument slots point at it.
  const [u] = sym("u", 1);
  const s = sin(u);
  const g = indexedGraph([mul(s, s)]);
  assert.deepEqual([...g.children.subarray(6, 8)], [1, 1]);
});

test("the indexed graph of a very deep chain needs no deep recursion", () => {
  const [u] = sym("u", 1);
  let e: Expr = u;
  for (let k = 0; k < 20_000; k++) e = add(mul(e, 0.5), u);
  const { order, children } = indexedGraph([e]);
  // u, the constant 0.5, then per step the product and the sum: 40,000 levels.
  assert.equal(order.length, 2 + 2 * 20_000);
  assert.equal(order[0], u);
  assert.equal(order[1].value, 0.5);
  assert.equal(order[order.length - 1], e);
  // The last sum's children: the product just before it, and u.
  const last = order.length - 1;
  assert.deepEqual([children[3 * last], children[3 * last + 1]], [last - 1, 0]);
});
