// Synthetic correlated tasks (SPEC §1, MMoE paper §3.2), generalised to K tasks:
//   R = correlationMatrix ?? (p off the diagonal),  L = cholesky(R),
//   u_1..u_K orthonormal in R^d,  w_k = c·Σ_j L_kj·u_j  → cos(w_i, w_k) = R_ik, ||w_k|| = c,
//   x ~ N(0, I_d),  y_k = w_kᵀx + Σ_j sin(α_j·w_kᵀx + β_j) + ε_k,  ε_k ~ N(0, σ²) (σ = noiseStd).
// Pure TypeScript: runs in Node, Vitest and the training worker.
import type { DataConfig, TaskType } from '../config/schema';
import type { Dataset, Split } from '../types';
import { fillNormal } from './gaussian';
import { cholesky, uniformCorrelation } from './linalg';
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
 * K weight vectors in R^d with cos(w_i, w_k) = R_ik and ||w_k|| = c.
 * Orthonormal u_k by (twice-applied) modified Gram–Schmidt on Gaussian vectors.
 */
export function taskWeights(R: number[][], d: number, c: number, rng: Rng): Float64Array[] {
  const K = R.length;
  if (K > d) throw new DataError(`need at least as many input dimensions as tasks (d = ${d} < K = ${K})`);
  const L = cholesky(R);
  if (!L) throw new DataError('correlation matrix is not positive semi-definite: no set of tasks can have these correlations');
  const u: Float64Array[] = [];
  while (u.length < K) {
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
  const R = requestedCorrelation(cfg);

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

  const w = taskWeights(R, d, cfg.scale, new Rng(weightSeed));
  const sineRng = new Rng(sineSeed);
  const m = cfg.numSines;
  const alpha = new Float64Array(m);
  const beta = new Float64Array(m);
  for (let j = 0; j < m; j++) alpha[j] = sineRng.normal();
  for (let j = 0; j < m; j++) beta[j] = sineRng.normal();

  const raw = [cfg.nTrain, cfg.nVal, cfg.nTest].map((n, s) => rawSplit(n, d, w, alpha, beta, cfg.noiseStd, splitSeeds[s]));

  // Thresholds come from the TRAIN targets only and are reused for val/test.
  const median = Array.from({ length: K }, (_, k) => columnMedian(raw[0].yRaw, K, k));
  // Regression targets standardised with the TRAIN split's mean and std (SPEC §1):
  // the label variance otherwise ranges ~0.7–6.5 between seeds and one MSE dominates the joint loss.
  const targetScale = taskTypes.map((t, k) =>
    t === 'regression' && cfg.standardizeTargets !== false ? columnMeanStd(raw[0].yRaw, K, k) : { mean: 0, std: 1 },
  );
  const [train, val, test] = raw.map((r) => finishSplit(r, K, taskTypes, median, targetScale, cfg));

  const weightCosine = w.map((a) => w.map((b) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b))));
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
    observedFraction,
    positiveRate,
    targetScale,
    functions: { w: w.map((v) => Array.from(v)), alpha: Array.from(alpha), beta: Array.from(beta) },
  };
}

interface RawSplit {
  n: number;
  x: Float32Array;
  yRaw: Float32Array;
  labelSeed: number;
}

function rawSplit(
  n: number,
  d: number,
  w: Float64Array[],
  alpha: Float64Array,
  beta: Float64Array,
  sigma: number,
  seed: number,
): RawSplit {
  const K = w.length;
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
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let k = 0; k < K; k++) {
      // Project the float32 x the model will see, so yRaw is a function of it.
      const wk = w[k];
      let z = 0;
      for (let t = 0; t < d; t++) z += wk[t] * x[off + t];
      let y = z;
      for (let j = 0; j < m; j++) y += Math.sin(alpha[j] * z + beta[j]);
      yRaw[i * K + k] = y + sigma * noise[i * K + k];
    }
  }
  return { n, x, yRaw, labelSeed };
}

function finishSplit(r: RawSplit, K: number, types: TaskType[], median: number[], scale: { mean: number; std: number }[], cfg: DataConfig): Split {
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
        // 'median': 1 above the train median. 'bernoulli': Bernoulli(sigmoid((y − median)/T)),
        // centred at the train median (not at 0) so both classes stay ~50%.
        y[idx] = cfg.binaryLabel === 'median' ? (aboveMedian ? 1 : 0) : u < sigmoid((v - median[k]) / cfg.temperature) ? 1 : 0;
      } else y[idx] = (v - scale[k].mean) / scale[k].std;
      mask[idx] = observed;
      // Chain: task k+1 is observed only where task k is observed and positive
      // (binary label 1; a regression target counts as positive above the train median).
      if (cfg.chain) observed = observed === 1 && (types[k] === 'binary' ? y[idx] === 1 : aboveMedian) ? 1 : 0;
    }
  }
  return { n, x: r.x, y, yRaw, mask };
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
