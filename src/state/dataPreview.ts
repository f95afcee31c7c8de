// Keeps a preview of the configured data set up to date (debounced, in its own worker).
import { create } from 'zustand';
import { parseExperiment, type DataConfig } from '../core/config/schema';
import { liveStore } from './live';
import type { DataPreview, DataPreviewRequest } from './dataPreviewTypes';
import { usePlayground } from './store';

export const useDataPreview = create<{ preview: DataPreview | null; pending: boolean }>(() => ({ preview: null, pending: false }));

let worker: Worker | null = null;
let seq = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
let lastKey = '';

function request(data: DataConfig) {
  const key = JSON.stringify(data);
  if (key === lastKey) return;
  lastKey = key;
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    if (!worker) {
      worker = new Worker(new URL('./dataPreview.worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = (ev: MessageEvent<DataPreview>) => {
        if (ev.data.id !== seq) return; // superseded
        useDataPreview.setState({ preview: ev.data, pending: false });
      };
    }
    const msg: DataPreviewRequest = { id: ++seq, data };
    useDataPreview.setState({ pending: true });
    worker.postMessage(msg);
  }, 250);
}

/** The data the page is about: the run being shown (suites vary it, e.g. p), else the form's. */
function dataToShow(): DataConfig | null {
  const st = usePlayground.getState();
  const idx = st.viewRun ?? liveStore.getState().current;
  const spec = st.run.specs[idx] ?? st.run.specs[0];
  if (spec) {
    const p = parseExperiment(spec.config);
    if (p.ok) return p.config.data;
  }
  return st.parsed.ok ? st.parsed.config.data : null;
}

/** Follow the shown data config while the page lives. */
export function startDataPreview() {
  const follow = () => {
    const d = dataToShow();
    if (d) request(d);
  };
  follow();
  usePlayground.subscribe(follow);
  liveStore.subscribe((s, prev) => {
    if (s.current !== prev.current) follow();
  });
}
