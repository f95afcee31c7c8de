// The ONNX graph of a model, built from its structural export (the object
// model.json holds; docs/model-json.md), never from the engine's packed
// variables: every expert, gate, column and tower is its own run of nodes,
// named after its place in the structure (`l1/task0/expert0/dense0/W`), so the
// file reads like the model in Netron. Plain data in, plain data out: no
// TF.js, no protobuf (src/core/export/onnx.ts encodes the result). The layout
// is described in docs/onnx.md; src/core/models/reference.testutil.ts is the
// forward pass it mirrors, stream by stream.

export type Activation = 'relu' | 'linear' | 'softmax';
export interface DenseLayer {
  W: number[][];
  b: number[];
  activation: Activation;
}
export interface ExpertRef {
  module: string;
  index: number;
}
export interface StructureLevel {
  level?: number;
  inputDim?: number;
  modules: { id: string; label?: string; input: string; experts: { index?: number; input?: string; layers: DenseLayer[] }[] }[];
  gates: { id: string; label?: string; input: string; experts: ExpertRef[]; layers: DenseLayer[]; residual?: { experts: ExpertRef[]; weights: number[] } }[];
}

/** The parts of model.json the graph reads (the rest is carried as metadata). */
export interface ModelJsonLike {
  format?: string;
  version?: number;
  model: {
    type: string;
    numTasks: number;
    inputDim: number;
    tasks?: { index: number; type: string; output: string }[];
    parameterCount?: number;
    step?: number;
  };
  config?: Record<string, unknown>;
  /** model.featureGates: x̃ = scale · softmax(x·W + b) ⊙ x, read by the first level as stream `output`. */
  featureGates?: { id: string; label?: string; input: string; output: string; scale: number; layers: DenseLayer[] }[];
  levels?: StructureLevel[];
  bottom?: { input?: string; layers: DenseLayer[] };
  columns?: { task?: number; input?: string; layers: DenseLayer[] }[];
  stitch?: { afterLayer: number; alpha: number[][] }[];
  sluice?: { subspaces: number; alpha: { afterLayer: number; alpha: number[][] }[]; beta: number[][] };
  towers: { task: number; input: string | string[]; layers: DenseLayer[] }[];
  esmm?: { ctr: number; cvr: number; ctcvr?: string };
}

export interface OnnxExportOptions {
  /** The preset the run came from, when known. */
  presetId?: string | null;
  /** The run's name (CLI run name, page title). */
  runName?: string | null;
}

export type Dim = number | 'N';
export interface InitializerSpec {
  name: string;
  dims: number[];
  type: 'float' | 'int64';
  values: Float32Array | number[];
}
export interface NodeSpec {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, number>;
  doc?: string;
}
export interface ValueSpec {
  name: string;
  dims: Dim[];
  doc?: string;
}
/** What one extra graph output holds: a gate's softmax weights. */
export interface GateOutputSpec {
  output: string;
  /** 1-based, as in the output name. */
  level: number;
  id: string;
  label: string;
  /** `<module>/<index>`, in the order of the output's columns. */
  experts: string[];
}
export interface GraphSpec {
  name: string;
  doc: string;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  /** Intermediate tensors with their shapes (Netron shows them on the edges). */
  values: ValueSpec[];
  nodes: NodeSpec[];
  initializers: InitializerSpec[];
  gates: GateOutputSpec[];
  metadata: Record<string, string>;
  modelDoc: string;
}

/** A tensor in the graph and its width (every tensor is [N, width]). */
interface T {
  name: string;
  width: number;
}

/** `task:0` → `task0`, `expert:3` → `expert3`, `shared` → `shared`. */
export const safeId = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '');
/** The name of a gate's output: level 1-based, e.g. `gate_l1_task0`, `gate_l2_expert0`. */
export const gateOutputName = (levelIndex: number, id: string) => `gate_l${levelIndex + 1}_${safeId(id)}`;

class Builder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: InitializerSpec[] = [];
  readonly values: ValueSpec[] = [];
  private readonly tensorNames = new Set<string>();
  private readonly nodeNames = new Set<string>();

  private claimTensor(name: string): string {
    if (this.tensorNames.has(name)) throw new Error(`ONNX export: duplicate tensor name ${name}`);
    this.tensorNames.add(name);
    return name;
  }

  input(name: string, width: number): T {
    this.claimTensor(name);
    return { name, width };
  }

  float(name: string, dims: number[], values: ArrayLike<number | null>): string {
    const n = dims.reduce((a, b) => a * b, 1);
    if (values.length !== n) throw new Error(`ONNX export: ${name} has ${values.length} values for shape [${dims}]`);
    // model.json writes a non-finite weight (a diverged run) as null: keep it NaN, never a silent 0.
    const data = Float32Array.from({ length: n }, (_, i) => (values[i] === null ? NaN : (values[i] as number)));
    this.initializers.push({ name: this.claimTensor(name), dims, type: 'float', values: data });
    return name;
  }

  int64(name: string, values: number[]): string {
    this.initializers.push({ name: this.claimTensor(name), dims: [values.length], type: 'int64', values });
    return name;
  }

  /** One node with one or more outputs, each [N, width]. */
  op(op: string, name: string, inputs: string[], outputs: { name: string; width: number }[], attrs?: Record<string, number>, doc?: string): T[] {
    if (this.nodeNames.has(name)) throw new Error(`ONNX export: duplicate node name ${name}`);
    this.nodeNames.add(name);
    for (const o of outputs) {
      this.claimTensor(o.name);
      this.values.push({ name: o.name, dims: ['N', o.width] });
    }
    this.nodes.push({ op, name, inputs, outputs: outputs.map((o) => o.name), ...(attrs ? { attrs } : {}), ...(doc ? { doc } : {}) });
    return outputs.map((o) => ({ ...o }));
  }

  op1(op: string, name: string, inputs: string[], width: number, out = name, attrs?: Record<string, number>, doc?: string): T {
    return this.op(op, name, inputs, [{ name: out, width }], attrs, doc)[0];
  }

  /**
   * y = act(x·W + b) as a Gemm (W and b are the layer's own initializers
   * `<path>/W`, `<path>/b`), then Relu or Softmax. The layer's output tensor is
   * named `path` (or `out` when given).
   */
  dense(x: T, l: DenseLayer, path: string, out = path, doc?: string): T {
    const inDim = l.W.length;
    const outDim = l.b.length;
    if (inDim !== x.width) throw new Error(`ONNX export: ${path} expects ${inDim} inputs but reads ${x.width}`);
    if (l.W.some((row) => row.length !== outDim)) throw new Error(`ONNX export: ${path}/W rows do not all have ${outDim} columns`);
    const W = this.float(`${path}/W`, [inDim, outDim], l.W.flat());
    const b = this.float(`${path}/b`, [outDim], l.b);
    if (l.activation === 'linear') return this.op1('Gemm', path, [x.name, W, b], outDim, out, undefined, doc);
    const pre = this.op1('Gemm', path, [x.name, W, b], outDim, `${path}/${l.activation === 'softmax' ? 'logits' : 'pre'}`, undefined, doc);
    if (l.activation === 'relu') return this.op1('Relu', `${path}/relu`, [pre.name], outDim, out);
    if (l.activation === 'softmax') return this.op1('Softmax', `${path}/softmax`, [pre.name], outDim, out, { axis: 1 });
    throw new Error(`ONNX export: ${path} has an unknown activation ${String(l.activation)}`);
  }

  mlp(x: T, layers: DenseLayer[], path: string, last?: string, doc?: string): T {
    return layers.reduce((h, l, j) => this.dense(h, l, `${path}/dense${j}`, j === layers.length - 1 && last ? last : `${path}/dense${j}`, j === 0 ? doc : undefined), x);
  }

  /** Σ_i w_i · t_i with constant weights (scalar initializers `<path>/<weightNames[i]>`). */
  constSum(path: string, terms: T[], weights: number[], weightNames: string[], out: string): T {
    const parts = terms.map((t, i) => {
      const w = this.float(`${path}/${weightNames[i]}`, [], [weights[i]]);
      return { t, w };
    });
    return this.sum(
      path,
      parts.map((p, i) => ({ a: p.t.name, b: p.w, width: p.t.width, name: `${path}/term_${weightNames[i]}` })),
      out,
    );
  }

  /** Mul each pair, then Sum; with one pair the Mul writes `out` itself. */
  sum(path: string, muls: { a: string; b: string; width: number; name: string }[], out: string): T {
    const width = muls[0].width;
    if (muls.some((m) => m.width !== width)) throw new Error(`ONNX export: ${path} mixes tensors of different widths`);
    if (muls.length === 1) return this.op1('Mul', muls[0].name, [muls[0].a, muls[0].b], width, out);
    const terms = muls.map((m) => this.op1('Mul', m.name, [m.a, m.b], width));
    return this.op1('Sum', `${path}/sum`, terms.map((t) => t.name), width, out);
  }

  /** Split x [N, Σ sizes] along axis 1 into the named parts. */
  split(path: string, x: T, sizes: number[], names: string[]): T[] {
    if (sizes.length === 1) throw new Error('ONNX export: a split needs two parts');
    const s = this.int64(`${path}/sizes`, sizes);
    return this.op(
      'Split',
      path,
      [x.name, s],
      names.map((name, i) => ({ name, width: sizes[i] })),
      { axis: 1 },
    );
  }

  concat(name: string, parts: T[], out = name): T {
    return this.op1(
      'Concat',
      name,
      parts.map((p) => p.name),
      parts.reduce((a, p) => a + p.width, 0),
      out,
      { axis: 1 },
    );
  }
}

const expertKey = (e: ExpertRef) => `${e.module}/${e.index}`;

/** Feature-selection gates: Softmax(Gemm) over the features, times x, times the scale d. */
function featureGateStreams(g: Builder, s: ModelJsonLike, x: T, streams: Map<string, T>): void {
  for (const f of s.featureGates ?? []) {
    const id = safeId(f.id);
    const path = `features/${id}`;
    const input = streams.get(f.input);
    if (!input) throw new Error(`ONNX export: feature gate ${f.id} reads an unknown stream ${f.input}`);
    const last = f.layers[f.layers.length - 1];
    if (!last || last.activation !== 'softmax' || last.b.length !== x.width) throw new Error(`ONNX export: feature gate ${f.id} must end in a softmax over the ${x.width} input features`);
    const weights = g.mlp(input, f.layers, `${path}/gate`, `feature_gate_${id}`, `${f.label ?? f.id}: softmax weights over the ${x.width} input features`);
    const scale = g.float(`${path}/scale`, [], [f.scale]);
    const scaled = g.op1('Mul', `${path}/scaled`, [weights.name, scale], x.width);
    streams.set(f.output, g.op1('Mul', `${path}/gated`, [scaled.name, x.name], x.width, f.output.replace(/[^A-Za-z0-9_]/g, '_')));
  }
}

function gatedLevels(g: Builder, s: ModelJsonLike, x: T, gateOutputs: GateOutputSpec[]): Map<string, T> {
  let streams = new Map<string, T>([['input', x]]);
  featureGateStreams(g, s, x, streams);
  for (const [li, level] of (s.levels ?? []).entries()) {
    const L = `l${li + 1}`;
    const experts = new Map<string, T>();
    for (const m of level.modules) {
      m.experts.forEach((e, i) => {
        const streamName = e.input ?? m.input;
        const input = streams.get(streamName);
        if (!input) throw new Error(`ONNX export: ${L} module ${m.id} expert ${i} reads an unknown stream ${streamName}`);
        const index = e.index ?? i;
        const path = `${L}/${safeId(m.id)}/expert${index}`;
        experts.set(`${m.id}/${index}`, g.mlp(input, e.layers, path, undefined, `${m.label ?? m.id}, expert ${i + 1} (level ${li + 1}); reads ${streamName}`));
      });
    }
    const get = (e: ExpertRef) => {
      const t = experts.get(expertKey(e));
      if (!t) throw new Error(`ONNX export: ${L} has no expert ${expertKey(e)}`);
      return t;
    };
    // The raw input stays readable at every level (ML-MMoE's gates select on it).
    const next = new Map<string, T>([['input', x]]);
    for (const gate of level.gates) {
      const gid = safeId(gate.id);
      const path = `${L}/gate_${gid}`;
      const input = streams.get(gate.input);
      if (!input) throw new Error(`ONNX export: ${L} gate ${gate.id} reads an unknown stream ${gate.input}`);
      const last = gate.layers[gate.layers.length - 1];
      if (!last || last.activation !== 'softmax') throw new Error(`ONNX export: ${L} gate ${gate.id} does not end in a softmax layer`);
      const E = gate.experts.length;
      if (last.b.length !== E) throw new Error(`ONNX export: ${L} gate ${gate.id} has ${last.b.length} weights for ${E} experts`);
      const outName = gateOutputName(li, gate.id);
      const label = gate.label ?? gate.id;
      const weights = g.mlp(input, gate.layers, path, outName, `${label} (level ${li + 1}): softmax weights over ${gate.experts.map(expertKey).join(', ')}; reads ${gate.input}`);
      gateOutputs.push({ output: outName, level: li + 1, id: gate.id, label, experts: gate.experts.map(expertKey) });
      // Σ_i g_i · expert_i: the weights' columns, one per expert, each times its expert.
      const ts = gate.experts.map(get);
      const cols =
        E === 1
          ? [weights]
          : g.split(
              `${path}/weights`,
              weights,
              ts.map(() => 1),
              gate.experts.map((e) => `${path}/w_${safeId(e.module)}_expert${e.index}`),
            );
      const muls = ts.map((t, i) => ({ a: cols[i].name, b: t.name, width: t.width, name: `${path}/term_${safeId(gate.experts[i].module)}_expert${gate.experts[i].index}` }));
      // AdaTT: Σ_j w_j · expert_j over the gate's own module, constant weights.
      const res = gate.residual;
      if (res) {
        if (res.experts.length !== res.weights.length) throw new Error(`ONNX export: ${L} gate ${gate.id} residual lists ${res.experts.length} experts and ${res.weights.length} weights`);
        res.experts.forEach((e, j) => {
          const t = get(e);
          const w = g.float(`${path}/residual/w_${safeId(e.module)}_expert${e.index}`, [], [res.weights[j]]);
          muls.push({ a: t.name, b: w, width: t.width, name: `${path}/residual/term_${safeId(e.module)}_expert${e.index}` });
        });
      }
      next.set(gate.id, g.sum(`${path}/mix`, muls, `${path}/mix`));
    }
    streams = next;
  }
  return streams;
}

function columnStreams(g: Builder, s: ModelJsonLike, x: T, streams: Map<string, T>): void {
  const cols = s.columns;
  if (!cols?.length) return;
  const depth = cols[0].layers.length;
  if (cols.some((c) => c.layers.length !== depth)) throw new Error('ONNX export: columns of different depths');
  const K = cols.length;
  let hs: T[] = cols.map(() => x);
  const perLayer: T[][] = [];
  for (let l = 0; l < depth; l++) {
    const st = s.stitch?.find((q) => q.afterLayer === l);
    const sl = s.sluice?.alpha.find((q) => q.afterLayer === l);
    hs = hs.map((h, k) => g.dense(h, cols[k].layers[l], `column${k}/dense${l}`));
    if (st) {
      // Cross-stitch: h̃_k = Σ_j α[k][j] · h_j.
      const before = hs;
      hs = before.map((_, k) =>
        g.constSum(
          `cross_stitch${l}/column${k}`,
          before,
          st.alpha[k],
          before.map((__, j) => `alpha_${k}_${j}`),
          `cross_stitch${l}/column${k}`,
        ),
      );
    }
    if (sl) {
      // Sluice: subspace s of column k becomes Σ_(j,t) α[kS+s][jS+t] · (subspace t of column j).
      const S = s.sluice!.subspaces;
      const width = hs[0].width;
      if (width % S !== 0) throw new Error(`ONNX export: sluice layer ${l} width ${width} does not split into ${S} subspaces`);
      const hh = width / S;
      const subs: T[] =
        S === 1
          ? hs
          : hs.flatMap((h, k) =>
              g.split(
                `sluice${l}/column${k}/split`,
                h,
                Array.from({ length: S }, () => hh),
                Array.from({ length: S }, (_, t) => `sluice${l}/column${k}/sub${t}`),
              ),
            );
      const weightName = (r: number, c: number) => `alpha_${r}_${c}`;
      hs = Array.from({ length: K }, (_, k) => {
        const mixed = Array.from({ length: S }, (__, t) => {
          const row = k * S + t;
          const out = S === 1 ? `sluice${l}/column${k}` : `sluice${l}/column${k}/mixed${t}`;
          return g.constSum(
            S === 1 ? `sluice${l}/column${k}` : `sluice${l}/column${k}/mixed${t}`,
            subs,
            sl.alpha[row],
            subs.map((___, c) => weightName(row, c)),
            out,
          );
        });
        return S === 1 ? mixed[0] : g.concat(`sluice${l}/column${k}`, mixed);
      });
    }
    perLayer.push(hs);
  }
  hs.forEach((h, k) => streams.set(`column:${k}`, h));
  if (s.sluice) {
    // Stream sluice:k = Σ_l β[k][l] · (column k after layer l).
    for (let k = 0; k < K; k++) {
      const terms = perLayer.map((layer) => layer[k]);
      streams.set(
        `sluice:${k}`,
        g.constSum(
          `sluice_out/column${k}`,
          terms,
          s.sluice.beta[k],
          terms.map((_, l) => `beta_${k}_${l}`),
          `sluice_out/column${k}`,
        ),
      );
    }
  }
}

function seedsOf(config: Record<string, unknown> | undefined): Record<string, unknown> | null {
  const data = config?.data as Record<string, unknown> | undefined;
  const train = config?.train as Record<string, unknown> | undefined;
  if (!data && !train) return null;
  return { data: data?.seed ?? null, init: train?.initSeed ?? null, batch: train?.batchSeed ?? null };
}

const FAMILY_NAMES: Record<string, string> = {
  'single-task': 'Single-task',
  'shared-bottom': 'Shared-Bottom',
  asymmetric: 'Asymmetric sharing',
  customized: 'Customized sharing',
  'cross-stitch': 'Cross-Stitch',
  sluice: 'Sluice network',
  omoe: 'OMoE',
  mmoe: 'MMoE',
  'ml-mmoe': 'ML-MMoE',
  cgc: 'CGC',
  ple: 'PLE',
  adatt: 'AdaTT',
  esmm: 'ESMM',
};

/** The graph of a structural export (model.json), ready to encode (onnx.ts). */
export function buildOnnxGraph(m: ModelJsonLike, opts: OnnxExportOptions = {}): GraphSpec {
  const { model } = m;
  const d = model.inputDim;
  const K = model.numTasks;
  if (!Number.isInteger(d) || d < 1) throw new Error(`ONNX export: model.inputDim must be a positive integer (got ${String(d)})`);
  if (!Array.isArray(m.towers) || m.towers.length !== K) throw new Error(`ONNX export: ${m.towers?.length ?? 0} towers for ${K} tasks`);
  const g = new Builder();
  const x = g.input('x', d);
  const gates: GateOutputSpec[] = [];
  const streams = gatedLevels(g, m, x, gates);
  if (m.bottom) streams.set('bottom', g.mlp(x, m.bottom.layers, 'bottom', undefined, 'Shared bottom'));
  columnStreams(g, m, x, streams);

  const towers = [...m.towers].sort((a, b) => a.task - b.task);
  const outs = towers.map((t, k) => {
    if (t.task !== k) throw new Error(`ONNX export: towers are not tasks 0…${K - 1}`);
    const names = Array.isArray(t.input) ? t.input : [t.input];
    const parts = names.map((n) => {
      const s = streams.get(n);
      if (!s) throw new Error(`ONNX export: tower ${k} reads an unknown stream ${n}`);
      return s;
    });
    const input = parts.length === 1 ? parts[0] : g.concat(`tower${k}/input`, parts);
    const type = model.tasks?.[k]?.output === 'logit' ? 'logit' : 'value';
    const out = g.mlp(input, t.layers, `tower${k}`, undefined, `Tower of task ${k + 1} (${type}); reads ${names.join(' + ')}`);
    if (out.width !== 1) throw new Error(`ONNX export: tower ${k} ends in ${out.width} outputs, not 1`);
    return out;
  });
  g.concat('y', outs);

  const outputs: ValueSpec[] = [{ name: 'y', dims: ['N', K], doc: `Raw task outputs [N, ${K}]: column k is task k's regression value or binary logit (model.tasks[k].output)` }];
  for (const gt of gates)
    outputs.push({ name: gt.output, dims: ['N', gt.experts.length], doc: `${gt.label} (level ${gt.level}): softmax weights over ${gt.experts.join(', ')}` });
  if (m.esmm) {
    const ctr = g.op1('Sigmoid', 'esmm/pctr', [outs[m.esmm.ctr].name], 1);
    const cvr = g.op1('Sigmoid', 'esmm/pcvr', [outs[m.esmm.cvr].name], 1);
    g.op1('Mul', 'esmm/pctcvr', [ctr.name, cvr.name], 1, 'pctcvr');
    outputs.push({ name: 'pctcvr', dims: ['N', 1], doc: 'ESMM pCTCVR = sigmoid(y[:, ctr]) · sigmoid(y[:, cvr])' });
  }
  const outputNames = new Set(outputs.map((o) => o.name));
  // Graph outputs carry their own shapes; value_info lists only the intermediates.
  const values = g.values.filter((v) => !outputNames.has(v.name));

  const family = FAMILY_NAMES[model.type] ?? model.type;
  const levels = m.levels?.length ?? 0;
  const layout = {
    input: { name: 'x', shape: ['N', d] },
    y: {
      name: 'y',
      shape: ['N', K],
      columns: Array.from({ length: K }, (_, k) => ({ task: k, type: model.tasks?.[k]?.type ?? 'regression', output: model.tasks?.[k]?.output ?? 'value' })),
    },
    gates: gates.map((gt) => ({ output: gt.output, level: gt.level, id: gt.id, label: gt.label, experts: gt.experts })),
    ...(m.esmm ? { pctcvr: { name: 'pctcvr', shape: ['N', 1], formula: 'sigmoid(y[:,ctr])·sigmoid(y[:,cvr])', ctr: m.esmm.ctr, cvr: m.esmm.cvr } } : {}),
  };
  const metadata: Record<string, string> = {
    format: `${m.format ?? 'ple-playground/model'} v${m.version ?? 1} (ONNX)`,
    model_type: model.type,
    num_tasks: String(K),
    input_dim: String(d),
    ...(model.parameterCount !== undefined ? { parameter_count: String(model.parameterCount) } : {}),
    ...(model.step !== undefined ? { step: String(model.step) } : {}),
    ...(opts.presetId ? { preset: opts.presetId } : {}),
    ...(opts.runName ? { run: opts.runName } : {}),
    ...(seedsOf(m.config) ? { seeds: JSON.stringify(seedsOf(m.config)) } : {}),
    ...(m.config ? { config: JSON.stringify(m.config) } : {}),
    tasks: JSON.stringify(model.tasks ?? []),
    outputs: JSON.stringify(layout),
  };
  const shape = levels ? `${levels} level${levels === 1 ? '' : 's'}, ${gates.length} gate${gates.length === 1 ? '' : 's'}` : 'no gates';
  const modelDoc = [
    `${family} (${model.type}) from PLE Playground: ${K} tasks, input ${d}, ${shape}${opts.presetId ? `, preset ${opts.presetId}` : ''}${model.step !== undefined ? `, step ${model.step}` : ''}.`,
    `Input x: float32 [N, ${d}]. Output y: float32 [N, ${K}], the raw task outputs (logits for binary tasks).`,
    gates.length ? `Gate outputs gate_l<level>_<id>: each gate's softmax weights [N, experts], in the order of metadata "outputs".gates[].experts.` : '',
    `Metadata: config (JSON), seeds (data/init/batch), preset when known, outputs (this layout as JSON). Layout: docs/onnx.md.`,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    name: `${model.type}${opts.presetId ? ` (${opts.presetId})` : ''}`,
    doc: `${family}: experts, gates and towers as in model.json (levels → modules → experts → dense layers).`,
    inputs: [{ name: 'x', dims: ['N', d], doc: `Feature rows [N, ${d}], float32` }],
    outputs,
    values,
    nodes: g.nodes,
    initializers: g.initializers,
    gates,
    metadata,
    modelDoc,
  };
}
