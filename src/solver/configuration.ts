/**
 * One entry of the settings table: default, check and (as the doc comment
 * of its key) documentation. `requirement` is how an error message states
 * what `valid` accepts.
 */
interface Setting<T> {
  readonly default: T;
  readonly requirement: string;
  readonly valid: (value: unknown) => boolean;
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function positive(defaultValue: number): Setting<number> {
  return {
    default: defaultValue,
    requirement: "a positive finite number",
    valid: (v) => isNumber(v) && v > 0,
  };
}

function nonNegative(defaultValue: number): Setting<number> {
  return {
    default: defaultValue,
    requirement: "a non-negative finite number",
    valid: (v) => isNumber(v) && v >= 0,
  };
}

function integerAtLeast(defaultValue: number, min: number): Setting<number> {
  return {
    default: defaultValue,
    requirement: `an integer >= ${min}`,
    valid: (v) => Number.isSafeInteger(v) && (v as number) >= min,
  };
}

/**
 * The solver settings, declared once: every other list of settings (the
 * {@link SolverSettings} type, {@link DEFAULT_SOLVER_SETTINGS}, the fields of
 * {@link SolverConfiguration}, its validation, `toJSON()`, the keys of
 * `optimizer.yml`) is derived from this table. The names are opengen's, in
 * camelCase, with opengen's defaults; `maxPenalty` is ours.
 */
export const SOLVER_SETTINGS = {
  /** Tolerance eps on ||u - u_bar|| that ends every inner (PANOC) solve (default 1e-4). */
  tolerance: positive(1e-4),
  /**
   * Tolerance eps0 >= eps of the first outer iteration's AKKT test; it shrinks
   * by `innerToleranceUpdateFactor` per outer iteration down to eps, and the
   * outer loop may only stop once it has reached eps (default 1e-4).
   */
  initialTolerance: positive(1e-4),
  /** Factor beta in (0, 1] shrinking the AKKT tolerance at each outer iteration (default 0.1). */
  innerToleranceUpdateFactor: {
    default: 0.1,
    requirement: "in (0, 1]",
    valid: (v: unknown) => isNumber(v) && v > 0 && v <= 1,
  },
  /** Tolerance delta on the constraint violation: ||dy|| / c, dist_C(F1) and ||F2|| (default 1e-4). */
  constraintsTolerance: positive(1e-4),
  /** L-BFGS memory, at least 2 (default 10). */
  lbfgsMemory: integerAtLeast(10, 2),
  /** Iteration limit of each inner solve (default 500). */
  maxInnerIterations: integerAtLeast(500, 1),
  /** Iteration limit of the outer (ALM/penalty) loop (default 10). */
  maxOuterIterations: integerAtLeast(10, 1),
  /** Factor rho >= 1 by which the penalty grows when the violation did not shrink enough (default 1.75). */
  penaltyWeightUpdateFactor: {
    default: 1.75,
    requirement: "a finite number >= 1",
    valid: (v: unknown) => isNumber(v) && v >= 1,
  },
  /** Initial penalty c0 > 0 (default 1). */
  initialPenalty: positive(1),
  /**
   * Largest penalty c the outer loop may use (default 1e9, as alpaqa). When
   * the violation still does not shrink at this penalty the solve ends
   * NotConvergedIterations with `stopReason` "maxPenalty".
   */
  maxPenalty: positive(1e9),
  /** Factor theta in (0, 1): the violation must shrink by it, else the penalty grows (default 0.1). */
  sufficientDecreaseCoefficient: {
    default: 0.1,
    requirement: "in (0, 1)",
    valid: (v: unknown) => isNumber(v) && v > 0 && v < 1,
  },
  /** Time budget of a whole solve, in microseconds (default 5e6). */
  maxDurationMicros: positive(5e6),
  /** Exponent alpha of the cautious BFGS rule (default 1). */
  cbfgsAlpha: nonNegative(1),
  /** Factor epsilon of the cautious BFGS rule (default 1e-8). */
  cbfgsEpsilon: nonNegative(1e-8),
  /** L-BFGS pairs with s'y at or below this are rejected (default 1e-10). */
  cbfgsSyEpsilon: nonNegative(1e-10),
  /** Scale f, F1, F2 and choose c0 at the initial point (default false). */
  preconditioning: {
    default: false as boolean,
    requirement: "a boolean",
    valid: (v: unknown) => typeof v === "boolean",
  },
} satisfies Record<string, Setting<unknown>>;

type Table = typeof SOLVER_SETTINGS;

/** The settings of a {@link SolverConfiguration}, all plain data (JSON/YAML serializable). */
export type SolverSettings = { readonly [K in keyof Table]: Table[K]["default"] };

const NAMES = Object.keys(SOLVER_SETTINGS) as (keyof Table)[];

/** opengen's defaults (and `maxPenalty` 1e9). */
export const DEFAULT_SOLVER_SETTINGS: SolverSettings = Object.freeze(
  Object.fromEntries(NAMES.map((name) => [name, SOLVER_SETTINGS[name].default])) as SolverSettings,
);

function validate(s: SolverSettings): void {
  for (const name of NAMES) {
    const setting: Setting<unknown> = SOLVER_SETTINGS[name];
    if (!setting.valid(s[name])) {
      throw new Error(
        `SolverConfiguration: ${name} must be ${setting.requirement}, got ${String(s[name])}`,
      );
    }
  }
  if (s.initialTolerance < s.tolerance) {
    throw new Error(
      `SolverConfiguration: initialTolerance (${s.initialTolerance}) must be >= tolerance (${s.tolerance})`,
    );
  }
  if (s.maxPenalty < s.initialPenalty) {
    throw new Error(
      `SolverConfiguration: maxPenalty (${s.maxPenalty}) must be >= initialPenalty (${s.initialPenalty})`,
    );
  }
}

// The fields of the class are the table's settings (declaration merging).
export interface SolverConfiguration extends SolverSettings {}

/**
 * The solver settings of opengen's `SolverConfiguration` (see
 * {@link SOLVER_SETTINGS} for each one), validated at construction and
 * frozen: {@link SolverConfiguration.with} returns a new configuration.
 * `toJSON()` gives the plain settings object.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class SolverConfiguration {
  /**
   * @param options settings overriding the defaults; unknown keys are an error.
   *   When `initialTolerance` is not given it is the larger of its default
   *   (1e-4) and `tolerance` (opengen requires eps0 >= eps).
   */
  constructor(options: Partial<SolverSettings> = {}) {
    if (options === null || typeof options !== "object") {
      throw new Error("SolverConfiguration: the settings must be an object");
    }
    for (const key of Object.keys(options)) {
      if (!Object.hasOwn(SOLVER_SETTINGS, key)) {
        throw new Error(`SolverConfiguration: unknown setting "${key}"`);
      }
    }
    const merged: SolverSettings = { ...DEFAULT_SOLVER_SETTINGS, ...options };
    const s: SolverSettings =
      options.initialTolerance === undefined
        ? { ...merged, initialTolerance: Math.max(merged.initialTolerance, merged.tolerance) }
        : merged;
    validate(s);
    for (const name of NAMES) (this as Record<string, unknown>)[name] = s[name];
    Object.freeze(this);
  }

  /** A copy with some settings changed (validated). */
  with(changes: Partial<SolverSettings>): SolverConfiguration {
    const next = { ...this.toJSON(), ...changes };
    // A new tolerance above the old initial tolerance carries it along, as in the constructor.
    if (changes.initialTolerance === undefined) {
      next.initialTolerance = Math.max(next.initialTolerance, next.tolerance);
    }
    return new SolverConfiguration(next);
  }

  /** The plain settings object (every setting, JSON/YAML serializable). */
  toJSON(): SolverSettings {
    return Object.fromEntries(NAMES.map((name) => [name, this[name]])) as SolverSettings;
  }
}
