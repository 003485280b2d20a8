/** Builds optimizers of optimal control problems, in memory or as folders. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { OptimizerBuilder } from "../problem/builder.js";
import { BuildConfiguration, OptimizerMeta } from "../problem/configuration.js";
import type { Problem } from "../problem/problem.js";
import { SolverConfiguration } from "../solver/configuration.js";
import { compileFunctions, type FunctionSpec, generateModule } from "../symbolic/index.js";
import type { Rollout } from "./layout.js";
import { MANIFEST_FILE, manifestOf, type OcpManifest, ROLLOUT_FILE } from "./manifest.js";
import { OcpOptimizer } from "./optimizer.js";
import type { LoweredOcp, OptimalControlProblem } from "./problem.js";

/** What {@link OcpBuilder.build} made. */
export interface OcpBuildResult {
  /** The optimizer, in this process. */
  readonly optimizer: OcpOptimizer;
  /** The absolute path of the optimizer folder. */
  readonly directory: string;
  /** The absolute path of its manifest (load it with `RemoteOcpOptimizer.load`). */
  readonly manifestPath: string;
  /** The manifest's content. */
  readonly manifest: OcpManifest;
}

/**
 * Lowers an {@link OptimalControlProblem} to a {@link Problem} and builds
 * its optimizer, as opengen's `OCPBuilder`: in this process
 * ({@link buildInMemory}) or as an optimizer folder with a TCP server plus a
 * JSON manifest ({@link build}). The problem is lowered once, when the
 * builder is made; later changes to the OCP need a new builder.
 */
export class OcpBuilder {
  /** The lowered problem, layout and state trajectory. */
  readonly lowered: LoweredOcp;
  /** The builder of the lowered problem. */
  readonly builder: OptimizerBuilder;

  /**
   * @param ocp the optimal control problem
   * @param meta metadata (default: `new OptimizerMeta()`)
   * @param buildConfiguration where to build (default: `new BuildConfiguration()`)
   * @param solverConfiguration solver settings (default: opengen's defaults)
   */
  constructor(
    ocp: Pick<OptimalControlProblem, "lower">,
    meta: OptimizerMeta = new OptimizerMeta(),
    buildConfiguration: BuildConfiguration = new BuildConfiguration(),
    solverConfiguration: SolverConfiguration = new SolverConfiguration(),
  ) {
    if (ocp === null || typeof ocp !== "object" || typeof ocp.lower !== "function") {
      throw new Error("OcpBuilder: the problem must be an OptimalControlProblem");
    }
    this.lowered = ocp.lower();
    this.builder = new OptimizerBuilder(
      this.lowered.problem,
      meta,
      buildConfiguration,
      solverConfiguration,
    );
  }

  /** The lowered parametric problem, for inspection. */
  get problem(): Problem {
    return this.lowered.problem;
  }

  /** Builds the optimizer in this process (milliseconds, no files). */
  buildInMemory(): OcpOptimizer {
    const optimizer = this.builder.buildInMemory();
    return new OcpOptimizer(optimizer, this.lowered.layout, () => this.compiledRollout());
  }

  /**
   * Writes the optimizer folder (as `OptimizerBuilder.build`) plus
   * `optimizer_manifest.json` and, for single shooting, `rollout.js`.
   */
  async build(): Promise<OcpBuildResult> {
    const built = await this.builder.build();
    const { layout } = this.lowered;
    const { problem } = this;
    const tcp = this.builder.buildConfiguration.tcpInterfaceConfig;
    const manifest = manifestOf(layout, built.name, { n1: problem.n1, n2: problem.n2 }, tcp);
    const manifestPath = join(built.directory, MANIFEST_FILE);
    const writes = [writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`)];
    const spec = this.rolloutSpec();
    if (spec !== null) {
      const header = `State rollout of ${built.name}: x_1..x_N from (u, p); x_0 is the parameter x0.`;
      writes.push(writeFile(join(built.directory, ROLLOUT_FILE), generateModule([spec], header)));
    }
    await Promise.all(writes);
    const optimizer = new OcpOptimizer(built.optimizer, layout, () => this.compiledRollout());
    return { optimizer, directory: built.directory, manifestPath, manifest };
  }

  private compiledRollout(): Rollout | null {
    const spec = this.rolloutSpec();
    return spec === null ? null : (compileFunctions([spec]).rollout as unknown as Rollout);
  }

  /** x_1..x_N as a function of (u, p), for single shooting; `null` for multiple shooting. */
  private rolloutSpec(): FunctionSpec | null {
    const { layout, states, problem } = this.lowered;
    if (layout.shooting !== "single") return null;
    return { name: "rollout", inputs: [problem.u, problem.p], outputs: states.flat() };
  }
}
