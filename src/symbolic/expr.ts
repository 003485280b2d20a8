/**
 * Symbolic scalar expressions: an immutable, hash-consed graph.
 *
 * Every node is interned: building the same operation on the same children
 * twice returns the very same node, so common subexpressions are shared and
 * the graph of, say, an MPC cost grows linearly with the horizon. Light
 * simplification (constant folding, neutral and absorbing elements) happens
 * when a node is built.
 */

/** Operations of a node. Leaves are `const` and `sym`. */
export type Op = "const" | "sym" | UnaryOp | BinaryOp | "ifElse";

/** Operations with one argument. */
export type UnaryOp =
  | "neg"
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
  | "sign";

/** Operations with two arguments. */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "atan2"
  | "fmin"
  | "fmax"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "eq"
  | "ne";

/** A symbolic expression or a plain number; numbers mix freely with expressions everywhere. */
export type Scalar = Expr | number;

let nextId = 0;
// Interning tables with numeric keys (string keys made building a node cost
// more than everything else): node by (first child, second child, op), and
// constants by value (+0 and -0 apart: a Map does not tell them apart). The
// rare three-child `ifElse` keeps a string key.
const byChildren = new Map<number, Map<number, Expr>>();
const conditionals = new Map<string, Expr>();
const constants = new Map<number, Expr>();
let negativeZero: Expr | undefined;
const OP_CODES = new Map<Op, number>();

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

  /** @internal Use the factory functions instead. */
  constructor(op: Op, args: readonly Expr[], value: number, name: string) {
    this.id = nextId++;
    this.op = op;
    this.args = args;
    this.value = value;
    this.name = name;
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

const INFIX: Partial<Record<Op, string>> = {
  add: "+",
  sub: "-",
  mul: "*",
  div: "/",
  lt: "<",
  le: "<=",
  gt: ">",
  ge: ">=",
  eq: "==",
  ne: "!=",
};

function render(e: Expr, depth: number): string {
  if (e.op === "const") return formatNumber(e.value);
  if (e.op === "sym") return e.name;
  if (depth > 8) return "…";
  const parts = e.args.map((a) => render(a, depth + 1));
  const infix = INFIX[e.op];
  if (infix !== undefined) return `(${parts[0]} ${infix} ${parts[1]})`;
  if (e.op === "neg") return `(-${parts[0]})`;
  return `${e.op}(${parts.join(", ")})`;
}

/**
 * Formats a number as a JavaScript literal that reads back as exactly the same
 * double (including `-0`, `Infinity`, `-Infinity` and `NaN`).
 */
export function formatNumber(x: number): string {
  if (Object.is(x, -0)) return "-0";
  return String(x);
}

function opCode(op: Op): number {
  let code = OP_CODES.get(op);
  if (code === undefined) {
    code = OP_CODES.size;
    OP_CODES.set(op, code);
  }
  return code;
}

/** The shared node of `op` on one, two or three children (`ifElse`). */
function intern(op: Op, args: readonly Expr[]): Expr {
  if (args.length === 3) {
    const key = args.map((e) => e.id).join(" ");
    let node = conditionals.get(key);
    if (node === undefined) {
      node = new Expr(op, args, Number.NaN, "");
      conditionals.set(key, node);
    }
    return node;
  }
  const [a, b] = args as [Expr, Expr | undefined];
  // Exact: ids stay far below 2^53 / 64.
  const key = opCode(op) + 64 * (b === undefined ? 0 : b.id + 1);
  let table = byChildren.get(a.id);
  if (table === undefined) {
    table = new Map();
    byChildren.set(a.id, table);
  }
  let node = table.get(key);
  if (node === undefined) {
    node = new Expr(op, args, Number.NaN, "");
    table.set(key, node);
  }
  return node;
}

/** The constant node of value `x` (one node per distinct double, `-0` distinct from `0`). */
export function constant(x: number): Expr {
  if (Object.is(x, -0)) {
    negativeZero ??= new Expr("const", [], x, "");
    return negativeZero;
  }
  let node = constants.get(x);
  if (node === undefined) {
    node = new Expr("const", [], x, "");
    constants.set(x, node);
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

const COMPARISON_OPS: ReadonlySet<Op> = new Set<Op>(["lt", "le", "gt", "ge", "eq", "ne"]);

function isConst(e: Expr, v: number): boolean {
  return e.op === "const" && e.value === v;
}

/**
 * The value of one operation on numbers. Constant folding and the generated
 * code share these exact semantics (e.g. `pow(x, 2)` is `x * x`, a condition
 * is true when it is nonzero).
 */
export function evalOp(op: Op, a: number, b: number, c: number): number {
  switch (op) {
    case "neg":
      return -a;
    case "sin":
      return Math.sin(a);
    case "cos":
      return Math.cos(a);
    case "tan":
      return Math.tan(a);
    case "asin":
      return Math.asin(a);
    case "acos":
      return Math.acos(a);
    case "atan":
      return Math.atan(a);
    case "sinh":
      return Math.sinh(a);
    case "cosh":
      return Math.cosh(a);
    case "tanh":
      return Math.tanh(a);
    case "exp":
      return Math.exp(a);
    case "log":
      return Math.log(a);
    case "sqrt":
      return Math.sqrt(a);
    case "abs":
      return Math.abs(a);
    case "sign":
      return Math.sign(a);
    case "add":
      return a + b;
    case "sub":
      return a - b;
    case "mul":
      return a * b;
    case "div":
      return a / b;
    case "pow":
      return b === 2 ? a * a : a ** b;
    case "atan2":
      return Math.atan2(a, b);
    case "fmin":
      return Math.min(a, b);
    case "fmax":
      return Math.max(a, b);
    case "lt":
      return a < b ? 1 : 0;
    case "le":
      return a <= b ? 1 : 0;
    case "gt":
      return a > b ? 1 : 0;
    case "ge":
      return a >= b ? 1 : 0;
    case "eq":
      return a === b ? 1 : 0;
    case "ne":
      return a !== b ? 1 : 0;
    case "ifElse":
      return a !== 0 ? b : c;
    default:
      throw new Error(`evalOp: ${op} is a leaf, not an operation`);
  }
}

function unary(op: UnaryOp, x: Scalar): Expr {
  const a = toExpr(x);
  if (a.op === "const") return constant(evalOp(op, a.value, 0, 0));
  return intern(op, [a]);
}

function binary(op: BinaryOp, x: Scalar, y: Scalar): Expr {
  const a = toExpr(x);
  const b = toExpr(y);
  if (a.op === "const" && b.op === "const") return constant(evalOp(op, a.value, b.value, 0));
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
  if (COMPARISON_OPS.has(c.op) && isConst(x, 1) && isConst(y, 0)) return c;
  return intern("ifElse", [c, x, y]);
}
