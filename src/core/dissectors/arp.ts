// ARP and RARP (Ethernet/IPv4 addresses in full, others as bytes), gratuitous/probe/announcement forms, duplicate-IP detection.
import { fields, protocol } from '../fields/registry';
import { etherToString, ipv4ToString } from '../fields/format';
import { GENERATED, type Item, type Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { register } from '../dissect/tables';
import { ETHERTYPES } from './eth';
import { resolveEther } from './names';

export const proto_arp = protocol('arp', 'Address Resolution Protocol');

const HRD: Record<number, string> = {
  0: 'NET/ROM pseudo', 1: 'Ethernet', 2: 'Experimental Ethernet', 3: 'AX.25', 4: 'ProNET', 5: 'Chaos', 6: 'IEEE 802',
  7: 'ARCNET', 8: 'Hyperchannel', 9: 'Lanstar', 10: 'Autonet Short Address', 11: 'Localtalk', 12: 'LocalNet',
  13: 'Ultra link', 14: 'SMDS', 15: 'Frame Relay DLCI', 16: 'ATM', 17: 'HDLC', 18: 'Fibre Channel',
  19: 'ATM (RFC 2225)', 20: 'Serial Line', 21: 'ATM', 22: 'MIL-STD-188-220', 23: 'Metricom STRIP',
  24: 'IEEE 1394.1995', 25: 'MAPOS', 26: 'Twinaxial', 27: 'EUI-64', 28: 'HIPARP', 29: 'IP and ARP over ISO 7816-3',
  30: 'ARPSec', 31: 'IPsec tunnel', 32: 'InfiniBand', 33: 'TIA-102 Project 25 CAI', 34: 'Wiegand Interface',
  35: 'Pure IP', 36: 'Experimental 1', 37: 'HFI', 256: 'Experimental 2', 65535: 'Void type, nothing is known',
};

const OPCODES: Record<number, string> = {
  1: 'request', 2: 'reply', 3: 'reverse request', 4: 'reverse reply', 5: 'DRARP request', 6: 'DRARP reply',
  7: 'DRARP error', 8: 'inverse request', 9: 'inverse reply', 10: 'arp nak', 11: 'MARS request', 12: 'MARS multi',
  13: 'MARS mserv', 14: 'MARS join', 15: 'MARS leave', 16: 'MARS nak', 17: 'MARS unserv', 18: 'MARS sjoin',
  19: 'MARS sleave', 20: 'MARS grouplist request', 21: 'MARS grouplist reply', 22: 'MARS redirect map',
  23: 'MAPOS UNARP', 24: 'OP_EXP1', 25: 'OP_EXP2',
};

export const hf = fields({
  hw_type: { abbrev: 'arp.hw.type', name: 'Hardware type', type: 'uint', bits: 16, values: HRD },
  proto_type: { abbrev: 'arp.proto.type', name: 'Protocol type', type: 'uint', bits: 16, base: 'hex', values: ETHERTYPES },
  hw_size: { abbrev: 'arp.hw.size', name: 'Hardware size', type: 'uint', bits: 8 },
  proto_size: { abbrev: 'arp.proto.size', name: 'Protocol size', type: 'uint', bits: 8 },
  opcode: { abbrev: 'arp.opcode', name: 'Opcode', type: 'uint', bits: 16, values: OPCODES },
  isgratuitous: { abbrev: 'arp.isgratuitous', name: 'Is gratuitous', type: 'bool', tf: ['True', 'False'] },
  isprobe: { abbrev: 'arp.isprobe', name: 'Is probe', type: 'bool', tf: ['True', 'False'] },
  isannouncement: { abbrev: 'arp.isannouncement', name: 'Is announcement', type: 'bool', tf: ['True', 'False'] },
  src_hw: { abbrev: 'arp.src.hw', name: 'Sender hardware address', type: 'bytes' },
  src_hw_mac: { abbrev: 'arp.src.hw_mac', name: 'Sender MAC address', type: 'ether' },
  src_proto: { abbrev: 'arp.src.proto', name: 'Sender protocol address', type: 'bytes' },
  src_proto_ipv4: { abbrev: 'arp.src.proto_ipv4', name: 'Sender IP address', type: 'ipv4' },
  dst_hw: { abbrev: 'arp.dst.hw', name: 'Target hardware address', type: 'bytes' },
  dst_hw_mac: { abbrev: 'arp.dst.hw_mac', name: 'Target MAC address', type: 'ether' },
  dst_proto: { abbrev: 'arp.dst.proto', name: 'Target protocol address', type: 'bytes' },
  dst_proto_ipv4: { abbrev: 'arp.dst.proto_ipv4', name: 'Target IP address', type: 'ipv4' },
  dup_frame: { abbrev: 'arp.duplicate-address-frame', name: 'Frame showing earlier use of IP address', type: 'framenum' },
  dup_seconds: {
    abbrev: 'arp.seconds-since-duplicate-address-frame',
    name: 'Seconds since earlier frame seen',
    type: 'uint',
    bits: 32,
  },
  dup_detected: { abbrev: 'arp.duplicate-address-detected', name: 'Duplicate IP address configured', type: 'none' },
});

interface Dup {
  ip: number;
  mac: string;
  frame: number;
  /** the MAC seen earlier */
  prevMac: string;
  secs: number;
}
interface ArpState {
  /** first unicast MAC seen for each IPv4 address, with the latest frame that showed that pair */
  seen: Map<number, { mac: string; frame: number; sec: number }>;
}

/**
 * Duplicate-IP checks, done once in the first pass and saved: the sender pair of requests and replies,
 * and the target pair of replies. A pair that disagrees is reported and does not replace the first.
 * Returns one entry per check (null when that pair is fine).
 */
function duplicates(pkt: Packet, pairs: [number, Uint8Array][]): (Dup | null)[] {
  if (!pkt.firstPass) return pkt.session.frameData<(Dup | null)[]>('arp.dup', pkt.num) ?? [];
  const st = pkt.session.state<ArpState>('arp', () => ({ seen: new Map() }));
  const out: (Dup | null)[] = [];
  for (const [ip, mac] of pairs) {
    let r: Dup | null = null;
    if (ip !== 0 && !isZero(mac) && !(mac[0]! & 1)) {
      const m = etherToString(mac);
      const prev = st.seen.get(ip);
      if (!prev || prev.mac === m) st.seen.set(ip, { mac: m, frame: pkt.num, sec: pkt.meta.tsSec });
      else r = { ip, mac: m, frame: prev.frame, prevMac: prev.mac, secs: pkt.meta.tsSec - prev.sec };
    }
    out.push(r);
  }
  if (out.some(Boolean)) pkt.session.setFrameData('arp.dup', pkt.num, out);
  return out;
}

function isZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

function dissectArp(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  // the layer and column come before any read: a cut header still shows as ARP
  pkt.layers.push(proto_arp.abbrev);
  pkt.protocolCol.set('ARP');
  pkt.info.clear();
  const htype = tvb.u16(0);
  const ptype = tvb.u16(2);
  const hlen = tvb.u8(4);
  const plen = tvb.u8(5);
  const op = tvb.u16(6);
  const isRarp = op === 3 || op === 4;
  const isInverse = op === 8 || op === 9;
  const len = 8 + 2 * hlen + 2 * plen;
  const top = pkt.add(parent, proto_arp, tvb, 0, Math.max(0, Math.min(len, tvb.length)), undefined, 'Address Resolution Protocol');
  pkt.item(top, hf.hw_type, tvb, 0, 2, pkt.tree && !HRD[htype] ? `Hardware type: Unknown (${htype})` : undefined);
  pkt.item(top, hf.proto_type, tvb, 2, 2);
  pkt.item(top, hf.hw_size, tvb, 4, 1);
  pkt.item(top, hf.proto_size, tvb, 5, 1);
  pkt.item(top, hf.opcode, tvb, 6, 2, pkt.tree && !OPCODES[op] ? `Opcode: Unknown (${op})` : undefined);

  const sha = 8;
  const spa = sha + hlen;
  const tha = spa + plen;
  const tpa = tha + hlen;
  tvb.check(0, len);
  // the column names the kind of ARP only once the addresses are there
  pkt.protocolCol.set(isRarp ? 'RARP' : isInverse ? 'Inverse ARP' : 'ARP');
  const ethHw = (htype === 1 || htype === 6) && hlen === 6;
  const ip4 = ptype === 0x0800 && plen === 4;
  const shaB = tvb.slice(sha, hlen);
  const thaB = tvb.slice(tha, hlen);
  const spaV = ip4 ? tvb.u32(spa) : 0;
  const tpaV = ip4 ? tvb.u32(tpa) : 0;

  // RFC 5227 forms of a request, and gratuitous ARP (compared as bytes, whatever the address types)
  const request = op === 1;
  const reply = op === 2;
  const spaB = tvb.slice(spa, plen);
  const tpaB = tvb.slice(tpa, plen);
  const gratuitous = (request || reply) && plen > 0 && spaB.every((b, i) => b === tpaB[i]);
  const announcement = request && gratuitous && isZero(thaB);
  const probe = request && plen > 0 && isZero(spaB) && isZero(thaB);
  if (gratuitous) pkt.gen(top, hf.isgratuitous, 1);
  if (announcement) pkt.gen(top, hf.isannouncement, 1);
  if (probe) pkt.gen(top, hf.isprobe, 1);

  const hwText = (b: Uint8Array) => (ethHw ? `${resolveEther(b)} (${etherToString(b)})` : undefined);
  const hwItem = (f: typeof hf.src_hw_mac, fb: typeof hf.src_hw, off: number, b: Uint8Array, label: string) => {
    if (ethHw) pkt.add(top, f, tvb, off, 6, b, pkt.tree ? `${label}: ${hwText(b)}` : undefined);
    else if (hlen) pkt.add(top, fb, tvb, off, hlen, b);
  };
  const paItem = (f: typeof hf.src_proto_ipv4, fb: typeof hf.src_proto, off: number) => {
    if (ip4) pkt.item(top, f, tvb, off, 4);
    else if (plen) pkt.item(top, fb, tvb, off, plen);
  };
  hwItem(hf.src_hw_mac, hf.src_hw, sha, shaB, 'Sender MAC address');
  paItem(hf.src_proto_ipv4, hf.src_proto, spa);
  hwItem(hf.dst_hw_mac, hf.dst_hw, tha, thaB, 'Target MAC address');
  paItem(hf.dst_proto_ipv4, hf.dst_proto, tpa);

  // addresses of other types print as plain hex, as tshark does
  const hexStr = (b: Uint8Array) => (b.length ? Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('') : '<No address>');
  const hwStr = (b: Uint8Array) => (ethHw ? etherToString(b) : hexStr(b));
  const paStr = (off: number) => (ip4 ? ipv4ToString(tvb.u32(off)) : hexStr(tvb.slice(off, plen)));
  let suffix: string;
  switch (op) {
    case 1:
      if (announcement) {
        pkt.info.set(`ARP Announcement for ${paStr(spa)}`);
        suffix = 'ARP Announcement';
      } else if (gratuitous) {
        pkt.info.set(`Gratuitous ARP for ${paStr(spa)} (Request)`);
        suffix = 'request/gratuitous ARP';
      } else if (probe) {
        pkt.info.set(`Who has ${paStr(tpa)}? (ARP Probe)`);
        suffix = 'ARP Probe';
      } else {
        pkt.info.set(`Who has ${paStr(tpa)}? Tell ${paStr(spa)}`);
        suffix = 'request';
      }
      break;
    case 2:
      if (gratuitous) {
        pkt.info.set(`Gratuitous ARP for ${paStr(spa)} (Reply)`);
        suffix = 'reply/gratuitous ARP';
      } else {
        pkt.info.set(`${paStr(spa)} is at ${hwStr(shaB)}`);
        suffix = 'reply';
      }
      break;
    case 3:
    case 8:
      pkt.info.set(`Who is ${hwStr(thaB)}? Tell ${hwStr(shaB)}`);
      suffix = OPCODES[op]!;
      break;
    case 4:
    case 9:
      pkt.info.set(`${hwStr(thaB)} is at ${paStr(tpa)}`);
      if (op === 9) pkt.info.set(`${hwStr(shaB)} is at ${paStr(spa)}`);
      suffix = OPCODES[op]!;
      break;
    case 10:
      pkt.info.set('ARP NAK');
      suffix = OPCODES[op]!;
      break;
    default:
      if (OPCODES[op]) {
        pkt.info.set(OPCODES[op]!);
        suffix = OPCODES[op]!;
      } else {
        const hx = `0x${op.toString(16).padStart(4, '0')}`;
        pkt.info.set(`Unknown ARP opcode ${hx}`);
        suffix = `opcode ${hx}`;
      }
  }
  if (pkt.tree) top.text = `Address Resolution Protocol (${suffix})`;

  if (ip4 && ethHw && (request || reply)) {
    const pairs: [number, Uint8Array][] = [[spaV, shaB]];
    if (reply) pairs.push([tpaV, thaB]);
    const found = duplicates(pkt, pairs);
    for (const d of found) {
      if (!d) continue;
      const ipS = ipv4ToString(d.ip);
      const t = pkt.text(null, tvb, 0, 0, `[Duplicate IP address detected for ${ipS} (${d.mac}) - also in use by ${d.prevMac} (frame ${d.frame})]`);
      t.flags |= GENERATED;
      const fr = pkt.gen(t, hf.dup_frame, d.frame);
      pkt.expert(fr, 'warn', 'sequence', `Duplicate IP address configured (${ipS})`, hf.dup_detected);
      pkt.gen(t, hf.dup_seconds, d.secs);
    }
    // tshark's Info reflects the last check only (the target one for replies)
    const last = found[found.length - 1];
    if (last) pkt.info.append(` (duplicate use of ${ipv4ToString(last.ip)} detected!)`);
  }
  return len;
}

register('ethertype', 0x0806, dissectArp);
register('ethertype', 0x8035, dissectArp);
