// Raw IP link types: LINKTYPE_RAW (101, "Raw packet data", dispatch on the version nibble) and LINKTYPE_IPV4 (228).
import { protocol } from '../fields/registry';
import type { Item, Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { lookup, register } from '../dissect/tables';
import { dissectData } from './data';

export const proto_raw = protocol('raw', 'Raw packet data');

function dissectRaw(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  pkt.protocolCol.set('N/A');
  pkt.info.set('Raw packet data');
  pkt.proto(parent, proto_raw, tvb, 0, -1, 'Raw packet data');
  const version = tvb.u8(0) >> 4;
  const d = version === 4 ? lookup('ethertype', 0x0800) : version === 6 ? lookup('ethertype', 0x86dd) : undefined;
  if (!d || !d(tvb, pkt, parent)) dissectData(tvb, pkt, parent);
  return tvb.reported;
}

/** LINKTYPE_IPV4: the packet is the IPv4 header, no link layer shown (LINKTYPE_IPV6 is registered by ipv6.ts). */
function dissectRawIp4(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  const d = lookup('ethertype', 0x0800);
  if (!d || !d(tvb, pkt, parent)) dissectData(tvb, pkt, parent);
  return tvb.reported;
}

register('wtap_encap', 101, dissectRaw);
register('wtap_encap', 228, dissectRawIp4);
