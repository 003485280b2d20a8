import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSet, describeSet, isLibrarySet, toSourceLiteral } from "../../src/problem/index.js";
import {
  AffineSpace,
  Ball1,
  Ball2,
  BallInf,
  BallP,
  CartesianProduct,
  type Constraint,
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
} from "../../src/sets/index.js";

// a small deterministic generator (xorshift), values in [-3, 3)
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return 3 * ((s >>> 0) / 2 ** 31 - 1);
  };
}

const sets: [Constraint, number][] = [
  [new Zero(), 3],
  [new NoConstraints(), 3],
  [new EpigraphSquaredNorm(), 4],
  [new Rectangle([-1, 2, -Infinity], [1, Infinity, 5]), 3],
  [new Rectangle(null, [0, -0]), 2],
  [new Ball1(1.5, [1, 0, -1]), 3],
  [new Ball2(1), 3],
  [new BallInf(1.5, [5, -6]), 2],
  [new Sphere2(2, [0, 1]), 2],
  [new BallP(1.2, 3, null), 3],
  [new Halfspace([1, 2], 1), 2],
  [new Hyperplane([1, 2, 3], 1), 3],
  [
    new AffineSpace(
      [
        [0.5, 0.1, 0.2, -0.3],
        [-0.6, 0.3, 0, 0.5],
        [1, 0.1, -1, -0.4],
      ],
      [1, 2, -0.5],
    ),
    4,
  ],
  [new Simplex(2), 3],
  [new SecondOrderCone(0.5), 4],
  [
    new FiniteSet([
      [0, 0],
      [1, 1],
      [2, -1],
    ]),
    2,
  ],
  [
    new CartesianProduct().add(2, new Ball2(1)).add(5, new Rectangle([0, 0, 0], [1, 2, Infinity])),
    5,
  ],
];

describe("describeSet / createSet", () => {
  for (const [set, n] of sets) {
    it(`rebuilds ${set.constructor.name} from its source literal, projecting identically`, () => {
      const literal = toSourceLiteral(describeSet(set));
      const copy = createSet(new Function(`return ${literal};`)());
      assert.equal(copy.constructor, set.constructor);
      assert.equal(copy.dimension, set.dimension);
      assert.equal(copy.isConvex(), set.isConvex());
      assert.equal(copy.isCompact(), set.isCompact());
      const next = random(n * 31 + 7);
      for (let k = 0; k < 10; k++) {
        const x = Float64Array.from({ length: n }, next);
        const y = Float64Array.from(x);
        set.project(x);
        copy.project(y);
        assert.deepEqual(y, x);
      }
    });
  }

  it("writes -0, infinities and nested data as JavaScript", () => {
    assert.equal(
      toSourceLiteral({ a: [-0, Infinity, -Infinity, 1e-300], b: null, c: 'x"y', d: true }),
      '{ "a": [-0, Infinity, -Infinity, 1e-300], "b": null, "c": "x\\"y", "d": true }',
    );
  });

  it("rejects unknown set types", () => {
    assert.throws(
      () => createSet({ type: "Torus" } as never),
      /createSet: unknown set type "Torus"/,
    );
  });
});

describe("isLibrarySet", () => {
  // a user's set, plain or derived from a library set: its projection is its own code
  const userSet: Constraint = {
    dimension: undefined,
    project: () => {},
    isConvex: () => true,
    isCompact: () => false,
  };
  class BiggerBall extends Ball2 {
    override projectUnchecked(x: Float64Array, start: number, end: number): void {
      super.projectUnchecked(x, start, end);
    }
  }

  it("holds for every library set and products of them, and for nothing else", () => {
    for (const [set] of sets) assert.equal(isLibrarySet(set), true, describeSet(set).type);
    assert.equal(isLibrarySet(userSet), false);
    assert.equal(isLibrarySet(new BiggerBall(2)), false);
    assert.equal(isLibrarySet(new CartesianProduct().add(2, new Zero()).add(3, userSet)), false);
    assert.equal(isLibrarySet(new CartesianProduct().add(2, new BiggerBall(1))), false);
    // a subclass is not described as its base class, which would project differently
    assert.throws(() => describeSet(new BiggerBall(2)), /cannot describe a set of type BiggerBall/);
  });
});
