/**
 * The worker thread of `GeneratedOptimizer.solveAsync`: it rebuilds the
 * optimizer (from a module, or from a description and generated source) and
 * answers solve jobs in order.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ParametricSolver } from "../solver/types.js";
import type { OptimizerSource, SolveWorkerJob, SolveWorkerMessage } from "./generatedOptimizer.js";
import { loadOptimizer } from "./loader.js";
import type { GeneratedMappings } from "./mappings.js";
import { createGeneratedOptimizer } from "./runtime.js";

async function load(source: OptimizerSource): Promise<ParametricSolver> {
  if ("module" in source) return loadOptimizer(source.module);
  const url = `data:text/javascript;base64,${Buffer.from(source.mappingsSource).toString("base64")}`;
  const mappings = (await import(url)) as GeneratedMappings;
  return createGeneratedOptimizer(source.description, mappings);
}

const port = parentPort;
if (port !== null) {
  const post = (message: SolveWorkerMessage): void => port.postMessage(message);
  try {
    const solver = await load(workerData as OptimizerSource);
    port.on("message", (job: SolveWorkerJob) => {
      const r = solver.solve(job.p, job.options);
      post({
        type: "result",
        id: job.id,
        result: r.ok
          ? { ok: true, status: r.status }
          : { ok: false, code: r.error.code, message: r.error.message },
      });
    });
  } catch (e) {
    post({ type: "failed", message: e instanceof Error ? e.message : String(e) });
  }
}
