// Gate weights over time: for each gate, the mean weight of each expert
// (on a test subset) as a stacked area, so the bands always fill 0..1.
import { area, axisBottom, bisector, pointer, scaleLinear, select, type ScaleLinear } from 'd3';
import { useRef } from 'react';
import { liveStore, type LiveRun } from '../state/live';
import { fmt } from '../state/format';
import { usePlayground } from '../state/store';
import { ChartCard, useTip } from './ChartCard';
import { moduleColor, shade } from './palette';
import { useLiveDraw, useWidth } from './useChart';

const PANEL_H = 96;
const M = { top: 18, right: 8, bottom: 20, left: 26 };

const Y = scaleLinear().domain([0, 1]).range([PANEL_H - M.bottom, M.top]);

/** Rows where every expert's mean is finite (a gate that appeared late is padded with NaN). */
function finiteRows(run: LiveRun, cols: { data: Float64Array }[]): number[] {
  const rows: number[] = [];
  for (let i = 0; i < run.gateSteps.length; i++) if (cols.every((c) => Number.isFinite(c.data[i]))) rows.push(i);
  return rows;
}

function nearestRow(run: LiveRun, cols: { data: Float64Array }[], step: number): number {
  const rows = finiteRows(run, cols);
  if (!rows.length) return -1;
  return rows[bisector<number, number>((i) => run.gateSteps.get(i)).center(rows, step)];
}

/** One stacked band per expert: cumulative mean weights, so the bands fill 0..1. */
function drawBands(g: ReturnType<typeof select<SVGGElement, unknown>>, run: LiveRun, key: string, x: ScaleLinear<number, number>) {
  const info = run.gateInfo.get(key);
  const cols = run.gateSeries.get(key);
  if (!info || !cols) return;
  const rows = finiteRows(run, cols);
  const cum = rows.map((i) => {
    const acc = [0];
    for (const c of cols) acc.push(acc[acc.length - 1] + c.data[i]);
    return acc;
  });
  const modCounts = new Map<string, number>();
  info.experts.forEach((e) => modCounts.set(e.module, (modCounts.get(e.module) ?? 0) + 1));
  const seenIdx = new Map<string, number>();
  const bands = info.experts.map((e, ei) => {
    const idx = seenIdx.get(e.module) ?? 0;
    seenIdx.set(e.module, idx + 1);
    const gen = area<number>()
      .x((_, j) => x(run.gateSteps.get(rows[j])))
      .y0((_, j) => Y(Math.min(1, cum[j][ei])))
      .y1((_, j) => Y(Math.min(1, cum[j][ei + 1])));
    return { d: gen(rows) ?? '', fill: shade(moduleColor(e.module), idx, modCounts.get(e.module) ?? 1) };
  });
  g.select('g.bands')
    .selectAll('path.timeline-band')
    .data(bands)
    .join('path')
    .attr('class', 'timeline-band')
    .attr('d', (b) => b.d)
    .attr('fill', (b) => b.fill)
    .attr('stroke', '#fff')
    .attr('stroke-width', 0.5);
}

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
  const drawnRows = useRef(0);
  const xRef = useRef<ScaleLinear<number, number> | null>(null);

  useLiveDraw('timeline', () => {
    const svg = svgRef.current;
    if (!svg) return;
    const run = viewedRun();
    const root = select(svg);
    const n = run?.gateSteps.length ?? 0;
    const keys = run ? [...run.gateSeries.keys()] : [];
    const shape = `${width}:${run?.runId}:${run?.runIndex}:${run?.totalSteps}:${keys.join(',')}:${n > 0}`;
    if (shape === stamp.current) {
      // Same panels: redraw the bands in place when new gate statistics arrived.
      if (run && n !== drawnRows.current) {
        drawnRows.current = n;
        root.selectAll<SVGGElement, unknown>('g.timeline-panel').each(function () {
          drawBands(select(this), run, this.dataset.gate!, xRef.current!);
        });
      }
      return;
    }
    stamp.current = shape;
    drawnRows.current = n;
    root.selectAll('*').remove();
    if (!run || n === 0 || run.gateSeries.size === 0) {
      root.attr('width', width).attr('height', 44);
      root.append('text').attr('x', 8).attr('y', 26).attr('font-size', 12).attr('fill', '#555').text(run && run.gateSeries.size === 0 && n > 0 ? 'This model has no gates.' : 'Gate weights over time appear while a gated model trains.');
      return;
    }
    const cols = width >= 480 ? 2 : 1;
    const pw = (width - (cols - 1) * 12) / cols;
    const rows = Math.ceil(keys.length / cols);
    const height = rows * (PANEL_H + 6);
    root.attr('width', width).attr('height', height);
    const x = scaleLinear().domain([0, Math.max(1, run.totalSteps || run.gateSteps.last())]).range([M.left, pw - M.right]);
    xRef.current = x;
    keys.forEach((k, gi) => {
      const info = run.gateInfo.get(k)!;
      const g = root.append('g').attr('class', 'timeline-panel').attr('data-gate', k).attr('transform', `translate(${(gi % cols) * (pw + 12)},${Math.floor(gi / cols) * (PANEL_H + 6)})`);
      g.append('text').attr('x', M.left).attr('y', 12).attr('font-size', 12).attr('font-weight', 600).attr('fill', '#222').text(`Level ${info.level + 1} · ${info.label}`);
      g.append('g').attr('class', 'bands');
      g.append('g').attr('transform', `translate(0,${PANEL_H - M.bottom})`).call(axisBottom(x).ticks(Math.max(2, Math.floor(pw / 90)), 's')).selectAll('text').attr('font-size', 12);
      for (const t of [0, 1]) g.append('text').attr('x', M.left - 3).attr('y', Y(t) + 3).attr('text-anchor', 'end').attr('font-size', 12).attr('fill', '#555').text(String(t));
      const rule = g.append('line').attr('stroke', '#222').attr('visibility', 'hidden').attr('data-noexport', '1');
      g.append('rect')
        .attr('x', M.left)
        .attr('y', M.top)
        .attr('width', pw - M.left - M.right)
        .attr('height', PANEL_H - M.top - M.bottom)
        .attr('fill', 'transparent')
        .on('mousemove', (ev: MouseEvent) => {
          // Read the run's buffers now: they grow (and may be reallocated) while training.
          const cur = viewedRun();
          const series = cur?.gateSeries.get(k);
          if (!cur || !series) return;
          const [px] = pointer(ev, g.node());
          const i = nearestRow(cur, series, x.invert(px));
          if (i < 0) return;
          const step = cur.gateSteps.get(i);
          rule.attr('visibility', 'visible').attr('x1', x(step)).attr('x2', x(step)).attr('y1', M.top).attr('y2', PANEL_H - M.bottom);
          tip.show([`${info.label} · step ${step}`, ...info.experts.map((e, ei) => `${e.label}: ${fmt(series[ei].get(i), 3)}`)], ev);
        })
        .on('mouseleave', () => {
          rule.attr('visibility', 'hidden');
          tip.hide();
        });
      drawBands(g, run, k, x);
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
