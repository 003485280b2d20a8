import { copyVector } from "../vector.js";
import { ForwardBackwardIterate } from "./iterate.js";
import { type ForwardBackwardStep, forwardBackwardStepFor } from "./kernel.js";

/** gamma = GAMMA_L_COEFF / L. */
export const GAMMA_L_COEFF = 0.95;

/**
 * The state shared by PANOC and FBS: the current iterate and a second
 * iterate record (PANOC's trial point, and scratch for the Lipschitz probe),
 * the step size gamma = 0.95 / L, and the best u_bar seen.
 */
export class ForwardBackwardCache {
  /** Problem size. */
  readonly n: number;
  /** The current iterate. */
  current: ForwardBackwardIterate;
  /** The trial iterate (swapped with the current one when accepted). */
  trial: ForwardBackwardIterate;
  /** The u_bar with the smallest residual so far. */
  readonly bestUBar: Float64Array;
  /** The forward-backward step for this size. */
  readonly step: ForwardBackwardStep;
  lipschitz = 1;
  gamma = GAMMA_L_COEFF;
  bestNormResidual = Number.POSITIVE_INFINITY;
  bestGamma = 1;
  iteration = 0;

  constructor(n: number) {
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new Error(`solver cache: the problem size must be a positive integer, got ${n}`);
    }
    this.n = n;
    this.current = new ForwardBackwardIterate(n);
    this.trial = new ForwardBackwardIterate(n);
    this.bestUBar = new Float64Array(n);
    this.step = forwardBackwardStepFor(n);
  }

  /** Clears the iteration state and starts from u. */
  start(u: Float64Array): void {
    this.iteration = 0;
    this.bestNormResidual = Number.POSITIVE_INFINITY;
    copyVector(this.current.u, u, this.n);
  }

  /** Makes the trial iterate current (and the old current the next trial's buffers). */
  acceptTrial(): void {
    const current = this.current;
    this.current = this.trial;
    this.trial = current;
  }
}
