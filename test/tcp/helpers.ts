/** Sockets, paths and server processes shared by the TCP and command-line tests. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger, type LogSink } from "../../src/tcp/logger.js";
import { gateDirectory } from "./fixtures/gate.js";

const dist = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** The example optimizer of PROTOCOL.md (np = 2, nu = 5, n1 = 2). */
export const DEMO = dist("examples/demo.js");
/** The special-case optimizer of fixtures/special.ts. */
export const SPECIAL = dist("test/tcp/fixtures/special.js");
/** The same, marked as generated code: the server may solve it on its event loop. */
export const SPECIAL_GENERATED = dist("test/tcp/fixtures/specialGenerated.js");
/** The command line. */
export const MAIN = dist("src/cli/main.js");
/** The module of `runServerProcess`, for generated server.js files. */
export const SERVE = dist("src/cli/serve.js");

/** A log sink that keeps what it is given in `lines` (one entry per write). */
export function captureSink(): LogSink & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    write: (text, done) => {
      lines.push(text);
      done(null);
    },
  };
}

/** A logger that writes nothing. */
export const silent = createLogger({ level: "silent" });

/**
 * Sends `payload` (chunks are written 20 ms apart), half-closes unless told
 * not to, and resolves with everything the server wrote before closing.
 */
export function exchange(
  port: number,
  payload: string | Buffer | Buffer[],
  options: { halfClose?: boolean } = {},
): Promise<string> {
  const chunks = Array.isArray(payload) ? payload : [Buffer.from(payload)];
  return new Promise((resolve, reject) => {
    const received: Buffer[] = [];
    const socket = connect({ host: "127.0.0.1", port });
    // Only a guard against a hung server: every test waits for the reply itself.
    socket.setTimeout(60_000, () => socket.destroy(new Error("no reply within 60 s")));
    socket.on("connect", async () => {
      for (let i = 0; i < chunks.length; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 20));
        socket.write(chunks[i]);
      }
      if (options.halfClose !== false) socket.end();
    });
    socket.on("data", (c: Buffer) => received.push(c));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(received).toString("utf8")));
  });
}

/** {@link exchange}, parsed as JSON. */
export async function ask(port: number, payload: string | Buffer | Buffer[]): Promise<unknown> {
  return JSON.parse(await exchange(port, payload));
}

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** A child process and how it ended. */
export interface Child {
  readonly child: ChildProcess;
  /** Resolves with the exit code and everything written to stdout and stderr. */
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves with stderr so far once it contains `text` (rejects if the process exits first). */
  waitFor(text: string): Promise<string>;
}

/** Runs `node args...` with the server's log at `level`. */
export function runNode(args: string[], level = "info"): Child {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, OPEN_ENGINE_LOG: level },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: (() => void)[] = [];
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
    for (const w of waiters) w();
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((r) =>
    child.on("close", (code) => r({ code, stdout, stderr })),
  );
  const waitFor = (text: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (stderr.includes(text)) resolve(stderr);
      };
      waiters.push(check);
      check();
      void exited.then(() => reject(new Error(`exited before writing ${text}: ${stderr}`)));
    });
  return { child, exited, waitFor };
}

/** Starts `open-engine serve module --port port` and resolves once it listens. */
export async function serveProcess(module: string, port: number, extra: string[] = []) {
  const server = runNode([MAIN, "serve", module, "--port", String(port), ...extra]);
  await server.waitFor(`listening on 127.0.0.1:${port}`);
  return server;
}

/**
 * Resolves once `condition()` holds, checking every few milliseconds; rejects
 * when `what` has not happened after a minute (a guard against hangs, not a
 * time limit of the test).
 */
export async function until(condition: () => boolean, what: string, tries = 15_000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 4));
  }
  throw new Error(`gave up waiting: ${what}`);
}

let gates = 0;

/** A gate of the special fixture: Runs in mode 4 with its key block until {@link Gate.open}. */
export interface Gate {
  /** A Run request that waits at this gate, then answers u0 + 1. */
  run(initialGuess?: number): string;
  /** Solves waiting at the gate so far (including those already let through). */
  started(): number;
  /** Lets every solve through, now and later. */
  open(): void;
  /** Removes the gate's files. */
  dispose(): void;
}

/** A new gate with a key of its own. */
export function gate(): Gate {
  const key = process.pid * 1000 + gates++;
  const dir = gateDirectory(key);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return {
    run: (u0) =>
      JSON.stringify({
        Run: { parameter: [key, 4], initial_guess: u0 === undefined ? null : [u0] },
      }),
    started: () => readdirSync(dir).filter((f) => f.startsWith("started-")).length,
    open: () => writeFileSync(join(dir, "open"), ""),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A raw client: the socket, and everything the server wrote once it closed. */
export function client(port: number): { socket: Socket; reply: Promise<string> } {
  const socket = connect({ host: "127.0.0.1", port, allowHalfOpen: true });
  const reply = new Promise<string>((resolve) => {
    const got: Buffer[] = [];
    socket.on("data", (c: Buffer) => got.push(c));
    socket.on("error", () => {});
    // The server has said all it will: close our side too, as a client that read the reply does.
    socket.on("end", () => socket.end());
    socket.on("close", () => resolve(Buffer.concat(got).toString("utf8")));
  });
  return { socket, reply };
}

/** Starts `open-engine serve module --port 0 ...` and resolves with the port it bound. */
export async function serveOnFreePort(module: string, extra: string[] = [], level = "info") {
  const server = runNode([MAIN, "serve", module, "--port", "0", ...extra], level);
  const log = await server.waitFor("listening on 127.0.0.1:");
  const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(log)?.[1]);
  return { ...server, port };
}
