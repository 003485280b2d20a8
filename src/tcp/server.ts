import { createServer, type Server, type Socket } from "node:net";
import { ErrorCode } from "../solver/types.js";
import { RequestFramer } from "./framer.js";
import { createLogger, type Logger } from "./logger.js";
import { parseRequest, serializeError, serializePong, serverMessages } from "./protocol.js";
import { resolveSettings, type ServerSettings } from "./settings.js";
import type { SolveJob } from "./solveJob.js";
import { type RunTicket, type SolverDimensions, SolverPool } from "./solverPool.js";

/** Options of {@link startServer}: the module to serve, and any server setting (see `SERVER_SETTINGS`). */
export interface ServerOptions extends Partial<ServerSettings> {
  /** The module whose optimizer is served (see `loadOptimizer`): a path or a URL. */
  readonly optimizerModule: string;
  /** Logger (default: {@link createLogger}, on stderr at the level of OPEN_ENGINE_LOG). */
  readonly logger?: Logger;
  /** Called once a Kill request has stopped the server (every accepted request answered). */
  readonly onKill?: () => void;
}

/** A running optimizer server. */
export interface OptimizerServer {
  /** The bound address. */
  readonly address: { readonly ip: string; readonly port: number };
  /** The served optimizer's dimensions. */
  readonly dimensions: SolverDimensions;
  /** The settings in force. */
  readonly settings: ServerSettings;
  /** A Run's time budget in ms before the watchdog stops it. */
  readonly runBudgetMs: number;
  /** Connections being read or answered now, and Runs waiting for a worker. */
  stats(): { readonly connections: number; readonly queuedRuns: number };
  /**
   * Stops gracefully, as a Kill request does: stops listening, answers every
   * accepted request (Runs get the shutdown grace period to finish) and
   * resolves once every connection is closed and the workers have stopped.
   */
  close(): Promise<void>;
}

/** How long an answered connection may stay open for the client to read the reply. */
const LINGER_MS = 2000;

/** How often a waiting Run checks that its client is still there. */
const PROBE_MS = 500;

/**
 * One timer per server, not three per connection (they cost a tenth of a Ping's
 * CPU): it closes requests past their deadline and answered connections whose
 * client has not closed, every SWEEP_MAX_MS or a quarter of the request
 * timeout if that is shorter.
 */
const SWEEP_MAX_MS = 100;

/** On stopping, the listener closes after QUIET_MS without a new connection (QUIET_MAX_MS at most). */
const QUIET_MS = 10;
const QUIET_MAX_MS = 200;

/** One client connection. Connections in `active` are the ones being read or solved for. */
interface Connection {
  readonly socket: Socket;
  framer: RequestFramer | null;
  phase: "reading" | "working" | "answered";
  /** When the whole request must have arrived (performance.now() time). */
  readonly deadlineAt: number;
  /** While a Run waits: the timer of the next probe for a client that has gone. */
  probe: NodeJS.Timeout | undefined;
  ticket: RunTicket | null;
  /** Bytes received after the request, which are read and dropped up to a limit. */
  discarded: number;
}

/**
 * Serves an optimizer over TCP with OpEn's JSON protocol, in this process:
 * one request per connection, answered and then closed gracefully. Short
 * solves run on the event loop and long ones in a worker thread (see the
 * `inlineSolveMs` setting), so Pings and new connections are served during
 * long solves.
 * Every connection has a deadline for its request, memory bounded by its
 * request's size, and a place among at most `maxConnections`; Runs wait in a
 * bounded queue and are watched by a watchdog. Rejects when a setting is
 * invalid, the optimizer cannot be loaded or the address cannot be bound
 * (the error's `code` is Node's, e.g. `EADDRINUSE`).
 */
export async function startServer(options: ServerOptions): Promise<OptimizerServer> {
  const settings = resolveSettings(options);
  if (settings.workers !== 1) {
    throw new Error(
      "startServer serves in this process: workers must be 1 (serveCluster starts several processes)",
    );
  }
  const log = options.logger ?? createLogger();
  const pool = await SolverPool.start(options.optimizerModule, settings);
  const active = new Set<Connection>(); // in order of arrival, so the first is the oldest
  /** Answered sockets, and when each is destroyed if its client has not closed it by then. */
  const lingering = new Map<Socket, number>();
  let nextJob = 0;
  let accepted = 0;
  let stopping: Promise<void> | null = null;

  /** Sends `text` (nothing for Kill), half-closes, and drops the connection's request state. */
  const answer = (conn: Connection, text: string): void => {
    if (conn.phase === "answered") return;
    conn.phase = "answered";
    conn.framer = null;
    clearTimeout(conn.probe);
    active.delete(conn);
    const socket = conn.socket;
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    // The client gets LINGER_MS to read the reply once it is flushed, and no more than
    // the request deadline if it never reads at all.
    lingering.set(socket, performance.now() + settings.requestTimeoutMs + LINGER_MS);
    socket.end(text, () => {
      if (lingering.has(socket)) lingering.set(socket, performance.now() + LINGER_MS);
    });
    // Nagle's rule holds a small segment back only while earlier data is unacknowledged: a
    // reply the system took whole is sent at once (after probes, the probe set the option),
    // but the last part of one larger than the send buffer would wait for an acknowledgement.
    if (socket.writableLength > 0) socket.setNoDelay(true);
  };

  const refuse = (conn: Connection, message: string): void => {
    log.debug("request refused", { remote: conn.socket.remoteAddress, message });
    answer(conn, serializeError(ErrorCode.InvalidRequest, message));
  };

  const run = (conn: Connection, job: SolveJob): void => {
    const ticket = pool.submit(job);
    if (ticket === null) {
      log.warn("Run queue full: Run refused", { waiting: pool.waiting });
      refuse(conn, serverMessages.queueFull(settings.maxQueue));
      return;
    }
    conn.phase = "working";
    conn.ticket = ticket;
    // A Run that waits gets one space (JSON whitespace) at once and every PROBE_MS while it
    // waits: if the client has closed its socket, its system answers with a reset, the
    // connection closes, and the Run is dropped before it starts.
    const probe = (): void => {
      if (conn.phase !== "working" || !ticket.waiting() || !conn.socket.writable) return;
      // Once a probe is out, Nagle's rule would hold the reply back until the probe is
      // acknowledged. A reply that is the connection's only write needs no such option.
      conn.socket.setNoDelay(true);
      conn.socket.write(" ");
      conn.probe = setTimeout(probe, PROBE_MS);
    };
    probe();
    void ticket.outcome.then(({ reply, summary, inline }) => {
      conn.ticket = null;
      if (log.enabled("debug")) log.debug("run", { job: job.id, inline, ...summary });
      answer(conn, reply);
    });
  };

  const handle = (conn: Connection): void => {
    const parsed = parseRequest((conn.framer as RequestFramer).bytes());
    conn.framer = null;
    if (!parsed.ok) {
      log.debug("invalid request", { code: parsed.code, message: parsed.message });
      answer(conn, serializeError(parsed.code, parsed.message));
      return;
    }
    const request = parsed.request;
    if (log.enabled("trace")) log.trace("request", { type: request.type });
    if (request.type === "Ping") {
      answer(conn, serializePong(request.id));
    } else if (request.type === "Kill") {
      if (!settings.allowKill) {
        log.info("Kill request refused (--no-kill)", { remote: conn.socket.remoteAddress });
        refuse(conn, serverMessages.killRefused());
        return;
      }
      answer(conn, "");
      void stop("kill request").then(() => options.onKill?.());
    } else if (stopping !== null) {
      refuse(conn, serverMessages.stopping());
    } else {
      run(conn, {
        id: nextJob++,
        parameter: request.parameter,
        initialGuess: request.initialGuess,
        initialLagrangeMultipliers: request.initialLagrangeMultipliers,
        initialPenalty: request.initialPenalty,
      });
    }
  };

  const accept = (socket: Socket): void => {
    accepted++;
    socket.on("error", (e) => log.debug("connection error", { error: e.message }));
    const conn: Connection = {
      socket,
      framer: new RequestFramer(settings.maxRequestBytes),
      phase: "reading",
      deadlineAt: performance.now() + settings.requestTimeoutMs,
      probe: undefined,
      ticket: null,
      discarded: 0,
    };
    socket.once("close", () => {
      clearTimeout(conn.probe);
      active.delete(conn);
      lingering.delete(socket);
      // A client that has gone does not keep its Run in the queue.
      conn.ticket?.cancel();
    });
    socket.on("data", (chunk: Buffer) => {
      if (conn.framer === null) {
        // Bytes after the request are dropped, and past a limit no longer read, so that
        // memory cannot grow with what a client keeps sending.
        conn.discarded += chunk.length;
        if (conn.discarded > settings.maxRequestBytes) socket.pause();
        return;
      }
      const state = conn.framer.push(chunk);
      if (state === "tooLarge") refuse(conn, serverMessages.tooLarge(settings.maxRequestBytes));
      else if (state === "complete") handle(conn);
    });
    socket.on("end", () => {
      if (conn.framer !== null && conn.framer.end() === "complete") handle(conn);
    });
    if (stopping !== null) {
      refuse(conn, serverMessages.stopping());
      return;
    }
    if (active.size >= settings.maxConnections) {
      // Requests being solved are never closed; the oldest one still arriving makes room.
      let oldest: Connection | undefined;
      for (const c of active) {
        if (c.phase === "reading") {
          oldest = c;
          break;
        }
      }
      if (oldest === undefined) {
        log.warn("connection limit reached: new connection refused", {
          maxConnections: settings.maxConnections,
        });
        refuse(conn, serverMessages.tooManyConnections(settings.maxConnections));
        return;
      }
      log.warn("connection limit reached: the oldest unfinished request was closed", {
        maxConnections: settings.maxConnections,
      });
      refuse(oldest, serverMessages.evicted(settings.maxConnections));
    }
    active.add(conn);
  };

  const sweep = (): void => {
    const now = performance.now();
    // Connections arrive in deadline order: stop at the first whose deadline is ahead.
    for (const conn of active) {
      if (conn.deadlineAt > now) break;
      if (conn.phase === "reading") {
        refuse(conn, serverMessages.deadline(settings.requestTimeoutMs));
      }
    }
    for (const [socket, until] of lingering) {
      if (until <= now) {
        lingering.delete(socket);
        socket.destroy();
      }
    }
  };

  const server: Server = createServer({ allowHalfOpen: true }, accept);

  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      log.info(`stopping (${reason}): answering accepted requests`, {
        connections: active.size,
        waiting: pool.waiting,
      });
      // Closing the listener resets the connections the system has completed but we have
      // not taken yet: keep taking (and answering) them until a quiet moment, within a bound.
      for (let waited = 0, seen = -1; seen !== accepted && waited < QUIET_MAX_MS; ) {
        seen = accepted;
        await new Promise((r) => setTimeout(r, QUIET_MS));
        waited += QUIET_MS;
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const conn of [...active]) {
        if (conn.phase === "reading") refuse(conn, serverMessages.stopping());
      }
      await pool.drain(settings.shutdownGraceMs);
      await closed;
      clearInterval(sweeper);
      log.info("stopped");
    })();
    return stopping;
  };

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(settings.port, settings.ip, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    await pool.close();
    throw e;
  }
  server.on("error", (e) => log.error("server error", { error: e.message }));
  const sweepMs = Math.max(1, Math.min(SWEEP_MAX_MS, Math.floor(settings.requestTimeoutMs / 4)));
  const sweeper = setInterval(sweep, sweepMs).unref();
  const bound = server.address();
  const port = typeof bound === "object" && bound !== null ? bound.port : settings.port;
  const ip = settings.ip;
  log.info(`listening on ${ip}:${port}`, {
    inlineSolveMs: settings.inlineSolveMs,
    maxConnections: settings.maxConnections,
    maxQueue: settings.maxQueue,
    runBudgetMs: pool.budgetMs,
    allowKill: settings.allowKill,
  });
  return {
    address: { ip, port },
    dimensions: pool.dimensions,
    settings,
    runBudgetMs: pool.budgetMs,
    stats: () => ({ connections: active.size, queuedRuns: pool.waiting }),
    close: () => stop("close"),
  };
}
