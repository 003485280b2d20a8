import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { OptimizerTcpManager } from "../../src/tcp/client.js";
import { type OptimizerServer, startServer } from "../../src/tcp/server.js";
import { DEMO, freePort, SERVE, SPECIAL, silent } from "./helpers.js";

/** Writes an optimizer folder by hand: optimizer.yml and a server.js serving `module`. */
function optimizerFolder(root: string, port: number, serverBody?: string): string {
  const dir = join(root, `opt${port}`);
  mkdirSync(join(dir, "tcp_iface_x"), { recursive: true });
  writeFileSync(
    join(dir, "optimizer.yml"),
    `meta:\n  optimizer_name: x\ntcp:\n  ip: 127.0.0.1\n  port: ${port}\n`,
  );
  writeFileSync(
    join(dir, "tcp_iface_x", "server.js"),
    serverBody ??
      `import { runServerProcess } from ${JSON.stringify(pathToFileURL(SERVE).href)};\n` +
        `await runServerProcess(${JSON.stringify(SPECIAL)}, process.argv.slice(2), ` +
        `{ ip: "127.0.0.1", port: 1 });\n`,
  );
  return dir;
}

describe("OptimizerTcpManager", () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), "open-engine-client-"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("starts a folder's server, pings, calls, and kills it", async () => {
    const port = await freePort();
    const manager = OptimizerTcpManager.fromOptimizerDirectory(optimizerFolder(root, port));
    assert.equal(manager.port, port);
    await manager.start();
    try {
      assert.equal(await manager.ping(), 1);
      const r = await manager.call([0, 0], { initialGuess: [2], initialPenalty: 3 });
      assert.ok(r.ok);
      assert.deepEqual(r.status.solution, [3]);
      assert.equal(r.status.penalty, 3);
      assert.equal(r.status.cost, 9);
      // Warm start from the previous solution.
      const warm = await manager.call([0, 0]);
      assert.ok(warm.ok);
      assert.deepEqual(warm.status.solution, [4]);
      assert.deepEqual(await manager.call([0]), {
        ok: false,
        error: { code: 3003, message: "wrong number of parameters: provided 1, expected 2" },
      });
    } finally {
      await manager.kill();
    }
    await assert.rejects(manager.ping(1000), /no server is listening/);
  });

  it("start() refuses a port that is taken, with a clear error", async () => {
    const occupant = createServer(() => {});
    await new Promise<void>((r) => occupant.listen(0, "127.0.0.1", r));
    const address = occupant.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      const manager = OptimizerTcpManager.fromOptimizerDirectory(optimizerFolder(root, port));
      await assert.rejects(manager.start(), /port \d+ on 127\.0\.0\.1 is already in use/);
    } finally {
      occupant.close();
    }
  });

  it("start() reports a server that dies, with its message", async () => {
    const port = await freePort();
    const dir = optimizerFolder(
      root,
      port,
      'process.stderr.write("cannot load the optimizer: broken\\n");\nprocess.exit(1);\n',
    );
    await assert.rejects(
      OptimizerTcpManager.fromOptimizerDirectory(dir).start(),
      /exited with code 1 before answering: cannot load the optimizer: broken/,
    );
  });

  it("overrides the folder's address; explains a folder without optimizer.yml", async () => {
    const dir = optimizerFolder(root, 4000);
    const m = OptimizerTcpManager.fromOptimizerDirectory(dir, { ip: "0.0.0.0", port: 4001 });
    assert.deepEqual([m.ip, m.port], ["0.0.0.0", 4001]);
    assert.throws(
      () => OptimizerTcpManager.fromOptimizerDirectory(root),
      /optimizer\.yml: cannot read the optimizer's description/,
    );
    await assert.rejects(OptimizerTcpManager.remote("127.0.0.1", 1).start(), /remote server/);
  });
});

describe("OptimizerTcpManager.remote", () => {
  let server: OptimizerServer;
  let killed: () => void;
  const kill = new Promise<void>((r) => {
    killed = r;
  });
  before(async () => {
    server = await startServer({
      optimizerModule: DEMO,
      port: 0,
      logger: silent,
      onKill: () => killed(),
    });
  });
  after(() => server.close());

  it("calls the example; a Kill stops the server", async () => {
    const manager = OptimizerTcpManager.remote("127.0.0.1", server.address.port);
    const r = await manager.call([1, 10], { initialGuess: [0, 0, 0, 0, 0], initialY: [0, 0] });
    assert.ok(r.ok);
    assert.equal(r.status.exitStatus, "Converged");
    assert.equal(r.status.lagrangeMultipliers.length, 2);
    const bad = await manager.call([1, 10], { initialY: [1] });
    assert.deepEqual(bad, {
      ok: false,
      error: {
        code: 1700,
        message: "wrong dimension of Langrange multipliers: provided 1, expected 2",
      },
    });
    await manager.kill();
    await kill;
    await assert.rejects(manager.ping(1000), /no server is listening/);
  });
});
