/**
 * One point of a forward-backward method and everything computed there: the
 * cost psi(u), its gradient, the backward step (projection) u_bar of the
 * forward (gradient) step u - gamma grad psi(u), and the fixed-point residual
 * r = u - u_bar. PANOC keeps two, the current iterate and the trial point of
 * its line search, and swaps them when it accepts the trial (no copies).
 */
export class ForwardBackwardIterate {
  /** The point u. */
  readonly u: Float64Array;
  /** grad psi(u). */
  readonly gradient: Float64Array;
  /** Pi_U(u - gamma grad psi(u)). */
  readonly uBar: Float64Array;
  /** r = u - u_bar. */
  readonly residual: Float64Array;
  /** The step size gamma of its forward-backward step. */
  gamma = 1;
  /** psi(u). */
  cost = 0;
  /** ||grad psi(u)||^2. */
  gradientNormSquared = 0;
  /** ||(u - gamma grad psi(u)) - u_bar||^2, the distance term of the envelope. */
  stepDistanceSquared = 0;
  /** ||r||. */
  normResidual = Number.POSITIVE_INFINITY;
  /** <grad psi(u), r>, for the Lipschitz backtrack's quadratic model. */
  gradientDotResidual = 0;

  constructor(n: number) {
    this.u = new Float64Array(n);
    this.gradient = new Float64Array(n);
    this.uBar = new Float64Array(n);
    this.residual = new Float64Array(n);
  }

  /**
   * The forward-backward envelope at u for the step size of its step:
   * psi(u) - (gamma/2) ||grad||^2 + (1/(2 gamma)) ||step - u_bar||^2.
   */
  envelope(): number {
    const gamma = this.gamma;
    return (
      this.cost - 0.5 * gamma * this.gradientNormSquared + (0.5 / gamma) * this.stepDistanceSquared
    );
  }
}
