// Keeps a preview of the configured data set up to date (debounced, in its own worker).
import { create } from 'zustand';
import type { DataConfig } from '../core/config/schema';
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

/** Follow the draft's data section while the page lives. */
export function startDataPreview() {
  const follow = () => {
    const p = usePlayground.getState().parsed;
    if (p.ok) request(p.config.data);
  };
  follow();
  usePlayground.subscribe(follow);
}
