// Builds the ladder's per-packet facts (LadderPacket) from a dissected Packet, reading fields by their
// abbrevs. Works on a full tree or on a flat item list (Packet `keep` = a set of field ids, see
// ladderKeepSet), and tolerates any field being absent.

import type { Item, Packet } from '../dissect/packet';
import { getField, type Value } from '../fields/registry';
import { ipv4ToString, ipv6ToString } from '../fields/format';
import { cleanInfo } from './ladder-labels';
import type { BadgeKind, LadderPacket, LadderTransport, TcpOptionsSummary } from './ladder-types';

/** Wireshark's analysis fields and the badge each one gives. */
const ANALYSIS: Record<string, BadgeKind> = {
  'tcp.analysis.retransmission': 'retransmission',
  'tcp.analysis.fast_retransmission': 'fast_retransmission',
  'tcp.analysis.spurious_retransmission': 'spurious_retransmission',
  'tcp.analysis.duplicate_ack': 'dup_ack',
  'tcp.analysis.zero_window': 'zero_window',
  'tcp.analysis.zero_window_probe': 'zero_window_probe',
  'tcp.analysis.zero_window_probe_ack': 'zero_window_probe_ack',
  'tcp.analysis.out_of_order': 'out_of_order',
  'tcp.analysis.lost_segment': 'lost_segment',
  'tcp.analysis.ack_lost_segment': 'ack_lost_segment',
  'tcp.analysis.window_update': 'window_update',
  'tcp.analysis.window_full': 'window_full',
  'tcp.analysis.keep_alive': 'keep_alive',
  'tcp.analysis.keep_alive_ack': 'keep_alive_ack',
  'tcp.analysis.reused_ports': 'reused_ports',
};

/** Every field the ladder reads (a Packet that keeps these has all it needs). */
export const LADDER_FIELDS: readonly string[] = [
  'frame.time_relative',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp',
  'udp',
  'icmp',
  'icmpv6',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.stream',
  'tcp.flags',
  'tcp.seq',
  'tcp.ack',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.len',
  'tcp.window_size',
  'tcp.window_size_value',
  'tcp.options.mss_val',
  'tcp.options.wscale.shift',
  'tcp.options.sack_perm',
  'tcp.option_kind',
  'tcp.options.timestamp.tsval',
  'tcp.options.timestamp.tsecr',
  ...Object.keys(ANALYSIS),
  'udp.srcport',
  'udp.dstport',
  'udp.length',
  'udp.stream',
  'icmp.type',
  'icmp.code',
  'icmpv6.type',
  'icmpv6.code',
  'http.request.method',
  'http.request.uri',
  'http.request.version',
  'http.response.version',
  'http.response.code',
  'http.response.phrase',
  'tls.handshake.type',
  'tls.record.content_type',
  'dns',
  'http',
  'tls',
];

/** Ids of LADDER_FIELDS that are registered, for `new Packet(..., keep)`: a flat, cheap dissection. */
export function ladderKeepSet(): Set<number> {
  const s = new Set<number>();
  for (const a of LADDER_FIELDS) {
    const f = getField(a);
    if (f) s.add(f.id);
  }
  return s;
}

const TRANSPORTS: Record<string, LadderTransport> = { tcp: 'tcp', udp: 'udp', icmp: 'icmp', icmpv6: 'icmp' };

function addrText(v: Value | undefined): string | undefined {
  if (typeof v === 'number') return ipv4ToString(v);
  if (v instanceof Uint8Array && v.length === 16) return ipv6ToString(v);
  if (typeof v === 'string') return v;
  return undefined;
}

const num = (v: Value | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** A relative time: seconds as a number, or a { s, ns } pair. */
function seconds(v: Value | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (v && typeof v === 'object' && 's' in v && 'ns' in v) return v.s + v.ns / 1e9;
  return undefined;
}
const str = (v: Value | undefined): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

const TLS_HANDSHAKE: Record<number, string> = {
  1: 'Client Hello',
  2: 'Server Hello',
  4: 'New Session Ticket',
  8: 'Encrypted Extensions',
  11: 'Certificate',
  12: 'Server Key Exchange',
  13: 'Certificate Request',
  14: 'Server Hello Done',
  15: 'Certificate Verify',
  16: 'Client Key Exchange',
  20: 'Finished',
};
const TLS_CONTENT: Record<number, string> = { 20: 'Change Cipher Spec', 21: 'Alert', 23: 'Application Data' };

/** What a Packet-like object must offer (a Packet, or anything shaped like one). */
export type PacketLike = Pick<Packet, 'items' | 'info' | 'layers' | 'experts' | 'meta'>;

export interface FromPacketOptions {
  /** absolute time of the capture's first frame, used when frame.time_relative is not in the items */
  firstSec?: number;
  firstNsec?: number;
}

/** The ladder facts of one packet, or null when it is not TCP, UDP or ICMP (or has no addresses). */
export function ladderPacketFromPacket(pkt: PacketLike, opts: FromPacketOptions = {}): LadderPacket | null {
  let src: string | undefined;
  let dst: string | undefined;
  let transport: LadderTransport | undefined;
  const first = new Map<string, Value | undefined>();
  const present = new Set<string>();
  const optionKinds: number[] = [];
  const tlsTypes: number[] = [];
  const tlsContent: number[] = [];

  const visit = (it: Item) => {
    const a = it.f.abbrev;
    if (!transport) {
      if (a === 'ip.src' || a === 'ipv6.src') src = addrText(it.v) ?? src;
      else if (a === 'ip.dst' || a === 'ipv6.dst') dst = addrText(it.v) ?? dst;
      else transport = TRANSPORTS[it.f.proto];
    }
    // past the transport, only its own fields count (an ICMP error quotes a UDP/TCP header)
    const tp = TRANSPORTS[it.f.proto];
    if (tp === undefined || tp === transport) {
      present.add(a);
      if (!first.has(a)) first.set(a, it.v);
      if (a === 'tcp.option_kind' && typeof it.v === 'number') optionKinds.push(it.v);
    }
    if (a === 'tls.handshake.type' && typeof it.v === 'number') tlsTypes.push(it.v);
    if (a === 'tls.record.content_type' && typeof it.v === 'number') tlsContent.push(it.v);
    if (it.children) for (const c of it.children) visit(c);
  };
  for (const it of pkt.items) visit(it);
  if (!transport || !src || !dst) return null;

  const g = (a: string) => first.get(a);
  let timeSec = seconds(g('frame.time_relative'));
  if (timeSec === undefined) {
    const m = pkt.meta;
    timeSec = m.tsSec - (opts.firstSec ?? 0) + (m.tsNsec - (opts.firstNsec ?? 0)) / 1e9;
  }
  const out: LadderPacket = { frame: pkt.meta.num, timeSec, srcAddr: src, dstAddr: dst, transport, flags: 0 };
  const badges: BadgeKind[] = [];
  const addBadge = (b: BadgeKind) => {
    if (!badges.includes(b)) badges.push(b);
  };
  for (const [abbrev, kind] of Object.entries(ANALYSIS)) if (present.has(abbrev)) addBadge(kind);
  for (const e of pkt.experts) {
    const kind = e.abbrev ? ANALYSIS[e.abbrev] : undefined;
    if (kind) addBadge(kind);
  }

  if (transport === 'tcp') {
    out.srcPort = num(g('tcp.srcport'));
    out.dstPort = num(g('tcp.dstport'));
    out.flags = num(g('tcp.flags')) ?? 0;
    out.seq = num(g('tcp.seq'));
    out.ack = num(g('tcp.ack'));
    out.seqRaw = num(g('tcp.seq_raw'));
    out.ackRaw = num(g('tcp.ack_raw'));
    out.len = num(g('tcp.len'));
    out.win = num(g('tcp.window_size')) ?? num(g('tcp.window_size_value'));
    out.stream = num(g('tcp.stream'));
    const o: TcpOptionsSummary = {};
    const mss = num(g('tcp.options.mss_val'));
    if (mss !== undefined) o.mss = mss;
    const ws = num(g('tcp.options.wscale.shift'));
    if (ws !== undefined) o.ws = ws;
    if (present.has('tcp.options.sack_perm') || optionKinds.includes(4)) o.sackPerm = true;
    const tsval = num(g('tcp.options.timestamp.tsval'));
    if (tsval !== undefined) o.ts = { val: tsval, ecr: num(g('tcp.options.timestamp.tsecr')) };
    if (Object.keys(o).length) out.options = o;
  } else if (transport === 'udp') {
    out.srcPort = num(g('udp.srcport'));
    out.dstPort = num(g('udp.dstport'));
    const l = num(g('udp.length'));
    if (l !== undefined) out.len = Math.max(0, l - 8);
    out.stream = num(g('udp.stream'));
  }
  // drop undefined keys so the facts stay compact (they are sent between threads)
  for (const k of Object.keys(out) as (keyof LadderPacket)[]) if (out[k] === undefined) delete out[k];

  const info = cleanInfo(pkt.info.text ?? '');
  const app = appSummary(pkt, g, tlsTypes, tlsContent, info);
  if (app) out.app = app;
  if (transport !== 'tcp' && info) out.info = info;
  if (badges.length) out.badges = badges;
  return out;
}

/** A TCP-style Info ("43874 → 80 [ACK] Seq=…") is not an application summary. */
const TRANSPORT_INFO = /^(\[[^\]]*\]\s*)*\d+\s*(→|->|>)\s*\d+\b/;

function appSummary(
  pkt: PacketLike,
  g: (a: string) => Value | undefined,
  tlsTypes: number[],
  tlsContent: number[],
  info: string,
): string | undefined {
  const method = str(g('http.request.method'));
  if (method) return [method, str(g('http.request.uri')), str(g('http.request.version'))].filter(Boolean).join(' ');
  const code = str(g('http.response.code'));
  if (code) return [str(g('http.response.version')), code, str(g('http.response.phrase'))].filter(Boolean).join(' ');
  const layers = pkt.layers;
  const has = (p: string) => layers.includes(p) || g(p) !== undefined;
  const infoApp = info && !TRANSPORT_INFO.test(info) ? info.replace(/^(\[[^\]]*\]\s*)+/, '') : '';
  if (has('tls') || has('ssl') || tlsTypes.length || tlsContent.length) {
    if (infoApp) return infoApp;
    const names = tlsTypes.map((t) => TLS_HANDSHAKE[t] ?? `Handshake ${t}`);
    for (const c of tlsContent) if (c !== 22 && TLS_CONTENT[c]) names.push(TLS_CONTENT[c]!);
    return names.length ? [...new Set(names)].join(', ') : undefined;
  }
  if (has('dns') || has('mdns') || has('http') || has('dhcp')) return infoApp || undefined;
  return undefined;
}
