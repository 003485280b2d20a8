import { Worker } from "node:worker_threads";
import { SolverConfiguration } from "../solver/configuration.js";
import { ErrorCode } from "../solver/types.js";
import { serializeError, serverMessages } from "./protocol.js";
import type { RunSummary, SolveJob, WorkerMessage } from "./worker.js";

const WORKER_URL = new URL("./worker.js", import.meta.url);

/** The time limit assumed for an optimizer that does not tell its own: opengen's default. */
const DEFAULT_MAX_DURATION_MICROS = new SolverConfiguration().maxDurationMicros;

/** A Run's reply and what the log says about it. */
export interface RunOutcome {
  readonly reply: string;
  readonly summary: RunSummary;
}

/** A Run handed to the pool. */
export interface RunTicket {
  /** Resolves with the reply; always resolves, unless the Run was cancelled while waiting. */
  readonly outcome: Promise<RunOutcome>;
  /** Whether the Run is still waiting for a worker. */
  waiting(): boolean;
  /** The client has gone: drop the Run if it has not started (a started solve runs on). */
  cancel(): void;
}

/** Options of {@link SolverPool.start}. */
export interface PoolOptions {
  /** Worker threads. */
  readonly workers: number;
  /** Runs waiting for a worker at most. */
  readonly maxQueue: number;
  /** Time a solve may run past the optimizer's time limit before its worker is stopped, in ms. */
  readonly watchdogMarginMs: number;
}

/** The dimensions of the optimizer the workers serve. */
export interface SolverDimensions {
  readonly nu: number;
  readonly np: number;
  readonly n1: number;
}

interface Pending {
  readonly job: SolveJob;
  readonly resolve: (outcome: RunOutcome) => void;
}

/** One worker thread, the job it is solving, if any, and that job's watchdog. */
interface Slot {
  readonly worker: Worker;
  current: Pending | null;
  watchdog: NodeJS.Timeout | undefined;
}

function failure(code: number, message: string): RunOutcome {
  return { reply: serializeError(code, message), summary: { code, error: message } };
}

interface Spawned {
  readonly worker: Worker;
  readonly dimensions: SolverDimensions;
  readonly maxDurationMicros: number | null;
}

/**
 * Worker threads that solve, each with its own optimizer and so its own warm
 * start. Runs wait in one bounded FIFO queue and go to the first idle worker:
 * with one worker, Runs are solved in arrival order against one shared warm
 * start, as OpEn's server does. A solve that outlives its time budget (the
 * optimizer's `maxDurationMicros` plus a margin) has its worker terminated;
 * a worker that dies mid-solve answers that Run with error 2000 and is
 * replaced (the replacement starts from a cold warm start).
 */
export class SolverPool {
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[] = [];
  private spawning = 0;
  private closed = false;
  private whenIdle: (() => void) | null = null;

  private constructor(
    private readonly optimizerModule: string,
    private readonly options: PoolOptions,
    readonly dimensions: SolverDimensions,
    /** A solve's time budget in ms: the optimizer's time limit plus the watchdog margin. */
    readonly budgetMs: number,
  ) {}

  /** Starts the workers on the module; rejects with the module's load error. */
  static async start(optimizerModule: string, options: PoolOptions): Promise<SolverPool> {
    const started = await Promise.allSettled(
      Array.from({ length: options.workers }, () => spawnWorker(optimizerModule)),
    );
    const workers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failed = started.find((s) => s.status === "rejected");
    if (failed !== undefined) {
      await Promise.all(workers.map((w) => w.worker.terminate()));
      throw (failed as PromiseRejectedResult).reason;
    }
    const first = workers[0];
    const limitMs = Math.ceil((first.maxDurationMicros ?? DEFAULT_MAX_DURATION_MICROS) / 1000);
    const pool = new SolverPool(
      optimizerModule,
      options,
      first.dimensions,
      limitMs + options.watchdogMarginMs,
    );
    for (const { worker } of workers) pool.adopt(worker);
    return pool;
  }

  /** Runs waiting for a worker. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Takes a Run, or returns null when it would have to wait and the queue is
   * full. With no worker left (every restart failed), the Run is answered
   * with error 2000 at once while a new worker is tried.
   */
  submit(job: SolveJob): RunTicket | null {
    if (this.closed) {
      const outcome = failure(ErrorCode.InvalidRequest, serverMessages.stopping());
      return { outcome: Promise.resolve(outcome), waiting: () => false, cancel: () => {} };
    }
    const idle = this.slots.some((s) => s.current === null);
    if (!idle && this.queue.length >= this.options.maxQueue) return null;
    let pending: Pending | undefined;
    const outcome = new Promise<RunOutcome>((resolve) => {
      pending = { job, resolve };
    });
    const entry = pending as Pending;
    this.queue.push(entry);
    this.dispatch();
    return {
      outcome,
      waiting: () => this.queue.includes(entry),
      cancel: () => {
        const at = this.queue.indexOf(entry);
        if (at >= 0) this.queue.splice(at, 1);
        this.checkIdle();
      },
    };
  }

  /**
   * Lets queued and running Runs finish within `graceMs`, then answers those
   * left (error 1000 if not started, 2000 if solving) and stops every worker.
   */
  async drain(graceMs: number): Promise<void> {
    if (!this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.whenIdle = () => {
          clearTimeout(timer);
          resolve();
        };
        this.checkIdle();
      });
    }
    await this.close();
  }

  /** Stops every worker now; Runs not answered yet get their error reply. */
  async close(): Promise<void> {
    this.closed = true;
    this.whenIdle = null;
    for (const p of this.queue.splice(0)) {
      p.resolve(failure(ErrorCode.InvalidRequest, serverMessages.stopping()));
    }
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      const lost = slot.current;
      this.release(slot);
      lost?.resolve(failure(ErrorCode.SolverFailed, serverMessages.shutDown()));
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private adopt(worker: Worker): void {
    const slot: Slot = { worker, current: null, watchdog: undefined };
    this.slots.push(slot);
    worker.on("message", (message: WorkerMessage) => {
      if (message.type !== "reply" || slot.current === null) return;
      const done = slot.current;
      this.release(slot);
      done.resolve({ reply: message.reply, summary: message.summary });
      this.dispatch();
    });
    worker.on("error", () => {});
    worker.once("exit", () => this.replace(slot, serverMessages.workerStopped()));
    this.dispatch();
  }

  private release(slot: Slot): void {
    slot.current = null;
    clearTimeout(slot.watchdog);
    slot.watchdog = undefined;
  }

  /** A worker is gone (it exited, or the watchdog stopped it): answer its Run and start another. */
  private replace(slot: Slot, message: string): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return; // already replaced, or closed
    this.slots.splice(at, 1);
    const lost = slot.current;
    this.release(slot);
    lost?.resolve(failure(ErrorCode.SolverFailed, message));
    this.respawn();
    this.checkIdle();
  }

  private respawn(): void {
    if (this.closed) return;
    this.spawning++;
    spawnWorker(this.optimizerModule).then(
      ({ worker }) => {
        this.spawning--;
        if (this.closed) void worker.terminate();
        else this.adopt(worker);
      },
      (e: Error) => {
        this.spawning--;
        // Without any worker, queued Runs would wait forever: answer them.
        if (this.slots.length > 0 || this.spawning > 0) return;
        const message = serverMessages.workerRestartFailed(e.message);
        for (const p of this.queue.splice(0)) p.resolve(failure(ErrorCode.SolverFailed, message));
        this.checkIdle();
      },
    );
  }

  private dispatch(): void {
    if (this.slots.length === 0 && this.spawning === 0) this.respawn();
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (slot.current !== null) continue;
      const next = this.queue.shift() as Pending;
      slot.current = next;
      slot.watchdog = setTimeout(() => {
        void slot.worker.terminate();
        this.replace(slot, serverMessages.watchdog(this.budgetMs));
      }, this.budgetMs);
      slot.worker.postMessage(next.job);
    }
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.whenIdle === null || this.queue.length > 0) return;
    if (this.slots.some((s) => s.current !== null)) return;
    const done = this.whenIdle;
    this.whenIdle = null;
    done();
  }
}

function spawnWorker(optimizerModule: string): Promise<Spawned> {
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
        const { nu, np, n1, maxDurationMicros } = message;
        resolve({ worker, dimensions: { nu, np, n1 }, maxDurationMicros });
      } else fail(message.type === "failed" ? message.message : "unexpected message");
    });
  });
}
