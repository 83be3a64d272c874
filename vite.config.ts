/// <reference types="vitest/config" />
// Vite (app build, dev server, preview) and Vitest configuration.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

/**
 * Lists every file of the build in sw-precache.json (with a version naming the build) for the service worker
 * (public/sw.js), which caches them at install so the page works offline once loaded.
 */
function swPrecache(): Plugin {
  let outDir = 'dist';
  return {
    name: 'wirelens-sw-precache',
    apply: 'build',
    configResolved(c) {
      outDir = resolve(c.root, c.build.outDir);
    },
    closeBundle() {
      const files: string[] = [];
      const walk = (dir: string, rel: string) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          const r = rel ? `${rel}/${e.name}` : e.name;
          if (e.isDirectory()) walk(join(dir, e.name), r);
          else if (!/\.(map|md)$/.test(e.name) && r !== 'sw.js' && r !== 'sw-precache.json') files.push(r);
        }
      };
      if (!existsSync(outDir)) return;
      walk(outDir, '');
      files.sort();
      const h = createHash('sha256');
      for (const f of files) h.update(f).update(readFileSync(join(outDir, f)));
      writeFileSync(join(outDir, 'sw-precache.json'), JSON.stringify({ version: h.digest('hex').slice(0, 16), files }, null, 1));
    },
  };
}

export default defineConfig({
  plugins: [react(), relaxCspInDev(), swPrecache()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { port, host: '127.0.0.1', strictPort: true },
  preview: { port, host: '127.0.0.1', strictPort: true },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
  },
});
