/**
 * What a built optimizer needs at run time: wiring generated functions and
 * sets into a {@link ParametricOptimizer}. The builder's in-memory optimizer
 * and a built folder's `optimizer.js` both go through {@link generatedAlmProblem},
 * so they solve exactly the same problem.
 */
import { isMainThread } from "node:worker_threads";
import { SolverConfiguration, type SolverSettings } from "../solver/configuration.js";
import { VERSION } from "../version.js";
import { GeneratedOptimizer } from "./generatedOptimizer.js";
import {
  type GeneratedMappings,
  generatedAlmProblem,
  type ProblemDimensions,
  type ProblemSets,
} from "./mappings.js";
import { createSet, type SetDescription } from "./setDescription.js";

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
