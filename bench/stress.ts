/**
 * `npm run stress`: a black-box stress test of the TCP server on loopback,
 * bounded in count and time (about a minute), that stops by itself. It serves
 * the example optimizer in a child process and prints, per phase, what it
 * tried and what went wrong:
 *
 * - fuzz: malformed and mutated requests in random packet splits (every input
 *   also sent unsplit: the replies must agree);
 * - megabyte: an unterminated megabyte, alone and twenty at once beside a Ping;
 * - slow clients: a crowd trickling bytes while a Ping is timed;
 * - memory: connections holding unfinished requests sent in small packets;
 * - load: 16 clients, Pings and Runs;
 * - Kill and SIGTERM under load: every accepted Run must get its reply.
 *
 * Options: `--main FILE` and `--module FILE` (the command line and the
 * optimizer module to serve, to compare builds), `--legacy` (a build without
 * the hardening flags), `--seed N`, `--only fuzz,megabyte,slow,memory,load,kill,sigterm`.
 * Loopback only.
 */
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { type ServerProcess, serveOnFreePort } from "./serverProcess.js";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const MAIN = option("main") ?? fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const DEMO = option("module") ?? fileURLToPath(new URL("../examples/demo.js", import.meta.url));
const LEGACY = args.includes("--legacy");
let seed = Number(option("seed") ?? 12345);

/** mulberry32: a small seeded generator, so that a run can be repeated. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const below = (n: number): number => Math.floor(random() * n);

function serve(extra: string[] = [], fileLimit?: number): Promise<ServerProcess> {
  return serveOnFreePort(MAIN, DEMO, LEGACY ? [] : extra, fileLimit);
}

/** A memory figure of a process in MB from /proc (Linux): VmHWM is the peak, VmRSS the current. */
function memoryMb(pid: number | undefined, field: "VmHWM" | "VmRSS"): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** One exchange: writes `chunks` (each after the previous was flushed), half-closes, reads to the end. */
function exchange(
  port: number,
  chunks: Buffer[],
  timeoutMs = 15_000,
): Promise<{ reply: string; error: string | null }> {
  return new Promise((resolve) => {
    const got: Buffer[] = [];
    let error: string | null = null;
    const socket = connect({ host: "127.0.0.1", port });
    socket.setNoDelay(true);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error("timeout")));
    socket.on("connect", async () => {
      for (let k = 0; k < chunks.length; k++) {
        // A pause between pieces, so that they reach the server as separate reads.
        if (k > 0) await new Promise((r) => setTimeout(r, 1));
        if (!socket.writable) return;
        await new Promise<void>((r) => socket.write(chunks[k], () => r()));
      }
      if (socket.writable) socket.end();
    });
    socket.on("data", (c: Buffer) => got.push(c));
    socket.on("error", (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on("close", () => resolve({ reply: Buffer.concat(got).toString("utf8"), error }));
  });
}

const CODES = new Set([1000, 1600, 1700, 2000, 3003]);

/** Whether a reply is one the protocol allows. */
function wellFormed(reply: string): boolean {
  try {
    const r = JSON.parse(reply) as Record<string, unknown>;
    if (typeof r.Pong === "number") return true;
    if (typeof r.exit_status === "string") return true;
    return r.type === "Error" && CODES.has(r.code as number) && typeof r.message === "string";
  } catch {
    return false;
  }
}

/**
 * What a reply says, for comparing two sends of the same bytes: a Run's
 * solution depends on the warm start left by the Runs before it, so only
 * "solved" is compared for successful Runs.
 */
function kind(reply: string): string {
  return reply.includes('"exit_status"') ? "solved" : reply.trim();
}

const SEEDS = [
  '{"Ping":1}',
  '{ "Ping" : 2147483647 }',
  '{"Run": {"parameter": [1.0, 10.0]}}',
  '{"Run": {"parameter": [1, 10], "initial_guess": [0, 0, 0, 0, 0], "initial_lagrange_multipliers": [0, 0], "initial_penalty": 5}}',
  '{"Run": {"parameter": [1, 10], "initial_y": [1, 2, 3]}}',
  '{"Run": {"parameter": [1]}}',
];

function mutate(text: string): Buffer {
  const bytes = [...Buffer.from(text)];
  for (let k = 1 + below(3); k > 0; k--) {
    const at = below(bytes.length + 1);
    const kind = below(3);
    if (kind === 0) bytes.splice(at, 1);
    else if (kind === 1) bytes.splice(at, 0, below(256));
    else bytes[Math.min(at, bytes.length - 1)] = below(128);
  }
  return Buffer.from(bytes);
}

/** The fuzz classes: each makes one input. */
const CLASSES: Record<string, () => Buffer> = {
  "random bytes": () => Buffer.from(Array.from({ length: below(200) }, () => below(256))),
  "mutated request": () => mutate(SEEDS[below(SEEDS.length)]),
  "truncated request": () => {
    const s = SEEDS[below(SEEDS.length)];
    return Buffer.from(s.slice(0, below(s.length)));
  },
  "several values": () => Buffer.from(`${SEEDS[below(2)]}${SEEDS[below(SEEDS.length)]}`),
  "wrong types": () => {
    const values = ["null", "true", '"x"', "[]", "{}", "1e999", "-0", "[1,[2]]", '[1,"a"]'];
    const v = values[below(values.length)];
    const field = ["parameter", "initial_guess", "initial_y", "initial_penalty"][below(4)];
    return Buffer.from(`{"Run": {"parameter": [1, 10], "${field}": ${v}}}`);
  },
  "deep nesting": () => Buffer.from("[".repeat(1 + below(100_000))),
  "long names": () => Buffer.from(`{"${"k".repeat(below(100_000))}": 1}`),
};

function split(bytes: Buffer): Buffer[] {
  const parts = below(4);
  const cuts = Array.from({ length: parts }, () => below(bytes.length + 1)).sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(bytes.subarray(from, c));
    from = c;
  }
  return out.filter((b) => b.length > 0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)];
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : "n/a");
const report = (name: string, fields: Record<string, string | number>): void =>
  console.log(
    `${name.padEnd(34)} ${Object.entries(fields)
      .map(([k, v]) => `${k}=${v}`)
      .join("  ")}`,
  );

async function pingMs(port: number): Promise<number> {
  const t0 = performance.now();
  const { reply } = await exchange(port, [Buffer.from('{"Ping":1}')]);
  return reply.includes("Pong") ? performance.now() - t0 : Number.POSITIVE_INFINITY;
}

async function fuzz(): Promise<void> {
  const server = await serve(["--no-kill"]);
  let tried = 0;
  let lost = 0;
  let malformed = 0;
  let disagree = 0;
  const perClass = 300;
  for (const make of Object.values(CLASSES)) {
    for (let i = 0; i < perClass; i++) {
      const input = make();
      const whole = await exchange(server.port, [input]);
      const pieces = await exchange(server.port, split(input));
      tried += 2;
      for (const r of [whole, pieces]) {
        if (r.reply === "") lost++;
        else if (!wellFormed(r.reply)) malformed++;
      }
      if (kind(whole.reply) !== kind(pieces.reply)) disagree++;
    }
  }
  const alive = (await pingMs(server.port)) < Number.POSITIVE_INFINITY;
  report("fuzz", {
    classes: Object.keys(CLASSES).length,
    inputs: tried,
    crashes: alive ? 0 : 1,
    repliesLost: lost,
    malformedReplies: malformed,
    splitDisagreements: disagree,
  });
  report("fuzz: peak RSS", { MB: fmt(memoryMb(server.child.pid, "VmHWM")) });
  server.child.kill("SIGKILL");
  await server.exited;
}

async function megabyte(): Promise<void> {
  const server = await serve();
  let malformed = 0;
  // Megabyte inputs: an unterminated array of ones, and twenty of them at once beside a Ping.
  const mib = Buffer.from(`[${"1,".repeat(512 * 1024 - 1)}`);
  // After a warm-up (the first megabytes run before the JIT has compiled the scanners),
  // the median of five answers.
  const times: number[] = [];
  for (let k = 0; k < 8; k++) {
    const t0 = performance.now();
    const big = await exchange(server.port, [mib]);
    if (k >= 3) times.push(performance.now() - t0);
    if (!wellFormed(big.reply)) malformed++;
  }
  const bigMs = median(times);
  const crowd = Array.from({ length: 20 }, () => exchange(server.port, [mib]));
  const ping = await pingMs(server.port);
  const replies = await Promise.all(crowd);
  const lost = replies.filter((r) => r.reply === "").length;
  report("1 MiB malformed (unterminated [1,1,...)", {
    answerMs: fmt(bigMs),
    pingMsBeside20: fmt(ping),
    repliesLost: lost,
    malformedReplies: malformed,
    peakRssMB: fmt(memoryMb(server.child.pid, "VmHWM")),
  });
  server.child.kill("SIGKILL");
  await server.exited;
}

async function slowClients(): Promise<void> {
  // More slow clients than the server may open files, as in a small container.
  const server = await serve([], 256);
  const crowd = 300;
  const sockets = Array.from({ length: crowd }, () => {
    const s = connect({ host: "127.0.0.1", port: server.port });
    s.on("error", () => {});
    return s;
  });
  let closedByServer = 0;
  for (const s of sockets) {
    s.resume(); // read (and drop) what the server says, so that its close is seen
    s.once("end", () => closedByServer++);
  }
  const trickle = setInterval(() => {
    for (const s of sockets) if (s.writable) s.write("1");
  }, 500);
  for (const s of sockets) s.once("connect", () => s.write("["));
  const pings: number[] = [];
  const until = performance.now() + 12_000;
  while (performance.now() < until) {
    pings.push(await pingMs(server.port));
    await new Promise((r) => setTimeout(r, 100));
  }
  clearInterval(trickle);
  for (const s of sockets) s.destroy();
  report("slow clients (300, 1 byte / 0.5 s; server: 256 files)", {
    pings: pings.length,
    pingsLost: pings.filter((p) => !Number.isFinite(p)).length,
    firstPingLost: !Number.isFinite(pings[0]) ? "yes" : "no",
    pingMedianMs: fmt(median(pings)),
    pingMaxMsOfAnswered: fmt(Math.max(...pings.filter(Number.isFinite))),
    closedByServerIn12s: closedByServer,
  });
  server.child.kill("SIGKILL");
  await server.exited;
}

async function memory(): Promise<void> {
  const server = await serve();
  const connections = 100;
  const bytesEach = 256 * 1024;
  const before = memoryMb(server.child.pid, "VmRSS");
  const piece = Buffer.from("1,".repeat(8));
  const sockets = await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise<ReturnType<typeof connect>>((resolve) => {
          const s = connect({ host: "127.0.0.1", port: server.port });
          s.setNoDelay(true);
          s.on("error", () => {});
          s.once("connect", async () => {
            s.write("[");
            for (let sent = 1; sent < bytesEach && s.writable; sent += piece.length) {
              if (!s.write(piece)) await new Promise((r) => s.once("drain", r));
            }
            resolve(s);
          });
        }),
    ),
  );
  // Let the server read what was sent.
  await new Promise((r) => setTimeout(r, 500));
  const after = memoryMb(server.child.pid, "VmRSS");
  const held = (connections * bytesEach) / 1024 / 1024;
  report("memory (100 unfinished 256 KiB requests, 16 B writes)", {
    heldMB: fmt(held),
    rssGrowthMB: fmt(after - before),
    bytesPerByteHeld: fmt((after - before) / held),
  });
  for (const s of sockets) s.destroy();
  server.child.kill("SIGKILL");
  await server.exited;
}

const RUN = '{"Run":{"parameter":[1,10],"initial_guess":[0,0,0,0,0]}}';

async function load(): Promise<void> {
  const server = await serve();
  const total = 4000;
  let next = 0;
  let lost = 0;
  let wrong = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < total) {
        const i = next++;
        const body = i % 4 === 0 ? RUN : `{"Ping":${i}}`;
        const { reply } = await exchange(server.port, [Buffer.from(body)]);
        if (reply === "") lost++;
        else if (i % 4 === 0 ? !reply.includes('"exit_status"') : reply !== `{"Pong":${i}}`)
          wrong++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  report("load (16 clients, 1 Run : 3 Pings)", {
    requests: total,
    repliesLost: lost,
    wrong,
    reqPerS: fmt(total / seconds),
    peakRssMB: fmt(memoryMb(server.child.pid, "VmHWM")),
  });
  server.child.kill("SIGKILL");
  await server.exited;
}

async function stopUnderLoad(how: "Kill" | "SIGTERM"): Promise<void> {
  const trials = 5;
  let sent = 0;
  let lost = 0;
  let refused = 0;
  let exitZero = 0;
  for (let t = 0; t < trials; t++) {
    const server = await serve();
    const runs = Array.from({ length: 8 }, () => exchange(server.port, [Buffer.from(RUN)]));
    sent += runs.length;
    await new Promise((r) => setTimeout(r, 5));
    if (how === "Kill") void exchange(server.port, [Buffer.from('{"Kill":1}')]);
    else server.child.kill("SIGTERM");
    const replies = await Promise.all(runs);
    // A Run refused because the server was stopping is answered too (error 1000); one
    // refused at connect was never accepted.
    for (const r of replies) {
      if (r.error === "ECONNREFUSED") refused++;
      else if (!wellFormed(r.reply)) {
        lost++;
      }
    }
    const code = await Promise.race([
      server.exited,
      new Promise<string>((r) => setTimeout(() => r("hung"), 15_000)),
    ]);
    if (code === 0) exitZero++;
    server.child.kill("SIGKILL");
    await server.exited;
  }
  report(`${how} under load (8 Runs in flight)`, {
    trials,
    runs: sent,
    refusedAtConnect: refused,
    repliesLost: lost,
    exitedWith0: `${exitZero}/${trials}`,
  });
}

const phases: Record<string, () => Promise<void>> = {
  fuzz,
  megabyte,
  slow: slowClients,
  memory,
  load,
  kill: () => stopUnderLoad("Kill"),
  sigterm: () => stopUnderLoad("SIGTERM"),
};
// `--only a,b` runs some phases (for comparing builds phase by phase).
const only = option("only")?.split(",") ?? Object.keys(phases);
const started = performance.now();
for (const name of only) {
  const phase = phases[name];
  if (phase === undefined) throw new Error(`no phase ${name}: ${Object.keys(phases).join(", ")}`);
  await phase();
}
report("stress: done", { seconds: fmt((performance.now() - started) / 1000) });
