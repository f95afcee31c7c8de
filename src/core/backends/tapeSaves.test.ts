// The cheap tape saves (tapeSaves.ts) change nothing but the kernel count:
// same gradients and losses bit for bit, no tensor left behind, no Identity launch.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentInput } from '../config/schema';
import { Trainer } from '../train/trainer';
import { installCheapTapeSaves, uninstallCheapTapeSaves } from './tapeSaves';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

/** A small network's gradient: its values, and tensors left over once everything is freed. */
function grads(): { values: number[][]; leaked: number } {
  const before = tf.memory().numTensors;
  const init = tf.tensor2d([0.3, -0.2, 0.5, 0.1, 0.7, -0.4], [3, 2]);
  const w = tf.variable(init);
  init.dispose();
  const x = tf.tensor2d([1, 2, 3, -1, 0.5, 2, 0, 1, -2, 1, 1, 1], [4, 3]);
  const values = tf.tidy(() => {
    const g = tf.variableGrads(() => tf.sum(tf.square(tf.relu(tf.matMul(x, w)))) as tf.Scalar, [w]);
    return [Array.from(g.grads[w.name].dataSync()), Array.from(g.value.dataSync())];
  });
  w.dispose();
  x.dispose();
  return { values, leaked: tf.memory().numTensors - before };
}

describe('cheap tape saves', () => {
  it('give the same gradients and leave no tensor behind', () => {
    uninstallCheapTapeSaves();
    const stock = grads();
    installCheapTapeSaves();
    const cheap = grads();
    expect(cheap.values).toEqual(stock.values);
    expect(stock.leaked).toBe(0);
    expect(cheap.leaked).toBe(0);
  });

  it('a training step: bit-identical losses, no Identity kernel launched', async () => {
    const config: ExperimentInput = {
      data: { nTrain: 256, nVal: 32, nTest: 32, inputDim: 12 },
      model: { type: 'ple', levels: 2, expertHidden: [8], towerHidden: [4] },
      train: { steps: 1000, batchSize: 32, evalEvery: 1000, readbackEvery: 1, gradCosineEvery: 0 },
      backend: 'wasm',
    };
    const run = async (cheap: boolean) => {
      const t = await Trainer.create(config); // loads the engine's kernels, which install the cheap saves
      if (!cheap) uninstallCheapTapeSaves();
      let losses: number[] = [];
      const prof = await tf.profile(async () => {
        losses = (await t.train(4)).curve.map((c) => c.loss);
      });
      installCheapTapeSaves();
      t.dispose();
      return { losses, identities: prof.kernels.filter((k) => k.name === 'Identity').length };
    };
    const stock = await run(false);
    const cheap = await run(true);
    expect(cheap.losses).toEqual(stock.losses);
    expect(stock.identities).toBeGreaterThan(0);
    expect(cheap.identities).toBe(0);
  });

  it('leave second-order gradients to the stock clone', () => {
    installCheapTapeSaves();
    const x = tf.scalar(3);
    // d²/dx² x³ = 6x = 18
    const g2 = tf.grad((v: tf.Tensor) => tf.grad((u: tf.Tensor) => tf.mul(tf.mul(u, u), u))(v))(x);
    expect(g2.dataSync()[0]).toBeCloseTo(18, 5);
    tf.dispose([x, g2]);
  });
});
