// Generates the configured data set off the main thread (no TF.js: the
// generator is plain TypeScript) so the data view can show the labels and
// their measured correlation before and while training.
import type { DataConfig } from '../core/config/schema';
import { generateDataset } from '../core/data/generator';
import type { DataPreview, DataPreviewRequest } from './dataPreviewTypes';

/** Cap on generated training rows (x is n×d floats): enough for a stable correlation. */
const MAX_CELLS = 2_000_000;
const SAMPLE = 600;

self.onmessage = (ev: MessageEvent<DataPreviewRequest>) => {
  const { id, data } = ev.data;
  try {
    const nTrain = Math.max(64, Math.min(data.nTrain, Math.floor(MAX_CELLS / data.inputDim)));
    const cfg: DataConfig = { ...data, nTrain, nVal: 16, nTest: 16 };
    const ds = generateDataset(cfg);
    const K = ds.K;
    const n = Math.min(SAMPLE, ds.train.n);
    const out: DataPreview = {
      id,
      ok: true,
      K,
      taskTypes: ds.taskTypes,
      rowsUsed: ds.train.n,
      rowsTotal: data.nTrain,
      requested: ds.requested,
      weightCosine: ds.weightCosine,
      labelCorrelation: ds.labelCorrelation,
      observedFraction: ds.observedFraction,
      positiveRate: ds.positiveRate.map((v) => (Number.isFinite(v) ? v : null)),
      sampleRaw: ds.train.yRaw.slice(0, n * K),
      sampleY: ds.train.y.slice(0, n * K),
      sampleMask: ds.train.mask.slice(0, n * K),
      n,
    };
    (self as unknown as Worker).postMessage(out, [out.sampleRaw.buffer, out.sampleY.buffer, out.sampleMask.buffer]);
  } catch (e) {
    (self as unknown as Worker).postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
};
