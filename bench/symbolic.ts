/**
 * Benchmarks of the symbolic builder: build time (differentiation, code
 * generation and compilation in memory; the same plus writing and importing
 * the optimizer folder) for OpEn's README examples and a horizon-50 MPC, and
 * the solve time of generated functions next to the hand-written ones of
 * examples/lowlevel.ts (goal: generated within 1.2x), and the heap kept
 * over many builds in one process (goal: flat within 10%).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  almDemoProblem,
  penaltyProblem as handPenalty,
  rosenbrock2d,
} from "../examples/lowlevel.js";
import {
  bicycleMpcProblem,
  demoProblem,
  demoSolverConfiguration,
  penaltyProblem,
  rosenbrockBallProblem,
} from "../examples/problems.js";
import {
  BuildConfiguration,
  OptimizerBuilder,
  OptimizerMeta,
  type Problem,
} from "../src/problem/index.js";
import { type AlmProblem, ParametricOptimizer, SolverConfiguration } from "../src/solver/index.js";
import { measure, report } from "./harness.js";

function median(samples: number[]): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function elapsedMs(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

interface Case {
  readonly name: string;
  readonly problem: () => Problem;
  readonly configuration: SolverConfiguration;
  readonly parameter: number[];
  readonly hand?: () => AlmProblem;
}

const cases: Case[] = [
  {
    name: "rosenbrock on Ball2(1), b = 200",
    problem: () => rosenbrockBallProblem(200),
    configuration: new SolverConfiguration(),
    parameter: [],
    hand: () => rosenbrock2d(200),
  },
  {
    name: "README penalty problem",
    problem: penaltyProblem,
    configuration: new SolverConfiguration(),
    parameter: [1, 10],
    hand: handPenalty,
  },
  {
    name: "protocol demo (ALM)",
    problem: demoProblem,
    configuration: demoSolverConfiguration,
    parameter: [1, 10],
    hand: almDemoProblem,
  },
  {
    name: "bicycle MPC, N = 50",
    problem: () => bicycleMpcProblem(),
    configuration: new SolverConfiguration(),
    parameter: [0, 0, 0, 2, 1, 0],
  },
];

async function buildTimes(c: Case, root: string, index: number): Promise<void> {
  const runs = 9;
  const inMemory: number[] = [];
  const folder: number[] = [];
  for (let k = 0; k < runs; k++) {
    let t0 = process.hrtime.bigint();
    new OptimizerBuilder(c.problem(), undefined, undefined, c.configuration).buildInMemory();
    inMemory.push(elapsedMs(t0));
    // a new folder each time: the module cache would otherwise skip the import
    t0 = process.hrtime.bigint();
    const { directory } = await new OptimizerBuilder(
      c.problem(),
      new OptimizerMeta(`bench_${index}_${k}`),
      new BuildConfiguration(root),
      c.configuration,
    ).build();
    const mod = (await import(pathToFileURL(join(directory, "optimizer.js")).href)) as {
      createOptimizer: () => ParametricOptimizer;
    };
    mod.createOptimizer();
    folder.push(elapsedMs(t0));
  }
  report(`symbolic build: ${c.name}`, {
    inMemoryMs: median(inMemory),
    folderAndImportMs: median(folder),
    runs,
  });
}

function solveTimes(c: Case): void {
  const generated = new OptimizerBuilder(
    c.problem(),
    undefined,
    undefined,
    c.configuration,
  ).buildInMemory();
  const candidates: [string, ParametricOptimizer][] = [["generated", generated]];
  if (c.hand !== undefined) {
    candidates.push(["hand-written", new ParametricOptimizer(c.hand(), c.configuration)]);
  }
  const fields: Record<string, string | number> = {};
  const medians: number[] = [];
  for (const [label, optimizer] of candidates) {
    const initialGuess = new Float64Array(optimizer.nu);
    const solve = () => {
      optimizer.solve(c.parameter, { initialGuess });
    };
    // V8 reaches its steady state after about 2,000 solves of a small problem.
    const timing = c.hand === undefined ? measure(solve, 50, 20) : measure(solve, 2000, 3000);
    fields[`${label}Us`] = timing.medianUs;
    medians.push(timing.medianUs);
  }
  if (medians.length === 2) fields.ratio = medians[0] / medians[1];
  report(`symbolic solve: ${c.name}`, fields);
}

/** Heap in use after full collections, once this job's weakly held objects are released. */
async function settledHeap(gc: () => void): Promise<number> {
  for (let k = 0; k < 2; k++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return process.memoryUsage().heapUsed;
}

/** The heap before and after `builds` in-memory builds of a case, after as many to warm up. */
async function heapOverBuilds(c: Case, builds: number): Promise<void> {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const buildOnce = () => {
    new OptimizerBuilder(c.problem(), undefined, undefined, c.configuration).buildInMemory();
  };
  for (let k = 0; k < Math.min(builds, 50); k++) buildOnce();
  const before = await settledHeap(gc);
  for (let k = 0; k < builds; k++) buildOnce();
  const after = await settledHeap(gc);
  report(`symbolic memory: ${c.name}`, {
    builds,
    heapBeforeMB: before / 1e6,
    heapAfterMB: after / 1e6,
    growth: (after - before) / before,
    retainedKBPerBuild: (after - before) / builds / 1e3,
  });
}

/** Runs the symbolic builder's benchmarks and prints one row per measurement. */
export async function run(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "open-engine-bench-"));
  try {
    for (const [index, c] of cases.entries()) await buildTimes(c, root, index);
    for (const c of cases) solveTimes(c);
    await heapOverBuilds(cases[2], 1000);
    await heapOverBuilds(cases[3], 1000);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
