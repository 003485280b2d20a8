/** Which measure of the inner fixed-point residual ends an inner (PANOC) solve. */
export type InnerStoppingRule = "fpr" | "stationarity";

/** The settings of a {@link SolverConfiguration}, all plain data (JSON/YAML serializable). */
export interface SolverSettings {
  /** Final inner tolerance eps (default 1e-4). */
  readonly tolerance: number;
  /** Inner tolerance of the first outer iteration, eps0 >= eps (default 1e-4). */
  readonly initialTolerance: number;
  /** Factor beta in (0, 1] shrinking the inner tolerance at each outer iteration (default 0.1). */
  readonly innerToleranceUpdateFactor: number;
  /** Tolerance delta on the constraint violation (default 1e-4). */
  readonly constraintsTolerance: number;
  /** L-BFGS memory, at least 2 (default 10). */
  readonly lbfgsMemory: number;
  /** Iteration limit of each inner solve (default 500). */
  readonly maxInnerIterations: number;
  /** Iteration limit of the outer (ALM/penalty) loop (default 10). */
  readonly maxOuterIterations: number;
  /** Factor rho >= 1 by which the penalty grows (default 1.75). */
  readonly penaltyWeightUpdateFactor: number;
  /** Initial penalty c0 > 0 (default 1). */
  readonly initialPenalty: number;
  /** Factor theta in (0, 1): the violation must shrink by it, else the penalty grows (default 0.1). */
  readonly sufficientDecreaseCoefficient: number;
  /** Time budget of a whole solve, in microseconds (default 5e6). */
  readonly maxDurationMicros: number;
  /** Exponent alpha of the cautious BFGS rule (default 1). */
  readonly cbfgsAlpha: number;
  /** Factor epsilon of the cautious BFGS rule (default 1e-8). */
  readonly cbfgsEpsilon: number;
  /** Pairs with s'y at or below this are rejected (default 1e-10). */
  readonly cbfgsSyEpsilon: number;
  /** Scale f, F1, F2 and choose c0 at the initial point (default false). */
  readonly preconditioning: boolean;
  /** "fpr": ||r|| < eps (OpEn); "stationarity": ||r|| / gamma < eps (default "fpr"). */
  readonly innerStoppingRule: InnerStoppingRule;
}

/** opengen's defaults. */
export const DEFAULT_SOLVER_SETTINGS: SolverSettings = Object.freeze({
  tolerance: 1e-4,
  initialTolerance: 1e-4,
  innerToleranceUpdateFactor: 0.1,
  constraintsTolerance: 1e-4,
  lbfgsMemory: 10,
  maxInnerIterations: 500,
  maxOuterIterations: 10,
  penaltyWeightUpdateFactor: 1.75,
  initialPenalty: 1.0,
  sufficientDecreaseCoefficient: 0.1,
  maxDurationMicros: 5e6,
  cbfgsAlpha: 1.0,
  cbfgsEpsilon: 1e-8,
  cbfgsSyEpsilon: 1e-10,
  preconditioning: false,
  innerStoppingRule: "fpr",
});

function fail(name: string, requirement: string, value: unknown): never {
  throw new Error(`SolverConfiguration: ${name} must be ${requirement}, got ${String(value)}`);
}

function positive(name: string, v: number): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
    fail(name, "a positive finite number", v);
  }
}

function nonNegative(name: string, v: number): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    fail(name, "a non-negative finite number", v);
  }
}

function integerAtLeast(name: string, v: number, min: number): void {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) {
    fail(name, `an integer >= ${min}`, v);
  }
}

function validate(s: SolverSettings): void {
  positive("tolerance", s.tolerance);
  positive("initialTolerance", s.initialTolerance);
  if (s.initialTolerance < s.tolerance) {
    throw new Error(
      `SolverConfiguration: initialTolerance (${s.initialTolerance}) must be >= tolerance (${s.tolerance})`,
    );
  }
  const beta = s.innerToleranceUpdateFactor;
  if (typeof beta !== "number" || !(beta > 0 && beta <= 1)) {
    fail("innerToleranceUpdateFactor", "in (0, 1]", beta);
  }
  positive("constraintsTolerance", s.constraintsTolerance);
  integerAtLeast("lbfgsMemory", s.lbfgsMemory, 2);
  integerAtLeast("maxInnerIterations", s.maxInnerIterations, 1);
  integerAtLeast("maxOuterIterations", s.maxOuterIterations, 1);
  const rho = s.penaltyWeightUpdateFactor;
  if (typeof rho !== "number" || !Number.isFinite(rho) || rho < 1) {
    fail("penaltyWeightUpdateFactor", "a finite number >= 1", rho);
  }
  positive("initialPenalty", s.initialPenalty);
  const theta = s.sufficientDecreaseCoefficient;
  if (typeof theta !== "number" || !(theta > 0 && theta < 1)) {
    fail("sufficientDecreaseCoefficient", "in (0, 1)", theta);
  }
  positive("maxDurationMicros", s.maxDurationMicros);
  nonNegative("cbfgsAlpha", s.cbfgsAlpha);
  nonNegative("cbfgsEpsilon", s.cbfgsEpsilon);
  nonNegative("cbfgsSyEpsilon", s.cbfgsSyEpsilon);
  if (typeof s.preconditioning !== "boolean")
    fail("preconditioning", "a boolean", s.preconditioning);
  if (s.innerStoppingRule !== "fpr" && s.innerStoppingRule !== "stationarity") {
    fail("innerStoppingRule", '"fpr" or "stationarity"', s.innerStoppingRule);
  }
}

/**
 * The solver settings of opengen's `SolverConfiguration`, validated at
 * construction. Immutable: every `with...` method returns a new
 * configuration. `toJSON()` gives the plain settings object.
 */
export class SolverConfiguration implements SolverSettings {
  readonly tolerance: number;
  readonly initialTolerance: number;
  readonly innerToleranceUpdateFactor: number;
  readonly constraintsTolerance: number;
  readonly lbfgsMemory: number;
  readonly maxInnerIterations: number;
  readonly maxOuterIterations: number;
  readonly penaltyWeightUpdateFactor: number;
  readonly initialPenalty: number;
  readonly sufficientDecreaseCoefficient: number;
  readonly maxDurationMicros: number;
  readonly cbfgsAlpha: number;
  readonly cbfgsEpsilon: number;
  readonly cbfgsSyEpsilon: number;
  readonly preconditioning: boolean;
  readonly innerStoppingRule: InnerStoppingRule;

  /**
   * @param options settings overriding the defaults; unknown keys are an error.
   *   When only `tolerance` is given and it is below the default initial
   *   tolerance, `initialTolerance` keeps its default (1e-4); when it is above,
   *   `initialTolerance` follows it (as opengen, which requires eps0 >= eps).
   */
  constructor(options: Partial<SolverSettings> = {}) {
    for (const key of Object.keys(options)) {
      if (!(key in DEFAULT_SOLVER_SETTINGS)) {
        throw new Error(`SolverConfiguration: unknown setting "${key}"`);
      }
    }
    const merged: SolverSettings = { ...DEFAULT_SOLVER_SETTINGS, ...options };
    const initialTolerance =
      options.initialTolerance === undefined
        ? Math.max(merged.initialTolerance, merged.tolerance)
        : merged.initialTolerance;
    const s = { ...merged, initialTolerance };
    validate(s);
    this.tolerance = s.tolerance;
    this.initialTolerance = s.initialTolerance;
    this.innerToleranceUpdateFactor = s.innerToleranceUpdateFactor;
    this.constraintsTolerance = s.constraintsTolerance;
    this.lbfgsMemory = s.lbfgsMemory;
    this.maxInnerIterations = s.maxInnerIterations;
    this.maxOuterIterations = s.maxOuterIterations;
    this.penaltyWeightUpdateFactor = s.penaltyWeightUpdateFactor;
    this.initialPenalty = s.initialPenalty;
    this.sufficientDecreaseCoefficient = s.sufficientDecreaseCoefficient;
    this.maxDurationMicros = s.maxDurationMicros;
    this.cbfgsAlpha = s.cbfgsAlpha;
    this.cbfgsEpsilon = s.cbfgsEpsilon;
    this.cbfgsSyEpsilon = s.cbfgsSyEpsilon;
    this.preconditioning = s.preconditioning;
    this.innerStoppingRule = s.innerStoppingRule;
  }

  /** A copy with some settings changed (validated). */
  with(changes: Partial<SolverSettings>): SolverConfiguration {
    return new SolverConfiguration({ ...this.toJSON(), ...changes });
  }

  /** Sets the final tolerance eps (raising initialTolerance to it if needed). */
  withTolerance(tolerance: number): SolverConfiguration {
    return this.with({ tolerance, initialTolerance: Math.max(this.initialTolerance, tolerance) });
  }
  /** Sets eps0. */
  withInitialTolerance(initialTolerance: number): SolverConfiguration {
    return this.with({ initialTolerance });
  }
  /** Sets beta. */
  withInnerToleranceUpdateFactor(innerToleranceUpdateFactor: number): SolverConfiguration {
    return this.with({ innerToleranceUpdateFactor });
  }
  /** Sets delta. */
  withConstraintsTolerance(constraintsTolerance: number): SolverConfiguration {
    return this.with({ constraintsTolerance });
  }
  /** Sets the L-BFGS memory. */
  withLbfgsMemory(lbfgsMemory: number): SolverConfiguration {
    return this.with({ lbfgsMemory });
  }
  /** Sets the inner iteration limit. */
  withMaxInnerIterations(maxInnerIterations: number): SolverConfiguration {
    return this.with({ maxInnerIterations });
  }
  /** Sets the outer iteration limit. */
  withMaxOuterIterations(maxOuterIterations: number): SolverConfiguration {
    return this.with({ maxOuterIterations });
  }
  /** Sets rho. */
  withPenaltyWeightUpdateFactor(penaltyWeightUpdateFactor: number): SolverConfiguration {
    return this.with({ penaltyWeightUpdateFactor });
  }
  /** Sets c0. */
  withInitialPenalty(initialPenalty: number): SolverConfiguration {
    return this.with({ initialPenalty });
  }
  /** Sets theta. */
  withSufficientDecreaseCoefficient(sufficientDecreaseCoefficient: number): SolverConfiguration {
    return this.with({ sufficientDecreaseCoefficient });
  }
  /** Sets the time budget in microseconds. */
  withMaxDurationMicros(maxDurationMicros: number): SolverConfiguration {
    return this.with({ maxDurationMicros });
  }
  /** Sets the cautious BFGS parameters. */
  withCbfgsParameters(alpha: number, epsilon: number, syEpsilon: number): SolverConfiguration {
    return this.with({ cbfgsAlpha: alpha, cbfgsEpsilon: epsilon, cbfgsSyEpsilon: syEpsilon });
  }
  /** Turns preconditioning on or off. */
  withPreconditioning(preconditioning: boolean): SolverConfiguration {
    return this.with({ preconditioning });
  }
  /** Chooses the inner stopping rule. */
  withInnerStoppingRule(innerStoppingRule: InnerStoppingRule): SolverConfiguration {
    return this.with({ innerStoppingRule });
  }

  /** The plain settings object (every setting, JSON/YAML serializable). */
  toJSON(): SolverSettings {
    return {
      tolerance: this.tolerance,
      initialTolerance: this.initialTolerance,
      innerToleranceUpdateFactor: this.innerToleranceUpdateFactor,
      constraintsTolerance: this.constraintsTolerance,
      lbfgsMemory: this.lbfgsMemory,
      maxInnerIterations: this.maxInnerIterations,
      maxOuterIterations: this.maxOuterIterations,
      penaltyWeightUpdateFactor: this.penaltyWeightUpdateFactor,
      initialPenalty: this.initialPenalty,
      sufficientDecreaseCoefficient: this.sufficientDecreaseCoefficient,
      maxDurationMicros: this.maxDurationMicros,
      cbfgsAlpha: this.cbfgsAlpha,
      cbfgsEpsilon: this.cbfgsEpsilon,
      cbfgsSyEpsilon: this.cbfgsSyEpsilon,
      preconditioning: this.preconditioning,
      innerStoppingRule: this.innerStoppingRule,
    };
  }
}
