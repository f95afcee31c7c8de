// Re-open a saved run or suite: its results go into the same state the charts
// read after a live run (store results + live buffers), so every chart —
// curves, gate statistics, timeline, seesaw, sweep, gradient conflict — draws
// again without retraining, and the run picker works across the suite's runs.
import type { BackendChoice } from '../../core/config/schema';
import type { ExperimentResults } from '../../core/types';
import { gateKey, liveStore, newLiveRun, Series, type LiveRun } from '../live';
import { confirmDiscard } from '../runGuard';
import type { StoredTimeline } from '../runHistory';
import { suitePreset } from '../suiteSetup';
import { emptyRun, get, isBusy, set } from './base';
import { revalidate } from './draft';
import { notify } from './notices';
import { clearRun, stopRun } from './run';

/** A live run rebuilt from saved results (and the saved gate timeline, where there is one). */
export function liveFromResults(r: ExperimentResults, runIndex: number, runId: string, name: string, timeline: StoredTimeline | null | undefined): LiveRun {
  const lr = newLiveRun({ runId, runIndex, name, model: r.model, taskTypes: r.config.data.tasks.map((t) => t.type), totalSteps: r.config.train.steps });
  lr.status = r.status;
  lr.step = r.steps;
  lr.divergedAt = r.divergedAtStep ?? null;
  for (const p of r.train) {
    if (!Number.isFinite(p.loss) || !p.taskLoss.every(Number.isFinite)) continue;
    lr.curveStep.push(p.step);
    lr.curveJoint.push(p.loss);
    p.taskLoss.forEach((v, k) => lr.curveTask[k]?.push(v));
  }
  lr.val = r.val.map((v) => ({ step: v.step, metrics: v.metrics }));
  lr.gates = r.gateStats.length ? r.gateStats : null;
  lr.gatesStep = r.gateStats.length ? (r.bestStep ?? r.steps) : -1;
  if (timeline?.steps.length) {
    for (const s of timeline.steps) lr.gateSteps.push(s);
    for (const g of timeline.gates) {
      lr.gateInfo.set(g.key, { key: g.key, level: g.level, label: g.label, experts: g.experts });
      lr.gateSeries.set(
        g.key,
        g.cols.map((col) => {
          const series = new Series();
          for (const v of col) series.push(v === null ? NaN : v);
          return series;
        }),
      );
    }
  } else if (r.gateStats.length) {
    // Saved before timelines were kept: one point, the final gates.
    lr.gateSteps.push(lr.gatesStep);
    for (const lvl of r.gateStats)
      for (const g of lvl.gates) {
        const key = gateKey(lvl.level, g.id);
        lr.gateInfo.set(key, { key, level: lvl.level, label: g.label, experts: g.experts.map((e) => ({ label: e.label, module: e.module })) });
        lr.gateSeries.set(
          key,
          g.mean.map((m) => {
            const series = new Series();
            series.push(m);
            return series;
          }),
        );
      }
  }
  lr.taskWeights = r.taskWeights;
  const cos = r.gradientCosine ?? [];
  lr.gradCosMode = cos.length ? 'on' : r.config.train.gradCosineEvery > 0 ? (r.gradientConflict?.length ? 'on' : 'none') : 'off';
  for (const p of cos) {
    if (p.pairs.length !== lr.gradCos.length || !p.pairs.every((q) => Number.isFinite(q.cos))) continue;
    lr.gradCosSteps.push(p.step);
    p.pairs.forEach((q, i) => lr.gradCos[i].push(q.cos));
  }
  return lr;
}

/** Open the saved run `id` with all its charts; asks first when a run is in progress. */
export function openStored(id: string): boolean {
  const stored = get().history.find((h) => h.id === id);
  if (!stored || stored.results.length === 0) {
    notify('error', 'That saved run is no longer in the list (deleted in another tab?).');
    return false;
  }
  if (!confirmDiscard(`Opening the saved run "${stored.title}"`)) return false;
  if (isBusy()) stopRun();
  const specs = stored.results.map((r) => ({ name: r.name ?? r.model, seed: r.seeds.data, config: r.config }));
  const preset = stored.kind === 'suite' ? suitePreset(stored.presetId) : null;
  const seeds = [...new Set(specs.map((s) => s.seed))];
  // The backend is a property of this machine, not of the experiment: keep it.
  const backend = (get().draft.backend as BackendChoice) ?? 'auto';
  const last = specs.length - 1;
  set({
    suiteId: preset ? preset.id : null,
    presetId: stored.presetId,
    seedsText: preset ? seeds.join(', ') : get().seedsText,
    draft: { ...(structuredClone(specs[last].config) as unknown as Record<string, unknown>), backend },
  });
  clearRun();
  const runId = `saved:${stored.id}`;
  const labels = stored.results.map((r, i) => stored.labels[i] ?? r.model);
  set({
    run: { ...emptyRun(), runId, kind: stored.kind, title: stored.title, presetId: stored.presetId, specs, labels, runIndex: last, phase: 'done', reopened: true },
    results: [...stored.results],
    viewRun: null,
  });
  const runs = stored.results.map((r, i) => liveFromResults(r, i, runId, labels[i], stored.timelines?.[i]));
  liveStore.setState((s) => ({ version: s.version + 1, runs, current: last }));
  revalidate(true);
  const n = stored.results.length;
  const planned = stored.planned && stored.planned > n ? ` of the ${stored.planned} it planned` : '';
  notify('info', `Re-opened "${stored.title}" (${n} run${n === 1 ? '' : 's'}${planned}) from the saved runs: the charts are drawn from what was saved, nothing was retrained.`);
  return true;
}
