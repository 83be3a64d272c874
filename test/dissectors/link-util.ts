// Shared helpers of the link/network/transport dissector tests: in-memory pcaps, trees without the frame layer, field values.
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import { treeText } from '../../src/core/dissect/label';
import { fieldText } from '../../src/core/fields/format';
import type { Item, Packet } from '../../src/core/dissect/packet';
import { DEFAULT_PREFS, type Prefs } from '../../src/core/dissect/session';

/** Bytes from a hex string (whitespace ignored). */
export const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));

/** A little-endian µs pcap with one record per frame; frame i is stamped `t0 + times[i]` seconds. */
export function pcap(frames: Uint8Array[], linkType = 1, times?: number[]): Uint8Array {
  const parts: number[] = [];
  const u32 = (v: number) => parts.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
  const u16 = (v: number) => parts.push(v & 255, (v >>> 8) & 255);
  u32(0xa1b2c3d4), u16(2), u16(4), u32(0), u32(0), u32(65535), u32(linkType);
  frames.forEach((f, i) => {
    const t = times ? times[i]! : 1000 + i;
    const s = Math.floor(t);
    u32(s), u32(Math.round((t - s) * 1e6)), u32(f.length), u32(f.length);
    for (const b of f) parts.push(b);
  });
  return Uint8Array.from(parts);
}

/** Load a capture made of `frames` (first pass done). */
export function load(frames: Uint8Array[], linkType = 1, times?: number[], prefs: Partial<Prefs> = {}): Capture {
  const cap = new Capture(new MemorySource(pcap(frames, linkType, times)), { ...DEFAULT_PREFS, ...prefs });
  cap.load();
  return cap;
}

/** The tree below the frame layer, as tshark -V prints it but with 2-space indents. */
export function tree(pkt: Packet): string {
  return treeText(pkt.items.slice(1));
}

/** Every value of a field in the packet, comma-joined like `tshark -T fields -E occurrence=a -E aggregator=,`. */
export function fieldValues(pkt: Packet, abbrev: string): string {
  const out: string[] = [];
  const walk = (items: readonly Item[]) => {
    for (const it of items) {
      if (it.f.abbrev === abbrev) out.push(fieldText(it.f, it.v));
      if (it.children) walk(it.children);
    }
  };
  walk(pkt.items);
  return out.join(',');
}

/** Several fields at once, tab-separated as `tshark -T fields` prints a row. */
export function row(pkt: Packet, abbrevs: string[]): string {
  return abbrevs.map((a) => fieldValues(pkt, a)).join('\t');
}

/** The frame.protocols string. */
export function protocols(pkt: Packet): string {
  return fieldValues(pkt, 'frame.protocols');
}
