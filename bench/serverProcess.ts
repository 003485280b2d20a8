/** A server child process for the TCP benchmarks: started on a port the system picks. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

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

/** CPU time spent by processes, in microseconds. */
export interface CpuTime {
  readonly userUs: number;
  readonly systemUs: number;
}

/** The clock ticks per second of /proc's CPU times. */
let ticksPerSecond: number | undefined;

/** `pid` and its descendants (a cluster's server processes), from /proc; empty where there is no /proc. */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${tree[i]}/task`)) {
        const children = readFileSync(`/proc/${tree[i]}/task/${task}/children`, "utf8");
        for (const child of children.split(" ")) if (child.trim() !== "") tree.push(Number(child));
      }
    } catch {
      if (i === 0) return [];
    }
  }
  return tree;
}

/**
 * The user and system CPU time the processes `pids` have spent so far, from
 * /proc (Linux), or null where it cannot be read. A process that has exited
 * counts for nothing.
 */
export function cpuTime(pids: readonly number[]): CpuTime | null {
  if (pids.length === 0) return null;
  try {
    ticksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));
  } catch {
    return null;
  }
  let user = 0;
  let system = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    user += Number(fields[11]);
    system += Number(fields[12]);
  }
  const us = 1e6 / ticksPerSecond;
  return { userUs: user * us, systemUs: system * us };
}
