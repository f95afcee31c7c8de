// Synthetic correlated tasks (SPEC §1, MMoE paper §3.2), generalised to K tasks:
//   R = correlationMatrix ?? (p off the diagonal),  L = cholesky(R),
//   u_1..u_K orthonormal in R^d,  w_k = c·Σ_j L_kj·u_j  → cos(w_i, w_k) = R_ik, ||w_k|| = c,
//   x ~ N(0, I_d),  y_k = w_kᵀx + s·Σ_j sin(α_j·w_kᵀx + β_j) + ε_k,  ε_k ~ N(0, σ²) (σ = noiseStd,
//   s = sineScale; s = 1 is the paper's generator).
// Regional mode (data.relationship = "regional", SPEC §1 "Sample-dependent task relationships",
// PLE §3 "complex correlation"): K + 1 orthonormal vectors by the same Gram–Schmidt, u_1..u_K
// and a hidden unit direction r = u_{K+1} orthogonal to them; row x is in region 0 where rᵀx ≤ 0
// and region 1 where rᵀx > 0, and region j has its own R^(j) (regionCorrelations[j]):
//   w_k^(j) = c·Σ_i L^(j)_ki·u_i  (the SAME u's: w_1^(j) = c·u_1 in both regions),
//   y_k = w_k^(j)ᵀx + s·Σ_m sin(α_m·w_k^(j)ᵀx + β_m) + ε_k  with j = region(x).
// Global mode draws exactly the random numbers it always drew, in the same order.
// Pure TypeScript: runs in Node, Vitest and the training worker.
import type { DataConfig, TaskType } from '../config/schema';
import type { Dataset, Split } from '../types';
import { fillNormal } from './gaussian';
import { auc } from '../train/metrics';
import { cholesky, uniformCorrelation } from './linalg';
import { regionCorrelationIssues, regionMatrices } from './regions';
import { Rng } from './rng';

export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

/** The target correlation matrix R of a config, checked for shape, diagonal and symmetry. */
export function requestedCorrelation(cfg: Pick<DataConfig, 'tasks' | 'correlation' | 'correlationMatrix'>): number[][] {
  const K = cfg.tasks.length;
  if (!cfg.correlationMatrix) return uniformCorrelation(K, cfg.correlation);
  const R = cfg.correlationMatrix.map((row) => [...row]);
  if (R.length !== K || R.some((row) => row.length !== K))
    throw new DataError(`correlation matrix must be ${K}×${K} for ${K} tasks`);
  for (let i = 0; i < K; i++) {
    if (Math.abs(R[i][i] - 1) > 1e-9) throw new DataError('correlation matrix diagonal must be 1');
    for (let j = 0; j < i; j++)
      if (Math.abs(R[i][j] - R[j][i]) > 1e-9) throw new DataError('correlation matrix must be symmetric');
  }
  return R;
}

/**
 * The two regions' target matrices of a regional config, checked (shape, diagonal,
 * symmetry, PSD) with messages that name the region.
 */
export function requestedRegionCorrelations(cfg: Pick<DataConfig, 'tasks' | 'regionCorrelations'>): number[][][] {
  const K = cfg.tasks.length;
  const rc = cfg.regionCorrelations ?? [0.9, -0.6];
  if (rc.length !== 2) throw new DataError(`region correlations: give exactly 2 (region 1: rᵀx ≤ 0, region 2: rᵀx > 0), got ${rc.length}`);
  const issues = regionCorrelationIssues(rc, K);
  if (issues.length > 0) throw new DataError(issues.map((i) => i.message).join('; '));
  return regionMatrices(rc, K);
}

/**
 * K weight vectors in R^d with cos(w_i, w_k) = R_ik and ||w_k|| = c.
 * Orthonormal u_k by (twice-applied) modified Gram–Schmidt on Gaussian vectors.
 */
export function taskWeights(R: number[][], d: number, c: number, rng: Rng, support: number | null = null): Float64Array[] {
  const K = R.length;
  if (K > d) throw new DataError(`need at least as many input dimensions as tasks (d = ${d} < K = ${K})`);
  if (support !== null && support * K > d) throw new DataError(`feature support ${support} × ${K} tasks needs ${support * K} input dimensions, but d = ${d}`);
  const L = cholesky(R);
  if (!L) throw new DataError('correlation matrix is not positive semi-definite: no set of tasks can have these correlations');
  return combine(L, support === null ? orthonormal(K, d, rng) : blockOrthonormal(K, d, support, rng), c);
}

/**
 * Sparse task features: u_k is a Gaussian draw on its own block of `support`
 * dimensions (k·support … (k+1)·support − 1), normalised; disjoint blocks
 * make the u_k orthonormal without Gram–Schmidt.
 */
function blockOrthonormal(count: number, d: number, support: number, rng: Rng): Float64Array[] {
  return Array.from({ length: count }, (_, k) => {
    const v = new Float64Array(d);
    let ss = 0;
    for (let i = k * support; i < (k + 1) * support; i++) {
      v[i] = rng.normal();
      ss += v[i] * v[i];
    }
    const norm = Math.sqrt(ss) || 1;
    for (let i = 0; i < d; i++) v[i] /= norm;
    return v;
  });
}

/**
 * The regional generator's task functions: K + 1 orthonormal vectors (the same
 * draws as taskWeights' K, then one more: r), and per region w_k^(j) = c·Σ_i L^(j)_ki·u_i.
 */
export function regionalTaskWeights(Rs: number[][][], d: number, c: number, rng: Rng): { r: Float64Array; w: Float64Array[][] } {
  const K = Rs[0].length;
  if (K + 1 > d)
    throw new DataError(`the regional generator needs at least ${K + 1} input dimensions for ${K} tasks (the task directions and r), got d = ${d}`);
  const Ls = Rs.map((R, j) => {
    const L = cholesky(R);
    if (!L) throw new DataError(`region ${j + 1} (rᵀx ${j === 0 ? '≤' : '>'} 0) correlation matrix is not positive semi-definite: no set of tasks can have these correlations`);
    return L;
  });
  const u = orthonormal(K + 1, d, rng);
  return { r: u[K], w: Ls.map((L) => combine(L, u, c)) };
}

/** `count` orthonormal vectors in R^d: Gaussian draws, modified Gram–Schmidt applied twice. */
function orthonormal(count: number, d: number, rng: Rng): Float64Array[] {
  const u: Float64Array[] = [];
  while (u.length < count) {
    const v = new Float64Array(d);
    for (let i = 0; i < d; i++) v[i] = rng.normal();
    const before = Math.sqrt(dot(v, v));
    for (let pass = 0; pass < 2; pass++)
      for (const q of u) {
        const s = dot(v, q);
        for (let i = 0; i < d; i++) v[i] -= s * q[i];
      }
    const norm = Math.sqrt(dot(v, v));
    if (norm < 1e-8 * before) continue; // numerically dependent draw: redraw
    for (let i = 0; i < d; i++) v[i] /= norm;
    u.push(v);
  }
  return u;
}

/** w_k = c·Σ_{j ≤ k} L_kj·u_j for the K rows of L (u may hold more vectors than K). */
function combine(L: number[][], u: Float64Array[], c: number): Float64Array[] {
  const K = L.length;
  const d = u[0].length;
  return Array.from({ length: K }, (_, k) => {
    const w = new Float64Array(d);
    for (let j = 0; j <= k; j++) {
      const a = c * L[k][j];
      if (a !== 0) for (let i = 0; i < d; i++) w[i] += a * u[j][i];
    }
    return w;
  });
}

export function generateDataset(cfg: DataConfig): Dataset {
  const K = cfg.tasks.length;
  const d = cfg.inputDim;
  const taskTypes: TaskType[] = cfg.tasks.map((t) => t.type);
  const regional = cfg.relationship === 'regional';
  const regionR = regional ? requestedRegionCorrelations(cfg) : [];
  const R = regional ? meanMatrix(regionR) : requestedCorrelation(cfg);
  const sineScale = cfg.sineScale ?? 1;

  // One independent stream per concern, forked in a fixed order, so that e.g.
  // changing nTest leaves the training rows alone and changing K leaves x alone.
  const root = new Rng(cfg.seed);
  let weightSeed = root.fork();
  let sineSeed = root.fork();
  const splitSeeds = [root.fork(), root.fork(), root.fork()];
  // A task seed fixes the task functions (u, α, β) on their own; the data seed
  // then draws only the samples (the same samples as without a task seed).
  if (cfg.taskSeed !== null && cfg.taskSeed !== undefined) {
    const tasks = new Rng(cfg.taskSeed);
    weightSeed = tasks.fork();
    sineSeed = tasks.fork();
  }

  // Regional mode draws u_1..u_K exactly as global mode does, then r: the samples,
  // α and β are the same draws in both modes.
  const regionalW = regional ? regionalTaskWeights(regionR, d, cfg.scale, new Rng(weightSeed)) : null;
  const wByRegion = regionalW ? regionalW.w : [taskWeights(R, d, cfg.scale, new Rng(weightSeed), cfg.featureSupport ?? null)];
  const w = wByRegion[0];
  const sineRng = new Rng(sineSeed);
  const m = cfg.numSines;
  const alpha = new Float64Array(m);
  const beta = new Float64Array(m);
  for (let j = 0; j < m; j++) alpha[j] = sineRng.normal();
  for (let j = 0; j < m; j++) beta[j] = sineRng.normal();

  const fn: TaskFunctions = { w: wByRegion, r: regionalW?.r ?? null, alpha, beta, sineScale };
  const raw = [cfg.nTrain, cfg.nVal, cfg.nTest].map((n, s) => rawSplit(n, d, fn, cfg.noiseStd, splitSeeds[s]));

  // Thresholds come from the TRAIN targets only and are reused for val/test.
  const median = Array.from({ length: K }, (_, k) => columnMedian(raw[0].yRaw, K, k));
  // Regression targets standardised with the TRAIN split's mean and std (SPEC §1):
  // the label variance otherwise ranges ~0.7–6.5 between seeds and one MSE dominates the joint loss.
  const standardize = cfg.standardizeTargets !== false;
  const targetScale = taskTypes.map((t, k) => (t === 'regression' && standardize ? columnMeanStd(raw[0].yRaw, K, k) : { mean: 0, std: 1 }));
  // Bernoulli temperature unit of a binary task: the train std of its raw target when
  // targets are standardised (T is then on the standardised scale), else 1 (T on the raw scale).
  const labelUnit = taskTypes.map((t, k) => (t === 'binary' && standardize ? columnMeanStd(raw[0].yRaw, K, k).std : 1));
  const [train, val, test] = raw.map((r) => finishSplit(r, K, taskTypes, median, targetScale, labelUnit, standardize, cfg));

  const cosines = (ws: Float64Array[]) => ws.map((a) => ws.map((b) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b))));
  const weightCosine = regional ? meanMatrix(wByRegion.map(cosines)) : cosines(w);
  const observedFraction = Array.from({ length: K }, (_, k) => {
    let s = 0;
    for (let i = 0; i < train.n; i++) s += train.mask[i * K + k];
    return s / train.n;
  });
  // Positive rate among the rows where the task is observed (e.g. conversions per click).
  const positiveRate = taskTypes.map((t, k) => {
    if (t !== 'binary') return NaN;
    let obs = 0;
    let pos = 0;
    for (let i = 0; i < train.n; i++)
      if (train.mask[i * K + k] === 1) {
        obs++;
        pos += train.y[i * K + k];
      }
    return obs > 0 ? pos / obs : NaN;
  });
  // The ceiling of a binary task: the noise-free target f(x) ranks the observed test rows.
  const clean = raw[2].clean;
  const oracleAuc = taskTypes.map((t, k) => {
    if (t !== 'binary') return NaN;
    const col = (a: ArrayLike<number>) => Float64Array.from({ length: test.n }, (_, i) => a[i * K + k]);
    return auc(col(clean), col(test.y), col(test.mask));
  });

  const regionFraction: number[] = [];
  const regionLabelCorrelation: number[][][] = [];
  if (regional) {
    const region = train.region as Uint8Array;
    for (let j = 0; j < 2; j++) {
      let nj = 0;
      for (let i = 0; i < train.n; i++) if (region[i] === j) nj++;
      const sub = new Float32Array(nj * K);
      for (let i = 0, t = 0; i < train.n; i++) if (region[i] === j) sub.set(train.yRaw.subarray(i * K, (i + 1) * K), K * t++);
      regionFraction.push(nj / train.n);
      regionLabelCorrelation.push(nj >= 2 ? columnCorrelation(sub, nj, K) : uniformCorrelation(K, NaN));
    }
  }

  const rows = (ws: Float64Array[]) => ws.map((v) => Array.from(v));
  return {
    d,
    K,
    taskTypes,
    train,
    val,
    test,
    requested: R,
    weightCosine,
    labelCorrelation: columnCorrelation(train.yRaw, train.n, K),
    regionRequested: regionR,
    regionFraction,
    regionLabelCorrelation,
    oracleAuc,
    observedFraction,
    positiveRate,
    targetScale,
    functions: {
      w: rows(w),
      alpha: Array.from(alpha),
      beta: Array.from(beta),
      ...(regionalW ? { r: Array.from(regionalW.r), regionW: regionalW.w.map(rows) } : {}),
    },
  };
}

/** Element-wise mean of equally shaped matrices. */
function meanMatrix(ms: number[][][]): number[][] {
  return ms[0].map((row, i) => row.map((_, k) => ms.reduce((acc, M) => acc + M[i][k], 0) / ms.length));
}

interface TaskFunctions {
  /** Per region (one in global mode): the K weight vectors. */
  w: Float64Array[][];
  /** The hidden region direction (regional mode), else null. */
  r: Float64Array | null;
  alpha: Float64Array;
  beta: Float64Array;
  sineScale: number;
}

interface RawSplit {
  n: number;
  x: Float32Array;
  yRaw: Float32Array;
  /** [n, K] the noise-free target f(x) (before ε), for the oracle AUC. */
  clean: Float64Array;
  region: Uint8Array;
  labelSeed: number;
}

function rawSplit(n: number, d: number, fn: TaskFunctions, sigma: number, seed: number): RawSplit {
  const K = fn.w[0].length;
  const { alpha, beta, sineScale: s } = fn;
  const m = alpha.length;
  const r = new Rng(seed);
  const xRng = new Rng(r.fork());
  const noiseRng = new Rng(r.fork());
  const labelSeed = r.fork();
  const x = new Float32Array(n * d);
  fillNormal(() => xRng.uniform(), x);
  const noise = new Float64Array(n * K);
  fillNormal(() => noiseRng.uniform(), noise);
  const yRaw = new Float32Array(n * K);
  const clean = new Float64Array(n * K);
  const region = new Uint8Array(n);
  const dir = fn.r;
  for (let i = 0; i < n; i++) {
    const off = i * d;
    let j = 0;
    if (dir) {
      let h = 0;
      for (let t = 0; t < d; t++) h += dir[t] * x[off + t];
      j = h > 0 ? 1 : 0;
    }
    region[i] = j;
    const w = fn.w[j];
    for (let k = 0; k < K; k++) {
      // Project the float32 x the model will see, so yRaw is a function of it.
      const wk = w[k];
      let z = 0;
      for (let t = 0; t < d; t++) z += wk[t] * x[off + t];
      let y = z;
      // s = 1 multiplies exactly: the paper's generator to the last bit.
      for (let q = 0; q < m; q++) y += s * Math.sin(alpha[q] * z + beta[q]);
      clean[i * K + k] = y;
      yRaw[i * K + k] = y + sigma * noise[i * K + k];
    }
  }
  return { n, x, yRaw, clean, region, labelSeed };
}

function finishSplit(
  r: RawSplit,
  K: number,
  types: TaskType[],
  median: number[],
  scale: { mean: number; std: number }[],
  labelUnit: number[],
  standardize: boolean,
  cfg: DataConfig,
): Split {
  const { n, yRaw } = r;
  const y = new Float32Array(n * K);
  const mask = new Float32Array(n * K);
  const labelRng = new Rng(r.labelSeed);
  for (let i = 0; i < n; i++) {
    let observed = 1;
    for (let k = 0; k < K; k++) {
      const idx = i * K + k;
      const v = yRaw[idx];
      // One uniform per (row, task) whatever the task type, so a task's labels
      // do not change when another task's type changes.
      const u = labelRng.uniform();
      const aboveMedian = v > median[k];
      if (types[k] === 'binary') {
        // 'median': 1 above the train median. 'bernoulli': Bernoulli(sigmoid((v − median)/(std·T)))
        // with std the TRAIN std of the raw target v when targets are standardised (so T is on
        // the standardised scale, SPEC §1 "Binary tasks that are not saturated": T = 0.4 →
        // single-task AUC ≈ 0.83), else the raw-scale Bernoulli(sigmoid((v − median)/T)).
        // Centred at the train median (not at 0) so both classes stay ~50%.
        const logit = standardize ? (v - median[k]) / (labelUnit[k] * cfg.temperature) : (v - median[k]) / cfg.temperature;
        y[idx] = cfg.binaryLabel === 'median' ? (aboveMedian ? 1 : 0) : u < sigmoid(logit) ? 1 : 0;
      } else y[idx] = (v - scale[k].mean) / scale[k].std;
      mask[idx] = observed;
      // Chain: task k+1 is observed only where task k is observed and positive
      // (binary label 1; a regression target counts as positive above the train median).
      if (cfg.chain) observed = observed === 1 && (types[k] === 'binary' ? y[idx] === 1 : aboveMedian) ? 1 : 0;
    }
  }
  return { n, x: r.x, y, yRaw, mask, region: r.region };
}

/** Mean and (population) std of one column; std 1 for a constant column. */
function columnMeanStd(a: Float32Array, K: number, k: number): { mean: number; std: number } {
  const n = a.length / K;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += a[i * K + k];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (a[i * K + k] - mean) ** 2;
  const std = Math.sqrt(ss / n);
  return { mean, std: std > 0 ? std : 1 };
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function columnMedian(a: Float32Array, K: number, k: number): number {
  const n = a.length / K;
  const col = new Float64Array(n);
  for (let i = 0; i < n; i++) col[i] = a[i * K + k];
  col.sort();
  return n % 2 === 1 ? col[(n - 1) / 2] : (col[n / 2 - 1] + col[n / 2]) / 2;
}

/** Pearson correlation between the K columns of a row-major [n, K] array. */
function columnCorrelation(a: Float32Array, n: number, K: number): number[][] {
  const mean = new Float64Array(K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) mean[k] += a[i * K + k];
  for (let k = 0; k < K; k++) mean[k] /= n;
  const cov = Array.from({ length: K }, () => new Float64Array(K));
  for (let i = 0; i < n; i++)
    for (let k = 0; k < K; k++) {
      const dk = a[i * K + k] - mean[k];
      for (let l = 0; l <= k; l++) cov[k][l] += dk * (a[i * K + l] - mean[l]);
    }
  return Array.from({ length: K }, (_, i) =>
    Array.from({ length: K }, (_, j) => {
      const c = i >= j ? cov[i][j] : cov[j][i];
      return c / Math.sqrt(cov[i][i] * cov[j][j]);
    }),
  );
}
