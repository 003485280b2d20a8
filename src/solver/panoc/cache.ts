import { ForwardBackwardCache } from "../forwardBackward/index.js";
import { Lbfgs } from "../lbfgs.js";
import { type TrialPoint, trialPointFor } from "./trialPoint.js";

/**
 * Every buffer PANOC needs for one problem size, allocated once and reusable
 * across solves (as OpEn's `PANOCCache`).
 */
export class PanocCache extends ForwardBackwardCache {
  /** The L-BFGS buffer. */
  readonly lbfgs: Lbfgs;
  /** The L-BFGS direction d = H r. */
  readonly direction: Float64Array;
  /** sigma = (1 - 0.95) / (4 gamma): the sufficient decrease of the FBE line search. */
  sigma = 0;
  /** The line search's trial point for this size. */
  readonly trialPoint: TrialPoint;

  /**
   * @param n problem size
   * @param lbfgsMemory L-BFGS memory (>= 2 recommended)
   * @param cbfgsAlpha cautious-BFGS exponent
   * @param cbfgsEpsilon cautious-BFGS factor
   * @param cbfgsSyEpsilon curvature threshold on s'y
   */
  constructor(
    n: number,
    lbfgsMemory = 10,
    cbfgsAlpha = 1,
    cbfgsEpsilon = 1e-8,
    cbfgsSyEpsilon = 1e-10,
  ) {
    super(n);
    this.lbfgs = new Lbfgs(n, lbfgsMemory, cbfgsAlpha, cbfgsEpsilon, cbfgsSyEpsilon);
    this.direction = new Float64Array(n);
    this.trialPoint = trialPointFor(n);
  }
}
