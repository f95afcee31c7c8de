// Finished runs kept across reloads, in IndexedDB through `idb` (a small,
// well-kept promise wrapper). A record holds everything the charts need to
// re-open the run or suite without retraining: every run's results (curves,
// validation, gate statistics, gradient cosines) and its gate timeline.
// Failures come back as StorageError with a sentence a person reads; a failed
// write aborts its own transaction only, so nothing already saved is lost.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ExperimentResults } from '../core/types';

/** The gate timeline of one run (live.ts's gateSteps/gateSeries as plain arrays). */
export interface StoredTimeline {
  steps: number[];
  gates: { key: string; level: number; label: string; experts: { label: string; module: string }[]; cols: number[][] }[];
}

export interface StoredRun {
  id: string;
  savedAt: number;
  title: string;
  kind: 'single' | 'suite';
  presetId: string | null;
  /** Display labels, one per result. */
  labels: string[];
  results: ExperimentResults[];
  /** Gate timelines, parallel to results (absent in records saved before issue 13). */
  timelines?: (StoredTimeline | null)[];
  /** Runs the suite planned (finished or not), for the record's title line. */
  planned?: number;
}

interface RunsDb extends DBSchema {
  runs: { key: string; value: StoredRun; indexes: { savedAt: number } };
}

const DB = 'ple-playground';
/** v1: the runs store (raw IndexedDB); v2: a savedAt index, whole suites with timelines. */
export const DB_VERSION = 2;
const STORE = 'runs';
const OPEN_TIMEOUT_MS = 4000;

export class StorageError extends Error {
  constructor(
    message: string,
    readonly reason: 'quota' | 'blocked' | 'unavailable' | 'failed',
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** A storage failure in words: what happened, what was kept, what to do. */
export function storageError(e: unknown, doing: string): StorageError {
  if (e instanceof StorageError) return e;
  const name = e instanceof DOMException || e instanceof Error ? e.name : '';
  const detail = e instanceof Error ? e.message : String(e);
  if (name === 'QuotaExceededError' || /quota/i.test(detail))
    return new StorageError(
      `The browser's storage for this page is full, so ${doing} did not happen. The runs saved before are kept. Delete saved runs you no longer need (export them first if you want them), then try again.`,
      'quota',
    );
  if (name === 'VersionError')
    return new StorageError(`A newer version of the playground (in another tab) upgraded the saved runs, so ${doing} did not happen here. Reload this page; nothing saved was lost.`, 'blocked');
  if (name === 'InvalidStateError' || name === 'UnknownError' || name === 'SecurityError' || typeof indexedDB === 'undefined')
    return new StorageError(`This browser does not let the page use its storage (${detail || name || 'IndexedDB is unavailable'}), so ${doing} did not happen. Private windows often block it.`, 'unavailable');
  return new StorageError(`${doing[0].toUpperCase()}${doing.slice(1)} failed (${detail || name}). The runs saved before are kept.`, 'failed');
}

let dbPromise: Promise<IDBPDatabase<RunsDb>> | null = null;

function db(): Promise<IDBPDatabase<RunsDb>> {
  if (dbPromise) return dbPromise;
  const p = new Promise<IDBPDatabase<RunsDb>>((resolve, reject) => {
    let settled = false;
    const blockedError = () =>
      new StorageError(
        'Another tab of the PLE Playground holds the saved runs open with an older version: close that tab and reload this one. Nothing saved was lost.',
        'blocked',
      );
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      reject(blockedError());
    }, OPEN_TIMEOUT_MS);
    openDB<RunsDb>(DB, DB_VERSION, {
      upgrade(database, oldVersion, _newVersion, tx) {
        const store = oldVersion < 1 ? database.createObjectStore(STORE, { keyPath: 'id' }) : tx.objectStore(STORE);
        if (!store.indexNames.contains('savedAt')) store.createIndex('savedAt', 'savedAt');
      },
      blocked() {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(blockedError());
      },
      blocking() {
        // A newer tab wants to upgrade: step aside (this tab reopens on its next use).
        void p.then((d) => d.close());
        dbPromise = null;
      },
      terminated() {
        dbPromise = null;
      },
    }).then(
      (d) => {
        clearTimeout(timer);
        if (settled) return d.close();
        settled = true;
        resolve(d);
      },
      (e) => {
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        reject(e);
      },
    );
  });
  dbPromise = p;
  p.catch(() => {
    if (dbPromise === p) dbPromise = null; // try again on the next call
  });
  return p;
}

export async function listRuns(): Promise<StoredRun[]> {
  try {
    const all = await (await db()).getAll(STORE);
    return all.sort((a, b) => b.savedAt - a.savedAt);
  } catch (e) {
    throw storageError(e, 'reading the saved runs');
  }
}

export async function saveRun(run: StoredRun): Promise<void> {
  try {
    const d = await db();
    const tx = d.transaction(STORE, 'readwrite');
    await Promise.all([tx.store.put(run), tx.done]);
  } catch (e) {
    throw storageError(e, `saving "${run.title}"`);
  }
}

export async function deleteRun(id: string): Promise<void> {
  try {
    const d = await db();
    const tx = d.transaction(STORE, 'readwrite');
    await Promise.all([tx.store.delete(id), tx.done]);
  } catch (e) {
    throw storageError(e, 'deleting the saved run');
  }
}

/** Tests: forget the open connection (after swapping the IndexedDB factory). */
export async function closeRunsDb(): Promise<void> {
  const p = dbPromise;
  dbPromise = null;
  if (p) (await p.catch(() => null))?.close();
}
