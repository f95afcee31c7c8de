// Seesaw scatter in the look of the page's SeesawChart: x = MTL gain on task
// A, y = MTL gain on task B, single-task at the origin, quadrant shading and
// lines, one dot per seed, a diamond per model at its mean over seeds.
import { axisBottom, axisLeft, scaleLinear, symbol, symbolCross, symbolDiamond } from 'd3';
import { fmtSigned } from '../../state/format';
import { modelColor, OKABE_ITO } from '../palette';
import type { SvgRoot } from './types';

export interface SeesawDot {
  /** Legend/group label, e.g. "MMoE". */
  label: string;
  model: string;
  seed: number;
  gain: [number, number];
  /** Optional: trainable parameters, shown in the legend when given. */
  params?: number | null;
}

export interface SeesawFigure {
  points: SeesawDot[];
  taskNames: [string, string];
  taskTypes: [string, string];
  /** Footer note (what the points are, where they come from). */
  source: string;
  /** Optional: the baseline at the origin, e.g. "Single-task (17,154 params)"; a legend entry when given. */
  baseline?: string;
}

const legendLabel = (label: string, params: number | null | undefined) =>
  typeof params === 'number' && Number.isFinite(params) ? `${label} · ${Math.round(params).toLocaleString('en-US')} params` : label;

export function gainLabel(name: string, type: string) {
  return type === 'binary' ? `MTL gain on ${name}: AUC(model) − AUC(single)` : `MTL gain on ${name}: MSE(single) − MSE(model)`;
}

/**
 * The seesaw's frame, shared by the page's chart and the report's figure:
 * symmetric scales around 0, quadrant shading with labels, the lines through
 * the origin, axes and titles, and the single-task cross at the origin.
 */
export function drawSeesawFrame(
  root: SvgRoot,
  data: { gains: [number, number][]; taskNames: string[]; taskTypes: string[] },
  size: number,
) {
  // Left margin: tick labels like "+0.05" (≈ 36 px at 12 px) and the rotated axis title beside them, apart.
  const M = { top: 14, right: 14, bottom: 44, left: 66 };
  const ext = (v: number[]) => Math.max(1e-4, ...v.map(Math.abs)) * 1.2;
  const ex = ext(data.gains.map((g) => g[0]));
  const ey = ext(data.gains.map((g) => g[1]));
  const x = scaleLinear().domain([-ex, ex]).range([M.left, size - M.right]).nice();
  const y = scaleLinear().domain([-ey, ey]).range([size - M.bottom, M.top]).nice();
  const [x0, x1] = x.range();
  const [y0, y1] = y.range();
  const cx = x(0);
  const cy = y(0);
  const quads: [number, number, number, number, string, string][] = [
    [cx, y1, x1 - cx, cy - y1, OKABE_ITO.blue, 'gains on both'],
    [x0, cy, cx - x0, y0 - cy, OKABE_ITO.vermillion, 'loses on both'],
    [x0, y1, cx - x0, cy - y1, '#999', 'seesaw'],
    [cx, cy, x1 - cx, y0 - cy, '#999', 'seesaw'],
  ];
  /** Boxes of the quadrant labels, so the page's point labels can keep clear of them. */
  const labelBoxes: { x0: number; y0: number; x1: number; y1: number }[] = [];
  for (const [qx, qy, qw, qh, c, label] of quads) {
    root.append('rect').attr('class', 'quadrant').attr('x', qx).attr('y', qy).attr('width', qw).attr('height', qh).attr('fill', c).attr('fill-opacity', 0.09);
    const right = qx >= cx;
    const top = qy < cy;
    root
      .append('text')
      .attr('x', right ? qx + qw - 4 : qx + 4)
      .attr('y', top ? qy + 12 : qy + qh - 5)
      .attr('text-anchor', right ? 'end' : 'start')
      .attr('font-size', 12)
      .attr('fill', '#555')
      .text(label);
    const w = label.length * 7.2;
    const bx = right ? qx + qw - 4 - w : qx + 4;
    const by = top ? qy + 12 : qy + qh - 5;
    labelBoxes.push({ x0: bx, y0: by - 11, x1: bx + w, y1: by + 3 });
  }
  root.append('line').attr('class', 'quadrant-line').attr('x1', cx).attr('x2', cx).attr('y1', y1).attr('y2', y0).attr('stroke', '#444');
  root.append('line').attr('class', 'quadrant-line').attr('x1', x0).attr('x2', x1).attr('y1', cy).attr('y2', cy).attr('stroke', '#444');
  root.append('g').attr('transform', `translate(0,${y0})`).call(axisBottom(x).ticks(5, '+.2~g')).selectAll('text').attr('font-size', 12);
  root.append('g').attr('transform', `translate(${x0},0)`).call(axisLeft(y).ticks(5, '+.2~g')).selectAll('text').attr('font-size', 12);
  root.append('text').attr('x', (x0 + x1) / 2).attr('y', size - 8).attr('text-anchor', 'middle').attr('font-size', 12).attr('fill', '#222').text(gainLabel(data.taskNames[0], data.taskTypes[0]));
  root
    .append('text')
    .attr('transform', `translate(14,${(y0 + y1) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .attr('font-size', 12)
    .attr('fill', '#222')
    .text(gainLabel(data.taskNames[1], data.taskTypes[1]));
  const origin = root.append('path').attr('class', 'seesaw-origin').attr('d', symbol(symbolCross, 90)()).attr('transform', `translate(${cx},${cy})`).attr('fill', OKABE_ITO.black);
  return { x, y, x0, x1, y0, y1, cx, cy, origin, labelBoxes };
}

export function drawSeesaw(root: SvgRoot, data: SeesawFigure, o: { width: number }): void {
  const { width } = o;
  root.selectAll('*').remove();
  const size = Math.min(width, 460);
  const groups = new Map<string, SeesawDot[]>();
  for (const p of data.points) groups.set(p.label, [...(groups.get(p.label) ?? []), p]);
  // With parameter counts or a named baseline the labels are longer: wider legend cells.
  const rich = data.baseline !== undefined || data.points.some((p) => typeof p.params === 'number');
  const cell = rich ? 230 : 130;
  const perRow = Math.max(1, Math.floor(width / cell));
  const legendRows = Math.ceil((groups.size + (data.baseline !== undefined ? 1 : 0)) / perRow);
  const height = size + 22 + legendRows * 16;
  root.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
  const { x, y } = drawSeesawFrame(root, { gains: data.points.map((p) => p.gain), taskNames: data.taskNames, taskTypes: data.taskTypes }, size);
  for (const p of data.points)
    root
      .append('circle')
      .attr('class', 'seesaw-point')
      .attr('data-model', p.model)
      .attr('data-seed', p.seed)
      .attr('data-gain-a', p.gain[0])
      .attr('data-gain-b', p.gain[1])
      .attr('cx', x(p.gain[0]))
      .attr('cy', y(p.gain[1]))
      .attr('r', 3.5)
      .attr('fill', modelColor(p.model))
      .attr('fill-opacity', 0.75)
      .attr('stroke', '#fff')
      .append('title')
      .text(`${p.label} · seed ${p.seed}\ngain ${data.taskNames[0]}: ${fmtSigned(p.gain[0])}\ngain ${data.taskNames[1]}: ${fmtSigned(p.gain[1])}`);
  for (const [label, pts] of groups) {
    const mx = pts.reduce((s, p) => s + p.gain[0], 0) / pts.length;
    const my = pts.reduce((s, p) => s + p.gain[1], 0) / pts.length;
    root
      .append('path')
      .attr('class', 'seesaw-mean')
      .attr('data-model', pts[0].model)
      .attr('data-gain-a', mx)
      .attr('data-gain-b', my)
      .attr('d', symbol(symbolDiamond, 110)())
      .attr('transform', `translate(${x(mx)},${y(my)})`)
      .attr('fill', modelColor(pts[0].model))
      .attr('stroke', '#111')
      .attr('stroke-width', 1.2)
      .append('title')
      .text(`${label}: mean of ${pts.length} seed${pts.length > 1 ? 's' : ''}\ngain ${data.taskNames[0]}: ${fmtSigned(mx)}\ngain ${data.taskNames[1]}: ${fmtSigned(my)}`);
    root.append('text').attr('x', x(mx) + 7).attr('y', y(my) - 6).attr('font-size', 12).attr('fill', '#111').text(label);
  }
  const first = data.baseline !== undefined ? 1 : 0;
  if (data.baseline !== undefined) {
    root.append('path').attr('d', symbol(symbolCross, 60)()).attr('transform', `translate(5,${size + 11})`).attr('fill', OKABE_ITO.black);
    root.append('text').attr('x', 14).attr('y', size + 15).attr('font-size', 12).attr('fill', '#333').text(`baseline: ${data.baseline}`);
  }
  [...groups.keys()].forEach((label, j) => {
    const i = j + first;
    const lx = (i % perRow) * cell;
    const ly = size + 6 + Math.floor(i / perRow) * 16;
    root.append('circle').attr('cx', lx + 5).attr('cy', ly + 5).attr('r', 4.5).attr('fill', modelColor(groups.get(label)![0].model));
    root.append('text').attr('x', lx + 14).attr('y', ly + 9).attr('font-size', 12).attr('fill', '#333').text(legendLabel(label, groups.get(label)![0].params));
  });
  root.append('text').attr('x', width).attr('y', height - 3).attr('text-anchor', 'end').attr('font-size', 12).attr('fill', '#666').text(`◆ mean over seeds, ● one seed, + single-task · ${data.source}`);
}
