import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { OptimizerTcpManager, parseReply, TcpRequestError } from "../../src/tcp/client.js";
import { type OptimizerServer, startServer } from "../../src/tcp/server.js";
import { httpServer, silentServer } from "./fakeServer.js";
import { DEMO, SERVE, SPECIAL, silent } from "./helpers.js";

let folders = 0;

/** Writes an optimizer folder by hand: optimizer.yml and a server.js serving `module`. */
function optimizerFolder(root: string, port: number, serverBody?: string): string {
  const dir = join(root, `opt${folders++}`);
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

  it("starts a folder's server on port 0, reads the port back, pings, calls, kills", async () => {
    const manager = OptimizerTcpManager.fromOptimizerDirectory(optimizerFolder(root, 0));
    // The listening line is read even when the user's log level would hide it.
    const level = process.env.OPEN_ENGINE_LOG;
    process.env.OPEN_ENGINE_LOG = "warn";
    try {
      await manager.start();
    } finally {
      if (level === undefined) delete process.env.OPEN_ENGINE_LOG;
      else process.env.OPEN_ENGINE_LOG = level;
    }
    assert.ok(manager.port > 0);
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
    await assert.rejects(manager.ping({ timeoutMs: 1000 }), (e: TcpRequestError) => {
      assert.equal(e.reason, "refused");
      assert.match(e.message, /no server is listening/);
      return true;
    });
  });

  it("start() refuses a port that is taken, with a clear error", async () => {
    const occupant = await silentServer();
    try {
      const port = occupant.port;
      const manager = OptimizerTcpManager.fromOptimizerDirectory(optimizerFolder(root, port));
      await assert.rejects(manager.start(), /port \d+ on 127\.0\.0\.1 is already in use/);
    } finally {
      await occupant.close();
    }
  });

  it("start() reports a server that dies, with its message", async () => {
    const dir = optimizerFolder(
      root,
      0,
      'process.stderr.write("cannot load the optimizer: broken\\n");\nprocess.exit(1);\n',
    );
    await assert.rejects(
      OptimizerTcpManager.fromOptimizerDirectory(dir).start(),
      /exited with code 1 before answering: cannot load the optimizer: broken/,
    );
  });

  it("overrides the folder's address and timeout; explains a folder without optimizer.yml", async () => {
    const dir = optimizerFolder(root, 4000);
    const m = OptimizerTcpManager.fromOptimizerDirectory(dir, {
      ip: "0.0.0.0",
      port: 4001,
      timeoutMs: 5,
    });
    assert.deepEqual([m.ip, m.port, m.timeoutMs], ["0.0.0.0", 4001, 5]);
    assert.equal(OptimizerTcpManager.fromOptimizerDirectory(dir).timeoutMs, 30_000);
    assert.throws(
      () => OptimizerTcpManager.remote("127.0.0.1", 1, { timeoutMs: -1 }),
      /timeoutMs must be a number >= 0/,
    );
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

  it("calls the example with in-process option names; a Kill stops the server", async () => {
    const manager = OptimizerTcpManager.remote("127.0.0.1", server.address.port);
    const r = await manager.call([1, 10], {
      initialGuess: [0, 0, 0, 0, 0],
      initialLagrangeMultipliers: [0, 0],
    });
    assert.ok(r.ok);
    assert.equal(r.status.exitStatus, "Converged");
    assert.equal(r.status.lagrangeMultipliers.length, 2);
    // The multipliers reach the server under their wire name: a wrong length is error 1700.
    const bad = await manager.call([1, 10], { initialLagrangeMultipliers: [1] });
    assert.deepEqual(bad, {
      ok: false,
      error: {
        code: 1700,
        message: "wrong dimension of Langrange multipliers: provided 1, expected 2",
      },
    });
    await manager.kill();
    await kill;
    await assert.rejects(manager.ping({ timeoutMs: 1000 }), /no server is listening/);
  });
});

describe("OptimizerTcpManager failures without an OpEn reply", () => {
  it("times out per manager and per call on a server that accepts but never answers", async () => {
    const silent = await silentServer();
    try {
      const port = silent.port;
      const manager = OptimizerTcpManager.remote("127.0.0.1", port, { timeoutMs: 50 });
      const timedOut = (e: TcpRequestError): boolean => {
        assert.equal(e.reason, "timeout");
        assert.match(e.message, /accepted the connection but sent no complete reply within 50 ms/);
        return true;
      };
      await assert.rejects(manager.call([1, 10]), timedOut);
      const patient = OptimizerTcpManager.remote("127.0.0.1", port);
      await assert.rejects(patient.ping({ timeoutMs: 50 }), timedOut);
    } finally {
      await silent.close();
    }
  });

  it("recognises a reply that is not OpEn's protocol", async () => {
    const http = await httpServer();
    try {
      const manager = OptimizerTcpManager.remote("127.0.0.1", http.port);
      for (const request of [manager.ping(), manager.call([1]), manager.kill()]) {
        await assert.rejects(request, (e: TcpRequestError) => {
          assert.equal(e.reason, "reply");
          assert.match(e.message, /not OpEn's protocol.*HTTP\/1\.1 400/);
          return true;
        });
      }
    } finally {
      await http.close();
    }
  });

  it("parseReply tells Pong, status, error and nothing apart, and refuses the rest", () => {
    assert.deepEqual(parseReply('{"Pong":7}'), { type: "Pong", id: 7 });
    assert.deepEqual(parseReply(""), { type: "Empty" });
    assert.deepEqual(parseReply('{"type":"Error","code":2000,"message":"m"}'), {
      type: "Error",
      error: { code: 2000, message: "m" },
    });
    const status = parseReply('{"exit_status":"Converged","solution":[1],"cost":2}');
    assert.equal(status.type, "Status");
    assert.deepEqual(status.type === "Status" && status.status.solution, [1]);
    for (const text of ["[1]", "null", '{"type":"Error"}', "not json", '{"Pong":"x"}']) {
      assert.throws(() => parseReply(text), TcpRequestError, text);
    }
  });
});
