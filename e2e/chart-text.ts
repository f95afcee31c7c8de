// Text legibility in every chart: each visible line of SVG text is drawn at
// ≥ 12 px on screen, and no two lines of one chart overlap. A chart is an
// `svg.chart`; a <text> with several <tspan> lines is measured line by line.
// The check cannot pass on nothing: every chart it reports on must hold text.
import type { Page } from '@playwright/test';

export interface ChartTextReport {
  /** The chart's aria-label (or its card's test id). */
  chart: string;
  /** Lines of text measured. */
  lines: number;
  /** Lines drawn smaller than the minimum: "text" (10.5 px). */
  small: string[];
  /** Pairs of lines whose boxes intersect: "a" × "b". */
  overlaps: string[];
}

/**
 * Measure every visible chart under `root` (a CSS selector; default the whole page).
 * Boxes come from getBoundingClientRect (screen pixels, after any viewBox scaling);
 * two boxes collide when they share more than `tolerance` px in both directions.
 */
export async function measureChartText(page: Page, opts: { root?: string; minPx?: number; tolerance?: number } = {}): Promise<ChartTextReport[]> {
  return page.evaluate(({ root, minPx, tolerance }) => {
    const out: ChartTextReport[] = [];
    const scope = root ? document.querySelector(root) : document;
    if (!scope) return out;
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return false;
      for (let e: Element | null = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
      }
      return true;
    };
    for (const svg of scope.querySelectorAll<SVGSVGElement>('svg.chart')) {
      if (!visible(svg)) continue;
      const name = svg.getAttribute('aria-label') ?? svg.closest('[data-testid]')?.getAttribute('data-testid') ?? 'chart';
      const boxes: { text: string; r: DOMRect }[] = [];
      const small: string[] = [];
      for (const t of svg.querySelectorAll<SVGTextElement>('text')) {
        if (!(t.textContent ?? '').trim() || !visible(t)) continue;
        const ctm = t.getScreenCTM();
        const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
        const px = parseFloat(getComputedStyle(t).fontSize) * scale;
        const label = (t.textContent ?? '').trim().slice(0, 60);
        if (px < minPx - 0.01) small.push(`"${label}" (${px.toFixed(1)} px)`);
        // One box per line: tspans that start a new line (own dy or y), else the whole element.
        const lines = [...t.querySelectorAll<SVGTSpanElement>('tspan')].filter((s) => (s.textContent ?? '').trim());
        if (lines.length > 1) for (const s of lines) boxes.push({ text: (s.textContent ?? '').trim().slice(0, 60), r: s.getBoundingClientRect() });
        else boxes.push({ text: label, r: t.getBoundingClientRect() });
      }
      const overlaps: string[] = [];
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i].r;
          const b = boxes[j].r;
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > tolerance && h > tolerance) overlaps.push(`"${boxes[i].text}" × "${boxes[j].text}"`);
        }
      out.push({ chart: name, lines: boxes.length, small, overlaps });
    }
    return out;
  }, { root: opts.root ?? null, minPx: opts.minPx ?? 12, tolerance: opts.tolerance ?? 1 });
}

/** The problems of a report, one line each (empty: all legible). A chart without text is a problem too. */
export function textProblems(reports: ChartTextReport[]): string[] {
  const out: string[] = [];
  for (const r of reports) {
    if (r.lines === 0) out.push(`${r.chart}: no text measured`);
    for (const s of r.small) out.push(`${r.chart}: too small ${s}`);
    for (const o of r.overlaps) out.push(`${r.chart}: overlap ${o}`);
  }
  return out;
}
