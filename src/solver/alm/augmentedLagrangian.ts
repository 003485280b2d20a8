import { type UncheckedProjection, uncheckedProjection } from "../../sets/constraint.js";
import type { SmoothProblem } from "../problem.js";
import type {
  AlmProblem,
  CostFunction,
  JacobianTransposeProduct,
  MappingFunction,
} from "../types.js";

// Stand-ins for the mappings of an absent F1 or F2, never called (n1 or n2 is 0).
const NO_MAPPING: MappingFunction = () => {};
const NO_PRODUCT: JacobianTransposeProduct = () => {};

/**
 * The inner problem of the ALM/PM outer loop at xi = (c, y):
 *
 *     psi(u) = wf f(u) + (c/2) dist_C^2(W1 F1(u) + y/c) + (c/2) ||W2 F2(u)||^2
 *
 * with gradient wf grad f + J_F1^T v1 + J_F2^T v2, where v1 = c W1 (t - Pi_C(t)),
 * t = W1 F1(u) + y/c, and v2 = c W2^2 F2. The weights wf, W1 = diag(w1),
 * W2 = diag(w2) are the preconditioning scales (all 1 without
 * preconditioning; multiplying by 1 is exact). One definition for psi and its
 * gradient, for every c > 0.
 *
 * psi and its gradient take two calls: the problem's fused `costAndMappings`
 * and `lagrangianGradient` when it has them (sharing the subexpressions of f,
 * F1 and F2), or the same two made of its separate functions (see
 * {@link fusedFunctions}). One path keeps the hot code small enough for V8 to
 * inline it.
 */
export class AugmentedLagrangian implements SmoothProblem {
  readonly n: number;
  readonly n1: number;
  readonly n2: number;
  /** The parameter of the current solve. */
  readonly p: Float64Array;
  /** The multipliers y of the current outer iteration (scaled units). */
  readonly y: Float64Array;
  /** Penalty c > 0. */
  c = 1;
  /** Cost scale. */
  wf = 1;
  /** F1 scales. */
  readonly w1: Float64Array;
  /** F2 scales. */
  readonly w2: Float64Array;
  // (f, F1, F2) of the last evaluation, f1 and f2 being views of it; F1 is
  // scaled in place to W1 F1 once C's terms are formed.
  private readonly values: Float64Array;
  private readonly f1: Float64Array;
  private readonly f2: Float64Array;
  // (wf, v1, v2): the weights of the Lagrangian whose gradient is psi's, v1
  // and v2 being views of it.
  private readonly weights: Float64Array;
  private readonly v1: Float64Array;
  private readonly v2: Float64Array;
  private readonly t: Float64Array;
  private readonly projected: Float64Array;
  private readonly jtv: Float64Array;
  // The problem's separate functions, for preconditioning and the reports.
  private readonly separate: SeparateFunctions;
  private readonly costAndMappings: MappingFunction;
  private readonly lagrangianGradient: JacobianTransposeProduct;
  // U and C, their dimensions checked once when the problem was validated
  private readonly setU: UncheckedProjection | undefined;
  private readonly setC: UncheckedProjection | undefined;

  constructor(problem: AlmProblem) {
    const { nu, n1, n2 } = problem;
    this.separate = separateFunctions(problem);
    const fused = fusedFunctions(problem, this.separate);
    this.costAndMappings = fused.costAndMappings;
    this.lagrangianGradient = fused.lagrangianGradient;
    this.n = nu;
    this.n1 = n1;
    this.n2 = n2;
    this.setU =
      problem.constraints === undefined ? undefined : uncheckedProjection(problem.constraints);
    this.setC = problem.almSetC === undefined ? undefined : uncheckedProjection(problem.almSetC);
    this.p = new Float64Array(problem.np);
    this.y = new Float64Array(n1);
    this.w1 = new Float64Array(n1).fill(1);
    this.w2 = new Float64Array(n2).fill(1);
    this.values = new Float64Array(1 + n1 + n2);
    this.f1 = this.values.subarray(1, 1 + n1);
    this.f2 = this.values.subarray(1 + n1);
    this.weights = new Float64Array(1 + n1 + n2);
    this.v1 = this.weights.subarray(1, 1 + n1);
    this.v2 = this.weights.subarray(1 + n1);
    this.t = new Float64Array(n1);
    this.projected = new Float64Array(n1);
    this.jtv = new Float64Array(nu);
  }

  /** Evaluates f(u), F1(u) and F2(u) into values, f1 and f2; returns f(u). */
  private evaluate(u: Float64Array): number {
    this.costAndMappings(u, this.p, this.values);
    return this.values[0];
  }

  /**
   * From F1 in f1: scales it to W1 F1, forms t = W1 F1 + y/c, Pi_C(t) and the
   * gradient's multipliers v1 = c W1 (t - Pi_C(t)); returns ||t - Pi_C(t)||^2.
   */
  private almTerms(): number {
    const n1 = this.n1;
    const f1 = this.f1;
    const t = this.t;
    const proj = this.projected;
    const w1 = this.w1;
    const y = this.y;
    const c = this.c;
    for (let i = 0; i < n1; i++) {
      const fi = w1[i] * f1[i];
      f1[i] = fi;
      const ti = fi + y[i] / c;
      t[i] = ti;
      proj[i] = ti;
    }
    (this.setC as UncheckedProjection).projectUnchecked(proj, 0, n1);
    const v = this.v1;
    let d2 = 0;
    for (let i = 0; i < n1; i++) {
      const d = t[i] - proj[i];
      d2 += d * d;
      v[i] = c * w1[i] * d;
    }
    return d2;
  }

  /** From F2 in f2: forms the gradient's multipliers v2 = c W2^2 F2; returns ||W2 F2||^2. */
  private pmTerms(): number {
    const n2 = this.n2;
    const f2 = this.f2;
    const w2 = this.w2;
    const v = this.v2;
    const c = this.c;
    let s = 0;
    for (let i = 0; i < n2; i++) {
      const e = w2[i] * f2[i];
      s += e * e;
      v[i] = c * w2[i] * w2[i] * f2[i];
    }
    return s;
  }

  cost(u: Float64Array): number {
    let psi = this.wf * this.evaluate(u);
    const half = 0.5 * this.c;
    if (this.n1 > 0) psi += half * this.almTerms();
    if (this.n2 > 0) psi += half * this.pmTerms();
    return psi;
  }

  costAndGradient(u: Float64Array, grad: Float64Array): number {
    const f = this.evaluate(u);
    const alm = this.n1 > 0 ? this.almTerms() : 0;
    const pm = this.n2 > 0 ? this.pmTerms() : 0;
    this.gradientFromTerms(u, grad);
    return this.wf * f + 0.5 * this.c * (alm + pm);
  }

  gradient(u: Float64Array, grad: Float64Array): void {
    this.evaluate(u);
    if (this.n1 > 0) this.almTerms();
    if (this.n2 > 0) this.pmTerms();
    this.gradientFromTerms(u, grad);
  }

  /** psi's gradient wf grad f + J_F1^T v1 + J_F2^T v2, once v1 and v2 are formed. */
  private gradientFromTerms(u: Float64Array, grad: Float64Array): void {
    this.weights[0] = this.wf;
    this.lagrangianGradient(u, this.p, this.weights, grad);
  }

  /**
   * Evaluates f, F1 and F2 at the inner solve's answer u, once, for
   * {@link multiplierUpdate} and {@link penaltyResidual}.
   */
  evaluateConstraints(u: Float64Array): void {
    this.evaluate(u);
  }

  /**
   * The multiplier update at the point of {@link evaluateConstraints}: writes
   * y+ = y + c (W1 F1(u) - Pi_C(W1 F1(u) + y/c)) = c (t - Pi_C(t)) into
   * `yPlus` and returns ||y+ - y||.
   */
  multiplierUpdate(yPlus: Float64Array): number {
    this.almTerms();
    const c = this.c;
    const t = this.t;
    const proj = this.projected;
    const y = this.y;
    let dy2 = 0;
    for (let i = 0; i < this.n1; i++) {
      const yi = c * (t[i] - proj[i]);
      yPlus[i] = yi;
      const d = yi - y[i];
      dy2 += d * d;
    }
    return Math.sqrt(dy2);
  }

  /** ||W2 F2(u)|| at the point of {@link evaluateConstraints}. */
  penaltyResidual(): number {
    return Math.sqrt(this.pmTerms());
  }

  /**
   * Preconditioning at u: wf = 1 / max(1, ||grad f||_inf), and for each
   * component i of F1 and F2, w_i = 1 / max(1, ||grad F_i||_inf). Returns the
   * initial penalty clip(10 max(1, |wf f|) / max(1, (1/2) dist_C^2(W1 F1) +
   * (1/2) ||W2 F2||^2), 1e-8, 1e8), the distance to C (an orthant or {0})
   * being ||max(0, W1 F1)|| for the nonpositive orthant.
   */
  precondition(u: Float64Array): number {
    const jtv = this.jtv;
    this.separate.gradient(u, this.p, jtv);
    this.wf = 1 / Math.max(1, normInf(jtv, this.n));
    this.w1.fill(1);
    this.w2.fill(1);
    const { jacobianF1Transpose, jacobianF2Transpose } = this.separate;
    if (this.n1 > 0) this.rowWeights(jacobianF1Transpose, u, this.v1, this.w1);
    if (this.n2 > 0) this.rowWeights(jacobianF2Transpose, u, this.v2, this.w2);
    const f = this.wf * this.evaluate(u);
    let violation = 0;
    if (this.n1 > 0) {
      this.y.fill(0);
      violation += 0.5 * this.almTerms();
    }
    if (this.n2 > 0) violation += 0.5 * this.pmTerms();
    const c0 = (10 * Math.max(1, Math.abs(f))) / Math.max(1, violation);
    return Math.min(1e8, Math.max(1e-8, c0));
  }

  /**
   * dist_C(F1(u)) in the problem's own (unscaled) units: the measured
   * violation of the ALM constraints. Uses the evaluation buffers.
   */
  f1Infeasibility(u: Float64Array): number {
    if (this.n1 === 0) return 0;
    const f1 = this.t;
    const proj = this.projected;
    this.separate.mappingF1(u, this.p, f1);
    for (let i = 0; i < this.n1; i++) proj[i] = f1[i];
    (this.setC as UncheckedProjection).projectUnchecked(proj, 0, this.n1);
    let d2 = 0;
    for (let i = 0; i < this.n1; i++) {
      const d = f1[i] - proj[i];
      d2 += d * d;
    }
    return Math.sqrt(d2);
  }

  /** ||F2(u)|| in the problem's own (unscaled) units (F2(u) is left in `f2`). */
  f2Norm(u: Float64Array): number {
    if (this.n2 === 0) return 0;
    const f2 = this.f2;
    this.separate.mappingF2(u, this.p, f2);
    let s = 0;
    for (let i = 0; i < this.n2; i++) s += f2[i] * f2[i];
    return Math.sqrt(s);
  }

  /**
   * The KKT stationarity residual ||u - Pi_U(u - g)|| with g the gradient of
   * the Lagrangian in unscaled units, grad f + J_F1^T y + J_F2^T (c / wf) W2^2 F2,
   * y being the unscaled multipliers. `grad` and `work` are length-n buffers.
   */
  kktStationarity(
    u: Float64Array,
    y: Float64Array,
    grad: Float64Array,
    work: Float64Array,
  ): number {
    const n = this.n;
    const { gradient, jacobianF1Transpose, jacobianF2Transpose } = this.separate;
    gradient(u, this.p, grad);
    if (this.n1 > 0) this.addJacobianTransposeProduct(jacobianF1Transpose, u, y, grad);
    if (this.n2 > 0) {
      this.f2Norm(u);
      const v = this.v2;
      const scale = this.c / this.wf;
      for (let i = 0; i < this.n2; i++) v[i] = scale * this.w2[i] * this.w2[i] * this.f2[i];
      this.addJacobianTransposeProduct(jacobianF2Transpose, u, v, grad);
    }
    for (let i = 0; i < n; i++) work[i] = u[i] - grad[i];
    this.project(work);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const d = u[i] - work[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /** grad += J(u)^T v for the Jacobian-transpose product `jacobianTranspose` (F1's or F2's). */
  private addJacobianTransposeProduct(
    jacobianTranspose: JacobianTransposeProduct,
    u: Float64Array,
    v: Float64Array,
    grad: Float64Array,
  ): void {
    const jtv = this.jtv;
    jacobianTranspose(u, this.p, v, jtv);
    for (let i = 0; i < this.n; i++) grad[i] += jtv[i];
  }

  /** Sets every weight to 1 (no preconditioning). */
  resetWeights(): void {
    this.wf = 1;
    this.w1.fill(1);
    this.w2.fill(1);
  }

  project(u: Float64Array): void {
    if (this.setU !== undefined) this.setU.projectUnchecked(u, 0, this.n);
  }

  /** w_i = 1 / max(1, ||grad F_i||_inf) for each row i of F, with grad F_i = J^T e_i. */
  private rowWeights(
    jacobianTranspose: JacobianTransposeProduct,
    u: Float64Array,
    e: Float64Array,
    weights: Float64Array,
  ): void {
    const jtv = this.jtv;
    for (let i = 0; i < weights.length; i++) {
      e.fill(0);
      e[i] = 1;
      jacobianTranspose(u, this.p, e, jtv);
      weights[i] = 1 / Math.max(1, normInf(jtv, this.n));
    }
  }
}

/** The problem's separate functions, those of an absent F1 or F2 standing in as no-ops. */
interface SeparateFunctions {
  readonly cost: CostFunction;
  readonly gradient: MappingFunction;
  readonly mappingF1: MappingFunction;
  readonly jacobianF1Transpose: JacobianTransposeProduct;
  readonly mappingF2: MappingFunction;
  readonly jacobianF2Transpose: JacobianTransposeProduct;
}

function separateFunctions(problem: AlmProblem): SeparateFunctions {
  return {
    cost: problem.cost,
    gradient: problem.gradient,
    mappingF1: problem.mappingF1 ?? NO_MAPPING,
    jacobianF1Transpose: problem.jacobianF1Transpose ?? NO_PRODUCT,
    mappingF2: problem.mappingF2 ?? NO_MAPPING,
    jacobianF2Transpose: problem.jacobianF2Transpose ?? NO_PRODUCT,
  };
}

/** The two calls that evaluate psi and its gradient. */
interface FusedFunctions {
  readonly costAndMappings: MappingFunction;
  readonly lagrangianGradient: JacobianTransposeProduct;
}

/**
 * The problem's fused pair, or the pair made of its separate functions: the
 * same operations in the same order as calling those one by one, so that a
 * problem's iterates do not depend on which way it is evaluated.
 */
function fusedFunctions(problem: AlmProblem, separate: SeparateFunctions): FusedFunctions {
  const { costAndMappings, lagrangianGradient } = problem;
  if (costAndMappings !== undefined && lagrangianGradient !== undefined) {
    return { costAndMappings, lagrangianGradient };
  }
  const { nu, n1, n2 } = problem;
  const {
    cost: f,
    gradient: df,
    mappingF1,
    jacobianF1Transpose,
    mappingF2,
    jacobianF2Transpose,
  } = separate;
  const scaled: JacobianTransposeProduct = (u, p, w, out) => {
    df(u, p, out);
    const wf = w[0];
    // (without preconditioning wf = 1, and the pass would change no bit)
    if (wf !== 1) for (let i = 0; i < nu; i++) out[i] *= wf;
  };
  if (n1 + n2 === 0) {
    const cost: MappingFunction = (u, p, out) => {
      out[0] = f(u, p);
    };
    return { costAndMappings: cost, lagrangianGradient: scaled };
  }
  const jtv = new Float64Array(nu);
  // Views of the caller's buffer, made again only when it passes another one.
  const values = viewsOf(n1);
  const weights = viewsOf(n1);
  return {
    costAndMappings: (u, p, out) => {
      out[0] = f(u, p);
      const v = values(out);
      if (n1 > 0) mappingF1(u, p, v.first);
      if (n2 > 0) mappingF2(u, p, v.second);
    },
    lagrangianGradient: (u, p, w, out) => {
      scaled(u, p, w, out);
      const v = weights(w);
      if (n1 > 0) {
        jacobianF1Transpose(u, p, v.first, jtv);
        for (let i = 0; i < nu; i++) out[i] += jtv[i];
      }
      if (n2 > 0) {
        jacobianF2Transpose(u, p, v.second, jtv);
        for (let i = 0; i < nu; i++) out[i] += jtv[i];
      }
    },
  };
}

interface BufferViews {
  readonly first: Float64Array;
  readonly second: Float64Array;
}

/** (x[1 .. 1 + n1], x[1 + n1 ..]) of a buffer x, remembered for the last buffer seen. */
function viewsOf(n1: number): (x: Float64Array) => BufferViews {
  let buffer: Float64Array | null = null;
  let views: BufferViews = { first: new Float64Array(0), second: new Float64Array(0) };
  return (x) => {
    if (x !== buffer) {
      buffer = x;
      views = { first: x.subarray(1, 1 + n1), second: x.subarray(1 + n1) };
    }
    return views;
  };
}

function normInf(x: Float64Array, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]);
    if (a > m || Number.isNaN(a)) m = a;
  }
  return m;
}
