import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { createLogger, type Logger } from "../../src/tcp/logger.js";
import { type OptimizerServer, startServer } from "../../src/tcp/server.js";
import type { ServerSettings } from "../../src/tcp/settings.js";
import {
  ask,
  captureSink,
  client,
  DEMO,
  exchange,
  gate,
  SPECIAL,
  SPECIAL_GENERATED,
  serveOnFreePort,
  silent,
  until,
} from "./helpers.js";

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
    const idle = client(port);
    await new Promise((r) => idle.socket.once("connect", r));
    let idleClosed = false;
    void idle.reply.then(() => {
      idleClosed = true;
    });
    assert.deepEqual(await ask(port, '{"Ping": 3}'), { Pong: 3 });
    // Answered while the silent client still holds its connection (its deadline is 10 s).
    assert.equal(idleClosed, false);
    idle.socket.destroy();
  });

  it("gives the same reply however the packets split the bytes", async () => {
    const cases: [string, object][] = [
      ['{"Ping":1}{"Ping":2}', { Pong: 1 }],
      ['{"Ping": 7} trailing words', { Pong: 7 }],
      [
        '{"Run": {"parameter": [1, 2, 3]}}{"Ping":1}',
        {
          type: "Error",
          code: 3003,
          message: "wrong number of parameters: provided 3, expected 2",
        },
      ],
    ];
    for (const [text, reply] of cases) {
      const bytes = Buffer.from(text);
      assert.deepEqual(await ask(port, bytes), reply, text);
      for (let cut = 1; cut < bytes.length; cut++) {
        const split = [bytes.subarray(0, cut), bytes.subarray(cut)];
        assert.deepEqual(await ask(port, split), reply, `${text} cut at ${cut}`);
      }
    }
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
      // Runs held at a gate must not meet the watchdog (the fixture's own limit is 1 ms).
      watchdogMarginMs: 600_000,
      // A gated Run solved on the event loop would block this test's own thread.
      inlineSolveMs: 0,
    });
    port = server.address.port;
  });
  after(() => server.close());

  it("answers a Ping while a long solve runs", async () => {
    const g = gate();
    try {
      let solved = false;
      const run = ask(port, g.run(0)).then((r) => {
        solved = true;
        return r;
      });
      await until(() => g.started() === 1, "the Run reaches its worker");
      assert.deepEqual(await ask(port, '{"Ping": 5}'), { Pong: 5 });
      assert.equal(solved, false);
      g.open();
      assert.deepEqual(((await run) as Status).solution, [1]);
    } finally {
      g.dispose();
    }
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

  it("echoes at most a few dozen characters of an unknown request type", async () => {
    const reply = await exchange(port, `{"${"n".repeat(900)}": 1}`);
    assert.ok(reply.length < 300, `a reply of ${reply.length} bytes`);
    assert.match(JSON.parse(reply).message, /unknown request type "n+"\.\.\. \(900 characters\)/);
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

/** Starts a server on the special fixture with `settings`, runs `body`, and closes it. */
async function withServer(
  settings: Partial<ServerSettings> & {
    readonly logger?: Logger;
    readonly optimizerModule?: string;
  },
  body: (server: OptimizerServer, port: number) => Promise<void>,
): Promise<void> {
  const server = await startServer({
    optimizerModule: SPECIAL,
    port: 0,
    logger: silent,
    watchdogMarginMs: 600_000,
    inlineSolveMs: 0,
    ...settings,
  });
  try {
    await body(server, server.address.port);
  } finally {
    await server.close();
  }
}

const error1000 = (message: string) => ({ type: "Error", code: 1000, message });

describe("server limits", () => {
  it("closes a client that trickles its request past the deadline", async () => {
    await withServer({ requestTimeoutMs: 400 }, async (_server, port) => {
      // One byte every 20 ms of a request that never ends: the old idle timer restarted
      // on every byte, so only the client giving up ended it.
      const { socket, reply } = client(port);
      let sent = 0;
      const trickle = setInterval(() => {
        if (sent === 500) {
          clearInterval(trickle);
          socket.end();
        } else if (socket.writable) {
          socket.write(sent === 0 ? "[" : "1");
          sent++;
        }
      }, 20);
      const text = await reply;
      clearInterval(trickle);
      assert.ok(sent < 500, "the server waited for the client to stop");
      assert.deepEqual(
        JSON.parse(text),
        error1000("invalid request: no complete request received within 400 ms of connecting"),
      );
    });
  });

  it("at its connection limit closes the oldest unfinished request, never a Run", async () => {
    await withServer({ maxConnections: 2 }, async (server, port) => {
      const g = gate();
      try {
        const slow = client(port);
        slow.socket.write('{"Ping":');
        await until(() => server.stats().connections === 1, "the slow client is accepted");
        const run = ask(port, g.run(0));
        await until(() => g.started() === 1, "the Run is solving");
        // Full: a Ping makes room by closing the slow request.
        assert.deepEqual(await ask(port, '{"Ping": 8}'), { Pong: 8 });
        assert.deepEqual(
          JSON.parse(await slow.reply),
          error1000(
            "invalid request: the server is at its limit of 2 connections and this request was the oldest unfinished one; send it again, faster",
          ),
        );
        // Two Runs busy: nothing left to close, so a new connection is refused.
        const second = ask(port, g.run(10));
        await until(() => server.stats().queuedRuns === 1, "the second Run waits");
        assert.deepEqual(
          await ask(port, '{"Ping": 9}'),
          error1000(
            "invalid request: the server is at its limit of 2 connections; try again later",
          ),
        );
        g.open();
        assert.deepEqual(((await run) as Status).solution, [1]);
        assert.deepEqual(((await second) as Status).solution, [11]);
      } finally {
        g.dispose();
      }
    });
  });

  it("refuses a Run when the queue is full, and drops a Run whose client has gone", async () => {
    await withServer({ maxQueue: 1 }, async (server, port) => {
      const g = gate();
      try {
        const first = ask(port, g.run(10));
        await until(() => g.started() === 1, "the first Run is solving");
        // A client that sends a Run and then vanishes before it starts.
        const gone = client(port);
        gone.socket.end('{"Run": {"parameter": [0, 0]}}');
        await until(() => server.stats().queuedRuns === 1, "the abandoned Run waits");
        const full = await ask(port, '{"Run": {"parameter": [0, 0]}}');
        assert.deepEqual(
          full,
          error1000(
            "invalid request: the server is busy (1 Runs already waiting); try again later",
          ),
        );
        gone.socket.destroy();
        await until(() => server.stats().queuedRuns === 0, "the abandoned Run is dropped");
        g.open();
        assert.deepEqual(((await first) as Status).solution, [11]);
        // Warm start 11: had the abandoned Run been solved, it would be 12 and this 13.
        const next = (await ask(port, '{"Run": {"parameter": [0, 0]}}')) as Status;
        assert.deepEqual(next.solution, [12]);
      } finally {
        g.dispose();
      }
    });
  });

  it("the watchdog stops a solve past its budget, replaces the worker, serves the next Run", async () => {
    await withServer({ watchdogMarginMs: 200 }, async (server, port) => {
      assert.equal(server.runBudgetMs, 201); // the fixture's 1 ms and the margin
      const stuck = ask(port, '{"Run": {"parameter": [1e9, 0]}}');
      assert.deepEqual(await stuck, {
        type: "Error",
        code: 2000,
        message:
          "problem solution failed: the solve ran past its time budget of 201 ms (maxDurationMicros plus the watchdog margin); its worker was stopped and replaced",
      });
      assert.deepEqual(await ask(port, '{"Ping": 1}'), { Pong: 1 });
      const r = (await ask(
        port,
        '{"Run": {"parameter": [0, 0], "initial_guess": [41]}}',
      )) as Status;
      assert.deepEqual(r.solution, [42]);
    });
  });

  it("refuses Kill when told to, and keeps serving", async () => {
    await withServer({ allowKill: false }, async (_server, port) => {
      assert.deepEqual(
        await ask(port, '{"Kill": 1}'),
        error1000(
          "invalid request: Kill is disabled on this server (it was started with --no-kill)",
        ),
      );
      assert.deepEqual(await ask(port, '{"Ping": 2}'), { Pong: 2 });
    });
  });
});

describe("graceful stop", () => {
  it("Kill answers every accepted Run before the server stops", async () => {
    const g = gate();
    let killed = false;
    const server = await startServer({
      optimizerModule: SPECIAL,
      port: 0,
      logger: silent,
      watchdogMarginMs: 600_000,
      onKill: () => {
        killed = true;
      },
    });
    const port = server.address.port;
    try {
      const runs = [0, 10, 20, 30].map((u0) => ask(port, g.run(u0)));
      await until(() => server.stats().queuedRuns === 3, "one Run solves, three wait");
      const slow = client(port);
      slow.socket.write('{"Ping":');
      await until(() => server.stats().connections === 5, "the slow client is accepted");
      assert.equal(await exchange(port, '{"Kill": 1}'), "");
      assert.deepEqual(
        JSON.parse(await slow.reply),
        error1000("invalid request: the server is shutting down"),
      );
      // Stopped taking requests: refused at connect, or answered that it is shutting down.
      const late = await exchange(port, '{"Ping": 1}').catch((e: NodeJS.ErrnoException) => e.code);
      assert.ok(
        late === "ECONNREFUSED" ||
          late === JSON.stringify(error1000("invalid request: the server is shutting down")),
        String(late),
      );
      assert.equal(killed, false);
      g.open();
      const replies = (await Promise.all(runs)) as Status[];
      assert.deepEqual(
        replies.map((r) => r.solution),
        [[1], [11], [21], [31]],
      );
      await until(() => killed, "onKill after the last reply");
    } finally {
      g.dispose();
      await server.close();
    }
  });

  it("after the grace period, Runs left get an error, never silence", async () => {
    const g = gate();
    const server = await startServer({
      optimizerModule: SPECIAL,
      port: 0,
      logger: silent,
      watchdogMarginMs: 600_000,
      shutdownGraceMs: 0,
    });
    const port = server.address.port;
    try {
      const solving = ask(port, g.run(0));
      await until(() => g.started() === 1, "the first Run is solving");
      const waiting = ask(port, g.run(0));
      await until(() => server.stats().queuedRuns === 1, "the second Run waits");
      await server.close();
      assert.deepEqual(await solving, {
        type: "Error",
        code: 2000,
        message:
          "problem solution failed: the server shut down before the solve ended (shutdown grace period over)",
      });
      assert.deepEqual(await waiting, error1000("invalid request: the server is shutting down"));
    } finally {
      g.open();
      g.dispose();
    }
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} lets accepted Runs finish, then the process exits with 0`, async () => {
      const g = gate();
      const server = await serveOnFreePort(SPECIAL, ["--watchdog-margin", "600000"]);
      try {
        const runs = [0, 5].map((u0) => ask(server.port, g.run(u0)));
        await until(() => g.started() === 1, "a Run is solving");
        server.child.kill(signal);
        await server.waitFor(`${signal}: stopping`);
        g.open();
        const replies = (await Promise.all(runs)) as Status[];
        assert.deepEqual(
          replies.map((r) => r.solution),
          [[1], [6]],
        );
        const { code, stderr } = await server.exited;
        assert.equal(code, 0);
        assert.match(stderr, /"msg":"stopped"/);
      } finally {
        g.open();
        g.dispose();
        server.child.kill("SIGKILL");
      }
    });
  }
});

/** The debug log lines of Runs written so far to `sink`. */
async function runLines(logger: { flush(): Promise<void> }, sink: { lines: string[] }) {
  await logger.flush();
  return sink.lines
    .join("")
    .split("\n")
    .filter((l) => l.includes('"msg":"run"'))
    .map((l) => JSON.parse(l) as { inline: boolean; solveTimeMs: number });
}

describe("server pools and processes", () => {
  it("solves short Runs on the event loop and long ones in the worker, from one warm start", async () => {
    const sink = captureSink();
    const logger = createLogger({ level: "debug", format: "json", sink });
    await withServer(
      { optimizerModule: SPECIAL_GENERATED, logger, inlineSolveMs: 1 },
      async (_server, port) => {
        // p = (ms, 0): the fixture reports a solve time of ms and answers u = u0 + 1.
        const solution = async (ms: number, u0?: number) => {
          const guess = u0 === undefined ? "" : `, "initial_guess": [${u0}]`;
          const reply = (await ask(port, `{"Run": {"parameter": [${ms}, 0]${guess}}}`)) as Status;
          return reply.solution[0];
        };
        // The first Run goes to the worker; its solution is the warm start of the next,
        // solved on the event loop, whose solution is in turn the worker's next start.
        assert.equal(await solution(0, 10), 11);
        assert.equal(await solution(0), 12);
        assert.equal(await solution(3), 13);
        // After a 3 ms solve the estimate halves with each short one: 1.5, then 0.75 ms.
        assert.equal(await solution(0), 14);
        assert.equal(await solution(0), 15);
        assert.equal(await solution(0), 16);
        const where = (await runLines(logger, sink)).map((r) => r.inline);
        assert.deepEqual(where, [false, true, true, false, false, true]);
        // A long solve (the gate reports its key as its time) goes to the worker once the
        // estimate is long: after a 3 ms one, while Pings are answered.
        assert.equal(await solution(3), 17);
        const g = gate();
        try {
          const run = ask(port, g.run());
          await until(() => g.started() === 1, "the Run reaches the worker");
          assert.deepEqual(await ask(port, '{"Ping": 7}'), { Pong: 7 });
          g.open();
          assert.deepEqual(((await run) as Status).solution, [18]);
        } finally {
          g.dispose();
        }
        assert.deepEqual(
          (await runLines(logger, sink)).slice(6).map((r) => r.inline),
          [true, false],
        );
      },
    );
  });

  it("Runs that arrive while one solves wait, then are solved on the event loop in order", async () => {
    const sink = captureSink();
    const logger = createLogger({ level: "debug", format: "json", sink });
    await withServer(
      { optimizerModule: SPECIAL_GENERATED, logger, inlineSolveMs: 1 },
      async (_server, port) => {
        // The first goes to the worker; every later one finds a short estimate, at once or
        // once the worker's solve is done.
        const replies = await Promise.all(
          Array.from({ length: 12 }, (_, k) =>
            ask(port, `{"Run": {"parameter": [0, 0], "initial_guess": [${10 * k}]}}`),
          ),
        );
        assert.deepEqual(
          replies.map((r) => (r as Status).solution[0]),
          Array.from({ length: 12 }, (_, k) => 10 * k + 1),
        );
        const where = (await runLines(logger, sink)).map((r) => r.inline);
        assert.deepEqual(where, [false, ...Array(11).fill(true)]);
      },
    );
  });

  const workerOnly = [
    ["hand-written functions, where no watchdog could stop them", SPECIAL, 1],
    ["any optimizer with --inline-solve 0", SPECIAL_GENERATED, 0],
  ] as const;
  for (const [what, optimizerModule, inlineSolveMs] of workerOnly) {
    it(`solves nothing on the event loop for ${what}`, async () => {
      const sink = captureSink();
      const logger = createLogger({ level: "debug", format: "json", sink });
      await withServer({ optimizerModule, logger, inlineSolveMs }, async (_server, port) => {
        for (let i = 0; i < 3; i++) await ask(port, '{"Run": {"parameter": [0, 0]}}');
        assert.deepEqual(
          (await runLines(logger, sink)).map((r) => r.inline),
          [false, false, false],
        );
      });
    });
  }

  it("startServer serves in one process: more workers are the command line's", async () => {
    await assert.rejects(
      startServer({ optimizerModule: SPECIAL, port: 0, logger: silent, workers: 2 }),
      /workers must be 1/,
    );
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
    const server = await serveOnFreePort(DEMO);
    const port = server.port;
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

  it("keeps serving while nobody reads its log", async () => {
    const server = await serveOnFreePort(DEMO, [], "trace");
    try {
      // A log line per request (trace), and nobody reads them: the pipe fills after some
      // 64 kB, and a server writing its log synchronously would stop there.
      server.child.stderr?.pause();
      for (let i = 0; i < 1500; i++) {
        assert.deepEqual(await ask(server.port, `{"Ping": ${i}}`), { Pong: i });
      }
    } finally {
      server.child.kill("SIGKILL");
      server.child.stderr?.resume();
      await server.exited;
    }
  });

  it("logs a debug line per Run with its exit status, iterations and solve time", async () => {
    const sink = captureSink();
    const logger = createLogger({ level: "debug", format: "json", sink });
    const server = await startServer({ optimizerModule: DEMO, port: 0, logger });
    try {
      const reply = (await ask(server.address.port, RUN_FROM_ZERO)) as Status & {
        num_outer_iterations: number;
        solve_time_ms: number;
      };
      await ask(server.address.port, '{"Run": {"parameter": [1]}}');
      await logger.flush();
      const runs = sink.lines
        .join("")
        .split("\n")
        .filter((l) => l.includes('"msg":"run"'))
        .map((l) => JSON.parse(l));
      assert.equal(runs.length, 2);
      assert.equal(runs[0].level, "debug");
      assert.equal(runs[0].exitStatus, reply.exit_status);
      assert.equal(runs[0].outerIterations, reply.num_outer_iterations);
      assert.equal(runs[0].innerIterations, reply.num_inner_iterations);
      assert.equal(runs[0].solveTimeMs, reply.solve_time_ms);
      assert.equal(runs[1].code, 3003);
    } finally {
      await server.close();
    }
  });
});
