/**
 * The part of the optimizer builder that needs no Node.js: differentiate a
 * {@link Problem}, generate its functions and compile them in this process.
 * The browser entry offers it as `OptimizerBuilder`; Node's `OptimizerBuilder`
 * extends it with optimizer folders and a worker thread for `solveAsync`.
 */
import { SolverConfiguration } from "../solver/configuration.js";
import { ParametricOptimizer } from "../solver/optimizer.js";
import type { AlmProblem } from "../solver/types.js";
import {
  compileFunctions,
  type FunctionSpec,
  gradient,
  jacobianTransposeProduct,
  sym,
} from "../symbolic/index.js";
import { type GeneratedMappings, generatedAlmProblem } from "./mappings.js";
import { OptimizerMeta } from "./meta.js";
import { Problem } from "./problem.js";

/**
 * What the generated code cannot be compiled without: a page whose
 * Content-Security-Policy lacks 'unsafe-eval', or Node.js run with
 * --disallow-code-generation-from-strings, makes `new Function` throw an EvalError.
 */
const NO_CODE_GENERATION =
  "OptimizerBuilder: this environment forbids compiling generated code " +
  "(a Content-Security-Policy without 'unsafe-eval' in script-src, or " +
  "--disallow-code-generation-from-strings); allow it for the script that builds the " +
  "optimizer (a Web Worker may be served with its own policy), or import the mappings.js " +
  "of an optimizer folder built ahead of time and wire it with generatedAlmProblem";

/**
 * Turns a symbolic {@link Problem} into a parametric optimizer in this
 * process: it generates the cost f, its gradient, F1 and J_F1^T y, F2 and
 * J_F2^T w (reverse-mode automatic differentiation, never a full Jacobian)
 * as straight-line JavaScript and compiles them. Works wherever JavaScript
 * may compile code (Node.js, browsers, Web Workers, Deno, Bun).
 */
export class InMemoryOptimizerBuilder {
  /** The problem. */
  readonly problem: Problem;
  /** Name, version, authors, licence. */
  readonly meta: OptimizerMeta;
  /** The solver settings of the optimizer. */
  readonly solverConfiguration: SolverConfiguration;
  private specs: FunctionSpec[] | undefined;

  /**
   * @param problem the problem
   * @param meta metadata (default: `new OptimizerMeta()`)
   * @param _buildConfiguration unused here: building folders needs Node.js
   *   (kept so that the same call builds in Node.js and in a browser)
   * @param solverConfiguration solver settings (default: opengen's defaults)
   */
  constructor(
    problem: Problem,
    meta: OptimizerMeta = new OptimizerMeta(),
    _buildConfiguration?: undefined,
    solverConfiguration: SolverConfiguration = new SolverConfiguration(),
  ) {
    if (!(problem instanceof Problem)) {
      throw new Error("OptimizerBuilder: problem must be a Problem");
    }
    if (!(meta instanceof OptimizerMeta)) {
      throw new Error("OptimizerBuilder: meta must be an OptimizerMeta");
    }
    if (!(solverConfiguration instanceof SolverConfiguration)) {
      throw new Error("OptimizerBuilder: solver configuration must be a SolverConfiguration");
    }
    this.problem = problem;
    this.meta = meta;
    this.solverConfiguration = solverConfiguration;
  }

  /**
   * The functions to generate: `cost` (scalar), `gradient`, and when present
   * `mappingF1`, `jacobianF1Transpose`, `mappingF2`, `jacobianF2Transpose`,
   * each with arguments (u, p[, v], out), and with constraints the fused
   * `costAndMappings` and `lagrangianGradient` (see {@link AlmProblem}).
   * Differentiated once, then cached.
   */
  functionSpecs(): readonly FunctionSpec[] {
    if (this.specs !== undefined) return this.specs;
    const { u, p, cost, mappingF1, mappingF2 } = this.problem;
    const specs: FunctionSpec[] = [
      { name: "cost", inputs: [u, p], outputs: [cost], scalar: true },
      { name: "gradient", inputs: [u, p], outputs: gradient(cost, u) },
    ];
    // F1 with multipliers y, F2 with w: the names of the generated code's arguments.
    for (const [which, mapping, multiplier] of [
      ["F1", mappingF1, "y"],
      ["F2", mappingF2, "w"],
    ] as const) {
      if (mapping === undefined) continue;
      const v = sym(multiplier, mapping.length);
      specs.push(
        { name: `mapping${which}`, inputs: [u, p], outputs: mapping },
        {
          name: `jacobian${which}Transpose`,
          inputs: [u, p, v],
          outputs: jacobianTransposeProduct(mapping, u, v),
        },
      );
    }
    // The fused pair the solver prefers: f, F1 and F2 in one call, and the
    // gradient of their weighted sum in one reverse sweep.
    const mappings = [...(mappingF1 ?? []), ...(mappingF2 ?? [])];
    if (mappings.length > 0) {
      const roots = [cost, ...mappings];
      const weights = sym("weights", roots.length);
      specs.push(
        { name: "costAndMappings", inputs: [u, p], outputs: roots },
        {
          name: "lagrangianGradient",
          inputs: [u, p, weights],
          outputs: jacobianTransposeProduct(roots, u, weights),
        },
      );
    }
    this.specs = specs;
    return specs;
  }

  /**
   * Generates and compiles the functions in this process (synchronously) and
   * returns the optimizer. The sets are used as they are (any `Constraint`
   * works, user-defined ones included). Throws a clear error where compiling
   * generated code is forbidden (see the class comment).
   */
  buildInMemory(): ParametricOptimizer {
    return new ParametricOptimizer(this.compile(), this.solverConfiguration);
  }

  /** The low-level problem of the compiled functions and the problem's sets. */
  protected compile(): AlmProblem {
    let mappings: GeneratedMappings;
    try {
      mappings = compileFunctions(this.functionSpecs()) as unknown as GeneratedMappings;
    } catch (e) {
      if (e instanceof EvalError) throw new Error(NO_CODE_GENERATION, { cause: e });
      throw e;
    }
    return generatedAlmProblem(this.problem, mappings, this.problem);
  }
}
