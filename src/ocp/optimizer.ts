/** The OCP optimizer in this process: solve by named parameters. */
import type { ParametricOptimizer } from "../solver/optimizer.js";
import type { SolveOptions } from "../solver/types.js";
import type { OcpLayout, Rollout } from "./layout.js";
import { ParameterPack, type ParameterValues } from "./parameters.js";
import { OcpSolution } from "./solution.js";

/**
 * An optimizer of an optimal control problem running in this process, made
 * by `OcpBuilder`. It warm-starts from the previous solution, as every
 * open-engine optimizer does.
 */
export class OcpOptimizer {
  /** The layout of inputs, states and parameters. */
  readonly layout: OcpLayout;
  /** The underlying parametric optimizer (decision vector and packed parameters). */
  readonly optimizer: ParametricOptimizer;
  private readonly pack: ParameterPack;
  private readonly makeRollout: () => Rollout | null;
  private rollout: Rollout | null | undefined;

  /**
   * @param optimizer the parametric optimizer of the lowered problem
   * @param layout its layout
   * @param rollout makes the state rollout (single shooting), once, at the first solve
   */
  constructor(optimizer: ParametricOptimizer, layout: OcpLayout, rollout: () => Rollout | null) {
    this.optimizer = optimizer;
    this.layout = layout;
    this.pack = ParameterPack.of(layout.parameters);
    this.makeRollout = rollout;
  }

  /**
   * The packed parameter vector for named values (defaults fill the rest).
   * Throws an {@link OptimizerError} for unknown or missing names (1000) or a
   * value of the wrong size (3003).
   */
  packParameters(values: ParameterValues): Float64Array {
    return this.pack.pack(values);
  }

  /**
   * Solves for named parameter values, e.g. `solve({ x0: [0.4, 0.2], q: 30 })`.
   * Throws an {@link OptimizerError} with the protocol's code for bad input
   * (unknown or missing parameters, wrong sizes, a wrong initial guess) or a
   * failed solve.
   *
   * @param options warm start: initial guess (decision vector), multipliers, penalty
   */
  solve(values: ParameterValues, options: SolveOptions = {}): OcpSolution {
    const p = this.pack.pack(values);
    const result = this.optimizer.solve(p, options);
    if (!result.ok) throw result.error;
    if (this.rollout === undefined) this.rollout = this.makeRollout();
    return new OcpSolution(this.layout, result.status, p, this.rollout);
  }
}
