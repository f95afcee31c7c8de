// One place that maps a model type to its implementation.
import type { ModelType, ResolvedModel } from '../config/schema';
import { AdattModel } from './adatt';
import { AsymmetricModel } from './asymmetric';
import { CrossStitchModel } from './crossStitch';
import { CustomizedModel } from './customized';
import { EsmmModel } from './esmm';
import { GatedExpertsModel } from './gatedExperts';
import type { MtlModel } from './model';
import { SharedBottomModel } from './sharedBottom';
import { SingleTaskModel } from './singleTask';
import { SluiceModel } from './sluice';

type Factory = (cfg: ResolvedModel, numTasks: number, inputDim: number, initSeed: number) => MtlModel;

const gated: Factory = (c, k, d, s) => new GatedExpertsModel(c, k, d, s);

export const MODEL_FACTORIES: Record<ModelType, Factory> = {
  'single-task': (c, k, d, s) => new SingleTaskModel(c, k, d, s),
  'shared-bottom': (c, k, d, s) => new SharedBottomModel(c, k, d, s),
  asymmetric: (c, k, d, s) => new AsymmetricModel(c, k, d, s),
  customized: (c, k, d, s) => new CustomizedModel(c, k, d, s),
  'cross-stitch': (c, k, d, s) => new CrossStitchModel(c, k, d, s),
  sluice: (c, k, d, s) => new SluiceModel(c, k, d, s),
  omoe: gated,
  mmoe: gated,
  'ml-mmoe': gated,
  cgc: gated,
  ple: gated,
  adatt: (c, k, d, s) => new AdattModel(c, k, d, s),
  esmm: (c, k, d, s) => new EsmmModel(c, k, d, s),
};

export function buildModel(cfg: ResolvedModel, numTasks: number, inputDim: number, initSeed: number): MtlModel {
  return MODEL_FACTORIES[cfg.type](cfg, numTasks, inputDim, initSeed);
}
