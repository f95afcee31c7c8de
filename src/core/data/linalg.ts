// Small dense linear algebra on plain arrays (K ≤ 6, d ≤ 1024): no TF.js needed.

/**
 * Cholesky factor L (lower triangular, R = L·Lᵀ) of a symmetric positive
 * semi-definite matrix. Semi-definite matrices (e.g. p = 1) are allowed: a zero
 * pivot gives a zero column. Returns null when R is not PSD.
 */
export function cholesky(R: number[][], tol = 1e-9): number[][] | null {
  const n = R.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = R[j][j];
    for (let k = 0; k < j; k++) d -= L[j][k] * L[j][k];
    if (d < -tol) return null;
    const ljj = d > tol ? Math.sqrt(d) : 0;
    L[j][j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = R[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (ljj === 0) {
        // Zero pivot: column j must be (numerically) zero for R to be PSD.
        if (Math.abs(s) > 1e-6) return null;
        L[i][j] = 0;
      } else L[i][j] = s / ljj;
    }
  }
  return L;
}

export function isPositiveSemiDefinite(R: number[][]): boolean {
  return cholesky(R) !== null;
}

/** K×K matrix with unit diagonal and p everywhere else. */
export function uniformCorrelation(K: number, p: number): number[][] {
  return Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => (i === j ? 1 : p)));
}

/** Cosine of two vectors; 0 when either is all zeros (a task whose gradient vanished). */
export function cosine(u: ArrayLike<number>, v: ArrayLike<number>): number {
  let uv = 0;
  let uu = 0;
  let vv = 0;
  for (let i = 0; i < u.length; i++) {
    uv += u[i] * v[i];
    uu += u[i] * u[i];
    vv += v[i] * v[i];
  }
  const d = Math.sqrt(uu * vv);
  return d > 0 ? uv / d : 0;
}
