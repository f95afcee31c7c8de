// TF-free numbers about feature-gate weights (the page's reproduction analyses
// import these, so they must not pull TF.js into the main bundle).

/**
 * The mean weight per input dimension over the rows of `weights` ([n, d] row-major).
 */
export function meanFeatureWeight(weights: Float32Array, n: number, d: number): number[] {
  const m = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) m[t] += weights[i * d + t];
  return Array.from(m, (v) => v / Math.max(1, n));
}

/** Pearson correlation of two profiles (e.g. mean feature weight and |w_k|); null where either side is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const n = a.length;
  if (n < 2 || b.length !== n) return null;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  if (!(saa > 1e-300) || !(sbb > 1e-300)) return null;
  return sab / Math.sqrt(saa * sbb);
}
