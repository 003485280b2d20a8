import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { OptimizerTcpManager } from "../../src/tcp/client.js";
import { DEMO, freePort, MAIN, runNode, SERVE, serveProcess } from "../tcp/helpers.js";

const PROBLEMS = fileURLToPath(new URL("../../examples/problems.js", import.meta.url));

/** PROTOCOL.md's example at p = (1, 10) from u0 = 0 (examples/demo.ts). */
const DEMO_SOLUTION = [0.09135, 0.13703, -0.10479, 0.10089, 0.01018];

/** Runs a shell command line; resolves with its stdout. */
function shell(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("sh", ["-c", command], { timeout: 10_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

/** Runs the command line to its end. */
function cli(args: string[]) {
  return runNode([MAIN, ...args], "warn").exited;
}

describe("PROTOCOL.md's seed examples with nc, verbatim", () => {
  it("Ping, Run and Kill; the server exits with status 0", async () => {
    // CI installs Debian's netcat-openbsd: its absence is a broken environment, not a skip.
    assert.doesNotThrow(
      () => execFileSync("sh", ["-c", "command -v nc"]),
      "nc is missing: install netcat-openbsd",
    );
    const port = await freePort();
    const server = await serveProcess(DEMO, port);
    const pong = await shell(`echo '{ "Ping" : 1 }' | nc localhost ${port}`);
    assert.deepEqual(JSON.parse(pong), { Pong: 1 });
    const run = JSON.parse(
      await shell(`echo '{"Run": {"parameter": [1.0, 10.0]} }' | nc localhost ${port}`),
    );
    assert.equal(run.exit_status, "Converged");
    for (let i = 0; i < 5; i++) assert.ok(Math.abs(run.solution[i] - DEMO_SOLUTION[i]) < 1e-4);
    assert.equal(await shell(`echo '{ "Kill" : 1 }' | nc localhost ${port}`), "");
    const { code, stderr } = await server.exited;
    assert.equal(code, 0);
    assert.match(stderr, /listening on 127\.0\.0\.1/);
    assert.match(stderr, /kill/);
  });
});

describe("open-engine ping, call, kill", () => {
  let port: number;
  let server: Awaited<ReturnType<typeof serveProcess>>;
  before(async () => {
    port = await freePort();
    server = await serveProcess(DEMO, port, ["--workers", "2"]);
  });
  after(() => server.child.kill());

  it("ping and call print the server's JSON reply", async () => {
    const ping = await cli(["ping", "--port", String(port)]);
    assert.deepEqual([ping.code, JSON.parse(ping.stdout)], [0, { Pong: 1 }]);
    const call = await cli([
      "call",
      "--port",
      String(port),
      "--parameter",
      "1,10",
      "--initial-guess",
      "0,0,0,0,0",
      "--initial-y",
      "0,0",
      "--initial-penalty",
      "1",
    ]);
    assert.equal(call.code, 0);
    const reply = JSON.parse(call.stdout);
    assert.equal(reply.exit_status, "Converged");
    for (let i = 0; i < 5; i++) assert.ok(Math.abs(reply.solution[i] - DEMO_SOLUTION[i]) < 1e-4);
    const bad = await cli(["call", "--port", String(port), "--parameter", "1"]);
    assert.deepEqual(JSON.parse(bad.stdout), {
      type: "Error",
      code: 3003,
      message: "wrong number of parameters: provided 1, expected 2",
    });
  });

  it("kill stops the server with status 0", async () => {
    const kill = await cli(["kill", "--port", String(port)]);
    assert.deepEqual([kill.code, kill.stdout], [0, ""]);
    assert.equal((await server.exited).code, 0);
  });
});

describe("open-engine errors and help", () => {
  it("an invalid port is refused with a clear message", async () => {
    const r = await cli(["serve", DEMO, "--port", "70000"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /'70000' is not a port: give an integer from 0 to 65535/);
    const w = await cli(["serve", DEMO, "--workers", "0"]);
    assert.notEqual(w.code, 0);
    assert.match(w.stderr, /'0' is not a positive integer/);
  });

  it("a port in use is refused with a clear message", async () => {
    const occupant = createServer();
    await new Promise<void>((r) => occupant.listen(0, "127.0.0.1", r));
    const address = occupant.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      const r = await cli(["serve", DEMO, "--port", String(port)]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      occupant.close();
    }
  });

  it("a module that is not an optimizer is refused with its reason", async () => {
    const r = await cli(["serve", SERVE, "--port", "0"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /exports neither createOptimizer\(\) nor a problem/);
  });

  it("talking to no server says what to do", async () => {
    const r = await cli(["ping", "--port", String(await freePort())]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no server is listening there.*open-engine serve/);
  });

  it("--help describes every command", async () => {
    const top = await cli(["--help"]);
    assert.equal(top.code, 0);
    for (const command of ["serve", "build", "ping", "call", "kill"]) {
      assert.match(top.stdout, new RegExp(`\\b${command}\\b`));
    }
    const expected: Record<string, string[]> = {
      serve: ["--ip", "--port", "--workers"],
      build: ["--build-dir", "--name"],
      ping: ["--ip", "--port"],
      call: ["--parameter", "--initial-guess", "--initial-y", "--initial-penalty"],
      kill: ["--ip", "--port"],
    };
    for (const [command, options] of Object.entries(expected)) {
      const r = await cli([command, "--help"]);
      assert.equal(r.code, 0);
      for (const option of options) assert.ok(r.stdout.includes(option), `${command} ${option}`);
    }
  });

  it("a built server's own command line refuses an invalid port", async () => {
    const dir = mkdtempSync(join(tmpdir(), "open-engine-cli-"));
    try {
      const script = join(dir, "server.js");
      writeFileSync(
        script,
        `import { runServerProcess } from ${JSON.stringify(pathToFileURL(SERVE).href)};\n` +
          `await runServerProcess(${JSON.stringify(DEMO)}, process.argv.slice(2), ` +
          `{ ip: "127.0.0.1", port: 8333 });\n`,
      );
      const r = await runNode([script, "--port", "x"]).exited;
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /'x' is not a port/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("open-engine build", () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), "open-engine-build-"));
    mkdirSync(root, { recursive: true });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("builds a folder whose server solves the example", async () => {
    const r = await cli(["build", PROBLEMS, "--build-dir", root, "--name", "cli_demo"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /building .*\n.*built cli_demo/);
    const directory = r.stdout.split("\n")[0];
    assert.equal(directory, join(root, "cli_demo"));
    const manager = OptimizerTcpManager.fromOptimizerDirectory(directory, {
      port: await freePort(),
    });
    await manager.start();
    try {
      const reply = await manager.call([1, 10], { initialGuess: [0, 0, 0, 0, 0] });
      assert.ok(reply.ok);
      assert.equal(reply.status.exitStatus, "Converged");
      for (let i = 0; i < 5; i++) {
        assert.ok(Math.abs(reply.status.solution[i] - DEMO_SOLUTION[i]) < 1e-4);
      }
    } finally {
      await manager.kill();
    }
  });
});
