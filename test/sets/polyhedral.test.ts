import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AffineSpace, Halfspace, Hyperplane } from "../../src/sets/index.js";
import { assertClose, checkProjectionProperties, projected } from "./helpers.js";
import { Random } from "./random.js";

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

describe("Halfspace", () => {
  it("known answer, and points inside stay", () => {
    const h = new Halfspace([1, 2], 1);
    assertClose(projected(h, [-1, 3]), [-1.8, 1.4], 1e-14);
    assertClose(projected(h, [-1, 0.5]), [-1, 0.5]);
    assert.equal(h.isCompact(), false);
    assert.equal(h.dimension, 2);
  });

  it("properties on random points", () => {
    const n = [1, -2, 0.5, 3];
    checkProjectionProperties(new Halfspace(n, 0.7), 4, new Random(10), {
      contains: (x) => dot(n, x) <= 0.7 + 1e-9,
    });
  });

  it("rejects a zero normal and bad offsets", () => {
    assert.throws(() => new Halfspace([0, 0], 1), /Halfspace: normal must be a nonzero/);
    assert.throws(() => new Halfspace([1], Number.NaN), /Halfspace: offset/);
    assert.throws(() => new Halfspace([], 1), /Halfspace: normal must not be empty/);
  });
});

describe("Hyperplane", () => {
  it("known answer", () => {
    const h = new Hyperplane([1, 2, 3], 1);
    assertClose(
      projected(h, [-1, 3, 5]),
      [-2.357142857142857, 0.285714285714286, 0.928571428571429],
      1e-14,
    );
    assert.equal(h.isCompact(), false);
    assert.equal(new Hyperplane([2], 1).isCompact(), true);
    assertClose(projected(new Hyperplane([2], 1), [7]), [0.5]);
  });

  it("properties on random points", () => {
    const n = [0.3, -1, 2];
    checkProjectionProperties(new Hyperplane(n, -1.5), 3, new Random(11), {
      contains: (x) => Math.abs(dot(n, x) + 1.5) <= 1e-9,
    });
  });

  it("rejects a zero normal", () => {
    assert.throws(() => new Hyperplane([0, 0, 0], 1), /Hyperplane: normal must be a nonzero/);
  });
});

describe("AffineSpace", () => {
  const A = [
    [0.5, 0.1, 0.2, -0.3],
    [-0.6, 0.3, 0, 0.5],
    [1, 0.1, -1, -0.4],
  ];
  const b = [1, 2, -0.5];
  const expected = [1.888564346697095, 5.629857182200888, 1.79620490223079, 2.888362906715977];

  it("known answer, rows or flat row-major", () => {
    assertClose(projected(new AffineSpace(A, b), [1, -2, -0.3, 0.5]), expected, 1e-13);
    const flat = new AffineSpace(A.flat(), b);
    assertClose(projected(flat, [1, -2, -0.3, 0.5]), expected, 1e-13);
    assert.equal(flat.dimension, 4);
    assert.equal(flat.rows, 3);
    assert.equal(flat.isCompact(), false);
  });

  it("a single row is a hyperplane; a square A is a point", () => {
    const x = [0.4, -2, 1.5];
    assertClose(
      projected(new AffineSpace([[1, 2, 3]], [1]), x),
      projected(new Hyperplane([1, 2, 3], 1), x),
      1e-14,
    );
    const square = new AffineSpace(
      [
        [2, 1],
        [1, 3],
      ],
      [3, 5],
    );
    assertClose(projected(square, [10, -7]), [0.8, 1.4], 1e-14);
    assert.equal(square.isCompact(), true);
  });

  it("properties on random points", () => {
    const set = new AffineSpace(A, b);
    checkProjectionProperties(set, 4, new Random(12), {
      contains: (x) => A.every((row, i) => Math.abs(dot(row, x) - b[i]) <= 1e-9),
    });
  });

  it("rejects rank-deficient and mismatched data", () => {
    assert.throws(
      () =>
        new AffineSpace(
          [
            [1, 2, 3],
            [2, 4, 6],
          ],
          [1, 2],
        ),
      /AffineSpace: A must have full row rank, but row 1/,
    );
    assert.throws(
      () => new AffineSpace([[0, 0, 0]], [1]),
      /AffineSpace: A must have full row rank, but row 0/,
    );
    assert.throws(
      () => new AffineSpace([1, 2, 3, 4, 5, 6], [1, 2, 3]),
      /AffineSpace: A must have full row rank, but it has 3 rows and only 2 columns/,
    );
    assert.throws(() => new AffineSpace([[1, 2]], [1, 2]), /AffineSpace: A has 1 rows but b/);
    assert.throws(() => new AffineSpace([1, 2, 3], [1, 2]), /AffineSpace: flat A has 3 entries/);
    assert.throws(
      () =>
        new AffineSpace(
          [
            [1, 2],
            [1, 2, 3],
          ],
          [1, 2],
        ),
      /AffineSpace: row 1 of A must have length 2/,
    );
    assert.throws(() => new AffineSpace([[1, Number.NaN]], [1]), /AffineSpace: A\[0\]\[1\]/);
    assert.throws(() => new AffineSpace([[1, 2]], []), /AffineSpace: b must not be empty/);
  });
});
