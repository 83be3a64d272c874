// Installs what `npm start` / `npm test` need on a fresh Debian machine: npm packages, and Debian packages via apt-get.
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** a command on the PATH, or (starting with /) a file a package installs */
function has(cmd) {
  if (cmd.startsWith('/')) return existsSync(cmd);
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** npm ci when node_modules is missing or older than the lock file. */
export function ensureNpm() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('Installing npm packages (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}

let updated = false;
/** Install Debian packages for commands that are missing (as root, or through sudo when available). */
export function ensureApt(pairs) {
  const missing = pairs.filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
  if (!missing.length) return;
  const sudo = process.getuid && process.getuid() !== 0 && has('sudo') ? 'sudo ' : '';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log(`Installing Debian packages: ${missing.join(' ')}…`);
  if (!updated) {
    execSync(`${sudo}apt-get update -qq`, { stdio: 'inherit', env });
    updated = true;
  }
  execSync(`${sudo}apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`, { stdio: 'inherit', env });
}

export const CHROMIUM = '/usr/bin/chromium';

/** tshark's standard output for `args`, run as the golden scripts run it (C.UTF-8, UTC, its warnings dropped). */
export function tsharkSync(args) {
  return execFileSync('tshark', args, {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, LC_ALL: 'C.UTF-8', TZ: 'UTC' },
  });
}
