/**
 * A worker thread that owns one optimizer: it loads the optimizer module,
 * then answers solve jobs with the serialized reply, so that long solves
 * never block the sockets.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadOptimizer } from "../problem/loader.js";
import {
  maxDurationOf,
  type SolvedJob,
  type SolveJob,
  solveJob,
  solvesGeneratedCode,
} from "./solveJob.js";

/** What a worker posts: ready (with dimensions and time limit), a failure to load, or a job's reply. */
export type WorkerMessage =
  | {
      readonly type: "ready";
      readonly nu: number;
      readonly np: number;
      readonly n1: number;
      /** The optimizer's own time limit, when it has one. */
      readonly maxDurationMicros: number | null;
      /** Whether its functions are generated code (see `solvesGeneratedCode`). */
      readonly generatedCode: boolean;
    }
  | { readonly type: "failed"; readonly message: string }
  | ({ readonly type: "reply" } & SolvedJob);

const port = parentPort;
if (port !== null) {
  try {
    const solver = await loadOptimizer((workerData as { optimizerModule: string }).optimizerModule);
    port.on("message", (job: SolveJob) =>
      port.postMessage({ type: "reply", ...solveJob(solver, job) } satisfies WorkerMessage),
    );
    port.postMessage({
      type: "ready",
      nu: solver.nu,
      np: solver.np,
      n1: solver.n1,
      maxDurationMicros: maxDurationOf(solver),
      generatedCode: solvesGeneratedCode(solver),
    } satisfies WorkerMessage);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    port.postMessage({ type: "failed", message } satisfies WorkerMessage);
  }
}
