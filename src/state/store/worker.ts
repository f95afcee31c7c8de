// The training worker as the page sees it: backend selection, restart after a
// crash, and its events folded into the run state, the live buffers and the results.
import { DEFAULT_CONFIG, parseExperiment, type BackendChoice } from '../../core/config/schema';
import type { ExperimentResults } from '../../core/types';
import type { WorkerEvent } from '../../worker/protocol';
import { applySnapshot, bumpLive, liveStore, newLiveRun } from '../live';
import { getClient, restartClient } from '../workerLink';
import { get, newId, set, type Phase } from './base';
import { revalidate } from './draft';
import { persistRun } from './history';
import { onTrainingSet } from './liveSettings';
import { notify } from './notices';

let listening = false;
function listen() {
  if (listening) return;
  listening = true;
  getClient().on(onEvent);
}

export function initBackend() {
  const choice = (get().draft.backend as BackendChoice) ?? 'auto';
  if (!['auto', 'webgpu', 'wasm', 'webgl', 'cpu'].includes(choice)) return;
  set((s) => ({ worker: { ...s.worker, status: s.worker.status === 'crashed' ? 'crashed' : 'starting', choice } }));
  getClient().send({ type: 'init', backend: choice });
}

export function startWorker() {
  listen();
  initBackend();
}

export function restartWorker() {
  const choice = (get().draft.backend as BackendChoice) ?? 'auto';
  listen();
  set((s) => ({
    worker: { ...s.worker, status: 'starting', choice, message: null },
    run: { ...s.run, phase: s.run.phase === 'running' || s.run.phase === 'paused' || s.run.phase === 'error' ? 'stopped' : s.run.phase, runId: null, error: null },
  }));
  // The client's restart sends 'init' for the backend itself.
  restartClient(choice);
  revalidate(false);
}

function onEvent(e: WorkerEvent) {
  const { run } = get();
  switch (e.type) {
    case 'ready':
      set((s) => ({ worker: { ...s.worker, status: 'ready', backend: e.backend, attempts: e.attempts, adapterInfo: e.adapterInfo, message: null } }));
      revalidate(false);
      return;
    case 'runStarted': {
      if (e.runId !== run.runId) return;
      // A run that starts again (a retry after a crash, a device loss) starts its charts again too.
      ensureLiveRun(e.runIndex, e.totalSteps, true);
      const current = follow(run.active, e.runIndex);
      set((s) => ({ run: { ...s.run, runIndex: current, phase: s.run.phase === 'starting' ? 'running' : s.run.phase } }));
      return;
    }
    case 'poolStatus': {
      if (e.runId !== run.runId) return;
      const current = follow(e.active, run.runIndex);
      if (current !== liveStore.getState().current) liveStore.setState((s) => ({ version: s.version + 1, current }));
      set((s) => ({ run: { ...s.run, active: e.active, workers: e.workers, runIndex: current } }));
      return;
    }
    case 'snapshot': {
      if (e.runId !== run.runId) return;
      const lr = ensureLiveRun(e.runIndex, e.totalSteps);
      applySnapshot(lr, e);
      const current = follow(run.active, e.runIndex);
      liveStore.setState((s) => ({ version: s.version + 1, current }));
      const phase: Phase | null = e.status === 'paused' ? 'paused' : e.status === 'running' ? 'running' : null;
      if (current !== run.runIndex || (phase && phase !== run.phase && (run.phase === 'starting' || run.phase === 'running' || run.phase === 'paused')))
        set((s) => ({ run: { ...s.run, runIndex: current, phase: phase ?? s.run.phase } }));
      return;
    }
    case 'runFailed': {
      if (e.runId !== run.runId) return;
      const name = run.labels[e.runIndex] ?? run.specs[e.runIndex]?.name ?? `run ${e.runIndex + 1}`;
      const lr = liveStore.getState().runs[e.runIndex];
      if (lr) {
        lr.status = 'error';
        bumpLive();
      }
      set((s) => ({ run: { ...s.run, failed: [...s.run.failed, { runIndex: e.runIndex, name, message: e.message }] } }));
      notify('error', `The run “${name}” failed: ${e.message}. It has no results; the other runs go on and keep theirs.`);
      return;
    }
    case 'diverged': {
      if (e.runId !== run.runId) return;
      const lr = liveStore.getState().runs[e.runIndex];
      if (lr) {
        lr.divergedAt = e.step;
        lr.status = 'diverged';
        bumpLive();
      }
      const name = run.labels[e.runIndex] ?? run.specs[e.runIndex]?.name ?? 'run';
      set((s) => ({
        run: {
          ...s.run,
          diverged: [...s.run.diverged, { step: e.step, message: e.message, name, runIndex: e.runIndex }],
          phase: s.run.kind === 'single' ? 'diverged' : s.run.phase,
        },
      }));
      return;
    }
    case 'runDone': {
      if (e.runId !== run.runId) return;
      set((s) => {
        const results = [...s.results];
        results[e.runIndex] = e.results;
        return { results };
      });
      const lr = liveStore.getState().runs[e.runIndex];
      if (lr) {
        lr.status = e.results.status;
        lr.step = e.results.steps;
        if (e.results.gateStats.length) lr.gates = e.results.gateStats;
        bumpLive();
      }
      return;
    }
    case 'done': {
      if (e.runId !== run.runId) return;
      const results = e.results.length ? e.results : (get().results.filter(Boolean) as ExperimentResults[]);
      const anyDiverged = results.some((r) => r.status === 'diverged');
      set((s) => ({
        // A suite's results are kept by run index (runs finish in any order on a pool; a failed run leaves a gap).
        results: s.run.kind === 'suite' && s.results.some(Boolean) ? s.results : results.length >= s.results.length ? results : s.results,
        run: { ...s.run, phase: s.run.kind === 'single' && anyDiverged ? 'diverged' : 'done' },
      }));
      revalidate(false);
      void persistRun();
      return;
    }
    case 'stopped':
      if (e.runId !== run.runId) return;
      set((s) => ({ run: { ...s.run, phase: s.run.phase === 'idle' ? 'idle' : 'stopped' } }));
      revalidate(false);
      return;
    case 'trainingSet':
      onTrainingSet(e);
      return;
    case 'exported':
      pendingExports.get(e.requestId)?.resolve(e);
      pendingExports.delete(e.requestId);
      return;
    case 'deviceLost':
      notify(
        'warn',
        `The GPU device was lost (${e.message}). Training continues on ${e.nextBackend.toUpperCase()}` +
          (e.restartFromStep > 0 ? ` from step ${e.restartFromStep}.` : ', restarted from step 0.'),
      );
      return;
    case 'error': {
      if (e.requestId) {
        // A failed export: the run goes on.
        pendingExports.get(e.requestId)?.reject(new Error(e.message));
        pendingExports.delete(e.requestId);
        return;
      }
      const crashed = !e.runId;
      set((s) => ({
        worker: crashed ? { ...s.worker, status: 'crashed', message: e.message } : s.worker,
        run:
          e.runId && e.runId !== s.run.runId
            ? s.run
            : { ...s.run, phase: s.run.phase === 'idle' ? 'idle' : 'error', error: e.message },
      }));
      revalidate(false);
      return;
    }
  }
}

/**
 * The run the live views follow when the user picks none: the one they show
 * while it trains, else the lowest-numbered run in progress (one worker: the run in progress).
 */
function follow(active: number[], fallback: number): number {
  if (active.length === 0) return fallback;
  const current = liveStore.getState().current;
  return active.includes(current) ? current : active[0];
}

export function ensureLiveRun(runIndex: number, totalSteps: number, fresh = false) {
  const live = liveStore.getState();
  let lr = live.runs[runIndex];
  if (!lr || (fresh && lr.step > 0)) {
    const { run } = get();
    const spec = run.specs[runIndex];
    const cfg = parseExperiment(spec?.config ?? {});
    const config = cfg.ok ? cfg.config : DEFAULT_CONFIG;
    lr = newLiveRun({
      runId: run.runId ?? '',
      runIndex,
      name: run.labels[runIndex] ?? spec?.name ?? `run ${runIndex + 1}`,
      model: config.model.type,
      taskTypes: config.data.tasks.map((t) => t.type),
      totalSteps,
    });
    const runs = [...live.runs];
    runs[runIndex] = lr;
    const current = live.current < 0 ? runIndex : follow(get().run.active, runIndex);
    liveStore.setState((s) => ({ runs, version: s.version + 1, current }));
  }
  return lr;
}

// ---------- export ----------

type Exported = Extract<WorkerEvent, { type: 'exported' }>;
const pendingExports = new Map<string, { resolve: (e: Exported) => void; reject: (e: Error) => void }>();

/** The model of the run the views show (a suite: the worker that trained it, if it still holds it). */
/** runIndex: which run of a suite to export (default: the run shown); a pool asks the worker that trained it. */
export function requestExport(timeoutMs = 30_000, runIndex?: number): Promise<Exported> {
  const requestId = newId();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pendingExports.delete(requestId);
      reject(new Error('the worker did not answer the export request'));
    }, timeoutMs);
    pendingExports.set(requestId, {
      resolve: (e) => {
        clearTimeout(timer);
        resolve(e);
      },
      reject: (e) => {
        clearTimeout(timer);
        reject(e);
      },
    });
    const { run, viewRun } = get();
    getClient().send({ type: 'export', requestId, ...(run.kind === 'suite' ? { runIndex: runIndex ?? viewRun ?? run.runIndex } : {}) });
  });
}
