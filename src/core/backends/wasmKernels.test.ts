import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { patchWasmKernels } from './wasmKernels';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  patchWasmKernels();
});

const seq = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

describe('patched WASM kernels', () => {
  it('slice matches index arithmetic for ranks 1–4 and odd ranges', async () => {
    const x3 = tf.tensor3d(seq(4 * 5 * 6), [4, 5, 6]);
    const s = tf.slice(x3, [1, 2, 3], [2, 3, 2]);
    const got = Array.from(await s.data());
    const want: number[] = [];
    for (let i = 1; i < 3; i++) for (let j = 2; j < 5; j++) for (let k = 3; k < 5; k++) want.push(i * 30 + j * 6 + k);
    expect(got).toEqual(want);
    expect(s.shape).toEqual([2, 3, 2]);
    expect(Array.from(await tf.slice(tf.tensor1d(seq(10)), [3], [4]).data())).toEqual([3, 4, 5, 6]);
    const x2 = tf.tensor2d(seq(12), [3, 4]);
    expect(await tf.slice(x2, [0, 1], [-1, 2]).array()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(await tf.slice(x2, [1, 0], [2, 4]).array()).toEqual([[4, 5, 6, 7], [8, 9, 10, 11]]);
    const x4 = tf.tensor4d(seq(2 * 3 * 4 * 5), [2, 3, 4, 5]);
    const s4 = await tf.slice(x4, [1, 0, 1, 2], [1, 3, 2, 3]).data();
    expect(s4[0]).toBe(60 + 0 + 5 + 2);
    expect(s4.length).toBe(18);
  });

  it('split, unstack and identity give the same values; identity shares safely', async () => {
    const x = tf.tensor2d(seq(24), [4, 6]);
    const parts = tf.split(x, [1, 3, 2], 1);
    expect(await parts[1].array()).toEqual([[1, 2, 3], [7, 8, 9], [13, 14, 15], [19, 20, 21]]);
    const rows = tf.unstack(x, 0);
    expect(Array.from(await rows[2].data())).toEqual([12, 13, 14, 15, 16, 17]);
    expect(rows[2].shape).toEqual([6]);
    const c = tf.clone(x);
    x.dispose();
    expect(Array.from(await c.data())).toEqual(Array.from(seq(24)));
  });

  it('gradients through slices are unchanged', async () => {
    const w = tf.variable(tf.tensor2d(seq(12), [3, 4]));
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.slice(w, [1, 1], [2, 2]))) as tf.Scalar, [w]);
    expect(await grads[w.name].array()).toEqual([[0, 0, 0, 0], [0, 10, 12, 0], [0, 18, 20, 0]]);
  });
});
