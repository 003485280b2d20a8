/**
 * The optimizer made from generated functions, with {@link GeneratedOptimizer.solveAsync}:
 * the same solve in a worker thread, so that a long solve does not block the
 * event loop of the program that asked for it.
 */
import { Worker } from "node:worker_threads";
import type { SolverConfiguration } from "../solver/configuration.js";
import { ParametricOptimizer } from "../solver/optimizer.js";
import {
  type AlmProblem,
  type AlmSolverStatus,
  almSolverStatus,
  ErrorCode,
  OptimizerError,
  type SolveOptions,
  type SolveResult,
  type SolverStatus,
} from "../solver/types.js";
import type { OptimizerDescription } from "./runtime.js";
import { isLibrarySet } from "./setDescription.js";

/**
 * What a worker thread needs to rebuild the optimizer: the URL of a module
 * exporting `createOptimizer()` (a built folder's optimizer.js), or the
 * description and the generated source of an optimizer built in memory.
 */
export type OptimizerSource =
  | { readonly module: string }
  | { readonly description: OptimizerDescription; readonly mappingsSource: string };

/** A message from the solve worker. */
export type SolveWorkerMessage =
  | { readonly type: "failed"; readonly message: string }
  | {
      readonly type: "result";
      readonly id: number;
      readonly result:
        | { readonly ok: true; readonly status: SolverStatus }
        | { readonly ok: false; readonly code: ErrorCode; readonly message: string };
    };

/** A job for the solve worker. */
export interface SolveWorkerJob {
  readonly id: number;
  readonly p: ArrayLike<number>;
  readonly options: SolveOptions;
}

const WORKER_URL = new URL("./solveWorker.js", import.meta.url);

function failure(message: string): SolveResult<AlmSolverStatus> {
  return { ok: false, error: new OptimizerError(ErrorCode.SolverFailed, message) };
}

/**
 * A {@link ParametricOptimizer} made from generated functions (by
 * `OptimizerBuilder.buildInMemory()` or a built folder's `createOptimizer()`).
 * Besides `solve`, it offers {@link solveAsync}.
 */
export class GeneratedOptimizer extends ParametricOptimizer {
  /**
   * Whether everything it runs always returns: its problem functions are
   * generated straight-line code, and its sets are the library's (a
   * user-defined set's projection is code of its own). Only then may the TCP
   * server solve it on its event loop.
   */
  readonly generatedCode: boolean;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, (result: SolveResult<AlmSolverStatus>) => void>();
  private nextId = 0;

  /**
   * @param problem the problem of generated functions
   * @param configuration the solver settings
   * @param source how a worker thread rebuilds this optimizer, asked at the
   *   first {@link solveAsync} (it may throw to say why it cannot); `null`: never
   */
  constructor(
    problem: AlmProblem,
    configuration: SolverConfiguration,
    private readonly source: (() => OptimizerSource) | null,
  ) {
    super(problem, configuration);
    const sets = [problem.constraints, problem.almSetC, problem.almSetY];
    this.generatedCode = sets.every((set) => set === undefined || isLibrarySet(set));
  }

  /**
   * Solves for p in a worker thread and resolves with the same result as
   * `solve` would. The worker (started at the first call, and kept while
   * solves are pending; it does not keep the process alive when idle) has its
   * own optimizer, so its warm start is the solution of the previous
   * `solveAsync`, independent of `solve`'s: pass `initialGuess` for
   * repeatable answers. Calls are solved one after another, in call order.
   * Never rejects: a worker that cannot start or dies gives error 2000.
   */
  solveAsync(
    p: ArrayLike<number>,
    options: SolveOptions = {},
  ): Promise<SolveResult<AlmSolverStatus>> {
    let worker: Worker;
    try {
      if (this.source === null) throw new Error("this optimizer has no source for a worker thread");
      worker = this.worker ?? this.startWorker(this.source());
    } catch (e) {
      return Promise.resolve(failure(`problem solution failed: ${(e as Error).message}`));
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      try {
        const job: SolveWorkerJob = { id, p, options };
        worker.postMessage(job);
      } catch (e) {
        resolve({
          ok: false,
          error: new OptimizerError(
            ErrorCode.InvalidRequest,
            `the arguments of solveAsync cannot be sent to a worker thread: ${(e as Error).message}`,
          ),
        });
        return;
      }
      this.pending.set(id, resolve);
      worker.ref();
    });
  }

  /** Stops the worker thread of {@link solveAsync}, if any; pending solves get error 2000. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    await worker.terminate();
    this.settleAll("problem solution failed: the optimizer was closed");
  }

  private startWorker(source: OptimizerSource): Worker {
    const worker = new Worker(WORKER_URL, { workerData: source });
    worker.unref();
    worker.on("message", (message: SolveWorkerMessage) => {
      if (message.type === "failed") {
        this.settleAll(
          `problem solution failed: the worker cannot load the optimizer: ${message.message}`,
        );
        return;
      }
      const resolve = this.pending.get(message.id);
      if (resolve === undefined) return;
      this.pending.delete(message.id);
      const r = message.result;
      resolve(
        r.ok
          ? // The worker runs this optimizer's own code: its status is an AlmSolverStatus, cloned.
            { ok: true, status: almSolverStatus(r.status as Omit<AlmSolverStatus, "toJSON">) }
          : { ok: false, error: new OptimizerError(r.code, r.message) },
      );
      if (this.pending.size === 0) worker.unref();
    });
    worker.on("error", (e) => this.settleAll(`problem solution failed: ${e.message}`));
    worker.on("exit", () => {
      if (this.worker === worker) this.worker = null;
      this.settleAll("problem solution failed: the solver worker stopped");
    });
    this.worker = worker;
    return worker;
  }

  private settleAll(message: string): void {
    for (const resolve of this.pending.values()) resolve(failure(message));
    this.pending.clear();
    this.worker?.unref();
  }
}
