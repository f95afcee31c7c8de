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
      /** First n training rows, [n, K]: regression targets, labels, masks. */
      sampleRaw: Float32Array;
      sampleY: Float32Array;
      sampleMask: Float32Array;
      n: number;
    }
  | { id: number; ok: false; message: string };
