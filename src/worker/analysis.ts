// The worker's analysis answers: the sequence diagram of a conversation, Follow TCP/UDP stream, and the
// conversation tables collected in slices. Only the frames of the conversation asked for are dissected
// (with just the fields needed); TCP/UDP stream membership comes from the first pass (core/analysis/streams).

import type { Capture } from '../core/capture';
import { buildLadder, type LadderModel, type LadderPacket } from '../core/analysis/ladder';
import { ladderKeepSet, ladderPacketFromPacket } from '../core/analysis/ladder-from-packet';
import { endpointLabel } from '../core/analysis/ladder-labels';
import { followStream } from '../core/analysis/follow';
import { streamFrames, tcpStreamCount, tcpStreamOf, udpStreamOf } from '../core/analysis/streams';
import { getField, type Value } from '../core/fields/registry';
import { etherToString, ipv4ToString, ipv6ToString } from '../core/fields/format';
import type { ConvRef, ConvTarget, FollowPayload } from './protocol';

let ladderKeep: Set<number> | null = null;
let icmpKeep: Set<number> | null = null;

function keepOf(abbrevs: string[]): Set<number> {
  const s = new Set<number>();
  for (const a of abbrevs) {
    const f = getField(a);
    if (f) s.add(f.id);
  }
  return s;
}

function ladderPackets(cap: Capture, frames: ArrayLike<number>): LadderPacket[] {
  ladderKeep ??= ladderKeepSet();
  const out: LadderPacket[] = [];
  for (let i = 0; i < frames.length; i++) {
    const p = ladderPacketFromPacket(cap.dissect(frames[i]!, false, ladderKeep));
    if (p) out.push(p);
  }
  return out;
}

function addr(v: Value | undefined): string | undefined {
  if (typeof v === 'number') return ipv4ToString(v);
  if (v instanceof Uint8Array && v.length === 16) return ipv6ToString(v);
  return undefined;
}

/** The outer addresses and first transport of a frame (dissected with icmpKeep), for ICMP conversations. */
function icmpPair(cap: Capture, num: number): string | null {
  icmpKeep ??= keepOf(['ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'icmp', 'icmpv6', 'tcp', 'udp']);
  let src: string | undefined;
  let dst: string | undefined;
  for (const it of cap.dissect(num, false, icmpKeep).items) {
    const a = it.f.abbrev;
    if (a === 'ip.src' || a === 'ipv6.src') src = addr(it.v);
    else if (a === 'ip.dst' || a === 'ipv6.dst') dst = addr(it.v);
    else if (a === 'icmp' || a === 'icmpv6') return src && dst ? (src < dst ? `${src}|${dst}` : `${dst}|${src}`) : null;
    else return null;
  }
  return null;
}

export interface LadderAnswer {
  conv: ConvRef | null;
  model: LadderModel | null;
  reason?: string;
}

function convLabel(m: LadderModel): string {
  return `${m.endpoints[0].label} ⇄ ${m.endpoints[1].label}`;
}

/** The ladder model of a TCP/UDP stream or of the conversation of a frame (TCP, UDP or ICMP). */
export function ladderFor(cap: Capture, target: ConvTarget): LadderAnswer {
  const s = cap.session;
  if ('kind' in target) {
    const frames = streamFrames(s, target.kind, target.stream);
    if (!frames.length) return { conv: null, model: null, reason: `There is no ${target.kind.toUpperCase()} stream ${target.stream}.` };
    const model = buildLadder(ladderPackets(cap, frames), { stream: target.stream });
    return { conv: { kind: target.kind, stream: target.stream, filter: `${target.kind}.stream eq ${target.stream}`, label: convLabel(model) }, model };
  }
  const num = target.frame;
  if (num < 1 || num > cap.frames.count) return { conv: null, model: null, reason: `There is no frame ${num}.` };
  // the frame's own first transport decides (an ICMP error quoting TCP belongs to ICMP here)
  const own = ladderPackets(cap, [num])[0];
  if (!own) return { conv: null, model: null, reason: `Frame ${num} is not part of a TCP, UDP or ICMP conversation.` };
  if (own.transport === 'tcp' || own.transport === 'udp') {
    const stream = own.transport === 'tcp' ? tcpStreamOf(s, num) : udpStreamOf(s, num);
    if (stream >= 0) return ladderFor(cap, { kind: own.transport, stream });
  }
  // ICMP (or a TCP/UDP frame without a stream): the frames of the same transport between the same hosts
  const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const want = key(own.srcAddr, own.dstAddr);
  const frames: number[] = [];
  if (own.transport === 'icmp') {
    for (let n = 1; n <= cap.frames.count; n++) if (n === num || icmpPair(cap, n) === want) frames.push(n);
  } else frames.push(num);
  const model = buildLadder(ladderPackets(cap, frames));
  const [a, b] = [endpointLabel(own.srcAddr, undefined), endpointLabel(own.dstAddr, undefined)];
  const ipFilter = own.srcAddr.includes(':') ? 'ipv6.addr' : 'ip.addr';
  const proto = own.transport === 'icmp' ? (own.srcAddr.includes(':') ? 'icmpv6' : 'icmp') : own.transport;
  return {
    conv: { kind: 'icmp', filter: `${proto} && ${ipFilter}==${own.srcAddr} && ${ipFilter}==${own.dstAddr}`, label: `${a} ⇄ ${b}` },
    model,
  };
}

/** Follow the TCP/UDP stream of a frame, or a stream by index. */
export function followFor(cap: Capture, kind: 'tcp' | 'udp', frame?: number, stream?: number): { result: FollowPayload | null; reason?: string } {
  const s = cap.session;
  let n = stream ?? -1;
  if (frame !== undefined) {
    n = kind === 'tcp' ? tcpStreamOf(s, frame) : udpStreamOf(s, frame);
    if (n < 0) return { result: null, reason: `Frame ${frame} is not part of a ${kind.toUpperCase()} stream.` };
  }
  const max = kind === 'tcp' ? tcpStreamCount(s) - 1 : maxUdpStream(cap);
  if (n < 0 || n > max) return { result: null, reason: `There is no ${kind.toUpperCase()} stream ${n}.` };
  const r = followStream(cap, kind, n);
  let total = 0;
  for (const c of r.chunks) total += c.data.length;
  const data = new Uint8Array(total);
  const chunks: FollowPayload['chunks'] = [];
  let off = 0;
  for (const c of r.chunks) {
    data.set(c.data, off);
    const ch: FollowPayload['chunks'][number] = { frame: c.frame, dir: c.dir, start: off, len: c.data.length };
    if (c.missing !== undefined) ch.missing = c.missing;
    chunks.push(ch);
    off += c.data.length;
  }
  return {
    result: {
      proto: kind,
      stream: n,
      filter: r.filter,
      nodes: r.nodes ? [r.nodes[0].label, r.nodes[1].label] : null,
      chunks,
      data,
      bytes: r.bytes,
      packets: r.packets,
      turns: r.turns,
      maxStream: max,
    },
  };
}

let convKeep: Set<number> | null = null;

/**
 * The display filter of the conversation Go › Next/Previous Packet in Conversation moves in: the frame's TCP
 * stream, else its UDP stream, else its (first) IPv4 or IPv6 address pair, else its Ethernet address pair —
 * Wireshark builds it in the order TCP, UDP, IP, Ethernet. Null when the frame has none of them.
 */
export function conversationFilter(cap: Capture, num: number): string | null {
  const s = cap.session;
  const tcp = tcpStreamOf(s, num);
  if (tcp >= 0) return `tcp.stream eq ${tcp}`;
  const udp = udpStreamOf(s, num);
  if (udp >= 0) return `udp.stream eq ${udp}`;
  convKeep ??= keepOf(['ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'eth.src', 'eth.dst']);
  const pairs = new Map<string, [string?, string?]>();
  const put = (proto: string, i: 0 | 1, v: string | undefined) => {
    const p = pairs.get(proto) ?? [];
    if (v !== undefined && p[i] === undefined) p[i] = v;
    pairs.set(proto, p);
  };
  for (const it of cap.dissect(num, false, convKeep).items) {
    const [proto, f] = it.f.abbrev.split('.');
    if (f !== 'src' && f !== 'dst') continue;
    if (proto === 'eth') put('eth', f === 'src' ? 0 : 1, it.v instanceof Uint8Array && it.v.length === 6 ? etherToString(it.v) : undefined);
    else if (proto === 'ip' || proto === 'ipv6') put(proto, f === 'src' ? 0 : 1, addr(it.v));
  }
  for (const proto of ['ip', 'ipv6', 'eth']) {
    const [a, b] = pairs.get(proto) ?? [];
    if (a !== undefined && b !== undefined) return `${proto}.addr eq ${a} && ${proto}.addr eq ${b}`;
  }
  return null;
}

/** The highest UDP stream index seen (UDP keeps no stream list: read the per-frame data, cached per capture). */
const udpMax = new WeakMap<Capture, { frames: number; max: number }>();
function maxUdpStream(cap: Capture): number {
  const c = udpMax.get(cap) ?? { frames: 0, max: -1 };
  const n = cap.frames.count;
  for (let f = c.frames + 1; f <= n; f++) {
    const st = udpStreamOf(cap.session, f);
    if (st > c.max) c.max = st;
  }
  c.frames = n;
  udpMax.set(cap, c);
  return c.max;
}
