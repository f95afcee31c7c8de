import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mustParseExperiment, resolveConfig } from '../../core/config/schema';
import { buildModel } from '../../core/models/registry';
import { BatchSampler, PerExpertLoopPle, type LoopPleConfig } from './perExpertLoop';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const benchShape: LoopPleConfig = {
  inputDim: 100,
  taskTypes: ['regression', 'regression'],
  levels: 2,
  specificExperts: 2,
  sharedExperts: 2,
  expertHidden: [64],
  towerHidden: [32],
  learningRate: 0.003,
  adamEpsilon: 1e-7,
  initSeed: 2,
};

describe('per-expert loop PLE (benchmark baseline)', () => {
  it("has exactly the engine PLE's parameter count on the bench config", () => {
    const loop = new PerExpertLoopPle(benchShape);
    const cfg = resolveConfig(
      mustParseExperiment({ model: { type: 'ple', levels: 2, specificExperts: 2, sharedExperts: 2, expertHidden: [64], towerHidden: [32] } }),
    );
    const engine = buildModel(cfg.model, 2, 100, 2);
    expect(loop.parameterCount()).toBe(engine.parameterCount());
    // one variable per weight and bias: 6+6 experts ×2, 3+2 gates ×2 (with bias), 2 towers × 2 layers × 2
    expect(loop.variables.length).toBe(24 + 10 + 8);
    loop.dispose();
    engine.dispose();
  });

  it('gives [B, K] outputs and learns (loss falls) without leaking tensors', async () => {
    const cfg: LoopPleConfig = { ...benchShape, inputDim: 6, expertHidden: [8], towerHidden: [4], learningRate: 0.02, taskTypes: ['regression', 'binary'] };
    const n = 256;
    const x = new Float32Array(n * 6).map((_, i) => Math.sin(i * 12.9898) * 2);
    const y = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const s = x[i * 6] + 0.5 * x[i * 6 + 1];
      y[i * 2] = s;
      y[i * 2 + 1] = s > 0 ? 1 : 0;
    }
    const model = new PerExpertLoopPle(cfg);
    const sampler = new BatchSampler(x, y, n, 6, 2, 64, 5);
    const xs = tf.tensor2d(x, [n, 6]);
    const ys = tf.tensor2d(y, [n, 2]);
    const out = model.forward(xs);
    expect(out.shape).toEqual([n, 2]);
    out.dispose();
    const lossOf = async () => {
      const l = model.loss(xs, ys);
      const v = (await l.data())[0];
      l.dispose();
      return v;
    };
    const first = await lossOf();
    // warm up so Adam's slots exist, then count
    for (let s = 0; s < 5; s++) {
      const b = sampler.next();
      model.trainStep(b.x, b.y);
      b.x.dispose();
      b.y.dispose();
    }
    const before = tf.memory().numTensors;
    for (let s = 0; s < 200; s++) {
      const b = sampler.next();
      const l = model.trainStep(b.x, b.y, s % 10 === 0);
      l?.dispose();
      b.x.dispose();
      b.y.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    const last = await lossOf();
    expect(last).toBeLessThan(first * 0.5);
    model.dispose();
    sampler.dispose();
    xs.dispose();
    ys.dispose();
  });
});
