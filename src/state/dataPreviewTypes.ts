import type { DataConfig, TaskType } from '../core/config/schema';

export interface DataPreviewRequest {
  id: number;
  data: DataConfig;
}

export type DataPreview =
  | {
      id: number;
      ok: true;
      K: number;
      taskTypes: TaskType[];
      /** Training rows generated for the preview (capped) and configured. */
      rowsUsed: number;
      rowsTotal: number;
      requested: number[][];
      weightCosine: number[][];
      labelCorrelation: number[][];
      observedFraction: number[];
      positiveRate: (number | null)[];
      /** Per binary task: the oracle AUC on the first testRowsUsed test rows (the ceiling); null for regression. */
      oracleAuc: (number | null)[];
      /** Test rows generated for the preview's oracle AUC (capped) and configured. */
      testRowsUsed: number;
      testRowsTotal: number;
      /** data.relationship: "regional" fills the region fields below, "global" leaves them []. */
      relationship: 'global' | 'regional';
      /** Per region [rᵀx ≤ 0, rᵀx > 0]: requested K×K matrix, share of training rows, measured label correlation. */
      regionRequested: number[][][];
      regionFraction: number[];
      /** Per region: cos(w_i^(j), w_k^(j)) of the generated weight vectors. */
      regionWeightCosine: number[][][];
      regionLabelCorrelation: number[][][];
      /** First n training rows, [n, K]: regression targets, labels, masks. */
      sampleRaw: Float32Array;
      sampleY: Float32Array;
      sampleMask: Float32Array;
      /** [n] region of each sample row (all 0 in global mode). */
      sampleRegion: Uint8Array;
      n: number;
    }
  | { id: number; ok: false; message: string };
