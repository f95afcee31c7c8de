// Fast standard-normal fill for the data generator: Marsaglia–Tsang ziggurat
// (128 layers). ~98% of draws cost one uniform, a table lookup and a compare,
// versus a log, a sqrt and a sin/cos for Box–Muller; the generator draws
// ~1.1M normals for the default config, so this is most of its run time.

const R = 3.442619855899; // start of the tail
const V = 9.91256303526217e-3; // area of each layer
const M1 = 2147483648; // 2^31

const kn = new Float64Array(128);
const wn = new Float64Array(128);
const fn = new Float64Array(128);
{
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  kn[0] = (dn / q) * M1;
  kn[1] = 0;
  wn[0] = q / M1;
  wn[127] = dn / M1;
  fn[0] = 1;
  fn[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = (dn / tn) * M1;
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / M1;
  }
}

/**
 * Fill `out` with N(0, 1) draws. `uniform` returns k/2^32 in [0, 1) (as
 * Rng.uniform and mulberry32 do), so ×2^32 recovers the 32 random bits exactly.
 */
export function fillNormal(uniform: () => number, out: Float32Array | Float64Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const hz = (uniform() * 4294967296) | 0; // signed 32-bit
    const iz = hz & 127;
    out[i] = Math.abs(hz) < kn[iz] ? hz * wn[iz] : slowPath(uniform, hz, iz);
  }
}

function slowPath(uniform: () => number, hz: number, iz: number): number {
  // 1 − uniform() is in (0, 1], so the logs below stay finite.
  for (;;) {
    const x = hz * wn[iz];
    if (iz === 0) {
      // Tail beyond R (Marsaglia's exponential rejection).
      let tx: number;
      let ty: number;
      do {
        tx = -Math.log(1 - uniform()) / R;
        ty = -Math.log(1 - uniform());
      } while (ty + ty < tx * tx);
      return hz > 0 ? R + tx : -R - tx;
    }
    if (fn[iz] + uniform() * (fn[iz - 1] - fn[iz]) < Math.exp(-0.5 * x * x)) return x;
    hz = (uniform() * 4294967296) | 0;
    iz = hz & 127;
    if (Math.abs(hz) < kn[iz]) return hz * wn[iz];
  }
}
