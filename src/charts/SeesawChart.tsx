// Seesaw (PLE paper): each model is a point at (MTL gain on task A, MTL gain
// on task B) against the single-task model of the same data and seeds, which
// sits at the origin. One point per seed plus the mean per model.
import { select, symbol, symbolCross, symbolDiamond, symbolSquare, symbolStar, symbolTriangle, symbolWye, type SymbolType } from 'd3';
import { useRef } from 'react';
import { computeMtlGains } from '../core/config/suite';
import { MODEL_LABELS, type ModelType } from '../core/config/schema';
import type { ExperimentResults } from '../core/types';
import { fmt, fmtSigned } from '../state/format';
import { baselineNames, paramsText, selectedStepText, stripSeed } from '../state/resultsText';
import { usePlayground } from '../state/store';
import { wrapTemplate } from './svg/utilisationLayout';
import { ChartCard, useTip } from './ChartCard';
import { modelColor, modelShape, type MarkerShape } from './palette';
import { drawSeesawFrame } from './svg/seesaw';

const SYMBOLS: Record<MarkerShape, SymbolType> = { diamond: symbolDiamond, triangle: symbolTriangle, square: symbolSquare, star: symbolStar, wye: symbolWye, cross: symbolCross };
import { useLiveDraw, useWidth } from './useChart';

export interface SeesawPoint {
  variant: string;
  label: string;
  model: ModelType;
  seed: number;
  gain: [number, number];
  result: ExperimentResults;
  /** Trainable parameters (null for runs saved before the count existed). */
  params: number | null;
}

export interface SeesawData {
  source: string;
  points: SeesawPoint[];
  taskTypes: ('regression' | 'binary')[];
  taskNames: string[];
  hasBaseline: boolean;
  /** The baseline(s) the gains are measured against: "Single-task (17,154 params)". */
  baseline: string | null;
}


/** Seesaw points from a list of finished results (labels parallel to results). */
export function seesawFrom(results: ExperimentResults[], labels: string[], source: string): SeesawData | null {
  if (results.length === 0) return null;
  const gains = computeMtlGains(results);
  const baselines = baselineNames(results, labels);
  const first = results[0];
  const points: SeesawPoint[] = [];
  results.forEach((r, i) => {
    if (r.model === 'single-task') return;
    const g = r.mtlGain ?? gains[i];
    if (!g || g.length < 2) return;
    const [a, b] = g;
    if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b)) return;
    points.push({
      variant: stripSeed(labels[i] ?? r.model),
      label: stripSeed(labels[i] ?? MODEL_LABELS[r.model]),
      model: r.model,
      seed: r.seeds.data,
      gain: [a, b],
      result: r,
      params: typeof r.params === 'number' ? r.params : null,
    });
  });
  const used = results.flatMap((r, i) => (r.model !== 'single-task' && points.some((p) => p.result === r) ? [baselines[i]] : []));
  const names = [...new Set(used.filter((n): n is string => !!n))];
  return {
    source,
    points,
    taskTypes: first.config.data.tasks.map((t) => t.type),
    taskNames: first.config.data.tasks.map((t, k) => t.name ?? `Task ${k + 1}`),
    hasBaseline: results.some((r) => r.model === 'single-task'),
    baseline: names.length ? names.join('; ') : null,
  };
}

const LEGEND_FONT = 12;
const LEGEND_ROW = 17;

interface LegendItem {
  model: ModelType | null;
  params: number | null;
  text: string;
}

/** The baseline (at the origin), then each model with its parameter count (the same for every seed). */
function legendItems(data: SeesawData): LegendItem[] {
  const items: LegendItem[] = [{ model: null, params: null, text: `baseline: ${data.baseline ?? 'single-task'}` }];
  const seen = new Set<string>();
  for (const p of data.points) {
    if (seen.has(p.variant)) continue;
    seen.add(p.variant);
    items.push({ model: p.model, params: p.params, text: `${p.variant} · ${paramsText(p.params)}` });
  }
  return items;
}

/** Legend items left to right, wrapping to a new row at the width (text width estimated: no layout needed). */
function flowLegend(texts: string[], width: number): { x: number; y: number; row: number }[] {
  let x = 0;
  let row = 0;
  const out: { x: number; y: number; row: number }[] = [];
  for (const t of texts) {
    const w = 14 + t.length * LEGEND_FONT * 0.6 + 14;
    if (x > 0 && x + w > width) {
      x = 0;
      row++;
    }
    out.push({ x, y: 0, row });
    x += w;
  }
  return out;
}

function currentSeesaw(): SeesawData | null {
  const { results, run, history } = usePlayground.getState();
  const done = results.map((r, i) => [r, run.labels[i]] as const).filter((x): x is [ExperimentResults, string] => !!x[0]);
  const cur = seesawFrom(
    done.map((d) => d[0]),
    done.map((d) => d[1]),
    `${run.title || 'current run'} (${done.length}/${run.specs.length} runs done)`,
  );
  if (cur && cur.hasBaseline) return cur;
  for (const h of history) {
    if (!h.results.some((r) => r.model === 'single-task') || h.results.length < 2) continue;
    return seesawFrom(h.results, h.labels, `saved: ${h.title}, ${new Date(h.savedAt).toLocaleString()}`);
  }
  return cur;
}

export function SeesawChart() {
  const box = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const width = useWidth(box);
  const [tipRef, tip] = useTip();
  const stamp = useRef('');

  useLiveDraw('seesaw', () => {
    const svg = svgRef.current;
    if (!svg) return;
    const data = currentSeesaw();
    const key = JSON.stringify([width, data?.source, data?.baseline, data?.points.map((p) => [p.label, p.seed, p.gain, p.params])]);
    if (key === stamp.current) return;
    stamp.current = key;
    const root = select(svg);
    root.selectAll('*').remove();
    const size = Math.min(width, 460);
    const legend = data ? legendItems(data) : [];
    const legendPos = flowLegend(legend.map((l) => l.text), width);
    const legendRows = legendPos.length ? legendPos[legendPos.length - 1].row + 1 : 0;
    legendPos.forEach((p) => (p.y = size + 6 + p.row * LEGEND_ROW));
    const caption = data ? wrapTemplate(`marker = mean over seeds, ● one seed, + baseline · ${data.source}`, [], width, 12) : [];
    const height = size + 10 + legendRows * LEGEND_ROW + caption.length * 15;
    root.attr('width', width).attr('height', height);
    if (!data || !data.hasBaseline) {
      root.attr('height', 64);
      root.append('text').attr('x', 8).attr('y', 24).attr('font-size', 12).attr('fill', '#555').text('Needs single-task baselines: run the "Seesaw"');
      root.append('text').attr('x', 8).attr('y', 42).attr('font-size', 12).attr('fill', '#555').text('or "Negative transfer" preset; points appear as models finish.');
      return;
    }
    const { x, y, x0, x1, origin, labelBoxes } = drawSeesawFrame(root, { gains: data.points.map((p) => p.gain), taskNames: data.taskNames, taskTypes: data.taskTypes }, size);
    origin
      .on('mousemove', (ev: MouseEvent) => tip.show([`Baseline: ${data.baseline ?? 'single-task'}`, 'MTL gain 0 on both tasks by definition'], ev))
      .on('mouseleave', () => tip.hide());
    const byVariant = new Map<string, SeesawPoint[]>();
    for (const p of data.points) byVariant.set(p.variant, [...(byVariant.get(p.variant) ?? []), p]);
    const metricLine = (r: ExperimentResults) =>
      (r.test ?? [])
        .map((m, k) => `${data.taskNames[k]}: ${m.type === 'binary' ? `AUC ${fmt(m.auc, 4)}` : `MSE ${fmt(m.mse, 4)}`}`)
        .join(' · ');
    for (const p of data.points) {
      const lines = [
        `${p.label} · seed ${p.seed} · ${paramsText(p.params)}`,
        `gain ${data.taskNames[0]}: ${fmtSigned(p.gain[0])}`,
        `gain ${data.taskNames[1]}: ${fmtSigned(p.gain[1])}`,
        metricLine(p.result),
        `${selectedStepText(p.result)} · gains vs ${data.baseline ?? 'single-task'}`,
      ];
      root
        .append('circle')
        .attr('class', 'seesaw-point')
        .attr('data-model', p.model)
        .attr('data-gain-a', p.gain[0])
        .attr('data-gain-b', p.gain[1])
        .attr('cx', x(p.gain[0]))
        .attr('cy', y(p.gain[1]))
        .attr('r', 3.5)
        .attr('fill', modelColor(p.model))
        .attr('fill-opacity', 0.75)
        .attr('stroke', '#fff')
        .on('mousemove', (ev: MouseEvent) => tip.show(lines, ev))
        .on('mouseleave', () => tip.hide())
        .append('title')
        .text(lines.join('\n'));
    }
    const labels: { x: number; y: number; text: string }[] = [];
    for (const [variant, pts] of byVariant) {
      const mx = pts.reduce((s, p) => s + p.gain[0], 0) / pts.length;
      const my = pts.reduce((s, p) => s + p.gain[1], 0) / pts.length;
      const lines = [
        `${variant}: mean of ${pts.length} seed${pts.length > 1 ? 's' : ''} · ${paramsText(pts[0].params)}`,
        `gain ${data.taskNames[0]}: ${fmtSigned(mx)}`,
        `gain ${data.taskNames[1]}: ${fmtSigned(my)}`,
      ];
      root
        .append('path')
        .attr('class', 'seesaw-mean')
        .attr('data-model', pts[0].model)
        .attr('d', symbol(SYMBOLS[modelShape(pts[0].model)], 110)())
        .attr('transform', `translate(${x(mx)},${y(my)})`)
        .attr('fill', modelColor(pts[0].model))
        .attr('stroke', '#111')
        .attr('stroke-width', 1.2)
        .on('mousemove', (ev: MouseEvent) => tip.show(lines, ev))
        .on('mouseleave', () => tip.hide())
        .append('title')
        .text(lines.join('\n'));
      labels.push({ x: x(mx), y: y(my), text: variant });
    }
    // Greedy label placement: try four spots around the marker, skip a label that
    // would overlap another (its marker still has the hover readout).
    const placed: { x0: number; y0: number; x1: number; y1: number }[] = [...labelBoxes];
    for (const l of labels) {
      const w = l.text.length * 7.2;
      const spots: [number, number, 'start' | 'end'][] = [
        [7, -6, 'start'],
        [7, 13, 'start'],
        [-7, -6, 'end'],
        [-7, 13, 'end'],
      ];
      for (const [dx, dy, anchor] of spots) {
        const bx0 = anchor === 'start' ? l.x + dx : l.x + dx - w;
        const box = { x0: bx0, y0: l.y + dy - 11, x1: bx0 + w, y1: l.y + dy + 3 };
        if (box.x0 < x0 || box.x1 > x1 + 10 || placed.some((b) => b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1)) continue;
        placed.push(box);
        root.append('text').attr('class', 'seesaw-label').attr('x', l.x + dx).attr('y', l.y + dy).attr('text-anchor', anchor).attr('font-size', 12).attr('fill', '#111').attr('pointer-events', 'none').text(l.text);
        break;
      }
    }
    // Legend: the baseline first (the origin), then every model with its parameter count; then the source.
    legend.forEach((item, i) => {
      const { x: lx, y: ly } = legendPos[i];
      const g = root.append('g').attr('class', 'seesaw-legend-item').attr('data-model', item.model ?? 'baseline').attr('data-params', item.params ?? '');
      if (item.model) g.append('path').attr('d', symbol(SYMBOLS[modelShape(item.model)], 60)()).attr('transform', `translate(${lx + 5},${ly + 5})`).attr('fill', modelColor(item.model)).attr('stroke', '#111').attr('stroke-width', 0.8);
      else g.append('path').attr('d', symbol(symbolCross, 60)()).attr('transform', `translate(${lx + 5},${ly + 5})`).attr('fill', '#000');
      g.append('text').attr('x', lx + 14).attr('y', ly + 9).attr('font-size', LEGEND_FONT).attr('fill', '#333').text(item.text);
    });
    // The caption wraps at the width (it names the source, which can be long): never clipped.
    caption.forEach((line, i) =>
      root
        .append('text')
        .attr('class', 'seesaw-caption')
        .attr('x', 0)
        .attr('y', size + 6 + legendRows * LEGEND_ROW + 12 + i * 15)
        .attr('font-size', 12)
        .attr('fill', '#666')
        .text(line),
    );
  }, [width]);

  return (
    <ChartCard
      title="Seesaw"
      help="x: MTL gain on task A, y: MTL gain on task B, both against the single-task model with the same data and seeds (at the origin; positive = better). Top-right is the goal; top-left and bottom-right are the seesaw. The legend gives each model's trainable parameters and names the baseline: depth and size alone move the gains, so compare like with like."
      tipRef={tipRef}
      testId="chart-seesaw"
    >
      <div ref={box} className="chart-box">
        <svg ref={svgRef} className="chart" role="img" aria-label="Seesaw: MTL gain on task A against MTL gain on task B for each model" />
      </div>
    </ChartCard>
  );
}
