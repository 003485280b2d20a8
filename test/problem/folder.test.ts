import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { parse } from "yaml";
import { demoProblem, demoSolverConfiguration } from "../../examples/problems.js";
import {
  BuildConfiguration,
  buildOptimizerModule,
  GeneratedOptimizer,
  loadOptimizer,
  OptimizerBuilder,
  OptimizerMeta,
  Problem,
  TcpServerConfiguration,
} from "../../src/problem/index.js";
import type { Constraint } from "../../src/sets/index.js";
import { Rectangle } from "../../src/sets/index.js";
import { SolverConfiguration } from "../../src/solver/index.js";
import { norm2Squared, sub, sym } from "../../src/symbolic/index.js";
import { VERSION } from "../../src/version.js";

const run = promisify(execFile);
// dist/examples/problems.js, the compiled problem module
const problemsModule = fileURLToPath(new URL("../../examples/problems.js", import.meta.url));

let root = "";
before(async () => {
  root = await mkdtemp(join(tmpdir(), "open-engine-problem-"));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("OptimizerBuilder.build: the optimizer folder", () => {
  it("is used from a fresh process with the same results as in-process", async () => {
    const builder = new OptimizerBuilder(
      demoProblem(),
      new OptimizerMeta("demo_fresh", "1.0.0", ["Ada"], "Apache-2.0"),
      new BuildConfiguration(join(root, "out")),
      demoSolverConfiguration,
    );
    const { optimizer, directory, name } = await builder.build();
    assert.equal(name, "demo_fresh");
    assert.equal(directory, join(root, "out", "demo_fresh"));
    const inProcess = optimizer.solve([1, 10]);
    assert.ok(inProcess.ok);
    const script = `
      const m = await import(${JSON.stringify(pathToFileURL(join(directory, "optimizer.js")).href)});
      const r = m.createOptimizer().solve([1, 10]);
      const s = r.status;
      console.log(JSON.stringify({ exitStatus: s.exitStatus, outer: s.numOuterIterations,
        inner: s.numInnerIterations, solution: Array.from(s.solution),
        y: Array.from(s.lagrangeMultipliers), cost: s.cost }));`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script]);
    const fresh = JSON.parse(stdout) as Record<string, unknown>;
    const s = inProcess.status;
    assert.deepEqual(fresh, {
      exitStatus: "Converged",
      outer: s.numOuterIterations,
      inner: s.numInnerIterations,
      solution: Array.from(s.solution),
      y: Array.from(s.lagrangeMultipliers),
      cost: s.cost,
    });
  });

  it("writes optimizer.yml with opengen's keys and the TCP server's defaults", async () => {
    const { directory } = await new OptimizerBuilder(
      demoProblem(),
      new OptimizerMeta("demo_yaml", "2.0.0", ["Ada", "Bob"]),
      new BuildConfiguration(join(root, "yaml")).withTcpInterfaceConfig(
        new TcpServerConfiguration("0.0.0.0", 4598),
      ),
      demoSolverConfiguration,
    ).build();
    const yml = parse(await readFile(join(directory, "optimizer.yml"), "utf8"));
    assert.deepEqual(yml.meta, {
      optimizer_name: "demo_yaml",
      version: "2.0.0",
      authors: ["Ada", "Bob"],
      licence: "MIT",
    });
    assert.deepEqual(yml.tcp, { ip: "0.0.0.0", port: 4598 });
    assert.equal(yml.build.build_dir, join(root, "yaml"));
    assert.deepEqual(yml.problem, { nu: 5, np: 2, n1: 2, n2: 0 });
    assert.deepEqual(yml.solver, {
      tolerance: 1e-6,
      initial_tolerance: 1e-4,
      inner_tolerance_update_factor: 0.1,
      constraints_tolerance: 1e-5,
      lbfgs_memory: 10,
      max_inner_iterations: 500,
      max_outer_iterations: 20,
      penalty_weight_update_factor: 2,
      initial_penalty: 1,
      max_penalty: 1e9,
      sufficient_decrease_coefficient: 0.1,
      max_duration_micros: 5e6,
      cbfgs_alpha: 1,
      cbfgs_epsilon: 1e-8,
      cbfgs_sy_epsilon: 1e-10,
      preconditioning: false,
    });
    // The keys OpEn's Python tools read, and the version that built the folder.
    assert.equal(yml.build.opengen_version, VERSION);
    assert.equal(yml.build.open_engine_version, VERSION);
    assert.equal(yml.build.build_mode, "release");
    for (const key of ["id", "open_version", "target_system", "cost_function_name"]) {
      assert.ok(key in yml.build, key);
    }
    assert.deepEqual([yml.build.mapping_f1, yml.build.mapping_f2], ["mappingF1", null]);
    const server = await readFile(join(directory, "tcp_iface_demo_yaml", "server.js"), "utf8");
    assert.ok(server.includes('"ip": "0.0.0.0", "port": 4598 }'));
    assert.doesNotMatch(server, /file:/);
  });

  it("keeps infinite rectangle bounds (a fresh process rebuilds the sets)", async () => {
    const u = sym("u", 3);
    const pr = new Problem(
      u,
      [],
      norm2Squared([sub(u[0], 5), sub(u[1], -5), sub(u[2], 5)]),
    ).withConstraints(new Rectangle([1, -Infinity, -2], [Infinity, 2, 3]));
    const { directory } = await new OptimizerBuilder(
      pr,
      new OptimizerMeta("boxes"),
      new BuildConfiguration(root),
      new SolverConfiguration({ tolerance: 1e-10 }),
    ).build();
    const script = `
      const m = await import(${JSON.stringify(pathToFileURL(join(directory, "optimizer.js")).href)});
      console.log(JSON.stringify(Array.from(m.createOptimizer().solve([]).status.solution)));`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script]);
    const solution = JSON.parse(stdout) as number[];
    // the projection of (5, -5, 5) onto the box
    for (const [i, v] of [5, -5, 3].entries()) assert.ok(Math.abs(solution[i] - v) < 1e-8);
  });

  it("refuses a user-defined set, which still builds in memory", async () => {
    const u = sym("u", 2);
    const half: Constraint = {
      dimension: 2,
      project: (x) => {
        if (x[0] < 0) x[0] = 0;
      },
      isConvex: () => true,
      isCompact: () => false,
    };
    const pr = new Problem(u, [], norm2Squared([sub(u[0], -1), sub(u[1], 1)])).withConstraints(
      half,
    );
    const builder = new OptimizerBuilder(
      pr,
      new OptimizerMeta("custom"),
      new BuildConfiguration(root),
    );
    const r = builder.buildInMemory().solve([]);
    assert.ok(r.ok);
    assert.ok(Math.abs(r.status.solution[0]) < 1e-6 && Math.abs(r.status.solution[1] - 1) < 1e-6);
    await assert.rejects(builder.build(), /describeSet: cannot describe a set of type Object/);
    assert.equal(existsSync(join(root, "custom")), false);
  });
});

describe("loader: problem modules", () => {
  it("loadOptimizer builds a problem module in memory with its solver settings", async () => {
    const optimizer = await loadOptimizer(problemsModule);
    const r = optimizer.solve([1, 10]);
    assert.ok(r.ok);
    assert.equal(r.status.exitStatus, "Converged");
    assert.deepEqual([optimizer.nu, optimizer.np, optimizer.n1], [5, 2, 2]);
  });

  it("buildOptimizerModule writes the folder, with overrides, loadable by loadOptimizer", async () => {
    const { directory, name } = await buildOptimizerModule(problemsModule, {
      buildDirectory: join(root, "cli"),
      name: "demo_cli",
    });
    assert.equal(name, "demo_cli");
    assert.equal(directory, join(root, "cli", "demo_cli"));
    const yml = parse(await readFile(join(directory, "optimizer.yml"), "utf8"));
    assert.equal(yml.meta.version, "0.1.0");
    const built = (await loadOptimizer(join(directory, "optimizer.js"))).solve([1, 10]);
    const direct = (await loadOptimizer(problemsModule)).solve([1, 10]);
    assert.ok(built.ok && direct.ok);
    assert.deepEqual(built.status.solution, direct.status.solution);
  });

  it("explains what is wrong with a module", async () => {
    const bad = join(root, "bad.mjs");
    await writeFile(bad, "export const problem = 42;\n");
    await assert.rejects(loadOptimizer(bad), /the export "problem" must be a Problem/);
    const empty = join(root, "empty.mjs");
    await writeFile(empty, "export const x = 1;\n");
    await assert.rejects(loadOptimizer(empty), /exports neither createOptimizer\(\) nor a problem/);
    await assert.rejects(buildOptimizerModule(empty), /exports no problem to build/);
    // Node versions that strip TypeScript types import the file (and then see a bad export)
    if (!(process.features as { typescript?: unknown }).typescript) {
      const ts = join(root, "problem.ts");
      await writeFile(ts, "export const problem: number = 1;\n");
      await assert.rejects(loadOptimizer(ts), /cannot import TypeScript. Compile the module/);
    }
  });
});

/** Runs `node args` to its end; never rejects (the exit code is in the result). */
function node(args: string[], cwd?: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, args, { cwd }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr }),
    );
  });
}

describe("a built folder copied elsewhere", () => {
  let copy = "";
  let inProcess: number[] = [];
  before(async () => {
    const { directory, optimizer } = await new OptimizerBuilder(
      demoProblem(),
      new OptimizerMeta("moved", "3.1.0"),
      new BuildConfiguration(join(root, "to-move")),
      demoSolverConfiguration,
    ).build();
    const r = optimizer.solve([1, 10]);
    assert.ok(r.ok);
    inProcess = Array.from(r.status.solution);
    // Outside the project and away from its node_modules: only the folder itself.
    copy = join(await mkdtemp(join(tmpdir(), "open-engine-moved-")), "moved");
    await cp(directory, copy, { recursive: true });
    await rm(directory, { recursive: true });
  });
  after(() => rm(dirname(copy), { recursive: true, force: true }));

  it("holds no reference to the installation that built it", async () => {
    const files = (await readdir(copy, { recursive: true })).filter((f) => f.endsWith(".js"));
    assert.ok(files.some((f) => f.startsWith("runtime")));
    const project = fileURLToPath(new URL("../../../", import.meta.url));
    for (const f of files) {
      const text = await readFile(join(copy, f), "utf8");
      assert.ok(!text.includes(project) && !/(from|import\()\s*["']file:/.test(text), f);
    }
  });

  it("serves with Node alone: --version, then Ping and Run on port 0", async () => {
    const server = join(copy, "tcp_iface_moved", "server.js");
    assert.deepEqual(await node([server, "--version"], tmpdir()), {
      code: 0,
      stdout: `moved 3.1.0 (built by open-engine ${VERSION})\n`,
      stderr: "",
    });
    const script = `
      const { OptimizerTcpManager } = await import(${JSON.stringify(pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), "../../src/tcp/client.js")).href)});
      const m = OptimizerTcpManager.fromOptimizerDirectory(${JSON.stringify(copy)}, { port: 0 });
      await m.start();
      const pong = await m.ping();
      const r = await m.call([1, 10], { initialGuess: [0, 0, 0, 0, 0] });
      await m.kill();
      console.log(JSON.stringify({ pong, solution: r.status.solution }));`;
    const r = await node(["--input-type=module", "-e", script]);
    assert.equal(r.code, 0, r.stderr);
    const { pong, solution } = JSON.parse(r.stdout);
    assert.equal(pong, 1);
    // The wire carries shortest round-trip decimals: the same doubles as in-process.
    assert.deepEqual(solution, inProcess);
  });

  it("warns when the runtime's version differs from the builder's", async () => {
    const other = join(dirname(copy), "other");
    await cp(copy, other, { recursive: true });
    const edit = async (file: string, from: string, to: string) => {
      const text = await readFile(join(other, file), "utf8");
      assert.ok(text.includes(from), file);
      await writeFile(join(other, file), text.replace(from, to));
    };
    await edit("optimizer.js", `"openEngineVersion": "${VERSION}"`, '"openEngineVersion": "0.0.1"');
    await edit("tcp_iface_moved/server.js", `"builtWith": "${VERSION}"`, '"builtWith": "0.0.1"');
    const version = await node([join(other, "tcp_iface_moved", "server.js"), "--version"]);
    assert.equal(
      version.stdout,
      `moved 3.1.0 (built by open-engine 0.0.1, running on open-engine ${VERSION})\n`,
    );
    const script = `
      const m = await import(${JSON.stringify(pathToFileURL(join(other, "optimizer.js")).href)});
      m.createOptimizer(); m.createOptimizer();`;
    const r = await node(["--input-type=module", "-e", script]);
    assert.equal(r.code, 0);
    const warnings = r.stderr.match(/built by open-engine 0\.0\.1 but runs on open-engine \S+;/g);
    assert.equal(warnings?.length, 1, r.stderr);
  });

  it("without its runtime, the server says so in one line", async () => {
    const broken = join(dirname(copy), "broken");
    await cp(copy, broken, { recursive: true });
    await rm(join(broken, "runtime"), { recursive: true });
    const r = await node([join(broken, "tcp_iface_moved", "server.js")]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^moved: cannot load the open-engine runtime of this folder \(.+\); copy the whole optimizer folder, or rebuild it\n$/,
    );
  });
});

describe("solveAsync: the same solve in a worker thread", () => {
  it("gives the sync results, in call order, warm-starting from its own previous solve", async () => {
    const builder = new OptimizerBuilder(
      demoProblem(),
      undefined,
      undefined,
      demoSolverConfiguration,
    );
    const optimizer = builder.buildInMemory();
    const reference = builder.buildInMemory();
    const outcome = (r: Awaited<ReturnType<typeof optimizer.solveAsync>>) => {
      assert.ok(r.ok);
      const s = r.status;
      return [s.exitStatus, s.numOuterIterations, s.numInnerIterations, Array.from(s.solution)];
    };
    const [first, second] = await Promise.all([
      optimizer.solveAsync([1, 10]),
      optimizer.solveAsync(new Float64Array([1, 20])),
    ]);
    assert.deepEqual(outcome(first), outcome(reference.solve([1, 10])));
    assert.deepEqual(outcome(second), outcome(reference.solve([1, 20])));
    // Like solve's, the status from the worker serialises with plain arrays.
    assert.ok(first.ok);
    const json = JSON.parse(JSON.stringify(first.status));
    assert.deepEqual(json.solution, Array.from(first.status.solution));
    assert.equal(json.kktStationarity, first.status.kktStationarity);
    const bad = await optimizer.solveAsync([1]);
    assert.ok(!bad.ok);
    assert.deepEqual(
      [bad.error.code, bad.error.message],
      [3003, "wrong number of parameters: provided 1, expected 2"],
    );
    await optimizer.close();
  });

  it("works on a built folder's optimizer, and says why a user-defined set cannot", async () => {
    const { directory } = await buildOptimizerModule(problemsModule, {
      buildDirectory: join(root, "async"),
    });
    const folder = await loadOptimizer(join(directory, "optimizer.js"));
    const direct = await loadOptimizer(problemsModule);
    assert.ok(folder instanceof GeneratedOptimizer || "solveAsync" in folder);
    const r = await (folder as GeneratedOptimizer).solveAsync([1, 10], {
      initialGuess: [0, 0, 0, 0, 0],
    });
    const s = direct.solve([1, 10], { initialGuess: [0, 0, 0, 0, 0] });
    assert.ok(r.ok && s.ok);
    assert.deepEqual(Array.from(r.status.solution), Array.from(s.status.solution));
    await (folder as GeneratedOptimizer).close();

    const u = sym("u", 1);
    const anywhere: Constraint = {
      dimension: 1,
      project: () => {},
      isConvex: () => true,
      isCompact: () => false,
    };
    const custom = new OptimizerBuilder(
      new Problem(u, [], norm2Squared([sub(u[0], 1)])).withConstraints(anywhere),
    ).buildInMemory();
    assert.ok(custom.solve([]).ok);
    const failed = await custom.solveAsync([]);
    assert.ok(!failed.ok);
    assert.equal(failed.error.code, 2000);
    assert.match(failed.error.message, /describeSet: cannot describe a set/);
  });
});
