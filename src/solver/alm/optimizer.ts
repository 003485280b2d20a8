import type { Constraint } from "../../sets/constraint.js";
import type { SolverConfiguration } from "../configuration.js";
import { asSolverError } from "../errors.js";
import { PanocCache } from "../panoc/cache.js";
import { nowMs, requireFinite } from "../panoc/forwardBackward.js";
import { PanocOptimizer } from "../panoc/optimizer.js";
import type { AlmProblem, ExitStatus, SolverStatus } from "../types.js";
import { copyVector } from "../vector.js";
import { AugmentedLagrangian } from "./augmentedLagrangian.js";
import { validateAlmProblem } from "./validate.js";

const SMALL_EPSILON = Number.EPSILON;

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
  private readonly panoc: PanocOptimizer;
  private readonly yPlus: Float64Array;

  /** Validates the problem (throws an Error naming what is wrong). */
  constructor(problem: AlmProblem, configuration: SolverConfiguration) {
    this.setY = validateAlmProblem(problem, configuration);
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
  ): SolverStatus {
    const start = nowMs();
    try {
      return this.outerLoop(u, p, y0, c0, start);
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
  ): SolverStatus {
    const config = this.configuration;
    const problem = this.problem;
    const psi = this.psi;
    const panoc = this.panoc;
    const n1 = problem.n1;
    const n2 = problem.n2;
    const deadline = start + config.maxDurationMicros / 1000;
    const stationarityRule = config.innerStoppingRule === "stationarity";
    psi.p.set(p);
    let c = config.initialPenalty;
    if (config.preconditioning) {
      c = psi.precondition(u);
    } else {
      psi.resetWeights();
    }
    if (c0 !== null) c = c0;
    const y = psi.y;
    // Multipliers in the units of the scaled constraints W1 F1 and cost wf f.
    for (let i = 0; i < n1; i++) y[i] = y0 === null ? 0 : (y0[i] * psi.wf) / psi.w1[i];

    const eps = config.tolerance;
    const delta = config.constraintsTolerance;
    let epsBar = n1 + n2 === 0 ? eps : config.initialTolerance;
    let exitStatus: ExitStatus = "NotConvergedIterations";
    let outer = 0;
    let inner = 0;
    let dy = 0;
    let t = 0;
    let dyPrev = Number.POSITIVE_INFINITY;
    let tPrev = Number.POSITIVE_INFINITY;
    const yPlus = this.yPlus;
    while (outer < config.maxOuterIterations) {
      if (outer > 0 && nowMs() > deadline) {
        exitStatus = "NotConvergedOutOfTime";
        break;
      }
      outer++;
      if (n1 > 0) (this.setY as Constraint).project(y, 0, n1);
      psi.c = c;
      const innerStatus = panoc.run(
        u,
        epsBar,
        config.maxInnerIterations,
        deadline,
        stationarityRule,
      );
      inner += panoc.iterations;
      if (n1 > 0) {
        dy = requireFinite(psi.multiplierUpdate(u, yPlus), "constraint mapping F1", outer);
        copyVector(y, yPlus, n1);
      }
      if (n2 > 0) t = requireFinite(psi.penaltyResidual(u), "constraint mapping F2", outer);
      if (n1 + n2 === 0) {
        exitStatus = innerStatus;
        break;
      }
      if (innerStatus === "NotConvergedOutOfTime") {
        exitStatus = innerStatus;
        break;
      }
      if (
        innerStatus === "Converged" &&
        (n1 === 0 || dy <= c * delta + SMALL_EPSILON) &&
        (n2 === 0 || t <= delta + SMALL_EPSILON) &&
        epsBar <= eps + SMALL_EPSILON
      ) {
        exitStatus = "Converged";
        break;
      }
      const theta = config.sufficientDecreaseCoefficient;
      if (dy > theta * dyPrev || t > theta * tPrev) c *= config.penaltyWeightUpdateFactor;
      epsBar = Math.max(eps, config.innerToleranceUpdateFactor * epsBar);
      dyPrev = dy;
      tPrev = t;
    }
    return this.status(u, exitStatus, outer, inner, dy, c, start);
  }

  private status(
    u: Float64Array,
    exitStatus: ExitStatus,
    outer: number,
    inner: number,
    dy: number,
    c: number,
    start: number,
  ): SolverStatus {
    const problem = this.problem;
    const psi = this.psi;
    const p = psi.p;
    let f2Norm = 0;
    if (problem.n2 > 0) {
      const f2 = psi.f2;
      (problem.mappingF2 as NonNullable<AlmProblem["mappingF2"]>)(u, p, f2);
      let s = 0;
      for (let i = 0; i < problem.n2; i++) s += f2[i] * f2[i];
      f2Norm = Math.sqrt(s);
    }
    const multipliers = new Float64Array(problem.n1);
    for (let i = 0; i < problem.n1; i++) multipliers[i] = (psi.y[i] * psi.w1[i]) / psi.wf;
    const cost = problem.cost(u, p);
    const cache = this.panoc.cache;
    return {
      exitStatus,
      numOuterIterations: outer,
      numInnerIterations: inner,
      lastProblemNormFpr: cache.bestNormResidual,
      deltaYNormOverC: dy / Math.max(c, 1),
      f2Norm,
      solveTimeMs: nowMs() - start,
      penalty: c,
      solution: Float64Array.from(u),
      lagrangeMultipliers: multipliers,
      cost,
      lastProblemStationarity: cache.bestNormResidual / cache.bestGamma,
    };
  }
}
