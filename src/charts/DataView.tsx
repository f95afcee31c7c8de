// The data: requested correlation p vs what was generated (cos of the weight
// vectors, and the measured Pearson r of the labels, which the sines lower),
// and a scatter of two tasks' regression targets.
import { axisBottom, axisLeft, extent, scaleLinear, select } from 'd3';
import { useRef, useState } from 'react';
import { useDataPreview } from '../state/dataPreview';
import { fmt } from '../state/format';
import { usePlayground } from '../state/store';
import { ChartCard, useTip } from './ChartCard';
import { OKABE_ITO, taskColor } from './palette';
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
    const M = { top: 10, right: 10, bottom: 36, left: 46 };
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
    root.append('g').attr('transform', `translate(0,${size - M.bottom})`).call(axisBottom(x).ticks(5)).selectAll('text').attr('font-size', 9.5);
    root.append('g').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).ticks(5)).selectAll('text').attr('font-size', 9.5);
    const binA = p.taskTypes[a] === 'binary';
    const binB = p.taskTypes[b] === 'binary';
    const g = root.append('g').attr('class', 'scatter');
    for (let i = 0; i < p.n; i++) {
      const obsA = p.sampleMask[i * p.K + a] === 1;
      const obsB = p.sampleMask[i * p.K + b] === 1;
      // Colour by task B's binary label when it has one; hollow = task B unobserved (chain).
      const labelB = p.sampleY[i * p.K + b];
      const fill = binB ? (labelB === 1 ? OKABE_ITO.blue : OKABE_ITO.orange) : binA ? (p.sampleY[i * p.K + a] === 1 ? OKABE_ITO.blue : OKABE_ITO.orange) : OKABE_ITO.grey;
      g.append('circle')
        .attr('class', 'scatter-point')
        .attr('cx', x(xs[i]))
        .attr('cy', y(ys[i]))
        .attr('r', 2.1)
        .attr('fill', obsA && obsB ? fill : 'none')
        .attr('stroke', obsA && obsB ? 'none' : '#999')
        .attr('fill-opacity', 0.55);
    }
    root.append('text').attr('x', (M.left + size - M.right) / 2).attr('y', size - 4).attr('text-anchor', 'middle').attr('font-size', 11).attr('fill', taskColor(a)).text(`${names[a] ?? `Task ${a + 1}`}: y (regression target)`);
    root
      .append('text')
      .attr('transform', `translate(11,${(M.top + size - M.bottom) / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle')
      .attr('font-size', 11)
      .attr('fill', taskColor(b))
      .text(`${names[b] ?? `Task ${b + 1}`}: y`);
    const lx = size + 10;
    if (width - lx > 120) {
      const lg = root.append('g').attr('transform', `translate(${lx},20)`);
      const r = p.labelCorrelation[a][b];
      lg.append('text').attr('font-size', 12).attr('font-weight', 600).text(`Pearson r = ${fmt(r, 3)}`);
      lg.append('text').attr('y', 17).attr('font-size', 11).attr('fill', '#444').text(`requested p = ${fmt(p.requested[a][b], 3)}`);
      lg.append('text').attr('y', 32).attr('font-size', 11).attr('fill', '#444').text(`cos(w_A, w_B) = ${fmt(p.weightCosine[a][b], 3)}`);
      if (binA || binB) {
        lg.append('circle').attr('cx', 5).attr('cy', 52).attr('r', 4).attr('fill', OKABE_ITO.blue);
        lg.append('text').attr('x', 13).attr('y', 56).attr('font-size', 11).text(`label 1 (${binB ? names[b] : names[a]})`);
        lg.append('circle').attr('cx', 5).attr('cy', 68).attr('r', 4).attr('fill', OKABE_ITO.orange);
        lg.append('text').attr('x', 13).attr('y', 72).attr('font-size', 11).text('label 0');
      }
      if (p.observedFraction.some((f) => f < 1)) {
        lg.append('circle').attr('cx', 5).attr('cy', 88).attr('r', 4).attr('fill', 'none').attr('stroke', '#999');
        lg.append('text').attr('x', 13).attr('y', 92).attr('font-size', 11).text('not observed (chain)');
      }
      lg.append('text').attr('y', 112).attr('font-size', 10).attr('fill', '#666').text(`${p.n} of ${p.rowsTotal} training rows`);
    }
    root
      .on('mousemove', (ev: MouseEvent) =>
        tip.show([`${names[a]} vs ${names[b]}`, `Pearson r of the labels ${fmt(p.labelCorrelation[a][b], 3)}`, `requested p ${fmt(p.requested[a][b], 3)}`], ev),
      )
      .on('mouseleave', () => tip.hide());
  }, [width, preview, a, b, names.join('|')]);

  const pairs: [number, number][] = [];
  for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) pairs.push([i, j]);
  return (
    <ChartCard
      title="Data"
      help="The synthetic tasks: y_k = w_kᵀx + Σ sin(α·w_kᵀx + β) + noise with cos(w_i, w_k) = p. The label correlation is lower than p because of the sines. The scatter shows the first training rows."
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
      {preview && preview.ok && (
        <table className="corr-table" aria-label="Requested and measured correlation per task pair">
          <thead>
            <tr>
              <th scope="col">pair</th>
              <th scope="col" title="Requested correlation p (or matrix entry)">requested p</th>
              <th scope="col" title="Cosine of the generated weight vectors: equals p up to rounding">cos(w)</th>
              <th scope="col" title="Pearson correlation of the generated regression targets (training split)">measured r</th>
              {trained && <th scope="col" title="Measured by the worker on the full training split of the last run">r (run)</th>}
            </tr>
          </thead>
          <tbody>
            {pairs.map(([i, j]) => (
              <tr key={`${i}-${j}`}>
                <td>
                  {names[i]} × {names[j]}
                </td>
                <td className="num">{fmt(preview.requested[i][j], 3)}</td>
                <td className="num">{fmt(preview.weightCosine[i][j], 3)}</td>
                <td className="num" data-testid={`measured-r-${i}-${j}`}>
                  {fmt(preview.labelCorrelation[i][j], 3)}
                </td>
                {trained && <td className="num">{fmt(trained.labelCorrelation[i]?.[j], 3)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pending && <p className="muted small">updating…</p>}
      {preview && preview.ok && preview.rowsUsed < preview.rowsTotal && (
        <p className="muted small">Preview measured on the first {preview.rowsUsed} of {preview.rowsTotal} training rows.</p>
      )}
    </ChartCard>
  );
}
