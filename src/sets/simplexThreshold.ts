/**
 * The threshold tau of the projection onto the simplex {x >= 0, sum x = alpha}:
 * the projection of y is max(y - tau, 0). Condat's method ("Fast projection
 * onto the simplex and the l1 ball", Math. Program. 2016), expected linear
 * time.
 *
 * Reads `y[start, start + n)`; uses `work[0, 2n)` as scratch for its two
 * candidate lists (`work` must not overlap the read range). Allocates nothing.
 */
export function simplexThreshold(
  y: Float64Array,
  start: number,
  n: number,
  alpha: number,
  work: Float64Array,
): number {
  // active list v in work[0, nv); discarded-for-now list in work[n, n + nw)
  let nv = 1;
  let nw = 0;
  work[0] = y[start];
  let rho = y[start] - alpha;
  for (let i = 1; i < n; i++) {
    const yi = y[start + i];
    if (yi <= rho) continue;
    rho += (yi - rho) / (nv + 1);
    if (rho > yi - alpha) {
      work[nv++] = yi;
    } else {
      for (let k = 0; k < nv; k++) work[n + nw++] = work[k];
      work[0] = yi;
      nv = 1;
      rho = yi - alpha;
    }
  }
  for (let k = 0; k < nw; k++) {
    const yk = work[n + k];
    if (yk > rho) {
      work[nv++] = yk;
      rho += (yk - rho) / nv;
    }
  }
  // remove entries below the threshold until none is left (each pass compacts v)
  let removed = true;
  while (removed) {
    removed = false;
    let count = nv;
    let kept = 0;
    for (let k = 0; k < nv; k++) {
      const vk = work[k];
      if (vk <= rho) {
        count--;
        rho += (rho - vk) / count;
        removed = true;
      } else {
        work[kept++] = vk;
      }
    }
    nv = kept;
  }
  return rho;
}
