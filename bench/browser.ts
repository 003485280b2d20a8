/**
 * `npm run bench:browser`: the size of the browser bundle, and build and
 * solve times of the playground's presets in Node.js and in headless
 * Chromium, measured by the same function on the same bundle, in interleaved
 * rounds (the ratio is the median of the rounds' ratios). Needs Chromium
 * (see playground/chromium.ts).
 */
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { findChromium, launchChromium } from "../playground/chromium.js";
import { startPlaygroundServer } from "../playground/server.js";

const BUNDLE = new URL("../../dist/browser/open-engine.js", import.meta.url);
const ROUNDS = 9;
/** Solves per round and preset: enough for tens of milliseconds each. */
const RUNS: Readonly<Record<string, number>> = { rosenbrock: 2000, demo: 100, mpc: 20 };

interface Sample {
  readonly buildMs: number;
  readonly solveUs: number;
  readonly inner: number;
  readonly exit: string;
}

/**
 * Builds a preset's problem (the playground's source text) with the bundle's
 * exports and times its solves from u = 0. Self-contained: it runs as it is
 * in Node.js and, as text, in the page.
 */
async function measure(
  oe: Record<string, unknown>,
  source: string,
  parameter: number[],
  runs: number,
): Promise<Sample> {
  const entries = Object.entries(oe);
  const made = new Function(...entries.map((e) => e[0]), source)(...entries.map((e) => e[1]));
  // biome-ignore lint/suspicious/noExplicitAny: the bundle's exports, untyped here
  const api = oe as any;
  let t = performance.now();
  const optimizer = new api.OptimizerBuilder(
    made.problem,
    undefined,
    undefined,
    made.solverConfiguration,
  ).buildInMemory();
  const buildMs = performance.now() - t;
  const initialGuess = new Float64Array(optimizer.nu);
  for (let i = 0; i < 3; i++) optimizer.solve(parameter, { initialGuess });
  let r = optimizer.solve(parameter, { initialGuess });
  t = performance.now();
  for (let i = 0; i < runs; i++) r = optimizer.solve(parameter, { initialGuess });
  const solveUs = ((performance.now() - t) * 1000) / runs;
  return { buildMs, solveUs, inner: r.status.numInnerIterations, exit: r.status.exitStatus };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

const code = readFileSync(BUNDLE);
console.log(
  `browser bundle dist/browser/open-engine.js: ${kb(code.length)}, ` +
    `gzip ${kb(gzipSync(code, { level: 9 }).length)}, brotli ${kb(brotliCompressSync(code).length)}`,
);

const executable = findChromium();
if (executable === undefined) {
  console.error("no Chromium found: install Debian's chromium or set OPEN_ENGINE_CHROMIUM");
  process.exit(1);
}
const { PRESETS } = (await import(
  new URL("../../playground/presets.js", import.meta.url).href
)) as { PRESETS: { id: string; parameter: number[]; source: string }[] };
const oe = (await import(BUNDLE.href)) as Record<string, unknown>;
const [browser, server] = await Promise.all([launchChromium(executable), startPlaygroundServer(0)]);
const page = await browser.newPage();
// Any page of the server's origin can import the bundle; this one (a 404) runs nothing else.
await page.goto(new URL("/bench", server.url).href);

const inChromium = (source: string, parameter: number[], runs: number) =>
  page.evaluate(`(async () => {
    const oe = await import("/dist/browser/open-engine.js");
    return (${measure.toString()})(oe, ${JSON.stringify(source)}, ${JSON.stringify(parameter)}, ${runs});
  })()`) as Promise<Sample>;

console.log(
  `${new Date().toISOString()}; ${cpus().length} × ${cpus()[0]?.model ?? "?"}; ` +
    `load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}; Node.js ${process.version}, Chromium ${browser.version()}`,
);
console.log(
  "| preset | Node.js solve µs | Chromium solve µs | ratio | ratio per iteration | inner its (Node/Chromium) | build ms (Node/Chromium) |",
);
console.log("| --- | ---: | ---: | ---: | ---: | --- | --- |");
for (const preset of PRESETS) {
  const runs = RUNS[preset.id] ?? 20;
  const node: Sample[] = [];
  const chromium: Sample[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order so that neither side always runs on a warmer machine.
    if (round % 2 === 0) node.push(await measure(oe, preset.source, preset.parameter, runs));
    chromium.push(await inChromium(preset.source, preset.parameter, runs));
    if (round % 2 === 1) node.push(await measure(oe, preset.source, preset.parameter, runs));
  }
  const ratio = median(node.map((n, i) => (chromium[i]?.solveUs ?? Number.NaN) / n.solveUs));
  // Math functions may differ by an ulp between the two, and so may the iteration counts.
  const perIteration = median(
    node.map((n, i) => {
      const c = chromium[i];
      return c === undefined ? Number.NaN : c.solveUs / c.inner / (n.solveUs / n.inner);
    }),
  );
  const [n, c] = [node[0], chromium[0]] as [Sample, Sample];
  console.log(
    `| ${preset.id} | ${median(node.map((s) => s.solveUs)).toFixed(0)} | ` +
      `${median(chromium.map((s) => s.solveUs)).toFixed(0)} | ${ratio.toFixed(2)} | ${perIteration.toFixed(2)} | ` +
      `${n.inner} (${n.exit}) / ${c.inner} (${c.exit}) | ` +
      `${median(node.map((s) => s.buildMs)).toFixed(1)} / ${median(chromium.map((s) => s.buildMs)).toFixed(1)} |`,
  );
}
await browser.close();
await server.close();
