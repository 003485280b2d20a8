import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ask, exchange, gate, SPECIAL, serveOnFreePort, until } from "./helpers.js";

/** Starts `serve SPECIAL --workers 2` and resolves with its port and the pids of its processes. */
async function serveTwo() {
  const server = await serveOnFreePort(SPECIAL, ["--workers", "2", "--watchdog-margin", "600000"]);
  const log = await server.waitFor('"processes":2');
  const pids = [...log.matchAll(/"server process listening","pid":(\d+)/g)].map((m) =>
    Number(m[1]),
  );
  assert.equal(pids.length, 2);
  return { ...server, pids };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("--workers: server processes sharing a port", () => {
  it("a Kill taken by any process stops them all, after answering an accepted Run", async () => {
    const server = await serveTwo();
    const g = gate();
    try {
      assert.ok(server.pids.every(alive));
      const run = ask(server.port, g.run(0));
      await until(() => g.started() === 1, "the Run is solving");
      assert.equal(await exchange(server.port, '{"Kill": 1}'), "");
      g.open();
      assert.deepEqual(((await run) as { solution: number[] }).solution, [1]);
      assert.equal((await server.exited).code, 0);
      assert.deepEqual(server.pids.filter(alive), []);
    } finally {
      g.open();
      g.dispose();
      server.child.kill("SIGKILL");
    }
  });

  it("SIGTERM to the first process stops every process gracefully", async () => {
    const server = await serveTwo();
    try {
      assert.deepEqual(await ask(server.port, '{"Ping": 3}'), { Pong: 3 });
      server.child.kill("SIGTERM");
      const { code, stderr } = await server.exited;
      assert.equal(code, 0);
      assert.match(stderr, /stopping \(close\): stopping 2 processes/);
      assert.deepEqual(server.pids.filter(alive), []);
    } finally {
      server.child.kill("SIGKILL");
    }
  });
});
