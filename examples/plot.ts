/** Line charts as plain SVG text (no dependencies), for the examples. */

/** One line of a chart. */
export interface Series {
  readonly label: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly color: string;
  /** Dashed (e.g. bounds and references). */
  readonly dashed?: boolean;
}

/** A chart: title, axis labels, lines. */
export interface Chart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Same scale on both axes (for trajectories in the plane). */
  readonly equalAxes?: boolean;
}

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { left: 60, right: 120, top: 36, bottom: 44 };

function extent(values: readonly number[]): [number, number] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}

/** About five round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5;
  const step = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / nice) * nice; v <= hi; v += nice) out.push(Number(v.toPrecision(12)));
  return out;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The chart as a standalone SVG document. */
export function lineChart(chart: Chart): string {
  const w = WIDTH - MARGIN.left - MARGIN.right;
  const h = HEIGHT - MARGIN.top - MARGIN.bottom;
  let [x0, x1] = extent(chart.series.flatMap((s) => s.x));
  let [y0, y1] = extent(chart.series.flatMap((s) => s.y));
  if (chart.equalAxes) {
    // Widen the narrower range so one unit has the same length on both axes.
    const scale = Math.max((x1 - x0) / w, (y1 - y0) / h);
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    [x0, x1] = [cx - (scale * w) / 2, cx + (scale * w) / 2];
    [y0, y1] = [cy - (scale * h) / 2, cy + (scale * h) / 2];
  }
  const px = (v: number) => MARGIN.left + ((v - x0) / (x1 - x0)) * w;
  const py = (v: number) => MARGIN.top + h - ((v - y0) / (y1 - y0)) * h;
  const f = (v: number) => v.toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(chart.title)}</text>`,
  ];
  for (const t of ticks(x0, x1)) {
    parts.push(
      `<line x1="${f(px(t))}" y1="${MARGIN.top}" x2="${f(px(t))}" y2="${MARGIN.top + h}" stroke="#eee"/>`,
      `<text x="${f(px(t))}" y="${MARGIN.top + h + 16}" text-anchor="middle">${t}</text>`,
    );
  }
  for (const t of ticks(y0, y1)) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${f(py(t))}" x2="${MARGIN.left + w}" y2="${f(py(t))}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${f(py(t) + 4)}" text-anchor="end">${t}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${w}" height="${h}" fill="none" stroke="#888"/>`,
    `<text x="${MARGIN.left + w / 2}" y="${HEIGHT - 8}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + h / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((s, k) => {
    const points = s.x.map((v, i) => `${f(px(v))},${f(py(s.y[i] ?? Number.NaN))}`).join(" ");
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : "";
    const ly = MARGIN.top + 14 + 18 * k;
    const lx = MARGIN.left + w + 12;
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 20}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${lx + 26}" y="${ly}">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push("</svg>", "");
  return parts.join("\n");
}
