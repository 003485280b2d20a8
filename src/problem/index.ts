/**
 * Symbolic problems and their optimizers, as opengen: a {@link Problem}
 * described with the symbolic layer, {@link OptimizerMeta},
 * {@link BuildConfiguration} and {@link TcpServerConfiguration}, the
 * {@link OptimizerBuilder} that generates the functions and builds an
 * optimizer in memory or as a folder, and module loading.
 *
 * @module
 */
export { type BuildResult, OptimizerBuilder } from "./builder.js";
export { BuildConfiguration, TcpServerConfiguration } from "./configuration.js";
export { GeneratedOptimizer, type OptimizerSource } from "./generatedOptimizer.js";
export {
  buildOptimizerModule,
  loadOptimizer,
  moduleUrl,
  type OptimizerModule,
  type ProblemModule,
} from "./loader.js";
export {
  type GeneratedMappings,
  generatedAlmProblem,
  type ProblemDimensions,
  type ProblemSets,
} from "./mappings.js";
export { OptimizerMeta } from "./meta.js";
export { Problem } from "./problem.js";
export {
  createGeneratedOptimizer,
  type OptimizerDescription,
  versionMismatch,
} from "./runtime.js";
export {
  createSet,
  describeSet,
  isLibrarySet,
  type SetDescription,
  toSourceLiteral,
} from "./setDescription.js";
