/**
 * Argument checks shared by the sets: every message names the set, so that a
 * bad problem description is reported where it is made.
 */

/** Returns `value` when it is a finite positive number; throws otherwise. */
export function positiveFinite(set: string, name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${set}: ${name} must be a finite positive number, got ${value}`);
  }
  return value;
}

/** Returns `value` when it is a finite number; throws otherwise. */
export function finiteNumber(set: string, name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new Error(`${set}: ${name} must be a finite number, got ${value}`);
  }
  return value;
}

/**
 * Copies a nonempty vector argument into a new `Float64Array`, rejecting NaN
 * and, unless `allowInfinite`, infinite entries.
 */
export function copyVector(
  set: string,
  name: string,
  values: ArrayLike<number>,
  allowInfinite = false,
): Float64Array {
  if (values == null || typeof values.length !== "number") {
    throw new Error(`${set}: ${name} must be an array of numbers`);
  }
  if (values.length === 0) {
    throw new Error(`${set}: ${name} must not be empty`);
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || Number.isNaN(v) || (!allowInfinite && !Number.isFinite(v))) {
      throw new Error(
        `${set}: ${name}[${i}] must be a ${allowInfinite ? "number (not NaN)" : "finite number"}, got ${v}`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** Copies an optional centre; `undefined` or `null` means the origin. */
export function copyCenter(set: string, center: ArrayLike<number> | null | undefined) {
  return center == null ? null : copyVector(set, "center", center);
}

/**
 * Checks that the slice `[start, end)` lies in `x` and, for a set of fixed
 * dimension, has that length. Cheap enough to run on every projection.
 */
export function checkSlice(
  set: string,
  dimension: number | undefined,
  length: number,
  start: number,
  end: number,
): void {
  if (!(start >= 0 && start <= end && end <= length)) {
    throw new Error(`${set}: invalid slice [${start}, ${end}) of a vector of length ${length}`);
  }
  if (dimension !== undefined && end - start !== dimension) {
    throw new Error(`${set}: dimension is ${dimension} but the slice has length ${end - start}`);
  }
}
