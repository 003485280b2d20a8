/**
 * One Run solved against an optimizer: the same code whether the Run is
 * solved on the server's event loop or in its worker thread.
 */
import { ErrorCode, type ParametricSolver } from "../solver/types.js";
import { serializeError, serializeStatus } from "./protocol.js";

/** A Run to solve. */
export interface SolveJob {
  readonly id: number;
  readonly parameter: number[];
  readonly initialGuess: number[] | null;
  readonly initialLagrangeMultipliers: number[] | null;
  readonly initialPenalty: number | null;
}

/** What the log says about a finished Run: its exit status and counts, or its error. */
export type RunSummary =
  | {
      readonly exitStatus: string;
      readonly outerIterations: number;
      readonly innerIterations: number;
      readonly solveTimeMs: number;
    }
  | { readonly code: number; readonly error: string };

/** A solved Run. */
export interface SolvedJob {
  readonly id: number;
  /** The reply to send. */
  readonly reply: string;
  readonly summary: RunSummary;
  /** The solution, the next warm start (null when the solve failed, which leaves it as it was). */
  readonly solution: number[] | null;
  /** How long the solve took in ms: the solver's own solve time, or the wall time of a failure. */
  readonly timeMs: number;
}

function failed(job: SolveJob, started: number, code: number, message: string): SolvedJob {
  return {
    id: job.id,
    reply: serializeError(code, message),
    summary: { code, error: message },
    solution: null,
    timeMs: performance.now() - started,
  };
}

/** Solves `job`; never throws, whatever the solver does. */
export function solveJob(solver: ParametricSolver, job: SolveJob): SolvedJob {
  const started = performance.now();
  try {
    const result = solver.solve(job.parameter, job);
    if (!result.ok) return failed(job, started, result.error.code, result.error.message);
    const s = result.status;
    return {
      id: job.id,
      reply: serializeStatus(s),
      summary: {
        exitStatus: s.exitStatus,
        outerIterations: s.numOuterIterations,
        innerIterations: s.numInnerIterations,
        solveTimeMs: s.solveTimeMs,
      },
      solution: Array.from(s.solution),
      timeMs: s.solveTimeMs,
    };
  } catch (e) {
    // Modules other than our own optimizers may throw from solve().
    const reason = e instanceof Error ? e.message : String(e);
    return failed(job, started, ErrorCode.SolverFailed, `problem solution failed: ${reason}`);
  }
}

/**
 * Whether the solver's problem functions are generated straight-line code,
 * which always returns. Only such optimizers are solved on the event loop,
 * where no watchdog could stop a hand-written function that hangs.
 */
export function solvesGeneratedCode(solver: ParametricSolver): boolean {
  return (solver as { generatedCode?: unknown }).generatedCode === true;
}

/** The optimizer's `configuration.maxDurationMicros` (ParametricOptimizer has one), if any. */
export function maxDurationOf(solver: ParametricSolver): number | null {
  const limit = (solver as { configuration?: { maxDurationMicros?: unknown } }).configuration
    ?.maxDurationMicros;
  return typeof limit === "number" && limit > 0 && Number.isFinite(limit) ? limit : null;
}
