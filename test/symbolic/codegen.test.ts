import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import {
  add,
  compileFunctions,
  constant,
  generateModule,
  gradient,
  mul,
  nodeCount,
  sin,
  sum,
  sym,
} from "../../src/symbolic/index.js";
import { bicycleMpc, mpcSpecs, point, random, randomGraph } from "./fixtures.js";

type Fns = Record<string, (...args: Float64Array[]) => number | undefined>;

/** Runs every function of mpcSpecs(horizon) at seeded random points, returning all results. */
function evaluate(fns: Fns, horizon: number, seed: number): number[] {
  const rand = random(seed);
  const results: number[] = [];
  for (let trial = 0; trial < 3; trial++) {
    const u = point(rand, 2 * horizon, -0.5, 0.5);
    const p = point(rand, 6, -2, 2);
    const y = point(rand, 5, -1, 1);
    results.push(fns.cost(u, p) as number);
    const g = new Float64Array(2 * horizon);
    assert.equal(fns.grad(u, p, g), undefined);
    results.push(...g);
    const F = new Float64Array(5);
    fns.mapping(u, p, F);
    results.push(...F);
    fns.jtv(u, p, y, g);
    results.push(...g);
  }
  return results;
}

test("the generated module, imported, and compileFunctions give identical results", async () => {
  const specs = mpcSpecs(8);
  const code = generateModule(specs, "Bicycle MPC\nhorizon 8");
  assert.ok(code.startsWith("// Bicycle MPC\n// horizon 8\n"));
  assert.match(code, /Do not edit/);
  assert.match(code, /\/\/ {3}cost\(u\[16\], p\[6\]\): number, \d+ operations/);
  assert.match(code, /\/\/ {3}jtv\(u\[16\], p\[6\], y\[5\], out\[16\]\), \d+ operations/);
  assert.doesNotMatch(code, /import /);
  const dir = mkdtempSync(join(tmpdir(), "symbolic-"));
  try {
    const file = join(dir, "generated.mjs");
    writeFileSync(file, code);
    const module = (await import(pathToFileURL(file).href)) as Fns;
    const compiled = compileFunctions(specs);
    assert.deepEqual(Object.keys(compiled).sort(), ["cost", "grad", "jtv", "mapping"]);
    const a = evaluate(module, 8, 5);
    assert.deepEqual(evaluate(compiled, 8, 5), a);
    assert.ok(a.every(Number.isFinite));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("split functions give results identical to unsplit ones", () => {
  const horizon = 10;
  const specs = mpcSpecs(horizon);
  const whole = compileFunctions(specs);
  for (const limit of [1, 7, 50]) {
    const code = generateModule(specs, "", { maxFunctionSize: limit });
    assert.match(code, /const cost_scratch = new Float64Array\(\d+\);/);
    assert.match(code, /function grad_part1\(u, p, out\)/);
    const split = compileFunctions(specs, { maxFunctionSize: limit });
    assert.deepEqual(evaluate(split, horizon, 9), evaluate(whole, horizon, 9), `limit ${limit}`);
  }
  // Random graphs with every operation, and leaf outputs, too.
  const { x, p, pool, rand } = randomGraph(3, 4, 80);
  const outputs = [...pool.slice(-10), x[1], constant(3)];
  const spec = [{ name: "f", inputs: [x, p], outputs }];
  const xv = point(rand, 4, -1, 1);
  const pv = point(rand, 2, -1, 1);
  const a = new Float64Array(outputs.length);
  const b = new Float64Array(outputs.length);
  compileFunctions(spec).f(xv, pv, a);
  compileFunctions(spec, { maxFunctionSize: 3 }).f(xv, pv, b);
  assert.deepEqual(b, a);
  assert.equal(a[10], xv[1]);
  assert.equal(a[11], 3);
  assert.throws(
    () => generateModule(spec, "", { maxFunctionSize: 0 }),
    /maxFunctionSize must be a positive integer, got 0/,
  );
});

test("every operation is computed exactly once, by parts within the size limit", () => {
  const specs = mpcSpecs(10);
  for (const limit of [1, 40, 400]) {
    const code = generateModule(specs, "", { maxFunctionSize: limit });
    for (const spec of specs) {
      const declared = Number(
        new RegExp(`//   ${spec.name}\\(.*, (\\d+) operations`).exec(code)?.[1] ?? Number.NaN,
      );
      const parts = code.split(`function ${spec.name}_part`).slice(1);
      // An unsplit function is its own single part.
      const partBodies = parts.length > 0 ? parts : code.split(`function ${spec.name}(`).slice(1);
      let computed = 0;
      for (const body of partBodies) {
        const text = body.slice(0, body.indexOf("\n}\n"));
        // Every statement weighs at least one unit.
        const statements = text.split("\n").length - 1;
        assert.ok(limit === 1 || statements <= limit, `${spec.name} limit ${limit}`);
        computed += (text.match(/const t\d+ = (?!\w+_scratch)/g) ?? []).length;
      }
      assert.equal(computed, declared, `${spec.name} limit ${limit}`);
    }
  }
});

test("a symbol that is not among the inputs is named in the error", () => {
  const u = sym("u", 2);
  const [w] = sym("w", 1);
  const q = sym("q", 3);
  const spec = { name: "f", inputs: [u], outputs: [add(mul(u[0], w), q[2]), u[1]] };
  assert.throws(
    () => generateModule([spec], ""),
    /"f" uses symbol\(s\) not among its inputs: w\[0\], q\[2\]/,
  );
  assert.throws(() => compileFunctions([spec]), /w\[0\], q\[2\]/);
  // A different symbol with the same name is foreign too.
  const [u0] = sym("u", 1);
  assert.throws(() => compileFunctions([{ name: "g", inputs: [u], outputs: [u0] }]), /u\[0\]/);
});

test("bad specs are rejected with a clear message", () => {
  const u = sym("u", 2);
  assert.throws(
    () => generateModule([{ name: "f", inputs: [u], outputs: u, scalar: true }], ""),
    /"f" is scalar but has 2 outputs/,
  );
  assert.throws(
    () => generateModule([{ name: "not-an-id", inputs: [u], outputs: u }], ""),
    /function name "not-an-id" is not a usable JavaScript identifier/,
  );
  assert.throws(
    () => generateModule([{ name: "return", inputs: [u], outputs: u }], ""),
    /function name "return"/,
  );
  const spec = { name: "f", inputs: [u], outputs: u };
  assert.throws(() => generateModule([spec, spec], ""), /function name "f" is repeated/);
  assert.throws(
    () => generateModule([{ name: "f", inputs: [[add(u[0], 1)]], outputs: u }], ""),
    /inputs\[0\]\[0\] is not a symbol/,
  );
});

test("argument names come from symbol names when usable, positional otherwise", () => {
  const u = sym("u", 2);
  const out = sym("out", 1);
  const mixed = [...sym("a", 1), ...sym("b", 1)];
  const code = generateModule(
    [{ name: "f", inputs: [u, out, mixed, u], outputs: [add(u[1], add(out[0], mixed[1]))] }],
    "",
  );
  assert.match(code, /export function f\(u, in1, in2, in3, out\) \{/);
  const f = compileFunctions([
    { name: "f", inputs: [u, out, mixed, u], outputs: [add(u[1], add(out[0], mixed[1]))] },
  ]).f;
  const result = new Float64Array(1);
  f(
    Float64Array.of(1, 2),
    Float64Array.of(30),
    Float64Array.of(0, 400),
    Float64Array.of(0, 0),
    result,
  );
  assert.equal(result[0], 432);
});

test("generated text is deterministic and independent of earlier graph building", () => {
  const first = generateModule(mpcSpecs(5), "h");
  // Build unrelated graphs so that node ids shift.
  const [z] = sym("z", 1);
  for (let i = 0; i < 100; i++) sum([z, i, sin(mul(z, i))]);
  const second = generateModule(mpcSpecs(5), "h");
  assert.equal(second, first);
  assert.match(first, /const t0 = /);
  assert.match(first, /Math\.cos\(p_2\)/);
});

test("the MPC graph and its gradient grow linearly with the horizon", () => {
  const counts = [10, 20, 40, 80].map((n) => {
    const { u, cost } = bicycleMpc(n);
    return { cost: nodeCount([cost]), grad: nodeCount(gradient(cost, u)) };
  });
  for (let k = 1; k < counts.length; k++) {
    // Doubling the horizon adds the same number of nodes each time: exactly linear.
    const previous = counts[k - 1];
    const current = counts[k];
    const growthCost = current.cost - previous.cost;
    const growthGrad = current.grad - previous.grad;
    assert.equal(growthCost, (counts[1].cost - counts[0].cost) * 2 ** (k - 1));
    assert.equal(growthGrad, (counts[1].grad - counts[0].grad) * 2 ** (k - 1));
  }
  assert.ok(counts[3].grad < 60 * 80, `gradient of horizon 80 has ${counts[3].grad} nodes`);
});
