import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FiniteSet, Sphere2 } from "../../src/sets/index.js";
import { assertClose, checkProjectionProperties, dist, projected } from "./helpers.js";
import { Random } from "./random.js";

describe("FiniteSet", () => {
  const points = [
    [0, 0],
    [2, 0],
    [1, 3],
  ];

  it("nearest point, first on ties", () => {
    const F = new FiniteSet(points);
    assertClose(projected(F, [1.9, 0.3]), [2, 0]);
    assertClose(projected(F, [1, 5]), [1, 3]);
    assertClose(projected(F, [1, 0]), [0, 0]);
    assertClose(projected(new FiniteSet([points[1], points[0]]), [1, 0]), [2, 0]);
    assert.equal(F.isConvex(), false);
    assert.equal(F.isCompact(), true);
    assert.equal(new FiniteSet([[1, 2]]).isConvex(), true);
    assert.equal(F.dimension, 2);
  });

  it("properties on random points", () => {
    const rng = new Random(40);
    const pts = Array.from({ length: 8 }, () => rng.vector(3, 2));
    checkProjectionProperties(new FiniteSet(pts), 3, rng, {
      contains: (x) => pts.some((p) => dist(p, x) === 0),
    });
  });

  it("rejects empty and mismatched points", () => {
    assert.throws(() => new FiniteSet([]), /FiniteSet: points must be a nonempty array/);
    assert.throws(() => new FiniteSet([[]]), /FiniteSet: points\[0\] must be a nonempty/);
    assert.throws(
      () => new FiniteSet([[1, 2], [3]]),
      /FiniteSet: all points must have length 2, but points\[1\] has length 1/,
    );
    assert.throws(() => new FiniteSet([[1, Number.NaN]]), /FiniteSet: points\[0\]\[1\]/);
  });
});

describe("Sphere2", () => {
  it("closed-form cases, and the centre projects to center + r e1", () => {
    const S = new Sphere2(2, [1, -1, 0]);
    assertClose(projected(S, [1, -1, 0]), [3, -1, 0]);
    assertClose(projected(S, [1, -1, 0.5]), [1, -1, 2]);
    assertClose(projected(S, [1, 2, 4]), [1, 0.2, 1.6], 1e-15);
    assertClose(projected(new Sphere2(1.5), [0, 0]), [1.5, 0]);
    assert.equal(S.isConvex(), false);
    assert.equal(S.isCompact(), true);
    assert.equal(S.dimension, 3);
  });

  it("properties on random points", () => {
    const c = [0.5, 1, -1];
    checkProjectionProperties(new Sphere2(1.3, c), 3, new Random(41), {
      contains: (x) => Math.abs(dist(x, c) - 1.3) <= 1e-9,
    });
  });

  it("rejects a bad radius", () => {
    assert.throws(() => new Sphere2(-1), /Sphere2: radius/);
  });
});
