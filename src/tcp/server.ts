import { createServer, type Server, type Socket } from "node:net";
import type { Logger } from "pino";
import { ErrorCode } from "../solver/types.js";
import { createLogger } from "./logger.js";
import {
  DEFAULT_MAX_REQUEST_BYTES,
  idleTimeoutMessage,
  parseRequest,
  type Request,
  RequestFramer,
  serializeError,
  serializePong,
  tooLargeMessage,
} from "./protocol.js";
import { type SolverDimensions, SolverPool } from "./solverPool.js";

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** The module whose optimizer is served (see `loadOptimizer`): a path or a URL. */
  readonly optimizerModule: string;
  /** Address to bind (default 127.0.0.1: local access only). */
  readonly ip?: string;
  /** Port (default 8333, as OpEn; 0 picks a free one). */
  readonly port?: number;
  /**
   * Worker threads that solve (default 1: runs solved in arrival order against
   * one warm start, as OpEn). With more, each worker keeps its own warm start.
   */
  readonly workers?: number;
  /** Largest request in bytes (default 1 MiB); larger ones get error 1000. */
  readonly maxRequestBytes?: number;
  /** A connection that completes no request within this time gets error 1000 (default 10 s). */
  readonly idleTimeoutMs?: number;
  /** Logger (default: JSON lines on stderr at the level of OPEN_ENGINE_LOG). */
  readonly logger?: Logger;
  /** Called after a Kill request has stopped the server. */
  readonly onKill?: () => void;
}

/** A running optimizer server. */
export interface OptimizerServer {
  /** The bound address. */
  readonly address: { readonly ip: string; readonly port: number };
  /** The served optimizer's dimensions. */
  readonly dimensions: SolverDimensions;
  /** Stops listening, closes open connections and stops the workers. */
  close(): Promise<void>;
}

/** How long a connection that was answered early may keep sending before it is dropped. */
const LINGER_MS = 2000;

/**
 * Serves an optimizer over TCP with OpEn's JSON protocol: one request per
 * connection, answered and then closed gracefully. Solving runs in worker
 * threads, so Pings and new connections are served during long solves.
 * Rejects when the optimizer cannot be loaded or the address cannot be bound
 * (the error's `code` is Node's, e.g. `EADDRINUSE`).
 */
export async function startServer(options: ServerOptions): Promise<OptimizerServer> {
  const log = options.logger ?? createLogger();
  const maxBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const idleMs = options.idleTimeoutMs ?? 10_000;
  const pool = await SolverPool.start(options.optimizerModule, options.workers ?? 1);
  const sockets = new Set<Socket>();
  let nextJob = 0;
  let stopping: Promise<void> | null = null;

  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", (e) => log.debug({ err: e.message }, "connection error"));
    const framer = new RequestFramer(maxBytes);
    let answered = false;
    let dropped = 0;

    const reply = (text: string): void => {
      answered = true;
      socket.setTimeout(0);
      if (!socket.writable) return;
      // A client still sending after an early answer is dropped once it had time to read it.
      socket.end(text, () => setTimeout(() => socket.destroy(), LINGER_MS).unref());
    };

    const handle = (): void => {
      const parsed = parseRequest(framer.bytes());
      if (!parsed.ok) {
        log.debug({ code: parsed.code }, parsed.message);
        reply(serializeError(parsed.code, parsed.message));
        return;
      }
      dispatch(parsed.request);
    };

    const dispatch = (request: Request): void => {
      log.debug({ request: request.type }, "request");
      if (request.type === "Ping") {
        reply(serializePong(request.id));
      } else if (request.type === "Kill") {
        answered = true;
        socket.end();
        log.info("kill request: stopping");
        void stop().then(() => options.onKill?.());
      } else {
        answered = true;
        socket.setTimeout(0);
        const { type: _type, ...job } = request;
        pool.solve({ id: nextJob++, ...job }).then((text) => {
          log.debug({ bytes: text.length }, "run answered");
          reply(text);
        });
      }
    };

    socket.setTimeout(idleMs, () => {
      if (answered) return;
      log.info({ remote: socket.remoteAddress }, "idle connection closed");
      reply(serializeError(ErrorCode.InvalidRequest, idleTimeoutMessage(idleMs)));
    });
    socket.on("data", (chunk: Buffer) => {
      if (answered) {
        // Bytes after the request are dropped, but only up to a limit: beyond it, reading
        // stops so that memory cannot grow with what a client keeps sending (it is then
        // reset when LINGER_MS is over).
        dropped += chunk.length;
        if (dropped > maxBytes) socket.pause();
        return;
      }
      const state = framer.push(chunk);
      if (state === "tooLarge") {
        log.info({ remote: socket.remoteAddress }, "request too large");
        reply(serializeError(ErrorCode.InvalidRequest, tooLargeMessage(maxBytes)));
      } else if (state === "complete") {
        handle();
      }
    });
    socket.on("end", () => {
      if (answered) return;
      if (framer.end() === "complete") handle();
    });
  });

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) {
        // A client that never closes its side must not hold the shutdown.
        socket.end();
        setTimeout(() => socket.destroy(), 200).unref();
      }
      await pool.close();
      await closed;
    })();
    return stopping;
  };

  const ip = options.ip ?? "127.0.0.1";
  const requestedPort = options.port ?? 8333;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(requestedPort, ip, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    await pool.close();
    throw e;
  }
  server.on("error", (e) => log.error({ err: e.message }, "server error"));
  const bound = server.address();
  const port = typeof bound === "object" && bound !== null ? bound.port : requestedPort;
  log.info({ ip, port, workers: options.workers ?? 1 }, `listening on ${ip}:${port}`);
  return { address: { ip, port }, dimensions: pool.dimensions, close: stop };
}
