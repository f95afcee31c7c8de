// The step-wise training driver: init → train(n) … → finish → dispose.
// The worker calls train(n) in small chunks so it can pause, single-step and
// stop between them; the CLI calls it in a loop. Losses are read back every
// `readbackEvery` steps, asynchronously, never every step and never with
// dataSync (TFJS-NOTES: a sync readback stalls or, on WebGPU, loses the device).
import * as tf from '@tensorflow/tfjs';
import {
  mustParseExperiment,
  resolveConfig,
  type ExperimentConfig,
  type ExperimentInput,
  type ResolvedConfig,
} from '../config/schema';
import { generateDataset } from '../data/generator';
import { Rng } from '../data/rng';
import { buildModel } from '../models/registry';
import type { MtlModel } from '../models/model';
import type { CurvePoint, Dataset, EvalPoint, ExperimentResults, FeatureGateResult, GradCosinePoint, LevelGateStats, RunStatus, TaskMetrics, TestPredictions } from '../types';
import { computeGateStats } from './gateStats';
import { computeFeatureGateStats } from './featureGateStats';
import { testPredictions } from './testPredictions';
import { gradientCosineTensor, pointFromMatrix, summarizeConflict } from './gradCosine';
import type { SharedSlice } from '../models/model';
import { computeGateMap, type GateMapRequest, type GateMapResult } from './gateMap';
import { TaskLoss } from './losses';
import { exposureMetrics, taskMetrics } from './metrics';
import { FlatAdam } from './flatAdam';
import { GradNormWeighting, makeWeighting, type Weighting } from './weighting';
import { buildModelJson } from '../export/modelJson';
import { patchWasmKernels } from '../backends/wasmKernels';

export interface TrainChunk {
  steps: number;
  curve: CurvePoint[];
  val: EvalPoint | null;
  diverged: boolean;
  divergedAtStep?: number;
  /** Gradient-conflict probe points measured in this chunk (train.gradCosineEvery). */
  gradCosine?: GradCosinePoint[];
}

export interface TrainerOptions {
  /** Reuse generated data (suites: every model sees the same data). */
  dataset?: Dataset;
  name?: string;
  backendName?: string;
}

const EVAL_CHUNK = 4096;

/** Tasks selected together on their joint validation loss, and the copy of their best weights. */
interface Selection {
  tasks: number[];
  variables: tf.Variable[];
  /** ω_k,0 of each task in the joint validation loss. */
  weights: number[];
  bestLoss: number;
  bestStep: number | null;
  snapshot: tf.Tensor[] | null;
}

const isFiniteRow = (a: ArrayLike<number>) => {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
};

export class Trainer {
  readonly model: MtlModel;
  private readonly loss: TaskLoss;
  private readonly weighting: Weighting;
  /** One optimizer per independent group (own Adam state, own clipping): one group, or one per task for single-task. */
  private readonly optimizers: { vars: tf.Variable[]; opt: FlatAdam }[];
  private readonly varList: tf.Variable[];
  private readonly selection: Selection[];
  // Batches are gathered on the CPU and uploaded: cheaper than GatherV2 kernels.
  private readonly batchX: Float32Array;
  private readonly batchY: Float32Array;
  private readonly batchM: Float32Array;
  private readonly batchRng: Rng;
  private readonly perm: Int32Array;
  private permPos: number;
  private readonly stepsPerEpoch: number;
  private _step = 0;
  private _status: RunStatus = 'idle';
  private divergedAt: number | undefined;
  private readonly curve: CurvePoint[] = [];
  private readonly val: EvalPoint[] = [];
  private testMetrics: TaskMetrics[] | null = null;
  private exposure: ExperimentResults['exposure'];
  private lastGates: LevelGateStats[] = [];
  private featureGateResults: FeatureGateResult[] = [];
  private testPred: TestPredictions | null = null;
  private lastWeights: number[];
  /** The model's shared parameters (gradient-conflict probe); [] when nothing is shared. */
  private readonly sharedSlices: SharedSlice[];
  private readonly gradCos: GradCosinePoint[] = [];
  /** The probe's K×K cosines of the step just taken (kept until read back). */
  private probeOut: tf.Tensor2D | null = null;
  private wallMs = 0;
  /** Training settings changed during the run (setTraining), in order. */
  private readonly liveChanges: { step: number; learningRate?: number; taskWeights?: number[] }[] = [];
  private disposed = false;
  private restored = false;

  static async create(input: ExperimentInput | ExperimentConfig, opts: TrainerOptions = {}): Promise<Trainer> {
    const config = mustParseExperiment(input);
    const dataset = opts.dataset ?? generateDataset(config.data);
    await tf.ready();
    if (tf.getBackend() === 'wasm') await patchWasmKernels();
    return new Trainer(config, dataset, opts);
  }

  private constructor(
    readonly rawConfig: ExperimentConfig,
    readonly dataset: Dataset,
    private readonly opts: TrainerOptions,
  ) {
    const cfg: ResolvedConfig = resolveConfig(rawConfig);
    this.config = cfg;
    const { d, K } = dataset;
    this.model = buildModel(cfg.model, K, d, cfg.train.initSeed);
    this.loss = new TaskLoss(
      dataset.taskTypes,
      cfg.data.chain,
    );
    const groups = this.model.independentGroups?.() ?? null;
    // Independent models (single-task) train each task on its own loss: task weights do not apply.
    this.weighting = groups ? makeWeighting({ ...cfg, train: { ...cfg.train, weighting: { ...cfg.train.weighting, kind: 'fixed', weights: new Array(K).fill(1) } } }, false) : makeWeighting(cfg, this.model.sharedParam() !== null);
    this.varList = [...this.model.variables, ...this.weighting.variables];
    const { learningRate, adamEpsilon, clipNorm } = cfg.train;
    this.optimizers = (groups ?? [{ tasks: [], variables: this.varList }]).map((g) => ({ vars: g.variables, opt: new FlatAdam(g.variables, learningRate, adamEpsilon, clipNorm) }));
    const all = Array.from({ length: K }, (_, k) => k);
    this.selection = (groups ?? [{ tasks: all, variables: this.model.variables }]).map((g) => ({
      tasks: g.tasks,
      variables: g.variables.filter((v) => this.model.variables.includes(v)),
      weights: groups ? g.tasks.map(() => 1) : g.tasks.map((k) => cfg.train.weighting.weights[k]),
      bestLoss: Infinity,
      bestStep: null,
      snapshot: null,
    }));
    this.batchX = new Float32Array(cfg.train.batchSize * d);
    this.batchY = new Float32Array(cfg.train.batchSize * K);
    this.batchM = new Float32Array(cfg.train.batchSize * K);
    this.batchRng = new Rng(cfg.train.batchSeed);
    this.perm = Int32Array.from({ length: dataset.train.n }, (_, i) => i);
    this.permPos = this.perm.length; // forces a shuffle on the first batch
    this.stepsPerEpoch = Math.max(1, Math.floor(dataset.train.n / cfg.train.batchSize));
    this.lastWeights = [...cfg.train.weighting.weights];
    this.sharedSlices = K > 1 ? this.model.sharedParameters() : [];
  }

  /**
   * Training settings changed while the model trains (the page's live edits):
   * the learning rate of every optimizer, and the task weights ω_k where they
   * are set, not learned. Applies from the next step; returns what was applied.
   */
  setTraining(change: { learningRate?: number; taskWeights?: number[] }): { learningRate?: number; taskWeights?: number[] } {
    const applied: { learningRate?: number; taskWeights?: number[] } = {};
    if (change.learningRate !== undefined) {
      for (const { opt } of this.optimizers) opt.setLearningRate(change.learningRate);
      applied.learningRate = change.learningRate;
    }
    const independent = this.model.independentGroups?.() ?? null;
    if (change.taskWeights && this.weighting.setBase && !independent) {
      this.weighting.setBase(change.taskWeights);
      this.lastWeights = [...change.taskWeights];
      applied.taskWeights = [...change.taskWeights];
    }
    if (Object.keys(applied).length) this.liveChanges.push({ step: this._step, ...applied });
    return applied;
  }

  /** Whether the gradient-conflict probe measures anything: 'off' (gradCosineEvery 0), 'none' (nothing shared) or 'on'. */
  get gradCosineMode(): 'on' | 'off' | 'none' {
    if (!(this.config.train.gradCosineEvery > 0)) return 'off';
    return this.sharedSlices.length ? 'on' : 'none';
  }

  /** Every probe point so far. */
  gradientCosine(): GradCosinePoint[] {
    return [...this.gradCos];
  }

  readonly config: ResolvedConfig;

  get step(): number {
    return this._step;
  }
  get totalSteps(): number {
    return this.config.train.steps;
  }
  get status(): RunStatus {
    return this._status;
  }
  get epoch(): number {
    return Math.floor(this._step / this.stepsPerEpoch);
  }

  /** Seeded batch order: a fresh permutation every epoch; the remainder is dropped. */
  private nextBatch(): Int32Array {
    const B = this.config.train.batchSize;
    if (this.permPos + B > this.perm.length) {
      this.batchRng.shuffle(this.perm);
      this.permPos = 0;
    }
    const idx = this.perm.slice(this.permPos, this.permPos + B);
    this.permPos += B;
    return idx;
  }

  private fillBatch(indices: Int32Array): void {
    const { d, K, train } = this.dataset;
    for (let r = 0; r < indices.length; r++) {
      const i = indices[r];
      this.batchX.set(train.x.subarray(i * d, (i + 1) * d), r * d);
      this.batchY.set(train.y.subarray(i * K, (i + 1) * K), r * K);
      if (this.config.data.chain) this.batchM.set(train.mask.subarray(i * K, (i + 1) * K), r * K);
    }
  }

  /**
   * One optimizer step; returns [joint, L_1..L_K] (kept) when asked. With
   * `probe`, first measures the gradient cosines on this step's batch with the
   * weights before the update (this.probeOut); batches and updates are unchanged.
   */
  private stepOnce(keepLoss: boolean, probe = false): tf.Tensor1D | null {
    this.weighting.beginStep(this.epoch);
    this.fillBatch(this.nextBatch());
    const { d, K } = this.dataset;
    const B = this.config.train.batchSize;
    let kept: tf.Tensor1D | null = null;
    tf.tidy(() => {
      const xb = tf.tensor2d(this.batchX, [B, d]);
      const yb = tf.tensor2d(this.batchY, [B, K]);
      const mb = this.config.data.chain ? tf.tensor2d(this.batchM, [B, K]) : null;
      const gradNorm = this.weighting instanceof GradNormWeighting ? this.weighting : null;
      if (probe) this.probeOut = tf.keep(gradientCosineTensor(() => this.perTask(this.model.forward(xb).outputs, yb, mb), K, this.sharedSlices));
      let perTask: tf.Tensor1D | null = null;
      const { grads } = tf.variableGrads(() => {
        const out = this.model.forward(xb).outputs;
        const per = this.perTask(out, yb, mb);
        const joint = this.weighting.combine(per);
        if (keepLoss) kept = tf.keep(tf.concat([tf.reshape(joint, [1]), per]) as tf.Tensor1D);
        if (gradNorm) perTask = tf.keep(per);
        return joint;
      }, this.varList);
      if (gradNorm && perTask) this.gradNormUpdate(gradNorm, xb, yb, mb, perTask);
      // A variable the loss does not reach (possible in degenerate configs) gets a zero gradient.
      for (const { vars, opt } of this.optimizers) opt.apply(vars.map((v) => grads[v.name] ?? tf.zerosLike(v)));
      if (perTask) (perTask as tf.Tensor).dispose();
    });
    this._step++;
    return kept;
  }

  /** Per-task training losses [K]: the model's own loss where it has one (ESMM). */
  private perTask(out: tf.Tensor2D, yb: tf.Tensor2D, mb: tf.Tensor2D | null): tf.Tensor1D {
    return this.model.taskLoss ? this.model.taskLoss(out, yb, mb, this.loss) : this.loss.perTask(out, yb, mb);
  }

  private gradNormUpdate(g: GradNormWeighting, xb: tf.Tensor2D, yb: tf.Tensor2D, mb: tf.Tensor2D | null, perTask: tf.Tensor1D) {
    const shared = this.model.sharedParam()!;
    const K = this.dataset.K;
    const norms: tf.Scalar[] = [];
    for (let k = 0; k < K; k++) {
      const { grads } = tf.variableGrads(() => {
        const per = this.perTask(this.model.forward(xb).outputs, yb, mb);
        return tf.reshape(tf.slice(per, [k], [1]), []) as tf.Scalar;
      }, [shared.variable]);
      let gk = grads[shared.variable.name];
      if (shared.cols) gk = tf.slice(gk, [0, shared.cols[0]], [gk.shape[0], shared.cols[1] - shared.cols[0]]);
      norms.push(tf.norm(gk) as tf.Scalar);
    }
    g.update(tf.stack(norms) as tf.Tensor1D, perTask);
  }

  /**
   * Runs up to n steps. Stops early at totalSteps, on a non-finite loss, or
   * when shouldStop() says so (checked between steps).
   */
  async train(n: number, shouldStop?: () => boolean): Promise<TrainChunk> {
    if (this.disposed) throw new Error('trainer was disposed');
    if (this._status === 'diverged' || this._status === 'done') return { steps: 0, curve: [], val: null, diverged: this._status === 'diverged', divergedAtStep: this.divergedAt };
    this._status = 'running';
    const t0 = performance.now();
    const { readbackEvery, evalEvery, gradCosineEvery } = this.config.train;
    const pending: { step: number; t: tf.Tensor1D; data: Promise<Float32Array | Int32Array | Uint8Array> }[] = [];
    const pendingCos: { step: number; t: tf.Tensor2D; data: Promise<Float32Array | Int32Array | Uint8Array> }[] = [];
    const probing = this.gradCosineMode === 'on';
    const K = this.dataset.K;
    let ran = 0;
    let val: EvalPoint | null = null;
    const curve: CurvePoint[] = [];
    const gradCosine: GradCosinePoint[] = [];
    const drain = async (): Promise<boolean> => {
      // Probe cosines are read back with the losses (their data() calls were issued at their steps).
      for (const p of pendingCos) {
        const m = await p.data;
        p.t.dispose();
        const point = pointFromMatrix(p.step, m, K);
        if (point) {
          gradCosine.push(point);
          this.gradCos.push(point);
        }
      }
      pendingCos.length = 0;
      let ok = true;
      for (const p of pending) {
        const v = await p.data;
        p.t.dispose();
        if (!isFiniteRow(v)) {
          if (ok && this.divergedAt === undefined) this.divergedAt = p.step;
          ok = false;
          continue;
        }
        const point = { step: p.step, loss: v[0], taskLoss: Array.from(v.subarray(1)) };
        curve.push(point);
        this.curve.push(point);
      }
      pending.length = 0;
      return ok;
    };
    while (ran < n && this._step < this.totalSteps && !(shouldStop?.() ?? false)) {
      const s = this._step + 1;
      const read = s % readbackEvery === 0 || s === 1 || s === this.totalSteps;
      const probe = probing && (s % gradCosineEvery === 0 || s === 1);
      const kept = this.stepOnce(read, probe);
      ran++;
      if (kept) pending.push({ step: s, t: kept, data: kept.data() });
      if (probe && this.probeOut) {
        const t = this.probeOut;
        this.probeOut = null;
        pendingCos.push({ step: s, t, data: t.data() });
      }
      if (s % evalEvery === 0 || s === this.totalSteps) {
        if (!(await drain())) break;
        const metrics = await this.evaluate('val');
        if (metrics === null) break;
        val = { step: s, split: 'val', metrics };
        this.val.push(val);
        this.considerBest(s, metrics);
      }
    }
    const ok = await drain();
    if (!ok || this.divergedAt !== undefined) this._status = 'diverged';
    else this._status = 'paused';
    this.wallMs += performance.now() - t0;
    return { steps: ran, curve, val, diverged: this._status === 'diverged', divergedAtStep: this.divergedAt, ...(gradCosine.length ? { gradCosine } : {}) };
  }

  /** Raw outputs [n, K] on a split (logits for binary tasks), in chunks. */
  async predict(split: 'train' | 'val' | 'test', maxRows?: number): Promise<Float32Array> {
    const s = this.dataset[split];
    const n = Math.min(s.n, maxRows ?? s.n);
    const { d, K } = this.dataset;
    const out = new Float32Array(n * K);
    for (let start = 0; start < n; start += EVAL_CHUNK) {
      const rows = Math.min(EVAL_CHUNK, n - start);
      const t = tf.tidy(() => this.model.forward(tf.tensor2d(s.x.subarray(start * d, (start + rows) * d), [rows, d])).outputs);
      out.set(await t.data(), start * K);
      t.dispose();
    }
    return out;
  }

  /** Metrics per task on a split; null (and status diverged) on non-finite outputs. */
  async evaluate(split: 'val' | 'test'): Promise<TaskMetrics[] | null> {
    const out = await this.predict(split);
    if (!isFiniteRow(out)) {
      this.divergedAt ??= this._step;
      this._status = 'diverged';
      return null;
    }
    return taskMetrics(out, this.dataset[split], this.dataset.taskTypes, this.dataset.targetScale);
  }

  /**
   * Best-validation selection (train.selectBest): per selection group, the
   * joint validation loss Σ ω_k,0·L_k^val of its tasks; a better one keeps a
   * copy of the group's weights (on the device, no readback).
   */
  private considerBest(step: number, metrics: TaskMetrics[]): void {
    for (const g of this.selection) {
      const loss = g.tasks.reduce((acc, k, i) => acc + g.weights[i] * metrics[k].loss, 0);
      if (!Number.isFinite(loss) || !(loss < g.bestLoss)) continue;
      g.bestLoss = loss;
      g.bestStep = step;
      if (!this.config.train.selectBest) continue;
      g.snapshot?.forEach((t) => t.dispose());
      g.snapshot = g.variables.map((v) => tf.clone(v));
    }
  }

  /** Put every group's best weights back (once, when the run finishes). */
  private restoreBest(): void {
    if (this.restored || !this.config.train.selectBest) return;
    this.restored = true;
    for (const g of this.selection) {
      if (!g.snapshot || g.bestStep === this._step) continue;
      g.variables.forEach((v, i) => v.assign(g.snapshot![i]));
    }
  }

  /** The step whose weights the final numbers come from (per selection group: one, or one per task). */
  selectedSteps(): { bestStep: number; bestStepByTask: number[] } {
    const byTask = new Array<number>(this.dataset.K).fill(this._step);
    if (this.config.train.selectBest) for (const g of this.selection) for (const k of g.tasks) byTask[k] = g.bestStep ?? this._step;
    return { bestStep: Math.max(...byTask), bestStepByTask: byTask };
  }

  /** Gate statistics on the first maxRows test rows (all by default). */
  async gateStats(maxRows?: number): Promise<LevelGateStats[]> {
    if (this.model.gateInfo().length === 0) return [];
    const s = this.dataset.test;
    const n = Math.min(s.n, maxRows ?? s.n);
    const { d } = this.dataset;
    const infos = this.model.gateInfo();
    const buffers = infos.map((g) => new Float32Array(n * g.experts.length));
    for (let start = 0; start < n; start += EVAL_CHUNK) {
      const rows = Math.min(EVAL_CHUNK, n - start);
      const gates = tf.tidy(() => {
        const r = this.model.forward(tf.tensor2d(s.x.subarray(start * d, (start + rows) * d), [rows, d]), { gates: true });
        return r.gates.map((g) => g.weights);
      });
      for (let i = 0; i < gates.length; i++) {
        buffers[i].set(await gates[i].data(), start * infos[i].experts.length);
        gates[i].dispose();
      }
    }
    if (buffers.some((b) => !isFiniteRow(b))) return this.lastGates;
    // Regional generator: each gate's routing difference between the two regions (regionL1).
    const regions = this.config.data.relationship === 'regional' ? s.region?.subarray(0, n) : undefined;
    this.lastGates = computeGateStats(
      infos.map((info, i) => ({ info, weights: buffers[i] })),
      n,
      regions,
    );
    return this.lastGates;
  }

  /** Gate maps (gateMap.ts) on the first maxRows test rows (default: the request's, else GATE_MAP_ROWS). */
  gateMap(req: GateMapRequest, maxRows?: number): Promise<GateMapResult> {
    return computeGateMap(this.model, this.dataset, req, this._step, maxRows);
  }

  async taskWeightsNow(): Promise<number[]> {
    this.lastWeights = await this.weighting.weights();
    return this.lastWeights;
  }

  /** Last known task weights (no readback). */
  taskWeights(): number[] {
    return [...this.lastWeights];
  }

  /** Test metrics and full gate statistics; status becomes done (or stays diverged). */
  async finish(): Promise<ExperimentResults> {
    if (this._status !== 'diverged') {
      this.restoreBest();
      const test = await this.evaluate('test');
      if (test) {
        this.testMetrics = test;
        const types = this.dataset.taskTypes;
        const out = await this.predict('test');
        if (this.config.data.chain && types[0] === 'binary' && types[1] === 'binary') this.exposure = exposureMetrics(out, this.dataset.test, this.dataset.K);
        this.testPred = testPredictions(out, this.dataset, this.config.data.chain);
        this.featureGateResults = (await computeFeatureGateStats(this.model, this.dataset)) ?? [];
        await this.gateStats();
        await this.taskWeightsNow();
        this._status = 'done';
      }
    }
    return this.results();
  }

  /** Mark a run stopped by the user (keeps what it has). */
  markStopped(): void {
    if (this._status !== 'done' && this._status !== 'diverged') this._status = 'stopped';
  }

  results(): ExperimentResults {
    const ds = this.dataset;
    const c = this.rawConfig;
    return {
      version: 1,
      name: this.opts.name,
      model: c.model.type,
      config: c,
      backend: this.opts.backendName ?? tf.getBackend(),
      seeds: { data: c.data.seed, init: c.train.initSeed, batch: c.train.batchSeed },
      status: this._status,
      ...(this.divergedAt !== undefined ? { divergedAtStep: this.divergedAt } : {}),
      steps: this._step,
      ...(this.testMetrics ? this.selectedSteps() : {}),
      selectBest: c.train.selectBest,
      params: this.model.parameterCount(),
      wallSeconds: this.wallMs / 1000,
      train: [...this.curve],
      val: [...this.val],
      test: this.testMetrics,
      ...(this.exposure ? { exposure: this.exposure } : {}),
      gateStats: this.lastGates,
      ...(this.featureGateResults.length ? { featureGates: this.featureGateResults } : {}),
      ...(this.testPred ? { testPredictions: this.testPred } : {}),
      taskWeights: this.taskWeights(),
      gradientCosine: [...this.gradCos],
      ...(this.liveChanges.length ? { liveChanges: this.liveChanges.map((c) => ({ ...c })) } : {}),
      gradientConflict: this.gradCosineMode === 'on' ? summarizeConflict(this.gradCos, ds.K) : [],
      data: {
        requested: ds.requested,
        weightCosine: ds.weightCosine,
        labelCorrelation: ds.labelCorrelation,
        observedFraction: ds.observedFraction,
        positiveRate: ds.positiveRate,
        targetScale: ds.targetScale,
        oracleAuc: ds.oracleAuc,
        ...(ds.regionFraction?.length ? { regionFraction: ds.regionFraction, regionLabelCorrelation: ds.regionLabelCorrelation } : {}),
      },
    };
  }

  /** The structural model.json (see docs/model-json.md). */
  async exportModel(): Promise<Record<string, unknown>> {
    return buildModelJson(this);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
    this.loss.dispose();
    this.weighting.dispose();
    for (const { opt } of this.optimizers) opt.dispose();
    for (const g of this.selection) g.snapshot?.forEach((t) => t.dispose());
  }
}
