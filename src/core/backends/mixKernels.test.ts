import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../data/rng';
import { mixExperts } from '../models/ops';
import { mustParseExperiment, resolveConfig, type ExperimentInput } from '../config/schema';
import { buildModel } from '../models/registry';
import { mixKernel, mixKernelsActive, setMixKernelsEnabled } from './mixKernels';
import { setExpertLayerKernelsEnabled } from './expertLayerKernels';
import { patchWasmKernels } from './wasmKernels';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  await patchWasmKernels();
});

const B = 5;
const G = 3;
const E = 4;
const H = 7;

/** Gate weights with some pairs masked to exactly zero, like a CGC/PLE level. */
function inputs(seed: number): { logits: tf.Tensor3D; p: tf.Tensor3D; x: tf.Tensor3D; w: tf.Tensor3D } {
  const rng = new Rng(seed);
  const mask = [1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1]; // gate 0 cannot see expert 2, gate 1 cannot see expert 0
  const logits = Float32Array.from({ length: B * G * E }, (_, i) => (mask[i % (G * E)] ? rng.normal() : -1e9));
  const l = tf.tensor3d(logits, [B, G, E]);
  const p = tf.softmax(l) as tf.Tensor3D;
  const x = tf.tensor3d(Float32Array.from({ length: B * E * H }, () => rng.normal()), [B, E, H]);
  // A fixed random projection of the output, so every output element has its own gradient.
  const w = tf.tensor3d(Float32Array.from({ length: B * G * H }, () => rng.normal()), [B, G, H]);
  return { logits: l, p, x, w };
}

const close = async (a: tf.Tensor, b: tf.Tensor) => {
  expect(a.shape).toEqual(b.shape);
  const [av, bv] = [await a.data(), await b.data()];
  for (let i = 0; i < av.length; i++) expect(av[i]).toBeCloseTo(bv[i], 5);
};

describe('WASM gate-mixing kernels', () => {
  it('are active on wasm after patching', () => {
    expect(mixKernelsActive()).toBe(true);
  });

  it('forward equals the batched matMul, packed and split per gate', async () => {
    const { p, x } = inputs(1);
    const want = mixExperts(p, x);
    const [packed] = mixKernel(p, x, false);
    await close(packed, want);
    const split = mixKernel(p, x, true);
    expect(split).toHaveLength(G);
    const parts = tf.unstack(want, 1);
    for (let g = 0; g < G; g++) await close(split[g], parts[g]);
  });

  it('gradients w.r.t. gate weights and experts equal the batched matMul gradients', async () => {
    const { p, x, w } = inputs(2);
    const ref = tf.grads((pp: tf.Tensor, xx: tf.Tensor) => tf.sum(tf.mul(mixExperts(pp as tf.Tensor3D, xx as tf.Tensor3D), w)));
    const [dpRef, dxRef] = ref([p, x]);
    const packed = tf.grads((pp: tf.Tensor, xx: tf.Tensor) => tf.sum(tf.mul(mixKernel(pp as tf.Tensor3D, xx as tf.Tensor3D, false)[0], w)));
    const [dpPacked, dxPacked] = packed([p, x]);
    await close(dxPacked, dxRef);
    const split = tf.grads((pp: tf.Tensor, xx: tf.Tensor) => {
      const outs = mixKernel(pp as tf.Tensor3D, xx as tf.Tensor3D, true);
      const ws = tf.unstack(w, 1);
      return tf.addN(outs.map((o, g) => tf.sum(tf.mul(o, ws[g]))));
    });
    const [dpSplit, dxSplit] = split([p, x]);
    await close(dxSplit, dxRef);
    // dP of a masked pair is skipped (reported 0): it only ever meets p = 0 in
    // the softmax gradient. Everywhere else it equals the reference.
    const pv = await p.data();
    const [r, a, b] = [await dpRef.data(), await dpPacked.data(), await dpSplit.data()];
    for (let i = 0; i < pv.length; i++) {
      const want = pv[i] === 0 ? 0 : r[i];
      expect(a[i]).toBeCloseTo(want, 5);
      expect(b[i]).toBeCloseTo(want, 5);
    }
    // …and the reference is nonzero there, so the skip is really exercised.
    expect(Array.from(r).some((v, i) => pv[i] === 0 && v !== 0)).toBe(true);
  });

  it('refuses gate weights that do not fit the experts (it would read past them)', () => {
    const { p } = inputs(4);
    expect(() => mixKernel(p, tf.zeros([B, E + 1, H]) as tf.Tensor3D, true)).toThrow(/do not fit/);
    expect(() => mixKernel(p, tf.zeros([B + 1, E, H]) as tf.Tensor3D, true)).toThrow(/do not fit/);
  });

  it('the logits gradient through a masked softmax is unchanged', async () => {
    const { logits, p, x, w } = inputs(3);
    expect(Array.from(await p.data()).filter((v) => v === 0).length).toBe(2 * B); // masked pairs are exactly 0
    const via = (mixFn: (pp: tf.Tensor3D) => tf.Tensor) =>
      tf.grad((l: tf.Tensor) => tf.sum(tf.mul(mixFn(tf.softmax(l) as tf.Tensor3D), w)))(logits);
    await close(via((pp) => mixKernel(pp, x, false)[0]), via((pp) => mixExperts(pp, x)));
  });
});

describe('gated models on the SIMD kernels (mixing and first expert layer)', () => {
  const cases: ExperimentInput['model'][] = [
    { type: 'ple', levels: 3, specificExperts: [1, 2, 3], sharedExperts: 2, expertHidden: [6, 5], towerHidden: [4] },
    { type: 'cgc', levels: 1, specificExperts: 2, sharedExperts: 1, expertHidden: [6], towerHidden: [4] },
    { type: 'mmoe', sharedExperts: 3, expertHidden: [6], towerHidden: [4] },
    { type: 'omoe', sharedExperts: 3, expertHidden: [6], towerHidden: [4] },
    { type: 'ml-mmoe', levels: 2, sharedExperts: 3, expertHidden: [6], towerHidden: [4] },
  ];
  for (const model of cases) {
    it(`${model!.type}: outputs, gates and every variable's gradient equal the generic path`, async () => {
      const data = { tasks: [{ type: 'regression' }, { type: 'regression' }, { type: 'regression' }] as const, inputDim: 9 };
      const cfg = resolveConfig(mustParseExperiment({ data: { ...data, tasks: [...data.tasks] }, model }));
      const m = buildModel(cfg.model, 3, 9, 11);
      const x = tf.randomNormal([6, 9], 0, 1, 'float32', 5) as tf.Tensor2D;
      const run = (on: boolean) => {
        setMixKernelsEnabled(on);
        setExpertLayerKernelsEnabled(on);
        try {
          const r = m.forward(x, { gates: true });
          const { grads } = tf.variableGrads(() => tf.sum(tf.square(m.forward(x).outputs)) as tf.Scalar, m.variables);
          return { out: r.outputs, gates: r.gates.map((g) => g.weights), grads: m.variables.map((v) => grads[v.name]) };
        } finally {
          setMixKernelsEnabled(true);
          setExpertLayerKernelsEnabled(true);
        }
      };
      const fast = run(true);
      const generic = run(false);
      await close(fast.out, generic.out);
      for (let i = 0; i < fast.gates.length; i++) await close(fast.gates[i], generic.gates[i]);
      for (let i = 0; i < fast.grads.length; i++) await close(fast.grads[i], generic.grads[i]);
      m.dispose();
    });
  }
});
