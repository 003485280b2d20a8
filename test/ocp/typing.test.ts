/** OCP callbacks are typed by nx, nu and the declared parameters, under strict settings. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { typecheckStrict } from "../symbolic/strict.js";

const OCP_USAGE = `
import {
  BallInf, type Expr, dot, DynamicsDiscretizer, OcpBuilder, OptimalControlProblem, Rectangle, sin,
  type Vec, vsub,
} from "open-engine";
const ocp = new OptimalControlProblem({ nx: 2, nu: 1, horizon: 10 })
  .addParameter("x0", 2)
  .addParameter("xref", 2, [0, 0])
  .addParameter("q", 1, 1);
ocp
  .withDynamics((x, u) => [sin(x[0]).add(x[1]), x[1].add(u[0])])
  .withStageCost((x, u, p, t) => {
    const e = vsub(x, p.xref);
    const e1: Expr = e[1];
    return p.q.mul(dot(e, e)).add(u[0].mul(u[0])).mul(0.9 ** t).add(e1.mul(0));
  })
  .withTerminalCost((x, p) => dot(vsub(x, p.xref), vsub(x, p.xref)))
  .withPathConstraint((x) => x[1], { kind: "alm", setC: new Rectangle([-1], [Infinity]) })
  .withInputConstraints(new BallInf(1));
// @ts-expect-error u has one entry
ocp.withStageCost((_x, u) => u[1]);
// @ts-expect-error "r" is not declared
ocp.withStageCost((_x, _u, p) => p.r);
const d = new DynamicsDiscretizer((x: Vec<2>, u: Vec<1>) => [x[1], u[0].sub(x[0])], 0.1);
ocp.withDynamics(d.rk4());
ocp.withContinuousDynamics((x, u, p) => [x[1].mul(p.q), u[0]], 0.1, { method: "heun", steps: 2 });
const result = new OcpBuilder(ocp).buildInMemory().solve({ x0: [1, 0] });
const first: number[] | undefined = result.inputs[0];
export { first };
`;

test("OCP callbacks index x, u and parameters without undefined, and reject wrong names", async () => {
  assert.equal(await typecheckStrict(OCP_USAGE), "");
});
