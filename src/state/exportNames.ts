// File names of chart downloads that say what they hold: preset, model, step
// ("seesaw-mmoe-seed-1-loss-and-metric-curves-step-2000.svg").
import { MODEL_LABELS } from '../core/config/schema';
import { safeName } from './download';
import { liveStore } from './live';
import { usePlayground } from './store';

export function chartFileName(chart: string): string {
  const { run, viewRun, presetId } = usePlayground.getState();
  const live = liveStore.getState();
  const shown = live.runs[viewRun ?? live.current] ?? null;
  const preset = run.presetId ?? presetId;
  const model = shown?.name ?? run.labels[0] ?? (shown ? MODEL_LABELS[shown.model] : '');
  const parts = [preset, model && model !== preset ? model : null, chart, shown ? `step ${shown.step}` : null];
  return safeName(parts.filter(Boolean).join(' '));
}

/** A chart drawn with nothing but text (a "press Play" line, "no gates") has no data to export. */
export function svgHasData(svg: SVGSVGElement | null): boolean {
  return !!svg?.querySelector('path, line, rect, circle, polyline, polygon, image, ellipse');
}
