import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataSchema, parseExperiment, type DataConfig } from '../config/schema';
import { auc } from '../train/metrics';
import type { Dataset } from '../types';
import { fillNormal } from './gaussian';
import { DataError, generateDataset, requestedRegionCorrelations, taskWeights } from './generator';
import { uniformCorrelation } from './linalg';
import { Rng } from './rng';

const cfg = (over: Partial<DataConfig> = {}): DataConfig => ({ ...DataSchema.parse({}), ...over });
const reg = (K: number) => Array.from({ length: K }, () => ({ type: 'regression' as const }));
const bin = (K: number) => Array.from({ length: K }, () => ({ type: 'binary' as const }));

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const cos = (a: ArrayLike<number>, b: ArrayLike<number>) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const same = (a: Float32Array, b: Float32Array) => bytes(a).equals(bytes(b));
const column = (a: Float32Array, K: number, k: number) => Float64Array.from({ length: a.length / K }, (_, i) => a[i * K + k]);
const variance = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m += a[i];
  m /= a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i] - m) ** 2;
  return v / a.length;
};

/** Least-squares w from (x, y) by the normal equations (small d): recovers w_k when m = 0. */
function leastSquares(x: Float32Array, y: Float64Array, d: number): Float64Array {
  const n = y.length;
  const A = Array.from({ length: d }, () => new Float64Array(d + 1));
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) {
      const xa = x[i * d + a];
      for (let b = 0; b < d; b++) A[a][b] += xa * x[i * d + b];
      A[a][d] += xa * y[i];
    }
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let t = c; t <= d; t++) A[r][t] -= f * A[c][t];
    }
  }
  return Float64Array.from({ length: d }, (_, a) => A[a][d] / A[a][a]);
}

describe('task weight vectors', () => {
  it('cos(w_i, w_k) equals the requested p and ||w_k|| = c', () => {
    for (const p of [1, 0.9, 0.5, 0, -0.3]) {
      const w = taskWeights(uniformCorrelation(2, p), 100, 3, new Rng(7));
      expect(cos(w[0], w[1])).toBeCloseTo(p, 9);
      for (const wk of w) expect(Math.sqrt(dot(wk, wk))).toBeCloseTo(3, 9);
    }
  });

  it('reproduces a full 3×3 correlation matrix', () => {
    const R = [
      [1, 0.8, 0.2],
      [0.8, 1, -0.4],
      [0.2, -0.4, 1],
    ];
    const w = taskWeights(R, 20, 1.5, new Rng(3));
    for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) expect(Math.abs(cos(w[i], w[k]) - R[i][k])).toBeLessThan(1e-9);
    const ds = generateDataset(cfg({ tasks: reg(3), correlationMatrix: R, inputDim: 20, scale: 1.5 }));
    for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) expect(Math.abs(ds.weightCosine[i][k] - R[i][k])).toBeLessThan(1e-6);
    expect(ds.requested).toEqual(R);
  });

  it('the generated targets really use those w (least-squares recovery with m = 0, σ = 0)', () => {
    const d = 8;
    const c = 2;
    const p = 0.6;
    const ds = generateDataset(cfg({ inputDim: d, scale: c, correlation: p, numSines: 0, noiseStd: 0, nTrain: 400 }));
    const w = [0, 1].map((k) => leastSquares(ds.train.x, column(ds.train.yRaw, 2, k), d));
    expect(Math.abs(cos(w[0], w[1]) - p)).toBeLessThan(1e-4);
    for (const wk of w) expect(Math.abs(Math.sqrt(dot(wk, wk)) - c)).toBeLessThan(1e-4);
    // Without sines and noise the label correlation is exactly cos(w1, w2) in expectation.
    expect(Math.abs(ds.labelCorrelation[0][1] - p)).toBeLessThan(0.1);
  });

  it('K = d is allowed, K > d is rejected', () => {
    expect(() => generateDataset(cfg({ tasks: reg(3), inputDim: 3, nTrain: 64 }))).not.toThrow();
    expect(() => generateDataset(cfg({ tasks: reg(3), inputDim: 2, nTrain: 64 }))).toThrow(DataError);
  });
});

describe('correlation matrix validation', () => {
  it('rejects a matrix that is not positive semi-definite', () => {
    const bad = [
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ];
    expect(() => generateDataset(cfg({ tasks: reg(3), correlationMatrix: bad }))).toThrow(/positive semi-definite/);
    expect(() => generateDataset(cfg({ tasks: reg(3), correlationMatrix: bad }))).toThrow(DataError);
    // p = −0.6 is impossible for 3 tasks (must be ≥ −1/2).
    expect(() => generateDataset(cfg({ tasks: reg(3), correlation: -0.6 }))).toThrow(/positive semi-definite/);
  });

  it('rejects a wrong shape, a non-unit diagonal and an asymmetric matrix', () => {
    expect(() => generateDataset(cfg({ correlationMatrix: [[1, 0.5, 0], [0.5, 1, 0], [0, 0, 1]] }))).toThrow(/2×2/);
    expect(() => generateDataset(cfg({ correlationMatrix: [[2, 0.5], [0.5, 1]] }))).toThrow(/diagonal/);
    expect(() => generateDataset(cfg({ correlationMatrix: [[1, 0.5], [0.4, 1]] }))).toThrow(/symmetric/);
  });
});

describe('label correlation', () => {
  it('falls as p falls, near SPEC §1 figures at c = 1, m = 10', () => {
    const ps = [1, 0.9, 0.8, 0.5];
    const expected = [1.0, 0.8, 0.63, 0.3];
    const seeds = [1, 2, 3, 4, 5, 6];
    const mean = ps.map(() => 0);
    for (const seed of seeds) {
      const r = ps.map((p) => generateDataset(cfg({ correlation: p, nTrain: 20000, nVal: 16, nTest: 16, seed })).labelCorrelation[0][1]);
      for (let i = 1; i < r.length; i++) expect(r[i]).toBeLessThan(r[i - 1]);
      r.forEach((v, i) => (mean[i] += v / seeds.length));
    }
    mean.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(0.1));
  });

  it('reports a symmetric matrix with unit diagonal that matches a direct Pearson computation', () => {
    const ds = generateDataset(cfg({ tasks: reg(3), correlation: 0.7, nTrain: 3000 }));
    for (let i = 0; i < 3; i++) {
      expect(ds.labelCorrelation[i][i]).toBeCloseTo(1, 12);
      for (let k = 0; k < 3; k++) {
        const a = column(ds.train.yRaw, 3, i);
        const b = column(ds.train.yRaw, 3, k);
        const ma = a.reduce((s, v) => s + v, 0) / a.length;
        const mb = b.reduce((s, v) => s + v, 0) / b.length;
        let ab = 0;
        for (let t = 0; t < a.length; t++) ab += (a[t] - ma) * (b[t] - mb);
        const r = ab / a.length / Math.sqrt(variance(a) * variance(b));
        expect(ds.labelCorrelation[i][k]).toBeCloseTo(r, 9);
      }
    }
  });
});

describe('noise', () => {
  it('noiseStd is a standard deviation: the residual variance is σ²', () => {
    const d = 5;
    const sigma = 0.5;
    const ds = generateDataset(cfg({ inputDim: d, numSines: 0, noiseStd: sigma, nTrain: 20000, correlation: 0.3 }));
    for (let k = 0; k < 2; k++) {
      const y = column(ds.train.yRaw, 2, k);
      const w = leastSquares(ds.train.x, y, d);
      const resid = y.map((v, i) => v - dot(w, ds.train.x.subarray(i * d, (i + 1) * d)));
      expect(Math.abs(variance(resid) - sigma * sigma)).toBeLessThan(0.02);
      // Var(y) = c² + σ² = 1.25 (it would be 1.5 if σ were read as a variance).
      expect(Math.abs(variance(y) - 1.25)).toBeLessThan(0.05);
    }
  });
});

describe('determinism', () => {
  it('same config → bitwise identical data; another seed → different data', () => {
    const a = generateDataset(cfg({ tasks: bin(3), binaryLabel: 'bernoulli', chain: true }));
    const b = generateDataset(cfg({ tasks: bin(3), binaryLabel: 'bernoulli', chain: true }));
    for (const s of ['train', 'val', 'test'] as const)
      for (const f of ['x', 'y', 'yRaw', 'mask'] as const) expect(same(a[s][f], b[s][f])).toBe(true);
    const c = generateDataset(cfg({ tasks: bin(3), binaryLabel: 'bernoulli', chain: true, seed: 2 }));
    expect(same(a.train.x, c.train.x)).toBe(false);
    expect(same(a.train.yRaw, c.train.yRaw)).toBe(false);
  });

  it('changing nTest leaves the training and validation rows alone', () => {
    const a = generateDataset(cfg({ nTest: 100 }));
    const b = generateDataset(cfg({ nTest: 500 }));
    expect(same(b.train.x, a.train.x)).toBe(true);
    expect(same(b.train.yRaw, a.train.yRaw)).toBe(true);
    expect(same(b.val.yRaw, a.val.yRaw)).toBe(true);
    expect(same(b.test.x.subarray(0, 100 * a.d), a.test.x)).toBe(true);
  });

  it('train, val and test are different rows from the same function', () => {
    const ds = generateDataset(cfg({ numSines: 0, noiseStd: 0, inputDim: 6, nTrain: 200, nVal: 50, nTest: 50 }));
    expect(ds.val.x.subarray(0, 6)).not.toEqual(ds.train.x.subarray(0, 6));
    const w = leastSquares(ds.train.x, column(ds.train.yRaw, 2, 0), 6);
    for (let i = 0; i < 50; i++) expect(dot(w, ds.test.x.subarray(i * 6, i * 6 + 6))).toBeCloseTo(ds.test.yRaw[i * 2], 4);
  });
});

describe('binary tasks', () => {
  it('median labels: exactly half positive on train, about half on val/test, same threshold', () => {
    const ds = generateDataset(cfg({ tasks: [{ type: 'binary' }, { type: 'regression' }], nTrain: 4000, nVal: 2000, nTest: 2000 }));
    expect(ds.positiveRate[0]).toBe(0.5);
    expect(ds.positiveRate[1]).toBeNaN();
    const rate = (y: Float32Array) => column(y, 2, 0).reduce((s, v) => s + v, 0) / (y.length / 2);
    expect(Math.abs(rate(ds.val.y) - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(rate(ds.test.y) - 0.5)).toBeLessThan(0.05);
    // One threshold: every positive test row is above every negative test row... of the train median.
    let maxNeg = -Infinity;
    let minPos = Infinity;
    for (const s of [ds.train, ds.val, ds.test])
      for (let i = 0; i < s.n; i++) {
        const v = s.yRaw[i * 2];
        if (s.y[i * 2] === 1) minPos = Math.min(minPos, v);
        else maxNeg = Math.max(maxNeg, v);
        expect(s.y[i * 2] === 0 || s.y[i * 2] === 1).toBe(true);
        // The regression task keeps its target, standardised with the train mean and std.
        const { mean, std } = ds.targetScale[1];
        expect(s.y[i * 2 + 1]).toBeCloseTo((s.yRaw[i * 2 + 1] - mean) / std, 5);
      }
    expect(maxNeg).toBeLessThan(minPos);
  });

  it('Bernoulli labels are balanced, noisy, and follow the target; low temperature → median labels', () => {
    const base = { tasks: bin(2), nTrain: 8000 } as const;
    // T on the standardised scale (SPEC §1): 0.4 keeps ~80% of the median labels.
    const ds = generateDataset(cfg({ ...base, binaryLabel: 'bernoulli', temperature: 0.4 }));
    const med = generateDataset(cfg({ ...base, binaryLabel: 'median' }));
    expect(same(ds.train.yRaw, med.train.yRaw)).toBe(true);
    for (let k = 0; k < 2; k++) expect(Math.abs(ds.positiveRate[k] - 0.5)).toBeLessThan(0.03);
    let agree = 0;
    for (let i = 0; i < ds.train.y.length; i++) agree += ds.train.y[i] === med.train.y[i] ? 1 : 0;
    const frac = agree / ds.train.y.length;
    expect(frac).toBeGreaterThan(0.7); // follows the target
    expect(frac).toBeLessThan(0.93); // but is not the deterministic threshold
    const cold = generateDataset(cfg({ ...base, binaryLabel: 'bernoulli', temperature: 1e-3 }));
    let coldAgree = 0;
    for (let i = 0; i < cold.train.y.length; i++) coldAgree += cold.train.y[i] === med.train.y[i] ? 1 : 0;
    expect(coldAgree / cold.train.y.length).toBeGreaterThan(0.995);
  });
});

describe('standardised targets and the task seed', () => {
  it('regression targets have mean 0 and std 1 on train (train statistics reused on val/test); off keeps the raw target', () => {
    const ds = generateDataset(cfg({ tasks: [{ type: 'regression' }, { type: 'regression' }], nTrain: 3000 }));
    const raw = generateDataset(cfg({ tasks: [{ type: 'regression' }, { type: 'regression' }], nTrain: 3000, standardizeTargets: false }));
    for (let k = 0; k < 2; k++) {
      const col = column(ds.train.y, 2, k);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
      expect(Math.abs(mean)).toBeLessThan(1e-4);
      expect(sd).toBeCloseTo(1, 4);
      const { mean: m, std } = ds.targetScale[k];
      expect(std).toBeGreaterThan(0);
      for (let i = 0; i < ds.test.n; i++) expect(ds.test.y[i * 2 + k]).toBeCloseTo((ds.test.yRaw[i * 2 + k] - m) / std, 4);
      expect(raw.targetScale[k]).toEqual({ mean: 0, std: 1 });
      expect(same(raw.train.y, raw.train.yRaw)).toBe(true);
    }
  });

  it('the label variance differs a lot between data seeds without standardisation (why it is on by default)', () => {
    const variances = [1, 2, 3, 4, 5].map((seed) => {
      const ds = generateDataset(cfg({ tasks: [{ type: 'regression' }, { type: 'regression' }], nTrain: 2000, seed }));
      return ds.targetScale[0].std ** 2;
    });
    expect(Math.max(...variances) / Math.min(...variances)).toBeGreaterThan(1.5);
  });

  it('a task seed fixes the functions: two data seeds give the same weight vectors, new samples; without it the functions change', () => {
    const base = { tasks: [{ type: 'regression' as const }, { type: 'regression' as const }], nTrain: 500, correlation: 0.3 };
    const a = generateDataset(cfg({ ...base, seed: 1, taskSeed: 77 }));
    const b = generateDataset(cfg({ ...base, seed: 2, taskSeed: 77 }));
    const c = generateDataset(cfg({ ...base, seed: 2 }));
    expect(a.functions).toEqual(b.functions);
    expect(c.functions).not.toEqual(b.functions);
    expect(same(a.train.x, b.train.x)).toBe(false);
    expect(same(b.train.x, c.train.x)).toBe(true); // the task seed leaves the samples alone
    expect(same(b.train.yRaw, c.train.yRaw)).toBe(false); // …but changes the functions
    const again = generateDataset(cfg({ ...base, seed: 1, taskSeed: 77 }));
    expect(same(again.train.yRaw, a.train.yRaw)).toBe(true);
  });
});

describe('sample-space chain', () => {
  it('masks are nested and δ_k = δ_{k−1}·[task k−1 positive]', () => {
    const tasks = [{ type: 'binary' as const }, { type: 'regression' as const }, { type: 'binary' as const }, { type: 'binary' as const }];
    const K = tasks.length;
    const ds = generateDataset(cfg({ tasks, chain: true, binaryLabel: 'bernoulli', correlation: 0.6, nTrain: 4000 }));
    const med = (k: number) => {
      const c = column(ds.train.yRaw, K, k).sort();
      return (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    };
    const median1 = med(1);
    for (const s of [ds.train, ds.val, ds.test])
      for (let i = 0; i < s.n; i++) {
        expect(s.mask[i * K]).toBe(1);
        for (let k = 1; k < K; k++) {
          const prev = i * K + k - 1;
          const positive = tasks[k - 1].type === 'binary' ? s.y[prev] === 1 : s.yRaw[prev] > median1;
          expect(s.mask[i * K + k]).toBe(s.mask[prev] === 1 && positive ? 1 : 0);
          expect(s.mask[i * K + k]).toBeLessThanOrEqual(s.mask[prev]);
        }
      }
    const f = ds.observedFraction;
    expect(f[0]).toBe(1);
    for (let k = 1; k < K; k++) expect(f[k]).toBeLessThan(f[k - 1]);
    expect(f[K - 1]).toBeGreaterThan(0.02);
  });

  it('without a chain every task is observed everywhere', () => {
    const ds = generateDataset(cfg({ tasks: bin(3) }));
    expect(ds.train.mask.every((v) => v === 1)).toBe(true);
    expect(ds.observedFraction).toEqual([1, 1, 1]);
  });
});

describe('shapes', () => {
  it('splits have the configured sizes', () => {
    const ds = generateDataset(cfg({ tasks: reg(4), inputDim: 12, nTrain: 300, nVal: 40, nTest: 50 }));
    expect([ds.d, ds.K]).toEqual([12, 4]);
    expect(ds.taskTypes).toEqual(['regression', 'regression', 'regression', 'regression']);
    for (const [s, n] of [[ds.train, 300], [ds.val, 40], [ds.test, 50]] as const) {
      expect(s.n).toBe(n);
      expect(s.x.length).toBe(n * 12);
      for (const f of [s.y, s.yRaw, s.mask]) expect(f.length).toBe(n * 4);
      expect(s.yRaw.every(Number.isFinite)).toBe(true);
    }
  });
});

describe('fillNormal (ziggurat)', () => {
  it('gives standard normal moments and tail probabilities', () => {
    const r = new Rng(11);
    const x = new Float64Array(400_000);
    fillNormal(() => r.uniform(), x);
    let m = 0;
    for (const v of x) m += v;
    m /= x.length;
    const v2 = variance(x);
    let k4 = 0;
    for (const v of x) k4 += (v - m) ** 4;
    k4 /= x.length * v2 * v2;
    expect(Math.abs(m)).toBeLessThan(0.01);
    expect(Math.abs(v2 - 1)).toBeLessThan(0.01);
    expect(Math.abs(k4 - 3)).toBeLessThan(0.05);
    const tail = (t: number) => x.reduce((s, v) => s + (Math.abs(v) > t ? 1 : 0), 0) / x.length;
    expect(Math.abs(tail(1) - 0.3173)).toBeLessThan(0.004);
    expect(Math.abs(tail(2) - 0.0455)).toBeLessThan(0.002);
    expect(Math.abs(tail(3.5) - 0.000465)).toBeLessThan(0.00015); // beyond the ziggurat's base layer
    expect(Math.abs(x.reduce((s, v) => s + (v > 0 ? 1 : 0), 0) / x.length - 0.5)).toBeLessThan(0.004);
  });
});

describe('global mode is the generator it always was', () => {
  // sha256 of every split's x, y, yRaw, mask and of the task functions, computed on the
  // generator BEFORE sineScale, the regional mode and the oracle AUC existed (commit 053f31e).
  // Bernoulli labels with standardised targets changed on purpose (T on the standardised
  // scale), so the Bernoulli case here has standardizeTargets: false.
  const configs: Record<string, Partial<DataConfig>> = {
    default: { nTrain: 300, nVal: 40, nTest: 50 },
    mixed: { tasks: [{ type: 'binary' }, { type: 'regression' }, { type: 'binary' }], correlation: 0.4, chain: true, inputDim: 12, nTrain: 200, nVal: 30, nTest: 30, seed: 9 },
    bernoulliRaw: { tasks: bin(2), binaryLabel: 'bernoulli', temperature: 0.7, standardizeTargets: false, nTrain: 256, nVal: 32, nTest: 32, seed: 5 },
    matrixTaskSeed: {
      tasks: reg(3),
      correlationMatrix: [[1, 0.8, 0.2], [0.8, 1, -0.4], [0.2, -0.4, 1]],
      taskSeed: 77,
      numSines: 4,
      noiseStd: 0.3,
      scale: 2,
      inputDim: 20,
      nTrain: 128,
      nVal: 16,
      nTest: 16,
      seed: 3,
    },
  };
  const expected: Record<string, string> = {
    default: '7647dadadaac8c1d822761202facf229d9f6e06a53ab2654faaa90bc65ab7c7b',
    mixed: '97a0cf891357dbc1e65e52b449764488040cb6d2aa65628467c340e6b5b1a7b2',
    bernoulliRaw: '09ce7ea733f2a04fd94695093699881ddf3f03a183f53e25764e05a15aea092c',
    matrixTaskSeed: '25f8c0e6bbba26fa7549d6f507a1f96a0a5a53928394de72975525b7cc27c6c3',
  };
  const hash = (ds: Dataset) => {
    const h = createHash('sha256');
    for (const s of [ds.train, ds.val, ds.test]) for (const a of [s.x, s.y, s.yRaw, s.mask]) h.update(bytes(a));
    h.update(JSON.stringify(ds.functions));
    return h.digest('hex');
  };

  it('same bytes as before for fixed seeds (relationship "global", sineScale 1 explicit or by default)', () => {
    for (const [name, over] of Object.entries(configs)) {
      expect(hash(generateDataset(cfg(over))), name).toBe(expected[name]);
      expect(hash(generateDataset(cfg({ ...over, relationship: 'global', sineScale: 1 }))), name).toBe(expected[name]);
    }
  });

  it('global mode has no regions', () => {
    const ds = generateDataset(cfg({ nTrain: 100 }));
    for (const s of [ds.train, ds.val, ds.test]) expect(s.region).toEqual(new Uint8Array(s.n));
    expect(ds.regionFraction).toEqual([]);
    expect(ds.regionLabelCorrelation).toEqual([]);
    expect(ds.regionRequested).toEqual([]);
    expect(ds.functions.r).toBeUndefined();
    expect(ds.functions.regionW).toBeUndefined();
  });
});

describe('sine scale s', () => {
  it('s = 0 leaves the linear target; the sine part scales linearly with s', () => {
    const base = { inputDim: 8, noiseStd: 0, nTrain: 300, correlation: 0.6 };
    const lin = generateDataset(cfg({ ...base, sineScale: 0 }));
    const half = generateDataset(cfg({ ...base, sineScale: 0.5 }));
    const one = generateDataset(cfg({ ...base, sineScale: 1 }));
    expect(same(lin.train.x, one.train.x)).toBe(true);
    for (let i = 0; i < 300; i++)
      for (let k = 0; k < 2; k++) {
        const z = dot(lin.functions.w[k], lin.train.x.subarray(i * 8, i * 8 + 8));
        expect(lin.train.yRaw[i * 2 + k]).toBeCloseTo(z, 5);
        const sine = one.train.yRaw[i * 2 + k] - z;
        expect(half.train.yRaw[i * 2 + k] - z).toBeCloseTo(0.5 * sine, 4);
      }
  });

  it('is validated', () => {
    const r = parseExperiment({ data: { sineScale: 11 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/data\.sineScale: sine scale s must be at least 0 and at most 10/);
  });
});

describe('regional generator (sample-dependent task relationships)', () => {
  const regional = (over: Partial<DataConfig> = {}) => cfg({ relationship: 'regional', ...over });

  it('regions split the rows about half/half by the sign of rᵀx; r is a unit vector orthogonal to every task direction', () => {
    const ds = generateDataset(regional({ nTrain: 8000, nVal: 500, nTest: 2000 }));
    const r = ds.functions.r as number[];
    expect(Math.sqrt(dot(r, r))).toBeCloseTo(1, 12);
    for (const W of ds.functions.regionW as number[][][]) for (const wk of W) expect(Math.abs(dot(r, wk))).toBeLessThan(1e-12);
    expect(ds.regionFraction).toHaveLength(2);
    expect(ds.regionFraction[0] + ds.regionFraction[1]).toBeCloseTo(1, 12);
    expect(Math.abs(ds.regionFraction[0] - 0.5)).toBeLessThan(0.03);
    for (const s of [ds.train, ds.val, ds.test]) {
      const region = s.region as Uint8Array;
      expect(region).toHaveLength(s.n);
      for (let i = 0; i < s.n; i++) expect(region[i]).toBe(dot(r, s.x.subarray(i * ds.d, (i + 1) * ds.d)) > 0 ? 1 : 0);
      const share = region.reduce((a, v) => a + v, 0) / s.n;
      expect(Math.abs(share - 0.5)).toBeLessThan(0.06);
    }
  });

  it("each region's weight vectors have that region's correlation; task 1's function is the same in both regions", () => {
    const ds = generateDataset(regional({ regionCorrelations: [0.9, -0.6], scale: 2, nTrain: 500 }));
    const W = ds.functions.regionW as number[][][];
    expect(W).toHaveLength(2);
    expect(W[0][0]).toEqual(W[1][0]); // w_1 = c·u_1 in both regions, to the bit
    expect(ds.functions.w).toEqual(W[0]);
    expect(cos(W[0][0], W[0][1])).toBeCloseTo(0.9, 9);
    expect(cos(W[1][0], W[1][1])).toBeCloseTo(-0.6, 9);
    for (const Wj of W) for (const wk of Wj) expect(Math.sqrt(dot(wk, wk))).toBeCloseTo(2, 9);
    expect(ds.regionRequested).toEqual([uniformCorrelation(2, 0.9), uniformCorrelation(2, -0.6)]);
    // Over all inputs the linear parts correlate by the mean of the two regions.
    expect(ds.requested[0][1]).toBeCloseTo(0.15, 12);
    expect(ds.weightCosine[0][1]).toBeCloseTo(0.15, 9);
    // Task 1's targets equal the global generator's (same u_1, α, β, x, ε); task 2's do not.
    const global = generateDataset(cfg({ correlation: 0.9, scale: 2, nTrain: 500 }));
    expect(same(global.train.x, ds.train.x)).toBe(true);
    expect(same(Float32Array.from(column(global.train.yRaw, 2, 0)), Float32Array.from(column(ds.train.yRaw, 2, 0)))).toBe(true);
    expect(same(Float32Array.from(column(global.train.yRaw, 2, 1)), Float32Array.from(column(ds.train.yRaw, 2, 1)))).toBe(false);
    // Rows of region 0 follow the region-0 function (p = 0.9, as the global one): task 2 agrees there.
    const region = ds.train.region as Uint8Array;
    for (let i = 0; i < ds.train.n; i++)
      if (region[i] === 0) expect(ds.train.yRaw[i * 2 + 1]).toBe(global.train.yRaw[i * 2 + 1]);
  });

  it('the measured per-region label correlation follows the requested sign (s = 0.3, +0.9 / −0.9)', () => {
    for (const seed of [1, 2, 3]) {
      const ds = generateDataset(regional({ regionCorrelations: [0.9, -0.9], sineScale: 0.3, nTrain: 8000, nVal: 16, nTest: 16, seed }));
      const [r0, r1] = ds.regionLabelCorrelation.map((m) => m[0][1]);
      expect(r0).toBeGreaterThan(0.6);
      expect(r1).toBeLessThan(-0.4);
      // Over all rows the two cancel: far weaker than either region.
      expect(Math.abs(ds.labelCorrelation[0][1])).toBeLessThan(0.3);
      // Matches a direct Pearson computation on that region's rows.
      const region = ds.train.region as Uint8Array;
      const rows = [...region.keys()].filter((i) => region[i] === 1);
      const a = rows.map((i) => ds.train.yRaw[i * 2]);
      const b = rows.map((i) => ds.train.yRaw[i * 2 + 1]);
      const ma = a.reduce((x, y) => x + y, 0) / a.length;
      const mb = b.reduce((x, y) => x + y, 0) / b.length;
      const cov = a.reduce((acc, v, t) => acc + (v - ma) * (b[t] - mb), 0) / a.length;
      expect(r1).toBeCloseTo(cov / Math.sqrt(variance(a) * variance(b)), 9);
    }
  });

  it('works for 2–6 tasks, with a number or a matrix per region', () => {
    for (const K of [2, 3, 4, 5, 6]) {
      const low = -1 / (K - 1);
      const ds = generateDataset(regional({ tasks: reg(K), regionCorrelations: [0.8, low], nTrain: 200, nVal: 16, nTest: 16 }));
      const W = ds.functions.regionW as number[][][];
      for (let i = 0; i < K; i++)
        for (let k = 0; k < K; k++) {
          expect(cos(W[0][i], W[0][k])).toBeCloseTo(i === k ? 1 : 0.8, 9);
          expect(cos(W[1][i], W[1][k])).toBeCloseTo(i === k ? 1 : low, 9);
        }
      expect(ds.regionLabelCorrelation).toHaveLength(2);
      expect(ds.regionLabelCorrelation[1]).toHaveLength(K);
    }
    const M = [
      [1, 0.8, 0.2],
      [0.8, 1, -0.4],
      [0.2, -0.4, 1],
    ];
    const ds = generateDataset(regional({ tasks: reg(3), regionCorrelations: [M, 0.3], nTrain: 200 }));
    const W = ds.functions.regionW as number[][][];
    for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) expect(cos(W[0][i], W[0][k])).toBeCloseTo(M[i][k], 9);
    expect(ds.regionRequested[0]).toEqual(M);
  });

  it('is deterministic and keeps the streams apart: the task seed fixes r too', () => {
    const base = { nTrain: 300, taskSeed: 5 };
    const a = generateDataset(regional({ ...base, seed: 1 }));
    const b = generateDataset(regional({ ...base, seed: 1 }));
    const c = generateDataset(regional({ ...base, seed: 2 }));
    expect(same(a.train.yRaw, b.train.yRaw)).toBe(true);
    expect(a.train.region).toEqual(b.train.region);
    expect(c.functions).toEqual(a.functions);
    expect(same(c.train.x, a.train.x)).toBe(false);
  });

  it('validation: readable messages naming the region (schema and generator)', () => {
    const msg = (data: object) => {
      const r = parseExperiment({ data: { relationship: 'regional', ...data } });
      return r.ok ? '' : r.message;
    };
    expect(msg({ tasks: reg(3), regionCorrelations: [0.9, -0.9] })).toMatch(
      /data\.regionCorrelations\.1: region 2 correlation -0\.9 is impossible for 3 tasks \(must be ≥ -0\.500\)/,
    );
    // The default [0.9, −0.6] is impossible for 3 tasks, but only checked in regional mode.
    expect(msg({ tasks: reg(3) })).toMatch(/region 2 correlation -0\.6 is impossible for 3 tasks/);
    expect(parseExperiment({ data: { tasks: reg(3) } }).ok).toBe(true);
    expect(msg({ regionCorrelations: [1.5, 0] })).toMatch(/data\.regionCorrelations\.0: region correlation must be at least -1 and at most 1 \(got 1\.5\)/);
    expect(msg({ regionCorrelations: [0.5] })).toMatch(/give exactly 2/);
    expect(msg({ regionCorrelations: [0.5, 0.1, 0] })).toMatch(/give exactly 2/);
    expect(msg({ regionCorrelations: [0.5, [[1, 0.5, 0], [0.5, 1, 0], [0, 0, 1]]] })).toMatch(/region 2 \(rᵀx > 0\) correlation matrix must be 2×2 for 2 tasks/);
    expect(msg({ regionCorrelations: [[[2, 0.5], [0.5, 1]], 0] })).toMatch(/data\.regionCorrelations\.0\.0\.0: region 1 \(rᵀx ≤ 0\) correlation matrix diagonal must be 1/);
    expect(msg({ regionCorrelations: [0, [[1, 0.5], [0.4, 1]]] })).toMatch(/region 2 \(rᵀx > 0\) correlation matrix must be symmetric \(entry 2,1 ≠ 1,2\)/);
    const bad = [
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ];
    expect(msg({ tasks: reg(3), regionCorrelations: [bad, 0] })).toMatch(/region 1 \(rᵀx ≤ 0\) correlation matrix is not positive semi-definite/);
    expect(msg({ regionCorrelations: [0.5, 'x'] })).toMatch(/region correlation must be a number in \[-1, 1\] or a K×K matrix/);
    expect(msg({ tasks: reg(3), inputDim: 3 })).toMatch(/data\.inputDim: the regional generator needs at least 4 input dimensions for 3 tasks/);
    expect(msg({ relationship: 'local' })).toMatch(/relationship must be "global" or "regional"/);
    // The generator says the same when handed an unvalidated config.
    expect(() => generateDataset(regional({ tasks: reg(3), regionCorrelations: [0.9, -0.9] }))).toThrow(DataError);
    expect(() => requestedRegionCorrelations({ tasks: reg(3), regionCorrelations: [0.9, -0.9] })).toThrow(/region 2 correlation -0\.9 is impossible for 3 tasks/);
    expect(() => generateDataset(regional({ tasks: reg(3), regionCorrelations: [bad, 0] }))).toThrow(/region 1 .*not positive semi-definite/);
    expect(() => generateDataset(regional({ tasks: reg(3), regionCorrelations: [0.9, -0.3], inputDim: 3, nTrain: 64 }))).toThrow(/at least 4 input dimensions/);
    expect(() => generateDataset(cfg({ tasks: reg(3), inputDim: 3, nTrain: 64 }))).not.toThrow(); // global mode: K = d is enough
  });
});

describe('Bernoulli labels on the standardised scale', () => {
  it('with standardised targets T is in units of the train std of the raw target: same labels as T·std on the raw scale', () => {
    const base = { tasks: [{ type: 'binary' as const }, { type: 'regression' as const }, { type: 'binary' as const }], binaryLabel: 'bernoulli' as const, nTrain: 4000 };
    const std = generateDataset(cfg({ ...base, temperature: 0.4 }));
    const sd = [0, 2].map((k) => Math.sqrt(variance(column(std.train.yRaw, 3, k))));
    for (const [t, k] of [[0, 0], [1, 2]] as const) {
      const raw = generateDataset(cfg({ ...base, temperature: 0.4 * sd[t], standardizeTargets: false }));
      let agree = 0;
      for (let i = 0; i < 4000; i++) agree += raw.train.y[i * 3 + k] === std.train.y[i * 3 + k] ? 1 : 0;
      expect(agree / 4000).toBeGreaterThan(0.999); // equal but for rounding at the boundary
    }
    // The regression task is standardised as before; binary tasks report no target scale.
    expect(std.targetScale[0]).toEqual({ mean: 0, std: 1 });
    expect(std.targetScale[1].std).toBeGreaterThan(0);
  });
});

describe('oracle AUC (the ceiling of a binary task)', () => {
  const binCfg = (over: Partial<DataConfig>) => cfg({ tasks: [{ type: 'binary' }, { type: 'binary' }, { type: 'regression' }], nTrain: 4000, nTest: 4000, ...over });

  it('median labels of a noise-free target: 1; regression tasks: NaN', () => {
    const ds = generateDataset(binCfg({ binaryLabel: 'median', noiseStd: 0 }));
    expect(ds.oracleAuc[0]).toBe(1);
    expect(ds.oracleAuc[1]).toBe(1);
    expect(ds.oracleAuc[2]).toBeNaN();
  });

  it('Bernoulli labels: T = 1 is clearly below T = 0.25, and both below 1', () => {
    const hot = generateDataset(binCfg({ binaryLabel: 'bernoulli', temperature: 1 }));
    const cold = generateDataset(binCfg({ binaryLabel: 'bernoulli', temperature: 0.25 }));
    for (const k of [0, 1]) {
      expect(cold.oracleAuc[k]).toBeLessThan(0.99);
      expect(hot.oracleAuc[k]).toBeLessThan(cold.oracleAuc[k] - 0.1);
      expect(hot.oracleAuc[k]).toBeGreaterThan(0.6);
    }
  });

  it('is the AUC of f(x) = wᵀx + s·Σ sin(α·wᵀx + β) (no ε) on the observed test rows (chain, regional mode)', () => {
    for (const over of [{}, { relationship: 'regional' as const, regionCorrelations: [0.8, -0.4], sineScale: 0.5 }]) {
      const ds = generateDataset(cfg({ tasks: bin(3), chain: true, binaryLabel: 'bernoulli', temperature: 0.5, noiseStd: 0.5, nTest: 3000, ...over }));
      const { alpha, beta } = ds.functions;
      const scale = over.sineScale ?? 1;
      const W = ds.functions.regionW ?? [ds.functions.w];
      const f = new Float64Array(ds.test.n * 3);
      for (let i = 0; i < ds.test.n; i++) {
        const x = ds.test.x.subarray(i * ds.d, (i + 1) * ds.d);
        const w = W[(ds.test.region as Uint8Array)[i]];
        for (let k = 0; k < 3; k++) {
          let z = 0;
          for (let t = 0; t < ds.d; t++) z += w[k][t] * x[t];
          let y = z;
          for (let j = 0; j < alpha.length; j++) y += scale * Math.sin(alpha[j] * z + beta[j]);
          f[i * 3 + k] = y;
        }
      }
      for (let k = 0; k < 3; k++) {
        const col = (a: ArrayLike<number>) => Float64Array.from({ length: ds.test.n }, (_, i) => a[i * 3 + k]);
        expect(ds.oracleAuc[k]).toBeCloseTo(auc(col(f), col(ds.test.y), col(ds.test.mask)), 9);
      }
      expect(ds.observedFraction[2]).toBeLessThan(0.5); // the chain really masks rows
    }
  });
});

describe('sparse task features (data.featureSupport)', () => {
  it('each task direction lives on its own block; cos and norm still hold; off (null) leaves the data bit-identical', () => {
    const K = 3;
    const s = 5;
    const ds = generateDataset(cfg({ tasks: reg(K), inputDim: 20, correlation: 0, featureSupport: s, nTrain: 256, nVal: 16, nTest: 16 }));
    ds.functions.w.forEach((w, k) => {
      w.forEach((v, i) => (i >= k * s && i < (k + 1) * s ? expect(Math.abs(v)).toBeGreaterThan(0) : expect(v).toBe(0)));
      expect(Math.sqrt(dot(w, w))).toBeCloseTo(1, 9);
    });
    // Correlated tasks mix the blocks of the tasks before them: w_2 = c(p·u_1 + √(1−p²)·u_2).
    const w = taskWeights(uniformCorrelation(2, 0.6), 10, 2, new Rng(3), 4);
    expect(cos(w[0], w[1])).toBeCloseTo(0.6, 9);
    expect(w[0].slice(4).every((v) => v === 0)).toBe(true);
    expect(w[1].slice(8).every((v) => v === 0)).toBe(true);
    const a = generateDataset(cfg({ nTrain: 128, nVal: 16, nTest: 16 }));
    const b = generateDataset(cfg({ nTrain: 128, nVal: 16, nTest: 16, featureSupport: null }));
    expect(same(a.train.y, b.train.y)).toBe(true);
  });

  it('the schema rejects a support that does not fit and the regional mode, in words', () => {
    const r = parseExperiment({ data: { tasks: reg(3), inputDim: 10, featureSupport: 4 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/feature support 4 × 3 tasks needs 12 input dimensions, but d = 10/);
    const g = parseExperiment({ data: { relationship: 'regional', featureSupport: 4 } });
    expect(g.ok).toBe(false);
    expect(() => taskWeights(uniformCorrelation(2, 0), 5, 1, new Rng(1), 3)).toThrow(DataError);
  });
});
