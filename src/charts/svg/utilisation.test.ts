// The shared utilisation drawer (page layout helpers and the report's figure):
// fair statistics first, the union L1 labelled as partly structural, own vs
// uniform under task gates, old saved runs and ML-MMoE's expert gates, and no
// two text items of a level overlapping by the width estimate.
import { select } from 'd3';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { computeGateStats, type GateWeights } from '../../core/train/gateStats';
import type { ExpertRef, GateInfo, LevelGateStats } from '../../core/types';
import { drawUtilisation, type UtilPanel } from './utilisation';
import { gateFigure, levelBox, levelParagraphs, regionLines, slotWidth, AXIS_W, REGION_FONT, REGION_LINE_H, textWidth, wrapTemplate } from './utilisationLayout';
import type { SvgRoot } from './types';

const ref = (module: string, index: number): ExpertRef => ({ module, index, label: `${module === 'shared' ? 'S' : `T${Number(module.slice(5)) + 1}`}·E${index}` });

/** Deterministic softmax rows for a gate. */
function weights(info: GateInfo, n: number, seed: number): Float32Array {
  const E = info.experts.length;
  const out = new Float32Array(n * E);
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < n; i++) {
    let z = 0;
    const row = Array.from({ length: E }, (_, e) => Math.exp(2 * rnd() + (info.experts[e].module === info.id ? 0.8 : 0)));
    row.forEach((v) => (z += v));
    row.forEach((v, e) => (out[i * E + e] = v / z));
  }
  return out;
}

function stats(infos: GateInfo[], n = 64, regions?: ArrayLike<number>): LevelGateStats[] {
  const gates: GateWeights[] = infos.map((info, i) => ({ info, weights: weights(info, n, 7 + i) }));
  return computeGateStats(gates, n, regions);
}
/** Rows alternate between the two regions (the regional generator's rᵀx ≤ 0 → 0). */
const REGIONS = Uint8Array.from({ length: 64 }, (_, i) => i % 2);
/** The same models with region labels: every gate has a finite regionL1. */
const regional = (levels: LevelGateStats[]): LevelGateStats[] =>
  levels.map((l) => ({ ...l, gates: l.gates.map((g, i) => ({ ...g, regionL1: 0.25 + 0.37 * i })) }));

const cgc = (own: number, shared: number): LevelGateStats[] =>
  stats(
    [0, 1].map((k) => ({
      level: 0,
      id: `task:${k}`,
      label: `Gate task ${k + 1}`,
      experts: [...Array.from({ length: own }, (_, i) => ref(`task:${k}`, i)), ...Array.from({ length: shared }, (_, i) => ref('shared', i))],
    })),
  );
const mmoe = (): LevelGateStats[] =>
  stats([0, 1].map((k) => ({ level: 0, id: `task:${k}`, label: `Gate task ${k + 1}`, experts: [0, 1, 2].map((i) => ref('shared', i)) })));
function mlMmoe(levels: number): LevelGateStats[] {
  const infos: GateInfo[] = [];
  for (let l = 0; l < levels; l++) {
    const experts = [0, 1, 2].map((i) => ref('shared', i));
    if (l < levels - 1) for (let e = 0; e < 3; e++) infos.push({ level: l, id: `expert:${e}`, label: `Gate → L${l + 2} expert ${e + 1}`, experts });
    else for (let k = 0; k < 2; k++) infos.push({ level: l, id: `task:${k}`, label: `Gate task ${k + 1}`, experts });
  }
  return stats(infos);
}
const ple = (): LevelGateStats[] => {
  const infos: GateInfo[] = [];
  for (let l = 0; l < 2; l++) {
    for (let k = 0; k < 2; k++) infos.push({ level: l, id: `task:${k}`, label: `Gate task ${k + 1}`, experts: [ref(`task:${k}`, 0), ref(`task:${k}`, 1), ref('shared', 0), ref('shared', 1)] });
    if (l === 0)
      infos.push({ level: l, id: 'shared', label: 'Shared gate', experts: [ref('task:0', 0), ref('task:0', 1), ref('task:1', 0), ref('task:1', 1), ref('shared', 0), ref('shared', 1)] });
  }
  return stats(infos);
};
/** A run saved before the fair statistics existed. */
const old = (): LevelGateStats[] =>
  cgc(1, 1).map(({ sharedTaskGateL1: _s, ...l }) => ({ ...l, gates: l.gates.map(({ ownWeight: _o, ownUniform: _u, ...g }) => g) }));

function render(panels: UtilPanel[], width: number, cols: number): Document {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  const doc = dom.window.document;
  const svg = doc.createElementNS('http://www.w3.org/2000/svg', 'svg') as unknown as SVGSVGElement;
  doc.body.appendChild(svg);
  drawUtilisation(select(svg) as unknown as SvgRoot, panels, { width, cols });
  return doc;
}

const texts = (doc: Document, sel: string) => [...doc.querySelectorAll(sel)].map((t) => t.textContent ?? '');

describe('utilisation figures', () => {
  it('puts the shared-expert L1 first and labels the union L1 as partly structural (CGC)', () => {
    const lvl = cgc(1, 2)[0];
    const [fair, union] = levelParagraphs(lvl);
    expect(fair.cls).toBe('util-shared-l1');
    expect(fair.template).toMatch(/^shared-expert L1 \{0\}/);
    expect(union.template).toMatch(/^union L1 \{0\} \(partly structural: private experts count as 0 for the other gate\)/);
    const doc = render([{ title: 'CGC', note: 'test set', levels: [lvl] }], 340, 1);
    const level = doc.querySelector('g.util-level')!;
    const order = [...level.querySelectorAll('text')].map((t) => t.getAttribute('class')).filter(Boolean);
    expect(order.indexOf('util-shared-l1')).toBeLessThan(order.indexOf('util-figures'));
    const f = doc.querySelector('text.util-figures')!;
    expect(Number(f.getAttribute('data-l1'))).toBeCloseTo(lvl.taskGateL1, 12);
    expect(Number(f.getAttribute('data-shared-l1'))).toBeCloseTo(lvl.sharedTaskGateL1!, 12);
    expect(Number(doc.querySelector('text.util-shared-l1')!.getAttribute('data-shared-l1'))).toBeCloseTo(lvl.sharedTaskGateL1!, 12);
    // Own vs uniform under both task gates: own 1 of 3 experts.
    const own = texts(doc, 'text.util-own');
    expect(own).toHaveLength(2);
    for (const t of own) expect(t).toMatch(/own 0\.\d\d ?vs uniform 0\.33/);
  });

  it('says when the shared-expert L1 is 0 by construction (one expert in common)', () => {
    const lvl = cgc(1, 1)[0];
    expect(lvl.sharedTaskGateL1).toBe(0);
    expect(levelParagraphs(lvl)[0].template).toContain('one expert in common: 0 by construction');
  });

  it('MMoE: no private experts, no own figures', () => {
    const lvl = mmoe()[0];
    expect(levelParagraphs(lvl)[1].template).toContain('no private experts');
    const doc = render([{ title: 'MMoE', note: '', levels: [lvl] }], 340, 1);
    expect(doc.querySelectorAll('text.util-own')).toHaveLength(0);
  });

  it('older saved runs (no fair statistics) read "not recorded", never NaN or undefined', () => {
    const doc = render([{ title: 'old', note: '', levels: old() }], 340, 1);
    const all = doc.body.textContent ?? '';
    expect(all).toContain('not recorded');
    expect(all).not.toMatch(/NaN|undefined|null/);
    expect(doc.querySelector('text.util-figures')!.getAttribute('data-shared-l1')).toBe('');
    expect(doc.querySelectorAll('text.util-own')).toHaveLength(0);
  });

  it('ML-MMoE: inner levels have no task gates (no L1), the last level has two', () => {
    for (const L of [2, 3]) {
      const levels = mlMmoe(L);
      const doc = render([{ title: 'ML-MMoE', note: '', levels }], 340, 1);
      const figs = [...doc.querySelectorAll('text.util-figures')];
      expect(figs).toHaveLength(L);
      expect(figs.slice(0, -1).every((f) => f.getAttribute('data-l1') === '' && f.textContent === '')).toBe(true);
      expect(Number.isFinite(Number(figs.at(-1)!.getAttribute('data-l1')))).toBe(true);
      expect(texts(doc, 'text.util-shared-l1')[0]).toContain('no task gates here');
      expect(doc.body.textContent).not.toMatch(/NaN|undefined/);
    }
  });

  it('no two figures of a level overlap at the page and report widths (by the width estimate)', () => {
    for (const levels of [cgc(1, 1), cgc(2, 2), mmoe(), mlMmoe(2), mlMmoe(3), ple()])
      for (const width of [230, 340, 420]) {
        for (const lvl of levels) {
          const box = levelBox(lvl, width);
          for (const para of box.paragraphs) for (const line of para.lines) expect(textWidth(line, 11) * (para.p.weight ? 1.06 : 1), line).toBeLessThanOrEqual(width + 1e-9);
          // Gate labels and own lines stay inside their gate's span (bars plus the gap to the next gate).
          const slotW = slotWidth(lvl, width - AXIS_W);
          let x0 = 0;
          const spans: [number, number][] = [];
          lvl.gates.forEach((g, gi) => {
            const mid = x0 + (g.mean.length * slotW) / 2;
            const fig = box.gates[gi];
            const w = Math.max(textWidth(fig.label, 10.5) * 1.06, ...fig.own.map((l) => textWidth(l, 11)));
            spans.push([mid - w / 2, mid + w / 2]);
            x0 += (g.mean.length + 0.8) * slotW;
          });
          for (let i = 1; i < spans.length; i++) expect(spans[i][0], `${lvl.gates[i].label} at ${width}`).toBeGreaterThanOrEqual(spans[i - 1][1] - 1e-9);
        }
      }
  });

  it('regional data: each task gate says how differently it routes the regions, in 12 px text with data-region-l1', () => {
    const lvl = stats(cgc(1, 1)[0].gates.map(({ mean: _m, std: _s, variance: _v, entropy: _e, ownWeight: _o, ownUniform: _u, regionL1: _r, ...info }) => info), 64, REGIONS)[0];
    for (const g of lvl.gates) expect(Number.isFinite(g.regionL1)).toBe(true);
    const doc = render([{ title: 'CGC', note: '', levels: [lvl] }], 420, 1);
    const reg = [...doc.querySelectorAll('text.util-region')];
    expect(reg).toHaveLength(2);
    reg.forEach((t, i) => {
      expect(Number(t.getAttribute('font-size'))).toBeGreaterThanOrEqual(12);
      expect(Number(t.getAttribute('data-region-l1'))).toBeCloseTo(lvl.gates[i].regionL1!, 12);
      expect(t.textContent).toMatch(/^routing by region: L1 \d\.\d\d/);
      expect(t.querySelector('title')!.textContent).toContain('region 1 (rᵀx ≤ 0)');
    });
    const gates = [...doc.querySelectorAll('g.util-gate')].map((g) => g.getAttribute('data-region-l1'));
    expect(gates.map(Number)).toEqual(lvl.gates.map((g) => g.regionL1));
    // Below the own-weight lines; the legend explains region L1.
    const ownY = Math.max(...[...doc.querySelectorAll('text.util-own')].map((t) => Number(t.getAttribute('y')) + (t.querySelectorAll('tspan').length - 1) * 14));
    for (const t of reg) expect(Number(t.getAttribute('y')) - 12).toBeGreaterThanOrEqual(ownY);
    expect(doc.querySelector('text.util-figures-note')!.textContent).toContain('region L1 (regional data)');
    // Global data (regionL1 null): no region line, the gate's attribute is empty, the note says nothing of regions.
    const g = render([{ title: 'CGC', note: '', levels: cgc(1, 1) }], 420, 1);
    expect(g.querySelectorAll('text.util-region')).toHaveLength(0);
    expect([...g.querySelectorAll('g.util-gate')].every((x) => x.getAttribute('data-region-l1') === '')).toBe(true);
    expect(g.querySelector('text.util-figures-note')!.textContent).not.toContain('region L1');
  });

  it('region lines: only under task gates, wrapped to fit, never overlapping, the panel taller', () => {
    for (const levels of [regional(cgc(1, 1)), regional(mmoe()), regional(mlMmoe(2)), regional(ple())])
      for (const width of [230, 340, 420]) {
        for (const lvl of levels) {
          const box = levelBox(lvl, width);
          const slotW = slotWidth(lvl, width - AXIS_W);
          let x0 = 0;
          const spans: [number, number][] = [];
          lvl.gates.forEach((g, gi) => {
            const fig = box.gates[gi];
            expect(fig.region.length > 0, g.id).toBe(g.id.startsWith('task:'));
            const maxW = (g.mean.length + 0.8) * slotW - 2;
            for (const l of fig.region) expect(textWidth(l, REGION_FONT), `${l} at ${width}`).toBeLessThanOrEqual(maxW + 1e-9);
            const mid = x0 + (g.mean.length * slotW) / 2;
            const w = Math.max(textWidth(fig.label, 10.5) * 1.06, ...fig.own.map((l) => textWidth(l, 11)), ...fig.region.map((l) => textWidth(l, REGION_FONT)));
            spans.push([mid - w / 2, mid + w / 2]);
            x0 += (g.mean.length + 0.8) * slotW;
          });
          for (let i = 1; i < spans.length; i++) expect(spans[i][0], `${lvl.gates[i].label} at ${width}`).toBeGreaterThanOrEqual(spans[i - 1][1] - 1e-9);
          const withRegion = lvl.gates.some((g) => g.id.startsWith('task:'));
          expect(box.height).toBe(levelBox({ ...lvl, gates: lvl.gates.map((g) => ({ ...g, regionL1: null })) }, width).height + (withRegion ? Math.max(...box.gates.map((f) => f.region.length)) * REGION_LINE_H : 0));
        }
      }
    // The wording does not depend on the value (0.00–2.00 are all 4 characters): the layout holds while training.
    const g = regional(mmoe())[0].gates[0];
    for (const w of [60, 110, 160, 300]) expect(regionLines({ ...g, regionL1: 0.01 }, w).length).toBe(regionLines({ ...g, regionL1: 1.99 }, w).length);
    expect(regionLines({ ...g, regionL1: Number.NaN }, 300)).toEqual([]);
  });

  it('shortens a gate label that would not fit, keeps the own figure in two lines', () => {
    const g = mlMmoe(2)[0].gates[0];
    expect(gateFigure(g, 400).label).toMatch(/^→ L2 expert 1 \(H=/);
    expect(gateFigure(g, 40).label).toBe('→ E1');
    const t = cgc(1, 1)[0].gates[0];
    expect(gateFigure(t, 400).own).toHaveLength(1);
    expect(gateFigure(t, 80).own).toHaveLength(2);
  });

  it('wraps on a template so the breaks do not move with the numbers', () => {
    const a = wrapTemplate('union L1 {0} (partly structural: private experts count as 0 for the other gate)', ['1.234'], 200);
    const b = wrapTemplate('union L1 {0} (partly structural: private experts count as 0 for the other gate)', ['1.23e-4'], 200);
    expect(a.length).toBe(b.length);
    expect(a.length).toBeGreaterThan(1);
  });

  it('the panel grows with the wrapped lines and own figures', () => {
    const narrow = render([{ title: 'CGC', note: '', levels: cgc(1, 1) }], 230, 1);
    const wide = render([{ title: 'CGC', note: '', levels: cgc(1, 1) }], 700, 1);
    const h = (d: Document) => Number(d.querySelector('svg')!.getAttribute('height'));
    expect(h(narrow)).toBeGreaterThan(h(wide));
  });
});
