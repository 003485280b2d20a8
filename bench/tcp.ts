/**
 * Benchmarks of the TCP server on the protocol's demo, each server a separate
 * process (or several, with --workers) on loopback, measured in interleaved rounds (the order alternates):
 * Run round trip with a new connection per request, and Run throughput with
 * 1, 4 and 16 concurrent clients. Every Run sends p = (1, 10), u0 = 0 and
 * y0 = 0, so every solve is the same.
 *
 * With OPEN_DEMO_SERVER set to the path of OpEn's `open-demo-server` (its
 * generated server for the demo), that server runs in the same rounds and
 * each row gives ours / OpEn's for our demo served with OpEn's settings
 * (bench/demoAlm.ts), with the iteration counts of both. On Linux, a row per
 * server gives its CPU time per Run (user and system, every process of the
 * server summed, from /proc) over all of its measurements: unlike the times
 * of a client on the same cores, it hardly depends on the load. OPEN_BENCH_ROUNDS sets
 * the number of rounds (default 3). The client is this Node process, on the
 * same cores as the servers: its own latency, added to both sides, brings
 * the round-trip ratio closer to 1 than a compiled client would, and its CPU
 * competes with the servers' for throughput. A bare Node.js server that
 * answers with a fixed reply (bareServer.ts) runs beside them: the part of
 * every figure that is Node.js's cost per connection.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { sendRequest } from "../src/tcp/client.js";
import { comparisonRounds, measureAsync, median, report } from "./harness.js";
import { type CpuTime, cpuTime, processTree, serveOnFreePort } from "./serverProcess.js";

const MAIN = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const DEMO = fileURLToPath(new URL("../examples/demo.js", import.meta.url));
const DEMO_ALM = fileURLToPath(new URL("./demoAlm.js", import.meta.url));
const BARE_SERVER = fileURLToPath(new URL("./bareServer.js", import.meta.url));
const OPEN_SIDE = "OpEn open-demo-server";
const RUN =
  '{"Run":{"parameter":[1,10],"initial_guess":[0,0,0,0,0],"initial_lagrange_multipliers":[0,0]}}';
const CLIENTS = [1, 4, 16];
/** Runs sent to each server process before the measurements. */
const WARMUP_RUNS = 3000;

/** A server under test. */
interface Side {
  readonly name: string;
  readonly port: number;
  /** The reference that the ratio of this side is taken against, if any. */
  readonly versus?: string;
  /** Whether it answers with a fixed reply instead of solving. */
  readonly fixedReply?: boolean;
  /** The server's processes (none known where there is no /proc). */
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a !== null ? a.port : 0));
    });
  });
}

async function ours(name: string, module: string, extra: string[] = []): Promise<Side> {
  const server = await serveOnFreePort(MAIN, module, extra);
  return {
    name,
    port: server.port,
    versus: module === DEMO_ALM ? OPEN_SIDE : undefined,
    pids: processTree(server.child.pid as number),
    stop: async () => {
      await sendRequest("127.0.0.1", server.port, '{"Kill":1}');
      await server.exited;
    },
  };
}

/** OpEn's server at `path`, once it answers a Ping. */
async function open(path: string): Promise<Side> {
  const port = await freePort();
  const child: ChildProcess = spawn(path, ["--port", String(port)], { stdio: "ignore" });
  const exited = new Promise((r) => child.once("exit", r));
  for (let i = 0; ; i++) {
    try {
      await sendRequest("127.0.0.1", port, '{"Ping":1}', 1000);
      break;
    } catch (e) {
      if (i === 200) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return {
    name: OPEN_SIDE,
    port,
    pids: processTree(child.pid as number),
    stop: async () => {
      await sendRequest("127.0.0.1", port, '{"Kill":1}').catch(() => {});
      await exited;
    },
  };
}

/**
 * A Node.js server that answers every connection with a fixed reply (see
 * bareServer.ts): the cost of a connection in Node.js, without our code.
 */
async function bare(): Promise<Side> {
  const child = spawn(process.execPath, [BARE_SERVER], { stdio: ["ignore", "pipe", "ignore"] });
  const exited = new Promise((r) => child.once("exit", r));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once("data", (line: Buffer) => resolve(Number(line.toString().trim())));
    void exited.then(() => reject(new Error("the bare server exited")));
  });
  return {
    name: "bare Node.js server (fixed reply, no solve)",
    port,
    versus: OPEN_SIDE,
    fixedReply: true,
    pids: processTree(child.pid as number),
    stop: async () => {
      child.kill();
      await exited;
    },
  };
}

/** Runs per second of `clients` concurrent clients sending `total` Runs in all. */
async function throughput(port: number, clients: number, total: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next++ < total) await sendRequest("127.0.0.1", port, RUN);
    }),
  );
  return (total / (performance.now() - t0)) * 1000;
}

const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

/** Runs the TCP benchmarks and prints one row per server and measure. */
export async function run(): Promise<void> {
  const rounds = comparisonRounds();
  const reference = process.env.OPEN_DEMO_SERVER;
  report("tcp: load average before", { load: load() });
  const sides: Side[] = [];
  try {
    sides.push(await ours("ours, demo as shipped", DEMO));
    sides.push(await ours("ours, demoAlm settings", DEMO_ALM));
    sides.push(
      await ours("ours, demoAlm settings, --workers auto", DEMO_ALM, ["--workers", "auto"]),
    );
    // Two processes whatever the cores (auto is one per core).
    sides.push(await ours("ours, demoAlm settings, --workers 2", DEMO_ALM, ["--workers", "2"]));
    sides.push(await bare());
    if (reference !== undefined && reference !== "") sides.push(await open(reference));
    else report("tcp: OpEn's server", { skipped: "set OPEN_DEMO_SERVER to run it" });
    for (const side of sides) {
      // A Node server's CPU per Run settles only after about 2,000 Runs (the JIT compiles
      // the solver and the socket code by stages), and each server process warms up on its
      // own: fewer Runs would count start-up against the servers with more processes.
      const processes = Math.max(1, side.pids.length - 1);
      await throughput(side.port, 4, WARMUP_RUNS * processes);
      if (side.fixedReply) continue;
      const r = JSON.parse(await sendRequest("127.0.0.1", side.port, RUN));
      report(`tcp: ${side.name}, iterations`, {
        outerInner: `${r.num_outer_iterations}/${r.num_inner_iterations}`,
        status: r.exit_status,
        warmSolveUs: r.solve_time_ms * 1000,
        processes: side.pids.length || "?",
      });
    }
    // Per measure, per side: one figure per round.
    const figures = new Map<string, Map<string, number[]>>();
    const add = (measure: string, side: string, x: number): void => {
      const m = figures.get(measure) ?? new Map<string, number[]>();
      figures.set(measure, m);
      m.set(side, [...(m.get(side) ?? []), x]);
    };
    /** Per side: the server CPU time and the Runs of its measurements, null once unreadable. */
    const spent = new Map<string, { cpu: CpuTime; runs: number } | null>();
    const metered = async <T>(side: Side, runs: number, work: () => Promise<T>): Promise<T> => {
      const before = cpuTime(side.pids);
      const result = await work();
      const after = cpuTime(side.pids);
      const sum = spent.get(side.name);
      if (before === null || after === null || sum === null) spent.set(side.name, null);
      else {
        const userUs = after.userUs - before.userUs + (sum?.cpu.userUs ?? 0);
        const systemUs = after.systemUs - before.systemUs + (sum?.cpu.systemUs ?? 0);
        spent.set(side.name, { cpu: { userUs, systemUs }, runs: runs + (sum?.runs ?? 0) });
      }
      return result;
    };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const t = await metered(side, 520, () =>
          measureAsync(() => sendRequest("127.0.0.1", side.port, RUN).then(), 500, 20),
        );
        add("Run round trip, us", side.name, t.medianUs);
      }
      for (const clients of CLIENTS) {
        for (const side of order) {
          add(
            `Run throughput, ${clients} client(s), /s`,
            side.name,
            await metered(side, 1000, () => throughput(side.port, clients, 1000)),
          );
        }
      }
    }
    const range = (xs: number[], digits: number): string =>
      `${Math.min(...xs).toFixed(digits)}..${Math.max(...xs).toFixed(digits)}`;
    for (const [measure, bySide] of figures) {
      for (const side of sides) {
        const xs = bySide.get(side.name) ?? [];
        const fields: Record<string, string | number> = {
          median: median(xs),
          spread: range(xs, 0),
        };
        // The ratio of each round (both sides measured in it), then their median and spread.
        const reference = side.versus === undefined ? undefined : bySide.get(side.versus);
        if (reference !== undefined) {
          const ratios = xs.map((x, round) => x / reference[round]);
          fields.ratioVsOpEn = median(ratios);
          fields.ratioSpread = range(ratios, 2);
        }
        report(`tcp: ${measure}, ${side.name}`, fields);
      }
    }
    const perRun = (name: string | undefined): CpuTime | null => {
      const s = name === undefined ? undefined : spent.get(name);
      return s === undefined || s === null
        ? null
        : { userUs: s.cpu.userUs / s.runs, systemUs: s.cpu.systemUs / s.runs };
    };
    for (const side of sides) {
      const cpu = perRun(side.name);
      if (cpu === null) {
        report(`tcp: server CPU per Run, us, ${side.name}`, { skipped: "no /proc here" });
        continue;
      }
      const total = cpu.userUs + cpu.systemUs;
      const fields: Record<string, string | number> = {
        user: cpu.userUs,
        system: cpu.systemUs,
        total,
      };
      // Over all rounds at once: a round's few thousand Runs are a few dozen clock ticks.
      const reference = perRun(side.versus);
      if (reference !== null) fields.ratioVsOpEn = total / (reference.userUs + reference.systemUs);
      report(`tcp: server CPU per Run, us, ${side.name}`, fields);
    }
  } finally {
    for (const side of sides) await side.stop();
  }
  report("tcp: load average after", { load: load(), rounds });
}
