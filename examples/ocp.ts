/**
 * OpEn's getting-started optimal control problem (ocpGettingStarted.ts)
 * solved by single shooting and by multiple shooting (dynamics as ALM
 * constraints): both print the same optimum.
 *
 * Run: `node dist/examples/ocp.js`.
 */
import { OcpBuilder, OptimizerMeta, SolverConfiguration } from "open-engine";
import { GETTING_STARTED_VALUES, gettingStarted } from "./ocpGettingStarted.js";

const solverConfiguration = new SolverConfiguration({
  tolerance: 1e-6,
  maxInnerIterations: 2000,
  maxOuterIterations: 40,
  penaltyWeightUpdateFactor: 1.8,
});

for (const shooting of ["single", "multiple"] as const) {
  const builder = new OcpBuilder(
    gettingStarted(shooting, shooting === "multiple" ? "alm" : undefined),
    new OptimizerMeta(`ocp_${shooting}`),
    undefined,
    solverConfiguration,
  );
  const optimizer = builder.buildInMemory();
  const result = optimizer.solve(GETTING_STARTED_VALUES);
  const { nu, n1, n2 } = builder.problem;
  console.log(`${shooting} shooting: ${nu} decision variables, n1 = ${n1}, n2 = ${n2}`);
  console.log(`  cost ${result.cost.toFixed(5)}, ${result.exitStatus}`);
  console.log(`  u: ${result.inputs.map((u) => (u[0] ?? 0).toFixed(4)).join(" ")}`);
  console.log(`  x2: ${result.states.map((x) => (x[1] ?? 0).toFixed(4)).join(" ")}`);
}
