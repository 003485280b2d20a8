/**
 * A worker thread that owns one optimizer: it loads the optimizer module,
 * then answers solve jobs with the serialized reply, so that the main thread
 * only moves bytes and solving never blocks the sockets.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadOptimizer } from "../problem/loader.js";
import { ErrorCode, type ParametricSolver } from "../solver/types.js";
import { serializeError, serializeStatus } from "./protocol.js";

/** A solve job sent to a worker. */
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

/** What a worker posts: ready (with dimensions and time limit), a failure to load, or a job's reply. */
export type WorkerMessage =
  | {
      readonly type: "ready";
      readonly nu: number;
      readonly np: number;
      readonly n1: number;
      /** The optimizer's own time limit, when it has one. */
      readonly maxDurationMicros: number | null;
    }
  | { readonly type: "failed"; readonly message: string }
  | {
      readonly type: "reply";
      readonly id: number;
      readonly reply: string;
      readonly summary: RunSummary;
    };

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function solveJob(solver: ParametricSolver, job: SolveJob): WorkerMessage {
  try {
    const result = solver.solve(job.parameter, job);
    if (result.ok) {
      const s = result.status;
      return {
        type: "reply",
        id: job.id,
        reply: serializeStatus(s),
        summary: {
          exitStatus: s.exitStatus,
          outerIterations: s.numOuterIterations,
          innerIterations: s.numInnerIterations,
          solveTimeMs: s.solveTimeMs,
        },
      };
    }
    const { code, message } = result.error;
    return {
      type: "reply",
      id: job.id,
      reply: serializeError(code, message),
      summary: { code, error: message },
    };
  } catch (e) {
    // Modules other than our own optimizers may throw from solve().
    const message = `problem solution failed: ${reason(e)}`;
    return {
      type: "reply",
      id: job.id,
      reply: serializeError(ErrorCode.SolverFailed, message),
      summary: { code: ErrorCode.SolverFailed, error: message },
    };
  }
}

/** The optimizer's `configuration.maxDurationMicros` (ParametricOptimizer has one), if any. */
function maxDurationOf(solver: ParametricSolver): number | null {
  const limit = (solver as { configuration?: { maxDurationMicros?: unknown } }).configuration
    ?.maxDurationMicros;
  return typeof limit === "number" && limit > 0 && Number.isFinite(limit) ? limit : null;
}

const port = parentPort;
if (port !== null) {
  try {
    const solver = await loadOptimizer((workerData as { optimizerModule: string }).optimizerModule);
    port.on("message", (job: SolveJob) => port.postMessage(solveJob(solver, job)));
    port.postMessage({
      type: "ready",
      nu: solver.nu,
      np: solver.np,
      n1: solver.n1,
      maxDurationMicros: maxDurationOf(solver),
    } satisfies WorkerMessage);
  } catch (e) {
    port.postMessage({ type: "failed", message: reason(e) } satisfies WorkerMessage);
  }
}
