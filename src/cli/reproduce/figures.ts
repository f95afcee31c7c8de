// The report's figures: the page's chart drawings (src/charts/svg/*) run in a
// jsdom document and serialised as standalone SVG files.
import { select } from 'd3';
import { JSDOM } from 'jsdom';
import { drawTradeoff, type TradeoffSeries } from '../../charts/svg/tradeoff';
import type { TradeoffAnalysis } from './tradeoffAnalysis';
import { drawSeesaw, type SeesawDot } from '../../charts/svg/seesaw';
import { standaloneSvg } from '../../charts/svg/standalone';
import { drawSweep, type SweepSeries } from '../../charts/svg/sweep';
import type { SvgRoot } from '../../charts/svg/types';
import { drawUtilisation, type UtilPanel } from '../../charts/svg/utilisation';
import type { SeesawAnalysis } from './seesawAnalysis';
import type { SweepAnalysis } from './sweepAnalysis';
import type { UtilisationAnalysis } from './utilisationAnalysis';

const SVG_NS = 'http://www.w3.org/2000/svg';

export function renderSvg(draw: (root: SvgRoot) => void): string {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  try {
    const doc = dom.window.document;
    const svg = doc.createElementNS(SVG_NS, 'svg') as unknown as SVGSVGElement;
    doc.body.appendChild(svg);
    draw(select(svg));
    const serializer = new dom.window.XMLSerializer();
    return standaloneSvg(svg, (n) => serializer.serializeToString(n));
  } finally {
    dom.window.close();
  }
}

/** The page's sweep chart (raw test MSE), or with `normalised` the MSE / label variance the findings use. */
export function sweepFigure(a: SweepAnalysis, normalised = false): string | null {
  const cells = normalised ? a.normCells : a.cells;
  const series: SweepSeries[] = a.models.map(({ model, label }) => ({
    model,
    label,
    points: cells
      .filter((c) => c.model === model)
      .flatMap((c) => c.perSeed.filter((s): s is { seed: number; value: number } => s.value !== null).map((s) => ({ p: c.p, seed: s.seed, value: s.value }))),
  }));
  if (series.every((s) => s.points.length === 0) || a.ps.length < 2) return null;
  return renderSvg((root) => drawSweep(root, series, { width: 680, height: 280, yLabel: normalised ? 'test MSE / label variance (mean over tasks)' : undefined }));
}

/** Every seed (rows) of every model (columns): nothing is picked. */
export function utilisationFigure(a: UtilisationAnalysis): string | null {
  if (a.gates.length === 0) return null;
  const variants = [...new Set(a.gates.map((g) => g.variant))];
  const panels: UtilPanel[] = [];
  for (const seed of a.seeds)
    for (const v of variants) {
      const g = a.gates.find((x) => x.seed === seed && x.variant === v);
      panels.push(g ? { title: `${g.label} · seed ${seed}`, note: 'test set', levels: g.levels } : { title: `${v} · seed ${seed}`, note: 'did not finish', levels: [] });
    }
  return renderSvg((root) => drawUtilisation(root, panels, { width: variants.length * 340 + (variants.length - 1) * 14, cols: variants.length }));
}

export function seesawFigure(a: SeesawAnalysis, source: string): string | null {
  const points: SeesawDot[] = a.rows
    .filter((r) => r.model !== 'single-task')
    .flatMap((r) => r.perSeed.filter((s) => s.gain).map((s) => ({ label: r.label, model: r.model, seed: s.seed, gain: s.gain!, params: s.result.params ?? null })));
  if (points.length === 0 || a.taskNames.length < 2) return null;
  const single = a.rows.find((r) => r.model === 'single-task');
  const baseline = single ? `${single.label} (${single.perSeed[0]?.result.params?.toLocaleString('en-US') ?? 'n/a'} params)` : undefined;
  return renderSvg((root) =>
    drawSeesaw(root, { points, taskNames: [a.taskNames[0], a.taskNames[1]], taskTypes: [a.taskTypes[0], a.taskTypes[1]], source, ...(baseline ? { baseline } : {}) }, { width: 560 }),
  );
}

/** Trade-off curves: per model, mean gains per weight ratio (the page's trade-off chart draws the same). */
export function tradeoffFigure(a: TradeoffAnalysis, source: string): string | null {
  if (a.curves.length === 0 || a.taskNames.length < 2) return null;
  const series: TradeoffSeries[] = a.curves.map((c) => ({
    label: c.label,
    model: c.model,
    params: c.params,
    points: c.points.map((p) => ({
      ratio: p.ratio,
      mean: p.gain[0].mean !== null && p.gain[1].mean !== null ? ([p.gain[0].mean, p.gain[1].mean] as [number, number]) : null,
      seeds: p.perSeed.flatMap((s) => (s.gain ? [s.gain] : [])),
    })),
  }));
  return renderSvg((root) => drawTradeoff(root, { series, taskNames: [a.taskNames[0], a.taskNames[1]], taskTypes: [a.taskTypes[0], a.taskTypes[1]], source }, { width: 560 }));
}
