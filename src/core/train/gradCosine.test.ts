// The gradient-conflict probe (issue 12): cosines between task gradients on
// the shared parameters, checked against finite differences and on tasks that
// agree (identical) or disagree (opposite targets) by construction.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { mustParseExperiment, parseExperiment, resolveConfig, type ExperimentInput, type ModelType } from '../config/schema';
import { generateDataset } from '../data/generator';
import { buildModel } from '../models/registry';
import type { Dataset } from '../types';
import { cosine, gradientCosineTensor, summarizeConflict, taskPairs } from './gradCosine';
import { TaskLoss } from './losses';
import { Trainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

const cfg = (model: object, train: object = {}, data: object = {}): ExperimentInput => ({
  data: { nTrain: 512, nVal: 128, nTest: 128, inputDim: 8, ...data },
  model: { expertHidden: [8], towerHidden: [4], ...model },
  train: { steps: 40, batchSize: 64, evalEvery: 20, readbackEvery: 5, gradCosineEvery: 5, ...train },
});

/** Task 2's labels := ±task 1's, on every split (the same or the opposite task). */
function linkLabels(ds: Dataset, sign: 1 | -1): Dataset {
  for (const s of [ds.train, ds.val, ds.test]) for (let i = 0; i < s.n; i++) s.y[i * 2 + 1] = sign * s.y[i * 2];
  return ds;
}

/** Tower 2 := tower 1 (block-diagonal packed towers of equal sizes): the two heads start identical. */
async function copyTower(t: Trainer): Promise<void> {
  for (const v of t.model.variables) {
    if (!/towers\/L\d+\/[Wb]#/.test(v.name)) continue;
    const a = (await v.data()) as Float32Array;
    if (v.shape.length === 1) {
      const h = v.shape[0] / 2;
      for (let c = 0; c < h; c++) a[h + c] = a[c];
    } else {
      const [R, C] = v.shape;
      const [r, c] = [R / 2, C / 2];
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) a[(r + i) * C + c + j] = a[i * C + j];
    }
    v.assign(tf.tensor(a, v.shape));
  }
}

async function probeRun(input: ExperimentInput, link?: 1 | -1, sameHeads = false) {
  const c = mustParseExperiment(input);
  const ds = generateDataset(c.data);
  if (link) linkLabels(ds, link);
  const t = await Trainer.create(c, { dataset: ds });
  if (sameHeads) await copyTower(t);
  const chunk = await t.train(1000);
  const r = await t.finish();
  t.dispose();
  return { r, chunk };
}

describe('gradient cosine probe', () => {
  it('config: on by default, 0 = off, a readable message on a bad value', () => {
    expect(mustParseExperiment({}).train.gradCosineEvery).toBeGreaterThan(0);
    const bad = parseExperiment({ train: { gradCosineEvery: -3 } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/gradient cosine every must be between 0 and/);
    const frac = parseExperiment({ train: { gradCosineEvery: 2.5 } });
    expect(!frac.ok && frac.message).toMatch(/gradient cosine every must be a whole number/);
  });

  it('matches finite differences on a tiny shared-bottom (d = 4, one hidden layer of 3 units)', async () => {
    const c = resolveConfig(mustParseExperiment({ data: { inputDim: 4, tasks: [{ type: 'regression' }, { type: 'regression' }, { type: 'binary' }] }, model: { type: 'shared-bottom', expertHidden: [3], towerHidden: [2] } }));
    const K = 3;
    const model = buildModel(c.model, K, 4, 7);
    const loss = new TaskLoss(['regression', 'regression', 'binary'], false);
    const B = 16;
    const xs = Float32Array.from({ length: B * 4 }, (_, i) => Math.sin(i * 1.7) * 1.5);
    const ys = Float32Array.from({ length: B * K }, (_, i) => (i % K === 2 ? (Math.cos(i) > 0 ? 1 : 0) : Math.cos(i * 0.9)));
    const x = tf.tensor2d(xs, [B, 4]);
    const y = tf.tensor2d(ys, [B, K]);
    const perTask = () => loss.perTask(model.forward(x).outputs, y, null);
    const slices = model.sharedParameters();
    expect(slices.map((s) => s.variable.shape)).toEqual([[4, 3], [3]]);
    const m = await gradientCosineTensor(perTask, K, slices).data();
    // Central differences in float64 bookkeeping around float32 losses.
    const grads: number[][] = Array.from({ length: K }, () => []);
    const eps = 2e-3;
    for (const s of slices) {
      const base = (await s.variable.data()) as Float32Array;
      for (let i = 0; i < base.length; i++) {
        const at = async (delta: number) => {
          const w = Float32Array.from(base);
          w[i] += delta;
          s.variable.assign(tf.tensor(w, s.variable.shape));
          const t = tf.tidy(perTask);
          const v = Array.from(await t.data());
          t.dispose();
          return v;
        };
        const up = await at(eps);
        const dn = await at(-eps);
        for (let k = 0; k < K; k++) grads[k].push((up[k] - dn[k]) / (2 * eps));
      }
      s.variable.assign(tf.tensor(base, s.variable.shape));
    }
    for (const [a, b] of taskPairs(K)) expect(m[a * K + b]).toBeCloseTo(cosine(grads[a], grads[b]), 2);
    for (let k = 0; k < K; k++) expect(m[k * K + k]).toBeCloseTo(1, 4);
    x.dispose();
    y.dispose();
    loss.dispose();
    model.dispose();
  });

  it('two identical tasks (same labels, same heads): cosine ≈ 1 throughout', async () => {
    const { r } = await probeRun(cfg({ type: 'shared-bottom' }), 1, true);
    expect(r.gradientCosine!.length).toBeGreaterThan(5);
    for (const p of r.gradientCosine!) expect(p.pairs[0].cos).toBeGreaterThan(0.999);
    expect(r.gradientConflict).toEqual([{ a: 0, b: 1, negativeFraction: 0, meanCos: expect.closeTo(1, 3), n: r.gradientCosine!.length }]);
  });

  it('opposite targets (y₂ = −y₁): clearly negative at the start of training', async () => {
    const { r } = await probeRun(cfg({ type: 'mmoe', sharedExperts: 3 }), -1, true);
    const first = r.gradientCosine![0];
    expect(first.step).toBe(1);
    expect(first.pairs[0].cos).toBeLessThan(-0.5);
    expect(r.gradientConflict![0].negativeFraction).toBeGreaterThan(0.5);
  });

  it('single-task shares nothing: no points and no summary; gradCosineEvery 0: none either', async () => {
    const single = await probeRun(cfg({ type: 'single-task' }));
    expect(single.r.gradientCosine).toEqual([]);
    expect(single.r.gradientConflict).toEqual([]);
    const off = await probeRun(cfg({ type: 'ple' }, { gradCosineEvery: 0 }));
    expect(off.r.gradientCosine).toEqual([]);
  });

  it('the probe changes nothing about training (same losses on or off), points land on the cadence, no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const on = await probeRun(cfg({ type: 'ple', levels: 2 }, { gradCosineEvery: 10 }));
    const mid = tf.memory().numTensors;
    const off = await probeRun(cfg({ type: 'ple', levels: 2 }, { gradCosineEvery: 0 }));
    expect(on.r.train).toEqual(off.r.train);
    expect(on.r.gradientCosine!.map((p) => p.step)).toEqual([1, 10, 20, 30, 40]);
    expect(on.chunk.gradCosine!.length).toBe(5);
    expect(mid).toBe(before);
  });

  it.each<ModelType>(['mmoe', 'omoe', 'ml-mmoe', 'cgc', 'ple', 'adatt', 'shared-bottom', 'esmm', 'customized', 'cross-stitch', 'sluice', 'asymmetric'])(
    '%s: every point finite and in [−1, 1] for 3 tasks',
    async (type) => {
      const binary = type === 'esmm';
      const tasks = binary ? [{ type: 'binary' }, { type: 'binary' }] : [{ type: 'regression' }, { type: 'binary' }, { type: 'regression' }];
      const model = { type, levels: type === 'ple' || type === 'ml-mmoe' || type === 'adatt' ? 2 : 1, expertHidden: type === 'sluice' ? [6, 6] : [6, 5] };
      const { r } = await probeRun(cfg(model, { steps: 12, gradCosineEvery: 4 }, { tasks, ...(binary ? { chain: true } : {}) }));
      const K = tasks.length;
      expect(r.gradientCosine!.length).toBe(4);
      for (const p of r.gradientCosine!) {
        expect(p.pairs.map(({ a, b }) => [a, b])).toEqual(taskPairs(K));
        for (const q of p.pairs) expect(Math.abs(q.cos)).toBeLessThanOrEqual(1);
      }
      if (type === 'asymmetric') for (const p of r.gradientCosine!) for (const q of p.pairs) expect(q.cos).toBe(0);
    },
  );

  it('summarizeConflict counts negative steps per pair', () => {
    const pts = [0.5, -0.2, -0.4, 0.1].map((c, i) => ({ step: i, pairs: [{ a: 0, b: 1, cos: c }] }));
    expect(summarizeConflict(pts, 2)).toEqual([{ a: 0, b: 1, negativeFraction: 0.5, meanCos: expect.closeTo(0, 6), n: 4 }]);
  });
});
