/** The solution of an optimal control problem, with inputs and states by stage. */
import type { ExitStatus, SolverStatus } from "../solver/types.js";
import type { RemoteSolverStatus } from "../tcp/client.js";
import { inputsOf, type OcpLayout, type Rollout, statesOf } from "./layout.js";

function finite(x: number | null): number {
  return x ?? Number.NaN;
}

function format(value: unknown): string {
  if (typeof value === "number") {
    if (value === 0) return "0";
    return Number.isFinite(value) ? Number(value.toPrecision(4)).toString() : String(value);
  }
  if (Array.isArray(value)) return `[${value.map(format).join(", ")}]`;
  return String(value);
}

/**
 * What a solve of an optimal control problem returns (as opengen's
 * `OcpSolution`): the inputs and states by stage, and every figure the solver
 * reports. Plain numbers and arrays, so it serialises with `JSON.stringify`;
 * `toString()` prints a summary. A figure the server reported as
 * non-finite is NaN.
 */
export class OcpSolution {
  /** u_0..u_{N-1}: horizon rows of nu numbers. */
  readonly inputs: number[][];
  /** x_0..x_N: horizon + 1 rows of nx numbers; x_0 is the parameter x0. */
  readonly states: number[][];
  /** The whole decision vector. */
  readonly solution: number[];
  /** The cost at the solution. */
  readonly cost: number;
  readonly exitStatus: ExitStatus;
  readonly solveTimeMs: number;
  /** The last penalty parameter. */
  readonly penalty: number;
  readonly numOuterIterations: number;
  readonly numInnerIterations: number;
  /** Norm of the fixed-point residual of the last inner problem. */
  readonly lastProblemNormFpr: number;
  /** Infeasibility of the ALM constraints: ||y+ - y|| / max(c, 1) of the last update. */
  readonly f1Infeasibility: number;
  /** ||F2|| at the solution: infeasibility of the penalty constraints. */
  readonly f2Norm: number;
  /** The multipliers y of the ALM constraints. */
  readonly lagrangeMultipliers: number[];

  /**
   * @param layout where inputs and states sit
   * @param status the solver's (in-process or remote) status
   * @param p the packed parameter vector of the solve
   * @param rollout the state rollout (single shooting)
   */
  constructor(
    layout: OcpLayout,
    status: SolverStatus | RemoteSolverStatus,
    p: Float64Array,
    rollout: Rollout | null,
  ) {
    const solution = Float64Array.from(status.solution);
    this.inputs = inputsOf(layout, solution);
    this.states = statesOf(layout, solution, p, rollout);
    this.solution = Array.from(solution);
    this.cost = finite(status.cost);
    this.exitStatus = status.exitStatus;
    this.solveTimeMs = status.solveTimeMs;
    this.penalty = finite(status.penalty);
    this.numOuterIterations = status.numOuterIterations;
    this.numInnerIterations = status.numInnerIterations;
    this.lastProblemNormFpr = finite(status.lastProblemNormFpr);
    this.f1Infeasibility = finite(status.deltaYNormOverC);
    this.f2Norm = finite(status.f2Norm);
    this.lagrangeMultipliers = Array.from(status.lagrangeMultipliers);
  }

  /** A readable multi-line summary. */
  toString(): string {
    const rows: [string, unknown][] = [
      ["Exit status", this.exitStatus],
      ["Cost", this.cost],
      ["Solve time [ms]", this.solveTimeMs],
      ["Penalty", this.penalty],
      ["Outer iterations", this.numOuterIterations],
      ["Inner iterations", this.numInnerIterations],
      ["FPR", this.lastProblemNormFpr],
      ["ALM infeasibility", this.f1Infeasibility],
      ["PM infeasibility", this.f2Norm],
      ["Inputs", this.inputs],
      ["States", this.states],
      ["Lagrange multipliers", this.lagrangeMultipliers],
    ];
    const lines = rows.map(([k, v]) => `  ${`${k} `.padEnd(22, ".")} ${format(v)}`);
    return ["OCP solution:", ...lines].join("\n");
  }
}
