import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { patchWasmKernels } from './wasmKernels';
import { KERNELS_WASM_BASE64 } from './simd/kernels.wasm';
import { simdKernels } from './simd/simdKernels';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  await patchWasmKernels();
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

  it('transpose (2-D, [0,2,1], [1,0,2]) matches index arithmetic', async () => {
    const x2 = tf.tensor2d(seq(5 * 37), [5, 37]);
    const t2 = await tf.transpose(x2).array();
    for (let r = 0; r < 5; r++) for (let c = 0; c < 37; c++) expect(t2[c][r]).toBe(r * 37 + c);
    const x3 = tf.tensor3d(seq(3 * 4 * 5), [3, 4, 5]);
    const a = await tf.transpose(x3, [0, 2, 1]).array();
    const b = await tf.transpose(x3, [1, 0, 2]).array();
    const c = await tf.transpose(x3, [2, 1, 0]).array(); // stock kernel
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++)
        for (let k = 0; k < 5; k++) {
          const v = i * 20 + j * 5 + k;
          expect(a[i][k][j]).toBe(v);
          expect(b[j][i][k]).toBe(v);
          expect(c[k][j][i]).toBe(v);
        }
  });

  it('sum over the leading axis (bias gradients) matches a column sum; other sums unchanged', async () => {
    const R = 13;
    const C = 10; // not a multiple of 4: the SIMD loop's tail runs too
    const vals = Float32Array.from({ length: R * C }, (_, i) => Math.sin(i) * 3);
    const x = tf.tensor2d(vals, [R, C]);
    const got = await tf.sum(x, 0).data();
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let r = 0; r < R; r++) s += vals[r * C + c];
      expect(got[c]).toBeCloseTo(s, 4);
    }
    expect(tf.sum(x, 0, true).shape).toEqual([1, C]);
    const rows = await tf.sum(x, 1).data();
    expect(rows[2]).toBeCloseTo(Array.from(vals.subarray(20, 30)).reduce((a, b) => a + b, 0), 4);
  });

  it('the SIMD module is loaded and shares the heap safely: it imports only memory, has no data or start', () => {
    expect(simdKernels()).not.toBeNull();
    const bytes = Buffer.from(KERNELS_WASM_BASE64, 'base64');
    const mod = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(mod)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    // Section ids: 8 = start, 11 = data (would write into TF.js's heap at instantiation).
    const ids: number[] = [];
    for (let i = 8; i < bytes.length; ) {
      ids.push(bytes[i++]);
      let size = 0;
      for (let shift = 0; ; shift += 7) {
        const b = bytes[i++];
        size |= (b & 127) << shift;
        if (!(b & 128)) break;
      }
      i += size;
    }
    expect(ids).not.toContain(8);
    expect(ids).not.toContain(11);
  });
});
