// Nothing lost without asking: an action that would end a run in progress asks
// first (a real confirm dialog), and leaving the page mid-run gets the
// browser's "leave site?" prompt. Pure of the store's internals: it reads the
// run's phase and progress through the callbacks boot() gives it.
import { currentRun } from './live';

type Confirmer = (message: string) => boolean;

let confirmer: Confirmer = (message) => (typeof window !== 'undefined' && typeof window.confirm === 'function' ? window.confirm(message) : true);
let activeRun: () => { busy: boolean; what: string } = () => ({ busy: false, what: '' });

/** Tests (and only tests) swap the dialog for a function. */
export function setConfirmer(fn: Confirmer) {
  confirmer = fn;
}

/** Tell the guard how to read the run (store/base.ts provides it at boot). */
export function watchRun(fn: () => { busy: boolean; what: string }) {
  activeRun = fn;
}

/** Whether a run would be lost (started, not finished) — "step 240 of 2000 of PLE". */
export function runAtRisk(): string | null {
  const r = activeRun();
  return r.busy ? r.what : null;
}

/**
 * Ask before `action` ends the run in progress; true when there is none or the
 * person agreed. `action` is what the button does, in words ("Loading the preset").
 */
export function confirmDiscard(action: string): boolean {
  const what = runAtRisk();
  if (!what) return true;
  return confirmer(`${action} stops the run in progress (${what}) and clears its charts. Continue?`);
}

let installed = false;
/** The browser's own "leave this page?" prompt while a run is in progress. */
export function installUnloadGuard() {
  if (installed || typeof window === 'undefined') return;
  installed = true;
  window.addEventListener('beforeunload', (e) => {
    if (!runAtRisk()) return;
    e.preventDefault();
    // Older browsers read returnValue; the text itself is the browser's.
    e.returnValue = '';
  });
}

/** Progress of the live run in words, for the dialog. */
export function progressText(title: string): string {
  const lr = currentRun();
  return lr ? `${title}: step ${lr.step} of ${lr.totalSteps}` : title;
}
