/** Named parameter blocks of an optimal control problem, packed into the flat vector p. */
import { ErrorCode, OptimizerError } from "../solver/types.js";
import type { Expr, Vec } from "../symbolic/index.js";

/** Declared sizes of named parameters, e.g. `{ x0: 2, q: 1 }`. */
export type ParameterSizes = Record<string, number>;

/** What a parameter of size `S` is inside callbacks: a scalar for size 1, else a vector. */
export type ParameterValue<S extends number> = S extends 1 ? Expr : Vec<S>;

/**
 * The named parameters as callbacks see them (`param.x0`, `param.q`); reading
 * an undeclared name throws an error that lists the declared ones.
 */
export type ParameterView<P extends ParameterSizes> = {
  readonly [K in keyof P]: ParameterValue<P[K]>;
};

/** Values of named parameters for one solve: a number or an array per name. */
export type ParameterValues = Readonly<Record<string, number | ArrayLike<number>>>;

/** One named block of the parameter vector p. */
export interface ParameterBlock {
  readonly name: string;
  readonly size: number;
  /** Index of its first entry in p. */
  readonly offset: number;
  /** Its default value, or `null` when every solve must give it. */
  readonly default: readonly number[] | null;
}

function invalid(message: string): OptimizerError {
  return new OptimizerError(ErrorCode.InvalidRequest, message);
}

function isArrayLikeOfNumbers(v: unknown): v is ArrayLike<number> {
  return (
    (Array.isArray(v) || ArrayBuffer.isView(v)) &&
    Array.from(v as ArrayLike<unknown>).every((x) => typeof x === "number")
  );
}

/** A value given for a block as its entries, or what is wrong with it. */
function entries(name: string, size: number, value: unknown): number[] | OptimizerError {
  let list: number[];
  if (typeof value === "number") list = [value];
  else if (isArrayLikeOfNumbers(value)) list = Array.from(value);
  else return invalid(`parameter "${name}" must be a number or an array of numbers`);
  if (list.length !== size) {
    return new OptimizerError(
      ErrorCode.ParameterDimension,
      `parameter "${name}" has size ${size}, got ${list.length} value(s)`,
    );
  }
  const bad = list.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) return invalid(`parameter "${name}" has a non-finite entry at index ${bad}`);
  return list;
}

/** Properties read by the language or tooling, never parameter names someone asked for. */
const PROBED = new Set(["then", "toJSON", "constructor"]);

/**
 * The registry of named parameter blocks (as opengen's `ParameterPack`): in
 * declaration order, each at an offset of p. Packs named values for a solve
 * (defaults fill the rest) and gives callbacks a view by name.
 */
export class ParameterPack {
  private readonly list: ParameterBlock[] = [];

  /** A registry of the given blocks (e.g. read from a manifest), declared in order. */
  static of(blocks: readonly ParameterBlock[]): ParameterPack {
    const pack = new ParameterPack();
    for (const b of blocks) pack.add(b.name, b.size, b.default);
    return pack;
  }

  /** The blocks, in declaration order. */
  get blocks(): readonly ParameterBlock[] {
    return this.list;
  }

  /** The length of p. */
  get size(): number {
    const last = this.list[this.list.length - 1];
    return last === undefined ? 0 : last.offset + last.size;
  }

  /** The block called `name`, if declared. */
  block(name: string): ParameterBlock | undefined {
    return this.list.find((b) => b.name === name);
  }

  /**
   * Declares a block after the others.
   *
   * @param name a nonempty name, not declared before
   * @param size a positive integer
   * @param defaultValue a number (size 1) or `size` finite numbers; omitted: required at every solve
   */
  add(name: string, size: number, defaultValue?: number | readonly number[] | null): void {
    if (typeof name !== "string" || name === "") {
      throw new Error("parameter name must be a nonempty string");
    }
    if (this.block(name) !== undefined) throw new Error(`parameter "${name}" is already declared`);
    if (!Number.isInteger(size) || size <= 0) {
      throw new Error(`parameter "${name}": size must be a positive integer, got ${size}`);
    }
    let value: number[] | null = null;
    if (defaultValue !== undefined && defaultValue !== null) {
      const list = entries(name, size, defaultValue);
      if (list instanceof OptimizerError) throw new Error(`default value of ${list.message}`);
      value = list;
    }
    this.list.push(
      Object.freeze({
        name,
        size,
        offset: this.size,
        default: value === null ? null : Object.freeze(value),
      }),
    );
  }

  /**
   * The parameter vector for named values; blocks not given take their
   * defaults. Throws an {@link OptimizerError}: code 1000 for an unknown or
   * missing name or a non-finite value, 3003 for a value of the wrong size.
   */
  pack(values: ParameterValues): Float64Array {
    if (values === null || typeof values !== "object" || Array.isArray(values)) {
      throw invalid("parameters must be given as an object of named values, e.g. { x0: [1, 2] }");
    }
    const declared = this.list.map((b) => b.name);
    const unknown = Object.keys(values).filter((k) => !declared.includes(k));
    if (unknown.length > 0) {
      throw invalid(
        `unknown parameter(s) ${unknown.map((k) => `"${k}"`).join(", ")}; declared: ${declared.join(", ")}`,
      );
    }
    const p = new Float64Array(this.size);
    const missing: string[] = [];
    for (const b of this.list) {
      const given = values[b.name];
      if (given === undefined) {
        if (b.default === null) missing.push(b.name);
        else p.set(b.default, b.offset);
        continue;
      }
      const list = entries(b.name, b.size, given);
      if (list instanceof OptimizerError) throw list;
      p.set(list, b.offset);
    }
    if (missing.length > 0) {
      throw invalid(`missing value(s) for parameter(s) without default: ${missing.join(", ")}`);
    }
    return p;
  }

  /** The named view of the symbolic parameter vector `p` (length {@link size}). */
  view<P extends ParameterSizes>(p: readonly Expr[]): ParameterView<P> {
    const values: Record<string, Expr | Expr[]> = Object.create(null);
    for (const b of this.list) {
      const slice = p.slice(b.offset, b.offset + b.size);
      values[b.name] = b.size === 1 ? (slice[0] as Expr) : slice;
    }
    const declared = this.list.map((b) => b.name).join(", ") || "none";
    return new Proxy(values, {
      get(target, key) {
        if (typeof key !== "string" || key in target || PROBED.has(key)) {
          return (target as Record<string | symbol, unknown>)[key];
        }
        throw new Error(`unknown parameter "${key}" (declared: ${declared})`);
      },
      set() {
        throw new Error("the parameters are read-only inside callbacks");
      },
    }) as unknown as ParameterView<P>;
  }
}
