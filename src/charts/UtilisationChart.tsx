// Expert utilisation (SPEC §5, PLE paper §5.3): for every gate of every level,
// one bar per expert = the MEAN gate weight over the test set, whisker = ± one
// standard deviation (default) or ± the variance (toggle). Per level: the mean
// L1 distance between the task gates and the gates' mean entropy.
import { scaleLinear, select } from 'd3';
import { useRef } from 'react';
import type { LevelGateStats } from '../core/types';
import { fmt } from '../state/format';
import { setWhisker, usePlayground } from '../state/store';
import { ChartCard, useTip, type Tip } from './ChartCard';
import { moduleColor, shade } from './palette';
import { gatePanels, type GatePanel } from './panels';
import { useLiveDraw, useWidth } from './useChart';

const PLOT_H = 110;
const LEVEL_HEAD = 34;
const GATE_LABEL_H = 30;
const PANEL_HEAD = 22;
const PANEL_GAP = 14;
const AXIS_W = 28;

function levelHeight() {
  return LEVEL_HEAD + PLOT_H + GATE_LABEL_H;
}

function moduleShade(experts: { module: string; index: number }[], i: number) {
  const e = experts[i];
  const same = experts.filter((x) => x.module === e.module).length;
  return shade(moduleColor(e.module), e.index, same);
}

function drawPanel(
  g: ReturnType<typeof select<SVGGElement, unknown>>,
  p: GatePanel,
  width: number,
  mode: 'std' | 'variance',
  tip: Tip,
) {
  g.append('text').attr('x', 0).attr('y', 14).attr('font-size', 13).attr('font-weight', 600).attr('fill', '#1b1b1b').text(p.title);
  g.append('text')
    .attr('x', width)
    .attr('y', 14)
    .attr('text-anchor', 'end')
    .attr('font-size', 10.5)
    .attr('fill', '#555')
    .text(`${p.source === 'live' ? 'live' : p.source === 'final' ? 'final' : 'saved'} · step ${p.step}`);
  const y = scaleLinear().domain([0, 1]).range([PLOT_H, 0]);
  p.levels.forEach((lvl: LevelGateStats, li) => {
    const top = PANEL_HEAD + li * levelHeight();
    const lg = g.append('g').attr('class', 'util-level').attr('transform', `translate(0,${top})`);
    const taskGates = lvl.gates.filter((x) => x.id.startsWith('task:')).length;
    const l1 = taskGates >= 2 && Number.isFinite(lvl.taskGateL1) ? fmt(lvl.taskGateL1, 3) : 'n/a';
    const ent = Number.isFinite(lvl.meanTaskEntropy) ? fmt(lvl.meanTaskEntropy, 3) : 'n/a';
    lg.append('text').attr('x', 0).attr('y', 12).attr('font-size', 11.5).attr('font-weight', 600).attr('fill', '#333').text(`Level ${lvl.level + 1}`);
    lg.append('text')
      .attr('class', 'util-figures')
      .attr('x', 0)
      .attr('y', 26)
      .attr('font-size', 11)
      .attr('fill', '#333')
      .attr('data-l1', taskGates >= 2 && Number.isFinite(lvl.taskGateL1) ? lvl.taskGateL1 : '')
      .attr('data-entropy', Number.isFinite(lvl.meanTaskEntropy) ? lvl.meanTaskEntropy : '')
      .text(`task-gate L1 distance ${l1} · mean task-gate entropy ${ent} nats`);
    const plot = lg.append('g').attr('transform', `translate(${AXIS_W},${LEVEL_HEAD})`);
    const innerW = width - AXIS_W;
    // Axis: 0, 0.5, 1 with light grid lines.
    for (const t of [0, 0.5, 1]) {
      plot.append('line').attr('x1', 0).attr('x2', innerW).attr('y1', y(t)).attr('y2', y(t)).attr('stroke', t === 0 ? '#888' : '#e3e3e3');
      plot.append('text').attr('x', -4).attr('y', y(t) + 3.5).attr('text-anchor', 'end').attr('font-size', 9.5).attr('fill', '#555').text(t === 0.5 ? '.5' : String(t));
    }
    const slots = lvl.gates.reduce((s, gate) => s + gate.mean.length, 0) + (lvl.gates.length - 1) * 0.8;
    const slotW = innerW / Math.max(1, slots);
    let x0 = 0;
    for (const gate of lvl.gates) {
      const gg = plot.append('g').attr('class', 'util-gate').attr('data-gate', gate.id);
      const n = gate.mean.length;
      const gw = n * slotW;
      gate.mean.forEach((m, i) => {
        if (!Number.isFinite(m)) return;
        const spread = mode === 'std' ? gate.std[i] : gate.variance[i];
        const s = Number.isFinite(spread) ? spread : 0;
        const bx = x0 + i * slotW + slotW * 0.12;
        const bw = slotW * 0.76;
        const ex = gate.experts[i];
        const lines = [
          `${gate.label} → ${ex?.label ?? `expert ${i}`}`,
          `mean weight ${fmt(m, 4)}`,
          `std ${fmt(gate.std[i], 4)}`,
          `variance ${fmt(gate.variance[i], 5)}`,
          `${p.title}, level ${lvl.level + 1}`,
        ];
        gg.append('rect')
          .attr('class', 'util-bar')
          .attr('x', bx)
          .attr('width', bw)
          .attr('y', y(Math.min(1, Math.max(0, m))))
          .attr('height', Math.max(0, PLOT_H - y(Math.min(1, Math.max(0, m)))))
          .attr('fill', moduleShade(gate.experts, i))
          .attr('data-mean', m)
          .attr('data-std', gate.std[i])
          .attr('data-variance', gate.variance[i])
          .on('mousemove', (ev: MouseEvent) => tip.show(lines, ev))
          .on('mouseleave', () => tip.hide())
          .append('title')
          .text(lines.join('\n'));
        const lo = Math.max(0, m - s);
        const hi = Math.min(1, m + s);
        const cx = bx + bw / 2;
        const wk = gg.append('g').attr('class', 'util-whisker').attr('pointer-events', 'none');
        wk.append('line').attr('x1', cx).attr('x2', cx).attr('y1', y(lo)).attr('y2', y(hi)).attr('stroke', '#1b1b1b').attr('stroke-width', 1.2);
        for (const v of [lo, hi])
          wk.append('line').attr('x1', cx - bw * 0.22).attr('x2', cx + bw * 0.22).attr('y1', y(v)).attr('y2', y(v)).attr('stroke', '#1b1b1b').attr('stroke-width', 1.2);
        // Short tick label coloured by module: E<i> for a task's own expert, S<i> for a shared one.
        gg.append('text')
          .attr('x', cx)
          .attr('y', PLOT_H + 11)
          .attr('text-anchor', 'middle')
          .attr('font-size', slotW < 18 ? 8 : 9.5)
          .attr('fill', ex ? moduleColor(ex.module) : '#444')
          .text(ex ? `${ex.module === 'shared' ? 'S' : 'E'}${ex.index}` : String(i));
      });
      gg.append('text')
        .attr('x', x0 + gw / 2)
        .attr('y', PLOT_H + 24)
        .attr('text-anchor', 'middle')
        .attr('font-size', 10.5)
        .attr('font-weight', 600)
        .attr('fill', gate.id.startsWith('task:') ? moduleColor(gate.id) : '#333')
        .text(`${gate.label.replace(/^Gate /, '')} (H=${fmt(gate.entropy, 2)})`)
        .append('title')
        .text(`${gate.label}: mean entropy ${fmt(gate.entropy, 4)} nats (max ln ${n} = ${fmt(Math.log(n), 3)})`);
      x0 += gw + slotW * 0.8;
    }
  });
}

export function UtilisationChart() {
  const box = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const width = useWidth(box);
  const [tipRef, tip] = useTip();
  const whisker = usePlayground((s) => s.whisker);
  const sig = useRef('');

  useLiveDraw('utilisation', () => {
    const svg = svgRef.current;
    if (!svg) return;
    const panels = gatePanels();
    const mode = usePlayground.getState().whisker;
    const key = JSON.stringify([width, mode, panels.map((p) => [p.key, p.title, p.step, p.source, p.levels.length])]);
    if (key === sig.current) return;
    sig.current = key;
    const root = select(svg);
    root.selectAll('*').remove();
    if (panels.length === 0) {
      root.attr('width', width).attr('height', 60);
      root;
      root.append('text').attr('x', 8).attr('y', 24).attr('font-size', 12).attr('fill', '#555').text('No gates yet: train a gated model');
      root.append('text').attr('x', 8).attr('y', 42).attr('font-size', 12).attr('fill', '#555').text('(OMoE, MMoE, ML-MMoE, CGC or PLE).');
      return;
    }
    const cols = Math.max(1, Math.min(panels.length, Math.floor((width + PANEL_GAP) / 230)));
    const pw = (width - PANEL_GAP * (cols - 1)) / cols;
    const rows = Math.ceil(panels.length / cols);
    const heights: number[] = [];
    for (let r = 0; r < rows; r++)
      heights.push(PANEL_HEAD + Math.max(...panels.slice(r * cols, r * cols + cols).map((p) => p.levels.length)) * levelHeight() + 10);
    const legendH = 50;
    const total = heights.reduce((a, b) => a + b, 0) + legendH;
    root.attr('width', width).attr('height', total);
    let yOff = 0;
    for (let r = 0; r < rows; r++) {
      panels.slice(r * cols, r * cols + cols).forEach((p, c) => {
        const g = root.append('g').attr('class', 'util-panel').attr('data-run', p.title).attr('transform', `translate(${c * (pw + PANEL_GAP)},${yOff})`);
        drawPanel(g, p, pw, mode, tip);
      });
      yOff += heights[r];
    }
    const lg = root.append('g').attr('class', 'util-legend').attr('transform', `translate(0,${yOff + 4})`);
    lg.append('text').attr('x', 0).attr('y', 10).attr('font-size', 11).attr('fill', '#333').text('Bar: mean gate weight over the test set.');
    lg.append('text')
      .attr('class', 'util-whisker-legend')
      .attr('x', 0)
      .attr('y', 24)
      .attr('font-size', 11)
      .attr('font-weight', 600)
      .attr('fill', '#333')
      .text(mode === 'std' ? 'Whisker: ± 1 standard deviation over test samples.' : 'Whisker: ± variance over test samples.');
    const mods: [string, string][] = [];
    const seen = new Set<string>();
    for (const p of panels)
      for (const l of p.levels)
        for (const gt of l.gates)
          for (const e of gt.experts)
            if (!seen.has(e.module)) {
              seen.add(e.module);
              mods.push([e.module, e.module === 'shared' ? 'Shared experts' : `Task ${Number(e.module.slice(5)) + 1} experts`]);
            }
    mods.sort((a, b) => (a[0] === 'shared' ? 1 : b[0] === 'shared' ? -1 : a[0].localeCompare(b[0])));
    let lx = 0;
    for (const [m, label] of mods) {
      lg.append('rect').attr('x', lx).attr('y', 32).attr('width', 10).attr('height', 10).attr('fill', moduleColor(m));
      lg.append('text').attr('x', lx + 14).attr('y', 41).attr('font-size', 11).attr('fill', '#333').text(label);
      lx += 22 + label.length * 6;
    }
  }, [width, whisker]);

  return (
    <ChartCard
      title="Expert utilisation"
      help="For each gate: bar = mean weight the gate gives each expert over the test set; whisker = spread over samples. Task gates that look alike mean the tasks share experts; different bars mean the experts specialised."
      tipRef={tipRef}
      testId="chart-utilisation"
      tools={
        <div className="seg" role="group" aria-label="Whisker shows">
          <button
            type="button"
            className="mini"
            aria-pressed={whisker === 'std'}
            onClick={() => setWhisker('std')}
            title="Whiskers show ± one standard deviation of the gate weight over test samples"
          >
            std
          </button>
          <button
            type="button"
            className="mini"
            aria-pressed={whisker === 'variance'}
            onClick={() => setWhisker('variance')}
            title="Whiskers show ± the variance of the gate weight over test samples"
          >
            variance
          </button>
        </div>
      }
    >
      <div ref={box} className="chart-box">
        <svg ref={svgRef} className="chart" role="img" aria-label="Expert utilisation: mean gate weight per expert, per gate and level" />
      </div>
    </ChartCard>
  );
}
