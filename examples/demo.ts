/**
 * The example optimizer served by `npm start`: the augmented Lagrangian demo
 * of the protocol, described symbolically in {@link demoProblem} and built in
 * memory (the hand-written version of the same functions is
 * `almDemoProblem` in lowlevel.ts).
 *
 * Run as a script, it prints the solution of p = (1, 10), solved in-process
 * and in a worker thread. Its settings ({@link demoSolverConfiguration}) make a fresh solve with
 * p = (1, 10) from u0 = 0 end "Converged" (10 outer, 215 inner iterations)
 * at u ~ (0.09135, 0.13703, -0.10479, 0.10089, 0.01018):
 * - penaltyWeightUpdateFactor 2 and maxOuterIterations 20: with opengen's
 *   defaults (1.75, 10) the loop runs out of outer iterations one step short;
 * - tolerance 1e-5 with the "stationarity" inner rule (||r|| / gamma < eps):
 *   the fixed-point-residual rule stops early when the penalty makes gamma
 *   small (a larger penalty factor such as 10 then "converges" 1e-2 away
 *   from the solution).
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
