/**
 * Benchmarks of the numerical core: median microseconds per solve after
 * warm-up. Each case runs in a worker thread of its own, so that it has its
 * own JIT state, as a deployed optimizer has (in one thread the cases share
 * the solver's type feedback: its calls of the problem functions become
 * polymorphic, and small problems slow down by up to a quarter);
 * BENCH_SHARED_THREAD=1 runs them all in this thread instead. With
 * OPEN_BENCH set to the path of OpEn's reference benchmark (a program
 * printing one JSON line per case: case, medianUs, outer, inner), both sides
 * are run on the same cases, interleaved over OPEN_BENCH_ROUNDS rounds
 * (default 3, the first side alternating), and each row shows ours, OpEn's
 * and the median of the per-round ratios ours / OpEn.
 */
import { existsSync } from "node:fs";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { almDemoProblem, penaltyProblem, rosenbrock2d } from "../examples/lowlevel.js";
import {
  demoProblem as generatedDemo,
  penaltyProblem as generatedPenalty,
} from "../examples/problems.js";
import { OptimizerBuilder, type Problem } from "../src/problem/index.js";
import {
  type IterationHooks,
  ParametricOptimizer,
  type ParametricSolver,
  SolverConfiguration,
  type SolverStatus,
} from "../src/solver/index.js";
import {
  comparisonRounds,
  measure,
  median,
  type ReferenceRow,
  report,
  runReference,
} from "./harness.js";

/** One benchmark row: an optimizer, its parameter and start, and OpEn's case if it has one. */
interface CoreCase {
  readonly name: string;
  readonly optimizer: ParametricSolver & Pick<ParametricOptimizer, "solveInto">;
  readonly p: readonly number[];
  readonly guess: readonly number[];
  /** The reference tool's case with the same problem, settings and start. */
  readonly openCase?: string;
  readonly hooks?: IterationHooks;
}

interface Sample {
  readonly medianUs: number;
  readonly p99Us: number;
  readonly exitStatus: string;
  /** Outer / inner iterations. */
  readonly iterations: string;
}

function sample(c: CoreCase): Sample {
  const u = new Float64Array(c.optimizer.nu);
  let last: SolverStatus | undefined;
  const timing = measure(() => {
    last = c.optimizer.solveInto(u, c.p, c.guess, null, null, c.hooks);
  });
  const s = last as SolverStatus;
  if (c.hooks !== undefined && hookCalls === 0) throw new Error("the hooks were not called");
  return {
    medianUs: timing.medianUs,
    p99Us: timing.p99Us,
    exitStatus: s.exitStatus,
    iterations: `${s.numOuterIterations}/${s.numInnerIterations}`,
  };
}

/** Samples case k of {@link cases}, in a worker thread of its own unless shared. */
async function sampleCase(all: readonly CoreCase[], k: number): Promise<Sample> {
  if (process.env.BENCH_SHARED_THREAD === "1") return sample(all[k]);
  const worker = new Worker(new URL(import.meta.url), { workerData: { caseIndex: k } });
  const [result] = await Promise.all([
    new Promise<Sample>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    }),
    new Promise((resolve) => worker.once("exit", resolve)),
  ]);
  return result;
}

/** Calls of the no-op hooks (checked, so that the hooks row measures hooks). */
let hookCalls = 0;

async function cases(): Promise<CoreCase[]> {
  const zeros = [0, 0, 0, 0, 0];
  const panoc = new SolverConfiguration({
    tolerance: 1e-8,
    lbfgsMemory: 10,
    maxInnerIterations: 100,
  });
  const penalty = new SolverConfiguration({ tolerance: 1e-5, constraintsTolerance: 1e-4 });
  const demoAlm = new ParametricOptimizer(
    almDemoProblem(),
    new SolverConfiguration({
      tolerance: 1e-5,
      penaltyWeightUpdateFactor: 2,
      maxOuterIterations: 20,
    }),
  );
  const { createOptimizer } = await import("../examples/demo.js");
  // The same problems as generated code (what the symbolic layer builds, as
  // opengen builds OpEn's), with the same settings.
  const generated = (problem: Problem, settings: SolverConfiguration) =>
    new OptimizerBuilder(problem, undefined, undefined, settings).buildInMemory();
  return [
    {
      name: "core: PANOC Rosenbrock(200) on Ball2(1)",
      optimizer: new ParametricOptimizer(rosenbrock2d(200), panoc),
      p: [],
      guess: [-1.5, 0.9],
      openCase: "rosenbrock200",
    },
    {
      name: "core: PANOC Rosenbrock(100) on Ball2(1)",
      optimizer: new ParametricOptimizer(rosenbrock2d(100), panoc),
      p: [],
      guess: [-1.5, 0.9],
      openCase: "rosenbrock100",
    },
    {
      name: "core: README penalty problem",
      optimizer: new ParametricOptimizer(penaltyProblem(), penalty),
      p: [1, 10],
      guess: zeros,
      openCase: "penalty",
    },
    {
      name: "core: README penalty problem, rho=10, 50 outer",
      optimizer: new ParametricOptimizer(
        penaltyProblem(),
        penalty.with({ penaltyWeightUpdateFactor: 10, maxOuterIterations: 50 }),
      ),
      p: [1, 10],
      guess: zeros,
      openCase: "penaltyRho10",
    },
    {
      name: "core: ALM demo, opengen defaults",
      optimizer: new ParametricOptimizer(almDemoProblem()),
      p: [1, 10],
      guess: zeros,
      openCase: "demoDefaults",
    },
    {
      // OpEn's demoAlm: the same problem and settings, so the counts match (10/99).
      name: "core: ALM demo, OpEn's demoAlm settings",
      optimizer: demoAlm,
      p: [1, 10],
      guess: zeros,
      openCase: "demoAlm",
    },
    {
      name: "core: README penalty problem, generated",
      optimizer: generated(generatedPenalty(), penalty),
      p: [1, 10],
      guess: zeros,
      openCase: "penalty",
    },
    {
      name: "core: ALM demo, opengen defaults, generated",
      optimizer: generated(generatedDemo(), new SolverConfiguration()),
      p: [1, 10],
      guess: zeros,
      openCase: "demoDefaults",
    },
    {
      name: "core: ALM demo, OpEn's demoAlm settings, generated",
      optimizer: generated(generatedDemo(), demoAlm.configuration),
      p: [1, 10],
      guess: zeros,
      openCase: "demoAlm",
    },
    {
      name: "core: ALM demo (examples/demo.ts, generated)",
      optimizer: createOptimizer(),
      p: [1, 10],
      guess: zeros,
    },
    {
      // What the iteration hooks cost: the row above without hooks, against hooks that do nothing.
      name: "core: ALM demo, demoAlm settings, no-op hooks",
      optimizer: demoAlm,
      p: [1, 10],
      guess: zeros,
      hooks: {
        onInnerIteration: () => {
          hookCalls++;
        },
        onOuterIteration: () => {
          hookCalls++;
        },
      },
    },
  ];
}

/** Runs the core benchmarks and prints one row each (with OpEn's beside, when found). */
export async function run(): Promise<void> {
  const all = await cases();
  const reference = process.env.OPEN_BENCH;
  if (reference === undefined || reference === "" || !existsSync(reference)) {
    if (reference) console.log(`core: OPEN_BENCH (${reference}) not found, our rows only`);
    for (let k = 0; k < all.length; k++) {
      const s = await sampleCase(all, k);
      report(all[k].name, {
        medianUs: s.medianUs,
        p99Us: s.p99Us,
        iterations: s.iterations,
        status: s.exitStatus,
      });
    }
  } else {
    await sideBySide(all, reference);
  }
}

/** Ours and the reference tool's, interleaved over rounds; the median ratio per case. */
async function sideBySide(all: readonly CoreCase[], reference: string): Promise<void> {
  const rounds = comparisonRounds();
  const openCases = [
    ...new Set(all.flatMap((c) => (c.openCase === undefined ? [] : [c.openCase]))),
  ];
  const ours: Sample[][] = all.map(() => []);
  const theirs: ReferenceRow[][] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which side runs first, so that a trend in the load favours neither.
    if (r % 2 === 1) theirs.push(runReference(reference, ["--case", openCases.join(",")]));
    for (let k = 0; k < all.length; k++) ours[k].push(await sampleCase(all, k));
    if (r % 2 === 0) theirs.push(runReference(reference, ["--case", openCases.join(",")]));
  }
  for (let k = 0; k < all.length; k++) {
    const c = all[k];
    const mine = ours[k];
    const fields: Record<string, string | number> = {
      medianUs: median(mine.map((s) => s.medianUs)),
      iterations: mine[0].iterations,
      status: mine[0].exitStatus,
    };
    const open = theirs.map((round) => round.find((row) => row.case === c.openCase));
    if (c.openCase !== undefined && open.every((row) => row !== undefined)) {
      const rows = open as ReferenceRow[];
      const ratios = rows.map((row, i) => mine[i].medianUs / row.medianUs);
      fields.OpEnUs = median(rows.map((row) => row.medianUs));
      fields.OpEnIterations = `${rows[0].outer}/${rows[0].inner}`;
      fields.ratio = median(ratios);
      fields.ratioRange = `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
    }
    report(c.name, fields);
  }
}

// In a worker of sampleCase: sample the one case asked for and post the result.
const asked = isMainThread ? undefined : (workerData as { caseIndex?: number } | null)?.caseIndex;
if (asked !== undefined) parentPort?.postMessage(sample((await cases())[asked]));
