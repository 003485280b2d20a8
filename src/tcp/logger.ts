/**
 * The server's log: one line per event on standard error, human-readable on
 * a terminal and JSON lines otherwise. Writing never blocks serving: lines
 * wait in a bounded buffer while one asynchronous write is under way, and
 * when the sink falls behind the excess is dropped and counted, then
 * reported in a line of its own once the sink catches up.
 */
import { write } from "node:fs";

/** The environment variable that sets the log level, as `RUST_LOG` does for OpEn's servers. */
export const LOG_LEVEL_VARIABLE = "OPEN_ENGINE_LOG";

/** Log levels, most severe first; `silent` writes nothing. */
export const LOG_LEVELS = ["error", "warn", "info", "debug", "trace", "silent"] as const;

/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Extra fields of a log line. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Where lines go: `write` takes text and calls back once the sink took it. */
export interface LogSink {
  write(text: string, done: (error: Error | null) => void): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Level (default: {@link LOG_LEVEL_VARIABLE}, else `info`). */
  readonly level?: string;
  /** `pretty` for people, `json` for machines (default: `pretty` when stderr is a terminal). */
  readonly format?: "pretty" | "json";
  /** The sink (default: standard error, written asynchronously). */
  readonly sink?: LogSink;
  /** Characters held while the sink is busy; lines beyond are dropped and counted (default 256 KiB). */
  readonly bufferChars?: number;
}

/** The server's logger. */
export interface Logger {
  /** The level in force. */
  readonly level: LogLevel;
  /** Whether a line at `level` would be written (to skip building its fields). */
  enabled(level: Exclude<LogLevel, "silent">): boolean;
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  trace(message: string, fields?: LogFields): void;
  /** Lines dropped so far because the sink was too slow. */
  readonly dropped: number;
  /** Resolves once every buffered line has been handed to the sink. */
  flush(): Promise<void>;
}

/** Standard error, written with asynchronous `fs.write` so that a stalled reader cannot block. */
const stderrSink: LogSink = {
  write: (text, done) => write(2, text, (error) => done(error)),
};

function pretty(time: Date, level: string, message: string, fields: LogFields | undefined) {
  let line = `${time.toISOString().slice(11, 23)} ${level.toUpperCase().padEnd(5)} ${message}`;
  if (fields !== undefined) {
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined)
        line += ` ${key}=${typeof value === "string" ? JSON.stringify(value) : value}`;
    }
  }
  return `${line}\n`;
}

function json(time: Date, level: string, message: string, fields: LogFields | undefined) {
  return `${JSON.stringify({ time: time.toISOString(), level, msg: message, ...fields })}\n`;
}

/**
 * A logger at the level of `options.level`, or of {@link LOG_LEVEL_VARIABLE}
 * (default `info`); an unknown level falls back to `info` with a warning.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const asked = (options.level ?? process.env[LOG_LEVEL_VARIABLE])?.trim().toLowerCase() || "info";
  const known = (LOG_LEVELS as readonly string[]).includes(asked);
  const level = (known ? asked : "info") as LogLevel;
  // Lines of a level ranked above `rank` are not written; `silent` writes none.
  const rank = level === "silent" ? -1 : LOG_LEVELS.indexOf(level);
  const format = options.format ?? (process.stderr.isTTY ? "pretty" : "json");
  const render = format === "pretty" ? pretty : json;
  const sink = options.sink ?? stderrSink;
  const capacity = options.bufferChars ?? 256 * 1024;

  let pending: string[] = [];
  let pendingChars = 0;
  let writing = false;
  let broken = false;
  let dropped = 0;
  let droppedSinceNotice = 0;
  const idle: (() => void)[] = [];

  const pump = (): void => {
    if (writing) return;
    if (droppedSinceNotice > 0 && pendingChars < capacity) {
      const notice = `dropped ${droppedSinceNotice} log lines: the log sink was too slow`;
      droppedSinceNotice = 0;
      pending.push(render(new Date(), "warn", notice, { dropped }));
    }
    if (pending.length === 0 || broken) {
      for (const resolve of idle.splice(0)) resolve();
      return;
    }
    const text = pending.join("");
    pending = [];
    pendingChars = 0;
    writing = true;
    sink.write(text, (error) => {
      writing = false;
      // A closed or failing sink stays failed: later lines are counted, not retried.
      if (error !== null) broken = true;
      pump();
    });
  };

  const emit = (at: LogLevel, message: string, fields?: LogFields): void => {
    if (broken || pendingChars >= capacity) {
      dropped++;
      droppedSinceNotice++;
      return;
    }
    const line = render(new Date(), at, message, fields);
    pending.push(line);
    pendingChars += line.length;
    pump();
  };

  const enabled = (at: LogLevel): boolean => LOG_LEVELS.indexOf(at) <= rank;
  // A level below the logger's costs a call to an empty function and nothing more.
  const method = (at: LogLevel) =>
    enabled(at) ? (m: string, f?: LogFields) => emit(at, m, f) : () => {};
  const logger: Logger = {
    level,
    enabled,
    error: method("error"),
    warn: method("warn"),
    info: method("info"),
    debug: method("debug"),
    trace: method("trace"),
    get dropped() {
      return dropped;
    },
    flush: () =>
      new Promise<void>((resolve) => {
        if (!writing && pending.length === 0) resolve();
        else idle.push(resolve);
      }),
  };
  if (!known) {
    logger.warn(
      `${LOG_LEVEL_VARIABLE}=${asked} is not a level (${LOG_LEVELS.join(", ")}); using info`,
    );
  }
  return logger;
}
