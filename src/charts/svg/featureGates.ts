// Feature-selection gates (model.featureGates): per gate, the mean weight it
// puts on each input dimension over the test rows (bars), against |w_k|, the
// task's true weight per dimension (a line, scaled to sum to 1 like the gate's
// weights), the uniform 1/d (dashed), and r = their Pearson correlation.
import { axisBottom, axisLeft, max, scaleBand, scaleLinear } from 'd3';
import { fmt } from '../../state/format';
import type { SvgRoot } from './types';

export interface FeatureGatePanel {
  title: string;
  color: string;
  meanWeight: number[];
  trueAbsWeight: number[];
  correlation: number | null;
  /** What |w| means for this gate, e.g. "|w_k| of task 1" or "mean |w_k| over tasks". */
  targetLabel: string;
}

export const FEATURE_PANEL_HEIGHT = 150;
const M = { top: 22, right: 10, bottom: 30, left: 52 };
const LEGEND = 22;

export const featureGatesHeight = (panels: number) => LEGEND + panels * FEATURE_PANEL_HEIGHT;

/** |w| scaled to sum to 1 (all-zero stays zero). */
export function scaledTarget(w: number[]): number[] {
  const s = w.reduce((a, b) => a + b, 0);
  return s > 0 ? w.map((v) => v / s) : w.map(() => 0);
}

export function drawFeatureGates(root: SvgRoot, panels: FeatureGatePanel[], o: { width: number }): void {
  const { width } = o;
  root.attr('width', width).attr('height', featureGatesHeight(panels.length)).attr('font-size', 12);
  const lg = root.append('g').attr('class', 'fg-legend').attr('transform', 'translate(8,15)');
  lg.append('rect').attr('x', 0).attr('y', -9).attr('width', 12).attr('height', 10).attr('fill', '#888');
  lg.append('text').attr('x', 16).attr('y', 0).text('mean gate weight');
  // x: input dimension 1…d (said in the card's help and the aria label).
  lg.append('line').attr('x1', 132).attr('x2', 150).attr('y1', -4).attr('y2', -4).attr('stroke', '#111').attr('stroke-width', 2);
  lg.append('text').attr('x', 154).attr('y', 0).text('|w| (true, sums to 1)');
  if (width >= 420) {
    lg.append('line').attr('x1', 290).attr('x2', 308).attr('y1', -4).attr('y2', -4).attr('stroke', '#555').attr('stroke-dasharray', '4 3');
    lg.append('text').attr('x', 312).attr('y', 0).text('uniform 1/d');
  }
  panels.forEach((p, i) => {
    const d = p.meanWeight.length;
    const target = scaledTarget(p.trueAbsWeight);
    const g = root.append('g').attr('class', 'fg-panel').attr('data-gate', p.title).attr('transform', `translate(0,${LEGEND + i * FEATURE_PANEL_HEIGHT})`);
    const h = FEATURE_PANEL_HEIGHT;
    const x = scaleBand<number>()
      .domain(Array.from({ length: d }, (_, t) => t))
      .range([M.left, width - M.right])
      .paddingInner(d > 60 ? 0 : 0.1);
    const top = Math.max(1 / d, max(p.meanWeight) ?? 0, max(target) ?? 0) * 1.08;
    const y = scaleLinear().domain([0, top]).range([h - M.bottom, M.top]).nice(3);
    g.append('text')
      .attr('class', 'fg-title')
      .attr('x', M.left)
      .attr('y', 14)
      .attr('font-weight', 600)
      .text(`${p.title}: r(weight, ${p.targetLabel}) = ${p.correlation === null ? 'n/a' : fmt(p.correlation, 2)}`);
    g.selectAll('rect.fg-bar')
      .data(p.meanWeight)
      .join('rect')
      .attr('class', 'fg-bar')
      .attr('x', (_, t) => x(t)!)
      .attr('width', Math.max(1, x.bandwidth()))
      .attr('y', (v) => y(v))
      .attr('height', (v) => Math.max(0, y(0) - y(v)))
      .attr('fill', p.color)
      .attr('opacity', 0.75);
    const bw = x.bandwidth();
    const path = target.map((v, t) => `${t === 0 ? 'M' : 'L'}${x(t)!},${y(v)}H${x(t)! + bw}`).join('');
    g.append('path').attr('class', 'fg-target').attr('d', path).attr('fill', 'none').attr('stroke', '#111').attr('stroke-width', 1.6);
    g.append('line').attr('class', 'fg-uniform').attr('x1', M.left).attr('x2', width - M.right).attr('y1', y(1 / d)).attr('y2', y(1 / d)).attr('stroke', '#555').attr('stroke-dasharray', '4 3');
    const every = Math.max(1, Math.ceil(d / Math.max(2, Math.floor((width - M.left - M.right) / 36))));
    const ticks = Array.from({ length: d }, (_, t) => t).filter((t) => t % every === 0);
    g.append('g')
      .attr('transform', `translate(0,${h - M.bottom})`)
      .call(axisBottom(x).tickValues(ticks).tickFormat((t) => String(Number(t) + 1)))
      .selectAll('text')
      .attr('font-size', 12);
    g.append('g').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).ticks(3).tickFormat((v) => fmt(Number(v), 2))).selectAll('text').attr('font-size', 12);
  });
}
