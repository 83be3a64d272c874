// The sequence (ladder) diagram model: two lifelines (client left, server right), one arrow per packet
// sloping with time, labels, TCP states per endpoint, phase brackets. Pure and DOM-free; the view is
// src/ui/diagram/SequenceDiagram.tsx.
//
//   const model = buildLadder(packets);          // LadderPacket[] of one TCP stream / UDP or ICMP conversation
//   model.rows[i].states                          // [client, server] TCP state after packet i
//   model.layouts.proportional.ySend / yRecv     // arrow ends (px)
//   arrowLabel(row.packet, row.from, model)       // 'SYN, ACK' / 'Seq=0 Ack=1 Len=0 Win=65483'
//   toMermaid(model)                              // Mermaid sequenceDiagram text

import { durationText, endpointLabel } from './ladder-labels';
import { estimateTiming, evenLayout, proportionalLayout } from './ladder-layout';
import { identifyEndpoints, inferStates, sidesOf } from './ladder-states';
import {
  DEFAULT_METRICS,
  PHASE_LABEL,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
  type LadderEndpoint,
  type LadderMetrics,
  type LadderModel,
  type LadderPacket,
  type LadderRow,
  type PhaseBracket,
  type PhaseKind,
  type Side,
  type StateInference,
  type TimeMode,
} from './ladder-types';

export * from './ladder-types';
export { inferStates, identifyEndpoints, seqDiff } from './ladder-states';
export { arrowLabel, flagsText, optionsText, badgeInfo, BADGES, durationText, secondsText, endpointLabel } from './ladder-labels';
export type { ArrowLabel, BadgeInfo } from './ladder-labels';
export { visibleRows, estimateTiming } from './ladder-layout';
export { toMermaid, mermaidEscape } from './ladder-mermaid';

export interface BuildOptions {
  metrics?: Partial<LadderMetrics>;
  /** tcp.stream / udp.stream index, for titles */
  stream?: number;
}

/** A key naming the conversation a packet belongs to (the same for both directions). */
export function conversationKey(p: LadderPacket): string {
  const a = endpointLabel(p.srcAddr, p.srcPort);
  const b = endpointLabel(p.dstAddr, p.dstPort);
  return `${p.transport} ${a < b ? a + ' ' + b : b + ' ' + a}`;
}

/** Phase of each row: handshake until both ends are ESTABLISHED, then data, release from the first FIN, reset from the first RST. */
export function phasesOf(
  packets: readonly LadderPacket[],
  st: StateInference,
): { perRow: (PhaseKind | null)[]; brackets: PhaseBracket[] } {
  const n = packets.length;
  const perRow: (PhaseKind | null)[] = new Array(n).fill(null);
  const brackets: PhaseBracket[] = [];
  if (!packets.some((p) => p.transport === 'tcp')) return { perRow, brackets };
  let est = st.initial[0] === 'ESTABLISHED' && st.initial[1] === 'ESTABLISHED' ? -1 : n;
  if (est === n) {
    for (let i = 0; i < n; i++) {
      if (st.client[i] === 'ESTABLISHED' && st.server[i] === 'ESTABLISHED') {
        est = i;
        break;
      }
    }
  }
  let rst = false;
  let fin = false;
  for (let i = 0; i < n; i++) {
    const p = packets[i]!;
    if (p.transport !== 'tcp') continue;
    let k: PhaseKind;
    if (rst || p.flags & TCP_RST) {
      rst = true;
      k = 'reset';
    } else if (fin || p.flags & TCP_FIN) {
      fin = true;
      k = 'release';
    } else if (p.flags & TCP_SYN || i < est || (i === est && !(p.len ?? 0))) k = 'handshake';
    else k = 'data';
    perRow[i] = k;
    const last = brackets[brackets.length - 1];
    if (last && last.kind === k && last.last === i - 1) last.last = i;
    else brackets.push({ kind: k, label: PHASE_LABEL[k], first: i, last: i });
  }
  return { perRow, brackets };
}

function emptyEndpoint(side: Side): LadderEndpoint {
  return { side, role: side ? 'server' : 'client', addr: '', label: '' };
}

function captions(m: Omit<LadderModel, 'caption'>, fastest: [number | null, number | null]): Record<TimeMode, string> {
  const r = m.rows.length;
  const parts: string[] = [];
  const [fc, fs] = fastest;
  if (m.captureSide === 'client' || m.captureSide === 'server') {
    const near = m.captureSide;
    const far = near === 'client' ? 'server' : 'client';
    const fastNear = near === 'client' ? fc : fs;
    const fastFar = near === 'client' ? fs : fc;
    parts.push(
      `Captured next to the ${near} (it answers within ${durationText(fastNear ?? 0)}, the ${far}'s answers take ${durationText(fastFar ?? 0)}): ` +
        `the ${near}'s end of each arrow is exact, the ${far}'s end is estimated at half a round trip (${durationText(m.oneWaySec)}).`,
    );
  } else if (m.oneWaySec > 0) {
    parts.push(
      `One capture point: each arrow starts at its capture time (exact) and arrives an estimated ${durationText(m.oneWaySec)} later, ` +
        `bounded by the fastest reply, so no answer leaves before its request arrives.`,
    );
  } else if (r) {
    parts.push('One capture point: each arrow starts at its capture time (exact); the arrival time is not known.');
  }
  if (m.irttSec !== null) parts.push(`Handshake RTT ${durationText(m.irttSec)}.`);
  const prop = m.layouts.proportional;
  const propNote =
    prop.breaks.length > 0
      ? 'Time runs down in proportion; very close packets are spread to a minimum spacing and ≈ marks idle gaps shortened on the axis.'
      : 'Time runs down in proportion; very close packets are spread to a minimum spacing.';
  return {
    proportional: [propNote, ...parts].join(' '),
    even: ['Evenly spaced rows: top to bottom is capture order, not time; ≈ marks long idle gaps.', ...parts].join(' '),
  };
}

/** Build the ladder model of one conversation from its packets (in capture order). */
export function buildLadder(input: readonly LadderPacket[], opts: BuildOptions = {}): LadderModel {
  const metrics: LadderMetrics = { ...DEFAULT_METRICS, ...opts.metrics };
  let packets = input;
  for (let i = 1; i < packets.length; i++) {
    if (packets[i]!.frame < packets[i - 1]!.frame) {
      packets = [...input].sort((a, b) => a.frame - b.frame);
      break;
    }
  }
  const id = identifyEndpoints(packets);
  let side = id ? sidesOf(packets, id) : new Int8Array(0);
  if (side.some((s) => s < 0)) {
    packets = packets.filter((_, i) => side[i]! >= 0);
    side = side.filter((s) => s >= 0);
  }
  const transport = packets[0]?.transport ?? 'tcp';
  const endpoints: [LadderEndpoint, LadderEndpoint] = id
    ? [
        { side: 0, role: 'client', addr: id.client.addr, port: id.client.port, label: endpointLabel(id.client.addr, id.client.port) },
        { side: 1, role: 'server', addr: id.server.addr, port: id.server.port, label: endpointLabel(id.server.addr, id.server.port) },
      ]
    : [emptyEndpoint(0), emptyEndpoint(1)];
  const st = inferStates(packets, id);
  const { perRow, brackets } = phasesOf(packets, st);
  const rows: LadderRow[] = packets.map((p, i) => {
    const prevC = i ? st.client[i - 1]! : st.initial[0];
    const prevS = i ? st.server[i - 1]! : st.initial[1];
    return {
      index: i,
      frame: p.frame,
      from: side[i] as Side,
      packet: p,
      states: [st.client[i]!, st.server[i]!],
      changed: [st.client[i] !== prevC, st.server[i] !== prevS],
      transitions: st.transitions[i]!,
      phase: perRow[i]!,
    };
  });
  // initial sequence numbers: absolute minus relative on the first packet of each side that has both
  const isn: [number | null, number | null] = [null, null];
  for (const r of rows) {
    const p = r.packet;
    if (isn[r.from] === null && p.seqRaw !== undefined && p.seq !== undefined) isn[r.from] = (p.seqRaw - p.seq) >>> 0;
  }
  const timing = estimateTiming(packets, side);
  const times = packets.map((p) => p.timeSec);
  const layoutIn = {
    times,
    from: side,
    captureSide: timing.captureSide,
    oneWaySec: timing.oneWaySec,
    phases: brackets,
  };
  const base = {
    transport,
    endpoints,
    clientBy: id?.by ?? 'first-sender',
    rows,
    initialStates: st.initial,
    statesAssumed: st.assumed,
    phases: brackets,
    layouts: { proportional: proportionalLayout(layoutIn, metrics), even: evenLayout(layoutIn, metrics) },
    captureSide: timing.captureSide,
    oneWaySec: timing.oneWaySec,
    irttSec: timing.irttSec,
    isn,
    stream: opts.stream ?? packets[0]?.stream,
    startSec: times.length ? times[0]! : 0,
    endSec: times.length ? times[times.length - 1]! : 0,
  } satisfies Omit<LadderModel, 'caption'>;
  const caption = captions(base, timing.fastestReply);
  return { ...base, caption };
}

/** Row index of a frame (rows are in frame order), or -1. */
export function rowIndexOfFrame(model: LadderModel, frame: number): number {
  const rows = model.rows;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = rows[mid]!.frame;
    if (f === frame) return mid;
    if (f < frame) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
