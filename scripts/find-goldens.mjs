// `node scripts/find-goldens.mjs`: tshark's answers for Find Packet and Next Packet in Conversation on a few
// fixture captures, into test/fixtures/golden/find.json (test/worker/find.test.ts compares our search):
// - display filters and bytes searches: the frames `tshark -Y` selects (a hex value is `frame contains 47:45:54`,
//   a string in the bytes `frame contains "Host"`, or `frame matches "(?i)host"` when case is ignored);
// - strings in the packet list: the frames one of whose columns (`-T fields -e _ws.col.…`) contains the string;
// - strings in the packet details: every line of `tshark -V` containing the string, with its frame, in order;
// - conversations: each frame's conversation filter built from its tcp.stream, udp.stream, IP, IPv6 or
//   Ethernet addresses (the order Wireshark tries), and the frames tshark selects with that filter.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, tsharkSync as tshark } from './ensure.mjs';

const fixtures = join(root, 'test', 'fixtures', 'captures');
const OUT = join(root, 'test', 'fixtures', 'golden', 'find.json');

const frames = (file, filter) =>
  tshark(['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'])
    .split('\n')
    .filter(Boolean)
    .map(Number);

const tsQuote = (s) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
const reQuote = (s) => s.replace(/[\\^$.*+?()[\]{}|"]/g, (c) => '\\' + c);

/** The tshark filter selecting the frames a bytes search finds. */
function bytesFilter(q) {
  if (q.kind === 'hex') return `frame contains ${q.text.replace(/[\s.:-]/g, '').match(/../g).join(':')}`;
  return q.caseSensitive ? `frame contains ${tsQuote(q.text)}` : `frame matches ${tsQuote('(?i)' + reQuote(q.text))}`;
}

const includes = (hay, needle, cs) => (cs ? hay.includes(needle) : hay.toLowerCase().includes(needle.toLowerCase()));

const COLUMNS = ['_ws.col.No.', '_ws.col.Time', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Length', '_ws.col.Info'];

function listFrames(file, q) {
  const out = [];
  for (const line of tshark(['-r', file, '-T', 'fields', ...COLUMNS.flatMap((c) => ['-e', c])]).split('\n')) {
    if (!line) continue;
    const cols = line.split('\t');
    if (cols.some((c) => includes(c, q.text, q.caseSensitive))) out.push(Number(cols[0]));
  }
  return out;
}

/** [frame, line] for every `tshark -V` line (leading spaces dropped) containing the string. */
function detailLines(file, q) {
  const out = [];
  let frame = 0;
  for (const line of tshark(['-r', file, '-V']).split('\n')) {
    const m = /^Frame (\d+):/.exec(line);
    if (m) frame = Number(m[1]);
    const text = line.trimStart();
    if (text && includes(text, q.text, q.caseSensitive)) out.push([frame, text]);
  }
  return out;
}

const CONV_FIELDS = ['frame.number', 'tcp.stream', 'udp.stream', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'eth.src', 'eth.dst'];

function conversations(file) {
  const rows = tshark(['-r', file, '-T', 'fields', '-E', 'occurrence=f', ...CONV_FIELDS.flatMap((f) => ['-e', f])])
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
  const filterOf = new Map();
  const perFrame = rows.map(([num, tcp, udp, ip4s, ip4d, ip6s, ip6d, eths, ethd]) => {
    let f = null;
    if (tcp) f = `tcp.stream eq ${tcp}`;
    else if (udp) f = `udp.stream eq ${udp}`;
    else if (ip4s && ip4d) f = `ip.addr eq ${ip4s} && ip.addr eq ${ip4d}`;
    else if (ip6s && ip6d) f = `ipv6.addr eq ${ip6s} && ipv6.addr eq ${ip6d}`;
    else if (eths && ethd) f = `eth.addr eq ${eths} && eth.addr eq ${ethd}`;
    if (f && !filterOf.has(f)) filterOf.set(f, frames(file, f));
    return [Number(num), f];
  });
  return { frames: perFrame, filters: Object.fromEntries(filterOf) };
}

const CASES = [
  {
    capture: '01_http_get_loopback.pcap',
    queries: [
      { kind: 'filter', text: 'http' },
      { kind: 'filter', text: 'tcp.flags.syn == 1' },
      { kind: 'filter', text: 'tcp.len > 0' },
      { kind: 'hex', text: '47:45:54' },
      { kind: 'hex', text: '0d 0a 0d 0a' },
      { kind: 'string', scope: 'bytes', text: 'Host', caseSensitive: true },
      { kind: 'string', scope: 'bytes', text: 'host', caseSensitive: false },
      { kind: 'string', scope: 'bytes', text: 'host', caseSensitive: true },
      { kind: 'string', scope: 'list', text: 'SYN', caseSensitive: true },
      { kind: 'string', scope: 'list', text: 'http', caseSensitive: false },
      { kind: 'string', scope: 'details', text: 'Host', caseSensitive: true },
      { kind: 'string', scope: 'details', text: 'window size', caseSensitive: false },
    ],
  },
  {
    capture: 'tcpdump__dns_udp.pcap',
    queries: [
      { kind: 'filter', text: 'dns.flags.response == 1' },
      { kind: 'string', scope: 'list', text: 'Standard query response', caseSensitive: true },
      { kind: 'string', scope: 'details', text: 'Answers', caseSensitive: true },
      { kind: 'hex', text: '00:01:00:01' },
    ],
  },
  {
    capture: '03_udp_port_unreachable.pcap',
    queries: [
      { kind: 'filter', text: 'icmp' },
      { kind: 'string', scope: 'details', text: 'unreachable', caseSensitive: false },
    ],
  },
  {
    capture: '06_ipv6_http_loopback.pcap',
    queries: [
      { kind: 'filter', text: 'http.request' },
      { kind: 'string', scope: 'list', text: '::1', caseSensitive: true },
      { kind: 'string', scope: 'details', text: 'Next Header', caseSensitive: true },
    ],
  },
  {
    capture: 'zeek__http-vlan-0.pcap',
    queries: [
      { kind: 'filter', text: 'http.response' },
      { kind: 'string', scope: 'bytes', text: 'content-type', caseSensitive: false },
      { kind: 'string', scope: 'details', text: '802.1Q', caseSensitive: true },
    ],
  },
];

const CONV_CAPTURES = [
  '01_http_get_loopback.pcap',
  '03_udp_port_unreachable.pcap',
  '04_ipv4_fragmented_ping_netns.pcap',
  '26_tcp_port_reuse_netns.pcap',
  'zeek__communityid-arp.pcap',
  'tcpdump__dns_udp.pcap',
  'zeek__ipv6-fragmented-dns.pcap',
];

const out = { tshark: tshark(['--version']).split('\n')[0], find: [], conversations: [] };
for (const c of CASES) {
  const file = join(fixtures, c.capture);
  for (const q of c.queries) {
    const entry = { capture: c.capture, query: q };
    if (q.kind === 'filter') entry.frames = frames(file, q.text);
    else if (q.kind === 'hex' || q.scope === 'bytes') {
      entry.tshark = bytesFilter(q);
      entry.frames = frames(file, entry.tshark);
    } else if (q.scope === 'list') entry.frames = listFrames(file, q);
    else entry.lines = detailLines(file, q);
    out.find.push(entry);
  }
}
for (const capture of CONV_CAPTURES) out.conversations.push({ capture, ...conversations(join(fixtures, capture)) });
writeFileSync(OUT, JSON.stringify(out, null, 1) + '\n');
console.log(`${OUT}: ${out.find.length} searches, ${out.conversations.length} captures' conversations (${out.tshark})`);
