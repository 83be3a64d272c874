// A small synthetic capture for the filter specs: real frame bytes plus the protocol tree tshark
// builds for them (the subset of fields the specs use). The same bytes, written to a pcap, are what
// the expected results in filter.test.ts were taken from (tshark 4.0.17 -Y on that file).
import type { Packet } from '../../src/core/dissect/packet';
import { ascii, ensureTestFields, F, H, hex, ipv4, ipv6, mac, P, packet, type Node } from './helpers';

ensureTestFields();

const T0 = 1700000000;

function u16(n: number): number[] {
  return [(n >> 8) & 255, n & 255];
}
function u32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}
function be(bytes: Uint8Array | number[]): number[] {
  return [...bytes];
}

interface FrameSpec {
  num: number;
  /** seconds after T0 */
  t: number;
}

function frameNode(spec: FrameSpec, len: number, protocols: string, prev: number, kids: Node[] = []): Node {
  const sec = Math.floor(spec.t);
  const ns = Math.round((spec.t - sec) * 1e9);
  return P('frame', 0, len, [
    F('frame.encap_type', 1),
    F('frame.time', { s: T0 + sec, ns }),
    F('frame.time_delta', spec.t - prev),
    F('frame.time_relative', spec.t),
    F('frame.number', spec.num),
    F('frame.len', len),
    F('frame.cap_len', len),
    F('frame.marked', 0),
    F('frame.protocols', protocols),
    ...kids,
  ]);
}

function ethNode(dst: string, src: string, type: number): { bytes: number[]; node: Node } {
  const d = mac(dst);
  const s = mac(src);
  return {
    bytes: [...d, ...s, ...u16(type)],
    node: P('eth', 0, 14, [
      F('eth.dst', d, 0, 6),
      H('eth.addr', d),
      F('eth.src', s, 6, 6),
      H('eth.addr', s),
      F('eth.type', type, 12, 2),
    ]),
  };
}

interface IpSpec {
  src: string;
  dst: string;
  proto: number;
  ttl: number;
  id: number;
  df?: boolean;
  mf?: boolean;
  frag?: number;
}

function ipHeader(ip: IpSpec, payloadLen: number): number[] {
  const flags = (ip.df ? 0x4000 : 0) | (ip.mf ? 0x2000 : 0) | (ip.frag ?? 0);
  return [0x45, 0, ...u16(20 + payloadLen), ...u16(ip.id), ...u16(flags), ip.ttl, ip.proto, 0, 0, ...u32(ipv4(ip.src)), ...u32(ipv4(ip.dst))];
}

function ipNode(ip: IpSpec, off: number, payloadLen: number, kids: Node[] = []): Node {
  const flags = (ip.df ? 2 : 0) | (ip.mf ? 1 : 0);
  return P('ip', off, 20 + payloadLen, [
    F('ip.version', 4),
    F('ip.hdr_len', 20),
    F('ip.len', 20 + payloadLen),
    F('ip.id', ip.id),
    F('ip.flags', flags, 0, 0, [F('ip.flags.df', ip.df ? 1 : 0), F('ip.flags.mf', ip.mf ? 1 : 0)]),
    F('ip.frag_offset', ip.frag ?? 0),
    F('ip.ttl', ip.ttl),
    F('ip.proto', ip.proto),
    F('ip.src', ipv4(ip.src)),
    H('ip.addr', ipv4(ip.src)),
    F('ip.dst', ipv4(ip.dst)),
    H('ip.addr', ipv4(ip.dst)),
    ...kids,
  ]);
}

interface TcpSpec {
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
  win: number;
  stream: number;
  mss?: number;
  payload?: Uint8Array;
  /** relative seq/ack as tshark shows them */
  relSeq: number;
  relAck: number;
  extra?: Node[];
}

function tcpBytes(t: TcpSpec): number[] {
  const opts = t.mss ? [2, 4, ...u16(t.mss)] : [];
  const hdr = 20 + opts.length;
  return [
    ...u16(t.sport),
    ...u16(t.dport),
    ...u32(t.seq),
    ...u32(t.ack),
    (hdr / 4) << 4,
    t.flags,
    ...u16(t.win),
    0,
    0,
    0,
    0,
    ...opts,
    ...(t.payload ? be(t.payload) : []),
  ];
}

function tcpNode(t: TcpSpec, off: number): Node {
  const hdr = 20 + (t.mss ? 4 : 0);
  const plen = t.payload?.length ?? 0;
  const flag = (abbrev: string, bit: number) => F(abbrev, t.flags & bit ? 1 : 0);
  const kids: Node[] = [
    F('tcp.srcport', t.sport),
    F('tcp.dstport', t.dport),
    H('tcp.port', t.sport),
    H('tcp.port', t.dport),
    F('tcp.stream', t.stream),
    F('tcp.len', plen),
    F('tcp.seq', t.relSeq),
    F('tcp.ack', t.relAck),
    F('tcp.hdr_len', hdr),
    F('tcp.flags', t.flags, 0, 0, [
      flag('tcp.flags.ack', 0x10),
      flag('tcp.flags.push', 0x08),
      flag('tcp.flags.reset', 0x04),
      flag('tcp.flags.syn', 0x02),
      flag('tcp.flags.fin', 0x01),
    ]),
    F('tcp.window_size_value', t.win),
    F('tcp.window_size', t.win),
  ];
  if (t.mss) kids.push(P('tcp.options.mss', off + 20, 4, [F('tcp.options.mss_val', t.mss)]));
  if (t.extra) kids.push(...t.extra);
  if (plen) kids.push(F('tcp.payload', t.payload, off + hdr, plen));
  return P('tcp', off, hdr, kids);
}

export interface Fixture {
  name: string;
  pkt: Packet;
  bytes: Uint8Array;
  ts: { s: number; ns: number };
}

const fixtures: Fixture[] = [];
let prevT = 0;

function add(name: string, t: number, bytes: number[], build: (spec: FrameSpec, len: number, prev: number) => Node[]): void {
  const num = fixtures.length + 1;
  const b = Uint8Array.from(bytes);
  const sec = Math.floor(t);
  const ts = { s: T0 + sec, ns: Math.round((t - sec) * 1e9) };
  const tree = build({ num, t }, b.length, prevT);
  fixtures.push({ name, pkt: packet(num, b, tree, ts), bytes: b, ts });
  prevT = t;
}

const CLIENT_MAC = '00:11:22:33:44:55';
const SERVER_MAC = '00:00:5e:00:53:01';

// 1: TCP SYN with an MSS option, 10.0.0.1:43874 → 192.168.1.20:80
{
  const tcp: TcpSpec = { sport: 43874, dport: 80, seq: 1000, ack: 0, flags: 0x002, win: 64240, stream: 0, mss: 1460, relSeq: 0, relAck: 0 };
  const ip: IpSpec = { src: '10.0.0.1', dst: '192.168.1.20', proto: 6, ttl: 64, id: 0x1c46, df: true };
  const eth = ethNode(SERVER_MAC, CLIENT_MAC, 0x0800);
  const tb = tcpBytes(tcp);
  add('syn', 0, [...eth.bytes, ...ipHeader(ip, tb.length), ...tb], (s, len, prev) => [
    frameNode(s, len, 'eth:ethertype:ip:tcp', prev),
    eth.node,
    ipNode(ip, 14, tb.length),
    tcpNode(tcp, 34),
  ]);
}

// 2: SYN/ACK back, with the RTT tshark computes
{
  const tcp: TcpSpec = {
    sport: 80,
    dport: 43874,
    seq: 5000,
    ack: 1001,
    flags: 0x012,
    win: 65160,
    stream: 0,
    mss: 1400,
    relSeq: 0,
    relAck: 1,
    extra: [F('tcp.analysis.ack_rtt', 0.015)],
  };
  const ip: IpSpec = { src: '192.168.1.20', dst: '10.0.0.1', proto: 6, ttl: 57, id: 0, df: true };
  const eth = ethNode(CLIENT_MAC, SERVER_MAC, 0x0800);
  const tb = tcpBytes(tcp);
  add('synack', 0.015, [...eth.bytes, ...ipHeader(ip, tb.length), ...tb], (s, len, prev) => [
    frameNode(s, len, 'eth:ethertype:ip:tcp', prev),
    eth.node,
    ipNode(ip, 14, tb.length),
    tcpNode(tcp, 34),
  ]);
}

// 3: HTTP GET
{
  const payload = ascii('GET /index.html HTTP/1.1\r\nHost: www.example.com\r\n\r\n');
  const tcp: TcpSpec = {
    sport: 43874,
    dport: 80,
    seq: 1001,
    ack: 5001,
    flags: 0x018,
    win: 502,
    stream: 0,
    payload,
    relSeq: 1,
    relAck: 1,
    extra: [F('tcp.analysis.ack_rtt', 0.485)],
  };
  const ip: IpSpec = { src: '10.0.0.1', dst: '192.168.1.20', proto: 6, ttl: 64, id: 0x1c47, df: true };
  const eth = ethNode(SERVER_MAC, CLIENT_MAC, 0x0800);
  const tb = tcpBytes(tcp);
  const httpOff = 14 + 20 + 20;
  add('get', 0.5, [...eth.bytes, ...ipHeader(ip, tb.length), ...tb], (s, len, prev) => [
    frameNode(s, len, 'eth:ethertype:ip:tcp:http', prev),
    eth.node,
    ipNode(ip, 14, tb.length),
    tcpNode(tcp, 34),
    P('http', httpOff, payload.length, [
      F('http.request.method', 'GET'),
      F('http.request.uri', '/index.html'),
      F('http.host', 'www.example.com'),
      F('http.request', 1),
    ]),
  ]);
}

// 4: DNS query over UDP/IPv6 for www.google.com
{
  const qname = [3, ...ascii('www'), 6, ...ascii('google'), 3, ...ascii('com'), 0];
  const dns = [...u16(0xbeef), 0x01, 0x00, ...u16(1), ...u16(0), ...u16(0), ...u16(0), ...qname, ...u16(1), ...u16(1)];
  const udpLen = 8 + dns.length;
  const src = ipv6('2001:db8::1');
  const dst = ipv6('2001:db8::53');
  const eth = ethNode(SERVER_MAC, CLIENT_MAC, 0x86dd);
  const ip6 = [0x60, 0, 0, 0, ...u16(udpLen), 17, 64, ...src, ...dst];
  const udp = [...u16(5353), ...u16(53), ...u16(udpLen), 0, 0];
  add('dns', 1.25, [...eth.bytes, ...ip6, ...udp, ...dns], (s, len, prev) => [
    frameNode(s, len, 'eth:ethertype:ipv6:udp:dns', prev),
    eth.node,
    P('ipv6', 14, 40 + udpLen, [
      H('ip.version', 6),
      F('ipv6.nxt', 17),
      F('ipv6.hlim', 64),
      F('ipv6.src', src, 22, 16),
      H('ipv6.addr', src),
      F('ipv6.dst', dst, 38, 16),
      H('ipv6.addr', dst),
    ]),
    P('udp', 54, 8, [
      F('udp.srcport', 5353),
      F('udp.dstport', 53),
      H('udp.port', 5353),
      H('udp.port', 53),
      F('udp.length', udpLen),
      F('udp.stream', 0),
    ]),
    P('dns', 62, dns.length, [F('dns.id', 0xbeef), F('dns.flags.response', 0), F('dns.qry.name', 'www.google.com')]),
  ]);
}

// 5: ICMP port unreachable quoting the IPv4/UDP header it refers to (two IP layers)
{
  const inner: IpSpec = { src: '10.0.0.1', dst: '192.168.1.20', proto: 17, ttl: 63, id: 0x4242 };
  const innerUdp = [...u16(40000), ...u16(53), ...u16(8), 0, 0];
  const innerIp = [...ipHeader(inner, 8), ...innerUdp];
  const icmp = [3, 3, 0, 0, 0, 0, 0, 0, ...innerIp];
  const outer: IpSpec = { src: '192.168.1.1', dst: '10.0.0.1', proto: 1, ttl: 255, id: 0x0001 };
  const eth = ethNode(CLIENT_MAC, SERVER_MAC, 0x0800);
  add('icmperr', 2, [...eth.bytes, ...ipHeader(outer, icmp.length), ...icmp], (s, len, prev) => [
    frameNode(s, len, 'eth:ethertype:ip:icmp:ip:udp', prev),
    eth.node,
    ipNode(outer, 14, icmp.length),
    P('icmp', 34, icmp.length, [
      F('icmp.type', 3),
      F('icmp.code', 3),
      ipNode(inner, 42, 8),
      P('udp', 62, 8, [
        F('udp.srcport', 40000),
        F('udp.dstport', 53),
        H('udp.port', 40000),
        H('udp.port', 53),
        F('udp.length', 8),
        F('udp.stream', 1),
      ]),
    ]),
  ]);
}

// 6: ARP request, broadcast
{
  const eth = ethNode('ff:ff:ff:ff:ff:ff', CLIENT_MAC, 0x0806);
  const arp = [0, 1, 8, 0, 6, 4, 0, 1, ...mac(CLIENT_MAC), ...u32(ipv4('10.0.0.1')), 0, 0, 0, 0, 0, 0, ...u32(ipv4('10.0.0.2'))];
  const pad = new Array(60 - 14 - arp.length).fill(0);
  add('arp', 2.75, [...eth.bytes, ...arp, ...pad], (s, len, prev) => [
    frameNode(s, len, 'eth:ethertype:arp', prev),
    eth.node,
    P('arp', 14, 28, [F('arp.opcode', 1)]),
  ]);
}

export const FIXTURES: readonly Fixture[] = fixtures;

export function names(match: (p: Packet) => boolean): string[] {
  return FIXTURES.filter((f) => match(f.pkt)).map((f) => f.name);
}

export { hex };
