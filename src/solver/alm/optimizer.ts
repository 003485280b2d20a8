import {
  type Constraint,
  type UncheckedProjection,
  uncheckedProjection,
} from "../../sets/constraint.js";
import type { SolverConfiguration } from "../configuration.js";
import { asSolverError, requireFinite } from "../errors.js";
import { type InnerSolverStatistics, nowMs } from "../forwardBackward/index.js";
import { PanocCache } from "../panoc/cache.js";
import { PanocOptimizer } from "../panoc/optimizer.js";
import {
  type AlmProblem,
  type AlmSolverStatus,
  almSolverStatus,
  type ExitStatus,
  type IterationHooks,
  type StopReason,
} from "../types.js";
import { copyVector } from "../vector.js";
import { AugmentedLagrangian } from "./augmentedLagrangian.js";
import { validateAlmProblem } from "./validate.js";

const NO_HOOKS: IterationHooks = Object.freeze({});

/**
 * The augmented Lagrangian / penalty method outer loop around PANOC (OpEn's
 * `AlmOptimizer`): every buffer is allocated at construction, and a solve
 * allocates only its returned status. Each outer iteration is `step`:
 * project y on Y, solve the inner problem, update y, measure the penalty
 * constraints, test the exit criterion, update c and the inner tolerance.
 */
export class AlmOptimizer {
  /** The problem. */
  readonly problem: AlmProblem;
  /** The settings. */
  readonly configuration: SolverConfiguration;
  /** The multiplier set Y (given or derived from C), undefined when n1 = 0. */
  readonly setY: Constraint | undefined;
  private readonly projectionY: UncheckedProjection | undefined;
  private readonly psi: AugmentedLagrangian;
  private readonly panoc: PanocOptimizer;
  private readonly yPlus: Float64Array;
  private readonly kktGradient: Float64Array;
  private readonly kktWork: Float64Array;

  // The state of the solve under way (OpEn's `AlmCache`).
  private hooks: IterationHooks = NO_HOOKS;
  private deadline = Number.POSITIVE_INFINITY;
  /** The penalty c. */
  private c = 1;
  /** The AKKT tolerance of the inner solves: eps0 shrinking to eps. */
  private epsBar = 0;
  /** ||y+ - y|| of the last multiplier update. */
  private dy = 0;
  /** ||W2 F2(u)|| at the last inner solution. */
  private t = 0;
  private dyPrevious = Number.POSITIVE_INFINITY;
  private tPrevious = Number.POSITIVE_INFINITY;
  private outerIterations = 0;
  private innerIterations = 0;
  private innerLimitHits = 0;
  private exitStatus: ExitStatus = "NotConvergedIterations";
  private stopReason: StopReason = "maxOuterIterations";
  private lastInner: InnerSolverStatistics | undefined;

  /** Validates the problem (throws an Error naming what is wrong). */
  constructor(problem: AlmProblem, configuration: SolverConfiguration) {
    this.setY = validateAlmProblem(problem, configuration);
    this.projectionY = this.setY === undefined ? undefined : uncheckedProjection(this.setY);
    this.problem = problem;
    this.configuration = configuration;
    this.psi = new AugmentedLagrangian(problem);
    const cache = new PanocCache(
      problem.nu,
      configuration.lbfgsMemory,
      configuration.cbfgsAlpha,
      configuration.cbfgsEpsilon,
      configuration.cbfgsSyEpsilon,
    );
    this.panoc = new PanocOptimizer(this.psi, cache);
    this.yPlus = new Float64Array(problem.n1);
    this.kktGradient = new Float64Array(problem.nu);
    this.kktWork = new Float64Array(problem.nu);
  }

  /**
   * Solves for parameter p from u (overwritten with the solution), with
   * initial multipliers y0 (default zeros) and initial penalty c0 (default:
   * the configuration's, or the preconditioner's choice). Arguments must
   * have the right lengths and finite entries (the caller checks). Throws a
   * SolverError when a problem function throws or a cost or gradient is not
   * finite.
   */
  solve(
    u: Float64Array,
    p: ArrayLike<number>,
    y0: ArrayLike<number> | null = null,
    c0: number | null = null,
    hooks: IterationHooks = NO_HOOKS,
  ): AlmSolverStatus {
    const start = nowMs();
    try {
      this.initialize(u, p, y0, c0, start, hooks);
      const maxOuter = this.configuration.maxOuterIterations;
      while (this.outerIterations < maxOuter) {
        if (this.outerIterations > 0 && nowMs() > this.deadline) {
          this.stop("NotConvergedOutOfTime", "maxDuration");
          break;
        }
        if (!this.step(u)) break;
      }
      return this.status(u, start);
    } catch (e) {
      throw asSolverError(e);
    } finally {
      this.hooks = NO_HOOKS;
    }
  }

  /** The state at the start of a solve: p, the weights, c0, y0, eps0. */
  private initialize(
    u: Float64Array,
    p: ArrayLike<number>,
    y0: ArrayLike<number> | null,
    c0: number | null,
    start: number,
    hooks: IterationHooks,
  ): void {
    const config = this.configuration;
    const psi = this.psi;
    const n1 = this.problem.n1;
    this.hooks = hooks;
    this.deadline = start + config.maxDurationMicros / 1000;
    psi.p.set(p);
    let c = config.initialPenalty;
    if (config.preconditioning) {
      c = psi.precondition(u);
    } else {
      psi.resetWeights();
    }
    if (c0 !== null) c = c0;
    this.c = Math.min(c, config.maxPenalty);
    const y = psi.y;
    // Multipliers in the units of the scaled constraints W1 F1 and cost wf f.
    for (let i = 0; i < n1; i++) y[i] = y0 === null ? 0 : (y0[i] * psi.wf) / psi.w1[i];
    // The outer loop stops only once the AKKT tolerance has reached eps.
    this.epsBar = this.isConstrained() ? config.initialTolerance : config.tolerance;
    this.dy = 0;
    this.t = 0;
    this.dyPrevious = Number.POSITIVE_INFINITY;
    this.tPrevious = Number.POSITIVE_INFINITY;
    this.outerIterations = 0;
    this.innerIterations = 0;
    this.innerLimitHits = 0;
    this.lastInner = undefined;
    this.stop("NotConvergedIterations", "maxOuterIterations");
  }

  /** One outer iteration (OpEn's `AlmOptimizer::step`); returns whether to go on. */
  private step(u: Float64Array): boolean {
    this.outerIterations++;
    this.projectMultipliersOnY();
    const inner = this.solveInnerProblem(u);
    this.evaluateConstraints(u);
    this.updateLagrangeMultipliers();
    this.computePenaltyResidual();
    this.reportOuterIteration(u, inner);
    if (this.isExitCriterionSatisfied(u, inner)) return false;
    if (!this.updatePenaltyParameter(inner)) return false;
    this.updateInnerTolerance();
    return true;
  }

  private isConstrained(): boolean {
    return this.problem.n1 + this.problem.n2 > 0;
  }

  private stop(exitStatus: ExitStatus, stopReason: StopReason): void {
    this.exitStatus = exitStatus;
    this.stopReason = stopReason;
  }

  private projectMultipliersOnY(): void {
    const n1 = this.problem.n1;
    if (n1 > 0) (this.projectionY as UncheckedProjection).projectUnchecked(this.psi.y, 0, n1);
  }

  /** PANOC on psi(., xi) with xi = (c, y), to eps with OpEn's AKKT tolerance epsBar. */
  private solveInnerProblem(u: Float64Array): InnerSolverStatistics {
    const config = this.configuration;
    this.psi.c = this.c;
    const inner = this.panoc.run(
      u,
      config.tolerance,
      config.maxInnerIterations,
      this.deadline,
      this.isConstrained() ? this.epsBar : Number.POSITIVE_INFINITY,
      this.hooks.onInnerIteration,
      this.outerIterations,
    );
    this.innerIterations += inner.iterations;
    this.lastInner = inner;
    return inner;
  }

  /** f, F1 and F2 at the inner solve's answer, for the two steps that follow. */
  private evaluateConstraints(u: Float64Array): void {
    if (this.isConstrained()) this.psi.evaluateConstraints(u);
  }

  /** y <- y + c (W1 F1(u) - Pi_C(W1 F1(u) + y/c)), keeping dy = ||y+ - y||. */
  private updateLagrangeMultipliers(): void {
    const n1 = this.problem.n1;
    if (n1 === 0) return;
    const psi = this.psi;
    this.dy = requireFinite(
      psi.multiplierUpdate(this.yPlus),
      "constraint mapping F1",
      this.outerIterations,
    );
    copyVector(psi.y, this.yPlus, n1);
  }

  /** t = ||W2 F2(u)||. */
  private computePenaltyResidual(): void {
    if (this.problem.n2 === 0) return;
    this.t = requireFinite(
      this.psi.penaltyResidual(),
      "constraint mapping F2",
      this.outerIterations,
    );
  }

  private reportOuterIteration(u: Float64Array, inner: InnerSolverStatistics): void {
    const onOuter = this.hooks.onOuterIteration;
    if (onOuter === undefined) return;
    const psi = this.psi;
    onOuter({
      iteration: this.outerIterations,
      innerIterations: inner.iterations,
      innerExitStatus: inner.exitStatus,
      residual: inner.normFpr,
      penalty: this.c,
      cost: this.problem.cost(u, psi.p),
      deltaYNormOverC: this.dy / this.c,
      f1Infeasibility: psi.f1Infeasibility(u),
      f2Norm: psi.f2Norm(u),
    });
  }

  /**
   * Whether the solve ends here (recording why): a problem without F1 and F2
   * after its one PANOC solve; an inner solve out of time; or OpEn's test
   * (dy / c rather than dy <= c delta + eps, which passes for any tiny c; dy
   * only from the second outer iteration on, as OpEn), plus the violation
   * measured in the problem's own units.
   */
  private isExitCriterionSatisfied(u: Float64Array, inner: InnerSolverStatistics): boolean {
    const innerStatus = inner.exitStatus;
    if (!this.isConstrained()) {
      this.stop(
        innerStatus,
        innerStatus === "Converged"
          ? "converged"
          : innerStatus === "NotConvergedOutOfTime"
            ? "maxDuration"
            : "maxInnerIterations",
      );
      return true;
    }
    if (innerStatus === "NotConvergedOutOfTime") {
      this.stop(innerStatus, "maxDuration");
      return true;
    }
    const { n1, n2 } = this.problem;
    const delta = this.configuration.constraintsTolerance;
    const psi = this.psi;
    if (
      innerStatus === "Converged" &&
      this.epsBar <= this.configuration.tolerance &&
      (n1 === 0 ||
        (this.outerIterations > 1 &&
          this.dy / this.c <= delta &&
          psi.f1Infeasibility(u) <= delta)) &&
      (n2 === 0 || (this.t <= delta && psi.f2Norm(u) <= delta))
    ) {
      this.stop("Converged", "converged");
      return true;
    }
    return false;
  }

  /**
   * c <- min(rho c, maxPenalty) when the violation did not shrink by theta;
   * returns false (stop: maxPenalty) when c is already at its largest. The
   * violation of an unfinished inner solve says nothing about the penalty:
   * then c stays and the event is counted (reported in the status).
   */
  private updatePenaltyParameter(inner: InnerSolverStatistics): boolean {
    const config = this.configuration;
    const theta = config.sufficientDecreaseCoefficient;
    if (inner.exitStatus === "NotConvergedIterations") {
      this.innerLimitHits++;
    } else if (this.dy > theta * this.dyPrevious || this.t > theta * this.tPrevious) {
      if (this.c >= config.maxPenalty) {
        this.stop("NotConvergedIterations", "maxPenalty");
        return false;
      }
      this.c = Math.min(this.c * config.penaltyWeightUpdateFactor, config.maxPenalty);
    }
    this.dyPrevious = this.dy;
    this.tPrevious = this.t;
    return true;
  }

  /** epsBar <- max(eps, beta epsBar). */
  private updateInnerTolerance(): void {
    const config = this.configuration;
    this.epsBar = Math.max(config.tolerance, config.innerToleranceUpdateFactor * this.epsBar);
  }

  private status(u: Float64Array, start: number): AlmSolverStatus {
    const problem = this.problem;
    const psi = this.psi;
    const c = this.c;
    const inner = this.lastInner;
    const normFpr = inner === undefined ? Number.POSITIVE_INFINITY : inner.normFpr;
    const multipliers = new Float64Array(problem.n1);
    for (let i = 0; i < problem.n1; i++) multipliers[i] = (psi.y[i] * psi.w1[i]) / psi.wf;
    return almSolverStatus({
      exitStatus: this.exitStatus,
      numOuterIterations: this.outerIterations,
      numInnerIterations: this.innerIterations,
      lastProblemNormFpr: normFpr,
      deltaYNormOverC: this.dy / Math.max(c, 1),
      f2Norm: psi.f2Norm(u),
      solveTimeMs: nowMs() - start,
      penalty: c,
      solution: Float64Array.from(u),
      lagrangeMultipliers: multipliers,
      cost: requireFinite(problem.cost(u, psi.p), "cost", this.innerIterations),
      lastProblemStationarity: inner === undefined ? Number.POSITIVE_INFINITY : inner.stationarity,
      kktStationarity: psi.kktStationarity(u, multipliers, this.kktGradient, this.kktWork),
      f1Infeasibility: psi.f1Infeasibility(u),
      stopReason: this.stopReason,
      innerIterationLimitHits: this.innerLimitHits,
    });
  }
}
