import assert from "node:assert/strict";
import { test } from "node:test";
import {
  abs,
  acos,
  add,
  asin,
  atan,
  atan2,
  compileFunctions,
  constant,
  cos,
  cosh,
  div,
  dot,
  type Expr,
  exp,
  fabs,
  fmax,
  fmin,
  formatNumber,
  freeSymbols,
  ifElse,
  isSymbol,
  log,
  mul,
  neg,
  nodeCount,
  norm1,
  norm2,
  norm2Squared,
  normInf,
  pow,
  rosenbrock,
  type Scalar,
  sign,
  sin,
  sinh,
  sqrt,
  sub,
  sum,
  sym,
  tan,
  tanh,
  vertcat,
} from "../../src/symbolic/index.js";

const UNARY: [string, (x: Scalar) => Expr, (x: number) => number, number[]][] = [
  ["neg", neg, (x) => -x, [-2, 0, 3.5]],
  ["sin", sin, Math.sin, [-2, 0.3, 7]],
  ["cos", cos, Math.cos, [-2, 0.3, 7]],
  ["tan", tan, Math.tan, [-1.2, 0.3, 1]],
  ["asin", asin, Math.asin, [-0.9, 0.2, 1]],
  ["acos", acos, Math.acos, [-0.9, 0.2, 1]],
  ["atan", atan, Math.atan, [-5, 0.2, 40]],
  ["sinh", sinh, Math.sinh, [-2, 0.2, 3]],
  ["cosh", cosh, Math.cosh, [-2, 0.2, 3]],
  ["tanh", tanh, Math.tanh, [-2, 0.2, 3]],
  ["exp", exp, Math.exp, [-2, 0.2, 3]],
  ["log", log, Math.log, [0.1, 1, 30, -1]],
  ["sqrt", sqrt, Math.sqrt, [0, 2, 30, -1]],
  ["abs", abs, Math.abs, [-2, 0, 3]],
  ["fabs", fabs, Math.abs, [-2.5]],
  ["sign", sign, Math.sign, [-2, 0, 3]],
];

const BINARY: [string, (a: Scalar, b: Scalar) => Expr, (a: number, b: number) => number][] = [
  ["add", add, (a, b) => a + b],
  ["sub", sub, (a, b) => a - b],
  ["mul", mul, (a, b) => a * b],
  ["div", div, (a, b) => a / b],
  ["pow", pow, Math.pow],
  ["atan2", atan2, Math.atan2],
  ["fmin", fmin, Math.min],
  ["fmax", fmax, Math.max],
  ["lt", (a, b) => (a as Expr).lt(b), (a, b) => (a < b ? 1 : 0)],
  ["le", (a, b) => (a as Expr).le(b), (a, b) => (a <= b ? 1 : 0)],
  ["gt", (a, b) => (a as Expr).gt(b), (a, b) => (a > b ? 1 : 0)],
  ["ge", (a, b) => (a as Expr).ge(b), (a, b) => (a >= b ? 1 : 0)],
  ["eq", (a, b) => (a as Expr).eq(b), (a, b) => (a === b ? 1 : 0)],
  ["ne", (a, b) => (a as Expr).ne(b), (a, b) => (a !== b ? 1 : 0)],
];

const PAIRS = [
  [1.5, 2],
  [2, 1.5],
  [-0.7, 3],
  [3, 3],
  [0.5, -2.5],
];

test("every unary operation evaluates as Math.*, compiled and constant-folded", () => {
  const [x] = sym("x", 1);
  for (const [name, f, ref, points] of UNARY) {
    const fn = compileFunctions([{ name: "f", inputs: [[x]], outputs: [f(x)], scalar: true }]).f;
    for (const v of points) {
      assert.ok(Object.is(fn(Float64Array.of(v)), ref(v)), `${name}(${v}) compiled`);
      const folded = f(v);
      assert.equal(folded.op, "const", `${name}(${v}) folds`);
      assert.ok(Object.is(folded.value, ref(v)), `${name}(${v}) folded`);
    }
  }
});

test("every binary operation evaluates as its JavaScript counterpart, compiled and folded", () => {
  const [a, b] = sym("a", 2);
  for (const [name, f, ref] of BINARY) {
    const fn = compileFunctions([
      { name: "f", inputs: [[a, b]], outputs: [f(a, b)], scalar: true },
    ]).f;
    for (const [x, y] of PAIRS) {
      assert.ok(Object.is(fn(Float64Array.of(x, y)), ref(x, y)), `${name}(${x}, ${y}) compiled`);
      const folded = f(constant(x), y);
      assert.equal(folded.op, "const", `${name}(${x}, ${y}) folds`);
      assert.ok(Object.is(folded.value, ref(x, y)), `${name}(${x}, ${y}) folded`);
    }
  }
});

test("methods, free functions and ifElse agree", () => {
  const [c, a, b] = sym("v", 3);
  const exprs = [
    a.add(b).mul(c).sub(a.div(b)).pow(2).neg(),
    neg(pow(sub(mul(add(a, b), c), div(a, b)), 2)),
    ifElse(c, a, b),
    pow(a, b),
  ];
  assert.equal(exprs[0], exprs[1]);
  const f = compileFunctions([{ name: "f", inputs: [[c, a, b]], outputs: exprs }]).f;
  const out = new Float64Array(4);
  for (const [cv, av, bv] of [
    [0, 1.5, 2.5],
    [-1, 1.5, 2.5],
    [Number.NaN, 3, 4],
  ]) {
    f(Float64Array.of(cv, av, bv), out);
    const t = (av + bv) * cv - av / bv;
    assert.ok(Object.is(out[0], -(t * t)));
    assert.equal(out[2], cv !== 0 ? av : bv);
    assert.equal(out[3], av ** bv);
  }
});

test("hash-consing: the same expression built twice is the identical node", () => {
  const [x, y] = sym("x", 2);
  const build = () => add(mul(sin(x), exp(y)), div(sqrt(x), fmax(x, y)));
  assert.equal(build(), build());
  assert.equal(constant(2.5), constant(2.5));
  assert.notEqual(constant(0), constant(-0));
  assert.equal(constant(Number.NaN), constant(Number.NaN));
  // Nodes differ by operation and by the order of their children.
  assert.notEqual(add(x, y), mul(x, y));
  assert.notEqual(add(x, y), add(y, x));
  assert.notEqual(sin(x), exp(x));
  assert.equal(ifElse(x, y, 2), ifElse(x, y, 2));
  assert.notEqual(ifElse(x, y, 2), ifElse(x, 2, y));
  // Symbols have a fresh identity per call, even with the same name.
  const [x2] = sym("x", 1);
  assert.notEqual(x2, x);
  assert.notEqual(add(x2, 1), add(x, 1));
  assert.ok(isSymbol(x) && !isSymbol(add(x, 1)) && !isSymbol(constant(1)));
  assert.equal(x.name, "x[0]");
  // Shared subexpressions are counted once.
  const s = sin(x);
  assert.equal(nodeCount([mul(s, s)]), 3);
  assert.equal(nodeCount([add(mul(s, s), s), s, 1]), 5);
});

test("light simplification: neutral and absorbing elements, constant conditions", () => {
  const [x, y] = sym("x", 2);
  assert.equal(add(x, 0), x);
  assert.equal(add(0, x), x);
  assert.equal(sub(x, 0), x);
  assert.equal(sub(0, x), neg(x));
  assert.equal(mul(x, 1), x);
  assert.equal(mul(1, x), x);
  assert.equal(mul(x, 0).value, 0);
  assert.equal(mul(-1, x), neg(x));
  assert.equal(div(x, 1), x);
  assert.equal(pow(x, 1), x);
  assert.equal(pow(x, 0).value, 1);
  assert.equal(neg(neg(x)), x);
  assert.equal(add(x, neg(y)), sub(x, y));
  assert.equal(ifElse(1, x, y), x);
  assert.equal(ifElse(0, x, y), y);
  assert.equal(ifElse(x, y, y), y);
  assert.equal(add(constant(2), 3).value, 5);
  // x - x is not simplified: it is NaN for infinite x.
  assert.equal(sub(x, x).op, "sub");
});

test("vector helpers", () => {
  const u = sym("u", 3);
  const p = sym("p", 2);
  const v = vertcat(u[0], [u[1], 2], [], 7, u.slice(2));
  assert.deepEqual(
    v.map((e) => e.toString()),
    ["u[0]", "u[1]", "2", "7", "u[2]"],
  );
  assert.deepEqual(freeSymbols([mul(p[1], u[2]), add(u[0], p[1])]), [p[1], u[2], u[0]]);
  const outputs = [
    dot(u, [1, 2, 3]),
    sum(u),
    norm2(u),
    norm2Squared(u),
    normInf(u),
    norm1(u),
    rosenbrock(u, p),
    sum([]),
    normInf([]),
  ];
  const f = compileFunctions([{ name: "f", inputs: [u, p], outputs }]).f;
  const out = new Float64Array(outputs.length);
  f(Float64Array.of(1, -4, 2), Float64Array.of(1.5, 10), out);
  const rosen = 10 * (-4 - 1) ** 2 + (1.5 - 1) ** 2 + 10 * (2 - 16) ** 2 + (1.5 + 4) ** 2;
  assert.deepEqual(Array.from(out), [-1, -1, Math.sqrt(21), 21, 4, 7, rosen, 0, 0]);
  assert.throws(() => dot(u, p), /dot: lengths differ, 3 and 2/);
  assert.throws(() => rosenbrock(u, u), /rosenbrock: p must have length 2/);
  assert.throws(() => sym("z", -1), /sym: size must be a nonnegative integer, got -1/);
});

test("numbers are formatted as literals that read back exactly", () => {
  const values = [
    0,
    -0,
    1,
    -1,
    0.1,
    1 / 3,
    -2.5e-300,
    5e-324,
    Number.MAX_VALUE,
    1e21,
    123456789012345680000,
    Math.PI,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NaN,
  ];
  const [x] = sym("x", 1);
  for (const v of values) {
    const text = formatNumber(v);
    assert.ok(Object.is(new Function(`return ${text};`)(), v), `${text} reads back as ${v}`);
    // The same through generated code, in an operand position and as an output.
    const f = compileFunctions([
      { name: "f", inputs: [[x]], outputs: [constant(v), mul(x, v), sub(x, v)] },
    ]).f;
    const out = new Float64Array(3);
    f(Float64Array.of(3), out);
    assert.ok(Object.is(out[0], v));
    assert.ok(Object.is(out[1], 3 * v));
    assert.ok(Object.is(out[2], 3 - v));
  }
});
