// Conversation tables (Ethernet, IPv4, IPv6, TCP, UDP) as tshark's `-z conv,TYPE` counts them: one row per
// address pair (TCP and UDP: per stream), address A being the sender of the conversation's first packet;
// packets and bytes (frame lengths on the wire) in total and per direction, start relative to the
// capture's first frame, and duration. Layers quoted inside ICMP errors are not counted.
//
//   const c = new ConversationCollector(firstSec, firstNsec);
//   for (each frame) c.add(cap.dissect(num, false, conversationKeepSet()));
//   c.tables()   // { eth: ConvRow[], ipv4: …, ipv6: …, tcp: …, udp: … } in order of first appearance

import type { Packet } from '../dissect/packet';
import { getField, type Value } from '../fields/registry';
import { etherToString, ipv4ToString, ipv6ToString } from '../fields/format';
import type { Capture } from '../capture';

export type ConvKind = 'eth' | 'ipv4' | 'ipv6' | 'tcp' | 'udp';
export const CONV_KINDS: readonly ConvKind[] = ['eth', 'ipv4', 'ipv6', 'tcp', 'udp'];

export interface ConvRow {
  kind: ConvKind;
  addrA: string;
  addrB: string;
  /** TCP/UDP only */
  portA?: number;
  portB?: number;
  /** tcp.stream / udp.stream */
  stream?: number;
  packets: number;
  bytes: number;
  packetsAB: number;
  bytesAB: number;
  packetsBA: number;
  bytesBA: number;
  /** seconds from the capture's first frame to the conversation's earliest packet */
  relStart: number;
  /** seconds from the earliest to the latest packet */
  duration: number;
  firstFrame: number;
  lastFrame: number;
}

export type ConvTables = Record<ConvKind, ConvRow[]>;

const FIELDS = [
  'eth.src',
  'eth.dst',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.fraghdr.offset',
  'ipv6.fraghdr.more',
  'ipv6.fragments',
  'icmp',
  'icmpv6',
  'tcp',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.stream',
  'udp',
  'udp.srcport',
  'udp.dstport',
  'udp.stream',
];

/** Field ids to keep (flat) when dissecting frames for the conversation tables. */
export function conversationKeepSet(): Set<number> {
  const s = new Set<number>();
  for (const a of FIELDS) {
    const f = getField(a);
    if (f) s.add(f.id);
  }
  return s;
}

function addrText(v: Value | undefined, kind: 'eth' | 'ipv4' | 'ipv6'): string | undefined {
  if (kind === 'ipv4') return typeof v === 'number' ? ipv4ToString(v) : undefined;
  if (!(v instanceof Uint8Array)) return undefined;
  if (kind === 'ipv6') return v.length === 16 ? ipv6ToString(v) : undefined;
  return v.length === 6 ? etherToString(v) : undefined;
}

interface Acc {
  row: ConvRow;
  /** earliest and latest time, seconds from the capture's first frame */
  tMin: number;
  tMax: number;
}

/** One layer's endpoints found in a packet. */
interface Pair {
  kind: ConvKind;
  src: string;
  dst: string;
  sp?: number;
  dp?: number;
  stream?: number;
  /** IPv6: a fragment (not atomic), and whether it completed a reassembly here */
  frag?: boolean;
  reassembled?: boolean;
}

/** The conversation endpoints of a packet dissected with conversationKeepSet(), outer layers first. */
export function conversationPairs(pkt: Pick<Packet, 'items'>): Pair[] {
  const out: Pair[] = [];
  let ethSrc: string | undefined;
  let ipSrc: string | undefined;
  let ipDst: string | undefined;
  let ipKind: 'ipv4' | 'ipv6' | undefined;
  let tp: Pair | null = null;
  let v6: Pair | null = null;
  for (const it of pkt.items) {
    const a = it.f.abbrev;
    switch (a) {
      case 'icmp':
      case 'icmpv6':
        // what follows is quoted inside an ICMP error (or is ICMP's own data): not a conversation
        return out;
      case 'eth.src':
        ethSrc = addrText(it.v, 'eth');
        break;
      case 'eth.dst': {
        // eth.dst comes first in the header, eth.src second; take the pair when both are known
        const d = addrText(it.v, 'eth');
        if (d !== undefined) out.push({ kind: 'eth', src: '', dst: d });
        break;
      }
      case 'ip.src':
      case 'ipv6.src':
        ipKind = a === 'ip.src' ? 'ipv4' : 'ipv6';
        ipSrc = addrText(it.v, ipKind);
        ipDst = undefined;
        break;
      case 'ip.dst':
      case 'ipv6.dst':
        ipDst = addrText(it.v, a === 'ip.dst' ? 'ipv4' : 'ipv6');
        if (ipSrc !== undefined && ipDst !== undefined && ipKind) {
          const p: Pair = { kind: ipKind, src: ipSrc, dst: ipDst };
          out.push(p);
          v6 = ipKind === 'ipv6' ? p : null;
        }
        break;
      case 'ipv6.fraghdr.offset':
      case 'ipv6.fraghdr.more':
        // a fragment that is not atomic: counted only in the frame that reassembles it (like tshark)
        if (v6 && Number(it.v)) v6.frag = true;
        break;
      case 'ipv6.fragments':
        if (v6) v6.reassembled = true;
        break;
      case 'tcp':
      case 'udp':
        tp = ipSrc !== undefined && ipDst !== undefined ? { kind: a, src: ipSrc, dst: ipDst } : null;
        if (tp) out.push(tp);
        break;
      case 'tcp.srcport':
      case 'udp.srcport':
        if (tp && tp.sp === undefined) tp.sp = Number(it.v);
        break;
      case 'tcp.dstport':
      case 'udp.dstport':
        if (tp && tp.dp === undefined) tp.dp = Number(it.v);
        break;
      case 'tcp.stream':
      case 'udp.stream':
        if (tp && tp.stream === undefined) tp.stream = Number(it.v);
        break;
    }
    // fill in the Ethernet source (it follows the destination in the header)
    if (a === 'eth.src') {
      for (let i = out.length - 1; i >= 0; i--) {
        const p = out[i]!;
        if (p.kind === 'eth' && p.src === '') {
          if (ethSrc !== undefined) p.src = ethSrc;
          break;
        }
      }
    }
  }
  return out.filter((p) => p.src !== '' && !(p.frag && !p.reassembled) && (p.kind === 'eth' || p.kind === 'ipv4' || p.kind === 'ipv6' || (p.sp !== undefined && p.dp !== undefined)));
}

export class ConversationCollector {
  private readonly maps: Record<ConvKind, Map<string, Acc>> = {
    eth: new Map(),
    ipv4: new Map(),
    ipv6: new Map(),
    tcp: new Map(),
    udp: new Map(),
  };
  /** frames added */
  count = 0;

  /** `sec0`/`nsec0`: the time of the capture's first frame (relative starts are measured from it; 0 when it has none) */
  constructor(
    private readonly sec0: number,
    private readonly nsec0: number,
  ) {}

  /** Count one frame (dissected with conversationKeepSet()). */
  add(pkt: Pick<Packet, 'items' | 'meta'>): void {
    this.count++;
    const m = pkt.meta;
    const len = m.origLen;
    // a frame without a timestamp counts as time 0 (the epoch), as tshark does
    const t = m.hasTs === false ? -this.sec0 - this.nsec0 / 1e9 : m.tsSec - this.sec0 + (m.tsNsec - this.nsec0) / 1e9;
    for (const p of conversationPairs(pkt)) {
      const map = this.maps[p.kind];
      const ported = p.kind === 'tcp' || p.kind === 'udp';
      let key: string;
      if (ported && p.stream !== undefined) key = String(p.stream);
      else {
        const a = ported ? `${p.src}/${p.sp}` : p.src;
        const b = ported ? `${p.dst}/${p.dp}` : p.dst;
        key = a < b ? `${a}|${b}` : `${b}|${a}`;
      }
      let acc = map.get(key);
      if (!acc) {
        const row: ConvRow = {
          kind: p.kind,
          addrA: p.src,
          addrB: p.dst,
          packets: 0,
          bytes: 0,
          packetsAB: 0,
          bytesAB: 0,
          packetsBA: 0,
          bytesBA: 0,
          relStart: t,
          duration: 0,
          firstFrame: m.num,
          lastFrame: m.num,
        };
        if (ported) {
          row.portA = p.sp;
          row.portB = p.dp;
          if (p.stream !== undefined) row.stream = p.stream;
        }
        acc = { row, tMin: t, tMax: t };
        map.set(key, acc);
      }
      const r = acc.row;
      const fromA = p.src === r.addrA && (!ported || p.sp === r.portA);
      r.packets++;
      r.bytes += len;
      if (fromA) {
        r.packetsAB++;
        r.bytesAB += len;
      } else {
        r.packetsBA++;
        r.bytesBA += len;
      }
      r.lastFrame = m.num;
      if (t < acc.tMin) acc.tMin = t;
      if (t > acc.tMax) acc.tMax = t;
      r.relStart = acc.tMin;
      r.duration = acc.tMax - acc.tMin;
    }
  }

  /** The tables so far, rows in order of first appearance (copies). */
  tables(): ConvTables {
    const out = {} as ConvTables;
    for (const k of CONV_KINDS) out[k] = [...this.maps[k].values()].map((a) => ({ ...a.row }));
    return out;
  }
}

/** Conversation tables of all frames read so far. */
export function computeConversations(cap: Capture): ConvTables {
  const n = cap.frames.count;
  const first = n ? cap.meta(1) : null;
  const c = new ConversationCollector(first?.hasTs ? first.tsSec : 0, first?.hasTs ? first.tsNsec : 0);
  const keep = conversationKeepSet();
  for (let num = 1; num <= n; num++) c.add(cap.dissect(num, false, keep));
  return c.tables();
}

/** The display filter selecting one conversation (Wireshark's "Apply as Filter" on a conversation row). */
export function conversationFilter(r: Pick<ConvRow, 'kind' | 'addrA' | 'addrB' | 'portA' | 'portB' | 'stream'>): string {
  switch (r.kind) {
    case 'eth':
      return `eth.addr==${r.addrA} && eth.addr==${r.addrB}`;
    case 'ipv4':
      return `ip.addr==${r.addrA} && ip.addr==${r.addrB}`;
    case 'ipv6':
      return `ipv6.addr==${r.addrA} && ipv6.addr==${r.addrB}`;
    case 'tcp':
    case 'udp': {
      if (r.stream !== undefined) return `${r.kind}.stream eq ${r.stream}`;
      const ip = r.addrA.includes(':') || r.addrB.includes(':') ? 'ipv6' : 'ip';
      return `${ip}.addr==${r.addrA} && ${r.kind}.port==${r.portA} && ${ip}.addr==${r.addrB} && ${r.kind}.port==${r.portB}`;
    }
  }
}

/** 'addr:port' for a TCP/UDP endpoint ('[v6]:port'), else the address. */
export function endpointText(addr: string, port?: number): string {
  if (port === undefined) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}
