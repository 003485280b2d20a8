/**
 * Several server processes on one port, for throughput on every core: the
 * process that starts them (the primary) serves nothing itself; each replica
 * is a {@link startServer} server with its own optimizer and warm start, and
 * the system hands each new connection to one of them. A Kill request taken
 * by any replica, or {@link ClusterServer.close}, stops every replica
 * gracefully.
 */
import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import { createLogger } from "./logger.js";
import { type OptimizerServer, type ServerOptions, startServer } from "./server.js";
import { resolveSettings, type ServerSettings } from "./settings.js";
import type { SolverDimensions } from "./solverPool.js";

/** What a replica tells the primary. */
type ReplicaMessage =
  | {
      readonly type: "listening";
      readonly port: number;
      readonly dimensions: SolverDimensions;
      readonly runBudgetMs: number;
    }
  | { readonly type: "failed"; readonly message: string; readonly code?: string }
  | { readonly type: "kill" };

/** What the primary tells a replica. */
interface PrimaryMessage {
  readonly type: "stop";
}

/** Several server processes sharing one port (see {@link startCluster}). */
export interface ClusterServer {
  readonly address: { readonly ip: string; readonly port: number };
  readonly dimensions: SolverDimensions;
  readonly settings: ServerSettings;
  readonly runBudgetMs: number;
  /** The server processes. */
  readonly processes: number;
  /** Stops every process gracefully (as a Kill does) and resolves once all have exited. */
  close(): Promise<void>;
}

/** The number of server processes that `workers` asks for. */
export function processCount(workers: number | "auto"): number {
  return workers === "auto" ? availableParallelism() : workers;
}

/**
 * Starts `settings.workers` replicas of this program (node:cluster runs the
 * same script with the same arguments; there {@link serveReplica} serves) and
 * resolves once every one listens. Rejects with the first replica's start
 * error (its `code` is Node's, e.g. `EADDRINUSE`). A replica that dies later
 * is replaced.
 */
export async function startCluster(
  options: Omit<ServerOptions, "optimizerModule">,
): Promise<ClusterServer> {
  const settings = resolveSettings(options);
  const log = options.logger ?? createLogger();
  const count = processCount(settings.workers);
  // Every replica accepts on the shared socket itself: no hand-off through the primary.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const replicas = new Set<Worker>();
  /** Replicas that listen, and so have their handler of the stop message. */
  const ready = new Set<Worker>();
  let stopping: Promise<void> | null = null;
  let started: ReplicaMessage & { type: "listening" };

  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      log.info(`stopping (${reason}): stopping ${replicas.size} processes`);
      const exits = [...replicas].map(
        (r) => new Promise<void>((resolve) => (r.isDead() ? resolve() : r.once("exit", resolve))),
      );
      for (const r of replicas) {
        // One still starting may not listen for messages yet: disconnecting stops it either way.
        if (ready.has(r) && r.isConnected()) r.send({ type: "stop" } satisfies PrimaryMessage);
        else r.kill();
      }
      await Promise.all(exits);
      log.info("stopped");
    })();
    return stopping;
  };

  const kill = (): void => {
    if (stopping === null) void stop("kill request").then(() => options.onKill?.());
  };

  const fork = (): Promise<ReplicaMessage & { type: "listening" }> =>
    new Promise((resolve, reject) => {
      const replica = cluster.fork();
      replicas.add(replica);
      let listening = false;
      replica.on("message", (m: ReplicaMessage) => {
        if (m.type === "listening") {
          listening = true;
          ready.add(replica);
          log.info("server process listening", { pid: replica.process.pid });
          resolve(m);
        } else if (m.type === "failed") {
          reject(Object.assign(new Error(m.message), { code: m.code }));
        } else if (m.type === "kill") {
          kill();
        }
      });
      replica.once("exit", (code, signal) => {
        replicas.delete(replica);
        ready.delete(replica);
        if (!listening) {
          reject(new Error(`a server process exited while starting (${signal ?? code})`));
        } else if (code === 0) {
          // A replica exits 0 only once stopped, by the primary or by a Kill it took (whose
          // message may come after its exit): never a crash to make up for.
          kill();
        } else if (stopping === null) {
          log.error("a server process stopped: starting another", { code, signal });
          fork().catch((e: Error) =>
            log.error("cannot restart a server process", { error: e.message }),
          );
        }
      });
    });

  try {
    [started] = await Promise.all(Array.from({ length: count }, fork));
  } catch (e) {
    await stop("start failed");
    throw e;
  }
  const address = { ip: settings.ip, port: started.port };
  log.info(`listening on ${address.ip}:${address.port}`, { processes: count });
  return {
    address,
    dimensions: started.dimensions,
    settings,
    runBudgetMs: started.runBudgetMs,
    processes: count,
    close: () => stop("close"),
  };
}

/**
 * Serves as one replica of a {@link startCluster} primary: one process
 * (`workers` 1) on the shared port, stopped gracefully by the primary, or when
 * the primary has gone. Its Kill requests stop the whole cluster. Signals are
 * left to the primary, which stops every replica.
 */
export async function serveReplica(options: ServerOptions): Promise<void> {
  const log = options.logger ?? createLogger();
  /** Tells the primary, then exits with `code` once the message and the log are out. */
  const sendAndExit = (m: ReplicaMessage, code: number): void => {
    const exit = (): void => void log.flush().finally(() => process.exit(code));
    if (process.connected && process.send !== undefined) process.send(m, undefined, {}, exit);
    else exit();
  };
  let server: OptimizerServer | null = null;
  let stopRequested = false;
  const stop = (): void => {
    stopRequested = true;
    void server?.close().then(() => log.flush().finally(() => process.exit(0)));
  };
  process.on("message", (m: PrimaryMessage) => {
    if (m.type === "stop") stop();
  });
  process.on("disconnect", stop);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => {});
  try {
    server = await startServer({
      ...options,
      logger: log,
      workers: 1,
      onKill: () => sendAndExit({ type: "kill" }, 0),
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    sendAndExit({ type: "failed", message: err.message, code: err.code }, 1);
    return;
  }
  const { port } = server.address;
  const { dimensions, runBudgetMs } = server;
  if (process.connected) {
    process.send?.({ type: "listening", port, dimensions, runBudgetMs } satisfies ReplicaMessage);
  }
  if (stopRequested) stop();
}
