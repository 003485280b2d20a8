import assert from "node:assert/strict";
import { test } from "node:test";
import { Ball2, NoConstraints } from "../../src/sets/index.js";
import {
  ForwardBackwardIterate,
  forwardBackwardStep,
  forwardBackwardStepFor,
} from "../../src/solver/forwardBackward/index.js";
import { type FormPair, formPair, formPairFor } from "../../src/solver/lbfgs.js";
import { trialPoint, trialPointFor } from "../../src/solver/panoc/trialPoint.js";
import { PanocProblem, type SmoothProblem } from "../../src/solver/problem.js";
import { twoLoop, twoLoopFor } from "../../src/solver/twoLoop.js";
import { MAX_UNROLLED_SIZE } from "../../src/solver/unrolled.js";
import { rng } from "./random.js";

// Each unrolled kernel against its generic loop, bit for bit, at the sizes
// around the unrolling limit (beyond it both are the generic loop).
const SIZES = [1, 2, 3, 5, 8, MAX_UNROLLED_SIZE, MAX_UNROLLED_SIZE + 1];

test("the unrolled two-loop recursion gives the generic one's bits", () => {
  for (const n of SIZES) {
    const rand = rng(n);
    const memory = 4;
    const s = Float64Array.from({ length: (memory + 1) * n }, rand);
    const y = Float64Array.from({ length: (memory + 1) * n }, rand);
    const rho = Float64Array.from({ length: memory + 1 }, () => 1 / (2 + rand()));
    // pairs stored out of order, as after the buffer has wrapped around
    const slots = Int32Array.of(9, 3, 0, 4, 1, 2);
    for (const active of [1, 2, memory]) {
      const q = Float64Array.from({ length: n }, rand);
      const generic = Float64Array.from(q);
      const special = Float64Array.from(q);
      const alpha = () => new Float64Array(memory);
      twoLoop(generic, generic, s, y, rho, alpha(), slots, 1, active, 0.7, n);
      const into = new Float64Array(n);
      twoLoopFor(n)(q, into, s, y, rho, alpha(), slots, 1, active, 0.7, n);
      twoLoopFor(n)(special, special, s, y, rho, alpha(), slots, 1, active, 0.7, n);
      assert.deepEqual(special, generic, `n = ${n}, ${active} pairs`);
      assert.deepEqual(into, generic);
      assert.notDeepEqual(special, q);
    }
  }
});

test("the unrolled forward-backward step gives the generic one's bits", () => {
  const zero = () => 0;
  for (const n of SIZES) {
    const rand = rng(100 + n);
    // a ball that cuts the gradient step, and no constraints
    const problems: SmoothProblem[] = [
      new PanocProblem(n, zero, zero, new Ball2(0.3)),
      new PanocProblem(n, zero, zero, new NoConstraints()),
    ];
    for (const problem of problems) {
      const u = Float64Array.from({ length: n }, rand);
      const g = Float64Array.from({ length: n }, rand);
      const [generic, special] = [0, 1].map(() => {
        const it = new ForwardBackwardIterate(n);
        it.u.set(u);
        it.gradient.set(g);
        it.gamma = 0.37;
        return it;
      });
      forwardBackwardStep(problem, generic, n);
      forwardBackwardStepFor(n)(problem, special, n);
      assert.deepEqual(special, generic, `n = ${n}`);
      assert.ok(generic.normResidual > 0 && generic.gradientDotResidual !== 0);
    }
  }
});

test("the unrolled L-BFGS pair kernel gives the generic one's bits", () => {
  for (const n of SIZES) {
    const rand = rng(200 + n);
    const vector = () => Float64Array.from({ length: n }, rand);
    const [state, g, oldState, oldG] = [vector(), vector(), vector(), vector()];
    const run = (kernel: FormPair) => {
      const out = {
        nextState: new Float64Array(n),
        nextG: new Float64Array(n),
        s: new Float64Array(3 * n),
        y: new Float64Array(3 * n),
        sums: new Float64Array(4),
      };
      kernel(state, g, oldState, oldG, out.nextState, out.nextG, out.s, out.y, n, out.sums, n);
      return out;
    };
    const generic = run(formPair);
    assert.deepEqual(run(formPairFor(n)), generic, `n = ${n}`);
    assert.deepEqual(generic.nextState, state);
    assert.equal(generic.s[n], state[0] - oldState[0]);
  }
});

test("the unrolled line-search trial point gives the generic one's bits", () => {
  for (const n of SIZES) {
    const rand = rng(300 + n);
    const vector = () => Float64Array.from({ length: n }, rand);
    const [u, r, d] = [vector(), vector(), vector()];
    const generic = new Float64Array(n);
    const special = new Float64Array(n);
    trialPoint(generic, u, r, d, 0.75, 0.25, n);
    trialPointFor(n)(special, u, r, d, 0.75, 0.25, n);
    assert.deepEqual(special, generic, `n = ${n}`);
    assert.equal(generic[0], u[0] - 0.75 * r[0] - 0.25 * d[0]);
  }
});
