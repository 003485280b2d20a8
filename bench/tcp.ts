/**
 * Benchmarks of the TCP server on the example optimizer (examples/demo.js),
 * served by a separate `open-engine serve` process on loopback: round-trip
 * latency with a new connection per request, and throughput with concurrent
 * clients. Every Run sends p = (1, 10) and a zero initial guess, so every
 * solve is the same. OpEn's reference (its Rust server): Run round trip
 * 113 us median, ~8,800 requests/s sequential.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sendRequest } from "../src/tcp/client.js";
import { measureAsync, report } from "./harness.js";
import { type ServerProcess, serveOnFreePort } from "./serverProcess.js";

const MAIN = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const DEMO = fileURLToPath(new URL("../examples/demo.js", import.meta.url));
const PING = '{"Ping":1}';
const RUN = '{"Run":{"parameter":[1,10],"initial_guess":[0,0,0,0,0]}}';

function serve(workers: number): Promise<ServerProcess> {
  return serveOnFreePort(MAIN, DEMO, ["--workers", String(workers)]);
}

async function stop(server: ServerProcess): Promise<void> {
  await sendRequest("127.0.0.1", server.port, '{"Kill":1}');
  await server.exited;
}

/** Requests per second of `clients` concurrent clients sending `total` requests in all. */
async function throughput(port: number, body: string, clients: number, total: number) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next++ < total) await sendRequest("127.0.0.1", port, body);
    }),
  );
  return (total / (performance.now() - t0)) * 1000;
}

/** The floor: a bare Node TCP server that answers every connection at once, as ours does a Ping. */
async function bareFloor(): Promise<void> {
  const code =
    `const s = require("node:net").createServer({ allowHalfOpen: true }, (c) => {` +
    ` c.on("data", () => c.end('{"Pong":1}')); c.on("error", () => {}); });` +
    ` s.listen(0, "127.0.0.1", () => console.log(s.address().port));`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "ignore"] });
  try {
    const port = await new Promise<number>((resolve) =>
      child.stdout?.once("data", (c: Buffer) => resolve(Number(c.toString()))),
    );
    const t = await measureAsync(() => sendRequest("127.0.0.1", port, PING).then(), 2000, 200);
    report("tcp: floor, bare Node server round trip", { medianUs: t.medianUs, p99Us: t.p99Us });
  } finally {
    child.kill();
  }
}

/** Runs the TCP benchmarks and prints one row each. */
export async function run(): Promise<void> {
  await bareFloor();
  const one = await serve(1);
  try {
    const ping = await measureAsync(
      () => sendRequest("127.0.0.1", one.port, PING).then(),
      2000,
      200,
    );
    report("tcp: Ping round trip (new connection)", {
      medianUs: ping.medianUs,
      p99Us: ping.p99Us,
    });
    let solveMs = 0;
    const runTiming = await measureAsync(
      async () => {
        solveMs = JSON.parse(await sendRequest("127.0.0.1", one.port, RUN)).solve_time_ms;
      },
      300,
      30,
    );
    report("tcp: Run round trip, demo p=(1,10)", {
      medianUs: runTiming.medianUs,
      p99Us: runTiming.p99Us,
      solveUs: solveMs * 1000,
      OpEn: "113 us (its own example)",
    });
    for (const clients of [1, 16]) {
      report(`tcp: Ping throughput, ${clients} client(s)`, {
        reqPerS: await throughput(one.port, PING, clients, 4000),
        OpEn: clients === 1 ? "~8,800 req/s" : "-",
      });
    }
    for (const clients of [1, 4, 16]) {
      report(`tcp: Run throughput, workers=1, ${clients} client(s)`, {
        solvesPerS: await throughput(one.port, RUN, clients, 400),
      });
    }
  } finally {
    await stop(one);
  }
  const two = await serve(2);
  try {
    for (const clients of [1, 4, 16]) {
      report(`tcp: Run throughput, workers=2, ${clients} client(s)`, {
        solvesPerS: await throughput(two.port, RUN, clients, 400),
      });
    }
  } finally {
    await stop(two);
  }
}
