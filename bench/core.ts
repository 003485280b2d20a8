/**
 * Benchmarks of the numerical core (median microseconds per solve after
 * warm-up), next to OpEn's published figures for the same problems.
 */
import { almDemoProblem, penaltyProblem, rosenbrock2d } from "../examples/lowlevel.js";
import {
  type IterationHooks,
  ParametricOptimizer,
  SolverConfiguration,
  type SolverStatus,
} from "../src/solver/index.js";
import { measure, report } from "./harness.js";

/** OpEn's published figure for the same problem and settings (Rust, median per solve). */
interface OpenReference {
  readonly us: number;
  readonly iterations: string;
}

function bench(
  name: string,
  optimizer: ParametricOptimizer,
  p: number[],
  guess: number[],
  open: OpenReference | null,
  hooks?: IterationHooks,
): void {
  const u = new Float64Array(optimizer.nu);
  let last: SolverStatus | undefined;
  const timing = measure(() => {
    last = optimizer.solveInto(u, p, guess, null, null, hooks);
  });
  const s = last as SolverStatus;
  report(name, {
    medianUs: timing.medianUs,
    p99Us: timing.p99Us,
    outer: s.numOuterIterations,
    inner: s.numInnerIterations,
    status: s.exitStatus,
    OpEnUs: open === null ? "-" : open.us,
    OpEnIterations: open === null ? "-" : open.iterations,
    ratio: open === null ? "-" : timing.medianUs / open.us,
  });
}

/** Runs the core benchmarks and prints one row each. */
export async function run(): Promise<void> {
  const rosenbrock = new ParametricOptimizer(
    rosenbrock2d(200),
    new SolverConfiguration({ tolerance: 1e-8, lbfgsMemory: 10, maxInnerIterations: 100 }),
  );
  bench("core: PANOC Rosenbrock(200) on Ball2(1)", rosenbrock, [], [-1.5, 0.9], {
    us: 10,
    iterations: "49",
  });
  bench(
    "core: PANOC Rosenbrock(100) on Ball2(1)",
    new ParametricOptimizer(
      rosenbrock2d(100),
      new SolverConfiguration({ tolerance: 1e-8, lbfgsMemory: 10, maxInnerIterations: 100 }),
    ),
    [],
    [-1.5, 0.9],
    null,
  );
  const penalty = new SolverConfiguration({ tolerance: 1e-5, constraintsTolerance: 1e-4 });
  const zeros = [0, 0, 0, 0, 0];
  bench(
    "core: README penalty problem",
    new ParametricOptimizer(penaltyProblem(), penalty),
    [1, 10],
    zeros,
    { us: 26, iterations: "10/96" },
  );
  bench(
    "core: README penalty problem, rho=10, 50 outer",
    new ParametricOptimizer(
      penaltyProblem(),
      penalty.with({ penaltyWeightUpdateFactor: 10, maxOuterIterations: 50 }),
    ),
    [1, 10],
    zeros,
    { us: 22, iterations: "8/73" },
  );
  const { createOptimizer } = await import("../examples/demo.js");
  bench("core: ALM demo (examples/demo.ts)", createOptimizer(), [1, 10], zeros, null);
  bench(
    "core: ALM demo, opengen defaults",
    new ParametricOptimizer(almDemoProblem()),
    [1, 10],
    zeros,
    null,
  );
  // OpEn's demoAlm case: same problem and settings, so the counts match (10/99).
  const demoAlm = new ParametricOptimizer(
    almDemoProblem(),
    new SolverConfiguration({
      tolerance: 1e-5,
      penaltyWeightUpdateFactor: 2,
      maxOuterIterations: 20,
    }),
  );
  bench("core: ALM demo, OpEn's demoAlm settings", demoAlm, [1, 10], zeros, null);
  // What the iteration hooks cost: unused (above) against hooks that do nothing.
  let calls = 0;
  bench("core: ALM demo, demoAlm settings, no-op hooks", demoAlm, [1, 10], zeros, null, {
    onInnerIteration: () => {
      calls++;
    },
    onOuterIteration: () => {
      calls++;
    },
  });
  if (calls === 0) throw new Error("the hooks were not called");
}
