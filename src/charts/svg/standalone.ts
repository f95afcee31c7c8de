// A drawn <svg> as a standalone file, the same way the page's "Save SVG"
// writes it (src/charts/exportChart.ts): xmlns, size, font, white background.
import { CHART_FONT } from './types';

export function standaloneSvg(svg: SVGSVGElement, serialize: (node: Node) => string): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const doc = svg.ownerDocument;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('font-family', CHART_FONT);
  clone.querySelectorAll('[data-noexport]').forEach((n) => n.remove());
  const bg = doc.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  clone.insertBefore(bg, clone.firstChild);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + serialize(clone) + '\n';
}
