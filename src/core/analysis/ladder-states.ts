// Who is the client, and which TCP state each endpoint is in after each packet, inferred from the
// packets of one connection the way RFC 9293's state machine (section 3.3.2, 3.10.7) would move.
//
// Seen from one capture point, a packet leaves its sender before it reaches the receiver. The sender's
// transition is applied at the packet; the receiver's when it has the packet. That is normally the same
// row, but when the receiver later sends something whose ACK does not cover a SYN or FIN yet, it cannot
// have processed that SYN/FIN when it sent it (simultaneous open/close): its arrival is applied after
// that packet instead. A SYN/FIN that is retransmitted before it is acknowledged counts as lost.

import {
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
  type LadderPacket,
  type Side,
  type StateInference,
  type StateTransition,
  type TcpState,
} from './ladder-types';

export interface EndpointKey {
  addr: string;
  port?: number;
}

export interface EndpointIdentity {
  client: EndpointKey;
  server: EndpointKey;
  by: 'syn' | 'syn-ack' | 'port' | 'first-sender' | 'echo-request';
}

export function endpointKey(addr: string, port: number | undefined): string {
  return port === undefined ? addr : `${addr}|${port}`;
}

const srcKey = (p: LadderPacket) => endpointKey(p.srcAddr, p.srcPort);

const isSynOnly = (p: LadderPacket) => p.transport === 'tcp' && (p.flags & (TCP_SYN | TCP_ACK | TCP_RST)) === TCP_SYN;
const isSynAck = (p: LadderPacket) =>
  p.transport === 'tcp' && (p.flags & (TCP_SYN | TCP_ACK | TCP_RST)) === (TCP_SYN | TCP_ACK);

/**
 * The client is the sender of the SYN; else the receiver of the SYN/ACK; else, when exactly one side
 * uses a well-known port (< 1024), the other; for ICMP the sender of an echo request; else the first sender.
 */
export function identifyEndpoints(packets: readonly LadderPacket[]): EndpointIdentity | null {
  const first = packets[0];
  if (!first) return null;
  const src = (p: LadderPacket): EndpointKey => ({ addr: p.srcAddr, port: p.srcPort });
  const dst = (p: LadderPacket): EndpointKey => ({ addr: p.dstAddr, port: p.dstPort });
  const syn = packets.find(isSynOnly);
  if (syn) return { client: src(syn), server: dst(syn), by: 'syn' };
  const synAck = packets.find(isSynAck);
  if (synAck) return { client: dst(synAck), server: src(synAck), by: 'syn-ack' };
  if (first.transport === 'icmp') {
    const req = packets.find((p) => /echo.*request|request/i.test(p.info ?? p.app ?? ''));
    if (req) return { client: src(req), server: dst(req), by: 'echo-request' };
  }
  const sp = first.srcPort;
  const dp = first.dstPort;
  if (sp !== undefined && dp !== undefined) {
    if (sp < 1024 && dp >= 1024) return { client: dst(first), server: src(first), by: 'port' };
    if (dp < 1024 && sp >= 1024) return { client: src(first), server: dst(first), by: 'port' };
  }
  return { client: src(first), server: dst(first), by: 'first-sender' };
}

/** Signed difference of two 32-bit sequence numbers (a - b), as TCP compares them. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

interface SeqAccess {
  seq(p: LadderPacket): number | undefined;
  ack(p: LadderPacket): number | undefined;
}

/** Use absolute numbers when every packet has them (they never mix bases), else the relative ones. */
export function seqAccess(packets: readonly LadderPacket[]): SeqAccess {
  const raw = packets.length > 0 && packets.every((p) => p.transport !== 'tcp' || p.seqRaw !== undefined);
  return raw
    ? { seq: (p) => p.seqRaw, ack: (p) => (p.ackRaw ?? undefined) }
    : { seq: (p) => p.seq, ack: (p) => p.ack };
}

/** The sequence number just after the segment (SYN and FIN take one each), or undefined. */
export function segEnd(p: LadderPacket, sa: SeqAccess): number | undefined {
  const s = sa.seq(p);
  if (s === undefined) return undefined;
  return (s + (p.len ?? 0) + (p.flags & TCP_SYN ? 1 : 0) + (p.flags & TCP_FIN ? 1 : 0)) >>> 0;
}

/** Which side sent each packet: 0 client, 1 server, -1 neither (not part of the conversation). */
export function sidesOf(packets: readonly LadderPacket[], id: EndpointIdentity): Int8Array {
  const c = endpointKey(id.client.addr, id.client.port);
  const s = endpointKey(id.server.addr, id.server.port);
  const out = new Int8Array(packets.length);
  packets.forEach((p, i) => {
    const k = srcKey(p);
    const d = endpointKey(p.dstAddr, p.dstPort);
    out[i] = k === c && d === s ? 0 : k === s && d === c ? 1 : -1;
  });
  return out;
}

interface Tcb {
  state: TcpState | null;
  /** came to SYN_RECEIVED from LISTEN (a reset returns it to LISTEN) */
  passive: boolean;
  /** sequence number just after our SYN / FIN, once sent */
  synEnd?: number;
  finEnd?: number;
}

const SCAN_LIMIT = 4096;

/**
 * For each packet, the row at which its receiver is taken to have processed it: the row itself, a later
 * row (see the file comment), or -1 when it counts as lost.
 */
function receiptRows(packets: readonly LadderPacket[], side: Int8Array, sa: SeqAccess): Int32Array {
  const n = packets.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = i;
    const p = packets[i]!;
    if (p.transport !== 'tcp' || side[i]! < 0 || p.flags & TCP_RST || !(p.flags & (TCP_SYN | TCP_FIN))) continue;
    const end = segEnd(p, sa);
    if (end === undefined) continue;
    const a = side[i]!;
    // a copy with the same control flags (a SYN/ACK is not a copy of a SYN: it answers one)
    const ctl = p.flags & (TCP_SYN | TCP_FIN | TCP_ACK);
    let lastNotCovering = -1;
    let retransmitted = false;
    for (let j = i + 1; j < n && j - i < SCAN_LIMIT; j++) {
      const q = packets[j]!;
      if (side[j] === a) {
        if ((q.flags & (TCP_SYN | TCP_FIN | TCP_ACK)) === ctl && segEnd(q, sa) === end) retransmitted = true;
        continue;
      }
      if (side[j] !== 1 - a) continue;
      if (q.flags & TCP_RST) break;
      const ack = sa.ack(q);
      if (q.flags & TCP_ACK && ack !== undefined && seqDiff(ack, end) >= 0) break;
      if (retransmitted) break;
      lastNotCovering = j;
    }
    if (retransmitted) out[i] = -1;
    else if (lastNotCovering > i) out[i] = lastNotCovering;
  }
  return out;
}

/** States before the first packet, from how the conversation starts. */
function initialStates(
  packets: readonly LadderPacket[],
  side: Int8Array,
): { init: [TcpState | null, TcpState | null]; passive: [boolean, boolean]; assumed: boolean } {
  const firstIdx = side.findIndex((s) => s >= 0);
  const first = packets[firstIdx];
  if (!first) return { init: [null, null], passive: [false, false], assumed: false };
  const a = side[firstIdx] as Side;
  const b = (1 - a) as Side;
  const init: [TcpState | null, TcpState | null] = [null, null];
  const passive: [boolean, boolean] = [false, false];
  if (isSynOnly(first)) {
    init[a] = 'CLOSED';
    // how does the other side answer?
    let answer: TcpState | null = null;
    for (let j = firstIdx + 1; j < packets.length; j++) {
      if (side[j] !== b) continue;
      const q = packets[j]!;
      if (q.flags & TCP_RST) answer = 'CLOSED';
      else if (isSynOnly(q)) answer = 'CLOSED'; // simultaneous open: both were opening actively
      else if (isSynAck(q)) answer = 'LISTEN';
      else continue;
      break;
    }
    init[b] = answer;
    passive[b] = answer === 'LISTEN';
    return { init, passive, assumed: false };
  }
  if (isSynAck(first)) {
    init[a] = 'SYN_RECEIVED';
    passive[a] = true;
    init[b] = 'SYN_SENT';
    return { init, passive, assumed: true };
  }
  return { init: ['ESTABLISHED', 'ESTABLISHED'], passive, assumed: true };
}

/**
 * Infer the TCP state of the client and the server after each packet. Packets must be of one
 * connection, in capture order. Non-TCP packets leave the states unknown (null).
 */
export function inferStates(packets: readonly LadderPacket[], identity?: EndpointIdentity | null): StateInference {
  const n = packets.length;
  const client: (TcpState | null)[] = new Array(n).fill(null);
  const server: (TcpState | null)[] = new Array(n).fill(null);
  const transitions: StateTransition[][] = Array.from({ length: n }, () => []);
  const id = identity === undefined ? identifyEndpoints(packets) : identity;
  if (!id || !packets.some((p) => p.transport === 'tcp')) {
    return { initial: [null, null], assumed: false, client, server, transitions };
  }
  const side = sidesOf(packets, id);
  const sa = seqAccess(packets);
  const { init, passive, assumed } = initialStates(packets, side);
  const tcb: [Tcb, Tcb] = [
    { state: init[0], passive: passive[0] },
    { state: init[1], passive: passive[1] },
  ];
  const recvAt = receiptRows(packets, side, sa);
  const deferred = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = recvAt[i]!;
    if (r > i) {
      const l = deferred.get(r);
      if (l) l.push(i);
      else deferred.set(r, [i]);
    }
  }

  let row = 0;
  const move = (s: Side, to: TcpState | null, cause: number, how: 'send' | 'recv') => {
    const t = tcb[s];
    if (t.state === to) return;
    transitions[row]!.push({ side: s, from: t.state, to, cause, how });
    t.state = to;
  };

  const onSend = (s: Side, p: LadderPacket) => {
    const t = tcb[s];
    const f = p.flags;
    const st = t.state;
    if (f & TCP_RST) {
      if (st !== 'LISTEN') move(s, 'CLOSED', p.frame, 'send');
      return;
    }
    if (f & TCP_SYN) {
      t.synEnd ??= segEnd(p, sa);
      if (!(f & TCP_ACK)) {
        if (st === null || st === 'CLOSED' || st === 'LISTEN' || st === 'TIME_WAIT') {
          t.passive = false;
          move(s, 'SYN_SENT', p.frame, 'send');
        }
      } else if (st === null || st === 'LISTEN' || st === 'SYN_SENT' || st === 'CLOSED') {
        // a SYN/ACK means our side has the peer's SYN (its arrival may not have been seen)
        if (st !== 'SYN_SENT') t.passive = true;
        move(s, 'SYN_RECEIVED', p.frame, 'send');
      }
    }
    if (f & TCP_FIN) {
      if (t.finEnd === undefined) t.finEnd = segEnd(p, sa);
      if (st === 'ESTABLISHED' || st === 'SYN_RECEIVED' || st === null) move(s, 'FIN_WAIT_1', p.frame, 'send');
      else if (st === 'CLOSE_WAIT') move(s, 'LAST_ACK', p.frame, 'send');
    }
  };

  const onRecv = (s: Side, p: LadderPacket) => {
    const t = tcb[s];
    const f = p.flags;
    if (t.state === null) {
      if (f & TCP_RST) move(s, 'CLOSED', p.frame, 'recv');
      return;
    }
    if (f & TCP_RST) {
      if (t.state === 'LISTEN' || t.state === 'CLOSED') return;
      move(s, t.state === 'SYN_RECEIVED' && t.passive ? 'LISTEN' : 'CLOSED', p.frame, 'recv');
      return;
    }
    if (f & TCP_SYN) {
      if (!(f & TCP_ACK)) {
        if (t.state === 'LISTEN' || t.state === 'SYN_SENT' || t.state === 'TIME_WAIT') {
          if (t.state === 'LISTEN') t.passive = true;
          move(s, 'SYN_RECEIVED', p.frame, 'recv');
        }
        return;
      }
      if (t.state === 'SYN_SENT' || t.state === 'SYN_RECEIVED') move(s, 'ESTABLISHED', p.frame, 'recv');
      return;
    }
    const ack = sa.ack(p);
    const covers = (end: number | undefined) => end === undefined || ack === undefined || seqDiff(ack, end) >= 0;
    if (f & TCP_ACK) {
      if (t.state === 'SYN_RECEIVED' && covers(t.synEnd)) move(s, 'ESTABLISHED', p.frame, 'recv');
      if (t.finEnd !== undefined && covers(t.finEnd)) {
        if (t.state === 'FIN_WAIT_1') move(s, 'FIN_WAIT_2', p.frame, 'recv');
        else if (t.state === 'CLOSING') move(s, 'TIME_WAIT', p.frame, 'recv');
        else if (t.state === 'LAST_ACK') move(s, 'CLOSED', p.frame, 'recv');
      }
    }
    if (f & TCP_FIN) {
      const st = t.state;
      if (st === 'ESTABLISHED' || st === 'SYN_RECEIVED') move(s, 'CLOSE_WAIT', p.frame, 'recv');
      else if (st === 'FIN_WAIT_1') move(s, 'CLOSING', p.frame, 'recv');
      else if (st === 'FIN_WAIT_2') move(s, 'TIME_WAIT', p.frame, 'recv');
    }
  };

  for (row = 0; row < n; row++) {
    const p = packets[row]!;
    const a = side[row]!;
    if (a >= 0 && p.transport === 'tcp') {
      onSend(a as Side, p);
      for (const k of deferred.get(row) ?? []) onRecv(a as Side, packets[k]!);
      if (recvAt[row] === row) onRecv((1 - a) as Side, p);
    }
    client[row] = tcb[0].state;
    server[row] = tcb[1].state;
  }
  return { initial: init, assumed, client, server, transitions };
}
