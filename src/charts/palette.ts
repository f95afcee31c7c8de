// Okabe–Ito: distinguishable under the common colour-vision deficiencies.
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#7a7a7a',
} as const;

/** Task k's colour (tasks 1..6). */
export const TASK_COLORS = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.green, OKABE_ITO.purple, OKABE_ITO.orange, OKABE_ITO.skyBlue];
export const SHARED_COLOR = '#5f5f5f';

export function taskColor(k: number): string {
  return TASK_COLORS[k % TASK_COLORS.length];
}

/** Colour of an expert module: 'task:<k>' → the task's colour; 'shared' → grey. */
export function moduleColor(module: string): string {
  if (module.startsWith('task:')) return taskColor(Number(module.slice(5)));
  return SHARED_COLOR;
}

/** One colour per model family (8 families, 8 distinct colours). */
export const MODEL_COLORS: Record<string, string> = {
  'single-task': OKABE_ITO.black,
  'shared-bottom': OKABE_ITO.vermillion,
  'cross-stitch': OKABE_ITO.purple,
  omoe: OKABE_ITO.orange,
  mmoe: OKABE_ITO.skyBlue,
  'ml-mmoe': OKABE_ITO.yellow,
  cgc: OKABE_ITO.green,
  ple: OKABE_ITO.blue,
  // Five more from Paul Tol's colour-blind-safe "muted" set.
  asymmetric: '#882255',
  customized: '#44AA99',
  sluice: '#999933',
  adatt: '#332288',
  esmm: '#AA4499',
};

/** Mean markers: a diamond for the original eight, other shapes for the later zoo so 13 models stay apart. */
export type MarkerShape = 'diamond' | 'triangle' | 'square' | 'star' | 'wye' | 'cross';
export const MODEL_SHAPES: Record<string, MarkerShape> = {
  asymmetric: 'triangle',
  customized: 'square',
  sluice: 'star',
  adatt: 'wye',
  esmm: 'cross',
};
export function modelShape(model: string): MarkerShape {
  return MODEL_SHAPES[model] ?? 'diamond';
}

export function modelColor(model: string): string {
  return MODEL_COLORS[model] ?? OKABE_ITO.grey;
}

/** Lighter/darker variants for several experts of one module. */
export function shade(hex: string, i: number, n: number): string {
  if (n <= 1) return hex;
  const t = (i / (n - 1)) * 0.55 - 0.2; // -0.2 (darker) .. +0.35 (lighter)
  const c = parseInt(hex.slice(1), 16);
  const ch = [(c >> 16) & 255, (c >> 8) & 255, c & 255].map((v) => Math.round(t >= 0 ? v + (255 - v) * t : v * (1 + t)));
  return '#' + ch.map((v) => v.toString(16).padStart(2, '0')).join('');
}
