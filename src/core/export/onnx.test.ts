// model.onnx, checked by ONNX Runtime (onnxruntime-node, CPU): for every
// family, trained for a few steps, and for random valid shapes of every family
// (the wiring property test's drawer: 2–6 tasks, 1–4 levels, per-task expert
// counts including 0, gate MLPs, gate bias on and off), ORT's outputs and
// every gate's weights equal the engine's (TF.js wasm forward of the same
// model, the SIMD kernels training uses) to 1e-5 on model.json's sample inputs
// and on 256 test rows. The graph is built from the structural export only.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { onnx as pb } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchWasmKernels } from '../backends/wasmKernels';
import { MODEL_TYPES, type ExperimentInput, type ModelType } from '../config/schema';
import { Rng } from '../data/rng';
import { buildModel } from '../models/registry';
import { describeConfig, drawValid } from '../models/randomConfig.testutil';
import type { MtlModel } from '../models/model';
import { Trainer } from '../train/trainer';
import type { Dataset } from '../types';
import { buildModelJson } from './modelJson';
import { ONNX_OPSET, decodeOnnx, gateOutputName, modelJsonToOnnx } from './onnx';

const ROWS = 256;
const TOL = 1e-5;

/** The largest differences seen, for the log line at the end. */
const worst = { output: 0, outputRel: 0, gate: 0, where: '' };

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string, relative: boolean): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const diff = Math.abs(got[i] - want[i]);
    const scale = relative ? Math.max(1, Math.abs(want[i])) : 1;
    if (relative) {
      if (diff > worst.output) [worst.output, worst.where] = [diff, what];
      worst.outputRel = Math.max(worst.outputRel, diff / scale);
    } else worst.gate = Math.max(worst.gate, diff);
    if (!(diff <= TOL * scale)) expect.fail(`${what}[${i}]: ORT ${got[i]} vs engine ${want[i]} (|Δ| = ${diff.toExponential(2)})`);
  }
}

async function ortRun(bytes: Uint8Array, x: Float32Array, n: number, d: number): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run({ x: new ort.Tensor('float32', x, [n, d]) });
  } finally {
    await session.release();
  }
}

/**
 * The engine's forward (outputs and gates) on `x` against ORT's run of the
 * model's ONNX export, and the export's own samples against ORT.
 */
async function checkModel(model: MtlModel, modelJson: Record<string, unknown>, x: Float32Array, n: number, label: string): Promise<void> {
  const d = model.inputDim;
  const K = model.numTasks;
  const bytes = modelJsonToOnnx(modelJson, { presetId: 'test' });
  // 1. model.json's samples: ORT reproduces the outputs the engine wrote there.
  const samples = modelJson.samples as { inputs: number[][]; outputs: number[][] };
  const s = await ortRun(bytes, Float32Array.from(samples.inputs.flat()), samples.inputs.length, d);
  expectClose(s.y.data as Float32Array, samples.outputs.flat(), `${label}: samples y`, true);
  // 2. `n` rows: outputs and every gate, against the engine's forward with gates.
  let infos: ReturnType<MtlModel['gateInfo']> = [];
  const [outputs, ...weights] = tf.tidy(() => {
    const r = model.forward(tf.tensor2d(x, [n, d]), { gates: true });
    infos = r.gates.map((g) => g.info);
    return [r.outputs, ...r.gates.map((g) => g.weights)];
  });
  const fwd = { outputs, gates: infos.map((info, i) => ({ info, weights: weights[i] })) };
  try {
    const got = await ortRun(bytes, x, n, d);
    expect(got.y.dims, `${label}: y dims`).toEqual([n, K]);
    expectClose(got.y.data as Float32Array, await fwd.outputs.data(), `${label}: y`, true);
    const gateNames = fwd.gates.map((g) => gateOutputName(g.info.level, g.info.id));
    const extra = modelJson.esmm ? ['pctcvr'] : [];
    // Every output is y, a gate the engine has, or ESMM's pCTCVR; every engine gate is an output.
    expect(Object.keys(got).sort(), `${label}: outputs`).toEqual(['y', ...gateNames, ...extra].sort());
    for (const [i, g] of fwd.gates.entries()) {
      const name = gateNames[i];
      expect(got[name].dims, `${label}: ${name} dims`).toEqual([n, g.info.experts.length]);
      expectClose(got[name].data as Float32Array, await g.weights.data(), `${label}: ${name}`, false);
    }
    if (modelJson.esmm) {
      const y = got.y.data as Float32Array;
      const sig = (z: number) => 1 / (1 + Math.exp(-z));
      const want = Array.from({ length: n }, (_, r) => sig(y[r * K]) * sig(y[r * K + 1]));
      expectClose(got.pctcvr.data as Float32Array, want, `${label}: pctcvr`, false);
    }
  } finally {
    fwd.outputs.dispose();
    fwd.gates.forEach((g) => g.weights.dispose());
  }
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  await patchWasmKernels();
});

afterAll(() => {
  console.log(
    `ONNX Runtime vs engine: largest output |Δ| ${worst.output.toExponential(2)} (${worst.where}), largest relative ${worst.outputRel.toExponential(2)}, largest gate weight |Δ| ${worst.gate.toExponential(2)}`,
  );
});

/** A small config of each family: mixed task types, 2 levels, a task with no experts of its own where allowed. */
function familyConfig(type: ModelType): ExperimentInput {
  const esmm = type === 'esmm';
  return {
    data: {
      tasks: esmm ? [{ type: 'binary' }, { type: 'binary' }] : [{ type: 'regression' }, { type: 'binary' }, { type: 'regression' }],
      chain: esmm,
      inputDim: 10,
      nTrain: 512,
      nVal: 64,
      nTest: ROWS,
      seed: 3,
    },
    model: {
      type,
      levels: 2,
      sharedExperts: 2,
      specificExperts: esmm ? [1, 1] : type === 'adatt' ? [1, 2, 1] : [1, 0, 2],
      expertHidden: type === 'sluice' ? [8, 8] : [8],
      towerHidden: [4],
      gateHidden: type === 'mmoe' ? [3] : [],
    },
    train: { steps: 24, evalEvery: 8, batchSize: 64, initSeed: 4, batchSeed: 5 },
  };
}

describe('model.onnx in ONNX Runtime = the engine', () => {
  it.each(MODEL_TYPES.map((t) => [t]))('%s, trained a few steps: samples and 256 test rows, outputs and gates', async (type) => {
    const trainer = await Trainer.create(familyConfig(type));
    try {
      await trainer.train(trainer.totalSteps);
      await trainer.finish();
      const modelJson = await trainer.exportModel();
      const { d } = trainer.dataset;
      await checkModel(trainer.model, modelJson, trainer.dataset.test.x.slice(0, ROWS * d), ROWS, type);
    } finally {
      trainer.dispose();
    }
  });

  it.each([
    ['PLE with feature gates', { type: 'ple', featureGates: true }],
    ['MMoE with feature gates', { type: 'mmoe', featureGates: true }],
    ['ESMM over a CGC bottom', { type: 'esmm', esmmBottom: 'cgc' }],
  ] as const)('%s, trained a few steps: ONNX Runtime = the engine', async (_name, over) => {
    const base = familyConfig(over.type);
    const trainer = await Trainer.create({ ...base, model: { ...base.model, ...over } });
    try {
      await trainer.train(trainer.totalSteps);
      await trainer.finish();
      const modelJson = await trainer.exportModel();
      expect(Boolean(modelJson.featureGates), 'feature gates in model.json').toBe(over.type !== 'esmm');
      const { d } = trainer.dataset;
      await checkModel(trainer.model, modelJson, trainer.dataset.test.x.slice(0, ROWS * d), ROWS, over.type);
    } finally {
      trainer.dispose();
    }
  });

  it('random valid shapes of every family (2–6 tasks, 1–4 levels, 0 experts, gate MLPs, gate bias on/off)', async () => {
    const D = 7;
    const seen: string[] = [];
    for (const type of MODEL_TYPES) {
      for (let c = 0; c < 3; c++) {
        const seed = 5000 + 100 * MODEL_TYPES.indexOf(type) + c;
        const r = new Rng(seed);
        const cfg = drawValid(type, r, D);
        const K = cfg.data.tasks.length;
        const desc = describeConfig(cfg);
        seen.push(desc);
        const model = buildModel(cfg.model, K, D, seed);
        try {
          // Perturb every variable: zero biases and symmetric inits would hide a wrong wire.
          model.variables.forEach((v, i) => v.assign(tf.tidy(() => tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', seed * 31 + i)))));
          const xT = tf.randomNormal([ROWS, D], 0, 1, 'float32', seed) as tf.Tensor2D;
          const x = (await xT.data()) as Float32Array;
          xT.dispose();
          // The real model.json builder, over a stand-in test split whose first rows become the samples.
          const dataset = { d: D, K, taskTypes: cfg.data.tasks.map((t) => t.type), test: { n: ROWS, x } } as unknown as Dataset;
          const modelJson = await buildModelJson({
            model,
            config: cfg,
            rawConfig: cfg,
            dataset,
            step: 0,
            predict: async (_split, maxRows) => {
              const rows = Math.min(ROWS, maxRows ?? ROWS);
              const out = tf.tidy(() => model.forward(tf.tensor2d(x.subarray(0, rows * D), [rows, D])).outputs);
              const data = (await out.data()) as Float32Array;
              out.dispose();
              return data;
            },
          });
          await checkModel(model, modelJson, x, ROWS, desc);
        } finally {
          model.dispose();
        }
      }
    }
    // The draw covers the shapes that matter.
    expect(seen.some((s) => /^ple .*levels=[2-4].*specific=\[[^\]]*\b0\b/.test(s))).toBe(true);
    expect(seen.some((s) => /^ml-mmoe .*levels=[3-4]/.test(s))).toBe(true);
    expect(seen.some((s) => /gateHidden=\[\d/.test(s))).toBe(true);
    expect(seen.some((s) => /bias=false/.test(s))).toBe(true);
    expect(seen.some((s) => /K=[5-6]/.test(s))).toBe(true);
  }, 120_000);
});

describe('model.onnx layout', () => {
  const benchModel = async (model: ExperimentInput['model'], K = 2, d = 100) => {
    const cfg = { data: { tasks: Array.from({ length: K }, () => ({})), inputDim: d, nTrain: 256, nVal: 32, nTest: 32 }, model, train: { steps: 1 } };
    const trainer = await Trainer.create(cfg);
    try {
      return await trainer.exportModel();
    } finally {
      trainer.dispose();
    }
  };

  it('PLE (the bench config): opset, input, outputs, names after the structure, metadata', async () => {
    const mj = await benchModel({ type: 'ple', levels: 2, specificExperts: 2, sharedExperts: 2, expertHidden: [64], towerHidden: [32] });
    const bytes = modelJsonToOnnx(mj, { presetId: 'ple', runName: 'bench' });
    const m = decodeOnnx(bytes);
    expect(Number(m.irVersion)).toBe(8);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]]);
    expect(ONNX_OPSET).toBeGreaterThanOrEqual(17);
    const g = m.graph as pb.GraphProto;
    const dims = (v: pb.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((x) => x.dimParam || Number(x.dimValue));
    expect(g.input.map((v) => [v.name, dims(v), v.type!.tensorType!.elemType])).toEqual([['x', ['N', 100], 1]]);
    expect(g.output.map((v) => [v.name, dims(v)])).toEqual([
      ['y', ['N', 2]],
      ['gate_l1_task0', ['N', 4]],
      ['gate_l1_task1', ['N', 4]],
      ['gate_l1_shared', ['N', 6]],
      ['gate_l2_task0', ['N', 4]],
      ['gate_l2_task1', ['N', 4]],
    ]);
    const inits = new Map(g.initializer.map((t) => [t.name, t.dims!.map(Number)]));
    expect(inits.get('l1/task0/expert0/dense0/W')).toEqual([100, 64]);
    expect(inits.get('l1/task0/expert0/dense0/b')).toEqual([64]);
    expect(inits.get('l2/shared/expert1/dense0/W')).toEqual([64, 64]);
    expect(inits.get('l1/gate_shared/dense0/W')).toEqual([100, 6]);
    expect(inits.get('l2/gate_task1/dense0/W')).toEqual([64, 4]);
    expect(inits.get('tower0/dense0/W')).toEqual([64, 32]);
    expect(inits.get('tower1/dense1/W')).toEqual([32, 1]);
    // Every weight of the structure is in the graph, once: the parameter count matches.
    const params = g.initializer.filter((t) => t.dataType === 1).reduce((a, t) => a + t.dims!.map(Number).reduce((p, q) => p * q, 1), 0);
    expect(params).toBe((mj.model as { parameterCount: number }).parameterCount);
    const meta = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
    expect(meta.preset).toBe('ple');
    expect(meta.run).toBe('bench');
    expect(JSON.parse(meta.config)).toEqual(mj.config);
    const config = mj.config as { data: { seed: number }; train: { initSeed: number; batchSeed: number } };
    expect(JSON.parse(meta.seeds)).toEqual({ data: config.data.seed, init: config.train.initSeed, batch: config.train.batchSeed });
    const layout = JSON.parse(meta.outputs);
    expect(layout.gates[0]).toEqual({ output: 'gate_l1_task0', level: 1, id: 'task:0', label: 'Gate task 1', experts: ['task:0/0', 'task:0/1', 'shared/0', 'shared/1'] });
    expect(m.docString).toMatch(/PLE/);
    // Nodes are named after the structure too; every node's inputs exist.
    const names = new Set([...g.input.map((v) => v.name), ...g.initializer.map((t) => t.name), ...g.node.flatMap((n) => n.output ?? [])]);
    for (const n of g.node) for (const i of n.input ?? []) expect(names.has(i), `${n.name} reads ${i}`).toBe(true);
    expect(g.node.some((n) => n.name === 'l1/task0/expert0/dense0' && n.opType === 'Gemm')).toBe(true);
    expect(g.node.some((n) => n.name === 'l1/gate_task0/dense0/softmax' && n.opType === 'Softmax')).toBe(true);
    console.log(`model.onnx for the bench config (PLE, 2 levels, 2+2 experts [64], towers [32], d = 100, 2 tasks): ${bytes.length} bytes`);
  });

  it("ML-MMoE's per-expert gates and AdaTT's residual constants are named after their level and id", async () => {
    const ml = decodeOnnx(modelJsonToOnnx(await benchModel({ type: 'ml-mmoe', levels: 3, sharedExperts: 2, expertHidden: [4] }, 2, 6)));
    expect(ml.graph!.output!.map((o) => o.name)).toEqual(['y', 'gate_l1_expert0', 'gate_l1_expert1', 'gate_l2_expert0', 'gate_l2_expert1', 'gate_l3_task0', 'gate_l3_task1']);
    const ad = decodeOnnx(modelJsonToOnnx(await benchModel({ type: 'adatt', levels: 1, sharedExperts: 1, specificExperts: [2, 1], expertHidden: [4] }, 2, 6)));
    const inits = ad.graph!.initializer!.map((t) => t.name);
    expect(inits).toContain('l1/gate_task0/residual/w_task0_expert1');
    // One level: the last level has no shared gate.
    expect(ad.graph!.output!.map((o) => o.name)).toEqual(['y', 'gate_l1_task0', 'gate_l1_task1']);
  });

  it("keeps model.json's null (a non-finite weight of a diverged run) as NaN", () => {
    const m = decodeOnnx(
      modelJsonToOnnx({
        model: { type: 'shared-bottom', numTasks: 1, inputDim: 2 },
        bottom: { layers: [{ W: [[1], [null as unknown as number]], b: [0], activation: 'relu' }] },
        towers: [{ task: 0, input: 'bottom', layers: [{ W: [[1]], b: [0], activation: 'linear' }] }],
      }),
    );
    const W = m.graph!.initializer!.find((t) => t.name === 'bottom/dense0/W')!;
    const raw = W.rawData!;
    const f = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    expect(f[0]).toBe(1);
    expect(Number.isNaN(f[1])).toBe(true);
  });

  it('refuses a structure it cannot wire, naming the part', () => {
    expect(() =>
      modelJsonToOnnx({
        model: { type: 'shared-bottom', numTasks: 1, inputDim: 2 },
        towers: [{ task: 0, input: 'nowhere', layers: [{ W: [[1], [1]], b: [0], activation: 'linear' }] }],
      }),
    ).toThrow(/tower 0 reads an unknown stream nowhere/);
  });
});
