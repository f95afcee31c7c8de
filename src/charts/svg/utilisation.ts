// Expert utilisation bars in the look of the page's UtilisationChart: one
// panel per run, per level one bar per expert of every gate = mean gate weight
// over the test set, whisker = ± one standard deviation over samples (or ±
// the variance). Above each level, what training added first (the task gates'
// L1 over the experts both see, entropy), then the union L1, labelled as
// partly structural; under each task gate its weight on its own experts
// against the uniform share; under each task gate on regional data, how
// differently it routes the two regions (region L1).
import type { Selection } from 'd3';
import type { GateStats, LevelGateStats } from '../../core/types';
import { fmt } from '../../state/format';
import { moduleColor } from '../palette';
import {
  AXIS_W,
  drawWeightGrid,
  FIGURE_FONT,
  figuresNoteLines,
  GATE_LABEL_Y,
  LEVEL_TITLE_Y,
  levelBox,
  LINE_H,
  anyRegionFigure,
  hasRegionFigure,
  moduleShade,
  PANEL_GAP,
  PANEL_HEAD,
  panelHeight,
  PLOT_H,
  REGION_FONT,
  REGION_LINE_H,
  regionTitle,
  regionY,
  slotWidth,
  weightY,
  type LevelBox,
  withBreak,
} from './utilisationLayout';
import type { SvgRoot } from './types';

export interface UtilPanel {
  title: string;
  /** Right-aligned note in the panel head, e.g. "seed 3 · step 1500". */
  note: string;
  levels: LevelGateStats[];
}



/** A head paragraph as one <text> (its lines as tspans), at baseline y. */
/**
 * One level paragraph as a <text>. The report writes its lines now; the page
 * (`live`) only places the element, tagged with its panel and level, and fills
 * it in place as gate statistics arrive.
 */
export function appendParagraph(
  lg: Selection<SVGGElement, unknown, null, undefined>,
  box: LevelBox['paragraphs'][number],
  y: number,
  live?: { panel: number; level: number },
) {
  const t = lg.append('text').attr('class', box.p.cls).attr('x', 0).attr('y', y).attr('font-size', FIGURE_FONT).attr('fill', box.p.fill);
  if (box.p.weight) t.attr('font-weight', box.p.weight);
  if (live) {
    t.attr('data-p', live.panel).attr('data-l', live.level);
    return t;
  }
  for (const [k, v] of Object.entries(box.p.data)) t.attr(k, v);
  box.lines.forEach((line, i) => t.append('tspan').attr('x', 0).attr('dy', i === 0 ? 0 : LINE_H).text(withBreak(box.lines, i)));
  return t;
}

function drawPanel(g: Selection<SVGGElement, unknown, null, undefined>, p: UtilPanel, width: number, mode: 'std' | 'variance') {
  g.append('text').attr('x', 0).attr('y', 14).attr('font-size', 13).attr('font-weight', 600).attr('fill', '#1b1b1b').text(p.title);
  g.append('text').attr('x', width).attr('y', 14).attr('text-anchor', 'end').attr('font-size', 12).attr('fill', '#555').text(p.note);
  const y = weightY;
  let top = PANEL_HEAD;
  p.levels.forEach((lvl) => {
    const box = levelBox(lvl, width);
    const lg = g.append('g').attr('class', 'util-level').attr('transform', `translate(0,${top})`);
    top += box.height;
    lg.append('text').attr('x', 0).attr('y', LEVEL_TITLE_Y).attr('font-size', 12).attr('font-weight', 600).attr('fill', '#333').text(`Level ${lvl.level + 1}`);
    let ly = LEVEL_TITLE_Y + LINE_H;
    for (const para of box.paragraphs) {
      appendParagraph(lg, para, ly);
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
      gate.mean.forEach((m, i) => {
        if (!Number.isFinite(m)) return;
        const spread = mode === 'std' ? gate.std[i] : gate.variance[i];
        const s = Number.isFinite(spread) ? spread : 0;
        const bx = x0 + i * slotW + slotW * 0.12;
        const bw = slotW * 0.76;
        const ex = gate.experts[i];
        const c = Math.min(1, Math.max(0, m));
        gg.append('rect')
          .attr('class', 'util-bar')
          .attr('x', bx)
          .attr('width', bw)
          .attr('y', y(c))
          .attr('height', Math.max(0, PLOT_H - y(c)))
          .attr('fill', moduleShade(gate.experts, i))
          .attr('data-mean', m)
          .attr('data-std', gate.std[i])
          .attr('data-variance', gate.variance[i])
          .append('title')
          .text(`${gate.label} → ${ex?.label ?? `expert ${i}`}\nmean weight ${fmt(m, 4)}\nstd ${fmt(gate.std[i], 4)}\nvariance ${fmt(gate.variance[i], 5)}`);
        const lo = Math.max(0, m - s);
        const hi = Math.min(1, m + s);
        const cx = bx + bw / 2;
        const wk = gg.append('g').attr('class', 'util-whisker');
        wk.append('line').attr('x1', cx).attr('x2', cx).attr('y1', y(lo)).attr('y2', y(hi)).attr('stroke', '#1b1b1b').attr('stroke-width', 1.2);
        for (const v of [lo, hi])
          wk.append('line').attr('x1', cx - bw * 0.22).attr('x2', cx + bw * 0.22).attr('y1', y(v)).attr('y2', y(v)).attr('stroke', '#1b1b1b').attr('stroke-width', 1.2);
        gg.append('text').attr('x', cx).attr('y', PLOT_H + 11).attr('text-anchor', 'middle').attr('font-size', 12).attr('fill', '#444').text(ex?.label.replace('·', '') ?? String(i));
      });
      const fig = box.gates[gi];
      const mid = x0 + (n * slotW) / 2;
      gg.append('text')
        .attr('x', mid)
        .attr('y', GATE_LABEL_Y)
        .attr('text-anchor', 'middle')
        .attr('font-size', 12)
        .attr('font-weight', 600)
        .attr('fill', gate.id.startsWith('task:') ? moduleColor(gate.id) : '#333')
        .text(fig.label);
      if (fig.own.length) {
        const t = gg
          .append('text')
          .attr('class', 'util-own')
          .attr('x', mid)
          .attr('y', GATE_LABEL_Y + LINE_H)
          .attr('text-anchor', 'middle')
          .attr('font-size', FIGURE_FONT)
          .attr('fill', '#333')
          .attr('data-own', gate.ownWeight ?? '')
          .attr('data-own-uniform', gate.ownUniform ?? '');
        fig.own.forEach((_, i) => t.append('tspan').attr('x', mid).attr('dy', i === 0 ? 0 : LINE_H).text(withBreak(fig.own, i)));
        t.append('title').text(ownTitle(gate));
      }
      gg.attr('data-region-l1', hasRegionFigure(gate) ? String(gate.regionL1) : '');
      if (fig.region.length) {
        const t = gg
          .append('text')
          .attr('class', 'util-region')
          .attr('x', mid)
          .attr('y', regionY(box.ownLines))
          .attr('text-anchor', 'middle')
          .attr('font-size', REGION_FONT)
          .attr('fill', '#1b1b1b')
          .attr('data-region-l1', String(gate.regionL1));
        fig.region.forEach((_, i) => t.append('tspan').attr('x', mid).attr('dy', i === 0 ? 0 : REGION_LINE_H).text(withBreak(fig.region, i)));
        t.append('title').text(regionTitle(gate));
      }
      x0 += n * slotW + slotW * 0.8;
    });
  });
}

/** Hover text of a gate's own-weight figure. */
export function ownTitle(gate: GateStats): string {
  const own = gate.experts.filter((e) => e.module === gate.id).length;
  return `${gate.label}: mean total weight ${fmt(gate.ownWeight, 4)} on its own ${own} expert${own === 1 ? '' : 's'}; a uniform gate would give ${fmt(gate.ownUniform, 4)} (${own} of ${gate.experts.length} experts)`;
}

/**
 * Panels in a grid of `cols` columns (rows as needed), then the legend.
 * Sets the svg's width, height and viewBox.
 */
export function drawUtilisation(root: SvgRoot, panels: UtilPanel[], o: { width: number; cols: number; mode?: 'std' | 'variance' }): void {
  const mode = o.mode ?? 'std';
  const { width } = o;
  root.selectAll('*').remove();
  const cols = Math.max(1, Math.min(o.cols, panels.length));
  const pw = (width - PANEL_GAP * (cols - 1)) / cols;
  const rows = Math.ceil(panels.length / cols);
  const heights: number[] = [];
  for (let r = 0; r < rows; r++) heights.push(Math.max(PANEL_HEAD, ...panels.slice(r * cols, r * cols + cols).map((p) => panelHeight(p.levels, pw))) + 10);
  const note = figuresNoteLines(width, panels.some((p) => anyRegionFigure(p.levels)));
  const legendH = 34 + note.length * LINE_H;
  const total = heights.reduce((a, b) => a + b, 0) + legendH;
  root.attr('width', width).attr('height', total).attr('viewBox', `0 0 ${width} ${total}`);
  let yOff = 0;
  for (let r = 0; r < rows; r++) {
    panels.slice(r * cols, r * cols + cols).forEach((p, c) => {
      const g = root.append('g').attr('class', 'util-panel').attr('data-run', p.title).attr('transform', `translate(${c * (pw + PANEL_GAP)},${yOff})`);
      drawPanel(g, p, pw, mode);
    });
    yOff += heights[r];
  }
  const lg = root.append('g').attr('class', 'util-legend').attr('transform', `translate(0,${yOff + 4})`);
  lg.append('text')
    .attr('x', 0)
    .attr('y', 10)
    .attr('font-size', 12)
    .attr('fill', '#333')
    .text(
      mode === 'std'
        ? 'Bar: mean gate weight over the test set. Whisker: ± 1 standard deviation over samples.'
        : 'Bar: mean gate weight over the test set. Whisker: ± variance over samples.',
    );
  const mods: [string, string][] = [];
  for (const p of panels)
    for (const l of p.levels)
      for (const gt of l.gates)
        for (const e of gt.experts)
          if (!mods.some((m) => m[0] === e.module)) mods.push([e.module, e.module === 'shared' ? 'Shared experts' : `Task ${Number(e.module.slice(5)) + 1} experts`]);
  mods.sort((a, b) => (a[0] === 'shared' ? 1 : b[0] === 'shared' ? -1 : a[0].localeCompare(b[0])));
  let lx = 0;
  for (const [m, label] of mods) {
    lg.append('rect').attr('x', lx).attr('y', 18).attr('width', 10).attr('height', 10).attr('fill', moduleColor(m));
    lg.append('text').attr('x', lx + 14).attr('y', 27).attr('font-size', 12).attr('fill', '#333').text(label);
    lx += 22 + label.length * 6;
  }
  const nt = lg.append('text').attr('class', 'util-figures-note').attr('x', 0).attr('y', 41).attr('font-size', FIGURE_FONT).attr('fill', '#555');
  note.forEach((_, i) => nt.append('tspan').attr('x', 0).attr('dy', i === 0 ? 0 : LINE_H).text(withBreak(note, i)));
}
