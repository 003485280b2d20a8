/**
 * The example optimizer served by `npm start`: the augmented Lagrangian demo
 * of the protocol, described symbolically in {@link demoProblem} and built in
 * memory (the hand-written version of the same functions is
 * `almDemoProblem` in lowlevel.ts).
 *
 * Run as a script, it prints the solution of p = (1, 10), solved in-process
 * and in a worker thread. Its settings ({@link demoSolverConfiguration}) make a fresh solve with
 * p = (1, 10) from u0 = 0 end "Converged" (11 outer, 139 inner iterations)
 * within 2e-5 of the KKT point u* ~ (0.0913638, 0.1370457, -0.1047198,
 * 0.1008784, 0.0101764) and of its cost 3.9981356:
 * - penaltyWeightUpdateFactor 2 and maxOuterIterations 20: with opengen's
 *   defaults (1.75, 10) the loop runs out of outer iterations one step short;
 * - tolerance 1e-6 and constraintsTolerance 1e-5: with OpEn's demo settings
 *   (1e-5, 1e-4) the answer is 2.4e-4 from u* and its cost 2.7e-4 above the
 *   optimum, because a violation of 1e-4 moves the cost by about |y| 1e-4.
 */
import { pathToFileURL } from "node:url";
import { type GeneratedOptimizer, OptimizerBuilder } from "open-engine";
import { demoProblem, demoSolverConfiguration, meta } from "./problems.js";

/** The demo optimizer, generated from its symbolic description. */
export function createOptimizer(): GeneratedOptimizer {
  return new OptimizerBuilder(
    demoProblem(),
    meta,
    undefined,
    demoSolverConfiguration,
  ).buildInMemory();
}

// Run as a script (`npm run example -- demo`): solve once in-process and once
// in a worker thread, and print both results as JSON.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const optimizer = createOptimizer();
  const sync = optimizer.solve([1, 10]);
  const async = await optimizer.solveAsync([1, 10], { initialGuess: [0, 0, 0, 0, 0] });
  for (const [how, r] of [
    ["solve", sync],
    ["solveAsync", async],
  ] as const) {
    if (!r.ok) throw r.error;
    const s = r.status;
    console.log(
      how,
      JSON.stringify({
        exitStatus: s.exitStatus,
        outer: s.numOuterIterations,
        inner: s.numInnerIterations,
        solution: Array.from(s.solution),
        lagrangeMultipliers: Array.from(s.lagrangeMultipliers),
        cost: s.cost,
      }),
    );
  }
  await optimizer.close();
}
