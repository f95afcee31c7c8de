// The run list: finished runs saved in IndexedDB, and the two picked for comparison.
import type { ExperimentResults } from '../../core/types';
import { deleteRun, listRuns, saveRun, type StoredRun } from '../runHistory';
import { get, set } from './base';

export async function loadHistory() {
  try {
    set({ history: await listRuns(), historyError: null });
  } catch (e) {
    set({ historyError: `The run list could not be read (${e instanceof Error ? e.message : String(e)}).` });
  }
}

/** Save the current run's finished results (after 'done'). */
export async function persistRun() {
  const { run, results } = get();
  const done = results.filter((r): r is ExperimentResults => !!r);
  if (!run.runId || done.length === 0) return;
  const labels = results.map((r, i) => (r ? (run.labels[i] ?? r.model) : null)).filter((l): l is string => l !== null);
  const stored: StoredRun = { id: run.runId, savedAt: Date.now(), title: run.title, kind: run.kind, presetId: run.presetId, labels, results: done };
  try {
    await saveRun(stored);
    await loadHistory();
  } catch (e) {
    set({ historyError: `The run could not be saved (${e instanceof Error ? e.message : String(e)}).` });
  }
}

export async function removeHistory(id: string) {
  try {
    await deleteRun(id);
    set((s) => ({ compare: s.compare.filter((k) => !k.startsWith(id + '#')) }));
    await loadHistory();
  } catch (e) {
    set({ historyError: `The run could not be deleted (${e instanceof Error ? e.message : String(e)}).` });
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
