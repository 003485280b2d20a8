/** Products of per-stage sets, with runs of boxes merged into one set as opengen does. */
import {
  BallInf,
  CartesianProduct,
  type Constraint,
  NoConstraints,
  Rectangle,
  Zero,
} from "../sets/index.js";

/** A set acting on the next `length` entries of a stacked vector. */
export interface SetBlock {
  readonly length: number;
  readonly set: Constraint;
}

/** Lower and upper bounds, coordinate by coordinate. */
export interface Box {
  readonly lo: number[];
  readonly hi: number[];
}

/** The bounds of a set that is a box on `length` coordinates, or `null` for other sets. */
export function boxBounds(set: Constraint, length: number): Box | null {
  const fill = (v: number) => new Array<number>(length).fill(v);
  if (set instanceof NoConstraints) return { lo: fill(-Infinity), hi: fill(Infinity) };
  if (set instanceof Zero) return { lo: fill(0), hi: fill(0) };
  if (set instanceof Rectangle) {
    return {
      lo: set.xmin === null ? fill(-Infinity) : Array.from(set.xmin),
      hi: set.xmax === null ? fill(Infinity) : Array.from(set.xmax),
    };
  }
  if (set instanceof BallInf) {
    const c = set.center === null ? fill(0) : Array.from(set.center);
    return { lo: c.map((x) => x - set.radius), hi: c.map((x) => x + set.radius) };
  }
  return null;
}

/** The most specific set for a box: NoConstraints, Zero, or a Rectangle. */
export function boxSet(box: Box): Constraint {
  const { lo, hi } = box;
  if (lo.every((v) => v === -Infinity) && hi.every((v) => v === Infinity)) {
    return new NoConstraints();
  }
  if (lo.every((v) => v === 0) && hi.every((v) => v === 0)) return new Zero();
  return new Rectangle(lo, hi);
}

/**
 * The product of the blocks' sets on consecutive slices. Consecutive blocks
 * whose sets are boxes (Rectangle, Zero, NoConstraints, BallInf) become one
 * set (see {@link boxSet}), so a product of boxes is a single box and
 * projects in one pass; a single remaining segment is returned as it is.
 *
 * @param what names the blocks in error messages
 */
export function productOf(what: string, blocks: readonly SetBlock[]): Constraint {
  const segments: SetBlock[] = [];
  let run: SetBlock[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const length = run.reduce((n, b) => n + b.length, 0);
    let set = (run[0] as SetBlock).set;
    if (run.length > 1) {
      const boxes = run.map((b) => boxBounds(b.set, b.length) as Box);
      set = boxSet({ lo: boxes.flatMap((b) => b.lo), hi: boxes.flatMap((b) => b.hi) });
    }
    segments.push({ length, set });
    run = [];
  };
  for (const b of blocks) {
    if (b.set.dimension !== undefined && b.set.dimension !== b.length) {
      throw new Error(`${what}: a set of dimension ${b.set.dimension} acts on ${b.length} entries`);
    }
    if (boxBounds(b.set, b.length) !== null) {
      run.push(b);
    } else {
      flush();
      segments.push(b);
    }
  }
  flush();
  if (segments.length === 1) return (segments[0] as SetBlock).set;
  const product = new CartesianProduct();
  let end = 0;
  for (const s of segments) {
    end += s.length;
    product.add(end, s.set);
  }
  return product;
}
