import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperiment, type ExperimentInput } from '../config/schema';
import { generateDataset } from '../data/generator';
import { TaskLoss } from './losses';
import { Trainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

const small = (over: { data?: object; model?: object; train?: object } = {}): ExperimentInput => ({
  data: { nTrain: 512, nVal: 128, nTest: 128, inputDim: 16, ...over.data },
  model: { type: 'ple', expertHidden: [8], towerHidden: [4], ...over.model },
  train: { steps: 30, batchSize: 64, evalEvery: 10, readbackEvery: 5, ...over.train },
});

async function run(cfg: ExperimentInput) {
  const t = await Trainer.create(cfg);
  await t.train(1000);
  const r = await t.finish();
  t.dispose();
  return r;
}

describe('Trainer', () => {
  it('same seeds → bitwise identical losses and metrics', async () => {
    const a = await run(small());
    const b = await run(small());
    expect(a.train.map((p) => p.loss)).toEqual(b.train.map((p) => p.loss));
    expect(a.test).toEqual(b.test);
    expect(a.gateStats).toEqual(b.gateStats);
  });

  it('a new init seed keeps the data but changes the run; a new batch seed changes only the order', async () => {
    const base = small();
    const a = await Trainer.create(base);
    const b = await Trainer.create(small({ train: { initSeed: 99 } }));
    const c = await Trainer.create(small({ train: { batchSeed: 99 } }));
    expect(b.dataset.train.x).toEqual(a.dataset.train.x);
    expect(c.dataset.train.y).toEqual(a.dataset.train.y);
    const [ra, rb, rc] = [await a.train(10), await b.train(10), await c.train(10)];
    expect(ra.curve[0].loss).not.toBe(rb.curve[0].loss); // different weights
    expect(ra.curve.at(-1)!.loss).not.toBe(rc.curve.at(-1)!.loss); // different batches
    [a, b, c].forEach((t) => t.dispose());
  });

  it('the loss falls on every model family', async () => {
    for (const type of ['single-task', 'shared-bottom', 'cross-stitch', 'omoe', 'mmoe', 'ml-mmoe', 'cgc', 'ple'] as const) {
      const r = await run(small({ model: { type }, train: { steps: 60, learningRate: 0.01 } }));
      expect(r.status).toBe('done');
      const first = r.train[0].loss;
      const last = r.train.at(-1)!.loss;
      expect(last, type).toBeLessThan(first * 0.8);
    }
  });

  it('best-validation selection: the test metrics are those of the weights at bestStep (= a run stopped there)', async () => {
    // A small training set and a large model overfit: the best validation step comes early.
    const over = { data: { nTrain: 64, nVal: 256, nTest: 256, noiseStd: 0.5 }, model: { type: 'mmoe' as const, sharedExperts: 3, expertHidden: [32] }, train: { steps: 300, batchSize: 32, learningRate: 0.01, evalEvery: 20 } };
    const best = await run(small(over));
    expect(best.selectBest).toBe(true);
    expect(best.bestStep).toBeLessThan(300);
    const valAt = best.val.find((v) => v.step === best.bestStep)!;
    for (const v of best.val) expect(v.metrics[0].loss + v.metrics[1].loss).toBeGreaterThanOrEqual(valAt.metrics[0].loss + valAt.metrics[1].loss);
    const stopped = await run(small({ ...over, train: { ...over.train, steps: best.bestStep! } }));
    expect(best.test).toEqual(stopped.test);
    expect(best.gateStats).toEqual(stopped.gateStats);
    const last = await run(small({ ...over, train: { ...over.train, selectBest: false } }));
    expect(last.bestStep).toBe(300);
    expect(last.test).not.toEqual(best.test);
  });

  it('single-task baselines are independent: task A is bit-identical whatever task B does (own Adam state, own clipping, own selection)', async () => {
    const cfg = small({ model: { type: 'single-task' }, train: { steps: 60, clipNorm: 0.5, evalEvery: 10 } });
    const parsed = parseExperiment(cfg);
    if (!parsed.ok) throw new Error(parsed.message);
    const ds = generateDataset(parsed.config.data);
    // Task B's targets ×30: under one global-norm clip its gradients would shrink task A's steps.
    const loud = structuredClone(ds);
    for (const s of [loud.train, loud.val, loud.test]) for (let i = 0; i < s.n; i++) s.y[i * 2 + 1] *= 30;
    const results = [];
    for (const dataset of [ds, loud]) {
      const t = await Trainer.create(cfg, { dataset });
      await t.train(1000);
      results.push(await t.finish());
      t.dispose();
    }
    const [a, b] = results;
    expect(a.test![0]).toEqual(b.test![0]);
    expect(a.val.map((v) => v.metrics[0])).toEqual(b.val.map((v) => v.metrics[0]));
    expect(a.bestStepByTask![0]).toBe(b.bestStepByTask![0]);
    expect(a.test![1]).not.toEqual(b.test![1]);
    expect(a.params).toBeGreaterThan(0);
  });

  it('a diverging run stops with status diverged and the step, and reports no NaN', async () => {
    // Labels of 1e20 square to +Inf in float32: the loss becomes non-finite at once.
    const cfg = small({ train: { steps: 400, readbackEvery: 1, evalEvery: 50 } });
    const clean = await Trainer.create(cfg);
    const ds = clean.dataset;
    clean.dispose();
    const y = ds.train.y.map((v, i) => (i % 7 === 0 ? 1e20 : v));
    const t = await Trainer.create(cfg, { dataset: { ...ds, train: { ...ds.train, y } } });
    const chunk = await t.train(400);
    const r = await t.finish();
    expect(chunk.diverged).toBe(true);
    expect(r.status).toBe('diverged');
    expect(r.divergedAtStep).toBe(1);
    expect(r.steps).toBeLessThan(400);
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
    expect(r.test).toBeNull();
    t.dispose();
  });

  it('does not leak tensors over many steps (every weighting)', async () => {
    for (const kind of ['fixed', 'ple-decay', 'uncertainty', 'gradnorm'] as const) {
      const before = tf.memory().numTensors;
      const t = await Trainer.create(small({ train: { steps: 200, weighting: { kind, gammas: [0.9, 0.8] } } }));
      await t.train(20);
      const mid = tf.memory().numTensors;
      await t.train(100);
      expect(tf.memory().numTensors, kind).toBe(mid);
      await t.finish();
      t.dispose();
      expect(tf.memory().numTensors, kind).toBe(before);
    }
  });

  it('weightings move ω as specified', async () => {
    const decay = await run(small({ train: { steps: 40, weighting: { kind: 'ple-decay', weights: [1, 2], gammas: [0.5, 0.9] } } }));
    // 512 rows / 64 per batch = 8 steps per epoch: step 40 runs in epoch 4 (0-based).
    expect(decay.taskWeights[0]).toBeCloseTo(0.5 ** 4, 6);
    expect(decay.taskWeights[1]).toBeCloseTo(2 * 0.9 ** 4, 6);
    const unc = await run(small({ train: { steps: 40, learningRate: 0.05, weighting: { kind: 'uncertainty' } } }));
    expect(unc.taskWeights.some((w) => Math.abs(w - 0.5) > 1e-3)).toBe(true);
    const gn = await run(small({ train: { steps: 40, weighting: { kind: 'gradnorm' } } }));
    expect(gn.taskWeights.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 4);
    expect(Math.abs(gn.taskWeights[0] - 1)).toBeGreaterThan(1e-4);
  });

  it('binary tasks report AUC and log-loss; chained tasks train on observed rows only', async () => {
    const r = await run(
      small({ data: { tasks: [{ type: 'binary' }, { type: 'binary' }, { type: 'regression' }], chain: true, nTrain: 2048 }, train: { steps: 200, learningRate: 0.01 } }),
    );
    expect(r.test![0].auc).toBeGreaterThan(0.65); // chance is 0.5
    expect(r.test![0].logloss).toBeGreaterThan(0);
    expect(r.test![2].mse).toBeGreaterThan(0);
    expect(r.test![1].n).toBeLessThan(r.test![0].n);
    expect(r.data.observedFraction[1]).toBeLessThan(1);
  });
});

describe('TaskLoss', () => {
  it('ignores rows with δ = 0, and matches the formulas', async () => {
    const loss = new TaskLoss(['regression', 'binary'], true);
    const out = tf.tensor2d([[1, 2], [3, -1], [100, 100]]);
    const y = tf.tensor2d([[0, 1], [1, 0], [0, 0]]);
    const m1 = tf.tensor2d([[1, 1], [1, 1], [0, 0]]);
    const per = Array.from(await loss.perTask(out, y, m1).data());
    const bce = (z: number, t: number) => Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
    expect(per[0]).toBeCloseTo((1 + 4) / 2, 5);
    expect(per[1]).toBeCloseTo((bce(2, 1) + bce(-1, 0)) / 2, 5);
    // Changing a masked row's output does not change the loss.
    const out2 = tf.tensor2d([[1, 2], [3, -1], [-7, 3]]);
    expect(Array.from(await loss.perTask(out2, y, m1).data())).toEqual(per);
    // Stable at extreme logits.
    const ext = Array.from(await new TaskLoss(['binary'], false).perTask(tf.tensor2d([[200], [-200]]), tf.tensor2d([[0], [1]]), m1).data());
    expect(ext[0]).toBeCloseTo(200, 3);
  });
});

describe('config validation', () => {
  const bad: [string, unknown, RegExp][] = [
    ['0 tasks', { data: { tasks: [] } }, /data\.tasks.*between 2 and 6/],
    ['a gate with no expert', { model: { type: 'mmoe', sharedExperts: 0 } }, /model\.sharedExperts.*at least 1 shared expert/],
    ['a CGC task gate with no expert', { model: { type: 'cgc', sharedExperts: 0, specificExperts: [1, 0] } }, /task 2's gate has no expert/],
    ['levels 0', { model: { levels: 0 } }, /model\.levels: levels must be between 1 and 4 \(got 0\)/],
    ['negative sizes', { model: { expertHidden: [-4] } }, /model\.expertHidden\.0: .*between 1 and 1024 \(got -4\)/],
    ['NaN learning rate', { train: { learningRate: Number.NaN } }, /train\.learningRate: learning rate must be a finite number \(got NaN\)/],
    ['non-PSD matrix', { data: { tasks: [{}, {}, {}], correlationMatrix: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]] } }, /not positive semi-definite/],
    ['wrong specific count', { model: { specificExperts: [1, 2, 3] } }, /one count per task \(2\), got 3/],
  ];
  for (const [name, cfg, re] of bad)
    it(`rejects ${name} with a readable message`, () => {
      const r = parseExperiment(cfg);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(re);
    });

  it('accepts the defaults and fills them in', () => {
    const r = parseExperiment({});
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.config.data.inputDim).toBe(100);
      expect(r.config.data.scale).toBe(1);
      expect(r.config.data.numSines).toBe(10);
      expect(r.config.data.noiseStd).toBe(0.1);
    }
  });

  it('data generation does not depend on the model or training config', () => {
    const a = parseExperiment(small());
    const b = parseExperiment(small({ model: { type: 'mmoe' }, train: { initSeed: 5, batchSeed: 6 } }));
    if (!a.ok || !b.ok) throw new Error('invalid');
    expect(generateDataset(a.config.data).test.y).toEqual(generateDataset(b.config.data).test.y);
  });
});
