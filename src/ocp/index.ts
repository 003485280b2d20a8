/**
 * Optimal control, as opengen's `ocp` module: an {@link OptimalControlProblem}
 * (dynamics, stage and terminal costs, path, terminal and input constraints,
 * named parameters; single or multiple shooting) lowered to a `Problem` and
 * built by an {@link OcpBuilder} into an optimizer that solves by named
 * parameters and returns inputs and states by stage.
 *
 * @module
 */
export { OcpBuilder, type OcpBuildResult } from "./builder.js";
export {
  type ContinuousDynamics,
  type DiscreteDynamics,
  type DiscretizationMethod,
  DynamicsDiscretizer,
} from "./discretizer.js";
export {
  inputsOf,
  type OcpLayout,
  type Rollout,
  type Shooting,
  type Slice,
  statesOf,
} from "./layout.js";
export { MANIFEST_FILE, type OcpManifest, parseManifest, ROLLOUT_FILE } from "./manifest.js";
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
export { RemoteOcpOptimizer, type RemoteOcpOptions } from "./remote.js";
export { boxBounds, boxSet, productOf, type SetBlock } from "./sets.js";
export { OcpSolution } from "./solution.js";
