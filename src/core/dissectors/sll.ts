// Linux cooked captures, v1 (LINKTYPE_LINUX_SLL 113) and v2 (LINKTYPE_LINUX_SLL2 276), handing off by protocol type.
import { fields, protocol } from '../fields/registry';
import { etherToString } from '../fields/format';
import type { Item, Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { lookup, register } from '../dissect/tables';
import { ETHERTYPES, dissectEthertype } from './eth';
import { resolveEther } from './names';
import { dissectData } from './data';

export const proto_sll = protocol('sll', 'Linux cooked capture v1');

const PKTTYPE: Record<number, string> = {
  0: 'Unicast to us',
  1: 'Broadcast',
  2: 'Multicast',
  3: 'Unicast to another host',
  4: 'Sent by us',
};

const HATYPE: Record<number, string> = {
  1: 'Ethernet', 6: 'IEEE 802', 24: 'IEEE 1394', 32: 'InfiniBand', 280: 'Controller Area Network', 512: 'PPP',
  513: 'Cisco HDLC', 519: 'Raw IP', 768: 'IPIP tunnel', 772: 'Loopback', 776: 'sit0 device - IPv6-in-IPv4',
  778: 'GRE over IP', 800: 'Magic type ident for TR', 801: 'IEEE 802.11', 802: 'IEEE 802.11 + Prism2 header',
  803: 'IEEE 802.11 + radiotap header', 804: 'IEEE 802.15.4', 824: 'Netlink', 65534: 'zero header length',
};

/** Linux protocol numbers below 1536 (not ethertypes). */
const LTYPE: Record<number, string> = {
  1: 'Raw 802.3', 3: 'Ethernet', 4: '802.2 LLC', 7: 'PPP (HDLC)', 0xc: 'CAN', 0xd: 'CAN FD', 0x17: 'IrDA LAP',
  0xf5: 'ISI', 0xf6: 'IEEE 802.15.4',
};

export const hf = fields({
  pkttype: { abbrev: 'sll.pkttype', name: 'Packet type', type: 'uint', bits: 16, values: PKTTYPE },
  hatype: { abbrev: 'sll.hatype', name: 'Link-layer address type', type: 'uint', bits: 16, values: HATYPE },
  halen: { abbrev: 'sll.halen', name: 'Link-layer address length', type: 'uint', bits: 16 },
  src_eth: { abbrev: 'sll.src.eth', name: 'Source', type: 'ether' },
  src_ipv4: { abbrev: 'sll.src.ipv4', name: 'Source', type: 'ipv4' },
  src_other: { abbrev: 'sll.src.other', name: 'Source', type: 'bytes' },
  unused: { abbrev: 'sll.unused', name: 'Unused', type: 'bytes' },
  ltype: { abbrev: 'sll.ltype', name: 'Protocol', type: 'uint', bits: 16, base: 'hex', values: LTYPE },
  etype: { abbrev: 'sll.etype', name: 'Protocol', type: 'uint', bits: 16, base: 'hex', values: ETHERTYPES },
  trailer: { abbrev: 'sll.trailer', name: 'Trailer', type: 'bytes' },
  ifindex: { abbrev: 'sll.ifindex', name: 'Interface index', type: 'uint', bits: 32 },
});

function hex4(n: number): string {
  return '0x' + n.toString(16).padStart(4, '0');
}

/** The address part: 8 bytes of which `halen` hold the sender's link-layer address. */
function address(tvb: Tvb, pkt: Packet, top: Item, off: number, halen: number): void {
  if (halen === 6) {
    const mac = tvb.slice(off, 6);
    const res = resolveEther(mac);
    pkt.add(top, hf.src_eth, tvb, off, 6, mac, pkt.tree ? `Source: ${res} (${etherToString(mac)})` : undefined);
    pkt.p.dlSrc = res;
  } else if (halen === 4) {
    pkt.item(top, hf.src_ipv4, tvb, off, 4);
  } else if (halen > 0) {
    pkt.item(top, hf.src_other, tvb, off, Math.min(halen, 8));
  }
  const used = Math.min(halen, 8);
  if (used < 8) pkt.item(top, hf.unused, tvb, off + used, 8 - used);
}

function protoItem(tvb: Tvb, pkt: Packet, top: Item, off: number, ptype: number): void {
  if (ptype < 1536) {
    const name = LTYPE[ptype];
    pkt.item(top, hf.ltype, tvb, off, 2, pkt.tree && !name ? `Protocol: Unknown (${hex4(ptype)})` : undefined);
  } else {
    const name = ETHERTYPES[ptype];
    pkt.item(top, hf.etype, tvb, off, 2, pkt.tree && !name ? `Protocol: Unknown (${hex4(ptype)})` : undefined);
  }
}

/** Hand-off by protocol: ethertypes through the shared ethertype code, Linux types by their own table. */
function payload(tvb: Tvb, pkt: Packet, top: Item, ptype: number, typeOff: number, hdrLen: number, typeDone: boolean): void {
  if (ptype >= 1536) {
    dissectEthertype(tvb, pkt, null, top, ptype, typeOff, hdrLen, true, hf.etype, hf.trailer, !typeDone);
    return;
  }
  if (!typeDone) protoItem(tvb, pkt, top, typeOff, ptype);
  const rest = tvb.sub(hdrLen);
  if (ptype === 4) {
    const llc = lookup('llc.dsap', -1);
    if (llc && llc(rest, pkt, null)) return;
  } else if (ptype === 1 || ptype === 3) {
    const d = lookup('wtap_encap', 1);
    if (ptype === 3 && d && d(rest, pkt, null)) return;
  }
  const d = lookup('sll.ltype', ptype);
  if (d && d(rest, pkt, null)) return;
  dissectData(rest, pkt, null);
}

function columns(pkt: Packet, pkttype: number): void {
  pkt.protocolCol.set('SLL');
  pkt.info.set(PKTTYPE[pkttype] ?? `Unknown (${pkttype})`);
  pkt.p.dlSrc = '';
  pkt.p.dlDst = '';
}

function dissectSll(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  // the layer is listed first, the columns once the packet type is read; fields follow as far as they go
  pkt.layers.push(proto_sll.abbrev);
  const pkttype = tvb.u16(0);
  columns(pkt, pkttype);
  const top = pkt.add(parent, proto_sll, tvb, 0, Math.min(16, tvb.length), undefined, 'Linux cooked capture v1');
  pkt.item(top, hf.pkttype, tvb, 0, 2, pkt.tree && !PKTTYPE[pkttype] ? `Packet type: Unknown (${pkttype})` : undefined);
  const hatype = tvb.u16(2);
  pkt.item(top, hf.hatype, tvb, 2, 2, pkt.tree && !HATYPE[hatype] ? `Link-layer address type: Unknown (${hatype})` : undefined);
  const halen = tvb.u16(4);
  pkt.item(top, hf.halen, tvb, 4, 2);
  address(tvb, pkt, top, 6, halen);
  const ptype = tvb.u16(14);
  payload(tvb, pkt, top, ptype, 14, 16, false);
  return tvb.reported;
}

function dissectSll2(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  pkt.layers.push(proto_sll.abbrev);
  const pkttype = tvb.u8(10);
  // tshark's Info reads two bytes here (packet type and address length): "Unknown (1030)" for 4/6
  columns(pkt, tvb.u16(10));
  const top = pkt.add(parent, proto_sll, tvb, 0, Math.min(20, tvb.length), undefined, 'Linux cooked capture v2');
  const ptype = tvb.u16(0);
  protoItem(tvb, pkt, top, 0, ptype);
  pkt.item(top, hf.ifindex, tvb, 4, 4);
  const hatype = tvb.u16(8);
  pkt.item(top, hf.hatype, tvb, 8, 2, pkt.tree && !HATYPE[hatype] ? `Link-layer address type: Unknown (${hatype})` : undefined);
  pkt.item(top, hf.pkttype, tvb, 10, 1, pkt.tree && !PKTTYPE[pkttype] ? `Packet type: Unknown (${pkttype})` : undefined);
  const halen = tvb.u8(11);
  pkt.item(top, hf.halen, tvb, 11, 1);
  address(tvb, pkt, top, 12, halen);
  payload(tvb, pkt, top, ptype, 0, 20, true);
  return tvb.reported;
}

register('wtap_encap', 113, dissectSll);
register('wtap_encap', 276, dissectSll2);
