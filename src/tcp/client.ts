import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import type { ExitStatus, SolveOptions } from "../solver/types.js";
import { LOG_LEVEL_VARIABLE } from "./logger.js";

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

/** The error reply of a server: one of the protocol's codes and its message. */
export interface RemoteError {
  readonly code: number;
  readonly message: string;
}

/** The outcome of {@link OptimizerTcpManager.call}: a status, or the server's error. */
export type CallResult =
  | { readonly ok: true; readonly status: RemoteSolverStatus }
  | { readonly ok: false; readonly error: RemoteError };

/** Time limits of requests; a limit of 0 means none. */
export interface TimeoutOption {
  /** Milliseconds to wait for the whole reply (default: the manager's, 30 000; 0: no limit). */
  readonly timeoutMs?: number;
}

/**
 * Options of {@link OptimizerTcpManager.call}, named as those of the
 * in-process `solve` (sent under OpEn's wire names `initial_guess`,
 * `initial_lagrange_multipliers`, `initial_penalty`), plus a time limit.
 */
export interface CallOptions extends SolveOptions, TimeoutOption {}

/** Default time limit of one request, in milliseconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Why a request failed without an OpEn reply:
 * - `refused`: nothing listens at the address;
 * - `timeout`: the connection was accepted but no complete reply came in time
 *   (the server may be busy solving);
 * - `connection`: the address cannot be reached or the connection broke;
 * - `reply`: the reply is not OpEn's protocol (another kind of server).
 */
export type RequestFailure = "refused" | "timeout" | "connection" | "reply";

/** A request that got no OpEn reply; {@link reason} says why. */
export class TcpRequestError extends Error {
  /**
   * @param reason why the request failed
   * @param message what happened, in one line
   */
  constructor(
    readonly reason: RequestFailure,
    message: string,
  ) {
    super(message);
    this.name = "TcpRequestError";
  }
}

/**
 * Sends one request and returns the server's whole reply as text: connect,
 * write, half-close, read to EOF (the protocol's life cycle). No retries.
 * Rejects with a {@link TcpRequestError} when the connection fails or the
 * reply is not complete within `timeoutMs` (0: no limit).
 */
export function sendRequest(
  ip: string,
  port: number,
  request: string,
  timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    const where = `${ip}:${port}`;
    let connected = false;
    const socket = connect({ host: ip, port });
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            socket.destroy();
            reject(
              connected
                ? new TcpRequestError(
                    "timeout",
                    `${where} accepted the connection but sent no complete reply within ${timeoutMs} ms (busy solving? allow more time)`,
                  )
                : new TcpRequestError(
                    "timeout",
                    `cannot connect to ${where} within ${timeoutMs} ms (no route to it?)`,
                  ),
            );
          }, timeoutMs)
        : undefined;
    socket.on("connect", () => {
      connected = true;
      socket.end(request);
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        e.code === "ECONNREFUSED"
          ? new TcpRequestError(
              "refused",
              `cannot connect to ${where}: no server is listening there`,
            )
          : new TcpRequestError(
              "connection",
              `${connected ? "lost the connection to" : "cannot connect to"} ${where}: ${e.message}`,
            ),
      );
    });
    socket.on("end", () => {
      clearTimeout(timer);
      resolvePromise(Buffer.concat(chunks).toString("utf8"));
    });
  });
}

/** What a server answered, once recognised as OpEn's protocol. */
export type Reply =
  | { readonly type: "Pong"; readonly id: number }
  | { readonly type: "Status"; readonly status: RemoteSolverStatus }
  | { readonly type: "Error"; readonly error: RemoteError }
  /** No bytes: the answer to Kill. */
  | { readonly type: "Empty" };

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

function notOpEn(text: string): TcpRequestError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}...` : text;
  return new TcpRequestError(
    "reply",
    `the reply is not OpEn's protocol (is this an optimizer server?): ${JSON.stringify(shown)}`,
  );
}

/**
 * Recognises a reply of OpEn's protocol: a Pong, a solver status, an error
 * (code and message), or nothing. Throws a {@link TcpRequestError} with
 * reason `reply` for anything else.
 */
export function parseReply(text: string): Reply {
  if (text.length === 0) return { type: "Empty" };
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch {
    throw notOpEn(text);
  }
  if (typeof r !== "object" || r === null || Array.isArray(r)) throw notOpEn(text);
  const o = r as Record<string, unknown>;
  if (typeof o.Pong === "number") return { type: "Pong", id: o.Pong };
  if (o.type === "Error" && typeof o.code === "number" && typeof o.message === "string") {
    return { type: "Error", error: { code: o.code, message: o.message } };
  }
  if (typeof o.exit_status === "string" && Array.isArray(o.solution)) {
    return { type: "Status", status: camelStatus(o) };
  }
  throw notOpEn(text);
}

function vector(v: ArrayLike<number> | null | undefined): number[] | null {
  return v === undefined || v === null ? null : Array.from(v);
}

const STDERR_KEPT = 8192;
/** Log levels that show the server's listening line. */
const VERBOSE = ["info", "debug", "trace", ""];
/** The server's log line that says where it listens (read back when started on port 0). */
const LISTENING = /listening on \S+?:(\d+)/;

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
 * Each request uses a new connection. Requests that get no OpEn reply reject
 * with a {@link TcpRequestError}; the server's error replies are results.
 */
export class OptimizerTcpManager {
  private child: ChildProcess | null = null;
  private stderr = "";
  private boundPort: number;

  private constructor(
    /** The server's address. */
    readonly ip: string,
    port: number,
    private readonly serverScript: string | null,
    /** Default time limit of one request in milliseconds (0: none). */
    readonly timeoutMs: number,
  ) {
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
      throw new Error(`OptimizerTcpManager: timeoutMs must be a number >= 0, got ${timeoutMs}`);
    }
    this.boundPort = port;
  }

  /** The server's port (for a server started on port 0, the one it bound). */
  get port(): number {
    return this.boundPort;
  }

  /**
   * A manager of the server of a built optimizer folder. Its address comes
   * from the folder's optimizer.yml (`tcp.ip`, `tcp.port`) unless given; port
   * 0 lets {@link start} have the system choose a free port.
   */
  static fromOptimizerDirectory(
    directory: string,
    options: { ip?: string; port?: number } & TimeoutOption = {},
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
    return new OptimizerTcpManager(
      ip,
      port,
      join(dir, `tcp_iface_${name}`, "server.js"),
      options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    );
  }

  /** A manager of a server that is already running at `ip:port` ({@link start} is not available). */
  static remote(ip: string, port: number, options: TimeoutOption = {}): OptimizerTcpManager {
    return new OptimizerTcpManager(ip, port, null, options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  }

  /**
   * Starts the folder's server (`node tcp_iface_{name}/server.js --ip --port`)
   * and resolves once it answers a Ping. Rejects with the server's own message
   * when it exits (e.g. the port is taken), or when it does not answer within
   * `timeoutMs` (default 10 000; then it is stopped). On port 0 the server
   * binds a free port, read back from its log.
   */
  async start(options: TimeoutOption = {}): Promise<void> {
    if (this.serverScript === null) {
      throw new Error("OptimizerTcpManager.start: a remote server cannot be started from here");
    }
    if (this.child !== null) throw new Error("OptimizerTcpManager.start: the server is running");
    const timeoutMs = options.timeoutMs ?? 10_000;
    const choose = this.boundPort === 0;
    // Otherwise a Ping would reach whatever holds the port while the new server fails to bind.
    if (!choose && (await accepts(this.ip, this.boundPort))) {
      throw new Error(
        `cannot start the optimizer's server: port ${this.boundPort} on ${this.ip} is already in use; ` +
          "stop the process using it or choose another port",
      );
    }
    const args = [this.serverScript, "--ip", this.ip, "--port", String(this.boundPort)];
    const env = { ...process.env };
    // The bound port is read from the info line; the log is only kept for error messages.
    if (choose && !VERBOSE.includes(env[LOG_LEVEL_VARIABLE]?.trim().toLowerCase() ?? "info")) {
      env[LOG_LEVEL_VARIABLE] = "info";
    }
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    this.stderr = "";
    let listening = !choose;
    // Always drain stderr: a full pipe would block the server's synchronous logging.
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-STDERR_KEPT);
      const bound = listening ? null : LISTENING.exec(this.stderr);
      if (bound !== null) {
        this.boundPort = Number(bound[1]);
        listening = true;
      }
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
      if (listening) {
        try {
          await this.ping({ timeoutMs: Math.max(100, Math.min(1000, deadline - Date.now())) });
          return;
        } catch {
          // Not listening yet.
        }
      }
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        await exited;
        this.child = null;
        throw new Error(
          `the optimizer's server did not answer on ${this.ip}:${this.boundPort} within ${timeoutMs} ms: ` +
            this.stderr.trim(),
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private async request(body: string, options: TimeoutOption): Promise<Reply> {
    const text = await sendRequest(
      this.ip,
      this.boundPort,
      body,
      options.timeoutMs ?? this.timeoutMs,
    );
    return parseReply(text);
  }

  /** Sends a Ping; resolves with the Pong's number. */
  async ping(options: TimeoutOption = {}): Promise<number> {
    const reply = await this.request('{"Ping":1}', options);
    if (reply.type === "Pong") return reply.id;
    if (reply.type === "Error") {
      throw new TcpRequestError(
        "reply",
        `the server answered Ping with error ${reply.error.code}: ${reply.error.message}`,
      );
    }
    throw new TcpRequestError("reply", `unexpected reply to Ping (${reply.type})`);
  }

  /**
   * Solves for the parameter `p` on the server. The server's error replies
   * (codes 1000, 1600, 1700, 2000, 3003) come back as `{ ok: false }`.
   */
  async call(p: ArrayLike<number>, options: CallOptions = {}): Promise<CallResult> {
    const run = {
      Run: {
        parameter: Array.from(p),
        initial_guess: vector(options.initialGuess),
        initial_lagrange_multipliers: vector(options.initialLagrangeMultipliers),
        initial_penalty: options.initialPenalty ?? null,
      },
    };
    const reply = await this.request(JSON.stringify(run), options);
    if (reply.type === "Status") return { ok: true, status: reply.status };
    if (reply.type === "Error") return { ok: false, error: reply.error };
    throw new TcpRequestError("reply", `unexpected reply to Run (${reply.type})`);
  }

  /** Sends Kill and, for a server this manager started, waits until its process has exited. */
  async kill(options: TimeoutOption = {}): Promise<void> {
    const child = this.child;
    const exited =
      child === null || child.exitCode !== null
        ? Promise.resolve()
        : new Promise<void>((r) => child.once("exit", () => r()));
    const reply = await this.request('{"Kill":1}', options);
    if (reply.type !== "Empty") {
      throw new TcpRequestError("reply", `unexpected reply to Kill (${reply.type})`);
    }
    if (child !== null) {
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
      this.child = null;
    }
  }
}
