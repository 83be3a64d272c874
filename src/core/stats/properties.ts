// Capture file properties (Wireshark's Statistics › Capture File Properties, `capinfos`): the file's
// format, link types and interfaces, section and packet comments, and the packet/byte counts, first and
// last packet times, elapsed time and average rates of all, displayed and marked packets.

import type { Capture } from '../capture';

/** Link-layer header type names (LINKTYPE_* numbers) as Wireshark names the encapsulations. */
export const LINK_TYPE_NAMES: Record<number, string> = {
  0: 'NULL/Loopback',
  1: 'Ethernet',
  6: 'IEEE 802.5 Token Ring',
  9: 'PPP',
  101: 'Raw IP',
  105: 'IEEE 802.11 Wireless LAN',
  108: 'OpenBSD loopback',
  113: 'Linux cooked-mode capture v1',
  127: 'IEEE 802.11 plus radiotap radio header',
  147: 'USER 0',
  228: 'Raw IPv4',
  229: 'Raw IPv6',
  276: 'Linux cooked-mode capture v2',
};

export function linkTypeName(lt: number): string {
  return LINK_TYPE_NAMES[lt] ?? `Unknown link type ${lt}`;
}

const FORMAT_NAMES: Record<string, string> = {
  pcap: 'Wireshark/tcpdump/... - pcap',
  'pcap-nsec': 'Wireshark/tcpdump/... - nanosecond pcap',
  pcapng: 'Wireshark/... - pcapng',
};

export interface Totals {
  packets: number;
  /** sum of the frames' lengths on the wire */
  bytes: number;
  /** earliest and latest timestamp (seconds since the epoch, with nanoseconds), null without timestamps */
  first: { sec: number; nsec: number } | null;
  last: { sec: number; nsec: number } | null;
  /** seconds from first to last */
  elapsed: number;
  /** averages over the elapsed time (0 when it is 0) */
  packetsPerSec: number;
  bytesPerSec: number;
  bitsPerSec: number;
  avgSize: number;
}

export interface InterfaceProps {
  index: number;
  name: string;
  description: string;
  linkType: number;
  linkName: string;
  snaplen: number;
  /** timestamp resolution as decimals (6 = µs) or a power of two ('2^-n') */
  precision: string;
  packets: number;
}

export interface CaptureProperties {
  name: string;
  /** bytes of the (decompressed) file */
  size: number;
  format: string;
  formatName: string;
  /** 'Ethernet', or 'Per packet' when the interfaces differ */
  encapsulation: string;
  /** link type name → packets */
  encapsulations: { linkType: number; name: string; packets: number }[];
  hardware: string;
  os: string;
  application: string;
  sectionComments: string[];
  interfaces: InterfaceProps[];
  captured: Totals;
  displayed: Totals | null;
  marked: Totals | null;
  packetComments: { frame: number; comment: string }[];
  /** reading stopped early (the file is cut short or damaged) */
  complete: boolean;
}

function precisionText(units: number): string {
  const d = Math.log10(units);
  if (Number.isInteger(d)) return `${d}`;
  const b = Math.log2(units);
  return Number.isInteger(b) ? `2^-${b}` : `1/${units}`;
}

/** Accumulates Totals frame by frame. */
export class TotalsCollector {
  private packets = 0;
  private bytes = 0;
  private first: { sec: number; nsec: number } | null = null;
  private last: { sec: number; nsec: number } | null = null;

  add(origLen: number, hasTs: boolean, sec: number, nsec: number): void {
    this.packets++;
    this.bytes += origLen;
    if (!hasTs) return;
    if (!this.first || sec < this.first.sec || (sec === this.first.sec && nsec < this.first.nsec)) this.first = { sec, nsec };
    if (!this.last || sec > this.last.sec || (sec === this.last.sec && nsec > this.last.nsec)) this.last = { sec, nsec };
  }

  totals(): Totals {
    const elapsed = this.first && this.last ? this.last.sec - this.first.sec + (this.last.nsec - this.first.nsec) / 1e9 : 0;
    const per = (x: number) => (elapsed > 0 ? x / elapsed : 0);
    return {
      packets: this.packets,
      bytes: this.bytes,
      first: this.first,
      last: this.last,
      elapsed,
      packetsPerSec: per(this.packets),
      bytesPerSec: per(this.bytes),
      bitsPerSec: per(this.bytes * 8),
      avgSize: this.packets ? this.bytes / this.packets : 0,
    };
  }
}

function totalsOf(cap: Capture, frames: ArrayLike<number> | null): Totals {
  const t = cap.frames;
  const c = new TotalsCollector();
  const n = frames ? frames.length : t.count;
  for (let k = 0; k < n; k++) {
    const num = frames ? frames[k]! : k + 1;
    if (num < 1 || num > t.count) continue;
    const i = num - 1;
    c.add(t.origLen[i]!, !t.noTs.has(num), t.tsSec[i]!, t.tsNsec[i]!);
  }
  return c.totals();
}

/**
 * The properties of the frames read so far. `displayed` is the displayed list (null when no filter is
 * applied: then no separate column), `marked` the marked frames (null or empty: none).
 */
export function captureProperties(
  cap: Capture,
  opts: { name: string; size: number; displayed?: ArrayLike<number> | null; marked?: ArrayLike<number> | null },
): CaptureProperties {
  const info = cap.info;
  const t = cap.frames;
  const perIface = new Array<number>(info.interfaces.length).fill(0);
  for (let i = 0; i < t.count; i++) perIface[t.iface[i]!] = (perIface[t.iface[i]!] ?? 0) + 1;
  const enc = new Map<number, number>();
  info.interfaces.forEach((f, i) => enc.set(f.linkType, (enc.get(f.linkType) ?? 0) + (perIface[i] ?? 0)));
  const encapsulations = [...enc].map(([linkType, packets]) => ({ linkType, name: linkTypeName(linkType), packets }));
  const comments: { frame: number; comment: string }[] = [];
  for (const [frame, list] of [...t.comments].sort((a, b) => a[0] - b[0])) for (const c of list) comments.push({ frame, comment: c });
  return {
    name: opts.name,
    size: opts.size,
    format: info.format,
    formatName: FORMAT_NAMES[info.format] ?? info.format,
    encapsulation: encapsulations.length === 1 ? encapsulations[0]!.name : encapsulations.length ? 'Per packet' : 'Unknown',
    encapsulations,
    hardware: info.hardware,
    os: info.os,
    application: info.application,
    sectionComments: [...info.sectionComments],
    interfaces: info.interfaces.map((f, i) => ({
      index: i,
      name: f.name,
      description: f.description,
      linkType: f.linkType,
      linkName: linkTypeName(f.linkType),
      snaplen: f.snaplen,
      precision: precisionText(f.tsUnitsPerSec),
      packets: perIface[i] ?? 0,
    })),
    captured: totalsOf(cap, null),
    displayed: opts.displayed ? totalsOf(cap, opts.displayed) : null,
    marked: opts.marked && opts.marked.length ? totalsOf(cap, opts.marked) : null,
    packetComments: comments,
    complete: cap.done && !cap.error,
  };
}

/** '2026-11-22 00:46:18.338004' (UTC) with as many decimals as asked. */
export function utcTimeText(t: { sec: number; nsec: number } | null, digits = 6): string {
  if (!t) return 'n/a';
  const d = new Date(t.sec * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const frac = digits > 0 ? '.' + String(t.nsec).padStart(9, '0').slice(0, digits) : '';
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${frac}`;
}
