#!/usr/bin/env node
// Asks sharkd (Wireshark 4.0) for the filter string of every tree item ("Apply as Filter" → Selected) of a few
// fixture captures, into test/dissect/golden/filter-text.json, for filter-text.test.ts.
//
//   node test/dissect/filter-text-goldens.mjs
//
// Each capture is read with default preferences; a few also with checksum validation on (ip, tcp, udp).
// Every item is stored as [label, filter, data source, start, length] (generated labels bracketed, as ours).
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const capDir = join(here, '../fixtures/captures');
export const CAPTURES = [
  '01_http_get_loopback.pcap',
  '02_tcp_connection_refused.pcap',
  '03_udp_hello.pcap',
  '03_udp_port_unreachable.pcap',
  '04_ipv4_fragmented_ping_netns.pcap',
  '06_ipv6_http_loopback.pcap',
  '07_sll2_any_netns.pcap',
  '08_tls_clienthello_loopback.pcap',
  'tcpdump__802.1ad_QinQ.pcap',
  'tcpdump__dns_udp.pcap',
  'tcpdump__dns_tcp.pcap',
  'tcpdump__icmpv6.pcap',
  'zeek__tcp-options.pcap',
  'zeek__communityid-arp.pcap',
  'zeek__ipv6-fragmented-dns.pcap',
  'xss_payloads.pcap',
  'zeek__basic-auth-with-colon.pcap',
];
const CHECKSUMS = ['ip.check_checksum', 'tcp.check_checksum', 'udp.check_checksum'];
/** the captures also read with checksum validation on */
const WITH_CHECKSUMS = new Set(['01_http_get_loopback.pcap', '02_tcp_connection_refused.pcap', '03_udp_hello.pcap', '03_udp_port_unreachable.pcap']);

function run(file, checksums) {
  const reqs = [];
  let id = 1;
  const rpc = (method, params) => reqs.push(JSON.stringify({ jsonrpc: '2.0', id: id++, method, params }));
  if (checksums) for (const name of CHECKSUMS) rpc('setconf', { name, value: 'TRUE' });
  rpc('load', { file });
  const n = Number(/(\d+)\s*$/.exec(spawnSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' }).stdout)[1]);
  for (let f = 1; f <= n; f++) rpc('frame', { frame: f, proto: true });
  const r = spawnSync('sharkd', ['-'], { input: reqs.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
  const frames = [];
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m = JSON.parse(line);
    if (!m.result?.tree) continue;
    const items = [];
    const walk = (nodes) => {
      for (const x of nodes) {
        const label = x.g && !x.l.startsWith('[') ? `[${x.l}]` : x.l;
        items.push([label, x.f ?? null, x.ds ?? 0, x.h?.[0] ?? 0, x.h?.[1] ?? 0]);
        if (x.n) walk(x.n);
      }
    };
    walk(m.result.tree);
    frames.push(items);
  }
  if (frames.length !== n) throw new Error(`${file}: ${frames.length} of ${n} frames`);
  return frames;
}

const out = {};
for (const name of CAPTURES) {
  const file = join(capDir, name);
  out[name] = { plain: run(file, false), ...(WITH_CHECKSUMS.has(name) ? { checksums: run(file, true) } : {}) };
}
mkdirSync(join(here, 'golden'), { recursive: true });
writeFileSync(join(here, 'golden/filter-text.json'), JSON.stringify(out));
console.log('wrote', join(here, 'golden/filter-text.json'));
