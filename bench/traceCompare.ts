/**
 * Developer script (not a test, not shipped): compares our evaluation
 * sequence with one of OpEn's iterate traces, for the PANOC cases
 * (rosenbrock100, rosenbrock200) and the ALM cases (penalty, penaltyRho10,
 * demoDefaults, demoAlm).
 *
 *     node dist/bench/traceCompare.js TRACE.json [--all]
 *
 * Prints the first gradient evaluation whose point differs from OpEn's by
 * more than 1e-4 (relative), the largest deviation before it, and both
 * final results.
 */
import { readFileSync } from "node:fs";
import { almDemoProblem, penaltyProblem, rosenbrock2d } from "../examples/lowlevel.js";
import {
  type AlmProblem,
  ParametricOptimizer,
  SolverConfiguration,
  type SolverSettings,
} from "../src/solver/index.js";

type Evaluation = [string, number[], ...unknown[]];

interface Trace {
  readonly case: string;
  readonly settings: Record<string, unknown>;
  readonly final: Record<string, unknown>;
  readonly evaluations: { readonly list: Evaluation[] };
}

function settingsOf(trace: Trace): Partial<SolverSettings> {
  const s = trace.settings as Record<string, number & { alpha: number }>;
  if (trace.case.startsWith("rosenbrock")) {
    return {
      tolerance: s.tolerance,
      lbfgsMemory: s.lbfgsMemory,
      maxInnerIterations: s.maxIterations,
    };
  }
  const out: Record<string, unknown> = {};
  for (const key of [
    "tolerance",
    "initialTolerance",
    "innerToleranceUpdateFactor",
    "constraintsTolerance",
    "lbfgsMemory",
    "maxInnerIterations",
    "maxOuterIterations",
    "penaltyWeightUpdateFactor",
    "initialPenalty",
    "sufficientDecreaseCoefficient",
  ]) {
    out[key] = s[key];
  }
  return out as Partial<SolverSettings>;
}

function problemOf(name: string): { problem: AlmProblem; p: number[]; u0: number[] } {
  if (name === "rosenbrock100") return { problem: rosenbrock2d(100), p: [], u0: [-1.5, 0.9] };
  if (name === "rosenbrock200") return { problem: rosenbrock2d(200), p: [], u0: [-1.5, 0.9] };
  const zeros = [0, 0, 0, 0, 0];
  if (name.startsWith("penalty")) return { problem: penaltyProblem(), p: [1, 10], u0: zeros };
  return { problem: almDemoProblem(), p: [1, 10], u0: zeros };
}

/** Wraps the problem's gradient so that every gradient point is logged. */
function logging(problem: AlmProblem, log: number[][]): AlmProblem {
  return {
    ...problem,
    gradient: (u, p, out) => {
      log.push(Array.from(u));
      problem.gradient(u, p, out);
    },
  };
}

function deviation(a: number[], b: number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  }
  return m;
}

const path = process.argv[2];
if (path === undefined) {
  console.error("usage: node dist/bench/traceCompare.js TRACE.json [--all]");
  process.exit(2);
}
const trace = JSON.parse(readFileSync(path, "utf8")) as Trace;
const theirs = trace.evaluations.list
  .filter((e) => e[0] === "g" || e[0] === "grad")
  .map((e) => e[1]);
const ours: number[][] = [];
const { problem, p, u0 } = problemOf(trace.case);
const optimizer = new ParametricOptimizer(
  logging(problem, ours),
  new SolverConfiguration(settingsOf(trace)),
);
const result = optimizer.solve(p, { initialGuess: u0 });
const all = process.argv.includes("--all");
let maxDev = 0;
let first = -1;
const n = Math.min(ours.length, theirs.length);
for (let k = 0; k < n; k++) {
  const d = deviation(ours[k], theirs[k]);
  if (all) console.log(k, d.toExponential(2), JSON.stringify(ours[k]), JSON.stringify(theirs[k]));
  if (d > 1e-4) {
    first = k;
    break;
  }
  maxDev = Math.max(maxDev, d);
}
console.log(`${trace.case}: gradient evaluations ours ${ours.length}, OpEn ${theirs.length}`);
console.log(
  first < 0
    ? `no divergence over the first ${n} (max relative deviation ${maxDev.toExponential(2)})`
    : `first divergence at gradient evaluation ${first}: ours ${JSON.stringify(ours[first])}, OpEn ${JSON.stringify(theirs[first])}; max deviation before it ${maxDev.toExponential(2)}`,
);
console.log("OpEn:", JSON.stringify(trace.final));
if (result.ok) {
  const s = result.status;
  console.log(
    "ours:",
    JSON.stringify({
      outer: s.numOuterIterations,
      inner: s.numInnerIterations,
      status: s.exitStatus,
      u: Array.from(s.solution),
      y: Array.from(s.lagrangeMultipliers),
      penalty: s.penalty,
      cost: s.cost,
    }),
  );
} else console.log("ours: error", result.error.message);
