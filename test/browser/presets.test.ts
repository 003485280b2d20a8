import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bicycleMpcProblem, demoProblem, rosenbrockBallProblem } from "../../examples/problems.js";
import * as browser from "../../src/browser.js";
import type { Problem } from "../../src/problem/index.js";

interface Preset {
  readonly id: string;
  readonly parameter: readonly number[];
  readonly source: string;
}
const { PRESETS } = (await import(
  new URL("../../../playground/presets.js", import.meta.url).href
)) as { PRESETS: readonly Preset[] };

/** A preset's problem, made as the playground's worker makes it. */
function presetProblem(id: string): Problem {
  const source = PRESETS.find((p) => p.id === id)?.source ?? "";
  const exports = Object.entries(browser);
  const made = new Function(...exports.map((e) => e[0]), source)(...exports.map((e) => e[1])) as {
    problem: Problem;
  };
  return made.problem;
}

/** A deterministic pseudo-random sequence in [-1, 1). */
function points(seed: number, n: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (2 * s) / 2147483648 - 1;
  }
  return out;
}

// The presets are text for the page's editor; they must stay the examples' problems.
describe("the playground's presets", () => {
  const cases: [string, Problem][] = [
    ["rosenbrock", rosenbrockBallProblem()],
    ["demo", demoProblem()],
    ["mpc", bicycleMpcProblem({ horizon: 30 })],
  ];
  for (const [id, reference] of cases) {
    it(`${id} is the examples' problem: same sizes, U, cost, gradient and F1`, () => {
      const preset = presetProblem(id);
      assert.deepEqual(
        [preset.nu, preset.np, preset.n1, preset.n2],
        [reference.nu, reference.np, reference.n1, reference.n2],
      );
      const a = new browser.OptimizerBuilder(preset).buildInMemory().problem;
      const b = new browser.OptimizerBuilder(reference).buildInMemory().problem;
      for (let trial = 0; trial < 5; trial++) {
        const u = points(trial + 1, preset.nu);
        const p = points(trial + 100, preset.np);
        const x = points(trial + 200, preset.nu).map((v) => 3 * v);
        const [xa, xb] = [Float64Array.from(x), Float64Array.from(x)];
        preset.constraints?.project(xa);
        reference.constraints?.project(xb);
        assert.deepEqual(xa, xb);
        assert.notDeepEqual(xa, x); // the points lie outside U
        assert.equal(a.cost(u, p), b.cost(u, p));
        const [ga, gb] = [new Float64Array(preset.nu), new Float64Array(preset.nu)];
        a.gradient(u, p, ga);
        b.gradient(u, p, gb);
        assert.deepEqual(ga, gb);
        if (preset.n1 > 0) {
          const [fa, fb] = [new Float64Array(preset.n1), new Float64Array(preset.n1)];
          a.mappingF1?.(u, p, fa);
          b.mappingF1?.(u, p, fb);
          assert.deepEqual(fa, fb);
        }
      }
    });
  }
});
