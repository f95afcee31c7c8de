// Entry point of the page. Imports no TF.js: training lives in the worker.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startDataPreview } from './state/dataPreview';
import { boot, startWorkers } from './state/store';
import './styles.css';

const el = document.getElementById('root');
if (!el) throw new Error('index.html has no #root element');
// State from the URL first (the first render shows the linked config), then
// paint; the workers (TF.js is ~1.5 MB to parse) start after the first frame.
boot();
createRoot(el).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
requestAnimationFrame(() =>
  setTimeout(() => {
    startWorkers();
    startDataPreview();
  }, 0),
);
