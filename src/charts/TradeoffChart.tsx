// The seesaw as a trade-off curve: each model trained once per task-weight
// ratio r = ω_A / (ω_A + ω_B); per model, its mean MTL gains (A, B) at each
// ratio connected in ratio order, with per-seed points, single-task at the
// origin. Drawn by svg/tradeoff.ts (the report draws the same figure). Shown
// for a trade-off suite, or whenever the current results hold the same model
// at two or more ratios; the curves grow as runs finish.
import { select } from 'd3';
import { useRef } from 'react';
import { getPreset } from '../core/config/presets';
import type { ExperimentResults } from '../core/types';
import { fmtSigned } from '../state/format';
import { paramsText } from '../state/resultsText';
import { usePlayground, type PlaygroundState } from '../state/store';
import { ChartCard, useTip } from './ChartCard';
import { drawTradeoff } from './svg/tradeoff';
import { hasTradeoffCurve, tradeoffFrom, type TradeoffData } from './tradeoffData';
import { useLiveDraw, useWidth } from './useChart';

export const TRADEOFF_HELP =
  'Each model is trained once per task-weight ratio ω_A / (ω_A + ω_B) (0.5 = equal weights), and each point is its MTL gain on task A (x) and task B (y) against the single-task model at the origin, averaged over seeds (small dots: one seed). ' +
  'Moving along a curve is what re-weighting the tasks buys: how much of one task you trade for the other. A curve up and to the right of another is better at every weighting; where curves cross, the better model depends on how you weight the tasks. ' +
  'Shading as in the seesaw chart: blue gains on both, red loses on both.';

/** Whether the page shows the chart: a trade-off suite is loaded, or the current results hold a curve. */
export function showTradeoff(s: Pick<PlaygroundState, 'suiteId' | 'results' | 'run'>): boolean {
  const p = s.suiteId ? getPreset(s.suiteId) : undefined;
  if (p && p.kind === 'suite' && p.tradeoff) return true;
  return hasTradeoffCurve(s.results, s.run.labels);
}

function currentTradeoff(): TradeoffData | null {
  const { results, run, history } = usePlayground.getState();
  const done = results.map((r, i) => [r, run.labels[i]] as const).filter((x): x is [ExperimentResults, string] => !!x[0]);
  const cur = tradeoffFrom(
    done.map((d) => d[0]),
    done.map((d) => d[1] ?? ''),
    `${run.title || 'current run'} (${done.length}/${run.specs.length} runs done)`,
  );
  if (cur && cur.series.length) return cur;
  // A run under way draws its own results only (its first points come as its runs finish).
  if (run.phase !== 'idle') return cur;
  // Idle: the newest saved suite that holds a curve.
  for (const h of history) {
    const d = tradeoffFrom(h.results, h.labels, `saved: ${h.title}, ${new Date(h.savedAt).toLocaleString()}`);
    if (d && d.curves > 0) return d;
  }
  return cur;
}

function TradeoffCard() {
  const box = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const width = useWidth(box);
  const [tipRef, tip] = useTip();
  const stamp = useRef('');

  useLiveDraw(
    'tradeoff',
    () => {
      const svg = svgRef.current;
      if (!svg) return;
      const data = currentTradeoff();
      const key = JSON.stringify([width, data?.source, data?.baseline, data?.series]);
      if (key === stamp.current) return;
      stamp.current = key;
      const root = select(svg);
      root.selectAll('*').remove();
      if (!data || !data.hasBaseline || data.series.length === 0) {
        root.attr('width', width).attr('height', 64).attr('viewBox', null);
        const st = usePlayground.getState();
        const lines =
          st.run.phase !== 'idle'
            ? ['The single-task baseline runs first, then each model', 'at each ratio: the curves grow as runs finish.']
            : st.suiteId && getPreset(st.suiteId)?.kind === 'suite'
              ? ['Press Play: the single-task baseline runs first, then', 'each model at each ratio; the curves grow as runs finish.']
              : ['Curves appear as runs finish: run the "Seesaw trade-off', 'curve" preset (single-task baseline + each model per ratio).'];
        lines.forEach((t, i) => root.append('text').attr('x', 8).attr('y', 24 + 18 * i).attr('font-size', 12).attr('fill', '#555').text(t));
        return;
      }
      drawTradeoff(root, { ...data, baseline: data.baseline }, { width });
      // Hover readouts (the drawer also writes <title>s, kept for the exported SVG).
      const names = data.taskNames;
      root.selectAll<SVGCircleElement, unknown>('circle.tradeoff-point').each(function () {
        const el = select(this);
        const series = data.series.find((s) => s.label === (this.parentNode as Element).getAttribute('data-label'));
        const ratio = Number(el.attr('data-ratio'));
        const p = series?.points.find((q) => q.ratio === ratio);
        if (!series || !p?.mean) return;
        const lines = [
          `${series.label} · ω_A share ${ratio.toFixed(2)} (ω_A = ${(2 * ratio).toFixed(2)}, ω_B = ${(2 * (1 - ratio)).toFixed(2)})`,
          `gain ${names[0]}: ${fmtSigned(p.mean[0])}`,
          `gain ${names[1]}: ${fmtSigned(p.mean[1])}`,
          `${p.seeds.length === 1 ? 'one seed' : `mean of ${p.seeds.length} seeds`} · ${paramsText(series.params)}`,
        ];
        el.on('mousemove', (ev: MouseEvent) => tip.show(lines, ev)).on('mouseleave', () => tip.hide());
      });
      root
        .select('.seesaw-origin')
        .on('mousemove', (ev: MouseEvent) => tip.show([`Baseline: ${data.baseline ?? 'single-task'}`, 'MTL gain 0 on both tasks by definition; it ignores task weights'], ev))
        .on('mouseleave', () => tip.hide());
    },
    [width],
  );

  return (
    <ChartCard title="Trade-off curve" help={TRADEOFF_HELP} tipRef={tipRef} testId="chart-tradeoff">
      <p className="chart-note" style={{ fontSize: 12, margin: '0 0 4px' }}>
        Each model is trained once per task-weight ratio; moving along a curve is what re-weighting the tasks buys; a curve up and to the right of another is better at every weighting.
      </p>
      <div ref={box} className="chart-box">
        <svg ref={svgRef} className="chart" role="img" aria-label="Trade-off curves: MTL gain on task A against MTL gain on task B for each model, one point per task-weight ratio" />
      </div>
    </ChartCard>
  );
}

/** The card, when there is something to show (see showTradeoff). */
export function TradeoffChart() {
  const show = usePlayground(showTradeoff);
  return show ? <TradeoffCard /> : null;
}
