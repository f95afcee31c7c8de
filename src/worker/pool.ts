// A pool of training workers behind the one-worker interface (send/on), so the
// page's store speaks the same protocol to one worker or to N. A suite's runs
// are spread over `workers` workers, one run per worker at a time, each as its
// own one-run job: every run owns its seeds, so its numbers do not depend on
// which worker trains it or on how many train beside it.
// Pause, Step, Stop and speed go to every worker. A worker that crashes during
// a suite is restarted and its run retried once, then reported ('runFailed');
// the other runs go on.
import type { BackendChoice } from '../core/config/schema';
import type { ExperimentResults } from '../core/types';
import { TrainingClient, type WorkerListener } from './client';
import type { Command, SuiteRunSpec, WorkerEvent } from './protocol';

/** What the pool needs of one worker's client (TrainingClient satisfies it; tests pass fakes). */
export interface PoolClient {
  send(cmd: Command): void;
  on(listener: WorkerListener): () => void;
  readonly alive: boolean;
  restart(backend: BackendChoice): void;
  terminate(): void;
}

/** A run is tried this many times when its worker crashes under it. */
export const MAX_ATTEMPTS = 2;
/** A worker that crashes this many times in a row (no run finished in between) is not restarted again. */
export const MAX_CONSECUTIVE_CRASHES = 2;
/** How long Stop waits for a worker's answer before terminating it. */
export const STOP_GRACE_MS = 5000;

interface Task {
  index: number;
  subId: string;
}

interface Slot {
  client: PoolClient;
  task: Task | null;
  /** Run index whose trainer the worker still holds (its last run), for export. */
  holds: number | null;
  lastActive: number;
  crashes: number;
  retired: boolean;
  /** The crash of this client was handled already (later refusals of send() are not new crashes). */
  dead: boolean;
}

interface Job {
  runId: string;
  single: boolean;
  specs: SuiteRunSpec[];
  size: number;
  queue: number[];
  attempts: number[];
  results: (ExperimentResults | null)[];
  settled: number;
  finished: boolean;
  stopping: boolean;
  lastStep: number;
  /** Live training settings (setTraining) so far: each worker's later runs of the job get them at their start. */
  training: { learningRate?: number; taskWeights?: number[] };
}

let seq = 0;

export class TrainingPool {
  private readonly slots: Slot[] = [];
  private readonly listeners = new Set<WorkerListener>();
  private job: Job | null = null;
  private paused = false;
  private speed = 0;
  private choice: BackendChoice = 'auto';
  private gateMapCmd: Extract<Command, { type: 'gateMap' }> | null = null;
  private probeHooksCmd: Extract<Command, { type: 'probeHooks' }> | null = null;
  private stopTimer: ReturnType<typeof setTimeout> | null = null;
  /** Export requests in flight → the run index the answering worker holds. */
  private readonly exports = new Map<string, number>();

  constructor(private readonly makeClient: () => PoolClient = () => new TrainingClient()) {
    this.addSlot();
  }

  on(listener: WorkerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether the first worker (the one single runs use) is usable. */
  get alive(): boolean {
    return this.slots[0]?.client.alive ?? false;
  }

  /** Workers started so far (live or not). */
  get size(): number {
    return this.slots.length;
  }

  send(cmd: Command): void {
    switch (cmd.type) {
      case 'init':
        this.choice = cmd.backend;
        for (const s of this.usable()) s.client.send(cmd);
        return;
      case 'start':
        return this.startJob(cmd.runId, [{ name: '', seed: 0, config: cmd.config }], cmd.paused ?? false, 1, true);
      case 'startSuite':
        if (cmd.runs.length === 0) return this.emit({ type: 'error', runId: cmd.runId, message: 'startSuite: the suite has no runs' });
        return this.startJob(cmd.runId, cmd.runs, cmd.paused ?? false, cmd.workers ?? 1, false);
      case 'pause':
      case 'resume':
        this.paused = cmd.type === 'pause';
        for (const s of this.busy()) s.client.send(cmd);
        return;
      case 'step':
        for (const s of this.busy()) s.client.send(cmd);
        return;
      case 'setSpeed':
        this.speed = cmd.stepsPerSec;
        for (const s of this.usable()) s.client.send(cmd);
        return;
      case 'stop':
        return this.stop();
      case 'export': {
        const slot = this.exportSlot(cmd.runIndex);
        if (slot.holds !== null) this.exports.set(cmd.requestId, slot.holds);
        return slot.client.send(cmd);
      }
      case 'stats':
        return this.slots[0].client.send(cmd);
      case 'simulateDeviceLoss': {
        const busy = this.busy();
        for (const s of busy.length ? busy : [this.slots[0]]) s.client.send(cmd);
        return;
      }
      case 'gateMap':
        this.gateMapCmd = cmd;
        for (const s of this.usable()) s.client.send(cmd);
        return;
      case 'setTraining':
        if (this.job) this.job.training = { ...this.job.training, ...(cmd.learningRate !== undefined ? { learningRate: cmd.learningRate } : {}), ...(cmd.taskWeights ? { taskWeights: [...cmd.taskWeights] } : {}) };
        for (const s of this.busy()) s.client.send(cmd);
        return;
      case 'probeHooks':
        this.probeHooksCmd = cmd;
        for (const s of this.usable()) s.client.send(cmd);
        return;
    }
  }

  /** Fresh workers (after a crash, or to drop all state); the first selects `backend`, the others start on the next suite. */
  restart(backend: BackendChoice = 'auto'): void {
    this.choice = backend;
    this.job = null;
    this.clearStopTimer();
    for (const s of this.slots.splice(1)) s.client.terminate();
    const first = this.slots[0];
    Object.assign(first, { task: null, holds: null, crashes: 0, retired: false, dead: false });
    first.client.restart(backend);
    this.primeSlot(first);
  }

  terminate(): void {
    this.clearStopTimer();
    for (const s of this.slots) s.client.terminate();
    this.slots.length = 0;
    this.job = null;
  }

  // ---------- jobs ----------

  private startJob(runId: string, specs: SuiteRunSpec[], paused: boolean, workers: number, single: boolean): void {
    this.abandonJob();
    this.paused = paused;
    // Workers that could not start last time get a fresh chance with a new suite.
    for (const s of this.slots) if (s.retired || s.dead) this.revive(s);
    const size = Math.max(1, Math.min(Math.floor(workers) || 1, specs.length));
    while (this.slots.length < size) this.addSlot();
    this.job = {
      runId,
      single,
      specs,
      size,
      queue: specs.map((_, i) => i),
      attempts: specs.map(() => 0),
      results: specs.map(() => null),
      settled: 0,
      finished: false,
      stopping: false,
      lastStep: 0,
      training: {},
    };
    this.dispatch();
  }

  /** A new job replaces the old one: its workers stop (their late events are stale and dropped). */
  private abandonJob(): void {
    const job = this.job;
    this.clearStopTimer();
    if (!job) return;
    for (const s of this.slots)
      if (s.task) {
        s.task = null;
        s.client.send({ type: 'stop' });
      }
    this.job = null;
  }

  /** Give queued runs to free workers among the job's first `size` usable ones. */
  private dispatch(): void {
    const job = this.job;
    if (!job || job.stopping || job.finished) return;
    const workers = this.usable().slice(0, job.size);
    let changed = false;
    for (const s of workers) {
      if (s.task || job.queue.length === 0) continue;
      const index = job.queue.shift()!;
      job.attempts[index] += 1;
      const subId = job.single ? job.runId : `${job.runId}/run${index}/try${job.attempts[index]}/${++seq}`;
      s.task = { index, subId };
      s.holds = null;
      s.lastActive = performance.now();
      const spec = job.specs[index];
      if (job.single) s.client.send({ type: 'start', runId: subId, config: spec.config, paused: this.paused });
      else s.client.send({ type: 'startSuite', runId: subId, runs: [spec], paused: this.paused });
      changed = true;
    }
    if (changed) this.emitStatus();
    if (!job.single && job.queue.length > 0 && workers.length === 0) this.allCrashed();
  }

  /** One more run of the suite is over (finished or failed): next run, or 'done' after the last. */
  private settle(): void {
    const job = this.job!;
    job.settled += 1;
    if (job.settled < job.specs.length) return this.dispatch();
    job.finished = true;
    this.emitStatus();
    this.emit({ type: 'done', runId: job.runId, results: job.results.filter((r): r is ExperimentResults => r !== null) });
  }

  private stop(): void {
    const job = this.job;
    if (!job || job.finished) {
      // Nothing runs: the workers still free their last trainers; answered as one worker would.
      for (const s of this.usable()) s.client.send({ type: 'stop' });
      if (job) this.emit({ type: 'stopped', runId: job.runId, step: job.lastStep });
      return;
    }
    if (job.stopping) return;
    job.stopping = true;
    job.queue.length = 0;
    const busy = this.busy();
    this.emitStatus();
    if (busy.length === 0) return this.stopped();
    for (const s of busy) {
      s.client.send({ type: 'stop' });
    }
    // A worker stuck in a long step must not keep Stop waiting: end it for real.
    this.stopTimer = setTimeout(() => {
      this.stopTimer = null;
      for (const s of this.slots)
        if (s.task) {
          s.task = null;
          s.client.restart(this.choice);
          this.primeSlot(s);
        }
      this.stopped();
    }, STOP_GRACE_MS);
  }

  private stopped(): void {
    const job = this.job;
    if (!job || !job.stopping || this.slots.some((s) => s.task)) return;
    this.clearStopTimer();
    job.finished = true;
    this.emit({ type: 'stopped', runId: job.runId, step: job.lastStep });
  }

  private clearStopTimer(): void {
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.stopTimer = null;
  }

  // ---------- workers ----------

  private addSlot(): Slot {
    const slot: Slot = { client: this.makeClient(), task: null, holds: null, lastActive: 0, crashes: 0, retired: false, dead: false };
    this.slots.push(slot);
    slot.client.on((e) => this.onEvent(slot, e));
    if (this.slots.length > 1) this.primeSlot(slot);
    return slot;
  }

  /** A new worker learns the page's speed and gate-map request (the backend comes with each run's config). */
  private primeSlot(s: Slot): void {
    if (this.speed > 0) s.client.send({ type: 'setSpeed', stepsPerSec: this.speed });
    if (this.gateMapCmd) s.client.send(this.gateMapCmd);
    if (this.probeHooksCmd) s.client.send(this.probeHooksCmd);
  }

  private revive(s: Slot): void {
    Object.assign(s, { task: null, holds: null, crashes: 0, retired: false, dead: false });
    s.client.restart(this.choice);
    this.primeSlot(s);
  }

  private usable(): Slot[] {
    return this.slots.filter((s) => !s.retired && !s.dead);
  }

  private busy(): Slot[] {
    return this.slots.filter((s) => s.task);
  }

  private exportSlot(runIndex: number | undefined): Slot {
    const held = runIndex === undefined ? undefined : this.slots.find((s) => s.holds === runIndex && !s.dead);
    if (held) return held;
    // Otherwise the worker that trained last, as one worker exports its last run.
    return [...this.slots].filter((s) => !s.dead).sort((a, b) => b.lastActive - a.lastActive)[0] ?? this.slots[0];
  }

  private onEvent(slot: Slot, e: WorkerEvent): void {
    const job = this.job;
    const task = slot.task;
    const mine = task !== null && job !== null && 'runId' in e && e.runId === task.subId;
    switch (e.type) {
      case 'exported': {
        const runIndex = this.exports.get(e.requestId);
        this.exports.delete(e.requestId);
        return this.emit(runIndex === undefined || !job || job.single ? e : { ...e, runIndex });
      }
      case 'ready':
      case 'deviceLost':
      case 'stats':
        return this.emit(e);
      case 'error':
        if (e.requestId) {
          this.exports.delete(e.requestId);
          return this.emit(e);
        }
        if (!e.runId) return this.onWorkerError(slot, e.message);
        if (mine) return this.runError(slot, task!, e.message);
        return; // a stale run's error
      case 'stopped':
        if (!mine) return;
        job!.lastStep = Math.max(job!.lastStep, e.step);
        if (job!.stopping) {
          slot.task = null;
          return this.stopped();
        }
        // The worker ended the run itself (its backend changed under it).
        if (job!.single) {
          slot.task = null;
          job!.finished = true;
          return this.emit({ ...e, runId: job!.runId });
        }
        return this.runError(slot, task!, 'the worker stopped it (its backend changed)');
      case 'runStarted':
        if (!mine) return;
        slot.holds = task!.index;
        slot.lastActive = performance.now();
        // A worker's job is one run: live settings made before it started reach it here.
        if (job!.training.learningRate !== undefined || job!.training.taskWeights) slot.client.send({ type: 'setTraining', ...job!.training });
        return this.emit({ ...e, runId: job!.runId, runIndex: task!.index, totalRuns: job!.specs.length });
      case 'snapshot':
      case 'diverged':
      case 'gateMap':
      case 'trainingSet':
        if (!mine) return;
        if (e.type === 'snapshot') job!.lastStep = e.step;
        return this.emit({ ...e, runId: job!.runId, runIndex: task!.index });
      case 'runDone':
        if (!mine) return;
        job!.results[task!.index] = e.results;
        slot.crashes = 0;
        slot.lastActive = performance.now();
        return this.emit({ ...e, runId: job!.runId, runIndex: task!.index });
      case 'done':
        if (!mine) return;
        slot.task = null;
        if (job!.single) {
          job!.finished = true;
          this.emitStatus();
          return this.emit({ ...e, runId: job!.runId });
        }
        this.emitStatus();
        return this.settle();
      case 'runFailed':
      case 'poolStatus':
        return; // workers never send these
    }
  }

  /** A run ended in an error (bad config, a failed step): a suite reports it and goes on; a single run ends. */
  private runError(slot: Slot, task: Task, message: string): void {
    const job = this.job!;
    slot.task = null;
    if (job.single) {
      job.finished = true;
      this.emitStatus();
      return this.emit({ type: 'error', runId: job.runId, message });
    }
    this.emitStatus();
    this.emit({ type: 'runFailed', runId: job.runId, runIndex: task.index, message });
    this.settle();
  }

  /** An error outside any run: a crash when the worker is gone, else passed on as one worker would. */
  private onWorkerError(slot: Slot, message: string): void {
    if (slot.client.alive) return this.emit({ type: 'error', message });
    if (slot.dead) return; // send() refusals after the crash we handled
    slot.dead = true;
    slot.crashes += 1;
    const job = this.job;
    const task = slot.task;
    slot.task = null;
    slot.holds = null;
    const inSuite = job !== null && !job.single && !job.finished;
    if (!inSuite) {
      if (job?.single && task) job.finished = true;
      // One worker's behaviour: the page says the worker crashed and offers Restart worker.
      if (slot === this.slots[0]) return this.emit({ type: 'error', message });
      // A spare worker that died while idle: dropped; the next suite starts a fresh one.
      slot.client.terminate();
      this.slots.splice(this.slots.indexOf(slot), 1);
      return;
    }
    if (job.stopping) {
      this.stopped();
      return;
    }
    if (slot.crashes >= MAX_CONSECUTIVE_CRASHES) {
      slot.retired = true;
      slot.client.terminate();
    } else {
      slot.dead = false;
      slot.client.restart(this.choice);
      this.primeSlot(slot);
    }
    if (task) {
      if (job.attempts[task.index] < MAX_ATTEMPTS) job.queue.unshift(task.index);
      else {
        this.emitStatus();
        this.emit({
          type: 'runFailed',
          runId: job.runId,
          runIndex: task.index,
          message: `its training worker crashed ${MAX_ATTEMPTS} times (${message})`,
        });
        return this.settle();
      }
    }
    this.emitStatus();
    this.dispatch();
  }

  /** Every worker of a suite crashed beyond restarting: the page says so; finished runs stay. */
  private allCrashed(): void {
    const job = this.job;
    if (!job) return;
    job.finished = true;
    job.queue.length = 0;
    this.emit({ type: 'error', message: 'the training worker crashed repeatedly and could not be restarted' });
  }

  private emitStatus(): void {
    const job = this.job;
    if (!job || job.single) return;
    const active = this.slots.flatMap((s) => (s.task ? [s.task.index] : [])).sort((a, b) => a - b);
    this.emit({ type: 'poolStatus', runId: job.runId, active, workers: Math.min(job.size, this.usable().length) });
  }

  private emit(event: WorkerEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
