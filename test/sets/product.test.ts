import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Ball2,
  CartesianProduct,
  type Constraint,
  NoConstraints,
  Rectangle,
  Simplex,
  Sphere2,
  Zero,
} from "../../src/sets/index.js";
import { assertClose, checkProjectionProperties, projected } from "./helpers.js";
import { Random } from "./random.js";

describe("CartesianProduct", () => {
  const product = () =>
    new CartesianProduct()
      .add(2, new Ball2(1))
      .add(4, new Rectangle([0, 0], [1, 1]))
      .add(5, new Zero())
      .add(8, new Simplex(1));

  it("projects every segment onto its set", () => {
    const P = product();
    assert.equal(P.dimension, 8);
    assert.deepEqual(P.ends, [2, 4, 5, 8]);
    assert.equal(P.sets.length, 4);
    assertClose(projected(P, [3, 4, -1, 2, 7, 2, 0, 0]), [0.6, 0.8, 0, 1, 0, 1, 0, 0], 1e-15);
  });

  it("works on a slice of a longer vector, leaving the rest untouched", () => {
    const x = Float64Array.from([9, 9, 3, 4, -1, 2, 7, 2, 0, 0, 9]);
    product().project(x, 2, 10);
    assertClose(x, [9, 9, 0.6, 0.8, 0, 1, 0, 1, 0, 0, 9], 1e-15);
  });

  it("properties on random points", () => {
    checkProjectionProperties(product(), 8, new Random(50), {
      contains: (x) =>
        Math.hypot(x[0], x[1]) <= 1 + 1e-9 &&
        x[2] >= 0 &&
        x[2] <= 1 &&
        x[3] >= 0 &&
        x[3] <= 1 &&
        x[4] === 0 &&
        x[5] >= 0 &&
        x[6] >= 0 &&
        x[7] >= 0 &&
        Math.abs(x[5] + x[6] + x[7] - 1) <= 1e-9,
    });
  });

  it("projects a user-defined set (without projectUnchecked) through its checked project", () => {
    const calls: number[][] = [];
    // the half-line x >= 1, as a user would write it
    const halfLine: Constraint = {
      dimension: 1,
      project(x, start = 0, end = x.length) {
        calls.push([start, end]);
        for (let i = start; i < end; i++) x[i] = Math.max(x[i], 1);
      },
      isConvex: () => true,
      isCompact: () => false,
    };
    const P = new CartesianProduct().add(2, new Ball2(1)).add(3, halfLine);
    const x = Float64Array.from([9, 3, 4, -2, 9]);
    P.project(x, 1, 4);
    assertClose(x, [9, 0.6, 0.8, 1, 9], 1e-15);
    assert.deepEqual(calls, [[3, 4]]);
    assert.throws(() => P.project(x, 0, 4), /CartesianProduct: dimension is 3/);
  });

  it("convex and compact iff every set is", () => {
    assert.equal(product().isConvex(), true);
    assert.equal(product().isCompact(), true);
    assert.equal(product().add(9, new NoConstraints()).isCompact(), false);
    const withSphere = product().add(10, new Sphere2(1));
    assert.equal(withSphere.isConvex(), false);
    assertClose(projected(withSphere, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).subarray(8), [1, 0]);
  });

  it("rejects bad segments and mismatched dimensions", () => {
    assert.throws(
      () => new CartesianProduct().add(2, new Ball2(1)).add(2, new Zero()),
      /CartesianProduct: segment end must be an integer greater than 2, got 2/,
    );
    assert.throws(() => new CartesianProduct().add(0, new Zero()), /greater than 0, got 0/);
    assert.throws(() => new CartesianProduct().add(1.5, new Zero()), /got 1.5/);
    assert.throws(
      () => new CartesianProduct().add(3, new Rectangle([0, 0], [1, 1])),
      /CartesianProduct: segment \[0, 3\) has length 3 but its set has dimension 2/,
    );
    assert.throws(
      () => product().project(new Float64Array(7)),
      /CartesianProduct: dimension is 8 but the slice has length 7/,
    );
  });
});
