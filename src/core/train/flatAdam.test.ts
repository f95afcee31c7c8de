import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { patchWasmKernels } from '../backends/wasmKernels';
import { simdKernels } from '../backends/simd/simdKernels';
import { Rng } from '../data/rng';
import { FlatAdam } from './flatAdam';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  await patchWasmKernels();
});

const shapes = [[7, 5], [5], [3, 2, 3], [1]];

function makeVars(seed: number): tf.Variable[] {
  const rng = new Rng(seed);
  return shapes.map((s) => tf.tidy(() => tf.variable(tf.tensor(Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal()), s))));
}

/** Runs `steps` Adam steps on a fixed quadratic-ish loss; returns the final values. */
async function run(simd: boolean, clipNorm: number, steps = 25): Promise<number[][]> {
  const vars = makeVars(1);
  const opt = new FlatAdam(vars, 0.05, 1e-7, clipNorm);
  opt.preferSimd = simd;
  // Use the matrix parameter in a matMul every step: TF.js caches packed matMul
  // weights per tensor, so an update that wrote a parameter in place would make
  // the next matMul use stale weights (checked below against a fresh copy).
  const probe = tf.tensor2d(Float32Array.from({ length: 3 * 7 }, (_, i) => Math.cos(i)), [3, 7]);
  const rng = new Rng(2);
  const targets = vars.map((v) => tf.tensor(Float32Array.from({ length: v.size }, () => 3 * rng.normal()), v.shape));
  for (let s = 0; s < steps; s++) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.addN(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, targets[i]))))) as tf.Scalar, vars);
      tf.matMul(probe, vars[0] as tf.Tensor2D).dispose();
      opt.apply(vars.map((v) => grads[v.name]));
      expect(opt.lastPath).toBe(simd ? 'simd' : 'kernels');
    });
    const copy = tf.tensor2d(await vars[0].data(), [7, 5]);
    const [cached, fresh] = [tf.matMul(probe, vars[0] as tf.Tensor2D), tf.matMul(probe, copy)];
    expect(Array.from(await cached.data())).toEqual(Array.from(await fresh.data()));
    tf.dispose([copy, cached, fresh]);
  }
  probe.dispose();
  const out = await Promise.all(vars.map(async (v) => Array.from(await v.data())));
  vars.forEach((v) => v.dispose());
  targets.forEach((t) => t.dispose());
  opt.dispose();
  return out;
}

describe('FlatAdam', () => {
  it('runs on the SIMD kernels on wasm', () => {
    expect(simdKernels()).not.toBeNull();
  });

  for (const clip of [0, 1]) {
    it(`SIMD update equals the kernel update (clipNorm ${clip})`, async () => {
      const [a, b] = [await run(true, clip), await run(false, clip)];
      a.forEach((vals, i) => vals.forEach((x, j) => expect(x).toBeCloseTo(b[i][j], 5)));
      // The run moved the parameters (a test that would pass with a no-op update is no test).
      const start = await Promise.all(makeVars(1).map(async (v) => Array.from(await v.data())));
      expect(Math.abs(a[0][0] - start[0][0])).toBeGreaterThan(0.1);
    });
  }

  it('leaves no tensors behind', async () => {
    for (const simd of [false, true]) {
      const before = tf.memory();
      await run(simd, 1, 5);
      const after = tf.memory();
      expect(after.numTensors, simd ? 'simd' : 'kernels').toBe(before.numTensors);
      expect(after.numDataBuffers, simd ? 'simd' : 'kernels').toBe(before.numDataBuffers);
      expect(after.numBytes, simd ? 'simd' : 'kernels').toBe(before.numBytes);
    }
  });
});
