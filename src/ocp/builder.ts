/** Builds optimizers of optimal control problems as folders (and in memory). */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { OptimizerBuilder } from "../problem/builder.js";
import { BuildConfiguration, OptimizerMeta } from "../problem/configuration.js";
import type { Problem } from "../problem/problem.js";
import { SolverConfiguration } from "../solver/configuration.js";
import { generateModule } from "../symbolic/index.js";
import { InMemoryOcpBuilder } from "./inMemoryBuilder.js";
import { MANIFEST_FILE, manifestOf, type OcpManifest, ROLLOUT_FILE } from "./manifest.js";
import { OcpOptimizer } from "./optimizer.js";
import type { OptimalControlProblem } from "./problem.js";

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
export class OcpBuilder extends InMemoryOcpBuilder {
  /** The builder of the lowered problem. */
  declare readonly builder: OptimizerBuilder;

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
    super(ocp, meta, buildConfiguration, solverConfiguration);
  }

  protected override optimizerBuilder(
    problem: Problem,
    meta: OptimizerMeta,
    buildConfiguration: unknown,
    solverConfiguration: SolverConfiguration,
  ): OptimizerBuilder {
    return new OptimizerBuilder(
      problem,
      meta,
      buildConfiguration as BuildConfiguration,
      solverConfiguration,
    );
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
}
