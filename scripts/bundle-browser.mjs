// Bundles the browser entry (src/browser.ts: symbolic layer, in-memory
// builder, solvers, sets) into one ES module, dist/browser/open-engine.js,
// for a <script type="module">, a Web Worker or a CDN. Bundlers that read the
// package's `exports` use dist/src/browser.js instead. Run after tsc
// (`npm run build`). esbuild fails here if a Node.js built-in sneaks in.
import { writeFile } from "node:fs/promises";
import { build } from "esbuild";

const root = new URL("../", import.meta.url);
const outfile = new URL("dist/browser/open-engine.js", root).pathname;

const { metafile } = await build({
  absWorkingDir: new URL(".", root).pathname,
  entryPoints: ["src/browser.ts"],
  outfile,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: true,
  metafile: true,
  legalComments: "none",
  banner: { js: "// open-engine (MIT OR Apache-2.0): the browser bundle" },
  logLevel: "warning",
});
await writeFile(new URL("dist/browser/meta.json", root), JSON.stringify(metafile));
