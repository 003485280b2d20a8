import type { ExitStatus, InnerIterationInfo } from "../types.js";
import type { ForwardBackwardCache } from "./cache.js";

/** Limits and stopping rule of one inner solve. */
export interface InnerSolverOptions {
  /** Tolerance on the stopping measure (default 1e-4). */
  readonly tolerance?: number;
  /** Iteration limit (default 500). */
  readonly maxIterations?: number;
  /** Time budget in microseconds (default: none). */
  readonly maxDurationMicros?: number;
  /**
   * OpEn's AKKT tolerance (the ALM's relaxed inner tolerance): at the first
   * iterate the solve also requires ||r + gamma grad psi(u)|| below it (later
   * iterates pass it whenever ||r|| < tolerance <= it, as in OpEn 0.12).
   * Default: no AKKT test. PANOC only.
   */
  readonly akktTolerance?: number;
  /** Called at every iterate (see {@link InnerIterationInfo}). PANOC only. */
  readonly onIteration?: (info: InnerIterationInfo) => void;
}

/** What an inner solve reports about itself (OpEn's `SolverStatus` of PANOC and FBS). */
export interface InnerSolverStatistics {
  readonly exitStatus: ExitStatus;
  readonly iterations: number;
  /** ||r|| of the returned point's forward-backward step. */
  readonly normFpr: number;
  /** ||r|| / gamma of the returned point: a stationarity measure in gradient units. */
  readonly stationarity: number;
}

/** The outcome of a PANOC or FBS solve: its statistics and the cost at the returned point. */
export interface InnerSolverStatus extends InnerSolverStatistics {
  /** The cost at the returned point. */
  readonly cost: number;
}

/**
 * The statistics record an inner solver fills at the end of each solve and
 * returns (one per solver, reused: the outer loop reads it before the next
 * inner solve, and nothing is allocated per solve).
 */
export class InnerStatisticsRecord implements InnerSolverStatistics {
  exitStatus: ExitStatus = "NotConvergedIterations";
  iterations = 0;
  normFpr = Number.POSITIVE_INFINITY;
  stationarity = Number.POSITIVE_INFINITY;

  /** Fills the record from the cache at the end of a solve and returns it. */
  finish(exitStatus: ExitStatus, cache: ForwardBackwardCache): InnerSolverStatistics {
    this.exitStatus = exitStatus;
    this.iterations = cache.iteration;
    this.normFpr = cache.bestNormResidual;
    this.stationarity = cache.bestNormResidual / cache.bestGamma;
    return this;
  }
}

// Node.js defines the global `performance` by a getter: looked up once, not per reading.
const clock = globalThis.performance;

/** The clock of time limits, in milliseconds. */
export function nowMs(): number {
  return clock.now();
}

/** The deadline (a {@link nowMs} time) of a budget in microseconds, if any. */
export function deadlineAfter(maxDurationMicros: number | undefined): number {
  return maxDurationMicros === undefined
    ? Number.POSITIVE_INFINITY
    : nowMs() + maxDurationMicros / 1000;
}

// Bounds of the time between two clock readings of a DeadlineClock, in ms.
const MIN_CLOCK_INTERVAL_MS = 0.02;
const MAX_CLOCK_INTERVAL_MS = 0.2;
const MAX_CLOCK_STRIDE = 64;

/**
 * Tells, once per iteration, whether a deadline has passed, reading the
 * clock (which costs as much as a small iteration) every `stride` calls: the
 * stride doubles while readings come less than 20 µs apart and halves while
 * they come more than 200 µs apart, so that slow iterations are checked
 * every time and fast ones about every 20-200 µs. The stride carries over
 * from one solve to the next (the inner solves of an outer loop are short).
 */
export class DeadlineClock {
  private deadline = Number.POSITIVE_INFINITY;
  private stride = 1;
  private countdown = 0;
  private last = Number.NEGATIVE_INFINITY;

  /**
   * Watches `deadline` (a {@link nowMs} time; infinite: never passes, and no
   * reading). The countdown carries over too: the caller checks a deadline
   * that may already have passed before it starts a solve.
   */
  start(deadline: number): void {
    this.deadline = deadline;
  }

  /** Whether the deadline has passed, by the last reading of the clock. */
  passed(): boolean {
    if (this.deadline === Number.POSITIVE_INFINITY || this.countdown-- > 0) return false;
    const now = nowMs();
    const interval = now - this.last;
    this.last = now;
    if (interval < MIN_CLOCK_INTERVAL_MS && this.stride < MAX_CLOCK_STRIDE) this.stride *= 2;
    else if (interval > MAX_CLOCK_INTERVAL_MS && this.stride > 1) this.stride /= 2;
    this.countdown = this.stride - 1;
    return now > this.deadline;
  }
}
