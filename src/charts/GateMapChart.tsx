// Gate maps (issue 12, part 3): one small heatmap per expert of a chosen gate,
// over a plane of two of the generator's directions (src/core/train/gateMap.ts,
// computed in the worker). Each expert's bins² cells are painted into a tiny
// canvas (one pixel per bin) and shown as one SVG <image> (a PNG data URL,
// scaled up pixelated), so the SVG stays small (export keeps the pixels) and a
// redraw at the gate cadence is E putImageData + toDataURL of 24×24 pixels, not
// thousands of SVG rects to re-style and repaint.
import { useEffect, useRef, useState } from 'react';
import { boundarySegment, directionLabel, sameDirection, type GateMapResult, type MapDirection } from '../core/train/gateMapPlane';
import { gateMapStore, requestGateMap, type StoredGateMap } from '../state/gateMap';
import { usePlayground } from '../state/store';
import { ChartCard, useTip, type Tip } from './ChartCard';
import { moduleColor, shade } from './palette';
import { useWidth } from './useChart';

const NS = 'http://www.w3.org/2000/svg';
const EMPTY = '#ececec';
const FONT = 12;
const MAX_COLS = 3;

export const GATE_MAP_HELP =
  'Gate maps: how one gate splits its weight between its experts across the input space, after TensorFlow Playground\'s output heatmap. ' +
  'The test inputs are projected on a plane of two of the generator\'s directions (û = the first direction, normalised; v̂ = the second, orthogonalised against û), ' +
  'binned on a 24 × 24 grid over [−3, 3]² (the projections of N(0, I) inputs are N(0, 1), so ≈ 99 % of the rows fall inside); ' +
  'each bin shows the MEAN weight the gate gives that expert over the test rows in it (0 = white, 1 = the module colour; grey = no test row). ' +
  'Per bin, the maps of one gate sum to 1 over its experts. The other coordinates keep their real values, so this is what the gate does on the data, not on synthetic points. ' +
  'Default plane: the two tasks\' weight directions (w₁ᵀx, w₂ᵀx); on regional data task 1\'s direction against the hidden region direction (w₁ᵀx, rᵀx), ' +
  'where the region boundary rᵀx = 0 is the dashed line: a gate that routes by region changes colour across it. Computed in the training worker at the gate-statistics cadence (on up to 4096 test rows; every test row at the end of a run).';

const dirKey = (d: MapDirection) => (d.kind === 'region' ? 'r' : `w${d.task}`);
const parseDir = (k: string): MapDirection => (k === 'r' ? { kind: 'region' } : { kind: 'task', task: Number(k.slice(1)) });
const gateKeyOf = (g: { level: number; id: string }) => `${g.level}:${g.id}`;

/** The map shown: the chosen run's, else the latest run with one. */
function pickMap(maps: StoredGateMap[], run: number | null): StoredGateMap | null {
  if (run !== null && maps[run]) return maps[run];
  for (let i = maps.length - 1; i >= 0; i--) if (maps[i]) return maps[i];
  return null;
}

/** Default gate: the last task's gate at level 0 (task B's, which routes by region in the regional presets). */
function defaultGate(m: GateMapResult): string | null {
  const tasks = m.gates.filter((g) => g.level === 0 && g.id.startsWith('task:'));
  const g = tasks[tasks.length - 1] ?? m.gates[0];
  return g ? gateKeyOf(g) : null;
}

function el<K extends keyof SVGElementTagNameMap>(parent: Element, tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  parent.appendChild(n);
  return n;
}

interface Layout {
  key: string;
  cell: number;
  px: number;
  cols: number;
  left: number;
  top: number;
  gapX: number;
  rowH: number;
  /** Per expert: its <image> and the canvas it is painted from. */
  images: SVGImageElement[];
  canvas: HTMLCanvasElement;
  colors: string[];
}

const rgb = (hex: string) => {
  const c = parseInt(hex.slice(1), 16);
  return [(c >> 16) & 255, (c >> 8) & 255, c & 255];
};

function expertColors(experts: { module: string }[]): string[] {
  return experts.map((e, i) => {
    const n = experts.filter((x) => x.module === e.module).length;
    const idx = experts.slice(0, i).filter((x) => x.module === e.module).length;
    return shade(moduleColor(e.module), idx, n);
  });
}

function build(svg: SVGSVGElement, m: GateMapResult, gateKey: string, width: number, key: string, runLabel: string): Layout | null {
  svg.replaceChildren();
  const g = m.gates.find((x) => gateKeyOf(x) === gateKey) ?? m.gates[0];
  if (!g) return null;
  const E = g.experts.length;
  const bins = m.bins;
  const cols = Math.min(MAX_COLS, E);
  const left = 58;
  const right = 8;
  const gapX = 18;
  const cell = Math.max(3, Math.min(9, Math.floor((width - left - right - (cols - 1) * gapX) / cols / bins)));
  const px = cell * bins;
  const top = 40;
  const rowH = px + 22 + 40;
  const rows = Math.ceil(E / cols);
  const legendY = top + rows * rowH + 4;
  const height = legendY + 48;
  const w = Math.max(width, left + cols * px + (cols - 1) * gapX + right);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${w} ${height}`);
  const colors = expertColors(g.experts);
  el(svg, 'text', { x: 0, y: 14, 'font-size': 13, 'font-weight': 600, fill: '#222', class: 'gm-title' }, `${g.label}${m.gates.some((x) => x.level > 0) ? ` · level ${g.level + 1}` : ''} · ${runLabel}`);
  el(svg, 'text', { x: 0, y: 30, 'font-size': FONT, fill: '#555', class: 'gm-sub' });
  const toPx = (a: number) => ((a + m.extent) / (2 * m.extent)) * px;
  const toPy = (b: number) => ((m.extent - b) / (2 * m.extent)) * px;
  const aTitle = `ûᵀx, û = ${m.aLabel.replace('ᵀx', '')}/‖·‖`;
  const bTitle = `v̂ᵀx, v̂ = ${m.bLabel.replace('ᵀx', '')} ⟂ û`;
  const images: SVGImageElement[] = [];
  for (let e = 0; e < E; e++) {
    const cx = left + (e % cols) * (px + gapX);
    const cy = top + Math.floor(e / cols) * rowH + 18;
    const grp = el(svg, 'g', { transform: `translate(${cx},${cy})`, class: 'gm-map', 'data-expert': g.experts[e].label });
    el(grp, 'text', { x: 0, y: -5, 'font-size': FONT, 'font-weight': 600, fill: colors[e] }, g.experts[e].label);
    images.push(el(grp, 'image', { x: 0, y: 0, width: px, height: px, preserveAspectRatio: 'none', style: 'image-rendering: pixelated', class: 'gm-cells', 'data-e': e }));
    el(grp, 'rect', { x: 0, y: 0, width: px, height: px, fill: 'none', stroke: '#999' });
    if (m.boundary) {
      const [[a0, b0], [a1, b1]] = boundarySegment(m.boundary, m.extent);
      el(grp, 'line', { x1: toPx(a0), y1: toPy(b0), x2: toPx(a1), y2: toPy(b1), stroke: '#111', 'stroke-width': 1.5, 'stroke-dasharray': '5 3', class: 'gm-boundary' });
      if (e === 0) el(grp, 'text', { x: toPx(a1) - 2, y: toPy(b1) - 4, 'font-size': FONT, 'text-anchor': 'end', fill: '#111', class: 'gm-boundary-label' }, 'rᵀx = 0');
    }
    for (const t of [-m.extent, 0, m.extent]) {
      el(grp, 'text', { x: toPx(t), y: px + 14, 'font-size': FONT, 'text-anchor': t < 0 ? 'start' : t > 0 ? 'end' : 'middle', fill: '#444' }, String(t));
      if (e % cols === 0) el(grp, 'text', { x: -4, y: toPy(t) + (t > 0 ? 10 : t < 0 ? -2 : 4), 'font-size': FONT, 'text-anchor': 'end', fill: '#444' }, String(t));
    }
    el(grp, 'text', { x: px / 2, y: px + 30, 'font-size': FONT, 'text-anchor': 'middle', fill: '#333', class: 'gm-axis-a' }, aTitle);
    if (e % cols === 0)
      el(grp, 'text', { transform: `translate(${-30},${px / 2}) rotate(-90)`, 'font-size': FONT, 'text-anchor': 'middle', fill: '#333', class: 'gm-axis-b' }, bTitle);
  }
  // Legend: weight 0..1 per colour in use, and the empty-bin swatch.
  const defs = el(svg, 'defs');
  const lg = el(svg, 'g', { transform: `translate(${left},${legendY})`, class: 'gm-legend' });
  el(lg, 'text', { x: 0, y: 12, 'font-size': FONT, fill: '#333' }, 'gate weight');
  const uniq = [...new Set(colors)];
  const barW = 96;
  let x = 84;
  uniq.forEach((c, i) => {
    const grad = el(defs, 'linearGradient', { id: `gm-grad-${i}`, x1: 0, x2: 1, y1: 0, y2: 0 });
    el(grad, 'stop', { offset: 0, 'stop-color': c, 'stop-opacity': 0 });
    el(grad, 'stop', { offset: 1, 'stop-color': c, 'stop-opacity': 1 });
    el(lg, 'rect', { x, y: 2, width: barW, height: 12, fill: `url(#gm-grad-${i})`, stroke: '#bbb' });
    if (x + barW + 100 > w - left) return;
    x += barW + 10;
  });
  x = 84;
  for (const [t, anchor] of [[0, 'start'], [0.5, 'middle'], [1, 'end']] as const) el(lg, 'text', { x: x + t * barW, y: 28, 'font-size': FONT, 'text-anchor': anchor, fill: '#444' }, String(t));
  const sx = 84 + uniq.length * (barW + 10);
  if (sx + 110 < w - left) {
    el(lg, 'rect', { x: sx, y: 2, width: 12, height: 12, fill: EMPTY, stroke: '#bbb' });
    el(lg, 'text', { x: sx + 16, y: 12, 'font-size': FONT, fill: '#444' }, 'no test row');
  }
  const canvas = document.createElement('canvas');
  canvas.width = bins;
  canvas.height = bins;
  return { key, cell, px, cols, left, top, gapX, rowH, images, canvas, colors };
}

/** Re-paint the cells: E tiny canvases, no layout change. */
function update(svg: SVGSVGElement, L: Layout, m: GateMapResult, gateKey: string): void {
  const g = m.gates.find((x) => gateKeyOf(x) === gateKey) ?? m.gates[0];
  if (!g) return;
  const bins = m.bins;
  const B2 = bins * bins;
  const ctx = L.canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(bins, bins);
  const empty = rgb(EMPTY);
  let filled = 0;
  let bad = 0;
  for (let e = 0; e < L.images.length; e++) {
    const col = rgb(L.colors[e]);
    const px = img.data;
    for (let c = 0; c < B2; c++) {
      // Canvas rows run top-down; bin rows run up the b axis.
      const ia = c % bins;
      const ib = Math.floor(c / bins);
      const o = ((bins - 1 - ib) * bins + ia) * 4;
      const v = g.weights[e * B2 + c];
      if (m.counts[c] > 0 && Number.isFinite(v)) {
        filled++;
        // Pre-blended on white (the card's background): weight 0 = white, 1 = the module colour.
        const t = Math.max(0, Math.min(1, v));
        px[o] = Math.round(255 + (col[0] - 255) * t);
        px[o + 1] = Math.round(255 + (col[1] - 255) * t);
        px[o + 2] = Math.round(255 + (col[2] - 255) * t);
      } else {
        if (m.counts[c] > 0) bad++;
        px[o] = empty[0];
        px[o + 1] = empty[1];
        px[o + 2] = empty[2];
      }
      px[o + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    L.images[e].setAttribute('href', L.canvas.toDataURL('image/png'));
  }
  svg.setAttribute('data-nonfinite', String(bad));
  const sub = svg.querySelector('text.gm-sub');
  if (sub) sub.textContent = `step ${m.step} · ${m.inside}/${m.rows} test rows · ${m.bins}×${m.bins} bins, mean per bin${m.boundary ? ' · dashed: rᵀx = 0' : ''}`;
  svg.setAttribute('data-step', String(m.step));
  svg.setAttribute('data-filled', String(filled));
}

function showTip(tip: Tip, ev: MouseEvent, m: GateMapResult | null, gateKey: string): void {
  const t = ev.target as Element;
  if (!m || !t.classList?.contains('gm-cells')) return tip.hide();
  const g = m.gates.find((x) => gateKeyOf(x) === gateKey) ?? m.gates[0];
  const e = Number(t.getAttribute('data-e'));
  const bins = m.bins;
  const box = t.getBoundingClientRect();
  const ia = Math.min(bins - 1, Math.max(0, Math.floor(((ev.clientX - box.left) / box.width) * bins)));
  const ib = Math.min(bins - 1, Math.max(0, bins - 1 - Math.floor(((ev.clientY - box.top) / box.height) * bins)));
  const c = ib * bins + ia;
  const w = (2 * m.extent) / bins;
  const B2 = bins * bins;
  const n = m.counts[c];
  const lines = [
    `${g.label} → ${g.experts[e].label}`,
    `ûᵀx ∈ [${(-m.extent + ia * w).toFixed(2)}, ${(-m.extent + (ia + 1) * w).toFixed(2)}), v̂ᵀx ∈ [${(-m.extent + ib * w).toFixed(2)}, ${(-m.extent + (ib + 1) * w).toFixed(2)})`,
    `${n} test row${n === 1 ? '' : 's'} in this bin`,
    ...(n > 0 ? g.experts.map((x, j) => `${x.label}: mean weight ${g.weights[j * B2 + c].toFixed(3)}`) : ['no test row: no value']),
  ];
  tip.show(lines, ev);
}

export function GateMapChart() {
  const box = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const width = useWidth(box, 480);
  const [tipRef, tip] = useTip();
  const [run, setRun] = useState<number | null>(null);
  const [gate, setGate] = useState<string | null>(null);
  // Re-render React only when the choices change (runs, gates, directions), not per map.
  const [shape, setShape] = useState('');
  const layout = useRef<Layout | null>(null);
  const current = useRef<{ m: GateMapResult | null; gate: string }>({ m: null, gate: '' });
  const labels = usePlayground((s) => s.run.labels);

  useEffect(() => {
    if (!gateMapStore.getState().request) requestGateMap({});
  }, []);

  useEffect(() => {
    let frame = 0;
    const draw = () => {
      frame = 0;
      const svg = svgRef.current;
      if (!svg) return;
      const { maps } = gateMapStore.getState();
      const stored = pickMap(maps, run);
      const m = stored?.map ?? null;
      const s = JSON.stringify([
        maps.map((x) => (x ? 1 : 0)),
        m?.gates.map((g) => [gateKeyOf(g), g.label]),
        m?.directions.map(dirKey),
        m && [dirKey(m.a), dirKey(m.b)],
        m?.note ?? '',
      ]);
      setShape((old) => (old === s ? old : s));
      if (!m || m.gates.length === 0) {
        layout.current = null;
        current.current = { m: null, gate: '' };
        svg.replaceChildren();
        // A map's viewBox would shrink this one line to a speck.
        svg.removeAttribute('viewBox');
        svg.setAttribute('width', String(width));
        svg.setAttribute('height', '40');
        el(svg, 'text', { x: 0, y: 20, 'font-size': FONT, fill: '#555' }, m?.note ?? 'Gate maps appear while a gated model (MMoE, CGC, PLE, …) trains.');
        return;
      }
      const gk = gate && m.gates.some((g) => gateKeyOf(g) === gate) ? gate : defaultGate(m)!;
      const runLabel = labels[stored!.runIndex] ?? `run ${stored!.runIndex + 1}`;
      const key = JSON.stringify([gk, width, m.bins, m.extent, m.aLabel, m.bLabel, m.boundary, stored!.runIndex, runLabel, m.gates.map(gateKeyOf)]);
      const t0 = performance.now();
      const rebuilt = !layout.current || layout.current.key !== key;
      if (rebuilt) layout.current = build(svg, m, gk, width, key, runLabel);
      if (layout.current) update(svg, layout.current, m, gk);
      // The slowest live redraw so far (ms, script only), for the e2e long-task check; a layout
      // build (once per map shape or gate pick) is kept apart, as data-build-ms.
      const ms = performance.now() - t0;
      const attr = rebuilt ? 'data-build-ms' : 'data-draw-ms';
      if (ms > Number(svg.getAttribute(attr) ?? 0)) svg.setAttribute(attr, ms.toFixed(1));
      current.current = { m, gate: gk };
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    draw();
    const un = gateMapStore.subscribe(schedule);
    return () => {
      un();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [run, gate, width, labels]);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const move = (ev: MouseEvent) => showTip(tip, ev, current.current.m, current.current.gate);
    const leave = () => tip.hide();
    svg.addEventListener('mousemove', move);
    svg.addEventListener('mouseleave', leave);
    return () => {
      svg.removeEventListener('mousemove', move);
      svg.removeEventListener('mouseleave', leave);
    };
  }, [tip]);

  void shape; // the tools below read the store directly; `shape` only triggers the re-render
  const { maps, request } = gateMapStore.getState();
  const stored = pickMap(maps, run);
  const m = stored?.map ?? null;
  const gk = m ? (gate && m.gates.some((g) => gateKeyOf(g) === gate) ? gate : defaultGate(m)) : null;
  const dirs = m?.directions ?? [];
  const a = request?.a ?? m?.a;
  const b = request?.b ?? m?.b;
  const setDir = (which: 'a' | 'b', k: string) => {
    const d = parseDir(k);
    const other = which === 'a' ? b : a;
    if (!m) return;
    let na = which === 'a' ? d : a ?? m.a;
    let nb = which === 'b' ? d : b ?? m.b;
    // Picking the other axis's direction swaps the two.
    if (other && sameDirection(d, other)) [na, nb] = which === 'a' ? [d, a ?? m.a] : [b ?? m.b, d];
    requestGateMap({ a: na, b: nb });
  };
  const runs = maps.map((x, i) => (x ? i : -1)).filter((i) => i >= 0);

  return (
    <ChartCard
      title="Gate maps"
      fileName="gate-maps"
      help={GATE_MAP_HELP}
      tipRef={tipRef}
      testId="chart-gate-map"
      tools={
        m ? (
          <>
            {runs.length > 1 && (
              <label className="mini-select" title="Which run of the suite the maps show">
                run{' '}
                <select aria-label="Gate map run" value={stored!.runIndex} onChange={(e) => setRun(Number(e.target.value))}>
                  {runs.map((i) => (
                    <option key={i} value={i}>
                      {labels[i] ?? `run ${i + 1}`}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="mini-select" title="Which gate the maps show (every gate of every level)">
              gate{' '}
              <select aria-label="Gate map gate" value={gk ?? ''} onChange={(e) => setGate(e.target.value)}>
                {m.gates.map((g) => (
                  <option key={gateKeyOf(g)} value={gateKeyOf(g)}>
                    {m.gates.some((x) => x.level > 0) ? `L${g.level + 1} · ` : ''}
                    {g.label}
                  </option>
                ))}
              </select>
            </label>
            {(['a', 'b'] as const).map((which) => (
              <label key={which} className="mini-select" title={which === 'a' ? 'Horizontal direction (û)' : 'Vertical direction (v̂, orthogonalised against û)'}>
                {which === 'a' ? 'x' : 'y'}{' '}
                <select aria-label={`Gate map ${which === 'a' ? 'x' : 'y'} direction`} value={(which === 'a' ? a : b) ? dirKey((which === 'a' ? a : b)!) : ''} onChange={(e) => setDir(which, e.target.value)}>
                  {dirs.map((d) => (
                    <option key={dirKey(d)} value={dirKey(d)}>
                      {directionLabel(d)}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </>
        ) : null
      }
    >
      <div ref={box} className="chart-box">
        <svg ref={svgRef} className="chart" role="img" aria-label="Gate maps: a gate's mean weight on each expert over a plane of two generator directions" />
      </div>
      <p className="gm-caption" style={{ fontSize: 12, color: '#555', margin: '4px 0 0' }}>
        Test inputs projected on (ûᵀx, v̂ᵀx), binned 24 × 24 over [−3, 3]²; each bin: the gate&apos;s mean weight on that expert over the test rows in it. Computed in the training worker.
        {m?.note ? ` ${m.note}.` : ''}
      </p>
    </ChartCard>
  );
}
