// The seesaw as a trade-off curve: per model, its mean MTL gains (A, B) at
// each task-weight ratio, connected in ratio order, with per-seed points, on
// the seesaw chart's frame (single-task at the origin, quadrant shading).
// Shared by the page and the report (npm run reproduce).
import { symbol, symbolCross } from 'd3';
import { drawSeesawFrame } from './seesaw';
import type { SvgRoot } from './types';
import { modelColor } from '../palette';

export interface TradeoffSeries {
  label: string;
  model: string;
  params?: number | null;
  /** In ratio order: the ratio, the mean gain (A, B) and the per-seed gains. */
  points: { ratio: number; mean: [number, number] | null; seeds: [number, number][] }[];
}

export interface TradeoffFigure {
  series: TradeoffSeries[];
  taskNames: [string, string];
  taskTypes: [string, string];
  source?: string;
  /** Optional: the baseline at the origin, e.g. "Single-task (17,154 params)"; a legend line when given. */
  baseline?: string | null;
}

/** Smallest font in the figure (the page's readability floor). */
const MIN_FONT = 12;
const LEGEND_ROW = 18;
/** Dash patterns for a second, third... series of the same model family (same colour). */
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

export function drawTradeoff(root: SvgRoot, data: TradeoffFigure, o: { width: number }): void {
  root.selectAll('*').remove();
  const size = Math.min(o.width, 460);
  const all: [number, number][] = data.series.flatMap((s) => s.points.flatMap((p) => [...(p.mean ? [p.mean] : []), ...p.seeds]));
  const legendText = (s: TradeoffSeries) => `${s.label}${typeof s.params === 'number' ? ` · ${s.params.toLocaleString('en-US')} params` : ''}`;
  // Two legend columns when every entry fits in half the width (about 0.6 em per character).
  const longest = Math.max(0, ...data.series.map((s) => legendText(s).length));
  const cols = 20 + longest * MIN_FONT * 0.6 <= size / 2 - 8 ? 2 : 1;
  const legendRows = Math.ceil(data.series.length / cols) + (data.baseline ? 1 : 0);
  const footer = ['open dot = smallest ω_A share, filled = largest', ...(data.source ? [data.source] : [])];
  const legendTop = size + 14;
  const height = legendTop + legendRows * LEGEND_ROW + footer.length * LEGEND_ROW;
  root.attr('width', size).attr('height', height).attr('viewBox', `0 0 ${size} ${height}`);
  const { x, y } = drawSeesawFrame(root, { gains: all.length ? all : [[0, 0]], taskNames: data.taskNames, taskTypes: data.taskTypes }, size);
  // The frame is shared with the seesaw chart; here every label is at least MIN_FONT.
  root.selectAll<SVGTextElement, unknown>('text').each(function () {
    const f = Number(this.getAttribute('font-size'));
    if (!(f >= MIN_FONT)) this.setAttribute('font-size', String(MIN_FONT));
  });
  const familyCount = new Map<string, number>();
  const dashOf = data.series.map((s) => {
    const n = familyCount.get(s.model) ?? 0;
    familyCount.set(s.model, n + 1);
    return DASHES[n % DASHES.length];
  });
  const g = root.append('g').attr('class', 'tradeoff-series');
  data.series.forEach((s, si) => {
    const color = modelColor(s.model);
    const sg = g.append('g').attr('class', 'tradeoff-model').attr('data-model', s.model).attr('data-label', s.label);
    for (const p of s.points)
      for (const pt of p.seeds)
        sg.append('circle').attr('class', 'tradeoff-seed').attr('data-ratio', p.ratio).attr('cx', x(pt[0])).attr('cy', y(pt[1])).attr('r', 2.5).attr('fill', color).attr('fill-opacity', 0.3);
    const means = s.points.filter((p) => p.mean);
    if (means.length > 1)
      sg.append('path')
        .attr('class', 'tradeoff-curve')
        .attr('d', means.map((p, i) => `${i ? 'L' : 'M'}${x(p.mean![0]).toFixed(1)},${y(p.mean![1]).toFixed(1)}`).join(''))
        .attr('fill', 'none')
        .attr('stroke', color)
        .attr('stroke-width', 2)
        .attr('stroke-dasharray', dashOf[si] || null);
    means.forEach((p, i) =>
      sg
        .append('circle')
        .attr('class', 'tradeoff-point')
        .attr('data-ratio', p.ratio)
        .attr('data-gain-a', p.mean![0])
        .attr('data-gain-b', p.mean![1])
        .attr('data-seeds', p.seeds.length)
        .attr('cx', x(p.mean![0]))
        .attr('cy', y(p.mean![1]))
        .attr('r', i === 0 || i === means.length - 1 ? 4.5 : 3)
        .attr('fill', i === means.length - 1 && means.length > 1 ? color : '#fff')
        .attr('stroke', color)
        .attr('stroke-width', 1.5)
        .append('title')
        .text(
          `${s.label}, ω_A / (ω_A + ω_B) = ${p.ratio.toFixed(2)}: gains (${p.mean![0].toFixed(4)}, ${p.mean![1].toFixed(4)})` +
            (p.seeds.length > 1 ? `, mean of ${p.seeds.length} seeds` : ''),
        ),
    );
  });
  // Legend: one or two columns; then the baseline at the origin, the marker note and the source.
  const lg = root.append('g').attr('class', 'tradeoff-legend').attr('transform', `translate(8, ${legendTop})`);
  data.series.forEach((s, i) => {
    const cx = (i % cols) * (size / 2);
    const cy = Math.floor(i / cols) * LEGEND_ROW;
    const item = lg.append('g').attr('class', 'tradeoff-legend-item').attr('data-model', s.model).attr('data-params', s.params ?? '');
    item.append('line').attr('x1', cx).attr('x2', cx + 16).attr('y1', cy).attr('y2', cy).attr('stroke', modelColor(s.model)).attr('stroke-width', 2).attr('stroke-dasharray', dashOf[i] || null);
    item
      .append('text')
      .attr('x', cx + 20)
      .attr('y', cy + 4)
      .attr('font-size', MIN_FONT)
      .text(legendText(s));
  });
  let row = Math.ceil(data.series.length / cols);
  if (data.baseline) {
    const cy = row * LEGEND_ROW;
    lg.append('path').attr('d', symbol(symbolCross, 50)()).attr('transform', `translate(8,${cy})`).attr('fill', '#000');
    lg.append('text').attr('x', 20).attr('y', cy + 4).attr('font-size', MIN_FONT).text(`at the origin: ${data.baseline}`);
    row++;
  }
  footer.forEach((t, i) =>
    root
      .append('text')
      .attr('class', 'tradeoff-note')
      .attr('x', 8)
      .attr('y', legendTop + (row + i) * LEGEND_ROW + 4)
      .attr('font-size', MIN_FONT)
      .attr('fill', '#555')
      .text(t),
  );
}
