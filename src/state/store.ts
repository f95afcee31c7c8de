// The page's state: the config draft and its validation, the run and worker
// status, finished results and the run list. Per-step data does NOT live here
// (see live.ts): this store changes on user actions and run events only.
// One Zustand store (store/base.ts); its actions are split by concern under store/.
import { loadHistory } from './store/history';
import { applyHash } from './store/draft';
import { startWorker } from './store/worker';
import { installUnloadGuard, progressText, watchRun } from './runGuard';
import { get, isBusy } from './store/base';

export { defaultPoolSize, MAX_POOL_SIZE, poolSizeFor, usePlayground, type Notice, type Phase, type PlaygroundState, type RunInfo, type WorkerInfo } from './store/base';
export { dismissNotice, notify } from './store/notices';
export {
  applyHash,
  importConfigText,
  leaveSuite,
  loadConfigObject,
  loadPreset,
  setField,
  setSeedsText,
  setTaskCount,
  setTradeoffModels,
  setTradeoffRatios,
} from './store/draft';
export { requestExport, restartWorker, startWorker } from './store/worker';
export { pause, play, reset, runAllSeeds, setPoolSize, setSpeed, stepOnce, stepSize } from './store/run';
export { clearCompare, loadHistory, lookupStored, removeHistory, retrySave, toggleCompare } from './store/history';
export { openStored } from './store/reopen';
export { setLogScale, setViewRun, setWhisker } from './store/view';

/** Boot, before the first render: URL hash and the saved-run list. */
export function boot() {
  watchRun(() => {
    const { run } = get();
    const busy = isBusy() && !run.reopened;
    const which = run.kind === 'suite' && run.specs.length > 1 ? ` (run ${run.runIndex + 1} of ${run.specs.length})` : '';
    return { busy, what: progressText(run.title || 'the run') + which };
  });
  installUnloadGuard();
  applyHash(location.hash);
  window.addEventListener('hashchange', () => applyHash(location.hash));
  void loadHistory();
}

/** After the first paint: the training worker. */
export function startWorkers() {
  startWorker();
}
