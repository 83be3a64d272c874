// TCP sequence/acknowledgment analysis of one segment during the first pass (retransmissions, dup ACKs, windows, RTT…).
import { AF, FB, TCP_MAX_UNACKED_SEGMENTS, seqGT, seqLE, seqLT, type Conv, type Flow, type TcpFrames } from './tcp-state';

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_PUSH = 0x08;
const TH_ACK = 0x10;

/** A fast retransmission follows the third duplicate ACK within this time (ns). */
const FAST_RETRANS_WINDOW = 20_000_000;
/** Without a handshake RTT, a segment this close (ns) to the highest one seen is out-of-order, not retransmitted. */
const DEFAULT_OOO_THRESHOLD = 3_000_000;

/**
 * The ISNs of both flows: the first segment fixes the sender's, the first ACK the receiver's.
 * Returns true for a SYN arriving after its flow's base was learnt from the peer's ACK (tshark then
 * keeps an, empty, analysis record for it).
 */
export function setBaseSeq(fwd: Flow, rev: Flow, seq: number, ack: number, flags: number): boolean {
  let lateSyn = false;
  if (!fwd.baseSet) {
    fwd.baseSeq = flags & TH_SYN ? seq : (seq - 1) >>> 0;
    fwd.baseSet = true;
    fwd.sawSyn = (flags & TH_SYN) !== 0;
  } else if ((flags & (TH_SYN | TH_ACK)) === TH_SYN && !fwd.sawSyn) {
    fwd.sawSyn = true;
    lateSyn = true;
  }
  if (!rev.baseSet && flags & TH_ACK) {
    rev.baseSeq = (ack - 1) >>> 0;
    rev.baseSet = true;
  }
  return lateSyn;
}

/**
 * Analyze one segment (raw sequence numbers, unscaled window) and store what it shows in `fr` at `frame`.
 * The order of the checks matters: it decides which flag wins when several could apply.
 */
export function analyzeSegment(
  fr: TcpFrames,
  conv: Conv,
  fwd: Flow,
  rev: Flow,
  frame: number,
  ts: number,
  seq: number,
  ack: number,
  seglen: number,
  flags: number,
  win: number,
): void {
  let af = 0;
  let bits = fr.bits[frame]!;
  let hasTa = false;
  const noSFR = (flags & (TH_SYN | TH_FIN | TH_RST)) === 0;

  if (setBaseSeq(fwd, rev, seq, ack, flags)) hasTa = true;
  if (flags & TH_ACK) rev.validBif = true;

  // Checks that end the forward analysis early jump here by breaking out of this block.
  fwdChecks: {
    // A zero window probe: one byte at the next expected sequence number into a closed window.
    if (seglen === 1 && seq === fwd.nextseq && rev.window === 0) {
      af |= AF.ZERO_WINDOW_PROBE;
      break fwdChecks;
    }
    if (win === 0 && (flags & (TH_RST | TH_FIN | TH_SYN)) === 0) af |= AF.ZERO_WINDOW;
    // Beyond the highest sequence number seen: something in between was not captured.
    if (fwd.nextseq !== 0 && seqGT(seq, fwd.nextseq) && (flags & TH_RST) === 0) {
      af |= AF.LOST_PACKET;
      fwd.validBif = false;
      fwd.ackLostArmed = true;
    }
    // Zero or one byte starting one before the next expected byte.
    if (seglen <= 1 && seq === ((fwd.nextseq - 1) >>> 0) && noSFR) af |= AF.KEEP_ALIVE;
    if (seglen === 0 && win !== 0 && win !== fwd.window && seq === fwd.nextseq && ack === fwd.lastack && noSFR) {
      af |= AF.WINDOW_UPDATE;
    }
    if (seglen > 0 && rev.winScale !== -1 && noSFR) {
      const shift = rev.winScale === -2 ? 0 : rev.winScale;
      const edge = (rev.lastack + rev.window * 2 ** shift) % 0x100000000;
      if (((seq + seglen) >>> 0) === edge) af |= AF.WINDOW_FULL;
    }
    if (
      seglen === 0 &&
      win !== 0 &&
      win === fwd.window &&
      seq === fwd.nextseq &&
      ack === fwd.lastack &&
      rev.lastSegFlags & AF.KEEP_ALIVE &&
      noSFR
    ) {
      af |= AF.KEEP_ALIVE_ACK;
      break fwdChecks;
    }
    if (
      seglen === 0 &&
      win === 0 &&
      win === fwd.window &&
      seq === fwd.nextseq &&
      (ack === fwd.lastack || ack === ((fwd.lastack + 1) >>> 0)) &&
      rev.lastSegFlags & AF.ZERO_WINDOW_PROBE &&
      noSFR
    ) {
      af |= AF.ZERO_WINDOW_PROBE_ACK;
      break fwdChecks;
    }
    if (seglen === 0 && win !== 0 && win === fwd.window && seq === fwd.nextseq && ack === fwd.lastack && noSFR) {
      fwd.dupacknum++;
      af |= AF.DUPLICATE_ACK;
      fr.dupAck.set(frame, [fwd.dupacknum, fwd.lastnondupack]);
    }
  }
  if (ack !== fwd.lastack) {
    fwd.lastnondupack = frame;
    fwd.dupacknum = 0;
  }
  // ACKing beyond what was seen in the other direction: segments were not captured there.
  // (Measured against tshark: once flagged, not again until the other side shows a hole of its own; such
  // later ACKs still get an analysis record.)
  if (rev.maxseqtobeacked !== 0 && seqGT(ack, rev.maxseqtobeacked) && flags & TH_ACK) {
    hasTa = true;
    if (rev.ackLostArmed) {
      af |= AF.ACK_LOST_PACKET;
      rev.ackLostArmed = false;
      rev.maxseqtobeacked = rev.nextseq;
    }
  }

  // Data (or SYN/FIN) that does not advance the sequence: a retransmission of some kind, or out-of-order.
  if ((seglen > 0 || flags & (TH_SYN | TH_FIN)) && !(af & AF.KEEP_ALIVE)) {
    const notAdvanced = fwd.nextseq !== 0 && seqLT(seq, fwd.nextseq);
    let t = ts - rev.lastackTime;
    if (notAdvanced && rev.dupacknum >= 2 && rev.lastack === seq && t >= 0 && t < FAST_RETRANS_WINDOW) {
      af |= AF.FAST_RETRANSMISSION;
    } else {
      t = ts - fwd.nextseqTime;
      const thres = conv.firstRtt !== 0 ? conv.firstRtt : DEFAULT_OOO_THRESHOLD;
      const end = (seq + seglen + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0;
      // data the receiver has already acknowledged is a spurious retransmission, however soon it came
      // (measured against tshark: this wins over out-of-order)
      if (seglen > 0 && rev.lastack !== 0 && seqLE((seq + seglen) >>> 0, rev.lastack)) {
        af |= AF.SPURIOUS_RETRANSMISSION;
      } else if (notAdvanced && t >= 0 && t < thres && fwd.nextseq !== end) {
        af |= AF.OUT_OF_ORDER;
      } else if (notAdvanced) {
        af |= AF.RETRANSMISSION;
        // the RTO is measured from the eldest unacked segment, likely the one retransmitted here
        const eldest = fwd.segs[0];
        if (eldest) fr.rto.set(frame, [ts - eldest.ts, eldest.frame]);
        else fr.rto.set(frame, [ts - fwd.nextseqTime, fwd.nextseqFrame]);
      }
    }
  }

  let nextseq = (seq + seglen) >>> 0;
  if ((seglen > 0 || flags & (TH_SYN | TH_FIN)) && fwd.segs.length < TCP_MAX_UNACKED_SEGMENTS) {
    if (flags & (TH_SYN | TH_FIN)) nextseq = (nextseq + 1) >>> 0;
    fwd.segs.push({ frame, seq, nextseq, ts });
  }
  // The highest sequence number seen so far (a zero window probe does not advance it).
  if ((seqGT(nextseq, fwd.nextseq) || fwd.nextseq === 0) && !(af & AF.ZERO_WINDOW_PROBE)) {
    fwd.nextseq = nextseq;
    fwd.nextseqFrame = frame;
    fwd.nextseqTime = ts;
  }
  // The highest contiguous sequence number, for ACKs of segments that were not captured.
  if ((seq === fwd.maxseqtobeacked || fwd.maxseqtobeacked === 0) && !(af & AF.ZERO_WINDOW_PROBE)) {
    fwd.maxseqtobeacked = fwd.nextseq;
  }
  fwd.window = win;
  fwd.lastack = ack;
  fwd.lastackTime = ts;
  if (af) hasTa = true;
  fwd.lastSegFlags = af;

  // Remove what this ACKs from the other direction's unacked list, newest first (as Wireshark walks it).
  const segs = rev.segs;
  let removed = 0;
  for (let i = segs.length - 1; i >= 0; ) {
    const u = segs[i]!;
    if (ack === u.nextseq) {
      hasTa = true;
      fr.acksFrame[frame] = u.frame;
      const rtt = ts - u.ts;
      fr.ackRtt[frame] = rtt;
      if (rtt !== 0) bits |= FB.HAS_RTT;
      else bits &= ~FB.HAS_RTT;
    } else if (seqGT(ack, u.seq) && seqLE(ack, u.nextseq)) {
      // partly acknowledged: keep the rest, and look at it again
      u.seq = ack;
      continue;
    } else if (seqGT(u.nextseq, ack)) {
      i--;
      continue;
    }
    // acknowledged (exactly or earlier): drop it
    segs[i] = null as unknown as typeof u;
    removed++;
    i--;
  }
  if (removed) {
    let w = 0;
    for (let r = 0; r < segs.length; r++) if (segs[r]) segs[w++] = segs[r]!;
    segs.length = w;
  }

  // Bytes in flight after this segment, and bytes since the last PSH.
  if (seglen !== 0 && fwd.segs.length && fwd.validBif) {
    const base = fwd.baseSeq;
    const s0 = fwd.segs[fwd.segs.length - 1]!;
    let first = (s0.seq - base) >>> 0;
    let last = (s0.nextseq - base) >>> 0;
    for (let i = fwd.segs.length - 2; i >= 0; i--) {
      const u = fwd.segs[i]!;
      const a = (u.seq - base) >>> 0;
      const b = (u.nextseq - base) >>> 0;
      if (b > last) last = b;
      if (a < first) first = a;
    }
    let inFlight = last - first;
    // SYN and FIN take a sequence number but are not data
    if (flags & (TH_SYN | TH_FIN)) inFlight -= 1;
    // data the receiver has SACKed is no longer in flight
    const sack = rev.sack;
    for (let i = 0; i < sack.length; i += 2) inFlight -= (sack[i + 1]! - sack[i]!) >>> 0;
    inFlight >>>= 0;
    if (flags & TH_PUSH) {
      fwd.pushBytesSent = fwd.pushSetLast ? seglen : fwd.pushBytesSent + seglen;
      fwd.pushSetLast = true;
    } else if (fwd.pushSetLast) {
      fwd.pushBytesSent = seglen;
      fwd.pushSetLast = false;
    } else {
      fwd.pushBytesSent += seglen;
    }
    // both are shown only when the bytes in flight make sense
    hasTa = true;
    if (inFlight > 0 && inFlight < 2000000000) {
      fr.bif[frame] = inFlight;
      fr.pushBytes[frame] = fwd.pushBytesSent;
    }
  }

  fr.aflags[frame] = fr.aflags[frame]! | af;
  if (hasTa) bits |= FB.HAS_TA;
  fr.bits[frame] = bits;
}
