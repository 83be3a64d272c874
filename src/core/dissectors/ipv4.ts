// IPv4: header fields, options, checksum, fragment reassembly and the hand-off by protocol number ('ip.proto').
import { fields, protocol, type FieldDef } from '../fields/registry';
import { bitmaskPrefix, bytesToHex, hex2, ipv4ToString, standardLabel } from '../fields/format';
import { GENERATED, type Item, type Packet } from '../dissect/packet';
import { MalformedError, type Tvb } from '../dissect/tvb';
import { lookup, register } from '../dissect/tables';
import { addFragment } from '../analysis/ip-reassembly';
import { dissectData } from './data';

export const proto_ip = protocol('ip', 'Internet Protocol Version 4');

/** IP protocol numbers as Wireshark names them (ip.proto, ipv6.nxt). */
export const IPPROTO: Record<number, string> = {
  0: 'IPv6 Hop-by-Hop Option', 1: 'ICMP', 2: 'IGMP', 3: 'GGP', 4: 'IPIP', 5: 'Stream', 6: 'TCP', 7: 'CBT',
  8: 'EGP', 9: 'IGRP', 10: 'BBN RCC', 11: 'Network Voice', 12: 'PUP', 13: 'ARGUS', 14: 'EMCON', 15: 'XNET',
  16: 'CHAOS', 17: 'UDP', 18: 'Multiplex', 19: 'DCN Measurement', 20: 'Host Monitoring', 21: 'Packet radio',
  22: 'IDP', 23: 'Trunk-1', 24: 'Trunk-2', 25: 'Leaf-1', 26: 'Leaf-2', 27: 'Reliable Data', 28: 'IRT',
  29: 'ISO TP4', 30: 'Bulk Data', 31: 'MFE NSP', 32: 'Merit Internodal', 33: 'Datagram Congestion Control Protocol',
  34: '3rd Party Connect', 35: 'Inter-Domain Policy Routing Protocol', 36: 'XTP', 37: 'Datagram delivery',
  38: 'Control Message', 39: 'TP++', 40: 'IL', 41: 'IPv6', 42: 'Source demand routing', 43: 'Routing Header for IPv6',
  44: 'Fragment Header for IPv6', 45: 'Inter-Domain Routing Protocol', 46: 'Reservation Protocol',
  47: 'Generic Routing Encapsulation', 48: 'Dynamic source routing', 49: 'BNA', 50: 'Encap Security Payload',
  51: 'Authentication Header', 52: 'INSLP', 53: 'SWIPE', 54: 'NBMA ARP', 55: 'IP Mobility', 56: 'TLSP Kryptonet',
  57: 'SKIP', 58: 'ICMPv6', 59: 'No Next Header for IPv6', 60: 'Destination Options for IPv6',
  61: 'any host internal protocol', 62: 'Mobile IPv6 (old)', 63: 'any local network', 64: 'SATNET EXPAK',
  65: 'Kryptolan', 66: 'Remote Virtual Disk', 67: 'IPPC', 68: 'any distributed file system', 69: 'SATNET Monitoring',
  70: 'VISA', 71: 'IPCV', 72: 'CPNX', 73: 'CPHB', 74: 'Wang Span', 75: 'Packet Video', 76: 'Backroom SATNET Mon',
  77: 'Sun ND Protocol', 78: 'Wideband Mon', 79: 'Wideband Expak', 80: 'ISO Internet Protocol', 81: 'VMTP',
  82: 'Secure VMTP', 83: 'VINES', 84: 'TTP', 85: 'NSFNET IGP', 86: 'Dissimilar Gateway', 87: 'TCF', 88: 'EIGRP',
  89: 'OSPF IGP', 90: 'Sprite RPC', 91: 'Locus ARP', 92: 'Multicast Transport', 93: 'AX.25 Frames', 94: 'IP in IP',
  95: 'MICP', 96: 'Semaphore', 97: 'Ether in IP', 98: 'ENCAP', 99: 'any private encryption scheme', 100: 'GMTP',
  101: 'Ipsilon Flow', 102: 'PNNI over IP', 103: 'PIM', 104: 'ARIS', 105: 'SCPS', 106: 'QNX', 107: 'Active Networks',
  108: 'IPComp', 109: 'Sitara Networks', 110: 'Compaq Peer', 111: 'IPX IN IP', 112: 'VRRP', 113: 'PGM',
  114: 'any 0-hop protocol', 115: 'Layer 2 Tunneling', 116: 'DDX', 117: 'IATP', 118: 'STP', 119: 'SpectraLink',
  120: 'UTI', 121: 'SMP', 122: 'SM', 123: 'PTP', 124: 'ISIS over IP', 125: 'FIRE', 126: 'CRTP', 127: 'CRUDP',
  128: 'SSCOPMCE', 129: 'IPLT', 130: 'Secure Packet', 131: 'PIPE', 132: 'SCTP', 133: 'Fibre Channel',
  134: 'RSVP E2EI', 135: 'Mobile IPv6', 136: 'UDPLite', 137: 'MPLS in IP', 138: 'MANET', 139: 'HIP',
  140: 'Shim6 header', 141: 'WESP', 142: 'ROHC', 143: 'Ethernet', 173: 'AX/4000 Testframe',
  224: 'Novell NCS Heartbeat',
};
for (let i = 144; i <= 223; i++) if (i !== 173) IPPROTO[i] = 'Unassigned';

/** Wireshark's name for an IP protocol number, "Unknown" when it has none. */
export function ipprotoName(n: number): string {
  return IPPROTO[n] ?? 'Unknown';
}

export const DSCP_VALS: Record<number, string> = {
  0: 'Default', 1: 'Lower Effort', 8: 'Class Selector 1', 10: 'Assured Forwarding 11', 12: 'Assured Forwarding 12',
  14: 'Assured Forwarding 13', 16: 'Class Selector 2', 18: 'Assured Forwarding 21', 20: 'Assured Forwarding 22',
  22: 'Assured Forwarding 23', 24: 'Class Selector 3', 26: 'Assured Forwarding 31', 28: 'Assured Forwarding 32',
  30: 'Assured Forwarding 33', 32: 'Class Selector 4', 34: 'Assured Forwarding 41', 36: 'Assured Forwarding 42',
  38: 'Assured Forwarding 43', 40: 'Class Selector 5', 44: 'Voice Admit', 46: 'Expedited Forwarding',
  48: 'Class Selector 6', 56: 'Class Selector 7',
};
/** The short DSCP names of the "(DSCP: CS0, ECN: Not-ECT)" summary. */
export const DSCP_SHORT: Record<number, string> = {
  0: 'CS0', 1: 'LE', 8: 'CS1', 10: 'AF11', 12: 'AF12', 14: 'AF13', 16: 'CS2', 18: 'AF21', 20: 'AF22', 22: 'AF23',
  24: 'CS3', 26: 'AF31', 28: 'AF32', 30: 'AF33', 32: 'CS4', 34: 'AF41', 36: 'AF42', 38: 'AF43', 40: 'CS5',
  44: 'VOICE-ADMIT', 46: 'EF PHB', 48: 'CS6', 56: 'CS7',
};
export const ECN_VALS: Record<number, string> = {
  0: 'Not ECN-Capable Transport',
  1: "ECN-Capable Transport codepoint '01'",
  2: "ECN-Capable Transport codepoint '10'",
  3: 'Congestion Experienced',
};
export const ECN_SHORT: Record<number, string> = { 0: 'Not-ECT', 1: 'ECT(1)', 2: 'ECT(0)', 3: 'CE' };

/** Checksum status values shared by every protocol (Wireshark's proto_checksum_vals). */
export const CHECKSUM_STATUS: Record<number, string> = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present' };

const OPT_NUMBER: Record<number, string> = {
  0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Security', 3: 'Loose source route', 4: 'Time stamp',
  5: 'Extended security', 6: 'Commercial security', 7: 'Record route', 8: 'Stream identifier',
  9: 'Strict source route', 10: 'Experimental Measurement', 11: 'MTU Probe', 12: 'MTU Reply',
  13: 'Experimental Flow Control', 14: 'Experimental Access Control', 15: 'ENCODE', 16: 'IMI Traffic Descriptor',
  17: 'Extended Internet Protocol', 18: 'Traceroute', 19: 'Address Extension', 20: 'Router Alert',
  21: 'Selective Directed Broadcast', 23: 'Dynamic Packet State', 24: 'Upstream Multicast Packet', 25: 'Quick-Start',
  30: 'RFC3692-style Experiment',
};

export const hf = fields({
  version: { abbrev: 'ip.version', name: 'Version', type: 'uint', bits: 8, mask: 0xf0 },
  hdr_len: { abbrev: 'ip.hdr_len', name: 'Header Length', type: 'uint', bits: 8 },
  dsfield: { abbrev: 'ip.dsfield', name: 'Differentiated Services Field', type: 'uint', bits: 8, base: 'hex' },
  dscp: { abbrev: 'ip.dsfield.dscp', name: 'Differentiated Services Codepoint', type: 'uint', bits: 8, mask: 0xfc, values: DSCP_VALS },
  ecn: { abbrev: 'ip.dsfield.ecn', name: 'Explicit Congestion Notification', type: 'uint', bits: 8, mask: 0x03, values: ECN_VALS },
  len: { abbrev: 'ip.len', name: 'Total Length', type: 'uint', bits: 16 },
  id: { abbrev: 'ip.id', name: 'Identification', type: 'uint', bits: 16, base: 'hex_dec' },
  flags: { abbrev: 'ip.flags', name: 'Flags', type: 'uint', bits: 8, base: 'hex', mask: 0xe0 },
  rb: { abbrev: 'ip.flags.rb', name: 'Reserved bit', type: 'bool', bits: 8, mask: 0x80 },
  df: { abbrev: 'ip.flags.df', name: "Don't fragment", type: 'bool', bits: 8, mask: 0x40 },
  mf: { abbrev: 'ip.flags.mf', name: 'More fragments', type: 'bool', bits: 8, mask: 0x20 },
  frag_offset: { abbrev: 'ip.frag_offset', name: 'Fragment Offset', type: 'uint', bits: 16, mask: 0x1fff },
  ttl: { abbrev: 'ip.ttl', name: 'Time to Live', type: 'uint', bits: 8 },
  proto: { abbrev: 'ip.proto', name: 'Protocol', type: 'uint', bits: 8, values: IPPROTO },
  checksum: { abbrev: 'ip.checksum', name: 'Header Checksum', type: 'uint', bits: 16, base: 'hex' },
  checksum_status: { abbrev: 'ip.checksum.status', name: 'Header checksum status', type: 'uint', bits: 8, values: CHECKSUM_STATUS, base: 'none' },
  checksum_calculated: { abbrev: 'ip.checksum_calculated', name: 'Calculated Checksum', type: 'uint', bits: 16, base: 'hex' },
  checksum_bad: { abbrev: 'ip.checksum_bad.expert', name: 'Bad checksum', type: 'none' },
  src: { abbrev: 'ip.src', name: 'Source Address', type: 'ipv4' },
  dst: { abbrev: 'ip.dst', name: 'Destination Address', type: 'ipv4' },
  addr: { abbrev: 'ip.addr', name: 'Source or Destination Address', type: 'ipv4' },
  src_host: { abbrev: 'ip.src_host', name: 'Source Host', type: 'string' },
  dst_host: { abbrev: 'ip.dst_host', name: 'Destination Host', type: 'string' },
  host: { abbrev: 'ip.host', name: 'Source or Destination Host', type: 'string' },
  cur_rt: { abbrev: 'ip.cur_rt', name: 'Current Route', type: 'ipv4' },
  cur_rt_host: { abbrev: 'ip.cur_rt_host', name: 'Current Route Host', type: 'string' },
  src_rt: { abbrev: 'ip.src_rt', name: 'Source Route', type: 'ipv4' },
  src_rt_host: { abbrev: 'ip.src_rt_host', name: 'Source Route Host', type: 'string' },
  rec_rt: { abbrev: 'ip.rec_rt', name: 'Recorded Route', type: 'ipv4' },
  rec_rt_host: { abbrev: 'ip.rec_rt_host', name: 'Recorded Route Host', type: 'string' },
  empty_rt: { abbrev: 'ip.empty_rt', name: 'Empty Route', type: 'ipv4' },
  empty_rt_host: { abbrev: 'ip.empty_rt_host', name: 'Empty Route Host', type: 'string' },
  bogus_header_length: { abbrev: 'ip.bogus_header_length', name: 'Bogus IP header length', type: 'none' },
  bogus_ip_length: { abbrev: 'ip.bogus_ip_length', name: 'Bogus IP length', type: 'none' },
  bogus_ip_version: { abbrev: 'ip.bogus_ip_version', name: 'Bogus IP version', type: 'none' },
  ttl_lncb: { abbrev: 'ip.ttl.lncb', name: 'Time To Live', type: 'none' },
  ttl_too_small: { abbrev: 'ip.ttl.too_small', name: 'Time To Live', type: 'none' },
  // options
  opt_type: { abbrev: 'ip.opt.type', name: 'Type', type: 'uint', bits: 8 },
  opt_copy: { abbrev: 'ip.opt.type.copy', name: 'Copy on fragmentation', type: 'bool', bits: 8, mask: 0x80, tf: ['Yes', 'No'] },
  opt_class: {
    abbrev: 'ip.opt.type.class',
    name: 'Class',
    type: 'uint',
    bits: 8,
    mask: 0x60,
    values: { 0: 'Control', 1: 'Reserved for future use', 2: 'Debugging and measurement', 3: 'Reserved for future use' },
  },
  opt_number: { abbrev: 'ip.opt.type.number', name: 'Number', type: 'uint', bits: 8, mask: 0x1f, values: OPT_NUMBER },
  opt_len: { abbrev: 'ip.opt.len', name: 'Length', type: 'uint', bits: 8 },
  opt_ptr: { abbrev: 'ip.opt.ptr', name: 'Pointer', type: 'uint', bits: 8 },
  opt_sid: { abbrev: 'ip.opt.sid', name: 'Stream Identifier', type: 'uint', bits: 16 },
  opt_ra: {
    abbrev: 'ip.opt.ra',
    name: 'Router Alert',
    type: 'uint',
    bits: 16,
    values: { 0: 'Router shall examine packet' },
  },
  opt_overflow: { abbrev: 'ip.opt.overflow', name: 'Overflow', type: 'uint', bits: 8, mask: 0xf0 },
  opt_flag: {
    abbrev: 'ip.opt.flag',
    name: 'Flag',
    type: 'uint',
    bits: 8,
    mask: 0x0f,
    base: 'hex',
    values: { 0: 'Time stamps only', 1: 'Time stamp and address', 3: 'Time stamps for prespecified addresses' },
  },
  opt_ts_addr: { abbrev: 'ip.opt.time_stamp_addr', name: 'Address', type: 'ipv4' },
  opt_ts: { abbrev: 'ip.opt.time_stamp', name: 'Time stamp', type: 'uint', bits: 32 },
  opt_mtu: { abbrev: 'ip.opt.mtu', name: 'MTU', type: 'uint', bits: 16 },
  opt_padding: { abbrev: 'ip.opt.padding', name: 'Padding', type: 'bytes' },
  // reassembly
  fragments: { abbrev: 'ip.fragments', name: 'IPv4 Fragments', type: 'bytes' },
  fragment: { abbrev: 'ip.fragment', name: 'IPv4 Fragment', type: 'framenum' },
  fragment_count: { abbrev: 'ip.fragment.count', name: 'Fragment count', type: 'uint', bits: 32 },
  reassembled_in: { abbrev: 'ip.reassembled_in', name: 'Reassembled IPv4 in frame', type: 'framenum' },
  reassembled_length: { abbrev: 'ip.reassembled.length', name: 'Reassembled IPv4 length', type: 'uint', bits: 32 },
  reassembled_data: { abbrev: 'ip.reassembled.data', name: 'Reassembled IPv4 data', type: 'bytes' },
});

/** IP option items: the "IP Option - X" subtrees (Wireshark registers them as protocols; -T fields prints their bytes). */
const OPTS: Record<number, { f: FieldDef; name: string }> = {};
function opt(type: number, abbrev: string, name: string): void {
  OPTS[type] = { f: fields({ x: { abbrev: `ip.options.${abbrev}`, name: `IP Option - ${name}`, type: 'bytes' } }).x, name };
}
opt(0x00, 'eol', 'End of Options List (EOL)');
opt(0x01, 'nop', 'No-Operation (NOP)');
opt(0x82, 'security', 'Security');
opt(0x83, 'route', 'Loose Source Route');
opt(0x44, 'timestamp', 'Time Stamp');
opt(0x85, 'ext_security', 'Extended Security');
opt(0x86, 'cipso', 'Commercial Security');
opt(0x07, 'record_route', 'Record Route');
opt(0x88, 'sid', 'Stream ID');
opt(0x89, 'source_route', 'Strict Source Route');
opt(0x0b, 'mtu_probe', 'MTU Probe');
opt(0x0c, 'mtu_reply', 'MTU Reply');
opt(0x52, 'traceroute', 'Traceroute');
opt(0x94, 'routeralert', 'Router Alert');
opt(0x95, 'sdb', 'Selective Directed Broadcast');
opt(0x19, 'qs', 'Quick-Start');

/** The bit picture of a masked value ("... 0101 = ") for items whose stored value is not the raw bits. */
export function bitPrefix(bits: number, mask: number, v: number): string {
  let shift = 0;
  while (shift < bits && !((mask / 2 ** shift) & 1)) shift++;
  const x = v * 2 ** shift;
  let s = '';
  for (let i = bits - 1; i >= 0; i--) {
    const bit = 2 ** i;
    s += Math.floor(mask / bit) % 2 ? (Math.floor(x / bit) % 2 ? '1' : '0') : '.';
    if (i > 0 && i % 4 === 0) s += ' ';
  }
  return s + ' = ';
}

/** Shortest valid length of options with a fixed part. */
const OPT_MIN: Record<number, number> = { 0x07: 3, 0x83: 3, 0x89: 3, 0x44: 4, 0x88: 4, 0x94: 4, 0x0b: 4, 0x0c: 4 };

/** "Name: Unknown (n)" for a value without a name, as Wireshark labels value_string fields. */
export function vsLabel(f: FieldDef, v: number): string | undefined {
  if (!f.values || f.values[v] !== undefined) return undefined;
  const prefix = f.mask ? bitmaskPrefix(f, v) : '';
  return `${prefix}${f.name}: Unknown (${v})`;
}

/** Internet checksum (ones' complement sum) over `b`, folded; `init` adds a pseudo-header sum. */
export function onesSum(b: Uint8Array, init = 0): number {
  let s = init;
  const n = b.length & ~1;
  for (let i = 0; i < n; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  if (b.length & 1) s += b[b.length - 1]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

function isLncb(a: number): boolean {
  return a >>> 8 === 0xe00000;
}
function isMulticast(a: number): boolean {
  return a >>> 28 === 0xe;
}

interface OptState {
  /** final destination from a source route option */
  routeDst?: number;
  names: string[];
}

function dissectOptions(tvb: Tvb, pkt: Packet, parent: Item, start: number, end: number, st: OptState): void {
  const head = pkt.text(parent, tvb, start, end - start, `Options: (${end - start} bytes)`);
  let off = start;
  while (off < end) {
    const type = tvb.u8(off);
    const o = OPTS[type];
    if (type === 0 || type === 1) {
      const it = pkt.add(head, o!.f, tvb, off, 1, tvb.slice(off, 1), `IP Option - ${o!.name}`);
      optType(pkt, it, tvb, off);
      off++;
      // EOL: what follows is padding, which tshark does not show
      if (type === 0) break;
      continue;
    }
    if (off + 1 >= end) {
      pkt.text(head, tvb, off, 1, `${o ? o.name : `Unknown (0x${hex2(type)})`} (option length byte past end of options)`);
      break;
    }
    const len = tvb.u8(off + 1);
    // shorter than the option's fixed part: tshark stops with a malformed packet
    if (o && len < (OPT_MIN[type] ?? 2)) throw new MalformedError();
    if (!o) {
      pkt.text(head, tvb, off, Math.min(len, end - off), `Unknown (0x${hex2(type)}) (${len} bytes)`);
      if (len < 2) break;
      off += len;
      continue;
    }
    const it = pkt.add(head, o.f, tvb, off, Math.min(len, end - off), tvb.slice(off, Math.min(len, end - off)), `IP Option - ${o.name} (${len} bytes)`);
    optType(pkt, it, tvb, off);
    pkt.item(it, hf.opt_len, tvb, off + 1, 1);
    st.names.push(o.name);
    const body = off + 2;
    const bend = Math.min(off + len, end);
    switch (type) {
      case 0x07: // record route
      case 0x83: // loose source route
      case 0x89: {
        // strict source route
        const ptr = tvb.u8(body);
        pkt.item(it, hf.opt_ptr, tvb, body, 1);
        for (let a = body + 1, i = 0; a + 4 <= bend; a += 4, i++) {
          const v = tvb.u32(a);
          const here = a - off + 1 === ptr;
          if (type === 0x07) {
            if (here) pkt.add(it, hf.empty_rt, tvb, a, 4, v, `Empty Route: ${ipv4ToString(v)} <- (next)`);
            else if (a - off + 1 < ptr) pkt.add(it, hf.rec_rt, tvb, a, 4, v);
            else pkt.add(it, hf.empty_rt, tvb, a, 4, v);
          } else if (a + 4 >= bend) {
            // the last address of a source route is the final destination
            pkt.add(it, hf.dst, tvb, a, 4, v);
            st.routeDst = v;
          } else if (here) pkt.add(it, hf.src_rt, tvb, a, 4, v, `Source Route: ${ipv4ToString(v)} <- (next)`);
          else pkt.add(it, hf.src_rt, tvb, a, 4, v);
        }
        break;
      }
      case 0x44: {
        pkt.item(it, hf.opt_ptr, tvb, body, 1);
        pkt.item(it, hf.opt_overflow, tvb, body + 1, 1);
        const flag = tvb.u8(body + 1) & 0x0f;
        const fl = pkt.item(it, hf.opt_flag, tvb, body + 1, 1);
        if (pkt.tree) fl.text = `${bitmaskPrefix(hf.opt_flag, flag)}Flag: ${hf.opt_flag.values![flag] ?? 'Unknown'} (0x${flag.toString(16)})`;
        let a = body + 2;
        while (a + 4 <= bend) {
          if (flag === 0) {
            pkt.item(it, hf.opt_ts, tvb, a, 4);
            a += 4;
          } else {
            if (a + 8 > bend) break;
            pkt.item(it, hf.opt_ts_addr, tvb, a, 4);
            pkt.item(it, hf.opt_ts, tvb, a + 4, 4);
            a += 8;
          }
        }
        break;
      }
      case 0x88:
        pkt.item(it, hf.opt_sid, tvb, body, 2);
        break;
      case 0x94: {
        const v = tvb.u16(body);
        pkt.item(it, hf.opt_ra, tvb, body, 2, vsLabel(hf.opt_ra, v));
        if (pkt.tree) it.text += `: ${hf.opt_ra.values![v] ?? 'Unknown'} (${v})`;
        break;
      }
      case 0x0b:
      case 0x0c:
        pkt.item(it, hf.opt_mtu, tvb, body, 2);
        break;
    }
    off += len;
  }
  if (pkt.tree && st.names.length) head.text += ', ' + st.names.join(', ');
}

function optType(pkt: Packet, it: Item, tvb: Tvb, off: number): void {
  const t = pkt.item(it, hf.opt_type, tvb, off, 1);
  pkt.item(t, hf.opt_copy, tvb, off, 1);
  pkt.item(t, hf.opt_class, tvb, off, 1);
  const n = tvb.u8(off) & 0x1f;
  pkt.item(t, hf.opt_number, tvb, off, 1, vsLabel(hf.opt_number, n));
}

/** Add the Source/Destination address items with their hidden aggregates, as Wireshark orders them. */
function addrItems(pkt: Packet, top: Item, tvb: Tvb, off: number, v: number, which: 'src' | 'dst', text?: string): void {
  const s = ipv4ToString(v);
  pkt.add(top, which === 'src' ? hf.src : hf.dst, tvb, off, 4, v, text);
  pkt.hidden(top, hf.addr, tvb, off, 4, v);
  pkt.hidden(top, which === 'src' ? hf.src_host : hf.dst_host, tvb, off, 4, s);
  pkt.hidden(top, hf.host, tvb, off, 4, s);
}

export function dissectIp(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  pkt.protocolCol.set('IPv4');
  pkt.info.clear();
  const inError = !!pkt.p.inError;
  const top = pkt.proto(parent, proto_ip, tvb, 0, Math.min(20, tvb.reported), 'Internet Protocol Version 4');
  const b0 = tvb.u8(0);
  const version = b0 >> 4;
  const hlen = (b0 & 0x0f) * 4;
  const ver = pkt.item(top, hf.version, tvb, 0, 1);
  if (version === 6) {
    // an IPv6 packet where IPv4 was expected: Wireshark passes it on to IPv6 (frame.protocols ip:ipv6)
    top.len = 0;
    const v6 = lookup('ethertype', 0x86dd);
    if (v6) {
      const r = v6(tvb, pkt, parent);
      return typeof r === 'number' ? r : tvb.reported;
    }
  }
  if (version !== 4) {
    pkt.expert(ver, 'error', 'protocol', 'Bogus IPv4 version', hf.bogus_ip_version);
    pkt.info.set(`Bogus IPv4 version (${version}, must be 4)`);
    return tvb.reported;
  }
  const hl = pkt.add(top, hf.hdr_len, tvb, 0, 1, hlen, pkt.tree ? `${bitPrefix(8, 0x0f, b0 & 0x0f)}Header Length: ${hlen} bytes (${hlen >> 2})` : undefined);
  if (hlen < 20) {
    pkt.expert(hl, 'error', 'protocol', `Bogus IP header length (${hlen}, must be at least 20)`, hf.bogus_header_length);
    pkt.info.set(`Bogus IP header length (${hlen}, must be at least 20)`);
    return tvb.reported;
  }
  top.len = Math.min(hlen, tvb.length);
  const tos = tvb.u8(1);
  const dscp = tos >> 2;
  const ecn = tos & 3;
  const ds = pkt.item(top, hf.dsfield, tvb, 1, 1);
  if (pkt.tree) ds.text = `Differentiated Services Field: 0x${hex2(tos)} (DSCP: ${DSCP_SHORT[dscp] ?? 'Unknown'}, ECN: ${ECN_SHORT[ecn]})`;
  pkt.item(ds, hf.dscp, tvb, 1, 1, pkt.tree ? vsLabel(hf.dscp, dscp) : undefined);
  pkt.item(ds, hf.ecn, tvb, 1, 1);
  let ipLen = tvb.u16(2);
  const claimedLen = ipLen;
  if (ipLen < hlen) {
    const it = pkt.item(top, hf.len, tvb, 2, 2, `Total Length: ${ipLen} bytes (bogus, less than header length ${hlen})`);
    pkt.expert(it, 'error', 'protocol', 'Bogus IP length', hf.bogus_ip_length);
    pkt.info.set(`Bogus IP length (${ipLen}, less than header length ${hlen})`);
    return tvb.reported;
  }
  const lenItem = pkt.item(top, hf.len, tvb, 2, 2);
  if (ipLen > tvb.reported && !inError) {
    pkt.expert(lenItem, 'error', 'protocol', `IPv4 total length exceeds packet length (${tvb.reported} bytes)`, hf.bogus_ip_length);
    ipLen = tvb.reported;
  }
  const id = tvb.u16(4);
  pkt.item(top, hf.id, tvb, 4, 2);
  const fo = tvb.u16(6);
  const flags = fo >> 13;
  const fragOff = fo & 0x1fff;
  const more = (flags & 1) !== 0;
  const fl = pkt.item(top, hf.flags, tvb, 6, 1);
  if (pkt.tree) {
    const names = [flags & 4 ? 'Reserved bit' : '', flags & 2 ? "Don't fragment" : '', flags & 1 ? 'More fragments' : ''].filter(Boolean);
    fl.text = standardLabel(hf.flags, flags) + (names.length ? ', ' + names.join(', ') : '');
  }
  pkt.item(fl, hf.rb, tvb, 6, 1);
  pkt.item(fl, hf.df, tvb, 6, 1);
  pkt.item(fl, hf.mf, tvb, 6, 1);
  pkt.add(top, hf.frag_offset, tvb, 6, 2, fragOff, pkt.tree ? `${bitmaskPrefix(hf.frag_offset, fragOff)}Fragment Offset: ${fragOff * 8}` : undefined);
  const ttl = tvb.u8(8);
  const ttlItem = pkt.item(top, hf.ttl, tvb, 8, 1);
  const proto = tvb.u8(9);
  pkt.item(top, hf.proto, tvb, 9, 1, pkt.tree ? vsLabel(hf.proto, proto) : undefined);
  const ck = tvb.u16(10);
  const ckItem = pkt.item(top, hf.checksum, tvb, 10, 2);
  let ckBad = false;
  if (pkt.session.prefs.ipCheckChecksum && tvb.length >= hlen) {
    const sum = onesSum(tvb.slice(0, hlen));
    if (sum === 0xffff) {
      if (pkt.tree) ckItem.text = `Header Checksum: 0x${ck.toString(16).padStart(4, '0')} [correct]`;
      pkt.add(top, hf.checksum_status, tvb, 10, 0, 1, 'Header checksum status: Good', GENERATED);
      pkt.add(top, hf.checksum_calculated, tvb, 10, 2, ck, undefined, GENERATED);
    } else {
      const shouldBe = computeHeaderChecksum(tvb.slice(0, hlen));
      ckBad = true;
      const sb = `0x${shouldBe.toString(16).padStart(4, '0')}`;
      if (pkt.tree) ckItem.text = `Header Checksum: 0x${ck.toString(16).padStart(4, '0')} incorrect, should be ${sb}(may be caused by "IP checksum offload"?)`;
      pkt.expert(ckItem, 'error', 'checksum', `Bad checksum [should be ${sb}]`, hf.checksum_bad);
      pkt.add(top, hf.checksum_status, tvb, 10, 0, 0, 'Header checksum status: Bad', GENERATED);
      pkt.add(top, hf.checksum_calculated, tvb, 10, 2, shouldBe, undefined, GENERATED);
    }
  } else {
    if (pkt.tree) ckItem.text = `Header Checksum: 0x${ck.toString(16).padStart(4, '0')} [validation disabled]`;
    pkt.add(top, hf.checksum_status, tvb, 10, 0, 2, 'Header checksum status: Unverified', GENERATED);
  }
  const src = tvb.u32(12);
  addrItems(pkt, top, tvb, 12, src, 'src');
  if (pkt.tree) top.text = `Internet Protocol Version 4, Src: ${ipv4ToString(src)}`;
  pkt.p.netSrc = ipv4ToString(src);
  pkt.p.srcAddr = src;
  const dst = tvb.u32(16);
  // options first: a source route option carries the final destination
  const st: OptState = { names: [] };
  let optErr: unknown = null;
  let dstItems = () => addrItems(pkt, top, tvb, 16, dst, 'dst');
  let finalDst = dst;
  let viaText = '';
  if (hlen > 20) {
    // parse options into a detached holder so they can follow the address items
    const holder: Item = { f: hf.version, v: undefined, src: 0, start: 0, len: 0, text: '', flags: 0, children: null };
    try {
      dissectOptions(tvb, pkt, holder, 20, hlen, st);
    } catch (e) {
      optErr = e;
    }
    if (st.routeDst !== undefined) {
      finalDst = st.routeDst;
      viaText = `, Via: ${ipv4ToString(dst)}`;
      dstItems = () => {
        pkt.add(top, hf.cur_rt, tvb, 16, 4, dst);
        pkt.hidden(top, hf.cur_rt_host, tvb, 16, 4, ipv4ToString(dst));
      };
    }
    dstItems();
    for (const c of holder.children ?? []) (top.children ??= []).push(c);
    if (optErr) throw optErr;
  } else dstItems();
  if (pkt.tree) top.text = `Internet Protocol Version 4, Src: ${ipv4ToString(src)}, Dst: ${ipv4ToString(finalDst)}${viaText}`;
  pkt.p.netDst = ipv4ToString(finalDst);
  pkt.p.dstAddr = finalDst;
  pkt.p.ipProto = proto;
  pkt.p.ttl = ttl;
  pkt.p.ipVersion = 4;

  // (quoted headers in ICMP errors get these notes too, as in tshark)
  if (isLncb(finalDst) && ttl !== 1 && ttl !== 255) {
    // link-local multicast wants TTL 1 (mDNS, 224.0.0.251: 255); 255 passes for all of them in tshark
    const want = finalDst === 0xe00000fb ? 255 : 1;
    pkt.expert(ttlItem, 'note', 'sequence', `"Time To Live" != ${want} for a packet sent to the Local Network Control Block (see RFC 3171)`, hf.ttl_lncb);
  } else if (!isMulticast(finalDst) && ttl < 5 && proto !== 103 /* PIM */) {
    pkt.expert(ttlItem, 'note', 'sequence', `"Time To Live" only ${ttl}`, hf.ttl_too_small);
  }

  // the payload, limited to the total length (captured bytes only inside ICMP errors)
  const payloadLen = ipLen - hlen;
  const payload = inError ? tvb.sub(hlen, Math.min(Math.max(0, tvb.length - hlen), payloadLen)) : tvb.sub(hlen, payloadLen);
  const isFragment = more || fragOff > 0;
  const fragInfo = () =>
    pkt.info.set(`Fragmented IP protocol (proto=${ipprotoName(proto)} ${proto}, off=${fragOff * 8}, ID=${id.toString(16).padStart(4, '0')})`);
  // reassemble only whole fragments (all their bytes captured) with a header checksum not known to be bad
  const defrag = isFragment && pkt.session.prefs.ipDefragment && !inError && claimedLen > hlen && tvb.length >= claimedLen && !ckBad;
  if (!defrag && fragOff > 0) {
    // a later fragment that is not reassembled: data
    fragInfo();
    if (payloadLen > 0) dissectData(payload, pkt, parent);
    return ipLen;
  }
  if (defrag) {
    const key = `${src}:${finalDst}:${id}:${proto}`;
    const r = addFragment(pkt, 'ip', key, fragOff * 8, payload.bytes, payload.src, payload.base, more);
    if (!r) {
      fragInfo();
      if (payloadLen > 0) dissectData(payload, pkt, parent);
      return ipLen;
    }
    const rtvb = pkt.addSource('Reassembled IPv4', r.data);
    {
      const list = r.frags.map((f) => `#${f.frame}(${f.len})`).join(', ');
      const fi = pkt.add(top, hf.fragments, rtvb, 0, r.total, r.data, `${r.frags.length} IPv4 Fragments (${r.total} bytes): ${list}`);
      fi.flags |= GENERATED;
      for (const f of r.frags) {
        const it = pkt.add(fi, hf.fragment, rtvb, f.off, f.len, f.frame, `Frame: ${f.frame}, payload: ${f.off}-${f.off + f.len - 1} (${f.len} bytes)`);
        it.flags |= GENERATED;
      }
      pkt.gen(fi, hf.fragment_count, r.frags.length);
      pkt.gen(fi, hf.reassembled_length, r.total);
      const d = pkt.add(fi, hf.reassembled_data, rtvb, 0, r.total, r.data, pkt.tree ? `Reassembled IPv4 data: ${preview(r.data)}` : undefined);
      d.flags |= GENERATED;
    }
    handOff(rtvb, pkt, parent, proto);
    return ipLen;
  }
  // a first fragment left unreassembled (or quoted in an error): the transport sees only part of its datagram
  if (isFragment) pkt.p.fragmented = true;
  // nothing to hand on (or, inside an ICMP error, nothing captured): no next protocol at all
  if (payload.reported > 0) handOff(payload, pkt, parent, proto);
  return ipLen;
}

function preview(b: Uint8Array): string {
  return b.length > 36 ? bytesToHex(b.subarray(0, 36)) + '…' : bytesToHex(b);
}

function computeHeaderChecksum(h: Uint8Array): number {
  const c = h.slice();
  c[10] = 0;
  c[11] = 0;
  return ~onesSum(c) & 0xffff;
}

function handOff(payload: Tvb, pkt: Packet, parent: Item | null, proto: number): void {
  const d = lookup('ip.proto', proto);
  if (d) {
    const r = d(payload, pkt, parent);
    if (r !== false && r !== 0) return;
  }
  pkt.info.set(`${ipprotoName(proto)} (${proto})`);
  dissectData(payload, pkt, parent);
}

register('ethertype', 0x0800, dissectIp);
register('null.type', 2, dissectIp);
// IP in IP: tshark's generic "ip" entry picks the version, and names anything else a bogus IP version
register('ip.proto', 4, (tvb: Tvb, pkt: Packet, parent: Item | null) => {
  const v = tvb.u8(0) >> 4;
  if (v === 4) return dissectIp(tvb, pkt, parent);
  if (v === 6) return lookup('ethertype', 0x86dd)?.(tvb, pkt, parent) ?? 0;
  pkt.layers.push(proto_ip.abbrev);
  pkt.protocolCol.set('IP');
  pkt.info.set(`Bogus IP version (${v})`);
  return tvb.reported;
});
