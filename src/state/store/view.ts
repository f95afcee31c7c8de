// View settings: how the charts draw and which run the live views follow.
import { set } from './base';

export function setWhisker(w: 'std' | 'variance') {
  set({ whisker: w });
}
export function setLogScale(v: boolean) {
  set({ logScale: v });
}
export function setViewRun(i: number | null) {
  set({ viewRun: i });
}
