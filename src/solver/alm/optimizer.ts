import {
  type Constraint,
  type UncheckedProjection,
  uncheckedProjection,
} from "../../sets/constraint.js";
import type { SolverConfiguration } from "../configuration.js";
import { asSolverError, requireFinite } from "../errors.js";
import { nowMs } from "../forwardBackward/index.js";
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
 * allocates only its returned status.
 */
export class AlmOptimizer {
  /** The problem. */
  readonly problem: AlmProblem;
  /** The settings. */
  readonly configuration: SolverConfiguration;
  /** The multiplier set Y (given or derived from C), undefined when n1 = 0. */
  readonly setY: Constraint | undefined;
  private readonly psi: AugmentedLagrangian;
  private readonly projectionY: UncheckedProjection | undefined;
  private readonly panoc: PanocOptimizer;
  private readonly yPlus: Float64Array;
  private readonly kktGradient: Float64Array;
  private readonly kktWork: Float64Array;

  /** Validates the problem (throws an Error naming what is wrong). */
  constructor(problem: AlmProblem, configuration: SolverConfiguration) {
    this.setY = validateAlmProblem(problem, configuration);
    this.problem = problem;
    this.configuration = configuration;
    this.projectionY = this.setY === undefined ? undefined : uncheckedProjection(this.setY);
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
      return this.outerLoop(u, p, y0, c0, start, hooks);
    } catch (e) {
      throw asSolverError(e);
    }
  }

  private outerLoop(
    u: Float64Array,
    p: ArrayLike<number>,
    y0: ArrayLike<number> | null,
    c0: number | null,
    start: number,
    hooks: IterationHooks,
  ): AlmSolverStatus {
    const config = this.configuration;
    const problem = this.problem;
    const psi = this.psi;
    const panoc = this.panoc;
    const n1 = problem.n1;
    const n2 = problem.n2;
    const deadline = start + config.maxDurationMicros / 1000;
    const onInner = hooks.onInnerIteration;
    const onOuter = hooks.onOuterIteration;
    psi.p.set(p);
    let c = config.initialPenalty;
    if (config.preconditioning) {
      c = psi.precondition(u);
    } else {
      psi.resetWeights();
    }
    if (c0 !== null) c = c0;
    c = Math.min(c, config.maxPenalty);
    const y = psi.y;
    // Multipliers in the units of the scaled constraints W1 F1 and cost wf f.
    for (let i = 0; i < n1; i++) y[i] = y0 === null ? 0 : (y0[i] * psi.wf) / psi.w1[i];

    const eps = config.tolerance;
    const delta = config.constraintsTolerance;
    const constrained = n1 + n2 > 0;
    // OpEn's AKKT tolerance: eps0 shrinking to eps; the outer loop stops only once it is eps.
    let epsBar = constrained ? config.initialTolerance : eps;
    let exitStatus: ExitStatus = "NotConvergedIterations";
    let stopReason: StopReason = "maxOuterIterations";
    let outer = 0;
    let inner = 0;
    let limitHits = 0;
    let lastNormFpr = Number.POSITIVE_INFINITY;
    let lastStationarity = Number.POSITIVE_INFINITY;
    let dy = 0;
    let t = 0;
    let dyPrev = Number.POSITIVE_INFINITY;
    let tPrev = Number.POSITIVE_INFINITY;
    const yPlus = this.yPlus;
    while (outer < config.maxOuterIterations) {
      if (outer > 0 && nowMs() > deadline) {
        exitStatus = "NotConvergedOutOfTime";
        stopReason = "maxDuration";
        break;
      }
      outer++;
      if (n1 > 0) (this.projectionY as UncheckedProjection).projectUnchecked(y, 0, n1);
      psi.c = c;
      const innerResult = panoc.run(
        u,
        eps,
        config.maxInnerIterations,
        deadline,
        constrained ? epsBar : Number.POSITIVE_INFINITY,
        onInner,
        outer,
      );
      const innerStatus = innerResult.exitStatus;
      inner += innerResult.iterations;
      lastNormFpr = innerResult.normFpr;
      lastStationarity = innerResult.stationarity;
      if (n1 > 0) {
        dy = requireFinite(psi.multiplierUpdate(u, yPlus), "constraint mapping F1", outer);
        copyVector(y, yPlus, n1);
      }
      if (n2 > 0) t = requireFinite(psi.penaltyResidual(u), "constraint mapping F2", outer);
      if (onOuter !== undefined) {
        onOuter({
          iteration: outer,
          innerIterations: innerResult.iterations,
          innerExitStatus: innerStatus,
          residual: innerResult.normFpr,
          penalty: c,
          cost: problem.cost(u, psi.p),
          deltaYNormOverC: dy / c,
          f1Infeasibility: psi.f1Infeasibility(u),
          f2Norm: psi.f2Norm(u),
        });
      }
      if (!constrained) {
        exitStatus = innerStatus;
        stopReason =
          innerStatus === "Converged"
            ? "converged"
            : innerStatus === "NotConvergedOutOfTime"
              ? "maxDuration"
              : "maxInnerIterations";
        break;
      }
      if (innerStatus === "NotConvergedOutOfTime") {
        exitStatus = innerStatus;
        stopReason = "maxDuration";
        break;
      }
      // OpEn's test (dy / c rather than dy <= c delta + eps, which passes for
      // any tiny c; dy only from the second outer iteration on, as OpEn),
      // plus the violation measured in the problem's own units.
      if (
        innerStatus === "Converged" &&
        epsBar <= eps &&
        (n1 === 0 || (outer > 1 && dy / c <= delta && psi.f1Infeasibility(u) <= delta)) &&
        (n2 === 0 || (t <= delta && psi.f2Norm(u) <= delta))
      ) {
        exitStatus = "Converged";
        stopReason = "converged";
        break;
      }
      const theta = config.sufficientDecreaseCoefficient;
      if (innerStatus === "NotConvergedIterations") {
        // The violation of an unfinished inner solve says nothing about the
        // penalty: keep c, count the event (reported in the status).
        limitHits++;
      } else if (dy > theta * dyPrev || t > theta * tPrev) {
        if (c >= config.maxPenalty) {
          stopReason = "maxPenalty";
          break;
        }
        c = Math.min(c * config.penaltyWeightUpdateFactor, config.maxPenalty);
      }
      epsBar = Math.max(eps, config.innerToleranceUpdateFactor * epsBar);
      dyPrev = dy;
      tPrev = t;
    }
    return this.status(
      u,
      exitStatus,
      stopReason,
      outer,
      inner,
      limitHits,
      dy,
      c,
      start,
      lastNormFpr,
      lastStationarity,
    );
  }

  private status(
    u: Float64Array,
    exitStatus: ExitStatus,
    stopReason: StopReason,
    outer: number,
    inner: number,
    limitHits: number,
    dy: number,
    c: number,
    start: number,
    lastNormFpr: number,
    lastStationarity: number,
  ): AlmSolverStatus {
    const problem = this.problem;
    const psi = this.psi;
    const multipliers = new Float64Array(problem.n1);
    for (let i = 0; i < problem.n1; i++) multipliers[i] = (psi.y[i] * psi.w1[i]) / psi.wf;
    return almSolverStatus({
      exitStatus,
      numOuterIterations: outer,
      numInnerIterations: inner,
      lastProblemNormFpr: lastNormFpr,
      deltaYNormOverC: dy / Math.max(c, 1),
      f2Norm: psi.f2Norm(u),
      solveTimeMs: nowMs() - start,
      penalty: c,
      solution: Float64Array.from(u),
      lagrangeMultipliers: multipliers,
      cost: requireFinite(problem.cost(u, psi.p), "cost", inner),
      lastProblemStationarity: lastStationarity,
      kktStationarity: psi.kktStationarity(u, multipliers, this.kktGradient, this.kktWork),
      f1Infeasibility: psi.f1Infeasibility(u),
      stopReason,
      innerIterationLimitHits: limitHits,
    });
  }
}
