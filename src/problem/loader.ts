import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { SolverConfiguration } from "../solver/configuration.js";
import type { ParametricSolver } from "../solver/types.js";
import { OptimizerBuilder } from "./builder.js";
import { BuildConfiguration } from "./configuration.js";
import { OptimizerMeta } from "./meta.js";
import { Problem } from "./problem.js";

/**
 * What a module must export to be served or called: a factory of the
 * optimizer. Built optimizer folders export it; so can hand-written modules.
 */
export interface OptimizerModule {
  createOptimizer(): ParametricSolver | Promise<ParametricSolver>;
}

/**
 * A module describing a symbolic problem: `problem` and, optionally, its
 * solver settings, metadata and build configuration (defaults otherwise).
 * {@link loadOptimizer} builds it in memory; {@link buildOptimizerModule}
 * writes its optimizer folder.
 */
export interface ProblemModule {
  problem: Problem;
  solverConfiguration?: SolverConfiguration;
  meta?: OptimizerMeta;
  buildConfiguration?: BuildConfiguration;
}

/** Turns a path (relative to the working directory) or a URL into an importable URL. */
export function moduleUrl(specifier: string): string {
  if (/^(file|data|node):/.test(specifier)) return specifier;
  return pathToFileURL(isAbsolute(specifier) ? specifier : resolve(specifier)).href;
}

async function importModule(specifier: string): Promise<Record<string, unknown>> {
  try {
    return (await import(moduleUrl(specifier))) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (/\.[cm]?ts$/.test(specifier) && code === "ERR_UNKNOWN_FILE_EXTENSION") {
      throw new Error(
        `${specifier}: this Node.js cannot import TypeScript. Compile the module to JavaScript ` +
          "(e.g. with tsc) and pass the emitted .js file, or run node with a TypeScript loader " +
          "(node --import <loader>).",
      );
    }
    throw error;
  }
}

function checkExport<T>(
  specifier: string,
  mod: Record<string, unknown>,
  key: string,
  type: abstract new (...args: never[]) => T,
): T | undefined {
  const value = mod[key];
  if (value === undefined) return undefined;
  if (!(value instanceof type)) {
    throw new Error(
      `${specifier}: the export "${key}" must be a ${type.name} of this open-engine installation`,
    );
  }
  return value;
}

/** The builder of a problem module, or `undefined` when the module exports no `problem`. */
function problemBuilder(
  specifier: string,
  mod: Record<string, unknown>,
  overrides: { buildDirectory?: string; name?: string } = {},
): OptimizerBuilder | undefined {
  const problem = checkExport(specifier, mod, "problem", Problem);
  if (problem === undefined) return undefined;
  let meta = checkExport(specifier, mod, "meta", OptimizerMeta) ?? new OptimizerMeta();
  if (overrides.name !== undefined) meta = meta.withOptimizerName(overrides.name);
  let build =
    checkExport(specifier, mod, "buildConfiguration", BuildConfiguration) ??
    new BuildConfiguration();
  if (overrides.buildDirectory !== undefined) {
    build = build.withBuildDirectory(overrides.buildDirectory);
  }
  const solver =
    checkExport(specifier, mod, "solverConfiguration", SolverConfiguration) ??
    new SolverConfiguration();
  return new OptimizerBuilder(problem, meta, build, solver);
}

/**
 * Loads the optimizer of a module: a built optimizer folder's `optimizer.js`
 * or any module exporting `createOptimizer()`, or a problem module (see
 * {@link ProblemModule}), which is built in memory. `createOptimizer` wins
 * when a module exports both.
 *
 * @param specifier a path (relative to the working directory) or a URL
 */
export async function loadOptimizer(specifier: string): Promise<ParametricSolver> {
  const mod = await importModule(specifier);
  const create = (mod as Partial<OptimizerModule>).createOptimizer;
  if (typeof create === "function") return await create();
  const builder = problemBuilder(specifier, mod);
  if (builder !== undefined) return builder.buildInMemory();
  throw new Error(`${specifier}: the module exports neither createOptimizer() nor a problem`);
}

/**
 * Builds the optimizer folder of a problem module (see {@link ProblemModule})
 * into `{buildDirectory}/{name}/`, as the command line's `build` command.
 *
 * @param specifier a path (relative to the working directory) or a URL
 * @param overrides replace the module's build directory or optimizer name
 * @returns the absolute path of the folder and the optimizer's name
 */
export async function buildOptimizerModule(
  specifier: string,
  overrides: { buildDirectory?: string; name?: string } = {},
): Promise<{ directory: string; name: string }> {
  const mod = await importModule(specifier);
  const builder = problemBuilder(specifier, mod, overrides);
  if (builder === undefined) {
    throw new Error(
      `${specifier}: the module exports no problem to build (a Problem exported as "problem")`,
    );
  }
  const { directory, name } = await builder.build();
  return { directory, name };
}
