/**
 * A failure of a numerical solve: a non-finite cost or gradient, or a problem
 * function that threw. The optimizer reports it as error 2000
 * ("problem solution failed: <message>").
 */
export class SolverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SolverError";
  }
}

/** Wraps anything a problem function threw into a {@link SolverError} carrying its message. */
export function asSolverError(error: unknown): SolverError {
  if (error instanceof SolverError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SolverError(`a problem function threw: ${message}`);
}

/**
 * A non-finite value becomes a {@link SolverError} naming `what` and where
 * it was computed: at an iteration number, or at a named point.
 */
export function requireFinite(value: number, what: string, where: number | string): number {
  if (!Number.isFinite(value)) {
    const at = typeof where === "number" ? `iteration ${where}` : where;
    throw new SolverError(`the ${what} is not finite at ${at}`);
  }
  return value;
}
