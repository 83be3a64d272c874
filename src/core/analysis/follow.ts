// Follow TCP / UDP stream: the payload of one conversation in order, as chunks per packet and direction,
// the way `tshark -z follow,tcp,raw,N` emits it: node 0 is the sender of the stream's first packet;
// for TCP each direction is put in sequence order, retransmitted bytes are emitted once, a segment that
// overlaps bytes already emitted contributes only its new bytes, and segments after a gap wait until the
// gap is filled.

import type { Packet } from '../dissect/packet';
import { getField, type Value } from '../fields/registry';
import { ipv4ToString, ipv6ToString } from '../fields/format';
import type { Capture } from '../capture';
import { streamFrames, type StreamKind } from './streams';

export type Dir = 0 | 1;

/** One packet's payload as follow needs it. */
export interface FollowSegment {
  frame: number;
  srcAddr: string;
  srcPort: number;
  dstAddr: string;
  dstPort: number;
  /** TCP only: raw sequence number and flags */
  seq?: number;
  ack?: number;
  flags?: number;
  /** the captured payload bytes */
  data: Uint8Array;
}

export interface FollowChunk {
  frame: number;
  /** 0: from node 0 (the client), 1: from node 1 (the server) */
  dir: Dir;
  data: Uint8Array;
  /** a '[N bytes missing in capture file]' notice for a gap the peer acknowledged (never captured) */
  missing?: number;
}

export interface FollowNode {
  addr: string;
  port: number;
  /** 'addr:port', '[v6]:port' */
  label: string;
}

export interface FollowResult {
  proto: StreamKind;
  stream: number;
  /** the display filter of this stream */
  filter: string;
  /** [client (node 0), server (node 1)]; null when the stream has no packets */
  nodes: [FollowNode, FollowNode] | null;
  chunks: FollowChunk[];
  /** payload bytes and chunks per direction */
  bytes: [number, number];
  packets: [number, number];
  /** changes of direction between consecutive chunks */
  turns: number;
}

const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;

export function nodeLabel(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

// -----------------------------------------------------------------------------------------------
// Facts from a dissected packet

const FOLLOW_FIELDS = [
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'icmp',
  'icmpv6',
  'tcp',
  'udp',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.flags',
  'tcp.payload',
  'udp.srcport',
  'udp.dstport',
  'udp.payload',
];

/** Field ids to keep (flat) when dissecting a frame for follow. */
export function followKeepSet(): Set<number> {
  const s = new Set<number>();
  for (const a of FOLLOW_FIELDS) {
    const f = getField(a);
    if (f) s.add(f.id);
  }
  return s;
}

export function addrText(v: Value | undefined): string | undefined {
  if (typeof v === 'number') return ipv4ToString(v);
  if (v instanceof Uint8Array && v.length === 16) return ipv6ToString(v);
  if (typeof v === 'string') return v;
  return undefined;
}

/**
 * The first `kind` layer of a packet dissected with followKeepSet() (flat items in dissection order), or
 * null when it has none outside an ICMP error.
 */
export function followSegmentOf(pkt: Pick<Packet, 'items' | 'meta'>, kind: StreamKind): FollowSegment | null {
  let src: string | undefined;
  let dst: string | undefined;
  let inLayer = false;
  let seg: FollowSegment | null = null;
  for (const it of pkt.items) {
    const a = it.f.abbrev;
    if (!inLayer) {
      if (a === 'ip.src' || a === 'ipv6.src') src = addrText(it.v) ?? src;
      else if (a === 'ip.dst' || a === 'ipv6.dst') dst = addrText(it.v) ?? dst;
      else if (a === 'icmp' || a === 'icmpv6') return null; // what follows is quoted in an ICMP error
      else if (a === kind) {
        if (src === undefined || dst === undefined) return null;
        inLayer = true;
        seg = { frame: pkt.meta.num, srcAddr: src, srcPort: 0, dstAddr: dst, dstPort: 0, data: EMPTY };
      } else if (a === 'tcp' || a === 'udp') return null;
      continue;
    }
    // inside the layer: stop at the next protocol layer of the same kind (a tunnel)
    if (a === kind || a === 'ip.src' || a === 'ipv6.src') break;
    const s = seg!;
    if (kind === 'tcp') {
      if (a === 'tcp.srcport') s.srcPort = Number(it.v);
      else if (a === 'tcp.dstport') s.dstPort = Number(it.v);
      else if (a === 'tcp.seq_raw') s.seq = Number(it.v) >>> 0;
      else if (a === 'tcp.ack_raw') s.ack = Number(it.v) >>> 0;
      else if (a === 'tcp.flags') s.flags = Number(it.v);
      else if (a === 'tcp.payload' && it.v instanceof Uint8Array && s.data === EMPTY) s.data = it.v;
    } else {
      if (a === 'udp.srcport') s.srcPort = Number(it.v);
      else if (a === 'udp.dstport') s.dstPort = Number(it.v);
      else if (a === 'udp.payload' && it.v instanceof Uint8Array && s.data === EMPTY) s.data = it.v;
    }
  }
  return seg;
}

const EMPTY = new Uint8Array(0);

// -----------------------------------------------------------------------------------------------
// Ordering

/** a - b modulo 2^32, as a signed 32-bit distance */
const seqDiff = (a: number, b: number) => (a - b) | 0;

interface Pending {
  frame: number;
  seq: number;
  data: Uint8Array;
}

type Emit = (frame: number, data: Uint8Array, missing?: number) => void;

const enc = new TextEncoder();

/** In-order reassembly of one direction of a TCP stream. */
class Direction {
  /** next expected sequence number, once known */
  next = 0;
  known = false;
  pending: Pending[] = [];
  /** the highest acknowledgment number the peer has sent for this direction, once seen */
  peerAck = 0;
  peerAckKnown = false;

  ack(n: number): void {
    if (!this.peerAckKnown || seqDiff(n, this.peerAck) > 0) this.peerAck = n;
    this.peerAckKnown = true;
  }

  /** Offer a segment; calls `emit` for each run of new in-order bytes (possibly several, from waiting segments). */
  offer(frame: number, seq: number, flags: number, data: Uint8Array, emit: Emit): void {
    if (flags & TCP_SYN) {
      if (!this.known) {
        this.next = (seq + 1) >>> 0;
        this.known = true;
      }
      seq = (seq + 1) >>> 0; // data in a SYN starts after it
    }
    if (!data.length) return;
    if (!this.known) {
      this.next = seq;
      this.known = true;
    }
    if (seqDiff(seq, this.next) > 0) {
      // after a gap: wait for the bytes before it, unless the peer has already acknowledged them (they
      // were sent but not captured): then say how many are missing and go on from the first segment after it
      this.pending.push({ frame, seq, data });
      if (!this.peerAckKnown || seqDiff(this.peerAck, seq) < 0) return;
      let first = this.pending[0]!;
      for (const p of this.pending) if (seqDiff(p.seq, first.seq) < 0) first = p;
      const gap = seqDiff(first.seq, this.next);
      emit(frame, enc.encode(`[${gap} bytes missing in capture file]\0`), gap);
      this.next = first.seq;
      this.drain(emit);
      return;
    }
    this.take(frame, seq, data, emit);
    this.drain(emit);
  }

  /** Emit the part of [seq, seq+len) beyond `next`, if any. */
  private take(frame: number, seq: number, data: Uint8Array, emit: Emit): void {
    const skip = seqDiff(this.next, seq);
    if (skip >= data.length) return; // all of it was emitted before
    const fresh = skip > 0 ? data.subarray(skip) : data;
    emit(frame, fresh);
    this.next = (seq + data.length) >>> 0;
  }

  /** Emit waiting segments that the expected sequence number has reached, in sequence order. */
  private drain(emit: Emit): void {
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.pending.length; i++) {
        const p = this.pending[i]!;
        if (seqDiff(p.seq, this.next) > 0) continue;
        if (best < 0 || seqDiff(p.seq, this.pending[best]!.seq) < 0) best = i;
      }
      if (best < 0) return;
      const p = this.pending.splice(best, 1)[0]!;
      this.take(p.frame, p.seq, p.data, emit);
    }
  }
}

/**
 * Chunks of a stream from its segments in capture order. Node 0 is the sender of the first segment
 * (including segments without payload).
 */
export function followChunks(kind: StreamKind, segments: Iterable<FollowSegment>): { nodes: [FollowNode, FollowNode] | null; chunks: FollowChunk[] } {
  let nodes: [FollowNode, FollowNode] | null = null;
  const chunks: FollowChunk[] = [];
  const dirs: [Direction, Direction] = [new Direction(), new Direction()];
  for (const s of segments) {
    if (!nodes) {
      nodes = [
        { addr: s.srcAddr, port: s.srcPort, label: nodeLabel(s.srcAddr, s.srcPort) },
        { addr: s.dstAddr, port: s.dstPort, label: nodeLabel(s.dstAddr, s.dstPort) },
      ];
    }
    const n0 = nodes[0];
    // the same address and port on both sides (a loop): node 0 is the sender of the first segment
    const dir: Dir = s.srcAddr === n0.addr && s.srcPort === n0.port ? 0 : 1;
    if (kind === 'udp') {
      if (s.data.length) chunks.push({ frame: s.frame, dir, data: s.data });
      continue;
    }
    const flags = s.flags ?? 0;
    if (flags & TCP_ACK && s.ack !== undefined) dirs[1 - dir]!.ack(s.ack);
    if (flags & TCP_RST && !s.data.length) continue;
    dirs[dir].offer(s.frame, s.seq ?? 0, flags, s.data, (frame, data, missing) =>
      chunks.push(missing === undefined ? { frame, dir, data } : { frame, dir, data, missing }),
    );
  }
  return { nodes, chunks };
}

export function summarize(chunks: readonly FollowChunk[]): { bytes: [number, number]; packets: [number, number]; turns: number } {
  const bytes: [number, number] = [0, 0];
  const packets: [number, number] = [0, 0];
  let turns = 0;
  let prev = -1;
  for (const c of chunks) {
    if (c.missing !== undefined) continue;
    bytes[c.dir] += c.data.length;
    packets[c.dir]++;
    if (prev >= 0 && c.dir !== prev) turns++;
    prev = c.dir;
  }
  return { bytes, packets, turns };
}

/** Follow stream `stream` of `kind` in a capture: dissects only that stream's frames. */
export function followStream(cap: Capture, kind: StreamKind, stream: number): FollowResult {
  const frames = streamFrames(cap.session, kind, stream);
  const keep = followKeepSet();
  function* segments(): Generator<FollowSegment> {
    for (const num of frames) {
      const seg = followSegmentOf(cap.dissect(num, false, keep), kind);
      if (seg) yield seg;
    }
  }
  const { nodes, chunks } = followChunks(kind, segments());
  return { proto: kind, stream, filter: `${kind}.stream eq ${stream}`, nodes, chunks, ...summarize(chunks) };
}

// -----------------------------------------------------------------------------------------------
// Text forms

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hexString(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
}

/** The body of `tshark -q -z follow,PROTO,raw,N`: one hex line per chunk, node 1's lines indented by a tab. */
export function followRawText(r: Pick<FollowResult, 'proto' | 'stream' | 'nodes' | 'chunks'>): string {
  const lines = [
    '',
    '===================================================================',
    `Follow: ${r.proto},raw`,
    `Filter: ${r.proto}.stream eq ${r.stream}`,
    `Node 0: ${r.nodes ? r.nodes[0].label : ':0'}`,
    `Node 1: ${r.nodes ? r.nodes[1].label : ':0'}`,
  ];
  for (const c of r.chunks) lines.push((c.dir ? '\t' : '') + hexString(c.data));
  lines.push('===================================================================');
  return lines.join('\n') + '\n';
}

/** Printable ASCII, with line breaks and tabs kept and other bytes shown as '.', as Wireshark's ASCII view. */
export function asciiText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    s += (c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09 ? String.fromCharCode(c) : '.';
  }
  return s;
}
