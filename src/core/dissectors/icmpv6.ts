// ICMPv6: errors quoting the offending packet, echo pairing, neighbor discovery with options, MLD and MLDv2.
import { fields, protocol } from '../fields/registry';
import { etherToString, ipv6ToString } from '../fields/format';
import type { Item, Packet } from '../dissect/packet';
import { MalformedError, type Tvb } from '../dissect/tvb';
import { lookup, register } from '../dissect/tables';
import { CHECKSUM_STATUS, onesSum } from './ipv4';
import { dissectIcmpExtension, dissectQuoted, echoChecksum, echoMatch } from './icmp';
import { resolveEther } from './names';
import { dissectData } from './data';

export const proto_icmpv6 = protocol('icmpv6', 'Internet Control Message Protocol v6');

const TYPES: Record<number, string> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  100: 'Private experimentation', 101: 'Private experimentation',
  127: 'Reserved for expansion of ICMPv6 error messages', 128: 'Echo (ping) request', 129: 'Echo (ping) reply',
  130: 'Multicast Listener Query', 131: 'Multicast Listener Report', 132: 'Multicast Listener Done',
  133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation', 136: 'Neighbor Advertisement',
  137: 'Redirect', 138: 'Router Renumbering', 139: 'Node Information Query', 140: 'Node Information Reply',
  141: 'Inverse Neighbor Discovery Solicitation', 142: 'Inverse Neighbor Discovery Advertisement',
  143: 'Multicast Listener Report Message v2', 144: 'Home Agent Address Discovery Request',
  145: 'Home Agent Address Discovery Reply', 146: 'Mobile Prefix Solicitation', 147: 'Mobile Prefix Advertisement',
  148: 'Certification Path Solicitation', 149: 'Certification Path Advertisement', 150: 'Experimental Mobility',
  151: 'Multicast Router Advertisement', 152: 'Multicast Router Solicitation', 153: 'Multicast Router Termination',
  155: 'RPL Control', 156: 'Locator Update', 157: 'Duplicate Address Request', 158: 'Duplicate Address Confirmation',
  159: 'MPL Control Message', 160: 'Extended Echo request', 161: 'Extended Echo reply', 200: 'Private experimentation',
  201: 'Private experimentation', 255: 'Reserved for expansion of ICMPv6 informational messages',
};

const CODES: Record<number, Record<number, string>> = {
  1: {
    0: 'no route to destination', 1: 'Administratively prohibited', 2: 'Beyond scope of source address',
    3: 'Address unreachable', 4: 'Port unreachable', 5: 'Source address failed ingress/egress policy',
    6: 'Reject route to destination', 7: 'Error in Source Routing Header',
  },
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  4: {
    0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered',
    2: 'unrecognized IPv6 option encountered', 3: 'IPv6 First Fragment has incomplete IPv6 Header Chain',
  },
  138: { 0: 'Command', 1: 'Result', 255: 'Sequence number reset' },
  139: { 0: 'Query subject = IPv6 addresses', 1: 'Query subject = DNS name or empty', 2: 'Query subject = IPv4 addresses' },
  140: { 0: 'Successful', 1: 'Refused', 2: 'Unknown query type' },
  160: { 0: 'No error' },
  161: { 0: 'No error' },
};

const OPT_TYPES: Record<number, string> = {
  1: 'Source link-layer address', 2: 'Target link-layer address', 3: 'Prefix information', 4: 'Redirected header',
  5: 'MTU', 6: 'NBMA Shortcut Limit Option', 7: 'Advertisement Interval', 8: 'Home Agent Information',
  9: 'Source Address List', 10: 'Target Address List', 11: 'CGA', 12: 'RSA Signature', 13: 'Timestamp', 14: 'Nonce',
  15: 'Trust Anchor', 16: 'Certificate', 17: 'IP Address/Prefix Option', 18: 'New Router Prefix Information',
  19: 'Link-layer Address', 20: 'Neighbor Advertisement Acknowledgment', 23: 'MAP', 24: 'Route Information',
  25: 'Recursive DNS Server', 26: 'RA Flags Extension', 27: 'Handover Key Request', 28: 'Handover Key Reply',
  29: 'Handover Assist Information', 30: 'Mobile Node Identifier Option', 31: 'DNS Search List Option',
  32: 'Proxy Signature (PS)', 33: 'Address Registration Option', 34: '6LoWPAN Context Option',
  35: 'Authoritative Border Router', 36: '6LoWPAN Capability Indication Option', 37: 'DHCP Captive-Portal',
  38: 'PREF64 Option', 138: 'CARD Request', 139: 'CARD Reply',
  253: 'RFC3692-style Experiment 1', 254: 'RFC3692-style Experiment 2',
};

const PRF: Record<number, string> = { 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' };
/** option types tshark 4.0 has a decoder for; others get its "not implemented" note */
const TSHARK_DECODED_OPTS = new Set([...Array.from({ length: 38 }, (_, i) => i + 1)].filter((t) => t !== 21 && t !== 22));
/** option types decoded here */
const DECODED_OPTS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 24, 25, 26, 31, 37, 38]);
const PREF64_PLC: Record<number, string> = {
  0: '96 bits prefix length', 1: '64 bits prefix length', 2: '56 bits prefix length',
  3: '48 bits prefix length', 4: '40 bits prefix length', 5: '32 bits prefix length',
};
const MAR_TYPES: Record<number, string> = {
  1: 'Include', 2: 'Exclude', 3: 'Changed to include', 4: 'Changed to exclude', 5: 'Allow new sources',
  6: 'Block old sources',
};

export const hf = fields({
  type: { abbrev: 'icmpv6.type', name: 'Type', type: 'uint', bits: 8, values: TYPES },
  code: { abbrev: 'icmpv6.code', name: 'Code', type: 'uint', bits: 8 },
  checksum: { abbrev: 'icmpv6.checksum', name: 'Checksum', type: 'uint', bits: 16, base: 'hex' },
  checksum_status: { abbrev: 'icmpv6.checksum.status', name: 'Checksum Status', type: 'uint', bits: 8, values: CHECKSUM_STATUS, base: 'none' },
  checksum_bad: { abbrev: 'icmpv6.checksum_bad.expert', name: 'Bad checksum', type: 'none' },
  reserved: { abbrev: 'icmpv6.reserved', name: 'Reserved', type: 'bytes' },
  data: { abbrev: 'icmpv6.data', name: 'Data', type: 'bytes' },
  length: { abbrev: 'icmpv6.length', name: 'Length of original datagram', type: 'uint', bits: 8 },
  unknown_data: { abbrev: 'icmpv6.unknown_data', name: 'Unknown Data', type: 'bytes' },
  invalid_option_length: { abbrev: 'icmpv6.invalid.option.length', name: 'Invalid option length', type: 'none' },
  undecoded_type: { abbrev: 'icmpv6.undecoded.type', name: 'Undecoded type', type: 'none' },
  mtu: { abbrev: 'icmpv6.mtu', name: 'MTU', type: 'uint', bits: 32 },
  pointer: { abbrev: 'icmpv6.pointer', name: 'Pointer', type: 'uint', bits: 32 },
  echo_id: { abbrev: 'icmpv6.echo.identifier', name: 'Identifier', type: 'uint', bits: 16, base: 'hex' },
  echo_seq: { abbrev: 'icmpv6.echo.sequence_number', name: 'Sequence', type: 'uint', bits: 16 },
  resp_in: { abbrev: 'icmpv6.resp_in', name: 'Response In', type: 'framenum' },
  resp_to: { abbrev: 'icmpv6.resp_to', name: 'Response To', type: 'framenum' },
  resptime: { abbrev: 'icmpv6.resptime', name: 'Response Time', type: 'float' },
  ra_cur_hop_limit: { abbrev: 'icmpv6.nd.ra.cur_hop_limit', name: 'Cur hop limit', type: 'uint', bits: 8 },
  ra_flag: { abbrev: 'icmpv6.nd.ra.flag', name: 'Flags', type: 'uint', bits: 8, base: 'hex' },
  ra_flag_m: { abbrev: 'icmpv6.nd.ra.flag.m', name: 'Managed address configuration', type: 'bool', bits: 8, mask: 0x80 },
  ra_flag_o: { abbrev: 'icmpv6.nd.ra.flag.o', name: 'Other configuration', type: 'bool', bits: 8, mask: 0x40 },
  ra_flag_h: { abbrev: 'icmpv6.nd.ra.flag.h', name: 'Home Agent', type: 'bool', bits: 8, mask: 0x20 },
  ra_flag_prf: { abbrev: 'icmpv6.nd.ra.flag.prf', name: 'Prf (Default Router Preference)', type: 'uint', bits: 8, mask: 0x18, values: PRF },
  ra_flag_p: { abbrev: 'icmpv6.nd.ra.flag.p', name: 'Proxy', type: 'bool', bits: 8, mask: 0x04 },
  ra_flag_rsv: { abbrev: 'icmpv6.nd.ra.flag.rsv', name: 'Reserved', type: 'uint', bits: 8, mask: 0x03 },
  ra_router_lifetime: { abbrev: 'icmpv6.nd.ra.router_lifetime', name: 'Router lifetime (s)', type: 'uint', bits: 16 },
  ra_reachable_time: { abbrev: 'icmpv6.nd.ra.reachable_time', name: 'Reachable time (ms)', type: 'uint', bits: 32 },
  ra_retrans_timer: { abbrev: 'icmpv6.nd.ra.retrans_timer', name: 'Retrans timer (ms)', type: 'uint', bits: 32 },
  ns_target: { abbrev: 'icmpv6.nd.ns.target_address', name: 'Target Address', type: 'ipv6' },
  na_flag: { abbrev: 'icmpv6.nd.na.flag', name: 'Flags', type: 'uint', bits: 32, base: 'hex' },
  na_flag_r: { abbrev: 'icmpv6.nd.na.flag.r', name: 'Router', type: 'bool', bits: 32, mask: 0x80000000 },
  na_flag_s: { abbrev: 'icmpv6.nd.na.flag.s', name: 'Solicited', type: 'bool', bits: 32, mask: 0x40000000 },
  na_flag_o: { abbrev: 'icmpv6.nd.na.flag.o', name: 'Override', type: 'bool', bits: 32, mask: 0x20000000 },
  na_flag_rsv: { abbrev: 'icmpv6.nd.na.flag.rsv', name: 'Reserved', type: 'uint', bits: 32, mask: 0x1fffffff },
  na_target: { abbrev: 'icmpv6.nd.na.target_address', name: 'Target Address', type: 'ipv6' },
  rd_target: { abbrev: 'icmpv6.nd.rd.target_address', name: 'Target Address', type: 'ipv6' },
  rd_destination: { abbrev: 'icmpv6.nd.rd.destination_address', name: 'Destination Address', type: 'ipv6' },
  // options
  opt: { abbrev: 'icmpv6.opt', name: 'ICMPv6 Option', type: 'none' },
  opt_type: { abbrev: 'icmpv6.opt.type', name: 'Type', type: 'uint', bits: 8, values: OPT_TYPES },
  opt_length: { abbrev: 'icmpv6.opt.length', name: 'Length', type: 'uint', bits: 8 },
  opt_reserved: { abbrev: 'icmpv6.opt.reserved', name: 'Reserved', type: 'none' },
  opt_padding: { abbrev: 'icmpv6.opt.padding', name: 'Padding', type: 'none' },
  opt_linkaddr: { abbrev: 'icmpv6.opt.linkaddr', name: 'Link-layer address', type: 'ether' },
  opt_src_linkaddr: { abbrev: 'icmpv6.opt.src_linkaddr', name: 'Source Link-layer address', type: 'ether' },
  opt_target_linkaddr: { abbrev: 'icmpv6.opt.target_linkaddr', name: 'Target Link-layer address', type: 'ether' },
  // EUI-64 link-layer addresses, kept as their colon text
  opt_linkaddr_eui64: { abbrev: 'icmpv6.opt.linkaddr_eui64', name: 'Link-layer address', type: 'string' },
  opt_src_linkaddr_eui64: { abbrev: 'icmpv6.opt.src_linkaddr_eui64', name: 'Source Link-layer address', type: 'string' },
  opt_target_linkaddr_eui64: { abbrev: 'icmpv6.opt.target_linkaddr_eui64', name: 'Target Link-layer address', type: 'string' },
  opt_prefix_length: { abbrev: 'icmpv6.opt.prefix.length', name: 'Prefix Length', type: 'uint', bits: 8 },
  opt_prefix_flag: { abbrev: 'icmpv6.opt.prefix.flag', name: 'Flag', type: 'uint', bits: 8, base: 'hex' },
  opt_prefix_flag_l: { abbrev: 'icmpv6.opt.prefix.flag.l', name: 'On-link flag(L)', type: 'bool', bits: 8, mask: 0x80 },
  opt_prefix_flag_a: {
    abbrev: 'icmpv6.opt.prefix.flag.a',
    name: 'Autonomous address-configuration flag(A)',
    type: 'bool',
    bits: 8,
    mask: 0x40,
  },
  opt_prefix_flag_r: { abbrev: 'icmpv6.opt.prefix.flag.r', name: 'Router address flag(R)', type: 'bool', bits: 8, mask: 0x20 },
  opt_prefix_flag_reserved: { abbrev: 'icmpv6.opt.prefix.flag.reserved', name: 'Reserved', type: 'uint', bits: 8, mask: 0x1f },
  opt_prefix_valid: { abbrev: 'icmpv6.opt.prefix.valid_lifetime', name: 'Valid Lifetime', type: 'uint', bits: 32 },
  opt_prefix_preferred: { abbrev: 'icmpv6.opt.prefix.preferred_lifetime', name: 'Preferred Lifetime', type: 'uint', bits: 32 },
  opt_prefix: { abbrev: 'icmpv6.opt.prefix', name: 'Prefix', type: 'ipv6' },
  opt_mtu: { abbrev: 'icmpv6.opt.mtu', name: 'MTU', type: 'uint', bits: 32 },
  opt_adv_interval: { abbrev: 'icmpv6.opt.advertisement_interval', name: 'Advertisement Interval', type: 'uint', bits: 32 },
  opt_ha_pref: { abbrev: 'icmpv6.opt.home_agent_preference', name: 'Home Agent Preference', type: 'uint', bits: 16 },
  opt_ha_lifetime: { abbrev: 'icmpv6.opt.home_agent_lifetime', name: 'Home Agent Preference', type: 'uint', bits: 16 },
  opt_rdnss_lifetime: {
    abbrev: 'icmpv6.opt.rdnss.lifetime',
    name: 'Lifetime',
    type: 'uint',
    bits: 32,
    values: { 0: 'RDNSS address MUST no longer be used', 0xffffffff: 'Infinity' },
  },
  opt_rdnss: { abbrev: 'icmpv6.opt.rdnss', name: 'Recursive DNS Servers', type: 'ipv6' },
  opt_dnssl_lifetime: {
    abbrev: 'icmpv6.opt.dnssl.lifetime',
    name: 'Lifetime',
    type: 'uint',
    bits: 32,
    values: { 0: 'DNSSL domain name MUST no longer be used', 0xffffffff: 'Infinity' },
  },
  opt_redirected_packet: { abbrev: 'icmpv6.opt.redirected_packet', name: 'Redirected Packet', type: 'none' },
  opt_nbma_shortcut_limit: { abbrev: 'icmpv6.opt.nbma.shortcut_limit', name: 'Shortcut Limit', type: 'uint', bits: 8 },
  opt_ipv6_address: { abbrev: 'icmpv6.opt.ipv6_address', name: 'IPv6 Address', type: 'ipv6' },
  opt_route_info_flag: { abbrev: 'icmpv6.opt.route_info.flag', name: 'Flag', type: 'uint', bits: 8, base: 'hex' },
  opt_route_info_pref: {
    abbrev: 'icmpv6.opt.route_info.flag.route_preference',
    name: 'Route Preference',
    type: 'uint',
    bits: 8,
    mask: 0x18,
    values: PRF,
  },
  opt_route_info_reserved: { abbrev: 'icmpv6.opt.route_info.flag.reserved', name: 'Reserved', type: 'uint', bits: 8, mask: 0xe7 },
  opt_route_lifetime: { abbrev: 'icmpv6.opt.route_lifetime', name: 'Route Lifetime', type: 'uint', bits: 32, values: { 0xffffffff: 'Infinity' } },
  opt_efo: { abbrev: 'icmpv6.opt.efo', name: 'Flags Expansion Option', type: 'uint', bits: 16, base: 'hex' },
  opt_efo_m: { abbrev: 'icmpv6.opt.efo.m', name: 'Managed address configuration', type: 'bool', bits: 16, mask: 0x8000 },
  opt_efo_o: { abbrev: 'icmpv6.opt.efo.o', name: 'Other configuration', type: 'bool', bits: 16, mask: 0x4000 },
  opt_efo_h: { abbrev: 'icmpv6.opt.efo.h', name: 'Home Agent', type: 'bool', bits: 16, mask: 0x2000 },
  opt_efo_prf: { abbrev: 'icmpv6.opt.efo.prf', name: 'Prf (Default Router Preference)', type: 'uint', bits: 16, mask: 0x1800, values: PRF },
  opt_efo_p: { abbrev: 'icmpv6.opt.efo.p', name: 'Proxy', type: 'bool', bits: 16, mask: 0x0400 },
  opt_efo_rsv: { abbrev: 'icmpv6.opt.efo.rsv', name: 'Reserved', type: 'uint', bits: 16, mask: 0x02ff },
  opt_captive_portal: { abbrev: 'icmpv6.opt.captive_portal', name: 'Captive Portal', type: 'string' },
  opt_pref64_lifetime: { abbrev: 'icmpv6.opt.pref64.scaled_lifetime', name: 'Scaled Lifetime', type: 'uint', bits: 16, mask: 0xfff8 },
  opt_pref64_plc: { abbrev: 'icmpv6.opt.pref64.plc', name: 'PLC (Prefix Length Code)', type: 'uint', bits: 16, mask: 0x0007, base: 'hex', values: PREF64_PLC },
  opt_pref64_prefix: { abbrev: 'icmpv6.opt.pref64.prefix', name: 'Prefix', type: 'ipv6' },
  send_identifier: { abbrev: 'icmpv6.send.identifier', name: 'Identifier', type: 'uint', bits: 16 },
  send_all_components: { abbrev: 'icmpv6.send.all_components', name: 'All Components', type: 'uint', bits: 16 },
  send_component: { abbrev: 'icmpv6.send.component', name: 'Component', type: 'uint', bits: 16 },
  undecoded_option: { abbrev: 'icmpv6.undecoded.option', name: 'Undecoded option', type: 'none' },
  unknown_data_expert: { abbrev: 'icmpv6.unknown_data.expert', name: 'Unknown Data (not interpreted)', type: 'none' },
  opt_dnssl: { abbrev: 'icmpv6.opt.dnssl', name: 'Domain Names', type: 'string' },
  opt_nonce: { abbrev: 'icmpv6.opt.nonce', name: 'Nonce', type: 'bytes' },
  // MLD
  mld_max_delay: { abbrev: 'icmpv6.mld.maximum_response_delay', name: 'Maximum Response Delay [ms]', type: 'uint', bits: 16 },
  mld_mcast: { abbrev: 'icmpv6.mld.multicast_address', name: 'Multicast Address', type: 'ipv6' },
  mld_max_code: { abbrev: 'icmpv6.mld.maximum_response_code', name: 'Maximum Response Code', type: 'uint', bits: 16 },
  mld_flag: { abbrev: 'icmpv6.mld.flag', name: 'Flags', type: 'uint', bits: 8, base: 'hex' },
  mld_flag_s: { abbrev: 'icmpv6.mld.flag.s', name: 'Suppress Router-Side Processing', type: 'bool', bits: 8, mask: 0x08, tf: ['True', 'False'] },
  mld_flag_qrv: { abbrev: 'icmpv6.mld.flag.qrv', name: "QRV (Querier's Robustness Variable)", type: 'uint', bits: 8, mask: 0x07 },
  mld_flag_reserved: { abbrev: 'icmpv6.mld.flag.reserved', name: 'Reserved', type: 'uint', bits: 8, mask: 0xf0 },
  mld_qqi: { abbrev: 'icmpv6.mld.qqi', name: "QQIC (Querier's Query Interval Code)", type: 'uint', bits: 8 },
  mld_nb_sources: { abbrev: 'icmpv6.mld.nb_sources', name: 'Number of Sources', type: 'uint', bits: 16 },
  mld_source: { abbrev: 'icmpv6.mld.source_address', name: 'Source Address', type: 'ipv6' },
  mldr_nb_records: { abbrev: 'icmpv6.mldr.nb_mcast_records', name: 'Number of Multicast Address Records', type: 'uint', bits: 16 },
  mldr_mar: { abbrev: 'icmpv6.mldr.mar', name: 'Multicast Address Record', type: 'none' },
  mar_record_type: { abbrev: 'icmpv6.mldr.mar.record_type', name: 'Record Type', type: 'uint', bits: 8, values: MAR_TYPES },
  mar_aux_data_len: { abbrev: 'icmpv6.mldr.mar.aux_data_len', name: 'Aux Data Len', type: 'uint', bits: 8 },
  mar_nb_sources: { abbrev: 'icmpv6.mldr.mar.nb_sources', name: 'Number of Sources', type: 'uint', bits: 16 },
  mar_mcast: { abbrev: 'icmpv6.mldr.mar.multicast_address', name: 'Multicast Address', type: 'ipv6' },
  mar_source: { abbrev: 'icmpv6.mldr.mar.source_address', name: 'Source Address', type: 'ipv6' },
  mar_aux: { abbrev: 'icmpv6.mldr.mar.auxiliary_data', name: 'Auxiliary Data', type: 'bytes' },
});

function hx(n: number, digits: number): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}

/** A DNS name in label form (RFC 1035, no compression) as in the DNSSL option; returns [name, bytes used]. */
function labelName(tvb: Tvb, off: number, end: number): [string, number] {
  const parts: string[] = [];
  let o = off;
  while (o < end) {
    const n = tvb.u8(o);
    o++;
    if (n === 0) break;
    parts.push(tvb.ascii(o, n));
    o += n;
  }
  return [parts.join('.'), o - off];
}

function dissectOptions(tvb: Tvb, pkt: Packet, top: Item, off: number): void {
  while (off < tvb.reported) {
    // tshark reads the length first: a lone type byte at the end is malformed, not truncated
    const len = tvb.u8(off + 1) * 8;
    const type = tvb.u8(off);
    const name = OPT_TYPES[type] ?? `Unknown ${type}`;
    // the title stays unclosed if the option's fields throw, as tshark's
    const it = pkt.add(top, hf.opt, tvb, off, len || 2, undefined, `ICMPv6 Option (${name}`);
    pkt.item(it, hf.opt_type, tvb, off, 1, pkt.tree && !OPT_TYPES[type] ? `Type: Unknown (${type})` : undefined);
    const li = pkt.add(it, hf.opt_length, tvb, off + 1, 1, len / 8, pkt.tree ? `Length: ${len / 8} (${len} bytes)` : undefined);
    if (len === 0) {
      // a zero length would loop forever: tshark flags it and stops, the title unclosed
      pkt.expert(li, 'error', 'malformed', 'Invalid option length (Zero)', hf.invalid_option_length);
      break;
    }
    const b = off + 2;
    const end = off + len;
    let extra = '';
    // how far the option's own fields reached
    let used = b;
    switch (type) {
      case 1:
      case 2: {
        // as tshark: a MAC for 8-byte options, an EUI-64 for 16-byte ones ending in zeros, else raw bytes
        if (len === 8) {
          const mac = tvb.slice(b, 6);
          const str = etherToString(mac);
          const text = pkt.tree ? `Link-layer address: ${resolveEther(mac)} (${str})` : undefined;
          pkt.add(it, hf.opt_linkaddr, tvb, b, 6, mac, text);
          pkt.add(it, type === 1 ? hf.opt_src_linkaddr : hf.opt_target_linkaddr, tvb, b, 6, mac, undefined, 1);
          pkt.info.append(type === 1 ? ` from ${str}` : ` is at ${str}`);
          extra = ` : ${str}`;
        } else if (len === 16 && tvb.u32(b + 8) === 0 && tvb.u16(b + 12) === 0) {
          const raw = tvb.slice(b, 8);
          const str = etherToString(raw);
          pkt.add(it, hf.opt_linkaddr_eui64, tvb, b, 8, str, pkt.tree ? `Link-layer address: ${str} (${str})` : undefined);
          pkt.add(it, type === 1 ? hf.opt_src_linkaddr_eui64 : hf.opt_target_linkaddr_eui64, tvb, b, 8, str, undefined, 1);
          if (type === 1) {
            pkt.add(it, hf.opt_linkaddr, tvb, b, 8, raw, undefined, 1);
            pkt.add(it, hf.opt_src_linkaddr, tvb, b, 8, raw, undefined, 1);
          }
          pkt.add(it, hf.opt_padding, tvb, b + 8, 6, undefined, 'Padding');
          // tshark says "from" for a target EUI-64 too
          pkt.info.append(` from ${str}`);
          extra = ` : ${str}`;
        } else {
          const raw = tvb.slice(b, len - 2);
          const hexs = Array.from(raw, (x) => x.toString(16).padStart(2, '0')).join('');
          pkt.add(it, hf.opt_linkaddr, tvb, b, len - 2, raw, pkt.tree ? `Link-layer address: ${hexs}` : undefined);
          pkt.add(it, type === 1 ? hf.opt_src_linkaddr : hf.opt_target_linkaddr, tvb, b, len - 2, raw, undefined, 1);
        }
        used = end;
        break;
      }
      case 3: {
        const plen = tvb.u8(b);
        pkt.item(it, hf.opt_prefix_length, tvb, b, 1);
        const fl = tvb.u8(b + 1);
        const names = [fl & 0x80 ? 'On-link flag(L)' : '', fl & 0x40 ? 'Autonomous address-configuration flag(A)' : '', fl & 0x20 ? 'Router address flag(R)' : ''].filter(Boolean);
        const fi = pkt.item(it, hf.opt_prefix_flag, tvb, b + 1, 1, pkt.tree ? `Flag: ${hx(fl, 2)}${names.map((n) => ', ' + n).join('')}` : undefined);
        pkt.item(fi, hf.opt_prefix_flag_l, tvb, b + 1, 1);
        pkt.item(fi, hf.opt_prefix_flag_a, tvb, b + 1, 1);
        pkt.item(fi, hf.opt_prefix_flag_r, tvb, b + 1, 1);
        pkt.item(fi, hf.opt_prefix_flag_reserved, tvb, b + 1, 1);
        pkt.item(it, hf.opt_prefix_valid, tvb, b + 2, 4);
        pkt.item(it, hf.opt_prefix_preferred, tvb, b + 6, 4);
        pkt.add(it, hf.opt_reserved, tvb, b + 10, 4, undefined, 'Reserved');
        const p = tvb.slice(b + 14, 16);
        pkt.item(it, hf.opt_prefix, tvb, b + 14, 16);
        extra = ` : ${ipv6ToString(p)}/${plen}`;
        used = b + 30;
        break;
      }
      case 4:
        pkt.add(it, hf.opt_reserved, tvb, b, 6, undefined, 'Reserved');
        used = b + 6;
        if (len > 8) {
          pkt.add(it, hf.opt_redirected_packet, tvb, used, len - 8, undefined, 'Redirected Packet');
          const d = lookup('ethertype', 0x86dd);
          if (d) dissectQuoted(tvb.sub(used, len - 8), pkt, it, d);
          used = end;
        }
        break;
      case 5:
        pkt.add(it, hf.opt_reserved, tvb, b, 2, undefined, 'Reserved');
        pkt.item(it, hf.opt_mtu, tvb, b + 2, 4);
        extra = ` : ${tvb.u32(b + 2)}`;
        used = b + 6;
        break;
      case 6:
        // tshark's reserved byte overlaps the limit, leaving one byte uninterpreted
        pkt.item(it, hf.opt_nbma_shortcut_limit, tvb, b, 1);
        extra = ` : ${tvb.u8(b)}`;
        pkt.add(it, hf.opt_reserved, tvb, b, 1, undefined, 'Reserved');
        pkt.add(it, hf.opt_reserved, tvb, b + 1, 4, undefined, 'Reserved');
        used = b + 5;
        break;
      case 9:
      case 10:
        pkt.add(it, hf.opt_reserved, tvb, b, 6, undefined, 'Reserved');
        for (used = b + 6; used < end; used += 16) {
          pkt.item(it, hf.opt_ipv6_address, tvb, used, 16);
          extra += ' ' + ipv6ToString(tvb.slice(used, 16));
        }
        break;
      case 24: {
        const plen = tvb.u8(b);
        pkt.item(it, hf.opt_prefix_length, tvb, b, 1);
        const fl = tvb.u8(b + 1);
        const pref = PRF[(fl & 0x18) >> 3]!;
        const fi = pkt.item(it, hf.opt_route_info_flag, tvb, b + 1, 1, pkt.tree ? `Flag: ${hx(fl, 2)}, Route Preference: ${pref}` : undefined);
        pkt.item(fi, hf.opt_route_info_pref, tvb, b + 1, 1);
        pkt.item(fi, hf.opt_route_info_reserved, tvb, b + 1, 1);
        extra = ` : ${pref}`;
        pkt.item(it, hf.opt_route_lifetime, tvb, b + 2, 4);
        used = b + 6;
        if (len === 8) extra += ` ::/${plen}`;
        else if (len === 16 || len === 24) {
          const n = len - 8;
          const pfx = new Uint8Array(16);
          pfx.set(tvb.slice(used, n));
          pkt.add(it, hf.opt_prefix, tvb, used, n, pfx);
          extra += ` ${ipv6ToString(pfx)}/${plen}`;
          used += n;
        } else pkt.expert(li, 'error', 'malformed', 'Invalid option length', hf.invalid_option_length);
        break;
      }
      case 26: {
        const fl = tvb.u16(b);
        const names = flagList(fl, [[0x8000, 'Managed address configuration'], [0x4000, 'Other configuration'], [0x2000, 'Home Agent']]);
        names.push(`Prf (Default Router Preference): ${PRF[(fl & 0x1800) >> 11]!}`);
        if (fl & 0x0400) names.push('Proxy');
        const fi = pkt.item(it, hf.opt_efo, tvb, b, 2, pkt.tree ? `Flags Expansion Option: ${hx(fl, 4)}, ${names.join(', ')}` : undefined);
        for (const f of [hf.opt_efo_m, hf.opt_efo_o, hf.opt_efo_h, hf.opt_efo_prf, hf.opt_efo_p, hf.opt_efo_rsv]) pkt.item(fi, f, tvb, b, 2);
        pkt.add(it, hf.opt_reserved, tvb, b + 2, 4, undefined, 'Reserved');
        used = b + 6;
        break;
      }
      case 37: {
        const raw = tvb.slice(b, len - 2);
        const z = raw.indexOf(0);
        const url = new TextDecoder('latin1').decode(z < 0 ? raw : raw.subarray(0, z));
        pkt.add(it, hf.opt_captive_portal, tvb, b, len - 2, url);
        used = end;
        break;
      }
      case 38: {
        pkt.item(it, hf.opt_pref64_lifetime, tvb, b, 2);
        pkt.item(it, hf.opt_pref64_plc, tvb, b, 2);
        const plc = tvb.u16(b) & 7;
        const n = [12, 8, 7, 6, 5, 4][plc];
        if (n !== undefined) {
          const pfx = new Uint8Array(16);
          pfx.set(tvb.slice(b + 2, n));
          pkt.add(it, hf.opt_pref64_prefix, tvb, b + 2, n, pfx);
        } else pkt.expert(li, 'error', 'malformed', 'Invalid option length', hf.invalid_option_length);
        used = b + 14;
        break;
      }
      case 7:
        pkt.add(it, hf.opt_reserved, tvb, b, 2, undefined, 'Reserved');
        pkt.item(it, hf.opt_adv_interval, tvb, b + 2, 4);
        extra = ` : ${tvb.u32(b + 2)}`;
        used = b + 6;
        break;
      case 8:
        pkt.add(it, hf.opt_reserved, tvb, b, 2, undefined, 'Reserved');
        pkt.item(it, hf.opt_ha_pref, tvb, b + 2, 2);
        pkt.item(it, hf.opt_ha_lifetime, tvb, b + 4, 2);
        used = b + 6;
        break;
      case 14:
        pkt.item(it, hf.opt_nonce, tvb, b, len - 2);
        used = end;
        break;
      case 25: {
        pkt.add(it, hf.opt_reserved, tvb, b, 2, undefined, 'Reserved');
        pkt.item(it, hf.opt_rdnss_lifetime, tvb, b + 2, 4);
        for (used = b + 6; used < end; used += 16) {
          pkt.item(it, hf.opt_rdnss, tvb, used, 16);
          extra += ' ' + ipv6ToString(tvb.slice(used, 16));
        }
        break;
      }
      case 31: {
        pkt.add(it, hf.opt_reserved, tvb, b, 2, undefined, 'Reserved');
        pkt.item(it, hf.opt_dnssl_lifetime, tvb, b + 2, 4);
        let o = b + 6;
        while (o < end && tvb.u8(o) !== 0) {
          const [n, nlen] = labelName(tvb, o, end);
          pkt.add(it, hf.opt_dnssl, tvb, o, nlen, n);
          extra += ' ' + n;
          o += nlen;
        }
        if (o < end) pkt.add(it, hf.opt_padding, tvb, o, end - o, undefined, 'Padding');
        used = end;
        break;
      }
      default:
        if (!TSHARK_DECODED_OPTS.has(type)) {
          pkt.expert(it, 'note', 'undecoded', `Dissector for ICMPv6 Option (${type}) code not implemented, Contact Wireshark developers if you want this supported`, hf.undecoded_option);
          pkt.item(it, hf.data, tvb, b, len - 2);
          used = end;
        }
    }
    if (used < end) {
      // bytes the option's fields did not cover: tshark flags them; for options tshark decodes
      // and we don't, they are shown plain
      const u = pkt.item(it, hf.unknown_data, tvb, used, end - used);
      if (DECODED_OPTS.has(type)) pkt.expert(u, 'error', 'malformed', 'Unknown Data (not interpreted)', hf.unknown_data_expert);
    }
    if (pkt.tree) it.text = `ICMPv6 Option (${name}${extra})`;
    off = end;
  }
}

/** Adds the checksum items; returns false when the checksum is known to be bad. */
function checksum(tvb: Tvb, pkt: Packet, top: Item): boolean {
  const ck = tvb.u16(2);
  const s = pkt.p.srcAddr;
  const d = pkt.p.dstAddr;
  const ckText = `Checksum: ${hx(ck, 4)}`;
  if (pkt.p.inError || tvb.length < tvb.reported || !(s instanceof Uint8Array) || !(d instanceof Uint8Array)) {
    // tshark's reason: inside an error message, or not all bytes there to sum
    const why = pkt.p.inError ? ' [in ICMP error packet]' : tvb.length < tvb.reported ? ' [fragmented datagram]' : '';
    pkt.item(top, hf.checksum, tvb, 2, 2, `${ckText} [unverified]${why}`);
    pkt.gen(top, hf.checksum_status, 2, 'Checksum Status: Unverified');
    return true;
  }
  const len = tvb.reported;
  let ph = 58 + Math.floor(len / 0x10000) + (len & 0xffff);
  for (let i = 0; i < 16; i += 2) ph += ((s[i]! << 8) | s[i + 1]!) + ((d[i]! << 8) | d[i + 1]!);
  const sum = onesSum(tvb.bytes, ph);
  if (sum === 0xffff) {
    pkt.item(top, hf.checksum, tvb, 2, 2, `${ckText} [correct]`);
    pkt.gen(top, hf.checksum_status, 1, 'Checksum Status: Good');
    return true;
  } else {
    const b = tvb.bytes.slice();
    b[2] = 0;
    b[3] = 0;
    const calc = ~onesSum(b, ph) & 0xffff;
    const sb = hx(calc, 4);
    const it = pkt.item(top, hf.checksum, tvb, 2, 2, `${ckText} incorrect, should be ${sb}`);
    pkt.expert(it, 'warn', 'checksum', `Bad checksum [should be ${sb}]`, hf.checksum_bad);
    pkt.gen(top, hf.checksum_status, 0, 'Checksum Status: Bad');
    return false;
  }
}

function addrPairKey(pkt: Packet): string {
  const hex = (a: unknown) => (a instanceof Uint8Array ? Array.from(a, (x) => x.toString(16).padStart(2, '0')).join('') : String(a));
  const a = hex(pkt.p.srcAddr);
  const b = hex(pkt.p.dstAddr);
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Link-layer address options in the Info column: " from <source>" and " is at <target>". */

function flagList(f: number, names: [number, string][]): string[] {
  return names.filter(([m]) => f & m).map(([, n]) => n);
}

function dissectIcmpv6(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  pkt.protocolCol.set('ICMPv6');
  pkt.info.clear();
  const top = pkt.proto(parent, proto_icmpv6, tvb, 0, -1, 'Internet Control Message Protocol v6');
  const type = tvb.u8(0);
  const name = TYPES[type] ?? 'Unknown';
  pkt.add(top, hf.type, tvb, 0, 1, type, pkt.tree ? `Type: ${name} (${type})` : undefined);
  // the type name goes to Info before the code is read (a 1-byte message still shows it)
  pkt.info.set(TYPES[type] ? name : `Unknown (${type})`);
  const code = tvb.u8(1);
  const codes = CODES[type];
  // tshark names unknown codes with the number except for Destination Unreachable
  const codeName = codes ? (codes[code] ?? (type === 1 ? 'Unknown' : `Unknown (${code})`)) : undefined;
  pkt.add(top, hf.code, tvb, 1, 1, code, pkt.tree ? `Code: ${code}${codeName ? ` (${codeName})` : ''}` : undefined);
  if (TYPES[type] && codeName) pkt.info.append(` (${codeName})`);
  if (type === 150) pkt.info.set(`${name} (Unknown (${code}))`);
  const ckOk = checksum(tvb, pkt, top);

  switch (type) {
    case 1:
    case 2:
    case 3:
    case 4: {
      // RFC 4884: unreachable and time exceeded may give the quoted datagram's length (8-byte units)
      const olen = type === 1 || type === 3 ? tvb.u8(4) : 0;
      if (type === 2) pkt.item(top, hf.mtu, tvb, 4, 4);
      else if (type === 4) pkt.item(top, hf.pointer, tvb, 4, 4);
      else if (olen) {
        pkt.item(top, hf.length, tvb, 4, 1);
        pkt.item(top, hf.reserved, tvb, 5, 3);
      } else pkt.item(top, hf.reserved, tvb, 4, 4);
      if (tvb.length > 8) {
        const inner = olen ? tvb.sub(8, Math.min(olen * 8, tvb.reported - 8)) : tvb.sub(8);
        if (inner.u8(0) >> 4 === 6) {
          const d = lookup('ethertype', 0x86dd);
          if (d) dissectQuoted(inner, pkt, top, d);
        } else dissectData(inner, pkt, top);
      }
      if (olen) dissectIcmpExtension(tvb.sub(8 + olen * 8), pkt, top, true);
      break;
    }
    case 128:
    case 129: {
      const id = tvb.u16(4);
      const seq = tvb.u16(6);
      pkt.item(top, hf.echo_id, tvb, 4, 2);
      pkt.item(top, hf.echo_seq, tvb, 6, 2);
      pkt.info.append(` id=${hx(id, 4)}, seq=${seq}, hop limit=${pkt.p.ttl ?? 0}`);
      const m = pkt.p.inError ? {} : echoMatch(pkt, `${addrPairKey(pkt)}|${id}|${seq}|${echoChecksum(tvb.u16(2), type === 129 ? 0x0100 : 0)}`, type === 128, 'icmpv6.echo', ckOk);
      if (m.reqFrame !== undefined) {
        pkt.gen(top, hf.resp_to, m.reqFrame, `Response To: ${m.reqFrame}`);
        pkt.gen(top, hf.resptime, m.rtt!, `Response Time: ${m.rtt!.toFixed(3)} ms`);
        pkt.info.append(` (request in ${m.reqFrame})`);
      }
      if (tvb.reported > 8) dissectData(tvb.sub(8), pkt, top);
      break;
    }
    case 130:
    case 131:
    case 132: {
      if (type === 130 && tvb.reported >= 28) {
        pkt.item(top, hf.mld_max_code, tvb, 4, 2);
        pkt.item(top, hf.reserved, tvb, 6, 2);
        pkt.item(top, hf.mld_mcast, tvb, 8, 16);
        const fl = pkt.item(top, hf.mld_flag, tvb, 24, 1);
        pkt.item(fl, hf.mld_flag_s, tvb, 24, 1);
        pkt.item(fl, hf.mld_flag_qrv, tvb, 24, 1);
        pkt.item(fl, hf.mld_flag_reserved, tvb, 24, 1);
        pkt.item(top, hf.mld_qqi, tvb, 25, 1);
        const n = tvb.u16(26);
        pkt.item(top, hf.mld_nb_sources, tvb, 26, 2);
        for (let i = 0; i < n; i++) pkt.item(top, hf.mld_source, tvb, 28 + i * 16, 16);
      } else {
        pkt.item(top, hf.mld_max_delay, tvb, 4, 2);
        pkt.item(top, hf.reserved, tvb, 6, 2);
        pkt.item(top, hf.mld_mcast, tvb, 8, 16);
      }
      break;
    }
    case 143: {
      pkt.item(top, hf.reserved, tvb, 4, 2);
      pkt.item(top, hf.mldr_nb_records, tvb, 6, 2);
      // as tshark: records run to the end of the message, whatever their announced number
      let off = 8;
      while (off < tvb.reported) {
        const it = pkt.add(top, hf.mldr_mar, tvb, off, Math.max(0, tvb.length - off), undefined, 'Multicast Address Record');
        const rt = tvb.u8(off);
        pkt.item(it, hf.mar_record_type, tvb, off, 1);
        const aux = tvb.u8(off + 1) * 4;
        pkt.item(it, hf.mar_aux_data_len, tvb, off + 1, 1);
        const ns = tvb.u16(off + 2);
        pkt.item(it, hf.mar_nb_sources, tvb, off + 2, 2);
        pkt.item(it, hf.mar_mcast, tvb, off + 4, 16);
        const maddr = tvb.slice(off + 4, 16);
        for (let j = 0; j < ns; j++) pkt.item(it, hf.mar_source, tvb, off + 20 + j * 16, 16);
        if (aux) pkt.item(it, hf.mar_aux, tvb, off + 20 + ns * 16, aux);
        const rlen = 20 + ns * 16 + aux;
        it.len = rlen;
        if (pkt.tree) it.text = `Multicast Address Record ${MAR_TYPES[rt] ?? `Unknown Record Type (${rt})`}: ${ipv6ToString(maddr)}`;
        off += rlen;
      }
      break;
    }
    case 133:
      pkt.item(top, hf.reserved, tvb, 4, 4);
      dissectOptions(tvb, pkt, top, 8);
      break;
    case 134: {
      pkt.item(top, hf.ra_cur_hop_limit, tvb, 4, 1);
      const fl = tvb.u8(5);
      const prf = (fl >> 3) & 3;
      const names = flagList(fl, [[0x80, 'Managed'], [0x40, 'Other'], [0x20, 'Home Agent']]);
      names.push(`Prf (Default Router Preference): ${PRF[prf]}`);
      if (fl & 0x04) names.push('Proxy');
      const fi = pkt.item(top, hf.ra_flag, tvb, 5, 1, pkt.tree ? `Flags: ${hx(fl, 2)}, ${names.join(', ')}` : undefined);
      pkt.item(fi, hf.ra_flag_m, tvb, 5, 1);
      pkt.item(fi, hf.ra_flag_o, tvb, 5, 1);
      pkt.item(fi, hf.ra_flag_h, tvb, 5, 1);
      pkt.item(fi, hf.ra_flag_prf, tvb, 5, 1);
      pkt.item(fi, hf.ra_flag_p, tvb, 5, 1);
      pkt.item(fi, hf.ra_flag_rsv, tvb, 5, 1);
      pkt.item(top, hf.ra_router_lifetime, tvb, 6, 2);
      pkt.item(top, hf.ra_reachable_time, tvb, 8, 4);
      pkt.item(top, hf.ra_retrans_timer, tvb, 12, 4);
      dissectOptions(tvb, pkt, top, 16);
      break;
    }
    case 135: {
      pkt.item(top, hf.reserved, tvb, 4, 4);
      const t = tvb.slice(8, 16);
      pkt.item(top, hf.ns_target, tvb, 8, 16);
      pkt.info.append(` for ${ipv6ToString(t)}`);
      dissectOptions(tvb, pkt, top, 24);
      break;
    }
    case 136: {
      const fl = tvb.u32(4);
      const names = flagList(fl, [[0x80000000, 'Router'], [0x40000000, 'Solicited'], [0x20000000, 'Override']]);
      const fi = pkt.item(top, hf.na_flag, tvb, 4, 4, pkt.tree ? `Flags: ${hx(fl, 8)}${names.map((n) => ', ' + n).join('')}` : undefined);
      pkt.item(fi, hf.na_flag_r, tvb, 4, 4);
      pkt.item(fi, hf.na_flag_s, tvb, 4, 4);
      pkt.item(fi, hf.na_flag_o, tvb, 4, 4);
      pkt.item(fi, hf.na_flag_rsv, tvb, 4, 4);
      const t = tvb.slice(8, 16);
      pkt.item(top, hf.na_target, tvb, 8, 16);
      const short = flagList(fl, [[0x80000000, 'rtr'], [0x40000000, 'sol'], [0x20000000, 'ovr']]);
      pkt.info.append(` ${ipv6ToString(t)} (${short.length ? short.join(', ') : 'none'})`);
      dissectOptions(tvb, pkt, top, 24);
      break;
    }
    case 148:
      // SEND certification path solicitation
      pkt.item(top, hf.send_identifier, tvb, 4, 2);
      pkt.item(top, hf.send_component, tvb, 6, 2);
      dissectOptions(tvb, pkt, top, 8);
      break;
    case 149:
      pkt.item(top, hf.send_identifier, tvb, 4, 2);
      pkt.item(top, hf.send_all_components, tvb, 6, 2);
      pkt.item(top, hf.send_component, tvb, 8, 2);
      pkt.item(top, hf.reserved, tvb, 10, 2);
      dissectOptions(tvb, pkt, top, 12);
      break;
    case 137:
      pkt.item(top, hf.reserved, tvb, 4, 4);
      pkt.item(top, hf.rd_target, tvb, 8, 16);
      pkt.item(top, hf.rd_destination, tvb, 24, 16);
      dissectOptions(tvb, pkt, top, 40);
      break;
    default:
      // tshark decodes types 1-4 and 128-161; every other type is flagged as undecoded
      if (type < 128 || type > 161) {
        pkt.expert(top, 'note', 'undecoded', `Dissector for ICMPv6 Type (${type}) code not implemented, Contact Wireshark developers if you want this supported`, hf.undecoded_type);
      }
      // to the end of what was captured, as tshark's length -1
      if (tvb.length > 4) pkt.item(top, hf.data, tvb, 4, tvb.length - 4);
  }
  return tvb.reported;
}

register('ip.proto', 58, dissectIcmpv6);
