// Correlation sweep (MMoE paper): final test loss against the task
// correlation p, one line per model family, one dot per seed.
import { axisBottom, axisLeft, line, scaleLinear, scalePoint, select } from 'd3';
import { useRef } from 'react';
import { MODEL_LABELS, type ModelType } from '../core/config/schema';
import type { ExperimentResults } from '../core/types';
import { fmt } from '../state/format';
import { paramsText, selectedStepText } from '../state/resultsText';
import { usePlayground } from '../state/store';
import { ChartCard, useTip } from './ChartCard';
import { modelColor } from './palette';
import { useLiveDraw, useWidth } from './useChart';

/** Mean test MSE over the regression tasks (what the MMoE paper plots), or null. */
function meanTestMse(r: ExperimentResults): number | null {
  const v = (r.test ?? []).filter((m) => m.type === 'regression' && Number.isFinite(m.mse)).map((m) => m.mse as number);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

export function sweepData(results: ExperimentResults[]) {
  const ps = [...new Set(results.filter((r) => !r.config.data.correlationMatrix).map((r) => r.config.data.correlation))].sort((a, b) => b - a);
  const byModel = new Map<ModelType, { p: number; v: number; seed: number; at: string; params: number | null }[]>();
  for (const r of results) {
    const v = meanTestMse(r);
    if (v === null || r.config.data.correlationMatrix) continue;
    const point = { p: r.config.data.correlation, v, seed: r.seeds.data, at: selectedStepText(r), params: r.params ?? null };
    byModel.set(r.model, [...(byModel.get(r.model) ?? []), point]);
  }
  return { ps, byModel };
}

export function SweepChart() {
  const box = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const width = useWidth(box);
  const [tipRef, tip] = useTip();
  const stamp = useRef('');

  useLiveDraw('sweep', () => {
    const svg = svgRef.current;
    if (!svg) return;
    const results = usePlayground.getState().results.filter((r): r is ExperimentResults => !!r);
    const { ps, byModel } = sweepData(results);
    const key = JSON.stringify([width, [...byModel.entries()]]);
    if (key === stamp.current) return;
    stamp.current = key;
    const root = select(svg);
    root.selectAll('*').remove();
    const height = 240;
    root.attr('width', width).attr('height', height);
    if (ps.length < 2 || byModel.size === 0) {
      root.attr('height', 44);
      root.append('text').attr('x', 8).attr('y', 26).attr('font-size', 12).attr('fill', '#555').text('Run the "Correlation sweep" preset: test MSE per p fills in as runs finish.');
      return;
    }
    const M = { top: 12, right: 110, bottom: 36, left: 52 };
    const x = scalePoint<number>().domain(ps).range([M.left, width - M.right]).padding(0.3);
    const all = [...byModel.values()].flat().map((d) => d.v);
    const y = scaleLinear()
      .domain([Math.min(...all) * 0.95, Math.max(...all) * 1.05])
      .nice()
      .range([height - M.bottom, M.top]);
    root.append('g').attr('transform', `translate(0,${height - M.bottom})`).call(axisBottom(x).tickFormat((d) => `p=${d}`)).selectAll('text').attr('font-size', 12);
    root.append('g').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).ticks(5, '.3~g')).selectAll('text').attr('font-size', 12);
    root.append('text').attr('x', (M.left + width - M.right) / 2).attr('y', height - 4).attr('text-anchor', 'middle').attr('font-size', 12).text('task correlation p (requested)');
    root.append('text').attr('transform', `translate(12,${height / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('font-size', 12).text('test MSE (mean over tasks)');
    let li = 0;
    for (const [model, pts] of byModel) {
      const c = modelColor(model);
      const means = ps
        .map((p) => {
          const v = pts.filter((d) => d.p === p).map((d) => d.v);
          return v.length ? ([p, v.reduce((a, b) => a + b, 0) / v.length] as [number, number]) : null;
        })
        .filter((d): d is [number, number] => d !== null);
      root
        .append('path')
        .attr('class', 'sweep-line')
        .attr('d', line<[number, number]>().x((d) => x(d[0])!).y((d) => y(d[1]))(means))
        .attr('fill', 'none')
        .attr('stroke', c)
        .attr('stroke-width', 2);
      for (const d of pts) {
        const lines = [`${MODEL_LABELS[model]} · p = ${d.p} · seed ${d.seed}`, `test MSE ${fmt(d.v, 4)}`, d.at, paramsText(d.params)];
        root
          .append('circle')
          .attr('class', 'sweep-point')
          .attr('cx', x(d.p)!)
          .attr('cy', y(d.v))
          .attr('r', 3.5)
          .attr('fill', c)
          .on('mousemove', (ev: MouseEvent) => tip.show(lines, ev))
          .on('mouseleave', () => tip.hide())
          .append('title')
          .text(lines.join('\n'));
      }
      root.append('line').attr('x1', width - M.right + 10).attr('x2', width - M.right + 26).attr('y1', M.top + 8 + li * 16).attr('y2', M.top + 8 + li * 16).attr('stroke', c).attr('stroke-width', 2);
      root.append('text').attr('x', width - M.right + 30).attr('y', M.top + 12 + li * 16).attr('font-size', 12).text(MODEL_LABELS[model]);
      li++;
    }
  }, [width]);

  return (
    <ChartCard
      title="Correlation sweep"
      help="Final test MSE against the requested task correlation p, one line per model (mean over seeds), dots = single seeds. In the MMoE paper every model gets worse as p falls, Shared-Bottom most."
      tipRef={tipRef}
      testId="chart-sweep"
    >
      <div ref={box} className="chart-box">
        <svg ref={svgRef} className="chart" role="img" aria-label="Test MSE against task correlation per model" />
      </div>
    </ChartCard>
  );
}
