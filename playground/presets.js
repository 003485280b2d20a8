// The playground's presets: problems written with open-engine's browser API
// as the body of a function that sees every export of the package by name
// and returns { problem, solverConfiguration?, trajectory? }. The page shows
// this text for editing; the worker runs what is in the editor.

/** Rosenbrock over the unit disc: the minimizer lies on the circle. */
const rosenbrock = `// f(u) = (1 - u1)^2 + 100 (u2 - u1^2)^2 over the unit Euclidean ball.
// Its minimizer lies on the circle, at about (0.78641515, 0.61769831).
const u = sym("u", 2);
const cost = add(sq(sub(1, u[0])), mul(100, sq(sub(u[1], sq(u[0])))));
const problem = new Problem(u, [], cost).withConstraints(new Ball2(1));
const solverConfiguration = new SolverConfiguration({ tolerance: 1e-8 });
return { problem, solverConfiguration };
`;

/** The augmented Lagrangian demo of OpEn's TCP protocol. */
const demo = `// The demo of OpEn's TCP protocol: nu = 5, p = (a, b), the Rosenbrock cost
// over Ball2(1.5), F1(u) = (1.5 u1 - u2, sin(u3 + pi/5) - 0.5) in C = {0}.
const u = sym("u", 5);
const p = sym("p", 2);
const F1 = [sub(mul(1.5, u[0]), u[1]), sub(sin(add(u[2], Math.PI / 5)), 0.5)];
const problem = new Problem(u, p, rosenbrock(u, p))
  .withConstraints(new Ball2(1.5))
  .withAugLagrangianConstraints(F1, new Zero(), new BallInf(1e12));
const solverConfiguration = new SolverConfiguration({
  tolerance: 1e-6,
  constraintsTolerance: 1e-5,
  penaltyWeightUpdateFactor: 2,
  maxOuterIterations: 20,
});
return { problem, solverConfiguration };
`;

/** Model predictive control of a kinematic bicycle, by single shooting. */
const mpc = `// Model predictive control of a kinematic bicycle (single shooting):
// state (x, y, theta), inputs (v, delta) at each of N stages, nu = 2N,
// p = (x0, y0, theta0, xref, yref, thetaref). Drag the target in the plane.
const N = 30, T = 0.1, L = 0.5;
const u = sym("u", 2 * N);
const p = sym("p", 6);
let [x, y, theta] = [p[0], p[1], p[2]];
const stateCost = (w) =>
  add(mul(w, add(sq(sub(x, p[3])), sq(sub(y, p[4])))), mul(0.1 * w, sq(sub(theta, p[5]))));
const terms = [];
for (let t = 0; t < N; t++) {
  const [v, delta] = [u[2 * t], u[2 * t + 1]];
  if (t > 0) terms.push(stateCost(1));
  terms.push(mul(0.1, add(sq(v), sq(delta))));
  const Tv = mul(T, v);
  [x, y, theta] = [
    add(x, mul(Tv, cos(theta))),
    add(y, mul(Tv, sin(theta))),
    add(theta, mul(mul(Tv, 1 / L), tan(delta))),
  ];
}
terms.push(stateCost(10));
const bounds = Array.from({ length: N }, () => [[-1, -0.6], [2, 0.6]]);
const problem = new Problem(u, p, sum(terms)).withConstraints(
  new Rectangle(bounds.flatMap((b) => b[0]), bounds.flatMap((b) => b[1])),
);
const solverConfiguration = new SolverConfiguration({ tolerance: 1e-5 });

// The predicted path: the model driven by the solution, from the state in p.
function trajectory(solution, [x0, y0, theta0]) {
  const path = [[x0, y0]];
  let [px, py, pt] = [x0, y0, theta0];
  for (let t = 0; t < N; t++) {
    const Tv = T * solution[2 * t];
    [px, py, pt] = [px + Tv * Math.cos(pt), py + Tv * Math.sin(pt), pt + (Tv / L) * Math.tan(solution[2 * t + 1])];
    path.push([px, py]);
  }
  return path;
}
return { problem, solverConfiguration, trajectory };
`;

/**
 * The presets: `parameter` is the initial p; `kind: "mpc"` shows the plane
 * with a draggable target, whose position is p[3], p[4].
 */
export const PRESETS = [
  { id: "rosenbrock", title: "Rosenbrock on the unit disc", parameter: [], source: rosenbrock },
  { id: "demo", title: "Protocol demo (augmented Lagrangian)", parameter: [1, 10], source: demo },
  {
    id: "mpc",
    title: "MPC of a bicycle: drag the target",
    parameter: [0, 0, 0, 2, 1.5, 0],
    source: mpc,
    kind: "mpc",
  },
];
