/**
 * A kinematic bicycle as an optimal control problem: states (x, y, theta),
 * inputs (v, delta), continuous dynamics
 *
 *     dx/dt = v cos(theta),  dy/dt = v sin(theta),  dtheta/dt = v tan(delta) / L,
 *
 * discretized over the sampling time (explicit Euler, as the hand-written
 * bicycle of problems.ts, or any rule of `DynamicsDiscretizer`). The stage cost tracks the
 * reference (xref, yref, thetaref) with the weight q on the position,
 * q / 10 on the heading and r on the inputs; the terminal cost weighs the
 * state ten times. The inputs are boxed (v in [-1, 2] m/s, delta in
 * [-0.6, 0.6] rad) and the path constraint y <= ymax (ALM) keeps the car
 * below a wall.
 */
import {
  cos,
  type DiscretizationMethod,
  type Expr,
  OptimalControlProblem,
  Rectangle,
  type Shooting,
  sin,
  sq,
  tan,
} from "open-engine";

/** The wheelbase L, in metres. */
export const WHEELBASE = 0.5;
/** The sampling time, in seconds. */
export const SAMPLING_TIME = 0.1;
/** The input bounds: (v, delta) in [-1, 2] x [-0.6, 0.6]. */
export const INPUT_BOUNDS = new Rectangle([-1, -0.6], [2, 0.6]);

/** dx/dt of the bicycle, for the controller's model and for the simulated plant. */
export function bicycle(z: readonly Expr[], u: readonly Expr[]): Expr[] {
  const [, , theta] = z;
  const [v, delta] = u;
  return [v.mul(cos(theta)), v.mul(sin(theta)), v.mul(tan(delta)).div(WHEELBASE)];
}

/** The same dynamics on numbers, for simulating the plant. */
export function bicycleNumeric(z: readonly number[], u: readonly number[]): number[] {
  const [, , theta] = z;
  const [v, delta] = u;
  return [v * Math.cos(theta), v * Math.sin(theta), (v * Math.tan(delta)) / WHEELBASE];
}

/** Formulation, horizon and discretization of {@link bicycleOcp}. */
export interface BicycleOcpOptions {
  /** "single" (default) or "multiple" shooting (dynamics as ALM constraints). */
  readonly shooting?: Shooting;
  /** Number of stages (default 50). */
  readonly horizon?: number;
  /** Integration rule (default "euler"). */
  readonly method?: DiscretizationMethod;
}

/** The bicycle OCP. */
export function bicycleOcp(options: BicycleOcpOptions = {}) {
  const { shooting = "single", horizon = 50, method = "euler" } = options;
  const ocp = new OptimalControlProblem({ nx: 3, nu: 2, horizon, shooting })
    .addParameter("x0", 3)
    .addParameter("xref", 3, [0, 0, 0])
    .addParameter("q", 1, 1)
    .addParameter("r", 1, 0.1)
    .addParameter("ymax", 1, 1e3);
  const tracking = (z: readonly Expr[], ref: readonly Expr[], weight: Expr) =>
    weight.mul(
      sq(z[0].sub(ref[0]))
        .add(sq(z[1].sub(ref[1])))
        .add(sq(z[2].sub(ref[2])).mul(0.1)),
    );
  ocp
    .withContinuousDynamics((z, u) => bicycle(z, u), SAMPLING_TIME, { method })
    .withStageCost((z, u, p) => tracking(z, p.xref, p.q).add(p.r.mul(sq(u[0]).add(sq(u[1])))))
    .withTerminalCost((z, p) => tracking(z, p.xref, p.q.mul(10)))
    .withPathConstraint((z, _u, p) => p.ymax.sub(z[1]), {
      kind: "alm",
      setC: new Rectangle([0], [Infinity]),
    })
    .withInputConstraints(INPUT_BOUNDS);
  if (shooting === "multiple") ocp.withDynamicsConstraints("alm");
  return ocp;
}
