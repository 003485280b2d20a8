import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EpigraphSquaredNorm, SecondOrderCone } from "../../src/sets/index.js";
import { assertClose, checkProjectionProperties, dist, norm, projected } from "./helpers.js";
import { Random } from "./random.js";

/**
 * Brute-force squared distance from (x, s) to the boundary of the epigraph,
 * over the points (lambda x, lambda^2 ||x||^2), lambda in [0, 1]: a dense grid
 * then golden-section refinement around the best grid point.
 */
function bruteForceEpigraphDistance(x: ArrayLike<number>, s: number): number {
  const nx2 = norm(x) ** 2;
  const phi = (l: number) => (1 - l) ** 2 * nx2 + (l * l * nx2 - s) ** 2;
  const grid = 2000;
  let best = 0;
  for (let k = 1; k <= grid; k++) if (phi(k / grid) < phi(best / grid)) best = k;
  let a = Math.max(0, (best - 1) / grid);
  let b = Math.min(1, (best + 1) / grid);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 100; k++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (phi(c) < phi(d)) b = d;
    else a = c;
  }
  return phi(0.5 * (a + b));
}

describe("SecondOrderCone", () => {
  it("closed-form cases", () => {
    const K = new SecondOrderCone(1);
    assertClose(projected(K, [1, 0]), [0.5, 0.5]);
    assertClose(projected(K, [3, 4, 0]), [1.5, 2, 2.5]);
    assertClose(projected(K, [1, 0, -5]), [0, 0, 0]);
    assertClose(projected(K, [1, 1, 2]), [1, 1, 2]);
    // alpha = 2: (z, t) = (4, 0) -> t' = 2*4/5 = 1.6, z' = 2 t' = 3.2
    assertClose(projected(new SecondOrderCone(2), [4, 0]), [3.2, 1.6], 1e-15);
    // n = 1: the half-line t >= 0
    assertClose(projected(K, [-3]), [0]);
    assertClose(projected(K, [3]), [3]);
  });

  it("properties on random points", () => {
    for (const alpha of [0.5, 1, 3]) {
      checkProjectionProperties(new SecondOrderCone(alpha), 4, new Random(30), {
        contains: (x) => norm(x.subarray(0, 3)) <= alpha * x[3] + 1e-9 * (1 + norm(x)),
        points: 25,
      });
    }
  });

  it("x - P(x) is orthogonal to P(x) (Moreau decomposition)", () => {
    const rng = new Random(31);
    const K = new SecondOrderCone(1.7);
    for (let k = 0; k < 30; k++) {
      const x = rng.vector(5, 2);
      const y = projected(K, x);
      let inner = 0;
      for (let i = 0; i < 5; i++) inner += (x[i] - y[i]) * y[i];
      assert.ok(Math.abs(inner) <= 1e-12 * (1 + norm(x) ** 2));
    }
  });

  it("rejects a bad alpha", () => {
    assert.throws(() => new SecondOrderCone(0), /SecondOrderCone: alpha/);
    assert.throws(() => new SecondOrderCone(-2), /SecondOrderCone: alpha/);
  });
});

describe("EpigraphSquaredNorm", () => {
  const E = new EpigraphSquaredNorm();

  it("closed-form cases", () => {
    // z empty: the half-line t >= 0
    assertClose(projected(E, [-2]), [0]);
    // (0, s) with s < 0 projects to the apex
    assertClose(projected(E, [0, 0, -3]), [0, 0, 0]);
    // inside stays
    assertClose(projected(E, [1, 1, 3]), [1, 1, 3]);
    // (x, s) = (3, 0.5): the cubic theta^3 + (2s - 1) theta^2 - 2 ||x||^2 = 0 is theta^3 = 18
    const theta = Math.cbrt(18);
    assertClose(projected(E, [3, 0.5]), [3 / theta, 0.5 + (theta - 1) / 2], 1e-14);
  });

  it("agrees with a brute-force 1-D minimization and satisfies the KKT conditions", () => {
    const rng = new Random(32);
    let checked = 0;
    for (let k = 0; k < 60; k++) {
      const n = 1 + (k % 4);
      const x = rng.vector(n + 1, rng.uniform(0.1, 10));
      if (k % 5 === 0) x[n] = -rng.uniform(0, 100);
      if (k % 7 === 0) x[n] = rng.uniform(0, 1e-3);
      const z = x.subarray(0, n);
      const s = x[n];
      if (norm(z) ** 2 <= s) continue;
      checked++;
      const y = projected(E, x);
      const d2 = dist(x, y) ** 2;
      const brute = bruteForceEpigraphDistance(z, s);
      assert.ok(d2 <= brute * (1 + 1e-9) + 1e-14, `not optimal: ${d2} > ${brute}`);
      assert.ok(d2 >= brute * (1 - 1e-6) - 1e-12, `below the brute-force minimum: ${d2}`);
      // on the boundary, and x - y = mu (2 y_z, -1) with mu >= 0
      const yz2 = norm(y.subarray(0, n)) ** 2;
      assert.ok(Math.abs(yz2 - y[n]) <= 1e-12 * (1 + y[n]));
      const mu = y[n] - s;
      assert.ok(mu >= 0);
      for (let i = 0; i < n; i++) {
        assert.ok(Math.abs(x[i] - y[i] - 2 * mu * y[i]) <= 1e-10 * (1 + Math.abs(x[i])));
      }
    }
    assert.ok(checked >= 30, `only ${checked} points outside`);
  });

  it("stays accurate for extreme points", () => {
    for (const [z, s] of [
      [1e-8, -1e8],
      [1e6, 1],
      [1e-4, 0],
      [3, -1e-12],
    ]) {
      const y = projected(E, [z, s]);
      assert.ok(Math.abs(y[0] * y[0] - y[1]) <= 1e-12 * (1 + y[1]), `off the boundary at ${z}`);
      // stationarity: x - y = mu (2 y_z, -1), mu = t - s
      const mu = y[1] - s;
      assert.ok(Math.abs(z - y[0] - 2 * mu * y[0]) <= 1e-9 * (1 + Math.abs(z)));
    }
  });

  it("properties on random points", () => {
    checkProjectionProperties(E, 4, new Random(33), {
      contains: (x) => norm(x.subarray(0, 3)) ** 2 <= x[3] + 1e-9 * (1 + Math.abs(x[3])),
    });
  });

  it("rejects an empty slice", () => {
    assert.throws(() => E.project(new Float64Array(2), 1, 1), /EpigraphSquaredNorm: .*empty/);
  });
});
