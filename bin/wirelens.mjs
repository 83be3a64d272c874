#!/usr/bin/env node
// Runs the TypeScript CLI: bundles src/cli with esbuild into a cache file when any source is newer, then imports it.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'node_modules', '.cache', 'wirelens', 'cli.mjs');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const srcTime = Math.max(newest(join(root, 'src', 'core')), newest(join(root, 'src', 'cli')));
if (!existsSync(out) || statSync(out).mtimeMs < srcTime) {
  const { buildSync } = await import('esbuild');
  mkdirSync(dirname(out), { recursive: true });
  buildSync({
    entryPoints: [join(root, 'src', 'cli', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    // ws (used by `wirelens live`) is CommonJS with optional native add-ons: imported from node_modules at run time
    external: ['ws'],
    logLevel: 'error',
  });
}
await import(pathToFileURL(out).href);
