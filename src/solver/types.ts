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
  /** The compact set Y of multipliers (derived from C when absent; see docs/algorithm.md). */
  readonly almSetY?: Constraint;
  /** F2(u, p), length n2. Required when n2 > 0. */
  readonly mappingF2?: MappingFunction;
  /** J_F2(u, p)^T w. Required when n2 > 0. */
  readonly jacobianF2Transpose?: JacobianTransposeProduct;
  /**
   * Optional, with {@link lagrangianGradient}: writes (f, F1, F2)(u, p) into
   * `out` (length 1 + n1 + n2) in one call. Generated optimizers have it:
   * f, F1 and F2 share their subexpressions (a single-shooting rollout, say).
   * The solver then evaluates the cost and gradient of its inner problem
   * with these two functions, and uses the separate ones for its reports.
   */
  readonly costAndMappings?: MappingFunction;
  /**
   * Optional, with {@link costAndMappings}: writes into `out` the gradient
   * with respect to u of w[0] f + sum_i w[i] G_i, with G = (F1, F2) and w of
   * length 1 + n1 + n2, that is w[0] grad f + J_F1^T w1 + J_F2^T w2.
   */
  readonly lagrangianGradient?: JacobianTransposeProduct;
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

/** Why a solve of the outer loop ended (in-process only; the protocol has only the exit status). */
export type StopReason =
  /** The stopping test passed: exit status Converged. */
  | "converged"
  /** A solve without F1 and F2 (one PANOC solve) ran out of iterations. */
  | "maxInnerIterations"
  /** The outer loop ran out of iterations. */
  | "maxOuterIterations"
  /** The violation did not shrink enough at the largest penalty allowed (`maxPenalty`). */
  | "maxPenalty"
  /** The time budget (`maxDurationMicros`) ran out. */
  | "maxDuration";

/**
 * The status of an in-process solve: the protocol's fields plus diagnostics
 * that say how accurate the answer is, computed at the returned point from
 * the problem's own functions (unscaled), independently of the stopping rule.
 * `JSON.stringify` gives plain arrays for the vectors.
 */
export interface AlmSolverStatus extends SolverStatus {
  /**
   * KKT stationarity: ||u - Pi_U(u - grad_u L(u))|| with
   * grad_u L = grad f + J_F1^T y + J_F2^T (c F2) (y the reported multipliers,
   * c F2 the implied multipliers of the penalty constraints). Zero at a
   * KKT point; for U = R^n it is the norm of the gradient of the Lagrangian.
   */
  readonly kktStationarity: number;
  /** dist_C(F1(u, p)): how far the ALM constraints are from holding (0 without F1). */
  readonly f1Infeasibility: number;
  /** Why the solve ended. */
  readonly stopReason: StopReason;
  /**
   * How many inner solves ended on `maxInnerIterations`. After such a solve
   * the penalty is not raised (its violation says nothing about the penalty).
   */
  readonly innerIterationLimitHits: number;
  /** The status with plain arrays for `solution` and `lagrangeMultipliers`. */
  toJSON(): Record<string, unknown>;
}

// toJSON lives on a shared prototype, not on each status: a status then
// crosses a worker-thread boundary (structured clone copies own data only) and
// gets its toJSON back from almSolverStatus on the other side.
const STATUS_PROTOTYPE = {
  toJSON(this: AlmSolverStatus): Record<string, unknown> {
    return {
      ...this,
      solution: Array.from(this.solution),
      lagrangeMultipliers: Array.from(this.lagrangeMultipliers),
    };
  },
};

/** A status with its `toJSON`, from its fields (or from a structured clone of a status). */
export function almSolverStatus(fields: Omit<AlmSolverStatus, "toJSON">): AlmSolverStatus {
  return Object.assign(Object.create(STATUS_PROTOTYPE) as AlmSolverStatus, fields);
}

/** What an inner (PANOC) solve reports at each iterate, before its stopping test. */
export interface InnerIterationInfo {
  /** The outer iteration this inner solve belongs to (1-based; 1 for a plain PANOC solve). */
  readonly outerIteration: number;
  /** The inner iteration count at this iterate (0 at the start point). */
  readonly iteration: number;
  /** ||u - u_bar||, the fixed-point residual OpEn's stopping rule tests. */
  readonly fpr: number;
  /** The step size gamma = 0.95 / L. */
  readonly gamma: number;
  /** psi(u) at the iterate (f(u) without ALM/penalty constraints; scaled when preconditioning). */
  readonly cost: number;
  /** The line-search step tau that led here: 1 for a full L-BFGS step, 0 for the safe step u_bar. */
  readonly tau: number;
}

/** What the outer (ALM/penalty) loop reports after each outer iteration. */
export interface OuterIterationInfo {
  /** The outer iteration (1-based). */
  readonly iteration: number;
  /** Inner iterations of this outer iteration's PANOC solve. */
  readonly innerIterations: number;
  /** How that inner solve ended. */
  readonly innerExitStatus: ExitStatus;
  /** ||u - u_bar|| of the inner solve's answer. */
  readonly residual: number;
  /** The penalty c this iteration used. */
  readonly penalty: number;
  /** f(u, p) at the inner solve's answer (unscaled). */
  readonly cost: number;
  /** ||y+ - y|| / c (0 without F1). */
  readonly deltaYNormOverC: number;
  /** dist_C(F1(u, p)), unscaled (0 without F1). */
  readonly f1Infeasibility: number;
  /** ||F2(u, p)||, unscaled (0 without F2). */
  readonly f2Norm: number;
}

/**
 * Callbacks that follow a solve. Unused hooks cost one comparison per
 * iteration; the info objects are only made for hooks that are set. A hook
 * must not throw (an exception ends the solve with error 2000).
 */
export interface IterationHooks {
  /** Called at every inner iterate, before its stopping test. */
  readonly onInnerIteration?: (info: InnerIterationInfo) => void;
  /** Called after every outer iteration (once for a solve without F1 and F2). */
  readonly onOuterIteration?: (info: OuterIterationInfo) => void;
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

  /** `{ code, message }`: an Error's message is not an own enumerable property. */
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Options of one parametric solve; every one may be omitted. */
export interface SolveOptions extends IterationHooks {
  /** u0, length nu; default: the previous solution (warm start), zeros at first. */
  readonly initialGuess?: ArrayLike<number> | null;
  /**
   * y0, length n1; default: zeros. (OpEn's server carries the last solve's
   * multipliers over instead; ours starts every solve from y = 0 unless told
   * otherwise, so that a reply depends only on its request and the warm start.)
   */
  readonly initialLagrangeMultipliers?: ArrayLike<number> | null;
  /** c0 > 0; default: the configuration's initial penalty. */
  readonly initialPenalty?: number | null;
}

/** The outcome of one parametric solve: a status, or an error with its code. */
export type SolveResult<S extends SolverStatus = SolverStatus> =
  | { readonly ok: true; readonly status: S }
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
