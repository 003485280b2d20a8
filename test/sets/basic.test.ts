import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Ball2,
  BallInf,
  CheckedConstraint,
  distanceSquaredToSet,
  NoConstraints,
  Rectangle,
  Zero,
} from "../../src/sets/index.js";
import { assertClose, checkProjectionProperties, dist, projected } from "./helpers.js";
import { Random } from "./random.js";

describe("Zero and NoConstraints", () => {
  it("project to zero / leave unchanged, only on the slice", () => {
    const x = Float64Array.from([1, -2, 3, 4]);
    new Zero().project(x, 1, 3);
    assertClose(x, [1, 0, 0, 4]);
    new NoConstraints().project(x);
    assertClose(x, [1, 0, 0, 4]);
    assert.equal(new Zero().isCompact(), true);
    assert.equal(new NoConstraints().isCompact(), false);
    assert.equal(new Zero().dimension, undefined);
  });

  it("rejects a slice outside the vector", () => {
    assert.throws(() => new Zero().project(new Float64Array(2), 1, 3), /Zero: invalid slice/);
  });
});

describe("CheckedConstraint", () => {
  // a user's set: the nonnegative orthant, of a given dimension or of any
  class Orthant extends CheckedConstraint {
    protected readonly setName = "Orthant";
    protected override readonly needsEntries = true;
    calls = 0;
    constructor(readonly dimension: number | undefined) {
      super();
    }
    projectUnchecked(x: Float64Array, start: number, end: number): void {
      this.calls++;
      for (let i = start; i < end; i++) x[i] = Math.max(x[i], 0);
    }
    isConvex(): boolean {
      return true;
    }
    isCompact(): boolean {
      return false;
    }
  }

  it("checks the slice in project, then runs the set's own projection", () => {
    const set = new Orthant(2);
    const x = Float64Array.of(-1, 2, -3, 4);
    set.project(x, 1, 3);
    assert.deepEqual(Array.from(x), [-1, 2, 0, 4]);
    assert.throws(
      () => set.project(x),
      /^Error: Orthant: dimension is 2 but the slice has length 4$/,
    );
    assert.throws(() => set.project(x, 3, 5), /Orthant: invalid slice \[3, 5\)/);
    assert.equal(set.calls, 1);
  });

  it("rejects an empty slice where the set needs entries", () => {
    const set = new Orthant(undefined);
    assert.throws(
      () => set.project(new Float64Array(3), 1, 1),
      /Orthant: cannot project an empty slice/,
    );
    assert.equal(set.calls, 0);
  });
});

describe("Rectangle", () => {
  it("known answer with infinite bounds", () => {
    const r = new Rectangle([-1, 2, -Infinity], [1, Infinity, 5]);
    assertClose(projected(r, [-2, 3, 1]), [-1, 3, 1]);
    assertClose(projected(r, [2, -3, 9]), [1, 2, 5]);
    assert.equal(r.isCompact(), false);
    assert.equal(r.dimension, 3);
  });

  it("one-sided bounds and compactness", () => {
    assertClose(projected(new Rectangle(null, [0, 1]), [3, -4]), [0, -4]);
    assertClose(projected(new Rectangle([0, 1], null), [3, -4]), [3, 1]);
    assert.equal(new Rectangle([0, 1], [2, 3]).isCompact(), true);
    assert.equal(new Rectangle([0, 1], null).isCompact(), false);
    assert.deepEqual(Array.from(new Rectangle([0, 1], null).xmin ?? []), [0, 1]);
    assert.equal(new Rectangle([0, 1], null).xmax, null);
  });

  it("properties on random points", () => {
    const lo = [-1, -Infinity, 0.5, -2];
    const hi = [1, 2, 0.5, Infinity];
    const r = new Rectangle(lo, hi);
    checkProjectionProperties(r, 4, new Random(1), {
      contains: (x) => x.every((v, i) => v >= lo[i] && v <= hi[i]),
    });
  });

  it("rejects invalid bounds", () => {
    assert.throws(() => new Rectangle(null, null), /Rectangle: at least one/);
    assert.throws(() => new Rectangle([0, 2], [1, 1]), /Rectangle: xmin\[1\] = 2 exceeds/);
    assert.throws(() => new Rectangle([0], [1, 2]), /Rectangle: .*equal lengths/);
    assert.throws(() => new Rectangle([Number.NaN], [1]), /Rectangle: xmin\[0\]/);
    assert.throws(() => new Rectangle([Infinity], null), /Rectangle: xmin\[0\] must not be \+Inf/);
    assert.throws(() => new Rectangle([], []), /Rectangle: xmin must not be empty/);
    assert.throws(() => new Rectangle([0], [1]).project(new Float64Array(2)), /Rectangle: dim/);
  });
});

describe("Ball2", () => {
  it("known answer with a centre", () => {
    const b = new Ball2(1, [1, 1]);
    const s = Math.SQRT1_2;
    assertClose(projected(b, [2, 2]), [1 + s, 1 + s], 1e-15);
    assertClose(projected(b, [1.5, 0.5]), [1.5, 0.5]);
    assert.equal(b.dimension, 2);
    assert.equal(new Ball2(2).dimension, undefined);
  });

  it("origin-centred ball scales onto the sphere", () => {
    assertClose(projected(new Ball2(2), [3, 4, 0]), [1.2, 1.6, 0], 1e-15);
  });

  it("properties on random points", () => {
    const c = [0.5, -1, 2];
    checkProjectionProperties(new Ball2(1.5, c), 3, new Random(2), {
      contains: (x) => dist(x, c) <= 1.5 * (1 + 1e-9),
    });
    checkProjectionProperties(new Ball2(0.7), 5, new Random(3), {
      contains: (x) => dist(x, new Float64Array(5)) <= 0.7 * (1 + 1e-9),
    });
  });

  it("rejects invalid radius and centre", () => {
    assert.throws(() => new Ball2(-1), /Ball2: radius must be a finite positive number, got -1/);
    assert.throws(() => new Ball2(0), /Ball2: radius/);
    assert.throws(() => new Ball2(Number.NaN), /Ball2: radius/);
    assert.throws(() => new Ball2(1, [1, Number.NaN]), /Ball2: center\[1\]/);
    assert.throws(() => new Ball2(1, [1, 2]).project(new Float64Array(3)), /Ball2: dimension/);
  });
});

describe("BallInf", () => {
  it("known answer with a centre", () => {
    const b = new BallInf(1.5, [5, -6]);
    assertClose(projected(b, [11, -0.5]), [6.5, -4.5]);
    assertClose(projected(b, [4, -8]), [4, -7.5]);
  });

  it("properties on random points", () => {
    const c = [1, 0, -1];
    checkProjectionProperties(new BallInf(0.8, c), 3, new Random(4), {
      contains: (x) => x.every((v, i) => Math.abs(v - c[i]) <= 0.8 * (1 + 1e-12)),
    });
  });

  it("rejects invalid radius", () => {
    assert.throws(() => new BallInf(-2), /BallInf: radius/);
    assert.throws(() => new BallInf(Infinity), /BallInf: radius/);
  });
});

describe("distanceSquaredToSet", () => {
  it("equals the squared distance to the projection and leaves x unchanged", () => {
    const x = Float64Array.from([3, 4]);
    const work = new Float64Array(4);
    assert.equal(distanceSquaredToSet(new Ball2(1), x, work), 16);
    assertClose(x, [3, 4]);
    assert.equal(distanceSquaredToSet(new Rectangle([-1, -1], [1, 5]), x, work), 4);
    assert.equal(distanceSquaredToSet(new NoConstraints(), x, work), 0);
    assert.throws(() => distanceSquaredToSet(new Zero(), x, new Float64Array(1)), /work/);
  });
});
