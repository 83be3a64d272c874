// `npm test`: install what is missing (npm packages, Debian chromium and tshark), then type-check, check layering,
// run the unit tests (vitest) and the browser tests (Playwright), and print one closing summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureApt, ensureNpm, root } from './ensure.mjs';

ensureNpm();
ensureApt([
  ['chromium', 'chromium'],
  ['tshark', 'tshark'],
  // the live-capture tests (issue 11) capture real loopback traffic
  ['tcpdump', 'tcpdump'],
  // Japanese glyphs in the screenshots of the Japanese UI (docs/projector-ja.png) instead of empty boxes
  ['/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf', 'fonts-ipafont-gothic'],
]);

// Not test-results/: Playwright empties that folder when it starts.
const outDir = join(root, 'node_modules', '.cache', 'wirelens-test');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

let failedSteps = [];
if (run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) !== 0) failedSteps.push('typecheck');
if (run('node', ['scripts/check-layers.mjs']) !== 0) failedSteps.push('layers');

const vitestJson = join(outDir, 'vitest.json');
if (run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]) !== 0)
  failedSteps.push('unit');
const pwJson = join(outDir, 'playwright.json');
if (run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson }) !== 0) failedSteps.push('e2e');

let passed = 0,
  failed = 0,
  skipped = 0;
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
}
if (existsSync(pwJson)) {
  const p = JSON.parse(readFileSync(pwJson, 'utf8'));
  passed += p.stats?.expected ?? 0;
  failed += (p.stats?.unexpected ?? 0) + (p.stats?.flaky ?? 0);
  skipped += p.stats?.skipped ?? 0;
}
if (failedSteps.length) console.log(`Failed steps: ${failedSteps.join(', ')}`);
console.log(`\ntests: ${passed} passed, ${failed + (failedSteps.length && !failed ? 1 : 0)} failed, ${skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
