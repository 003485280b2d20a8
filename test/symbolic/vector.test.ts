import assert from "node:assert/strict";
import { test } from "node:test";
import {
  compileFunctions,
  type Expr,
  matVec,
  type Scalar,
  sym,
  vadd,
  vmul,
  vneg,
  vscale,
  vsub,
} from "../../src/symbolic/index.js";
import { typecheckStrict } from "./strict.js";

/** Values of expressions of x at the point `at`. */
function values(x: readonly Expr[], outputs: readonly Scalar[], at: readonly number[]): number[] {
  const f = compileFunctions([{ name: "f", inputs: [x], outputs }]).f;
  const out = new Float64Array(outputs.length);
  f(Float64Array.from(at), out);
  return Array.from(out);
}

test("sym with a literal size is a tuple of that many distinct symbols", () => {
  const u = sym("u", 3);
  assert.equal(u.length, 3);
  const [a, b, c] = u;
  assert.deepEqual([a.name, b.name, c.name], ["u[0]", "u[1]", "u[2]"]);
  assert.equal(new Set(u).size, 3);
  const n = 7 as number;
  assert.equal(sym("w", n).length, 7);
});

test("elementwise helpers, scaling and matVec evaluate as the matching loops of numbers", () => {
  const x = sym("x", 3);
  const at = [0.5, -2, 3.25];
  const A = [
    [1, 2, 3],
    [-1, 0.5, 4],
  ];
  const w = [2, -1, 0.25];
  const expect = {
    add: at.map((v, i) => v + w[i]),
    sub: at.map((v, i) => v - w[i]),
    mul: at.map((v, i) => v * w[i]),
    scale: at.map((v) => -1.5 * v),
    neg: at.map((v) => -v),
    matVec: A.map((row) => row.reduce((s, a, j) => s + a * at[j], 0)),
    // a row of expressions: (x0 x1, x2) . x
    exprRow: [at[0] * at[1] * at[0] + at[2] * at[1] + at[2]],
  };
  assert.deepEqual(values(x, vadd(x, w), at), expect.add);
  assert.deepEqual(values(x, vsub(x, w), at), expect.sub);
  assert.deepEqual(values(x, vmul(x, w), at), expect.mul);
  assert.deepEqual(values(x, vscale(x, -1.5), at), expect.scale);
  assert.deepEqual(values(x, vneg(x), at), expect.neg);
  assert.deepEqual(values(x, matVec(A, x), at), expect.matVec);
  const exprRow = matVec([[x[0].mul(x[1]), x[2], 1]], x);
  assert.ok(Math.abs((values(x, exprRow, at)[0] ?? Number.NaN) - expect.exprRow[0]) < 1e-12);
});

test("vector helpers reject vectors of different lengths with a message naming the helper", () => {
  const x = sym("x", 3);
  assert.throws(() => vadd(x, [1, 2]), /vadd: lengths differ, 3 and 2/);
  assert.throws(() => vsub(x, [1]), /vsub: lengths differ, 3 and 1/);
  assert.throws(() => vmul(x, []), /vmul: lengths differ, 3 and 0/);
  assert.throws(() => matVec([[1, 2, 3], [1]], x), /matVec: row 1 and x: lengths differ, 1 and 3/);
});

/**
 * What a user writes under `tsc --init` defaults (strict,
 * noUncheckedIndexedAccess), against the published declarations.
 */
const STRICT_USAGE = `
import { type Expr, matVec, norm2Squared, sum, sym, type Vec, vadd, vscale, vsub } from "open-engine";
const u = sym("u", 5);
const first: Expr = u[0];
const last: Expr = u[4];
const n: 5 = u.length;
// @ts-expect-error index 5 is out of the tuple
u[5];
const [a, b] = sym("p", 2);
const f: Expr = a.mul(b).add(first).add(last);
const d: Vec<2> = vsub(vadd([a, b], [1, 2]), vscale([a, b], 0.5));
const d0: Expr = d[1];
const m: Vec<2> = matVec([[1, 0, 0, 0, 0], [0, 1, 0, 0, 0]], u);
const k = 12 as number;
const general: Vec = sym("w", k);
const s: Expr = sum(general).add(norm2Squared(m)).add(d0).add(f).add(n);
export { s };
`;

test("vector indexing has no undefined under strict noUncheckedIndexedAccess (tsc on the declarations)", async () => {
  assert.equal(await typecheckStrict(STRICT_USAGE), "");
});
