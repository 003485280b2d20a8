import assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  compileFunctions,
  constant,
  type Expr,
  generateModule,
  gradient,
  mul,
  sum,
} from "../../src/symbolic/index.js";
import { bicycleMpc, mpcSpecs, randomGraph } from "./fixtures.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Heap in use after full collections, once pending finalizers and kept weak targets are released. */
async function settledHeap(): Promise<number> {
  // WeakRef targets touched in this job stay alive until it ends.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return process.memoryUsage().heapUsed;
}

/** Builds, compiles and runs the functions of `mpcSpecs`; returns the generated module. */
function build(horizon: number, weight?: number): string {
  const s = mpcSpecs(horizon, weight);
  const fns = compileFunctions(s);
  const u = new Float64Array(2 * horizon).fill(0.1);
  assert.ok(Number.isFinite(fns.cost(u, new Float64Array(6)) as number));
  return generateModule(s, "header");
}

test("graphs are collected: the heap stays flat over hundreds of builds", async () => {
  // Each round builds and compiles one problem with fresh symbols, and
  // generates the code of another with a weight never seen before (constants
  // are interned too). Compiled sources stay the same: V8 keeps each distinct
  // large source it compiled for a while, whatever the engine does.
  const round = (k: number) => {
    build(10);
    generateModule(mpcSpecs(10, 100 + k / 7), "");
  };
  for (let k = 0; k < 30; k++) round(k);
  const before = await settledHeap();
  for (let k = 30; k < 330; k++) round(k);
  const after = await settledHeap();
  // A global node table kept about 300 KB per round here (90 MB in all).
  assert.ok(
    after - before < Math.max(0.1 * before, 1.5e6),
    `heap ${(before / 1e6).toFixed(2)} MB -> ${(after / 1e6).toFixed(2)} MB`,
  );
});

test("a dropped graph, its derivatives and its own constants are collected", async () => {
  const refs = (() => {
    const { u, cost } = bicycleMpc(4);
    const g = gradient(cost, u);
    const c = constant(1234.5678);
    return [
      new WeakRef(u[0]),
      new WeakRef(cost),
      new WeakRef(g[3]),
      new WeakRef(mul(c, u[1])),
      new WeakRef(c),
    ];
  })();
  // A collection may leave a target for a later one (under load, V8 can keep
  // young objects through a cycle): wait for it, a bounded number of times.
  for (let round = 0; round < 20 && refs.some((r) => r.deref() !== undefined); round++) {
    await settledHeap();
  }
  assert.deepEqual(
    refs.map((r) => r.deref() === undefined),
    refs.map(() => true),
  );
});

test("generated code depends only on the problem, not on what was built before", async () => {
  const first = build(6);
  const alive: Expr[] = [];
  // Other graphs, the same problem (alive and dropped), shared constant values.
  for (let seed = 1; seed <= 5; seed++) alive.push(sum(randomGraph(seed, 3, 40).pool));
  assert.equal(build(6), first);
  const again = mpcSpecs(6);
  await settledHeap();
  assert.equal(build(6), first);
  assert.equal(generateModule(again, "header"), first);
  assert.notEqual(build(6, 0.25), first);
  assert.equal(alive.length, 5);
});
