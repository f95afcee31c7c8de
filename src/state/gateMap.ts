// Gate maps on the page: the request sent to the worker, and the latest map per
// run of the current job. Maps arrive at most at the gate-statistics cadence
// (≈ 2/s), computed in the worker; nothing here touches TF.js.
import { createStore } from 'zustand/vanilla';
import type { GateMapRequest, GateMapResult } from '../core/train/gateMapPlane';
import type { WorkerEvent } from '../worker/protocol';
import { getClient } from './workerLink';
import { usePlayground } from './store';

export interface StoredGateMap {
  runIndex: number;
  final: boolean;
  map: GateMapResult;
}

export interface GateMapState {
  version: number;
  runId: string | null;
  /** Latest map per run index of the current job. */
  maps: StoredGateMap[];
  request: GateMapRequest | null;
}

export const gateMapStore = createStore<GateMapState>(() => ({ version: 0, runId: null, maps: [], request: null }));

/** Fold one worker event into the state (exported for tests). */
export function applyGateMapEvent(s: GateMapState, e: WorkerEvent, currentRunId: string | null): GateMapState | null {
  if (e.type !== 'gateMap') return null;
  if (currentRunId !== null && e.runId !== currentRunId) return null;
  const maps = e.runId === s.runId ? [...s.maps] : [];
  maps[e.runIndex] = { runIndex: e.runIndex, final: e.final, map: e.map };
  return { ...s, version: s.version + 1, runId: e.runId, maps };
}

let linked = false;
function link(): void {
  if (linked) return;
  linked = true;
  getClient().on((e) => {
    if (e.type === 'ready') {
      // A fresh worker (after a restart) knows no request: send it again.
      const req = gateMapStore.getState().request;
      if (req) getClient().send({ type: 'gateMap', request: req });
      return;
    }
    const next = applyGateMapEvent(gateMapStore.getState(), e, usePlayground.getState().run.runId);
    if (next) gateMapStore.setState(next, true);
  });
}

/** Ask the worker for maps on this pair of directions from now on (null: no more maps). */
export function requestGateMap(request: GateMapRequest | null): void {
  link();
  gateMapStore.setState((s) => ({ ...s, request }));
  getClient().send({ type: 'gateMap', request });
}
