// One packet-list row (No., Time, Source, Destination, Protocol, Length, Info), as Wireshark fills its columns.
import type { Capture } from './capture';
import type { Packet } from './dissect/packet';
import { colorRuleIndex } from './coloring';
import { F_COMPLEX, F_ICMP, F_ICMP6, F_IP4, F_IP6, F_TCP, F_UDP } from './model/header-index';
import { ipv4ToString, ipv6ToString } from './fields/format';

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
  /** made from the header index before the first pass reached the frame: Protocol and Info are provisional */
  pending?: boolean;
  /** the Time column in the format the rows were asked for (core/time.ts) */
  timeText?: string;
  /** the frame as `tcpdump -n` prints it (rows asked for with `tcpdump`; see core/output/tcpdump.ts) */
  tcpdump?: string;
  /** the texts of the custom columns the rows were asked for (core/output/columns.ts) */
  custom?: string[];
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

const TCP_FLAG_NAMES: [number, string][] = [
  [0x002, 'SYN'],
  [0x001, 'FIN'],
  [0x004, 'RST'],
  [0x008, 'PSH'],
  [0x010, 'ACK'],
  [0x020, 'URG'],
  [0x040, 'ECE'],
  [0x080, 'CWR'],
];

/**
 * A row for a frame the first pass has not reached yet, from the header index alone: addresses, ports,
 * flags and lengths are exact; Protocol and Info are the transport's until the frame is dissected.
 */
export function provisionalRow(cap: Capture, num: number): RowSummary {
  const i = num - 1;
  const f = cap.frames;
  const h = cap.hdr;
  const k = h.kind[i]!;
  const row: RowSummary = {
    num,
    time: f.tsSec[i]! - f.tsSec[0]! + (f.tsNsec[i]! - f.tsNsec[0]!) / 1e9,
    src: '',
    dst: '',
    protocol: '',
    length: f.origLen[i]!,
    info: '',
    pending: true,
  };
  if (k & F_COMPLEX) return row;
  if (k & F_IP4) {
    row.src = ipv4ToString(h.ip4Src[i]!);
    row.dst = ipv4ToString(h.ip4Dst[i]!);
    row.protocol = 'IPv4';
  } else if (k & F_IP6) {
    row.src = ipv6ToString(h.ip6Table[h.ip6Src[i]!]!);
    row.dst = ipv6ToString(h.ip6Table[h.ip6Dst[i]!]!);
    row.protocol = 'IPv6';
  }
  if (k & F_TCP) {
    const fl = h.tcpFlags[i]!;
    const names = TCP_FLAG_NAMES.filter(([m]) => fl & m).map(([, n]) => n);
    row.protocol = 'TCP';
    row.info = `${h.sport[i]} \u2192 ${h.dport[i]} [${names.join(', ')}] Win=${h.tcpWin[i]} Len=${h.l4Len[i]}`;
  } else if (k & F_UDP) {
    row.protocol = 'UDP';
    row.info = `${h.sport[i]} \u2192 ${h.dport[i]} Len=${h.l4Len[i]! - 8}`;
  } else if (k & F_ICMP) row.protocol = 'ICMP';
  else if (k & F_ICMP6) row.protocol = 'ICMPv6';
  return row;
}
