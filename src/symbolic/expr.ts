/**
 * Symbolic scalar expressions: an immutable, hash-consed graph, and the one
 * table of its operations.
 *
 * Every node is interned: building the same operation on the same children
 * twice returns the very same node, so common subexpressions are shared and
 * the graph of, say, an MPC cost grows linearly with the horizon. Light
 * simplification (constant folding, neutral and absorbing elements) happens
 * when a node is built.
 *
 * There is no global node table, so graphs are collectable: a node is interned
 * in a small table held by its youngest non-constant child, its owner. A
 * table lives exactly as long as its owner, and a node needs its children, so
 * a graph and its tables are garbage together once nothing references its
 * symbols or nodes. The symbols of a problem are thus its graph context:
 * create them per problem, as `sym` in a function building the problem does
 * (symbols kept in a module-level variable keep every expression ever built
 * on them). Constants, shared by all graphs, are interned weakly.
 *
 * Each operation is one record of the table `OPS`: value on numbers, adjoints
 * (reverse-mode derivative), JavaScript code, size estimate and printed form,
 * so an operation cannot be added without its derivative or its code.
 */

/** A symbolic expression or a plain number; numbers mix freely with expressions everywhere. */
export type Scalar = Expr | number;

/**
 * An immutable node of an expression graph. Build nodes with {@link sym},
 * {@link constant}, the elementary functions and the arithmetic methods, never
 * with `new` (that would bypass sharing).
 */
export class Expr {
  /** Unique identity of the node, in creation order. */
  readonly id: number;
  /** The operation. */
  readonly op: Op;
  /** The children (empty for leaves). */
  readonly args: readonly Expr[];
  /** The value of a `const` node (NaN otherwise). */
  readonly value: number;
  /** The name of a `sym` node, e.g. `u[3]` (empty otherwise). */
  readonly name: string;
  /**
   * @internal The nodes this one owns (see the module comment), by a key made
   * of their operation and other children; created on first use.
   */
  uses: Map<number | string, Expr> | undefined;

  /** @internal Use the factory functions instead. */
  constructor(op: Op, args: readonly Expr[], value: number, name: string) {
    this.id = nextId++;
    this.op = op;
    this.args = args;
    this.value = value;
    this.name = name;
    this.uses = undefined;
  }

  /** this + b */
  add(b: Scalar): Expr {
    return add(this, b);
  }
  /** this - b */
  sub(b: Scalar): Expr {
    return sub(this, b);
  }
  /** this * b */
  mul(b: Scalar): Expr {
    return mul(this, b);
  }
  /** this / b */
  div(b: Scalar): Expr {
    return div(this, b);
  }
  /** this ^ b */
  pow(b: Scalar): Expr {
    return pow(this, b);
  }
  /** -this */
  neg(): Expr {
    return neg(this);
  }
  /** 1 if this < b, else 0. */
  lt(b: Scalar): Expr {
    return lt(this, b);
  }
  /** 1 if this <= b, else 0. */
  le(b: Scalar): Expr {
    return le(this, b);
  }
  /** 1 if this > b, else 0. */
  gt(b: Scalar): Expr {
    return gt(this, b);
  }
  /** 1 if this >= b, else 0. */
  ge(b: Scalar): Expr {
    return ge(this, b);
  }
  /** 1 if this == b, else 0. */
  eq(b: Scalar): Expr {
    return eq(this, b);
  }
  /** 1 if this != b, else 0. */
  ne(b: Scalar): Expr {
    return ne(this, b);
  }

  /** A compact infix rendering, for messages and debugging. */
  toString(): string {
    return render(this, 0);
  }
}

function render(e: Expr, depth: number): string {
  if (e.op === "const") return formatNumber(e.value);
  if (e.op === "sym") return e.name;
  if (depth > 8) return "…";
  return recordOf(e).print(e.args.map((a) => render(a, depth + 1)));
}

/**
 * Formats a number as a JavaScript literal that reads back as exactly the same
 * double (including `-0`, `Infinity`, `-Infinity` and `NaN`).
 */
export function formatNumber(x: number): string {
  if (Object.is(x, -0)) return "-0";
  return String(x);
}

// ---------------------------------------------------------------------------
// The operations

/**
 * How the adjoint `w` of node `n` flows into one argument of `n`: the
 * contribution to that argument's adjoint, or `null` where the partial
 * derivative is zero wherever it exists (comparisons, `sign`, a condition).
 */
export type Adjoint = ((w: Expr, n: Expr) => Expr) | null;

/** Everything the engine knows about one operation with `N` arguments. */
export interface OpRecord<N extends 1 | 2 | 3 = 1 | 2 | 3> {
  /** One adjoint per argument, in order; their number is the operation's arity. */
  readonly adjoints: {
    1: readonly [Adjoint];
    2: readonly [Adjoint, Adjoint];
    3: readonly [Adjoint, Adjoint, Adjoint];
  }[N];
  /**
   * The value on numbers. Constant folding uses it and the generated code
   * computes exactly the same (e.g. `pow(x, 2)` is `x * x`, a condition is
   * true when it is nonzero).
   */
  readonly eval: (a: number, b: number, c: number) => number;
  /** The JavaScript expression of node `n`, given its arguments' texts (locals or literals). */
  readonly emit: (x: readonly string[], n: Expr) => string;
  /**
   * The estimated size of the generated statement, in units of one
   * arithmetic statement (see the function splitting of the code generator).
   */
  readonly size: (n: Expr) => number;
  /** The node in {@link Expr.toString}, given its arguments' renderings. */
  readonly print: (x: readonly string[]) => string;
  /** True when the value is always 0 or 1. */
  readonly zeroOne?: true;
}

// Statement sizes (units: one arithmetic statement, about 14 bytes of bytecode).
const ARITHMETIC = () => 1;
const CALL_UNARY = () => 2;
const CALL_BINARY = () => 3;
const SELECT = () => 2;

/** An operand in an operator position: a negative literal is parenthesised. */
function wrap(x: string): string {
  return x.startsWith("-") ? `(${x})` : x;
}

function infix(
  js: string,
  f: (a: number, b: number) => number,
  adjoints: OpRecord<2>["adjoints"],
): OpRecord<2> {
  return {
    adjoints,
    eval: f,
    emit: ([a, b]) => `${wrap(a)} ${js} ${wrap(b)}`,
    size: ARITHMETIC,
    print: ([a, b]) => `(${a} ${js} ${b})`,
  };
}

/** A function of one argument computed by `Math[name]`, printed as `name(a)`. */
function math1(
  name:
    | "sin"
    | "cos"
    | "tan"
    | "asin"
    | "acos"
    | "atan"
    | "sinh"
    | "cosh"
    | "tanh"
    | "exp"
    | "log"
    | "sqrt"
    | "abs"
    | "sign",
  adjoint: Adjoint,
): OpRecord<1> {
  return {
    adjoints: [adjoint],
    eval: Math[name],
    emit: ([a]) => `Math.${name}(${a})`,
    size: CALL_UNARY,
    print: ([a]) => `${name}(${a})`,
  };
}

/** A function of two arguments computed by `Math[js]`, printed as `name(a, b)`. */
function math2(
  name: string,
  js: "atan2" | "min" | "max",
  adjoints: OpRecord<2>["adjoints"],
): OpRecord<2> {
  return {
    adjoints,
    // Two arguments exactly: Math.min and Math.max would count a third.
    eval: (a, b) => Math[js](a, b),
    emit: ([a, b]) => `Math.${js}(${a}, ${b})`,
    size: CALL_BINARY,
    print: ([a, b]) => `${name}(${a}, ${b})`,
  };
}

/** A comparison: 1 when it holds, else 0; derivative zero. */
function comparison(
  printed: string,
  js: string,
  f: (a: number, b: number) => boolean,
): OpRecord<2> {
  return {
    adjoints: [null, null],
    eval: (a, b) => (f(a, b) ? 1 : 0),
    emit: ([a, b]) => `${wrap(a)} ${js} ${wrap(b)} ? 1 : 0`,
    size: SELECT,
    print: ([a, b]) => `(${a} ${printed} ${b})`,
    zeroOne: true,
  };
}

function isSquare(n: Expr): boolean {
  const b = n.args[1];
  return b.op === "const" && b.value === 2;
}

/** d atan2(y, x) = (x dy - y dx) / (x^2 + y^2) */
function radius2(y: Expr, x: Expr): Expr {
  return add(mul(x, x), mul(y, y));
}

/**
 * The operations, one record each. Their names, arities and everything the
 * engine does with a node (fold, differentiate, generate, split, print) come
 * from here.
 */
export const OPS = {
  neg: {
    adjoints: [(w) => neg(w)],
    eval: (a) => -a,
    emit: ([a]) => `-${wrap(a)}`,
    size: ARITHMETIC,
    print: ([a]) => `(-${a})`,
  },
  sin: math1("sin", (w, { args: [a] }) => mul(w, cos(a))),
  cos: math1("cos", (w, { args: [a] }) => neg(mul(w, sin(a)))),
  tan: math1("tan", (w, n) => mul(w, add(1, mul(n, n)))),
  asin: math1("asin", (w, { args: [a] }) => div(w, sqrt(sub(1, mul(a, a))))),
  acos: math1("acos", (w, { args: [a] }) => neg(div(w, sqrt(sub(1, mul(a, a)))))),
  atan: math1("atan", (w, { args: [a] }) => div(w, add(1, mul(a, a)))),
  sinh: math1("sinh", (w, { args: [a] }) => mul(w, cosh(a))),
  cosh: math1("cosh", (w, { args: [a] }) => mul(w, sinh(a))),
  tanh: math1("tanh", (w, n) => mul(w, sub(1, mul(n, n)))),
  exp: math1("exp", (w, n) => mul(w, n)),
  log: math1("log", (w, { args: [a] }) => div(w, a)),
  sqrt: math1("sqrt", (w, n) => div(w, mul(2, n))),
  abs: math1("abs", (w, { args: [a] }) => mul(w, sign(a))),
  sign: math1("sign", null),
  add: infix("+", (a, b) => a + b, [(w) => w, (w) => w]),
  sub: infix("-", (a, b) => a - b, [(w) => w, (w) => neg(w)]),
  mul: infix("*", (a, b) => a * b, [
    (w, { args: [, b] }) => mul(w, b),
    (w, { args: [a] }) => mul(w, a),
  ]),
  div: infix("/", (a, b) => a / b, [
    (w, { args: [, b] }) => div(w, b),
    // d(a/b)/db = -(a/b)/b
    (w, n) => neg(div(mul(w, n), n.args[1])),
  ]),
  pow: {
    adjoints: [
      (w, { args: [a, b] }) => mul(w, mul(b, pow(a, sub(b, 1)))),
      (w, n) => mul(w, mul(n, log(n.args[0]))),
    ],
    eval: (a, b) => (b === 2 ? a * a : a ** b),
    emit: ([a, b], n) => (isSquare(n) ? `${wrap(a)} * ${wrap(a)}` : `Math.pow(${a}, ${b})`),
    size: (n) => (isSquare(n) ? 1 : 3),
    print: ([a, b]) => `pow(${a}, ${b})`,
  },
  atan2: math2("atan2", "atan2", [
    (w, { args: [y, x] }) => div(mul(w, x), radius2(y, x)),
    (w, { args: [y, x] }) => neg(div(mul(w, y), radius2(y, x))),
  ]),
  // The derivative of the argument taken (a on ties).
  fmin: math2("fmin", "min", [
    (w, { args: [a, b] }) => ifElse(le(a, b), w, 0),
    (w, { args: [a, b] }) => ifElse(le(a, b), 0, w),
  ]),
  fmax: math2("fmax", "max", [
    (w, { args: [a, b] }) => ifElse(ge(a, b), w, 0),
    (w, { args: [a, b] }) => ifElse(ge(a, b), 0, w),
  ]),
  lt: comparison("<", "<", (a, b) => a < b),
  le: comparison("<=", "<=", (a, b) => a <= b),
  gt: comparison(">", ">", (a, b) => a > b),
  ge: comparison(">=", ">=", (a, b) => a >= b),
  eq: comparison("==", "===", (a, b) => a === b),
  ne: comparison("!=", "!==", (a, b) => a !== b),
  ifElse: {
    adjoints: [null, (w, { args: [c] }) => ifElse(c, w, 0), (w, { args: [c] }) => ifElse(c, 0, w)],
    eval: (c, a, b) => (c !== 0 ? a : b),
    emit: ([c, a, b]) => `${wrap(c)} !== 0 ? ${wrap(a)} : ${wrap(b)}`,
    size: SELECT,
    print: ([c, a, b]) => `ifElse(${c}, ${a}, ${b})`,
  },
} satisfies Record<string, OpRecord>;

/** The operations (nodes that are not leaves). */
export type Operation = keyof typeof OPS;
type OperationsOfArity<N extends number> = {
  [K in Operation]: (typeof OPS)[K]["adjoints"]["length"] extends N ? K : never;
}[Operation];
/** Operations with one argument. */
export type UnaryOp = OperationsOfArity<1>;
/** Operations with two arguments. */
export type BinaryOp = OperationsOfArity<2>;
/** Operations of a node. Leaves are `const` and `sym`. */
export type Op = "const" | "sym" | Operation;

const RECORDS: Readonly<Record<string, OpRecord | undefined>> = OPS;

/** The record of the operation of `e`; throws for a leaf. */
export function recordOf(e: Expr): OpRecord {
  const record = RECORDS[e.op];
  if (record === undefined) throw new Error(`${e.op} is a leaf, not an operation`);
  return record;
}

// ---------------------------------------------------------------------------
// Interning

let nextId = 0;
// Keys are numbers where they can be (strings made building a node cost more
// than everything else): operation code + 64 * (other child, owner position).
const OP_CODES = new Map<string, number>(Object.keys(OPS).map((op, code) => [op, code]));

/** The shared node of `op` on one, two or three children (`ifElse`), not all constant. */
function intern(op: Operation, args: readonly Expr[]): Expr {
  let o = -1;
  for (let k = 0; k < args.length; k++) {
    if (args[k].op !== "const" && (o < 0 || args[k].id > args[o].id)) o = k;
  }
  const owner = args[o];
  const code = OP_CODES.get(op) as number;
  let key: number | string;
  if (args.length === 1) {
    key = code;
  } else if (args.length === 2) {
    // Exact: ids stay far below 2^53 / 128.
    key = code + 64 * (2 * args[1 - o].id + o);
  } else {
    key = `${code} ${o} ${args
      .filter((_, k) => k !== o)
      .map((e) => e.id)
      .join(" ")}`;
  }
  owner.uses ??= new Map();
  let node = owner.uses.get(key);
  if (node === undefined) {
    node = new Expr(op, args, Number.NaN, "");
    owner.uses.set(key, node);
  }
  return node;
}

// Constants by value, weakly held: the values a process meets are unbounded.
// -0 (which a Map does not tell from +0) has its own slot.
const constants = new Map<number, WeakRef<Expr>>();
const forgetConstant = new FinalizationRegistry<number>((x) => {
  // A new node of the same value may have taken the slot meanwhile.
  if (constants.get(x)?.deref() === undefined) constants.delete(x);
});
let negativeZero: Expr | undefined;

/** The constant node of value `x` (one node per distinct double, `-0` distinct from `0`). */
export function constant(x: number): Expr {
  if (Object.is(x, -0)) {
    negativeZero ??= new Expr("const", [], x, "");
    return negativeZero;
  }
  let node = constants.get(x)?.deref();
  if (node === undefined) {
    node = new Expr("const", [], x, "");
    constants.set(x, new WeakRef(node));
    forgetConstant.register(node, x);
  }
  return node;
}

type Digit = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9";
/** Sizes written with at most three digits get a tuple type (TypeScript caps recursion at 1000). */
type TupleSize =
  | Digit
  | `${Exclude<Digit, "0">}${Digit}`
  | `${Exclude<Digit, "0">}${Digit}${Digit}`;
type Tuple<N extends number, R extends Expr[]> = R["length"] extends N ? R : Tuple<N, [...R, Expr]>;

/**
 * A vector of `N` expressions. When `N` is a literal below 1000 it is a tuple
 * type, so `v[0]` has type {@link Expr} (not `Expr | undefined`) even under
 * `noUncheckedIndexedAccess`, and destructuring `const [x, y] = v` is typed;
 * otherwise (and as `Vec` without argument) it is the general `Expr[]`, which
 * is indexed through loops, destructuring and the vector helpers.
 */
export type Vec<N extends number = number> = number extends N
  ? Expr[]
  : `${N}` extends TupleSize
    ? Tuple<N, []>
    : Expr[];

/**
 * `n` fresh symbols named `name[0]`, …, `name[n-1]`. Every call creates new
 * symbols, distinct from all others even when the name is reused. With a
 * literal `n` the result is a tuple type (see {@link Vec}).
 *
 * The expressions built on symbols live as long as the symbols do: make the
 * symbols of a problem where the problem is made (in the function building
 * it), so that a dropped problem is collected whole. Symbols kept for the
 * life of the process keep every expression ever built on them.
 */
export function sym<N extends number>(name: string, n: N): Vec<N> {
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`sym: size must be a nonnegative integer, got ${n}`);
  }
  const out: Expr[] = [];
  for (let i = 0; i < n; i++) out.push(new Expr("sym", [], Number.NaN, `${name}[${i}]`));
  return out as Vec<N>;
}

/** True when `e` is a symbol (a node made by {@link sym}). */
export function isSymbol(e: Expr): boolean {
  return e.op === "sym";
}

/** Converts a number to a constant node; expressions pass through. */
export function toExpr(x: Scalar): Expr {
  return typeof x === "number" ? constant(x) : x;
}

function isConst(e: Expr, v: number): boolean {
  return e.op === "const" && e.value === v;
}

// ---------------------------------------------------------------------------
// Building nodes

function unary(op: UnaryOp, x: Scalar): Expr {
  const a = toExpr(x);
  if (a.op === "const") return constant(OPS[op].eval(a.value, 0, 0));
  return intern(op, [a]);
}

function binary(op: BinaryOp, x: Scalar, y: Scalar): Expr {
  const a = toExpr(x);
  const b = toExpr(y);
  if (a.op === "const" && b.op === "const") return constant(OPS[op].eval(a.value, b.value, 0));
  return intern(op, [a, b]);
}

/** a + b (drops a zero term). */
export function add(x: Scalar, y: Scalar): Expr {
  const a = toExpr(x);
  const b = toExpr(y);
  if (isConst(a, 0)) return b;
  if (isConst(b, 0)) return a;
  if (b.op === "neg") return sub(a, b.args[0]);
  if (a.op === "neg") return sub(b, a.args[0]);
  return binary("add", a, b);
}

/** a - b (drops a zero term). */
export function sub(x: Scalar, y: Scalar): Expr {
  const a = toExpr(x);
  const b = toExpr(y);
  if (isConst(b, 0)) return a;
  if (isConst(a, 0)) return neg(b);
  if (b.op === "neg") return add(a, b.args[0]);
  return binary("sub", a, b);
}

/**
 * a * b. A constant zero factor gives zero (as CasADi does: `0 * x` is taken
 * to be 0 even where x would be infinite or NaN), a unit factor disappears.
 */
export function mul(x: Scalar, y: Scalar): Expr {
  const a = toExpr(x);
  const b = toExpr(y);
  if (isConst(a, 0)) return a;
  if (isConst(b, 0)) return b;
  if (isConst(a, 1)) return b;
  if (isConst(b, 1)) return a;
  if (isConst(a, -1)) return neg(b);
  if (isConst(b, -1)) return neg(a);
  if (a.op === "neg" && b.op === "neg") return mul(a.args[0], b.args[0]);
  return binary("mul", a, b);
}

/** a / b (a constant zero numerator gives zero, as in {@link mul}). */
export function div(x: Scalar, y: Scalar): Expr {
  const a = toExpr(x);
  const b = toExpr(y);
  if (isConst(b, 1)) return a;
  if (isConst(b, -1)) return neg(a);
  if (isConst(a, 0) && b.op !== "const") return a;
  return binary("div", a, b);
}

/** a ^ b (Math.pow semantics; `pow(x, 2)` is evaluated as `x * x`). */
export function pow(x: Scalar, y: Scalar): Expr {
  const a = toExpr(x);
  const b = toExpr(y);
  if (isConst(b, 1)) return a;
  if (isConst(b, 0)) return constant(1);
  return binary("pow", a, b);
}

/** -a */
export function neg(x: Scalar): Expr {
  const a = toExpr(x);
  if (a.op === "neg") return a.args[0];
  return unary("neg", a);
}

/** Square, a * a. */
export function sq(x: Scalar): Expr {
  return pow(x, 2);
}

/** sin(a) */
export function sin(x: Scalar): Expr {
  return unary("sin", x);
}
/** cos(a) */
export function cos(x: Scalar): Expr {
  return unary("cos", x);
}
/** tan(a) */
export function tan(x: Scalar): Expr {
  return unary("tan", x);
}
/** asin(a) */
export function asin(x: Scalar): Expr {
  return unary("asin", x);
}
/** acos(a) */
export function acos(x: Scalar): Expr {
  return unary("acos", x);
}
/** atan(a) */
export function atan(x: Scalar): Expr {
  return unary("atan", x);
}
/** atan2(y, x), the angle of the point (x, y). */
export function atan2(y: Scalar, x: Scalar): Expr {
  return binary("atan2", y, x);
}
/** sinh(a) */
export function sinh(x: Scalar): Expr {
  return unary("sinh", x);
}
/** cosh(a) */
export function cosh(x: Scalar): Expr {
  return unary("cosh", x);
}
/** tanh(a) */
export function tanh(x: Scalar): Expr {
  return unary("tanh", x);
}
/** exp(a) */
export function exp(x: Scalar): Expr {
  return unary("exp", x);
}
/** Natural logarithm. */
export function log(x: Scalar): Expr {
  return unary("log", x);
}
/** Square root. */
export function sqrt(x: Scalar): Expr {
  return unary("sqrt", x);
}
/** |a| (derivative sign(a), 0 at 0). */
export function abs(x: Scalar): Expr {
  return unary("abs", x);
}
/** |a|, opengen's name for {@link abs}. */
export const fabs = abs;
/** Sign of a: -1, 0 or 1 (derivative 0). */
export function sign(x: Scalar): Expr {
  return unary("sign", x);
}
/** min(a, b) (derivative: that of a when a <= b, else that of b). */
export function fmin(a: Scalar, b: Scalar): Expr {
  if (a === b) return toExpr(a);
  return binary("fmin", a, b);
}
/** max(a, b) (derivative: that of a when a >= b, else that of b). */
export function fmax(a: Scalar, b: Scalar): Expr {
  if (a === b) return toExpr(a);
  return binary("fmax", a, b);
}
/** 1 if a < b, else 0. */
export function lt(a: Scalar, b: Scalar): Expr {
  return binary("lt", a, b);
}
/** 1 if a <= b, else 0. */
export function le(a: Scalar, b: Scalar): Expr {
  return binary("le", a, b);
}
/** 1 if a > b, else 0. */
export function gt(a: Scalar, b: Scalar): Expr {
  return binary("gt", a, b);
}
/** 1 if a >= b, else 0. */
export function ge(a: Scalar, b: Scalar): Expr {
  return binary("ge", a, b);
}
/** 1 if a == b, else 0. */
export function eq(a: Scalar, b: Scalar): Expr {
  return binary("eq", a, b);
}
/** 1 if a != b, else 0. */
export function ne(a: Scalar, b: Scalar): Expr {
  return binary("ne", a, b);
}

/**
 * `a` where `cond` is nonzero (NaN counts as nonzero), else `b`. Derivatives
 * follow the branch taken.
 */
export function ifElse(cond: Scalar, a: Scalar, b: Scalar): Expr {
  const c = toExpr(cond);
  const x = toExpr(a);
  const y = toExpr(b);
  if (c.op === "const") return c.value !== 0 ? x : y;
  if (x === y) return x;
  // A comparison already is 1 or 0.
  if (c.op !== "sym" && recordOf(c).zeroOne === true && isConst(x, 1) && isConst(y, 0)) return c;
  return intern("ifElse", [c, x, y]);
}
