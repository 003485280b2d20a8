import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BuildConfiguration,
  OptimizerMeta,
  Problem,
  TcpServerConfiguration,
} from "../../src/problem/index.js";
import type { Constraint } from "../../src/sets/index.js";
import { Ball2, BallInf, NoConstraints, Rectangle, Sphere2, Zero } from "../../src/sets/index.js";
import { add, mul, norm2Squared, sub, sym } from "../../src/symbolic/index.js";

describe("Problem", () => {
  const u = sym("u", 3);
  const p = sym("p", 2);
  const cost = add(norm2Squared(u), mul(p[0], u[0]));

  it("records dimensions and returns new problems from with... methods", () => {
    const base = new Problem(u, p, cost);
    const full = base
      .withConstraints(new Ball2(1))
      .withAugLagrangianConstraints([sub(u[0], p[1])], new Zero())
      .withPenaltyConstraints([u[1], u[2]]);
    assert.deepEqual([base.nu, base.np, base.n1, base.n2], [3, 2, 0, 0]);
    assert.deepEqual([full.nu, full.np, full.n1, full.n2], [3, 2, 1, 2]);
    assert.equal(base.constraints, undefined);
    assert.ok(full.constraints instanceof Ball2);
    assert.ok(full.almSetC instanceof Zero);
    assert.equal(full.almSetY, undefined);
    assert.ok(Object.isFrozen(full));
  });

  it("accepts a constant cost and an empty parameter vector", () => {
    const pr = new Problem(u, [], 3);
    assert.equal(pr.np, 0);
    assert.equal(pr.cost, 3);
  });

  const rejects: [string, () => unknown, RegExp][] = [
    ["empty u", () => new Problem([], p, 1), /Problem: u must not be empty/],
    ["u not an array", () => new Problem(u[0] as never, p, 1), /u must be an array of symbols/],
    [
      "u entry not a symbol",
      () => new Problem([u[0], add(u[1], 1)], p, 1),
      /u\[1\] must be a symbol/,
    ],
    ["u repeated", () => new Problem([u[0], u[0]], p, 1), /u\[1\] \(u\[0\]\) appears twice/],
    ["p overlaps u", () => new Problem(u, [p[0], u[2]], 1), /p\[1\] \(u\[2\]\) is also a decision/],
    [
      "vector cost",
      () => new Problem(u, p, [u[0], u[1]] as never),
      /cost must be a scalar.*length 2/,
    ],
    ["NaN cost", () => new Problem(u, p, Number.NaN), /cost is NaN/],
    [
      "foreign symbol in cost",
      () => new Problem(u, p, add(u[0], sym("z", 1)[0])),
      /cost uses symbols that are neither in u nor in p: z\[0\]/,
    ],
    [
      "U of wrong dimension",
      () => new Problem(u, p, cost).withConstraints(new Rectangle([0, 0], [1, 1])),
      /the set U has dimension 2 but u has 3/,
    ],
    [
      "U not a set",
      () => new Problem(u, p, cost).withConstraints({} as Constraint),
      /the set U must be a constraint set/,
    ],
    [
      "C of wrong dimension",
      () => new Problem(u, p, cost).withAugLagrangianConstraints([u[0]], new BallInf(1, [0, 0])),
      /the set C has dimension 2 but F1 has 1/,
    ],
    [
      "nonconvex C",
      () => new Problem(u, p, cost).withAugLagrangianConstraints([u[0], u[1]], new Sphere2(1)),
      /the set C must be convex/,
    ],
    [
      "noncompact Y",
      () =>
        new Problem(u, p, cost).withAugLagrangianConstraints(
          [u[0]],
          new Zero(),
          new NoConstraints(),
        ),
      /the set Y of multipliers must be compact/,
    ],
    [
      "Y of wrong dimension",
      () =>
        new Problem(u, p, cost).withAugLagrangianConstraints(
          [u[0]],
          new Zero(),
          new BallInf(1, [0, 0]),
        ),
      /the set Y has dimension 2 but F1 has 1/,
    ],
    [
      "empty F1",
      () => new Problem(u, p, cost).withAugLagrangianConstraints([], new Zero()),
      /F1 must not be empty/,
    ],
    [
      "foreign symbols in F2",
      () =>
        new Problem(u, p, cost).withPenaltyConstraints([u[0], add(sym("w", 2)[1], sym("v", 1)[0])]),
      /F2 uses symbols that are neither in u nor in p: w\[1\], v\[0\]|F2 uses symbols that are neither in u nor in p: v\[0\], w\[1\]/,
    ],
    [
      "vector entry in F2",
      () => new Problem(u, p, cost).withPenaltyConstraints([[u[0]] as never]),
      /F2\[0\] must be a scalar expression/,
    ],
  ];
  for (const [name, make, message] of rejects) {
    it(`rejects ${name}`, () => {
      assert.throws(make, message);
    });
  }
});

describe("OptimizerMeta, TcpServerConfiguration, BuildConfiguration", () => {
  it("have opengen's defaults and immutable with... setters", () => {
    const meta = new OptimizerMeta();
    const changed = meta
      .withOptimizerName("rocket_2")
      .withVersion("1.2.3")
      .withAuthors(["A. B."])
      .withLicence("Apache-2.0");
    assert.deepEqual(
      [meta.optimizerName, meta.version, meta.authors, meta.licence],
      ["open_optimizer", "0.0.0", [], "MIT"],
    );
    assert.deepEqual(
      [changed.optimizerName, changed.version, changed.authors, changed.licence],
      ["rocket_2", "1.2.3", ["A. B."], "Apache-2.0"],
    );
    const tcp = new TcpServerConfiguration();
    assert.deepEqual([tcp.ip, tcp.port], ["127.0.0.1", 8333]);
    const build = new BuildConfiguration();
    assert.equal(build.buildDirectory, "build");
    assert.deepEqual(build.tcpInterfaceConfig, tcp);
    const other = build
      .withBuildDirectory("out")
      .withTcpInterfaceConfig(new TcpServerConfiguration("0.0.0.0", 4598));
    assert.deepEqual(
      [other.buildDirectory, other.tcpInterfaceConfig.ip, other.tcpInterfaceConfig.port],
      ["out", "0.0.0.0", 4598],
    );
    assert.equal(build.buildDirectory, "build");
  });

  it("reject bad names, addresses, ports and directories", () => {
    assert.throws(() => new OptimizerMeta("my optimizer"), /OptimizerMeta: optimizer name/);
    assert.throws(() => new OptimizerMeta("../x"), /OptimizerMeta: optimizer name/);
    assert.throws(() => new OptimizerMeta("9lives"), /OptimizerMeta: optimizer name/);
    assert.throws(() => new OptimizerMeta("ok", ""), /OptimizerMeta: version/);
    assert.throws(() => new OptimizerMeta("ok", "1", [3 as never]), /OptimizerMeta: authors/);
    assert.throws(() => new TcpServerConfiguration("localhost"), /ip must be an IPv4 or IPv6/);
    assert.throws(() => new TcpServerConfiguration("127.0.0.1", 0), /port must be an integer/);
    assert.throws(() => new TcpServerConfiguration("::1", 65536), /port must be an integer/);
    assert.throws(() => new TcpServerConfiguration("::1", 80.5), /port must be an integer/);
    assert.equal(new TcpServerConfiguration("::1", 65535).port, 65535);
    assert.throws(() => new BuildConfiguration(""), /BuildConfiguration: build directory/);
  });
});
