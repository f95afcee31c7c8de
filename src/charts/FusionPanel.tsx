// Score fusion for the viewed trained run (src/core/fusion): sliders set one
// weight per task; the table shows each task's test AUC (binary) or Spearman
// rank correlation (regression) under the additive and the multiplicative fused
// score, and the top-20 test rows of both and how many they share. The same
// seesaw as in training, now at serving time. Hidden without test predictions.
import { select } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ExperimentResults } from '../core/types';
import { fusionCsv, fusionProbabilities, fusionTable, TOP_K, type FusionInput } from '../core/fusion/fusion';
import { downloadText, safeName } from '../state/download';
import { fmt } from '../state/format';
import { ChartCard } from './ChartCard';
import { ADDITIVE_COLOR, drawFusion, MULTIPLICATIVE_COLOR } from './svg/fusion';
import { useWidth } from './useChart';
import { useViewedResult } from './viewedResult';

export function FusionPanel() {
  const viewed = useViewedResult();
  const p = viewed?.result.testPredictions;
  if (!viewed || !p || p.scores.length < 2 || p.scores[0].length === 0) return null;
  // A new run starts with all weights at 1.
  return <FusionCard key={`${viewed.index}:${viewed.result.name ?? ''}:${viewed.result.wallSeconds}`} label={viewed.label} result={viewed.result} />;
}

function FusionCard({ label, result }: { label: string; result: ExperimentResults }) {
  const pred = result.testPredictions!;
  const types = result.config.data.tasks.map((t) => t.type);
  const names = result.config.data.tasks.map((t, k) => t.name ?? `task ${k + 1}`);
  const K = types.length;
  const [weights, setWeights] = useState<number[]>(() => new Array<number>(K).fill(1));
  const input: FusionInput = useMemo(() => ({ types, scores: pred.scores, labels: pred.labels, ...(pred.observed ? { observed: pred.observed } : {}) }), [pred]); // eslint-disable-line react-hooks/exhaustive-deps
  const probs = useMemo(() => fusionProbabilities(input), [input]);
  const table = useMemo(() => fusionTable(input, weights, TOP_K), [input, weights]);
  const box = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const width = useWidth(box);
  const axis = (k: number) => (types[k] === 'binary' ? `p(${names[k]}) = σ(logit)` : `percentile of ${names[k]}'s prediction`);
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const root = select(svg);
    root.selectAll('*').remove();
    drawFusion(root, { pA: probs[0], pB: probs[1], axisA: axis(0), axisB: axis(1), topAdditive: table.topAdditive, topMultiplicative: table.topMultiplicative }, { width });
  });
  const hasRegression = types.includes('regression');
  const metricName = (k: number) => (types[k] === 'binary' ? 'AUC' : 'rank corr.');
  const onCsv = () => downloadText(fusionCsv(table, names), `${safeName(label)}-fusion.csv`, 'text/csv');
  return (
    <ChartCard
      title="Score fusion"
      help="A ranking system serves one score per item, fused from the task predictions p_k. Additive: Σ w_k·p_k. Multiplicative: Π p_k^w_k (the PLE paper's online formula). For each task, the table scores that task's test labels under the ONE fused ranking: AUC for a binary task, Spearman rank correlation for a regression task. Raise one weight and watch the other tasks' numbers fall: the seesaw, at serving time."
      tools={
        <button type="button" className="mini" onClick={onCsv} aria-label="Download fusion CSV" title="Download the fusion table as CSV">
          CSV
        </button>
      }
      testId="chart-fusion"
    >
      <p className="muted small">
        {label}: {pred.scores[0].length.toLocaleString('en-US')} test rows. p_k is the predicted probability for a binary task
        {hasRegression ? "; a regression prediction is not a probability, so its p_k is the prediction's percentile among the test rows, (rank − ½) / n" : ''}.
      </p>
      <div className="fusion-sliders">
        {names.map((n, k) => (
          <label key={k} className="fusion-slider">
            <span>
              w {n} = <output data-testid={`fusion-weight-${k}`}>{weights[k].toFixed(1)}</output>
            </span>
            <input
              type="range"
              min={0}
              max={3}
              step={0.1}
              value={weights[k]}
              aria-label={`Fusion weight of ${n}`}
              onChange={(e) => {
                const v = Number(e.target.value);
                setWeights((w) => w.map((x, j) => (j === k ? v : x)));
              }}
            />
          </label>
        ))}
      </div>
      <table className="fusion-table" data-testid="fusion-table">
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Metric</th>
            <th scope="col" title="The task's own prediction as the ranking, no fusion">Own</th>
            <th scope="col" style={{ color: ADDITIVE_COLOR }}>
              Additive
            </th>
            <th scope="col" style={{ color: MULTIPLICATIVE_COLOR }}>
              Multiplicative
            </th>
          </tr>
        </thead>
        <tbody>
          {table.tasks.map((r) => (
            <tr key={r.task} data-task={r.task}>
              <th scope="row">{names[r.task]}</th>
              <td>{metricName(r.task)}</td>
              <td>{fmt(r.own, 3)}</td>
              <td data-col="additive">{fmt(r.additive, 3)}</td>
              <td data-col="multiplicative">{fmt(r.multiplicative, 3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small" data-testid="fusion-overlap">
        Top {table.k} test rows: additive and multiplicative fusion share <strong>{table.shared}</strong> of {table.k}.
      </p>
      <details className="small">
        <summary>Top {table.k} rows (test row numbers)</summary>
        <p>Additive: {table.topAdditive.map((i) => i + 1).join(', ')}</p>
        <p>Multiplicative: {table.topMultiplicative.map((i) => i + 1).join(', ')}</p>
      </details>
      <div ref={box} className="chart-box">
        <svg ref={svgRef} className="chart" role="img" aria-label={`Test rows at their fusion inputs of ${names[0]} and ${names[1]}, with the top ${table.k} rows under additive and multiplicative fusion`} />
      </div>
    </ChartCard>
  );
}
