// Finished runs kept across reloads, in IndexedDB (raw API, no dependency).
import type { ExperimentResults } from '../core/types';

export interface StoredRun {
  id: string;
  savedAt: number;
  title: string;
  kind: 'single' | 'suite';
  presetId: string | null;
  /** Display labels, one per result. */
  labels: string[];
  results: ExperimentResults[];
}

const DB = 'ple-playground';
const STORE = 'runs';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('could not open IndexedDB'));
  });
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(req.result);
      t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
      t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

export async function listRuns(): Promise<StoredRun[]> {
  const all = await tx<StoredRun[]>('readonly', (s) => s.getAll() as IDBRequest<StoredRun[]>);
  return all.sort((a, b) => b.savedAt - a.savedAt);
}

export async function saveRun(run: StoredRun): Promise<void> {
  await tx('readwrite', (s) => s.put(run));
}

export async function deleteRun(id: string): Promise<void> {
  await tx('readwrite', (s) => s.delete(id));
}
