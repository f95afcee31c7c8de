// The model drawn live, left to right: input → levels of expert modules
// (task-specific and shared) and gates → towers → outputs. The width of an
// expert→gate edge is the gate's current mean weight on that expert.
import { select } from 'd3';
import { useRef } from 'react';
import { MODEL_LABELS, parseExperiment, type ExperimentConfig } from '../core/config/schema';
import type { GateStats, LevelGateStats } from '../core/types';
import { planArchitecture, type Architecture } from '../state/architecture';
import { fmt } from '../state/format';
import { liveStore } from '../state/live';
import { usePlayground } from '../state/store';
import { ChartCard, useTip } from './ChartCard';
import { moduleColor, shade, SHARED_COLOR, taskColor } from './palette';
import { useLiveDraw, useWidth } from './useChart';

const EXPERT_H = 18;
const EXPERT_GAP = 5;
const ROW_PAD = 14;
const MAX_EDGE = 9;

// Specs do not change during a run: parse each once (zod is not free at 20 Hz).
const parsedSpecs = new WeakMap<object, ReturnType<typeof parseExperiment>>();
function parseCached(cfg: object) {
  let p = parsedSpecs.get(cfg);
  if (!p) parsedSpecs.set(cfg, (p = parseExperiment(cfg)));
  return p;
}

function viewed(): { cfg: ExperimentConfig | null; gates: LevelGateStats[] | null; label: string; stamp: string; gatesStamp: string } {
  const st = usePlayground.getState();
  const live = liveStore.getState();
  const idx = st.viewRun ?? live.current;
  const spec = st.run.specs[idx];
  if (spec) {
    const p = parseCached(spec.config);
    const lr = live.runs[idx];
    const gates = st.results[idx]?.gateStats ?? lr?.gates ?? null;
    return { cfg: p.ok ? p.config : null, gates, label: st.run.labels[idx] ?? spec.name, stamp: `${st.run.runId}:${idx}`, gatesStamp: `${lr?.gatesStep ?? -1}:${!!st.results[idx]}` };
  }
  const cfg = st.parsed.ok ? st.parsed.config : null;
  return { cfg, gates: null, label: 'draft', stamp: JSON.stringify(cfg ? [cfg.model, cfg.data.tasks, cfg.data.inputDim] : null), gatesStamp: '' };
}

function findGate(gates: LevelGateStats[] | null, level: number, id: string): GateStats | undefined {
  return gates?.find((l) => l.level === level)?.gates.find((g) => g.id === id);
}

function expertMean(gates: LevelGateStats[] | null, level: number, id: string, module: string, index: number) {
  const st = findGate(gates, level, id);
  const i = st ? st.experts.findIndex((x) => x.module === module && x.index === index) : -1;
  return { st, i, mean: i >= 0 ? st!.mean[i] : NaN };
}

function edgeLines(gates: LevelGateStats[] | null, level: number, id: string, label: string, module: string, index: number): string[] {
  const { st, i, mean } = expertMean(gates, level, id, module, index);
  const has = Number.isFinite(mean);
  return [
    `${label} (level ${level + 1}) ← ${module === 'shared' ? 'S' : `T${Number(module.slice(5)) + 1}`}·E${index}`,
    has ? `mean gate weight ${fmt(mean, 4)}` : 'no gate statistics yet (press Play)',
    ...(has ? [`std ${fmt(st!.std[i], 4)} · variance ${fmt(st!.variance[i], 5)}`] : []),
  ];
}

/** Set every expert→gate edge's width (and colour, title) from the current gate statistics. */
function applyWeights(root: ReturnType<typeof select<SVGSVGElement, unknown>>, gates: LevelGateStats[] | null) {
  root.selectAll<SVGPathElement, unknown>('path.arch-gate-edge').each(function () {
    const d = this.dataset;
    const level = Number(d.level);
    const { mean } = expertMean(gates, level, d.gate!, d.module!, Number(d.index));
    const has = Number.isFinite(mean);
    const el = select(this)
      .attr('stroke-width', has ? Math.max(0.6, mean * MAX_EDGE) : 0.8)
      .attr('stroke', has ? moduleColor(d.module!) : '#ccc')
      .attr('stroke-dasharray', has ? null : '3 3')
      .attr('stroke-opacity', has ? 0.75 : 1)
      .attr('data-weight', has ? mean : '');
    const label = findGate(gates, level, d.gate!)?.label ?? d.gate!;
    el.select('title').text(edgeLines(gates, level, d.gate!, label, d.module!, Number(d.index)).join('\n'));
  });
}

interface Row {
  stream: string;
  label: string;
  color: string;
  y: number;
  h: number;
}

function rowsFor(arch: Architecture): Row[] {
  const K = arch.K;
  const maxCount = (id: string) => Math.max(0, ...arch.levels.map((l) => l.modules.find((m) => m.id === id)?.count ?? 0));
  const order: string[] = [];
  const half = Math.ceil(K / 2);
  for (let k = 0; k < half; k++) order.push(`task:${k}`);
  if (arch.levels.length || arch.bottom === 'customized') order.push('shared');
  for (let k = half; k < K; k++) order.push(`task:${k}`);
  let y = 8;
  return order.map((s) => {
    const n = arch.levels.length ? Math.max(1, maxCount(s)) : 1;
    const h = n * (EXPERT_H + EXPERT_GAP) - EXPERT_GAP + ROW_PAD * 2;
    const row: Row = {
      stream: s,
      label: s === 'shared' ? 'Shared' : arch.taskNames[Number(s.slice(5))],
      color: s === 'shared' ? SHARED_COLOR : taskColor(Number(s.slice(5))),
      y,
      h,
    };
    y += h + 8;
    return row;
  });
}

export function ArchitectureDiagram() {
  const box = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const width = useWidth(box, 520);
  const [tipRef, tip] = useTip();
  const stamp = useRef('');
  const weightStamp = useRef('');
  const gatesRef = useRef<LevelGateStats[] | null>(null);

  useLiveDraw('architecture', () => {
    const svg = svgRef.current;
    if (!svg) return;
    const v = viewed();
    gatesRef.current = v.gates;
    const key = `${width}:${v.stamp}`;
    if (key === stamp.current) {
      // Same structure: only the gate weights moved. Update the edges in place.
      if (v.gatesStamp !== weightStamp.current) {
        weightStamp.current = v.gatesStamp;
        applyWeights(select(svg), v.gates);
      }
      return;
    }
    stamp.current = key;
    weightStamp.current = v.gatesStamp;
    const root = select(svg);
    root.selectAll('*').remove();
    if (!v.cfg) {
      root.attr('width', width).attr('height', 50);
      root.append('text').attr('x', 8).attr('y', 28).attr('font-size', 12).attr('fill', '#555').text('Fix the config to see the model.');
      return;
    }
    const arch = planArchitecture(v.cfg);
    const rows = rowsFor(arch);
    const height = Math.max(...rows.map((r) => r.y + r.h)) + 40;
    root.attr('width', width).attr('height', height);
    const rowOf = (s: string) => rows.find((r) => r.stream === s)!;
    const L = arch.levels.length;
    // Feature gates get a column of their own between the input and level 1.
    const fgCol = arch.featureGates.length ? 1 : 0;
    const nCols = (L ? 3 + 2 * L : 4) + fgCol;
    const colW = width / nCols;
    const colX = (c: number) => colW * c + colW / 2;
    const nodeW = Math.min(76, colW * 0.78);
    const edges = root.append('g').attr('class', 'arch-edges');
    const nodes = root.append('g').attr('class', 'arch-nodes');
    const midY = (height - 40) / 2;
    // Input.
    const inX = colX(0);
    nodes.append('rect').attr('x', inX - nodeW / 2).attr('y', midY - 22).attr('width', nodeW).attr('height', 44).attr('rx', 5).attr('fill', '#f2f2f2').attr('stroke', '#777');
    nodes.append('text').attr('x', inX).attr('y', midY - 3).attr('text-anchor', 'middle').attr('font-size', 12).attr('font-weight', 600).text('Input x');
    nodes.append('text').attr('x', inX).attr('y', midY + 12).attr('text-anchor', 'middle').attr('font-size', 12).attr('fill', '#555').text(`d = ${v.cfg.data.inputDim}`);
    const line = (x1: number, y1: number, x2: number, y2: number, opts: { w?: number; color?: string; dash?: string; cls?: string } = {}) => {
      const mx = (x1 + x2) / 2;
      return edges
        .append('path')
        .attr('class', opts.cls ?? 'arch-edge')
        .attr('d', `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`)
        .attr('fill', 'none')
        .attr('stroke', opts.color ?? '#bbb')
        .attr('stroke-width', opts.w ?? 1)
        .attr('stroke-dasharray', opts.dash ?? null);
    };
    /** Right edge of each stream's output at the current column (input, a gate, or a bottom). */
    let outs = new Map<string, { x: number; y: number }>();
    rows.forEach((r) => outs.set(r.stream, { x: inX + nodeW / 2, y: midY }));
    const towerCol = (L ? 1 + 2 * L : 2) + fgCol;
    for (const s of arch.featureGates) {
      const r = rowOf(s);
      const fx = colX(1);
      const y = r.y + r.h / 2;
      const color = s === 'shared' ? SHARED_COLOR : taskColor(Number(s.slice(5)));
      line(inX + nodeW / 2, midY, fx - nodeW / 2, y, { w: 1, color: '#c8c8c8' });
      nodes
        .append('rect')
        .attr('class', 'arch-feature-gate')
        .attr('data-stream', s)
        .attr('x', fx - nodeW / 2)
        .attr('y', y - 18)
        .attr('width', nodeW)
        .attr('height', 36)
        .attr('rx', 4)
        .attr('fill', '#fff')
        .attr('stroke', color)
        .attr('stroke-dasharray', '5 2')
        .append('title')
        .text(`${s === 'shared' ? 'Shared feature gate' : `Feature gate ${arch.taskNames[Number(s.slice(5))]}`}: x̃ = d · softmax(W·x + b) ⊙ x, one weight per input feature`);
      nodes.append('text').attr('x', fx).attr('y', y - 4).attr('text-anchor', 'middle').attr('font-size', 12).attr('font-weight', 600).attr('fill', color).attr('pointer-events', 'none').text('feat. gate');
      nodes.append('text').attr('x', fx).attr('y', y + 12).attr('text-anchor', 'middle').attr('font-size', 12).attr('fill', '#555').attr('pointer-events', 'none').text('softmax ⊙ x');
      outs.set(s, { x: fx + nodeW / 2, y });
    }
    /** Extra tower inputs of some ungated families: [from stream, to task, dashed = stop-gradient]. */
    const extraTowerInputs: { from: string; k: number; label?: string; dashed?: boolean }[] = [];
    if (L === 0) {
      // Ungated families: bottoms (one shared, or one column per task), then towers.
      const bx = colX(1);
      const layers = v.cfg.model.expertHidden.join('·');
      const bottomBox = (y: number, h: number, color: string, title: string, fill = '#fff') => {
        nodes.append('rect').attr('class', 'arch-bottom').attr('x', bx - nodeW / 2).attr('y', y - h / 2).attr('width', nodeW).attr('height', h).attr('rx', 4).attr('fill', fill).attr('stroke', color);
        nodes.append('text').attr('x', bx).attr('y', y - 3).attr('text-anchor', 'middle').attr('font-size', 12).attr('font-weight', 600).attr('fill', color).text(title);
        nodes.append('text').attr('x', bx).attr('y', y + 12).attr('text-anchor', 'middle').attr('font-size', 12).attr('fill', '#555').text(`[${layers}]`);
        line(inX + nodeW / 2, midY, bx - nodeW / 2, y, { w: 1.2, color: '#aaa' });
      };
      if (arch.bottom === 'shared' || arch.bottom === 'esmm') {
        bottomBox(midY, 40, SHARED_COLOR, 'Shared bottom', '#e9e9e9');
        outs = new Map(rows.map((r) => [r.stream, { x: bx + nodeW / 2, y: midY }]));
      } else {
        const mix = arch.bottom === 'stitch' ? '⨯ stitch α' : arch.bottom === 'sluice' ? '⨯ sluice α, β' : null;
        rows.forEach((r, i) => {
          const y = r.y + r.h / 2;
          bottomBox(y, 32, r.color, r.stream === 'shared' ? 'Shared bottom' : `Column ${r.label}`, r.stream === 'shared' ? '#e9e9e9' : '#fff');
          outs.set(r.stream, { x: bx + nodeW / 2, y });
          if (mix && i > 0) {
            const prev = rows[i - 1];
            const py = prev.y + prev.h / 2;
            edges.append('line').attr('x1', bx).attr('x2', bx).attr('y1', py + 16).attr('y2', y - 16).attr('stroke', '#CC79A7').attr('stroke-width', 2).attr('stroke-dasharray', '3 2');
            nodes.append('text').attr('x', bx + 4).attr('y', (py + y) / 2 + 3).attr('font-size', 12).attr('fill', '#8a3f6e').text(mix);
          }
        });
        if (arch.bottom === 'customized') for (let k = 0; k < arch.K; k++) extraTowerInputs.push({ from: 'shared', k });
        if (arch.bottom === 'asymmetric') for (let k = 1; k < arch.K; k++) extraTowerInputs.push({ from: `task:${k - 1}`, k, label: 'stop-grad', dashed: true });
      }
    }
    arch.levels.forEach((lvl) => {
      const ex = colX(1 + 2 * lvl.level + fgCol);
      const gx = colX(2 + 2 * lvl.level + fgCol);
      nodes.append('text').attr('x', (ex + gx) / 2).attr('y', height - 22).attr('text-anchor', 'middle').attr('font-size', 12).attr('fill', '#555').text(`Level ${lvl.level + 1}`);
      const expertPos = new Map<string, { x: number; y: number }>();
      for (const m of lvl.modules) {
        if (m.count === 0) continue;
        const r = rowOf(m.id);
        const top = r.y + r.h / 2 - (m.count * (EXPERT_H + EXPERT_GAP) - EXPERT_GAP) / 2;
        nodes
          .append('rect')
          .attr('class', 'arch-module')
          .attr('x', ex - nodeW / 2 - 6)
          .attr('y', top - 12)
          .attr('width', nodeW + 12)
          .attr('height', m.count * (EXPERT_H + EXPERT_GAP) - EXPERT_GAP + 17)
          .attr('rx', 6)
          .attr('fill', 'none')
          .attr('stroke', moduleColor(m.id))
          .attr('stroke-dasharray', m.id === 'shared' ? '4 2' : null);
        nodes.append('text').attr('x', ex - nodeW / 2 - 2).attr('y', top - 3).attr('font-size', 12).attr('fill', moduleColor(m.id)).text(m.id === 'shared' ? 'shared' : `task ${Number(m.id.slice(5)) + 1}`);
        // Inputs of this module's experts: the stream's previous output (ML-MMoE: one gate per expert).
        if (!m.expertInputs) {
          const src = outs.get(m.id)!;
          line(src.x, src.y, ex - nodeW / 2 - 6, r.y + r.h / 2, { w: 1, color: '#c8c8c8' });
        }
        for (let i = 0; i < m.count; i++) {
          const y = top + i * (EXPERT_H + EXPERT_GAP);
          const own = m.expertInputs ? outs.get(m.expertInputs[i]) : undefined;
          if (own) line(own.x, own.y, ex - nodeW / 2, y + EXPERT_H / 2, { w: 1, color: '#c8c8c8' });
          const fill = shade(moduleColor(m.id), i, m.count);
          nodes
            .append('rect')
            .attr('class', 'arch-expert')
            .attr('data-module', m.id)
            .attr('x', ex - nodeW / 2)
            .attr('y', y)
            .attr('width', nodeW)
            .attr('height', EXPERT_H)
            .attr('rx', 3)
            .attr('fill', fill)
            .attr('fill-opacity', 0.85)
            .append('title')
            .text(`Level ${lvl.level + 1}, ${m.id === 'shared' ? 'shared' : m.label} expert ${i}: MLP [${v.cfg!.model.expertHidden.join(', ')}]`);
          nodes
            .append('text')
            .attr('x', ex)
            .attr('y', y + 12.5)
            .attr('text-anchor', 'middle')
            .attr('font-size', 12)
            .attr('fill', '#fff')
            .attr('pointer-events', 'none')
            .text(`${m.id === 'shared' ? 'S' : `T${Number(m.id.slice(5)) + 1}`}·E${i}`);
          expertPos.set(`${m.id}#${i}`, { x: ex + nodeW / 2, y: y + EXPERT_H / 2 });
        }
      }
      const nextOuts = new Map(outs);
      for (const gate of lvl.gates) {
        const r = rowOf(gate.stream);
        // Several gates in one row (ML-MMoE's per-expert gates) stack around the row's middle.
        const inRow = lvl.gates.filter((g) => g.stream === gate.stream);
        const j = inRow.indexOf(gate);
        const gy = r.y + r.h / 2 + (j - (inRow.length - 1) / 2) * Math.min(30, r.h / inRow.length);
        const gw = Math.min(46, nodeW * 0.7);
        const n = gate.experts.length;
        gate.experts.forEach((e, i) => {
          const p = expertPos.get(`${e.module}#${e.index}`);
          if (!p) return;
          line(p.x, p.y, gx - gw / 2, gy + (i - (n - 1) / 2) * 2, { w: 0.8, color: '#ccc', dash: '3 3', cls: 'arch-gate-edge' })
            .attr('data-level', lvl.level)
            .attr('data-gate', gate.id)
            .attr('data-module', e.module)
            .attr('data-index', e.index)
            .on('mousemove', (ev: MouseEvent) => tip.show(edgeLines(gatesRef.current, lvl.level, gate.id, gate.label, e.module, e.index), ev))
            .on('mouseleave', () => tip.hide())
            .append('title');
        });
        // The gate reads its stream (the input at level 1; always the input in ML-MMoE).
        const src = gate.reads === 'input' ? { x: inX + nodeW / 2, y: midY } : outs.get(gate.reads)!;
        line(src.x, src.y, gx - gw / 2, gy - 6, { w: 0.8, color: '#ddd', dash: '2 2' });
        const color = gate.stream === 'shared' ? SHARED_COLOR : taskColor(Number(gate.stream.slice(5)));
        nodes
          .append('rect')
          .attr('class', 'arch-gate')
          .attr('data-gate', gate.id)
          .attr('x', gx - gw / 2)
          .attr('y', gy - 13)
          .attr('width', gw)
          .attr('height', 26)
          .attr('rx', 13)
          .attr('fill', '#fff')
          .attr('stroke', color)
          .attr('stroke-width', 2)
          .on('mousemove', (ev: MouseEvent) => {
            const st = findGate(gatesRef.current, lvl.level, gate.id);
            tip.show(
              [
                `${gate.label}, level ${lvl.level + 1}`,
                `softmax over ${n} expert${n === 1 ? '' : 's'}`,
                ...(st ? st.experts.map((x, i) => `${x.label}: ${fmt(st.mean[i], 3)}`) : []),
                ...(st ? [`entropy ${fmt(st.entropy, 3)} nats`] : []),
              ],
              ev,
            );
          })
          .on('mouseleave', () => tip.hide());
        nodes.append('text').attr('x', gx).attr('y', gy + 4).attr('text-anchor', 'middle').attr('font-size', 12).attr('font-weight', 600).attr('fill', color).attr('pointer-events', 'none').text('gate');
        if (arch.residual && gate.id !== 'shared')
          nodes.append('text').attr('x', gx).attr('y', gy + 23).attr('text-anchor', 'middle').attr('font-size', 12).attr('fill', '#555').text('+ own experts');
        nextOuts.set(gate.id, { x: gx + gw / 2, y: gy });
        if (gate.stream === 'shared' && arch.model === 'omoe') for (const r2 of rows) nextOuts.set(r2.stream, { x: gx + gw / 2, y: gy });
      }
      outs = nextOuts;
    });
    // Towers and outputs.
    const tx = colX(towerCol);
    const ox = colX(towerCol + 1);
    for (let k = 0; k < arch.K; k++) {
      const r = rowOf(`task:${k}`);
      const y = r.y + r.h / 2;
      const src = outs.get(arch.towerInput[k]) ?? outs.get(`task:${k}`)!;
      line(src.x, src.y, tx - nodeW / 2, y, { w: 1.6, color: taskColor(k) });
      for (const extra of extraTowerInputs.filter((e) => e.k === k)) {
        const from = outs.get(extra.from);
        if (!from) continue;
        line(from.x, from.y, tx - nodeW / 2, y + 6, { w: 1.2, color: extra.from === 'shared' ? SHARED_COLOR : '#8a8a8a', dash: extra.dashed ? '4 3' : undefined });
        if (extra.label) nodes.append('text').attr('x', (from.x + tx - nodeW / 2) / 2).attr('y', (from.y + y) / 2 + 12).attr('font-size', 12).attr('fill', '#666').text(extra.label);
      }
      const tw = v.cfg.model.towerHidden.length ? `[${v.cfg.model.towerHidden.join(', ')}] → 1` : 'linear → 1';
      nodes.append('rect').attr('class', 'arch-tower').attr('x', tx - nodeW / 2).attr('y', y - 18).attr('width', nodeW).attr('height', 36).attr('rx', 4).attr('fill', '#fff').attr('stroke', taskColor(k)).attr('stroke-width', 1.5);
      nodes.append('text').attr('x', tx).attr('y', y - 4).attr('text-anchor', 'middle').attr('font-size', 12).attr('font-weight', 600).attr('fill', taskColor(k)).text('Tower');
      nodes.append('text').attr('x', tx).attr('y', y + 12).attr('text-anchor', 'middle').attr('font-size', 12).attr('fill', '#555').text(tw);
      line(tx + nodeW / 2, y, ox - nodeW / 2, y, { w: 1.6, color: taskColor(k) });
      const type = v.cfg.data.tasks[k].type;
      if (arch.esmm && k === 1)
        nodes.append('text').attr('x', ox - nodeW / 2).attr('y', y + 24).attr('font-size', 12).attr('fill', '#333').text('pCTCVR = pCTR·pCVR');
      nodes.append('text').attr('x', ox - nodeW / 2).attr('y', y - 2).attr('font-size', 12).attr('font-weight', 600).attr('fill', taskColor(k)).text(arch.taskNames[k]);
      nodes.append('text').attr('x', ox - nodeW / 2).attr('y', y + 11).attr('font-size', 12).attr('fill', '#555').text(type === 'binary' ? 'logit → σ' : 'ŷ (MSE)');
    }
    root
      .append('text')
      .attr('x', width - 4)
      .attr('y', height - 8)
      .attr('text-anchor', 'end')
      .attr('font-size', 12)
      .attr('fill', '#555')
      .text(`${MODEL_LABELS[arch.model]} · ${v.label === 'draft' ? 'as configured' : v.label}${arch.levels.length ? ' · edge width = mean gate weight' : ''}`);
    applyWeights(root, v.gates);
  }, [width]);

  return (
    <ChartCard
      title="Architecture"
      help="The model as configured: expert modules (task-specific in a task's colour, shared in grey, dashed box) per level, gates, towers. While training, the width of an expert→gate edge is the gate's current mean weight on that expert; hover for the number."
      tipRef={tipRef}
      testId="chart-architecture"
      className="arch-card"
    >
      <div ref={box} className="chart-box">
        <svg ref={svgRef} className="chart" role="img" aria-label="Architecture diagram of the model with live gate weights" />
      </div>
    </ChartCard>
  );
}
