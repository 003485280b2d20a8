/**
 * Closed-loop model predictive control of a kinematic bicycle with the OCP
 * front end: at every sampling instant the optimizer solves the horizon-50
 * problem of ocpBicycle.ts from the measured state (warm-started from the
 * previous solution), the first input is applied to the plant (simulated
 * with RK4 on ten sub-steps), and the loop repeats. The car parks at
 * (2, 1, 0) from rest at the origin while a wall keeps y <= 0.8 (so it
 * stops below the reference).
 *
 * Run: `node dist/examples/ocpMpc.js [output directory]` (default build/ocp_mpc).
 * It writes trajectory.svg, states.svg, inputs.svg and convergence.svg (the
 * first solve's residual, constraint violation and penalty per outer
 * iteration) there.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { OcpBuilder, type OuterIterationInfo, SolverConfiguration } from "open-engine";
import { bicycleNumeric, bicycleOcp, SAMPLING_TIME } from "./ocpBicycle.js";
import { lineChart } from "./plot.js";

const STEPS = 80;
const REFERENCE = [2, 1, 0];
const WALL = 0.8;

/** One sampling time of the plant: RK4 on `substeps` steps, the input held. */
function plant(z: number[], u: number[], substeps = 10): number[] {
  const h = SAMPLING_TIME / substeps;
  let x = z;
  const along = (a: number[], k: number[], s: number) => a.map((v, i) => v + s * (k[i] ?? 0));
  for (let s = 0; s < substeps; s++) {
    const k1 = bicycleNumeric(x, u);
    const k2 = bicycleNumeric(along(x, k1, h / 2), u);
    const k3 = bicycleNumeric(along(x, k2, h / 2), u);
    const k4 = bicycleNumeric(along(x, k3, h), u);
    x = x.map(
      (v, i) => v + (h / 6) * ((k1[i] ?? 0) + 2 * (k2[i] ?? 0) + 2 * (k3[i] ?? 0) + (k4[i] ?? 0)),
    );
  }
  return x;
}

const optimizer = new OcpBuilder(
  bicycleOcp({ shooting: "single", horizon: 50, method: "euler" }),
  undefined,
  undefined,
  new SolverConfiguration({ tolerance: 1e-4, maxInnerIterations: 1000, maxOuterIterations: 30 }),
).buildInMemory();

const time: number[] = [];
const states: number[][] = [];
const inputs: number[][] = [];
const solveTimes: number[] = [];
const notConverged: number[] = [];
const history: OuterIterationInfo[] = [];
let z = [0, 0, 0];
for (let k = 0; k < STEPS; k++) {
  // Without an initial guess the optimizer starts from its previous solution.
  // The first (cold) solve also records its convergence history.
  const hooks =
    k === 0 ? { onOuterIteration: (info: OuterIterationInfo) => history.push(info) } : {};
  const result = optimizer.solve({ x0: z, xref: REFERENCE, ymax: WALL }, hooks);
  if (result.exitStatus !== "Converged") notConverged.push(k);
  const u = result.inputs[0] ?? [0, 0];
  time.push(k * SAMPLING_TIME);
  states.push(z);
  inputs.push(u);
  solveTimes.push(result.solveTimeMs);
  z = plant(z, u);
}
time.push(STEPS * SAMPLING_TIME);
states.push(z);

const directory = resolve(process.argv[2] ?? "build/ocp_mpc");
await mkdir(directory, { recursive: true });
const column = (rows: number[][], i: number) => rows.map((r) => r[i] ?? Number.NaN);
const ends = [0, STEPS * SAMPLING_TIME];
await Promise.all([
  writeFile(
    join(directory, "trajectory.svg"),
    lineChart({
      title: "Bicycle MPC: path in the plane",
      xLabel: "x [m]",
      yLabel: "y [m]",
      equalAxes: true,
      series: [
        { label: "path", x: column(states, 0), y: column(states, 1), color: "#1f77b4" },
        { label: "wall", x: [-0.2, 2.4], y: [WALL, WALL], color: "#d62728", dashed: true },
        // A small cross at the reference position.
        { label: "target", x: [1.95, 2.05, 2, 2, 2], y: [1, 1, 1, 1.05, 0.95], color: "#2ca02c" },
      ],
    }),
  ),
  writeFile(
    join(directory, "convergence.svg"),
    lineChart({
      title: "First solve: convergence per outer iteration",
      xLabel: "outer iteration",
      yLabel: "log10",
      series: [
        {
          label: "fpr ||u - u_bar||",
          x: history.map((h) => h.iteration),
          y: history.map((h) => Math.log10(h.residual)),
          color: "#1f77b4",
        },
        {
          label: "dist_C(F1)",
          x: history.map((h) => h.iteration),
          y: history.map((h) => Math.log10(Math.max(h.f1Infeasibility, 1e-16))),
          color: "#d62728",
        },
        {
          label: "penalty c",
          x: history.map((h) => h.iteration),
          y: history.map((h) => Math.log10(h.penalty)),
          color: "#2ca02c",
        },
      ],
    }),
  ),
  writeFile(
    join(directory, "states.svg"),
    lineChart({
      title: "Bicycle MPC: states",
      xLabel: "time [s]",
      yLabel: "state",
      series: [
        { label: "x [m]", x: time, y: column(states, 0), color: "#1f77b4" },
        { label: "y [m]", x: time, y: column(states, 1), color: "#ff7f0e" },
        { label: "theta [rad]", x: time, y: column(states, 2), color: "#2ca02c" },
        { label: "wall y", x: ends, y: [WALL, WALL], color: "#d62728", dashed: true },
      ],
    }),
  ),
  writeFile(
    join(directory, "inputs.svg"),
    lineChart({
      title: "Bicycle MPC: inputs (bounds dashed)",
      xLabel: "time [s]",
      yLabel: "input",
      series: [
        { label: "v [m/s]", x: time.slice(0, STEPS), y: column(inputs, 0), color: "#1f77b4" },
        { label: "delta [rad]", x: time.slice(0, STEPS), y: column(inputs, 1), color: "#ff7f0e" },
        { label: "delta max", x: ends, y: [0.6, 0.6], color: "#ff7f0e", dashed: true },
        { label: "delta min", x: ends, y: [-0.6, -0.6], color: "#ff7f0e", dashed: true },
      ],
    }),
  ),
]);

const sorted = solveTimes.slice().sort((a, b) => a - b);
console.log(`final state (x, y, theta): ${z.map((v) => v.toFixed(3)).join(", ")}`);
console.log(`highest y: ${Math.max(...column(states, 1)).toFixed(3)} (wall at ${WALL})`);
console.log(
  `solve time per step: median ${sorted[Math.floor(STEPS / 2)]?.toFixed(2)} ms, max ${sorted[STEPS - 1]?.toFixed(2)} ms`,
);
if (notConverged.length > 0) console.log(`not converged at steps ${notConverged.join(", ")}`);
console.log(`plots written to ${directory}`);
