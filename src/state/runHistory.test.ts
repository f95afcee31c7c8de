// Run storage through idb on fake-indexeddb: whole suites round-trip, and a full
// quota or a blocked database gives a sentence in words and loses nothing saved.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config/schema';
import type { ExperimentResults } from '../core/types';
import { closeRunsDb, deleteRun, listRuns, saveRun, StorageError, type StoredRun } from './runHistory';

const result = (model: ExperimentResults['model'], steps: number): ExperimentResults => ({
  version: 1,
  model,
  config: { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, type: model } },
  backend: 'wasm',
  seeds: { data: 1, init: 2, batch: 3 },
  status: 'done',
  steps,
  wallSeconds: 1,
  train: [{ step: 1, loss: 2, taskLoss: [1, 1] }, { step: steps, loss: 1, taskLoss: [0.5, 0.5] }],
  val: [],
  test: null,
  gateStats: [],
  taskWeights: [1, 1],
  data: { requested: 0.5, weightCosine: [], labelCorrelation: [], observedFraction: [], positiveRate: [] } as unknown as ExperimentResults['data'],
});

const run = (id: string, savedAt: number): StoredRun => ({
  id,
  savedAt,
  title: `suite ${id}`,
  kind: 'suite',
  presetId: 'mmoe-vs-cgc',
  labels: ['MMoE', 'CGC'],
  results: [result('mmoe', 50), result('cgc', 50)],
  timelines: [{ steps: [10, 20], gates: [{ key: 'L0:g0', level: 0, label: 'Task 1', experts: [{ label: 'S0', module: 'shared' }], cols: [[0.4, NaN]] }] }, null],
  planned: 2,
});

beforeEach(async () => {
  await closeRunsDb();
  globalThis.indexedDB = new IDBFactory();
});
afterEach(async () => {
  await closeRunsDb();
});

describe('saved runs (idb)', () => {
  it('keeps whole suites with their timelines, newest first; deletes one', async () => {
    await saveRun(run('a', 1));
    await saveRun(run('b', 2));
    const all = await listRuns();
    expect(all.map((r) => r.id)).toEqual(['b', 'a']);
    expect(all[0].results.map((r) => r.model)).toEqual(['mmoe', 'cgc']);
    expect(all[0].timelines?.[0]?.gates[0].cols).toEqual([[0.4, NaN]]);
    await deleteRun('b');
    expect((await listRuns()).map((r) => r.id)).toEqual(['a']);
  });

  it('a full quota says so in words, and the runs saved before are kept', async () => {
    await saveRun(run('kept', 1));
    const store = (globalThis as unknown as { IDBObjectStore: { prototype: { put: (...a: unknown[]) => unknown } } }).IDBObjectStore.prototype;
    const put = store.put;
    store.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    try {
      const err = await saveRun(run('big', 2)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).reason).toBe('quota');
      expect((err as StorageError).message).toMatch(/storage for this page is full/);
      expect((err as StorageError).message).toMatch(/runs saved before are kept/);
    } finally {
      store.put = put;
    }
    expect((await listRuns()).map((r) => r.id)).toEqual(['kept']);
  });

  it('a database blocked by an old tab is reported in words, and opens with everything once that tab closes', async () => {
    // An "old tab" of the v1 page (raw IndexedDB, no versionchange handler) has the database open with a saved run.
    const old = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('ple-playground', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('runs', { keyPath: 'id' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = old.transaction('runs', 'readwrite');
      tx.objectStore('runs').put(run('v1', 1));
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    const err = await listRuns().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).reason).toBe('blocked');
    expect((err as StorageError).message).toMatch(/Another tab .* close that tab and reload this one\. Nothing saved was lost\./);
    old.close();
    await new Promise((r) => setTimeout(r, 20));
    expect((await listRuns()).map((r) => r.id)).toEqual(['v1']);
    await saveRun(run('v2', 2));
    expect((await listRuns()).map((r) => r.id)).toEqual(['v2', 'v1']);
  });
});
