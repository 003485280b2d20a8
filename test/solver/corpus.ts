/**
 * A corpus of problems whose optima are known independently of the solver:
 * closed forms (projections, KKT systems solved by hand), or OpEn 0.12's
 * answers (copied below with a comment) checked by a KKT residual.
 */
import { almDemoProblem, rosenbrock2d } from "../../examples/lowlevel.js";
import { Ball2, Halfspace, Rectangle, Simplex, Zero } from "../../src/sets/index.js";
import type { AlmProblem, SolverSettings } from "../../src/solver/index.js";
import { simplexBySorting } from "../sets/helpers.js";
import { Random } from "../sets/random.js";

/** One problem of the corpus with its known minimizer. */
export interface CorpusCase {
  readonly name: string;
  readonly problem: AlmProblem;
  readonly p: readonly number[];
  readonly u0: readonly number[];
  /** The minimizer (undefined when only the optimal cost is known). */
  readonly uStar?: readonly number[];
  /** The optimal cost, when it is not the cost at `uStar`. */
  readonly costStar?: number;
  /** Settings the tight run adds to the corpus's tight settings. */
  readonly tight?: Partial<SolverSettings>;
  /**
   * How close (relative) the tight solve must come to uStar (default 1e-5).
   * A penalty method with a stiff constraint reaches about 1e-4: with c =
   * 1e6..1e7 the inner problems are that ill-conditioned.
   */
  readonly accuracy?: number;
  /** Whether preconditioning applies (C is Zero or an orthant, or n1 = 0). */
  readonly preconditionable: boolean;
}

/**
 * A penalty method reaches the optimum only as c grows (the violation is
 * about |lambda| / c): delta 1e-6 with c growing tenfold.
 */
const PENALTY_TIGHT: Partial<SolverSettings> = {
  constraintsTolerance: 1e-6,
  penaltyWeightUpdateFactor: 10,
  maxOuterIterations: 60,
};

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** f = (1/2) sum d_i (u_i - a_i)^2 + its gradient. */
function weightedDistance(d: Float64Array, a: Float64Array) {
  return {
    cost: (u: Float64Array) => {
      let s = 0;
      for (let i = 0; i < u.length; i++) s += 0.5 * d[i] * (u[i] - a[i]) ** 2;
      return s;
    },
    gradient: (u: Float64Array, _p: Float64Array, g: Float64Array) => {
      for (let i = 0; i < u.length; i++) g[i] = d[i] * (u[i] - a[i]);
    },
  };
}

/** Box QPs: the minimizer is clip(a, lo, hi) coordinatewise. */
function boxCases(rng: Random): CorpusCase[] {
  return [2, 3, 5, 8, 12].map((n, k) => {
    const d = Float64Array.from({ length: n }, () => rng.uniform(0.5, 20));
    const a = rng.vector(n, 2);
    const lo = Float64Array.from({ length: n }, () => rng.uniform(-1.5, -0.2));
    const hi = Float64Array.from({ length: n }, () => rng.uniform(0.2, 1.5));
    const uStar = a.map((x, i) => Math.min(hi[i], Math.max(lo[i], x)));
    const f = weightedDistance(d, a);
    return {
      name: `box QP n=${n} #${k}`,
      problem: { nu: n, np: 0, n1: 0, n2: 0, ...f, constraints: new Rectangle(lo, hi) },
      p: [],
      u0: new Array(n).fill(0),
      uStar: Array.from(uStar),
      preconditionable: true,
    };
  });
}

/** k ||u - a||^2 / 2 on Ball2(r): the minimizer is a min(1, r / ||a||). */
function ballCases(rng: Random): CorpusCase[] {
  return [
    [3, 1, 50],
    [4, 2, 0.1],
    [6, 0.5, 3],
  ].map(([n, r, k], j) => {
    const a = rng.vector(n, 1.5);
    const scale = Math.min(1, r / Math.hypot(...a));
    const uStar = a.map((x) => x * scale);
    const f = weightedDistance(new Float64Array(n).fill(k), a);
    return {
      name: `Ball2 projection n=${n} #${j}`,
      problem: { nu: n, np: 0, n1: 0, n2: 0, ...f, constraints: new Ball2(r) },
      p: [],
      u0: new Array(n).fill(0.1),
      uStar: Array.from(uStar),
      preconditionable: true,
    };
  });
}

/**
 * min (1/2) sum d_i u_i^2 + q'u s.t. a'u = b. Stationarity d_i u_i + q_i +
 * lambda a_i = 0 and a'u = b give lambda = -(b + sum a_i q_i / d_i) /
 * sum a_i^2 / d_i, u_i = -(q_i + lambda a_i) / d_i.
 */
function equalityQp(rng: Random, n: number, kind: "alm" | "penalty", k: number): CorpusCase {
  const d = Float64Array.from({ length: n }, () => rng.uniform(0.5, 10));
  const q = rng.vector(n);
  const a = rng.vector(n);
  const b = rng.uniform(-2, 2);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    s1 += (a[i] * q[i]) / d[i];
    s2 += (a[i] * a[i]) / d[i];
  }
  const lambda = -(b + s1) / s2;
  const uStar = Array.from({ length: n }, (_, i) => -(q[i] + lambda * a[i]) / d[i]);
  const cost = (u: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += 0.5 * d[i] * u[i] * u[i] + q[i] * u[i];
    return s;
  };
  const constraint = {
    mapping: (u: Float64Array, _p: Float64Array, out: Float64Array) => {
      out[0] = dot(a, u) - b;
    },
    jacobianTranspose: (_u: Float64Array, _p: Float64Array, v: Float64Array, out: Float64Array) => {
      for (let i = 0; i < n; i++) out[i] = a[i] * v[0];
    },
  };
  const base = {
    nu: n,
    np: 0,
    cost,
    gradient: (u: Float64Array, _p: Float64Array, g: Float64Array) => {
      for (let i = 0; i < n; i++) g[i] = d[i] * u[i] + q[i];
    },
  };
  const problem: AlmProblem =
    kind === "alm"
      ? {
          ...base,
          n1: 1,
          n2: 0,
          mappingF1: constraint.mapping,
          jacobianF1Transpose: constraint.jacobianTranspose,
          almSetC: new Zero(),
        }
      : {
          ...base,
          n1: 0,
          n2: 1,
          mappingF2: constraint.mapping,
          jacobianF2Transpose: constraint.jacobianTranspose,
        };
  return {
    name: `equality QP (${kind}) n=${n} #${k}`,
    problem,
    p: [],
    u0: new Array(n).fill(0),
    uStar,
    // The penalty method needs c ~ |lambda| / delta.
    tight: kind === "penalty" ? PENALTY_TIGHT : {},
    accuracy: kind === "penalty" ? 1e-3 : 1e-5,
    preconditionable: true,
  };
}

/**
 * min ||u - a||^2 / 2 s.t. w'u <= b, either as F1 = w'u - b in the
 * nonpositive orthant (ALM) or as U = the halfspace (PANOC alone): the
 * minimizer is a - max(0, w'a - b) / ||w||^2 w.
 */
function halfspaceCases(rng: Random): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (let k = 0; k < 6; k++) {
    const n = 2 + k;
    const a = rng.vector(n);
    const w = rng.vector(n);
    // Active for even k, inactive for odd k.
    const b = dot(w, a) + (k % 2 === 0 ? -1 : 1) * rng.uniform(0.3, 2);
    const shift = Math.max(0, dot(w, a) - b) / dot(w, w);
    const uStar = Array.from(a, (x, i) => x - shift * w[i]);
    const f = weightedDistance(new Float64Array(n).fill(1), a);
    if (k < 4) {
      cases.push({
        name: `halfspace as F1 in an orthant n=${n} (${k % 2 === 0 ? "active" : "inactive"})`,
        problem: {
          nu: n,
          np: 0,
          n1: 1,
          n2: 0,
          ...f,
          mappingF1: (u, _p, out) => {
            out[0] = dot(w, u) - b;
          },
          jacobianF1Transpose: (_u, _p, v, out) => {
            for (let i = 0; i < n; i++) out[i] = w[i] * v[0];
          },
          almSetC: new Rectangle(null, [0]),
        },
        p: [],
        u0: new Array(n).fill(0),
        uStar,
        preconditionable: true,
      });
    } else {
      cases.push({
        name: `halfspace as U n=${n}`,
        problem: { nu: n, np: 0, n1: 0, n2: 0, ...f, constraints: new Halfspace(w, b) },
        p: [],
        u0: new Array(n).fill(0),
        uStar,
        preconditionable: true,
      });
    }
  }
  return cases;
}

function simplexCases(rng: Random): CorpusCase[] {
  return [4, 7].map((n, k) => {
    const a = rng.vector(n);
    const uStar = Array.from(simplexBySorting(a, 2));
    const f = weightedDistance(new Float64Array(n).fill(3), a);
    return {
      name: `simplex projection n=${n} #${k}`,
      problem: { nu: n, np: 0, n1: 0, n2: 0, ...f, constraints: new Simplex(2) },
      p: [],
      u0: new Array(n).fill(0),
      uStar,
      preconditionable: true,
    };
  });
}

/** f = (1/2) ||u||^2 + sum u with F2 = ||u||^2 - 1: the minimizer is -(1, 1, 1) / sqrt 3. */
function sphereCase(): CorpusCase {
  const s = -1 / Math.sqrt(3);
  return {
    name: "penalty: nearest point of the unit sphere to -(1,1,1)",
    problem: {
      nu: 3,
      np: 0,
      n1: 0,
      n2: 1,
      cost: (u) => 0.5 * dot(u, u) + u[0] + u[1] + u[2],
      gradient: (u, _p, g) => {
        for (let i = 0; i < 3; i++) g[i] = u[i] + 1;
      },
      mappingF2: (u, _p, out) => {
        out[0] = dot(u, u) - 1;
      },
      jacobianF2Transpose: (u, _p, v, out) => {
        for (let i = 0; i < 3; i++) out[i] = 2 * u[i] * v[0];
      },
    },
    p: [],
    u0: [-0.5, -0.2, 0.1],
    uStar: [s, s, s],
    costStar: -1.2320508075688776,
    tight: PENALTY_TIGHT,
    preconditionable: true,
  };
}

/** OpEn 0.12's answers, each checked by the KKT residual of our status. */
function openCases(): CorpusCase[] {
  return [
    // OpEn 0.12, tolerance 1e-8: 39 (b = 100, issue 7 case 1) and 49 (b = 200) iterations.
    ...(
      [
        [100, [0.7864151567171878, 0.6176983092784706]],
        [200, [0.7862834080575781, 0.6178660066821612]],
      ] as const
    ).map(([b, uStar]) => ({
      name: `Rosenbrock b=${b} on Ball2(1) from (-1.5, 0.9)`,
      problem: rosenbrock2d(b),
      p: [],
      u0: [-1.5, 0.9],
      uStar,
      preconditionable: true,
    })),
    {
      // OpEn's test quadratic (its panoc tests), tolerance 1e-9, memory 5.
      name: "OpEn's quadratic on Ball2(0.2)",
      problem: {
        nu: 2,
        np: 0,
        n1: 0,
        n2: 0,
        cost: (u) => 0.5 * (u[0] * u[0] + 2 * u[1] * u[1] + 2 * u[0] * u[1]) + u[0] - u[1] + 3,
        gradient: (u, _p, g) => {
          g[0] = u[0] + u[1] + 1;
          g[1] = 2 * u[1] + u[0] - 1;
        },
        constraints: new Ball2(0.2),
      },
      p: [],
      u0: [0, 0],
      uStar: [-0.14895971825577, 0.13345786727339],
      preconditionable: true,
    },
    {
      // The protocol demo's KKT point (solved to 1e-10, KKT residual 1e-8).
      name: "ALM demo p=(1,10)",
      problem: almDemoProblem(),
      p: [1, 10],
      u0: [0, 0, 0, 0, 0],
      uStar: [0.0913638, 0.1370457, -0.1047198, 0.1008784, 0.0101764],
      costStar: 3.9981356,
      preconditionable: true,
    },
    onlyF2Case(),
  ];
}

/**
 * OpEn's preconditioning test problem (its python/test/test.py, only_f2):
 * Rosenbrock with p = (0.5, 8.5) over Ball2(1.5), F2 = (0.2 + 1.5 u1 - u2,
 * u3 - u4 - 0.1) = 0. OpEn 0.12 reaches cost 1.0353236 (tolerance 1e-6); the
 * optimum is 1.0353310 (issue 7).
 */
export function onlyF2Case(): CorpusCase {
  const problem: AlmProblem = {
    nu: 5,
    np: 2,
    n1: 0,
    n2: 2,
    cost: rosenbrock2dChain,
    gradient: rosenbrockChainGradient,
    constraints: new Ball2(1.5),
    mappingF2: (u, _p, out) => {
      out[0] = 0.2 + 1.5 * u[0] - u[1];
      out[1] = u[2] - u[3] - 0.1;
    },
    jacobianF2Transpose: (_u, _p, w, out) => {
      out[0] = 1.5 * w[0];
      out[1] = -w[0];
      out[2] = w[1];
      out[3] = -w[1];
      out[4] = 0;
    },
  };
  return {
    name: "OpEn's only_f2 (penalty constraints)",
    problem,
    p: [0.5, 8.5],
    u0: [1, 2, 3, 4, 0],
    costStar: 1.035331,
    // OpEn's own settings for this test.
    tight: {
      tolerance: 1e-6,
      constraintsTolerance: 1e-5,
      penaltyWeightUpdateFactor: 10,
      maxInnerIterations: 1000,
    },
    preconditionable: true,
  };
}

function rosenbrock2dChain(u: Float64Array, p: Float64Array): number {
  let f = 0;
  for (let i = 0; i + 1 < u.length; i++) {
    f += p[1] * (u[i + 1] - u[i] * u[i]) ** 2 + (p[0] - u[i]) ** 2;
  }
  return f;
}

function rosenbrockChainGradient(u: Float64Array, p: Float64Array, g: Float64Array): void {
  g.fill(0);
  for (let i = 0; i + 1 < u.length; i++) {
    const d = u[i + 1] - u[i] * u[i];
    g[i] += -4 * p[1] * u[i] * d - 2 * (p[0] - u[i]);
    g[i + 1] += 2 * p[1] * d;
  }
}

/** The whole corpus (deterministic). */
export function corpus(): CorpusCase[] {
  const rng = new Random(20261125);
  return [
    ...boxCases(rng),
    ...ballCases(rng),
    ...[2, 3, 5, 8, 10].map((n, k) => equalityQp(rng, n, "alm", k)),
    ...[2, 4, 6, 9].map((n, k) => equalityQp(rng, n, "penalty", k)),
    ...halfspaceCases(rng),
    ...simplexCases(rng),
    sphereCase(),
    ...openCases(),
  ];
}
