import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { SolverConfiguration } from "../solver/configuration.js";
import { ParametricOptimizer } from "../solver/optimizer.js";
import {
  compileFunctions,
  type FunctionSpec,
  generateModule,
  gradient,
  jacobianTransposeProduct,
  sym,
} from "../symbolic/index.js";
import { BuildConfiguration, OptimizerMeta } from "./configuration.js";
import { Problem } from "./problem.js";
import {
  type GeneratedMappings,
  generatedAlmProblem,
  type OptimizerDescription,
} from "./runtime.js";
import { describeSet, toSourceLiteral } from "./setDescription.js";

/** What {@link OptimizerBuilder.build} made. */
export interface BuildResult {
  /** The optimizer, in this process (the same as {@link OptimizerBuilder.buildInMemory}'s). */
  readonly optimizer: ParametricOptimizer;
  /** The absolute path of the folder `{buildDirectory}/{name}`. */
  readonly directory: string;
  /** The optimizer's name. */
  readonly name: string;
}

// The runtime a built folder imports, resolved from this file's place in dist/src/problem/.
const RUNTIME_URL = new URL("./index.js", import.meta.url).href;
const SERVE_URL = new URL("../cli/serve.js", import.meta.url).href;
const PACKAGE_JSON = new URL("../../../package.json", import.meta.url);

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

async function packageVersion(): Promise<string> {
  const json = JSON.parse(await readFile(PACKAGE_JSON, "utf8")) as { version?: string };
  return json.version ?? "unknown";
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
 *   wires the functions into a {@link ParametricOptimizer} with the solver
 *   settings; serve it or call it with `loadOptimizer`;
 * - `optimizer.yml`: metadata, TCP defaults, build data and solver settings
 *   under opengen's key names;
 * - `tcp_iface_{name}/server.js`: the TCP server, started with
 *   `node {buildDirectory}/{name}/tcp_iface_{name}/server.js [--ip A] [--port N]`.
 *
 * The folder imports open-engine's runtime by the absolute file URL of the
 * installation that built it: it works as long as that installation stays
 * where it is (rebuild after moving or upgrading open-engine).
 */
export class OptimizerBuilder {
  /** The problem. */
  readonly problem: Problem;
  /** Name, version, authors, licence. */
  readonly meta: OptimizerMeta;
  /** Build directory and TCP defaults. */
  readonly buildConfiguration: BuildConfiguration;
  /** The solver settings of the optimizer. */
  readonly solverConfiguration: SolverConfiguration;
  private specs: FunctionSpec[] | undefined;

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
    if (!(problem instanceof Problem)) {
      throw new Error("OptimizerBuilder: problem must be a Problem");
    }
    if (!(meta instanceof OptimizerMeta)) {
      throw new Error("OptimizerBuilder: meta must be an OptimizerMeta");
    }
    if (!(buildConfiguration instanceof BuildConfiguration)) {
      throw new Error("OptimizerBuilder: build configuration must be a BuildConfiguration");
    }
    if (!(solverConfiguration instanceof SolverConfiguration)) {
      throw new Error("OptimizerBuilder: solver configuration must be a SolverConfiguration");
    }
    this.problem = problem;
    this.meta = meta;
    this.buildConfiguration = buildConfiguration;
    this.solverConfiguration = solverConfiguration;
  }

  /**
   * The functions to generate: `cost` (scalar), `gradient`, and when present
   * `mappingF1`, `jacobianF1Transpose`, `mappingF2`, `jacobianF2Transpose`,
   * each with arguments (u, p[, v], out). Differentiated once, then cached.
   */
  functionSpecs(): readonly FunctionSpec[] {
    if (this.specs !== undefined) return this.specs;
    const { u, p, cost, mappingF1, mappingF2 } = this.problem;
    const specs: FunctionSpec[] = [
      { name: "cost", inputs: [u, p], outputs: [cost], scalar: true },
      { name: "gradient", inputs: [u, p], outputs: gradient(cost, u) },
    ];
    if (mappingF1 !== undefined) {
      const y = sym("y", mappingF1.length);
      specs.push(
        { name: "mappingF1", inputs: [u, p], outputs: mappingF1 },
        {
          name: "jacobianF1Transpose",
          inputs: [u, p, y],
          outputs: jacobianTransposeProduct(mappingF1, u, y),
        },
      );
    }
    if (mappingF2 !== undefined) {
      const w = sym("w", mappingF2.length);
      specs.push(
        { name: "mappingF2", inputs: [u, p], outputs: mappingF2 },
        {
          name: "jacobianF2Transpose",
          inputs: [u, p, w],
          outputs: jacobianTransposeProduct(mappingF2, u, w),
        },
      );
    }
    this.specs = specs;
    return specs;
  }

  /**
   * Generates and compiles the functions in this process (synchronously) and
   * returns the optimizer. The sets are used as they are (any
   * `Constraint` works, user-defined ones included).
   */
  buildInMemory(): ParametricOptimizer {
    const mappings = compileFunctions(this.functionSpecs()) as unknown as GeneratedMappings;
    const pr = this.problem;
    const almProblem = generatedAlmProblem(pr, mappings, {
      constraints: pr.constraints,
      almSetC: pr.almSetC,
      almSetY: pr.almSetY,
    });
    return new ParametricOptimizer(almProblem, this.solverConfiguration);
  }

  /**
   * Builds the optimizer in memory and writes the optimizer folder
   * `{buildDirectory}/{name}/` (created if needed; the files are replaced).
   * Every set must be one of open-engine's (see {@link describeSet}).
   */
  async build(): Promise<BuildResult> {
    const description = this.description();
    const optimizer = this.buildInMemory();
    const name = this.meta.optimizerName;
    const directory = resolve(this.buildConfiguration.buildDirectory, name);
    const serverDirectory = join(directory, `tcp_iface_${name}`);
    const version = await packageVersion();
    await mkdir(serverDirectory, { recursive: true });
    await Promise.all([
      writeFile(join(directory, "mappings.js"), this.mappingsSource(version)),
      writeFile(join(directory, "optimizer.js"), this.optimizerSource(description, version)),
      writeFile(join(directory, "optimizer.yml"), this.yamlSource(version)),
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
    };
  }

  private header(version: string): string {
    const m = this.meta;
    const authors = m.authors.length > 0 ? m.authors.join(", ") : "unknown";
    return [
      `${m.optimizerName} ${m.version}, built by open-engine ${version}`,
      `Authors: ${authors}. Licence: ${m.licence}.`,
    ].join("\n");
  }

  private mappingsSource(version: string): string {
    return generateModule(this.functionSpecs(), this.header(version));
  }

  private optimizerSource(description: OptimizerDescription, version: string): string {
    const lines = [
      ...this.header(version)
        .split("\n")
        .map((line) => `// ${line}`),
      "//",
      "// The parametric optimizer: generated functions (mappings.js), sets and solver settings.",
      "// This folder depends on the open-engine installation that built it: it imports its",
      "// runtime from the URL below. Rebuild the optimizer after moving or upgrading open-engine.",
      `import { createGeneratedOptimizer } from ${JSON.stringify(RUNTIME_URL)};`,
      'import * as mappings from "./mappings.js";',
      "",
      "/** Dimensions, sets and solver settings of this optimizer. */",
      `export const description = ${toSourceLiteral(description)};`,
      "",
      "/** A new optimizer; each one has its own warm-start state. */",
      "export function createOptimizer() {",
      "  return createGeneratedOptimizer(description, mappings);",
      "}",
      "",
    ];
    return lines.join("\n");
  }

  private yamlSource(version: string): string {
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
        open_engine_version: version,
        build_dir: this.buildConfiguration.buildDirectory,
        target_system: "node",
        cost_function_name: "cost",
        grad_function_name: "gradient",
        mapping_f1: functionNames.includes("mappingF1") ? "mappingF1" : null,
        mapping_f2: functionNames.includes("mappingF2") ? "mappingF2" : null,
      },
      solver,
      problem: { nu: pr.nu, np: pr.np, n1: pr.n1, n2: pr.n2 },
    };
    return stringify(data);
  }

  private serverSource(): string {
    const tcp = this.buildConfiguration.tcpInterfaceConfig;
    const name = this.meta.optimizerName;
    const defaults = toSourceLiteral({ ip: tcp.ip, port: tcp.port });
    return [
      `// The TCP server of the optimizer ${name} (OpEn's TCP/JSON protocol).`,
      `// Start: node tcp_iface_${name}/server.js [--ip ADDRESS] [--port N]`,
      "// It imports open-engine's runtime from the installation that built it.",
      'import { fileURLToPath } from "node:url";',
      `import { runServerProcess } from ${JSON.stringify(SERVE_URL)};`,
      "",
      'const optimizerModule = fileURLToPath(new URL("../optimizer.js", import.meta.url));',
      `await runServerProcess(optimizerModule, process.argv.slice(2), ${defaults});`,
      "",
    ].join("\n");
  }
}
