import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ParametricSolver } from "../solver/types.js";

/**
 * What a module must export to be served or called: a factory of the
 * optimizer. Built optimizer folders export it; so can hand-written modules.
 */
export interface OptimizerModule {
  createOptimizer(): ParametricSolver | Promise<ParametricSolver>;
}

/** Turns a path (relative to the working directory) or a URL into an importable URL. */
export function moduleUrl(specifier: string): string {
  if (/^(file|data|node):/.test(specifier)) return specifier;
  return pathToFileURL(isAbsolute(specifier) ? specifier : resolve(specifier)).href;
}

/**
 * Loads the optimizer of a module: a built optimizer folder's module, or any
 * module exporting `createOptimizer()`.
 */
export async function loadOptimizer(specifier: string): Promise<ParametricSolver> {
  const mod = (await import(moduleUrl(specifier))) as Partial<OptimizerModule>;
  if (typeof mod.createOptimizer === "function") return await mod.createOptimizer();
  throw new Error(`${specifier}: the module exports no createOptimizer() function`);
}
