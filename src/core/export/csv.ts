// CSV exports: training curves of one run, and the final table of a suite.
// Plain RFC 4180: comma separated, header row, "\n" line ends, empty cell for
// "not measured at this step", numbers at full precision.
import type { SuiteSummary } from '../config/suite';
import type { ExperimentResults, TaskMetrics } from '../types';

type Cell = string | number | null | undefined;

function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/** Validation metric columns of a task: loss, then MSE or AUC + log-loss. */
function valMetricKeys(type: TaskMetrics['type']): ('loss' | 'mse' | 'auc' | 'logloss')[] {
  return type === 'binary' ? ['loss', 'auc', 'logloss'] : ['loss', 'mse'];
}

/**
 * One row per step that has a training-loss readback or a validation point:
 * `step, loss, task1_train_loss.., task1_val_loss, task1_val_mse | task1_val_auc, task1_val_logloss, ..`.
 * Tasks are numbered from 1 in column names.
 */
export function curvesToCsv(results: ExperimentResults): string {
  const tasks = results.config.data.tasks;
  const K = tasks.length;
  const header = ['step', 'loss'];
  for (let k = 0; k < K; k++) header.push(`task${k + 1}_train_loss`);
  const valCols: { k: number; key: 'loss' | 'mse' | 'auc' | 'logloss' }[] = [];
  for (let k = 0; k < K; k++)
    for (const key of valMetricKeys(tasks[k].type)) {
      header.push(`task${k + 1}_val_${key}`);
      valCols.push({ k, key });
    }
  const byStep = new Map<number, Cell[]>();
  const row = (step: number): Cell[] => {
    let r = byStep.get(step);
    if (!r) {
      r = new Array<Cell>(header.length).fill(null);
      r[0] = step;
      byStep.set(step, r);
    }
    return r;
  };
  for (const p of results.train) {
    const r = row(p.step);
    r[1] = p.loss;
    for (let k = 0; k < K; k++) r[2 + k] = p.taskLoss[k];
  }
  for (const e of results.val) {
    if (e.split !== 'val') continue;
    const r = row(e.step);
    valCols.forEach(({ k, key }, i) => {
      const m = e.metrics.find((mm) => mm.task === k);
      r[2 + K + i] = m?.[key];
    });
  }
  const rows = [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  return toCsv(header, rows);
}

/**
 * One row per run of a suite: identity, status, per-task test metric and MTL
 * gain, per-level gate L1 distance and entropy. Columns are the union over runs.
 */
export function summaryToCsv(summary: SuiteSummary): string {
  const K = Math.max(0, ...summary.runs.map((r) => r.tasks.length));
  const levels = Math.max(0, ...summary.runs.map((r) => r.gates.length));
  const metricOf: ('mse' | 'auc')[] = Array.from({ length: K }, (_, k) => summary.runs.find((r) => r.tasks[k])!.tasks[k].metric);
  const header = ['name', 'variant', 'model', 'seed', 'correlation', 'status', 'steps', 'wall_s'];
  for (let k = 0; k < K; k++) {
    header.push(`task${k + 1}_test_${metricOf[k]}`);
    if (metricOf[k] === 'auc') header.push(`task${k + 1}_test_logloss`);
    header.push(`task${k + 1}_mtl_gain`);
  }
  for (let l = 0; l < levels; l++) header.push(`level${l + 1}_task_gate_l1`, `level${l + 1}_task_gate_entropy`);
  // Appended (earlier columns keep their places): size, selected step, baseline, fair gate distance.
  header.push('params', 'best_step', 'baseline', 'weight_ratio');
  for (let l = 0; l < levels; l++) header.push(`level${l + 1}_shared_task_gate_l1`);
  const rows = summary.runs.map((r) => {
    const out: Cell[] = [
      r.name,
      r.variant,
      r.model,
      r.seed,
      typeof r.correlation === 'number' ? r.correlation : JSON.stringify(r.correlation),
      r.status,
      r.steps,
      r.wallSeconds,
    ];
    for (let k = 0; k < K; k++) {
      const t = r.tasks[k];
      out.push(t?.value);
      if (metricOf[k] === 'auc') out.push(t?.logloss);
      out.push(t?.mtlGain);
    }
    for (let l = 0; l < levels; l++) out.push(r.gates[l]?.taskGateL1, r.gates[l]?.meanTaskEntropy);
    out.push(r.params, r.bestStep, r.baseline?.name ?? null, r.weightRatio);
    for (let l = 0; l < levels; l++) out.push(r.gates[l]?.sharedTaskGateL1);
    return out;
  });
  return toCsv(header, rows);
}
