/** A server child process for the TCP benchmarks: started on a port the system picks. */
import { type ChildProcess, spawn } from "node:child_process";

/** A running server process. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
}

/**
 * Runs `node main serve module --port 0 ...extra` (with at most `fileLimit`
 * open files if given) and resolves with the port
 * read from its `listening on` log line. Its log is read and dropped, so it
 * never blocks the server.
 */
export async function serveOnFreePort(
  main: string,
  module: string,
  extra: string[] = [],
  fileLimit?: number,
): Promise<ServerProcess> {
  const node = [process.execPath, main, "serve", module, "--port", "0", ...extra];
  // With a limit on open files (as a small container has), through the shell's ulimit.
  const [command, ...args] =
    fileLimit === undefined
      ? node
      : ["sh", "-c", `ulimit -n ${fileLimit} && exec "$@"`, "sh", ...node];
  const child = spawn(command, args, {
    env: { ...process.env, OPEN_ENGINE_LOG: "info" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  let log = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr?.on("data", (c: Buffer) => {
      log += c.toString();
      const m = /listening on [^:"]+:(\d+)/.exec(log);
      if (m !== null) resolve(Number(m[1]));
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}): ${log}`)));
  });
  child.stderr?.removeAllListeners("data");
  child.stderr?.resume();
  return { child, port, exited };
}
