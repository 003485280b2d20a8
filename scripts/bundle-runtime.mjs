// Bundles the runtime of built optimizer folders into dist/runtime/: the
// folder runtime (src/cli/folder.ts) and the two worker threads it starts,
// with their dependencies, as plain ES modules that need nothing but Node.js.
// Run after tsc (`npm run build`); OptimizerBuilder.build() copies the result.
import { readdirSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { build } from "esbuild";

const root = new URL("../", import.meta.url);
const outdir = new URL("dist/runtime/", root).pathname;
const { version } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));

// The bundle has no package.json beside it: its version is written in.
const versionPlugin = {
  name: "version",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
      contents: `export const VERSION = ${JSON.stringify(version)};\n`,
      loader: "ts",
    }));
  },
};

await rm(outdir, { recursive: true, force: true });
const { metafile } = await build({
  metafile: true,
  absWorkingDir: new URL(".", root).pathname,
  // The names matter: the code finds its workers as ./worker.js and ./solveWorker.js.
  entryPoints: {
    runtime: "src/cli/folder.ts",
    worker: "src/tcp/worker.ts",
    solveWorker: "src/problem/solveWorker.ts",
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: "none",
  chunkNames: "chunk-[hash]",
  // Bundled CommonJS dependencies (commander) call require() for Node's built-in modules.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  plugins: [versionPlugin],
  logLevel: "warning",
});

// The bundle carries code of npm packages: their licences travel with it.
const packages = new Set();
for (const input of Object.keys(metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m !== null) packages.add(m[1]);
}
const notices = [...packages].sort().map((name) => {
  const dir = new URL(`node_modules/${name}/`, root);
  const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8"));
  const text =
    file === undefined ? `License: ${pkg.license}` : readFileSync(new URL(file, dir), "utf8");
  return `${name} ${pkg.version}\n\n${text.trim()}\n`;
});
const header =
  "The runtime in this folder bundles open-engine (MIT OR Apache-2.0) and these packages:\n\n";
await writeFile(
  new URL("THIRD_PARTY_LICENSES.txt", `file://${outdir}`),
  header + notices.join(`\n${"-".repeat(72)}\n\n`),
);
