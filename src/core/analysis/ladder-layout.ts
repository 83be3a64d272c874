// Vertical layout of the ladder: where the capture point is, how long a packet is on the wire, and the
// y of both ends of every arrow, time-proportional (with a minimum spacing and shortened idle gaps) or
// evenly spaced.
//
// One capture point sees each packet once. If it sits next to one endpoint (that endpoint answers within
// microseconds while the other takes a round trip), that endpoint's ends of the arrows are exact and the
// other ends are half a round trip away. Otherwise each arrow starts at its capture time and lands a
// fixed time later, never later than the fastest reply it caused (so replies never leave before their
// request arrives).

import { seqAccess, segEnd } from './ladder-states';
import {
  TCP_ACK,
  TCP_FIN,
  TCP_SYN,
  TCP_RST,
  type AxisBreak,
  type CaptureSide,
  type LadderLayout,
  type LadderMetrics,
  type LadderPacket,
  type PhaseBracket,
  type Side,
  type TimeMode,
} from './ladder-types';

export interface TimingEstimate {
  captureSide: CaptureSide;
  /** one-way time used to place the estimated end of each arrow (s) */
  oneWaySec: number;
  /** fastest observed reply of [client, server], seen from the capture point (s) */
  fastestReply: [number | null, number | null];
  /** handshake RTT (SYN to the ACK of the SYN/ACK), if seen */
  irttSec: number | null;
}

/**
 * Reply latencies per side: for TCP, the time from a segment to the first packet of the other side
 * that acknowledges exactly its end; for UDP/ICMP, the time from a packet to the next one going back.
 */
export function replyGaps(packets: readonly LadderPacket[], side: ArrayLike<number>): [number[], number[]] {
  const gaps: [number[], number[]] = [[], []];
  const tcp = packets.some((p) => p.transport === 'tcp');
  if (!tcp) {
    // without sequence numbers only the server's answers are taken as replies (a client's next
    // request may come after any think time)
    let prev = -1;
    for (let i = 0; i < packets.length; i++) {
      const s = side[i]!;
      if (s < 0) continue;
      if (s === 1 && prev >= 0 && side[prev] === 0) gaps[1].push(Math.max(0, packets[i]!.timeSec - packets[prev]!.timeSec));
      prev = i;
    }
    return gaps;
  }
  const sa = seqAccess(packets);
  // per sender: segment end -> index of the latest segment ending there
  const ends: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];
  for (let i = 0; i < packets.length; i++) {
    const p = packets[i]!;
    const s = side[i]!;
    if (s < 0 || p.transport !== 'tcp' || p.flags & TCP_RST) continue;
    const ack = sa.ack(p);
    if (p.flags & TCP_ACK && ack !== undefined) {
      const peer = ends[1 - s]!;
      const j = peer.get(ack >>> 0);
      if (j !== undefined) {
        gaps[s as Side].push(Math.max(0, p.timeSec - packets[j]!.timeSec));
        peer.delete(ack >>> 0);
      }
    }
    const carries = (p.len ?? 0) > 0 || p.flags & (TCP_SYN | TCP_FIN);
    if (carries) {
      const e = segEnd(p, sa);
      if (e !== undefined) ends[s as Side].set(e, i);
    }
  }
  return gaps;
}

const minOf = (a: number[]): number | null => (a.length ? a.reduce((m, x) => (x < m ? x : m), Infinity) : null);

export function estimateTiming(packets: readonly LadderPacket[], side: ArrayLike<number>): TimingEstimate {
  const [gc, gs] = replyGaps(packets, side);
  const rc = minOf(gc);
  const rs = minOf(gs);
  // handshake RTT: SYN -> the ACK that answers the SYN/ACK
  let irtt: number | null = null;
  const syn = packets.findIndex((p) => p.transport === 'tcp' && (p.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN);
  if (syn >= 0) {
    const sa = packets.findIndex((p, i) => i > syn && (p.flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK));
    if (sa >= 0) {
      const ack = packets.findIndex((p, i) => i > sa && side[i] === side[syn] && (p.flags & (TCP_SYN | TCP_ACK)) === TCP_ACK);
      if (ack >= 0) irtt = packets[ack]!.timeSec - packets[syn]!.timeSec;
    }
  }
  let captureSide: CaptureSide = 'between';
  let oneWay = 0;
  if (rc !== null && rs !== null) {
    const farMin = 100e-6;
    if (rs > 3 * rc && rs - rc > farMin) {
      captureSide = 'client';
      oneWay = rs / 2;
    } else if (rc > 3 * rs && rc - rs > farMin) {
      captureSide = 'server';
      oneWay = rc / 2;
    } else oneWay = Math.min(rc, rs);
  } else oneWay = rc ?? rs ?? 0;
  return { captureSide, oneWaySec: oneWay, fastestReply: [rc, rs], irttSec: irtt };
}

function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

/**
 * Height of a gap whose natural height is `px`: proportional up to `maxGap`, then growing with the
 * logarithm (a doubling adds a little), so longer pauses always look longer but never take the screen.
 */
function gapHeight(px: number, m: LadderMetrics): number {
  if (px <= m.maxGap) return px;
  return m.maxGap + Math.min(1.2 * m.pitch, 0.36 * m.pitch * Math.log2(px / m.maxGap));
}

/** Gaps shortened to less than half their natural height get a broken-axis mark. */
const BREAK_FACTOR = 2;

/**
 * The natural scale (px per second): the median gap between rows takes one even-mode pitch, unless
 * that would shorten more than a tenth of the gaps (bursty traffic): then the 90th percentile gap
 * takes `maxGap`, and only the rarer, longer pauses are shortened.
 */
export function naturalScale(times: ArrayLike<number>, m: LadderMetrics): number {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const g = times[i]! - times[i - 1]!;
    if (g > 0) gaps.push(g);
  }
  if (!gaps.length) return m.pitch / 1e-3;
  gaps.sort((a, b) => a - b);
  const med = median(gaps);
  const p90 = gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * 0.9))]!;
  return Math.min(m.pitch / med, m.maxGap / p90);
}

export interface LayoutInput {
  times: ArrayLike<number>;
  /** sender side of each row */
  from: ArrayLike<number>;
  captureSide: CaptureSide;
  oneWaySec: number;
  phases: readonly PhaseBracket[];
}

function finish(
  mode: TimeMode,
  yCap: Float64Array,
  ySend: Float64Array,
  yRecv: Float64Array,
  breaks: AxisBreak[],
  phases: readonly PhaseBracket[],
  m: LadderMetrics,
): LadderLayout {
  const n = yCap.length;
  // shift down so nothing starts above the top padding
  let minY = Infinity;
  for (let i = 0; i < n; i++) minY = Math.min(minY, ySend[i]!);
  const shift = n && minY < m.top ? m.top - minY : 0;
  if (shift) {
    for (let i = 0; i < n; i++) {
      yCap[i]! += shift;
      ySend[i]! += shift;
      yRecv[i]! += shift;
    }
    for (const b of breaks) b.y += shift;
  }
  const maxBottom = new Float64Array(n);
  const minTopFromEnd = new Float64Array(n);
  let mx = -Infinity;
  let bottom = 0;
  for (let i = 0; i < n; i++) {
    mx = Math.max(mx, yRecv[i]!);
    maxBottom[i] = mx;
    bottom = Math.max(bottom, yRecv[i]!, yCap[i]!);
  }
  let mn = Infinity;
  for (let i = n - 1; i >= 0; i--) {
    mn = Math.min(mn, ySend[i]!);
    minTopFromEnd[i] = mn;
  }
  const phaseY = phases.map((ph): [number, number] => {
    let top = Infinity;
    let bot = -Infinity;
    for (let i = ph.first; i <= ph.last; i++) {
      top = Math.min(top, ySend[i]!);
      bot = Math.max(bot, yRecv[i]!);
    }
    return [top, bot];
  });
  return {
    mode,
    yCap,
    ySend,
    yRecv,
    maxBottom,
    minTopFromEnd,
    height: (n ? bottom : m.top) + m.bottom,
    breaks,
    phaseY,
  };
}

/** Evenly spaced rows: order, not time; every arrow drops the same. Long idle gaps are still marked. */
export function evenLayout(inp: LayoutInput, m: LadderMetrics): LadderLayout {
  const n = inp.times.length;
  const yCap = new Float64Array(n);
  const ySend = new Float64Array(n);
  const yRecv = new Float64Array(n);
  const breaks: AxisBreak[] = [];
  const s = naturalScale(inp.times, m);
  for (let i = 0; i < n; i++) {
    yCap[i] = m.top + i * m.pitch;
    ySend[i] = yCap[i]!;
    yRecv[i] = yCap[i]! + m.evenDrop;
    if (i > 0) {
      const g = inp.times[i]! - inp.times[i - 1]!;
      if (g * s > BREAK_FACTOR * Math.max(m.minGap, gapHeight(g * s, m))) breaks.push({ row: i, y: yCap[i]! - m.pitch / 2 + m.evenDrop / 2, gapSec: g });
    }
  }
  return finish('even', yCap, ySend, yRecv, breaks, inp.phases, m);
}

/**
 * Time-proportional rows: y follows the capture time at the natural scale, with at least `minGap`
 * between rows and idle gaps longer than `maxGap` shortened (and marked as axis breaks).
 */
export function proportionalLayout(inp: LayoutInput, m: LadderMetrics): LadderLayout {
  const n = inp.times.length;
  // capture times can go backwards in a file; the axis uses the running maximum
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = i ? Math.max(t[i - 1]!, inp.times[i]!) : inp.times[i]!;
  const s = naturalScale(t, m);
  const yCap = new Float64Array(n);
  const breaks: AxisBreak[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 0) {
      yCap[i] = m.top;
      continue;
    }
    const g = t[i]! - t[i - 1]!;
    const nat = g * s;
    const h = Math.max(m.minGap, gapHeight(nat, m));
    if (nat > BREAK_FACTOR * h) breaks.push({ row: i, y: yCap[i - 1]! + h / 2, gapSec: g });
    yCap[i] = yCap[i - 1]! + h;
  }
  const extra = (sec: number) => gapHeight(sec * s, m);
  /** y of an arbitrary time, interpolating between the rows */
  const yAt = (time: number): number => {
    if (n === 0) return m.top;
    if (time <= t[0]!) return yCap[0]! - extra(t[0]! - time);
    if (time >= t[n - 1]!) return yCap[n - 1]! + extra(time - t[n - 1]!);
    let lo = 0;
    let hi = n - 1; // t[lo] <= time < t[hi]
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (t[mid]! <= time) lo = mid;
      else hi = mid;
    }
    const f = (time - t[lo]!) / (t[hi]! - t[lo]!);
    return yCap[lo]! + f * (yCap[hi]! - yCap[lo]!);
  };
  const ySend = new Float64Array(n);
  const yRecv = new Float64Array(n);
  const near = inp.captureSide === 'client' ? 0 : inp.captureSide === 'server' ? 1 : -1;
  const d = inp.oneWaySec;
  for (let i = 0; i < n; i++) {
    const y = yCap[i]!;
    if (near < 0 || inp.from[i] === near) {
      ySend[i] = y;
      yRecv[i] = Math.max(yAt(t[i]! + d), y + m.minDrop);
    } else {
      yRecv[i] = y;
      ySend[i] = Math.min(yAt(t[i]! - d), y - m.minDrop);
    }
  }
  return finish('proportional', yCap, ySend, yRecv, breaks, inp.phases, m);
}

/** Rows [first, last] that may be visible between y0 and y1 (empty when first > last). */
export function visibleRows(l: LadderLayout, y0: number, y1: number): [number, number] {
  const n = l.yCap.length;
  // first row whose arrow reaches below y0
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (l.maxBottom[mid]! < y0) lo = mid + 1;
    else hi = mid;
  }
  const first = lo;
  // last row whose arrow starts above y1
  lo = -1;
  hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (l.minTopFromEnd[mid]! <= y1) lo = mid;
    else hi = mid - 1;
  }
  return [first, lo];
}
