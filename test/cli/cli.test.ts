import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { OptimizerTcpManager } from "../../src/tcp/client.js";
import { VERSION } from "../../src/version.js";
import { httpServer, silentServer } from "../tcp/fakeServer.js";
import { type Child, DEMO, MAIN, runNode, SERVE } from "../tcp/helpers.js";

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

/** Starts `open-engine serve module --port 0`; resolves once it listens, with the bound port. */
async function serveOnFreePort(
  module: string,
  extra: string[] = [],
): Promise<{ server: Child; port: number }> {
  const server = runNode([MAIN, "serve", module, "--port", "0", ...extra]);
  const log = await server.waitFor("listening on");
  const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(log)?.[1]);
  assert.ok(port > 0, log);
  return { server, port };
}

describe("PROTOCOL.md's seed examples with nc, verbatim", () => {
  it("Ping, Run and Kill; the server exits with status 0", async () => {
    // CI installs Debian's netcat-openbsd: its absence is a broken environment, not a skip.
    assert.doesNotThrow(
      () => execFileSync("sh", ["-c", "command -v nc"]),
      "nc is missing: install netcat-openbsd",
    );
    const { server, port } = await serveOnFreePort(DEMO);
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
  let server: Child;
  before(async () => {
    ({ server, port } = await serveOnFreePort(DEMO, ["--workers", "2"]));
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
      "--initial-lagrange-multipliers",
      "0,0",
      "--initial-penalty",
      "1",
    ]);
    assert.equal(call.code, 0);
    const reply = JSON.parse(call.stdout);
    assert.equal(reply.exit_status, "Converged");
    for (let i = 0; i < 5; i++) assert.ok(Math.abs(reply.solution[i] - DEMO_SOLUTION[i]) < 1e-4);
  });

  it("an error reply is printed and exits 1 with its code", async () => {
    const bad = await cli(["call", "--port", String(port), "--parameter", "1"]);
    assert.equal(bad.code, 1);
    assert.deepEqual(JSON.parse(bad.stdout), {
      type: "Error",
      code: 3003,
      message: "wrong number of parameters: provided 1, expected 2",
    });
    assert.equal(
      bad.stderr,
      `open-engine: 127.0.0.1:${port} answered error 3003: wrong number of parameters: provided 1, expected 2\n`,
    );
    // --initial-y is an alias of --initial-lagrange-multipliers: both reach the server.
    for (const option of ["--initial-y", "--initial-lagrange-multipliers"]) {
      const y = await cli(["call", "--port", String(port), "--parameter", "1,10", option, "1"]);
      assert.equal(y.code, 1);
      assert.match(y.stderr, /answered error 1700: wrong dimension of Langrange multipliers/);
    }
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

  it("talking to no server says what to do, with exit status 3", async () => {
    const closed = await silentServer();
    const port = closed.port;
    await closed.close();
    const r = await cli(["ping", "--port", String(port)]);
    assert.equal(r.code, 3);
    assert.match(
      r.stderr,
      /^open-engine: cannot connect to .*no server is listening there.*open-engine serve'\n$/,
    );
  });

  it("a busy server is not 'no server': --timeout gives exit status 4", async () => {
    const busy = await silentServer();
    try {
      const args = ["--port", String(busy.port), "--timeout", "100"];
      const r = await cli(["call", ...args, "--parameter", "1,10"]);
      assert.equal(r.code, 4);
      assert.match(r.stderr, /accepted the connection but sent no complete reply within 100 ms/);
      assert.doesNotMatch(r.stderr, /no server/);
    } finally {
      await busy.close();
    }
  });

  it("a reply that is not OpEn's protocol gives exit status 5 and one line", async () => {
    const http = await httpServer();
    try {
      for (const command of [["ping"], ["kill"], ["call", "--parameter", "1"]]) {
        const r = await cli([...command, "--port", String(http.port)]);
        assert.equal(r.code, 5, command[0]);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /^open-engine: .*not OpEn's protocol.*HTTP\/1\.1 400[^\n]*\n$/);
      }
    } finally {
      await http.close();
    }
  });

  it("--version prints the package's version", async () => {
    for (const flag of ["--version", "-V"]) {
      const r = await cli([flag]);
      assert.deepEqual([r.code, r.stdout], [0, `${VERSION}\n`]);
    }
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8"));
    assert.equal(VERSION, pkg.version);
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
      call: [
        "--parameter",
        "--initial-guess",
        "--initial-lagrange-multipliers",
        "--initial-penalty",
        "--timeout",
      ],
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
    const manager = OptimizerTcpManager.fromOptimizerDirectory(directory, { port: 0 });
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
