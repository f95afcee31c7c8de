// The regional generator's correlation checks (SPEC §1, "Sample-dependent task
// relationships"), shared by the config schema and the generator. No zod here.
import { isPositiveSemiDefinite, uniformCorrelation } from './linalg';

/**
 * Readable problems of data.regionCorrelations for K tasks: shape, unit diagonal,
 * symmetry, positive semi-definiteness; regions are named 1 (rᵀx ≤ 0) and 2 (rᵀx > 0).
 * Shared by the schema and the generator.
 */
export function regionCorrelationIssues(rc: readonly (number | number[][])[], K: number): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  rc.forEach((entry, j) => {
    const name = `region ${j + 1} (rᵀx ${j === 0 ? '≤' : '>'} 0)`;
    if (typeof entry === 'number') {
      if (K > 1 && entry < -1 / (K - 1) - 1e-12)
        issues.push({
          path: [j],
          message: `region ${j + 1} correlation ${entry} is impossible for ${K} tasks (must be ≥ ${(-1 / (K - 1)).toFixed(3)}): the matrix is not positive semi-definite`,
        });
      return;
    }
    const m = entry;
    if (m.length !== K || m.some((row) => row.length !== K)) {
      issues.push({ path: [j], message: `${name} correlation matrix must be ${K}×${K} for ${K} tasks` });
      return;
    }
    let shapeOk = true;
    for (let i = 0; i < K; i++) {
      if (Math.abs(m[i][i] - 1) > 1e-9) {
        issues.push({ path: [j, i, i], message: `${name} correlation matrix diagonal must be 1` });
        shapeOk = false;
      }
      for (let k = 0; k < i; k++)
        if (Math.abs(m[i][k] - m[k][i]) > 1e-9) {
          issues.push({ path: [j, i, k], message: `${name} correlation matrix must be symmetric (entry ${i + 1},${k + 1} ≠ ${k + 1},${i + 1})` });
          shapeOk = false;
        }
    }
    if (shapeOk && !isPositiveSemiDefinite(m))
      issues.push({ path: [j], message: `${name} correlation matrix is not positive semi-definite: no set of tasks can have these correlations` });
  });
  return issues;
}

/** The K×K target matrix of each region (a number p → p off the diagonal); no checks. */
export function regionMatrices(rc: readonly (number | number[][])[], K: number): number[][][] {
  return rc.map((e) => (typeof e === 'number' ? uniformCorrelation(K, e) : e.map((row) => [...row])));
}
