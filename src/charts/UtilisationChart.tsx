// Expert utilisation (SPEC §5, PLE paper §5.3): for every gate of every level,
// one bar per expert = the MEAN gate weight over the test set, whisker = ± one
// standard deviation (default) or ± the variance (toggle). Per level, what
// training added first (the task gates' L1 over only the experts both see,
// entropy), then the union L1, labelled as partly structural; under each task
// gate its weight on its own experts against the uniform share, and on
// regional data how differently it routes the two regions (region L1).
import { select } from 'd3';
import { useRef } from 'react';
import type { GateStats, LevelGateStats } from '../core/types';
import { fmt } from '../state/format';
import { setWhisker, usePlayground } from '../state/store';
import { ChartCard, useTip, type Tip } from './ChartCard';
import { moduleColor } from './palette';
import { appendParagraph, ownTitle } from './svg/utilisation';
import {
  AXIS_W,
  drawWeightGrid,
  expertTicks,
  TICK_FONT,
  TICK_Y,
  FIGURE_FONT,
  figuresNoteLines,
  gateFigure,
  GATE_LABEL_Y,
  LEVEL_TITLE_Y,
  levelBox,
  levelParagraphs,
  LINE_H,
  anyRegionFigure,
  hasRegionFigure,
  moduleShade,
  PANEL_GAP,
  PANEL_HEAD,
  panelHeight,
  paragraphLines,
  PLOT_H,
  REGION_FONT,
  regionLines,
  regionTitle,
  regionY,
  slotWidth,
  weightY,
  withBreak,
} from './svg/utilisationLayout';
import { gatePanels, type GatePanel } from './panels';
import { useLiveDraw, useWidth } from './useChart';

type Sel<T extends Element> = ReturnType<typeof select<T, unknown>>;
const Y = weightY;
const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** The parts of a panel that need a rebuild when they change (values do not). */
export function panelShape(p: GatePanel): string {
  return JSON.stringify([
    p.key,
    p.title,
    p.levels.map((l) => [
      l.level,
      levelParagraphs(l).map((x) => x.template),
      l.gates.map((g) => [g.id, g.label, typeof g.ownWeight === 'number', hasRegionFigure(g), g.experts.map((e) => e.module + e.index)]),
    ]),
  ]);
}

/** Replace a <text>'s tspans with these lines (x for every line). */
function setLines(el: SVGTextElement, lines: string[], x: number) {
  const tspans = [...el.querySelectorAll('tspan')];
  if (tspans.length === lines.length) {
    tspans.forEach((t, i) => (t.textContent = withBreak(lines, i)));
    return;
  }
  tspans.forEach((t) => t.remove());
  lines.forEach((_, i) => {
    const t = document.createElementNS('http://www.w3.org/2000/svg', 'tspan');
    t.setAttribute('x', String(x));
    t.setAttribute('dy', String(i === 0 ? 0 : LINE_H));
    t.textContent = withBreak(lines, i);
    el.insertBefore(t, el.querySelector('title'));
  });
}

function setTitle(el: Element, text: string) {
  let t: Element | null = el.querySelector('title');
  if (!t) {
    t = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    el.appendChild(t);
  }
  t.textContent = text;
}

/** Build one panel's structure; every value-bearing element is tagged with its indices for update(). */
function buildPanel(g: Sel<SVGGElement>, pi: number, p: GatePanel, width: number, tip: Tip, current: () => GatePanel[]) {
  g.attr('data-w', width);
  g.append('text').attr('x', 0).attr('y', 14).attr('font-size', 13).attr('font-weight', 600).attr('fill', '#1b1b1b').text(p.title);
  g.append('text').attr('class', 'util-step').attr('data-p', pi).attr('x', width).attr('y', 14).attr('text-anchor', 'end').attr('font-size', 12).attr('fill', '#555');
  let top = PANEL_HEAD;
  p.levels.forEach((lvl: LevelGateStats, li) => {
    const box = levelBox(lvl, width);
    const lg = g.append('g').attr('class', 'util-level').attr('transform', `translate(0,${top})`);
    top += box.height;
    lg.append('text').attr('x', 0).attr('y', LEVEL_TITLE_Y).attr('font-size', 12).attr('font-weight', 600).attr('fill', '#333').text(`Level ${lvl.level + 1}`);
    let ly = LEVEL_TITLE_Y + LINE_H;
    for (const para of box.paragraphs) {
      appendParagraph(lg, para, ly, { panel: pi, level: li });
      ly += para.lines.length * LINE_H;
    }
    const plot = lg.append('g').attr('transform', `translate(${AXIS_W},${box.head})`);
    const innerW = width - AXIS_W;
    drawWeightGrid(plot, innerW);
    const slotW = slotWidth(lvl, innerW);
    let x0 = 0;
    lvl.gates.forEach((gate, gi) => {
      const gg = plot.append('g').attr('class', 'util-gate').attr('data-gate', gate.id);
      const n = gate.mean.length;
      const at = { 'data-p': pi, 'data-l': li, 'data-g': gi };
      const ticks = expertTicks(gate.experts, slotW);
      gate.experts.forEach((ex, i) => {
        const bx = x0 + i * slotW + slotW * 0.12;
        const bw = slotW * 0.76;
        const cx = bx + bw / 2;
        const bar = gg.append('rect').attr('class', 'util-bar').attr('x', bx).attr('width', bw).attr('fill', moduleShade(gate.experts, i));
        const wk = gg.append('g').attr('class', 'util-whisker').attr('pointer-events', 'none');
        for (const [k, v] of Object.entries({ ...at, 'data-e': i })) {
          bar.attr(k, v);
          wk.attr(k, v);
        }
        wk.append('line').attr('class', 'wk-stem').attr('x1', cx).attr('x2', cx).attr('stroke', '#1b1b1b').attr('stroke-width', 1.2);
        wk.append('line').attr('class', 'wk-lo').attr('x1', cx - bw * 0.22).attr('x2', cx + bw * 0.22).attr('stroke', '#1b1b1b').attr('stroke-width', 1.2);
        wk.append('line').attr('class', 'wk-hi').attr('x1', cx - bw * 0.22).attr('x2', cx + bw * 0.22).attr('stroke', '#1b1b1b').attr('stroke-width', 1.2);
        // Hover reads the numbers in force now, not at build time.
        const lines = () => {
          const cur = current()[pi]?.levels[li]?.gates[gi];
          if (!cur) return [gate.label];
          return [
            `${cur.label} → ${cur.experts[i]?.label ?? `expert ${i}`}`,
            `mean weight ${fmt(cur.mean[i], 4)}`,
            `std ${fmt(cur.std[i], 4)}`,
            `variance ${fmt(cur.variance[i], 5)}`,
            ...(typeof cur.ownWeight === 'number' ? [`own experts ${fmt(cur.ownWeight, 4)} vs uniform ${fmt(cur.ownUniform, 4)}`] : []),
            ...(hasRegionFigure(cur) ? [`region L1 ${fmt(cur.regionL1, 4)} (routing difference between the two regions)`] : []),
            `${p.title}, level ${lvl.level + 1}`,
          ];
        };
        bar.on('mousemove', (ev: MouseEvent) => tip.show(lines(), ev)).on('mouseleave', () => tip.hide());
        bar.append('title');
        const tick = ticks[i];
        if (tick)
          gg.append('text').attr('class', 'util-tick').attr('x', cx).attr('y', TICK_Y).attr('text-anchor', 'middle').attr('font-size', TICK_FONT).attr('fill', moduleColor(ex.module)).text(tick);
      });
      const mid = x0 + (n * slotW) / 2;
      const maxW = (n + 0.8) * slotW - 2;
      const label = gg
        .append('text')
        .attr('class', 'util-gate-label')
        .attr('x', mid)
        .attr('y', GATE_LABEL_Y)
        .attr('data-maxw', maxW)
        .attr('text-anchor', 'middle')
        .attr('font-size', 12)
        .attr('font-weight', 600)
        .attr('fill', gate.id.startsWith('task:') ? moduleColor(gate.id) : '#333');
      for (const [k, v] of Object.entries(at)) label.attr(k, v);
      if (typeof gate.ownWeight === 'number') {
        const own = gg.append('text').attr('class', 'util-own').attr('x', mid).attr('y', GATE_LABEL_Y + LINE_H).attr('data-maxw', maxW).attr('text-anchor', 'middle').attr('font-size', FIGURE_FONT).attr('fill', '#333');
        for (const [k, v] of Object.entries(at)) own.attr(k, v);
      }
      for (const [k, v] of Object.entries(at)) gg.attr(k, v);
      if (hasRegionFigure(gate)) {
        // Below the level's own-weight lines, so it never meets them.
        const reg = gg
          .append('text')
          .attr('class', 'util-region')
          .attr('x', mid)
          .attr('y', regionY(box.ownLines))
          .attr('data-maxw', maxW)
          .attr('text-anchor', 'middle')
          .attr('font-size', REGION_FONT)
          .attr('fill', '#1b1b1b');
        for (const [k, v] of Object.entries(at)) reg.attr(k, v);
      }
      x0 += n * slotW + slotW * 0.8;
    });
  });
}

const num = (el: Element, k: string) => Number(el.getAttribute(k));
const panelWidth = (el: Element) => Number(el.closest('g.util-panel')?.getAttribute('data-w') ?? 0);

/** Write the current numbers into the built structure (bars, whiskers, figures, labels). */
function updateValues(root: Sel<SVGSVGElement>, panels: GatePanel[], mode: 'std' | 'variance') {
  const gateAt = (el: Element): GateStats => panels[num(el, 'data-p')].levels[num(el, 'data-l')].gates[num(el, 'data-g')];
  root.selectAll<SVGTextElement, unknown>('text.util-step').each(function () {
    const p = panels[num(this, 'data-p')];
    this.textContent = p.note;
  });
  root.selectAll<SVGTextElement, unknown>('text.util-shared-l1, text.util-figures').each(function () {
    const lvl = panels[num(this, 'data-p')].levels[num(this, 'data-l')];
    const para = levelParagraphs(lvl).find((x) => this.classList.contains(x.cls))!;
    for (const [k, v] of Object.entries(para.data)) this.setAttribute(k, v);
    setLines(this, paragraphLines(para, panelWidth(this)), 0);
  });
  root.selectAll<SVGTextElement, unknown>('text.util-gate-label').each(function () {
    const gate = gateAt(this);
    const n = gate.mean.length;
    setLines(this, [gateFigure(gate, num(this, 'data-maxw')).label], Number(this.getAttribute('x')));
    setTitle(this, `${gate.label}: mean entropy ${fmt(gate.entropy, 4)} nats (max ln ${n} = ${fmt(Math.log(n), 3)})`);
  });
  root.selectAll<SVGGElement, unknown>('g.util-gate').each(function () {
    const gate = gateAt(this);
    this.setAttribute('data-region-l1', hasRegionFigure(gate) ? String(gate.regionL1) : '');
  });
  root.selectAll<SVGTextElement, unknown>('text.util-region').each(function () {
    const gate = gateAt(this);
    this.setAttribute('data-region-l1', String(gate.regionL1 ?? ''));
    setLines(this, regionLines(gate, num(this, 'data-maxw')), Number(this.getAttribute('x')));
    setTitle(this, regionTitle(gate));
  });
  root.selectAll<SVGTextElement, unknown>('text.util-own').each(function () {
    const gate = gateAt(this);
    this.setAttribute('data-own', String(gate.ownWeight ?? ''));
    this.setAttribute('data-own-uniform', String(gate.ownUniform ?? ''));
    setLines(this, gateFigure(gate, num(this, 'data-maxw')).own, Number(this.getAttribute('x')));
    setTitle(this, ownTitle(gate));
  });
  root.selectAll<SVGRectElement, unknown>('rect.util-bar').each(function () {
    const gate = gateAt(this);
    const i = num(this, 'data-e');
    const m = gate.mean[i];
    const ok = Number.isFinite(m);
    const top = Y(clamp01(ok ? m : 0));
    this.setAttribute('y', String(top));
    this.setAttribute('height', String(Math.max(0, PLOT_H - top)));
    this.setAttribute('data-mean', String(m));
    this.setAttribute('data-std', String(gate.std[i]));
    this.setAttribute('data-variance', String(gate.variance[i]));
    const title = this.querySelector('title');
    if (title) title.textContent = `${gate.label} → ${gate.experts[i]?.label}: mean ${fmt(m, 4)}, std ${fmt(gate.std[i], 4)}, variance ${fmt(gate.variance[i], 5)}`;
  });
  root.selectAll<SVGGElement, unknown>('g.util-whisker').each(function () {
    const gate = gateAt(this);
    const i = num(this, 'data-e');
    const m = gate.mean[i];
    const spread = mode === 'std' ? gate.std[i] : gate.variance[i];
    const s = Number.isFinite(spread) ? spread : 0;
    const ok = Number.isFinite(m);
    this.setAttribute('visibility', ok ? 'visible' : 'hidden');
    const lo = Y(clamp01((ok ? m : 0) - s));
    const hi = Y(clamp01((ok ? m : 0) + s));
    const [stem, l, h] = ['line.wk-stem', 'line.wk-lo', 'line.wk-hi'].map((q) => this.querySelector(q)!);
    stem.setAttribute('y1', String(lo));
    stem.setAttribute('y2', String(hi));
    for (const [el, v] of [
      [l, lo],
      [h, hi],
    ] as const) {
      el.setAttribute('y1', String(v));
      el.setAttribute('y2', String(v));
    }
  });
  root
    .select('text.util-whisker-legend')
    .text(mode === 'std' ? 'Whisker: ± 1 standard deviation over test samples.' : 'Whisker: ± variance over test samples.');
}

export function UtilisationChart() {
  const box = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const width = useWidth(box);
  const [tipRef, tip] = useTip();
  const whisker = usePlayground((s) => s.whisker);
  const shapeSig = useRef('');
  const valueSig = useRef('');
  const panelsRef = useRef<GatePanel[]>([]);

  useLiveDraw('utilisation', () => {
    const svg = svgRef.current;
    if (!svg) return;
    const panels = gatePanels();
    panelsRef.current = panels;
    const mode = usePlayground.getState().whisker;
    const root = select(svg);
    const shape = JSON.stringify([width, panels.map(panelShape)]);
    const values = JSON.stringify([mode, panels.map((p) => [p.step, p.source, p.note])]);
    if (shape === shapeSig.current) {
      // Same layout: move the bars and whiskers, rewrite the numbers. No rebuild.
      if (values !== valueSig.current) {
        valueSig.current = values;
        updateValues(root, panels, mode);
      }
      return;
    }
    shapeSig.current = shape;
    valueSig.current = values;
    root.selectAll('*').remove();
    if (panels.length === 0) {
      root.attr('width', width).attr('height', 60);
      root.append('text').attr('x', 8).attr('y', 24).attr('font-size', 12).attr('fill', '#555').text('No gates yet: train a gated model');
      root.append('text').attr('x', 8).attr('y', 42).attr('font-size', 12).attr('fill', '#555').text('(OMoE, MMoE, ML-MMoE, CGC, PLE or AdaTT).');
      return;
    }
    const cols = Math.max(1, Math.min(panels.length, Math.floor((width + PANEL_GAP) / 230)));
    const pw = (width - PANEL_GAP * (cols - 1)) / cols;
    const rows = Math.ceil(panels.length / cols);
    const heights: number[] = [];
    for (let r = 0; r < rows; r++) heights.push(Math.max(PANEL_HEAD, ...panels.slice(r * cols, r * cols + cols).map((p) => panelHeight(p.levels, pw))) + 10);
    const note = figuresNoteLines(width, panels.some((p) => anyRegionFigure(p.levels)));
    const legendH = 50 + note.length * LINE_H;
    const total = heights.reduce((a, b) => a + b, 0) + legendH;
    root.attr('width', width).attr('height', total);
    let yOff = 0;
    for (let r = 0; r < rows; r++) {
      panels.slice(r * cols, r * cols + cols).forEach((p, c) => {
        const g = root.append('g').attr('class', 'util-panel').attr('data-run', p.title).attr('transform', `translate(${c * (pw + PANEL_GAP)},${yOff})`);
        buildPanel(g, r * cols + c, p, pw, tip, () => panelsRef.current);
      });
      yOff += heights[r];
    }
    const lg = root.append('g').attr('class', 'util-legend').attr('transform', `translate(0,${yOff + 4})`);
    lg.append('text').attr('x', 0).attr('y', 10).attr('font-size', 12).attr('fill', '#333').text('Bar: mean gate weight over the test set.');
    lg.append('text').attr('class', 'util-whisker-legend').attr('x', 0).attr('y', 24).attr('font-size', 12).attr('font-weight', 600).attr('fill', '#333');
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
      lg.append('text').attr('x', lx + 14).attr('y', 41).attr('font-size', 12).attr('fill', '#333').text(label);
      lx += 22 + label.length * 6;
    }
    const nt = lg.append('text').attr('class', 'util-figures-note').attr('x', 0).attr('y', 56).attr('font-size', FIGURE_FONT).attr('fill', '#555');
    note.forEach((_, i) => nt.append('tspan').attr('x', 0).attr('dy', i === 0 ? 0 : LINE_H).text(withBreak(note, i)));
    updateValues(root, panels, mode);
  }, [width, whisker]);

  return (
    <ChartCard
      title="Expert utilisation"
      help="For each gate: bar = mean weight the gate gives each expert over the test set; whisker = spread over samples. Task gates that look alike mean the tasks share experts; different bars mean the experts specialised. Above each level: the task gates' L1 distance on the experts both see (what training added), then the L1 over all their experts, which private experts make ≈ 1 in CGC by construction. Under each task gate: its weight on its own experts against a uniform gate's share, and on regional data its region L1: how differently it routes the two regions of the hidden direction r (0 = alike, 2 = disjoint experts)."
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
