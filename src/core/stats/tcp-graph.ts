// TCP stream graph data (Wireshark's Statistics › TCP Stream Graphs) for one direction of one stream:
// the data segments (Stevens: sequence number over time; tcptrace: each segment as a bar from seq to
// seq+len), the acknowledgements and receive windows coming back (tcptrace's ack and window lines, the
// window-size graph), round-trip times from tcp.analysis.ack_rtt, and throughput as a moving average.
// Times are seconds since the capture's first frame; sequence numbers are relative (as tcp.seq shows them).

import type { Packet } from '../dissect/packet';
import type { Capture } from '../capture';
import { getField, type Value } from '../fields/registry';
import { ipv4ToString, ipv6ToString, relSeconds } from '../fields/format';
import { streamFrames } from '../analysis/streams';

/** Analysis marks a segment can carry, most telling first. */
export type SegMark = 'retransmission' | 'fast_retransmission' | 'spurious_retransmission' | 'out_of_order' | 'lost_segment' | 'zero_window_probe' | 'keep_alive';

const MARKS: [string, SegMark][] = [
  ['tcp.analysis.spurious_retransmission', 'spurious_retransmission'],
  ['tcp.analysis.fast_retransmission', 'fast_retransmission'],
  ['tcp.analysis.retransmission', 'retransmission'],
  ['tcp.analysis.out_of_order', 'out_of_order'],
  ['tcp.analysis.lost_segment', 'lost_segment'],
  ['tcp.analysis.zero_window_probe', 'zero_window_probe'],
  ['tcp.analysis.keep_alive', 'keep_alive'],
];
const MARK_RANK = new Map(MARKS.map(([, m], i) => [m, i]));

export interface TcpSegment {
  frame: number;
  t: number;
  seq: number;
  len: number;
  /** TCP flags (tcp.flags) */
  flags: number;
  /** the receive window this packet advertises (tcp.window_size) */
  win: number;
  /** bytes in flight after this segment, when known */
  inFlight?: number;
  mark?: SegMark;
}

export interface TcpAck {
  frame: number;
  t: number;
  ack: number;
  /** receive window advertised (tcp.window_size, scaled) */
  win: number;
  sack: [number, number][];
  dupAck: boolean;
  zeroWindow: boolean;
}

export interface TcpRttPoint {
  /** the ACK carrying the RTT */
  frame: number;
  /** the acknowledged segment */
  segFrame: number;
  t: number;
  seq: number;
  /** seconds */
  rtt: number;
}

export interface TcpThroughputPoint {
  frame: number;
  t: number;
  /** bits per second over the moving-average window */
  bps: number;
  /** the same without retransmitted bytes */
  goodput: number;
}

export interface TcpGraphData {
  stream: number;
  /** 0: from the stream's first sender, 1: the other way */
  dir: 0 | 1;
  /** 'addr:port' of the data's sender and receiver */
  from: string;
  to: string;
  /** segments sent from → to (all of them, data or not) */
  segments: TcpSegment[];
  /** packets sent to → from (acknowledgements and window advertisements) */
  acks: TcpAck[];
  rtt: TcpRttPoint[];
  throughput: TcpThroughputPoint[];
  /** segments in the moving average of the throughput */
  maWindow: number;
  /** bytes sent from → to, and those of them retransmitted */
  bytes: number;
  retransmittedBytes: number;
}

export const TCP_GRAPH_FIELDS = [
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.seq',
  'tcp.ack',
  'tcp.len',
  'tcp.flags',
  'tcp.window_size',
  'tcp.options.sack_le',
  'tcp.options.sack_re',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.acks_frame',
  'tcp.analysis.bytes_in_flight',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.zero_window',
  ...MARKS.map((m) => m[0]),
];

let keepSet: Set<number> | null = null;
/** Field ids to keep (flat) when dissecting a stream's frames for its graphs. */
export function tcpGraphKeepSet(): Set<number> {
  if (keepSet) return keepSet;
  keepSet = new Set();
  for (const a of TCP_GRAPH_FIELDS) {
    const f = getField(a);
    if (f) keepSet.add(f.id);
  }
  return keepSet;
}

function addr(v: Value | undefined): string {
  if (typeof v === 'number') return ipv4ToString(v);
  if (v instanceof Uint8Array && v.length === 16) return ipv6ToString(v);
  return '?';
}

/** The facts of one frame's first TCP layer (dissected with tcpGraphKeepSet()). */
export interface TcpFacts {
  frame: number;
  t: number;
  src: string;
  dst: string;
  seq: number;
  ack: number;
  len: number;
  flags: number;
  win: number;
  sackLe: number[];
  sackRe: number[];
  ackRtt?: number;
  acksFrame?: number;
  inFlight?: number;
  dupAck: boolean;
  zeroWindow: boolean;
  mark?: SegMark;
}

export function tcpFacts(pkt: Pick<Packet, 'items' | 'meta'>, t: number): TcpFacts | null {
  let src = '';
  let dst = '';
  let ipSrc = '';
  let ipDst = '';
  let inTcp = false;
  const f: TcpFacts = { frame: pkt.meta.num, t, src: '', dst: '', seq: 0, ack: 0, len: 0, flags: 0, win: 0, sackLe: [], sackRe: [], dupAck: false, zeroWindow: false };
  let sp = 0;
  let dp = 0;
  for (const it of pkt.items) {
    const a = it.f.abbrev;
    if (!inTcp) {
      if (a === 'ip.src' || a === 'ipv6.src') ipSrc = addr(it.v);
      else if (a === 'ip.dst' || a === 'ipv6.dst') ipDst = addr(it.v);
      else if (a === 'tcp') {
        inTcp = true;
        src = ipSrc;
        dst = ipDst;
      }
      continue;
    }
    switch (a) {
      case 'tcp':
      case 'ip.src':
      case 'ipv6.src':
        // a second TCP or IP layer (tunnelled, or quoted): only the first counts
        f.src = src.includes(':') ? `[${src}]:${sp}` : `${src}:${sp}`;
        f.dst = dst.includes(':') ? `[${dst}]:${dp}` : `${dst}:${dp}`;
        return f;
      case 'tcp.srcport':
        sp = Number(it.v);
        break;
      case 'tcp.dstport':
        dp = Number(it.v);
        break;
      case 'tcp.seq':
        f.seq = Number(it.v);
        break;
      case 'tcp.ack':
        f.ack = Number(it.v);
        break;
      case 'tcp.len':
        f.len = Number(it.v);
        break;
      case 'tcp.flags':
        f.flags = Number(it.v);
        break;
      case 'tcp.window_size':
        f.win = Number(it.v);
        break;
      case 'tcp.options.sack_le':
        f.sackLe.push(Number(it.v));
        break;
      case 'tcp.options.sack_re':
        f.sackRe.push(Number(it.v));
        break;
      case 'tcp.analysis.ack_rtt':
        if (it.v !== undefined) f.ackRtt = relSeconds(it.v);
        break;
      case 'tcp.analysis.acks_frame':
        f.acksFrame = Number(it.v);
        break;
      case 'tcp.analysis.bytes_in_flight':
        f.inFlight = Number(it.v);
        break;
      case 'tcp.analysis.duplicate_ack':
        f.dupAck = true;
        break;
      case 'tcp.analysis.zero_window':
        f.zeroWindow = true;
        break;
      default: {
        const m = MARKS.find((x) => x[0] === a)?.[1];
        if (m && (f.mark === undefined || MARK_RANK.get(m)! < MARK_RANK.get(f.mark)!)) f.mark = m;
      }
    }
  }
  if (!inTcp) return null;
  f.src = src.includes(':') ? `[${src}]:${sp}` : `${src}:${sp}`;
  f.dst = dst.includes(':') ? `[${dst}]:${dp}` : `${dst}:${dp}`;
  return f;
}

/** Build the graph data of one direction from the stream's frames' facts (in frame order). */
export function buildTcpGraph(stream: number, facts: TcpFacts[], dir: 0 | 1, maWindow = 20): TcpGraphData {
  const a = facts[0]?.src ?? '';
  const b = facts[0]?.dst ?? '';
  const from = dir === 0 ? a : b;
  const to = dir === 0 ? b : a;
  const segments: TcpSegment[] = [];
  const acks: TcpAck[] = [];
  const rtt: TcpRttPoint[] = [];
  const segByFrame = new Map<number, TcpSegment>();
  let bytes = 0;
  let retrans = 0;
  for (const f of facts) {
    if (f.src === from) {
      const s: TcpSegment = { frame: f.frame, t: f.t, seq: f.seq, len: f.len, flags: f.flags, win: f.win };
      if (f.inFlight !== undefined) s.inFlight = f.inFlight;
      if (f.mark) s.mark = f.mark;
      segments.push(s);
      segByFrame.set(f.frame, s);
      bytes += f.len;
      if (f.mark === 'retransmission' || f.mark === 'fast_retransmission' || f.mark === 'spurious_retransmission') retrans += f.len;
    } else if (f.src === to) {
      const sack: [number, number][] = [];
      for (let i = 0; i < Math.min(f.sackLe.length, f.sackRe.length); i++) sack.push([f.sackLe[i]!, f.sackRe[i]!]);
      if (f.flags & 0x10) acks.push({ frame: f.frame, t: f.t, ack: f.ack, win: f.win, sack, dupAck: f.dupAck, zeroWindow: f.zeroWindow });
      if (f.ackRtt !== undefined && f.acksFrame !== undefined) {
        const seg = segByFrame.get(f.acksFrame);
        if (seg) rtt.push({ frame: f.frame, segFrame: seg.frame, t: f.t, seq: seg.seq, rtt: f.ackRtt });
      }
    }
  }
  // throughput: bytes of the last `maWindow` data segments over the time they span
  const throughput: TcpThroughputPoint[] = [];
  const data = segments.filter((s) => s.len > 0);
  let sum = 0;
  let good = 0;
  const isRe = (s: TcpSegment) => s.mark === 'retransmission' || s.mark === 'fast_retransmission' || s.mark === 'spurious_retransmission';
  for (let i = 0; i < data.length; i++) {
    const s = data[i]!;
    sum += s.len;
    if (!isRe(s)) good += s.len;
    if (i >= maWindow) {
      const o = data[i - maWindow]!;
      sum -= o.len;
      if (!isRe(o)) good -= o.len;
    }
    const first = data[Math.max(0, i - maWindow)]!;
    const dt = s.t - first.t;
    if (i === 0 || dt <= 0) continue;
    // the oldest segment in the window started the clock: its bytes are not part of the span
    const span = i >= maWindow ? sum : sum - first.len;
    const spanGood = i >= maWindow ? good : good - (isRe(first) ? 0 : first.len);
    throughput.push({ frame: s.frame, t: s.t, bps: (span * 8) / dt, goodput: (spanGood * 8) / dt });
  }
  return { stream, dir, from, to, segments, acks, rtt, throughput, maWindow, bytes, retransmittedBytes: retrans };
}

/** The graph data of TCP stream `stream` in direction `dir` (frames read so far). */
export function computeTcpGraph(cap: Capture, stream: number, dir: 0 | 1): TcpGraphData | null {
  const frames = streamFrames(cap.session, 'tcp', stream);
  if (!frames.length) return null;
  return buildTcpGraph(stream, tcpStreamFacts(cap, frames), dir);
}

/** Facts of a stream's frames (times relative to the capture's first frame). */
export function tcpStreamFacts(cap: Capture, frames: ArrayLike<number>): TcpFacts[] {
  const keep = tcpGraphKeepSet();
  const out: TcpFacts[] = [];
  for (let i = 0; i < frames.length; i++) {
    const num = frames[i]!;
    const f = tcpFacts(cap.dissect(num, false, keep), cap.frames.delta(1, num));
    if (f) out.push(f);
  }
  return out;
}

/** Which direction to graph for a selected frame: the one it sends data in, or else the one with more data. */
export function graphDirection(facts: TcpFacts[], frame: number): 0 | 1 {
  const a = facts[0]?.src;
  const sel = facts.find((f) => f.frame === frame);
  const bytes = [0, 0];
  for (const f of facts) bytes[f.src === a ? 0 : 1]! += f.len;
  if (sel && sel.len > 0) return sel.src === a ? 0 : 1;
  return bytes[1]! > bytes[0]! ? 1 : 0;
}
