/**
 * Model predictive control of a kinematic bicycle (see `bicycleMpcProblem`
 * in problems.ts): the optimizer is built once, then solved at every step of
 * a closed-loop simulation, each solve warm-started from the previous one.
 * Writes an SVG plot (plain SVG, no dependency) of the path driven, the
 * first predicted path, and the inner iterations of every solve.
 *
 *     npm run example -- mpc [output.svg]
 */
import { writeFileSync } from "node:fs";
import { OptimizerBuilder, SolverConfiguration } from "open-engine";
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

// --- the plot ---------------------------------------------------------------

const width = 420;
const height = 320;
const margin = 40;

/** A polyline scaled into a panel at (left, 0) of the plot. */
function panel(
  left: number,
  title: string,
  series: { points: number[][]; style: string }[],
  labels: [string, string],
): string {
  const all = series.flatMap((s) => s.points);
  const [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  const [y0, y1] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  const sx = (x: number) => left + margin + ((x - x0) / (x1 - x0 || 1)) * (width - 2 * margin);
  const sy = (y: number) => height - margin - ((y - y0) / (y1 - y0 || 1)) * (height - 2 * margin);
  const lines = series.map(
    (s) =>
      `<polyline fill="none" ${s.style} points="${s.points.map((p) => `${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(" ")}"/>`,
  );
  const text = (x: number, y: number, t: string, anchor = "middle") =>
    `<text x="${x}" y="${y}" text-anchor="${anchor}" font-size="12">${t}</text>`;
  return [
    `<rect x="${left + margin}" y="${margin}" width="${width - 2 * margin}" height="${height - 2 * margin}" fill="none" stroke="#bbb"/>`,
    ...lines,
    text(left + width / 2, margin - 12, title),
    text(left + width / 2, height - 10, labels[0]),
    text(left + 12, height / 2, labels[1], "start"),
    text(left + margin, height - margin + 14, x0.toFixed(2)),
    text(left + width - margin, height - margin + 14, x1.toFixed(2)),
    text(left + margin - 4, height - margin, y0.toFixed(2), "end"),
    text(left + margin - 4, margin + 4, y1.toFixed(2), "end"),
  ].join("\n");
}

const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * width}" height="${height}" font-family="sans-serif">`,
  '<rect width="100%" height="100%" fill="white"/>',
  panel(
    0,
    "path: driven (blue), first prediction (orange)",
    [
      { points: driven, style: 'stroke="#1f77b4" stroke-width="2"' },
      { points: predicted, style: 'stroke="#ff7f0e" stroke-dasharray="5,4"' },
      {
        points: [reference, reference],
        style: 'stroke="red" stroke-width="8" stroke-linecap="round"',
      },
    ],
    ["x (m)", "y (m)"],
  ),
  panel(
    width,
    "inner iterations per solve",
    [{ points: iterations.map((n, k) => [k, n]), style: 'stroke="#2ca02c" stroke-width="2"' }],
    ["MPC step", "iterations"],
  ),
  "</svg>",
  "",
].join("\n");

const output = process.argv[2] ?? "mpc.svg";
writeFileSync(output, svg);
console.log(`wrote ${output}`);
