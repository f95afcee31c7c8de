import { describe, expect, it } from 'vitest';
import { Rng } from '../data/rng';
import type { Split, TaskMetrics } from '../types';
import { auc, logLoss, mse, mtlGain, pearson, taskMetrics } from './metrics';

/** O(n²) AUC: over all (positive, negative) pairs, 1 if ordered, ½ if tied. */
function bruteAuc(s: ArrayLike<number>, y: ArrayLike<number>, mask?: ArrayLike<number>): number {
  let num = 0;
  let pairs = 0;
  for (let i = 0; i < s.length; i++)
    for (let j = 0; j < s.length; j++) {
      if (mask && (mask[i] !== 1 || mask[j] !== 1)) continue;
      if (!(y[i] === 1 && y[j] === 0)) continue;
      pairs++;
      num += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  return num / pairs;
}

function randomData(seed: number, n: number, levels: number) {
  const r = new Rng(seed);
  const y = Float32Array.from({ length: n }, () => (r.uniform() < 0.4 ? 1 : 0));
  // Few distinct score values → many ties, some across classes; scores lean on the label.
  const s = Float32Array.from(y, (v) => Math.round((r.normal() + v) * levels) / levels);
  const mask = Float32Array.from({ length: n }, () => (r.uniform() < 0.7 ? 1 : 0));
  return { s, y, mask };
}

describe('auc', () => {
  it('equals a brute-force pair count with ties counted half', () => {
    for (const [seed, n, levels] of [[1, 300, 2], [2, 500, 5], [3, 50, 1], [4, 400, 1000]]) {
      const { s, y, mask } = randomData(seed, n, levels);
      expect(auc(s, y)).toBeCloseTo(bruteAuc(s, y), 12);
      expect(auc(s, y, mask)).toBeCloseTo(bruteAuc(s, y, mask), 12);
    }
  });

  it('known values: perfect, reversed, all tied, hand-computed', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auc([3, 3, 3, 3], [0, 1, 0, 1])).toBe(0.5);
    // pairs (pos, neg): (0.5,0.1)=1 (0.5,0.5)=½ (0.3,0.1)=1 (0.3,0.5)=0 → 2.5/4
    expect(auc([0.1, 0.5, 0.5, 0.3], [0, 0, 1, 1])).toBe(0.625);
  });

  it('is NaN when one class is absent among the observed rows', () => {
    expect(auc([0.1, 0.2, 0.3], [1, 1, 1])).toBeNaN();
    expect(auc([0.1, 0.2, 0.3], [1, 0, 1], [1, 0, 1])).toBeNaN();
    expect(auc([], [])).toBeNaN();
  });
});

describe('logLoss', () => {
  const naive = (z: number, y: number) => {
    const p = 1 / (1 + Math.exp(-z));
    return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
  };

  it('matches the naive formula on moderate logits', () => {
    const r = new Rng(5);
    const z = Array.from({ length: 200 }, () => 4 * r.normal());
    const y = z.map(() => (r.uniform() < 0.5 ? 1 : 0));
    const want = z.reduce((s, v, i) => s + naive(v, y[i]), 0) / z.length;
    expect(logLoss(z, y)).toBeCloseTo(want, 10);
  });

  it('stays finite and exact at logits ±100', () => {
    expect(logLoss([100], [0])).toBeCloseTo(100, 10);
    expect(logLoss([-100], [1])).toBeCloseTo(100, 10);
    expect(logLoss([100], [1])).toBeLessThan(1e-40);
    expect(logLoss([-100], [0])).toBeLessThan(1e-40);
    const v = logLoss([100, -100, 100, -100], [1, 1, 0, 0]);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeCloseTo(50, 10);
    expect(logLoss([0], [1])).toBeCloseTo(Math.LN2, 12);
  });
});

describe('mse and pearson', () => {
  it('hand values', () => {
    expect(mse([1, 2, 3], [1, 0, 6])).toBeCloseTo((0 + 4 + 9) / 3, 12);
    expect(mse([1, 2, 3], [1, 0, 6], [1, 0, 1])).toBeCloseTo(9 / 2, 12);
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
    // deviations (−1, 0, 1) and (−1, 1, 0): Σab = 1, Σa² = Σb² = 2 → r = 0.5
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});

describe('masked metrics ignore δ = 0 rows', () => {
  it('changing masked-out rows changes nothing', () => {
    const { s, y, mask } = randomData(9, 400, 3);
    const s2 = s.slice();
    const y2 = y.slice();
    const r = new Rng(10);
    for (let i = 0; i < s.length; i++)
      if (mask[i] === 0) {
        s2[i] = 50 * r.normal();
        y2[i] = 1 - y2[i];
      }
    expect(auc(s2, y2, mask)).toBe(auc(s, y, mask));
    expect(logLoss(s2, y2, mask)).toBe(logLoss(s, y, mask));
    expect(mse(s2, y2, mask)).toBe(mse(s, y, mask));
    // ... and the unmasked metrics do see them.
    expect(auc(s2, y2)).not.toBe(auc(s, y));
  });
});

function split(n: number, K: number, y: number[], mask: number[]): Split {
  return { n, x: new Float32Array(n), y: Float32Array.from(y), yRaw: Float32Array.from(y), mask: Float32Array.from(mask) };
}

describe('taskMetrics', () => {
  // 4 rows, task 0 regression, task 1 binary; row-major [n, K].
  const outputs = Float32Array.from([1, 2, 0, -1, 3, 0.5, 5, -3]);
  const y = [1.5, 1, 0, 0, 2, 1, 100, 0];

  it('per task, only observed rows, loss = mse or logloss', () => {
    const mask = [1, 1, 1, 1, 1, 0, 0, 1];
    const [a, b] = taskMetrics(outputs, split(4, 2, y, mask), ['regression', 'binary']);
    const wantMse = (0.25 + 0 + 1) / 3;
    expect(a).toEqual({ task: 0, type: 'regression', loss: expect.closeTo(wantMse, 6), mse: expect.closeTo(wantMse, 6), rawMse: expect.closeTo(wantMse, 6), n: 3 });
    // With standardised targets the raw MSE is the standardised one times the std².
    const [scaled] = taskMetrics(outputs, split(4, 2, y, mask), ['regression', 'binary'], [{ std: 3 }, { std: 1 }]);
    expect(scaled.mse).toBeCloseTo(wantMse, 6);
    expect(scaled.rawMse).toBeCloseTo(9 * wantMse, 6);
    const wantLl = logLoss([2, -1, -3], [1, 0, 0]);
    expect(b.n).toBe(3);
    expect(b.loss).toBeCloseTo(wantLl, 6);
    expect(b.logloss).toBeCloseTo(wantLl, 6);
    expect(b.auc).toBe(1);
    expect(b.mse).toBeUndefined();
  });

  it('never reports NaN: n = 0 gives loss 0 and no metric; one class gives no AUC', () => {
    const mask = [0, 1, 0, 0, 0, 1, 0, 0]; // task 1 observed on rows 0 and 2, both labelled 1
    const [a, b] = taskMetrics(outputs, split(4, 2, y, mask), ['regression', 'binary']);
    expect(a).toEqual({ task: 0, type: 'regression', loss: 0, n: 0 });
    expect(b.n).toBe(2);
    expect(b.auc).toBeUndefined();
    expect(b.loss).toBeCloseTo(logLoss([2, 0.5], [1, 1]), 6);
    for (const m of [a, b]) for (const v of Object.values(m)) if (typeof v === 'number') expect(Number.isNaN(v)).toBe(false);
  });

  it('rejects outputs of the wrong size', () => {
    expect(() => taskMetrics(new Float32Array(7), split(4, 2, y, new Array(8).fill(1)), ['regression', 'binary'])).toThrow(/expected 4×2/);
  });
});

describe('mtlGain', () => {
  const m = (over: Partial<TaskMetrics>): TaskMetrics => ({ task: 0, type: 'binary', loss: 0.5, n: 10, ...over });
  it('AUC: model − single; MSE: single − model; positive = better', () => {
    expect(mtlGain('binary', m({ auc: 0.8 }), m({ auc: 0.75 }))).toBeCloseTo(0.05, 12);
    expect(mtlGain('binary', m({ auc: 0.7 }), m({ auc: 0.75 }))).toBeCloseTo(-0.05, 12);
    expect(mtlGain('regression', m({ type: 'regression', mse: 0.9 }), m({ type: 'regression', mse: 1 }))).toBeCloseTo(0.1, 12);
    expect(mtlGain('regression', m({ type: 'regression', mse: 1.2 }), m({ type: 'regression', mse: 1 }))).toBeCloseTo(-0.2, 12);
  });
  it('null when not computable', () => {
    expect(mtlGain('binary', m({}), m({ auc: 0.75 }))).toBeNull();
    expect(mtlGain('binary', m({ auc: 0.8, n: 0 }), m({ auc: 0.75 }))).toBeNull();
    expect(mtlGain('regression', m({ type: 'regression', mse: 1 }), m({ type: 'regression' }))).toBeNull();
  });
});
