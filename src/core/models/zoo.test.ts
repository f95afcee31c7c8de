// The model zoo of issue 6: asymmetric sharing, customized sharing, sluice
// network, ESMM and AdaTT. Per model: determinism, the structural export
// against the plain-JS reference, parameter counts, and the property that
// defines the model (a gradient or an equivalence).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { mustParseExperiment, parseExperiment, resolveConfig, type ExperimentInput } from '../config/schema';
import { Trainer } from '../train/trainer';
import { patchWasmKernels } from '../backends/wasmKernels';
import { TaskLoss } from '../train/losses';
import { AdattModel } from './adatt';
import { esmmRowLosses, EsmmModel } from './esmm';
import type { MtlModel } from './model';
import { mlp, referenceForward, type DenseJson, type Structure } from './reference.testutil';
import { buildModel } from './registry';
import { SluiceModel } from './sluice';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  await patchWasmKernels(); // as Trainer.create does on wasm
});

const D = 10;

function make(model: ExperimentInput['model'], tasks = 2, seed = 7): MtlModel {
  const esmm = model?.type === 'esmm';
  const data = { tasks: Array.from({ length: tasks }, () => ({ type: esmm ? 'binary' : 'regression' }) as const), inputDim: D, chain: esmm };
  return buildModel(resolveConfig(mustParseExperiment({ data, model })).model, tasks, D, seed);
}

const input = (rows = 6, seed = 3) => tf.randomNormal([rows, D], 0, 1, 'float32', seed) as tf.Tensor2D;
const values = async (t: tf.Tensor) => Array.from(await t.data());
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const varSize = (m: MtlModel) => m.variables.reduce((s, v) => s + v.size, 0);

/** Gradients of a scalar function of the outputs, by variable name (a variable the loss does not reach reads as zero). */
function grads(m: MtlModel, loss: (out: tf.Tensor2D) => tf.Scalar, x: tf.Tensor2D) {
  const { value, grads: g } = tf.variableGrads(() => loss(m.forward(x).outputs), m.variables);
  value.dispose();
  return async (pick: (name: string) => boolean, colRange?: [number, number] | ((cols: number) => [number, number])): Promise<number> => {
    let mx = 0;
    for (const v of m.variables.filter((vv) => pick(vv.name))) {
      const gv = g[v.name];
      if (!gv) continue;
      if (colRange) {
        const cols = typeof colRange === 'function' ? colRange(gv.shape[gv.rank - 1]) : colRange;
        const rows = (await gv.array()) as number[][] | number[];
        const flat = (Array.isArray(rows[0]) ? (rows as number[][]) : [rows as number[]]).flatMap((r) => r.slice(cols[0], cols[1]));
        mx = Math.max(mx, maxAbs(flat));
      } else mx = Math.max(mx, maxAbs(await gv.data()));
    }
    return mx;
  };
}
const taskSum = (k: number) => (out: tf.Tensor2D) => tf.sum(tf.square(tf.slice(out, [0, k], [-1, 1]))) as tf.Scalar;
const named = (part: string) => (name: string) => name.includes(`/${part}/`);
/** Task k's tower among K packed (block-diagonal) towers: its block of columns in every tower layer. */
const tower = (k: number, K = 2) =>
  [(name: string) => name.includes('/towers/'), (cols: number) => [(k * cols) / K, ((k + 1) * cols) / K] as [number, number]] as const;

const SPECS: Record<string, { model: NonNullable<ExperimentInput['model']>; tasks: number }[]> = {
  asymmetric: [
    { model: { type: 'asymmetric', expertHidden: [6, 4], towerHidden: [3] }, tasks: 2 },
    { model: { type: 'asymmetric', expertHidden: [5], towerHidden: [] }, tasks: 3 },
  ],
  customized: [
    { model: { type: 'customized', expertHidden: [6, 4], towerHidden: [3] }, tasks: 2 },
    { model: { type: 'customized', expertHidden: [5], towerHidden: [3] }, tasks: 3 },
  ],
  sluice: [
    { model: { type: 'sluice', expertHidden: [6, 6], towerHidden: [3] }, tasks: 2 },
    { model: { type: 'sluice', expertHidden: [4, 4, 4], towerHidden: [] }, tasks: 3 },
  ],
  esmm: [{ model: { type: 'esmm', expertHidden: [6, 4], towerHidden: [3] }, tasks: 2 }],
  adatt: [
    { model: { type: 'adatt', levels: 1, specificExperts: 1, sharedExperts: 0, expertHidden: [6], towerHidden: [3] }, tasks: 2 },
    { model: { type: 'adatt', levels: 2, specificExperts: [1, 2], sharedExperts: 2, expertHidden: [6, 5], towerHidden: [3] }, tasks: 2 },
    { model: { type: 'adatt', levels: 3, specificExperts: 1, sharedExperts: 1, expertHidden: [5], towerHidden: [] }, tasks: 3 },
  ],
};

describe('every zoo model', () => {
  for (const [type, specs] of Object.entries(SPECS)) {
    it(`${type}: same seed → same outputs, another seed → different; the export reproduces the forward pass (perturbed weights)`, async () => {
      for (const { model, tasks } of specs) {
        const x = input();
        const [a, b, c] = [make(model, tasks, 5), make(model, tasks, 5), make(model, tasks, 6)];
        const oa = await values(a.forward(x).outputs);
        expect(oa.length).toBe(6 * tasks);
        expect(await values(b.forward(x).outputs)).toEqual(oa);
        expect(await values(c.forward(x).outputs)).not.toEqual(oa);
        // Nudge every variable (biases start at 0 and α, β symmetric: a wrong slice or a transposed mix would hide).
        a.variables.forEach((v, i) => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.2, 'float32', 100 + i))));
        const s = (await a.exportStructure()) as unknown as Structure;
        const xs = (await x.array()) as number[][];
        const got = (await a.forward(x).outputs.array()) as number[][];
        xs.forEach((row, i) => referenceForward(s, row).forEach((v, k) => expect(got[i][k]).toBeCloseTo(v, 4)));
        [a, b, c].forEach((m) => m.dispose());
      }
    });
  }

  it('parameter counts: every trainable number, no packing padding', async () => {
    for (const type of ['asymmetric', 'customized', 'sluice', 'esmm'])
      for (const { model, tasks } of SPECS[type]) {
        const m = make(model, tasks);
        // Towers are packed block-diagonally: count their exported blocks, not the padding.
        const s = (await m.exportStructure()) as unknown as Structure;
        const towerDense = s.towers.reduce((n, t) => n + t.layers.reduce((a, l) => a + l.W.length * l.b.length + l.b.length, 0), 0);
        const towerVars = m.variables.filter((v) => v.name.includes('/towers/')).reduce((a, v) => a + v.size, 0);
        expect(m.parameterCount(), type).toBe(varSize(m) - towerVars + towerDense);
        m.dispose();
      }
    // AdaTT: the dense layers of the export, plus learned residual weights (not the constant 1s).
    for (const { model, tasks } of SPECS.adatt) {
      const m = make(model, tasks) as AdattModel;
      const s = (await m.exportStructure()) as unknown as Structure;
      const denseCount = (ls: DenseJson[]) => ls.reduce((n, l) => n + l.W.length * l.b.length + l.b.length, 0);
      let n = s.towers.reduce((acc, t) => acc + denseCount(t.layers), 0);
      for (const lv of s.levels!) {
        for (const mod of lv.modules) for (const e of mod.experts) n += denseCount(e.layers);
        for (const g of lv.gates) n += denseCount(g.layers) + (m.plan.unitResidual ? 0 : g.residual!.weights.length);
      }
      expect(m.parameterCount()).toBe(n);
      m.dispose();
    }
  });

  it('variables and constants are disposed with the model', () => {
    const before = tf.memory().numTensors;
    for (const specs of Object.values(SPECS)) for (const { model, tasks } of specs) make(model, tasks).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('asymmetric sharing', () => {
  it("the reader's loss puts exactly zero gradient on the read task's bottom, yet its output depends on it", async () => {
    const h = 6;
    const m = make({ type: 'asymmetric', expertHidden: [h], towerHidden: [3] });
    const x = input(16);
    const g = await grads(m, taskSum(1), x);
    const [W0, b0] = m.variables; // the packed first layer of both bottoms: [d, 2h], columns [task 1 | task 2]
    expect(await g((n) => n === W0.name, [0, h])).toBe(0);
    expect(await g((n) => n === b0.name, [0, h])).toBe(0);
    expect(await g(...tower(0))).toBe(0);
    expect(await g((n) => n === W0.name, [h, 2 * h])).toBeGreaterThan(0);
    expect(await g(...tower(1))).toBeGreaterThan(0);
    // The read task trains its bottom through its own loss only.
    const g0 = await grads(m, taskSum(0), x);
    expect(await g0((n) => n === W0.name, [0, h])).toBeGreaterThan(0);
    expect(await g0((n) => n === W0.name, [h, 2 * h])).toBe(0);
    // The forward pass does read task 1's bottom: changing it changes task 2's output.
    const before = await values(tf.slice(m.forward(x).outputs, [0, 1], [-1, 1]));
    W0.assign(tf.concat([tf.zeros([D, h]), tf.slice(W0, [0, h], [D, h])], 1));
    const after = await values(tf.slice(m.forward(x).outputs, [0, 1], [-1, 1]));
    expect(maxAbs(before.map((v, i) => v - after[i]))).toBeGreaterThan(1e-4);
    m.dispose();
  });

  it('K = 3 is a chain: task k reads task k−1 only, and never trains it', async () => {
    const h = 4;
    const m = make({ type: 'asymmetric', expertHidden: [h, 3], towerHidden: [] }, 3);
    const s = (await m.exportStructure()) as { towers: { input: string | string[] }[] };
    expect(s.towers.map((t) => t.input)).toEqual(['column:0', ['column:1', 'column:0'], ['column:2', 'column:1']]);
    const x = input(12);
    const g = await grads(m, taskSum(2), x);
    const W0 = m.variables[0];
    expect(await g((n) => n === W0.name, [0, 2 * h])).toBe(0); // bottoms 1 and 2
    expect(await g(named('col0/L1'))).toBe(0);
    expect(await g(named('col1/L1'))).toBe(0);
    expect(await g(named('col2/L1'))).toBeGreaterThan(0);
    expect(m.sharedParam()).toBeNull(); // nothing is shared by gradient: GradNorm falls back to fixed weights
    m.dispose();
  });
});

describe('customized sharing', () => {
  it("task 1's loss reaches its own bottom and the shared one, never task 2's", async () => {
    const h = 5;
    const m = make({ type: 'customized', expertHidden: [h, 4], towerHidden: [3] });
    const x = input(16);
    const g = await grads(m, taskSum(0), x);
    const W0 = m.variables[0]; // [d, 3h]: columns [task 1 | task 2 | shared]
    expect(await g((n) => n === W0.name, [0, h])).toBeGreaterThan(0);
    expect(await g((n) => n === W0.name, [h, 2 * h])).toBe(0);
    expect(await g((n) => n === W0.name, [2 * h, 3 * h])).toBeGreaterThan(0);
    expect(await g(named('col1/L1'))).toBe(0);
    expect(await g(named('col2/L1'))).toBeGreaterThan(0); // the shared bottom's second layer
    expect(await g(...tower(1))).toBe(0);
    expect(m.sharedParam()!.variable.name).toContain('col2/L1/W');
    m.dispose();
  });

  it('towers read [own bottom, shared bottom]; one layer: GradNorm uses the shared columns of the packed layer', async () => {
    const m = make({ type: 'customized', expertHidden: [5], towerHidden: [3] }, 3);
    const s = (await m.exportStructure()) as { towers: { input: string[] }[] };
    expect(s.towers.map((t) => t.input)).toEqual([0, 1, 2].map((k) => [`column:${k}`, 'bottom']));
    expect(m.sharedParam()!.cols).toEqual([15, 20]);
    m.dispose();
  });
});

describe('sluice network', () => {
  it('starts at α imbalanced (rows sum to 1, 0.9 on the diagonal) and β balanced (1/L)', async () => {
    const m = make({ type: 'sluice', expertHidden: [4, 4], towerHidden: [3] }, 3) as SluiceModel;
    const a = (await m.alphas[0].array()) as number[][];
    expect(a.length).toBe(6);
    a.forEach((row, i) => {
      expect(row[i]).toBeCloseTo(0.9, 6);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    });
    expect(await values(m.beta)).toEqual(new Array(6).fill(0.5));
    m.dispose();
  });

  it('with α = identity and β = the last layer it is exactly independent columns (single-task)', async () => {
    for (const [K, hidden] of [
      [2, [6, 6]],
      [3, [4, 4, 4]],
    ] as const) {
      const spec = { expertHidden: [...hidden], towerHidden: [3] };
      const sl = make({ type: 'sluice', ...spec }, K, 9) as SluiceModel;
      const L = hidden.length;
      for (const a of sl.alphas) a.assign(tf.eye(2 * K));
      sl.beta.assign(tf.tensor2d(Array.from({ length: K }, () => Array.from({ length: L }, (_, l) => (l === L - 1 ? 1 : 0)))));
      const x = input(8);
      const a = await values(sl.forward(x).outputs);
      // The same columns and towers read as plain single-task columns (no α, no β).
      const s = (await sl.exportStructure()) as unknown as Structure;
      const plain: Structure = { columns: s.columns, towers: s.towers.map((t) => ({ ...t, input: `column:${t.task}` })) };
      const xs = (await x.array()) as number[][];
      xs.forEach((row, i) => referenceForward(plain, row).forEach((v, k) => expect(a[i * K + k]).toBeCloseTo(v, 5)));
      // …and the default α, β make it something else.
      const fresh = make({ type: 'sluice', ...spec }, K, 9);
      expect(maxAbs((await values(fresh.forward(x).outputs)).map((v, i) => v - a[i]))).toBeGreaterThan(1e-4);
      [sl, fresh].forEach((m) => m.dispose());
    }
  });

  it("at α = identity the columns are independent, but task 1's loss moves the α entries that would open sharing", async () => {
    const m = make({ type: 'sluice', expertHidden: [6, 6], towerHidden: [3] }) as SluiceModel;
    for (const a of m.alphas) a.assign(tf.eye(4));
    const x = input(16);
    const { value, grads: g } = tf.variableGrads(() => taskSum(0)(m.forward(x).outputs), m.variables);
    value.dispose();
    const W0 = (await g[m.variables[0].name].array()) as number[][];
    expect(maxAbs(W0.flatMap((r) => r.slice(6, 12)))).toBe(0); // column 2's first layer
    const ga = (await g[m.alphas[1].name].array()) as number[][];
    // Rows (task 1, subspace s) × columns (task 2, subspace t): the cross-task entries.
    expect(maxAbs([ga[0][2], ga[0][3], ga[1][2], ga[1][3]])).toBeGreaterThan(0);
    expect(maxAbs([ga[2][0], ga[2][1], ga[3][2], ga[3][3]])).toBe(0); // task 2's rows: its output is not in the loss
    m.dispose();
  });

  it('validation: one even hidden size for every layer', () => {
    const bad = (expertHidden: number[]) => parseExperiment({ model: { type: 'sluice', expertHidden } });
    expect(bad([8, 6]).ok).toBe(false);
    expect(bad([8, 6]).ok ? '' : (bad([8, 6]) as { message: string }).message).toMatch(/same size/);
    expect(bad([7]).ok ? '' : (bad([7]) as { message: string }).message).toMatch(/even/);
    expect(bad([8, 8]).ok).toBe(true);
  });
});

describe('ESMM', () => {
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

  it('the CTCVR loss is the cross-entropy of pCTR·pCVR against click·conversion, stable for large logits', async () => {
    const a = [0.3, -1.2, 4, -30, 30, 25, -25, 0];
    const b = [-0.7, 2.5, -3, 30, -30, 25, 20, 0];
    const click = [1, 0, 1, 0, 1, 1, 0, 1];
    const conv = [1, 1, 0, 1, 0, 1, 0, 0];
    const rows = (await esmmRowLosses(tf.tensor1d(a), tf.tensor1d(b), tf.tensor1d(click), tf.tensor1d(conv)).array()) as number[][];
    rows.forEach(([ctr, ctcvr], i) => {
      const p = sigmoid(a[i]);
      const z = click[i] * conv[i];
      const q = p * sigmoid(b[i]); // pCTCVR = pCTR × pCVR
      const bce = (pr: number, y: number) => -(y * Math.log(pr) + (1 - y) * Math.log1p(-pr));
      expect(Number.isFinite(ctr) && Number.isFinite(ctcvr)).toBe(true);
      expect(ctr).toBeCloseTo(bce(p, click[i]), 4);
      expect(ctcvr).toBeCloseTo(bce(q, z), 4);
    });
  });

  it('trains on the entire space: every row counts, whatever the mask, and unclicked rows train the CVR tower', async () => {
    const m = make({ type: 'esmm', expertHidden: [6], towerHidden: [3] }) as EsmmModel;
    const x = input(8);
    const click = [0, 0, 1, 0, 1, 0, 0, 1];
    const conv = [1, 0, 1, 1, 0, 0, 1, 1];
    const y = tf.tensor2d(click.map((c, i) => [c, conv[i]]));
    const chainMask = tf.tensor2d(click.map((c) => [1, c]));
    const base = new TaskLoss(['binary', 'binary'], true);
    const out = m.forward(x).outputs;
    const withMask = await values(m.taskLoss(out, y, chainMask, base));
    const noMask = await values(m.taskLoss(out, y, null, base));
    expect(withMask).toEqual(noMask);
    // Plain-JS means over all 8 rows.
    const o = (await out.array()) as number[][];
    const bce = (pr: number, t: number) => -(t * Math.log(pr) + (1 - t) * Math.log1p(-pr));
    const ctr = o.reduce((s, r, i) => s + bce(sigmoid(r[0]), click[i]), 0) / 8;
    const ctcvr = o.reduce((s, r, i) => s + bce(sigmoid(r[0]) * sigmoid(r[1]), click[i] * conv[i]), 0) / 8;
    expect(withMask[0]).toBeCloseTo(ctr, 5);
    expect(withMask[1]).toBeCloseTo(ctcvr, 5);
    // Only unclicked rows: ESMM's CTCVR loss still trains the CVR tower; the masked CVR loss would not.
    const unclicked = click.map((c) => 1 - c);
    const onlyUnclicked = (loss: (o2: tf.Tensor2D) => tf.Tensor1D) => (o2: tf.Tensor2D) =>
      tf.sum(tf.slice(loss(o2), [1], [1])) as tf.Scalar;
    const rowsX = tf.tensor2d((await x.array()).filter((_, i) => unclicked[i] === 1));
    const n = unclicked.reduce((s, v) => s + v, 0);
    const yU = tf.tensor2d(click.flatMap((c, i) => (c === 0 ? [[0, conv[i]]] : [])));
    const mU = tf.tensor2d(new Array(n).fill([1, 0]));
    const gE = await grads(m, onlyUnclicked((o2) => m.taskLoss(o2, yU, mU, base)), rowsX);
    const gB = await grads(m, onlyUnclicked((o2) => base.perTask(o2, yU, mU)), rowsX);
    expect(await gE(...tower(1))).toBeGreaterThan(0);
    expect(await gB(...tower(1))).toBe(0);
    base.dispose();
    m.dispose();
  });

  it('validation: exactly two binary tasks on the sample-space chain', () => {
    const msg = (data: object) => {
      const r = parseExperiment({ data, model: { type: 'esmm' } });
      return r.ok ? 'ok' : r.message;
    };
    const bin = { type: 'binary' as const };
    expect(msg({ tasks: [bin, bin], chain: true })).toBe('ok');
    expect(msg({ tasks: [bin, bin], chain: false })).toMatch(/chain/);
    expect(msg({ tasks: [bin, { type: 'regression' }], chain: true })).toMatch(/two binary tasks/);
    expect(msg({ tasks: [bin, bin, bin], chain: true })).toMatch(/two binary tasks/);
  });
});

describe('AdaTT', () => {
  it('every gate mixes every expert of its level; the shared gate exists on every level but the last', () => {
    const m = make({ type: 'adatt', levels: 2, specificExperts: [1, 2], sharedExperts: 1 });
    const ids = m.gateInfo().map((g) => `${g.level}:${g.id}:${g.experts.map((e) => e.label).join(',')}`);
    expect(ids).toEqual([
      '0:task:0:T1·E0,T2·E0,T2·E1,S·E0',
      '0:task:1:T1·E0,T2·E0,T2·E1,S·E0',
      '0:shared:T1·E0,T2·E0,T2·E1,S·E0',
      '1:task:0:T1·E0,T2·E0,T2·E1,S·E0',
      '1:task:1:T1·E0,T2·E0,T2·E1,S·E0',
    ]);
    const noShared = make({ type: 'adatt', levels: 2, specificExperts: 1, sharedExperts: 0 });
    expect(noShared.gateInfo().map((g) => g.id)).toEqual(['task:0', 'task:1', 'task:0', 'task:1']);
    [m, noShared].forEach((mm) => mm.dispose());
  });

  it("last level: task 1's loss reaches task 2's experts (task-to-task fusion) but never task 2's gate or residual", async () => {
    const h = 5;
    const m = make({ type: 'adatt', levels: 1, specificExperts: [1, 2], sharedExperts: 1, expertHidden: [h], towerHidden: [3] }) as AdattModel;
    expect(m.plan.unitResidual).toBe(false);
    const g = await grads(m, taskSum(0), input(16));
    const W = m.variables[0]; // [d, 4h + 2·4]: [T1 expert | T2 experts | shared expert | gate 1 | gate 2]
    const b = m.variables[1];
    const E = 4;
    expect(await g((n) => n === W.name, [h, 3 * h])).toBeGreaterThan(0); // task 2's experts
    expect(await g((n) => n === W.name, [4 * h, 4 * h + E])).toBeGreaterThan(0); // gate 1
    expect(await g((n) => n === W.name, [4 * h + E, 4 * h + 2 * E])).toBe(0); // gate 2
    expect(await g((n) => n === b.name, [4 * h + E, 4 * h + 2 * E])).toBe(0);
    const selfW = m.variables.find((v) => v.name.includes('selfExperts'))!;
    expect(await g((n) => n === selfW.name, [0, E])).toBeGreaterThan(0); // row 0: task 1's residual
    const { value, grads: all } = tf.variableGrads(() => taskSum(0)(m.forward(input(16)).outputs), m.variables);
    value.dispose();
    const gs = (await all[selfW.name].array()) as number[][];
    expect(maxAbs(gs[1])).toBe(0); // task 2's residual weights
    m.dispose();
  });

  it('residual self connection: with uniform gates, task k reads mean(experts) + its own expert', async () => {
    const m = make({ type: 'adatt', levels: 1, specificExperts: 1, sharedExperts: 1, expertHidden: [4], towerHidden: [] }) as AdattModel;
    expect(m.plan.unitResidual).toBe(true);
    const [W, b] = m.variables;
    const h = 4;
    const expertCols = 3 * h;
    // Zero the gate logits' weights and biases: every gate is uniform (1/3 each).
    const keep = tf.concat([tf.ones([1, expertCols]), tf.zeros([1, 2 * 3])], 1);
    W.assign(tf.mul(W, keep));
    b.assign(tf.reshape(tf.mul(tf.reshape(b, [1, -1]), keep), [-1]));
    const s = (await m.exportStructure()) as unknown as Structure;
    const x = input(5);
    const got = (await m.forward(x).outputs.array()) as number[][];
    const lv = s.levels![0];
    ((await x.array()) as number[][]).forEach((row, i) => {
      const e = lv.modules.map((mod) => mlp(row, mod.experts[0].layers)); // [task 1, task 2, shared]
      for (let k = 0; k < 2; k++) {
        const f = e[0].map((_, j) => (e[0][j] + e[1][j] + e[2][j]) / 3 + e[k][j]);
        expect(got[i][k]).toBeCloseTo(mlp(f, s.towers[k].layers)[0], 4);
      }
    });
    for (const g of lv.gates) expect(g.residual!.weights).toEqual([1]);
    m.dispose();
  });

  it('validation: every task needs a specific expert', () => {
    const r = parseExperiment({ model: { type: 'adatt', specificExperts: [1, 0] } });
    expect(r.ok ? '' : r.message).toMatch(/task 2 needs at least 1 specific expert/);
  });
});

describe('training', () => {
  const small = (model: object, data: object = {}): ExperimentInput => ({
    data: { nTrain: 512, nVal: 64, nTest: 128, inputDim: 12, ...data },
    model: { expertHidden: [8], towerHidden: [4], ...model },
    train: { steps: 60, batchSize: 64, evalEvery: 60, readbackEvery: 10, learningRate: 0.01 },
  });
  const binaryChain = { tasks: [{ type: 'binary' }, { type: 'binary' }], chain: true };

  it('the loss falls on every zoo model', async () => {
    for (const cfg of [
      small({ type: 'asymmetric' }),
      small({ type: 'customized' }),
      small({ type: 'sluice', expertHidden: [8, 8] }),
      small({ type: 'adatt', levels: 2, specificExperts: 1, sharedExperts: 1 }),
      small({ type: 'esmm' }, binaryChain),
    ]) {
      const t = await Trainer.create(cfg);
      await t.train(1000);
      const r = await t.finish();
      t.dispose();
      expect(r.status).toBe('done');
      const type = r.model;
      expect(r.train.at(-1)!.loss, type).toBeLessThan(r.train[0].loss * 0.8);
      if (type === 'adatt') expect(r.gateStats.length).toBe(2);
      if (type === 'esmm') {
        // Task 2 (CVR) is evaluated on clicked rows only, by the ordinary masked metrics.
        const clicked = t.dataset.test.mask.filter((_, i) => i % 2 === 1).reduce((s, v) => s + v, 0);
        expect(r.test![1].n).toBe(clicked);
        expect(r.test![1].n).toBeLessThan(128);
      }
    }
  });

  it('GradNorm runs through the ESMM loss and the AdaTT / customized / sluice shared layers', async () => {
    for (const cfg of [
      small({ type: 'esmm' }, binaryChain),
      small({ type: 'adatt', levels: 1, specificExperts: 1, sharedExperts: 0 }),
      small({ type: 'customized' }),
      small({ type: 'sluice' }),
    ]) {
      const t = await Trainer.create({ ...cfg, train: { ...cfg.train, steps: 5, weighting: { kind: 'gradnorm' } } });
      await t.train(5);
      const w = await t.taskWeightsNow();
      t.dispose();
      expect(w.every(Number.isFinite), JSON.stringify(cfg.model)).toBe(true);
      expect(w.some((v) => v !== 1), JSON.stringify(cfg.model)).toBe(true);
    }
  });
});
