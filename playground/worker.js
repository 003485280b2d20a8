// The playground's Web Worker: it builds the problem written in the editor
// with open-engine's browser bundle and solves it, so that the page stays
// responsive however long a build or a solve takes.
import * as openEngine from "../dist/browser/open-engine.js";

const EXPORTS = Object.entries(openEngine);
const NAMES = EXPORTS.map(([name]) => name);
const VALUES = EXPORTS.map(([, value]) => value);
/** The largest number of points on the convergence chart. */
const CHART_POINTS = 40;

/** The optimizer of the last source, kept for warm starts and repeated solves. */
let current = null;

/** Runs the editor's text (a function body that sees open-engine's exports). */
function define(source) {
  const made = new Function(...NAMES, `"use strict";\n${source}`)(...VALUES);
  if (made === null || typeof made !== "object" || !(made.problem instanceof openEngine.Problem)) {
    throw new Error(
      "the problem's code must return { problem, solverConfiguration?, trajectory? }",
    );
  }
  return made;
}

/** The optimizer of `source`, built unless it is the last one. */
function prepare(source) {
  if (current?.source === source) return current;
  current = null;
  const start = performance.now();
  const made = define(source);
  const builder = new openEngine.OptimizerBuilder(
    made.problem,
    undefined,
    undefined,
    made.solverConfiguration,
  );
  const optimizer = builder.buildInMemory();
  current = { source, made, optimizer, buildMs: performance.now() - start };
  return current;
}

/** The iteration counts to replay: all of 1..total, or CHART_POINTS of them spread evenly. */
function budgets(total) {
  const n = Math.min(total, CHART_POINTS);
  const ks = new Set();
  for (let i = 1; i <= n; i++) ks.add(Math.max(1, Math.round((i * total) / n)));
  return [...ks];
}

/**
 * The data of the convergence chart, and the only function that knows where
 * it comes from. open-engine's solver reports no per-iteration data yet, so
 * this replays the solve with its iteration budget capped at k, for a spread
 * of k: the solver is deterministic, so a capped solve from the same start
 * stops at the k-th iterate of the full one. It caps outer iterations when
 * the solve took several (constraints F1 or F2), inner ones otherwise. When
 * the solver gains a per-iteration history, read it here instead.
 */
function convergenceHistory(optimizer, parameter, initialGuess, status) {
  const outer = status.numOuterIterations > 1;
  const total = outer ? status.numOuterIterations : status.numInnerIterations;
  const series = [{ name: "fixed-point residual ‖r‖", values: [] }];
  if (optimizer.n1 > 0) series.push({ name: "infeasibility ‖Δy‖/c", values: [] });
  if (optimizer.n2 > 0) series.push({ name: "penalty constraints ‖F2‖", values: [] });
  const iterations = [];
  for (const k of budgets(total)) {
    const cap = outer ? { maxOuterIterations: k } : { maxInnerIterations: k };
    const replay = new openEngine.ParametricOptimizer(
      optimizer.problem,
      optimizer.configuration.with(cap),
    );
    const r = replay.solve(parameter, { initialGuess });
    if (!r.ok) break;
    iterations.push(k);
    const s = r.status;
    series[0].values.push(s.lastProblemNormFpr);
    let i = 1;
    if (optimizer.n1 > 0) series[i++].values.push(s.deltaYNormOverC);
    if (optimizer.n2 > 0) series[i].values.push(s.f2Norm);
  }
  return { axis: outer ? "outer iteration" : "inner iteration", iterations, series };
}

function solve({ source, parameter, warmStart, history }) {
  const entry = prepare(source);
  const { optimizer, made } = entry;
  // A warm start begins at the previous solution, as OpEn's server does.
  const initialGuess =
    warmStart && entry.last !== undefined ? entry.last : new Float64Array(optimizer.nu);
  const result = optimizer.solve(parameter, { initialGuess });
  if (!result.ok) {
    return { ok: false, error: `error ${result.error.code}: ${result.error.message}` };
  }
  const status = result.status;
  entry.last = Float64Array.from(status.solution);
  return {
    ok: true,
    buildMs: entry.buildMs,
    status: {
      ...status,
      solution: Array.from(status.solution),
      lagrangeMultipliers: Array.from(status.lagrangeMultipliers),
    },
    trajectory:
      typeof made.trajectory === "function" ? made.trajectory(status.solution, parameter) : null,
    history: history ? convergenceHistory(optimizer, parameter, initialGuess, status) : null,
  };
}

self.onmessage = ({ data }) => {
  let reply;
  try {
    reply = solve(data);
  } catch (e) {
    current = null;
    reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  self.postMessage({ id: data.id, ...reply });
};
