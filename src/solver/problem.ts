import {
  type Constraint,
  type UncheckedProjection,
  uncheckedProjection,
} from "../sets/constraint.js";
import { NoConstraints } from "../sets/index.js";

/**
 * A smooth function over a set onto which one can project: what PANOC and
 * FBS minimize. The augmented Lagrangian of an {@link AlmProblem} and a plain
 * {@link PanocProblem} both implement it.
 */
export interface SmoothProblem {
  /** Number of variables. */
  readonly n: number;
  /** The cost at u. */
  cost(u: Float64Array): number;
  /** Writes the gradient at u into `grad` and returns the cost at u. */
  costAndGradient(u: Float64Array, grad: Float64Array): number;
  /** Writes the gradient at u into `grad`. */
  gradient(u: Float64Array, grad: Float64Array): void;
  /** Projects u onto the constraint set, in place. */
  project(u: Float64Array): void;
}

/** A plain smooth problem, minimize f(u) over u in U (OpEn's `Problem`). */
export class PanocProblem implements SmoothProblem {
  readonly n: number;
  private readonly f: (u: Float64Array) => number;
  private readonly df: (u: Float64Array, grad: Float64Array) => void;
  // checked against n once, here
  private readonly set: UncheckedProjection;

  /**
   * @param n number of variables
   * @param cost f(u)
   * @param gradient writes the gradient of f at u into its second argument
   * @param constraints the set U (default: no constraints)
   */
  constructor(
    n: number,
    cost: (u: Float64Array) => number,
    gradient: (u: Float64Array, grad: Float64Array) => void,
    constraints: Constraint = new NoConstraints(),
  ) {
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new Error(`PanocProblem: n must be a positive integer, got ${n}`);
    }
    if (constraints.dimension !== undefined && constraints.dimension !== n) {
      throw new Error(
        `PanocProblem: the constraints have dimension ${constraints.dimension}, expected ${n}`,
      );
    }
    this.n = n;
    this.f = cost;
    this.df = gradient;
    this.set = uncheckedProjection(constraints);
  }

  cost(u: Float64Array): number {
    return this.f(u);
  }

  costAndGradient(u: Float64Array, grad: Float64Array): number {
    this.df(u, grad);
    return this.f(u);
  }

  gradient(u: Float64Array, grad: Float64Array): void {
    this.df(u, grad);
  }

  project(u: Float64Array): void {
    this.set.projectUnchecked(u, 0, this.n);
  }
}
