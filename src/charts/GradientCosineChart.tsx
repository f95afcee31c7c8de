// Gradient conflict, live (issue 12): the cosine between two tasks' gradients
// on the model's shared parameters, per task pair, over training (y from −1
// to 1, zero marked). Fed by the worker snapshot's gradCosine field.
import { axisBottom, axisLeft, bisector, line, pointer, scaleLinear, select } from 'd3';
import { useRef } from 'react';
import { liveStore, type LiveRun } from '../state/live';
import { fmt } from '../state/format';
import { usePlayground } from '../state/store';
import { ChartCard, useTip } from './ChartCard';
import { OKABE_ITO, TASK_COLORS } from './palette';
import { useLiveDraw, useWidth } from './useChart';

const HEIGHT = 200;
const LEGEND_ROW = 17;
const M = { top: 12, right: 12, bottom: 44, left: 40 };
const PAIR_COLORS = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.green, OKABE_ITO.purple, OKABE_ITO.orange, OKABE_ITO.skyBlue, OKABE_ITO.black, ...TASK_COLORS];
const DASHES = ['', '6 3', '2 2', '8 3 2 3'];

function pairsOf(K: number): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a < K; a++) for (let b = a + 1; b < K; b++) out.push([a, b]);
  return out;
}

const pairName = ([a, b]: [number, number]) => `Task ${a + 1} × Task ${b + 1}`;

function viewedRun(): LiveRun | null {
  const { viewRun, compare } = usePlayground.getState();
  if (compare.length === 2) return null;
  const live = liveStore.getState();
  return live.runs[viewRun ?? live.current] ?? null;
}

export function GradientCosineChart() {
  const box = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const width = useWidth(box);
  const [tipRef, tip] = useTip();
  const stamp = useRef('');

  useLiveDraw('gradcos', () => {
    const svg = svgRef.current;
    if (!svg) return;
    const run = viewedRun();
    const n = run?.gradCosSteps.length ?? 0;
    const shape = `${width}:${run?.runId}:${run?.runIndex}:${run?.totalSteps}:${run?.gradCosMode}:${n}`;
    if (shape === stamp.current) return;
    stamp.current = shape;
    const root = select(svg);
    root.selectAll('*').remove();
    const message = (text: string) => {
      root.attr('width', width).attr('height', 44);
      root.append('text').attr('class', 'gradcos-empty').attr('x', 8).attr('y', 26).attr('font-size', 12).attr('fill', '#555').text(text);
    };
    if (!run) return message('The gradient cosine between tasks draws here while a model trains.');
    if (run.gradCosMode === 'none' || run.K < 2) return message('Nothing is shared in this model: its tasks cannot conflict on shared weights.');
    if (run.gradCosMode === 'off') return message('The gradient-conflict probe is off (train.gradCosineEvery = 0).');
    if (n === 0) return message('Waiting for the first gradient-cosine measurement…');
    const pairs = pairsOf(run.K);
    // Legend rows first (they wrap downward, below the axis), so the height fits them.
    const entries = pairs.map((p, pi) => {
      const s = run.gradCos[pi];
      let neg = 0;
      for (let i = 0; i < n; i++) if (s.get(i) < 0) neg++;
      return `${pairName(p)} (${Math.round((100 * neg) / n)}% < 0)`;
    });
    const placed: { x: number; row: number }[] = [];
    {
      let lx = 0;
      let row = 0;
      for (const label of entries) {
        const w = 30 + label.length * 7.2;
        if (lx > 0 && lx + w > width - M.left) {
          lx = 0;
          row++;
        }
        placed.push({ x: lx, row });
        lx += w;
      }
    }
    const legendRows = (placed.at(-1)?.row ?? 0) + 1;
    root.attr('width', width).attr('height', HEIGHT + (legendRows - 1) * LEGEND_ROW);
    const x = scaleLinear().domain([0, Math.max(1, run.totalSteps || run.gradCosSteps.last())]).range([M.left, width - M.right]);
    const y = scaleLinear().domain([-1, 1]).range([HEIGHT - M.bottom, M.top]);
    root.append('rect').attr('x', M.left).attr('y', y(0)).attr('width', width - M.left - M.right).attr('height', y(-1) - y(0)).attr('fill', '#fbeee6');
    root.append('g').attr('transform', `translate(0,${HEIGHT - M.bottom})`).call(axisBottom(x).ticks(Math.max(2, Math.floor(width / 90)), 's')).selectAll('text').attr('font-size', 12);
    root.append('g').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).tickValues([-1, -0.5, 0, 0.5, 1])).selectAll('text').attr('font-size', 12);
    root.append('line').attr('class', 'gradcos-zero').attr('x1', M.left).attr('x2', width - M.right).attr('y1', y(0)).attr('y2', y(0)).attr('stroke', '#222').attr('stroke-width', 1.2);
    root.append('text').attr('x', width - M.right - 4).attr('y', y(0) + 15).attr('text-anchor', 'end').attr('font-size', 12).attr('fill', '#8a3b12').text('below 0: conflict');
    const idx = Array.from({ length: n }, (_, i) => i);
    pairs.forEach((_, pi) => {
      const s = run.gradCos[pi];
      const gen = line<number>()
        .x((i) => x(run.gradCosSteps.get(i)))
        .y((i) => y(s.get(i)));
      root
        .append('path')
        .attr('class', 'gradcos-line')
        .attr('data-pair', pi)
        .attr('d', gen(idx) ?? '')
        .attr('fill', 'none')
        .attr('stroke', PAIR_COLORS[pi % PAIR_COLORS.length])
        .attr('stroke-width', 1.8)
        .attr('stroke-dasharray', DASHES[Math.floor(pi / PAIR_COLORS.length) % DASHES.length] || null);
    });
    // Legend: one entry per pair, with its share of negative measurements.
    const lg = root.append('g').attr('class', 'gradcos-legend').attr('transform', `translate(${M.left},${HEIGHT - 8})`);
    entries.forEach((label, pi) => {
      const { x: lx, row } = placed[pi];
      const ly = row * LEGEND_ROW;
      lg.append('line').attr('x1', lx).attr('x2', lx + 18).attr('y1', ly - 4).attr('y2', ly - 4).attr('stroke', PAIR_COLORS[pi % PAIR_COLORS.length]).attr('stroke-width', 2).attr('stroke-dasharray', DASHES[Math.floor(pi / PAIR_COLORS.length) % DASHES.length] || null);
      lg.append('text').attr('x', lx + 22).attr('y', ly).attr('font-size', 12).attr('fill', '#333').text(label);
    });
    const rule = root.append('line').attr('stroke', '#222').attr('visibility', 'hidden').attr('data-noexport', '1');
    root
      .append('rect')
      .attr('x', M.left)
      .attr('y', M.top)
      .attr('width', width - M.left - M.right)
      .attr('height', HEIGHT - M.top - M.bottom)
      .attr('fill', 'transparent')
      .on('mousemove', (ev: MouseEvent) => {
        const cur = viewedRun();
        if (!cur || cur.gradCosSteps.length === 0) return;
        const [px] = pointer(ev, svg);
        const rows = Array.from({ length: cur.gradCosSteps.length }, (_, i) => i);
        const i = rows[bisector<number, number>((r) => cur.gradCosSteps.get(r)).center(rows, x.invert(px))];
        const step = cur.gradCosSteps.get(i);
        rule.attr('visibility', 'visible').attr('x1', x(step)).attr('x2', x(step)).attr('y1', M.top).attr('y2', HEIGHT - M.bottom);
        tip.show([`step ${step}`, ...pairsOf(cur.K).map((p, pi) => `${pairName(p)}: cos ${fmt(cur.gradCos[pi].get(i), 3)}`)], ev);
      })
      .on('mouseleave', () => {
        rule.attr('visibility', 'hidden');
        tip.hide();
      });
  }, [width]);

  return (
    <ChartCard
      title="Gradient conflict"
      help="Every few steps, on one training batch: the cosine between two tasks' gradients on the weights they share (shared experts, shared bottom, stitched columns). Near +1 the tasks push the shared weights the same way and help each other; near 0 they are unrelated; below 0 they pull the shared weights in opposite directions — gradient conflict: what one task gains there, the other loses."
      tipRef={tipRef}
      testId="chart-gradcos"
    >
      <div ref={box} className="chart-box">
        <svg ref={svgRef} className="chart" role="img" aria-label="Cosine between task gradients on the shared parameters over training steps, per task pair" />
      </div>
    </ChartCard>
  );
}
