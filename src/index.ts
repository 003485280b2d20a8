/**
 * open-engine: fast embedded nonconvex parametric optimization for
 * TypeScript. Describe a problem symbolically ({@link Problem}), build it
 * ({@link OptimizerBuilder}) and solve in-process, or serve it over TCP with
 * OpEn's JSON protocol ({@link startServer}, {@link OptimizerTcpManager}).
 *
 * @module
 */
export * from "./ocp/index.js";
export * from "./problem/index.js";
export * from "./sets/index.js";
export * from "./solver/index.js";
export * from "./symbolic/index.js";
export * from "./tcp/index.js";
