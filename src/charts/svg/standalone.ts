// A drawn <svg> as a standalone file, the same way the page's "Save SVG"
// writes it (src/charts/exportChart.ts): size, font, white background. The
// xmlns comes from the serializer (the element is in the SVG namespace);
// setting it as an attribute as well would write it twice.
import { CHART_FONT } from './types';

export function standaloneSvg(svg: SVGSVGElement, serialize: (node: Node) => string): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const doc = svg.ownerDocument;
  clone.setAttribute('font-family', CHART_FONT);
  clone.querySelectorAll('[data-noexport]').forEach((n) => n.remove());
  const bg = doc.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  clone.insertBefore(bg, clone.firstChild);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + serialize(clone) + '\n';
}
