/** Shared fixtures of the OCP tests: OpEn's getting-started OCP (examples/ocpGettingStarted.ts) written out by hand, and small dense linear algebra. */
import {
  GETTING_STARTED_HORIZON,
  GETTING_STARTED_VALUES,
  gettingStarted,
} from "../../examples/ocpGettingStarted.js";

export { GETTING_STARTED_HORIZON, GETTING_STARTED_VALUES, gettingStarted };

const N = GETTING_STARTED_HORIZON;
const A_PARAM = 0.8;
const X0 = GETTING_STARTED_VALUES.x0;
const { q: Q, r: R } = GETTING_STARTED_VALUES;

/**
 * The getting-started OCP written out by hand (q = 30, r = 1, a = 0.8,
 * xref = 0): states x_0..x_N and their sensitivities S_t = dx_t/du (2 x N).
 */
export function handRollout(u: readonly number[]): { x: number[][]; S: number[][][] } {
  const x = [X0.slice()];
  const S = [[new Array<number>(N).fill(0), new Array<number>(N).fill(0)]];
  for (let t = 0; t < N; t++) {
    const [x1, x2] = x[t];
    x.push([0.98 * Math.sin(x1) + x2, 0.1 * x1 * x1 - 0.5 * x1 + A_PARAM * x2 + u[t]]);
    // dF/dx = [[0.98 cos x1, 1], [0.2 x1 - 0.5, a]], dF/du = (0, 1).
    const [s1, s2] = S[t];
    const a11 = 0.98 * Math.cos(x1);
    const a21 = 0.2 * x1 - 0.5;
    const n1 = s1.map((v, j) => a11 * v + s2[j]);
    const n2 = s1.map((v, j) => a21 * v + A_PARAM * s2[j] + (j === t ? 1 : 0));
    S.push([n1, n2]);
  }
  return { x, S };
}

export function handCost(u: readonly number[]): number {
  const { x } = handRollout(u);
  let J = 0;
  for (let t = 0; t < N; t++) J += Q * (x[t][0] ** 2 + x[t][1] ** 2) + R * u[t] ** 2;
  return J + 100 * (x[N][0] ** 2 + x[N][1] ** 2);
}

/** Solves the square system A x = b by Gaussian elimination with partial pivoting. */
export function solveDense(A: readonly number[][], b: readonly number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(M[i][k]) > Math.abs(M[pivot][k])) pivot = i;
    [M[k], M[pivot]] = [M[pivot], M[k]];
    if (M[k][k] === 0) throw new Error("solveDense: singular matrix");
    for (let i = k + 1; i < n; i++) {
      const f = M[i][k] / M[k][k];
      for (let j = k; j <= n; j++) M[i][j] -= f * M[k][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = M[i][n];
    for (let j = i + 1; j < n; j++) s -= M[i][j] * x[j];
    x[i] = s / M[i][i];
  }
  return x;
}

/** Largest absolute entry of a - b. */
export function maxDiff(a: readonly number[], b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
