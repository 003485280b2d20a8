import { Worker } from "node:worker_threads";
import { ErrorCode } from "../solver/types.js";
import { serializeError } from "./protocol.js";
import type { SolveJob, WorkerMessage } from "./worker.js";

const WORKER_URL = new URL("./worker.js", import.meta.url);

interface Pending {
  readonly job: SolveJob;
  readonly resolve: (reply: string) => void;
}

/** One worker thread and the job it is solving, if any. */
class Slot {
  current: Pending | null = null;
  constructor(public worker: Worker) {}
}

/** The dimensions of the optimizer the workers serve. */
export interface SolverDimensions {
  readonly nu: number;
  readonly np: number;
  readonly n1: number;
}

/**
 * Worker threads that solve, each with its own optimizer and so its own warm
 * start. Jobs wait in one FIFO queue and go to the first idle worker: with one
 * worker, runs are solved in arrival order against one shared warm start, as
 * OpEn's server does. A worker that dies mid-solve answers that job with error
 * 2000 and is replaced.
 */
export class SolverPool {
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[] = [];
  private closed = false;

  private constructor(
    private readonly optimizerModule: string,
    readonly dimensions: SolverDimensions,
  ) {}

  /** Starts `size` workers on the module; rejects with the module's load error. */
  static async start(optimizerModule: string, size: number): Promise<SolverPool> {
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new Error(`the number of workers must be a positive integer, got ${size}`);
    }
    const started = await Promise.allSettled(
      Array.from({ length: size }, () => spawnWorker(optimizerModule)),
    );
    const workers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failure = started.find((s) => s.status === "rejected");
    if (failure !== undefined) {
      await Promise.all(workers.map((w) => w.worker.terminate()));
      throw (failure as PromiseRejectedResult).reason;
    }
    const pool = new SolverPool(optimizerModule, workers[0].dimensions);
    for (const { worker } of workers) pool.adopt(worker);
    return pool;
  }

  /** Solves a job; resolves with the reply's JSON text (a status or an error). */
  solve(job: SolveJob): Promise<string> {
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.dispatch();
    });
  }

  /** Stops every worker; queued jobs are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private adopt(worker: Worker): void {
    const slot = new Slot(worker);
    this.slots.push(slot);
    this.watch(slot);
    this.dispatch();
  }

  private watch(slot: Slot): void {
    slot.worker.on("message", (message: WorkerMessage) => {
      if (message.type !== "reply" || slot.current === null) return;
      const done = slot.current;
      slot.current = null;
      done.resolve(message.reply);
      this.dispatch();
    });
    slot.worker.on("error", () => {});
    slot.worker.once("exit", () => {
      const lost = slot.current;
      slot.current = null;
      this.slots.splice(this.slots.indexOf(slot), 1);
      lost?.resolve(
        serializeError(
          ErrorCode.SolverFailed,
          "problem solution failed: the solver worker stopped",
        ),
      );
      if (this.closed) return;
      spawnWorker(this.optimizerModule).then(
        (w) => {
          if (this.closed) void w.worker.terminate();
          else this.adopt(w.worker);
        },
        (e: Error) => {
          // Without any worker left, queued jobs would wait forever: answer them.
          if (this.slots.length > 0) return;
          const message = `problem solution failed: the solver worker could not restart: ${e.message}`;
          for (const p of this.queue.splice(0)) {
            p.resolve(serializeError(ErrorCode.SolverFailed, message));
          }
        },
      );
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.current !== null) continue;
      const next = this.queue.shift() as Pending;
      slot.current = next;
      slot.worker.postMessage(next.job);
    }
  }
}

function spawnWorker(
  optimizerModule: string,
): Promise<{ worker: Worker; dimensions: SolverDimensions }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: { optimizerModule } });
    const onError = (e: Error) => fail(e.message);
    const onExit = (code: number) => fail(`the worker exited with code ${code}`);
    const settle = (): void => {
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    const fail = (message: string): void => {
      settle();
      void worker.terminate();
      reject(new Error(`cannot load the optimizer: ${message}`));
    };
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.once("message", (message: WorkerMessage) => {
      if (message.type === "ready") {
        settle();
        resolve({ worker, dimensions: { nu: message.nu, np: message.np, n1: message.n1 } });
      } else fail(message.type === "failed" ? message.message : "unexpected message");
    });
  });
}
