// The worker's brain, free of `self` so it can be unit-tested with a fake
// trainer: handles Commands in order, drives the Trainer in short chunks, and
// emits WorkerEvents (snapshots rate-capped, curves as transferred typed arrays).
import { parseExperiment, type BackendChoice, type ExperimentInput } from '../core/config/schema';
import { curvesToCsv } from '../core/export/csv';
import { resultsToJson, toJson } from '../core/export/results';
import type { CurvePoint, Dataset, EvalPoint, ExperimentResults, GradCosinePoint, LevelGateStats, RunStatus } from '../core/types';
import type { GateMapRequest, GateMapResult } from '../core/train/gateMap';
import type { AutoProbe, BackendSelection, ProbeHooks } from './backends';
import { shapeKey } from './backendProbe';
import type { BackendName, Command, WorkerEvent } from './protocol';
import { MAX_SNAPSHOTS_PER_SEC, SLOW_MOTION_MAX } from './protocol';
import { now, WakeableSleep, yieldToEventLoop } from './scheduling';
import { MIN_SNAPSHOT_INTERVAL_MS, RateMeter, SnapshotBuffer } from './snapshots';

/** Wall time one chunk of steps aims at: short enough that commands feel instant. */
export const TARGET_CHUNK_MS = 40;
export const MAX_CHUNK_STEPS = 1000;
/** Gate statistics while running: on this many test rows, at most this often. */
export const GATE_SUBSET_ROWS = 512;
export const GATES_EVERY_MS = 500;
/** …and never more than ~10% of the time: slow backends (SwiftShader WebGPU) refresh them less often. */
const GATES_TIME_SHARE = 0.1;
/** How long a device-loss recovery waits for a stuck step before abandoning it. */
const LOST_STEP_GRACE_MS = 5000;

export interface TrainChunk {
  steps: number;
  curve: CurvePoint[];
  val: EvalPoint | null;
  diverged: boolean;
  divergedAtStep?: number;
  /** Gradient-conflict probe points of this chunk (optional: fakes may leave it out). */
  gradCosine?: GradCosinePoint[];
}

/** The part of core's Trainer the worker uses (the real class must satisfy it). */
export interface TrainerLike {
  readonly dataset: Dataset;
  readonly step: number;
  readonly totalSteps: number;
  readonly status: RunStatus;
  train(n: number, shouldStop?: () => boolean): Promise<TrainChunk>;
  /** Whether the gradient-conflict probe measures ('none': nothing shared); optional for fakes. */
  readonly gradCosineMode?: 'on' | 'off' | 'none';
  gateStats(maxRows?: number): Promise<LevelGateStats[]>;
  /** Gate maps (optional: fakes in tests may leave it out); maxRows Infinity = every test row. */
  gateMap?(req: GateMapRequest, maxRows?: number): Promise<GateMapResult>;
  taskWeights(): number[];
  /** Live training settings (optional: fakes may leave it out); returns what was applied. */
  setTraining?(change: { learningRate?: number; taskWeights?: number[] }): { learningRate?: number; taskWeights?: number[] };
  finish(): Promise<ExperimentResults>;
  results(): ExperimentResults;
  exportModel(): Promise<object>;
  dispose(): void;
}

export interface ControllerDeps {
  post(event: WorkerEvent, transfer?: Transferable[]): void;
  createTrainer(config: ExperimentInput, opts: { dataset?: Dataset; name?: string; backendName?: string }): Promise<TrainerLike>;
  /** With `autoProbe` and choice 'auto': time the config on each usable candidate and keep the faster. */
  selectBackend(choice: BackendChoice, exclude: ReadonlyMap<BackendName, string>, autoProbe?: AutoProbe): Promise<BackendSelection>;
  /** The WebGPU device in use, to watch for loss (null on other backends). */
  currentDevice(): GPUDevice | null;
  memory(): { numTensors: number; numBytes: number };
}

type Mode = 'idle' | 'running' | 'paused' | 'finished';

interface Job {
  runId: string;
  runs: { name: string; config: ExperimentInput }[];
  index: number;
  results: ExperimentResults[];
}

const RUN_COMMANDS: ReadonlySet<Command['type']> = new Set(['init', 'start', 'startSuite', 'simulateDeviceLoss']);
const errorText = (e: unknown): string => (e instanceof Error ? e.message || e.name : String(e));
const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class TrainingController {
  private choice: BackendChoice | null = null;
  private selection: BackendSelection | null = null;
  private readonly lost = new Map<BackendName, string>();
  private watchedDevice: GPUDevice | null = null;
  private deviceLost: Promise<void> | null = null;
  private simulatedLoss = false;
  /** `auto`: the model shape the current selection was measured for (null: not measured). */
  private measuredFor: string | null = null;
  private probeHooks: ProbeHooks = {};

  private job: Job | null = null;
  private trainer: TrainerLike | null = null;
  /** Results of the current trainer once its run ended. */
  private final: ExperimentResults | null = null;
  private dataCache: { key: string; dataset: Dataset } | null = null;

  private mode: Mode = 'idle';
  private pendingSteps = 0;
  private needsPauseSnapshot = false;
  private speed = 0;
  private pace = { t0: 0, steps: 0 };
  private interrupt = false;
  private halt: null | 'stop' | 'deviceLost' = null;

  private loop: Promise<void> | null = null;
  private loopGen = 0;
  private readonly sleeper = new WakeableSleep();
  private exclusive: (() => Promise<void>)[] = [];
  private chain: Promise<void> = Promise.resolve();

  private readonly buffer = new SnapshotBuffer();
  private readonly meter = new RateMeter();
  private msPerStep = NaN;
  private gatesAt = -Infinity;
  private gatesCostMs = 0;
  private gatesStep = -1;
  /** The page's gate-map request (null: no maps). */
  private gateMapReq: GateMapRequest | null = null;
  /** Live training settings of the job (setTraining), re-applied to each later run of a suite. */
  private training: { learningRate?: number; taskWeights?: number[] } = {};

  constructor(private readonly deps: ControllerDeps) {}

  /** Commands run one after another, in arrival order; the training loop runs beside them. */
  handle(cmd: Command): Promise<void> {
    return this.enqueue(() =>
      this.dispatch(cmd).catch((e) => {
        // A failed start/init/recovery leaves no usable run; a failed export or bad argument does not end one.
        if (RUN_COMMANDS.has(cmd.type)) this.teardown(e);
        else this.deps.post({ type: 'error', message: errorText(e), requestId: 'requestId' in cmd ? cmd.requestId : undefined });
      }),
    );
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(fn, fn);
    return this.chain;
  }

  private async dispatch(cmd: Command): Promise<void> {
    switch (cmd.type) {
      case 'init':
        // Switching backends cannot carry a run's tensors: stop it first (same choice: just re-announce).
        if (this.job && !(this.selection && this.choice === cmd.backend)) await this.stop();
        await this.initBackend(cmd.backend, true);
        return;
      case 'start':
        return this.start(cmd.runId, [{ name: '', config: cmd.config }], cmd.paused ?? false);
      case 'startSuite':
        if (cmd.runs.length === 0) throw new Error('startSuite: the suite has no runs');
        return this.start(cmd.runId, cmd.runs.map((r) => ({ name: r.name, config: r.config })), cmd.paused ?? false);
      case 'pause':
        if (this.mode === 'running' || (this.mode === 'paused' && this.pendingSteps > 0)) {
          this.mode = 'paused';
          this.pendingSteps = 0;
          this.needsPauseSnapshot = true;
          this.interrupt = true;
          this.sleeper.wake(); // cut a slow-motion wait short
        }
        return;
      case 'resume':
        if (this.mode === 'paused') {
          this.mode = 'running';
          this.pendingSteps = 0;
          this.resetPace();
          this.meter.reset();
          this.sleeper.wake();
        }
        return;
      case 'step': {
        const n = Math.floor(cmd.n);
        if (!(n >= 1)) throw new Error(`step: n must be a whole number ≥ 1 (got ${cmd.n})`);
        if (this.mode === 'running') {
          // Stop at the next step boundary, then run exactly n more.
          this.mode = 'paused';
          this.pendingSteps = n;
          this.interrupt = true;
          this.sleeper.wake();
        } else if (this.mode === 'paused') {
          this.pendingSteps += n;
          this.sleeper.wake();
        }
        return;
      }
      case 'setSpeed':
        this.speed = Number.isFinite(cmd.stepsPerSec) && cmd.stepsPerSec > 0 ? cmd.stepsPerSec : 0;
        this.resetPace();
        this.sleeper.wake();
        return;
      case 'setTraining':
        this.training = {
          ...this.training,
          ...(cmd.learningRate !== undefined ? { learningRate: cmd.learningRate } : {}),
          ...(cmd.taskWeights ? { taskWeights: [...cmd.taskWeights] } : {}),
        };
        this.applyTraining(cmd);
        return;
      case 'stop':
        return this.stop();
      case 'export':
        return this.exportRun(cmd.requestId);
      case 'stats': {
        const mem = this.deps.memory();
        this.deps.post({
          type: 'stats',
          requestId: cmd.requestId,
          backend: this.selection?.backend ?? null,
          numTensors: mem.numTensors,
          numBytes: mem.numBytes,
          status: this.status(),
          step: this.trainer?.step ?? 0,
        });
        return;
      }
      case 'simulateDeviceLoss':
        return this.simulateDeviceLoss();
      case 'gateMap':
        return this.setGateMap(cmd.request);
      case 'probeHooks':
        this.probeHooks = { failBackends: cmd.failBackends ?? [], softwareWebGPU: cmd.softwareWebGPU ?? false };
        this.measuredFor = null;
        return;
    }
  }

  // ---------- backends ----------

  /** Select `choice`'s backend unless it is already in use; announce it when new (or always with `announce`). */
  private async initBackend(choice: BackendChoice, announce: boolean): Promise<void> {
    if (!this.selection || this.choice !== choice) {
      this.selection = await this.deps.selectBackend(choice, this.lost);
      this.choice = choice;
      this.measuredFor = null;
      this.watchDevice();
    } else if (!announce) return;
    this.announce();
  }

  /** `auto` for this config: time the candidates (or reuse this session's choice for the shape) and announce it. */
  private async measureBackend(config: Parameters<typeof shapeKey>[0]): Promise<void> {
    const dataKey = JSON.stringify(config.data);
    const dataset = this.dataCache?.key === dataKey ? this.dataCache.dataset : undefined;
    const sel = await this.deps.selectBackend('auto', this.lost, { config, dataset, hooks: this.probeHooks });
    if (sel.dataset) this.dataCache = { key: dataKey, dataset: sel.dataset };
    this.selection = { ...sel, dataset: undefined };
    this.choice = 'auto';
    this.measuredFor = shapeKey(config);
    this.watchDevice();
    this.announce();
  }

  private announce(): void {
    const sel = this.selection;
    if (!sel) return;
    this.deps.post({ type: 'ready', backend: sel.backend, attempts: sel.attempts, adapterInfo: sel.adapterInfo });
  }

  private watchDevice(): void {
    const device = this.deps.currentDevice();
    this.watchedDevice = device;
    this.deviceLost = null;
    if (!device) return;
    this.deviceLost = device.lost.then((info) => {
      if (this.watchedDevice !== device) return; // a device we already left
      this.watchedDevice = null;
      const how = this.simulatedLoss ? 'simulated with the test hook' : info.message || info.reason || 'unknown reason';
      this.simulatedLoss = false;
      this.halt = 'deviceLost';
      this.interrupt = true;
      this.sleeper.wake();
      void this.enqueue(() => this.recover(`WebGPU device lost (${how})`).catch((e) => this.teardown(e)));
    });
  }

  private async simulateDeviceLoss(): Promise<void> {
    const device = this.watchedDevice;
    if (device && this.selection?.backend === 'webgpu') {
      // Lose the real device: the device.lost watcher queues the recovery, as for a real loss.
      this.simulatedLoss = true;
      this.halt = 'deviceLost';
      this.interrupt = true;
      this.sleeper.wake();
      device.destroy();
      const fired = await Promise.race([this.deviceLost!.then(() => true), delay(3000).then(() => false)]);
      if (fired) return;
      this.watchedDevice = null;
    }
    await this.recover(`${this.selection?.backend ?? 'backend'} lost (simulated with the test hook)`);
  }

  /** Leave the lost backend for the next one and restart the current run from step 0. */
  private async recover(message: string): Promise<void> {
    const from = this.selection?.backend;
    const wasMode = this.mode;
    const job = this.job;
    this.halt = 'deviceLost';
    this.interrupt = true;
    this.sleeper.wake();
    await this.abandonLoop();
    this.disposeTrainer();
    this.halt = null;
    if (from) this.lost.set(from, `${from} lost its device earlier in this session (${message})`);
    const sel = await this.deps.selectBackend(this.choice ?? 'auto', this.lost);
    this.selection = sel;
    this.measuredFor = null;
    this.watchDevice();
    const restart = job !== null && (wasMode === 'running' || wasMode === 'paused');
    this.deps.post({
      type: 'deviceLost',
      message: restart
        ? `${message}. Switched to ${sel.backend}; the run restarts from step 0 (a run cannot be carried across backends).`
        : `${message}. Switched to ${sel.backend}.`,
      restartFromStep: 0,
      nextBackend: sel.backend,
    });
    this.announce();
    if (restart && job) {
      this.job = job;
      this.mode = wasMode;
      this.pendingSteps = 0;
      this.needsPauseSnapshot = wasMode === 'paused';
      await this.beginRun();
      this.ensureLoop();
    } else {
      this.job = null;
      this.mode = 'idle';
    }
  }

  // ---------- runs ----------

  private async start(runId: string, runs: Job['runs'], paused: boolean): Promise<void> {
    if (this.job) await this.stop();
    const parsed = parseExperiment(runs[0].config);
    if (!parsed.ok) {
      this.deps.post({ type: 'error', runId, message: `invalid config: ${parsed.message}` });
      return;
    }
    const choice = parsed.config.backend;
    if (choice === 'auto' && this.measuredFor !== shapeKey(parsed.config)) await this.measureBackend(parsed.config);
    else if (!this.selection || this.choice !== choice) await this.initBackend(choice, false);
    this.job = { runId, runs, index: 0, results: [] };
    this.training = {};
    this.mode = paused ? 'paused' : 'running';
    this.pendingSteps = 0;
    this.needsPauseSnapshot = paused;
    await this.beginRun();
    this.ensureLoop();
  }

  /** Apply live training settings to the trainer now (between two steps) and say what took effect. */
  private applyTraining(change: { learningRate?: number; taskWeights?: number[] }): void {
    const t = this.trainer;
    const job = this.job;
    if (!t || !job || !t.setTraining || (change.learningRate === undefined && !change.taskWeights)) return;
    const applied = t.setTraining(change);
    const skipped = change.taskWeights && !applied.taskWeights ? 'task weights are learned by this run’s loss weighting (or its tasks train apart): they were not changed' : undefined;
    this.deps.post({ type: 'trainingSet', runId: job.runId, runIndex: job.index, step: t.step, ...applied, ...(skipped ? { skipped } : {}) });
  }

  /** Build the trainer for the job's current run (reusing the data when it is the same). */
  private async beginRun(): Promise<void> {
    const job = this.job!;
    const spec = job.runs[job.index];
    this.disposeTrainer();
    const parsed = parseExperiment(spec.config);
    const key = parsed.ok ? JSON.stringify(parsed.config.data) : '';
    const dataset = this.dataCache && this.dataCache.key === key ? this.dataCache.dataset : undefined;
    const trainer = await this.deps.createTrainer(spec.config, {
      dataset,
      name: spec.name || undefined,
      backendName: this.selection?.backend,
    });
    if (key) this.dataCache = { key, dataset: trainer.dataset };
    this.trainer = trainer;
    if (this.training.learningRate !== undefined || this.training.taskWeights) trainer.setTraining?.(this.training);
    this.final = null;
    this.buffer.clear();
    this.meter.reset();
    this.meter.add(now(), trainer.step);
    this.msPerStep = NaN;
    this.gatesAt = now();
    this.gatesCostMs = 0;
    this.gatesStep = -1;
    if (trainer.gradCosineMode) this.buffer.addGradCosine(trainer.gradCosineMode, []);
    this.resetPace();
    this.deps.post({
      type: 'runStarted',
      runId: job.runId,
      runIndex: job.index,
      name: spec.name,
      totalRuns: job.runs.length,
      totalSteps: trainer.totalSteps,
    });
  }

  private async stop(): Promise<void> {
    const job = this.job;
    this.halt = 'stop';
    this.interrupt = true;
    this.sleeper.wake();
    if (this.loop) await this.loop;
    const step = this.trainer?.step ?? 0;
    this.disposeTrainer();
    this.job = null;
    this.mode = 'idle';
    this.pendingSteps = 0;
    this.halt = null;
    this.deps.post({ type: 'stopped', runId: job?.runId ?? '', step, numTensors: this.deps.memory().numTensors });
  }

  private disposeTrainer(): void {
    const t = this.trainer;
    this.trainer = null;
    this.final = null;
    if (!t) return;
    try {
      t.dispose();
    } catch {
      // A lost device can make freeing throw; the tensors are gone either way.
    }
  }

  /** An error ended the run: free it and say why (never a silent hang). Only called with no loop left running. */
  private teardown(e: unknown): void {
    const runId = this.job?.runId;
    this.disposeTrainer();
    this.job = null;
    this.mode = 'idle';
    this.pendingSteps = 0;
    this.halt = null;
    this.deps.post({ type: 'error', message: errorText(e), runId });
  }

  private async exportRun(requestId: string): Promise<void> {
    if (!this.trainer) {
      this.deps.post({ type: 'error', requestId, message: 'nothing to export: no trained model is loaded (start a run first)' });
      return;
    }
    await this.exclusiveRun(async () => {
      const t = this.trainer;
      if (!t) throw new Error('the run ended before it could be exported');
      const model = await t.exportModel();
      const results = this.final ?? t.results();
      this.deps.post({
        type: 'exported',
        requestId,
        modelJson: toJson(model),
        resultsJson: resultsToJson(results),
        csv: curvesToCsv(results),
      });
    });
  }

  /** Run `fn` between two chunks of the loop (or now, when no loop runs). */
  private exclusiveRun(fn: () => Promise<void>): Promise<void> {
    if (!this.loop) return fn();
    return new Promise<void>((resolve, reject) => {
      this.exclusive.push(() => fn().then(resolve, reject));
      this.interrupt = true;
      this.sleeper.wake();
    });
  }

  private async drainExclusive(): Promise<void> {
    while (this.exclusive.length) await this.exclusive.shift()!();
  }

  // ---------- the loop ----------

  private status(): RunStatus {
    if (this.final) return this.final.status;
    if (this.mode === 'running' || (this.mode === 'paused' && this.pendingSteps > 0)) return 'running';
    if (this.mode === 'paused') return 'paused';
    return this.trainer ? this.trainer.status : 'idle';
  }

  private resetPace(): void {
    this.pace = { t0: now(), steps: 0 };
  }

  private chunkSize(): number {
    let n = Number.isFinite(this.msPerStep) ? Math.floor(TARGET_CHUNK_MS / Math.max(this.msPerStep, 0.01)) : 1;
    n = Math.min(MAX_CHUNK_STEPS, Math.max(1, n));
    // Slow motion: small chunks so steps arrive evenly, not in bursts.
    if (this.speed > 0) n = Math.min(n, Math.max(1, Math.floor(this.speed / MAX_SNAPSHOTS_PER_SEC)));
    return n;
  }

  private ensureLoop(): void {
    if (this.loop) return;
    const gen = ++this.loopGen;
    this.loop = this.runLoop(gen).finally(async () => {
      await this.drainExclusive().catch(() => undefined);
      if (this.loopGen === gen) this.loop = null;
    });
  }

  /** Wait for the loop to exit; after a grace period on a lost device, abandon it. */
  private async abandonLoop(): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    await Promise.race([loop, delay(LOST_STEP_GRACE_MS)]);
    this.loopGen++;
    this.loop = null;
  }

  private async runLoop(gen: number): Promise<void> {
    try {
      // Let commands already queued behind 'start' (e.g. an immediate pause) land before the first step.
      await yieldToEventLoop();
      while (gen === this.loopGen) {
        const t = this.trainer;
        if (this.halt || !t || this.mode === 'idle' || this.mode === 'finished') return;
        if (this.exclusive.length) {
          await this.drainExclusive();
          continue;
        }
        if (this.mode === 'paused' && this.pendingSteps === 0) {
          if (this.needsPauseSnapshot) {
            this.needsPauseSnapshot = false;
            if (this.gatesStep !== t.step) await this.refreshGates(t, GATE_SUBSET_ROWS);
            this.meter.reset();
            await this.sendSnapshotSoon();
            continue;
          }
          await this.sleeper.sleep(Infinity);
          continue;
        }
        if (this.speed > 0) {
          const wait = this.pace.t0 + (this.pace.steps * 1000) / this.speed - now();
          if (wait > 1) {
            await this.sleeper.sleep(wait);
            continue;
          }
          if (wait < -250) this.resetPace(); // slower than the cap: don't burst to catch up
        }
        let n = this.chunkSize();
        if (this.mode === 'paused') n = Math.min(n, this.pendingSteps);
        this.interrupt = false;
        const before = t.step;
        const t0 = now();
        const r = await t.train(n, () => this.interrupt || this.halt !== null);
        if (gen !== this.loopGen || this.trainer !== t) return;
        const dt = now() - t0;
        // The first step of a run compiles kernels/shaders: keep it out of the estimate.
        if (r.steps > 0 && before > 0) {
          const sample = dt / r.steps;
          this.msPerStep = Number.isFinite(this.msPerStep) ? 0.7 * this.msPerStep + 0.3 * sample : sample;
        }
        if (this.mode === 'paused' && this.pendingSteps > 0) {
          this.pendingSteps = Math.max(0, this.pendingSteps - r.steps);
          if (this.pendingSteps === 0) this.needsPauseSnapshot = true;
        }
        this.pace.steps += r.steps;
        this.buffer.addCurve(r.curve);
        this.buffer.setVal(r.val);
        if (r.gradCosine?.length) this.buffer.addGradCosine(t.gradCosineMode ?? 'on', r.gradCosine);
        this.meter.add(now(), t.step);
        if (r.diverged) {
          await this.endRun(t, r.divergedAtStep ?? t.step);
          continue;
        }
        if (t.step >= t.totalSteps) {
          await this.endRun(t, null);
          continue;
        }
        // Slow motion: the gates after every step, so a student can watch one move.
        const slow = this.speed > 0 && this.speed <= SLOW_MOTION_MAX;
        if (this.mode === 'running' && (slow || now() - this.gatesAt >= Math.max(GATES_EVERY_MS, this.gatesCostMs * (1 / GATES_TIME_SHARE - 1))))
          await this.refreshGates(t, GATE_SUBSET_ROWS);
        if (this.buffer.canSend(now()) && !this.needsPauseSnapshot) this.sendSnapshot();
        await yieldToEventLoop();
      }
    } catch (e) {
      if (gen !== this.loopGen) return;
      if (await this.isDeviceLoss()) return; // the recovery queued by the watcher takes over
      this.teardown(e);
    }
  }

  private async isDeviceLoss(): Promise<boolean> {
    if (this.halt === 'deviceLost') return true;
    if (!this.deviceLost) return false;
    // A lost device makes the step fail before device.lost settles: give it a moment.
    return Promise.race([this.deviceLost.then(() => true), delay(1500).then(() => false)]);
  }

  private async refreshGates(t: TrainerLike, rows: number): Promise<void> {
    const t0 = now();
    const levels = await t.gateStats(rows);
    await this.postGateMap(t, false);
    this.gatesCostMs = now() - t0;
    this.gatesAt = now();
    this.gatesStep = t.step;
    this.buffer.setGates(t.step, levels);
  }

  // ---------- gate maps ----------

  /** A new request: remembered for the cadence; computed at once when a run is paused or finished. */
  private async setGateMap(request: GateMapRequest | null): Promise<void> {
    this.gateMapReq = request;
    if (!request || !this.trainer || this.mode === 'running') return; // running: the next gate refresh computes it
    const finished = this.mode === 'finished' && this.final?.status === 'done';
    await this.exclusiveRun(async () => {
      const t = this.trainer;
      if (t) await this.postGateMap(t, finished, finished ? (this.final?.bestStep ?? this.final?.steps) : undefined);
    });
  }

  /** Compute and post the requested gate map of trainer t (every test row when final). */
  private async postGateMap(t: TrainerLike, final: boolean, step?: number): Promise<void> {
    const req = this.gateMapReq;
    const job = this.job;
    if (!req || !job || !t.gateMap) return;
    let map: GateMapResult;
    try {
      map = await t.gateMap(req, final ? Infinity : undefined);
    } catch (e) {
      // A failed map must not end the run (a lost device fails the next step anyway).
      console.warn(`gate map: ${errorText(e)}`);
      return;
    }
    if (step !== undefined) map.step = step;
    const transfer: Transferable[] = [map.counts.buffer as ArrayBuffer, ...map.gates.map((g) => g.weights.buffer as ArrayBuffer)];
    this.deps.post({ type: 'gateMap', runId: job.runId, runIndex: job.index, final, map }, transfer);
  }

  /** A run ended (done, or diverged at `divergedAt`): final snapshot, runDone, next run or done. */
  private async endRun(t: TrainerLike, divergedAt: number | null): Promise<void> {
    const job = this.job!;
    let results: ExperimentResults;
    if (divergedAt !== null) {
      results = t.results();
      this.deps.post({
        type: 'diverged',
        runId: job.runId,
        runIndex: job.index,
        step: divergedAt,
        message: `the loss became NaN or infinite at step ${divergedAt}; training stopped (try a lower learning rate or gradient clipping)`,
      });
    } else {
      results = await t.finish();
      this.buffer.setGates(t.step, results.gateStats);
      await this.postGateMap(t, true, results.bestStep ?? results.steps);
      this.gatesStep = t.step;
      if (results.status === 'diverged') {
        // The test-set evaluation found non-finite outputs.
        const step = results.divergedAtStep ?? t.step;
        this.deps.post({ type: 'diverged', runId: job.runId, runIndex: job.index, step, message: `the model's outputs became NaN or infinite by step ${step}` });
      }
    }
    this.final = results;
    this.pendingSteps = 0;
    this.needsPauseSnapshot = false;
    await this.sendSnapshotSoon();
    this.deps.post({ type: 'runDone', runId: job.runId, runIndex: job.index, results });
    job.results.push(results);
    if (job.index + 1 < job.runs.length) {
      job.index += 1;
      if (this.mode === 'paused') this.needsPauseSnapshot = true;
      await this.beginRun();
    } else {
      this.mode = 'finished';
      this.deps.post({ type: 'done', runId: job.runId, results: job.results });
    }
  }

  private sendSnapshot(): void {
    const t = this.trainer;
    const job = this.job;
    if (!t || !job) return;
    const status = this.status();
    const { msg, transfer } = this.buffer.take(
      {
        runId: job.runId,
        runIndex: job.index,
        status,
        step: t.step,
        totalSteps: t.totalSteps,
        stepsPerSec: status === 'running' ? this.meter.rate : 0,
        taskWeights: t.taskWeights(),
      },
      now(),
    );
    this.deps.post(msg, transfer);
  }

  /** Send a snapshot that must go out (pause, end of run), waiting out the rate cap. */
  private async sendSnapshotSoon(): Promise<void> {
    // Timers may fire a little early: re-check until the cap allows it.
    while (!this.buffer.canSend(now())) await delay(Math.ceil(this.buffer.lastSentAt + MIN_SNAPSHOT_INTERVAL_MS - now()));
    this.sendSnapshot();
  }
}
