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
 * The data of the convergence chart, and the only code that knows where it
 * comes from. `hooks` are solve options that record the solver's reports at
 * each iteration (`onInnerIteration`, `onOuterIteration`); `history()` turns
 * them into the chart's series after the solve. A solver that reports
 * nothing leaves them empty: `history()` then replays the solve with its
 * iteration budget capped at k, for a spread of k (the solver is
 * deterministic, so a capped solve from the same start stops at the k-th
 * iterate of the full one).
 */
function convergenceHistory() {
  const inner = [];
  const outer = [];
  const hooks = {
    onInnerIteration: (info) => inner.push({ k: info.iteration, fpr: info.fpr, dy: 0, f2: 0 }),
    onOuterIteration: (info) =>
      outer.push({
        k: info.iteration,
        fpr: info.residual,
        dy: info.deltaYNormOverC,
        f2: info.f2Norm,
      }),
  };
  function replay(optimizer, parameter, initialGuess, byOuter, total) {
    const rows = [];
    for (const k of budgets(total)) {
      const cap = byOuter ? { maxOuterIterations: k } : { maxInnerIterations: k };
      const capped = new openEngine.ParametricOptimizer(
        optimizer.problem,
        optimizer.configuration.with(cap),
      );
      const r = capped.solve(parameter, { initialGuess });
      if (!r.ok) break;
      const s = r.status;
      rows.push({ k, fpr: s.lastProblemNormFpr, dy: s.deltaYNormOverC, f2: s.f2Norm });
    }
    return rows;
  }
  function history(optimizer, parameter, initialGuess, status) {
    const byOuter = status.numOuterIterations > 1;
    const reported = byOuter ? outer : inner;
    const rows =
      reported.length > 0
        ? reported
        : replay(
            optimizer,
            parameter,
            initialGuess,
            byOuter,
            byOuter ? status.numOuterIterations : status.numInnerIterations,
          );
    const series = [{ name: "fixed-point residual ‖r‖", values: rows.map((r) => r.fpr) }];
    if (optimizer.n1 > 0) {
      series.push({ name: "infeasibility ‖Δy‖/c", values: rows.map((r) => r.dy) });
    }
    if (optimizer.n2 > 0) {
      series.push({ name: "penalty constraints ‖F2‖", values: rows.map((r) => r.f2) });
    }
    return {
      axis: byOuter ? "outer iteration" : "inner iteration",
      iterations: rows.map((r) => r.k),
      series,
      replayed: reported.length === 0,
    };
  }
  return { hooks, history };
}

/** The status as a message can carry it: arrays for typed arrays, no functions (such as toJSON). */
function cloneable(status) {
  const out = {};
  for (const [key, value] of Object.entries(status)) {
    if (typeof value !== "function")
      out[key] = ArrayBuffer.isView(value) ? Array.from(value) : value;
  }
  return out;
}

function solve({ source, parameter, warmStart, history }) {
  const entry = prepare(source);
  const { optimizer, made } = entry;
  // A warm start begins at the previous solution, as OpEn's server does.
  const initialGuess =
    warmStart && entry.last !== undefined ? entry.last : new Float64Array(optimizer.nu);
  const chart = history ? convergenceHistory() : null;
  const result = optimizer.solve(parameter, { initialGuess, ...chart?.hooks });
  if (!result.ok) {
    return { ok: false, error: `error ${result.error.code}: ${result.error.message}` };
  }
  const status = result.status;
  entry.last = Float64Array.from(status.solution);
  return {
    ok: true,
    buildMs: entry.buildMs,
    status: cloneable(status),
    trajectory:
      typeof made.trajectory === "function" ? made.trajectory(status.solution, parameter) : null,
    history: chart?.history(optimizer, parameter, initialGuess, status) ?? null,
  };
}

self.onmessage = ({ data }) => {
  let reply;
  try {
    reply = solve(data);
  } catch (e) {
    current = null;
    reply = { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  self.postMessage({ id: data.id, ...reply });
};
