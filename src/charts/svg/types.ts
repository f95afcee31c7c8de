// Shared by the DOM-only chart drawers in this folder: they take an <svg>
// selection and plain data (no React, no store, no TF.js), so they draw the
// same picture in the page and in Node (jsdom) for docs/figures/*.svg.
import type { Selection } from 'd3';

export type SvgRoot = Selection<SVGSVGElement, unknown, null, undefined>;

/** The page's font stack (src/styles.css), written into exported SVGs. */
export const CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
