import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Ball1, Ball2, BallP, Simplex } from "../../src/sets/index.js";
import { assertClose, checkProjectionProperties, projected, simplexBySorting } from "./helpers.js";
import { Random } from "./random.js";

function pNorm(x: ArrayLike<number>, p: number, c?: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i] - (c ? c[i] : 0)) ** p;
  return s ** (1 / p);
}

describe("Simplex", () => {
  it("closed-form cases", () => {
    assertClose(projected(new Simplex(3), [1, 1, 1]), [1, 1, 1]);
    assertClose(projected(new Simplex(1), [2, 0, 0]), [1, 0, 0]);
    assertClose(projected(new Simplex(1), [0.5, 0.5, 10]), [0, 0, 1]);
    assertClose(projected(new Simplex(1), [1, 2]), [0, 1]);
    assertClose(projected(new Simplex(2), [0, 0, 0, 0]), [0.5, 0.5, 0.5, 0.5]);
    assertClose(projected(new Simplex(1), [-5]), [1]);
  });

  it("agrees with the sorting method on random vectors of many sizes", () => {
    const rng = new Random(20);
    const set = new Simplex(1.7);
    for (const n of [1, 2, 3, 7, 50, 1000]) {
      for (let k = 0; k < 10; k++) {
        const y = rng.vector(n, rng.uniform(0.01, 5));
        if (k % 3 === 0) for (let i = 0; i < n; i++) y[i] += i * 0.01; // sorted-ish input
        assertClose(projected(set, y), simplexBySorting(y, 1.7), 1e-12);
      }
    }
  });

  it("properties on random points", () => {
    checkProjectionProperties(new Simplex(2.5), 5, new Random(21), {
      contains: (x) =>
        x.every((v) => v >= 0) && Math.abs(x.reduce((a, b) => a + b, 0) - 2.5) <= 1e-9 * 2.5,
    });
  });

  it("rejects bad alpha and an empty slice", () => {
    assert.throws(() => new Simplex(0), /Simplex: alpha must be a finite positive number, got 0/);
    assert.throws(() => new Simplex(-1), /Simplex: alpha/);
    assert.throws(() => new Simplex(1).project(new Float64Array(3), 1, 1), /Simplex: .*empty/);
  });
});

describe("Ball1", () => {
  it("closed-form cases", () => {
    assertClose(projected(new Ball1(1), [2, 0]), [1, 0]);
    assertClose(projected(new Ball1(1), [1, 1]), [0.5, 0.5]);
    assertClose(projected(new Ball1(1), [3, -1]), [1, 0]);
    assertClose(projected(new Ball1(1), [-2, 1.5]), [-0.75, 0.25]);
    assertClose(projected(new Ball1(1), [0.2, -0.3]), [0.2, -0.3]);
    assertClose(projected(new Ball1(2, [1, -1, 0]), [4, -1, -3]), [2, -1, -1]);
  });

  it("agrees with soft thresholding at the simplex threshold (sorting method)", () => {
    const rng = new Random(22);
    const c = [0.5, -1, 0, 2, 1];
    const set = new Ball1(1.3, c);
    for (let k = 0; k < 30; k++) {
      const x = rng.vector(5, 3);
      const abs = x.map((v, i) => Math.abs(v - c[i]));
      const s = simplexBySorting(abs, 1.3);
      const expected = x.map((v, i) => c[i] + Math.sign(v - c[i]) * s[i]);
      if (abs.reduce((a, b) => a + b, 0) <= 1.3) continue;
      assertClose(projected(set, x), expected, 1e-12);
    }
  });

  it("properties on random points", () => {
    const c = [1, 0, -2, 0.5];
    checkProjectionProperties(new Ball1(1.2, c), 4, new Random(23), {
      contains: (x) => pNorm(x, 1, c) <= 1.2 * (1 + 1e-9),
    });
  });

  it("rejects a bad radius", () => {
    assert.throws(() => new Ball1(-1), /Ball1: radius/);
  });
});

describe("BallP", () => {
  it("p = 2 agrees with Ball2", () => {
    const rng = new Random(24);
    const c = [1, 2, -1];
    for (let k = 0; k < 10; k++) {
      const x = rng.vector(3, 4);
      assertClose(projected(new BallP(1.5, 2, c), x), projected(new Ball2(1.5, c), x), 1e-12);
    }
  });

  it("one nonzero coordinate projects like a 1-D interval", () => {
    assertClose(projected(new BallP(2, 3.5), [0, -7, 0]), [0, -2, 0], 1e-13);
  });

  it("symmetric point: (a, a) projects to r 2^(-1/p) (1, 1)", () => {
    for (const p of [1.1, 1.5, 3, 8]) {
      const v = 0.8 * 2 ** (-1 / p);
      assertClose(projected(new BallP(0.8, p), [5, 5]), [v, v], 1e-13);
    }
  });

  it("projections of points outside satisfy the KKT conditions", () => {
    const rng = new Random(25);
    for (const p of [1.2, 1.5, 2.5, 3, 6, 20]) {
      const c = [0.3, -0.2, 1, 0, 2];
      const r = 0.9;
      const set = new BallP(r, p, c);
      for (let k = 0; k < 10; k++) {
        const x = rng.vector(5, 3);
        if (pNorm(x, p, c) <= r) continue;
        const y = projected(set, x);
        // on the sphere
        assert.ok(Math.abs(pNorm(y, p, c) - r) <= 1e-10 * r, `p=${p}: not on the sphere`);
        // x - y = mu p |y - c|^(p-1) sign(y - c) with one mu >= 0 for every coordinate
        let mu = Number.NaN;
        let big = 0;
        for (let i = 0; i < 5; i++) {
          const d = Math.abs(y[i] - c[i]);
          if (d > big) {
            big = d;
            mu = (x[i] - y[i]) / (p * d ** (p - 1) * Math.sign(y[i] - c[i]));
          }
        }
        assert.ok(mu > 0, `p=${p}: multiplier ${mu} not positive`);
        for (let i = 0; i < 5; i++) {
          const d = y[i] - c[i];
          const g = mu * p * Math.abs(d) ** (p - 1) * Math.sign(d);
          assert.ok(
            Math.abs(x[i] - y[i] - g) <= 1e-9 * (1 + Math.abs(x[i] - y[i])),
            `p=${p}, coordinate ${i}: stationarity violated`,
          );
          // the projection keeps the sign of x - c
          assert.ok(d * (x[i] - c[i]) >= 0);
        }
      }
    }
  });

  it("properties on random points", () => {
    for (const p of [1.3, 4]) {
      const c = [1, -1, 0.5];
      checkProjectionProperties(new BallP(1.1, p, c), 3, new Random(26), {
        contains: (x) => pNorm(x, p, c) <= 1.1 * (1 + 1e-9),
        points: 25,
        samples: 150,
      });
    }
  });

  it("handles a large exponent and far points", () => {
    const y = projected(new BallP(1, 60), [1e6, -3e5, 2]);
    assert.ok(Math.abs(pNorm(y, 60) - 1) <= 1e-10);
  });

  it("rejects bad p and radius", () => {
    assert.throws(() => new BallP(1, 1), /BallP: p must be a finite number greater than 1, got 1/);
    assert.throws(() => new BallP(1, 0.5), /BallP: p/);
    assert.throws(() => new BallP(1, Infinity), /BallP: p/);
    assert.throws(() => new BallP(-1, 2), /BallP: radius/);
  });
});
