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
export { BuildConfiguration, OptimizerMeta, TcpServerConfiguration } from "./configuration.js";
export { GeneratedOptimizer, type OptimizerSource } from "./generatedOptimizer.js";
export {
  buildOptimizerModule,
  loadOptimizer,
  moduleUrl,
  type OptimizerModule,
  type ProblemModule,
} from "./loader.js";
export { Problem } from "./problem.js";
export {
  createGeneratedOptimizer,
  type GeneratedMappings,
  generatedAlmProblem,
  type OptimizerDescription,
  type ProblemDimensions,
  type ProblemSets,
  versionMismatch,
} from "./runtime.js";
export { createSet, describeSet, type SetDescription, toSourceLiteral } from "./setDescription.js";
