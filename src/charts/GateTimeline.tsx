// Gate weights over time: for each gate, the mean weight of each expert
// (on a test subset) as a stacked area, so the bands always fill 0..1.
import { area, axisBottom, bisector, pointer, scaleLinear, select } from 'd3';
import { useRef } from 'react';
import { liveStore, type LiveRun } from '../state/live';
import { fmt } from '../state/format';
import { usePlayground } from '../state/store';
import { ChartCard, useTip } from './ChartCard';
import { moduleColor, shade } from './palette';
import { useLiveDraw, useWidth } from './useChart';

const PANEL_H = 96;
const M = { top: 18, right: 8, bottom: 20, left: 26 };

function viewedRun(): LiveRun | null {
  const { viewRun, compare } = usePlayground.getState();
  if (compare.length === 2) return null;
  const live = liveStore.getState();
  return live.runs[viewRun ?? live.current] ?? null;
}

export function GateTimeline() {
  const box = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const width = useWidth(box);
  const [tipRef, tip] = useTip();
  const stamp = useRef('');

  useLiveDraw('timeline', () => {
    const svg = svgRef.current;
    if (!svg) return;
    const run = viewedRun();
    const root = select(svg);
    const n = run?.gateSteps.length ?? 0;
    const key = `${width}:${run?.runId}:${run?.runIndex}:${n}`;
    if (key === stamp.current) return;
    stamp.current = key;
    root.selectAll('*').remove();
    if (!run || n === 0 || run.gateSeries.size === 0) {
      root.attr('width', width).attr('height', 44);
      root.append('text').attr('x', 8).attr('y', 26).attr('font-size', 12).attr('fill', '#555').text(run && run.gateSeries.size === 0 && n > 0 ? 'This model has no gates.' : 'Gate weights over time appear while a gated model trains.');
      return;
    }
    const keys = [...run.gateSeries.keys()];
    const cols = width >= 480 ? 2 : 1;
    const pw = (width - (cols - 1) * 12) / cols;
    const rows = Math.ceil(keys.length / cols);
    const height = rows * (PANEL_H + 6);
    root.attr('width', width).attr('height', height);
    const steps = run.gateSteps.data.subarray(0, n);
    const x = scaleLinear().domain([0, Math.max(1, run.totalSteps || steps[n - 1])]).range([M.left, pw - M.right]);
    const y = scaleLinear().domain([0, 1]).range([PANEL_H - M.bottom, M.top]);
    keys.forEach((k, gi) => {
      const info = run.gateInfo.get(k)!;
      const cols0 = run.gateSeries.get(k)!;
      const g = root.append('g').attr('class', 'timeline-panel').attr('data-gate', k).attr('transform', `translate(${(gi % cols) * (pw + 12)},${Math.floor(gi / cols) * (PANEL_H + 6)})`);
      g.append('text').attr('x', M.left).attr('y', 12).attr('font-size', 11).attr('font-weight', 600).attr('fill', '#222').text(`Level ${info.level + 1} · ${info.label}`);
      // Rows where every expert's mean is finite, stacked.
      const rowsOk: number[] = [];
      for (let i = 0; i < n; i++) if (cols0.every((c) => Number.isFinite(c.data[i]))) rowsOk.push(i);
      const cum = rowsOk.map((i) => {
        const acc = [0];
        for (const c of cols0) acc.push(acc[acc.length - 1] + c.data[i]);
        return acc;
      });
      const modCounts = new Map<string, number>();
      info.experts.forEach((e) => modCounts.set(e.module, (modCounts.get(e.module) ?? 0) + 1));
      const seenIdx = new Map<string, number>();
      info.experts.forEach((e, ei) => {
        const idx = seenIdx.get(e.module) ?? 0;
        seenIdx.set(e.module, idx + 1);
        const fill = shade(moduleColor(e.module), idx, modCounts.get(e.module) ?? 1);
        const gen = area<number>()
          .x((_, j) => x(steps[rowsOk[j]]))
          .y0((_, j) => y(Math.min(1, cum[j][ei])))
          .y1((_, j) => y(Math.min(1, cum[j][ei + 1])));
        g.append('path').attr('class', 'timeline-band').attr('d', gen(rowsOk) ?? '').attr('fill', fill).attr('stroke', '#fff').attr('stroke-width', 0.5);
      });
      g.append('g').attr('transform', `translate(0,${PANEL_H - M.bottom})`).call(axisBottom(x).ticks(Math.max(2, Math.floor(pw / 90)), 's')).selectAll('text').attr('font-size', 9);
      for (const t of [0, 1]) g.append('text').attr('x', M.left - 3).attr('y', y(t) + 3).attr('text-anchor', 'end').attr('font-size', 9).attr('fill', '#555').text(String(t));
      const rule = g.append('line').attr('stroke', '#222').attr('visibility', 'hidden').attr('data-noexport', '1');
      const by = bisector<number, number>((i) => steps[i]).center;
      g.append('rect')
        .attr('x', M.left)
        .attr('y', M.top)
        .attr('width', pw - M.left - M.right)
        .attr('height', PANEL_H - M.top - M.bottom)
        .attr('fill', 'transparent')
        .on('mousemove', (ev: MouseEvent) => {
          const [px] = pointer(ev, g.node());
          const j = by(rowsOk, x.invert(px));
          const i = rowsOk[j];
          if (i === undefined) return;
          rule.attr('visibility', 'visible').attr('x1', x(steps[i])).attr('x2', x(steps[i])).attr('y1', M.top).attr('y2', PANEL_H - M.bottom);
          tip.show([`${info.label} · step ${steps[i]}`, ...info.experts.map((e, ei) => `${e.label}: ${fmt(cols0[ei].data[i], 3)}`)], ev);
        })
        .on('mouseleave', () => {
          rule.attr('visibility', 'hidden');
          tip.hide();
        });
    });
  }, [width]);

  return (
    <ChartCard
      title="Gate weights over time"
      help="For each gate, the mean weight of each expert (stacked, so the bands fill 0..1) on a test subset as training goes. Bands that settle early mean the gate made up its mind; bands that swap mean experts are being re-assigned."
      tipRef={tipRef}
      testId="chart-timeline"
    >
      <div ref={box} className="chart-box">
        <svg ref={svgRef} className="chart" role="img" aria-label="Mean gate weight per expert over training steps, per gate" />
      </div>
    </ChartCard>
  );
}
