// Layout shared by the page's expert-utilisation chart (live, updated in
// place) and the report's static figure (svg/utilisation.ts): sizes, the
// 0–1 weight scale with its grid, bar slots and per-module colours.
import { scaleLinear, type Selection } from 'd3';
import type { LevelGateStats } from '../../core/types';
import { moduleColor, shade } from '../palette';

export const PLOT_H = 110;
export const LEVEL_HEAD = 34;
export const GATE_LABEL_H = 30;
export const PANEL_HEAD = 22;
export const PANEL_GAP = 14;
export const AXIS_W = 28;
export const LEVEL_H = LEVEL_HEAD + PLOT_H + GATE_LABEL_H;

/** Gate weight (0–1) → y inside a level's plot. */
export const weightY = scaleLinear().domain([0, 1]).range([PLOT_H, 0]);

/** Expert i's colour: its module's hue, shaded by its index in the module. */
export function moduleShade(experts: { module: string; index: number }[], i: number): string {
  const e = experts[i];
  const same = experts.filter((x) => x.module === e.module).length;
  return shade(moduleColor(e.module), e.index, same);
}

/** Grid lines and labels at 0, .5 and 1 across a plot of width innerW. */
export function drawWeightGrid(plot: Selection<SVGGElement, unknown, null, undefined>, innerW: number): void {
  for (const t of [0, 0.5, 1]) {
    plot.append('line').attr('x1', 0).attr('x2', innerW).attr('y1', weightY(t)).attr('y2', weightY(t)).attr('stroke', t === 0 ? '#888' : '#e3e3e3');
    plot.append('text').attr('x', -4).attr('y', weightY(t) + 3.5).attr('text-anchor', 'end').attr('font-size', 9.5).attr('fill', '#555').text(t === 0.5 ? '.5' : String(t));
  }
}

/** Width of one bar slot: every gate's experts side by side, 0.8 slot between gates. */
export function slotWidth(lvl: LevelGateStats, innerW: number): number {
  const slots = lvl.gates.reduce((s, gate) => s + gate.mean.length, 0) + (lvl.gates.length - 1) * 0.8;
  return innerW / Math.max(1, slots);
}
