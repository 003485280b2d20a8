/**
 * Model predictive control of a kinematic bicycle (see `bicycleMpcProblem`
 * in problems.ts): the optimizer is built once, then solved at every step of
 * a closed-loop simulation, each solve warm-started from the previous one.
 * Writes an SVG plot (plain SVG, no dependency) of the path driven and the
 * first predicted path, and prints the inner iterations per solve.
 *
 *     npm run example -- mpc [output.svg]
 */
import { writeFileSync } from "node:fs";
import { OptimizerBuilder, SolverConfiguration } from "open-engine";
import { lineChart } from "./plot.js";
import { bicycleMpcProblem } from "./problems.js";

const horizon = 30;
const samplingTime = 0.1;
const wheelbase = 0.5;
const steps = 60;
const reference = [2, 1.5, 0]; // x, y, heading to reach

const optimizer = new OptimizerBuilder(
  bicycleMpcProblem({ horizon, samplingTime, wheelbase }),
  undefined,
  undefined,
  new SolverConfiguration({ tolerance: 1e-5 }),
).buildInMemory();

/** One step of the model, as in the problem's dynamics. */
function advance([x, y, theta]: number[], v: number, delta: number): number[] {
  const Tv = samplingTime * v;
  return [
    x + Tv * Math.cos(theta),
    y + Tv * Math.sin(theta),
    theta + (Tv / wheelbase) * Math.tan(delta),
  ];
}

let state = [0, 0, 0];
const driven: number[][] = [state];
const iterations: number[] = [];
let predicted: number[][] = [];
for (let k = 0; k < steps; k++) {
  const result = optimizer.solve([...state, ...reference]);
  if (!result.ok) throw result.error;
  const u = result.status.solution;
  if (k === 0) {
    predicted = [state];
    for (let t = 0; t < horizon; t++) {
      predicted.push(advance(predicted[t], u[2 * t], u[2 * t + 1]));
    }
  }
  iterations.push(result.status.numInnerIterations);
  state = advance(state, u[0], u[1]);
  driven.push(state);
}

const distance = Math.hypot(state[0] - reference[0], state[1] - reference[1]);
console.log(
  `after ${steps} steps of ${samplingTime} s: x = ${state[0].toFixed(3)}, y = ${state[1].toFixed(3)}, ` +
    `heading = ${state[2].toFixed(3)} rad (${distance.toFixed(3)} m from the reference); ` +
    `inner iterations per solve: first ${iterations[0]}, median ${[...iterations].sort((a, b) => a - b)[steps >> 1]}`,
);

const column = (rows: number[][], i: number) => rows.map((r) => r[i] ?? Number.NaN);
const svg = lineChart({
  title: "Bicycle MPC: path driven and first prediction",
  xLabel: "x [m]",
  yLabel: "y [m]",
  equalAxes: true,
  series: [
    { label: "driven", x: column(driven, 0), y: column(driven, 1), color: "#1f77b4" },
    {
      label: "first prediction",
      x: column(predicted, 0),
      y: column(predicted, 1),
      color: "#ff7f0e",
      dashed: true,
    },
    // A small cross at the reference position.
    {
      label: "reference",
      x: [reference[0] - 0.05, reference[0] + 0.05, reference[0], reference[0], reference[0]],
      y: [reference[1], reference[1], reference[1], reference[1] + 0.05, reference[1] - 0.05],
      color: "#d62728",
    },
  ],
});

const output = process.argv[2] ?? "mpc.svg";
writeFileSync(output, svg);
console.log(`wrote ${output}`);
