import { AlmOptimizer } from "./alm/optimizer.js";
import { SolverConfiguration } from "./configuration.js";
import { SolverError } from "./errors.js";
import {
  type AlmProblem,
  type AlmSolverStatus,
  ErrorCode,
  type IterationHooks,
  OptimizerError,
  type ParametricSolver,
  type SolveOptions,
  type SolveResult,
} from "./types.js";

function isArrayLike(x: unknown): x is ArrayLike<number> {
  return (
    x !== null && typeof x === "object" && typeof (x as { length?: unknown }).length === "number"
  );
}

/** A request that passed every check. */
interface CheckedRequest {
  readonly guess: ArrayLike<number> | null;
  readonly y0: ArrayLike<number> | null;
  readonly c0: number | null;
  readonly hooks: IterationHooks;
}

function invalid(message: string): { readonly ok: false; readonly error: OptimizerError } {
  return {
    ok: false,
    error: new OptimizerError(ErrorCode.InvalidRequest, `invalid request: ${message}`),
  };
}

function nonFinite(
  name: string,
  x: ArrayLike<number>,
): { readonly ok: false; readonly error: OptimizerError } | null {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      return invalid(`${name}[${i}] must be a finite number, got ${String(v)}`);
    }
  }
  return null;
}

/**
 * The parametric optimizer of an {@link AlmProblem}: validates the problem at
 * construction, then solves it for any parameter p, warm-starting from the
 * previous successful solution when no initial guess is given (zeros at
 * first), as OpEn's generated optimizers and TCP servers do. Apart from that
 * warm-start vector no state carries over between solves: two solves from the
 * same start give bit-identical results.
 */
export class ParametricOptimizer implements ParametricSolver {
  readonly nu: number;
  readonly np: number;
  readonly n1: number;
  /** Number of penalty constraints. */
  readonly n2: number;
  /** The problem. */
  readonly problem: AlmProblem;
  /** The solver settings. */
  readonly configuration: SolverConfiguration;
  private readonly alm: AlmOptimizer;
  private readonly warmStart: Float64Array;
  private readonly u: Float64Array;

  /**
   * @param problem the problem (checked: dimensions, required functions, C convex, Y compact)
   * @param configuration solver settings (default: opengen's defaults)
   */
  constructor(problem: AlmProblem, configuration: SolverConfiguration = new SolverConfiguration()) {
    if (!(configuration instanceof SolverConfiguration)) {
      throw new Error("ParametricOptimizer: configuration must be a SolverConfiguration");
    }
    this.alm = new AlmOptimizer(problem, configuration);
    this.problem = problem;
    this.configuration = configuration;
    this.nu = problem.nu;
    this.np = problem.np;
    this.n1 = problem.n1;
    this.n2 = problem.n2;
    this.warmStart = new Float64Array(problem.nu);
    this.u = new Float64Array(problem.nu);
  }

  /** The vector the next solve without an initial guess starts from (a copy). */
  get warmStartVector(): Float64Array {
    return Float64Array.from(this.warmStart);
  }

  /**
   * Solves for p. Checks, in this order: the options (an object or nothing),
   * the initial guess length (1600), the multipliers length (1700), the
   * parameter length (3003), then finite entries, a positive finite initial
   * penalty and function hooks (1000). A failed check changes nothing. A
   * solver failure is error 2000. Never throws, whatever the arguments' types.
   */
  solve(p: ArrayLike<number>, options?: SolveOptions | null): SolveResult<AlmSolverStatus> {
    let checked: SolveResult<AlmSolverStatus> | CheckedRequest;
    try {
      checked = this.check(p, options);
    } catch (e) {
      // A getter or proxy that throws while the request is read.
      return invalid(
        `the request could not be read: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if ("ok" in checked) return checked;
    try {
      const { guess, y0, c0, hooks } = checked;
      return { ok: true, status: this.solveInto(this.u, p, guess, y0, c0, hooks) };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      return {
        ok: false,
        error: new OptimizerError(ErrorCode.SolverFailed, `problem solution failed: ${reason}`),
      };
    }
  }

  private check(p: unknown, options: unknown): SolveResult<AlmSolverStatus> | CheckedRequest {
    if (options !== undefined && options !== null && typeof options !== "object") {
      return invalid("the solve options must be an object");
    }
    const o = (options ?? {}) as Record<string, unknown>;
    const guess = o.initialGuess ?? null;
    const y0 = o.initialLagrangeMultipliers ?? null;
    const c0 = o.initialPenalty ?? null;
    if (guess !== null) {
      if (!isArrayLike(guess)) return invalid("initial_guess must be an array of numbers");
      if (guess.length !== this.nu) {
        return {
          ok: false,
          error: new OptimizerError(
            ErrorCode.InitialGuessDimension,
            `initial guess has incompatible dimensions: provided ${guess.length}, expected ${this.nu}`,
          ),
        };
      }
    }
    if (y0 !== null) {
      if (!isArrayLike(y0))
        return invalid("initial_lagrange_multipliers must be an array of numbers");
      if (y0.length !== this.n1) {
        return {
          ok: false,
          error: new OptimizerError(
            ErrorCode.LagrangeMultipliersDimension,
            `wrong dimension of Langrange multipliers: provided ${y0.length}, expected ${this.n1}`,
          ),
        };
      }
    }
    if (!isArrayLike(p)) return invalid("parameter must be an array of numbers");
    if (p.length !== this.np) {
      return {
        ok: false,
        error: new OptimizerError(
          ErrorCode.ParameterDimension,
          `wrong number of parameters: provided ${p.length}, expected ${this.np}`,
        ),
      };
    }
    if (c0 !== null && (typeof c0 !== "number" || !Number.isFinite(c0) || c0 <= 0)) {
      return invalid("initial_penalty must be a positive finite number");
    }
    for (const hook of ["onInnerIteration", "onOuterIteration"] as const) {
      if (o[hook] !== undefined && typeof o[hook] !== "function") {
        return invalid(`${hook} must be a function`);
      }
    }
    const bad =
      nonFinite("parameter", p) ??
      (guess === null ? null : nonFinite("initial_guess", guess)) ??
      (y0 === null ? null : nonFinite("initial_lagrange_multipliers", y0));
    if (bad !== null) return bad;
    return { guess, y0, c0: c0 as number | null, hooks: o as IterationHooks };
  }

  /**
   * The lower-level solve: no checks beyond the solver's own (arguments must
   * have the right lengths and finite entries). Starts from `guess` (or the
   * warm-start vector), leaves the solution in `u` and in the warm-start
   * vector, and returns the status. Throws a {@link SolverError} on failure,
   * leaving the warm-start vector unchanged.
   */
  solveInto(
    u: Float64Array,
    p: ArrayLike<number>,
    guess: ArrayLike<number> | null = null,
    y0: ArrayLike<number> | null = null,
    c0: number | null = null,
    hooks?: IterationHooks,
  ): AlmSolverStatus {
    if (u.length !== this.nu)
      throw new SolverError(`u has length ${u.length}, expected ${this.nu}`);
    if (guess === null) u.set(this.warmStart);
    else u.set(guess);
    const status = this.alm.solve(u, p, y0, c0, hooks);
    this.warmStart.set(u);
    return status;
  }
}
