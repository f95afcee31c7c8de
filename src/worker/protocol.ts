// The typed boundary between the page and the training worker.
// Every message is a discriminated union on `type`; nothing else crosses.
import type { BackendChoice, ExperimentInput } from '../core/config/schema';
import type { ExperimentResults, LevelGateStats, RunStatus, TaskMetrics } from '../core/types';
import type { GateMapRequest, GateMapResult } from '../core/train/gateMap';

export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

/** Why a backend was used or skipped, in words a user can read. */
export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  reason: string;
  /**
   * Set when `auto` timed this backend on the run's config (src/worker/backendProbe.ts):
   * training steps/s, or null when its first step did not finish inside the probe's slice.
   */
  stepsPerSec?: number | null;
}

/** A named model run inside a suite (e.g. the seesaw preset). */
export interface SuiteRunSpec {
  name: string;
  seed: number;
  config: ExperimentInput;
}

// ---------- page → worker ----------
// Commands are handled in arrival order. Semantics (src/worker/controller.ts):
export type Command =
  /** Select a backend now and answer 'ready' (a run in progress is stopped first if the backend changes). */
  | { type: 'init'; backend: BackendChoice }
  /**
   * Stop any current run, then train `config`. The config's `backend` wins: when it
   * differs from the one last selected, the worker re-selects (and sends 'ready').
   */
  | { type: 'start'; runId: string; config: ExperimentInput; paused?: boolean }
  /**
   * Run model after model (runStarted/runDone each, then done); backend from the first run's config.
   * On the page a pool of workers (src/worker/pool.ts) spreads the runs over `workers` workers
   * (default 1); one worker ignores the field. Events carry the suite's runId and run index either way.
   */
  | { type: 'startSuite'; runId: string; runs: SuiteRunSpec[]; paused?: boolean; workers?: number }
  /** Stop at the next step boundary; a 'paused' snapshot follows with the exact step. */
  | { type: 'pause' }
  | { type: 'resume' }
  /** Run exactly n more steps, then stay paused (while running: pause at a step boundary first). */
  | { type: 'step'; n: number }
  /** Stop and free every tensor of the run; answered by 'stopped'. */
  | { type: 'stop' }
  /** Max training steps per second; 0 = as fast as possible (slow motion below ~10). */
  | { type: 'setSpeed'; stepsPerSec: number }
  /**
   * Training settings changed live: applied to the model in training from its next step and to
   * the suite's later runs (answered by 'trainingSet'). Task weights apply where they are set, not learned.
   */
  | { type: 'setTraining'; learningRate?: number; taskWeights?: number[] }
  /** runIndex: which run of a suite (the pool asks the worker that trained it; one worker exports its current run). */
  | { type: 'export'; requestId: string; runIndex?: number }
  /** Test hook: behave as if the GPU device was lost. */
  | { type: 'simulateDeviceLoss' }
  /** Ask for engine counters (live tensors etc.); answered by a 'stats' event. */
  | { type: 'stats'; requestId: string }
  /**
   * Gate maps (src/core/train/gateMap.ts): from now on, compute the map of every gate on this pair of
   * directions at the gate-statistics cadence and at the end of each run (answered by 'gateMap' events;
   * at once when a run is paused or finished). null: stop computing maps.
   */
  | { type: 'gateMap'; request: GateMapRequest | null }
  /**
   * Test hooks for `auto`'s probe: make these backends' probes fail, and/or time a
   * software (fallback) WebGPU adapter like a hardware one. Clears the probe cache.
   */
  | { type: 'probeHooks'; failBackends?: BackendName[]; softwareWebGPU?: boolean };

// ---------- worker → page ----------
export interface Snapshot {
  type: 'snapshot';
  runId: string;
  /** Index of the run within a suite (0 for a single run). */
  runIndex: number;
  status: RunStatus;
  step: number;
  totalSteps: number;
  stepsPerSec: number;
  /** Loss readbacks since the previous snapshot: steps [n] and rows [n × (1+K)] of (joint, task_1..task_K). */
  curveSteps: Int32Array;
  curveLoss: Float32Array;
  /** Latest validation metrics, when evaluated since the previous snapshot. */
  val: { step: number; metrics: TaskMetrics[] } | null;
  /** Gate statistics on (a subset of) the test set, when computed since the previous snapshot. */
  gates: { step: number; levels: LevelGateStats[] } | null;
  /** Current task weights ω_k. */
  taskWeights: number[];
  /**
   * Gradient-conflict probe: points measured since the previous snapshot (cos per
   * task pair a < b, in that order), and whether the probe runs at all ('none':
   * the model shares nothing). Absent when nothing new.
   */
  gradCosine?: { mode: 'on' | 'off' | 'none'; points: { step: number; cos: number[] }[] };
}

export type WorkerEvent =
  | { type: 'ready'; backend: BackendName; attempts: BackendAttempt[]; adapterInfo?: string }
  | Snapshot
  | { type: 'runStarted'; runId: string; runIndex: number; name: string; totalRuns: number; totalSteps: number }
  | { type: 'diverged'; runId: string; runIndex: number; step: number; message: string }
  | { type: 'runDone'; runId: string; runIndex: number; results: ExperimentResults }
  | { type: 'done'; runId: string; results: ExperimentResults[] }
  /**
   * Pool only: a suite's run that could not finish (its worker crashed twice, or the run failed);
   * the other runs go on and 'done' follows without it.
   */
  | { type: 'runFailed'; runId: string; runIndex: number; message: string }
  /** Pool only: which of a suite's runs are training now (sent whenever the set changes). */
  | { type: 'poolStatus'; runId: string; active: number[]; workers: number }
  /** numTensors: TF.js tensors alive after the run was disposed (equals the count before it started). */
  | { type: 'stopped'; runId: string; step: number; numTensors?: number }
  /** runIndex: the suite's run exported (set by the pool). */
  | { type: 'exported'; requestId: string; modelJson: string; resultsJson: string; csv: string; runIndex?: number }
  | { type: 'deviceLost'; message: string; restartFromStep: number; nextBackend: BackendName }
  /** A gate map of run runIndex (its typed arrays are transferred); final: computed on every test row at the end of the run. */
  | { type: 'gateMap'; runId: string; runIndex: number; final: boolean; map: GateMapResult }
  | { type: 'error'; message: string; runId?: string; requestId?: string }
  /** A setTraining took effect at `step` of run runIndex; `skipped` says in words what could not apply (learned weights). */
  | { type: 'trainingSet'; runId: string; runIndex: number; step: number; learningRate?: number; taskWeights?: number[]; skipped?: string }
  | {
      type: 'stats';
      requestId: string;
      backend: BackendName | null;
      numTensors: number;
      numBytes: number;
      status: RunStatus;
      step: number;
    };

/** Cap on snapshot rate, whatever the training speed. */
export const MAX_SNAPSHOTS_PER_SEC = 20;

/** At or below this speed (steps/s) the worker is in slow motion: gate statistics and a snapshot after every step. */
export const SLOW_MOTION_MAX = 10;
