import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { runNode } from "../tcp/helpers.js";

const example = (name: string): string =>
  fileURLToPath(new URL(`../../examples/${name}.js`, import.meta.url));

describe("examples run as scripts", () => {
  it("demo: solve and solveAsync print the same solution", async () => {
    const r = await runNode([example("demo")]).exited;
    assert.equal(r.code, 0, r.stderr);
    const [sync, async] = r.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line.slice(line.indexOf("{"))));
    assert.equal(sync.exitStatus, "Converged");
    assert.deepEqual(async, sync);
  });

  it("lowlevel: prints one line per problem", async () => {
    const r = await runNode([example("lowlevel")]).exited;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split("\n").length, 3);
    assert.match(
      r.stdout,
      /Rosenbrock over the unit ball: Converged .* u = \(0\.786\d+, 0\.617\d+\)/,
    );
  });

  it("mpc: drives to the reference and writes an SVG plot", async () => {
    const dir = await mkdtemp(join(tmpdir(), "open-engine-mpc-"));
    try {
      const svg = join(dir, "plot.svg");
      const r = await runNode([example("mpc"), svg]).exited;
      assert.equal(r.code, 0, r.stderr);
      const distance = Number(/\(([\d.]+) m from the reference\)/.exec(r.stdout)?.[1]);
      assert.ok(distance < 0.1, r.stdout);
      const text = await readFile(svg, "utf8");
      assert.match(text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      // One line per series: driven, first prediction, reference.
      assert.equal(text.match(/<polyline /g)?.length, 3);
      assert.ok(text.trimEnd().endsWith("</svg>"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
