/** OCP optimizer folders: manifest, rollout, and solving over TCP with named parameters. */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  BuildConfiguration,
  OcpBuilder,
  OptimizerMeta,
  parseManifest,
  RemoteOcpOptimizer,
  SolverConfiguration,
  TcpServerConfiguration,
} from "../../src/index.js";
import { freePort } from "../tcp/helpers.js";
import { GETTING_STARTED_VALUES, gettingStarted, maxDiff } from "./fixtures.js";

const root = mkdtempSync(join(tmpdir(), "ocp-folder-"));
after(() => rmSync(root, { recursive: true, force: true }));

const CONFIG = new SolverConfiguration({ tolerance: 1e-6, maxInnerIterations: 2000 });

for (const shooting of ["single", "multiple"] as const) {
  describe(`a built ${shooting}-shooting OCP folder`, async () => {
    const port = await freePort();
    const build = new BuildConfiguration(root, new TcpServerConfiguration("127.0.0.1", port));
    const name = `ocp_${shooting}`;
    const built = await new OcpBuilder(
      gettingStarted(shooting, shooting === "multiple" ? "alm" : undefined),
      new OptimizerMeta(name),
      build,
      CONFIG,
    ).build();

    it("holds the optimizer, a manifest that describes the layout and, for single shooting, the rollout", () => {
      assert.equal(built.directory, join(root, name));
      assert.ok(existsSync(join(built.directory, `tcp_iface_${name}`, "server.js")));
      const json = JSON.parse(readFileSync(built.manifestPath, "utf8"));
      assert.deepEqual(json, JSON.parse(JSON.stringify(built.manifest)));
      const { layout } = parseManifest(json);
      assert.equal(json.parameter_dimension, 8);
      assert.deepEqual(
        json.parameters.map((b: { name: string; offset: number }) => [b.name, b.offset]),
        [
          ["x0", 0],
          ["xref", 2],
          ["q", 4],
          ["r", 5],
          ["a", 6],
          ["xmin", 7],
        ],
      );
      assert.deepEqual(json.parameters[0].default, null);
      assert.deepEqual(json.parameters[2].default, [1]);
      if (shooting === "single") {
        assert.equal(json.decision_dimension, 20);
        assert.deepEqual(layout.inputSlices[3], [3, 4]);
        assert.equal(json.rollout_file, "rollout.js");
        assert.ok(existsSync(join(built.directory, "rollout.js")));
      } else {
        assert.equal(json.decision_dimension, 60);
        assert.deepEqual(
          [layout.inputSlices[1], layout.stateSlices[1]],
          [
            [3, 4],
            [4, 6],
          ],
        );
        assert.equal(json.rollout_file, null);
      }
      assert.deepEqual(json.tcp, { ip: "127.0.0.1", port });
    });

    it("solves over TCP with named parameters as in-process", async () => {
      const remote = await RemoteOcpOptimizer.load(built.manifestPath);
      const zeros = new Array<number>(built.manifest.decision_dimension).fill(0);
      try {
        await assert.rejects(
          remote.solve({ x0: [1, 2], bogus: 1 }),
          /unknown parameter\(s\) "bogus"/,
        );
        // Two first solves at once share one server start.
        const [far, twin] = await Promise.all([
          remote.solve(GETTING_STARTED_VALUES, { initialGuess: zeros }),
          remote.solve(GETTING_STARTED_VALUES, { initialGuess: zeros }),
        ]);
        assert.deepEqual(twin.solution, far.solution);
        const near = built.optimizer.solve(GETTING_STARTED_VALUES, { initialGuess: zeros });
        assert.equal(far.exitStatus, near.exitStatus);
        assert.ok(maxDiff(far.solution, near.solution) < 1e-12);
        assert.ok(maxDiff(far.states.flat(), near.states.flat()) < 1e-12);
        assert.deepEqual(far.states[0], GETTING_STARTED_VALUES.x0);
        assert.equal(far.inputs.length, 20);
        assert.equal(far.states.length, 21);
        assert.ok(Math.abs(far.cost - near.cost) < 1e-12 * near.cost);
        // Warm-start options travel with their wire names: both sides start from the same point.
        const warm = {
          initialGuess: far.solution.map((v) => v * 0.9),
          initialLagrangeMultipliers: far.lagrangeMultipliers,
          initialPenalty: 10,
        };
        const farWarm = await remote.solve(GETTING_STARTED_VALUES, warm);
        const nearWarm = built.optimizer.solve(GETTING_STARTED_VALUES, warm);
        assert.equal(farWarm.numInnerIterations, nearWarm.numInnerIterations);
        assert.ok(maxDiff(farWarm.solution, nearWarm.solution) < 1e-12);
        await assert.rejects(
          remote.solve(GETTING_STARTED_VALUES, { initialGuess: [1] }),
          (e: Error & { code?: number }) => e.code === 1600,
        );
        // A second client of the running server, which never starts or stops it.
        const client = await RemoteOcpOptimizer.load(built.manifestPath, { remote: true });
        const viaClient = await client.solve(GETTING_STARTED_VALUES, {
          initialGuess: near.solution,
        });
        const local = built.optimizer.solve(GETTING_STARTED_VALUES, {
          initialGuess: near.solution,
        });
        assert.ok(maxDiff(viaClient.solution, local.solution) < 1e-12);
        await client.kill();
        assert.equal(await remote.manager.ping(), 1);
      } finally {
        await remote.kill();
      }
    });
  });
}

describe("manifests", () => {
  it("a malformed manifest is a clear error", () => {
    assert.throws(() => parseManifest({ manifest_version: 2 }), /unsupported manifest_version 2/);
    assert.throws(
      () => parseManifest({ manifest_version: 1, optimizer_name: "x", shooting: "single", nx: -1 }),
      /"nx" must be a nonnegative integer/,
    );
  });
});
