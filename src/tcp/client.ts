import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import type { ExitStatus } from "../solver/types.js";

/** A successful Run reply of a server, in camelCase. */
export interface RemoteSolverStatus {
  readonly exitStatus: ExitStatus;
  readonly numOuterIterations: number;
  readonly numInnerIterations: number;
  /** `null` when the server wrote a non-finite number. */
  readonly lastProblemNormFpr: number | null;
  readonly deltaYNormOverC: number | null;
  readonly f2Norm: number | null;
  readonly solveTimeMs: number;
  readonly penalty: number | null;
  readonly solution: number[];
  readonly lagrangeMultipliers: number[];
  readonly cost: number | null;
}

/** The error reply of a server: one of PROTOCOL.md's codes and its message. */
export interface RemoteError {
  readonly code: number;
  readonly message: string;
}

/** The outcome of {@link OptimizerTcpManager.call}: a status, or the server's error. */
export type CallResult =
  | { readonly ok: true; readonly status: RemoteSolverStatus }
  | { readonly ok: false; readonly error: RemoteError };

/** Options of {@link OptimizerTcpManager.call}; every one may be omitted. */
export interface CallOptions {
  /** u0 (default: the server's warm start). */
  readonly initialGuess?: ArrayLike<number> | null;
  /** y0, sent as `initial_lagrange_multipliers` (default: zeros). */
  readonly initialY?: ArrayLike<number> | null;
  /** c0 > 0 (default: the server's configuration). */
  readonly initialPenalty?: number | null;
}

/** Default time limit of one request, in milliseconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Sends one request and returns the server's whole reply as text: connect,
 * write, half-close, read to EOF (the protocol's life cycle). No retries.
 * Rejects when the connection fails or no EOF arrives within `timeoutMs`.
 */
export function sendRequest(
  ip: string,
  port: number,
  request: string,
  timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: ip, port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy(new Error(`no reply from ${ip}:${port} within ${timeoutMs} ms`));
    });
    socket.on("connect", () => socket.end(request));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (e: NodeJS.ErrnoException) => {
      reject(
        e.code === "ECONNREFUSED"
          ? new Error(`cannot connect to ${ip}:${port}: no server is listening there`)
          : e,
      );
    });
    socket.on("end", () => resolvePromise(Buffer.concat(chunks).toString("utf8")));
  });
}

function camelStatus(r: Record<string, unknown>): RemoteSolverStatus {
  return {
    exitStatus: r.exit_status as ExitStatus,
    numOuterIterations: r.num_outer_iterations as number,
    numInnerIterations: r.num_inner_iterations as number,
    lastProblemNormFpr: r.last_problem_norm_fpr as number | null,
    deltaYNormOverC: r.delta_y_norm_over_c as number | null,
    f2Norm: r.f2_norm as number | null,
    solveTimeMs: r.solve_time_ms as number,
    penalty: r.penalty as number | null,
    solution: r.solution as number[],
    lagrangeMultipliers: r.lagrange_multipliers as number[],
    cost: r.cost as number | null,
  };
}

/** Turns a Run reply's text into a {@link CallResult}; throws on a reply of neither shape. */
export function parseRunReply(text: string): CallResult {
  const r = JSON.parse(text) as Record<string, unknown>;
  if (r.type === "Error") {
    return { ok: false, error: { code: r.code as number, message: r.message as string } };
  }
  if (typeof r.exit_status !== "string" || !Array.isArray(r.solution)) {
    throw new Error(`unexpected reply to Run: ${text.slice(0, 200)}`);
  }
  return { ok: true, status: camelStatus(r) };
}

function vector(v: ArrayLike<number> | null | undefined): number[] | null {
  return v === undefined || v === null ? null : Array.from(v);
}

const STDERR_KEPT = 8192;

/** Whether something accepts TCP connections at ip:port. */
function accepts(ip: string, port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: ip, port });
    socket.setTimeout(1000, () => socket.destroy());
    socket.on("error", () => {});
    socket.once("connect", () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once("close", () => resolvePromise(false));
  });
}

/**
 * A client of an optimizer's TCP server, as OpEn's Python
 * `OptimizerTcpManager`: it starts the server of a built optimizer folder
 * (or talks to a server that runs elsewhere), pings it, calls it and kills it.
 * Each request uses a new connection.
 */
export class OptimizerTcpManager {
  private child: ChildProcess | null = null;
  private stderr = "";

  private constructor(
    /** The server's address. */
    readonly ip: string,
    /** The server's port. */
    readonly port: number,
    private readonly serverScript: string | null,
    /** Time limit of one request, in milliseconds. */
    readonly requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {}

  /**
   * A manager of the server of a built optimizer folder. Its address comes
   * from the folder's optimizer.yml (`tcp.ip`, `tcp.port`) unless given.
   */
  static fromOptimizerDirectory(
    directory: string,
    options: { ip?: string; port?: number } = {},
  ): OptimizerTcpManager {
    const dir = resolve(directory);
    const ymlPath = join(dir, "optimizer.yml");
    let yml: { meta?: { optimizer_name?: unknown }; tcp?: { ip?: unknown; port?: unknown } };
    try {
      yml = parse(readFileSync(ymlPath, "utf8")) ?? {};
    } catch (e) {
      throw new Error(
        `${ymlPath}: cannot read the optimizer's description (${(e as Error).message}); ` +
          "is this a folder made by OptimizerBuilder.build()?",
      );
    }
    const name = yml.meta?.optimizer_name;
    if (typeof name !== "string") throw new Error(`${ymlPath}: meta.optimizer_name is missing`);
    const ip = options.ip ?? (typeof yml.tcp?.ip === "string" ? yml.tcp.ip : "127.0.0.1");
    const port = options.port ?? (typeof yml.tcp?.port === "number" ? yml.tcp.port : 8333);
    return new OptimizerTcpManager(ip, port, join(dir, `tcp_iface_${name}`, "server.js"));
  }

  /** A manager of a server that is already running at `ip:port` ({@link start} is not available). */
  static remote(ip: string, port: number): OptimizerTcpManager {
    return new OptimizerTcpManager(ip, port, null);
  }

  /**
   * Starts the folder's server (`node tcp_iface_{name}/server.js --ip --port`)
   * and resolves once it answers a Ping. Rejects with the server's own message
   * when it exits (e.g. the port is taken), or when it does not answer within
   * `timeoutMs` (then it is stopped).
   */
  async start(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.serverScript === null) {
      throw new Error("OptimizerTcpManager.start: a remote server cannot be started from here");
    }
    if (this.child !== null) throw new Error("OptimizerTcpManager.start: the server is running");
    const timeoutMs = options.timeoutMs ?? 10_000;
    // Otherwise a Ping would reach whatever holds the port while the new server fails to bind.
    if (await accepts(this.ip, this.port)) {
      throw new Error(
        `cannot start the optimizer's server: port ${this.port} on ${this.ip} is already in use; ` +
          "stop the process using it or choose another port",
      );
    }
    const args = [this.serverScript, "--ip", this.ip, "--port", String(this.port)];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    this.stderr = "";
    // Always drain stderr: a full pipe would block the server's synchronous logging.
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-STDERR_KEPT);
    });
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void exited.then((code) => {
      exitCode = code;
    });
    for (;;) {
      if (exitCode !== undefined) {
        this.child = null;
        throw new Error(
          `the optimizer's server exited with code ${exitCode} before answering: ${this.stderr.trim()}`,
        );
      }
      try {
        await this.ping(Math.max(100, Math.min(1000, deadline - Date.now())));
        return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        await exited;
        this.child = null;
        throw new Error(
          `the optimizer's server did not answer on ${this.ip}:${this.port} within ${timeoutMs} ms: ` +
            this.stderr.trim(),
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Sends a Ping; resolves with the Pong's number. */
  async ping(timeoutMs = this.requestTimeoutMs): Promise<number> {
    const text = await sendRequest(this.ip, this.port, '{"Ping":1}', timeoutMs);
    const reply = JSON.parse(text) as { Pong?: unknown };
    if (typeof reply.Pong !== "number") throw new Error(`unexpected reply to Ping: ${text}`);
    return reply.Pong;
  }

  /** Solves for the parameter `p` on the server. */
  async call(p: ArrayLike<number>, options: CallOptions = {}): Promise<CallResult> {
    const run = {
      Run: {
        parameter: Array.from(p),
        initial_guess: vector(options.initialGuess),
        initial_lagrange_multipliers: vector(options.initialY),
        initial_penalty: options.initialPenalty ?? null,
      },
    };
    return parseRunReply(
      await sendRequest(this.ip, this.port, JSON.stringify(run), this.requestTimeoutMs),
    );
  }

  /** Sends Kill and, for a server this manager started, waits until its process has exited. */
  async kill(): Promise<void> {
    const child = this.child;
    const exited =
      child === null || child.exitCode !== null
        ? Promise.resolve()
        : new Promise<void>((r) => child.once("exit", () => r()));
    await sendRequest(this.ip, this.port, '{"Kill":1}', this.requestTimeoutMs);
    if (child !== null) {
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
      this.child = null;
    }
  }
}
