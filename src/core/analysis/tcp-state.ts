// TCP capture-wide state: conversations (streams) with their two flows, and per-frame analysis results in typed arrays.
import type { Session } from '../dissect/session';
import { holding as grow } from '../model/typed-arrays';

/** Analysis flags of one segment (our own bit numbering; the meaning follows Wireshark's TCP analysis). */
export const AF = {
  RETRANSMISSION: 0x1,
  FAST_RETRANSMISSION: 0x2,
  SPURIOUS_RETRANSMISSION: 0x4,
  OUT_OF_ORDER: 0x8,
  LOST_PACKET: 0x10,
  ACK_LOST_PACKET: 0x20,
  WINDOW_UPDATE: 0x40,
  WINDOW_FULL: 0x80,
  KEEP_ALIVE: 0x100,
  KEEP_ALIVE_ACK: 0x200,
  DUPLICATE_ACK: 0x400,
  ZERO_WINDOW: 0x800,
  ZERO_WINDOW_PROBE: 0x1000,
  ZERO_WINDOW_PROBE_ACK: 0x2000,
  REUSED_PORTS: 0x4000,
} as const;

/** Per-frame bits beside the analysis flags. */
export const FB = {
  /** the frame has a [SEQ/ACK analysis] record (Wireshark creates one only when something is to be shown) */
  HAS_TA: 0x1,
  /** the handshake RTT was known when the frame was first dissected */
  IRTT_KNOWN: 0x2,
  /** the frame's TCP layer went through the analysis (has a segment length, not inside an ICMP error) */
  ANALYZED: 0x4,
  /** ack_rtt is present */
  HAS_RTT: 0x8,
} as const;

export const TCP_MAX_UNACKED_SEGMENTS = 10000;

/** An unacknowledged segment; kept in a flow's list, oldest first. */
export interface Unacked {
  frame: number;
  seq: number;
  nextseq: number;
  /** time, nanoseconds since the conversation's sec0 */
  ts: number;
}

/** One direction of a conversation (Wireshark's tcp_flow_t). */
export class Flow {
  baseSeq = 0;
  baseSet = false;
  /** the base came from this side's own SYN */
  sawSyn = false;
  /** window scale shift: -1 unknown, -2 no scaling, else 0..14 */
  winScale = -1;
  /** last window seen in this direction, unscaled (as in the header); none yet = 0xffffffff */
  window = 0xffffffff;
  /** analysis flags of the last segment in this direction */
  lastSegFlags = 0;
  nextseq = 0;
  nextseqFrame = 0;
  nextseqTime = 0;
  maxseqtobeacked = 0;
  /** an ACK beyond maxseqtobeacked may be flagged (once; again only after a hole in this flow) */
  ackLostArmed = true;
  lastack = 0;
  lastackTime = 0;
  lastnondupack = 0;
  dupacknum = 0;
  /** bytes-in-flight is meaningful (not after a hole until the peer ACKs) */
  validBif = true;
  pushBytesSent = 0;
  pushSetLast = false;
  /** SACK blocks (raw left/right edges) of the latest segment from this side that carried any */
  sack: number[] = [];
  /** unacked segments, oldest first */
  segs: Unacked[] = [];
  /** frame number of the first FIN in this direction, 0 if none */
  fin = 0;
  /** the subdissector asked for everything until FIN */
  untilFin = false;
  /** this side sent the first FIN of the connection */
  closing = false;
  /** multi-segment PDUs being or having been reassembled, sorted by seq */
  msps: Msp[] = [];
  /** port of this flow's sender (for direction display) */
  constructor(readonly port: number) {}
}

/** A higher-level PDU spanning several segments (Wireshark's tcp_multisegment_pdu with its reassembly head). */
export interface Msp {
  seq: number;
  nxtpdu: number;
  firstFrame: number;
  lastFrame: number;
  flags: number;
  /** fragments: offset within the PDU, length, and where the bytes were (frame, data source offset) */
  frags: Frag[];
  /** total length once the tail fragment was seen, else -1 */
  datalen: number;
  /** frame that completed the reassembly (0 while incomplete) */
  reassembledIn: number;
  /** the completed data may be extended (the subdissector asked for more after it was complete) */
  partial: boolean;
  defragmented: boolean;
  /** reassembled bytes once defragmented (first pass only; freed when no longer needed) */
  data: Uint8Array | null;
  /** the bytes from offset 0 that arrived in order, while reassembling (first pass only) */
  buf: Uint8Array | null;
  bufLen: number;
}

export interface Frag {
  frame: number;
  off: number;
  len: number;
  /** the bytes of this fragment, kept while the PDU is incomplete */
  bytes: Uint8Array | null;
  /** where the bytes are in their frame: data source 0 offset, or -1 when they came from a reassembled source */
  at: number;
  /** FRAG_* findings of the reassembly */
  flags: number;
  /** the bytes are in the PDU's buffer (Msp.buf) rather than in `bytes` */
  inBuf: boolean;
}

export const FRAG_OVERLAP = 0x1;
export const FRAG_OVERLAP_CONFLICT = 0x2;
export const FRAG_TOO_LONG = 0x4;
export const FRAG_MULTIPLE_TAILS = 0x8;

export const MSP_ENTIRE_SEGMENT = 0x1;

/** One step of handing a segment's payload on, recorded in the first pass and replayed later. */
export type PayloadStep =
  /** call the payload dissectors on the segment's payload from `off` */
  | { k: 'call'; off: number }
  /**
   * a PDU completed here: its first `len` bytes; then `n` bytes of "TCP segment data" at `off` (n = -1: none;
   * n = -2: a PDU ended by the stream's FIN)
   */
  | { k: 'pdu'; msp: Msp; len: number; off: number; n: number }
  /** the rest from `off` is TCP segment data (of `msp`, if known); tsr: marked "[TCP segment of a reassembled PDU]" */
  | { k: 'seg'; off: number; tsr: boolean; msp: Msp | null }
  /** retransmitted data, not handed on */
  | { k: 'retrans'; off: number }
  /** another PDU follows in this segment: fence the Info column, lock the Protocol column */
  | { k: 'fence' }
  /** reassembly failed */
  | { k: 'error'; msg: string };

export class Conv {
  readonly flows: [Flow, Flow];
  /** time of the first frame and of the latest frame (nanoseconds since sec0) */
  tsFirst: number;
  tsPrev: number;
  /** time of the most recent SYN, and the handshake round trip (0 = unknown) */
  tsMruSyn = 0;
  haveMruSyn = false;
  firstRtt = 0;
  completeness = 0;
  /** the server port learnt from the SYN or SYN/ACK (0 = unknown) */
  serverPort = 0;
  constructor(
    readonly stream: number,
    portA: number,
    portB: number,
    /** whole seconds of the first frame: times of this conversation are nanoseconds since then */
    readonly sec0: number,
    nsec0: number,
  ) {
    this.flows = [new Flow(portA), new Flow(portB)];
    this.tsFirst = nsec0;
    this.tsPrev = nsec0;
  }
}

/** Per-frame results of the first pass, indexed by frame number; rare values live in maps. */
export class TcpFrames {
  /** stream index + 1 (0 = no TCP analysis state for this frame) */
  stream = new Uint32Array(0);
  /** analysis flags (AF) */
  aflags = new Uint32Array(0);
  /** FB bits */
  bits = new Uint8Array(0);
  acksFrame = new Uint32Array(0);
  ackRtt = new Float64Array(0);
  bif = new Uint32Array(0);
  pushBytes = new Uint32Array(0);
  timeDelta = new Float64Array(0);
  completeness = new Uint8Array(0);
  /** window scale of the sending flow when the frame was seen (-1, -2 or shift) */
  winScale = new Int8Array(0);
  /** sequence and acknowledgment numbers as displayed (relative when analysis made them so) */
  relSeq = new Uint32Array(0);
  relAck = new Uint32Array(0);
  /** how the payload was handed on: 0 = one plain hand-off, 1 = the middle of a PDU (see mspRef), 2 = a plan in `reasm` */
  payloadKind = new Uint8Array(0);
  /** index + 1 into TcpState.msps of the PDU a middle segment belongs to */
  mspRef = new Uint32Array(0);
  /** duplicate ack number and frame */
  readonly dupAck = new Map<number, [number, number]>();
  /** retransmission timeout (ns) and the frame it is measured from */
  readonly rto = new Map<number, [number, number]>();
  /** how a frame's payload was handed on, when more than one plain hand-off (sparse) */
  readonly reasm = new Map<number, PayloadStep[]>();

  ensure(n: number): void {
    if (n < this.stream.length) return;
    this.stream = grow(this.stream, n);
    this.aflags = grow(this.aflags, n);
    this.bits = grow(this.bits, n);
    this.acksFrame = grow(this.acksFrame, n);
    this.ackRtt = grow(this.ackRtt, n);
    this.bif = grow(this.bif, n);
    this.pushBytes = grow(this.pushBytes, n);
    this.timeDelta = grow(this.timeDelta, n);
    this.completeness = grow(this.completeness, n);
    this.winScale = grow(this.winScale, n);
    this.relSeq = grow(this.relSeq, n);
    this.relAck = grow(this.relAck, n);
    this.payloadKind = grow(this.payloadKind, n);
    this.mspRef = grow(this.mspRef, n);
  }
}

export class TcpState {
  /** current conversation per pair of endpoints: IPv4 endpoints as numbers (address·65536 + port), others by string */
  readonly convs4 = new Map<number, Map<number, Conv>>();
  readonly convs = new Map<string, Conv>();
  readonly streams: Conv[] = [];
  readonly frames = new TcpFrames();
  /** every multi-segment PDU, for per-frame references */
  readonly msps: Msp[] = [];
}

export function tcpState(session: Session): TcpState {
  return session.state('tcp', () => new TcpState());
}

/** Sequence number comparisons modulo 2^32, as Wireshark's GT_SEQ & co. */
export function seqGT(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
export function seqLT(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
export function seqLE(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}
export function seqGE(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}
