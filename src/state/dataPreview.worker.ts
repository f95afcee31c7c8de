// Generates the configured data set off the main thread (no TF.js: the
// generator is plain TypeScript) so the data view can show the labels and
// their measured correlation before and while training.
import type { DataConfig } from '../core/config/schema';
import { generateDataset } from '../core/data/generator';
import { cosine } from '../core/data/linalg';
import type { DataPreview, DataPreviewRequest } from './dataPreviewTypes';

/** Cap on generated training rows (x is n×d floats): enough for a stable correlation. */
const MAX_CELLS = 2_000_000;
/** Cap on generated test rows, for the oracle AUC (the test rows are a prefix of the configured split's). */
const MAX_TEST_CELLS = 500_000;
const SAMPLE = 600;
const finite = (v: number) => (Number.isFinite(v) ? v : null);



self.onmessage = (ev: MessageEvent<DataPreviewRequest>) => {
  const { id, data } = ev.data;
  try {
    const nTrain = Math.max(64, Math.min(data.nTrain, Math.floor(MAX_CELLS / data.inputDim)));
    const nTest = Math.max(16, Math.min(data.nTest, Math.floor(MAX_TEST_CELLS / data.inputDim)));
    const cfg: DataConfig = { ...data, nTrain, nVal: 16, nTest };
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
      positiveRate: ds.positiveRate.map(finite),
      oracleAuc: ds.oracleAuc.map(finite),
      testRowsUsed: ds.test.n,
      testRowsTotal: data.nTest,
      relationship: data.relationship === 'regional' ? 'regional' : 'global',
      regionRequested: ds.regionRequested,
      regionFraction: ds.regionFraction,
      regionWeightCosine: (ds.functions.regionW ?? []).map((W) => W.map((u) => W.map((v) => cosine(u, v)))),
      regionLabelCorrelation: ds.regionLabelCorrelation,
      sampleRaw: ds.train.yRaw.slice(0, n * K),
      sampleY: ds.train.y.slice(0, n * K),
      sampleMask: ds.train.mask.slice(0, n * K),
      sampleRegion: (ds.train.region ?? new Uint8Array(ds.train.n)).slice(0, n),
      n,
    };
    (self as unknown as Worker).postMessage(out, [out.sampleRaw.buffer, out.sampleY.buffer, out.sampleMask.buffer, out.sampleRegion.buffer]);
  } catch (e) {
    (self as unknown as Worker).postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
};
