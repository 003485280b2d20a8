import type { Constraint } from "../sets/constraint.js";

/** A read-only vector argument of a problem function. */
export type Vector = Float64Array;

/** f(u, p): the cost. */
export type CostFunction = (u: Vector, p: Vector) => number;

/** Writes a vector valued function of (u, p) into `out`: the gradient of f, or F1(u, p), or F2(u, p). */
export type MappingFunction = (u: Vector, p: Vector, out: Float64Array) => void;

/** Writes J(u, p)^T v into `out` (length nu), J being the Jacobian of F1 or F2 with respect to u. */
export type JacobianTransposeProduct = (u: Vector, p: Vector, v: Vector, out: Float64Array) => void;

/**
 * The low-level description of a parametric problem, in OpEn's vocabulary
 * (its Rust `AlmProblem`):
 *
 *     minimize f(u, p)  subject to  u in U,  F1(u, p) in C,  F2(u, p) = 0.
 *
 * Every function reads `u` and `p` and writes into a caller-owned output; none
 * may keep a reference to its arguments. The symbolic layer generates exactly
 * these functions; users of the low-level API write them by hand.
 */
export interface AlmProblem {
  /** Number of decision variables. */
  readonly nu: number;
  /** Number of parameters. */
  readonly np: number;
  /** Number of augmented Lagrangian constraints, F1(u, p) in C (0 when there are none). */
  readonly n1: number;
  /** Number of penalty constraints, F2(u, p) = 0 (0 when there are none). */
  readonly n2: number;
  /** f(u, p). */
  readonly cost: CostFunction;
  /** Writes the gradient of f with respect to u. */
  readonly gradient: MappingFunction;
  /** The set U (default: no constraints). May be nonconvex. */
  readonly constraints?: Constraint;
  /** F1(u, p), length n1. Required when n1 > 0. */
  readonly mappingF1?: MappingFunction;
  /** J_F1(u, p)^T v. Required when n1 > 0. */
  readonly jacobianF1Transpose?: JacobianTransposeProduct;
  /** The closed convex set C. Required when n1 > 0. */
  readonly almSetC?: Constraint;
  /** The compact set Y of multipliers (derived from C when absent; see ALGORITHM.md). */
  readonly almSetY?: Constraint;
  /** F2(u, p), length n2. Required when n2 > 0. */
  readonly mappingF2?: MappingFunction;
  /** J_F2(u, p)^T w. Required when n2 > 0. */
  readonly jacobianF2Transpose?: JacobianTransposeProduct;
}

/** How a solve ended (the `exit_status` of the protocol). */
export type ExitStatus = "Converged" | "NotConvergedIterations" | "NotConvergedOutOfTime";

/**
 * What a successful solve reports: every field of the protocol's Run
 * response, in camelCase, plus the stationarity residual (beyond OpEn).
 */
export interface SolverStatus {
  readonly exitStatus: ExitStatus;
  readonly numOuterIterations: number;
  readonly numInnerIterations: number;
  /** Euclidean norm of the fixed-point residual of the last inner problem. */
  readonly lastProblemNormFpr: number;
  /** Norm of the last multiplier update divided by max(c, 1). */
  readonly deltaYNormOverC: number;
  /** ||F2(u, p)|| at the solution (0 without F2). */
  readonly f2Norm: number;
  readonly solveTimeMs: number;
  /** Last penalty parameter c. */
  readonly penalty: number;
  readonly solution: Float64Array;
  /** y, length n1 (empty when n1 = 0). */
  readonly lagrangeMultipliers: Float64Array;
  /** f(u, p) at the solution, unscaled. */
  readonly cost: number;
  /** ||r|| / gamma of the last inner problem: a stationarity measure in gradient units. */
  readonly lastProblemStationarity: number;
}

/** Error codes shared by the in-process API and the TCP protocol. */
export const ErrorCode = {
  InvalidRequest: 1000,
  InitialGuessDimension: 1600,
  LagrangeMultipliersDimension: 1700,
  SolverFailed: 2000,
  ParameterDimension: 3003,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error with one of the protocol's codes and its exact message. */
export class OptimizerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "OptimizerError";
  }
}

/** Options of one parametric solve; every one may be omitted. */
export interface SolveOptions {
  /** u0, length nu; default: the previous solution (warm start), zeros at first. */
  readonly initialGuess?: ArrayLike<number> | null;
  /** y0, length n1; default: zeros. */
  readonly initialLagrangeMultipliers?: ArrayLike<number> | null;
  /** c0 > 0; default: the configuration's initial penalty. */
  readonly initialPenalty?: number | null;
}

/** The outcome of one parametric solve: a status, or an error with its code. */
export type SolveResult =
  | { readonly ok: true; readonly status: SolverStatus }
  | { readonly ok: false; readonly error: OptimizerError };

/**
 * Anything that solves a parametric problem for a parameter p: the optimizer
 * made from an {@link AlmProblem}, a generated optimizer, a remote server.
 */
export interface ParametricSolver {
  readonly nu: number;
  readonly np: number;
  readonly n1: number;
  /** Solves for p. Never throws for bad input: errors come back as `{ ok: false }`. */
  solve(p: ArrayLike<number>, options?: SolveOptions): SolveResult;
}
