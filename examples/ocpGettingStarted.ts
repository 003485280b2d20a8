/**
 * OpEn's getting-started optimal control problem (its python-ocp-1 page):
 * two states, one input, horizon 20,
 *
 *     x+ = (0.98 sin x1 + x2,  0.1 x1^2 - 0.5 x1 + a x2 + u),
 *
 * stage cost q |x - xref|^2 + r u^2, terminal cost 100 |x - xref|^2, the
 * state constraint x2 >= xmin (augmented Lagrangian) on (x_t, u_t) for
 * t = 0..N-1 and |u_t| <= 0.2. Parameters x0 (required), xref = 0, q = 1,
 * r = 0.1, a = 0.8, xmin = -1 by default.
 */
import {
  BallInf,
  type ConstraintKind,
  dot,
  OptimalControlProblem,
  Rectangle,
  type Shooting,
  sin,
  sq,
  vsub,
} from "open-engine";

/** Its horizon. */
export const GETTING_STARTED_HORIZON = 20;

/** The values of the page's solve: x0 = (0.4, 0.2), q = 30, r = 1, xmin = -0.2. */
export const GETTING_STARTED_VALUES = { x0: [0.4, 0.2], q: 30, r: 1, xmin: -0.2 };

/** The getting-started OCP; multiple shooting imposes the dynamics as `dynamics` ("penalty" by default). */
export function gettingStarted(shooting: Shooting, dynamics?: ConstraintKind) {
  const ocp = new OptimalControlProblem({
    nx: 2,
    nu: 1,
    horizon: GETTING_STARTED_HORIZON,
    shooting,
  })
    .addParameter("x0", 2)
    .addParameter("xref", 2, [0, 0])
    .addParameter("q", 1, 1)
    .addParameter("r", 1, 0.1)
    .addParameter("a", 1, 0.8)
    .addParameter("xmin", 1, -1);
  ocp
    .withDynamics((x, u, p) => [
      sin(x[0]).mul(0.98).add(x[1]),
      sq(x[0]).mul(0.1).sub(x[0].mul(0.5)).add(p.a.mul(x[1])).add(u[0]),
    ])
    .withStageCost((x, u, p) => {
      const e = vsub(x, p.xref);
      return p.q.mul(dot(e, e)).add(p.r.mul(dot(u, u)));
    })
    .withTerminalCost((x, p) => {
      const e = vsub(x, p.xref);
      return dot(e, e).mul(100);
    })
    .withPathConstraint((x, _u, p) => x[1].sub(p.xmin), {
      kind: "alm",
      setC: new Rectangle([0], [Infinity]),
    })
    .withInputConstraints(new BallInf(0.2));
  if (dynamics !== undefined) ocp.withDynamicsConstraints(dynamics);
  return ocp;
}
