// The seesaw as a trade-off curve: per model, its mean MTL gains (A, B) at
// each task-weight ratio, connected in ratio order, with per-seed points, on
// the seesaw chart's frame (single-task at the origin, quadrant shading).
// Shared by the page and the report (npm run reproduce).
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
}

export function drawTradeoff(root: SvgRoot, data: TradeoffFigure, o: { width: number }): void {
  root.selectAll('*').remove();
  const size = Math.min(o.width, 460);
  const all: [number, number][] = data.series.flatMap((s) => s.points.flatMap((p) => [...(p.mean ? [p.mean] : []), ...p.seeds]));
  const legendRows = Math.ceil(data.series.length / 2);
  const height = size + 20 + legendRows * 18 + (data.source ? 18 : 0);
  root.attr('width', size).attr('height', height).attr('viewBox', `0 0 ${size} ${height}`);
  const { x, y } = drawSeesawFrame(root, { gains: all.length ? all : [[0, 0]], taskNames: data.taskNames, taskTypes: data.taskTypes }, size);
  const g = root.append('g').attr('class', 'tradeoff-series');
  data.series.forEach((s) => {
    const color = modelColor(s.model);
    const sg = g.append('g').attr('data-model', s.model);
    for (const p of s.points)
      for (const pt of p.seeds)
        sg.append('circle').attr('class', 'tradeoff-seed').attr('cx', x(pt[0])).attr('cy', y(pt[1])).attr('r', 2).attr('fill', color).attr('fill-opacity', 0.25);
    const means = s.points.filter((p) => p.mean);
    if (means.length > 1)
      sg.append('path')
        .attr('class', 'tradeoff-curve')
        .attr('d', means.map((p, i) => `${i ? 'L' : 'M'}${x(p.mean![0]).toFixed(1)},${y(p.mean![1]).toFixed(1)}`).join(''))
        .attr('fill', 'none')
        .attr('stroke', color)
        .attr('stroke-width', 2);
    means.forEach((p, i) =>
      sg
        .append('circle')
        .attr('class', 'tradeoff-point')
        .attr('data-ratio', p.ratio)
        .attr('cx', x(p.mean![0]))
        .attr('cy', y(p.mean![1]))
        .attr('r', i === 0 || i === means.length - 1 ? 4.5 : 3)
        .attr('fill', i === means.length - 1 ? color : '#fff')
        .attr('stroke', color)
        .attr('stroke-width', 1.5)
        .append('title')
        .text(`${s.label}, ω_A / (ω_A + ω_B) = ${p.ratio.toFixed(2)}: gains (${p.mean![0].toFixed(4)}, ${p.mean![1].toFixed(4)})`),
    );
  });
  // Legend: two columns; open dot = the smallest ratio, filled = the largest.
  const lg = root.append('g').attr('class', 'tradeoff-legend').attr('transform', `translate(8, ${size + 14})`);
  data.series.forEach((s, i) => {
    const cx = (i % 2) * (size / 2);
    const cy = Math.floor(i / 2) * 18;
    lg.append('line').attr('x1', cx).attr('x2', cx + 16).attr('y1', cy).attr('y2', cy).attr('stroke', modelColor(s.model)).attr('stroke-width', 2);
    lg.append('text')
      .attr('x', cx + 20)
      .attr('y', cy + 4)
      .attr('font-size', 12)
      .text(`${s.label}${typeof s.params === 'number' ? ` · ${s.params.toLocaleString('en-US')} params` : ''}`);
  });
  if (data.source)
    root
      .append('text')
      .attr('x', 8)
      .attr('y', height - 4)
      .attr('font-size', 12)
      .attr('fill', '#555')
      .text(`${data.source} · open dot = smallest ω_A share, filled = largest`);
}
