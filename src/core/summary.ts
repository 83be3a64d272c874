// One packet-list row (No., Time, Source, Destination, Protocol, Length, Info), as Wireshark fills its columns.
import type { Capture } from './capture';
import type { Packet } from './dissect/packet';
import { colorRuleIndex } from './coloring';

export interface RowSummary {
  num: number;
  /** seconds since the first frame */
  time: number;
  src: string;
  dst: string;
  protocol: string;
  length: number;
  info: string;
  /** the colouring rule of the row: an index in COLOR_RULES (core/coloring.ts), -1 for none */
  color?: number;
}

export function summarize(pkt: Packet, firstSec: number, firstNsec: number): RowSummary {
  const m = pkt.meta;
  return {
    num: m.num,
    time: m.tsSec - firstSec + (m.tsNsec - firstNsec) / 1e9,
    src: pkt.p.netSrc ?? pkt.p.dlSrc ?? '',
    dst: pkt.p.netDst ?? pkt.p.dlDst ?? '',
    protocol: pkt.protocolCol.text,
    length: m.origLen,
    info: pkt.info.text,
    color: colorRuleIndex(pkt),
  };
}

export function rowSummary(cap: Capture, num: number): RowSummary {
  const f = cap.frames;
  return summarize(cap.dissect(num, false), f.tsSec[0]!, f.tsNsec[0]!);
}
