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

export * from "./ocp/portable.js";
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
  isLibrarySet,
  type SetDescription,
  toSourceLiteral,
} from "./problem/setDescription.js";
export * from "./sets/index.js";
export * from "./solver/index.js";
export * from "./symbolic/index.js";
