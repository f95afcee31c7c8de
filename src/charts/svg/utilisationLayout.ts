// Layout shared by the page's expert-utilisation chart (live, updated in
// place) and the report's static figure (svg/utilisation.ts): sizes, the
// 0–1 weight scale with its grid, bar slots and per-module colours.
import { scaleLinear, type Selection } from 'd3';
import type { GateStats, LevelGateStats } from '../../core/types';
import { fmt } from '../../state/format';
import { moduleColor, shade } from '../palette';

export const PLOT_H = 110;
export const LEVEL_HEAD = 34;
export const GATE_LABEL_H = 36;
export const PANEL_HEAD = 22;
export const PANEL_GAP = 14;
export const AXIS_W = 28;
export const LEVEL_H = LEVEL_HEAD + PLOT_H + GATE_LABEL_H;

/** Gate weight (0–1) → y inside a level's plot. */
export const weightY = scaleLinear().domain([0, 1]).range([PLOT_H, 0]);

/** Expert i's colour: its module's hue, shaded by its index in the module. */
export function moduleShade(experts: { module: string; index: number }[], i: number): string {
  const e = experts[i];
  const same = experts.filter((x) => x.module === e.module).length;
  return shade(moduleColor(e.module), e.index, same);
}

/** Grid lines and labels at 0, .5 and 1 across a plot of width innerW. */
export function drawWeightGrid(plot: Selection<SVGGElement, unknown, null, undefined>, innerW: number): void {
  for (const t of [0, 0.5, 1]) {
    plot.append('line').attr('x1', 0).attr('x2', innerW).attr('y1', weightY(t)).attr('y2', weightY(t)).attr('stroke', t === 0 ? '#888' : '#e3e3e3');
    plot.append('text').attr('x', -4).attr('y', weightY(t) + 3.5).attr('text-anchor', 'end').attr('font-size', 12).attr('fill', '#555').text(t === 0.5 ? '.5' : String(t));
  }
}

/**
 * Tick labels under one gate's bars, coloured by module: E<i> for a task's own
 * expert, S<i> for a shared one, T<k>E<i> where a gate mixes several tasks'
 * experts (PLE's shared gate). The longest form that fits its slot at 12 px;
 * none where even "E0" does not (the legend's colours and the hover still say
 * which expert a bar is), so ticks never run together.
 */
export function expertTicks(experts: { module: string; index: number }[], slotW: number): string[] {
  const mixesTasks = new Set(experts.filter((e) => e.module !== 'shared').map((e) => e.module)).size > 1;
  const short = experts.map((e) => (e.module === 'shared' ? `S${e.index}` : `E${e.index}`));
  const long = experts.map((e, i) => (e.module !== 'shared' && mixesTasks ? `T${Number(e.module.slice(5)) + 1}E${e.index}` : short[i]));
  const fits = (ls: string[]) => ls.every((l) => textWidth(l, TICK_FONT) <= slotW - 2);
  if (fits(long)) return long;
  if (fits(short)) return short;
  return experts.map(() => '');
}

/** Width of one bar slot: every gate's experts side by side, 0.8 slot between gates. */
export function slotWidth(lvl: LevelGateStats, innerW: number): number {
  const slots = lvl.gates.reduce((s, gate) => s + gate.mean.length, 0) + (lvl.gates.length - 1) * 0.8;
  return innerW / Math.max(1, slots);
}

// ---------- level figures and per-gate numbers (page and report) ----------
//
// What a level's head says, fair statistics first (SPEC §5): the L1 distance
// between task gates over only the experts both see, then the L1 over the
// union of their experts, which is partly structural (a private expert counts
// as weight 0 for the other gate, so CGC's is ≈ 1 whatever is learnt). Under
// each task gate: its weight on its own experts against the uniform share.
// Text is wrapped by an estimate of its width (no layout in jsdom), on a
// template whose numbers are fixed-width slots, so the line breaks (and the
// chart's height) do not move while the numbers change during training.

/** Font size of the figures under a level title and under each gate. */
export const FIGURE_FONT = 12;
export const LINE_H = 15;
/** Baseline of a level's title; its paragraphs follow one LINE_H apart. */
export const LEVEL_TITLE_Y = 12;
/** Gate label baseline below the plot; own-weight lines follow. */
export const GATE_LABEL_Y = PLOT_H + 30;
/** Baseline of the expert ticks under the bars. */
export const TICK_Y = PLOT_H + 14;
export const TICK_FONT = 12;

/** A conservative width estimate (DejaVu Sans, the widest common sans, averages ~0.6 em). */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.6;
}

/** `{0}`, `{1}`… are number slots, measured as "0.000". */
const SLOT = /\{(\d+)\}/g;
const measured = (word: string) => word.replace(SLOT, '0.000');

/** Greedy word wrap of a template; returns the lines with the values filled in. */
export function wrapTemplate(template: string, values: string[], maxWidth: number, fontSize = FIGURE_FONT, bold = false): string[] {
  const words = template.split(' ').filter(Boolean);
  const lines: string[][] = [];
  const k = bold ? 1.06 : 1;
  for (const w of words) {
    const cur = lines.at(-1);
    if (cur && textWidth(measured([...cur, w].join(' ')), fontSize) * k <= maxWidth) cur.push(w);
    else lines.push([w]);
  }
  return lines.map((l) => l.join(' ').replace(SLOT, (_, i: string) => values[Number(i)] ?? '—'));
}

const isTaskGateId = (id: string) => id.startsWith('task:');
const num = (v: number | null | undefined, digits: number) => (typeof v === 'number' && Number.isFinite(v) ? fmt(v, digits) : 'n/a');

export interface HeadParagraph {
  /** 'util-shared-l1' (what training added, first) | 'util-figures' (the union L1, with data-l1 for tests). */
  cls: 'util-shared-l1' | 'util-figures';
  template: string;
  values: string[];
  fill: string;
  weight?: number;
  /** data-* attributes (values as strings; '' = not available). */
  data: Record<string, string>;
}

const expertKey = (e: { module: string; index: number }) => `${e.module}#${e.index}`;

/** Whether some task gate of the level sees an expert another task gate does not (CGC, PLE: private experts). */
export function hasPrivateExperts(lvl: LevelGateStats): boolean {
  const task = lvl.gates.filter((g) => isTaskGateId(g.id));
  return task.some((a) => task.some((b) => a !== b && a.experts.some((e) => !b.experts.some((x) => expertKey(x) === expertKey(e)))));
}

/** The most experts any two task gates of the level have in common (1: the shared-expert L1 is 0 by construction). */
export function maxCommonExperts(lvl: LevelGateStats): number {
  const task = lvl.gates.filter((g) => isTaskGateId(g.id));
  let most = 0;
  for (let a = 0; a < task.length; a++)
    for (let b = a + 1; b < task.length; b++) {
      const keys = new Set(task[b].experts.map(expertKey));
      most = Math.max(most, task[a].experts.filter((e) => keys.has(expertKey(e))).length);
    }
  return most;
}

/** The two paragraphs of a level head: the fair figures first, then the union L1 (empty where the level has < 2 task gates). */
export function levelParagraphs(lvl: LevelGateStats): HeadParagraph[] {
  const task = lvl.gates.filter((g) => isTaskGateId(g.id));
  const hasL1 = task.length >= 2 && Number.isFinite(lvl.taskGateL1);
  const shared = lvl.sharedTaskGateL1;
  const sharedOk = task.length >= 2 && typeof shared === 'number' && Number.isFinite(shared);
  const entropy = lvl.meanTaskEntropy;
  const gateEntropy = lvl.gates.length ? lvl.gates.reduce((s, g) => s + g.entropy, 0) / lvl.gates.length : NaN;
  const data = {
    'data-shared-l1': sharedOk ? String(shared) : '',
    'data-l1': hasL1 ? String(lvl.taskGateL1) : '',
    'data-entropy': Number.isFinite(entropy) ? String(entropy) : '',
  };
  let fair: string;
  if (task.length >= 2) {
    const what =
      shared === undefined
        ? 'shared-expert L1 not recorded (run saved before it existed)'
        : shared === null
          ? 'shared-expert L1 n/a: the task gates share no expert'
          : maxCommonExperts(lvl) === 1
            ? 'shared-expert L1 {0} (one expert in common: 0 by construction)'
            : 'shared-expert L1 {0}';
    fair = `${what} · task-gate entropy {1} nats`;
  } else if (lvl.gates.some((g) => g.id.startsWith('expert:'))) fair = 'no task gates here: each gate feeds one next-level expert · mean gate entropy {2} nats';
  else if (lvl.gates.length === 1) fair = 'one gate for all tasks · gate entropy {2} nats';
  else fair = 'mean gate entropy {2} nats';
  const values = [num(shared, 3), num(entropy, 3), num(gateEntropy, 3)];
  const union = !hasL1 && task.length < 2
    ? ''
    : hasPrivateExperts(lvl)
      ? 'union L1 {0} (partly structural: private experts count as 0 for the other gate)'
      : 'union L1 {0} (no private experts: the same as the shared-expert L1)';
  return [
    { cls: 'util-shared-l1', template: fair, values, fill: '#1b1b1b', weight: 600, data },
    { cls: 'util-figures', template: union, values: [num(lvl.taskGateL1, 3)], fill: '#555', data },
  ];
}

export interface GateFigure {
  /** The gate label under its bars, shortened to fit. */
  label: string;
  /** "own 0.64 vs uniform 0.50" in one or two lines; [] for gates without own experts. */
  own: string[];
  /**
   * "routing by region: L1 0.96" (neutral: a short run gives ~0.03) in one to three lines (REGION_FONT);
   * [] unless a task gate has a finite regionL1 (regional generator).
   */
  region: string[];
}

/** Font size and line height of a task gate's region-routing line (≥ 12 px: it is read, not glanced at). */
export const REGION_FONT = 12;
export const REGION_LINE_H = 15;

/** Whether a gate shows its region-routing figure: a task gate with a finite regionL1. */
export function hasRegionFigure(gate: GateStats): boolean {
  return isTaskGateId(gate.id) && typeof gate.regionL1 === 'number' && Number.isFinite(gate.regionL1);
}

/** Hover text of a gate's region-routing figure. */
export function regionTitle(gate: GateStats): string {
  return (
    `${gate.label}: region L1 ${fmt(gate.regionL1, 4)} = Σ over its experts of |mean weight on the test rows of region 1 (rᵀx ≤ 0) − of region 2 (rᵀx > 0)|. ` +
    '0 = both regions get the same mix of experts; 2 = the two regions go to disjoint experts.'
  );
}

/** Candidate wordings, longest first; the first that fits (else the last). */
function fit(candidates: string[][], maxWidth: number, fontSize: number, bold = false): string[] {
  const k = bold ? 1.06 : 1;
  return candidates.find((c) => c.every((l) => textWidth(l, fontSize) * k <= maxWidth)) ?? [];
}

/** Label and own-weight lines of one gate, fitted to `maxWidth` (its bars plus the gap to the next gate). */
export function gateFigure(gate: GateStats, maxWidth: number): GateFigure {
  const name = gate.label.replace(/^Gate /, '');
  const H = `(H=${fmt(gate.entropy, 2)})`;
  const m = /^expert:(\d+)$/.exec(gate.id);
  const short = m ? `→ E${Number(m[1]) + 1}` : name;
  const label = fit([[`${name} ${H}`], [name], [short]], maxWidth, 12, true)[0] ?? '';
  const region = regionLines(gate, maxWidth);
  const own = gate.ownWeight;
  const uni = gate.ownUniform;
  if (typeof own !== 'number' || typeof uni !== 'number') return { label, own: [], region };
  const o = fmt(own, 2);
  const u = fmt(uni, 2);
  const bare = (v: string) => v.replace(/^0\./, '.');
  const candidates = [[`own ${o} vs uniform ${u}`], [`own ${o}`, `vs uniform ${u}`], [`own ${o}`, `unif ${u}`], [`own ${bare(o)}`, `unif ${bare(u)}`]];
  return { label, own: fit(candidates, maxWidth, FIGURE_FONT), region };
}

/**
 * The region-routing lines of a task gate, the longest wording that fits. The
 * value is always 4 characters (0.00–2.00), so the choice depends only on the
 * width and the chart's layout does not move while it trains.
 */
export function regionLines(gate: GateStats, maxWidth: number): string[] {
  if (!hasRegionFigure(gate)) return [];
  const v = fmt(gate.regionL1, 2);
  const candidates = [
    [`routing by region: L1 ${v}`],
    ['routing by region:', `L1 ${v}`],
    ['routing by', 'region:', `L1 ${v}`],
    ['region L1', v],
    ['reg. L1', v],
  ];
  return fit(candidates, maxWidth, REGION_FONT);
}

/**
 * Line i as a tspan's text: every line but the last keeps the space it was
 * broken at (invisible at a line end), so the element's text reads as the sentence.
 */
export function withBreak(lines: string[], i: number): string {
  return i < lines.length - 1 ? `${lines[i]} ` : lines[i];
}

/** Lines each paragraph takes at a panel width (from the template, so stable while values change). */
export function paragraphLines(p: HeadParagraph, width: number): string[] {
  return p.template ? wrapTemplate(p.template, p.values, width, FIGURE_FONT, (p.weight ?? 400) >= 600) : [];
}

export interface LevelBox {
  /** Lines per head paragraph. */
  paragraphs: { p: HeadParagraph; lines: string[] }[];
  /** From the level's top to its plot. */
  head: number;
  /** Per gate (level order): its label and own-weight lines. */
  gates: GateFigure[];
  /** Below the plot: ticks, gate labels, own-weight lines, region-routing lines. */
  foot: number;
  /** Own-weight lines reserved under every gate of the level (the region lines start below them). */
  ownLines: number;
  height: number;
}

/** Where everything of one level goes at a panel width: the head's paragraphs, the gates' figures, heights. */
export function levelBox(lvl: LevelGateStats, width: number): LevelBox {
  const paragraphs = levelParagraphs(lvl).map((p) => ({ p, lines: paragraphLines(p, width) }));
  const nLines = paragraphs.reduce((s, x) => s + x.lines.length, 0);
  // The axis label "1" sits at the plot's top edge: keep it clear of the last head line.
  const head = LEVEL_TITLE_Y + nLines * LINE_H + 14;
  const slotW = slotWidth(lvl, width - AXIS_W);
  const gates = lvl.gates.map((g) => gateFigure(g, (g.mean.length + 0.8) * slotW - 2));
  const ownLines = Math.max(0, ...gates.map((g) => g.own.length));
  const regionN = Math.max(0, ...gates.map((g) => g.region.length));
  const foot = GATE_LABEL_H + ownLines * LINE_H + regionN * REGION_LINE_H;
  return { paragraphs, head, gates, foot, ownLines, height: head + PLOT_H + foot };
}

/** Baseline of a gate's first region-routing line: below the level's own-weight lines. */
export function regionY(ownLines: number): number {
  return GATE_LABEL_Y + ownLines * LINE_H + REGION_LINE_H;
}

/** Height of a panel's levels at a width. */
export function panelHeight(levels: LevelGateStats[], width: number): number {
  return PANEL_HEAD + levels.reduce((s, l) => s + levelBox(l, width).height, 0);
}

/** The legend's note on the figures above each level. */
export const FIGURES_NOTE =
  'Shared-expert L1: the task gates compared on only the experts both see, each renormalised there (0 = the same use, 2 = disjoint). ' +
  'Union L1: over every expert either gate sees, a private expert counting as 0 for the other gate, so it is partly structural (≈ 1 or more in CGC whatever is learnt). ' +
  'own vs uniform: a task gate’s total weight on its own experts against the share a uniform gate would give them.';

/** Added to the note where a task gate shows its region routing (regional generator). */
export const REGION_NOTE =
  'region L1 (regional data): Σ over a task gate’s experts of |its mean weight in region 1 (rᵀx ≤ 0) − in region 2 (rᵀx > 0)|, 0 = both regions get the same mix, 2 = disjoint experts.';

export function figuresNoteLines(width: number, withRegion = false): string[] {
  return wrapTemplate(withRegion ? `${FIGURES_NOTE} ${REGION_NOTE}` : FIGURES_NOTE, [], width);
}

/** Whether any task gate of these levels shows its region routing. */
export function anyRegionFigure(levels: LevelGateStats[]): boolean {
  return levels.some((l) => l.gates.some(hasRegionFigure));
}
