// `node scripts/stats-goldens.mjs`: asks tshark for its statistics on every fixture capture and keeps its
// answers beside the other goldens: test/fixtures/golden/<capture>/phs.txt (`-q -z io,phs`) and
// endpoints-<type>.txt (`-q -z endpoints,<type>` for eth, ip, ipv6, tcp, udp). test/stats/ compares our numbers.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, tsharkSync as tshark } from './ensure.mjs';

const fixtures = join(root, 'test', 'fixtures', 'captures');
const goldenDir = join(root, 'test', 'fixtures', 'golden');
const CAPTURE = /\.(pcap|pcapng|cap)$/;
export const ENDPOINT_TYPES = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];

/** Split tshark's concatenated `-z` outputs into blocks, each from its title line to its closing rule. */
function blocks(text) {
  const out = [];
  let cur = null;
  for (const line of text.split('\n')) {
    if (/^=+$/.test(line)) {
      if (cur && cur.length > 1) {
        out.push([...cur, line].join('\n') + '\n');
        cur = null;
      } else cur = [line];
      continue;
    }
    if (cur) cur.push(line);
  }
  return out;
}

const only = process.argv.slice(2);
for (const f of readdirSync(fixtures).sort()) {
  if (!CAPTURE.test(f) || (only.length && !only.includes(f))) continue;
  const path = join(fixtures, f);
  const dir = join(goldenDir, f);
  mkdirSync(dir, { recursive: true });
  const phs = tshark(['-n', '-r', path, '-q', '-z', 'io,phs']);
  writeFileSync(join(dir, 'phs.txt'), phs.replace(/^\n+/, ''));
  const eps = tshark(['-n', '-r', path, '-q', ...ENDPOINT_TYPES.flatMap((t) => ['-z', `endpoints,${t}`])]);
  const found = {};
  for (const b of blocks(eps)) {
    const title = b.split('\n')[1]?.trim() ?? '';
    const t = { 'Ethernet Endpoints': 'eth', 'IPv4 Endpoints': 'ip', 'IPv6 Endpoints': 'ipv6', 'TCP Endpoints': 'tcp', 'UDP Endpoints': 'udp' }[title];
    if (t) found[t] = b;
  }
  for (const t of ENDPOINT_TYPES) {
    if (!found[t]) throw new Error(`${f}: no ${t} endpoints block in tshark's output`);
    writeFileSync(join(dir, `endpoints-${t}.txt`), found[t]);
  }
  console.log(f);
}
