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
export { MANIFEST_FILE, ROLLOUT_FILE } from "./manifest.js";
// The portable part, whose in-memory `OcpBuilder` the one below replaces.
export * from "./portable.js";
export { RemoteOcpOptimizer, type RemoteOcpOptions } from "./remote.js";
