// Per-step training data, kept OUT of React state: snapshots arrive up to
// 20×/s, so they go into growable typed arrays here and charts redraw from a
// transient subscription (subscribe + requestAnimationFrame), not re-renders.
import { createStore } from 'zustand/vanilla';
import type { ModelType, TaskType } from '../core/config/schema';
import type { LevelGateStats, RunStatus, TaskMetrics } from '../core/types';
import type { Snapshot } from '../worker/protocol';

/** A growable column of numbers (amortised O(1) append). */
export class Series {
  data = new Float64Array(256);
  length = 0;
  push(v: number) {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  get(i: number) {
    return this.data[i];
  }
  last() {
    return this.length ? this.data[this.length - 1] : NaN;
  }
}

export interface GateKeyInfo {
  key: string;
  level: number;
  label: string;
  experts: { label: string; module: string }[];
}

export interface LiveRun {
  runId: string;
  runIndex: number;
  name: string;
  model: ModelType;
  K: number;
  taskTypes: TaskType[];
  status: RunStatus;
  step: number;
  totalSteps: number;
  stepsPerSec: number;
  /** Training curve: steps, joint loss, per-task loss (finite points only). */
  curveStep: Series;
  curveJoint: Series;
  curveTask: Series[];
  val: { step: number; metrics: TaskMetrics[] }[];
  gates: LevelGateStats[] | null;
  gatesStep: number;
  /** Gate mean weights over time: steps, and per gate key one Series per expert. */
  gateSteps: Series;
  gateSeries: Map<string, Series[]>;
  gateInfo: Map<string, GateKeyInfo>;
  taskWeights: number[];
  divergedAt: number | null;
  startedAt: number;
  /** Gradient-conflict probe: steps, one Series of cosines per task pair (a < b), and whether it runs ('none': nothing shared). */
  gradCosSteps: Series;
  gradCos: Series[];
  gradCosMode: 'on' | 'off' | 'none' | null;
}

export const gateKey = (level: number, id: string) => `L${level}:${id}`;

export function newLiveRun(init: {
  runId: string;
  runIndex: number;
  name: string;
  model: ModelType;
  taskTypes: TaskType[];
  totalSteps: number;
}): LiveRun {
  const K = init.taskTypes.length;
  return {
    ...init,
    K,
    status: 'running',
    step: 0,
    stepsPerSec: 0,
    curveStep: new Series(),
    curveJoint: new Series(),
    curveTask: Array.from({ length: K }, () => new Series()),
    val: [],
    gates: null,
    gatesStep: -1,
    gateSteps: new Series(),
    gateSeries: new Map(),
    gateInfo: new Map(),
    taskWeights: [],
    divergedAt: null,
    startedAt: performance.now(),
    gradCosSteps: new Series(),
    gradCos: Array.from({ length: (K * (K - 1)) / 2 }, () => new Series()),
    gradCosMode: null,
  };
}

const finite = (v: number) => Number.isFinite(v);

/** Fold one snapshot into a run's buffers. Non-finite values never enter a chart. */
export function applySnapshot(run: LiveRun, s: Snapshot): void {
  run.status = s.status;
  run.step = s.step;
  run.totalSteps = s.totalSteps;
  if (finite(s.stepsPerSec)) run.stepsPerSec = s.stepsPerSec;
  const K = run.K;
  const width = 1 + K;
  for (let i = 0; i < s.curveSteps.length; i++) {
    const row = i * width;
    const joint = s.curveLoss[row];
    let ok = finite(joint);
    for (let k = 0; k < K && ok; k++) ok = finite(s.curveLoss[row + 1 + k]);
    if (!ok) continue;
    run.curveStep.push(s.curveSteps[i]);
    run.curveJoint.push(joint);
    for (let k = 0; k < K; k++) run.curveTask[k].push(s.curveLoss[row + 1 + k]);
  }
  if (s.val) run.val.push(s.val);
  if (s.gates) {
    run.gates = s.gates.levels;
    run.gatesStep = s.gates.step;
    run.gateSteps.push(s.gates.step);
    const n = run.gateSteps.length;
    for (const lvl of s.gates.levels)
      for (const g of lvl.gates) {
        const key = gateKey(lvl.level, g.id);
        let cols = run.gateSeries.get(key);
        if (!cols) {
          cols = g.experts.map(() => new Series());
          run.gateSeries.set(key, cols);
          run.gateInfo.set(key, {
            key,
            level: lvl.level,
            label: g.label,
            experts: g.experts.map((e) => ({ label: e.label, module: e.module })),
          });
        }
        // Pad a gate that appeared late so every column lines up with gateSteps.
        cols.forEach((c, i) => {
          while (c.length < n - 1) c.push(NaN);
          const m = g.mean[i];
          c.push(finite(m) ? m : NaN);
        });
      }
  }
  if (s.taskWeights.length) run.taskWeights = s.taskWeights;
  if (s.gradCosine) {
    run.gradCosMode = s.gradCosine.mode;
    for (const p of s.gradCosine.points) {
      if (p.cos.length !== run.gradCos.length || !p.cos.every(finite)) continue;
      run.gradCosSteps.push(p.step);
      p.cos.forEach((c, i) => run.gradCos[i].push(c));
    }
  }
}

export interface LiveState {
  /** Bumped on every change; charts subscribe to it. */
  version: number;
  runs: LiveRun[];
  /** Index into runs of the run now training (or last trained). */
  current: number;
}

export const liveStore = createStore<LiveState>(() => ({ version: 0, runs: [], current: -1 }));

export function bumpLive() {
  liveStore.setState((s) => ({ version: s.version + 1 }));
}

export function currentRun(): LiveRun | null {
  const s = liveStore.getState();
  return s.runs[s.current] ?? null;
}

export function resetLive() {
  liveStore.setState((s) => ({ version: s.version + 1, runs: [], current: -1 }));
}
