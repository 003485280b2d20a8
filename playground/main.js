// The playground page: presets and the editor, requests to the solver
// worker (at most one in flight; while one runs, only the latest new request
// waits), and the drawings: convergence chart and the MPC plane.
import { PRESETS } from "./presets.js";

const SVG = "http://www.w3.org/2000/svg";
const COLOURS = ["#2563eb", "#dc2626", "#16a34a"];
const $ = (id) => document.getElementById(id);

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
let preset = PRESETS[0];
let nextId = 0;
let inFlight = null;
let queued = null;

function svgElement(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function setState(state) {
  document.body.dataset.state = state;
}

// --- requests ----------------------------------------------------------------

function readParameter() {
  let value;
  try {
    value = JSON.parse($("parameter").value || "[]");
  } catch {}
  if (!Array.isArray(value) || value.some((v) => typeof v !== "number")) {
    throw new Error("the parameter must be a JSON array of numbers, such as [1, 10]");
  }
  return value;
}

/** Asks for a solve of the editor's problem; `history` also asks for the chart's data. */
function request(history) {
  let parameter;
  try {
    parameter = readParameter();
  } catch (e) {
    showError(e.message);
    return;
  }
  const job = { source: $("source").value, parameter, warmStart: $("warm").checked, history };
  if (inFlight !== null) {
    queued = job;
    return;
  }
  send(job);
}

function send(job) {
  inFlight = { ...job, id: nextId++, started: performance.now() };
  setState("solving");
  $("elapsed").textContent = "0";
  $("busy").hidden = false;
  requestAnimationFrame(tick);
  worker.postMessage(inFlight);
}

/** The elapsed time while solving: it keeps counting because the page is never blocked. */
function tick() {
  if (inFlight === null) return;
  $("elapsed").textContent = String(Math.round(performance.now() - inFlight.started));
  requestAnimationFrame(tick);
}

worker.onmessage = ({ data }) => {
  const job = inFlight;
  inFlight = null;
  $("busy").hidden = true;
  document.body.dataset.solves = String(Number(document.body.dataset.solves) + 1);
  if (data.ok) showResult(data, job);
  else showError(data.error);
  if (queued !== null) {
    const next = queued;
    queued = null;
    send(next);
  }
};

worker.onerror = (event) => {
  inFlight = null;
  queued = null;
  $("busy").hidden = true;
  showError(`the solver worker failed: ${event.message ?? "it could not start"}`);
};

// --- results -----------------------------------------------------------------

function showError(message) {
  $("status").textContent = message;
  $("solution").textContent = "–";
  $("solution").dataset.values = "[]";
  $("details").textContent = "";
  setState("error");
}

function showResult({ status, buildMs, trajectory, history }, job) {
  $("status").textContent = status.exitStatus;
  const u = status.solution;
  const shown = u.slice(0, 12).map((v) => v.toPrecision(8));
  $("solution").textContent =
    `(${shown.join(", ")}${u.length > 12 ? `, … ${u.length} in all` : ""})`;
  $("solution").dataset.values = JSON.stringify(u);
  $("details").textContent =
    `${status.numOuterIterations} outer and ${status.numInnerIterations} inner iterations, ` +
    `cost ${status.cost.toPrecision(6)}, solved in ${status.solveTimeMs.toFixed(2)} ms ` +
    `(built in ${buildMs.toFixed(1)} ms)`;
  if (history !== null) drawChart(history);
  if (trajectory !== null) drawPath(trajectory);
  setState(queued === null ? "done" : "solving");
  document.body.dataset.parameter = JSON.stringify(job.parameter);
}

// --- the convergence chart ---------------------------------------------------

function drawChart({ axis, iterations, series, replayed }) {
  const chart = $("chart");
  chart.replaceChildren();
  const [W, H, left, right, top, bottom] = [480, 260, 50, 12, 12, 60];
  const values = series.flatMap((s) => s.values).filter((v) => v > 0 && Number.isFinite(v));
  if (iterations.length === 0 || values.length === 0) {
    $("chart-caption").textContent = "Convergence: nothing to draw (no positive residuals).";
    return;
  }
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values))));
  const xMax = Math.max(...iterations, 1);
  const sx = (k) => left + (k / xMax) * (W - left - right);
  const sy = (v) => top + ((hi - Math.log10(v)) / (hi - lo)) * (H - top - bottom);
  const step = Math.ceil((hi - lo) / 8);
  for (let e = lo; e <= hi; e += step) {
    chart.append(
      svgElement("line", {
        class: "gridline",
        x1: left,
        x2: W - right,
        y1: sy(10 ** e),
        y2: sy(10 ** e),
      }),
      svgElement("text", { x: left - 6, y: sy(10 ** e) + 4, "text-anchor": "end" }, `1e${e}`),
    );
  }
  chart.append(
    svgElement("line", { class: "axis", x1: left, x2: left, y1: top, y2: H - bottom }),
    svgElement("line", { class: "axis", x1: left, x2: W - right, y1: H - bottom, y2: H - bottom }),
    svgElement("text", { x: left, y: H - bottom + 14 }, "0"),
    svgElement("text", { x: W - right, y: H - bottom + 14, "text-anchor": "end" }, String(xMax)),
    svgElement("text", { x: (W + left) / 2, y: H - bottom + 14, "text-anchor": "middle" }, axis),
  );
  series.forEach((s, i) => {
    const points = s.values
      .map((v, j) => (v > 0 && Number.isFinite(v) ? `${sx(iterations[j])},${sy(v)}` : null))
      .filter((p) => p !== null);
    const colour = COLOURS[i % COLOURS.length];
    chart.append(
      svgElement("polyline", {
        points: points.join(" "),
        fill: "none",
        stroke: colour,
        "stroke-width": 2,
      }),
      svgElement("rect", { x: left + 10, y: H - 36 + i * 14, width: 10, height: 10, fill: colour }),
      svgElement("text", { x: left + 26, y: H - 27 + i * 14 }, s.name),
    );
  });
  const how = replayed ? "replayed with capped iteration budgets" : "as the solver reported it";
  $("chart-caption").textContent = `Convergence (log scale) over ${xMax} ${axis}s, ${how}.`;
}

// --- the MPC plane -----------------------------------------------------------

/** World (metres) to plane coordinates: x in [-1, 4], y in [-1.75, 2]. */
const SCALE = 96;
const toPlane = ([x, y]) => [(x + 1) * SCALE, (2 - y) * SCALE];
const toWorld = ([px, py]) => [px / SCALE - 1, 2 - py / SCALE];

function drawGrid() {
  const grid = $("grid");
  for (let x = -1; x <= 4; x++) {
    const [px] = toPlane([x, 0]);
    grid.append(
      svgElement("line", { class: x === 0 ? "axis" : "gridline", x1: px, x2: px, y1: 0, y2: 360 }),
    );
  }
  for (let y = -1; y <= 2; y++) {
    const [, py] = toPlane([0, y]);
    grid.append(
      svgElement("line", { class: y === 0 ? "axis" : "gridline", x1: 0, x2: 480, y1: py, y2: py }),
    );
  }
}

function drawPath(points) {
  $("path").setAttribute("points", points.map((p) => toPlane(p).join(",")).join(" "));
}

function placeTarget([x, y]) {
  const [px, py] = toPlane([x, y]);
  $("target").setAttribute("cx", String(px));
  $("target").setAttribute("cy", String(py));
}

/** Moves the target to (x, y) in metres: the parameter's p[3], p[4]. */
function moveTarget(x, y, history) {
  const p = readParameter();
  p[3] = Math.round(x * 1000) / 1000;
  p[4] = Math.round(y * 1000) / 1000;
  $("parameter").value = JSON.stringify(p);
  placeTarget([p[3], p[4]]);
  request(history);
}

function setUpPlane() {
  drawGrid();
  const [cx, cy] = toPlane([0, 0]);
  $("car").setAttribute("cx", String(cx));
  $("car").setAttribute("cy", String(cy));
  const target = $("target");
  const plane = $("plane");
  const world = (event) => {
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(
      plane.getScreenCTM().inverse(),
    );
    return toWorld([Math.min(480, Math.max(0, point.x)), Math.min(360, Math.max(0, point.y))]);
  };
  target.addEventListener("pointerdown", (event) => {
    target.setPointerCapture(event.pointerId);
  });
  target.addEventListener("pointermove", (event) => {
    if (target.hasPointerCapture(event.pointerId)) moveTarget(...world(event), false);
  });
  target.addEventListener("pointerup", (event) => {
    target.releasePointerCapture(event.pointerId);
    moveTarget(...world(event), true);
  });
  target.addEventListener("keydown", (event) => {
    const step = {
      ArrowLeft: [-0.1, 0],
      ArrowRight: [0.1, 0],
      ArrowUp: [0, 0.1],
      ArrowDown: [0, -0.1],
    }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const p = readParameter();
    moveTarget(p[3] + step[0], p[4] + step[1], true);
  });
}

// --- presets -----------------------------------------------------------------

function choose(id) {
  preset = PRESETS.find((p) => p.id === id) ?? PRESETS[0];
  $("preset").value = preset.id;
  $("source").value = preset.source;
  $("parameter").value = JSON.stringify(preset.parameter);
  $("warm").checked = preset.kind === "mpc";
  $("plane-figure").hidden = preset.kind !== "mpc";
  $("path").setAttribute("points", "");
  if (preset.kind === "mpc") placeTarget([preset.parameter[3], preset.parameter[4]]);
  request(true);
}

for (const p of PRESETS) $("preset").append(new Option(p.title, p.id));
$("preset").addEventListener("change", (event) => choose(event.target.value));
$("solve").addEventListener("click", () => request(true));
setUpPlane();
choose(new URLSearchParams(location.search).get("preset") ?? PRESETS[0].id);
