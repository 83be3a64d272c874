// Episodes: the moments a lesson talks about, named with the packets that take part in them — a TCP
// 3-way handshake (#1 SYN, #2 SYN/ACK, #3 ACK), a refused connection (SYN → RST/ACK), the connection
// release with FINs, a reset, a retransmission and the segment it repeats, a fragmented IP datagram.
//
//   tcpEpisodes(model)          // all episodes of one TCP conversation (its ladder model)
//   episodesAt(capture, frame)  // the episodes the frame takes part in (TCP stream and IP fragments)
//
// Pure and DOM-free; the words are the page's (the steps carry roles and flag names only).

import type { Capture } from '../capture';
import { getField } from '../fields/registry';
import { buildLadder } from './ladder';
import { ladderKeepSet, ladderPacketFromPacket } from './ladder-from-packet';
import { seqDiff } from './ladder-states';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type LadderModel, type LadderPacket, type LadderRow } from './ladder-types';
import { streamFrames, tcpStreamOf } from './streams';

export type EpisodeKind = 'handshake' | 'refused' | 'teardown' | 'reset' | 'retransmission' | 'fragmentation';

export type StepRole =
  /** TCP steps: the segment's flags say what it is (flags holds 'SYN', 'SYN/ACK', 'ACK', 'FIN/ACK', 'RST'…) */
  | 'syn'
  | 'syn-ack'
  | 'ack'
  | 'fin'
  | 'rst'
  /** the first transmission of the bytes a retransmission repeats */
  | 'original'
  | 'retransmission'
  /** an IP fragment, and the fragment whose arrival completed the datagram (where it is reassembled) */
  | 'fragment'
  | 'reassembled';

export interface EpisodeStep {
  frame: number;
  role: StepRole;
  /** TCP flags in short form: 'SYN', 'SYN/ACK', 'ACK', 'FIN/ACK', 'RST/ACK' (TCP steps only) */
  flags?: string;
}

export interface Episode {
  kind: EpisodeKind;
  steps: EpisodeStep[];
  /** false when a part is missing from the capture (no final ACK, the original segment not captured…) */
  complete: boolean;
}

/** Short flag names as lessons write them: SYN/ACK, FIN/ACK, RST/ACK, PSH/ACK… */
export function shortFlags(flags: number): string {
  const names: string[] = [];
  if (flags & TCP_SYN) names.push('SYN');
  if (flags & TCP_FIN) names.push('FIN');
  if (flags & TCP_RST) names.push('RST');
  if (flags & 0x008) names.push('PSH');
  if (flags & TCP_ACK) names.push('ACK');
  return names.join('/') || 'none';
}

const has = (p: LadderPacket, f: number) => (p.flags & f) !== 0;

/** The sequence number just past this segment (SYN and FIN count one), or undefined without a seq. */
function endSeq(p: LadderPacket): number | undefined {
  const seq = p.seq ?? p.seqRaw;
  if (seq === undefined) return undefined;
  return (seq + (p.len ?? 0) + (has(p, TCP_SYN) ? 1 : 0) + (has(p, TCP_FIN) ? 1 : 0)) >>> 0;
}

/** Does `p` acknowledge everything up to `upTo` (in the same numbering as endSeq)? */
function acks(p: LadderPacket, upTo: number | undefined, raw: boolean): boolean {
  if (!has(p, TCP_ACK)) return false;
  const a = raw ? p.ackRaw : (p.ack ?? p.ackRaw);
  if (a === undefined || upTo === undefined) return true;
  return seqDiff(a, upTo) >= 0;
}

const step = (r: LadderRow, role: StepRole): EpisodeStep => ({ frame: r.frame, role, flags: shortFlags(r.packet.flags) });

/** The episodes of one TCP conversation, in the order they start. */
export function tcpEpisodes(model: LadderModel): Episode[] {
  if (model.transport !== 'tcp') return [];
  const rows = model.rows;
  const out: Episode[] = [];
  const raw = rows.some((r) => r.packet.seq === undefined);

  // --- opening: SYN(s), then SYN/ACK or RST
  const synIdx = rows.findIndex((r) => has(r.packet, TCP_SYN) && !has(r.packet, TCP_ACK));
  const refusedRst = new Set<number>();
  if (synIdx >= 0) {
    const client = rows[synIdx]!.from;
    const steps: EpisodeStep[] = [];
    let synAck: LadderRow | null = null;
    let done = false;
    for (let i = synIdx; i < rows.length && !done; i++) {
      const r = rows[i]!;
      const p = r.packet;
      if (r.from === client) {
        if (has(p, TCP_SYN) && !has(p, TCP_ACK)) {
          if (!synAck) steps.push(step(r, 'syn'));
        } else if (synAck && has(p, TCP_ACK) && !has(p, TCP_RST) && !has(p, TCP_SYN)) {
          steps.push(step(r, 'ack'));
          out.push({ kind: 'handshake', steps, complete: true });
          done = true;
        } else if (synAck && has(p, TCP_RST)) {
          steps.push(step(r, 'rst'));
          out.push({ kind: 'handshake', steps, complete: false });
          done = true;
        }
      } else if (has(p, TCP_SYN) && has(p, TCP_ACK)) {
        steps.push(step(r, 'syn-ack'));
        synAck = r;
      } else if (has(p, TCP_RST) && !synAck) {
        steps.push(step(r, 'rst'));
        refusedRst.add(r.frame);
        out.push({ kind: 'refused', steps, complete: true });
        done = true;
      }
    }
    if (!done && steps.length) out.push({ kind: 'handshake', steps, complete: false });
  }

  // --- release: FIN from one side, its ACK, FIN from the other side, the last ACK
  const finIdx = rows.findIndex((r) => has(r.packet, TCP_FIN) && !has(r.packet, TCP_RST));
  if (finIdx >= 0) {
    const first = rows[finIdx]!;
    const a = first.from;
    const fin1End = endSeq(first.packet);
    const steps: EpisodeStep[] = [step(first, 'fin')];
    let fin2: LadderRow | null = null;
    let acked1 = false;
    let complete = false;
    for (let i = finIdx + 1; i < rows.length; i++) {
      const r = rows[i]!;
      const p = r.packet;
      if (has(p, TCP_RST)) break;
      if (r.from !== a) {
        if (!fin2 && has(p, TCP_FIN)) {
          fin2 = r;
          steps.push(step(r, 'fin'));
          if (acks(p, fin1End, raw)) acked1 = true;
        } else if (!fin2 && !acked1 && acks(p, fin1End, raw) && (p.len ?? 0) === 0) {
          acked1 = true;
          steps.push(step(r, 'ack'));
        }
      } else if (fin2 && acks(p, endSeq(fin2.packet), raw)) {
        steps.push(step(r, 'ack'));
        complete = true;
        break;
      }
    }
    out.push({ kind: 'teardown', steps, complete });
  }

  // --- resets (other than the answer to a refused SYN)
  for (const r of rows) {
    if (has(r.packet, TCP_RST) && !refusedRst.has(r.frame)) out.push({ kind: 'reset', steps: [step(r, 'rst')], complete: true });
  }

  // --- retransmissions: each with the first transmission of the same bytes from the same side
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const b = r.packet.badges ?? [];
    if (!b.includes('retransmission') && !b.includes('fast_retransmission') && !b.includes('spurious_retransmission')) continue;
    const seq = raw ? r.packet.seqRaw : r.packet.seq;
    let orig: LadderRow | null = null;
    for (let j = 0; j < i; j++) {
      const o = rows[j]!;
      const os = raw ? o.packet.seqRaw : o.packet.seq;
      if (o.from !== r.from || os === undefined || seq === undefined) continue;
      // the first segment whose bytes include the first byte resent (segment sizes may differ)
      const olen = (o.packet.len ?? 0) + (has(o.packet, TCP_SYN | TCP_FIN) ? 1 : 0);
      if (olen > 0 && seqDiff(seq, os) >= 0 && seqDiff(seq, (os + olen) >>> 0) < 0) {
        orig = o;
        break;
      }
    }
    const steps: EpisodeStep[] = [];
    if (orig) steps.push(step(orig, 'original'));
    steps.push(step(r, 'retransmission'));
    out.push({ kind: 'retransmission', steps, complete: !!orig });
  }

  out.sort((x, y) => x.steps[0]!.frame - y.steps[0]!.frame);
  return out;
}

/** A fragmented datagram from its fragments' frame numbers (the last one listed is where it was reassembled). */
export function fragmentEpisode(fragments: readonly number[], reassembledIn: number): Episode {
  const frames = [...new Set(fragments)].sort((a, b) => a - b);
  return {
    kind: 'fragmentation',
    steps: frames.map((frame) => ({ frame, role: frame === reassembledIn ? 'reassembled' : 'fragment' })),
    complete: frames.includes(reassembledIn),
  };
}

/** Only the episodes `frame` takes part in. */
export function episodesOfFrame(episodes: readonly Episode[], frame: number): Episode[] {
  return episodes.filter((e) => e.steps.some((s) => s.frame === frame));
}

// ------------------------------------------------------------------------------------------------
// from a capture

let tcpKeep: Set<number> | null = null;
let fragKeep: Set<number> | null = null;

function keepOf(abbrevs: readonly string[]): Set<number> {
  const s = new Set<number>();
  for (const a of abbrevs) {
    const f = getField(a);
    if (f) s.add(f.id);
  }
  return s;
}

/** How far after a fragment to look for the frame that completes its datagram. */
const FRAGMENT_LOOKAHEAD = 400;

interface FragFacts {
  /** frames listed as fragments (in the frame that completed the datagram) */
  listed: number[];
  /** the frame is a fragment itself (MF set or a non-zero offset) */
  isFragment: boolean;
}

function fragFacts(cap: Capture, num: number): FragFacts {
  fragKeep ??= keepOf(['ip.fragment', 'ipv6.fragment', 'ip.flags.mf', 'ip.frag_offset', 'ipv6.fraghdr.more', 'ipv6.fraghdr.offset']);
  const listed: number[] = [];
  let isFragment = false;
  for (const it of cap.dissect(num, false, fragKeep).items) {
    const a = it.f.abbrev;
    if ((a === 'ip.fragment' || a === 'ipv6.fragment') && typeof it.v === 'number') listed.push(it.v);
    else if ((a === 'ip.flags.mf' || a === 'ipv6.fraghdr.more') && (it.v === 1 || (it.v as unknown) === true)) isFragment = true;
    else if ((a === 'ip.frag_offset' || a === 'ipv6.fraghdr.offset') && typeof it.v === 'number' && it.v > 0) isFragment = true;
  }
  return { listed, isFragment };
}

/** The episodes frame `num` takes part in: those of its TCP stream, and its fragmented datagram. */
export function episodesAt(cap: Capture, num: number): Episode[] {
  if (num < 1 || num > cap.frames.count) return [];
  const out: Episode[] = [];

  const stream = tcpStreamOf(cap.session, num);
  if (stream >= 0) {
    tcpKeep ??= ladderKeepSet();
    const frames = streamFrames(cap.session, 'tcp', stream);
    const packets: LadderPacket[] = [];
    for (let i = 0; i < frames.length; i++) {
      const p = ladderPacketFromPacket(cap.dissect(frames[i]!, false, tcpKeep));
      if (p) packets.push(p);
    }
    if (packets.length) out.push(...episodesOfFrame(tcpEpisodes(buildLadder(packets, { stream })), num));
  }

  const own = fragFacts(cap, num);
  if (own.listed.length > 1) out.push(fragmentEpisode(own.listed, num));
  else if (own.isFragment) {
    const last = Math.min(cap.frames.count, num + FRAGMENT_LOOKAHEAD);
    for (let n = num + 1; n <= last; n++) {
      const f = fragFacts(cap, n);
      if (f.listed.includes(num)) {
        out.push(fragmentEpisode(f.listed, n));
        break;
      }
    }
    if (!out.some((e) => e.kind === 'fragmentation')) out.push({ kind: 'fragmentation', steps: [{ frame: num, role: 'fragment' }], complete: false });
  }
  return out;
}
