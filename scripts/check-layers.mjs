// Checks the layering: core imports nothing from ui/worker/cli and no DOM-only module; worker imports no ui.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { root } from './ensure.mjs';

const rules = [
  { from: 'src/core', forbid: ['src/ui', 'src/worker', 'src/cli', 'react', 'react-dom', 'zustand', 'node:'] },
  { from: 'src/worker', forbid: ['src/ui', 'src/cli', 'react', 'react-dom', 'node:'] },
  { from: 'src/ui', forbid: ['src/cli', 'node:'] },
];
function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) yield p;
  }
}
let bad = 0;
for (const rule of rules) {
  let dir;
  try {
    dir = join(root, rule.from);
    readdirSync(dir);
  } catch {
    continue;
  }
  for (const f of files(dir)) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2];
      const target = spec.startsWith('.') ? relative(root, resolve(dirname(f), spec)) : spec;
      for (const fb of rule.forbid) {
        if (target === fb || target.startsWith(fb + '/') || (fb.endsWith(':') && target.startsWith(fb))) {
          console.error(`${relative(root, f)}: imports ${spec} (${rule.from} must not import ${fb})`);
          bad++;
        }
      }
    }
  }
}
if (bad) {
  console.error(`layers: ${bad} forbidden import(s)`);
  process.exit(1);
}
console.log('layers: ok');
