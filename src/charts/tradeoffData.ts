// The trade-off chart's data: finished results grouped into curves, one per
// model, with a point per task-weight ratio r = ω_A / (ω_A + ω_B) (the mean
// MTL gains over seeds) and the per-seed gains. Pure: no store, no DOM.
import { computeMtlGains, weightRatio } from '../core/config/suite';
import { MODEL_LABELS, type ModelType } from '../core/config/schema';
import type { ExperimentResults } from '../core/types';
import { baselineNames, stripSeed } from '../state/resultsText';
import type { TradeoffFigure, TradeoffSeries } from './svg/tradeoff';

export interface TradeoffData extends TradeoffFigure {
  /** Series with points at 2 or more ratios (a curve, not a lone point). */
  curves: number;
  /** The single-task run(s) at the origin, "Single-task (4,290 params)", or null. */
  baseline: string | null;
  hasBaseline: boolean;
}

/** "MMoE ω_A=0.20 · seed 2" → "MMoE": the model's name without its ratio or seed. */
export const stripRatio = (label: string) =>
  stripSeed(label)
    .replace(/\s*ω_A\s*=\s*[\d.]+/u, '')
    .trim();

/** What makes two runs the same model at another weighting: everything but the weighting and the seeds. */
function curveKey(r: ExperimentResults): string {
  const { seed: _s, ...data } = r.config.data as unknown as Record<string, unknown>;
  const { weighting: _w, initSeed: _i, batchSeed: _b, ...train } = r.config.train as unknown as Record<string, unknown>;
  return JSON.stringify([r.model, r.config.model, data, train]);
}

const ratioKey = (r: number) => r.toFixed(6);

/**
 * Curves from finished results (labels parallel to results): runs of a model
 * that shares something, with a fixed or PLE-decay weighting (learned ones
 * have no ratio) and finite gains on the first two tasks against a
 * single-task run of the same data and seeds. Null without two tasks.
 */
export function tradeoffFrom(results: ExperimentResults[], labels: string[], source?: string): TradeoffData | null {
  const first = results[0];
  if (!first || first.config.data.tasks.length < 2) return null;
  const gains = computeMtlGains(results);
  const names = baselineNames(results, labels);
  const groups = new Map<string, { label: string; model: ModelType; params: number | null; byRatio: Map<string, { ratio: number; seeds: [number, number][] }> }>();
  const usedBaselines = new Set<string>();
  results.forEach((r, i) => {
    if (r.model === 'single-task') return;
    const ratio = weightRatio(r.config);
    const g = r.mtlGain ?? gains[i];
    if (ratio === null || !g || g.length < 2) return;
    const [a, b] = g;
    if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b)) return;
    const key = curveKey(r);
    let grp = groups.get(key);
    if (!grp) {
      grp = { label: stripRatio(labels[i] ?? MODEL_LABELS[r.model]) || MODEL_LABELS[r.model], model: r.model, params: typeof r.params === 'number' ? r.params : null, byRatio: new Map() };
      groups.set(key, grp);
    }
    const rk = ratioKey(ratio);
    const pt = grp.byRatio.get(rk) ?? { ratio, seeds: [] };
    pt.seeds.push([a, b]);
    grp.byRatio.set(rk, pt);
    if (names[i]) usedBaselines.add(names[i]!);
  });
  // Two groups with the same name (e.g. the same model at two sizes): number them.
  const count = new Map<string, number>();
  for (const g of groups.values()) count.set(g.label, (count.get(g.label) ?? 0) + 1);
  const seen = new Map<string, number>();
  const series: TradeoffSeries[] = [...groups.values()].map((g) => {
    const n = (seen.get(g.label) ?? 0) + 1;
    seen.set(g.label, n);
    const label = (count.get(g.label) ?? 0) > 1 ? `${g.label} (${n})` : g.label;
    const points = [...g.byRatio.values()]
      .sort((p, q) => p.ratio - q.ratio)
      .map((p) => ({
        ratio: p.ratio,
        mean: [p.seeds.reduce((s, x) => s + x[0], 0) / p.seeds.length, p.seeds.reduce((s, x) => s + x[1], 0) / p.seeds.length] as [number, number],
        seeds: p.seeds,
      }));
    return { label, model: g.model, params: g.params, points };
  });
  const tasks = first.config.data.tasks;
  return {
    series,
    curves: series.filter((s) => s.points.length >= 2).length,
    taskNames: [tasks[0].name ?? 'Task 1', tasks[1].name ?? 'Task 2'],
    taskTypes: [tasks[0].type, tasks[1].type],
    ...(source !== undefined ? { source } : {}),
    baseline: usedBaselines.size ? [...usedBaselines].join('; ') : null,
    hasBaseline: results.some((r) => r.model === 'single-task'),
  };
}

/** Whether a list of results holds a trade-off curve: the same model at 2 or more weight ratios. */
export function hasTradeoffCurve(results: (ExperimentResults | null)[], labels: string[]): boolean {
  const done = results.map((r, i) => [r, labels[i] ?? ''] as const).filter((x): x is readonly [ExperimentResults, string] => !!x[0]);
  if (done.length < 3) return false;
  const d = tradeoffFrom(
    done.map((x) => x[0]),
    done.map((x) => x[1]),
  );
  return !!d && d.curves > 0;
}
