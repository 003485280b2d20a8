import { type Logger, pino } from "pino";

/** The environment variable that sets the log level, as `RUST_LOG` does for OpEn's servers. */
export const LOG_LEVEL_VARIABLE = "OPEN_ENGINE_LOG";

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/**
 * A logger writing JSON lines to standard error, synchronously so that
 * nothing is lost when the process exits right after a Kill. The level comes
 * from {@link LOG_LEVEL_VARIABLE} (default `info`).
 */
export function createLogger(level = process.env[LOG_LEVEL_VARIABLE]): Logger {
  const chosen = level?.trim().toLowerCase() || "info";
  const logger = pino(
    { name: "open-engine", level: LEVELS.includes(chosen) ? chosen : "info" },
    pino.destination({ dest: 2, sync: true }),
  );
  if (!LEVELS.includes(chosen)) {
    logger.warn(`${LOG_LEVEL_VARIABLE}=${level} is not a level (${LEVELS.join(", ")}); using info`);
  }
  return logger;
}
