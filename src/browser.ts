/**
 * open-engine in a web page (or a Web Worker, Deno, Bun): the symbolic layer,
 * the in-memory {@link OptimizerBuilder}, the optimal control front end with
 * the in-memory {@link OcpBuilder}, the solvers and the sets, with no Node.js
 * built-in. Bundlers pick this entry through the `"browser"`
 * condition of the package's `exports`; it is also `open-engine/browser`.
 *
 * Not here, because they need Node.js: optimizer folders
 * (`OptimizerBuilder.build`, `OcpBuilder.build`), `solveAsync` (worker
 * threads: in a page, build and solve in a Web Worker instead), loading
 * problem modules, the TCP server and client (`RemoteOcpOptimizer`
 * included), and the command line.
 *
 * @module
 */

export {
  type ContinuousDynamics,
  type DiscreteDynamics,
  type DiscretizationMethod,
  DynamicsDiscretizer,
} from "./ocp/discretizer.js";
export { InMemoryOcpBuilder as OcpBuilder } from "./ocp/inMemoryBuilder.js";
export {
  inputsOf,
  type OcpLayout,
  type Rollout,
  type Shooting,
  type Slice,
  statesOf,
} from "./ocp/layout.js";
export { type OcpManifest, parseManifest } from "./ocp/manifest.js";
export { OcpOptimizer } from "./ocp/optimizer.js";
export {
  type ParameterBlock,
  ParameterPack,
  type ParameterSizes,
  type ParameterValue,
  type ParameterValues,
  type ParameterView,
} from "./ocp/parameters.js";
export {
  type ConstraintKind,
  type LoweredOcp,
  type NoParameters,
  type OcpConstraintOptions,
  type OcpDynamics,
  type OcpOptions,
  type OcpStageFunction,
  type OcpTerminalFunction,
  OptimalControlProblem,
} from "./ocp/problem.js";
export { boxBounds, boxSet, productOf, type SetBlock } from "./ocp/sets.js";
export { OcpSolution } from "./ocp/solution.js";
export { InMemoryOptimizerBuilder as OptimizerBuilder } from "./problem/inMemoryBuilder.js";
export {
  type GeneratedMappings,
  generatedAlmProblem,
  type ProblemDimensions,
  type ProblemSets,
} from "./problem/mappings.js";
export { OptimizerMeta } from "./problem/meta.js";
export { Problem } from "./problem/problem.js";
export {
  createSet,
  describeSet,
  type SetDescription,
  toSourceLiteral,
} from "./problem/setDescription.js";
export * from "./sets/index.js";
export * from "./solver/index.js";
export * from "./symbolic/index.js";
