// 802.1Q VLAN tags (ethertype 0x8100) and 802.1ad provider tags (0x88a8), handing off by the inner ethertype.
import { fields, protocol } from '../fields/registry';
import type { Item, Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { lookup, register } from '../dissect/tables';
import { ETHERTYPES, dissectEthertype } from './eth';
import { dissectData } from './data';

export const proto_vlan = protocol('vlan', '802.1Q Virtual LAN');
export const proto_8021ad = protocol('ieee8021ad', 'IEEE 802.1ad');

const PRIORITY: Record<number, string> = {
  0: 'Best Effort (default)',
  1: 'Background',
  2: 'Excellent Effort',
  3: 'Critical Applications',
  4: 'Video, < 100ms latency and jitter',
  5: 'Voice, < 10ms latency and jitter',
  6: 'Internetwork Control',
  7: 'Network Control',
};

export const hf = fields({
  priority: { abbrev: 'vlan.priority', name: 'Priority', type: 'uint', bits: 16, mask: 0xe000, values: PRIORITY },
  dei: { abbrev: 'vlan.dei', name: 'DEI', type: 'bool', bits: 16, mask: 0x1000, tf: ['Eligible', 'Ineligible'] },
  id: { abbrev: 'vlan.id', name: 'ID', type: 'uint', bits: 16, mask: 0x0fff },
  etype: { abbrev: 'vlan.etype', name: 'Type', type: 'uint', bits: 16, base: 'hex', values: ETHERTYPES },
  len: { abbrev: 'vlan.len', name: 'Length', type: 'uint', bits: 16 },
  trailer: { abbrev: 'vlan.trailer', name: 'Trailer', type: 'bytes' },
  ad_priority: { abbrev: 'ieee8021ad.priority', name: 'Priority', type: 'uint', bits: 16, mask: 0xe000 },
  ad_dei: { abbrev: 'ieee8021ad.dei', name: 'DEI', type: 'uint', bits: 16, mask: 0x1000 },
  ad_id: { abbrev: 'ieee8021ad.id', name: 'ID', type: 'uint', bits: 16, mask: 0x0fff },
  // Wireshark's 802.1ad dissector labels its type field with the 802.1ah abbrev
  ad_etype: { abbrev: 'ieee8021ah.etype', name: 'Type', type: 'uint', bits: 16, base: 'hex', values: ETHERTYPES },
});

function dissectVlan(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  // column and layer before any read: a cut tag still shows as VLAN
  pkt.protocolCol.set('VLAN');
  pkt.info.clear();
  pkt.layers.push(proto_vlan.abbrev);
  const tci = tvb.u16(0);
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const id = tci & 0xfff;
  pkt.info.set(`PRI: ${pri}  DEI: ${dei}  ID: ${id}`);
  const top = pkt.add(parent, proto_vlan, tvb, 0, Math.min(4, tvb.length), undefined, `802.1Q Virtual LAN, PRI: ${pri}, DEI: ${dei}, ID: ${id}`);
  pkt.item(top, hf.priority, tvb, 0, 2);
  pkt.item(top, hf.dei, tvb, 0, 2);
  pkt.item(top, hf.id, tvb, 0, 2);
  const type = tvb.u16(2);
  if (type <= 1500) {
    // a length: 802.2 LLC follows
    pkt.item(top, hf.len, tvb, 2, 2);
    const payload = tvb.sub(4, Math.min(type, tvb.reported - 4));
    const llc = lookup('llc.dsap', -1);
    if (!llc || !llc(payload, pkt, parent)) dissectData(payload, pkt, parent);
    return 4 + type;
  }
  dissectEthertype(tvb, pkt, parent, top, type, 2, 4, true, hf.etype, hf.trailer);
  return tvb.reported;
}

function dissect8021ad(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  pkt.protocolCol.set('802.1ad');
  pkt.info.clear();
  pkt.layers.push(proto_8021ad.abbrev);
  const tci = tvb.u16(0);
  const id = tci & 0xfff;
  pkt.info.set(`PRI: ${tci >> 13}  DROP: ${(tci >> 12) & 1} ID: ${id}`);
  const top = pkt.add(parent, proto_8021ad, tvb, 0, Math.min(4, tvb.length), undefined, `IEEE 802.1ad, ID: ${id}`);
  pkt.item(top, hf.ad_priority, tvb, 0, 2);
  pkt.item(top, hf.ad_dei, tvb, 0, 2);
  pkt.item(top, hf.ad_id, tvb, 0, 2);
  const type = tvb.u16(2);
  dissectEthertype(tvb, pkt, parent, top, type, 2, 4, true, hf.ad_etype, hf.trailer);
  return tvb.reported;
}

register('ethertype', 0x8100, dissectVlan);
register('ethertype', 0x88a8, dissect8021ad);
