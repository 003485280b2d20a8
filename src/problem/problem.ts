import type { Constraint } from "../sets/constraint.js";
import { type Expr, freeSymbols, isSymbol, type Scalar } from "../symbolic/index.js";

function fail(message: string): never {
  throw new Error(`Problem: ${message}`);
}

function isExpr(x: unknown): x is Expr {
  return x !== null && typeof x === "object" && typeof (x as Expr).op === "string";
}

function checkScalar(what: string, x: unknown): void {
  if (typeof x === "number") {
    if (Number.isNaN(x)) fail(`${what} is NaN`);
    return;
  }
  if (Array.isArray(x)) {
    fail(`${what} must be a scalar expression, got an array of length ${x.length}`);
  }
  if (!isExpr(x)) fail(`${what} must be a scalar expression or a number, got ${String(x)}`);
}

function checkSymbols(what: string, v: unknown, allowEmpty: boolean): readonly Expr[] {
  if (!Array.isArray(v)) fail(`${what} must be an array of symbols (made by sym)`);
  if (v.length === 0 && !allowEmpty) fail(`${what} must not be empty`);
  const seen = new Set<Expr>();
  v.forEach((s, i) => {
    if (!isExpr(s) || !isSymbol(s)) {
      fail(`${what}[${i}] must be a symbol (made by sym), got ${String(s)}`);
    }
    if (seen.has(s)) fail(`${what}[${i}] (${s.name}) appears twice`);
    seen.add(s);
  });
  return Object.freeze(v.slice());
}

function checkMapping(what: string, F: unknown): readonly Scalar[] {
  if (!Array.isArray(F)) fail(`${what} must be an array of scalar expressions`);
  if (F.length === 0) fail(`${what} must not be empty`);
  F.forEach((f, i) => {
    checkScalar(`${what}[${i}]`, f);
  });
  return Object.freeze(F.slice());
}

function checkSet(what: string, set: unknown): Constraint {
  const c = set as Constraint;
  if (
    c == null ||
    typeof c.project !== "function" ||
    typeof c.isConvex !== "function" ||
    typeof c.isCompact !== "function"
  ) {
    fail(`${what} must be a constraint set (an object implementing Constraint)`);
  }
  return c;
}

function checkDimension(what: string, set: Constraint, n: number, of: string): void {
  if (set.dimension !== undefined && set.dimension !== n) {
    fail(`${what} has dimension ${set.dimension} but ${of} has ${n}`);
  }
}

interface ProblemParts {
  readonly u: readonly Expr[];
  readonly p: readonly Expr[];
  readonly cost: Scalar;
  readonly constraints: Constraint | undefined;
  readonly mappingF1: readonly Scalar[] | undefined;
  readonly almSetC: Constraint | undefined;
  readonly almSetY: Constraint | undefined;
  readonly mappingF2: readonly Scalar[] | undefined;
}

/**
 * A parametric optimization problem described symbolically, as opengen's
 * `Problem`:
 *
 *     minimize_u cost(u, p)  subject to  u in U,  F1(u, p) in C,  F2(u, p) = 0.
 *
 * Immutable: every `with...` method checks its arguments and returns a new
 * problem, so calls chain:
 *
 * ```ts
 * const u = sym("u", 5), p = sym("p", 2);
 * const problem = new Problem(u, p, rosenbrock(u, p))
 *   .withConstraints(new Ball2(1.5))
 *   .withPenaltyConstraints([sub(mul(1.5, u[0]), u[1])]);
 * ```
 *
 * Turn it into an optimizer with an {@link OptimizerBuilder}.
 */
export class Problem {
  /** The decision variables, nu >= 1 distinct symbols. */
  readonly u: readonly Expr[];
  /** The parameters, np >= 0 distinct symbols, none of them in `u`. */
  readonly p: readonly Expr[];
  /** The cost f(u, p), a scalar. */
  readonly cost: Scalar;
  /** The set U (`undefined`: no constraints). */
  readonly constraints: Constraint | undefined;
  /** F1(u, p) of the augmented Lagrangian constraints F1 in C, or `undefined`. */
  readonly mappingF1: readonly Scalar[] | undefined;
  /** The closed convex set C. */
  readonly almSetC: Constraint | undefined;
  /** The compact set Y of multipliers (`undefined`: derived from C by the solver). */
  readonly almSetY: Constraint | undefined;
  /** F2(u, p) of the penalty constraints F2 = 0, or `undefined`. */
  readonly mappingF2: readonly Scalar[] | undefined;

  /**
   * @param u the decision variables (symbols from `sym`, distinct, at least one)
   * @param p the parameters (symbols, distinct, disjoint from `u`; may be empty)
   * @param cost the cost, a scalar expression of `u` and `p` only
   */
  constructor(u: readonly Expr[], p: readonly Expr[], cost: Scalar) {
    this.u = checkSymbols("u", u, false);
    this.p = checkSymbols("p", p, true);
    const inU = new Set(this.u);
    this.p.forEach((s, i) => {
      if (inU.has(s)) fail(`p[${i}] (${s.name}) is also a decision variable`);
    });
    checkScalar("cost", cost);
    this.cost = cost;
    this.checkFreeSymbols("cost", [cost]);
    this.constraints = undefined;
    this.mappingF1 = undefined;
    this.almSetC = undefined;
    this.almSetY = undefined;
    this.mappingF2 = undefined;
    Object.freeze(this);
  }

  /** Number of decision variables. */
  get nu(): number {
    return this.u.length;
  }

  /** Number of parameters. */
  get np(): number {
    return this.p.length;
  }

  /** Number of augmented Lagrangian constraints (0 without F1). */
  get n1(): number {
    return this.mappingF1?.length ?? 0;
  }

  /** Number of penalty constraints (0 without F2). */
  get n2(): number {
    return this.mappingF2?.length ?? 0;
  }

  /**
   * The problem with u constrained to the set U (which may be nonconvex).
   *
   * @param U a set of dimension nu (or of any dimension)
   */
  withConstraints(U: Constraint): Problem {
    const set = checkSet("the set U", U);
    checkDimension("the set U", set, this.nu, "u");
    return this.copy({ constraints: set });
  }

  /**
   * The problem with the augmented Lagrangian constraints F1(u, p) in C.
   *
   * @param F1 n1 >= 1 scalar expressions of u and p
   * @param C a closed convex set of dimension n1 (or of any dimension)
   * @param Y a compact set of multipliers of dimension n1; default: derived
   *   from C (see docs/algorithm.md)
   */
  withAugLagrangianConstraints(F1: readonly Scalar[], C: Constraint, Y?: Constraint): Problem {
    const mapping = checkMapping("F1", F1);
    this.checkFreeSymbols("F1", mapping);
    const setC = checkSet("the set C", C);
    checkDimension("the set C", setC, mapping.length, "F1");
    if (!setC.isConvex()) fail("the set C must be convex (augmented Lagrangian constraints)");
    let setY: Constraint | undefined;
    if (Y !== undefined) {
      setY = checkSet("the set Y", Y);
      checkDimension("the set Y", setY, mapping.length, "F1");
      if (!setY.isCompact()) fail("the set Y of multipliers must be compact");
    }
    return this.copy({ mappingF1: mapping, almSetC: setC, almSetY: setY });
  }

  /**
   * The problem with the penalty constraints F2(u, p) = 0.
   *
   * @param F2 n2 >= 1 scalar expressions of u and p
   */
  withPenaltyConstraints(F2: readonly Scalar[]): Problem {
    const mapping = checkMapping("F2", F2);
    this.checkFreeSymbols("F2", mapping);
    return this.copy({ mappingF2: mapping });
  }

  private checkFreeSymbols(what: string, exprs: readonly Scalar[]): void {
    const known = new Set([...this.u, ...this.p]);
    const foreign = freeSymbols(exprs).filter((s) => !known.has(s));
    if (foreign.length > 0) {
      const names = foreign.map((s) => s.name).join(", ");
      fail(`${what} uses symbols that are neither in u nor in p: ${names}`);
    }
  }

  private copy(changes: Partial<ProblemParts>): Problem {
    const next = Object.create(Problem.prototype) as Problem;
    const parts: ProblemParts = {
      u: this.u,
      p: this.p,
      cost: this.cost,
      constraints: this.constraints,
      mappingF1: this.mappingF1,
      almSetC: this.almSetC,
      almSetY: this.almSetY,
      mappingF2: this.mappingF2,
      ...changes,
    };
    Object.assign(next, parts);
    Object.freeze(next);
    return next;
  }
}
