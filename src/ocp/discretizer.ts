/** Discrete-time dynamics from continuous-time dynamics, by explicit Runge-Kutta rules. */
import { type Expr, type Scalar, toExpr, vadd, vscale } from "../symbolic/index.js";

/** Continuous-time dynamics dx/dt = f(x, u, param). */
export type ContinuousDynamics<X, U, P> = (x: X, u: U, param: P) => readonly Scalar[];

/** Discrete-time dynamics x+ = F(x, u, param). */
export type DiscreteDynamics<X, U, P> = (x: X, u: U, param: P) => Expr[];

/** The explicit integration rules of {@link DynamicsDiscretizer}. */
export type DiscretizationMethod = "euler" | "midpoint" | "heun" | "rk4";

/** Butcher tableaux of the explicit rules: stage coefficients a, weights b. */
const TABLEAUX: Record<DiscretizationMethod, { a: number[][]; b: number[] }> = {
  euler: { a: [], b: [1] },
  midpoint: { a: [[0.5]], b: [0, 1] },
  heun: { a: [[1]], b: [0.5, 0.5] },
  rk4: {
    a: [[0.5], [0, 0.5], [0, 0, 1]],
    b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
  },
};

/**
 * Turns continuous-time dynamics into discrete-time dynamics over a sampling
 * time Ts (as opengen's `DynamicsDiscretizer`), for
 * {@link OptimalControlProblem.withDynamics}:
 *
 * ```ts
 * const d = new DynamicsDiscretizer((x: Expr[], u: Expr[]) => [x[1], u[0]], 0.1);
 * ocp.withDynamics(d.rk4());            // or d.discretize("heun"), d.multistep("rk4", 4)
 * ```
 *
 * The input u is held constant over the interval.
 */
export class DynamicsDiscretizer<X extends readonly Scalar[], U, P> {
  /** The continuous-time dynamics. */
  readonly continuousDynamics: ContinuousDynamics<X, U, P>;
  /** The sampling time Ts > 0. */
  readonly samplingTime: number;

  /**
   * @param continuousDynamics f(x, u, param), returning dx/dt (as long as x)
   * @param samplingTime Ts, a positive finite number
   */
  constructor(continuousDynamics: ContinuousDynamics<X, U, P>, samplingTime: number) {
    if (typeof continuousDynamics !== "function") {
      throw new Error("DynamicsDiscretizer: the continuous dynamics must be a function");
    }
    if (!(Number.isFinite(samplingTime) && samplingTime > 0)) {
      throw new Error(
        `DynamicsDiscretizer: sampling time must be positive and finite, got ${samplingTime}`,
      );
    }
    this.continuousDynamics = continuousDynamics;
    this.samplingTime = samplingTime;
  }

  /** Explicit Euler: x+ = x + Ts f(x, u). */
  euler(): DiscreteDynamics<X, U, P> {
    return this.discretize("euler");
  }

  /** Explicit midpoint: x+ = x + Ts f(x + Ts/2 k1, u), k1 = f(x, u). */
  midpoint(): DiscreteDynamics<X, U, P> {
    return this.discretize("midpoint");
  }

  /** Heun (explicit trapezoid): x+ = x + Ts/2 (k1 + k2), k2 = f(x + Ts k1, u). */
  heun(): DiscreteDynamics<X, U, P> {
    return this.discretize("heun");
  }

  /** Classical fourth-order Runge-Kutta. */
  rk4(): DiscreteDynamics<X, U, P> {
    return this.discretize("rk4");
  }

  /** The discrete dynamics of one rule over the whole sampling time. */
  discretize(method: DiscretizationMethod = "euler"): DiscreteDynamics<X, U, P> {
    return this.multistep(method, 1);
  }

  /**
   * The discrete dynamics that apply `method` `steps` times with step Ts/steps.
   *
   * @param method "euler", "midpoint", "heun" or "rk4"
   * @param steps a positive integer
   */
  multistep(method: DiscretizationMethod = "rk4", steps = 1): DiscreteDynamics<X, U, P> {
    const tableau = TABLEAUX[method];
    if (tableau === undefined || !Object.hasOwn(TABLEAUX, method)) {
      throw new Error(
        `DynamicsDiscretizer: unknown method "${String(method)}" (euler, midpoint, heun, rk4)`,
      );
    }
    if (!Number.isInteger(steps) || steps <= 0) {
      throw new Error(`DynamicsDiscretizer: steps must be a positive integer, got ${steps}`);
    }
    const h = this.samplingTime / steps;
    const f = this.continuousDynamics;
    const slope = (x: readonly Scalar[], u: U, param: P): readonly Scalar[] => {
      const k = f(x as X, u, param);
      if (!Array.isArray(k) || k.length !== x.length) {
        throw new Error(
          `DynamicsDiscretizer: the continuous dynamics must return ${x.length} expressions (dx/dt), got ${Array.isArray(k) ? k.length : typeof k}`,
        );
      }
      return k;
    };
    return (x, u, param) => {
      let state: readonly Scalar[] = x;
      for (let s = 0; s < steps; s++) {
        const k: (readonly Scalar[])[] = [];
        for (let i = 0; i < tableau.b.length; i++) {
          let xi = state;
          for (const [j, a] of (tableau.a[i - 1] ?? []).entries()) {
            if (a !== 0) xi = vadd(xi, vscale(k[j] as readonly Scalar[], h * a));
          }
          k.push(slope(xi, u, param));
        }
        let next: readonly Scalar[] = state;
        for (const [i, b] of tableau.b.entries()) {
          if (b !== 0) next = vadd(next, vscale(k[i] as readonly Scalar[], h * b));
        }
        state = next;
      }
      return state.map(toExpr);
    };
  }
}
