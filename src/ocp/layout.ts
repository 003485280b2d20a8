/**
 * Where the inputs and states of an optimal control problem sit in the
 * decision vector and the parameter vector, and how to read them back.
 */
import type { ParameterBlock } from "./parameters.js";

/** How the states are handled: eliminated (single) or decision variables (multiple). */
export type Shooting = "single" | "multiple";

/** A half-open index range [start, end). */
export type Slice = readonly [start: number, end: number];

/** The layout of the lowered problem. */
export interface OcpLayout {
  readonly shooting: Shooting;
  readonly nx: number;
  readonly nu: number;
  readonly horizon: number;
  /** The length of the decision vector. */
  readonly decisionDimension: number;
  /** The named blocks of the parameter vector, in order. */
  readonly parameters: readonly ParameterBlock[];
  /** [start, end) of u_t in the decision vector, for t = 0..N-1. */
  readonly inputSlices: readonly Slice[];
  /** [start, end) of x_t in the decision vector, for t = 1..N (multiple shooting; empty otherwise). */
  readonly stateSlices: readonly Slice[];
}

/**
 * Computes x_1..x_N (flat, N nx entries) from the decision vector u and the
 * parameter vector p (single shooting: the generated rollout).
 */
export type Rollout = (u: Float64Array, p: Float64Array, out: Float64Array) => void;

/** u_0..u_{N-1} read from a decision vector. */
export function inputsOf(layout: OcpLayout, solution: Float64Array): number[][] {
  return layout.inputSlices.map(([a, b]) => Array.from(solution.subarray(a, b)));
}

/**
 * x_0..x_N: x_0 from the parameter `x0`, the others from the decision vector
 * (multiple shooting) or from the rollout (single shooting).
 */
export function statesOf(
  layout: OcpLayout,
  solution: Float64Array,
  p: Float64Array,
  rollout: Rollout | null,
): number[][] {
  const { nx, horizon } = layout;
  const x0 = layout.parameters.find((b) => b.name === "x0");
  if (x0 === undefined) throw new Error('the layout has no parameter "x0"');
  const states = [Array.from(p.subarray(x0.offset, x0.offset + nx))];
  if (layout.shooting === "multiple") {
    for (const [a, b] of layout.stateSlices) states.push(Array.from(solution.subarray(a, b)));
    return states;
  }
  if (rollout === null) throw new Error("single shooting needs the rollout to recover the states");
  const flat = new Float64Array(horizon * nx);
  rollout(solution, p, flat);
  for (let t = 0; t < horizon; t++) states.push(Array.from(flat.subarray(t * nx, (t + 1) * nx)));
  return states;
}
