import cluster from "node:cluster";
import { Command, InvalidArgumentError } from "commander";
import { processCount, serveReplica, startCluster } from "../tcp/cluster.js";
import { createLogger, type Logger } from "../tcp/logger.js";
import { startServer } from "../tcp/server.js";
import {
  resolveSettings,
  SERVER_SETTINGS,
  SETTING_NAMES,
  type ServerSettings,
  type Setting,
} from "../tcp/settings.js";

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

/** The parser of a setting's flag argument: the table's check, worded for the command line. */
function parserOf(setting: Setting<unknown>): (text: string) => unknown {
  return (text) => {
    // A numeric setting may also take a word (workers: auto); its check says which.
    const value =
      typeof setting.defaultValue === "number" && /^\s*\d+\s*$/.test(text)
        ? Number(text)
        : text.trim();
    const expected = setting.check(value);
    if (expected !== null) throw new InvalidArgumentError(`'${text}' is not ${expected}.`);
    return value;
  };
}

function attributeOf(setting: Setting<unknown>): string {
  return setting.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Adds every server setting of `SERVER_SETTINGS` to a command as a flag,
 * with `defaults` in place of the table's where given (a built folder's
 * address, for instance).
 */
export function addServerOptions(
  command: Command,
  defaults: Partial<ServerSettings> = {},
): Command {
  for (const name of SETTING_NAMES) {
    const setting = SERVER_SETTINGS[name] as Setting<unknown>;
    const fallback = defaults[name] ?? setting.defaultValue;
    if (typeof setting.defaultValue === "boolean") {
      command.option(`--no-${setting.flag}`, setting.doc);
    } else {
      command.option(
        `--${setting.flag} <${setting.argument}>`,
        setting.doc,
        parserOf(setting),
        fallback,
      );
    }
  }
  return command;
}

/** Reads the server settings back from a command's parsed options. */
export function serverSettingsOf(options: Record<string, unknown>): Partial<ServerSettings> {
  const settings: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    settings[name] = options[attributeOf(SERVER_SETTINGS[name] as Setting<unknown>)];
  }
  return settings as Partial<ServerSettings>;
}

/** Exits once the log is written, or after a second at most if its reader is stuck. */
async function exitAfterLog(log: Logger, code: number): Promise<never> {
  await Promise.race([log.flush(), new Promise((r) => setTimeout(r, 1000).unref())]);
  process.exit(code);
}

/**
 * Serves the optimizer of a module (in this process, or in `workers` processes
 * sharing the port) until a Kill request,
 * SIGTERM or SIGINT, which stop the server gracefully (every accepted request
 * answered), then exits with status 0; a second signal exits at once with
 * status 1. A port in use or an optimizer that cannot be loaded ends the
 * process with status 1 and a message that says why.
 */
export async function serveProcess(
  optimizerModule: string,
  settings: Partial<ServerSettings>,
): Promise<void> {
  const log = createLogger();
  let resolved: ServerSettings | undefined;
  try {
    resolved = resolveSettings(settings);
    if (cluster.isWorker) {
      await serveReplica({ optimizerModule, ...resolved, logger: log });
      return;
    }
    const options = {
      optimizerModule,
      ...resolved,
      logger: log,
      onKill: () => void exitAfterLog(log, 0),
    };
    const server =
      processCount(resolved.workers) === 1
        ? await startServer({ ...options, workers: 1 })
        : await startCluster(options);
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (++signals > 1) process.exit(1);
      log.info(`${signal}: stopping (a second signal exits at once)`);
      void server.close().then(() => exitAfterLog(log, 0));
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const message =
      err.code === "EADDRINUSE"
        ? `port ${resolved?.port} on ${resolved?.ip} is already in use: stop the process using it or choose another --port`
        : err.code === "EADDRNOTAVAIL"
          ? `cannot bind ${resolved?.ip}: it is not an address of this machine (use --ip)`
          : err.message;
    process.stderr.write(`open-engine: ${message}\n`);
    process.exit(1);
  }
}

/**
 * The command line of a built optimizer's TCP server: every server setting
 * as a flag, with the build's address as default. An invalid option exits
 * with status 2.
 */
export async function runServerProcess(
  optimizerModule: string,
  argv: string[],
  defaults: { ip: string; port: number },
): Promise<void> {
  const program = addServerOptions(
    new Command("server").description("Serve this optimizer over TCP (OpEn's JSON protocol)."),
    defaults,
  ).exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  program.parse(argv, { from: "user" });
  await serveProcess(optimizerModule, serverSettingsOf(program.opts()));
}
