import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type AlmSolverStatus,
  ParametricOptimizer,
  SolverConfiguration,
  type SolverSettings,
} from "../../src/solver/index.js";
import { type CorpusCase, corpus } from "./corpus.js";

// Below about 1e-8 the FBE's sufficient decrease sigma ||r||^2 is lost in
// the rounding of the FBE itself, and PANOC creeps by safe steps.
const TIGHT: Partial<SolverSettings> = {
  tolerance: 1e-8,
  constraintsTolerance: 1e-7,
  maxInnerIterations: 5000,
  maxOuterIterations: 50,
};

function solve(c: CorpusCase, settings: Partial<SolverSettings>): AlmSolverStatus {
  const optimizer = new ParametricOptimizer(c.problem, new SolverConfiguration(settings));
  const result = optimizer.solve(c.p, { initialGuess: c.u0 });
  if (!result.ok) throw new Error(`${c.name}: ${result.error.message}`);
  return result.status;
}

function assertOptimal(c: CorpusCase, s: AlmSolverStatus, label: string): void {
  const where = `${c.name} (${label})`;
  assert.equal(s.exitStatus, "Converged", `${where}: ${s.stopReason}`);
  if (c.uStar !== undefined) {
    for (let i = 0; i < c.uStar.length; i++) {
      const e = Math.abs(s.solution[i] - c.uStar[i]);
      const bound = (c.accuracy ?? 1e-5) * (1 + Math.abs(c.uStar[i]));
      assert.ok(e < bound, `${where}: u[${i}] off by ${e}`);
    }
  }
  const fStar =
    c.costStar ?? c.problem.cost(Float64Array.from(c.uStar ?? []), Float64Array.from(c.p));
  const e = Math.abs(s.cost - fStar);
  assert.ok(e < (c.accuracy ?? 1e-5) * 0.1 * (1 + Math.abs(fStar)), `${where}: cost off by ${e}`);
}

test("corpus: at least 30 problems with independently known optima", () => {
  const cases = corpus();
  assert.ok(cases.length >= 30, `${cases.length} cases`);
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
});

test("corpus: tight settings reach every known optimum", () => {
  for (const c of corpus()) assertOptimal(c, solve(c, { ...TIGHT, ...c.tight }), "tight");
});

test("corpus: preconditioned tight solves reach the same optima", () => {
  for (const c of corpus().filter((k) => k.preconditionable)) {
    assertOptimal(c, solve(c, { ...TIGHT, ...c.tight, preconditioning: true }), "preconditioned");
  }
});

test("corpus: defaults never claim Converged beyond the documented KKT bound", () => {
  const defaults = new SolverConfiguration();
  let converged = 0;
  for (const c of corpus()) {
    const s = solve(c, {});
    if (s.exitStatus !== "Converged") continue;
    converged++;
    // Converged: the violation is within delta, and (no preconditioning,
    // convex U) the KKT residual within twice the stationarity of the last
    // inner problem, ||r|| / gamma, the bound docs/algorithm.md derives.
    assert.ok(s.f1Infeasibility <= defaults.constraintsTolerance, c.name);
    assert.ok(s.f2Norm <= defaults.constraintsTolerance, c.name);
    assert.ok(
      s.kktStationarity <= 2 * s.lastProblemStationarity + 1e-12,
      `${c.name}: KKT ${s.kktStationarity}, bound ${2 * s.lastProblemStationarity}`,
    );
  }
  // The defaults (10 outer iterations, delta 1e-4) end short on the penalty
  // problems and on the demo, as OpEn's do.
  assert.ok(converged >= 24, `${converged} converged with the defaults`);
});
