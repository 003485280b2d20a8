import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { type OptimizerServer, startServer } from "../../src/tcp/server.js";
import { ask, DEMO, exchange, freePort, SPECIAL, serveProcess, silent } from "./helpers.js";

interface Status {
  exit_status: string;
  num_inner_iterations: number;
  solution: number[];
  lagrange_multipliers: number[];
  cost: number;
  penalty: number;
}

/** f of PROTOCOL.md's example, computed here. */
function rosenbrock(u: number[], a: number, b: number): number {
  let f = 0;
  for (let i = 0; i < 4; i++) f += b * (u[i + 1] - u[i] * u[i]) ** 2 + (a - u[i]) ** 2;
  return f;
}

const RUN_FROM_ZERO = '{"Run": {"parameter": [1, 10], "initial_guess": [0, 0, 0, 0, 0]}}';

describe("server on the example optimizer", () => {
  let server: OptimizerServer;
  let port: number;
  before(async () => {
    server = await startServer({ optimizerModule: DEMO, port: 0, logger: silent });
    port = server.address.port;
  });
  after(() => server.close());

  it("reports its address and the optimizer's dimensions", () => {
    assert.equal(server.address.ip, "127.0.0.1");
    assert.ok(port > 0);
    assert.deepEqual(server.dimensions, { nu: 5, np: 2, n1: 2 });
  });

  it("answers a client that half-closes and one that does not", async () => {
    assert.deepEqual(await ask(port, '{"Ping": 11}'), { Pong: 11 });
    const reply = await exchange(port, '{"Ping": 12}', { halfClose: false });
    assert.deepEqual(JSON.parse(reply), { Pong: 12 });
  });

  it("solves the example to a feasible point with the cost it reports", async () => {
    const r = (await ask(port, RUN_FROM_ZERO)) as Status;
    assert.equal(r.exit_status, "Converged");
    const u = r.solution;
    assert.ok(Math.hypot(...u) <= 1.5 + 1e-12, "u in the ball of radius 1.5");
    assert.ok(Math.abs(1.5 * u[0] - u[1]) < 1e-3, "F1 first component in {0}");
    assert.ok(Math.abs(Math.sin(u[2] + Math.PI / 5) - 0.5) < 1e-3, "F1 second component");
    assert.ok(Math.abs(r.cost - rosenbrock(u, 1, 10)) < 1e-12 * Math.max(1, r.cost));
    assert.equal(r.lagrange_multipliers.length, 2);
  });

  it("answers every error code with PROTOCOL.md's exact message", async () => {
    const error = (code: number, message: string) => ({ type: "Error", code, message });
    const cases: [string | Buffer, object][] = [
      ['{"Run":', error(1000, "invalid request: EOF while parsing at line 1 column 7")],
      [Buffer.from([0xff, 0xfe]), error(1000, "invalid request: request body is not valid UTF-8")],
      [
        '{"Run": {"parameter": [1, 10], "initial_guess": [0]}}',
        error(1600, "initial guess has incompatible dimensions: provided 1, expected 5"),
      ],
      [
        '{"Run": {"parameter": [1, 10], "initial_lagrange_multipliers": [0, 0, 0]}}',
        error(1700, "wrong dimension of Langrange multipliers: provided 3, expected 2"),
      ],
      [
        '{"Run": {"parameter": [1, 10], "initial_y": [0]}}',
        error(1700, "wrong dimension of Langrange multipliers: provided 1, expected 2"),
      ],
      [
        '{"Run": {"parameter": [1]}}',
        error(3003, "wrong number of parameters: provided 1, expected 2"),
      ],
      [
        '{"Run": {"parameter": [1], "initial_guess": [0], "initial_y": [0]}}',
        error(1600, "initial guess has incompatible dimensions: provided 1, expected 5"),
      ],
    ];
    for (const [request, reply] of cases) assert.deepEqual(await ask(port, request), reply);
  });

  it("warm-starts from the previous solution; failed requests change nothing", async () => {
    const first = (await ask(port, RUN_FROM_ZERO)) as Status;
    // Rejected requests in between must not touch the warm start.
    await ask(port, '{"Run": {"parameter": [1, 10, 3], "initial_guess": [9, 9, 9, 9, 9]}}');
    await ask(port, '{"Run": {"parameter": [1], "initial_guess": [5, 5, 5, 5, 5]}}');
    const warm = (await ask(port, '{"Run": {"parameter": [1, 10]}}')) as Status;
    const explicit = (await ask(
      port,
      JSON.stringify({ Run: { parameter: [1, 10], initial_guess: first.solution } }),
    )) as Status;
    assert.deepEqual(warm.solution, explicit.solution);
    assert.equal(warm.num_inner_iterations, explicit.num_inner_iterations);
    assert.ok(warm.num_inner_iterations < first.num_inner_iterations);
  });

  it("takes a multi-byte character split across packets", async () => {
    const body = Buffer.from('{"Run": {"parameter": [1, 10], "note": "\u00e9t\u00e9"}}');
    const cut = body.indexOf(0xc3) + 1;
    const r = (await ask(port, [body.subarray(0, cut), body.subarray(cut)])) as Status;
    assert.equal(r.solution.length, 5);
  });

  it("a silent client does not hold up a Ping", async () => {
    const idle = connect({ host: "127.0.0.1", port });
    await new Promise((r) => idle.once("connect", r));
    const t0 = performance.now();
    assert.deepEqual(await ask(port, '{"Ping": 3}'), { Pong: 3 });
    // A generous bound: a blocked server would wait for the 10 s idle timeout.
    assert.ok(performance.now() - t0 < 500);
    idle.destroy();
  });

  it("survives a client that resets mid-request", async () => {
    const s = connect({ host: "127.0.0.1", port });
    await new Promise((r) => s.once("connect", r));
    s.write('{"Run": {"param');
    await new Promise((r) => setTimeout(r, 20));
    s.resetAndDestroy();
    assert.deepEqual(await ask(port, '{"Ping": 4}'), { Pong: 4 });
  });

  it("answers 1,000 requests from 16 concurrent clients correctly", async () => {
    const reference = (await ask(port, RUN_FROM_ZERO)) as Status;
    const wrong: string[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async (_, k) => {
        for (let i = k; i < 1000; i += 16) {
          if (i % 8 === 0) {
            const r = (await ask(port, RUN_FROM_ZERO)) as Status;
            if (JSON.stringify(r.solution) !== JSON.stringify(reference.solution))
              wrong.push(`run ${i}`);
          } else {
            const r = (await ask(port, `{"Ping": ${i}}`)) as { Pong: number };
            if (r.Pong !== i) wrong.push(`ping ${i}`);
          }
        }
      }),
    );
    assert.deepEqual(wrong, []);
  });
});

describe("server on special cases", () => {
  let server: OptimizerServer;
  let port: number;
  before(async () => {
    server = await startServer({
      optimizerModule: SPECIAL,
      port: 0,
      logger: silent,
      maxRequestBytes: 1000,
      idleTimeoutMs: 300,
    });
    port = server.address.port;
  });
  after(() => server.close());

  it("answers a Ping while a long solve runs", async () => {
    const order: string[] = [];
    const run = ask(port, '{"Run": {"parameter": [1500, 0], "initial_guess": [0]}}').then((r) => {
      order.push("run");
      return r;
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await ask(port, '{"Ping": 5}'), { Pong: 5 });
    order.push("ping");
    assert.deepEqual(((await run) as Status).solution, [1]);
    assert.deepEqual(order, ["ping", "run"]);
  });

  it("solver failures are error 2000; a dead worker is replaced", async () => {
    assert.deepEqual(await ask(port, '{"Run": {"parameter": [0, 1]}}'), {
      type: "Error",
      code: 2000,
      message: "problem solution failed: the cost is not finite",
    });
    assert.deepEqual(await ask(port, '{"Run": {"parameter": [0, 2]}}'), {
      type: "Error",
      code: 2000,
      message: "problem solution failed: the user's cost function threw",
    });
    assert.deepEqual(await ask(port, '{"Run": {"parameter": [0, 3]}}'), {
      type: "Error",
      code: 2000,
      message: "problem solution failed: the solver worker stopped",
    });
    const r = (await ask(port, '{"Run": {"parameter": [0, 0], "initial_guess": [41]}}')) as Status;
    assert.deepEqual(r.solution, [42]);
  });

  it("refuses a request over the size limit, then serves others", async () => {
    const big = `{"Run": {"parameter": [${"1,".repeat(600)}1]}}`;
    assert.deepEqual(await ask(port, big), {
      type: "Error",
      code: 1000,
      message: "invalid request: request exceeds the size limit of 1000 bytes",
    });
    assert.deepEqual(await ask(port, '{"Ping": 6}'), { Pong: 6 });
  });

  it("answers an idle connection with error 1000 and closes it", async () => {
    const reply = await exchange(port, '{"Ping":', { halfClose: false });
    assert.deepEqual(JSON.parse(reply), {
      type: "Error",
      code: 1000,
      message: "invalid request: no complete request received within 300 ms",
    });
  });

  it("passes initial_penalty through and checks it", async () => {
    const r = (await ask(port, '{"Run": {"parameter": [0, 0], "initial_penalty": 7.5}}')) as Status;
    assert.equal(r.penalty, 7.5);
    assert.deepEqual(await ask(port, '{"Run": {"parameter": [0, 0], "initial_penalty": -1}}'), {
      type: "Error",
      code: 1000,
      message:
        "invalid request: Run.initial_penalty must be a positive finite number, got the number -1",
    });
  });
});

describe("server pools and processes", () => {
  it("each worker of a pool keeps its own warm start; both run at once", async () => {
    const server = await startServer({
      optimizerModule: SPECIAL,
      port: 0,
      workers: 2,
      logger: silent,
    });
    const port = server.address.port;
    try {
      // Two slow solves at once, each from the zero warm start of its own worker.
      const [a, b] = (await Promise.all([
        ask(port, '{"Run": {"parameter": [300, 0]}}'),
        ask(port, '{"Run": {"parameter": [300, 0]}}'),
      ])) as Status[];
      assert.deepEqual([a.solution, b.solution], [[1], [1]]);
      const c = (await ask(port, '{"Run": {"parameter": [0, 0], "initial_guess": [5]}}')) as Status;
      assert.deepEqual(c.solution, [6]);
    } finally {
      await server.close();
    }
  });

  it("ten servers on ten ports at once", async () => {
    const servers = await Promise.all(
      Array.from({ length: 10 }, () =>
        startServer({ optimizerModule: SPECIAL, port: 0, logger: silent }),
      ),
    );
    try {
      const ports = servers.map((s) => s.address.port);
      assert.equal(new Set(ports).size, 10);
      const replies = await Promise.all(
        ports.map((p, k) => ask(p, `{"Run": {"parameter": [0, 0], "initial_guess": [${k}]}}`)),
      );
      assert.deepEqual(
        replies.map((r) => (r as Status).solution[0]),
        ports.map((_, k) => k + 1),
      );
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it("refuses 10 MB without its memory growing by anything like it", async () => {
    const port = await freePort();
    const server = await serveProcess(DEMO, port);
    const peakKb = (): number =>
      Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, "utf8"))?.[1]);
    try {
      assert.deepEqual(await ask(port, '{"Ping": 1}'), { Pong: 1 });
      const before = peakKb();
      const chunk = Buffer.from("1.0,".repeat(16384));
      const reply = await new Promise<string>((resolve) => {
        const s = connect({ host: "127.0.0.1", port, allowHalfOpen: true });
        const got: Buffer[] = [];
        let sent = 0;
        s.on("data", (c: Buffer) => got.push(c));
        // The server stops reading a client that keeps sending and resets it later:
        // the reply may be lost then.
        s.on("error", () => resolve(""));
        s.on("close", () => resolve(Buffer.concat(got).toString()));
        const pump = (): void => {
          while (sent < 10 * 1024 * 1024) {
            sent += chunk.length;
            if (!s.write(chunk)) {
              s.once("drain", pump);
              return;
            }
          }
          s.end();
        };
        s.on("connect", () => {
          s.write('{"Run": {"parameter": [');
          pump();
        });
      });
      if (reply !== "") {
        assert.deepEqual(JSON.parse(reply), {
          type: "Error",
          code: 1000,
          message: "invalid request: request exceeds the size limit of 1048576 bytes",
        });
      }
      assert.deepEqual(await ask(port, '{"Ping": 2}'), { Pong: 2 });
      const grownKb = peakKb() - before;
      assert.ok(grownKb < 5 * 1024, `peak memory grew by ${grownKb} kB`);
    } finally {
      server.child.kill();
      await server.exited;
    }
  });
});
