// Score fusion (src/core/fusion): the test rows as dots at (p_A, p_B), the
// fusion inputs of the first two tasks, with the top-k rows of additive fusion
// (rings) and of multiplicative fusion (crosses). Where the two formulas
// disagree, the rings sit on rows strong in one task only and the crosses on
// rows good at both.
import { axisBottom, axisLeft, scaleLinear, symbol, symbolCross } from 'd3';
import { OKABE_ITO } from '../palette';
import type { SvgRoot } from './types';

export interface FusionScatter {
  pA: ArrayLike<number>;
  pB: ArrayLike<number>;
  axisA: string;
  axisB: string;
  topAdditive: number[];
  topMultiplicative: number[];
}

export const FUSION_HEIGHT = 300;
const M = { top: 28, right: 12, bottom: 40, left: 48 };
export const ADDITIVE_COLOR = OKABE_ITO.blue;
export const MULTIPLICATIVE_COLOR = OKABE_ITO.vermillion;

export function drawFusion(root: SvgRoot, f: FusionScatter, o: { width: number; maxDots?: number }): void {
  const { width } = o;
  const h = FUSION_HEIGHT;
  root.attr('width', width).attr('height', h).attr('font-size', 12);
  const x = scaleLinear().domain([0, 1]).range([M.left, width - M.right]);
  const y = scaleLinear().domain([0, 1]).range([h - M.bottom, M.top]);
  root.append('g').attr('transform', `translate(0,${h - M.bottom})`).call(axisBottom(x).ticks(5)).selectAll('text').attr('font-size', 12);
  root.append('g').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).ticks(5)).selectAll('text').attr('font-size', 12);
  root.append('text').attr('x', (M.left + width - M.right) / 2).attr('y', h - 6).attr('text-anchor', 'middle').text(f.axisA);
  root.append('text').attr('transform', `translate(12,${(M.top + h - M.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text(f.axisB);
  const n = f.pA.length;
  const stride = Math.max(1, Math.ceil(n / (o.maxDots ?? 1500)));
  const dots = root.append('g').attr('class', 'fusion-dots').attr('fill', '#9a9a9a').attr('opacity', 0.45);
  for (let i = 0; i < n; i += stride) dots.append('circle').attr('cx', x(f.pA[i])).attr('cy', y(f.pB[i])).attr('r', 1.6);
  const add = root.append('g').attr('class', 'fusion-top-additive');
  for (const i of f.topAdditive) add.append('circle').attr('cx', x(f.pA[i])).attr('cy', y(f.pB[i])).attr('r', 5).attr('fill', 'none').attr('stroke', ADDITIVE_COLOR).attr('stroke-width', 1.6);
  const cross = symbol().type(symbolCross).size(46);
  const mul = root.append('g').attr('class', 'fusion-top-multiplicative');
  for (const i of f.topMultiplicative)
    mul.append('path').attr('d', cross()).attr('transform', `translate(${x(f.pA[i])},${y(f.pB[i])}) rotate(45)`).attr('fill', MULTIPLICATIVE_COLOR);
  const lg = root.append('g').attr('transform', `translate(${M.left},14)`);
  lg.append('circle').attr('cx', 5).attr('cy', -4).attr('r', 5).attr('fill', 'none').attr('stroke', ADDITIVE_COLOR).attr('stroke-width', 1.6);
  lg.append('text').attr('x', 14).attr('y', 0).text(`top ${f.topAdditive.length}, additive`);
  lg.append('path').attr('d', cross()).attr('transform', 'translate(125,-4) rotate(45)').attr('fill', MULTIPLICATIVE_COLOR);
  lg.append('text').attr('x', 134).attr('y', 0).text(`top ${f.topMultiplicative.length}, multiplicative`);
}
