/**
 * Every option of the optimizer server in one table: its name, command-line
 * flag, default, check and meaning. `startServer`, the `serve` command and a
 * built folder's `server.js` all read their options from here.
 */

/** The server's options, resolved: every field has a checked value. */
export interface ServerSettings {
  /** Address to bind. */
  readonly ip: string;
  /** Port to listen on (0 lets the system choose one). */
  readonly port: number;
  /**
   * Server processes sharing the port, or `"auto"` for one per core. Each
   * process keeps its own warm start and has one worker thread for long solves.
   */
  readonly workers: number | "auto";
  /**
   * A Run is solved on the event loop while the optimizer's recent solves took
   * at most this long, in ms (0: every Run goes to the worker thread).
   */
  readonly inlineSolveMs: number;
  /** Largest request in bytes. */
  readonly maxRequestBytes: number;
  /** Time from connecting within which the whole request must arrive, in ms. */
  readonly requestTimeoutMs: number;
  /** Open connections at most. */
  readonly maxConnections: number;
  /** Runs waiting for a worker at most (Runs being solved not counted). */
  readonly maxQueue: number;
  /** Time a Run may take beyond the optimizer's `maxDurationMicros` before its worker is stopped, in ms. */
  readonly watchdogMarginMs: number;
  /** Time given to accepted Runs to finish when the server stops, in ms. */
  readonly shutdownGraceMs: number;
  /** Whether a Kill request stops the server (otherwise it is refused with error 1000). */
  readonly allowKill: boolean;
}

/** One row of the table. */
export interface Setting<T> {
  /** The command-line flag without its dashes (`--no-FLAG` for a setting that is on by default). */
  readonly flag: string;
  /** What the flag's argument is, as shown by `--help` (absent for an on/off setting). */
  readonly argument?: string;
  /** The default value. */
  readonly defaultValue: T;
  /** One line for `--help` and the documentation. */
  readonly doc: string;
  /** Returns null when `value` is acceptable, else what it must be. */
  check(value: unknown): string | null;
}

const MAX_MS = 2 ** 31 - 1; // setTimeout's largest delay

/** A check of an integer in [min, max], worded as `expected` (default "an integer from min to max"). */
function integerIn(
  min: number,
  max: number,
  expected = `an integer from ${min} to ${max}`,
): (value: unknown) => string | null {
  return (value) =>
    Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
      ? null
      : expected;
}

/** The table. Defaults are argued for in the project's protocol documentation. */
export const SERVER_SETTINGS: { readonly [K in keyof ServerSettings]: Setting<ServerSettings[K]> } =
  {
    ip: {
      flag: "ip",
      argument: "address",
      defaultValue: "127.0.0.1",
      doc: "address to bind (0.0.0.0 for all; default local access only)",
      check: (v) => (typeof v === "string" && v.trim() !== "" ? null : "an IP address"),
    },
    port: {
      flag: "port",
      argument: "port",
      defaultValue: 8333,
      doc: "port to listen on (0 lets the system choose)",
      check: integerIn(0, 65535, "a port: give an integer from 0 to 65535"),
    },
    workers: {
      flag: "workers",
      argument: "n|auto",
      defaultValue: 1,
      doc: "server processes sharing the port, auto for one per core (each keeps its own warm start)",
      check: (v) =>
        v === "auto" || (Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 1024)
          ? null
          : "a positive integer up to 1024, or auto",
    },
    inlineSolveMs: {
      flag: "inline-solve",
      argument: "ms",
      defaultValue: 1,
      doc: "solve a Run on the event loop, without the worker hand-off, while recent solves took at most this long (0: never)",
      check: integerIn(0, MAX_MS),
    },
    maxRequestBytes: {
      flag: "max-request-bytes",
      argument: "bytes",
      defaultValue: 1024 * 1024,
      doc: "largest request; a larger one gets error 1000",
      check: integerIn(16, 1024 ** 3),
    },
    requestTimeoutMs: {
      flag: "request-timeout",
      argument: "ms",
      defaultValue: 10_000,
      doc: "the whole request must arrive within this time from connecting, else error 1000",
      check: integerIn(1, MAX_MS),
    },
    maxConnections: {
      flag: "max-connections",
      argument: "n",
      defaultValue: 128,
      doc: "open connections at most; beyond it the oldest unfinished request is closed, or the new one refused (error 1000)",
      check: integerIn(1, 65536),
    },
    maxQueue: {
      flag: "max-queue",
      argument: "n",
      defaultValue: 64,
      doc: "Runs waiting for a worker at most; a Run beyond it gets error 1000",
      check: integerIn(0, 65536),
    },
    watchdogMarginMs: {
      flag: "watchdog-margin",
      argument: "ms",
      defaultValue: 1000,
      doc: "a Run still solving this long after the optimizer's maxDurationMicros has its worker stopped and replaced (error 2000)",
      check: integerIn(0, MAX_MS),
    },
    shutdownGraceMs: {
      flag: "shutdown-grace",
      argument: "ms",
      defaultValue: 8000,
      doc: "on Kill, SIGTERM or SIGINT, time given to accepted Runs to finish before they get an error",
      check: integerIn(0, MAX_MS),
    },
    allowKill: {
      flag: "kill",
      defaultValue: true,
      doc: "refuse Kill requests (error 1000); stop the server with SIGTERM or SIGINT instead",
      check: (v) => (typeof v === "boolean" ? null : "true or false"),
    },
  };

/** The names of the settings, in the table's order. */
export const SETTING_NAMES = Object.keys(SERVER_SETTINGS) as (keyof ServerSettings)[];

/**
 * Fills in defaults and checks every value; throws an Error naming the first
 * bad option and what it must be.
 */
export function resolveSettings(options: Partial<ServerSettings> = {}): ServerSettings {
  const resolved: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    const setting = SERVER_SETTINGS[name] as Setting<unknown>;
    const given = (options as Record<string, unknown>)[name];
    const value = given === undefined ? setting.defaultValue : given;
    const expected = setting.check(value);
    if (expected !== null) {
      throw new Error(`server option ${name} must be ${expected}, got ${String(value)}`);
    }
    resolved[name] = value;
  }
  return resolved as unknown as ServerSettings;
}
