// Correlation sweep in the look of the page's SweepChart: final test MSE
// against the requested task correlation p, one line per model through the
// means over seeds, one dot per seed.
import { axisBottom, axisLeft, line, scaleLinear, scalePoint } from 'd3';
import { fmt } from '../../state/format';
import { modelColor } from '../palette';
import type { SvgRoot } from './types';

export interface SweepSeries {
  model: string;
  label: string;
  points: { p: number; seed: number; value: number }[];
}

export function drawSweep(root: SvgRoot, series: SweepSeries[], o: { width: number; height?: number; yLabel?: string }): void {
  const { width } = o;
  const height = o.height ?? 240;
  root.selectAll('*').remove();
  root.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
  const ps = [...new Set(series.flatMap((s) => s.points.map((d) => d.p)))].sort((a, b) => b - a);
  const M = { top: 12, right: 110, bottom: 36, left: 52 };
  const x = scalePoint<number>().domain(ps).range([M.left, width - M.right]).padding(0.3);
  const all = series.flatMap((s) => s.points.map((d) => d.value));
  const y = scaleLinear()
    .domain([Math.min(...all) * 0.95, Math.max(...all) * 1.05])
    .nice()
    .range([height - M.bottom, M.top]);
  root.append('g').attr('transform', `translate(0,${height - M.bottom})`).call(axisBottom(x).tickFormat((d) => `p=${d}`)).selectAll('text').attr('font-size', 12);
  root.append('g').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).ticks(5, '.3~g')).selectAll('text').attr('font-size', 12);
  root.append('text').attr('x', (M.left + width - M.right) / 2).attr('y', height - 4).attr('text-anchor', 'middle').attr('font-size', 12).text('task correlation p (requested)');
  root.append('text').attr('transform', `translate(12,${height / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('font-size', 12).text(o.yLabel ?? 'test MSE (mean over tasks)');
  series.forEach((s, li) => {
    const c = modelColor(s.model);
    const means = ps
      .map((p) => {
        const v = s.points.filter((d) => d.p === p).map((d) => d.value);
        return v.length ? ([p, v.reduce((a, b) => a + b, 0) / v.length] as [number, number]) : null;
      })
      .filter((d): d is [number, number] => d !== null);
    root
      .append('path')
      .attr('class', 'sweep-line')
      .attr('data-model', s.model)
      .attr('d', line<[number, number]>().x((d) => x(d[0])!).y((d) => y(d[1]))(means))
      .attr('fill', 'none')
      .attr('stroke', c)
      .attr('stroke-width', 2);
    for (const d of s.points)
      root
        .append('circle')
        .attr('class', 'sweep-point')
        .attr('data-model', s.model)
        .attr('data-p', d.p)
        .attr('data-seed', d.seed)
        .attr('data-value', d.value)
        .attr('cx', x(d.p)!)
        .attr('cy', y(d.value))
        .attr('r', 3.5)
        .attr('fill', c)
        .append('title')
        .text(`${s.label} · p = ${d.p} · seed ${d.seed}\ntest MSE ${fmt(d.value, 4)}`);
    root.append('line').attr('x1', width - M.right + 10).attr('x2', width - M.right + 26).attr('y1', M.top + 8 + li * 16).attr('y2', M.top + 8 + li * 16).attr('stroke', c).attr('stroke-width', 2);
    root.append('text').attr('x', width - M.right + 30).attr('y', M.top + 12 + li * 16).attr('font-size', 12).text(s.label);
  });
}
