// NULL/loopback link types: LINKTYPE_NULL (0, address family in either byte order) and LINKTYPE_LOOP (108, network order).
import { fields, protocol } from '../fields/registry';
import type { Item, Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { lookup, register } from '../dissect/tables';
import { dissectData } from './data';

export const proto_null = protocol('null', 'Null/Loopback');

/** BSD address families (the values Wireshark knows). */
const FAMILY: Record<number, string> = {
  2: 'IP',
  7: 'OSI',
  16: 'Appletalk',
  23: 'Netware IPX/SPX',
  24: 'IPv6',
  28: 'IPv6',
  30: 'IPv6',
};

export const hf = fields({
  family: { abbrev: 'null.family', name: 'Family', type: 'uint', bits: 32, values: FAMILY },
  type: { abbrev: 'null.type', name: 'Type', type: 'uint', bits: 16, base: 'hex' },
});

function dissect(tvb: Tvb, pkt: Packet, parent: Item | null, anyOrder: boolean): number {
  pkt.protocolCol.set('N/A');
  pkt.info.set('Null/Loopback');
  const top = pkt.proto(parent, proto_null, tvb, 0, 4, 'Null/Loopback');
  tvb.check(0, 4);
  let family = tvb.u32(0);
  // LINKTYPE_NULL holds the family in the capturing host's byte order: a value with its high half set is swapped
  if (anyOrder && family > 0xffff) family = tvb.u32le(0);
  pkt.add(top, hf.family, tvb, 0, 4, family, pkt.tree && !FAMILY[family] ? `Family: Unknown (${family})` : undefined);
  const payload = tvb.sub(4);
  const d = lookup('null.type', family);
  if (!d || !d(payload, pkt, parent)) dissectData(payload, pkt, parent);
  return tvb.reported;
}

register('wtap_encap', 0, (tvb, pkt, parent) => dissect(tvb, pkt, parent, true));
register('wtap_encap', 108, (tvb, pkt, parent) => dissect(tvb, pkt, parent, false));
