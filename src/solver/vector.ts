/**
 * Copies the first n entries of src into dst. For the short vectors of
 * embedded problems a plain loop is several times faster than
 * `Float64Array.prototype.set`, whose fixed call cost dominates.
 */
export function copyVector(dst: Float64Array, src: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) dst[i] = src[i];
}
