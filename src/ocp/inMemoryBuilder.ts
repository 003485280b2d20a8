/**
 * The part of the OCP builder that needs no Node.js: lower an optimal control
 * problem and build its optimizer in this process. The browser entry offers
 * it as `OcpBuilder`; Node's `OcpBuilder` extends it with optimizer folders.
 */
import { InMemoryOptimizerBuilder } from "../problem/inMemoryBuilder.js";
import { OptimizerMeta } from "../problem/meta.js";
import type { Problem } from "../problem/problem.js";
import { SolverConfiguration } from "../solver/configuration.js";
import { compileFunctions, type FunctionSpec } from "../symbolic/index.js";
import type { Rollout } from "./layout.js";
import { OcpOptimizer } from "./optimizer.js";
import type { LoweredOcp, OptimalControlProblem } from "./problem.js";

/**
 * Lowers an {@link OptimalControlProblem} to a {@link Problem} and builds
 * its optimizer in this process, as opengen's `OCPBuilder` does. The problem
 * is lowered once, when the builder is made; later changes to the OCP need a
 * new builder.
 */
export class InMemoryOcpBuilder {
  /** The lowered problem, layout and state trajectory. */
  readonly lowered: LoweredOcp;
  /** The builder of the lowered problem. */
  readonly builder: InMemoryOptimizerBuilder;

  /**
   * @param ocp the optimal control problem
   * @param meta metadata (default: `new OptimizerMeta()`)
   * @param buildConfiguration where Node's builder writes folders (unused
   *   here, kept so that the same call builds in Node.js and in a browser)
   * @param solverConfiguration solver settings (default: opengen's defaults)
   */
  constructor(
    ocp: Pick<OptimalControlProblem, "lower">,
    meta: OptimizerMeta = new OptimizerMeta(),
    buildConfiguration?: unknown,
    solverConfiguration: SolverConfiguration = new SolverConfiguration(),
  ) {
    if (ocp === null || typeof ocp !== "object" || typeof ocp.lower !== "function") {
      throw new Error("OcpBuilder: the problem must be an OptimalControlProblem");
    }
    this.lowered = ocp.lower();
    this.builder = this.optimizerBuilder(
      this.lowered.problem,
      meta,
      buildConfiguration,
      solverConfiguration,
    );
  }

  /** The builder of the lowered problem (Node's `OcpBuilder` makes one that also writes folders). */
  protected optimizerBuilder(
    problem: Problem,
    meta: OptimizerMeta,
    _buildConfiguration: unknown,
    solverConfiguration: SolverConfiguration,
  ): InMemoryOptimizerBuilder {
    return new InMemoryOptimizerBuilder(problem, meta, undefined, solverConfiguration);
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

  /** The compiled state rollout (single shooting), or `null`. */
  protected compiledRollout(): Rollout | null {
    const spec = this.rolloutSpec();
    return spec === null ? null : (compileFunctions([spec]).rollout as unknown as Rollout);
  }

  /** x_1..x_N as a function of (u, p), for single shooting; `null` for multiple shooting. */
  protected rolloutSpec(): FunctionSpec | null {
    const { layout, states, problem } = this.lowered;
    if (layout.shooting !== "single") return null;
    return { name: "rollout", inputs: [problem.u, problem.p], outputs: states.flat() };
  }
}
