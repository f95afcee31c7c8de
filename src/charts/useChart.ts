// Shared chart plumbing: container width, redraw on store changes in one
// animation frame (transient subscription: no React re-render per snapshot).
import { useEffect, useRef, useState, type RefObject } from 'react';
import { liveStore } from '../state/live';
import { usePlayground } from '../state/store';
import { SLOW_MOTION_MAX } from '../worker/protocol';

export function useWidth(ref: RefObject<HTMLElement | null>, fallback = 360): number {
  const [w, setW] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // ResizeObserver reports after layout: no forced synchronous layout on mount.
    const ro = new ResizeObserver((entries) => {
      const width = entries[entries.length - 1].contentRect.width;
      if (width > 0) setW(Math.max(160, Math.floor(width)));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

/** Redraws at most this often: per-step data arrives at up to 20 Hz, and on a
 * busy 2-core machine every DOM change costs layout and paint on the page. */
export const REDRAW_MS = 250;

// One queue for every chart: pending redraws run in animation frames, as many
// per frame as fit in a small budget (at least one), so charts that changed on
// the same snapshot spread over several frames instead of stacking into one long task.
const FRAME_BUDGET_MS = 8;
const queue = new Map<object, () => void>();
let pumpFrame = 0;
function pump() {
  pumpFrame = 0;
  const start = performance.now();
  for (const [key, fn] of queue) {
    queue.delete(key);
    fn();
    if (performance.now() - start > FRAME_BUDGET_MS) break;
  }
  if (queue.size) pumpFrame = requestAnimationFrame(pump);
}
function enqueue(key: object, fn: () => void) {
  queue.set(key, fn);
  if (!pumpFrame) pumpFrame = requestAnimationFrame(pump);
}

/**
 * Call `draw` now, and again whenever live data or the page store changes:
 * at most once per `minInterval` (trailing), through the shared frame queue.
 */
export function useLiveDraw(_name: string, draw: () => void, deps: unknown[], minInterval = REDRAW_MS): void {
  const drawRef = useRef(draw);
  drawRef.current = draw;
  useEffect(() => {
    const key = {};
    let timer: ReturnType<typeof setTimeout> | null = null;
    let queued = false;
    let last = 0;
    const run = () => {
      queued = false;
      last = performance.now();
      drawRef.current();
    };
    const schedule = () => {
      if (queued || timer) return;
      // Slow motion (≤ SLOW_MOTION_MAX steps/s): redraw at least twice per step, so no step's gates are skipped.
      const speed = usePlayground.getState().speed;
      const interval = speed > 0 && speed <= SLOW_MOTION_MAX ? Math.min(minInterval, 500 / speed) : minInterval;
      const wait = last + interval - performance.now();
      const go = () => {
        timer = null;
        queued = true;
        enqueue(key, run);
      };
      if (wait <= 0) go();
      else timer = setTimeout(go, wait);
    };
    run();
    const un1 = liveStore.subscribe(schedule);
    const un2 = usePlayground.subscribe(schedule);
    return () => {
      un1();
      un2();
      queue.delete(key);
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}

/** Subscribe to the live store's version for components that must re-render (cheap ones only). */
export function useLiveVersion(throttleMs = 250): number {
  const [v, setV] = useState(liveStore.getState().version);
  useEffect(() => {
    let t: ReturnType<typeof setTimeout> | null = null;
    const un = liveStore.subscribe(() => {
      if (t) return;
      t = setTimeout(() => {
        t = null;
        setV(liveStore.getState().version);
      }, throttleMs);
    });
    return () => {
      un();
      if (t) clearTimeout(t);
    };
  }, [throttleMs]);
  return v;
}
