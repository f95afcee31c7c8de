// Shared chart plumbing: container width, redraw on store changes in one
// animation frame (transient subscription: no React re-render per snapshot).
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { liveStore } from '../state/live';
import { usePlayground } from '../state/store';

export function useWidth(ref: RefObject<HTMLElement | null>, fallback = 360): number {
  const [w, setW] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setW(Math.max(160, Math.floor(el.clientWidth)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

/**
 * Call `draw` now, and again (at most once per frame) whenever live data or
 * the page store changes. `deps` re-arm it when props change.
 */
export function useLiveDraw(name: string, draw: () => void, deps: unknown[]): void {
  const drawRef = useRef(draw);
  drawRef.current = draw;
  useEffect(() => {
    let frame = 0;
    const schedule = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        const t0 = performance.now();
        drawRef.current();
        const dt = performance.now() - t0;
        (window as unknown as { __draws?: Record<string, number[]> }).__draws ??= {};
        const d = (window as unknown as { __draws: Record<string, number[]> }).__draws;
        const key = name;
        (d[key] ??= []).push(dt);
      });
    };
    drawRef.current();
    const un1 = liveStore.subscribe(schedule);
    const un2 = usePlayground.subscribe(schedule);
    return () => {
      un1();
      un2();
      if (frame) cancelAnimationFrame(frame);
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
