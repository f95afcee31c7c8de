// A titled card around one chart: tools, SVG/PNG export, a hover tooltip.
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { safeName } from '../state/download';
import { chartFileName, svgHasData } from '../state/exportNames';
import { notify } from '../state/store';
import { exportPng, exportSvg } from './exportChart';

export interface Tip {
  show(lines: string[], event: { clientX: number; clientY: number }): void;
  hide(): void;
}

/** An imperative tooltip bound to a card's body (charts call it from D3 handlers). */
export function useTip(): [React.RefObject<HTMLDivElement | null>, Tip] {
  const ref = useRef<HTMLDivElement | null>(null);
  const tip = useRef<Tip>({
    show(lines, ev) {
      const el = ref.current;
      const host = el?.parentElement;
      if (!el || !host) return;
      el.replaceChildren(...lines.map((l, i) => {
        const d = document.createElement('div');
        if (i === 0) d.className = 'tip-title';
        d.textContent = l;
        return d;
      }));
      el.hidden = false;
      const r = host.getBoundingClientRect();
      const x = ev.clientX - r.left + 12;
      const y = ev.clientY - r.top + 12;
      const maxX = r.width - el.offsetWidth - 4;
      el.style.left = `${Math.max(4, x > maxX ? ev.clientX - r.left - el.offsetWidth - 12 : x)}px`;
      el.style.top = `${Math.max(4, y)}px`;
    },
    hide() {
      if (ref.current) ref.current.hidden = true;
    },
  });
  return [ref, tip.current];
}

export function ChartCard(props: {
  title: string;
  help: string;
  fileName?: string;
  tools?: ReactNode;
  children: ReactNode;
  tipRef?: React.RefObject<HTMLDivElement | null>;
  className?: string;
  testId?: string;
}) {
  const id = useId();
  const body = useRef<HTMLDivElement | null>(null);
  const [busy, setBusy] = useState(false);
  const svg = () => body.current?.querySelector<SVGSVGElement>('svg.chart') ?? null;
  const chart = props.fileName ?? safeName(props.title);
  // An empty chart (only a "press Play" line) cannot be exported: watch the drawing for data marks.
  const [hasData, setHasData] = useState(false);
  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const check = () => setHasData(svgHasData(el.querySelector<SVGSVGElement>('svg.chart')));
    check();
    const mo = new MutationObserver(check);
    mo.observe(el, { childList: true, subtree: true });
    return () => mo.disconnect();
  }, []);
  const onSvg = useCallback(() => {
    const s = svg();
    if (s && svgHasData(s)) exportSvg(s, chartFileName(chart));
  }, [chart]);
  const onPng = useCallback(async () => {
    const s = svg();
    if (!s || !svgHasData(s)) return;
    setBusy(true);
    try {
      await exportPng(s, chartFileName(chart));
    } catch (e) {
      notify('error', `PNG export failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  }, [chart]);
  const emptyWhy = hasData ? '' : ' (nothing drawn yet: train a model first)';
  return (
    <section className={`card ${props.className ?? ''}`} aria-labelledby={id} data-testid={props.testId}>
      <header className="card-head">
        <h3 id={id} title={props.help}>
          {props.title}
        </h3>
        <div className="card-tools">
          {props.tools}
          <button type="button" className="mini" onClick={onSvg} disabled={!hasData} title={`Download the ${props.title} chart as SVG${emptyWhy}`} aria-label={`Download ${props.title} as SVG`}>
            SVG
          </button>
          <button type="button" className="mini" onClick={onPng} disabled={busy || !hasData} title={`Download the ${props.title} chart as PNG${emptyWhy}`} aria-label={`Download ${props.title} as PNG`}>
            PNG
          </button>
        </div>
      </header>
      <div className="card-body" ref={body}>
        {props.children}
        {props.tipRef && <div className="chart-tip" role="tooltip" ref={props.tipRef} hidden />}
      </div>
    </section>
  );
}
