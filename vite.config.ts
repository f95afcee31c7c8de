// Vite: the playground page (index.html) plus a small worker test harness
// (harness.html, used by e2e/worker.spec.ts and `npm run bench`).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/**
 * Content-Security-Policy. WASM needs 'wasm-unsafe-eval' (page and worker);
 * the worker is a same-origin module script (blob: kept for tools that inline
 * workers). Dev adds 'unsafe-inline' scripts (React Refresh's inline preamble)
 * and ws: for HMR. Styles allow inline style attributes (D3/React set them).
 */
export function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval'${dev ? " 'unsafe-inline'" : ''}`,
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/** The production policy also travels inside the built HTML, for static hosts that set no headers. */
function cspMeta(): Plugin {
  return {
    name: 'ple-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy(false) }, injectTo: 'head-prepend' },
    ],
  };
}

// No COOP/COEP headers: they only enable WASM threads, which gave no speed-up
// on 2 cores and crashed in a minified build (TFJS-NOTES); the worker pins
// WASM to one SIMD thread (src/worker/backends.ts).
export default defineConfig(({ command }) => ({
  plugins: [react(), cspMeta()],
  worker: { format: 'es' },
  // Pre-bundle everything the page and the worker import (deep paths too), so the
  // dev server never discovers a dependency late and reloads the page mid-test.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgpu',
      'react',
      'react/jsx-runtime',
      'react/jsx-dev-runtime',
      'react-dom',
      'react-dom/client',
      'zustand',
      'zustand/vanilla',
      'zustand/middleware',
      'zustand/shallow',
      'zustand/react/shallow',
      'd3',
      'zod',
    ],
  },
  server: { headers: { 'Content-Security-Policy': contentSecurityPolicy(command === 'serve') } },
  preview: { headers: { 'Content-Security-Policy': contentSecurityPolicy(false) } },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2500,
    rolldownOptions: {
      input: { main: page('./index.html'), harness: page('./harness.html') },
    },
  },
}));
