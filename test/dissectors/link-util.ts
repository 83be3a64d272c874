// Shared helpers of the link/network/transport dissector tests: in-memory pcaps, trees without the frame layer, field values.
import type { Capture } from '../../src/core/capture';
import { treeText } from '../../src/core/dissect/label';
import { fieldText } from '../../src/core/fields/format';
import type { Item, Packet } from '../../src/core/dissect/packet';
import type { Prefs } from '../../src/core/dissect/session';
import { loadFrames } from '../helpers/pcap';

export { hex } from '../helpers/pcap';

/** Load a capture made of `frames` (first pass done); frame i is stamped `times[i]` seconds (default 1000 + i). */
export function load(frames: Uint8Array[], linkType = 1, times?: number[], prefs: Partial<Prefs> = {}): Capture {
  return loadFrames(frames, { linkType, times }, prefs);
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
