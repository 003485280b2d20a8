/**
 * What a built optimizer needs at run time: wiring generated functions and
 * sets into a {@link ParametricOptimizer}. The builder's in-memory optimizer
 * and a built folder's `optimizer.js` both go through {@link generatedAlmProblem},
 * so they solve exactly the same problem.
 */
import { isMainThread } from "node:worker_threads";
import type { Constraint } from "../sets/constraint.js";
import { SolverConfiguration, type SolverSettings } from "../solver/configuration.js";
import type {
  AlmProblem,
  CostFunction,
  JacobianTransposeProduct,
  MappingFunction,
} from "../solver/types.js";
import { VERSION } from "../version.js";
import { GeneratedOptimizer } from "./generatedOptimizer.js";
import { createSet, type SetDescription } from "./setDescription.js";

/**
 * The generated functions of a problem (a built folder's `mappings.js` module
 * namespace has this shape). The F1 functions exist when n1 > 0, the F2 ones
 * when n2 > 0.
 */
export interface GeneratedMappings {
  readonly cost: CostFunction;
  readonly gradient: MappingFunction;
  readonly mappingF1?: MappingFunction;
  readonly jacobianF1Transpose?: JacobianTransposeProduct;
  readonly mappingF2?: MappingFunction;
  readonly jacobianF2Transpose?: JacobianTransposeProduct;
}

/** The dimensions of a problem. */
export interface ProblemDimensions {
  readonly nu: number;
  readonly np: number;
  readonly n1: number;
  readonly n2: number;
}

/** The sets of a problem, as objects. */
export interface ProblemSets {
  readonly constraints?: Constraint;
  readonly almSetC?: Constraint;
  readonly almSetY?: Constraint;
}

/**
 * Everything a built folder's `optimizer.js` states about its problem besides
 * the generated functions: dimensions, sets as descriptions, solver settings.
 */
export interface OptimizerDescription extends ProblemDimensions {
  readonly constraints?: SetDescription;
  readonly almSetC?: SetDescription;
  readonly almSetY?: SetDescription;
  readonly solver: Partial<SolverSettings>;
  /** The open-engine version that built the optimizer. */
  readonly openEngineVersion?: string;
}

/**
 * The warning for an optimizer built by open-engine `builtWith` and run on
 * this runtime, or `undefined` when the versions agree.
 */
export function versionMismatch(builtWith: string | undefined): string | undefined {
  if (builtWith === undefined || builtWith === VERSION) return undefined;
  return (
    `this optimizer was built by open-engine ${builtWith} but runs on open-engine ${VERSION}; ` +
    "rebuild it with the installed version"
  );
}

/** The low-level problem made of generated functions and sets. */
export function generatedAlmProblem(
  dims: ProblemDimensions,
  mappings: GeneratedMappings,
  sets: ProblemSets,
): AlmProblem {
  return {
    nu: dims.nu,
    np: dims.np,
    n1: dims.n1,
    n2: dims.n2,
    cost: mappings.cost,
    gradient: mappings.gradient,
    constraints: sets.constraints,
    mappingF1: dims.n1 > 0 ? mappings.mappingF1 : undefined,
    jacobianF1Transpose: dims.n1 > 0 ? mappings.jacobianF1Transpose : undefined,
    almSetC: dims.n1 > 0 ? sets.almSetC : undefined,
    almSetY: dims.n1 > 0 ? sets.almSetY : undefined,
    mappingF2: dims.n2 > 0 ? mappings.mappingF2 : undefined,
    jacobianF2Transpose: dims.n2 > 0 ? mappings.jacobianF2Transpose : undefined,
  };
}

let warnedMismatch = false;

/**
 * The optimizer of a built folder: rebuilds the sets from their descriptions
 * and wires the generated functions into a {@link GeneratedOptimizer} with
 * the described solver settings. Called by the folder's `createOptimizer()`,
 * which passes its own URL so that `solveAsync` can load it in a worker.
 * Warns (once per process, on the main thread) when the folder was built by
 * another open-engine version.
 *
 * @param moduleUrl the URL of the module exporting `createOptimizer()`
 */
export function createGeneratedOptimizer(
  description: OptimizerDescription,
  mappings: GeneratedMappings,
  moduleUrl?: string,
): GeneratedOptimizer {
  const mismatch = versionMismatch(description.openEngineVersion);
  if (mismatch !== undefined && isMainThread && !warnedMismatch) {
    warnedMismatch = true;
    process.emitWarning(mismatch, { code: "OPEN_ENGINE_VERSION" });
  }
  const make = (d: SetDescription | undefined) => (d === undefined ? undefined : createSet(d));
  const sets: ProblemSets = {
    constraints: make(description.constraints),
    almSetC: make(description.almSetC),
    almSetY: make(description.almSetY),
  };
  return new GeneratedOptimizer(
    generatedAlmProblem(description, mappings, sets),
    new SolverConfiguration(description.solver),
    moduleUrl === undefined ? null : () => ({ module: moduleUrl }),
  );
}
