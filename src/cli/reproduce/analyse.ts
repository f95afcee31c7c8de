// Every analysis of a record, by part (null for a part that did not run).
// Pure: the page can call it on the results of "Run all seeds".
import type { PartSeedResult } from './runSeed';
import type { Analyses } from './report';
import type { PartId } from './plan';
import { analyseEsmm, analyseNegative, analyseRegional } from './mechanismAnalysis';
import { analyseFeatures } from './featureAnalysis';
import { analyseSeesaw } from './seesawAnalysis';
import { analyseSweep } from './sweepAnalysis';
import { analyseTradeoff } from './tradeoffAnalysis';
import { analyseUtilisation } from './utilisationAnalysis';

export function analyse(units: PartSeedResult[], parts: PartId[]): Analyses {
  const of = (id: PartId) => units.filter((u) => u.part === id);
  return {
    sweep: parts.includes('sweep') ? analyseSweep(of('sweep')) : null,
    utilisation: parts.includes('utilisation') ? analyseUtilisation(of('utilisation')) : null,
    seesaw: parts.includes('seesaw') ? analyseSeesaw(of('seesaw')) : null,
    regional: parts.includes('regional') ? analyseRegional(of('regional')) : null,
    negative: parts.includes('negative') ? analyseNegative(of('negative')) : null,
    esmm: parts.includes('esmm') ? analyseEsmm(of('esmm')) : null,
    tradeoff: parts.includes('tradeoff') ? analyseTradeoff(of('tradeoff')) : null,
    features: parts.includes('features') ? analyseFeatures(of('features')) : null,
  };
}
