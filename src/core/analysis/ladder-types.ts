// Types of the sequence (ladder) diagram: the per-packet facts it is drawn from and the model it builds.
// Pure data, no DOM: the model is built in Node, in the worker or on the page.

export type LadderTransport = 'tcp' | 'udp' | 'icmp';

/** TCP flag bits as in the header's flags field (tcp.flags). */
export const TCP_FIN = 0x001;
export const TCP_SYN = 0x002;
export const TCP_RST = 0x004;
export const TCP_PSH = 0x008;
export const TCP_ACK = 0x010;
export const TCP_URG = 0x020;
export const TCP_ECE = 0x040;
export const TCP_CWR = 0x080;
export const TCP_AE = 0x100;

/** TCP sequence-analysis findings shown as marks on an arrow (Wireshark's tcp.analysis.* names). */
export type BadgeKind =
  | 'retransmission'
  | 'fast_retransmission'
  | 'spurious_retransmission'
  | 'dup_ack'
  | 'zero_window'
  | 'zero_window_probe'
  | 'zero_window_probe_ack'
  | 'out_of_order'
  | 'lost_segment'
  | 'ack_lost_segment'
  | 'window_update'
  | 'window_full'
  | 'keep_alive'
  | 'keep_alive_ack'
  | 'reused_ports';

export interface TcpOptionsSummary {
  /** MSS value (bytes) */
  mss?: number;
  /** window scale shift count (tcp.options.wscale.shift); the label shows the multiplier 2^ws */
  ws?: number;
  /** SACK permitted */
  sackPerm?: boolean;
  /** timestamps option */
  ts?: { val: number; ecr?: number };
}

/** The facts about one packet the ladder needs. Optional fields may be missing (unknown). */
export interface LadderPacket {
  /** frame number in the capture */
  frame: number;
  /** capture time in seconds, relative to the capture's first frame (the packet list's Time) */
  timeSec: number;
  srcAddr: string;
  srcPort?: number;
  dstAddr: string;
  dstPort?: number;
  transport: LadderTransport;
  /** TCP flag bits (0 for UDP/ICMP) */
  flags: number;
  /** relative sequence / acknowledgement numbers (tcp.seq, tcp.ack) */
  seq?: number;
  ack?: number;
  /** absolute ones (tcp.seq_raw, tcp.ack_raw) */
  seqRaw?: number;
  ackRaw?: number;
  /** TCP payload length (tcp.len), or UDP payload length */
  len?: number;
  /** calculated window size (tcp.window_size) */
  win?: number;
  options?: TcpOptionsSummary;
  /** application summary, e.g. 'GET / HTTP/1.1', 'Client Hello', 'Standard query 0x1a2b A example.com' */
  app?: string;
  badges?: readonly BadgeKind[];
  /** a fallback one-line description (ICMP type, the Info column) */
  info?: string;
  /** tcp.stream / udp.stream index, if known */
  stream?: number;
}

export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN_SENT'
  | 'SYN_RECEIVED'
  | 'ESTABLISHED'
  | 'FIN_WAIT_1'
  | 'FIN_WAIT_2'
  | 'CLOSE_WAIT'
  | 'CLOSING'
  | 'LAST_ACK'
  | 'TIME_WAIT';

/** 0 = the client (left lifeline), 1 = the server (right lifeline) */
export type Side = 0 | 1;

export interface LadderEndpoint {
  side: Side;
  role: 'client' | 'server';
  addr: string;
  port?: number;
  /** 'addr:port' ('[v6]:port'), or the address alone for ICMP */
  label: string;
}

export interface StateTransition {
  side: Side;
  from: TcpState | null;
  to: TcpState | null;
  /** the frame whose sending or arrival caused it */
  cause: number;
  /** 'send': the endpoint sent the packet; 'recv': the packet arrived at it */
  how: 'send' | 'recv';
}

export interface StateInference {
  /** the state of [client, server] before the first packet */
  initial: [TcpState | null, TcpState | null];
  /** true when the initial states are assumed (the capture starts mid-stream) */
  assumed: boolean;
  /** client state after each packet */
  client: (TcpState | null)[];
  /** server state after each packet */
  server: (TcpState | null)[];
  /** the transitions that happened at each packet (usually 0–2) */
  transitions: StateTransition[][];
}

export type PhaseKind = 'handshake' | 'data' | 'release' | 'reset';

export const PHASE_LABEL: Record<PhaseKind, string> = {
  handshake: '3-way handshake',
  data: 'data transfer',
  release: 'connection release (FIN)',
  reset: 'reset (RST)',
};

export interface PhaseBracket {
  kind: PhaseKind;
  label: string;
  /** first and last row index (inclusive) */
  first: number;
  last: number;
}

export type TimeMode = 'proportional' | 'even';
export type SeqMode = 'relative' | 'absolute';

/** A place where the time axis is shortened (a broken-axis mark). */
export interface AxisBreak {
  /** the row after the gap */
  row: number;
  /** y of the mark (middle of the shortened gap) */
  y: number;
  /** the real length of the gap */
  gapSec: number;
}

/** Vertical positions of every row in one time mode. */
export interface LadderLayout {
  mode: TimeMode;
  /** y of the capture time of each row (where its time label sits) */
  yCap: Float64Array;
  /** y of each arrow's sending end and receiving end (yRecv > ySend) */
  ySend: Float64Array;
  yRecv: Float64Array;
  /** running maximum of yRecv (non-decreasing): finds the first row reaching into a window */
  maxBottom: Float64Array;
  /** running minimum of ySend from the end (non-decreasing): finds the last row starting in a window */
  minTopFromEnd: Float64Array;
  /** total height including the bottom padding */
  height: number;
  breaks: AxisBreak[];
  /** y extent [top, bottom] of each phase bracket */
  phaseY: [number, number][];
}

/** Where the single capture point seems to be, from who answers fast. */
export type CaptureSide = 'client' | 'server' | 'between';

export interface LadderRow {
  index: number;
  frame: number;
  /** side of the sender */
  from: Side;
  packet: LadderPacket;
  /** state of [client, server] after this packet (null: not TCP / unknown) */
  states: [TcpState | null, TcpState | null];
  /** whether that endpoint's state changed at this packet */
  changed: [boolean, boolean];
  transitions: StateTransition[];
  phase: PhaseKind | null;
}

export interface LadderModel {
  transport: LadderTransport;
  /** [client, server] */
  endpoints: [LadderEndpoint, LadderEndpoint];
  /** how the client was chosen */
  clientBy: 'syn' | 'syn-ack' | 'port' | 'first-sender' | 'echo-request';
  rows: LadderRow[];
  /** initial states before the first packet, [client, server] */
  initialStates: [TcpState | null, TcpState | null];
  statesAssumed: boolean;
  phases: PhaseBracket[];
  layouts: Record<TimeMode, LadderLayout>;
  captureSide: CaptureSide;
  /** estimated one-way time used to place the far ends of arrows (seconds) */
  oneWaySec: number;
  /** the initial RTT measured on the handshake, if seen */
  irttSec: number | null;
  /** initial sequence numbers (absolute) of [client, server], when known */
  isn: [number | null, number | null];
  stream?: number;
  /** explanations shown under the diagram, per time mode */
  caption: Record<TimeMode, string>;
  startSec: number;
  endSec: number;
}

/** Geometry constants of the row layout (px). */
export interface LadderMetrics {
  /** space above the first row (for its label) */
  top: number;
  /** space below the last arrow */
  bottom: number;
  /** row pitch in even mode */
  pitch: number;
  /** minimum distance between two rows in proportional mode */
  minGap: number;
  /** gaps longer than this (px at the natural scale) are shortened (logarithmically); much longer ones are marked */
  maxGap: number;
  /** minimum vertical drop of an arrow, so it always visibly slopes */
  minDrop: number;
  /** the drop of every arrow in even mode */
  evenDrop: number;
}

export const DEFAULT_METRICS: LadderMetrics = {
  top: 52,
  bottom: 48,
  pitch: 50,
  minGap: 44,
  maxGap: 110,
  minDrop: 16,
  evenDrop: 20,
};
