import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DEFAULT_SOLVER_SETTINGS,
  SOLVER_SETTINGS,
  SolverConfiguration,
} from "../../src/solver/index.js";

test("defaults are opengen's and serialize to plain data", () => {
  const c = new SolverConfiguration();
  const json = JSON.parse(JSON.stringify(c));
  assert.deepEqual(json, { ...DEFAULT_SOLVER_SETTINGS });
  assert.equal(json.tolerance, 1e-4);
  assert.equal(json.lbfgsMemory, 10);
  assert.equal(json.penaltyWeightUpdateFactor, 1.75);
  assert.equal(json.maxDurationMicros, 5e6);
  assert.equal(json.maxPenalty, 1e9);
  assert.deepEqual(new SolverConfiguration(json).toJSON(), json);
});

test("with() returns validated copies; configurations are frozen", () => {
  const a = new SolverConfiguration();
  const b = a.with({ tolerance: 1e-6, maxOuterIterations: 50, penaltyWeightUpdateFactor: 10 });
  assert.equal(a.tolerance, 1e-4);
  assert.equal(b.tolerance, 1e-6);
  assert.equal(b.initialTolerance, 1e-4);
  assert.equal(b.maxOuterIterations, 50);
  assert.equal(a.with({ tolerance: 1e-2 }).initialTolerance, 1e-2);
  assert.throws(() => a.with({ lbfgsMemory: 0 }), /lbfgsMemory/);
  assert.ok(Object.isFrozen(a));
  assert.throws(() => {
    (a as { tolerance: number }).tolerance = 1;
  }, TypeError);
});

test("every setting of the table has a default, is a field and is in toJSON()", () => {
  const c = new SolverConfiguration();
  const json = c.toJSON() as unknown as Record<string, unknown>;
  const names = Object.keys(SOLVER_SETTINGS);
  assert.deepEqual(Object.keys(json), names);
  for (const name of names) {
    assert.equal((c as unknown as Record<string, unknown>)[name], json[name], name);
    assert.equal(json[name], (DEFAULT_SOLVER_SETTINGS as unknown as Record<string, unknown>)[name]);
  }
});

test("invalid settings are rejected with the setting's name", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ tolerance: 0 }, /tolerance must be a positive finite number/],
    [
      { tolerance: 1e-3, initialTolerance: 1e-4 },
      /initialTolerance \(0.0001\) must be >= tolerance/,
    ],
    [{ innerToleranceUpdateFactor: 0 }, /innerToleranceUpdateFactor must be in \(0, 1\]/],
    [{ innerToleranceUpdateFactor: 1.5 }, /innerToleranceUpdateFactor/],
    [{ constraintsTolerance: -1 }, /constraintsTolerance/],
    [{ lbfgsMemory: 1 }, /lbfgsMemory must be an integer >= 2/],
    [{ lbfgsMemory: 2.5 }, /lbfgsMemory/],
    [{ maxInnerIterations: 0 }, /maxInnerIterations/],
    [{ maxOuterIterations: 0 }, /maxOuterIterations/],
    [{ penaltyWeightUpdateFactor: 0.5 }, /penaltyWeightUpdateFactor must be a finite number >= 1/],
    [{ initialPenalty: 0 }, /initialPenalty/],
    [{ initialPenalty: Number.NaN }, /initialPenalty/],
    [{ sufficientDecreaseCoefficient: 1 }, /sufficientDecreaseCoefficient must be in \(0, 1\)/],
    [{ maxDurationMicros: 0 }, /maxDurationMicros/],
    [{ cbfgsEpsilon: -1 }, /cbfgsEpsilon/],
    [{ preconditioning: "yes" }, /preconditioning must be a boolean/],
    [{ innerStoppingRule: "stationarity" }, /unknown setting "innerStoppingRule"/],
    [{ maxPenalty: 0 }, /maxPenalty must be a positive finite number/],
    [{ maxPenalty: 10, initialPenalty: 100 }, /maxPenalty \(10\) must be >= initialPenalty/],
    [{ tolerence: 1 }, /unknown setting "tolerence"/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => new SolverConfiguration(options), message, JSON.stringify(options));
  }
});
