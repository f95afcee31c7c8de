// Loss and metric curves: one panel for the joint loss and one per task;
// training loss (solid) and validation (dashed with dots); log-scale option.
// The panel structure is rebuilt only when the layout changes; paths are
// updated in place on every animation frame that has new data.
import { axisBottom, axisLeft, bisector, line, pointer, scaleLinear, scaleLog, select, type ScaleContinuousNumeric } from 'd3';
import { useRef, useState } from 'react';
import { fmt } from '../state/format';
import { setLogScale, usePlayground } from '../state/store';
import { ChartCard, useTip } from './ChartCard';
import { curveSources, downsample, type CurveSource } from './curveSources';
import { OKABE_ITO, taskColor } from './palette';
import { useLiveDraw, useWidth } from './useChart';

const PANEL_H = 176;
// Title (12 px bold) and the last values above the plot, tick labels and the axis title below: 15 px apart, never touching.
const M = { top: 38, right: 12, bottom: 38, left: 50 };
const RUN_COLORS = [OKABE_ITO.blue, OKABE_ITO.vermillion];
/** The best-validation marker: dark and dash-dot, apart from every task colour and the dashed validation curves. */
const BEST_COLOR = '#333';
const BEST_DASH = '6 3 1 3';

type Mode = 'loss' | 'metric';

interface PanelSpec {
  /** -1 = joint loss, else task index. */
  task: number;
  title: string;
  yLabel: string;
}

function panelSpecs(src: CurveSource, mode: Mode): PanelSpec[] {
  const specs: PanelSpec[] = [];
  if (mode === 'loss') specs.push({ task: -1, title: 'Joint loss Σ ω_k·L_k (train)', yLabel: 'loss' });
  for (let k = 0; k < src.K; k++) {
    const bin = src.taskTypes[k] === 'binary';
    specs.push({
      task: k,
      title: `${src.taskNames[k]} · ${mode === 'loss' ? (bin ? 'log-loss' : 'MSE loss') : bin ? 'validation AUC' : 'validation MSE'}`,
      yLabel: mode === 'loss' ? 'loss' : bin ? 'AUC' : 'MSE',
    });
  }
  return specs;
}

function valValue(m: { loss: number; mse?: number; auc?: number } | undefined, mode: Mode, binary: boolean): number {
  if (!m) return NaN;
  if (mode === 'loss') return m.loss;
  return binary ? (m.auc ?? NaN) : (m.mse ?? m.loss);
}

export function CurvesChart() {
  const box = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const width = useWidth(box);
  const [tipRef, tip] = useTip();
  const logScale = usePlayground((s) => s.logScale);
  const [mode, setMode] = useState<Mode>('loss');
  const layout = useRef('');
  const stamp = useRef('');

  useLiveDraw('curves', () => {
    const svg = svgRef.current;
    if (!svg) return;
    const sources = curveSources();
    const log = usePlayground.getState().logScale;
    const root = select(svg);
    if (sources.length === 0) {
      if (layout.current !== 'empty') {
        layout.current = 'empty';
        stamp.current = '';
        root.selectAll('*').remove();
        root.attr('width', width).attr('height', 44);
        root.append('text').attr('x', 8).attr('y', 26).attr('font-size', 12).attr('fill', '#555').text('Press Play: the loss curves draw here as the model trains.');
      }
      return;
    }
    const first = sources[0];
    const specs = panelSpecs(first, mode);
    const cols = width >= 480 ? 2 : 1;
    const pw = (width - (cols - 1) * 12) / cols;
    const rows = Math.ceil(specs.length / cols);
    const legendH = 20;
    const height = rows * (PANEL_H + 8) + legendH;
    const hasBest = sources.some((s) => s.best);
    const layoutKey = JSON.stringify([width, mode, log, specs.map((s) => s.title), sources.map((s) => s.key), hasBest]);
    const dataStamp = sources.map((s) => s.stamp).join('|');
    if (layoutKey === layout.current && dataStamp === stamp.current) return;
    const rebuild = layoutKey !== layout.current;
    layout.current = layoutKey;
    stamp.current = dataStamp;
    if (rebuild) {
      root.selectAll('*').remove();
      root.attr('width', width).attr('height', height);
      const lg = root.append('g').attr('class', 'curve-legend').attr('transform', `translate(0,${height - 6})`);
      const items: [string, string, string][] =
        sources.length === 2
          ? [
              [RUN_COLORS[0], '', sources[0].label],
              [RUN_COLORS[1], '', sources[1].label],
              ['#333', '', 'solid: train'],
              ['#333', '5 3', 'dashed: validation'],
            ]
          : [
              ['#333', '', 'train (loss read back every few steps)'],
              ['#333', '5 3', 'validation'],
            ];
      let lx = 0;
      for (const [c, dash, label] of items) {
        lg.append('line').attr('x1', lx).attr('x2', lx + 18).attr('y1', -4).attr('y2', -4).attr('stroke', c).attr('stroke-width', 2).attr('stroke-dasharray', dash || null);
        const t = lg.append('text').attr('x', lx + 22).attr('y', 0).attr('font-size', 12).attr('fill', '#333').text(label);
        lx += 30 + (t.node()?.getComputedTextLength?.() || label.length * 6);
      }
      if (hasBest) {
        const full = 'best validation step (the test numbers come from it)';
        const text = lx + 16 + full.length * 6 <= width ? full : 'best val. step';
        lg.append('line').attr('class', 'best-legend').attr('x1', lx + 9).attr('x2', lx + 9).attr('y1', -11).attr('y2', 2).attr('stroke', BEST_COLOR).attr('stroke-width', 1.5).attr('stroke-dasharray', BEST_DASH);
        lg.append('text').attr('x', lx + 16).attr('y', 0).attr('font-size', 12).attr('fill', '#333').text(text);
      }
      specs.forEach((sp, i) => {
        const c = i % cols;
        const r = Math.floor(i / cols);
        const g = root.append('g').attr('class', 'curve-panel').attr('data-task', sp.task).attr('transform', `translate(${c * (pw + 12)},${r * (PANEL_H + 8)})`);
        g.append('text').attr('class', 'panel-title').attr('x', M.left).attr('y', 13).attr('font-size', 12).attr('font-weight', 600).attr('fill', sp.task >= 0 ? taskColor(sp.task) : '#222').text(sp.title);
        g.append('text').attr('class', 'panel-last').attr('x', M.left).attr('y', 29).attr('font-size', 12).attr('fill', '#444');
        g.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${PANEL_H - M.bottom})`);
        g.append('g').attr('class', 'y-axis').attr('transform', `translate(${M.left},0)`);
        g.append('text').attr('x', pw - M.right).attr('y', PANEL_H - 2).attr('text-anchor', 'end').attr('font-size', 12).attr('fill', '#555').text('step');
        g.append('text')
          .attr('transform', `translate(12,${(M.top + PANEL_H - M.bottom) / 2}) rotate(-90)`)
          .attr('text-anchor', 'middle')
          .attr('font-size', 12)
          .attr('fill', '#555')
          .text(sp.yLabel + (log ? ' (log)' : ''));
        g.append('line').attr('class', 'diverged-line').attr('stroke', OKABE_ITO.vermillion).attr('stroke-dasharray', '2 2').attr('visibility', 'hidden');
        g.append('g').attr('class', 'series');
        g.append('g').attr('class', 'best-marks');
        g.append('line').attr('class', 'hover-rule').attr('stroke', '#999').attr('visibility', 'hidden').attr('data-noexport', '1');
        g.append('rect').attr('class', 'hover-target').attr('x', M.left).attr('y', M.top).attr('width', pw - M.left - M.right).attr('height', PANEL_H - M.top - M.bottom).attr('fill', 'transparent');
      });
    }
    const maxStep = Math.max(1, ...sources.map((s) => s.totalSteps || (s.n ? s.step[s.n - 1] : 1)));
    const x = scaleLinear().domain([0, maxStep]).range([M.left, pw - M.right]);
    const buckets = Math.max(50, Math.floor(pw - M.left - M.right));
    const keep = log ? (v: number) => Number.isFinite(v) && v > 0 : Number.isFinite;
    root.selectAll<SVGGElement, unknown>('g.curve-panel').each(function (_, i) {
      const sp = specs[i];
      if (!sp) return;
      const g = select(this);
      const series = sources.map((src, si) => {
        const binary = sp.task >= 0 && src.taskTypes[sp.task] === 'binary';
        const train =
          mode === 'loss' ? downsample(src.step, sp.task < 0 ? src.joint : src.task[sp.task], src.n, buckets, keep) : ([] as [number, number][]);
        const val: [number, number][] =
          sp.task < 0
            ? []
            : src.val.map((v) => [v.step, valValue(v.metrics[sp.task], mode, binary)] as [number, number]).filter(([, y]) => keep(y));
        const color = sources.length === 2 ? RUN_COLORS[si] : sp.task >= 0 ? taskColor(sp.task) : '#222';
        return { src, train, val, color };
      });
      const ys = series.flatMap((s) => [...s.train.map((p) => p[1]), ...s.val.map((p) => p[1])]);
      let y: ScaleContinuousNumeric<number, number>;
      if (ys.length === 0) y = (log ? scaleLog().domain([0.01, 1]) : scaleLinear().domain([0, 1])).range([PANEL_H - M.bottom, M.top]);
      else {
        let lo = Math.min(...ys);
        let hi = Math.max(...ys);
        if (!log) {
          const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 0.1;
          lo = mode === 'loss' ? Math.max(0, lo - pad) : lo - pad;
          hi += pad;
          y = scaleLinear().domain([lo, hi]).range([PANEL_H - M.bottom, M.top]).nice();
        } else {
          if (lo === hi) {
            lo /= 1.5;
            hi *= 1.5;
          }
          y = scaleLog().domain([lo, hi]).range([PANEL_H - M.bottom, M.top]).nice();
        }
      }
      // Axes only when their domain changed; series updated in place (data joins), not rebuilt.
      const xKey = x.domain().join();
      const yKey = y.domain().join();
      const node = this as SVGGElement;
      if (node.dataset.x !== xKey) {
        node.dataset.x = xKey;
        g.select<SVGGElement>('g.x-axis').call(axisBottom(x).ticks(Math.max(2, Math.floor(pw / 90)), 's')).selectAll('text').attr('font-size', 12);
      }
      if (node.dataset.y !== yKey) {
        node.dataset.y = yKey;
        g.select<SVGGElement>('g.y-axis').call(axisLeft(y).ticks(4, log ? '~g' : '.3~g')).selectAll('text').attr('font-size', 12);
      }
      const lineGen = line<[number, number]>()
        .x((d) => x(d[0]))
        .y((d) => y(d[1]));
      const groups = g.select<SVGGElement>('g.series').selectAll<SVGGElement, (typeof series)[number]>('g.src').data(series).join('g').attr('class', 'src');
      groups.each(function (s) {
        const sg = select(this);
        sg.selectAll<SVGPathElement, unknown>('path.curve-train')
          .data(s.train.length ? [s.train] : [])
          .join('path')
          .attr('class', 'curve-train')
          .attr('d', (d) => lineGen(d))
          .attr('fill', 'none')
          .attr('stroke', s.color)
          .attr('stroke-width', 1.6);
        sg.selectAll<SVGPathElement, unknown>('path.curve-val')
          .data(s.val.length ? [s.val] : [])
          .join('path')
          .attr('class', 'curve-val')
          .attr('d', (d) => lineGen(d))
          .attr('fill', 'none')
          .attr('stroke', s.color)
          .attr('stroke-width', 1.4)
          .attr('stroke-dasharray', '5 3');
        sg.selectAll<SVGCircleElement, [number, number]>('circle.val-dot')
          .data(s.val)
          .join('circle')
          .attr('class', 'val-dot')
          .attr('cx', (d) => x(d[0]))
          .attr('cy', (d) => y(d[1]))
          .attr('r', 2.4)
          .attr('fill', '#fff')
          .attr('stroke', s.color);
      });
      const lastTrain = series[0].train.at(-1);
      const lastVal = series[0].val.at(-1);
      g.select('text.panel-last').text(
        [lastTrain ? `train ${fmt(lastTrain[1], 4)}` : '', lastVal ? `val ${fmt(lastVal[1], 4)}` : ''].filter(Boolean).join(' · '),
      );
      const div = sources[0].divergedAt;
      g.select('line.diverged-line')
        .attr('visibility', div !== null ? 'visible' : 'hidden')
        .attr('x1', div !== null ? x(div) : 0)
        .attr('x2', div !== null ? x(div) : 0)
        .attr('y1', M.top)
        .attr('y2', PANEL_H - M.bottom);
      // The step the test numbers come from (best validation), once a run has finished with selection on.
      const marks = sources
        .map((src, si) => ({ src, si, step: src.best ? (sp.task < 0 ? src.best.joint : (src.best.task[sp.task] ?? null)) : null }))
        .filter((m): m is { src: CurveSource; si: number; step: number } => m.step !== null && Number.isFinite(m.step));
      const plotMid = (M.left + pw - M.right) / 2;
      const mg = g
        .select<SVGGElement>('g.best-marks')
        .selectAll<SVGGElement, (typeof marks)[number]>('g.best-step')
        .data(marks)
        .join((enter) => {
          const e = enter.append('g').attr('class', 'best-step');
          e.append('line').attr('class', 'best-step-line').attr('stroke-width', 1.5).attr('stroke-dasharray', BEST_DASH);
          e.append('text').attr('class', 'best-step-label').attr('font-size', 12).attr('paint-order', 'stroke').attr('stroke', '#fff').attr('stroke-width', 3).attr('stroke-linejoin', 'round');
          e.append('title');
          return e;
        })
        .attr('data-step', (m) => m.step);
      mg.select('line.best-step-line')
        .attr('x1', (m) => x(m.step))
        .attr('x2', (m) => x(m.step))
        .attr('y1', M.top)
        .attr('y2', PANEL_H - M.bottom)
        .attr('stroke', (m) => (sources.length === 2 ? RUN_COLORS[m.si] : BEST_COLOR));
      mg.select('text.best-step-label')
        .attr('x', (m) => x(m.step) + (x(m.step) > plotMid ? -4 : 4))
        .attr('y', (m, i) => M.top + 13 + i * 15)
        .attr('text-anchor', (m) => (x(m.step) > plotMid ? 'end' : 'start'))
        .attr('fill', (m) => (sources.length === 2 ? RUN_COLORS[m.si] : '#222'))
        .text((m) => `best val. step ${m.step}`);
      mg.select('title').text((m) => `${sources.length === 2 ? `${m.src.label}: ` : ''}best joint validation loss at step ${m.step}; the test metrics, gate statistics and export use the weights of this step`);
      const rule = g.select('line.hover-rule');
      const byStep = bisector<[number, number], number>((d) => d[0]).center;
      g.select<SVGRectElement>('rect.hover-target')
        .on('mousemove', (ev: MouseEvent) => {
          const [px] = pointer(ev, g.node());
          const step = x.invert(px);
          const lines = [`${sp.title} · step ≈ ${Math.round(step)}`];
          for (const s of series) {
            const who = series.length > 1 ? `${s.src.label}: ` : '';
            const t = s.train[byStep(s.train, step)];
            const v = s.val[byStep(s.val, step)];
            if (t) lines.push(`${who}train ${fmt(t[1], 4)} (step ${t[0]})`);
            if (v) lines.push(`${who}validation ${fmt(v[1], 4)} (step ${v[0]})`);
          }
          rule.attr('visibility', 'visible').attr('x1', x(step)).attr('x2', x(step)).attr('y1', M.top).attr('y2', PANEL_H - M.bottom);
          tip.show(lines, ev);
        })
        .on('mouseleave', () => {
          rule.attr('visibility', 'hidden');
          tip.hide();
        });
    });
  }, [width, logScale, mode]);

  return (
    <ChartCard
      title="Loss and metric curves"
      help="Per task: training loss (solid, read back every few steps) and validation (dashed). Switch to metrics for validation MSE or AUC. A task whose loss stalls while another falls is a sign of negative transfer. The dash-dot line marks the best validation step: with best-validation selection on, the test metrics, gate statistics and export use the weights of that step."
      tipRef={tipRef}
      testId="chart-curves"
      tools={
        <>
          <div className="seg" role="group" aria-label="Curves show">
            <button type="button" className="mini" aria-pressed={mode === 'loss'} onClick={() => setMode('loss')} title="Show training and validation loss">
              loss
            </button>
            <button type="button" className="mini" aria-pressed={mode === 'metric'} onClick={() => setMode('metric')} title="Show validation MSE (regression) or AUC (binary)">
              metric
            </button>
          </div>
          <label className="mini-check" title="Logarithmic y axis (non-positive values are left out)">
            <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} /> log y
          </label>
        </>
      }
    >
      <div ref={box} className="chart-box">
        <svg ref={svgRef} className="chart" role="img" aria-label="Loss and metric curves per task" />
      </div>
    </ChartCard>
  );
}
