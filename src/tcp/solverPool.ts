import { Worker } from "node:worker_threads";
import { loadOptimizer } from "../problem/loader.js";
import { SolverConfiguration } from "../solver/configuration.js";
import { ErrorCode, type ParametricSolver } from "../solver/types.js";
import { serializeError, serverMessages } from "./protocol.js";
import { type RunSummary, type SolvedJob, type SolveJob, solveJob } from "./solveJob.js";
import type { WorkerMessage } from "./worker.js";

const WORKER_URL = new URL("./worker.js", import.meta.url);

/** The time limit assumed for an optimizer that does not tell its own: opengen's default. */
const DEFAULT_MAX_DURATION_MICROS = new SolverConfiguration().maxDurationMicros;

/**
 * Each solve halves the estimate of the next one's time unless it took longer:
 * after one long solve, the Runs that follow go to the worker until as many
 * short solves as it takes to halve it below the inline limit.
 */
const ESTIMATE_DECAY = 0.5;

/** A Run's reply and what the log says about it. */
export interface RunOutcome {
  readonly reply: string;
  readonly summary: RunSummary;
  /** Whether the Run was solved on the event loop rather than in the worker. */
  readonly inline: boolean;
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
  /** Runs waiting for the worker at most. */
  readonly maxQueue: number;
  /** Time a solve may run past the optimizer's time limit before its worker is stopped, in ms. */
  readonly watchdogMarginMs: number;
  /** Solves estimated to take at most this long (ms) run on the event loop; 0 never. */
  readonly inlineSolveMs: number;
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
  return { reply: serializeError(code, message), summary: { code, error: message }, inline: false };
}

interface Spawned {
  readonly worker: Worker;
  readonly dimensions: SolverDimensions;
  readonly maxDurationMicros: number | null;
  readonly generatedCode: boolean;
}

/**
 * Where a server's Runs are solved: on the event loop, or in one worker
 * thread. Both hold an optimizer loaded from the same module, and the pool
 * keeps one warm start for both: a Run without an initial guess starts from
 * the solution of the last Run solved (zeros at first), and Runs are solved
 * one at a time in arrival order, as in OpEn's server.
 *
 * The rule: while the estimate of the next solve's time is at most
 * `inlineSolveMs`, Runs are solved on the event loop, saving the hand-off to
 * the worker (a Run that arrives while another is solving waits in the queue
 * and is solved at a later turn of the loop); otherwise they go to the
 * worker. The estimate is the longest recent solve time, halved by each solve
 * that is shorter; the first Run goes to the worker, so a problem that never
 * returns is caught there. Only optimizers of generated code (which always
 * returns) that stop themselves at a time limit (`maxDurationMicros`) are
 * solved on the event loop. Runs wait in one
 * bounded FIFO queue, whichever side solves them. A
 * solve that outlives its time budget (the time limit plus a margin) has the
 * worker terminated; a worker that dies mid-solve answers that Run with error
 * 2000 and is replaced (the warm start is kept).
 */
export class SolverPool {
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[] = [];
  private spawning = 0;
  private closed = false;
  private whenIdle: (() => void) | null = null;
  /** The last solution, where a Run without an initial guess starts. */
  private warmStart: number[] | null = null;
  /** The estimate of the next solve's time in ms; none (infinite) sends the next Run to the worker. */
  private estimateMs = Number.POSITIVE_INFINITY;
  /** The queued Run to solve on the event loop at its next turn, if any. */
  private inlineNext: NodeJS.Immediate | null = null;

  private constructor(
    private readonly optimizerModule: string,
    private readonly options: PoolOptions,
    readonly dimensions: SolverDimensions,
    /** A solve's time budget in ms: the optimizer's time limit plus the watchdog margin. */
    readonly budgetMs: number,
    /** The optimizer solving on the event loop, if inline solves are allowed. */
    private readonly home: ParametricSolver | null,
  ) {}

  /** Starts the worker and loads the optimizer; rejects with the module's load error. */
  static async start(optimizerModule: string, options: PoolOptions): Promise<SolverPool> {
    const first = await spawnWorker(optimizerModule);
    let home: ParametricSolver | null = null;
    // The worker has looked at the optimizer: a module it would not solve on
    // the event loop is never loaded there.
    if (options.inlineSolveMs > 0 && first.maxDurationMicros !== null && first.generatedCode) {
      try {
        home = await loadOptimizer(optimizerModule);
      } catch (e) {
        await first.worker.terminate();
        throw e;
      }
    }
    const limitMs = Math.ceil((first.maxDurationMicros ?? DEFAULT_MAX_DURATION_MICROS) / 1000);
    const pool = new SolverPool(
      optimizerModule,
      options,
      first.dimensions,
      limitMs + options.watchdogMarginMs,
      home,
    );
    pool.adopt(first.worker);
    return pool;
  }

  /** Runs waiting for the worker. */
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
    const idle = this.queue.length === 0 && !this.solving();
    if (idle && this.home !== null && this.short()) {
      const solved = this.record(solveJob(this.home, this.warmed(job)));
      const outcome = { reply: solved.reply, summary: solved.summary, inline: true };
      return { outcome: Promise.resolve(outcome), waiting: () => false, cancel: () => {} };
    }
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

  /** The job, starting from the warm start unless it brings its own initial guess. */
  private warmed(job: SolveJob): SolveJob {
    return job.initialGuess !== null || this.warmStart === null
      ? job
      : { ...job, initialGuess: this.warmStart };
  }

  /** Keeps a solved Run's solution as the warm start and its time in the estimate. */
  private record(solved: SolvedJob): SolvedJob {
    if (solved.solution !== null) this.warmStart = solved.solution;
    // No estimate yet (first solve, or after a lost worker): this solve's time is the estimate.
    const decayed = Number.isFinite(this.estimateMs) ? this.estimateMs * ESTIMATE_DECAY : 0;
    this.estimateMs = Math.max(solved.timeMs, decayed);
    return solved;
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
    if (this.inlineNext !== null) clearImmediate(this.inlineNext);
    this.inlineNext = null;
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
      const { reply, summary } = this.record(message);
      done.resolve({ reply, summary, inline: false });
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
    if (lost !== null) {
      // A solve that killed its worker or met the watchdog is no short one.
      this.estimateMs = Number.POSITIVE_INFINITY;
      lost.resolve(failure(ErrorCode.SolverFailed, message));
    }
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

  /** Whether the worker is solving. */
  private solving(): boolean {
    return this.slots.some((s) => s.current !== null);
  }

  /** Whether the next solve is expected to be short enough for the event loop. */
  private short(): boolean {
    return this.home !== null && this.estimateMs <= this.options.inlineSolveMs;
  }

  private dispatch(): void {
    if (this.slots.length === 0 && this.spawning === 0) this.respawn();
    if (this.queue.length > 0 && !this.solving()) {
      if (this.short()) {
        // One queued Run per turn of the event loop, so that sockets are served in between.
        this.inlineNext ??= setImmediate(() => this.solveQueuedHere());
      } else {
        const slot = this.slots[0];
        if (slot !== undefined) this.post(slot, this.queue.shift() as Pending);
      }
    }
    this.checkIdle();
  }

  private post(slot: Slot, next: Pending): void {
    slot.current = next;
    slot.watchdog = setTimeout(() => {
      void slot.worker.terminate();
      this.replace(slot, serverMessages.watchdog(this.budgetMs));
    }, this.budgetMs);
    slot.worker.postMessage(this.warmed(next.job));
  }

  private solveQueuedHere(): void {
    this.inlineNext = null;
    const next = this.closed || this.solving() ? undefined : this.queue.shift();
    if (next !== undefined) {
      const { reply, summary } = this.record(
        solveJob(this.home as ParametricSolver, this.warmed(next.job)),
      );
      next.resolve({ reply, summary, inline: true });
    }
    this.dispatch();
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
        const { nu, np, n1, maxDurationMicros, generatedCode } = message;
        resolve({ worker, dimensions: { nu, np, n1 }, maxDurationMicros, generatedCode });
      } else fail(message.type === "failed" ? message.message : "unexpected message");
    });
  });
}
