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

/** What a worker posts: ready (with dimensions), a failure to load, or a job's reply. */
export type WorkerMessage =
  | { readonly type: "ready"; readonly nu: number; readonly np: number; readonly n1: number }
  | { readonly type: "failed"; readonly message: string }
  | { readonly type: "reply"; readonly id: number; readonly reply: string };

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function solveToJson(solver: ParametricSolver, job: SolveJob): string {
  try {
    const result = solver.solve(job.parameter, job);
    return result.ok
      ? serializeStatus(result.status)
      : serializeError(result.error.code, result.error.message);
  } catch (e) {
    return serializeError(ErrorCode.SolverFailed, `problem solution failed: ${reason(e)}`);
  }
}

const port = parentPort;
if (port !== null) {
  try {
    const solver = await loadOptimizer((workerData as { optimizerModule: string }).optimizerModule);
    port.on("message", (job: SolveJob) => {
      port.postMessage({ type: "reply", id: job.id, reply: solveToJson(solver, job) });
    });
    port.postMessage({ type: "ready", nu: solver.nu, np: solver.np, n1: solver.n1 });
  } catch (e) {
    port.postMessage({ type: "failed", message: reason(e) });
  }
}
