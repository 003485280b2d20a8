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

/** A non-finite value computed at `iteration` becomes a {@link SolverError} naming `what`. */
export function requireFinite(value: number, what: string, iteration: number): number {
  if (!Number.isFinite(value)) {
    throw new SolverError(`the ${what} is not finite at iteration ${iteration}`);
  }
  return value;
}
