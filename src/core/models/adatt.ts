// AdaTT, Adaptive Task-to-Task fusion (Li et al., KDD 2023), after Meta's
// facebookresearch/AdaTT mtl_lib.py (AdaTTSp without shared experts,
// AdaTTWSharedExps with them; one code path here).
//
// Per level: task k owns m_k experts, the shared module m_s experts. Every
// gate mixes ALL experts of the level (task-to-task fusion: task A may use
// task B's experts, unlike CGC), and adds a residual "self-expert" term over
// its own module's experts:
//   f_k = Σ_e softmax(W_k·s_k + b_k)_e · E_e  +  Σ_(j ∈ own experts) r_kj · E_j
// where s_k is the stream the gate reads (the input at level 0, else task k's
// previous output). r = 1 when every module that has experts has exactly one
// (AdaTT-sp's `fused + experts_out`); otherwise r is learned per gate and own
// expert, initialised U(±sqrt(1/m)) as in mtl_lib. Task k's experts and gate
// read task k's stream, the shared experts and the shared gate read the shared
// stream; the shared gate exists on every level but the last (it only feeds
// the next level's shared experts). Gates are one linear layer with bias, as
// in mtl_lib (the config's gateHidden is not used).
// Gate statistics (ForwardResult.gates) report the softmax part, which sums
// to 1; the residual is reported in the structural export.
//
// Packing as in gatedExperts.ts: the first layer of every expert and the
// gate logits that read one stream are ONE matMul against concatenated
// weights (with one concatenated bias); deeper expert layers are one batched
// matMul per layer; mixing is one broadcast multiply + sum.
//
// Structural export: `levels[l] = { level, inputDim, modules, gates }`, with
// modules as in the gated families and `gates[] = { id, label, input,
// experts (all of the level), layers: [softmax dense], residual: { experts,
// weights } }`: the gate's output is Σ_i w_i·expert_i + Σ_j residual.weights[j]
// · residual.experts[j]. Towers read `task:<k>`.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../config/schema';
import { Rng } from '../data/rng';
import type { GateInfo } from '../types';
import { planAdatt, type AdattGate, type AdattLevel, type AdattPlan } from './adattPlan';
import { mergeSlices, type DenseJson, type ForwardResult, type GateOutput, type MtlModel, type SharedParam, type SharedSlice } from './model';
import { matMul, matMulInput, mixExperts, toMatrix, toVector, VariableSet } from './ops';
import { Towers } from './towers';

interface Group {
  stream: string;
  modules: number[]; // indices into AdattLevel.modules with experts, in expert order
  gates: number[]; // indices into AdattLevel.gates
  expertCols: number;
  gateCols: number;
  W: tf.Variable; // [in, expertCols + gateCols]
  b: tf.Variable; // [expertCols + gateCols]
}

interface LevelVars {
  inDim: number;
  groups: Group[];
  deep: { W: tf.Variable; b: tf.Variable; inDim: number; outDim: number }[];
  /** [G, E]: 1 on a gate's own experts. */
  ownMask: tf.Tensor2D;
  /** [G, E] learned residual weights (used through ownMask), or null for unit residuals. */
  selfW: tf.Variable | null;
}

export class AdattModel implements MtlModel {
  readonly type = 'adatt' as const;
  readonly variables: tf.Variable[];
  readonly plan: AdattPlan;
  private readonly vars = new VariableSet('adatt');
  private readonly levelVars: LevelVars[] = [];
  private readonly towers: Towers;
  private readonly h1: number;
  private readonly H: number;

  constructor(
    readonly cfg: ResolvedModel,
    readonly numTasks: number,
    readonly inputDim: number,
    initSeed: number,
  ) {
    const rng = new Rng(initSeed);
    this.plan = planAdatt(numTasks, cfg.levels, cfg.specificExperts, cfg.sharedExperts);
    this.h1 = cfg.expertHidden[0];
    this.H = cfg.expertHidden[cfg.expertHidden.length - 1];
    this.plan.levels.forEach((lp, li) => this.levelVars.push(this.buildLevel(lp, li === 0 ? inputDim : this.H, rng)));
    this.towers = new Towers(this.vars, rng, numTasks, new Array(numTasks).fill(this.H), cfg.towerHidden);
    this.variables = this.vars.list;
  }

  private buildLevel(lp: AdattLevel, inDim: number, rng: Rng): LevelVars {
    const { h1 } = this;
    const L = lp.level;
    const moduleStream = (id: string) => (L === 0 ? 'input' : id);
    const plans: Omit<Group, 'W' | 'b' | 'expertCols' | 'gateCols'>[] = [];
    const groupFor = (s: string) => {
      let g = plans.find((p) => p.stream === s);
      if (!g) plans.push((g = { stream: s, modules: [], gates: [] }));
      return g;
    };
    lp.modules.forEach((m, mi) => m.count > 0 && groupFor(moduleStream(m.id)).modules.push(mi));
    lp.gates.forEach((g, gi) => groupFor(g.stream).gates.push(gi));
    const groups: Group[] = plans.map((p) => {
      const expertCols = p.modules.reduce((s, mi) => s + lp.modules[mi].count, 0) * h1;
      const gateCols = p.gates.length * lp.E;
      const cols = expertCols + gateCols;
      const limE = Math.sqrt(6 / (inDim + h1));
      const limG = Math.sqrt(6 / (inDim + lp.E));
      const w = new Float32Array(inDim * cols);
      for (let r = 0; r < inDim; r++)
        for (let c = 0; c < cols; c++) w[r * cols + c] = (rng.uniform() * 2 - 1) * (c < expertCols ? limE : limG);
      return {
        ...p,
        expertCols,
        gateCols,
        W: this.vars.add(w, [inDim, cols], `L${L}/${p.stream}/W`),
        b: this.vars.zeros([cols], `L${L}/${p.stream}/b`),
      };
    });
    const deep: LevelVars['deep'] = [];
    const sizes = this.cfg.expertHidden;
    for (let l = 1; l < sizes.length; l++) {
      const [i, o] = [sizes[l - 1], sizes[l]];
      const lim = Math.sqrt(6 / (i + o));
      const w = new Float32Array(lp.E * i * o);
      for (let j = 0; j < w.length; j++) w[j] = (rng.uniform() * 2 - 1) * lim;
      deep.push({
        W: this.vars.add(w, [lp.E, i, o], `L${L}/experts/deep${l}/W`),
        b: this.vars.zeros([lp.E, 1, o], `L${L}/experts/deep${l}/b`),
        inDim: i,
        outDim: o,
      });
    }
    const G = lp.gates.length;
    const mask = new Float32Array(G * lp.E);
    const self = new Float32Array(G * lp.E);
    lp.gates.forEach((g, gi) => {
      const m = lp.modules[g.selfModule];
      for (let i = 0; i < m.count; i++) {
        mask[gi * lp.E + m.offset + i] = 1;
        self[gi * lp.E + m.offset + i] = (rng.uniform() * 2 - 1) * Math.sqrt(1 / m.count);
      }
    });
    return {
      inDim,
      groups,
      deep,
      ownMask: tf.tensor2d(mask, [G, lp.E]),
      selfW: this.plan.unitResidual ? null : this.vars.add(self, [G, lp.E], `L${L}/selfExperts`),
    };
  }

  forward(x: tf.Tensor2D, opts: { gates?: boolean } = {}): ForwardResult {
    const B = x.shape[0];
    const gateOut: GateOutput[] = [];
    let streams = new Map<string, tf.Tensor2D>([['input', x]]);
    this.plan.levels.forEach((lp, li) => {
      const lv = this.levelVars[li];
      const expertParts: tf.Tensor2D[] = [];
      const logitParts: tf.Tensor2D[] = [];
      for (const g of lv.groups) {
        const inp = streams.get(g.stream)!;
        const y = tf.add(li === 0 ? matMulInput(inp, g.W as tf.Tensor2D) : matMul(inp, g.W as tf.Tensor2D), g.b) as tf.Tensor2D;
        if (g.expertCols > 0 && g.gateCols > 0) {
          expertParts.push(tf.relu(tf.slice(y, [0, 0], [B, g.expertCols])));
          logitParts.push(tf.slice(y, [0, g.expertCols], [B, g.gateCols]));
        } else if (g.expertCols > 0) expertParts.push(tf.relu(y));
        else logitParts.push(y);
      }
      let experts = (expertParts.length === 1 ? expertParts[0] : tf.concat(expertParts, 1)) as tf.Tensor;
      if (lv.deep.length > 0) {
        let h = tf.transpose(tf.reshape(experts, [B, lp.E, this.h1]), [1, 0, 2]) as tf.Tensor3D; // [E, B, h]
        for (const d of lv.deep) h = tf.relu(tf.add(tf.matMul(h, d.W as tf.Tensor3D), d.b)) as tf.Tensor3D;
        experts = tf.transpose(h, [1, 0, 2]);
      } else experts = tf.reshape(experts, [B, lp.E, this.H]);
      const G = lp.gates.length;
      const logits = logitParts.length === 1 ? logitParts[0] : tf.concat(logitParts, 1);
      const probs = tf.softmax(tf.reshape(logits, [B, G, lp.E])) as tf.Tensor3D;
      const residual = lv.selfW ? tf.mul(lv.selfW, lv.ownMask) : lv.ownMask;
      const weights = tf.add(probs, residual);
      const mixed = mixExperts(weights as tf.Tensor3D, experts as tf.Tensor3D); // [B, G, H]
      const outs = G === 1 ? [tf.reshape(mixed, [B, this.H]) as tf.Tensor2D] : (tf.unstack(mixed, 1) as tf.Tensor2D[]);
      streams = new Map(lp.gates.map((g, gi) => [g.id, outs[gi]]));
      if (opts.gates)
        lp.gates.forEach((g, gi) =>
          gateOut.push({ info: infoOf(g), weights: tf.reshape(tf.slice(probs, [0, gi, 0], [B, 1, lp.E]), [B, lp.E]) as tf.Tensor2D }),
        );
    });
    const outputs = this.towers.apply(Array.from({ length: this.numTasks }, (_, k) => streams.get(`task:${k}`)!));
    return { outputs, gates: gateOut };
  }

  gateInfo(): GateInfo[] {
    return this.plan.levels.flatMap((lp) => lp.gates.map(infoOf));
  }

  /** GradNorm's shared layer: the last level's shared experts (first layer), else task 1's experts there. */
  sharedParam(): SharedParam {
    const li = this.plan.levels.length - 1;
    const lp = this.plan.levels[li];
    const K = this.numTasks;
    const target = lp.modules[K].count > 0 ? K : 0;
    const groups = this.levelVars[li].groups;
    const g = groups.find((gr) => gr.modules.includes(target))!;
    let start = 0;
    for (const mi of g.modules) {
      if (mi === target) break;
      start += lp.modules[mi].count * this.h1;
    }
    return { variable: g.W, cols: [start, start + lp.modules[target].count * this.h1] };
  }

  /**
   * The shared experts of every level (first layer, bias, deep slices). Without
   * shared experts (AdaTT-sp) every gate fuses every expert, so every task's
   * loss reaches every expert: then all experts count as shared.
   */
  sharedParameters(): SharedSlice[] {
    const K = this.numTasks;
    const out: SharedSlice[] = [];
    this.plan.levels.forEach((lp, li) => {
      const lv = this.levelVars[li];
      const mods = lp.modules[K].count > 0 ? [K] : lp.modules.map((_, mi) => mi).filter((mi) => lp.modules[mi].count > 0);
      for (const g of lv.groups) {
        let start = 0;
        for (const mi of g.modules) {
          const w = lp.modules[mi].count * this.h1;
          if (mods.includes(mi)) out.push({ variable: g.W, cols: [start, start + w] }, { variable: g.b, cols: [start, start + w] });
          start += w;
        }
      }
      for (const d of lv.deep)
        for (const mi of mods) {
          const m = lp.modules[mi];
          out.push({ variable: d.W, lead: [m.offset, m.offset + m.count] }, { variable: d.b, lead: [m.offset, m.offset + m.count] });
        }
    });
    const order = new Map(this.variables.map((v, i) => [v, i]));
    out.sort((a, b) => order.get(a.variable)! - order.get(b.variable)! || (a.cols?.[0] ?? a.lead?.[0] ?? 0) - (b.cols?.[0] ?? b.lead?.[0] ?? 0));
    return mergeSlices(out);
  }

  parameterCount(): number {
    const sizes = this.cfg.expertHidden;
    let n = 0;
    this.plan.levels.forEach((lp, li) => {
      const inDim = this.levelVars[li].inDim;
      n += lp.E * (inDim * this.h1 + this.h1);
      for (let l = 1; l < sizes.length; l++) n += lp.E * (sizes[l - 1] * sizes[l] + sizes[l]);
      n += lp.gates.length * (inDim * lp.E + lp.E);
      if (!this.plan.unitResidual) n += lp.gates.reduce((s, g) => s + lp.modules[g.selfModule].count, 0);
    });
    return n + this.towers.parameterCount();
  }

  async exportStructure(): Promise<Record<string, unknown>> {
    const levels = [];
    for (const [li, lp] of this.plan.levels.entries()) {
      const lv = this.levelVars[li];
      const modules = [];
      for (const [mi, m] of lp.modules.entries()) {
        if (m.count === 0) continue;
        const g = lv.groups.find((gr) => gr.modules.includes(mi))!;
        let colStart = 0;
        for (const other of g.modules) {
          if (other === mi) break;
          colStart += lp.modules[other].count * this.h1;
        }
        const cols = g.expertCols + g.gateCols;
        const experts = [];
        for (let i = 0; i < m.count; i++) {
          const c0 = colStart + i * this.h1;
          const layers: DenseJson[] = [
            { W: await toMatrix(g.W, lv.inDim, cols, c0, this.h1), b: await toVector(g.b, c0, this.h1), activation: 'relu' },
          ];
          const e = m.offset + i;
          for (const d of lv.deep) {
            const W = await toMatrix(d.W, lp.E * d.inDim, d.outDim);
            layers.push({ W: W.slice(e * d.inDim, (e + 1) * d.inDim), b: await toVector(d.b, e * d.outDim, d.outDim), activation: 'relu' });
          }
          experts.push({ index: i, layers });
        }
        modules.push({ id: m.id, label: m.label, input: g.stream, experts });
      }
      const selfW = lv.selfW ? await toMatrix(lv.selfW, lp.gates.length, lp.E) : null;
      const gates = [];
      for (const [gi, gate] of lp.gates.entries()) {
        const g = lv.groups.find((gr) => gr.gates.includes(gi))!;
        const c0 = g.expertCols + g.gates.indexOf(gi) * lp.E;
        const cols = g.expertCols + g.gateCols;
        const own = lp.modules[gate.selfModule];
        gates.push({
          id: gate.id,
          label: gate.label,
          input: gate.stream,
          experts: gate.experts.map(({ module, index }) => ({ module, index })),
          layers: [{ W: await toMatrix(g.W, lv.inDim, cols, c0, lp.E), b: await toVector(g.b, c0, lp.E), activation: 'softmax' }],
          residual: {
            experts: Array.from({ length: own.count }, (_, i) => ({ module: own.id, index: i })),
            weights: Array.from({ length: own.count }, (_, i) => (selfW ? selfW[gi][own.offset + i] : 1)),
          },
        });
      }
      levels.push({ level: li, inputDim: lv.inDim, modules, gates });
    }
    const towers = (await this.towers.export()).map((layers, k) => ({ task: k, input: `task:${k}`, layers }));
    return { levels, towers };
  }

  dispose(): void {
    this.vars.dispose();
    this.towers.dispose();
    for (const lv of this.levelVars) lv.ownMask.dispose();
  }
}

function infoOf(g: AdattGate): GateInfo {
  return { level: g.level, id: g.id, label: g.label, experts: g.experts };
}
