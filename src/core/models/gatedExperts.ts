// The mixture-of-experts family in one code path: OMoE, MMoE, ML-MMoE, CGC, PLE.
//
//  - PLE: at every level, task k's experts and gate read task k's stream; the
//    shared experts and the SHARED gate read the shared stream; task gate k
//    mixes task k's experts + the shared ones; the shared gate mixes ALL
//    experts of the level; the last level has no shared gate (SPEC §2).
//  - CGC = PLE with one level. MMoE = CGC with no task experts;
//    ML-MMoE = PLE with no task experts. OMoE = one gate for all tasks.
//
// Packing (TFJS-NOTES: small models are bound by kernel launches): the first
// layer of every expert and the logits of every gate that read the same
// stream are ONE matMul against concatenated weights. Gates use a masked
// softmax over all experts of the level (−1e9 on experts a gate may not see),
// so all gates of a level are one reshape + add + softmax. Mixing is one
// batched matMul [B, G, E] × [B, E, H] on any backend, or on WASM one SIMD
// kernel per direction (backends/mixKernels.ts) that writes each gate's
// output directly (and the last level's as the towers' packed input).
// Masked entries get exactly zero weight and zero gradient: CGC's gradient
// isolation holds exactly on both paths.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../config/schema';
import { Rng } from '../data/rng';
import type { ExpertRef, GateInfo } from '../types';
import { mergeSlices, type DenseJson, type ForwardResult, type GateOutput, type MtlModel, type SharedParam, type SharedSlice } from './model';
import { applyMlp, makeMlp, matMul, matMulInput, mixExperts, toMatrix, toVector, VariableSet, type Dense } from './ops';
import { exportMlp, Towers } from './towers';
import { mixKernel, mixKernelsActive } from '../backends/mixKernels';
import { expertLayerKernelsActive, splitBiasRelu } from '../backends/expertLayerKernels';
import { featureGatesOn } from '../config/schema';
import { FEATURE_STREAM_PREFIX, FeatureGates, featureStream, type FeatureGateInfo } from './featureGates';

const MASKED = -1e9;

interface ModulePlan {
  id: string; // 'task:k' | 'shared'
  label: string;
  count: number;
  /** Index of this module's first expert in the level's expert order. */
  offset: number;
}

interface GatePlan extends GateInfo {
  stream: string;
  /** Indices (in the level's expert order) of the experts this gate mixes. */
  allowed: number[];
}

/**
 * Experts and gates that read one stream: one packed matMul. A level's
 * experts are the concatenation of its groups' experts, and its gates the
 * concatenation of its groups' gates, IN GROUP ORDER: that is how the packed
 * outputs come out, so the plan is built to make both orders the level's own
 * (checked in planLevels). Using the gate logits in another order than the
 * one they come out in mixed up gates whenever a task had no experts of its
 * own at some level (SPEC §2, "known engine trap").
 */
interface GroupPlan {
  stream: string;
  inDim: number;
  /** Level expert indices, ascending and contiguous. */
  experts: number[];
  /** Level gate indices, ascending and contiguous. */
  gates: number[];
}

interface LevelPlan {
  level: number;
  modules: ModulePlan[];
  /** The stream each expert of the level reads, in expert order. */
  expertStreams: string[];
  gates: GatePlan[];
  groups: GroupPlan[];
  E: number;
}

interface GroupVars {
  /** [in, experts·h1 + (packed gates)·E]; null when the group has no packed column (gate MLPs, no experts). */
  W: tf.Variable | null;
  b: tf.Variable | null; // [experts·h1]
  expertCols: number;
  gateCols: number;
}

interface LevelVars {
  groups: GroupVars[];
  /** Expert layers after the first: W [E, h_{l−1}, h_l], b [E, 1, h_l]. */
  deep: { W: tf.Variable; b: tf.Variable; inDim: number; outDim: number }[];
  /** Gate MLPs when gateHidden is set: hidden layers, then a linear layer to E logits. */
  gateMlps: { hidden: Dense[]; out: tf.Variable }[] | null;
  /** Trained gate bias [G, E] (model.gateBias); entries outside a gate's experts get exactly zero gradient. */
  gateBias: tf.Variable | null;
  mask: tf.Tensor2D; // [G, E]
}

function taskExperts(cfg: ResolvedModel, k: number): number {
  return cfg.type === 'cgc' || cfg.type === 'ple' ? cfg.specificExperts[k] : 0;
}

/** The order in which groups (and so experts and gate logits) are packed. */
function streamRank(stream: string, K: number): number {
  if (stream === 'input') return 0;
  // Feature-gated inputs (model.featureGates) rank as their module does.
  if (stream.startsWith(FEATURE_STREAM_PREFIX)) return streamRank(stream.slice(FEATURE_STREAM_PREFIX.length), K);
  if (stream.startsWith('task:')) return 1 + Number(stream.slice(5));
  if (stream.startsWith('expert:')) return 1 + K + Number(stream.slice(7));
  return 1e6; // 'shared'
}

/** A stream of raw-input width: the input itself or a feature-gated copy of it. */
const isRaw = (stream: string) => stream === 'input' || stream.startsWith(FEATURE_STREAM_PREFIX);

function planLevels(cfg: ResolvedModel, K: number, inputDim: number): LevelPlan[] {
  const L = cfg.levels;
  // With feature gates, the first level's modules read their own gated input 'features:<id>'.
  const first = featureGatesOn(cfg) ? featureStream : () => 'input';
  const H = cfg.expertHidden[cfg.expertHidden.length - 1];
  const mlMmoe = cfg.type === 'ml-mmoe';
  const plans: LevelPlan[] = [];
  for (let level = 0; level < L; level++) {
    const modules: ModulePlan[] = [];
    let offset = 0;
    for (let k = 0; k < K; k++) {
      const count = taskExperts(cfg, k);
      modules.push({ id: `task:${k}`, label: `Task ${k + 1}`, count, offset });
      offset += count;
    }
    modules.push({ id: 'shared', label: 'Shared', count: cfg.sharedExperts, offset });
    const E = offset + cfg.sharedExperts;
    const expertsOf = (m: ModulePlan): number[] => Array.from({ length: m.count }, (_, i) => m.offset + i);
    const refs = (idx: number[]): ExpertRef[] =>
      idx.map((e) => {
        const m = modules.find((mm) => e >= mm.offset && e < mm.offset + mm.count)!;
        const i = e - m.offset;
        return { module: m.id, index: i, label: `${m.id === 'shared' ? 'S' : `T${Number(m.id.slice(5)) + 1}`}·E${i}` };
      });
    // PLE family: a module's experts and its gate read the module's stream (the
    // previous level's output of the gate with the same id). ML-MMoE (PLE paper;
    // Meta's MLMMoE): every gate reads the RAW input; an inner level has one gate
    // per next-level expert, whose output only that expert reads.
    const expertStreams: string[] = [];
    for (const m of modules)
      for (let i = 0; i < m.count; i++)
        expertStreams.push(level === 0 ? first(m.id) : mlMmoe ? `expert:${m.offset + i}` : m.id);
    const gateStream = (id: string) => (level === 0 ? first(id) : mlMmoe ? 'input' : id);
    const shared = modules[K];
    const all = Array.from({ length: E }, (_, e) => e);
    let gates: GatePlan[] = [];
    if (cfg.type === 'omoe') {
      const allowed = expertsOf(shared);
      gates.push({ level, id: 'shared', label: 'Gate (all tasks)', stream: gateStream('shared'), allowed, experts: refs(allowed) });
    } else if (mlMmoe && level < L - 1) {
      for (let e = 0; e < E; e++)
        gates.push({ level, id: `expert:${e}`, label: `Gate → L${level + 2} expert ${e + 1}`, stream: 'input', allowed: all, experts: refs(all) });
    } else {
      for (let k = 0; k < K; k++) {
        const allowed = [...expertsOf(modules[k]), ...expertsOf(shared)];
        gates.push({ level, id: `task:${k}`, label: `Gate task ${k + 1}`, stream: gateStream(`task:${k}`), allowed, experts: refs(allowed) });
      }
      if (level < L - 1 && !mlMmoe)
        gates.push({ level, id: 'shared', label: 'Shared gate', stream: gateStream('shared'), allowed: all, experts: refs(all) });
    }
    const streams = [...new Set([...expertStreams, ...gates.map((g) => g.stream)])].sort((a, b) => streamRank(a, K) - streamRank(b, K));
    // Gates in group order: the order their packed logits come out in.
    gates = streams.flatMap((s) => gates.filter((g) => g.stream === s));
    const groups: GroupPlan[] = streams.map((s) => ({
      stream: s,
      inDim: isRaw(s) ? inputDim : H,
      experts: all.filter((e) => expertStreams[e] === s),
      gates: gates.flatMap((g, gi) => (g.stream === s ? [gi] : [])),
    }));
    const expertOrder = groups.flatMap((g) => g.experts);
    if (expertOrder.some((e, i) => e !== i)) throw new Error(`internal: level ${level} packs its experts out of order (${expertOrder.join(',')})`);
    plans.push({ level, modules, expertStreams, gates, groups, E });
  }
  return plans;
}

export class GatedExpertsModel implements MtlModel {
  readonly variables: tf.Variable[];
  private readonly vars: VariableSet;
  private readonly plans: LevelPlan[];
  private readonly levelVars: LevelVars[] = [];
  private readonly towers: Towers;
  private readonly towerStreams: string[];
  /** The last level's gate outputs, in order, are exactly the towers' inputs. */
  private readonly packedTowerInput: boolean;
  private readonly h1: number;
  private readonly H: number;
  /** model.featureGates: the first level's gated inputs (null when off). */
  private readonly featureGates: FeatureGates | null;

  constructor(
    readonly cfg: ResolvedModel,
    readonly numTasks: number,
    readonly inputDim: number,
    initSeed: number,
  ) {
    const rng = new Rng(initSeed);
    this.vars = new VariableSet(cfg.type);
    this.plans = planLevels(cfg, numTasks, inputDim);
    this.h1 = cfg.expertHidden[0];
    this.H = cfg.expertHidden[cfg.expertHidden.length - 1];
    const fg = this.plans[0].groups.filter((g) => g.stream.startsWith(FEATURE_STREAM_PREFIX)).map((g): FeatureGateInfo => {
      const id = g.stream.slice(FEATURE_STREAM_PREFIX.length);
      return { id, label: id === 'shared' ? 'Shared feature gate' : `Feature gate task ${Number(id.slice(5)) + 1}` };
    });
    this.featureGates = fg.length ? new FeatureGates(this.vars, inputDim, fg) : null;
    for (const plan of this.plans) this.levelVars.push(this.buildLevel(plan, rng));
    this.towerStreams = Array.from({ length: numTasks }, (_, k) => (cfg.type === 'omoe' ? 'shared' : `task:${k}`));
    const lastGates = this.plans[this.plans.length - 1].gates;
    this.packedTowerInput =
      lastGates.length === numTasks && lastGates.every((g, k) => g.id === this.towerStreams[k]);
    this.towers = new Towers(this.vars, rng, numTasks, new Array(numTasks).fill(this.H), cfg.towerHidden);
    this.variables = this.vars.list;
  }

  get type() {
    return this.cfg.type;
  }

  private get gateBias(): boolean {
    return this.cfg.gateBias !== false;
  }

  private buildLevel(plan: LevelPlan, rng: Rng): LevelVars {
    const { h1 } = this;
    const packGates = this.cfg.gateHidden.length === 0;
    const groups = plan.groups.map((g): GroupVars => {
      const expertCols = g.experts.length * h1;
      const gateCols = packGates ? g.gates.length * plan.E : 0;
      const cols = expertCols + gateCols;
      // A group with nothing packed (gate MLPs read it, no experts) gets no
      // weight at all: a zero-width matMul makes XNNPACK fail with status 2.
      if (cols === 0) return { W: null, b: null, expertCols, gateCols };
      // Glorot per block: experts by (in, h1), each gate by (in, experts it mixes).
      const limits = new Float32Array(cols);
      limits.fill(Math.sqrt(6 / (g.inDim + h1)), 0, expertCols);
      g.gates.forEach((gate, j) => {
        const fanOut = plan.gates[gate].allowed.length;
        limits.fill(Math.sqrt(6 / (g.inDim + fanOut)), expertCols + j * plan.E, expertCols + (j + 1) * plan.E);
      });
      const w = new Float32Array(g.inDim * cols);
      for (let r = 0; r < g.inDim; r++)
        for (let c = 0; c < cols; c++) w[r * cols + c] = (rng.uniform() * 2 - 1) * limits[c];
      return {
        W: this.vars.add(w, [g.inDim, cols], `L${plan.level}/${g.stream}/W`),
        b: expertCols > 0 ? this.vars.zeros([expertCols], `L${plan.level}/${g.stream}/b`) : null,
        expertCols,
        gateCols,
      };
    });
    const deep: LevelVars['deep'] = [];
    const sizes = this.cfg.expertHidden;
    for (let l = 1; l < sizes.length; l++) {
      const [i, o] = [sizes[l - 1], sizes[l]];
      const lim = Math.sqrt(6 / (i + o));
      const w = new Float32Array(plan.E * i * o);
      for (let j = 0; j < w.length; j++) w[j] = (rng.uniform() * 2 - 1) * lim;
      deep.push({
        W: this.vars.add(w, [plan.E, i, o], `L${plan.level}/experts/deep${l}/W`),
        b: this.vars.zeros([plan.E, 1, o], `L${plan.level}/experts/deep${l}/b`),
        inDim: i,
        outDim: o,
      });
    }
    let gateMlps: LevelVars['gateMlps'] = null;
    if (!packGates) {
      gateMlps = plan.gates.map((gate, gi) => {
        const inDim = isRaw(gate.stream) ? this.inputDim : this.H;
        const hidden = makeMlp(this.vars, rng, inDim, this.cfg.gateHidden, `L${plan.level}/gate${gi}`);
        const last = this.cfg.gateHidden[this.cfg.gateHidden.length - 1];
        const out = this.vars.add(
          new Float32Array(last * plan.E).map(() => (rng.uniform() * 2 - 1) * Math.sqrt(6 / (last + gate.allowed.length))),
          [last, plan.E],
          `L${plan.level}/gate${gi}/out`,
        );
        return { hidden, out };
      });
    }
    const G = plan.gates.length;
    const gateBias = this.gateBias ? this.vars.zeros([G, plan.E], `L${plan.level}/gates/bias`) : null;
    const maskData = new Float32Array(G * plan.E).fill(MASKED);
    plan.gates.forEach((g, gi) => g.allowed.forEach((e) => (maskData[gi * plan.E + e] = 0)));
    const mask = tf.tensor2d(maskData, [G, plan.E]);
    return { groups, deep, gateMlps, gateBias, mask };
  }

  forward(x: tf.Tensor2D, opts: { gates?: boolean; featureGates?: boolean } = {}): ForwardResult {
    const B = x.shape[0];
    const gateOut: GateOutput[] = [];
    // 'input' stays readable at every level (ML-MMoE's gates select on the raw input).
    let streams = new Map<string, tf.Tensor2D>([['input', x]]);
    const fg = this.featureGates?.apply(x);
    if (fg) this.featureGates!.gates.forEach((g, j) => streams.set(featureStream(g.id), fg.gated[j]));
    let towerInput: tf.Tensor2D | null = null;
    for (let li = 0; li < this.plans.length; li++) {
      const plan = this.plans[li];
      const lv = this.levelVars[li];
      const expertParts: tf.Tensor2D[] = [];
      const logitParts: tf.Tensor2D[] = [];
      plan.groups.forEach((g, gi) => {
        const gv = lv.groups[gi];
        if (!gv.W) return;
        const inp = streams.get(g.stream)!;
        // Only the raw input needs no input gradient (a feature-gated copy does: its gate learns).
        const y = g.stream === 'input' ? matMulInput(inp, gv.W as tf.Tensor2D) : matMul(inp, gv.W as tf.Tensor2D);
        let e: tf.Tensor2D | null = null;
        let lg: tf.Tensor2D | null = null;
        if (gv.expertCols > 0 && expertLayerKernelsActive()) {
          // One SIMD kernel each way for slice + bias + ReLU (same numbers, fewer launches).
          [e, lg] = splitBiasRelu(y, gv.b as tf.Tensor1D, gv.expertCols);
          expertParts.push(e);
          if (lg) logitParts.push(lg);
          return;
        }
        if (gv.expertCols > 0 && gv.gateCols > 0) {
          e = tf.slice(y, [0, 0], [B, gv.expertCols]);
          lg = tf.slice(y, [0, gv.expertCols], [B, gv.gateCols]);
        } else if (gv.expertCols > 0) e = y;
        else lg = y;
        if (e) expertParts.push(tf.relu(tf.add(e, gv.b!)) as tf.Tensor2D);
        if (lg) logitParts.push(lg);
      });
      // Experts: [B, E, H] (groups hold the level's experts in order).
      let experts = (expertParts.length === 1 ? expertParts[0] : tf.concat(expertParts, 1)) as tf.Tensor;
      if (lv.deep.length > 0) {
        let h = tf.transpose(tf.reshape(experts, [B, plan.E, this.h1]), [1, 0, 2]) as tf.Tensor3D; // [E, B, h]
        for (const d of lv.deep) h = tf.relu(tf.add(tf.matMul(h, d.W as tf.Tensor3D), d.b)) as tf.Tensor3D;
        experts = tf.transpose(h, [1, 0, 2]);
      } else experts = tf.reshape(experts, [B, plan.E, this.H]);
      // Gates: [B, G, E] masked softmax (+ bias). Logits come out in group order = gate order.
      const G = plan.gates.length;
      let logits: tf.Tensor;
      if (lv.gateMlps) {
        const parts = plan.gates.map((gate, gi) => {
          const m = lv.gateMlps![gi];
          const h = applyMlp(streams.get(gate.stream)!, m.hidden, true, gate.stream === 'input');
          return matMul(h, m.out as tf.Tensor2D);
        });
        logits = parts.length === 1 ? parts[0] : tf.concat(parts, 1);
      } else logits = logitParts.length === 1 ? logitParts[0] : tf.concat(logitParts, 1);
      const offset = lv.gateBias ? tf.add(lv.mask, lv.gateBias) : lv.mask;
      const probs = tf.softmax(tf.add(tf.reshape(logits, [B, G, plan.E]), offset)) as tf.Tensor3D;
      const last = li === this.plans.length - 1;
      if (last && this.packedTowerInput && mixKernelsActive()) {
        // The last level's gates are the towers' inputs in order: one [B, K·H] tensor, no concat.
        towerInput = tf.reshape(mixKernel(probs, experts as tf.Tensor3D, false)[0], [B, G * this.H]) as tf.Tensor2D;
      } else {
        const outs = mixKernelsActive()
          ? (mixKernel(probs, experts as tf.Tensor3D, true) as tf.Tensor2D[])
          : this.mixGeneric(probs, experts as tf.Tensor3D);
        streams = new Map([['input', x], ...plan.gates.map((g, gi): [string, tf.Tensor2D] => [g.id, outs[gi]])]);
      }
      if (opts.gates) {
        plan.gates.forEach((g, gi) => {
          const row = tf.reshape(tf.slice(probs, [0, gi, 0], [B, 1, plan.E]), [B, plan.E]);
          const weights = (g.allowed.length === plan.E ? row : tf.gather(row, tf.tensor1d(g.allowed, 'int32'), 1)) as tf.Tensor2D;
          gateOut.push({ info: this.infoOf(g), weights });
        });
      }
    }
    const outputs = towerInput ? this.towers.applyPacked(towerInput) : this.towers.apply(this.towerStreams.map((s) => streams.get(s)!));
    const featureGates = fg && opts.featureGates ? this.featureGates!.gates.map((info, j) => ({ info, weights: fg.weights[j] })) : undefined;
    return { outputs, gates: gateOut, ...(featureGates ? { featureGates } : {}) };
  }

  /** Any backend: one batched matMul, then one [B, H] tensor per gate. */
  private mixGeneric(probs: tf.Tensor3D, experts: tf.Tensor3D): tf.Tensor2D[] {
    const [B, G] = probs.shape;
    const mixed = mixExperts(probs, experts); // [B, G, H]
    return G === 1 ? [tf.reshape(mixed, [B, this.H]) as tf.Tensor2D] : (tf.unstack(mixed, 1) as tf.Tensor2D[]);
  }

  private infoOf(g: GatePlan): GateInfo {
    return { level: g.level, id: g.id, label: g.label, experts: g.experts };
  }

  gateInfo(): GateInfo[] {
    return this.plans.flatMap((p) => p.gates.map((g) => this.infoOf(g)));
  }

  featureGateInfo(): FeatureGateInfo[] {
    return this.featureGates?.gates ?? [];
  }

  /** Where expert e's first layer sits: its group, and its column offset in the group's packed weight. */
  private expertSlot(li: number, e: number): { gi: number; col: number } {
    const plan = this.plans[li];
    const gi = plan.groups.findIndex((g) => g.experts.includes(e));
    return { gi, col: plan.groups[gi].experts.indexOf(e) * this.h1 };
  }

  sharedParam(): SharedParam | null {
    // GradNorm's "last shared layer": the first layer of the last level's shared
    // experts (those packed with the first shared expert).
    const li = this.plans.length - 1;
    const plan = this.plans[li];
    const shared = plan.modules[plan.modules.length - 1];
    if (shared.count === 0) return { variable: this.levelVars[li].groups.find((g) => g.W)!.W! };
    const { gi, col } = this.expertSlot(li, shared.offset);
    const g = plan.groups[gi];
    const n = g.experts.filter((e) => e >= shared.offset).length;
    return { variable: this.levelVars[li].groups[gi].W!, cols: [col, col + n * this.h1] };
  }

  /**
   * The shared experts of every level (all experts in MMoE/OMoE/ML-MMoE):
   * their first-layer columns in the packed stream matrices (gate columns
   * excluded), their biases, and their slices of the stacked deep layers.
   */
  sharedParameters(): SharedSlice[] {
    const out: SharedSlice[] = [];
    this.plans.forEach((plan, li) => {
      const shared = plan.modules[plan.modules.length - 1];
      const lv = this.levelVars[li];
      for (let e = shared.offset; e < shared.offset + shared.count; e++) {
        const { gi, col } = this.expertSlot(li, e);
        const gv = lv.groups[gi];
        out.push({ variable: gv.W!, cols: [col, col + this.h1] }, { variable: gv.b!, cols: [col, col + this.h1] });
      }
      for (const d of lv.deep)
        for (let e = shared.offset; e < shared.offset + shared.count; e++) out.push({ variable: d.W, lead: [e, e + 1] }, { variable: d.b, lead: [e, e + 1] });
    });
    if (this.featureGates) out.push(...this.featureGates.sharedSlices());
    // Group W before b per expert: sort so that adjacent slices of one variable merge.
    const order = new Map(this.variables.map((v, i) => [v, i]));
    out.sort((a, b) => order.get(a.variable)! - order.get(b.variable)! || (a.cols?.[0] ?? a.lead?.[0] ?? 0) - (b.cols?.[0] ?? b.lead?.[0] ?? 0));
    return mergeSlices(out);
  }

  parameterCount(): number {
    let n = 0;
    const dim = (stream: string) => (isRaw(stream) ? this.inputDim : this.H);
    for (const plan of this.plans) {
      for (const s of plan.expertStreams) n += dim(s) * this.h1 + this.h1;
      for (let l = 1; l < this.cfg.expertHidden.length; l++)
        n += plan.E * (this.cfg.expertHidden[l - 1] * this.cfg.expertHidden[l] + this.cfg.expertHidden[l]);
      for (const g of plan.gates) {
        let d = dim(g.stream);
        for (const h of this.cfg.gateHidden) {
          n += d * h + h;
          d = h;
        }
        n += d * g.allowed.length + (this.gateBias ? g.allowed.length : 0);
      }
    }
    return n + this.towers.parameterCount() + (this.featureGates?.parameterCount() ?? 0);
  }

  async exportStructure(): Promise<Record<string, unknown>> {
    const levels = [];
    for (let li = 0; li < this.plans.length; li++) {
      const plan = this.plans[li];
      const lv = this.levelVars[li];
      const bias = lv.gateBias ? await toMatrix(lv.gateBias, plan.gates.length, plan.E) : null;
      const modules = [];
      for (const m of plan.modules) {
        if (m.count === 0) continue;
        const experts = [];
        for (let i = 0; i < m.count; i++) {
          const e = m.offset + i;
          const { gi, col } = this.expertSlot(li, e);
          const group = plan.groups[gi];
          const gv = lv.groups[gi];
          const cols = gv.expertCols + gv.gateCols;
          const layers: DenseJson[] = [
            {
              W: await toMatrix(gv.W!, group.inDim, cols, col, this.h1),
              b: await toVector(gv.b!, col, this.h1),
              activation: 'relu',
            },
          ];
          for (const d of lv.deep) {
            const W = await toMatrix(d.W, plan.E * d.inDim, d.outDim);
            layers.push({
              W: W.slice(e * d.inDim, (e + 1) * d.inDim),
              b: await toVector(d.b, e * d.outDim, d.outDim),
              activation: 'relu',
            });
          }
          experts.push({ index: i, input: plan.expertStreams[e], layers });
        }
        const inputs = new Set(experts.map((x) => x.input));
        modules.push({ id: m.id, label: m.label, input: inputs.size === 1 ? experts[0].input : 'per-expert', experts });
      }
      const gates = [];
      for (const [gi, g] of plan.gates.entries()) {
        const layers: DenseJson[] = [];
        const b = g.allowed.map((e) => (bias ? bias[gi][e] : 0));
        if (lv.gateMlps) {
          const m = lv.gateMlps[gi];
          layers.push(...(await exportMlp(m.hidden, true)));
          const last = m.hidden[m.hidden.length - 1].outDim;
          const full = await toMatrix(m.out, last, plan.E);
          layers.push({ W: full.map((row) => g.allowed.map((e) => row[e])), b, activation: 'softmax' });
        } else {
          const groupIdx = plan.groups.findIndex((gr) => gr.gates.includes(gi));
          const group = plan.groups[groupIdx];
          const gv = lv.groups[groupIdx];
          const j = group.gates.indexOf(gi);
          const cols = gv.expertCols + gv.gateCols;
          const full = await toMatrix(gv.W!, group.inDim, cols, gv.expertCols + j * plan.E, plan.E);
          layers.push({ W: full.map((row) => g.allowed.map((e) => row[e])), b, activation: 'softmax' });
        }
        gates.push({ id: g.id, label: g.label, input: g.stream, experts: g.experts.map(({ module, index }) => ({ module, index })), layers });
      }
      levels.push({ level: li, inputDim: li === 0 ? this.inputDim : this.H, modules, gates });
    }
    const towerLayers = await this.towers.export();
    return {
      ...(this.featureGates ? { featureGates: await this.featureGates.export() } : {}),
      levels,
      towers: towerLayers.map((layers, k) => ({ task: k, input: this.towerStreams[k], layers })),
    };
  }

  dispose(): void {
    this.vars.dispose();
    this.towers.dispose();
    for (const lv of this.levelVars) lv.mask.dispose();
  }
}
