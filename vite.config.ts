/// <reference types="vitest/config" />
// Vite (app build, dev server, preview) and Vitest configuration.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const port = Number(process.env.PORT) || 5173;

/**
 * index.html carries a strict Content-Security-Policy (no inline scripts). The dev server's React
 * Refresh preamble is an inline script, so in dev only the policy is relaxed to allow it; the built
 * app (vite build / vite preview) runs under the strict policy as written.
 */
function relaxCspInDev(): Plugin {
  return {
    name: 'wirelens-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws: wss:");
    },
  };
}

export default defineConfig({
  plugins: [react(), relaxCspInDev()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { port, host: '127.0.0.1', strictPort: true },
  preview: { port, host: '127.0.0.1', strictPort: true },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
  },
});
