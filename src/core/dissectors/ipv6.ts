// IPv6: fixed header, extension headers (hop-by-hop, routing, fragment, destination options), fragment reassembly, hand-off by next header.
import { fields, protocol, type FieldDef } from '../fields/registry';
import { bitmaskPrefix, bytesToHex, etherToString, ipv6ToString } from '../fields/format';
import { GENERATED, HIDDEN, type Item, type Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { lookup, register } from '../dissect/tables';
import { addFragment } from '../analysis/ip-reassembly';
import { DSCP_SHORT, DSCP_VALS, ECN_SHORT, ECN_VALS, IPPROTO, hf as ipHf, ipprotoName, vsLabel } from './ipv4';
import { resolveEther } from './names';
import { dissectData } from './data';

export const proto_ipv6 = protocol('ipv6', 'Internet Protocol Version 6');
const proto_hopopts = protocol('ipv6.hopopts', 'IPv6 Hop-by-Hop Option');
const proto_routing = protocol('ipv6.routing', 'Routing Header for IPv6');
const proto_fraghdr = protocol('ipv6.fraghdr', 'Fragment Header for IPv6');
const proto_dstopts = protocol('ipv6.dstopts', 'Destination Options for IPv6');

const OPT_NAMES: Record<number, string> = {
  0x00: 'Pad1', 0x01: 'PadN', 0x04: 'Tunnel Encapsulation Limit', 0x05: 'Router Alert', 0x07: 'CALIPSO',
  0x08: 'SMF_DPD', 0x0f: 'Performance and Diagnostic Metrics', 0x26: 'Quick-Start', 0x30: 'Path MTU Option',
  0x31: 'IOAM Option', 0x41: 'Tunnel Payload Forwarding (TPF) Information', 0x63: 'RPL Option', 0x6d: 'MPL Option',
  0x8a: 'Endpoint Identification', 0x8b: 'ILNP Nonce', 0x8c: 'Line-Identification Option', 0xc2: 'Jumbo Payload',
  0xc9: 'Home Address', 0xee: 'IP_DFF',
};
for (const t of [0x1e, 0x3e, 0x5e, 0x7e, 0x9e, 0xbe, 0xde, 0xfe]) {
  OPT_NAMES[t] = `Experimental (0x${t.toString(16).toUpperCase()})`;
}

const ROUTING_TYPES: Record<number, string> = {
  0: 'Source Route',
  1: 'Nimrod',
  2: 'Type 2 Routing',
  3: 'RPL Source Route Header',
  4: 'Segment Routing',
  5: 'Compact Routing Header 16',
  6: 'Compact Routing Header 32',
};

export const hf = fields({
  version: { abbrev: 'ipv6.version', name: 'Version', type: 'uint', bits: 8, mask: 0xf0 },
  tclass: { abbrev: 'ipv6.tclass', name: 'Traffic Class', type: 'uint', bits: 32, base: 'hex', mask: 0x0ff00000 },
  dscp: { abbrev: 'ipv6.tclass.dscp', name: 'Differentiated Services Codepoint', type: 'uint', bits: 32, mask: 0x0fc00000, values: DSCP_VALS },
  ecn: { abbrev: 'ipv6.tclass.ecn', name: 'Explicit Congestion Notification', type: 'uint', bits: 32, mask: 0x00300000, values: ECN_VALS },
  flow: { abbrev: 'ipv6.flow', name: 'Flow Label', type: 'uint', bits: 24, base: 'hex', mask: 0x0fffff },
  plen: { abbrev: 'ipv6.plen', name: 'Payload Length', type: 'uint', bits: 16 },
  nxt: { abbrev: 'ipv6.nxt', name: 'Next Header', type: 'uint', bits: 8, values: IPPROTO },
  hlim: { abbrev: 'ipv6.hlim', name: 'Hop Limit', type: 'uint', bits: 8 },
  src: { abbrev: 'ipv6.src', name: 'Source Address', type: 'ipv6' },
  dst: { abbrev: 'ipv6.dst', name: 'Destination Address', type: 'ipv6' },
  addr: { abbrev: 'ipv6.addr', name: 'Source or Destination Address', type: 'ipv6' },
  src_host: { abbrev: 'ipv6.src_host', name: 'Source Host', type: 'string' },
  dst_host: { abbrev: 'ipv6.dst_host', name: 'Destination Host', type: 'string' },
  host: { abbrev: 'ipv6.host', name: 'Source or Destination Host', type: 'string' },
  src_slaac_mac: { abbrev: 'ipv6.src_slaac_mac', name: 'Source SLAAC MAC', type: 'ether' },
  dst_slaac_mac: { abbrev: 'ipv6.dst_slaac_mac', name: 'Destination SLAAC MAC', type: 'ether' },
  slaac_mac: { abbrev: 'ipv6.slaac_mac', name: 'SLAAC MAC', type: 'ether' },
  src_6to4_gw: { abbrev: 'ipv6.src_6to4_gw_ipv4', name: 'Source 6to4 Gateway IPv4', type: 'ipv4' },
  src_6to4_sla: { abbrev: 'ipv6.src_6to4_sla_id', name: 'Source 6to4 SLA ID', type: 'uint', bits: 16 },
  dst_6to4_gw: { abbrev: 'ipv6.dst_6to4_gw_ipv4', name: 'Destination 6to4 Gateway IPv4', type: 'ipv4' },
  dst_6to4_sla: { abbrev: 'ipv6.dst_6to4_sla_id', name: 'Destination 6to4 SLA ID', type: 'uint', bits: 16 },
  gw_6to4: { abbrev: 'ipv6.6to4_gw_ipv4', name: '6to4 Gateway IPv4', type: 'ipv4' },
  sla_6to4: { abbrev: 'ipv6.6to4_sla_id', name: '6to4 SLA ID', type: 'uint', bits: 16 },
  src_ts: { abbrev: 'ipv6.src_ts_ipv4', name: 'Source Teredo Server IPv4', type: 'ipv4' },
  src_tc_port: { abbrev: 'ipv6.src_tc_port', name: 'Source Teredo Port', type: 'uint', bits: 16 },
  src_tc: { abbrev: 'ipv6.src_tc_ipv4', name: 'Source Teredo Client IPv4', type: 'ipv4' },
  dst_ts: { abbrev: 'ipv6.dst_ts_ipv4', name: 'Destination Teredo Server IPv4', type: 'ipv4' },
  dst_tc_port: { abbrev: 'ipv6.dst_tc_port', name: 'Destination Teredo Port', type: 'uint', bits: 16 },
  dst_tc: { abbrev: 'ipv6.dst_tc_ipv4', name: 'Destination Teredo Client IPv4', type: 'ipv4' },
  ts: { abbrev: 'ipv6.ts_ipv4', name: 'Teredo Server IPv4', type: 'ipv4' },
  tc_port: { abbrev: 'ipv6.tc_port', name: 'Teredo Port', type: 'uint', bits: 16 },
  tc: { abbrev: 'ipv6.tc_ipv4', name: 'Teredo Client IPv4', type: 'ipv4' },
  src_isatap: { abbrev: 'ipv6.src_isatap_ipv4', name: 'Source ISATAP IPv4', type: 'ipv4' },
  dst_isatap: { abbrev: 'ipv6.dst_isatap_ipv4', name: 'Destination ISATAP IPv4', type: 'ipv4' },
  isatap: { abbrev: 'ipv6.isatap_ipv4', name: 'ISATAP IPv4', type: 'ipv4' },
  bogus_version: { abbrev: 'ipv6.bogus_ipv6_version', name: 'Bogus IP version', type: 'none' },
  invalid_header: { abbrev: 'ipv6.invalid_header', name: 'Invalid IPv6 header', type: 'none' },
  plen_exceeds: { abbrev: 'ipv6.plen_exceeds_framing', name: 'IPv6 payload length does not match expected framing length', type: 'none' },
  plen_zero: { abbrev: 'ipv6.plen_zero', name: 'IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))', type: 'none' },
  // options (hop-by-hop and destination)
  opt: { abbrev: 'ipv6.opt', name: 'IPv6 Option', type: 'none' },
  opt_type: { abbrev: 'ipv6.opt.type', name: 'Type', type: 'uint', bits: 8, base: 'hex' },
  opt_action: {
    abbrev: 'ipv6.opt.type.action',
    name: 'Action',
    type: 'uint',
    bits: 8,
    mask: 0xc0,
    values: {
      0: 'Skip and continue',
      1: 'Discard',
      2: 'Discard and send ICMP Parameter Problem',
      3: 'Discard and send ICMP if not multicast',
    },
  },
  opt_change: { abbrev: 'ipv6.opt.type.change', name: 'May Change', type: 'bool', bits: 8, mask: 0x20, tf: ['Yes', 'No'] },
  opt_rest: { abbrev: 'ipv6.opt.type.rest', name: 'Low-Order Bits', type: 'uint', bits: 8, base: 'hex', mask: 0x1f },
  opt_length: { abbrev: 'ipv6.opt.length', name: 'Length', type: 'uint', bits: 8 },
  opt_pad1: { abbrev: 'ipv6.opt.pad1', name: 'Pad1', type: 'none' },
  opt_padn: { abbrev: 'ipv6.opt.padn', name: 'PadN', type: 'bytes' },
  opt_router_alert: {
    abbrev: 'ipv6.opt.router_alert',
    name: 'Router Alert',
    type: 'uint',
    bits: 16,
    values: { 0: 'MLD', 1: 'RSVP', 2: 'Active Networks' },
  },
  opt_jumbo: { abbrev: 'ipv6.opt.jumbo', name: 'Payload Length', type: 'uint', bits: 32 },
  opt_tel: { abbrev: 'ipv6.opt.tel', name: 'Tunnel Encapsulation Limit', type: 'uint', bits: 8 },
  opt_unknown: { abbrev: 'ipv6.opt.unknown', name: 'Unknown Option Payload', type: 'bytes' },
  opt_experimental: { abbrev: 'ipv6.opt.experimental', name: 'Experimental Option', type: 'bytes' },
  opt_unknown_data: { abbrev: 'ipv6.opt_unknown_data', name: 'Unknown Data', type: 'bytes' },
  opt_unknown_data_expert: { abbrev: 'ipv6.opt.unknown_data.expert', name: 'Unknown Data (not interpreted)', type: 'none' },
  opt_invalid_len: { abbrev: 'ipv6.opt.invalid_len', name: 'Invalid IPv6 option length', type: 'none' },
  opt_jumbo_prohibited: {
    abbrev: 'ipv6.opt.jumbo.prohibited',
    name: 'When IPv6 payload length does not equal 0 a Jumbo Payload option must not be present',
    type: 'none',
  },
  opt_jumbo_truncated: { abbrev: 'ipv6.opt.jumbo.truncated', name: 'Jumbo Payload option present and jumbo length < 65536', type: 'none' },
  opt_tel_dstopts: { abbrev: 'ipv6.opt.tel_dst_hdr', name: 'Tunnel Encapsulation Limit must use a destination options header', type: 'none' },
  hopopts_nxt: { abbrev: 'ipv6.hopopts.nxt', name: 'Next Header', type: 'uint', bits: 8, values: IPPROTO },
  hopopts_len: { abbrev: 'ipv6.hopopts.len', name: 'Length', type: 'uint', bits: 8 },
  hopopts_len_oct: { abbrev: 'ipv6.hopopts.len_oct', name: 'Length', type: 'uint', bits: 16 },
  dstopts_nxt: { abbrev: 'ipv6.dstopts.nxt', name: 'Next Header', type: 'uint', bits: 8, values: IPPROTO },
  dstopts_len: { abbrev: 'ipv6.dstopts.len', name: 'Length', type: 'uint', bits: 8 },
  dstopts_len_oct: { abbrev: 'ipv6.dstopts.len_oct', name: 'Length', type: 'uint', bits: 16 },
  // routing
  routing_nxt: { abbrev: 'ipv6.routing.nxt', name: 'Next Header', type: 'uint', bits: 8, values: IPPROTO },
  routing_len: { abbrev: 'ipv6.routing.len', name: 'Length', type: 'uint', bits: 8 },
  routing_len_oct: { abbrev: 'ipv6.routing.len_oct', name: 'Length', type: 'uint', bits: 16 },
  routing_type: { abbrev: 'ipv6.routing.type', name: 'Type', type: 'uint', bits: 8, values: ROUTING_TYPES },
  routing_segleft: { abbrev: 'ipv6.routing.segleft', name: 'Segments Left', type: 'uint', bits: 8 },
  routing_reserved: { abbrev: 'ipv6.routing.src.reserved', name: 'Reserved', type: 'bytes' },
  routing_addr: { abbrev: 'ipv6.routing.src.addr', name: 'Address', type: 'ipv6' },
  routing_unknown: { abbrev: 'ipv6.routing.unknown_data', name: 'Type-Specific Data', type: 'bytes' },
  routing_deprecated: { abbrev: 'ipv6.routing.deprecated', name: 'Routing header type is deprecated', type: 'none' },
  // fragment header
  frag_nxt: { abbrev: 'ipv6.fraghdr.nxt', name: 'Next header', type: 'uint', bits: 8, values: IPPROTO },
  frag_reserved_octet: { abbrev: 'ipv6.fraghdr.reserved_octet', name: 'Reserved octet', type: 'uint', bits: 8, base: 'hex' },
  frag_offset: { abbrev: 'ipv6.fraghdr.offset', name: 'Offset', type: 'uint', bits: 16, mask: 0xfff8 },
  frag_reserved_bits: { abbrev: 'ipv6.fraghdr.reserved_bits', name: 'Reserved bits', type: 'uint', bits: 16, mask: 0x0006 },
  frag_more: { abbrev: 'ipv6.fraghdr.more', name: 'More Fragments', type: 'bool', bits: 16, mask: 0x0001, tf: ['Yes', 'No'] },
  frag_ident: { abbrev: 'ipv6.fraghdr.ident', name: 'Identification', type: 'uint', bits: 32, base: 'hex' },
  // reassembly
  fragments: { abbrev: 'ipv6.fragments', name: 'IPv6 Fragments', type: 'none' },
  fragment: { abbrev: 'ipv6.fragment', name: 'IPv6 Fragment', type: 'framenum' },
  fragment_count: { abbrev: 'ipv6.fragment.count', name: 'Fragment count', type: 'uint', bits: 32 },
  reassembled_in: { abbrev: 'ipv6.reassembled.in', name: 'Reassembled IPv6 in frame', type: 'framenum' },
  reassembled_length: { abbrev: 'ipv6.reassembled.length', name: 'Reassembled IPv6 length', type: 'uint', bits: 32 },
  reassembled_data: { abbrev: 'ipv6.reassembled.data', name: 'Reassembled IPv6 data', type: 'bytes' },
});

/** The MAC address a SLAAC (modified EUI-64) interface identifier was made from. */
function slaacMac(a: Uint8Array): Uint8Array | null {
  // only identifiers made from a universal (globally unique) MAC: the U/L bit is inverted in EUI-64
  if (a[11] !== 0xff || a[12] !== 0xfe || !(a[8]! & 0x02)) return null;
  return Uint8Array.of(a[8]! ^ 0x02, a[9]!, a[10]!, a[13]!, a[14]!, a[15]!);
}

function addrItems(pkt: Packet, top: Item, tvb: Tvb, off: number, a: Uint8Array, which: 'src' | 'dst'): void {
  const s = ipv6ToString(a);
  pkt.add(top, which === 'src' ? hf.src : hf.dst, tvb, off, 16, a);
  pkt.hidden(top, hf.addr, tvb, off, 16, a);
  pkt.hidden(top, which === 'src' ? hf.src_host : hf.dst_host, tvb, off, 16, s);
  pkt.hidden(top, hf.host, tvb, off, 16, s);
}

/** The generated items tshark derives from an address: 6to4 or Teredo parts, then a SLAAC MAC or ISATAP IPv4. */
function embeddedItems(pkt: Packet, top: Item, tvb: Tvb, off: number, a: Uint8Array, which: 'src' | 'dst'): void {
  const src = which === 'src';
  const S = src ? 'Source' : 'Destination';
  const u16 = (i: number): number => (a[i]! << 8) | a[i + 1]!;
  const u32 = (i: number): number => ((a[i]! << 24) >>> 0) + ((a[i + 1]! << 16) | (a[i + 2]! << 8) | a[i + 3]!);
  const v4 = (i: number): string => `${a[i]}.${a[i + 1]}.${a[i + 2]}.${a[i + 3]}`;
  if (u16(0) === 0x2002) {
    pkt.add(top, src ? hf.src_6to4_gw : hf.dst_6to4_gw, tvb, off + 2, 4, u32(2), pkt.tree ? `${S} 6to4 Gateway IPv4: ${v4(2)}` : undefined, GENERATED);
    pkt.add(top, src ? hf.src_6to4_sla : hf.dst_6to4_sla, tvb, off + 6, 2, u16(6), pkt.tree ? `${S} 6to4 SLA ID: ${u16(6)}` : undefined, GENERATED);
    pkt.add(top, hf.gw_6to4, tvb, off + 2, 4, u32(2), undefined, GENERATED | HIDDEN);
    pkt.add(top, hf.sla_6to4, tvb, off + 6, 2, u16(6), undefined, GENERATED | HIDDEN);
  } else if (u32(0) === 0x20010000) {
    const port = u16(10) ^ 0xffff;
    const client = (u32(12) ^ 0xffffffff) >>> 0;
    const cs = `${client >>> 24}.${(client >>> 16) & 255}.${(client >>> 8) & 255}.${client & 255}`;
    pkt.add(top, src ? hf.src_ts : hf.dst_ts, tvb, off + 4, 4, u32(4), pkt.tree ? `${S} Teredo Server IPv4: ${v4(4)}` : undefined, GENERATED);
    pkt.add(top, src ? hf.src_tc_port : hf.dst_tc_port, tvb, off + 10, 2, port, pkt.tree ? `${S} Teredo Port: ${port}` : undefined, GENERATED);
    pkt.add(top, src ? hf.src_tc : hf.dst_tc, tvb, off + 12, 4, client, pkt.tree ? `${S} Teredo Client IPv4: ${cs}` : undefined, GENERATED);
    pkt.add(top, hf.ts, tvb, off + 4, 4, u32(4), undefined, GENERATED | HIDDEN);
    pkt.add(top, hf.tc_port, tvb, off + 10, 2, port, undefined, GENERATED | HIDDEN);
    pkt.add(top, hf.tc, tvb, off + 12, 4, client, undefined, GENERATED | HIDDEN);
  }
  const mac = slaacMac(a);
  if (mac) {
    const text = pkt.tree ? `${S} SLAAC MAC: ${resolveEther(mac)} (${etherToString(mac)})` : undefined;
    pkt.add(top, src ? hf.src_slaac_mac : hf.dst_slaac_mac, tvb, off + 8, 8, mac, text, GENERATED);
    pkt.hidden(top, hf.slaac_mac, tvb, off + 8, 8, mac);
  } else if ((u32(8) & 0xfcffffff) === 0x00005efe) {
    pkt.add(top, src ? hf.src_isatap : hf.dst_isatap, tvb, off + 12, 4, u32(12), pkt.tree ? `${S} ISATAP IPv4: ${v4(12)}` : undefined, GENERATED);
    pkt.add(top, hf.isatap, tvb, off + 12, 4, u32(12), undefined, GENERATED | HIDDEN);
  }
}

/** Hop-by-hop / destination options: the TLVs of one options header, walked as tshark does. */
function dissectOptions(tvb: Tvb, pkt: Packet, parent: Item, off: number, end: number, hopopts: boolean, plen: number): void {
  while (off < end) {
    const type = tvb.u8(off);
    // the length byte is read even for Pad1: a Pad1 in the last byte of the payload is malformed
    const len = tvb.u8(off + 1);
    const name = OPT_NAMES[type] ?? `Unknown IPv6 Option (${type})`;
    if (type === 0) {
      const it = pkt.add(parent, hf.opt, tvb, off, 2 + len, undefined, 'Pad1');
      optType(pkt, it, tvb, off, type, false);
      pkt.add(it, hf.opt_pad1, tvb, off, 1, undefined, 'Pad1');
      off++;
      continue;
    }
    const it = pkt.add(parent, hf.opt, tvb, off, 2 + len, undefined, name);
    optType(pkt, it, tvb, off, type, true, type === 0x04 && hopopts);
    const li = pkt.item(it, hf.opt_length, tvb, off + 1, 1);
    const body = off + 2;
    if (type === 0x01) {
      pkt.add(it, hf.opt_padn, tvb, body, len, tvb.slice(body, len), pkt.tree && len === 0 ? 'PadN: <none>' : undefined);
      off = body + len;
      continue;
    }
    let o = body;
    const badLen = (what: string, want: number, Len = 'length'): void => {
      if (len !== want) pkt.expert(li, 'error', 'malformed', `${what}: Invalid ${Len} (${len} bytes)`, hf.opt_invalid_len);
    };
    switch (type) {
      case 0x05: {
        badLen('Router alert', 2, 'Length');
        const v = tvb.u16(o);
        pkt.item(it, hf.opt_router_alert, tvb, o, 2, pkt.tree ? vsLabel(hf.opt_router_alert, v) : undefined);
        o += 2;
        break;
      }
      case 0xc2: {
        badLen('Jumbo Payload', 4);
        const v = tvb.u32(o);
        const ji = pkt.item(it, hf.opt_jumbo, tvb, o, 4);
        o += 4;
        if (plen !== 0) pkt.expert(it, 'warn', 'protocol', 'When IPv6 payload length does not equal 0 a Jumbo Payload option must not be present', hf.opt_jumbo_prohibited);
        if (v < 65536) pkt.expert(ji, 'warn', 'protocol', 'Jumbo Payload option present and jumbo length < 65536', hf.opt_jumbo_truncated);
        break;
      }
      case 0x04:
        badLen('Tunnel Encapsulation Limit', 1);
        pkt.item(it, hf.opt_tel, tvb, o, 1);
        o += 1;
        break;
      case 0x1e:
      case 0x3e:
      case 0x5e:
      case 0x7e:
      case 0x9e:
      case 0xbe:
      case 0xde:
      case 0xfe:
        pkt.item(it, hf.opt_experimental, tvb, o, len);
        o += len;
        break;
      default: {
        // even when empty, flagged as not interpreted
        const u = pkt.item(it, hf.opt_unknown, tvb, o, len, pkt.tree && len === 0 ? 'Unknown Option Payload: <MISSING>' : undefined);
        pkt.expert(u, 'note', 'undecoded', 'Unknown Data (not interpreted)', hf.opt_unknown_data_expert);
        o += len;
      }
    }
    if (o < body + len) {
      // what the option's own fields left: tshark shows and flags it
      const u = pkt.item(it, hf.opt_unknown_data, tvb, o, body + len - o);
      pkt.expert(u, 'note', 'undecoded', 'Unknown Data (not interpreted)', hf.opt_unknown_data_expert);
      o = body + len;
    }
    off = o;
  }
}

function optType(pkt: Packet, it: Item, tvb: Tvb, off: number, type: number, bits: boolean, telInHopOpts = false): Item {
  const name = OPT_NAMES[type];
  const t = pkt.item(it, hf.opt_type, tvb, off, 1, pkt.tree ? `Type: ${name ?? 'Unknown'} (0x${type.toString(16).padStart(2, '0')})` : undefined);
  // tshark flags a tunnel encapsulation limit outside destination options on the type, before its bits
  if (telInHopOpts) pkt.expert(t, 'warn', 'protocol', 'Tunnel Encapsulation Limit must use a destination options header', hf.opt_tel_dstopts);
  if (bits) {
    pkt.item(t, hf.opt_action, tvb, off, 1);
    pkt.item(t, hf.opt_change, tvb, off, 1);
    pkt.item(t, hf.opt_rest, tvb, off, 1);
  }
  return t;
}

/** One options-style extension header (hop-by-hop or destination options); returns its length. */
function optionsHeader(
  tvb: Tvb,
  pkt: Packet,
  top: Item,
  off: number,
  proto: FieldDef,
  f: { nxt: FieldDef; len: FieldDef; oct: FieldDef },
  plen: number,
): [number, number] {
  // the layer and the Info text come first: a cut header still shows them
  pkt.layers.push(proto.abbrev);
  pkt.info.set(proto === proto_hopopts ? 'IPv6 hop-by-hop options' : 'IPv6 destination options');
  const nxt = tvb.u8(off);
  const len = (tvb.u8(off + 1) + 1) * 8;
  const h = pkt.add(top, proto, tvb, off, Math.max(0, Math.min(len, tvb.length - off)), undefined, proto.name);
  pkt.item(h, f.nxt, tvb, off, 1, pkt.tree ? vsLabel(f.nxt, nxt) : undefined);
  pkt.item(h, f.len, tvb, off + 1, 1);
  pkt.add(h, f.oct, tvb, off + 1, 1, len, `Length: ${len} bytes`, GENERATED);
  dissectOptions(tvb, pkt, h, off + 2, off + len, proto === proto_hopopts, plen);
  return [nxt, len];
}

function routingHeader(tvb: Tvb, pkt: Packet, top: Item, off: number): [number, number] {
  pkt.layers.push(proto_routing.abbrev);
  pkt.info.set('IPv6 routing');
  const nxt = tvb.u8(off);
  const len = (tvb.u8(off + 1) + 1) * 8;
  const type = tvb.u8(off + 2);
  const tname = ROUTING_TYPES[type];
  const h = pkt.add(top, proto_routing, tvb, off, Math.max(0, Math.min(len, tvb.length - off)), undefined, `Routing Header for IPv6${tname ? ` (${tname})` : ''}`);
  pkt.item(h, hf.routing_nxt, tvb, off, 1, pkt.tree ? vsLabel(hf.routing_nxt, nxt) : undefined);
  pkt.item(h, hf.routing_len, tvb, off + 1, 1);
  pkt.add(h, hf.routing_len_oct, tvb, off + 1, 1, len, `Length: ${len} bytes`, GENERATED);
  const ti = pkt.item(h, hf.routing_type, tvb, off + 2, 1, pkt.tree ? vsLabel(hf.routing_type, type) : undefined);
  if (type === 0) pkt.expert(ti, 'note', 'deprecated', 'Routing header type is deprecated', hf.routing_deprecated);
  pkt.item(h, hf.routing_segleft, tvb, off + 3, 1);
  if (type === 0) {
    pkt.item(h, hf.routing_reserved, tvb, off + 4, 4);
    for (let a = off + 8; a + 16 <= off + len; a += 16) pkt.item(h, hf.routing_addr, tvb, a, 16);
  } else if (len > 4) pkt.item(h, hf.routing_unknown, tvb, off + 4, len - 4);
  return [nxt, len];
}

function preview(b: Uint8Array): string {
  return b.length > 36 ? bytesToHex(b.subarray(0, 36)) + '…' : bytesToHex(b);
}

function dissectIpv6(tvb: Tvb, pkt: Packet, parent: Item | null, strict: boolean): number {
  // nothing at all still counts as IPv6 (and is cut short); another version is declined by ethertype
  const version = tvb.length ? tvb.u8(0) >> 4 : 6;
  if (version !== 6 && !strict) return 0;
  pkt.protocolCol.set('IPv6');
  pkt.info.clear();
  const inError = !!pkt.p.inError;
  const top = pkt.proto(parent, proto_ipv6, tvb, 0, 40, 'Internet Protocol Version 6');
  const vi = pkt.item(top, hf.version, tvb, 0, 1);
  if (version !== 6) {
    pkt.expert(vi, 'error', 'malformed', 'Bogus IPv6 version', hf.bogus_version);
    pkt.info.set(`Bogus IPv6 version (${version}, must be 6)`);
    top.len = 1;
    if (tvb.reported > 1) dissectData(tvb.sub(1), pkt, parent);
    return tvb.reported;
  }
  pkt.add(top, ipHf.version, tvb, 0, 1, 6, '0110 .... = Version: 6 [This field makes the filter match on "ip.version == 6" possible]', 1);
  if (tvb.reported < 40) {
    // tshark says so, then reads on until the bytes run out
    pkt.expert(top, 'error', 'malformed', 'IPv6 header must be exactly 40 bytes', hf.invalid_header);
    pkt.info.set(`Invalid IPv6 header (${tvb.reported} bytes, need exactly 40)`);
  }
  const w = tvb.u32(0);
  const tc = (w >>> 20) & 0xff;
  const tci = pkt.item(top, hf.tclass, tvb, 0, 4);
  if (pkt.tree) tci.text = `${bitmaskPrefix(hf.tclass, tc)}Traffic Class: 0x${tc.toString(16).padStart(2, '0')} (DSCP: ${DSCP_SHORT[tc >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[tc & 3]})`;
  pkt.item(tci, hf.dscp, tvb, 0, 4, pkt.tree ? vsLabel(hf.dscp, tc >> 2) : undefined);
  pkt.item(tci, hf.ecn, tvb, 0, 4);
  pkt.item(top, hf.flow, tvb, 1, 3);
  let plen = tvb.u16(4);
  const claimedPlen = plen;
  const plenItem = pkt.item(top, hf.plen, tvb, 4, 2);
  const nxt0 = tvb.u8(6);
  pkt.item(top, hf.nxt, tvb, 6, 1, pkt.tree ? vsLabel(hf.nxt, nxt0) : undefined);
  const hlim = tvb.u8(7);
  pkt.item(top, hf.hlim, tvb, 7, 1);
  const src = tvb.slice(8, 16).slice();
  addrItems(pkt, top, tvb, 8, src, 'src');
  const srcS = ipv6ToString(src);
  if (pkt.tree) top.text = `Internet Protocol Version 6, Src: ${srcS}`;
  pkt.p.netSrc = srcS;
  pkt.p.srcAddr = src;
  const dst = tvb.slice(24, 16).slice();
  addrItems(pkt, top, tvb, 24, dst, 'dst');
  const dstS = ipv6ToString(dst);
  if (pkt.tree) top.text = `Internet Protocol Version 6, Src: ${srcS}, Dst: ${dstS}`;
  pkt.p.netDst = dstS;
  pkt.p.dstAddr = dst;
  pkt.p.ttl = hlim;
  pkt.p.ipVersion = 6;
  embeddedItems(pkt, top, tvb, 8, src, 'src');
  embeddedItems(pkt, top, tvb, 24, dst, 'dst');

  if (plen === 0 && nxt0 !== 0) {
    plen = tvb.reported - 40;
    pkt.expert(plenItem, 'chat', 'protocol', hf.plen_zero.name, hf.plen_zero);
  } else if (40 + plen > tvb.reported && !inError) {
    pkt.expert(plenItem, 'warn', 'protocol', `IPv6 payload length exceeds framing length (${tvb.reported - 40} bytes)`, hf.plen_exceeds);
    plen = tvb.reported - 40;
  }
  const total = 40 + plen;
  // the datagram limited to its payload length (what was captured, inside ICMP errors)
  const dg = inError ? tvb.sub(0, Math.min(total, tvb.length)) : tvb.sub(0, total);

  let nxt = nxt0;
  let off = 40;
  let cur: Tvb = dg;
  for (;;) {
    if (nxt === 0 || nxt === 60) {
      const [n, len] =
        nxt === 0
          ? optionsHeader(cur, pkt, top, off, proto_hopopts, { nxt: hf.hopopts_nxt, len: hf.hopopts_len, oct: hf.hopopts_len_oct }, claimedPlen)
          : optionsHeader(cur, pkt, top, off, proto_dstopts, { nxt: hf.dstopts_nxt, len: hf.dstopts_len, oct: hf.dstopts_len_oct }, claimedPlen);
      nxt = n;
      off += len;
      continue;
    }
    if (nxt === 43) {
      const [n, len] = routingHeader(cur, pkt, top, off);
      nxt = n;
      off += len;
      continue;
    }
    if (nxt === 44) {
      pkt.layers.push(proto_fraghdr.abbrev);
      const fnxt = cur.u8(off);
      const fo = cur.u16(off + 2);
      const fragOff = fo & 0xfff8;
      const more = (fo & 1) === 1;
      const ident = cur.u32(off + 4);
      const h = pkt.add(top, proto_fraghdr, cur, off, 8, undefined, 'Fragment Header for IPv6');
      pkt.item(h, hf.frag_nxt, cur, off, 1, pkt.tree ? vsLabel(hf.frag_nxt, fnxt) : undefined);
      pkt.item(h, hf.frag_reserved_octet, cur, off + 1, 1);
      pkt.add(h, hf.frag_offset, cur, off + 2, 2, fragOff >> 3, pkt.tree ? `${bitmaskPrefix(hf.frag_offset, fragOff >> 3)}Offset: ${fragOff >> 3} (${fragOff} bytes)` : undefined);
      pkt.item(h, hf.frag_reserved_bits, cur, off + 2, 2);
      pkt.item(h, hf.frag_more, cur, off + 2, 2);
      pkt.item(h, hf.frag_ident, cur, off + 4, 4);
      off += 8;
      nxt = fnxt;
      if (fragOff === 0 && !more) continue; // an atomic fragment: nothing to reassemble
      if (!pkt.session.prefs.ipDefragment || inError) {
        fragInfo(pkt, fragOff, more, ident, fnxt);
        if (cur.reported > off) dissectData(cur.sub(off), pkt, parent);
        return total;
      }
      const payload = cur.sub(off);
      const key = `${bytesToHex(src)}:${bytesToHex(dst)}:${ident}`;
      // only fragments whose claimed payload was captured whole go into reassembly
      const whole = tvb.length >= 40 + claimedPlen && payload.length >= payload.reported;
      const r = whole ? addFragment(pkt, 'ipv6', key, fragOff, payload.bytes, payload.src, payload.base, more) : null;
      if (!r) {
        fragInfo(pkt, fragOff, more, ident, fnxt);
        if (payload.reported > 0) dissectData(payload, pkt, parent);
        return total;
      }
      const rtvb = pkt.addSource('Reassembled IPv6', r.data);
      const list = r.frags.map((f) => `#${f.frame}(${f.len})`).join(', ');
      const fi = pkt.add(top, hf.fragments, rtvb, 0, r.total, undefined, `${r.frags.length} IPv6 Fragments (${r.total} bytes): ${list}`, GENERATED);
      for (const f of r.frags) {
        pkt.add(fi, hf.fragment, rtvb, f.off, f.len, f.frame, `Frame: ${f.frame}, payload: ${f.off}-${f.off + f.len - 1} (${f.len} bytes)`, GENERATED);
      }
      pkt.gen(fi, hf.fragment_count, r.frags.length);
      pkt.gen(fi, hf.reassembled_length, r.total);
      pkt.add(fi, hf.reassembled_data, rtvb, 0, r.total, r.data, pkt.tree ? `Reassembled IPv6 data: ${preview(r.data)}` : undefined, GENERATED);
      top.len = Math.min(off, tvb.length);
      cur = rtvb;
      off = 0;
      continue;
    }
    break;
  }
  if (cur === dg) top.len = Math.min(off, tvb.length);
  pkt.p.ipProto = nxt;
  if (nxt === 59) {
    pkt.info.set('IPv6 no next header');
    // bytes after "no next header" are shown as data
    dissectData(cur.sub(off), pkt, parent);
    return total;
  }
  // the next protocol is called even with nothing left (tshark then marks it malformed)
  const payload = cur.sub(off);
  const d = lookup('ip.proto', nxt);
  if (d) {
    const r = d(payload, pkt, parent);
    if (r !== false && r !== 0) return total;
  }
  pkt.info.set(`Unknown IP Protocol: ${ipprotoName(nxt)} (${nxt})`);
  dissectData(payload, pkt, parent);
  return total;
}

function fragInfo(pkt: Packet, off: number, more: boolean, ident: number, nxt: number): void {
  pkt.info.set(`IPv6 fragment (off=${off} more=${more ? 'y' : 'n'} ident=0x${ident.toString(16).padStart(8, '0')} nxt=${nxt})`);
}

// by ethertype, IPv6 declines packets of another version (Wireshark then shows them as data)
register('ethertype', 0x86dd, (tvb, pkt, parent) => dissectIpv6(tvb, pkt, parent, false));
const strict = (tvb: Tvb, pkt: Packet, parent: Item | null) => dissectIpv6(tvb, pkt, parent, true);
register('wtap_encap', 229, strict);
for (const af of [24, 28, 30]) register('null.type', af, strict);
register('ip.proto', 41, strict);
