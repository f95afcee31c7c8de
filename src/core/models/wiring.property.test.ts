// Property test over random shapes (issue 10, SPEC §2 "known engine trap"):
// for random valid configs of EVERY family — 2–6 tasks, 1–4 levels, per-task
// expert counts including 0, with and without gate MLPs and gate bias — the
// packed model's forward equals the plain reference forward of its own
// structural export, outputs and every gate's weights, on wasm (with the SIMD
// kernels training uses) and on cpu (the generic path). Every gate puts
// weight only on the experts it may see. The wiring bug this guards against
// hid in shapes no hand-picked test drew (a task with 0 experts at a level ≥ 2).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { MODEL_TYPES, mustParseExperiment, resolveConfig, type ModelType } from '../config/schema';
import { Rng } from '../data/rng';
import { patchWasmKernels } from '../backends/wasmKernels';
import { buildModel } from './registry';
import { describeConfig, drawValid } from './randomConfig.testutil';
import { referenceForward, type Structure } from './reference.testutil';

const D = 7;
const ROWS = 6;

async function checkCase(type: ModelType, seed: number): Promise<string> {
  const r = new Rng(seed);
  const cfg = drawValid(type, r);
  const K = cfg.data.tasks.length;
  const m = buildModel(cfg.model, K, D, seed);
  const desc = describeConfig(cfg);
  try {
    // Perturb every variable: zero biases and symmetric inits would hide a wrong slice.
    m.variables.forEach((v, i) => v.assign(tf.tidy(() => tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', seed * 31 + i)))));
    const x = tf.randomNormal([ROWS, D], 0, 1, 'float32', seed) as tf.Tensor2D;
    const fwd = m.forward(x, { gates: true, featureGates: true });
    const got = (await fwd.outputs.array()) as number[][];
    const gates = await Promise.all(fwd.gates.map(async (g) => ({ key: `${g.info.level}/${g.info.id}`, w: (await g.weights.array()) as number[][] })));
    // Feature gates are keyed 'features/<id>' in the reference.
    for (const f of fwd.featureGates ?? []) gates.push({ key: `features/${f.info.id}`, w: (await f.weights.array()) as number[][] });
    expect(fwd.featureGates?.length ?? 0, `${desc}: feature gates`).toBe(m.featureGateInfo?.().length ?? 0);
    if (cfg.model.featureGates && (type === 'mmoe' || type === 'cgc' || type === 'ple'))
      expect(fwd.featureGates?.map((f) => f.info.id), `${desc}: one feature gate per task (+ shared)`).toEqual([
        ...Array.from({ length: K }, (_, k) => `task:${k}`),
        ...(cfg.model.sharedExperts > 0 || (type === 'ple' && cfg.model.levels > 1) ? ['shared'] : []),
      ]);
    else expect(fwd.featureGates ?? [], `${desc}: no feature gates`).toEqual([]);
    const s = (await m.exportStructure()) as unknown as Structure;
    const xs = (await x.array()) as number[][];
    xs.forEach((row, i) => {
      const refGates = new Map<string, number[]>();
      const ref = referenceForward(s, row, refGates);
      ref.forEach((v, k) => expect(Math.abs(got[i][k] - v), `${desc}: output ${k} row ${i}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
      for (const g of gates) {
        const want = refGates.get(g.key)!;
        expect(want, `${desc}: gate ${g.key} missing from the export`).toBeDefined();
        expect(g.w[i].length).toBe(want.length);
        g.w[i].forEach((v, e) => expect(Math.abs(v - want[e]), `${desc}: gate ${g.key} expert ${e}`).toBeLessThan(1e-5));
        // The weights on the experts a gate may see sum to 1: nothing leaks outside.
        expect(Math.abs(g.w[i].reduce((a, b) => a + b, 0) - 1), `${desc}: gate ${g.key} sums to 1`).toBeLessThan(1e-5);
      }
    });
    // Gate info, the export's gates and the forward's gates list the same experts.
    if (type === 'esmm' && cfg.model.esmmBottom === 'cgc') expect(s.levels?.[0].modules.length, `${desc}: a CGC bottom`).toBeGreaterThan(0);
    const exported = (s.levels ?? []).flatMap((l, li) => l.gates.map((g) => `${li}/${g.id}:${g.experts.map((e) => `${e.module}.${e.index}`).join(',')}`));
    const info = m.gateInfo().map((g) => `${g.level}/${g.id}:${g.experts.map((e) => `${e.module}.${e.index}`).join(',')}`);
    if (type !== 'adatt') expect(info.sort()).toEqual(exported.sort());
    x.dispose();
    return desc;
  } finally {
    m.dispose();
  }
}

const CASES_PER_FAMILY = 8;

describe('forward = reference forward of the export, random shapes of every family', () => {
  afterAll(async () => {
    await tf.setBackend('wasm');
  });
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`${backend}: ${CASES_PER_FAMILY} random configs per family`, async () => {
      await tf.setBackend(backend);
      await tf.ready();
      if (backend === 'wasm') await patchWasmKernels();
      const seen: string[] = [];
      for (const type of MODEL_TYPES)
        for (let c = 0; c < (backend === 'cpu' ? CASES_PER_FAMILY / 2 : CASES_PER_FAMILY); c++) seen.push(await checkCase(type, 1000 * MODEL_TYPES.indexOf(type) + c + 1));
      // The draw really covers the shapes that matter.
      expect(seen.some((d) => /^ple .*levels=[2-4].*specific=\[[^\]]*\b0\b/.test(d))).toBe(true);
      expect(seen.some((d) => /^ml-mmoe .*levels=[3-4]/.test(d))).toBe(true);
      expect(seen.some((d) => /gateHidden=\[\d/.test(d))).toBe(true);
      for (const t of ['mmoe', 'cgc', 'ple']) expect(seen.some((d) => d.startsWith(`${t} `) && /featureGates=true/.test(d)), `${t} with feature gates drawn`).toBe(true);
      expect(seen.some((d) => /^ple .*levels=[2-4].*featureGates=true/.test(d))).toBe(true);
      expect(seen.some((d) => /^esmm .*esmmBottom=cgc/.test(d))).toBe(true);
      expect(seen.some((d) => /^esmm .*esmmBottom=shared/.test(d))).toBe(true);
    }, 120_000);
  }
});

describe('the case the bug report named', () => {
  it('PLE, 3 tasks, specific [2, 0, 1], 1 shared, 2 levels: forward = export on wasm', async () => {
    await tf.setBackend('wasm');
    await patchWasmKernels();
    const cfg = resolveConfig(
      mustParseExperiment({ data: { tasks: [{}, {}, {}], inputDim: D }, model: { type: 'ple', levels: 2, sharedExperts: 1, specificExperts: [2, 0, 1], expertHidden: [5], towerHidden: [3] } }),
    );
    const m = buildModel(cfg.model, 3, D, 5);
    m.variables.forEach((v, i) => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', i))));
    const x = tf.randomNormal([4, D], 0, 1, 'float32', 9) as tf.Tensor2D;
    const got = (await m.forward(x).outputs.array()) as number[][];
    const s = (await m.exportStructure()) as unknown as Structure;
    ((await x.array()) as number[][]).forEach((row, i) => referenceForward(s, row).forEach((v, k) => expect(got[i][k]).toBeCloseTo(v, 5)));
    m.dispose();
  });
});
