// The data: requested correlation p vs what was generated (cos of the weight
// vectors, and the measured Pearson r of the labels, which the sines lower),
// and a scatter of two tasks' regression targets. Binary tasks show their
// ceiling (the oracle AUC of the noise-free target); the regional generator
// colours the scatter by region and shows each region's requested and measured r.
import { axisBottom, axisLeft, extent, scaleLinear, select } from 'd3';
import { useRef, useState, type ReactElement } from 'react';
import { useDataPreview } from '../state/dataPreview';
import type { DataPreview } from '../state/dataPreviewTypes';
import { fmt } from '../state/format';
import { usePlayground } from '../state/store';
import { ChartCard, useTip } from './ChartCard';
import { OKABE_ITO, taskColor } from './palette';

/** Region colours (rᵀx ≤ 0, rᵀx > 0): Okabe–Ito, apart from the label colours blue/orange. */
const REGION_COLORS = [OKABE_ITO.green, OKABE_ITO.purple] as const;
/** As the form and the schema's messages name them: region 1 (rᵀx ≤ 0), region 2 (rᵀx > 0). */
const REGION_NAMES = ['1: rᵀx ≤ 0', '2: rᵀx > 0'] as const;
/** Chart text is never below 12 px. */
const FONT = 12;
const LINE = 17;
import { useLiveDraw, useWidth } from './useChart';

export function DataView() {
  const box = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const width = useWidth(box);
  const [tipRef, tip] = useTip();
  const preview = useDataPreview((s) => s.preview);
  const pending = useDataPreview((s) => s.pending);
  const parsed = usePlayground((s) => s.parsed);
  const results = usePlayground((s) => s.results);
  const [pair, setPair] = useState<[number, number]>([0, 1]);
  const stamp = useRef('');
  const K = preview && preview.ok ? preview.K : 0;
  const a = Math.min(pair[0], Math.max(0, K - 1));
  const b = Math.min(pair[1], Math.max(0, K - 1));
  const names = parsed.ok ? parsed.config.data.tasks.map((t, k) => t.name ?? `Task ${k + 1}`) : [];
  const viewIdx = usePlayground((s) => s.viewRun ?? s.run.runIndex);
  const trained = results[viewIdx]?.data;
  // results.json carries the regions' label correlation from the regional generator on (older results lack it).
  const trainedRegionR = (trained as { regionLabelCorrelation?: number[][][] } | undefined)?.regionLabelCorrelation;

  useLiveDraw('data', () => {
    const svg = svgRef.current;
    if (!svg) return;
    const p = useDataPreview.getState().preview;
    const key = `${width}:${p?.id}:${a}:${b}`;
    if (key === stamp.current) return;
    stamp.current = key;
    const root = select(svg);
    root.selectAll('*').remove();
    const size = Math.min(width, 340);
    if (!p || !p.ok) {
      root.attr('width', width).attr('height', 40);
      root.append('text').attr('x', 8).attr('y', 24).attr('font-size', 12).attr('fill', '#555').text(p && !p.ok ? `The data cannot be generated: ${p.message}` : 'Generating the data…');
      return;
    }
    const M = { top: 10, right: 10, bottom: 38, left: 50 };
    root.attr('width', width).attr('height', size);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < p.n; i++) {
      xs.push(p.sampleRaw[i * p.K + a]);
      ys.push(p.sampleRaw[i * p.K + b]);
    }
    const [x0, x1] = extent(xs) as [number, number];
    const [y0, y1] = extent(ys) as [number, number];
    const x = scaleLinear().domain([x0, x1]).nice().range([M.left, size - M.right]);
    const y = scaleLinear().domain([y0, y1]).nice().range([size - M.bottom, M.top]);
    root.append('g').attr('transform', `translate(0,${size - M.bottom})`).call(axisBottom(x).ticks(5)).selectAll('text').attr('font-size', FONT);
    root.append('g').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).ticks(5)).selectAll('text').attr('font-size', FONT);
    const binA = p.taskTypes[a] === 'binary';
    const binB = p.taskTypes[b] === 'binary';
    const regional = p.relationship === 'regional';
    const g = root.append('g').attr('class', 'scatter');
    for (let i = 0; i < p.n; i++) {
      const obsA = p.sampleMask[i * p.K + a] === 1;
      const obsB = p.sampleMask[i * p.K + b] === 1;
      // Regional data: colour by region. Else by task B's binary label when it has one
      // (task A's otherwise); hollow = a task unobserved (chain).
      const labelB = p.sampleY[i * p.K + b];
      const fill = regional
        ? REGION_COLORS[p.sampleRegion[i]]
        : binB
          ? labelB === 1
            ? OKABE_ITO.blue
            : OKABE_ITO.orange
          : binA
            ? p.sampleY[i * p.K + a] === 1
              ? OKABE_ITO.blue
              : OKABE_ITO.orange
            : OKABE_ITO.grey;
      g.append('circle')
        .attr('class', 'scatter-point')
        .attr('data-region', regional ? p.sampleRegion[i] : null)
        .attr('cx', x(xs[i]))
        .attr('cy', y(ys[i]))
        .attr('r', 2.1)
        .attr('fill', obsA && obsB ? fill : 'none')
        .attr('stroke', obsA && obsB ? 'none' : regional ? fill : '#999')
        .attr('fill-opacity', 0.55);
    }
    root.append('text').attr('x', (M.left + size - M.right) / 2).attr('y', size - 4).attr('text-anchor', 'middle').attr('font-size', FONT).attr('fill', taskColor(a)).text(`${names[a] ?? `Task ${a + 1}`}: y (regression target)`);
    root
      .append('text')
      .attr('transform', `translate(12,${(M.top + size - M.bottom) / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle')
      .attr('font-size', FONT)
      .attr('fill', taskColor(b))
      .text(`${names[b] ?? `Task ${b + 1}`}: y`);
    const lx = size + 10;
    if (legendFits(width)) {
      const lg = root.append('g').attr('class', 'data-legend').attr('transform', `translate(${lx},20)`);
      let ly = 0;
      const line = (text: string, opts: { bold?: boolean; color?: string; dot?: string; hollow?: boolean; indent?: boolean } = {}) => {
        if (opts.dot) {
          lg.append('circle')
            .attr('cx', 5)
            .attr('cy', ly - 4)
            .attr('r', 4)
            .attr('fill', opts.hollow ? 'none' : opts.dot)
            .attr('stroke', opts.hollow ? opts.dot : 'none');
        }
        lg.append('text')
          .attr('x', opts.dot || opts.indent ? 13 : 0)
          .attr('y', ly)
          .attr('font-size', FONT)
          .attr('font-weight', opts.bold ? 600 : null)
          .attr('fill', opts.color ?? '#333')
          .text(text);
        ly += LINE;
      };
      line(`Pearson r = ${fmt(p.labelCorrelation[a][b], 3)}${regional ? ' (all rows)' : ''}`, { bold: true });
      line(`requested p = ${fmt(p.requested[a][b], 3)}${regional ? ' (mean)' : ''}`, { color: '#444' });
      line(`cos(w_A, w_B) = ${fmt(p.weightCosine[a][b], 3)}`, { color: '#444' });
      if (regional) {
        ly += 4;
        for (let j = 0; j < 2; j++) {
          line(`region ${REGION_NAMES[j]} (${fmt(100 * (p.regionFraction[j] ?? NaN), 0)}%)`, { dot: REGION_COLORS[j] });
          line(`r = ${fmt(p.regionLabelCorrelation[j]?.[a]?.[b], 3)}, requested ${fmt(p.regionRequested[j]?.[a]?.[b], 2)}`, { color: '#444', indent: true });
        }
      } else if (binA || binB) {
        ly += 4;
        line(`label 1 (${binB ? names[b] : names[a]})`, { dot: OKABE_ITO.blue });
        line('label 0', { dot: OKABE_ITO.orange });
      }
      if (p.observedFraction.some((f) => f < 1)) line('not observed (chain)', { dot: '#999', hollow: true });
      for (const k of [a, b])
        if (p.taskTypes[k] === 'binary') line(`ceiling${binA && binB ? ` (${names[k]})` : ''}: oracle AUC ${fmt(p.oracleAuc[k], 2)}`, { color: '#444' });
      ly += 4;
      line(`${p.n} of ${p.rowsTotal} training rows`, { color: '#555' });
    }
    root
      .on('mousemove', (ev: MouseEvent) =>
        tip.show(
          [
            `${names[a]} vs ${names[b]}`,
            `Pearson r of the labels ${fmt(p.labelCorrelation[a][b], 3)}`,
            `requested p ${fmt(p.requested[a][b], 3)}`,
            ...(p.relationship === 'regional'
              ? [0, 1].map((j) => `region ${REGION_NAMES[j]}; r ${fmt(p.regionLabelCorrelation[j]?.[a]?.[b], 3)}, requested ${fmt(p.regionRequested[j]?.[a]?.[b], 3)}`)
              : []),
          ],
          ev,
        ),
      )
      .on('mouseleave', () => tip.hide());
  }, [width, preview, a, b, names.join('|')]);

  const pairs: [number, number][] = [];
  for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) pairs.push([i, j]);
  const regional = preview && preview.ok && preview.relationship === 'regional';
  const binaryTasks = preview && preview.ok ? preview.taskTypes.flatMap((t, k) => (t === 'binary' ? [k] : [])) : [];
  return (
    <ChartCard
      title="Data"
      help="The synthetic tasks: y_k = w_kᵀx + s·Σ sin(α·w_kᵀx + β) + noise with cos(w_i, w_k) = p. The label correlation is lower than p because of the sines. Regional data: a hidden direction r splits the inputs by the sign of rᵀx, each region with its own p. A binary task's ceiling is the oracle AUC: how well the noise-free target ranks its labels on the test split. The scatter shows the first training rows."
      tipRef={tipRef}
      testId="chart-data"
      tools={
        K > 2 ? (
          <label className="mini-select" title="Which pair of tasks the scatter shows">
            pair{' '}
            <select title="Which pair of tasks the scatter shows" value={`${a}-${b}`} onChange={(e) => setPair(e.target.value.split('-').map(Number) as [number, number])}>
              {pairs.map(([i, j]) => (
                <option key={`${i}-${j}`} value={`${i}-${j}`}>
                  {names[i]} × {names[j]}
                </option>
              ))}
            </select>
          </label>
        ) : null
      }
    >
      <div ref={box} className="chart-box">
        <svg ref={svgRef} className="chart" role="img" aria-label="Scatter of two tasks' labels, with requested and measured correlation" />
      </div>
      {preview && preview.ok && !legendFits(width) && <HtmlLegend p={preview} a={a} b={b} names={names} />}
      {preview && preview.ok && (
        <table className="corr-table" aria-label="Requested and measured correlation per task pair">
          <thead>
            <tr>
              <th scope="col">pair</th>
              {regional && (
                <th scope="col" title="Which training rows: all, or one region of the hidden direction r">
                  rows
                </th>
              )}
              <th scope="col" title={regional ? "Requested correlation p; for all rows the mean of the two regions' p" : 'Requested correlation p (or matrix entry)'}>
                requested p
              </th>
              <th scope="col" title="Cosine of the generated weight vectors: equals p up to rounding">cos(w)</th>
              <th scope="col" title="Pearson correlation of the generated regression targets (training split)">measured r</th>
              {trained && <th scope="col" title="Measured by the worker on the full training split of the last run">r (run)</th>}
            </tr>
          </thead>
          <tbody>
            {pairs.flatMap(([i, j]) => {
              const rows = [
                <tr key={`${i}-${j}`}>
                  <td>
                    {names[i]} × {names[j]}
                  </td>
                  {regional && <td>all</td>}
                  <td className="num">{fmt(preview.requested[i][j], 3)}</td>
                  <td className="num">{fmt(preview.weightCosine[i][j], 3)}</td>
                  <td className="num" data-testid={`measured-r-${i}-${j}`}>
                    {fmt(preview.labelCorrelation[i][j], 3)}
                  </td>
                  {trained && <td className="num">{fmt(trained.labelCorrelation[i]?.[j], 3)}</td>}
                </tr>,
              ];
              if (regional)
                for (let q = 0; q < 2; q++)
                  rows.push(
                    <tr key={`${i}-${j}-${q}`}>
                      <td />
                      <td style={{ whiteSpace: 'nowrap' }}>
                        <span style={{ color: REGION_COLORS[q] }} aria-hidden="true">
                          ●
                        </span>{' '}
                        region {REGION_NAMES[q]}
                      </td>
                      <td className="num">{fmt(preview.regionRequested[q]?.[i]?.[j], 3)}</td>
                      <td className="num">{fmt(preview.regionWeightCosine[q]?.[i]?.[j], 3)}</td>
                      <td className="num" data-testid={`region-r-${q}-${i}-${j}`}>
                        {fmt(preview.regionLabelCorrelation[q]?.[i]?.[j], 3)}
                      </td>
                      {trained && <td className="num">{fmt(trainedRegionR?.[q]?.[i]?.[j], 3)}</td>}
                    </tr>,
                  );
              return rows;
            })}
          </tbody>
        </table>
      )}
      {preview && preview.ok && binaryTasks.length > 0 && (
        <p className="small" data-testid="oracle-auc" title="AUC of the noise-free target f(x) against the binary labels on the test split: what a perfect model could reach">
          Ceiling: {binaryTasks.map((k) => `${names[k] ?? `Task ${k + 1}`} oracle AUC ${fmt(preview.oracleAuc[k], 2)}`).join(', ')}
          {preview.testRowsUsed < preview.testRowsTotal ? ` (first ${preview.testRowsUsed} of ${preview.testRowsTotal} test rows)` : ' (test split)'}.
        </p>
      )}
      {pending && <p className="muted small">updating…</p>}
      {preview && preview.ok && preview.rowsUsed < preview.rowsTotal && (
        <p className="muted small">Preview measured on the first {preview.rowsUsed} of {preview.rowsTotal} training rows.</p>
      )}
    </ChartCard>
  );
}

/** Whether the legend fits beside the scatter in the SVG (else it is drawn below, in HTML). */
function legendFits(width: number): boolean {
  return width - (Math.min(width, 340) + 10) > 150;
}

/** The scatter's colour key, for a card too narrow for the SVG legend. */
function HtmlLegend({ p, a, b, names }: { p: Extract<DataPreview, { ok: true }>; a: number; b: number; names: string[] }) {
  const binA = p.taskTypes[a] === 'binary';
  const binB = p.taskTypes[b] === 'binary';
  const dot = (color: string, hollow = false) => (
    <span style={hollow ? { color: 'transparent', WebkitTextStroke: `1px ${color}` } : { color }} aria-hidden="true">
      ●
    </span>
  );
  const items: ReactElement[] = [];
  if (p.relationship === 'regional')
    REGION_NAMES.forEach((name, j) =>
      items.push(
        <span key={`region-${j}`} data-testid={`region-legend-${j}`}>
          {dot(REGION_COLORS[j])} region {name} ({fmt(100 * (p.regionFraction[j] ?? NaN), 0)}%): r = {fmt(p.regionLabelCorrelation[j]?.[a]?.[b], 3)}, requested{' '}
          {fmt(p.regionRequested[j]?.[a]?.[b], 2)}
        </span>,
      ),
    );
  else if (binA || binB) {
    items.push(
      <span key="l1">
        {dot(OKABE_ITO.blue)} label 1 ({binB ? names[b] : names[a]})
      </span>,
      <span key="l0">{dot(OKABE_ITO.orange)} label 0</span>,
    );
  }
  if (p.observedFraction.some((f) => f < 1)) items.push(<span key="chain">{dot('#999', true)} not observed (chain)</span>);
  if (items.length === 0) return null;
  return (
    <p className="small data-legend-html" aria-label="Scatter colours">
      {items.map((it, i) => (
        <span key={i}>
          {i > 0 && <br />}
          {it}
        </span>
      ))}
    </p>
  );
}
