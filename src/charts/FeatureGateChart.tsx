// Feature-selection gates of the viewed run (model.featureGates): per gate,
// the mean weight per input dimension on the test rows against |w_k|, the
// task's true weight the generator knows, and their correlation r. Hidden
// when the viewed run has no feature gates.
import { select } from 'd3';
import { useEffect, useRef } from 'react';
import { fmt } from '../state/format';
import { ChartCard } from './ChartCard';
import { SHARED_COLOR, taskColor } from './palette';
import { drawFeatureGates, type FeatureGatePanel } from './svg/featureGates';
import { useWidth } from './useChart';
import { useViewedResult } from './viewedResult';

export function FeatureGateChart() {
  const viewed = useViewedResult();
  const gates = viewed?.result.featureGates;
  if (!viewed || !gates?.length) return null;
  return <FeatureGateCard label={viewed.label} result={viewed.result} />;
}

function FeatureGateCard({ label, result }: { label: string; result: NonNullable<ReturnType<typeof useViewedResult>>['result'] }) {
  const box = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const width = useWidth(box);
  const names = result.config.data.tasks.map((t, k) => t.name ?? `task ${k + 1}`);
  const panels: FeatureGatePanel[] = (result.featureGates ?? []).map((g) => {
    const k = g.id.startsWith('task:') ? Number(g.id.slice(5)) : -1;
    return {
      title: k >= 0 ? `Feature gate ${names[k]}` : 'Shared feature gate',
      color: k >= 0 ? taskColor(k) : SHARED_COLOR,
      meanWeight: g.meanWeight,
      trueAbsWeight: g.trueAbsWeight,
      correlation: g.correlation,
      targetLabel: k >= 0 ? '|w|' : 'mean |w|',
    };
  });
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const root = select(svg);
    root.selectAll('*').remove();
    drawFeatureGates(root, panels, { width });
  });
  const d = panels[0]?.meanWeight.length ?? 0;
  return (
    <ChartCard
      title="Feature gates"
      help={`Each task's feature gate is one linear layer + softmax over the ${d} input features; its weights (times ${d}) multiply the raw features before that task's experts and gate, so tasks can read different features. Bars: the gate's mean weight per input dimension over the test rows. Line: |w|, the task's true weight per dimension (the generator knows it), scaled to sum to 1. Dashed: the uniform 1/${d}, where the gate starts. r is the Pearson correlation of bars and line over the dimensions: near 1, the gate found its task's features.`}
      testId="chart-feature-gates"
    >
      <p className="muted small fg-summary" data-testid="feature-gate-correlation">
        {label}: {panels.map((p) => `${p.title.replace('Feature gate ', '')} r = ${p.correlation === null ? 'n/a' : fmt(p.correlation, 2)}`).join(' · ')}
      </p>
      <div ref={box} className="chart-box">
        <svg ref={svgRef} className="chart" role="img" aria-label={`Mean feature-gate weight per input dimension (1 to ${d}) against the true |w| of each task`} />
      </div>
    </ChartCard>
  );
}
