// Texts of the ladder: arrow labels (flags in words, Seq/Ack/Len/Win, SYN options, application summary),
// badge names, time formatting.

import {
  TCP_ACK,
  TCP_SYN,
  type BadgeKind,
  type LadderEndpoint,
  type LadderPacket,
  type SeqMode,
  type Side,
} from './ladder-types';

const FLAG_NAMES: readonly [number, string][] = [
  [0x001, 'FIN'],
  [0x002, 'SYN'],
  [0x004, 'RST'],
  [0x008, 'PSH'],
  [0x010, 'ACK'],
  [0x020, 'URG'],
  [0x040, 'ECE'],
  [0x080, 'CWR'],
  [0x100, 'AE'],
];

/** TCP flags in words, in Wireshark's order: 'SYN', 'SYN, ACK', 'PSH, ACK', 'FIN, ACK', 'RST'. */
export function flagsText(flags: number): string {
  const out: string[] = [];
  for (const [bit, name] of FLAG_NAMES) if (flags & bit) out.push(name);
  return out.length ? out.join(', ') : '<None>';
}

export interface ArrowLabel {
  /** the bold head: TCP flags in words, 'UDP', or the ICMP message */
  head: string;
  /** numbers: 'Seq=1 Ack=1 Len=79 Win=65536' */
  fields: string;
  /** the second line: application summary and/or SYN options */
  extra: string;
  /** everything, for a tooltip */
  title: string;
}

export interface BadgeInfo {
  /** short mark drawn on the arrow */
  short: string;
  /** full name */
  name: string;
  /** colour family */
  tone: 'bad' | 'dup' | 'zero' | 'ooo' | 'info';
}

export const BADGES: Record<BadgeKind, BadgeInfo> = {
  retransmission: { short: 'RETRANS', name: 'Retransmission', tone: 'bad' },
  fast_retransmission: { short: 'FAST RETRANS', name: 'Fast retransmission', tone: 'bad' },
  spurious_retransmission: { short: 'SPURIOUS RETRANS', name: 'Spurious retransmission', tone: 'bad' },
  lost_segment: { short: 'PREV. LOST', name: 'Previous segment not captured', tone: 'bad' },
  ack_lost_segment: { short: 'ACKED UNSEEN', name: 'ACKed segment that was not captured', tone: 'bad' },
  dup_ack: { short: 'DUP ACK', name: 'Duplicate ACK', tone: 'dup' },
  zero_window: { short: 'ZERO WINDOW', name: 'Zero window', tone: 'zero' },
  zero_window_probe: { short: 'ZW PROBE', name: 'Zero window probe', tone: 'zero' },
  zero_window_probe_ack: { short: 'ZW PROBE ACK', name: 'Zero window probe ACK', tone: 'zero' },
  window_full: { short: 'WINDOW FULL', name: 'Window full', tone: 'zero' },
  out_of_order: { short: 'OUT-OF-ORDER', name: 'Out-of-order', tone: 'ooo' },
  window_update: { short: 'WIN UPDATE', name: 'Window update', tone: 'info' },
  keep_alive: { short: 'KEEP-ALIVE', name: 'Keep-alive', tone: 'info' },
  keep_alive_ack: { short: 'KEEP-ALIVE ACK', name: 'Keep-alive ACK', tone: 'info' },
  reused_ports: { short: 'PORTS REUSED', name: 'TCP port numbers reused', tone: 'bad' },
};

export function badgeInfo(kind: BadgeKind | string): BadgeInfo {
  return BADGES[kind as BadgeKind] ?? { short: String(kind).toUpperCase().replace(/_/g, ' '), name: String(kind), tone: 'info' };
}

/** 'MSS=1460 WS=128 SACK_PERM TS' for a SYN's options ('' when there are none). */
export function optionsText(p: LadderPacket): string {
  const o = p.options;
  if (!o) return '';
  const out: string[] = [];
  if (o.mss !== undefined) out.push(`MSS=${o.mss}`);
  if (o.ws !== undefined) out.push(`WS=${o.ws >= 0 && o.ws <= 30 ? 2 ** o.ws : o.ws}`);
  if (o.sackPerm) out.push('SACK_PERM');
  if (o.ts) out.push('TS');
  return out.join(' ');
}

export function endpointLabel(addr: string, port: number | undefined): string {
  if (port === undefined) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** Strip the Info column's cross references ("(reply in 4)") and markers. */
export function cleanInfo(s: string): string {
  return s
    .replace(/\[TCP segment of a reassembled PDU\]/g, '')
    .replace(/\s*\((?:reply|request|response) in \d+\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface LabelContext {
  /** initial sequence numbers (absolute) of [client, server] */
  isn: [number | null, number | null];
  endpoints: [LadderEndpoint, LadderEndpoint];
}

function seqNumbers(p: LadderPacket, from: Side, ctx: LabelContext, mode: SeqMode): { seq?: number; ack?: number } {
  if (mode === 'absolute') {
    return { seq: p.seqRaw ?? p.seq, ack: p.ackRaw ?? p.ack };
  }
  const mine = ctx.isn[from];
  const theirs = ctx.isn[1 - from];
  const seq = p.seq ?? (p.seqRaw !== undefined && mine !== null ? (p.seqRaw - mine) >>> 0 : p.seqRaw);
  const ack = p.ack ?? (p.ackRaw !== undefined && theirs !== null ? (p.ackRaw - theirs) >>> 0 : p.ackRaw);
  return { seq, ack };
}

/** The label of one arrow. */
export function arrowLabel(p: LadderPacket, from: Side, ctx: LabelContext, mode: SeqMode = 'relative'): ArrowLabel {
  const fromEp = ctx.endpoints[from];
  const toEp = ctx.endpoints[1 - from]!;
  let head: string;
  let fields: string;
  let extra = '';
  if (p.transport === 'tcp') {
    head = flagsText(p.flags);
    const { seq, ack } = seqNumbers(p, from, ctx, mode);
    const parts: string[] = [];
    if (seq !== undefined) parts.push(`Seq=${seq}`);
    if (p.flags & TCP_ACK && ack !== undefined) parts.push(`Ack=${ack}`);
    if (p.len !== undefined) parts.push(`Len=${p.len}`);
    if (p.win !== undefined) parts.push(`Win=${p.win}`);
    fields = parts.join(' ');
    const opts = p.flags & TCP_SYN ? optionsText(p) : '';
    extra = [p.app, opts].filter(Boolean).join('  ·  ');
  } else if (p.transport === 'udp') {
    head = 'UDP';
    fields = p.len !== undefined ? `Len=${p.len}` : '';
    extra = p.app ?? '';
  } else {
    const info = cleanInfo(p.app || p.info || 'ICMP');
    // "Echo (ping) request  id=0x0001, seq=1/256, ttl=64": the message, then its numbers
    const m = /^(.*?)\s+(id=.*)$/.exec(info);
    head = m ? m[1]! : info;
    fields = m ? m[2]! : '';
  }
  const badges = (p.badges ?? []).map((b) => badgeInfo(b).name);
  const tsText = p.options?.ts ? `TSval=${p.options.ts.val}${p.options.ts.ecr !== undefined ? ` TSecr=${p.options.ts.ecr}` : ''}` : '';
  const title = [
    `Frame ${p.frame}: ${fromEp.label} → ${toEp.label}`,
    [head, fields].filter(Boolean).join(' '),
    extra,
    tsText,
    badges.length ? `[${badges.join('] [')}]` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return { head, fields, extra, title };
}

/** '1.234567' seconds with 6 decimals, like the packet list. */
export function secondsText(t: number, digits = 6): string {
  return t.toFixed(digits);
}

/** A duration with a unit that fits: '850 ns', '13.5 µs', '7.81 ms', '1.25 s', '3 min 12 s'. */
export function durationText(sec: number): string {
  const a = Math.abs(sec);
  const fmt = (v: number, u: string) => `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${u}`;
  if (a < 1e-6) return `${(sec * 1e9).toFixed(0)} ns`;
  if (a < 1e-3) return fmt(sec * 1e6, 'µs');
  if (a < 1) return fmt(sec * 1e3, 'ms');
  if (a < 120) return fmt(sec, 's');
  const m = Math.floor(a / 60);
  return `${m} min ${Math.round(a - m * 60)} s`;
}
