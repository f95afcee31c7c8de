// Entry point of the page. Imports no TF.js: training lives in the worker.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startDataPreview } from './state/dataPreview';
import { boot } from './state/store';
import './styles.css';

boot();
startDataPreview();
const el = document.getElementById('root');
if (!el) throw new Error('index.html has no #root element');
createRoot(el).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
