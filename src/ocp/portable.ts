/**
 * The part of the optimal control front end that needs no Node.js, with the
 * in-memory builder as `OcpBuilder`: the browser entry exports it as it is,
 * the Node.js entry with its own `OcpBuilder` (which also writes folders) and
 * the TCP optimizer.
 *
 * @module
 */
export {
  type ContinuousDynamics,
  type DiscreteDynamics,
  type DiscretizationMethod,
  DynamicsDiscretizer,
} from "./discretizer.js";
export { InMemoryOcpBuilder as OcpBuilder } from "./inMemoryBuilder.js";
export {
  inputsOf,
  type OcpLayout,
  type Rollout,
  type Shooting,
  type Slice,
  statesOf,
} from "./layout.js";
export { type OcpManifest, parseManifest } from "./manifest.js";
export { OcpOptimizer } from "./optimizer.js";
export {
  type ParameterBlock,
  ParameterPack,
  type ParameterSizes,
  type ParameterValue,
  type ParameterValues,
  type ParameterView,
} from "./parameters.js";
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
} from "./problem.js";
export { boxBounds, boxSet, productOf, type SetBlock } from "./sets.js";
export { OcpSolution } from "./solution.js";
