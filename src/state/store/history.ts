// The run list: finished runs saved in IndexedDB (runHistory.ts), the two
// picked for comparison, and a run that could not be saved (kept for a retry).
import type { ExperimentResults } from '../../core/types';
import { liveStore, type LiveRun } from '../live';
import { deleteRun, listRuns, saveRun, storageError, type StoredRun, type StoredTimeline } from '../runHistory';
import { get, set } from './base';
import { notify } from './notices';

/** A finished run whose save failed (full storage): kept in memory so "Save again" can retry. */
let unsaved: StoredRun | null = null;
export const hasUnsaved = () => unsaved !== null;

export async function loadHistory() {
  try {
    set({ history: await listRuns(), historyError: null });
  } catch (e) {
    set({ historyError: storageError(e, 'reading the saved runs').message });
  }
}

/** A live run's gate timeline as plain arrays (what a re-opened run draws). */
export function timelineOf(lr: LiveRun | undefined): StoredTimeline | null {
  if (!lr || lr.gateSteps.length === 0) return null;
  const n = lr.gateSteps.length;
  return {
    steps: Array.from(lr.gateSteps.data.subarray(0, n)),
    gates: [...lr.gateSeries.entries()].map(([key, cols]) => {
      const info = lr.gateInfo.get(key)!;
      return { key, level: info.level, label: info.label, experts: info.experts, cols: cols.map((c) => Array.from(c.data.subarray(0, c.length))) };
    }),
  };
}

/** Save the current run's finished results (after 'done'): every run of a suite, with its timeline. */
export async function persistRun() {
  const { run, results } = get();
  if (!run.runId || run.reopened) return;
  const live = liveStore.getState().runs;
  const done: ExperimentResults[] = [];
  const labels: string[] = [];
  const timelines: (StoredTimeline | null)[] = [];
  results.forEach((r, i) => {
    if (!r) return;
    done.push(r);
    labels.push(run.labels[i] ?? r.model);
    timelines.push(timelineOf(live[i]));
  });
  if (done.length === 0) return;
  const stored: StoredRun = { id: run.runId, savedAt: Date.now(), title: run.title, kind: run.kind, presetId: run.presetId, labels, results: done, timelines, planned: run.specs.length };
  await save(stored);
}

async function save(stored: StoredRun) {
  try {
    await saveRun(stored);
    unsaved = null;
    set({ historyError: null, unsavedTitle: null });
    await loadHistory();
  } catch (e) {
    const err = storageError(e, `saving "${stored.title}"`);
    // The charts still show it, and "Save again" retries once space is freed.
    unsaved = stored;
    set({ historyError: err.message, unsavedTitle: stored.title });
    notify('error', err.message);
  }
}

/** Retry the save that failed (after deleting old runs). */
export async function retrySave() {
  if (unsaved) await save(unsaved);
}

export async function removeHistory(id: string) {
  try {
    await deleteRun(id);
    set((s) => ({ compare: s.compare.filter((k) => !k.startsWith(id + '#')) }));
    await loadHistory();
  } catch (e) {
    set({ historyError: storageError(e, 'deleting the saved run').message });
  }
}

export function toggleCompare(key: string) {
  set((s) => {
    if (s.compare.includes(key)) return { compare: s.compare.filter((k) => k !== key) };
    return { compare: [...s.compare, key].slice(-2) };
  });
}

export function clearCompare() {
  set({ compare: [] });
}

export function lookupStored(key: string): { stored: StoredRun; result: ExperimentResults; label: string } | null {
  const [id, idx] = key.split('#');
  const stored = get().history.find((h) => h.id === id);
  const result = stored?.results[Number(idx)];
  if (!stored || !result) return null;
  return { stored, result, label: stored.labels[Number(idx)] ?? result.model };
}
