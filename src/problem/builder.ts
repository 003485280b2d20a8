import { existsSync } from "node:fs";
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { SolverConfiguration } from "../solver/configuration.js";
import { generateModule } from "../symbolic/index.js";
import { VERSION } from "../version.js";
import { BuildConfiguration } from "./configuration.js";
import { GeneratedOptimizer } from "./generatedOptimizer.js";
import { InMemoryOptimizerBuilder } from "./inMemoryBuilder.js";
import { OptimizerMeta } from "./meta.js";
import type { Problem } from "./problem.js";
import type { OptimizerDescription } from "./runtime.js";
import { describeSet, toSourceLiteral } from "./setDescription.js";

/** What {@link OptimizerBuilder.build} made. */
export interface BuildResult {
  /** The optimizer, in this process (the same as {@link OptimizerBuilder.buildInMemory}'s). */
  readonly optimizer: GeneratedOptimizer;
  /** The absolute path of the folder `{buildDirectory}/{name}`. */
  readonly directory: string;
  /** The optimizer's name. */
  readonly name: string;
}

/**
 * The server runtime bundled when the package is built (solver, sets, TCP
 * server and its dependencies in a few plain modules), seen from dist/src/problem/.
 * {@link OptimizerBuilder.build} copies it into every folder.
 */
const RUNTIME_BUNDLE = fileURLToPath(new URL("../../runtime/", import.meta.url));
/** Where a folder keeps its copy of the runtime. */
const FOLDER_RUNTIME = "runtime";

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Turns a symbolic {@link Problem} into a parametric optimizer, as opengen's
 * `OpEnOptimizerBuilder`: it generates the cost f, its gradient, F1 and
 * J_F1^T y, F2 and J_F2^T w (reverse-mode automatic differentiation, never a
 * full Jacobian) as straight-line JavaScript, then either compiles them in
 * this process ({@link buildInMemory}) or also writes a self-contained
 * optimizer folder ({@link build}).
 *
 * The folder `{buildDirectory}/{name}/` holds:
 * - `mappings.js`: the generated functions (a standalone ES module);
 * - `optimizer.js`: exports `createOptimizer()`, which rebuilds the sets and
 *   wires the functions into a {@link GeneratedOptimizer} with the solver
 *   settings; serve it or call it with `loadOptimizer`;
 * - `optimizer.yml`: metadata, TCP defaults, build data (with the
 *   open-engine version) and solver settings under opengen's key names;
 * - `runtime/`: open-engine's runtime (solver, sets, TCP server), bundled;
 * - `package.json`: marks the folder's files as ES modules;
 * - `tcp_iface_{name}/server.js`: the TCP server, started with
 *   `node {buildDirectory}/{name}/tcp_iface_{name}/server.js [--ip A] [--port N]`
 *   (`--version` prints the versions).
 *
 * The folder is self-contained: copied to another directory or machine, it
 * runs with Node.js >= 20 alone, with no install step.
 */
export class OptimizerBuilder extends InMemoryOptimizerBuilder {
  /** Build directory and TCP defaults. */
  readonly buildConfiguration: BuildConfiguration;

  /**
   * @param problem the problem
   * @param meta metadata (default: `new OptimizerMeta()`)
   * @param buildConfiguration where to build (default: `new BuildConfiguration()`)
   * @param solverConfiguration solver settings (default: opengen's defaults)
   */
  constructor(
    problem: Problem,
    meta: OptimizerMeta = new OptimizerMeta(),
    buildConfiguration: BuildConfiguration = new BuildConfiguration(),
    solverConfiguration: SolverConfiguration = new SolverConfiguration(),
  ) {
    super(problem, meta, undefined, solverConfiguration);
    if (!(buildConfiguration instanceof BuildConfiguration)) {
      throw new Error("OptimizerBuilder: build configuration must be a BuildConfiguration");
    }
    this.buildConfiguration = buildConfiguration;
  }

  /**
   * Generates and compiles the functions in this process (synchronously) and
   * returns the optimizer, which can also solve in a worker thread
   * ({@link GeneratedOptimizer.solveAsync}). The sets are used as they are
   * (any `Constraint` works, user-defined ones included).
   */
  override buildInMemory(): GeneratedOptimizer {
    // solveAsync's worker gets the generated source; its sets must be describable.
    return new GeneratedOptimizer(this.compile(), this.solverConfiguration, () => ({
      description: this.description(),
      mappingsSource: this.mappingsSource(),
    }));
  }

  /**
   * Builds the optimizer in memory and writes the optimizer folder
   * `{buildDirectory}/{name}/` (created if needed; the files are replaced).
   * Every set must be one of open-engine's (see {@link describeSet}).
   */
  async build(): Promise<BuildResult> {
    const description = this.description();
    const optimizer = this.buildInMemory();
    if (!existsSync(join(RUNTIME_BUNDLE, "runtime.js"))) {
      throw new Error(
        `open-engine's server runtime bundle is missing (${RUNTIME_BUNDLE}): reinstall open-engine, ` +
          "or run `npm run build` in its repository",
      );
    }
    const name = this.meta.optimizerName;
    const directory = resolve(this.buildConfiguration.buildDirectory, name);
    const serverDirectory = join(directory, `tcp_iface_${name}`);
    const runtimeDirectory = join(directory, FOLDER_RUNTIME);
    // A runtime left by an older build may hold chunks that no longer exist.
    await rm(runtimeDirectory, { recursive: true, force: true });
    await mkdir(serverDirectory, { recursive: true });
    await Promise.all([
      cp(RUNTIME_BUNDLE, runtimeDirectory, { recursive: true }),
      writeFile(join(directory, "package.json"), this.packageJsonSource()),
      writeFile(join(directory, "mappings.js"), this.mappingsSource()),
      writeFile(join(directory, "optimizer.js"), this.optimizerSource(description)),
      writeFile(join(directory, "optimizer.yml"), this.yamlSource()),
      writeFile(join(serverDirectory, "server.js"), this.serverSource()),
    ]);
    return { optimizer, directory, name };
  }

  private description(): OptimizerDescription {
    const pr = this.problem;
    const describe = (set: Problem["constraints"]) =>
      set === undefined ? undefined : describeSet(set);
    return {
      nu: pr.nu,
      np: pr.np,
      n1: pr.n1,
      n2: pr.n2,
      constraints: describe(pr.constraints),
      almSetC: describe(pr.almSetC),
      almSetY: describe(pr.almSetY),
      solver: this.solverConfiguration.toJSON(),
      openEngineVersion: VERSION,
    };
  }

  private header(): string {
    const m = this.meta;
    const authors = m.authors.length > 0 ? m.authors.join(", ") : "unknown";
    return [
      `${m.optimizerName} ${m.version}, built by open-engine ${VERSION}`,
      `Authors: ${authors}. Licence: ${m.licence}.`,
    ].join("\n");
  }

  private mappingsSource(): string {
    return generateModule(this.functionSpecs(), this.header());
  }

  private packageJsonSource(): string {
    const m = this.meta;
    const json = {
      name: m.optimizerName.toLowerCase(), // npm package names are lowercase

      version: m.version,
      private: true,
      description: `Parametric optimizer built by open-engine ${VERSION}`,
      type: "module",
      engines: { node: ">=20" },
      scripts: { start: `node tcp_iface_${m.optimizerName}/server.js` },
    };
    return `${JSON.stringify(json, null, 2)}\n`;
  }

  private optimizerSource(description: OptimizerDescription): string {
    const lines = [
      ...this.header()
        .split("\n")
        .map((line) => `// ${line}`),
      "//",
      "// The parametric optimizer: generated functions (mappings.js), sets and solver settings,",
      `// run by the open-engine runtime copied into ${FOLDER_RUNTIME}/.`,
      `import { createGeneratedOptimizer } from "./${FOLDER_RUNTIME}/runtime.js";`,
      'import * as mappings from "./mappings.js";',
      "",
      "/** Dimensions, sets and solver settings of this optimizer. */",
      `export const description = ${toSourceLiteral(description)};`,
      "",
      "/** A new optimizer; each one has its own warm-start state. */",
      "export function createOptimizer() {",
      "  return createGeneratedOptimizer(description, mappings, import.meta.url);",
      "}",
      "",
    ];
    return lines.join("\n");
  }

  private yamlSource(): string {
    const m = this.meta;
    const tcp = this.buildConfiguration.tcpInterfaceConfig;
    const pr = this.problem;
    const solver: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.solverConfiguration.toJSON())) {
      solver[snakeCase(key)] = value;
    }
    const functionNames = this.functionSpecs().map((s) => s.name);
    const data = {
      _comment: "auto-generated file; do not modify",
      meta: {
        optimizer_name: m.optimizerName,
        version: m.version,
        authors: [...m.authors],
        licence: m.licence,
      },
      tcp: { ip: tcp.ip, port: tcp.port },
      build: {
        // opengen's keys (its tools read them), then ours.
        id: null,
        open_version: null,
        opengen_version: VERSION,
        build_dir: this.buildConfiguration.buildDirectory,
        build_mode: "release",
        target_system: "node",
        cost_function_name: "cost",
        grad_function_name: "gradient",
        mapping_f1: functionNames.includes("mappingF1") ? "mappingF1" : null,
        mapping_f2: functionNames.includes("mappingF2") ? "mappingF2" : null,
        open_engine_version: VERSION,
        node_version: ">=20",
      },
      solver,
      problem: { nu: pr.nu, np: pr.np, n1: pr.n1, n2: pr.n2 },
    };
    return stringify(data);
  }

  private serverSource(): string {
    const tcp = this.buildConfiguration.tcpInterfaceConfig;
    const m = this.meta;
    const info = toSourceLiteral({
      name: m.optimizerName,
      version: m.version,
      builtWith: VERSION,
      ip: tcp.ip,
      port: tcp.port,
    });
    const runtime = `../${FOLDER_RUNTIME}/runtime.js`;
    return [
      `// The TCP server of the optimizer ${m.optimizerName} (OpEn's TCP/JSON protocol),`,
      `// built by open-engine ${VERSION}. Needs Node.js >= 20 and nothing else.`,
      `// Start: node tcp_iface_${m.optimizerName}/server.js [--ip ADDRESS] [--port N] [--workers N]`,
      "// (--version prints the versions, --help the options).",
      "let runtime;",
      "try {",
      `  runtime = await import(${JSON.stringify(runtime)});`,
      "} catch (e) {",
      '  const reason = String(e?.message ?? e).split("\\n")[0];',
      "  process.stderr.write(",
      `    \`${m.optimizerName}: cannot load the open-engine runtime of this folder (\${reason}); \` +`,
      '      "copy the whole optimizer folder, or rebuild it\\n",',
      "  );",
      "  process.exit(1);",
      "}",
      `await runtime.runFolderServer(new URL("../optimizer.js", import.meta.url), process.argv.slice(2), ${info});`,
      "",
    ].join("\n");
  }
}
