// Collects what happened since the last snapshot and packs it into one
// message: curve points as typed arrays (transferred, not copied), the latest
// validation metrics and gate statistics.
import type { CurvePoint, EvalPoint, GradCosinePoint, LevelGateStats, RunStatus } from '../core/types';
import { MAX_SNAPSHOTS_PER_SEC, type Snapshot } from './protocol';

export const MIN_SNAPSHOT_INTERVAL_MS = 1000 / MAX_SNAPSHOTS_PER_SEC;

export interface SnapshotState {
  runId: string;
  runIndex: number;
  status: RunStatus;
  step: number;
  totalSteps: number;
  stepsPerSec: number;
  taskWeights: number[];
}

export class SnapshotBuffer {
  private curve: CurvePoint[] = [];
  private val: EvalPoint | null = null;
  private gates: { step: number; levels: LevelGateStats[] } | null = null;
  private gradCos: { mode: 'on' | 'off' | 'none'; points: { step: number; cos: number[] }[] } | null = null;
  lastSentAt = -Infinity;

  addCurve(points: CurvePoint[]): void {
    for (const p of points) this.curve.push(p);
  }
  setVal(v: EvalPoint | null): void {
    if (v) this.val = v;
  }
  setGates(step: number, levels: LevelGateStats[]): void {
    this.gates = { step, levels };
  }
  /** Gradient-conflict probe points (only the cosines travel: a few numbers each). */
  addGradCosine(mode: 'on' | 'off' | 'none', points: GradCosinePoint[]): void {
    if (!this.gradCos || this.gradCos.mode !== mode) this.gradCos = { mode, points: this.gradCos?.points ?? [] };
    for (const p of points) this.gradCos.points.push({ step: p.step, cos: p.pairs.map((q) => q.cos) });
  }
  clear(): void {
    this.curve = [];
    this.val = null;
    this.gates = null;
    this.gradCos = null;
  }

  /** Whether the rate cap allows a snapshot at time `t` (ms). */
  canSend(t: number): boolean {
    return t - this.lastSentAt >= MIN_SNAPSHOT_INTERVAL_MS;
  }

  /** Build the message and its transfer list, and empty the buffer. */
  take(state: SnapshotState, t: number): { msg: Snapshot; transfer: Transferable[] } {
    const curve = this.curve;
    const cols = 1 + (curve[0]?.taskLoss.length ?? 0);
    const curveSteps = new Int32Array(curve.length);
    const curveLoss = new Float32Array(curve.length * cols);
    curve.forEach((p, i) => {
      curveSteps[i] = p.step;
      curveLoss[i * cols] = p.loss;
      for (let k = 0; k < cols - 1; k++) curveLoss[i * cols + 1 + k] = p.taskLoss[k];
    });
    const msg: Snapshot = {
      type: 'snapshot',
      ...state,
      curveSteps,
      curveLoss,
      val: this.val ? { step: this.val.step, metrics: this.val.metrics } : null,
      gates: this.gates,
      ...(this.gradCos ? { gradCosine: this.gradCos } : {}),
    };
    this.clear();
    this.lastSentAt = t;
    // Our own freshly allocated buffers: safe to transfer.
    return { msg, transfer: [curveSteps.buffer, curveLoss.buffer] };
  }
}

/** Steps per second over a sliding window of recent progress. */
export class RateMeter {
  private samples: { t: number; step: number }[] = [];
  constructor(private readonly windowMs = 2000) {}

  reset(): void {
    this.samples = [];
  }
  add(t: number, step: number): void {
    this.samples.push({ t, step });
    while (this.samples.length > 2 && t - this.samples[0].t > this.windowMs) this.samples.shift();
  }
  get rate(): number {
    const s = this.samples;
    if (s.length < 2) return 0;
    const dt = s[s.length - 1].t - s[0].t;
    return dt > 0 ? ((s[s.length - 1].step - s[0].step) * 1000) / dt : 0;
  }
}
