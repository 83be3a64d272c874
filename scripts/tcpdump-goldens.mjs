// `node scripts/tcpdump-goldens.mjs [NAME…]`: what the real `tcpdump -n -r FILE` prints for every fixture capture
// (and the shared ones present), kept as test/fixtures/golden/tcpdump/<capture>.txt; test/output/tcpdump.test.ts
// compares our tcpdump view with it line by line.
//
// tcpdump runs with TZ=UTC (its default HH:MM:SS.µs timestamps are local time) inside a fresh network namespace
// (`unshare -n`): Linux cooked v2 captures name interfaces by index and tcpdump looks the names up on the machine
// it runs on, so in an empty namespace index 1 is `lo` and every other index `?`, the same on every machine.
// index.json records, per capture, how many packets tcpdump printed and the error it stopped at, if any (it cannot
// read a pcapng whose interfaces have different link types).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { captureList } from './goldens.mjs';
import { ensureApt, root } from './ensure.mjs';

const outDir = join(root, 'test', 'fixtures', 'golden', 'tcpdump');
/** a new packet's line starts with tcpdump's default timestamp; other lines continue the packet before */
export const PACKET_START = /^\d\d:\d\d:\d\d\.\d{6} /;

/** Group tcpdump's output lines by packet (continuation lines such as hex dumps stay with their packet). */
export function packets(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (PACKET_START.test(line) || !out.length) out.push(line);
    else if (line !== '' || out.length) out[out.length - 1] += '\n' + line;
  }
  return out.map((p) => p.replace(/\n+$/, '')).filter((p) => p !== '');
}

function isolated() {
  return spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
}

function tcpdump(bytes, netns) {
  const cmd = netns ? ['unshare', ['-n', 'tcpdump', '-n', '-r', '-']] : ['tcpdump', ['-n', '-r', '-']];
  const r = spawnSync(cmd[0], cmd[1], { input: bytes, maxBuffer: 1 << 30, env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } });
  if (r.error) throw r.error;
  const stderr = r.stderr.toString('utf8');
  // "reading from file -, link-type …" and the SLL2 warning are notices; "tcpdump: …" is the error it stopped at
  const error = stderr.split('\n').find((l) => l.startsWith('tcpdump: ')) ?? null;
  return { stdout: r.stdout, error };
}

function main() {
  ensureApt([['tcpdump', 'tcpdump']]);
  const netns = isolated();
  if (!netns) console.warn('warning: `unshare -n` failed (not root?): Linux cooked v2 interface names will be this machine\'s');
  mkdirSync(outDir, { recursive: true });
  const only = process.argv.slice(2);
  const indexPath = join(outDir, 'index.json');
  const index = existsSync(indexPath) ? JSON.parse(readFileSync(indexPath, 'utf8')) : { captures: {} };
  index.version = spawnSync('tcpdump', ['--version']).stdout.toString().split('\n')[0];
  for (const c of captureList()) {
    if (only.length && !only.includes(c.name)) continue;
    const path = join(root, c.path);
    if (!existsSync(path)) continue;
    let bytes = readFileSync(path);
    if (c.name.endsWith('.gz')) bytes = gunzipSync(bytes);
    const { stdout, error } = tcpdump(bytes, netns);
    writeFileSync(join(outDir, `${c.name}.txt`), stdout);
    const n = packets(stdout.toString('latin1')).length;
    index.captures[c.name] = { packets: n, error };
    console.log(`${c.name}: ${n} packets${error ? ` (${error})` : ''}`);
  }
  index.captures = Object.fromEntries(Object.entries(index.captures).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(indexPath, JSON.stringify(index, null, 1) + '\n');
  console.log(`tcpdump goldens written with ${index.version}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) main();
