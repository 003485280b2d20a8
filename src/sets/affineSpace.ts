import { copyVector } from "./checks.js";
import { CheckedConstraint } from "./constraint.js";

// a pivot of the Cholesky factor of A A^T below this fraction of its diagonal
// entry means that row is (numerically) a combination of the previous ones
const RANK_TOLERANCE = 1e-12;

/**
 * The affine space {x : A x = b}, A an m-by-n matrix of full row rank (m <= n).
 * A A^T is factorized (Cholesky) once when the set is made; a projection is
 * x - A^T (A A^T)^(-1) (A x - b), with preallocated buffers.
 */
export class AffineSpace extends CheckedConstraint {
  protected readonly setName = "AffineSpace";
  /** A, row-major (m * n entries). */
  readonly matrix: Float64Array;
  /** b (m entries). */
  readonly rhs: Float64Array;
  /** The number of rows m. */
  readonly rows: number;
  /** The number of columns n, the dimension of the space. */
  readonly dimension: number;
  // lower-triangular Cholesky factor of A A^T, row-major m * m
  private readonly factor: Float64Array;
  // A x - b, then (A A^T)^(-1) (A x - b)
  private readonly work: Float64Array;

  /**
   * @param A the matrix, as an array of rows or a flat row-major array (of
   *   length m * n, m being the length of `b`)
   * @param b the right-hand side
   */
  constructor(A: ReadonlyArray<ArrayLike<number>> | ArrayLike<number>, b: ArrayLike<number>) {
    super();
    this.rhs = copyVector("AffineSpace", "b", b);
    const m = this.rhs.length;
    this.matrix = AffineSpace.flatten(A, m);
    const n = this.matrix.length / m;
    if (m > n) {
      throw new Error(
        `AffineSpace: A must have full row rank, but it has ${m} rows and only ${n} columns`,
      );
    }
    this.rows = m;
    this.dimension = n;
    this.factor = new Float64Array(m * m);
    this.work = new Float64Array(m);
    this.factorize();
  }

  private static flatten(A: ReadonlyArray<ArrayLike<number>> | ArrayLike<number>, m: number) {
    if (A == null || typeof A.length !== "number") {
      throw new Error("AffineSpace: A must be an array of rows or a flat array of numbers");
    }
    const first = A[0];
    if (A.length > 0 && first != null && typeof first === "object") {
      const rows = A as ReadonlyArray<ArrayLike<number>>;
      if (rows.length !== m) {
        throw new Error(`AffineSpace: A has ${rows.length} rows but b has length ${m}`);
      }
      const n = rows[0].length;
      const flat = new Float64Array(m * n);
      for (let i = 0; i < m; i++) {
        if (rows[i] == null || rows[i].length !== n) {
          throw new Error(`AffineSpace: row ${i} of A must have length ${n}`);
        }
        flat.set(copyVector("AffineSpace", `A[${i}]`, rows[i]), i * n);
      }
      return flat;
    }
    const flat = copyVector("AffineSpace", "A", A as ArrayLike<number>);
    if (flat.length % m !== 0) {
      throw new Error(
        `AffineSpace: flat A has ${flat.length} entries, not a multiple of the ${m} rows of b`,
      );
    }
    return flat;
  }

  private factorize(): void {
    const m = this.rows;
    const n = this.dimension;
    const A = this.matrix;
    const L = this.factor;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k < n; k++) g += A[i * n + k] * A[j * n + k];
        if (i === j) {
          let d = g;
          for (let k = 0; k < j; k++) d -= L[i * m + k] * L[i * m + k];
          if (!(d > RANK_TOLERANCE * g)) {
            throw new Error(
              `AffineSpace: A must have full row rank, but row ${i} is (numerically) a combination of the rows before it`,
            );
          }
          L[i * m + i] = Math.sqrt(d);
        } else {
          let s = g;
          for (let k = 0; k < j; k++) s -= L[i * m + k] * L[j * m + k];
          L[i * m + j] = s / L[j * m + j];
        }
      }
    }
  }

  /** Projects `x[start, end)` onto the affine space. */
  projectUnchecked(x: Float64Array, start: number, _end: number): void {
    const m = this.rows;
    const n = this.dimension;
    const A = this.matrix;
    const L = this.factor;
    const w = this.work;
    for (let i = 0; i < m; i++) {
      let s = -this.rhs[i];
      for (let k = 0; k < n; k++) s += A[i * n + k] * x[start + k];
      w[i] = s;
    }
    for (let i = 0; i < m; i++) {
      let s = w[i];
      for (let k = 0; k < i; k++) s -= L[i * m + k] * w[k];
      w[i] = s / L[i * m + i];
    }
    for (let i = m - 1; i >= 0; i--) {
      let s = w[i];
      for (let k = i + 1; k < m; k++) s -= L[k * m + i] * w[k];
      w[i] = s / L[i * m + i];
    }
    for (let i = 0; i < m; i++) {
      const wi = w[i];
      for (let k = 0; k < n; k++) x[start + k] -= A[i * n + k] * wi;
    }
  }

  isConvex(): boolean {
    return true;
  }

  /** True when A is square (the space is a single point). */
  isCompact(): boolean {
    return this.rows === this.dimension;
  }
}
