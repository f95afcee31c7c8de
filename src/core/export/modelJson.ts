// model.json: the model laid out by its structure (levels → modules → experts
// → dense layers; gates; towers), plus the config and 8 sample inputs with the
// model's outputs on them, so a port can be checked. Format: docs/model-json.md.
import type { ExperimentConfig, ResolvedConfig } from '../config/schema';
import type { MtlModel } from '../models/model';
import type { Dataset } from '../types';

export const MODEL_JSON_FORMAT = 'ple-playground/model';
export const SAMPLE_COUNT = 8;

interface Exportable {
  model: MtlModel;
  config: ResolvedConfig;
  rawConfig: ExperimentConfig;
  dataset: Dataset;
  step: number;
  predict(split: 'test', maxRows?: number): Promise<Float32Array>;
}

export async function buildModelJson(t: Exportable): Promise<Record<string, unknown>> {
  const { model, dataset } = t;
  const n = Math.min(SAMPLE_COUNT, dataset.test.n);
  const d = dataset.d;
  const K = dataset.K;
  const out = await t.predict('test', n);
  const inputs: number[][] = [];
  const outputs: number[][] = [];
  for (let i = 0; i < n; i++) {
    inputs.push(Array.from(dataset.test.x.subarray(i * d, (i + 1) * d)));
    outputs.push(Array.from(out.subarray(i * K, (i + 1) * K)));
  }
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
  return {
    format: MODEL_JSON_FORMAT,
    version: 1,
    model: {
      type: model.type,
      numTasks: K,
      inputDim: d,
      tasks: dataset.taskTypes.map((type, k) => ({ index: k, type, output: type === 'binary' ? 'logit' : 'value' })),
      parameterCount: model.parameterCount(),
      step: t.step,
    },
    config: t.rawConfig,
    ...(await model.exportStructure()),
    samples: {
      inputs,
      outputs,
      probabilities: outputs.map((row) => row.map((v, k) => (dataset.taskTypes[k] === 'binary' ? sigmoid(v) : null))),
    },
  };
}
