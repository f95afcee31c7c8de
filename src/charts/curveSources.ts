// Training/validation curves in one shape, from a live run or a saved result.
import type { TaskType } from '../core/config/schema';
import type { ExperimentResults, TaskMetrics } from '../core/types';
import { liveStore, type LiveRun } from '../state/live';
import { bestStepMarks } from '../state/resultsText';
import { usePlayground } from '../state/store';
import { comparedResults } from './panels';

export interface CurveSource {
  key: string;
  label: string;
  K: number;
  taskNames: string[];
  taskTypes: TaskType[];
  n: number;
  step: ArrayLike<number>;
  joint: ArrayLike<number>;
  task: ArrayLike<number>[];
  val: { step: number; metrics: TaskMetrics[] }[];
  totalSteps: number;
  divergedAt: number | null;
  /**
   * The step(s) the run's test numbers come from (best validation), once it
   * has finished with selection on: one for the joint panel (null when the
   * tasks were selected apart, as single-task baselines are) and one per task.
   */
  best: { joint: number | null; task: (number | null)[] } | null;
  /** Changes whenever the data changes (for redraw checks). */
  stamp: string;
}

function fromLive(r: LiveRun, names: string[], done: ExperimentResults | null): CurveSource {
  const n = r.curveStep.length;
  const best = done ? bestStepMarks(done, r.K) : null;
  return {
    key: `live${r.runIndex}`,
    label: r.name,
    K: r.K,
    taskNames: names,
    taskTypes: r.taskTypes,
    n,
    step: r.curveStep.data.subarray(0, n),
    joint: r.curveJoint.data.subarray(0, n),
    task: r.curveTask.map((s) => s.data.subarray(0, n)),
    val: r.val,
    totalSteps: r.totalSteps,
    divergedAt: r.divergedAt,
    best,
    stamp: `${r.runId}:${r.runIndex}:${n}:${r.val.length}:${r.totalSteps}:${JSON.stringify(best)}`,
  };
}

function fromResults(key: string, label: string, r: ExperimentResults): CurveSource {
  const pts = r.train.filter((p) => Number.isFinite(p.loss) && p.taskLoss.every(Number.isFinite));
  const K = r.config.data.tasks.length;
  return {
    key,
    label,
    K,
    taskNames: r.config.data.tasks.map((t, k) => t.name ?? `Task ${k + 1}`),
    taskTypes: r.config.data.tasks.map((t) => t.type),
    n: pts.length,
    step: pts.map((p) => p.step),
    joint: pts.map((p) => p.loss),
    task: Array.from({ length: K }, (_, k) => pts.map((p) => p.taskLoss[k])),
    val: r.val.filter((v) => v.split === 'val').map((v) => ({ step: v.step, metrics: v.metrics })),
    totalSteps: r.config.train.steps,
    divergedAt: r.divergedAtStep ?? null,
    best: bestStepMarks(r, K),
    stamp: `${key}:${pts.length}:${r.bestStep}`,
  };
}

/** Runs the curve charts show: the two compared runs, or the viewed run of the current session. */
export function curveSources(): CurveSource[] {
  const compared = comparedResults();
  if (compared.length === 2) return compared.map((c) => fromResults(c.key, c.label, c.result));
  const { viewRun, run, parsed, results } = usePlayground.getState();
  const live = liveStore.getState();
  const idx = viewRun ?? live.current;
  const lr = live.runs[idx];
  const spec = run.specs[idx];
  const names = (spec?.config.data?.tasks ?? (parsed.ok ? parsed.config.data.tasks : [])).map((t, k) => t?.name ?? `Task ${k + 1}`);
  if (lr) return [fromLive(lr, names, results[idx] ?? null)];
  const r = results[idx];
  if (r) return [fromResults(`res${idx}`, run.labels[idx] ?? r.model, r)];
  return [];
}

/** Keep at most ~2 points per pixel: min and max per bucket, so spikes survive. */
export function downsample(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number, buckets: number, keep: (y: number) => boolean = Number.isFinite): [number, number][] {
  const out: [number, number][] = [];
  if (n <= buckets * 2) {
    for (let i = 0; i < n; i++) if (keep(ys[i])) out.push([xs[i], ys[i]]);
    return out;
  }
  const per = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const s = Math.floor(b * per);
    const e = Math.min(n, Math.floor((b + 1) * per));
    let lo = -1;
    let hi = -1;
    for (let i = s; i < e; i++) {
      if (!keep(ys[i])) continue;
      if (lo < 0 || ys[i] < ys[lo]) lo = i;
      if (hi < 0 || ys[i] > ys[hi]) hi = i;
    }
    if (lo < 0) continue;
    const [a, c] = lo < hi ? [lo, hi] : [hi, lo];
    out.push([xs[a], ys[a]]);
    if (c !== a) out.push([xs[c], ys[c]]);
  }
  return out;
}
