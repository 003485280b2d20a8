import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { bicycleOcp } from "../../examples/ocpBicycle.js";
import { rosenbrockBallProblem } from "../../examples/problems.js";
import * as browser from "../../src/browser.js";
import { OcpBuilder } from "../../src/ocp/index.js";
import { OptimizerBuilder } from "../../src/problem/index.js";
import { SolverConfiguration } from "../../src/solver/index.js";
import { ROSENBROCK_BALL } from "./answers.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const dist = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

/** Bundles a compiled entry as a web page's bundler would; resolves with esbuild's metafile. */
async function bundleForBrowser(entry: string) {
  const { metafile, outputFiles } = await build({
    entryPoints: [dist(entry)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    metafile: true,
    logLevel: "silent",
  });
  return { inputs: Object.keys(metafile.inputs), code: outputFiles[0]?.text ?? "" };
}

/** Runs an ES module snippet in a fresh Node.js from the repository root. */
async function node(flags: string[], code: string): Promise<string> {
  const { stdout } = await run(process.execPath, [...flags, "--input-type=module", "-e", code], {
    cwd: root,
  });
  return stdout.trim();
}

describe("the browser entry", () => {
  it("bundles for the browser with no Node.js built-in, dependency or import.meta", async () => {
    const { inputs, code } = await bundleForBrowser("browser.js");
    assert.deepEqual(
      inputs.filter((i) => !i.startsWith("dist/src/")),
      [],
    );
    assert.ok(inputs.includes("dist/src/problem/inMemoryBuilder.js"));
    assert.ok(inputs.includes("dist/src/ocp/inMemoryBuilder.js"));
    assert.ok(!code.includes("import.meta"), "a module-level URL would break non-ESM bundles");
  });

  it("is a check that fails on Node.js code: the Node entry does not bundle for the browser", async () => {
    await assert.rejects(bundleForBrowser("index.js"), /node:/);
  });

  it('is what "open-engine" means under the "browser" condition; Node.js gets the full entry', async () => {
    const probe =
      'const m = await import("open-engine"); const b = await import("open-engine/browser");' +
      "console.log(typeof m.startServer, typeof m.OptimizerBuilder.prototype.build, b.OptimizerBuilder === m.OptimizerBuilder);";
    assert.equal(await node([], probe), "function function false");
    assert.equal(await node(["--conditions=browser"], probe), "undefined undefined true");
  });

  it("builds and solves as the Node.js builder does, without solveAsync", () => {
    const settings = new SolverConfiguration({ tolerance: 1e-10 });
    const inBrowser = new browser.OptimizerBuilder(
      rosenbrockBallProblem(),
      undefined,
      undefined,
      settings,
    ).buildInMemory();
    const inNode = new OptimizerBuilder(
      rosenbrockBallProblem(),
      undefined,
      undefined,
      settings,
    ).buildInMemory();
    assert.equal("solveAsync" in inBrowser, false);
    const a = inBrowser.solve([]);
    const b = inNode.solve([]);
    assert.ok(a.ok && b.ok);
    assert.deepEqual(Array.from(a.status.solution), Array.from(b.status.solution));
    for (let i = 0; i < 2; i++) {
      assert.ok(Math.abs((a.status.solution[i] ?? Number.NaN) - ROSENBROCK_BALL[i]) < 1e-7);
    }
  });

  it("builds and solves an optimal control problem as the Node.js OcpBuilder does", () => {
    const settings = new SolverConfiguration({ tolerance: 1e-6 });
    const parking = { x0: [0, 0, 0], xref: [2, 1, 0], ymax: 0.8 };
    const [inBrowser, inNode] = [browser.OcpBuilder, OcpBuilder].map((Builder) =>
      new Builder(bicycleOcp({ horizon: 10 }), undefined, undefined, settings)
        .buildInMemory()
        .solve(parking),
    );
    assert.ok(inBrowser !== undefined && inNode !== undefined);
    assert.equal(inBrowser.exitStatus, "Converged");
    assert.deepEqual(inBrowser.inputs, inNode.inputs);
    assert.deepEqual(inBrowser.states, inNode.states);
    // the path constraint y <= ymax holds at the answer (on x_0..x_{N-1})
    for (const x of inBrowser.states.slice(0, -1)) assert.ok((x[1] ?? Number.NaN) <= 0.8 + 1e-4);
  });

  it("says why where generated code may not be compiled, and the folder's mappings.js still works there", async () => {
    const out = await node(
      ["--disallow-code-generation-from-strings"],
      `import { OptimizerBuilder, generatedAlmProblem, generateModule, ParametricOptimizer, SolverConfiguration } from "open-engine/browser";
       import { rosenbrockBallProblem } from "./dist/examples/problems.js";
       const builder = new OptimizerBuilder(rosenbrockBallProblem(), undefined, undefined, new SolverConfiguration({ tolerance: 1e-10 }));
       try { builder.buildInMemory(); console.log("compiled"); }
       catch (e) { console.log(e.message, e.cause instanceof EvalError); }
       const source = generateModule(builder.functionSpecs(), "precompiled");
       const mappings = await import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));
       const pr = builder.problem;
       const r = new ParametricOptimizer(generatedAlmProblem(pr, mappings, pr), builder.solverConfiguration).solve([]);
       console.log(JSON.stringify(Array.from(r.status.solution)));`,
    );
    const [message, solution] = out.split("\n");
    assert.match(message ?? "", /forbids compiling generated code .*'unsafe-eval'.* true$/);
    const u = JSON.parse(solution ?? "[]") as number[];
    for (let i = 0; i < 2; i++)
      assert.ok(Math.abs((u[i] ?? Number.NaN) - ROSENBROCK_BALL[i]) < 1e-7);
  });
});
