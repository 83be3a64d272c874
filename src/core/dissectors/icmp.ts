// ICMP (IPv4): message types, echo request/reply pairing, timestamps in echo data, and errors quoting the offending packet.
import { fields, protocol } from '../fields/registry';
import { GENERATED, type Item, type Packet } from '../dissect/packet';
import { MalformedError, TruncatedError, type Tvb } from '../dissect/tvb';
import { register } from '../dissect/tables';
import { CHECKSUM_STATUS, dissectIp, onesSum, vsLabel } from './ipv4';
import { dissectData } from './data';
import { span } from './udp';

export const proto_icmp = protocol('icmp', 'Internet Control Message Protocol');

const TYPES: Record<number, string> = {
  0: 'Echo (ping) reply', 1: 'Reserved', 2: 'Reserved', 3: 'Destination unreachable',
  4: 'Source quench (flow control)', 5: 'Redirect', 6: 'Alternate host address',
  7: 'Unknown ICMP (obsolete or malformed?)', 8: 'Echo (ping) request', 9: 'Router advertisement',
  10: 'Router solicitation', 11: 'Time-to-live exceeded', 12: 'Parameter problem', 13: 'Timestamp request',
  14: 'Timestamp reply', 15: 'Information request', 16: 'Information reply', 17: 'Address mask request',
  18: 'Address mask reply', 19: 'Reserved (for security)', 30: 'Traceroute', 31: 'Datagram Conversion Error',
  32: 'Mobile Host Redirect', 33: 'IPv6 Where-Are-You', 34: 'IPv6 I-Am-Here', 35: 'Mobile Registration Request',
  36: 'Mobile Registration Reply', 37: 'Domain Name Request', 38: 'Domain Name Reply', 39: 'SKIP', 40: 'Photuris',
  41: 'Experimental mobility protocols', 42: 'Extended Echo request', 43: 'Extended Echo reply',
};
for (let t = 20; t <= 29; t++) TYPES[t] = 'Unknown ICMP (obsolete or malformed?)';
function typeName(t: number): string {
  return TYPES[t] ?? 'Unknown ICMP (obsolete or malformed?)';
}

const EXT_CLASSES: Record<number, string> = {
  1: 'MPLS Label Stack Class', 2: 'Interface Information Object', 3: 'Interface Identification Object',
};
const INT_ROLES: Record<number, string> = {
  0: 'IP interface upon which datagram arrived', 1: 'sub-IP component of an IP interface upon which datagram arrived',
  2: 'IP interface through which datagram would be forwarded', 3: 'IP next-hop to which datagram would be forwarded',
};
const IDENT_CTYPES: Record<number, string> = {
  1: 'Identifies Interface By Name', 2: 'Identifies Interface By Index', 3: 'Identifies Interface By Address',
};
const AFNUM: Record<number, string> = {
  0: 'Reserved', 1: 'IPv4', 2: 'IPv6', 3: 'NSAP', 4: 'HDLC (8-bit multidrop)', 5: 'BBN 1822',
  6: '802 (includes all 802 media plus Ethernet)', 7: 'E.163', 8: 'E.164 (SMDS, Frame Relay, ATM)', 9: 'F.69 (Telex)',
  10: 'X.121 (X.25, Frame Relay)', 11: 'IPX', 12: 'Appletalk', 13: 'Decnet IV', 14: 'Banyan Vines',
  15: 'E.164 with NSAP subaddress', 16: 'DNS (Domain Name System)', 17: 'Distinguished Name', 18: 'AS Number',
  19: 'XTP over IP version 4', 20: 'XTP over IP version 6', 21: 'XTP native mode XTP',
  22: 'Fibre Channel World-Wide Port Name', 23: 'Fibre Channel World-Wide Node Name', 24: 'GWID', 25: 'Layer-2 VPN',
  196: 'Layer-2 VPN (old)', 26: 'MPLS-TP Section Endpoint Identifier', 27: 'MPLS-TP LSP Endpoint Identifier',
  28: 'MPLS-TP Pseudowire Endpoint Identifier', 29: 'MT IP: Multi-Topology IP version 4',
  30: 'MT IPv6: Multi-Topology IP version 6', 16384: 'EIGRP Common Service Family', 16385: 'EIGRP IPv4 Service Family',
  16386: 'EIGRP IPv6 Service Family', 16387: 'LISP Canonical Address Format (LCAF)', 16388: 'BGP-LS',
  16389: '48-bit MAC Address', 16390: '64-bit MAC Address', 16391: 'OUI', 16392: 'MAC/24', 16393: 'MAC/40',
  16394: 'IPv6/64', 16395: 'RBridge Port ID', 16396: 'TRILL Nickname', 65535: 'Reserved',
};
const EXT_ECHO_STATES: Record<number, string> = {
  0: 'Reserved', 1: 'Incomplete', 2: 'Reachable', 3: 'Stale', 4: 'Delay', 5: 'Probe', 6: 'Failed',
};

const CODES: Record<number, Record<number, string>> = {
  3: {
    0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable',
    4: 'Fragmentation needed', 5: 'Source route failed', 6: 'Destination network unknown',
    7: 'Destination host unknown', 8: 'Source host isolated', 9: 'Network administratively prohibited',
    10: 'Host administratively prohibited', 11: 'Network unreachable for TOS', 12: 'Host unreachable for TOS',
    13: 'Communication administratively filtered', 14: 'Host precedence violation', 15: 'Precedence cutoff in effect',
  },
  5: { 0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host' },
  6: { 0: 'Alternate address for host' },
  9: { 0: 'Normal router advertisement', 16: 'Does not route common traffic' },
  11: { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' },
  12: { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' },
  40: {
    0: 'Bad SPI', 1: 'Authentication Failed', 2: 'Decompression Failed', 3: 'Decryption Failed',
    4: 'Need Authentication', 5: 'Need Authorization',
  },
  42: { 0: 'No error' },
  43: {
    0: 'No error', 1: 'Malformed Query', 2: 'No Such Interface', 3: 'No Such Table Entry',
    4: 'Multiple Interfaces Satisfy Query',
  },
};

export const hf = fields({
  type: { abbrev: 'icmp.type', name: 'Type', type: 'uint', bits: 8 },
  code: { abbrev: 'icmp.code', name: 'Code', type: 'uint', bits: 8 },
  checksum: { abbrev: 'icmp.checksum', name: 'Checksum', type: 'uint', bits: 16, base: 'hex' },
  checksum_status: { abbrev: 'icmp.checksum.status', name: 'Checksum Status', type: 'uint', bits: 8, values: CHECKSUM_STATUS, base: 'none' },
  checksum_bad: { abbrev: 'icmp.checksum_bad', name: 'Bad checksum', type: 'none' },
  unused: { abbrev: 'icmp.unused', name: 'Unused', type: 'bytes' },
  reserved: { abbrev: 'icmp.reserved', name: 'Reserved', type: 'bytes' },
  ident: { abbrev: 'icmp.ident', name: 'Identifier (BE)', type: 'uint', bits: 16, base: 'dec_hex' },
  ident_le: { abbrev: 'icmp.ident_le', name: 'Identifier (LE)', type: 'uint', bits: 16, base: 'dec_hex' },
  seq: { abbrev: 'icmp.seq', name: 'Sequence Number (BE)', type: 'uint', bits: 16, base: 'dec_hex' },
  seq_le: { abbrev: 'icmp.seq_le', name: 'Sequence Number (LE)', type: 'uint', bits: 16, base: 'dec_hex' },
  mtu: { abbrev: 'icmp.mtu', name: 'MTU of next hop', type: 'uint', bits: 16 },
  num_addrs: { abbrev: 'icmp.num_addrs', name: 'Number of addresses', type: 'uint', bits: 8 },
  addr_entry_size: { abbrev: 'icmp.addr_entry_size', name: 'Address entry size', type: 'uint', bits: 8 },
  lifetime: { abbrev: 'icmp.lifetime', name: 'Lifetime', type: 'uint', bits: 16 },
  pointer: { abbrev: 'icmp.pointer', name: 'Pointer', type: 'uint', bits: 32 },
  router_address: { abbrev: 'icmp.router_address', name: 'Router address', type: 'ipv4' },
  pref_level: { abbrev: 'icmp.pref_level', name: 'Preference level', type: 'int', bits: 32 },
  originate_timestamp: { abbrev: 'icmp.originate_timestamp', name: 'Originate Timestamp', type: 'uint', bits: 32 },
  receive_timestamp: { abbrev: 'icmp.receive_timestamp', name: 'Receive Timestamp', type: 'uint', bits: 32 },
  transmit_timestamp: { abbrev: 'icmp.transmit_timestamp', name: 'Transmit Timestamp', type: 'uint', bits: 32 },
  address_mask: { abbrev: 'icmp.address_mask', name: 'Address Mask', type: 'ipv4' },
  redir_gw: { abbrev: 'icmp.redir_gw', name: 'Gateway Address', type: 'ipv4' },
  resp_in: { abbrev: 'icmp.resp_in', name: 'Response frame', type: 'framenum' },
  resp_to: { abbrev: 'icmp.resp_to', name: 'Request frame', type: 'framenum' },
  resptime: { abbrev: 'icmp.resptime', name: 'Response time', type: 'float' },
  data_time: { abbrev: 'icmp.data_time', name: 'Timestamp from icmp data', type: 'time_abs' },
  data_time_relative: { abbrev: 'icmp.data_time_relative', name: 'Timestamp from icmp data (relative)', type: 'time_rel' },
  length: { abbrev: 'icmp.length', name: 'Length', type: 'uint', bits: 8 },
  length_original: { abbrev: 'icmp.length.original_datagram', name: 'Length of original datagram', type: 'uint', bits: 8 },
  // RFC 4884 multi-part extensions
  ext: { abbrev: 'icmp.ext', name: 'ICMP Extensions', type: 'none' },
  ext_version: { abbrev: 'icmp.ext.version', name: 'Version', type: 'uint', bits: 8 },
  ext_res: { abbrev: 'icmp.ext.res', name: 'Reserved', type: 'uint', bits: 16, mask: 0x0fff, base: 'hex' },
  ext_checksum: { abbrev: 'icmp.ext.checksum', name: 'Checksum', type: 'uint', bits: 16, base: 'hex' },
  ext_checksum_status: { abbrev: 'icmp.ext.checksum.status', name: 'Checksum Status', type: 'uint', bits: 8, values: CHECKSUM_STATUS, base: 'none' },
  ext_checksum_bad: { abbrev: 'icmp.ext.checksum_bad', name: 'Bad checksum', type: 'none' },
  ext_length: { abbrev: 'icmp.ext.length', name: 'Length', type: 'uint', bits: 16 },
  ext_class: { abbrev: 'icmp.ext.class', name: 'Class', type: 'uint', bits: 8, values: EXT_CLASSES },
  ext_ctype: { abbrev: 'icmp.ext.ctype', name: 'C-Type', type: 'uint', bits: 8 },
  ext_data: { abbrev: 'icmp.ext.data', name: 'Data', type: 'bytes' },
  mpls_label: { abbrev: 'icmp.mpls.label', name: 'Label', type: 'uint', bits: 24, mask: 0xfffff0 },
  mpls_exp: { abbrev: 'icmp.mpls.exp', name: 'Experimental', type: 'uint', bits: 24, mask: 0x0e },
  mpls_s: { abbrev: 'icmp.mpls.s', name: 'Stack bit', type: 'bool', bits: 24, mask: 0x01 },
  mpls_ttl: { abbrev: 'icmp.mpls.ttl', name: 'Time to live', type: 'uint', bits: 8 },
  mpls_data: { abbrev: 'icmp.mpls.data', name: 'Data', type: 'bytes' },
  int_info_role: { abbrev: 'icmp.int_info.role', name: 'Interface Role', type: 'uint', bits: 8, mask: 0xc0, values: INT_ROLES },
  int_info_reserved: { abbrev: 'icmp.int_info.reserved', name: 'Reserved', type: 'uint', bits: 8, mask: 0x30 },
  int_info_ifindex: { abbrev: 'icmp.int_info.ifindex', name: 'ifIndex', type: 'bool', bits: 8, mask: 0x08, tf: ['True', 'False'] },
  int_info_ipaddr: { abbrev: 'icmp.int_info.ipaddr', name: 'IP Address', type: 'bool', bits: 8, mask: 0x04, tf: ['Present', 'Not Present'] },
  int_info_name: { abbrev: 'icmp.int_info.name_present', name: 'Interface Name', type: 'bool', bits: 8, mask: 0x02, tf: ['Present', 'Not Present'] },
  int_info_mtu_present: { abbrev: 'icmp.int_info.mtu_present', name: 'MTU', type: 'bool', bits: 8, mask: 0x01, tf: ['Present', 'Not Present'] },
  int_info_index: { abbrev: 'icmp.int_info.index', name: 'Interface Index', type: 'uint', bits: 32 },
  int_info_afi: { abbrev: 'icmp.int_info.afi', name: 'Address Family Identifier', type: 'uint', bits: 16 },
  int_info_ipv4: { abbrev: 'icmp.int_info.ipv4', name: 'Source', type: 'ipv4' },
  int_info_ipv6: { abbrev: 'icmp.int_info.ipv6', name: 'Source', type: 'ipv6' },
  int_info_ipunknown: { abbrev: 'icmp.int_info.ipunknown', name: 'Source', type: 'bytes' },
  int_info_name_length: { abbrev: 'icmp.int_info.name_length', name: 'Name Length', type: 'uint', bits: 8 },
  int_info_name_string: { abbrev: 'icmp.int_info.name', name: 'Name', type: 'string' },
  int_info_mtu: { abbrev: 'icmp.int_info.mtu', name: 'Maximum Transmission Unit', type: 'uint', bits: 32 },
  int_ident_name: { abbrev: 'icmp.int_ident.name', name: 'Name', type: 'string' },
  int_ident_index: { abbrev: 'icmp.int_ident.index', name: 'Interface Index', type: 'uint', bits: 32 },
  int_ident_afi: { abbrev: 'icmp.int_ident.afi', name: 'Address Family Identifier', type: 'uint', bits: 16, values: AFNUM },
  int_ident_addr_length: { abbrev: 'icmp.int_ident.addr_length', name: 'Address Length', type: 'uint', bits: 8 },
  int_ident_reserved: { abbrev: 'icmp.int_ident.reserved', name: 'Reserved', type: 'bytes' },
  int_ident_ipv4: { abbrev: 'icmp.int_ident.ipv4', name: 'Address', type: 'ipv4' },
  int_ident_ipv6: { abbrev: 'icmp.int_ident.ipv6', name: 'Address', type: 'ipv6' },
  int_ident_address: { abbrev: 'icmp.int_ident.address', name: 'Address', type: 'bytes' },
  // extended echo (RFC 8335)
  ext_echo_seq: { abbrev: 'icmp.ext.echo.seq', name: 'Sequence Number', type: 'uint', bits: 8, base: 'dec_hex' },
  ext_echo_req_res: { abbrev: 'icmp.ext.echo.req.res', name: 'Reserved', type: 'uint', bits: 8, mask: 0xfe, base: 'hex' },
  ext_echo_req_local: { abbrev: 'icmp.ext.echo.req.local', name: 'Local bit', type: 'bool', bits: 8, mask: 0x01 },
  ext_echo_rsp_state: { abbrev: 'icmp.ext.echo.rsp.state', name: 'State', type: 'uint', bits: 8, mask: 0xe0, values: EXT_ECHO_STATES },
  ext_echo_rsp_res: { abbrev: 'icmp.ext.echo.rsp.res', name: 'Reserved', type: 'uint', bits: 8, mask: 0x18, base: 'hex' },
  ext_echo_rsp_active: { abbrev: 'icmp.ext.echo.rsp.active', name: 'Active bit', type: 'bool', bits: 8, mask: 0x04 },
  ext_echo_rsp_ipv4: { abbrev: 'icmp.ext.echo.rsp.ipv4', name: 'IPv4 bit', type: 'bool', bits: 8, mask: 0x02 },
  ext_echo_rsp_ipv6: { abbrev: 'icmp.ext.echo.rsp.ipv6', name: 'IPv6 bit', type: 'bool', bits: 8, mask: 0x01 },
});

/**
 * RFC 4884 multi-part extensions (MPLS label stack, interface information): what tshark's
 * icmp_extension dissector shows after a quoted datagram, for ICMP and ICMPv6 alike.
 */
export function dissectIcmpExtension(tvb: Tvb, pkt: Packet, parent: Item, viaHandle = false): void {
  // ICMPv6 reaches it through a dissector handle, which lists "icmp" in frame.protocols
  // (not for an empty extension area, which still shows the extensions item)
  if (viaHandle && tvb.reported > 0) pkt.layers.push('icmp');
  const rl = tvb.reported;
  const ti = pkt.add(parent, hf.ext, tvb, 0, rl, undefined, 'ICMP Multi-Part Extensions');
  if (rl < 4) return;
  const version = tvb.u8(0) >> 4;
  pkt.add(ti, hf.ext_version, tvb, 0, 1, version);
  pkt.item(ti, hf.ext_res, tvb, 0, 2);
  const ck = tvb.u16(2);
  const ckHex = `0x${ck.toString(16).padStart(4, '0')}`;
  if (ck === 0) {
    pkt.add(ti, hf.ext_checksum, tvb, 2, 2, 0, 'Checksum: [missing]', GENERATED);
    pkt.gen(ti, hf.ext_checksum_status, 3, 'Checksum Status: Not present');
  } else {
    tvb.check(0, rl);
    if (onesSum(tvb.bytes.subarray(0, rl)) === 0xffff) {
      pkt.item(ti, hf.ext_checksum, tvb, 2, 2, `Checksum: ${ckHex} [correct]`);
      pkt.gen(ti, hf.ext_checksum_status, 1, 'Checksum Status: Good');
    } else {
      const b = tvb.bytes.slice(0, rl);
      b[2] = 0;
      b[3] = 0;
      const sb = `0x${(~onesSum(b) & 0xffff).toString(16).padStart(4, '0')}`;
      const it = pkt.item(ti, hf.ext_checksum, tvb, 2, 2, `Checksum: ${ckHex} incorrect, should be ${sb}`);
      pkt.expert(it, 'warn', 'checksum', `Bad checksum [should be ${sb}]`, hf.ext_checksum_bad);
      pkt.gen(ti, hf.ext_checksum_status, 0, 'Checksum Status: Bad');
    }
  }
  if (version !== 1 && version !== 2) {
    if (pkt.tree) ti.text = 'ICMP Multi-Part Extensions (unsupported version)';
    return;
  }
  let off = 4;
  let intInfo = 0;
  while (rl - off >= 4) {
    const objLen = tvb.u16(off);
    const trunc = Math.min(objLen, rl - off);
    const end = off + trunc;
    const obj = pkt.add(ti, hf.ext_data, tvb, off, Math.max(trunc, 4), undefined, 'Unknown object');
    pkt.add(obj, hf.ext_length, tvb, off, 2, objLen);
    const cls = tvb.u8(off + 2);
    pkt.item(obj, hf.ext_class, tvb, off + 2, 1, pkt.tree ? vsLabel(hf.ext_class, cls) : undefined);
    const ctype = tvb.u8(off + 3);
    if (objLen < 4) {
      if (pkt.tree) obj.text = 'Object with bad length';
      break;
    }
    let unknown = false;
    let text = 'Unknown object';
    if (cls === 1) {
      pkt.add(obj, hf.ext_ctype, tvb, off + 3, 1, ctype);
      if (ctype === 1) {
        text = 'MPLS Stack Entry';
        let o = off + 4;
        for (; o + 4 <= end && rl - o >= 4; o += 4) {
          const v = tvb.u24(o);
          const e = pkt.add(obj, hf.mpls_data, tvb, o, 4, undefined, `Label: ${v >>> 4}, Exp: ${(v >> 1) & 7}, S: ${v & 1}, TTL: ${tvb.u8(o + 3)}`);
          pkt.item(e, hf.mpls_label, tvb, o, 3);
          pkt.item(e, hf.mpls_exp, tvb, o, 3);
          pkt.item(e, hf.mpls_s, tvb, o, 3);
          pkt.item(e, hf.mpls_ttl, tvb, o + 3, 1);
        }
        if (o < end) pkt.item(obj, hf.mpls_data, tvb, o, end - o);
      } else unknown = true;
    } else if (cls === 2) {
      text = 'Interface Information Object';
      intInfo++;
      const role = INT_ROLES[ctype >> 6]!;
      const set = [[0x08, 'ifIndex'], [0x04, 'IP Address'], [0x02, 'Interface Name'], [0x01, 'MTU']] as const;
      const ctText = `C-Type: ${ctype}, Interface Role: ${role}${set.filter(([m]) => ctype & m).map(([, n]) => `, ${n}`).join('')}`;
      const ct = pkt.add(obj, hf.ext_ctype, tvb, off + 3, 1, ctype, pkt.tree ? ctText : undefined);
      for (const f of [hf.int_info_role, hf.int_info_reserved, hf.int_info_ifindex, hf.int_info_ipaddr, hf.int_info_name, hf.int_info_mtu_present]) {
        pkt.item(ct, f, tvb, off + 3, 1);
      }
      let o = off + 4;
      if (ctype & 0x08) {
        pkt.item(obj, hf.int_info_index, tvb, o, 4);
        o += 4;
      }
      if (ctype & 0x04 && end >= o + 2) {
        const afi = tvb.u16(o);
        const sub = pkt.add(obj, hf.ext_data, tvb, o, afi === 1 ? 8 : 20, undefined, 'IP Address Sub-Object');
        pkt.add(sub, hf.int_info_afi, tvb, o, 2, afi);
        pkt.item(sub, hf.reserved, tvb, o + 2, 2);
        o += 4;
        if (afi === 1) {
          pkt.item(sub, hf.int_info_ipv4, tvb, o, 4);
          o += 4;
        } else if (afi === 2) {
          pkt.item(sub, hf.int_info_ipv6, tvb, o, 16);
          o += 16;
        } else o = -1;
      }
      if (o >= 0 && ctype & 0x02) {
        let nl = 0;
        let sub: Item | null = null;
        if (end >= o + 1) {
          nl = tvb.u8(o);
          sub = pkt.add(obj, hf.ext_data, tvb, o, nl, undefined, 'Interface Name Sub-Object');
          pkt.item(sub, hf.int_info_name_length, tvb, o, 1);
          o += 1;
        }
        if (end >= o + nl && nl > 0) {
          const raw = tvb.slice(o, nl - 1);
          const z = raw.indexOf(0);
          const name = new TextDecoder('latin1').decode(z < 0 ? raw : raw.subarray(0, z));
          pkt.add(sub, hf.int_info_name_string, tvb, o, nl - 1, name);
          o += nl - 1;
        }
      }
      if (o >= 0 && ctype & 0x01) pkt.item(obj, hf.int_info_mtu, tvb, o, 4);
      if (intInfo > 4) text = 'More than 4 Interface Information Objects';
    } else if (cls === 3) {
      text = 'Interface Identification Object';
      if (rl - off < 5) unknown = true;
      else {
        pkt.add(obj, hf.ext_ctype, tvb, off + 3, 1, ctype, pkt.tree ? `C-Type: ${ctype} (${IDENT_CTYPES[ctype] ?? `Unknown C-Type ${ctype}`})` : undefined);
        let o = off + 4;
        if (ctype === 1) {
          const raw = tvb.slice(o, Math.max(0, objLen - 4));
          const z = raw.indexOf(0);
          pkt.add(obj, hf.int_ident_name, tvb, o, objLen - 4, new TextDecoder('latin1').decode(z < 0 ? raw : raw.subarray(0, z)));
        } else if (ctype === 2) pkt.item(obj, hf.int_ident_index, tvb, o, 4);
        else if (ctype === 3) {
          const afi = tvb.u16(o);
          pkt.item(obj, hf.int_ident_afi, tvb, o, 2);
          let alen = tvb.u8(o + 2);
          pkt.item(obj, hf.int_ident_addr_length, tvb, o + 2, 1);
          pkt.item(obj, hf.int_ident_reserved, tvb, o + 3, 1);
          o += 4;
          if (afi === 1) {
            for (; alen >= 4 && tvb.reported - o >= 4; o += 4, alen -= 4) pkt.item(obj, hf.int_ident_ipv4, tvb, o, 4);
          } else if (afi === 2) {
            for (; alen >= 16 && tvb.reported - o >= 16; o += 16, alen -= 16) pkt.item(obj, hf.int_ident_ipv6, tvb, o, 16);
          } else pkt.item(obj, hf.int_ident_address, tvb, o, tvb.reported - o);
        }
      }
    } else unknown = true;
    if (unknown) {
      pkt.item(obj, hf.ext_ctype, tvb, off + 3, 1);
      text = `Unknown object (${cls}/${ctype})`;
      if (trunc > 4) pkt.item(obj, hf.ext_data, tvb, off + 4, trunc - 4);
    }
    if (trunc < objLen) text += ' (truncated)';
    if (pkt.tree) obj.text = text;
    off = end;
  }
}

/** A timestamp (struct timeval, either byte order) at the start of echo data, if it lies within a day of the frame. */
export function guessDataTime(tvb: Tvb, off: number, pkt: Packet): { s: number; ns: number } | null {
  if (tvb.length < off + 8) return null;
  const frameSec = pkt.meta.tsSec;
  for (const le of [false, true]) {
    const sec = le ? tvb.u32le(off) : tvb.u32(off);
    const usec = le ? tvb.u32le(off + 4) : tvb.u32(off + 4);
    if (usec < 1_000_000 && Math.abs(sec - frameSec) < 86400) return { s: sec, ns: usec * 1000 };
  }
  return null;
}

interface EchoState {
  /** pending requests: key → request frame and time */
  requests: Map<string, { frame: number; sec: number; ns: number; answered: boolean }>;
}
interface EchoResult {
  reqFrame?: number;
  /** response time in ms */
  rtt?: number;
}

/** Pair echo replies with their requests (first pass); a request cannot know its reply in one pass. */
export function echoMatch(
  pkt: Packet,
  key: string,
  isRequest: boolean,
  fdKey: string,
  /** whether the message's checksum is right (unused: tshark pairs either way) */
  _checksumOk = true,
): EchoResult {
  if (!pkt.firstPass) return pkt.session.frameData<EchoResult>(fdKey, pkt.num) ?? {};
  const st = pkt.session.state<EchoState>(fdKey, () => ({ requests: new Map() }));
  let r: EchoResult = {};
  if (isRequest) {
    st.requests.set(key, { frame: pkt.num, sec: pkt.meta.tsSec, ns: pkt.meta.tsNsec, answered: false });
  } else {
    // the latest request with this id/seq, answered once: a duplicate reply pairs with nothing
    const q = st.requests.get(key);
    if (q && q.frame < pkt.num && !q.answered) {
      q.answered = true;
      const ns = (pkt.meta.tsSec - q.sec) * 1e9 + (pkt.meta.tsNsec - q.ns);
      r = { reqFrame: q.frame, rtt: ns / 1e6 };
    }
  }
  pkt.session.setFrameData(fdKey, pkt.num, r);
  return r;
}

/**
 * The checksum a request would carry, to tell apart echoes that reuse an id and sequence number
 * (tshark pairs a reply only with the request whose checksum it implies). A reply's type differs
 * from the request's, which moves the checksum by a fixed amount: `adjust` undoes it (ones' complement).
 */
export function echoChecksum(ck: number, adjust: number): number {
  let s = ck + adjust;
  s = (s & 0xffff) + (s >>> 16);
  return s === 0xffff ? 0 : s;
}

function addrPairKey(pkt: Packet): string {
  const a = String(pkt.p.srcAddr);
  const b = String(pkt.p.dstAddr);
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Dissect the packet quoted in an error message: no analysis state, and the columns stay as they are. */
export function dissectQuoted(tvb: Tvb, pkt: Packet, parent: Item, d: (t: Tvb, p: Packet, parent: Item | null) => unknown): void {
  const keep = ['netSrc', 'netDst', 'srcAddr', 'dstAddr', 'srcPort', 'dstPort', 'ipProto', 'ttl', 'ipVersion', 'inError', 'fragmented'];
  const saved = keep.map((k) => pkt.p[k]);
  const proto = pkt.protocolCol.text;
  const protoFence = pkt.protocolCol.fence;
  const info = pkt.info.text;
  const infoFence = pkt.info.fence;
  pkt.p.inError = true;
  pkt.p.fragmented = false;
  // a quoted packet cut short just ends there: tshark shows no malformed marker for it
  try {
    d(tvb, pkt, parent);
  } catch (e) {
    if (!(e instanceof TruncatedError || e instanceof MalformedError)) throw e;
  } finally {
    keep.forEach((k, i) => (pkt.p[k] = saved[i]));
    pkt.protocolCol.text = proto;
    pkt.protocolCol.fence = protoFence;
    pkt.info.text = info;
    pkt.info.fence = infoFence;
  }
}

function dissectIcmp(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  pkt.protocolCol.set('ICMP');
  pkt.info.clear();
  const top = pkt.proto(parent, proto_icmp, tvb, 0, -1, 'Internet Control Message Protocol');
  const type = tvb.u8(0);
  const code = tvb.u8(1);
  const codes = CODES[type];
  let name = typeName(type);
  if (type === 9 && (code === 0 || code === 16)) name = 'Mobile IP Advertisement';
  pkt.add(top, hf.type, tvb, 0, 1, type, pkt.tree ? `Type: ${type} (${name})` : undefined);
  const codeName = codes ? (codes[code] ?? `Unknown code: ${code}`) : undefined;
  pkt.add(top, hf.code, tvb, 1, 1, code, pkt.tree ? `Code: ${code}${codeName ? ` (${codeName})` : ''}` : undefined);
  // tshark reads the first 6 bytes before it writes the Info column
  tvb.check(0, 6);
  pkt.info.set(name.padEnd(20) + (codeName ? ` (${codeName})` : ''));

  const ck = tvb.u16(2);
  const ckHex = `0x${ck.toString(16).padStart(4, '0')}`;
  let ckBad = false;
  if (!pkt.p.fragmented && tvb.length >= tvb.reported && !pkt.p.inError) {
    const sum = onesSum(tvb.bytes);
    if (sum === 0xffff) {
      pkt.item(top, hf.checksum, tvb, 2, 2, `Checksum: ${ckHex} [correct]`);
      pkt.gen(top, hf.checksum_status, 1, 'Checksum Status: Good');
    } else {
      const b = tvb.bytes.slice();
      b[2] = 0;
      b[3] = 0;
      const calc = ~onesSum(b) & 0xffff;
      const sb = `0x${calc.toString(16).padStart(4, '0')}`;
      const it = pkt.item(top, hf.checksum, tvb, 2, 2, `Checksum: ${ckHex} incorrect, should be ${sb}`);
      pkt.expert(it, 'warn', 'checksum', `Bad checksum [should be ${sb}]`, hf.checksum_bad);
      pkt.gen(top, hf.checksum_status, 0, 'Checksum Status: Bad');
      ckBad = true;
    }
  } else {
    const why = pkt.p.inError ? 'in ICMP error packet' : 'fragmented datagram';
    pkt.item(top, hf.checksum, tvb, 2, 2, `Checksum: ${ckHex} [unverified] [${why}]`);
    pkt.gen(top, hf.checksum_status, 2, 'Checksum Status: Unverified');
  }

  switch (type) {
    case 0:
    case 8:
    case 13:
    case 14:
    case 15:
    case 16:
    case 17:
    case 18: {
      const id = tvb.u16(4);
      const seq = tvb.u16(6);
      const idLe = ((id & 0xff) << 8) | (id >> 8);
      const seqLe = ((seq & 0xff) << 8) | (seq >> 8);
      pkt.item(top, hf.ident, tvb, 4, 2);
      pkt.add(top, hf.ident_le, tvb, 4, 2, idLe);
      pkt.item(top, hf.seq, tvb, 6, 2);
      pkt.add(top, hf.seq_le, tvb, 6, 2, seqLe);
      pkt.info.append(` id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}/${seqLe}, ttl=${pkt.p.ttl ?? 0}`);
      if (type === 0 || type === 8) {
        const m = pkt.p.inError ? {} : echoMatch(pkt, `${addrPairKey(pkt)}|${id}|${seq}|${echoChecksum(ck, type === 0 ? 0xf7ff : 0)}`, type === 8, 'icmp.echo', !ckBad);
        if (m.reqFrame !== undefined) {
          pkt.gen(top, hf.resp_to, m.reqFrame, `Request frame: ${m.reqFrame}`);
          pkt.gen(top, hf.resptime, m.rtt!, `Response time: ${m.rtt!.toFixed(3)} ms`);
          pkt.info.append(` (request in ${m.reqFrame})`);
        }
        let off = 8;
        const t = guessDataTime(tvb, 8, pkt);
        if (t) {
          pkt.add(top, hf.data_time, tvb, 8, 8, t);
          const rel = span([pkt.meta.tsSec, pkt.meta.tsNsec], [t.s, t.ns]);
          pkt.add(top, hf.data_time_relative, tvb, 8, 8, rel, undefined, GENERATED);
          off = 16;
        }
        if (tvb.reported > off) dissectData(tvb.sub(off), pkt, top);
      } else if (type === 13 || type === 14) {
        const ts = (f: typeof hf.originate_timestamp, o: number) => {
          const v = tvb.u32(o);
          pkt.item(top, f, tvb, o, 4, pkt.tree ? `${f.name}: ${v} (${msToClock(v)} after midnight UTC)` : undefined);
        };
        ts(hf.originate_timestamp, 8);
        ts(hf.receive_timestamp, 12);
        ts(hf.transmit_timestamp, 16);
      } else if (type === 17 || type === 18) {
        pkt.item(top, hf.address_mask, tvb, 8, 4);
      }
      break;
    }
    case 42:
    case 43: {
      const id = tvb.u16(4);
      pkt.item(top, hf.ident, tvb, 4, 2);
      pkt.add(top, hf.ident_le, tvb, 4, 2, ((id & 0xff) << 8) | (id >> 8));
      pkt.item(top, hf.ext_echo_seq, tvb, 6, 1);
      if (type === 42) {
        pkt.item(top, hf.ext_echo_req_res, tvb, 7, 1);
        pkt.item(top, hf.ext_echo_req_local, tvb, 7, 1);
        if (tvb.reported > 8) dissectIcmpExtension(tvb.sub(8), pkt, top);
      } else {
        for (const f of [hf.ext_echo_rsp_state, hf.ext_echo_rsp_res, hf.ext_echo_rsp_active, hf.ext_echo_rsp_ipv4, hf.ext_echo_rsp_ipv6]) {
          pkt.item(top, f, tvb, 7, 1);
        }
      }
      break;
    }
    case 3:
    case 4:
    case 5:
    case 11:
    case 12: {
      // RFC 4884: the length of the quoted datagram in 32-bit words
      const olen = type === 3 || type === 11 || type === 12 ? tvb.u8(5) : 0;
      const lengthItems = (): void => {
        pkt.item(top, hf.length, tvb, 5, 1);
        pkt.add(top, hf.length_original, tvb, 5, 1, olen * 4, undefined, GENERATED);
      };
      if (type === 5) pkt.item(top, hf.redir_gw, tvb, 4, 4);
      else if (type === 12) {
        pkt.add(top, hf.pointer, tvb, 4, 1, tvb.u8(4));
        if (olen) {
          lengthItems();
          pkt.item(top, hf.unused, tvb, 6, 2);
        } else pkt.item(top, hf.unused, tvb, 5, 3);
      } else if (olen) {
        pkt.item(top, hf.unused, tvb, 4, 1);
        lengthItems();
        if (type === 3 && code === 4) pkt.item(top, hf.mtu, tvb, 6, 2);
        else pkt.item(top, hf.unused, tvb, 6, 2);
      } else if (type === 3 && code === 4) {
        pkt.item(top, hf.unused, tvb, 4, 2);
        pkt.item(top, hf.mtu, tvb, 6, 2);
      } else pkt.item(top, hf.unused, tvb, 4, 4);
      // a redirect must quote a datagram (tshark: malformed without one); the others only when bytes follow
      if (type === 5 && tvb.reported <= 8) throw new MalformedError();
      if (tvb.length > 8) {
        // as tshark: a redirect quotes the header and 8 bytes; an RFC 4884 length bounds the datagram
        let qlen = tvb.reported - 8;
        if (type === 5) qlen = Math.min(qlen, (tvb.u8(8) & 0x0f) * 4 + 8);
        else if (olen && tvb.reported > 8 + olen * 4 && tvb.u16(10) > olen * 4) qlen = Math.min(qlen, ((tvb.u8(8) & 0x0f) + olen) * 4);
        dissectQuoted(tvb.sub(8, qlen), pkt, top, dissectIp);
      }
      // multi-part extensions after 128 bytes (or the RFC 4884 length) when the quoted datagram is no longer
      if (tvb.reported > 136 && tvb.u16(10) <= 128) {
        dissectIcmpExtension(tvb.sub(olen ? olen * 4 + 8 : 136), pkt, top);
      }
      break;
    }
    case 9: {
      const n = tvb.u8(4);
      const size = tvb.u8(5);
      pkt.item(top, hf.num_addrs, tvb, 4, 1);
      pkt.item(top, hf.addr_entry_size, tvb, 5, 1);
      const life = tvb.u16(6);
      pkt.item(top, hf.lifetime, tvb, 6, 2, pkt.tree ? `Lifetime: ${life} (${lifetimeText(life)})` : undefined);
      for (let i = 0; i < n; i++) {
        const o = 8 + i * size * 4;
        pkt.item(top, hf.router_address, tvb, o, 4);
        pkt.item(top, hf.pref_level, tvb, o + 4, 4);
      }
      break;
    }
    default:
      // router solicitation and types tshark does not decode further
      break;
  }
  return tvb.reported;
}

function lifetimeText(s: number): string {
  const parts: string[] = [];
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) parts.push(`${h} hour${h === 1 ? '' : 's'}`);
  if (m) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  if (sec || !parts.length) parts.push(`${sec} second${sec === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** Milliseconds since midnight as Wireshark words them: "10 hours, 30 minutes, 0.123 seconds". */
function msToClock(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  const d = Math.floor(ms / 86400000);
  const h = Math.floor((ms % 86400000) / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const sec = Math.floor((ms % 60000) / 1000);
  const frac = ms % 1000;
  if (d) parts.push(plural(d, 'day'));
  if (h) parts.push(plural(h, 'hour'));
  if (m) parts.push(plural(m, 'minute'));
  if (frac) parts.push(`${sec}.${String(frac).padStart(3, '0')} seconds`);
  else if (sec || !parts.length) parts.push(plural(sec, 'second'));
  return parts.join(', ');
}

register('ip.proto', 1, dissectIcmp);
