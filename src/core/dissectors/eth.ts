// Ethernet II / 802.3 frames and the shared ethertype hand-off (with padding and trailer as Wireshark shows them).
import { fields, protocol } from '../fields/registry';
import { etherToString } from '../fields/format';
import { GENERATED, HIDDEN, type Item, type Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { lookup, register } from '../dissect/tables';
import { dissectData } from './data';
import { resolveEther } from './names';
// MPLS rides on ethertypes; loaded here until index.ts lists it
import './mpls';

export const proto_eth = protocol('eth', 'Ethernet');
export const proto_ethertype = protocol('ethertype', 'Ethertype');

/** Ethertype names as Wireshark shows them (eth.type and friends). */
export const ETHERTYPES: Record<number, string> = {
  0x0600: 'XNS Internet Datagram Protocol', 0x0800: 'IPv4', 0x0805: 'X.25 Layer 3', 0x0806: 'ARP',
  0x0842: 'Wake on LAN', 0x08f0: 'WiMax Mac-to-Mac', 0x08ff: 'AX.25', 0x2001: 'Cisco Group Management Protocol',
  0x22e5: 'Gigamon Header', 0x22ea: '802.1Qat Multiple Stream Reservation Protocol',
  0x22f0: 'IEEE 1722 Audio Video Transport Protocol', 0x22f1: 'Robust Header Compression(RoHC)',
  0x22f3: 'Transparent Interconnection of Lots of Links', 0x22f4: 'Intermediate System to Intermediate System',
  0x6000: 'DEC proto', 0x6001: 'DEC DNA Dump/Load', 0x6002: 'DEC DNA Remote Console', 0x6003: 'DEC DNA Routing',
  0x6004: 'DEC LAT', 0x6005: 'DEC Diagnostics', 0x6006: 'DEC Customer use', 0x6007: 'DEC LAVC/SCA',
  0x8021: 'PPP IP Control Protocol', 0x8035: 'RARP', 0x8038: 'DEC LanBridge', 0x8041: 'DEC LAST',
  0x809b: 'AppleTalk LLAP bridging', 0x80d5: 'SNA-over-Ethernet', 0x80e1: 'EtherNet/IP Device Level Ring',
  0x80f3: 'AARP', 0x80fd: 'PPP Compression Control Protocol', 0x80ff: 'Wellfleet Compression Protocol',
  0x8100: '802.1Q Virtual LAN', 0x8102: 'Simple Loop Protection Protocol', 0x8103: 'Virtual LACP',
  0x8104: 'Simple Loop Protection Protocol (old)', 0x8133: 'Juniper Netscreen Redundant Protocol',
  0x8137: 'Netware IPX/SPX', 0x8181: 'Spanning Tree Protocol', 0x81fd: 'Cabletron Interswitch Message Protocol',
  0x81ff: 'Cabletron SFVLAN 1.8 Tag-Based Flood', 0x8204: 'QNX 6 QNET protocol', 0x86dd: 'IPv6',
  0x872d: 'Cisco Wireless Lan Context Control Protocol', 0x8783: 'Motorola Media Independent Network Transport',
  0x8808: 'MAC Control', 0x8809: 'Slow Protocols', 0x8819: 'Cirrus Cobranet Packet',
  0x8847: 'MPLS label switched packet', 0x8848: 'MPLS multicast label switched packet',
  0x885a: 'Foundry proprietary', 0x8863: 'PPPoE Discovery', 0x8864: 'PPPoE Session',
  0x886c: 'HomePNA, wlan link local tunnel', 0x886d: 'Intel ANS probe', 0x886f: 'MS NLB heartbeat',
  0x8870: 'Jumbo LLC', 0x8874: 'Broadcom tag', 0x887b: 'Homeplug', 0x8881: 'CDMA2000 A10 Unstructured byte stream',
  0x8884: 'ATM over Ethernet', 0x888e: '802.1X Authentication', 0x8892: 'PROFINET',
  0x8899: 'Realtek Layer 2 Protocols', 0x889b: 'CSM_ENCAPS Protocol', 0x88a1: 'Telkonet powerline',
  0x88a2: 'ATA over Ethernet', 0x88a4: 'EtherCAT frame', 0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x88ab: 'ETHERNET Powerlink v2', 0x88ad: 'XiMeta Technology', 0x88b4: 'WAI Authentication Protocol',
  0x88b5: 'Local Experimental Ethertype 1', 0x88b6: 'Local Experimental Ethertype 2',
  0x88b7: 'IEEE 802a OUI Extended Ethertype', 0x88b8: 'IEC 61850/GOOSE',
  0x88b9: 'IEC 61850/GSE management services', 0x88ba: 'IEC 61850/SV (Sampled Value Transmission',
  0x88c7: '802.11i Pre-Authentication', 0x88ca: 'Transparent Inter Process Communication',
  0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)', 0x88d2: 'CDMA2000 A10 3GPP2 Packet',
  0x88d8: 'Circuit Emulation Services over Ethernet (MEF8)', 0x88d9: 'Link Layer Topology Discovery (LLTD)',
  0x88dc: '(WAVE) Short Message Protocol (WSM)', 0x88de: 'VMware Lab Manager', 0x88e1: 'Homeplug AV',
  0x88e3: 'MRP', 0x88e5: '802.1AE (MACsec)', 0x88e7: '802.1ah Provider Backbone Bridge (mac-in-mac)',
  0x88ee: 'Ethernet Local Management Interface (MEF16)', 0x88f6: '802.1ak Multiple Mac Registration Protocol',
  0x88f7: 'PTPv2 over Ethernet (IEEE1588)', 0x88f8: 'Network Controller Sideband Interface',
  0x88fb: 'Parallel Redundancy Protocol (PRP) and HSR Supervision (IEC62439 Part 3)',
  0x8901: 'Flow Layer Internal Protocol', 0x8902: 'IEEE 802.1ag Connectivity Fault Management (CFM) protocol',
  0x8906: 'Fibre Channel over Ethernet', 0x8909: 'CiscoMetaData', 0x890d: 'IEEE 802.11 data encapsulation',
  0x8911: 'LINX IPC Protocol', 0x8914: 'FCoE Initialization Protocol', 0x8915: 'RDMA over Converged Ethernet',
  0x8917: 'Media Independent Handover Protocol', 0x891d: 'TTEthernet Protocol Control Frame', 0x8926: 'VN-Tag',
  0x892b: 'Schweitzer Engineering Labs Layer 2 Protocol', 0x892d: 'bluecom Protocol',
  0x892f: 'High-availability Seamless Redundancy (IEC62439 Part 3)',
  0x893a: '1905.1a Convergent Digital Home Network for Heterogenous Technologies',
  0x893f: '802.1br Bridge Port Extension E-Tag', 0x8947: 'GeoNetworking', 0x894f: 'Network Service Header',
  0x8988: 'PA HB Backup', 0x9000: 'Loopback', 0x9021: 'Real-Time Media Access Control',
  0x9022: 'Real-Time Configuration Protocol', 0x9100: 'QinQ: old non-standard 802.1ad',
  0x9104: 'EERO Broadcast Packet', 0x99fe: 'Technically Enhanced Capture Module Protocol (TECMP)',
  0xa0ed: '6LoWPAN', 0xc021: 'PPP Link Control Protocol', 0xc023: 'PPP Password Authentication Protocol',
  0xc0de: 'eXpressive Internet Protocol', 0xc0df: 'Neighborhood Watch Protocol', 0xfff2: 'Cisco ACI ARP gleaning',
};

export const hf = fields({
  dst: { abbrev: 'eth.dst', name: 'Destination', type: 'ether' },
  src: { abbrev: 'eth.src', name: 'Source', type: 'ether' },
  addr: { abbrev: 'eth.addr', name: 'Address', type: 'ether' },
  dst_resolved: { abbrev: 'eth.dst_resolved', name: 'Destination (resolved)', type: 'string' },
  src_resolved: { abbrev: 'eth.src_resolved', name: 'Source (resolved)', type: 'string' },
  addr_resolved: { abbrev: 'eth.addr_resolved', name: 'Address (resolved)', type: 'string' },
  dst_oui: { abbrev: 'eth.dst.oui', name: 'Destination OUI', type: 'uint', bits: 24 },
  src_oui: { abbrev: 'eth.src.oui', name: 'Source OUI', type: 'uint', bits: 24 },
  addr_oui: { abbrev: 'eth.addr.oui', name: 'Address OUI', type: 'uint', bits: 24 },
  dst_oui_resolved: { abbrev: 'eth.dst.oui_resolved', name: 'Destination OUI (resolved)', type: 'string' },
  src_oui_resolved: { abbrev: 'eth.src.oui_resolved', name: 'Source OUI (resolved)', type: 'string' },
  addr_oui_resolved: { abbrev: 'eth.addr.oui_resolved', name: 'Address OUI (resolved)', type: 'string' },
  lg: {
    abbrev: 'eth.lg',
    name: 'LG bit',
    type: 'bool',
    bits: 24,
    mask: 0x020000,
    tf: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'],
  },
  ig: {
    abbrev: 'eth.ig',
    name: 'IG bit',
    type: 'bool',
    bits: 24,
    mask: 0x010000,
    tf: ['Group address (multicast/broadcast)', 'Individual address (unicast)'],
  },
  dst_lg: {
    abbrev: 'eth.dst.lg',
    name: 'LG bit',
    type: 'bool',
    bits: 24,
    mask: 0x020000,
    tf: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'],
  },
  dst_ig: {
    abbrev: 'eth.dst.ig',
    name: 'IG bit',
    type: 'bool',
    bits: 24,
    mask: 0x010000,
    tf: ['Group address (multicast/broadcast)', 'Individual address (unicast)'],
  },
  src_lg: {
    abbrev: 'eth.src.lg',
    name: 'LG bit',
    type: 'bool',
    bits: 24,
    mask: 0x020000,
    tf: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'],
  },
  src_ig: {
    abbrev: 'eth.src.ig',
    name: 'IG bit',
    type: 'bool',
    bits: 24,
    mask: 0x010000,
    tf: ['Group address (multicast/broadcast)', 'Individual address (unicast)'],
  },
  type: { abbrev: 'eth.type', name: 'Type', type: 'uint', bits: 16, base: 'hex', values: ETHERTYPES },
  len: { abbrev: 'eth.len', name: 'Length', type: 'uint', bits: 16 },
  padding: { abbrev: 'eth.padding', name: 'Padding', type: 'bytes' },
  trailer: { abbrev: 'eth.trailer', name: 'Trailer', type: 'bytes' },
  fcs: { abbrev: 'eth.fcs', name: 'Frame check sequence', type: 'uint', bits: 32, base: 'hex' },
  fcs_status: {
    abbrev: 'eth.fcs.status',
    name: 'FCS Status',
    type: 'uint',
    bits: 8,
    values: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present' },
  },
  padding_bad: {
    abbrev: 'eth.padding_bad',
    name: 'Padding identification may be inaccurate and impact trailer dissector',
    type: 'none',
  },
});

function addrTree(pkt: Packet, top: Item, which: 'dst' | 'src', tvb: Tvb, off: number): void {
  const mac = tvb.slice(off, 6);
  const res = resolveEther(mac);
  const text = `${which === 'dst' ? 'Destination' : 'Source'}: ${res} (${etherToString(mac)})`;
  const top3 = tvb.u24(off);
  const it = pkt.add(top, which === 'dst' ? hf.dst : hf.src, tvb, off, 6, mac, pkt.tree ? text : undefined);
  pkt.hidden(it, which === 'dst' ? hf.dst_resolved : hf.src_resolved, tvb, off, 6, res);
  // the OUI as a number (hidden); the vendor's long name (oui_resolved) is not kept, only the short one
  pkt.hidden(it, which === 'dst' ? hf.dst_oui : hf.src_oui, tvb, off, 3, top3);
  pkt.add(it, hf.addr, tvb, off, 6, mac, pkt.tree ? `Address: ${res} (${etherToString(mac)})` : undefined);
  pkt.hidden(it, hf.addr_resolved, tvb, off, 6, res);
  pkt.hidden(it, hf.addr_oui, tvb, off, 3, top3);
  // tshark shows eth.dst.lg/eth.src.lg and hides the aggregate eth.lg (same for IG)
  pkt.add(it, which === 'dst' ? hf.dst_lg : hf.src_lg, tvb, off, 3, (top3 >> 17) & 1);
  pkt.add(it, hf.lg, tvb, off, 3, (top3 >> 17) & 1, undefined, HIDDEN);
  pkt.add(it, which === 'dst' ? hf.dst_ig : hf.src_ig, tvb, off, 3, (top3 >> 16) & 1);
  pkt.add(it, hf.ig, tvb, off, 3, (top3 >> 16) & 1, undefined, HIDDEN);
}

function dissectEth(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  // tshark lists the layer and sets the column even when the header is cut short
  pkt.protocolCol.set('Ethernet');
  pkt.layers.push(proto_eth.abbrev);
  tvb.check(0, 14);
  const dst = tvb.slice(0, 6);
  const src = tvb.slice(6, 6);
  const type = tvb.u16(12);
  const dstS = resolveEther(dst);
  const srcS = resolveEther(src);
  pkt.protocolCol.set('Ethernet');
  pkt.info.set(type <= 1500 ? 'IEEE 802.3 Ethernet' : 'Ethernet II');
  // Link-layer columns show resolved MAC names ("Broadcast", vendor prefixes), as Wireshark's defaults.
  pkt.p.dlSrc = srcS;
  pkt.p.dlDst = dstS;
  if (type <= 1500) {
    // IEEE 802.3 with a length field: LLC follows
    const top = pkt.add(parent, proto_eth, tvb, 0, 14, undefined, pkt.tree ? `IEEE 802.3 Ethernet ` : undefined);
    addrTree(pkt, top, 'dst', tvb, 0);
    addrTree(pkt, top, 'src', tvb, 6);
    pkt.item(top, hf.len, tvb, 12, 2);
    const payload = tvb.sub(14, Math.min(type, tvb.reported - 14));
    const llc = lookup('llc.dsap', -1);
    if (!llc || !llc(payload, pkt, parent)) dissectData(payload, pkt, parent);
    return 14 + type;
  }
  const top = pkt.add(
    parent,
    proto_eth,
    tvb,
    0,
    14,
    undefined,
    pkt.tree ? `Ethernet II, Src: ${srcS} (${etherToString(src)}), Dst: ${dstS} (${etherToString(dst)})` : undefined,
  );
  addrTree(pkt, top, 'dst', tvb, 0);
  addrTree(pkt, top, 'src', tvb, 6);
  dissectEthertype(tvb, pkt, parent, top, type, 12, 14, true, hf.type, hf.trailer, true, true);
  return tvb.reported;
}

/**
 * The shared ethertype hand-off: adds the Type field under `typeParent`, runs the payload dissector,
 * and shows bytes past what the payload claimed as padding (up to the 60-byte minimum frame) and trailer.
 */
export function dissectEthertype(
  tvb: Tvb,
  pkt: Packet,
  parent: Item | null,
  typeParent: Item,
  type: number,
  typeOff: number,
  payloadOff: number,
  /** whether the Ethernet minimum-frame padding rule applies (Ethernet, VLAN on Ethernet, Linux cooked) */
  ethPadding: boolean,
  typeField = hf.type,
  /** the field for bytes past the padding (vlan.trailer, sll.trailer…) */
  trailerField = hf.trailer,
  /** false when the caller already added the type field (SLL v2 has it first) */
  addType = true,
  /** plain Ethernet only: guess whether the frame ends with an FCS, as Wireshark does when the file doesn't say */
  fcsHeuristic = false,
): void {
  if (addType) {
    const known = ETHERTYPES[type] !== undefined;
    pkt.item(typeParent, typeField, tvb, typeOff, 2, pkt.tree && !known ? `${typeField.name}: Unknown (0x${type.toString(16).padStart(4, '0')})` : undefined);
  }
  pkt.layers.push('ethertype');
  const payload = tvb.sub(payloadOff);
  const d = lookup('ethertype', type);
  let used = -1;
  const ok = pkt.guard(ETHERTYPES[type] ?? 'Ethertype', () => {
    if (!d) {
      // no dissector: Wireshark shows the number as protocol and the ethertype's name as info
      pkt.protocolCol.set(`0x${type.toString(16).padStart(4, '0')}`);
      if (ETHERTYPES[type]) pkt.info.set(ETHERTYPES[type]!);
      dissectData(payload, pkt, parent);
      used = payload.reported;
      return;
    }
    const r = d(payload, pkt, parent);
    if (r === 0 || r === false) {
      // the dissector declined (IPv6 with another version): as if there were none
      pkt.protocolCol.set(`0x${type.toString(16).padStart(4, '0')}`);
      if (ETHERTYPES[type]) pkt.info.set(ETHERTYPES[type]!);
      dissectData(payload, pkt, parent);
      used = payload.reported;
      return;
    }
    used = typeof r === 'number' ? r : payload.reported;
  });
  if (!ok || used < 0 || used >= payload.reported) return;
  // Bytes the payload protocol did not claim: padding up to 60 bytes, the rest trailer.
  const extraStart = payloadOff + used;
  const total = tvb.reported;
  if (extraStart >= total) return;
  const absStart = tvb.base + extraStart;
  const frameLen = tvb.base + total;
  let padEnd = extraStart;
  // a frame shorter than the 60-byte minimum can hold no padding
  if (ethPadding && absStart < 60 && frameLen >= 60) padEnd = Math.min(total, extraStart + (60 - absStart));
  const avail = (a: number, b: number) => Math.max(0, Math.min(b, tvb.length) - a);
  // padding must be zeros; otherwise Wireshark shows everything as trailer and says so
  let badPadding = false;
  for (let i = extraStart; i < Math.min(padEnd, tvb.length); i++) {
    if (tvb.bytes[i] !== 0) {
      badPadding = true;
      padEnd = extraStart;
      break;
    }
  }
  if (padEnd > extraStart) {
    const n = avail(extraStart, padEnd);
    pkt.add(typeParent, hf.padding, tvb, extraStart, n, tvb.bytes.subarray(extraStart, extraStart + n));
  }
  // a frame of at least 64 bytes with 4 or more bytes after the padding: the last 4 are taken as the FCS
  const fcs = fcsHeuristic && frameLen >= 64 && total - padEnd >= 4 && tvb.length >= total;
  const trailerEnd = fcs ? total - 4 : total;
  if (padEnd < trailerEnd) {
    const n = avail(padEnd, trailerEnd);
    if (n > 0) {
      const t = pkt.add(typeParent, trailerField, tvb, padEnd, n, tvb.bytes.subarray(padEnd, padEnd + n));
      if (badPadding) {
        pkt.expert(t, 'note', 'protocol', "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.", hf.padding_bad);
      }
    }
  }
  if (fcs) {
    const v = tvb.u32(total - 4);
    pkt.add(typeParent, hf.fcs, tvb, total - 4, 4, v, `Frame check sequence: 0x${v.toString(16).padStart(8, '0')} [unverified]`);
    pkt.add(typeParent, hf.fcs_status, tvb, total, 0, 2, 'FCS Status: Unverified', GENERATED);
  }
}

register('wtap_encap', 1, dissectEth);
