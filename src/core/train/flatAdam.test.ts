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
  const rng = new Rng(2);
  const targets = vars.map((v) => tf.tensor(Float32Array.from({ length: v.size }, () => 3 * rng.normal()), v.shape));
  for (let s = 0; s < steps; s++) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.addN(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, targets[i]))))) as tf.Scalar, vars);
      opt.apply(vars.map((v) => grads[v.name]));
    });
  }
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
      const before = tf.memory().numTensors;
      await run(simd, 1, 5);
      expect(tf.memory().numTensors, simd ? 'simd' : 'kernels').toBe(before);
    }
  });
});
