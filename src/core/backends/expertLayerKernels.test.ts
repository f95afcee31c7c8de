import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../data/rng';
import { Trainer } from '../train/trainer';
import { expertLayerKernelsActive, setExpertLayerKernelsEnabled, splitBiasRelu } from './expertLayerKernels';
import { patchWasmKernels } from './wasmKernels';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  await patchWasmKernels();
});

const B = 6;
/** Values, with −0 written as 0: the ReLU gradient's dy·0 is −0 for a negative dy in
 *  one path and −0 + 0 = +0 after TF.js adds the slices' pads; both sum alike. */
const vals = async (t: tf.Tensor) => Array.from(await t.data(), (v) => (v === 0 ? 0 : v));

function data(C: number, ec: number, seed: number) {
  const rng = new Rng(seed);
  const y = tf.tensor2d(Float32Array.from({ length: B * C }, () => rng.normal()), [B, C]);
  const b = tf.tensor1d(Float32Array.from({ length: ec }, () => 0.5 * rng.normal()));
  // A fixed random projection per output, so every element has its own gradient.
  const we = tf.tensor2d(Float32Array.from({ length: B * ec }, () => rng.normal()), [B, ec]);
  const wl = tf.tensor2d(Float32Array.from({ length: B * Math.max(1, C - ec) }, () => rng.normal()), [B, Math.max(1, C - ec)]);
  return { y, b, we, wl };
}

/** TF.js's own ops, as the generic path runs them. */
function generic(y: tf.Tensor2D, b: tf.Tensor1D, ec: number): [tf.Tensor2D, tf.Tensor2D | null] {
  const [rows, C] = y.shape;
  if (C === ec) return [tf.relu(tf.add(y, b)) as tf.Tensor2D, null];
  return [tf.relu(tf.add(tf.slice(y, [0, 0], [rows, ec]), b)) as tf.Tensor2D, tf.slice(y, [0, ec], [rows, C - ec])];
}

describe('first-expert-layer SIMD kernels', () => {
  it('are active on wasm after patching', () => {
    expect(expertLayerKernelsActive()).toBe(true);
  });

  // ec not a multiple of 4 exercises the SIMD loops' tails; C = ec has no gate columns.
  for (const [C, ec] of [
    [14, 9],
    [24, 16],
    [9, 9],
  ]) {
    it(`C=${C}, ec=${ec}: outputs and gradients equal slice + add + relu exactly`, async () => {
      const { y, b, we, wl } = data(C, ec, C + ec);
      const loss = (f: typeof generic) => (yy: tf.Tensor, bb: tf.Tensor) => {
        const [e, l] = f(yy as tf.Tensor2D, bb as tf.Tensor1D, ec);
        const s = tf.sum(tf.mul(e, we));
        return l ? tf.add(s, tf.sum(tf.mul(l, wl))) : s;
      };
      const [e1, l1] = splitBiasRelu(y, b, ec);
      const [e2, l2] = generic(y, b, ec);
      expect(await vals(e1)).toEqual(await vals(e2));
      expect(l1 === null).toBe(l2 === null);
      if (l1 && l2) expect(await vals(l1)).toEqual(await vals(l2));
      // Some units are dead (ReLU at 0), so the mask matters.
      expect(Array.from(await e1.data()).filter((v) => v === 0).length).toBeGreaterThan(0);
      const [dy1, db1] = tf.grads(loss(splitBiasRelu))([y, b]);
      const [dy2, db2] = tf.grads(loss(generic))([y, b]);
      expect(await vals(dy1)).toEqual(await vals(dy2));
      expect(await vals(db1)).toEqual(await vals(db2));
    });
  }

  it('refuses a bias that does not fit', () => {
    const { y } = data(14, 9, 1);
    expect(() => splitBiasRelu(y, tf.zeros([8]) as tf.Tensor1D, 9)).toThrow(/does not fit/);
  });

  it('a PLE trains to the same losses, bit for bit, with and without them', async () => {
    const losses = async (on: boolean) => {
      setExpertLayerKernelsEnabled(on);
      try {
        const t = await Trainer.create({
          data: { tasks: [{ type: 'regression' }, { type: 'binary' }], inputDim: 10, nTrain: 512, nVal: 64, nTest: 64, seed: 4 },
          model: { type: 'ple', levels: 2, specificExperts: [1, 2], sharedExperts: 2, expertHidden: [7], towerHidden: [5] },
          train: { batchSize: 32, steps: 40, readbackEvery: 1, evalEvery: 1000, learningRate: 0.01 },
        });
        const r = await t.train(40);
        t.dispose();
        return r.curve.map((p) => [p.loss, ...p.taskLoss]);
      } finally {
        setExpertLayerKernelsEnabled(true);
      }
    };
    const [a, b] = [await losses(true), await losses(false)];
    expect(a).toHaveLength(40);
    expect(a).toEqual(b);
    expect(a[39][0]).toBeLessThan(a[0][0]);
  });
});
