/**
 * Benchmarks of the optimal control front end on the horizon-50 bicycle of
 * examples/ocpBicycle.ts: build time (lowering, differentiation, code
 * generation, compilation in memory; goal < 50 ms for single shooting with
 * Euler steps), the lowered problem's size, and the solve time of a parking
 * manoeuvre from rest with a wall (y <= 0.8): cold (from zero), and one MPC
 * step (from the next state, warm-started from the previous solution).
 * Builds are timed interleaved, so that load on the machine affects the
 * formulations alike.
 */
import { bicycleOcp } from "../examples/ocpBicycle.js";
import { OcpBuilder, type OcpOptimizer } from "../src/ocp/index.js";
import { SolverConfiguration } from "../src/solver/index.js";
import { nodeCount } from "../src/symbolic/index.js";
import { measure, report } from "./harness.js";

const HORIZON = 50;
const PARKING = { x0: [0, 0, 0], xref: [2, 1, 0], ymax: 0.8 };
const CONFIG = new SolverConfiguration({
  tolerance: 1e-4,
  maxInnerIterations: 2000,
  maxOuterIterations: 30,
});

const CASES = [
  { name: "single shooting, Euler", shooting: "single", method: "euler" },
  { name: "single shooting, RK4", shooting: "single", method: "rk4" },
  { name: "multiple shooting (ALM dynamics), Euler", shooting: "multiple", method: "euler" },
] as const;

function median(samples: number[]): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function build(c: (typeof CASES)[number]): { builder: OcpBuilder; optimizer: OcpOptimizer } {
  const builder = new OcpBuilder(
    bicycleOcp({ shooting: c.shooting, horizon: HORIZON, method: c.method }),
    undefined,
    undefined,
    CONFIG,
  );
  return { builder, optimizer: builder.buildInMemory() };
}

/** Prints the rows of this section. */
export async function run(): Promise<void> {
  const times: number[][] = CASES.map(() => []);
  for (let round = 0; round < 12; round++) {
    CASES.forEach((c, k) => {
      const t0 = process.hrtime.bigint();
      build(c);
      times[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
    });
  }
  CASES.forEach((c, k) => {
    const { builder, optimizer } = build(c);
    const pr = builder.problem;
    const size = {
      buildMs: median(times[k]),
      nu: pr.nu,
      n1: pr.n1,
      n2: pr.n2,
      nodes: nodeCount([pr.cost, ...(pr.mappingF1 ?? []), ...(pr.mappingF2 ?? [])]),
    };
    const zero = new Array<number>(pr.nu).fill(0);
    try {
      const first = optimizer.solve(PARKING, { initialGuess: zero });
      const next = { ...PARKING, x0: first.states[1] };
      const cold = measure(() => optimizer.solve(PARKING, { initialGuess: zero }), 10, 2);
      const step = measure(() => optimizer.solve(next, { initialGuess: first.solution }), 10, 2);
      report(`ocp bicycle N=${HORIZON}: ${c.name}`, {
        ...size,
        exit: first.exitStatus,
        outer: first.numOuterIterations,
        inner: first.numInnerIterations,
        coldSolveMs: cold.medianUs / 1000,
        mpcStepMs: step.medianUs / 1000,
      });
    } catch (e) {
      report(`ocp bicycle N=${HORIZON}: ${c.name}`, { ...size, error: (e as Error).message });
    }
  });
}
