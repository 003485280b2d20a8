/** The optimal control problem and its lowering to a {@link Problem}. */
import { Problem } from "../problem/problem.js";
import { type Constraint, NoConstraints, Zero } from "../sets/index.js";
import { add, Expr, type Scalar, sub, sym, toExpr, type Vec } from "../symbolic/index.js";
import { type DiscretizationMethod, DynamicsDiscretizer } from "./discretizer.js";
import type { OcpLayout, Shooting, Slice } from "./layout.js";
import { ParameterPack, type ParameterSizes, type ParameterView } from "./parameters.js";
import { boxBounds, boxSet, productOf, type SetBlock } from "./sets.js";

/** How a symbolic constraint is imposed: F1 in C (augmented Lagrangian) or F2 = 0 (penalty). */
export type ConstraintKind = "alm" | "penalty";

/** How a path or terminal constraint is imposed. */
export interface OcpConstraintOptions {
  /** "penalty" (default, as opengen): the expressions must vanish; "alm": they must lie in `setC`. */
  readonly kind?: ConstraintKind;
  /** The closed convex set C (required for "alm"). */
  readonly setC?: Constraint;
  /** A compact set of multipliers Y ("alm" only; default: derived by the solver). */
  readonly setY?: Constraint;
}

/** Dimensions and formulation of an {@link OptimalControlProblem}. */
export interface OcpOptions<NX extends number, NU extends number> {
  /** State dimension (positive integer). */
  readonly nx: NX;
  /** Input dimension (positive integer). */
  readonly nu: NU;
  /** Prediction horizon N (positive integer). */
  readonly horizon: number;
  /** "single" (default: the states are eliminated) or "multiple" (they are decision variables). */
  readonly shooting?: Shooting;
}

/** Discrete-time dynamics x_{t+1} = F(x_t, u_t, param), nx expressions. */
export type OcpDynamics<NX extends number, NU extends number, P extends ParameterSizes> = (
  x: Vec<NX>,
  u: Vec<NU>,
  param: ParameterView<P>,
) => readonly Scalar[];

/** A stage function of (x_t, u_t, param, t), t = 0..N-1. */
export type OcpStageFunction<NX extends number, NU extends number, P extends ParameterSizes, R> = (
  x: Vec<NX>,
  u: Vec<NU>,
  param: ParameterView<P>,
  t: number,
) => R;

/** A function of the terminal state x_N. */
export type OcpTerminalFunction<NX extends number, P extends ParameterSizes, R> = (
  x: Vec<NX>,
  param: ParameterView<P>,
) => R;

/** No parameter declared yet. */
export type NoParameters = Record<never, number>;

interface ConstraintDefinition<F> {
  readonly fn: F;
  readonly kind: ConstraintKind;
  readonly setC: Constraint | undefined;
  readonly setY: Constraint | undefined;
}

/** The lowered problem, its layout and its state trajectory. */
export interface LoweredOcp {
  /** The parametric problem in decision vector u and parameter vector p. */
  readonly problem: Problem;
  /** Where inputs, states and named parameters sit. */
  readonly layout: OcpLayout;
  /** x_1..x_N as nx expressions each, of (u, p): symbols in multiple shooting. */
  readonly states: readonly (readonly Scalar[])[];
}

function fail(message: string): never {
  throw new Error(`OptimalControlProblem: ${message}`);
}

function positiveInteger(what: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n <= 0) {
    fail(`${what} must be a positive integer, got ${String(n)}`);
  }
  return n;
}

function checkFunction(what: string, fn: unknown): void {
  if (typeof fn !== "function") fail(`${what} must be a function`);
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === "number" || v instanceof Expr;
}

function scalarOf(what: string, v: unknown): Scalar {
  if (isScalar(v)) return v;
  if (Array.isArray(v)) {
    fail(`${what} must return a scalar expression, got an array of length ${v.length}`);
  }
  return fail(`${what} must return a scalar expression or a number, got ${String(v)}`);
}

function vectorOf(what: string, v: unknown, length?: number): Scalar[] {
  const list = isScalar(v) ? [v] : v;
  if (!Array.isArray(list) || !list.every(isScalar)) {
    fail(`${what} must return a scalar or an array of scalar expressions`);
  }
  if (list.length === 0) fail(`${what} returned no expressions`);
  if (length !== undefined && list.length !== length) {
    fail(`${what} must return ${length} expressions, got ${list.length}`);
  }
  return list.slice();
}

function checkSet(what: string, set: unknown): Constraint {
  const c = set as Constraint;
  if (c == null || typeof c.project !== "function" || typeof c.isConvex !== "function") {
    fail(`${what} must be a constraint set`);
  }
  return c;
}

function checkSetDimension(what: string, set: Constraint | undefined, n: number): void {
  if (set !== undefined && set.dimension !== undefined && set.dimension !== n) {
    fail(`${what} has dimension ${set.dimension}, expected ${n}`);
  }
}

/** A box on (x, u) split into its x part and its u part, or `null` for other sets. */
function splitBox(set: Constraint, nx: number, nu: number): [Constraint, Constraint] | null {
  const box = boxBounds(set, nx + nu);
  if (box === null) return null;
  const part = (a: number, b: number) => boxSet({ lo: box.lo.slice(a, b), hi: box.hi.slice(a, b) });
  return [part(0, nx), part(nx, nx + nu)];
}

/**
 * A finite-horizon optimal control problem, as opengen's
 * `ocp.OptimalControlProblem`:
 *
 *     minimize  sum_{t=0}^{N-1} l_t(x_t, u_t, p) + V_f(x_N, p)
 *     subject to  x_{t+1} = F(x_t, u_t, p),  x_0 = p.x0,  u_t in U,
 *                 path constraints on (x_t, u_t) for t = 0..N-1,
 *                 terminal constraints on x_N.
 *
 * Declare the named parameters (`x0`, of size nx, is required), the
 * dynamics and the costs, then build an optimizer with an `OcpBuilder`.
 * The methods change this problem and return it, so they chain; chaining
 * `addParameter` also types the parameters callbacks receive:
 *
 * ```ts
 * const ocp = new OptimalControlProblem({ nx: 2, nu: 1, horizon: 20 })
 *   .addParameter("x0", 2)
 *   .addParameter("q", 1, 10);
 * ocp.withDynamics((x, u) => [x[1], u[0]])
 *   .withStageCost((x, u, param) => param.q.mul(norm2Squared(x)).add(sq(u[0])));
 * ```
 */
export class OptimalControlProblem<
  NX extends number = number,
  NU extends number = number,
  P extends ParameterSizes = NoParameters,
> {
  /** State dimension. */
  readonly nx: NX;
  /** Input dimension. */
  readonly nu: NU;
  /** Prediction horizon N. */
  readonly horizon: number;
  /** Single or multiple shooting. */
  readonly shooting: Shooting;
  /** The named parameters. */
  readonly parameters = new ParameterPack();
  private dynamics: OcpDynamics<NX, NU, P> | undefined;
  private dynamicsKind: ConstraintKind = "penalty";
  private stageCost: OcpStageFunction<NX, NU, P, Scalar> | undefined;
  private terminalCost: OcpTerminalFunction<NX, P, Scalar> | undefined;
  private inputSet: Constraint | undefined;
  private hardStageSet: Constraint | undefined;
  private hardTerminalSet: Constraint | undefined;
  private readonly pathConstraints: ConstraintDefinition<
    OcpStageFunction<NX, NU, P, Scalar | readonly Scalar[]>
  >[] = [];
  private readonly terminalConstraints: ConstraintDefinition<
    OcpTerminalFunction<NX, P, Scalar | readonly Scalar[]>
  >[] = [];

  /** @param options nx, nu, horizon and shooting ("single" by default) */
  constructor(options: OcpOptions<NX, NU>) {
    if (options === null || typeof options !== "object") {
      fail("options { nx, nu, horizon, shooting } are required");
    }
    this.nx = positiveInteger("nx", options.nx) as NX;
    this.nu = positiveInteger("nu", options.nu) as NU;
    this.horizon = positiveInteger("horizon", options.horizon);
    const shooting = options.shooting ?? "single";
    if (shooting !== "single" && shooting !== "multiple") {
      fail(`shooting must be "single" or "multiple", got ${String(shooting)}`);
    }
    this.shooting = shooting;
  }

  /**
   * Declares a named parameter block. Callbacks receive it as `param[name]`:
   * a scalar expression for size 1, a vector otherwise.
   *
   * @param name a new name (`x0`, of size nx, must be declared)
   * @param size a positive integer
   * @param defaultValue used when a solve does not give the parameter (a number for size 1)
   */
  addParameter<K extends string, S extends number>(
    name: K,
    size: S,
    defaultValue?: number | readonly number[],
  ): OptimalControlProblem<NX, NU, P & Record<K, S>> {
    try {
      this.parameters.add(name, size, defaultValue);
    } catch (e) {
      fail((e as Error).message);
    }
    return this as unknown as OptimalControlProblem<NX, NU, P & Record<K, S>>;
  }

  /** Sets the discrete-time dynamics x_{t+1} = F(x_t, u_t, param). */
  withDynamics(dynamics: OcpDynamics<NX, NU, P>): this {
    checkFunction("the dynamics", dynamics);
    this.dynamics = dynamics;
    return this;
  }

  /**
   * Sets continuous-time dynamics dx/dt = f(x, u, param), discretized by a
   * {@link DynamicsDiscretizer} over the sampling time.
   *
   * @param options the method ("rk4" by default) and the sub-steps per sampling time (1)
   */
  withContinuousDynamics(
    dynamics: OcpDynamics<NX, NU, P>,
    samplingTime: number,
    options: { readonly method?: DiscretizationMethod; readonly steps?: number } = {},
  ): this {
    const discretizer = new DynamicsDiscretizer(dynamics, samplingTime);
    return this.withDynamics(discretizer.multistep(options.method ?? "rk4", options.steps ?? 1));
  }

  /**
   * How multiple shooting imposes the dynamics x_{t+1} - F(x_t, u_t) = 0:
   * "penalty" (default, as opengen) or "alm" (C = {0}).
   */
  withDynamicsConstraints(kind: ConstraintKind): this {
    if (kind !== "penalty" && kind !== "alm") {
      fail(`dynamics constraints must be "penalty" or "alm", got ${String(kind)}`);
    }
    if (this.shooting !== "multiple") {
      fail("withDynamicsConstraints applies to multiple shooting only");
    }
    this.dynamicsKind = kind;
    return this;
  }

  /** Sets the stage cost l_t(x_t, u_t, param), t = 0..N-1 (t allows time-varying costs). */
  withStageCost(cost: OcpStageFunction<NX, NU, P, Scalar>): this {
    checkFunction("the stage cost", cost);
    this.stageCost = cost;
    return this;
  }

  /** Sets the terminal cost V_f(x_N, param). */
  withTerminalCost(cost: OcpTerminalFunction<NX, P, Scalar>): this {
    checkFunction("the terminal cost", cost);
    this.terminalCost = cost;
    return this;
  }

  /** Constrains every input u_t to a set U (a projection: hard constraints). */
  withInputConstraints(set: Constraint): this {
    const U = checkSet("the input set", set);
    checkSetDimension("the input set", U, this.nu);
    this.inputSet = U;
    return this;
  }

  /**
   * Constrains (x_t, u_t), stacked, to a box Z for t = 0..N-1 (multiple
   * shooting; a projection, so hard constraints). The box splits into bounds
   * on every u_t and on x_1..x_{N-1} (x_0 is given, x_N is the terminal
   * set's). Z must be a Rectangle, BallInf, Zero or NoConstraints; put other
   * sets on (x_t, u_t) in a path constraint. Does not combine with
   * {@link withInputConstraints}: put the input bounds in Z.
   */
  withHardStageStateInputConstraints(set: Constraint): this {
    this.requireMultipleShooting("withHardStageStateInputConstraints");
    const Z = checkSet("the hard stage set", set);
    checkSetDimension("the hard stage set", Z, this.nx + this.nu);
    if (splitBox(Z, this.nx, this.nu) === null) {
      fail(
        "the hard stage set must be a box (Rectangle, BallInf, Zero or NoConstraints): " +
          "x_0 is a parameter, so only a set that splits into state and input bounds can be projected; " +
          "impose other sets with withPathConstraint",
      );
    }
    this.hardStageSet = Z;
    return this;
  }

  /** Constrains x_N to a set X_N (multiple shooting; a projection, so hard constraints). */
  withHardTerminalStateConstraints(set: Constraint): this {
    this.requireMultipleShooting("withHardTerminalStateConstraints");
    const XN = checkSet("the hard terminal set", set);
    checkSetDimension("the hard terminal set", XN, this.nx);
    this.hardTerminalSet = XN;
    return this;
  }

  /**
   * Adds constraints on (x_t, u_t) for every t = 0..N-1 (never on x_N; use
   * {@link withTerminalConstraint}): with kind "penalty" the expressions must
   * vanish, with kind "alm" they must lie in `setC` (one copy per stage).
   */
  withPathConstraint(
    fn: OcpStageFunction<NX, NU, P, Scalar | readonly Scalar[]>,
    options: OcpConstraintOptions = {},
  ): this {
    this.pathConstraints.push(this.definition("path constraint", fn, options));
    return this;
  }

  /** Adds constraints on x_N, imposed as in {@link withPathConstraint}. */
  withTerminalConstraint(
    fn: OcpTerminalFunction<NX, P, Scalar | readonly Scalar[]>,
    options: OcpConstraintOptions = {},
  ): this {
    this.terminalConstraints.push(this.definition("terminal constraint", fn, options));
    return this;
  }

  /**
   * Lowers the problem to a parametric {@link Problem} in the decision vector
   * (u_0..u_{N-1} in single shooting; u_0, x_1, u_1, x_2, …, u_{N-1}, x_N in
   * multiple shooting) and the packed parameter vector. ALM blocks are
   * stacked as path constraints stage by stage, then the dynamics (multiple
   * shooting with "alm"), then terminal constraints; penalty blocks likewise.
   * Runs of box sets in C, Y and U become one set.
   */
  lower(): LoweredOcp {
    const dynamics = this.dynamics ?? fail("the dynamics are not set (withDynamics)");
    const stageCost = this.stageCost ?? fail("the stage cost is not set (withStageCost)");
    const { nx, nu, horizon: N } = this;
    const x0 = this.parameters.block("x0");
    if (x0 === undefined) fail(`the parameter "x0" (size nx = ${nx}) must be declared`);
    if (x0.size !== nx) fail(`the parameter "x0" has size ${x0.size}, expected nx = ${nx}`);
    if (this.hardStageSet !== undefined && this.inputSet !== undefined) {
      fail(
        "withInputConstraints does not combine with withHardStageStateInputConstraints; " +
          "put the input bounds in the stage set",
      );
    }
    const single = this.shooting === "single";
    const p = sym("p", this.parameters.size);
    const param = this.parameters.view<P>(p);
    const u: Expr[] = [];
    const inputSlices: Slice[] = [];
    const stateSlices: Slice[] = [];
    const states: Scalar[][] = [];
    const f1: { mapping: Scalar[]; setC: Constraint; setY: Constraint | undefined }[] = [];
    const f2: Scalar[] = [];
    const dynamicsAlm: Scalar[] = [];
    let cost: Scalar = 0;
    let x: readonly Scalar[] = p.slice(x0.offset, x0.offset + nx);
    const impose = (label: string, def: ConstraintDefinition<unknown>, mapping: Scalar[]): void => {
      if (def.kind === "penalty") {
        f2.push(...mapping);
        return;
      }
      checkSetDimension(`the set C of the ${label}`, def.setC, mapping.length);
      checkSetDimension(`the set Y of the ${label}`, def.setY, mapping.length);
      f1.push({ mapping, setC: def.setC as Constraint, setY: def.setY });
    };
    for (let t = 0; t < N; t++) {
      const ut = sym(`u_${t}`, nu as number);
      inputSlices.push([u.length, u.length + nu]);
      u.push(...ut);
      const xt = x as Vec<NX>;
      const uv = ut as Vec<NU>;
      cost = add(cost, scalarOf(`the stage cost at t = ${t}`, stageCost(xt, uv, param, t)));
      this.pathConstraints.forEach((def, k) => {
        const label = `path constraint ${k} at t = ${t}`;
        impose(label, def, vectorOf(`the ${label}`, def.fn(xt, uv, param, t)));
      });
      const next = vectorOf(`the dynamics at t = ${t}`, dynamics(xt, uv, param), nx);
      if (single) {
        x = next.map(toExpr);
      } else {
        const xs = sym(`x_${t + 1}`, nx as number);
        stateSlices.push([u.length, u.length + nx]);
        u.push(...xs);
        const defect = xs.map((s, i) => sub(s, next[i] as Scalar));
        if (this.dynamicsKind === "penalty") f2.push(...defect);
        else dynamicsAlm.push(...defect);
        x = xs;
      }
      states.push(x.slice());
    }
    const xN = x as Vec<NX>;
    if (this.terminalCost !== undefined) {
      cost = add(cost, scalarOf("the terminal cost", this.terminalCost(xN, param)));
    }
    if (dynamicsAlm.length > 0)
      f1.push({ mapping: dynamicsAlm, setC: new Zero(), setY: undefined });
    this.terminalConstraints.forEach((def, k) => {
      const label = `terminal constraint ${k}`;
      impose(label, def, vectorOf(`the ${label}`, def.fn(xN, param)));
    });
    let problem = new Problem(u, p, cost);
    const U = this.decisionSet();
    if (U !== undefined) problem = problem.withConstraints(U);
    if (f1.length > 0) {
      const blocks = (key: "setC" | "setY"): SetBlock[] =>
        f1.map((b) => ({ length: b.mapping.length, set: b[key] as Constraint }));
      const C = productOf("the set C", blocks("setC"));
      const Y = f1.every((b) => b.setY !== undefined)
        ? productOf("the set Y", blocks("setY"))
        : undefined;
      problem = problem.withAugLagrangianConstraints(
        f1.flatMap((b) => b.mapping),
        C,
        Y,
      );
    }
    if (f2.length > 0) problem = problem.withPenaltyConstraints(f2);
    const layout: OcpLayout = {
      shooting: this.shooting,
      nx,
      nu,
      horizon: N,
      decisionDimension: u.length,
      parameters: this.parameters.blocks.slice(),
      inputSlices,
      stateSlices,
    };
    return { problem, layout, states };
  }

  /** The hard constraints on the decision vector, or `undefined` when there are none. */
  private decisionSet(): Constraint | undefined {
    const { nx, nu, horizon: N } = this;
    const free = new NoConstraints();
    let inputs = this.inputSet;
    let stageStates: Constraint | undefined;
    if (this.hardStageSet !== undefined) {
      const [zx, zu] = splitBox(this.hardStageSet, nx, nu) as [Constraint, Constraint];
      inputs = zu;
      stageStates = zx;
    }
    const terminal = this.hardTerminalSet;
    if (inputs === undefined && stageStates === undefined && terminal === undefined) {
      return undefined;
    }
    const blocks: SetBlock[] = [];
    for (let t = 0; t < N; t++) {
      blocks.push({ length: nu, set: inputs ?? free });
      if (this.shooting === "multiple") {
        const last = t === N - 1;
        blocks.push({ length: nx, set: (last ? terminal : stageStates) ?? free });
      }
    }
    return productOf("the hard constraints", blocks);
  }

  private requireMultipleShooting(method: string): void {
    if (this.shooting !== "multiple") {
      fail(`${method} applies to multiple shooting only (the states are not decision variables)`);
    }
  }

  private definition<F>(
    what: string,
    fn: F,
    options: OcpConstraintOptions,
  ): ConstraintDefinition<F> {
    checkFunction(`the ${what}`, fn);
    const kind = options.kind ?? "penalty";
    if (kind !== "penalty" && kind !== "alm") {
      fail(`the kind of a ${what} must be "alm" or "penalty", got ${String(kind)}`);
    }
    if (kind === "penalty" && (options.setC !== undefined || options.setY !== undefined)) {
      fail(`a penalty ${what} takes no setC or setY (its expressions must vanish); use kind "alm"`);
    }
    if (kind === "alm" && options.setC === undefined) fail(`an "alm" ${what} needs setC`);
    const setC = options.setC === undefined ? undefined : checkSet("setC", options.setC);
    if (setC !== undefined && !setC.isConvex()) fail(`the set C of a ${what} must be convex`);
    const setY = options.setY === undefined ? undefined : checkSet("setY", options.setY);
    if (setY !== undefined && !setY.isCompact()) fail(`the set Y of a ${what} must be compact`);
    return { fn, kind, setC, setY };
  }
}
