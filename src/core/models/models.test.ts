import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_TYPES, mustParseExperiment, resolveConfig, type ExperimentInput, type ModelType } from '../config/schema';
import { buildModel } from './registry';
import type { MtlModel } from './model';
import { GatedExpertsModel } from './gatedExperts';
import { SharedBottomModel } from './sharedBottom';
import { referenceForward } from './reference.testutil';
import { patchWasmKernels } from '../backends/wasmKernels';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  // The kernels training uses on wasm (Trainer.create installs them too).
  await patchWasmKernels();
});

function make(model: ExperimentInput['model'], tasks = 2, seed = 7): MtlModel {
  // ESMM only exists for a click → conversion chain of two binary tasks.
  const esmm = model?.type === 'esmm';
  const data = { tasks: Array.from({ length: tasks }, () => ({ type: esmm ? 'binary' : 'regression' }) as const), inputDim: 12, chain: esmm };
  const cfg = resolveConfig(mustParseExperiment({ data, model }));
  return buildModel(cfg.model, tasks, 12, seed);
}

function input(rows = 5, d = 12, seed = 3): tf.Tensor2D {
  return tf.randomNormal([rows, d], 0, 1, 'float32', seed) as tf.Tensor2D;
}

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describe('every model', () => {
  for (const type of MODEL_TYPES) {
    it(`${type}: output shape [B, K] and every gate's weights sum to 1`, async () => {
      for (const K of type === 'esmm' ? [2] : [2, 3]) {
        // Sluice mixes its layers' outputs, so they need one (even) size.
        const expertHidden = type === 'sluice' ? [8, 8] : [8, 6];
        const m = make({ type, levels: 2, sharedExperts: 2, specificExperts: 1, expertHidden, towerHidden: [4] }, K);
        const x = input();
        const r = m.forward(x, { gates: true });
        expect(r.outputs.shape).toEqual([5, K]);
        expect(r.gates.length).toBe(m.gateInfo().length);
        for (const g of r.gates) {
          expect(g.weights.shape).toEqual([5, g.info.experts.length]);
          const sums = await values(tf.sum(g.weights, 1));
          for (const s of sums) expect(s).toBeCloseTo(1, 5);
          for (const v of await values(g.weights)) expect(v).toBeGreaterThan(0);
        }
        const gatedTypes: ModelType[] = ['omoe', 'mmoe', 'ml-mmoe', 'cgc', 'ple', 'adatt'];
        expect(r.gates.length > 0).toBe(gatedTypes.includes(type));
        m.dispose();
      }
    });
  }

  it('experts never start identical', async () => {
    const m = make({ type: 'mmoe', sharedExperts: 3, expertHidden: [8] }) as GatedExpertsModel;
    const s = (await m.exportStructure()) as { levels: { modules: { experts: { layers: { W: number[][] }[] }[] }[] }[] };
    const experts = s.levels[0].modules[0].experts.map((e) => JSON.stringify(e.layers[0].W));
    expect(new Set(experts).size).toBe(3);
    m.dispose();
  });

  it('variables are disposed with the model', () => {
    const before = tf.memory().numTensors;
    const m = make({ type: 'ple', levels: 3, expertHidden: [8, 4], gateHidden: [5] }, 3);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** Gradient of a scalar loss on each named variable, as its L1 norm. */
function gradNorms(m: MtlModel, loss: (out: tf.Tensor2D) => tf.Scalar, x: tf.Tensor2D): Map<string, tf.Tensor> {
  const { grads } = tf.variableGrads(() => loss(m.forward(x).outputs), m.variables);
  return new Map(Object.entries(grads));
}

describe('CGC gradient isolation (one level)', () => {
  it("task 1's loss puts exactly zero gradient on task 2's experts and gate, nonzero on shared experts", async () => {
    const m = make({ type: 'cgc', sharedExperts: 2, specificExperts: [2, 3], expertHidden: [6], towerHidden: [4] }) as GatedExpertsModel;
    const x = input(16);
    const grads = gradNorms(m, (out) => tf.sum(tf.square(tf.slice(out, [0, 0], [-1, 1]))) as tf.Scalar, x);
    // The level's packed weight: columns [task1 experts | task2 experts | shared experts | gate1 logits | gate2 logits].
    const s = (await m.exportStructure()) as { levels: { modules: { id: string }[] }[] };
    expect(s.levels[0].modules.map((mm) => mm.id)).toEqual(['task:0', 'task:1', 'shared']);
    const W = m.variables[0];
    const b = m.variables[1];
    const gW = await grads.get(W.name)!.array() as number[][];
    const gb = Array.from(await grads.get(b.name)!.data());
    const h = 6;
    const E = 7;
    const col = (c0: number, c1: number) => gW.flatMap((row) => row.slice(c0, c1));
    const task1 = col(0, 2 * h);
    const task2 = col(2 * h, 5 * h);
    const shared = col(5 * h, 7 * h);
    const gate1 = col(7 * h, 7 * h + E);
    const gate2 = col(7 * h + E, 7 * h + 2 * E);
    const maxAbs = (a: number[]) => Math.max(...a.map(Math.abs));
    expect(maxAbs(task2)).toBe(0);
    expect(maxAbs(gb.slice(2 * h, 5 * h))).toBe(0);
    expect(maxAbs(gate2)).toBe(0);
    expect(maxAbs(task1)).toBeGreaterThan(0);
    expect(maxAbs(shared)).toBeGreaterThan(0);
    expect(maxAbs(gate1)).toBeGreaterThan(0);
    // Task 2's tower gets nothing either. Towers are packed block-diagonally:
    // first layer [2·6, 2·4], task 1's block top-left, task 2's bottom-right.
    const towerW = (await grads.get(m.variables.at(-4)!.name)!.array()) as number[][];
    expect(maxAbs(towerW.slice(0, 6).flatMap((r) => r.slice(0, 4)))).toBeGreaterThan(0);
    expect(maxAbs(towerW.slice(6).flatMap((r) => r.slice(4)))).toBe(0);
    // Off-block entries never get gradient.
    expect(maxAbs(towerW.slice(0, 6).flatMap((r) => r.slice(4)))).toBe(0);
    m.dispose();
  });
});

describe('PLE structure', () => {
  it('two levels: level-1 shared gate mixes every expert of the level; the last level has no shared gate', () => {
    const m = make({ type: 'ple', levels: 2, sharedExperts: 2, specificExperts: [1, 2] });
    const info = m.gateInfo();
    const l0 = info.filter((g) => g.level === 0);
    const l1 = info.filter((g) => g.level === 1);
    expect(l0.map((g) => g.id)).toEqual(['task:0', 'task:1', 'shared']);
    expect(l1.map((g) => g.id)).toEqual(['task:0', 'task:1']);
    const sharedGate = l0.find((g) => g.id === 'shared')!;
    expect(sharedGate.experts.map((e) => `${e.module}/${e.index}`)).toEqual([
      'task:0/0',
      'task:1/0',
      'task:1/1',
      'shared/0',
      'shared/1',
    ]);
    // Task gates see their own experts and the shared ones only.
    expect(l0[0].experts.map((e) => `${e.module}/${e.index}`)).toEqual(['task:0/0', 'shared/0', 'shared/1']);
    expect(l0[1].experts.map((e) => `${e.module}/${e.index}`)).toEqual(['task:1/0', 'task:1/1', 'shared/0', 'shared/1']);
    m.dispose();
  });

  it("level 2's shared experts read the level-1 shared gate's output: task 1's loss reaches task 2's level-1 experts through it", async () => {
    const m = make({ type: 'ple', levels: 2, sharedExperts: 1, specificExperts: 1, expertHidden: [5], towerHidden: [3] }) as GatedExpertsModel;
    const x = input(8);
    const grads = gradNorms(m, (out) => tf.sum(tf.slice(out, [0, 0], [-1, 1])) as tf.Scalar, x);
    const gW = (await grads.get(m.variables[0].name)!.array()) as number[][];
    // Level 0 packed columns: [task1 expert (5) | task2 expert (5) | shared expert (5) | gates...]
    const task2 = gW.flatMap((r) => r.slice(5, 10));
    expect(Math.max(...task2.map(Math.abs))).toBeGreaterThan(0);
    m.dispose();
  });

  it('PLE with one level is CGC: same parameters, same outputs', async () => {
    const spec = { sharedExperts: 2, expertHidden: [8], towerHidden: [4], levels: 1 };
    const a = make({ type: 'ple', ...spec, specificExperts: [1, 2] }, 2, 11);
    const b = make({ type: 'cgc', ...spec, specificExperts: [1, 2] }, 2, 11);
    expect(a.parameterCount()).toBe(b.parameterCount());
    expect(a.variables.map((v) => v.shape)).toEqual(b.variables.map((v) => v.shape));
    const x = input(9);
    const oa = await values(a.forward(x).outputs);
    const ob = await values(b.forward(x).outputs);
    expect(oa).toEqual(ob);
    expect(JSON.stringify(await a.exportStructure())).toBe(JSON.stringify(await b.exportStructure()));
    a.dispose();
    b.dispose();
  });

  it('ML-MMoE (PLE paper, Meta MLMMoE): every gate reads the raw input; an inner level has one gate per next-level expert, the last one per task', async () => {
    const m = make({ type: 'ml-mmoe', levels: 3, sharedExperts: 3, expertHidden: [5], towerHidden: [3] });
    const ids = m.gateInfo().map((g) => `${g.level}:${g.id}:${g.experts.length}`);
    expect(ids).toEqual(['0:expert:0:3', '0:expert:1:3', '0:expert:2:3', '1:expert:0:3', '1:expert:1:3', '1:expert:2:3', '2:task:0:3', '2:task:1:3']);
    const s = (await m.exportStructure()) as {
      levels: { inputDim: number; modules: { id: string; experts: { input: string }[] }[]; gates: { id: string; input: string; layers: { W: number[][] }[] }[] }[];
    };
    for (const l of s.levels) for (const g of l.gates) {
      expect(g.input).toBe('input');
      expect(g.layers[0].W.length).toBe(12); // reads x (d = 12), not the previous level (H = 5)
    }
    expect(s.levels[0].modules[0].experts.map((e) => e.input)).toEqual(['input', 'input', 'input']);
    expect(s.levels[1].modules[0].experts.map((e) => e.input)).toEqual(['expert:0', 'expert:1', 'expert:2']);
    expect(s.levels[2].modules[0].experts.map((e) => e.input)).toEqual(['expert:0', 'expert:1', 'expert:2']);
    m.dispose();
  });

  it('OMoE has one gate for all tasks; MMoE one per task', () => {
    const o = make({ type: 'omoe', sharedExperts: 3 }, 3);
    const mm = make({ type: 'mmoe', sharedExperts: 3 }, 3);
    expect(o.gateInfo().map((g) => g.id)).toEqual(['shared']);
    expect(mm.gateInfo().map((g) => g.id)).toEqual(['task:0', 'task:1', 'task:2']);
    o.dispose();
    mm.dispose();
  });
});

describe('gate bias (model.gateBias)', () => {
  // x and −x in one set: the exact symmetry of x ~ N(0, I). Without a bias a
  // 2-expert gate weighs σ(a·x) and σ(−a·x), so its mean is 1/2 whatever a is.
  async function meanGateWeights(gateBias: boolean): Promise<number[][]> {
    const m = make({ type: 'cgc', sharedExperts: 1, specificExperts: 1, expertHidden: [4], towerHidden: [], gateBias });
    m.variables.forEach((v, i) => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 1, 'float32', 40 + i))));
    const half = input(64);
    const x = tf.concat([half, tf.neg(half)]) as tf.Tensor2D;
    const gates = m.forward(x, { gates: true }).gates;
    const means = await Promise.all(gates.map(async (g) => Array.from(await tf.mean(g.weights, 0).data())));
    m.dispose();
    return means;
  }

  it('bias-free: on symmetric input every CGC task gate (own + shared expert) averages exactly 1/2, whatever its weights', async () => {
    for (const mean of await meanGateWeights(false)) for (const v of mean) expect(v).toBeCloseTo(0.5, 6);
  });

  it('with a bias the mean can move: the same weights plus a bias leave 1/2', async () => {
    const means = await meanGateWeights(true);
    expect(Math.max(...means.flat().map((v) => Math.abs(v - 0.5)))).toBeGreaterThan(0.05);
  });

  it('counts in the parameters and exports as the softmax layer b (zeros without it)', async () => {
    const spec = { type: 'ple' as const, levels: 2, sharedExperts: 1, specificExperts: [1, 0], expertHidden: [4], towerHidden: [] };
    const a = make({ ...spec, gateBias: true });
    const b = make({ ...spec, gateBias: false });
    // Gates: level 1 task gates over 2 and 1 experts, shared gate over 2; level 2 task gates over 2 and 1.
    expect(a.parameterCount() - b.parameterCount()).toBe(2 + 1 + 2 + 2 + 1);
    a.variables.forEach((v, i) => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 1, 'float32', i))));
    const sa = (await a.exportStructure()) as { levels: { gates: { layers: { b: number[]; activation: string }[] }[] }[] };
    const sb = (await b.exportStructure()) as typeof sa;
    const softmaxB = (s: typeof sa) => s.levels.flatMap((l) => l.gates.flatMap((g) => g.layers.filter((x) => x.activation === 'softmax').flatMap((x) => x.b)));
    expect(softmaxB(sa).some((v) => v !== 0)).toBe(true);
    expect(softmaxB(sb).every((v) => v === 0)).toBe(true);
    a.dispose();
    b.dispose();
  });
});

describe('equivalences', () => {
  it('MMoE with one expert equals Shared-Bottom with the same bottom and towers', async () => {
    const spec = { sharedExperts: 1, expertHidden: [8], towerHidden: [4] };
    const mm = make({ type: 'mmoe', ...spec }) as GatedExpertsModel;
    const sb = make({ type: 'shared-bottom', ...spec }) as SharedBottomModel;
    // MMoE level weight: [d, 8 (expert) + 2 gates × 1 logit]; copy the expert part into the bottom.
    const W = mm.variables[0];
    const h = 8;
    sb.bottom[0].W.assign(tf.slice(W, [0, 0], [12, h]));
    sb.bottom[0].b.assign(mm.variables[1]);
    // Towers: the last 4 (packed) variables of both models, same order.
    const mt = mm.variables.slice(-4);
    const st = sb.variables.slice(-4);
    st.forEach((v, i) => v.assign(mt[i]));
    const x = input(10);
    const a = await values(mm.forward(x).outputs);
    const b = await values(sb.forward(x).outputs);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
    mm.dispose();
    sb.dispose();
  });

  it('same init seed → identical weights; a different seed → different weights', async () => {
    const a = make({ type: 'ple' }, 2, 5);
    const b = make({ type: 'ple' }, 2, 5);
    const c = make({ type: 'ple' }, 2, 6);
    expect(await values(a.variables[0])).toEqual(await values(b.variables[0]));
    expect(await values(a.variables[0])).not.toEqual(await values(c.variables[0]));
    [a, b, c].forEach((m) => m.dispose());
  });
});

describe('structural export', () => {
  it('reproduces the packed forward pass from the exported layers (PLE, 2 levels, deep experts, gate MLP)', async () => {
    for (const model of [
      { type: 'ple' as const, levels: 2, sharedExperts: 2, specificExperts: [1, 2], expertHidden: [6, 5], towerHidden: [4] },
      { type: 'ple' as const, levels: 2, sharedExperts: 1, specificExperts: 1, expertHidden: [6], towerHidden: [], gateHidden: [3] },
      { type: 'omoe' as const, sharedExperts: 3, expertHidden: [6], towerHidden: [4] },
      { type: 'cross-stitch' as const, expertHidden: [6, 4], towerHidden: [3] },
      { type: 'single-task' as const, expertHidden: [6, 4], towerHidden: [3] },
      { type: 'shared-bottom' as const, expertHidden: [6], towerHidden: [3] },
    ]) {
      const m = make(model, 2, 21);
      const s = await m.exportStructure();
      const x = input(4);
      const xs = (await x.array()) as number[][];
      const ref = xs.map((row) => referenceForward(s as never, row));
      const got = (await m.forward(x).outputs.array()) as number[][];
      got.forEach((r, i) => r.forEach((v, k) => expect(v).toBeCloseTo(ref[i][k], 4)));
      m.dispose();
    }
  });
});
