// Bundles a TypeScript entry (and what it imports) with esbuild into node_modules/.cache/wirelens/ when any
// source is newer than the bundle, then imports it. Used by scripts/fuzz.mjs and scripts/make-odd-captures.mjs.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'crashes') t = Math.max(t, newest(p));
    } else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Bundle `entry` (relative to the repo root) and import it. */
export async function runTs(entry) {
  const out = join(root, 'node_modules', '.cache', 'wirelens', `${basename(entry, '.ts')}.mjs`);
  const srcTime = Math.max(newest(join(root, 'src', 'core')), newest(join(root, 'test', 'fuzz')), statSync(join(root, entry)).mtimeMs);
  if (!existsSync(out) || statSync(out).mtimeMs < srcTime) {
    const { buildSync } = await import('esbuild');
    mkdirSync(dirname(out), { recursive: true });
    buildSync({
      entryPoints: [join(root, entry)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: out,
      logLevel: 'error',
      sourcemap: 'inline',
    });
  }
  process.env.WIRELENS_ROOT = root;
  await import(pathToFileURL(out).href);
}
