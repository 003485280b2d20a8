import { Command, InvalidArgumentError } from "commander";
import { startServer } from "../tcp/server.js";

/** Parses a TCP port (0 to 65535) given on the command line. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(port) || port > 65535) {
    throw new InvalidArgumentError(`'${value}' is not a port: give an integer from 0 to 65535.`);
  }
  return port;
}

/** Parses a positive count given on the command line. */
export function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`'${value}' is not a positive integer.`);
  }
  return n;
}

/** Where and how to serve. */
export interface ServeSettings {
  readonly ip: string;
  readonly port: number;
  readonly workers: number;
}

/**
 * Serves the optimizer of a module in this process until a Kill request
 * arrives, then exits with status 0. A port in use or an optimizer that cannot
 * be loaded ends the process with status 1 and a message that says why.
 */
export async function serveProcess(
  optimizerModule: string,
  settings: ServeSettings,
): Promise<void> {
  try {
    await startServer({ optimizerModule, ...settings, onKill: () => process.exit(0) });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const message =
      err.code === "EADDRINUSE"
        ? `port ${settings.port} on ${settings.ip} is already in use: stop the process using it or choose another --port`
        : err.code === "EADDRNOTAVAIL"
          ? `cannot bind ${settings.ip}: it is not an address of this machine (use --ip)`
          : err.message;
    process.stderr.write(`open-engine: ${message}\n`);
    process.exit(1);
  }
}

/**
 * The command line of a built optimizer's TCP server: `--ip`, `--port`,
 * `--workers`, with the build's defaults. An invalid option exits with status 2.
 */
export async function runServerProcess(
  optimizerModule: string,
  argv: string[],
  defaults: { ip: string; port: number },
): Promise<void> {
  const program = new Command("server")
    .description("Serve this optimizer over TCP (OpEn's JSON protocol).")
    .option("--ip <address>", "address to bind", defaults.ip)
    .option("--port <port>", "port to listen on", parsePort, defaults.port)
    .option(
      "--workers <n>",
      "worker threads that solve (each keeps its own warm start)",
      parseCount,
      1,
    )
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  program.parse(argv, { from: "user" });
  await serveProcess(optimizerModule, program.opts<ServeSettings>());
}
