/**
 * Serializable descriptions of the constraint sets, so that a built optimizer
 * folder can rebuild its sets from plain data written into its source.
 */

import type { Constraint } from "../sets/constraint.js";
import {
  AffineSpace,
  Ball1,
  Ball2,
  BallInf,
  BallP,
  CartesianProduct,
  EpigraphSquaredNorm,
  FiniteSet,
  Halfspace,
  Hyperplane,
  NoConstraints,
  Rectangle,
  SecondOrderCone,
  Simplex,
  Sphere2,
  Zero,
} from "../sets/index.js";

/**
 * A set as plain data: its type and the parameters of its constructor. Vector
 * entries may be infinite (rectangle bounds), so the data is written as a
 * JavaScript literal (see {@link toSourceLiteral}), not as JSON.
 */
export type SetDescription =
  | { readonly type: "Zero" | "NoConstraints" | "EpigraphSquaredNorm" }
  | {
      readonly type: "Rectangle";
      readonly xmin: readonly number[] | null;
      readonly xmax: readonly number[] | null;
    }
  | {
      readonly type: "Ball1" | "Ball2" | "BallInf" | "Sphere2";
      readonly radius: number;
      readonly center: readonly number[] | null;
    }
  | {
      readonly type: "BallP";
      readonly radius: number;
      readonly p: number;
      readonly center: readonly number[] | null;
    }
  | {
      readonly type: "Halfspace" | "Hyperplane";
      readonly normal: readonly number[];
      readonly offset: number;
    }
  | {
      readonly type: "AffineSpace";
      readonly matrix: readonly number[];
      readonly rhs: readonly number[];
    }
  | { readonly type: "Simplex" | "SecondOrderCone"; readonly alpha: number }
  | { readonly type: "FiniteSet"; readonly points: readonly (readonly number[])[] }
  | {
      readonly type: "CartesianProduct";
      readonly segments: readonly { readonly end: number; readonly set: SetDescription }[];
    };

function list(x: Float64Array | null): number[] | null {
  return x === null ? null : Array.from(x);
}

/**
 * Whether `set` is an object of exactly the class `C`: a subclass may
 * project differently, and a description of it would rebuild the base class.
 */
function isA<C>(
  set: Constraint,
  type: abstract new (...args: never[]) => C,
): set is Constraint & C {
  return Object.getPrototypeOf(set) === type.prototype;
}

/**
 * The description of one of open-engine's sets. Throws for any other
 * `Constraint`, a subclass of one of them included (a user-defined set
 * cannot be written into a built folder; build such problems in memory).
 */
export function describeSet(set: Constraint): SetDescription {
  if (isA(set, Zero)) return { type: "Zero" };
  if (isA(set, NoConstraints)) return { type: "NoConstraints" };
  if (isA(set, EpigraphSquaredNorm)) return { type: "EpigraphSquaredNorm" };
  if (isA(set, Rectangle)) {
    return { type: "Rectangle", xmin: list(set.xmin), xmax: list(set.xmax) };
  }
  if (isA(set, Ball1) || isA(set, Ball2) || isA(set, BallInf)) {
    const type = isA(set, Ball1) ? "Ball1" : isA(set, Ball2) ? "Ball2" : "BallInf";
    return { type, radius: set.radius, center: list(set.center) };
  }
  if (isA(set, Sphere2)) return { type: "Sphere2", radius: set.radius, center: list(set.center) };
  if (isA(set, BallP)) {
    return { type: "BallP", radius: set.radius, p: set.p, center: list(set.center) };
  }
  if (isA(set, Halfspace) || isA(set, Hyperplane)) {
    const type = isA(set, Halfspace) ? "Halfspace" : "Hyperplane";
    return { type, normal: Array.from(set.normal), offset: set.offset };
  }
  if (isA(set, AffineSpace)) {
    return { type: "AffineSpace", matrix: Array.from(set.matrix), rhs: Array.from(set.rhs) };
  }
  if (isA(set, Simplex)) return { type: "Simplex", alpha: set.alpha };
  if (isA(set, SecondOrderCone)) return { type: "SecondOrderCone", alpha: set.alpha };
  if (isA(set, FiniteSet)) {
    const points: number[][] = [];
    for (let k = 0; k < set.count; k++) {
      points.push(Array.from(set.points.subarray(k * set.dimension, (k + 1) * set.dimension)));
    }
    return { type: "FiniteSet", points };
  }
  if (isA(set, CartesianProduct)) {
    return {
      type: "CartesianProduct",
      segments: set.sets.map((s, k) => ({ end: set.ends[k], set: describeSet(s) })),
    };
  }
  const name = (set as object)?.constructor?.name ?? typeof set;
  throw new Error(
    `describeSet: cannot describe a set of type ${name} (only open-engine's sets can be written into a built optimizer; use buildInMemory for other sets)`,
  );
}

/** Makes the set a {@link SetDescription} describes (validated by the set's constructor). */
export function createSet(description: SetDescription): Constraint {
  const d = description;
  switch (d.type) {
    case "Zero":
      return new Zero();
    case "NoConstraints":
      return new NoConstraints();
    case "EpigraphSquaredNorm":
      return new EpigraphSquaredNorm();
    case "Rectangle":
      return new Rectangle(d.xmin, d.xmax);
    case "Ball1":
      return new Ball1(d.radius, d.center);
    case "Ball2":
      return new Ball2(d.radius, d.center);
    case "BallInf":
      return new BallInf(d.radius, d.center);
    case "Sphere2":
      return new Sphere2(d.radius, d.center);
    case "BallP":
      return new BallP(d.radius, d.p, d.center);
    case "Halfspace":
      return new Halfspace(d.normal, d.offset);
    case "Hyperplane":
      return new Hyperplane(d.normal, d.offset);
    case "AffineSpace":
      return new AffineSpace(d.matrix, d.rhs);
    case "Simplex":
      return new Simplex(d.alpha);
    case "SecondOrderCone":
      return new SecondOrderCone(d.alpha);
    case "FiniteSet":
      return new FiniteSet(d.points);
    case "CartesianProduct": {
      const product = new CartesianProduct();
      for (const segment of d.segments) product.add(segment.end, createSet(segment.set));
      return product;
    }
    default:
      throw new Error(
        `createSet: unknown set type ${JSON.stringify((d as { type?: unknown }).type)}`,
      );
  }
}

/**
 * Writes plain data (numbers, including infinities and -0, strings, booleans,
 * null, arrays, objects) as a JavaScript expression that evaluates to an
 * equal value.
 */
export function toSourceLiteral(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toSourceLiteral).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${toSourceLiteral(v)}`).join(", ")} }`;
  }
  throw new Error(`toSourceLiteral: cannot write a value of type ${typeof value}`);
}

/**
 * Whether `set` is one of the library's sets (not a subclass), and so are
 * the sets of a Cartesian product: what {@link describeSet} describes. Their
 * projections always return, in a bounded number of steps; a user's set runs
 * code of its own, which might not.
 */
export function isLibrarySet(set: Constraint): boolean {
  try {
    describeSet(set);
    return true;
  } catch {
    return false;
  }
}
