// WebAssembly SIMD kernels that run on TF.js's own WASM heap.
//
// Compiled by `npm run build:simd` (clang --target=wasm32 -msimd128, no libc,
// no stack, no data segment) into kernels.wasm.ts, which is committed so that
// neither CI nor a user needs clang. The module imports TF.js's memory, so
// every pointer below is a tensor's offset in that heap: kernels read inputs
// and write outputs in place, with no copies. Everything is float32, row-major.
//
// Why: TF.js 4.22 WASM runs a batched matMul with a scalar, strided fallback
// (`slow_batch_matmul`), reduces over a leading axis by transposing first, and
// runs Adam as a dozen kernels per step; at the playground's model sizes those
// were about half of a training step (README, "Core engine benchmark").
#include <wasm_simd128.h>

#define EXPORT __attribute__((visibility("default")))
typedef float f32;

static inline f32 dot(const f32* __restrict a, const f32* __restrict b, int n) {
  v128_t acc = wasm_f32x4_splat(0.f);
  int i = 0;
  for (; i + 4 <= n; i += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  f32 s = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) + wasm_f32x4_extract_lane(acc, 2) +
          wasm_f32x4_extract_lane(acc, 3);
  for (; i < n; i++) s += a[i] * b[i];
  return s;
}

// y[0..n) += c * x[0..n)
static inline void axpy(f32* __restrict y, const f32* __restrict x, f32 c, int n) {
  const v128_t cv = wasm_f32x4_splat(c);
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, wasm_f32x4_add(wasm_v128_load(y + i), wasm_f32x4_mul(cv, wasm_v128_load(x + i))));
  for (; i < n; i++) y[i] += c * x[i];
}

// y[0..n) = c * x[0..n)
static inline void scale(f32* __restrict y, const f32* __restrict x, f32 c, int n) {
  const v128_t cv = wasm_f32x4_splat(c);
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, wasm_f32x4_mul(cv, wasm_v128_load(x + i)));
  for (; i < n; i++) y[i] = c * x[i];
}

static inline void zero(f32* y, int n) {
  for (int i = 0; i < n; i++) y[i] = 0.f;
}

// Gate g's mixture: out[b*os + h] = Σ_e p[b, g, e] · x[b, e, h].
// p [B, G, E], x [B, E, H]; a pair with p exactly 0 (masked expert) is skipped.
EXPORT void mix_gate(const f32* p, const f32* x, f32* out, int B, int G, int E, int H, int g, int os) {
  for (int b = 0; b < B; b++) {
    f32* o = out + b * os;
    const f32* pb = p + (b * G + g) * E;
    zero(o, H);
    for (int e = 0; e < E; e++)
      if (pb[e] != 0.f) axpy(o, x + (b * E + e) * H, pb[e], H);
  }
}

// Gradient w.r.t. gate g's weights: dp[b, g, e] = Σ_h dy[b*ds + h] · x[b, e, h]
// (0 where p is 0: the softmax gradient multiplies it by p anyway).
EXPORT void mix_grad_p_gate(const f32* p, const f32* x, const f32* dy, f32* dp, int B, int G, int E, int H, int g, int ds) {
  for (int b = 0; b < B; b++) {
    const int r = (b * G + g) * E;
    const f32* d = dy + b * ds;
    for (int e = 0; e < E; e++) dp[r + e] = p[r + e] == 0.f ? 0.f : dot(d, x + (b * E + e) * H, H);
  }
}

// Gradient w.r.t. the experts, gate g's share: dx[b, e, :] (+)= p[b, g, e] · dy[b*ds + :].
// The first gate (accumulate = 0) writes every element; later gates add.
EXPORT void mix_grad_x_gate(const f32* p, const f32* dy, f32* dx, int B, int G, int E, int H, int g, int ds, int accumulate) {
  for (int b = 0; b < B; b++) {
    const f32* pb = p + (b * G + g) * E;
    const f32* d = dy + b * ds;
    for (int e = 0; e < E; e++) {
      f32* o = dx + (b * E + e) * H;
      if (accumulate) {
        if (pb[e] != 0.f) axpy(o, d, pb[e], H);
      } else {
        scale(o, d, pb[e], H);
      }
    }
  }
}

// out[c] = Σ_r x[r, c] for x [R, C] (a bias gradient).
EXPORT void sum_rows(const f32* x, f32* out, int R, int C) {
  zero(out, C);
  for (int r = 0; r < R; r++) axpy(out, x + r * C, 1.f, C);
}

// Σ g² over n elements (global-norm clipping).
EXPORT f32 sum_squares(const f32* g, int n) {
  return dot(g, g, n);
}

// One Adam step on n parameters (Kingma & Ba, in tf.train.adam's form), with
// the operations in FlatAdam's kernel order so both paths round alike:
//   m ← β1·m + c1·(s·g),  v ← β2·v + c2·(s·g)²,  out = θ − (m / (√v + epsT))·lrT
// with c1 = 1−β1 and c2 = 1−β2 passed in (rounded once, as the kernel path
// does) and s the clipping factor; m and v are updated in place, out is new.
EXPORT void adam(const f32* theta, const f32* g, f32* m, f32* v, f32* out, int n, f32 lrT, f32 epsT, f32 b1, f32 c1, f32 b2,
                 f32 c2, f32 s) {
  const v128_t B1 = wasm_f32x4_splat(b1), C1 = wasm_f32x4_splat(c1);
  const v128_t B2 = wasm_f32x4_splat(b2), C2 = wasm_f32x4_splat(c2);
  const v128_t S = wasm_f32x4_splat(s), LR = wasm_f32x4_splat(lrT), EPS = wasm_f32x4_splat(epsT);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t gi = wasm_f32x4_mul(wasm_v128_load(g + i), S);
    const v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), B1), wasm_f32x4_mul(gi, C1));
    const v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), B2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), C2));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
    const v128_t step = wasm_f32x4_mul(wasm_f32x4_div(mi, wasm_f32x4_add(wasm_f32x4_sqrt(vi), EPS)), LR);
    wasm_v128_store(out + i, wasm_f32x4_sub(wasm_v128_load(theta + i), step));
  }
  for (; i < n; i++) {
    const f32 gi = g[i] * s;
    m[i] = m[i] * b1 + gi * c1;
    v[i] = v[i] * b2 + gi * gi * c2;
    out[i] = theta[i] - (m[i] / (__builtin_sqrtf(v[i]) + epsT)) * lrT;
  }
}

// The first expert layer of a packed group: y [B, C] holds the group's expert
// pre-activations (columns [0, ec)) and its gates' logits (columns [ec, C)).
//   e[b, j] = max(y[b, j] + bias[j], 0)   (j < ec)
//   l[b, j] = y[b, ec + j]                (j < C − ec; l may be 0 when there are no gates)
// The same float operations as TF.js's Slice, Add and Relu, so results are identical.
EXPORT void split_bias_relu(const f32* y, const f32* bias, f32* e, f32* l, int B, int C, int ec) {
  const int lc = C - ec;
  const v128_t Z = wasm_f32x4_splat(0.f);
  for (int b = 0; b < B; b++) {
    const f32* yr = y + b * C;
    f32* er = e + b * ec;
    int j = 0;
    for (; j + 4 <= ec; j += 4) wasm_v128_store(er + j, wasm_f32x4_max(wasm_f32x4_add(wasm_v128_load(yr + j), wasm_v128_load(bias + j)), Z));
    for (; j < ec; j++) {
      const f32 v = yr[j] + bias[j];
      er[j] = v > 0.f ? v : 0.f;
    }
    if (lc > 0)
      for (int k = 0; k < lc; k++) l[b * lc + k] = yr[ec + k];
  }
}

// Its gradient w.r.t. y: dy[b, j] = de[b, j]·(e[b, j] > 0) for j < ec, dl[b, j − ec] after
// (TF.js's ReLU gradient is dy·step(x), and the slices' gradients are pads that add up).
EXPORT void split_bias_relu_grad(const f32* de, const f32* e, const f32* dl, f32* dy, int B, int C, int ec) {
  const int lc = C - ec;
  for (int b = 0; b < B; b++) {
    f32* o = dy + b * C;
    const f32* dr = de + b * ec;
    const f32* er = e + b * ec;
    for (int j = 0; j < ec; j++) o[j] = dr[j] * (er[j] > 0.f ? 1.f : 0.f);
    if (lc > 0)
      for (int k = 0; k < lc; k++) o[ec + k] = dl[b * lc + k];
  }
}

// ... and w.r.t. the bias: out[j] = Σ_b de[b, j]·(e[b, j] > 0), rows in order as sum_rows.
EXPORT void relu_bias_grad(const f32* de, const f32* e, f32* out, int B, int ec) {
  zero(out, ec);
  const v128_t Z = wasm_f32x4_splat(0.f), ONE = wasm_f32x4_splat(1.f);
  for (int b = 0; b < B; b++) {
    const f32* dr = de + b * ec;
    const f32* er = e + b * ec;
    int j = 0;
    for (; j + 4 <= ec; j += 4) {
      const v128_t mask = wasm_v128_and(wasm_f32x4_gt(wasm_v128_load(er + j), Z), ONE);
      wasm_v128_store(out + j, wasm_f32x4_add(wasm_v128_load(out + j), wasm_f32x4_mul(wasm_v128_load(dr + j), mask)));
    }
    for (; j < ec; j++) out[j] += dr[j] * (er[j] > 0.f ? 1.f : 0.f);
  }
}
