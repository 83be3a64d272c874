// DHCP/BOOTP over UDP ports 67/68: the fixed BOOTP header, the magic cookie and the DHCP options.
import { fields, protocol, type FieldDef, type FieldSpec } from '../fields/registry';
import { bytesToHex, etherToString, ipv4ToString } from '../fields/format';
import { HIDDEN, type Item, type Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { register } from '../dissect/tables';
import { resolveEther } from './names';
import { DHCP_OPTION_NAMES } from './dhcp-options';
import { durationText } from './dns-names';

export const proto_dhcp = protocol('dhcp', 'Dynamic Host Configuration Protocol');

const MSG_TYPES: Record<number, string> = {
  1: 'Discover', 2: 'Offer', 3: 'Request', 4: 'Decline', 5: 'ACK', 6: 'NAK', 7: 'Release', 8: 'Inform',
  9: 'Force Renew', 10: 'Lease query', 11: 'Lease Unassigned', 12: 'Lease Unknown', 13: 'Lease Active',
  14: 'Bulk Lease Query', 15: 'Lease Query Done', 16: 'Active LeaseQuery', 17: 'Lease Query Status', 18: 'TLS',
};
const HW_TYPES: Record<number, string> = {
  1: 'Ethernet', 6: 'IEEE 802 Networks', 7: 'ARCNET', 15: 'Frame Relay', 16: 'ATM', 20: 'Serial Line',
  32: 'InfiniBand',
};

export const hf = fields({
  type: { abbrev: 'dhcp.type', name: 'Message type', type: 'uint', bits: 8, values: { 1: 'Boot Request', 2: 'Boot Reply' } },
  hw_type: { abbrev: 'dhcp.hw.type', name: 'Hardware type', type: 'uint', bits: 8, base: 'hex', values: HW_TYPES },
  hw_len: { abbrev: 'dhcp.hw.len', name: 'Hardware address length', type: 'uint', bits: 8 },
  hops: { abbrev: 'dhcp.hops', name: 'Hops', type: 'uint', bits: 8 },
  id: { abbrev: 'dhcp.id', name: 'Transaction ID', type: 'uint', bits: 32, base: 'hex' },
  secs: { abbrev: 'dhcp.secs', name: 'Seconds elapsed', type: 'uint', bits: 16 },
  flags: { abbrev: 'dhcp.flags', name: 'Bootp flags', type: 'uint', bits: 16, base: 'hex' },
  flags_bc: {
    abbrev: 'dhcp.flags.bc', name: 'Broadcast flag', type: 'bool', bits: 16, mask: 0x8000, tf: ['Broadcast', 'Unicast'],
  },
  flags_reserved: { abbrev: 'dhcp.flags.reserved', name: 'Reserved flags', type: 'uint', bits: 16, mask: 0x7fff, base: 'hex' },
  ip_client: { abbrev: 'dhcp.ip.client', name: 'Client IP address', type: 'ipv4' },
  ip_your: { abbrev: 'dhcp.ip.your', name: 'Your (client) IP address', type: 'ipv4' },
  ip_server: { abbrev: 'dhcp.ip.server', name: 'Next server IP address', type: 'ipv4' },
  ip_relay: { abbrev: 'dhcp.ip.relay', name: 'Relay agent IP address', type: 'ipv4' },
  hw_mac_addr: { abbrev: 'dhcp.hw.mac_addr', name: 'Client MAC address', type: 'ether' },
  hw_addr: { abbrev: 'dhcp.hw.addr', name: 'Client hardware address', type: 'bytes' },
  hw_addr_padding: { abbrev: 'dhcp.hw.addr_padding', name: 'Client hardware address padding', type: 'bytes' },
  server: { abbrev: 'dhcp.server', name: 'Server host name', type: 'string' },
  file: { abbrev: 'dhcp.file', name: 'Boot file name', type: 'string' },
  cookie: { abbrev: 'dhcp.cookie', name: 'Magic cookie', type: 'ipv4' },
  option_type: { abbrev: 'dhcp.option.type', name: 'Option', type: 'uint', bits: 8 },
  option_length: { abbrev: 'dhcp.option.length', name: 'Length', type: 'uint', bits: 8 },
  option_value: { abbrev: 'dhcp.option.value', name: 'Value', type: 'bytes' },
  option_end: { abbrev: 'dhcp.option.end', name: 'Option End', type: 'uint', bits: 8 },
  option_padding: { abbrev: 'dhcp.option.padding', name: 'Padding', type: 'bytes' },
  option_dhcp: { abbrev: 'dhcp.option.dhcp', name: 'DHCP', type: 'uint', bits: 8, values: MSG_TYPES },
  request_list_item: { abbrev: 'dhcp.option.request_list_item', name: 'Parameter Request List Item', type: 'uint', bits: 8 },
  client_id_type: { abbrev: 'dhcp.client_id.type', name: 'Type', type: 'uint', bits: 8 },
  client_id: { abbrev: 'dhcp.client_id', name: 'Client Identifier', type: 'bytes' },
  client_id_str: { abbrev: 'dhcp.client_id.undef', name: 'Client Identifier', type: 'string' },
  fqdn_flags: { abbrev: 'dhcp.fqdn.flags', name: 'Flags', type: 'uint', bits: 8, base: 'hex' },
  fqdn_mbz: { abbrev: 'dhcp.fqdn.mbz', name: 'Reserved flags', type: 'uint', bits: 8, mask: 0xf0, base: 'hex' },
  fqdn_n: {
    abbrev: 'dhcp.fqdn.n', name: 'Server DDNS', type: 'bool', bits: 8, mask: 0x08, tf: ['No server updates', 'Some server updates'],
  },
  fqdn_e: {
    abbrev: 'dhcp.fqdn.e', name: 'Encoding', type: 'bool', bits: 8, mask: 0x04, tf: ['Binary encoding', 'ASCII encoding'],
  },
  fqdn_o: {
    abbrev: 'dhcp.fqdn.o', name: 'Server overrides', type: 'bool', bits: 8, mask: 0x02, tf: ['Override', 'No override'],
  },
  fqdn_s: { abbrev: 'dhcp.fqdn.s', name: 'Server', type: 'bool', bits: 8, mask: 0x01, tf: ['Server', 'Client'] },
  fqdn_rcode1: { abbrev: 'dhcp.fqdn.rcode1', name: 'A-RR result', type: 'uint', bits: 8 },
  fqdn_rcode2: { abbrev: 'dhcp.fqdn.rcode2', name: 'PTR-RR result', type: 'uint', bits: 8 },
  fqdn_name: { abbrev: 'dhcp.fqdn.name', name: 'Client name', type: 'string' },
});

type Kind = 'ip1' | 'ips' | 'str' | 'time' | 'u8' | 'u16' | 'u32' | 'bool';

/** Options decoded into a named field: code → [kind, abbrev suffix, field label]. */
const TYPED: Record<number, [Kind, string, string]> = {
  1: ['ip1', 'subnet_mask', 'Subnet Mask'],
  2: ['time', 'time_offset', 'Time Offset'],
  3: ['ips', 'router', 'Router'],
  4: ['ips', 'time_server', 'Time Server'],
  5: ['ips', 'name_server', 'Name Server'],
  6: ['ips', 'domain_name_server', 'Domain Name Server'],
  7: ['ips', 'log_server', 'Log Server'],
  8: ['ips', 'quotes_server', 'Quotes Server'],
  9: ['ips', 'lpr_server', 'LPR Server'],
  10: ['ips', 'impress_server', 'Impress Server'],
  11: ['ips', 'resource_location_server', 'Resource Location Server'],
  12: ['str', 'hostname', 'Host Name'],
  13: ['u16', 'boot_file_size', 'Boot File Size'],
  14: ['str', 'merit_dump_file', 'Merit Dump File'],
  15: ['str', 'domain_name', 'Domain Name'],
  16: ['ip1', 'swap_server', 'Swap Server'],
  17: ['str', 'root_path', 'Root Path'],
  18: ['str', 'extension_path', 'Extensions Path'],
  22: ['u16', 'max_datagram_reassembly_size', 'Maximum Datagram Reassembly Size'],
  23: ['u8', 'default_ip_ttl', 'Default IP Time-to-Live'],
  24: ['time', 'path_mtu_aging_timeout', 'Path MTU Aging Timeout'],
  26: ['u16', 'interface_mtu', 'Interface MTU'],
  28: ['ip1', 'broadcast_address', 'Broadcast Address'],
  32: ['ip1', 'router_solicitation_address', 'Router Solicitation Address'],
  35: ['time', 'arp_cache_timeout', 'ARP Cache Timeout'],
  37: ['u8', 'tcp_default_ttl', 'TCP Default TTL'],
  38: ['time', 'tcp_keepalive_interval', 'TCP Keepalive Interval'],
  40: ['str', 'nis_domain', 'Network Information Service Domain'],
  41: ['ips', 'nis_server', 'Network Information Service Server'],
  42: ['ips', 'ntp_server', 'Network Time Protocol Server'],
  44: ['ips', 'netbios_over_tcpip_name_server', 'NetBIOS over TCP/IP Name Server'],
  45: ['ips', 'netbios_over_tcpip_dd_name_server', 'NetBIOS over TCP/IP Datagram Distribution Name Server'],
  47: ['str', 'netbios_over_tcpip_scope', 'NetBIOS over TCP/IP Scope'],
  48: ['ips', 'xwindows_system_font_server', 'X Window System Font Server'],
  49: ['ips', 'xwindows_system_display_manager', 'X Window System Display Manager'],
  50: ['ip1', 'requested_ip_address', 'Requested IP Address'],
  51: ['time', 'ip_address_lease_time', 'IP Address Lease Time'],
  54: ['ip1', 'dhcp_server_id', 'DHCP Server Identifier'],
  56: ['str', 'message', 'Message'],
  57: ['u16', 'dhcp_max_message_size', 'Maximum DHCP Message Size'],
  58: ['time', 'renewal_time_value', 'Renewal Time Value'],
  59: ['time', 'rebinding_time_value', 'Rebinding Time Value'],
  60: ['str', 'vendor_class_id', 'Vendor class identifier'],
  64: ['str', 'nis_plus_domain', 'Network Information Service+ Domain'],
  65: ['ips', 'nis_plus_server', 'Network Information Service+ Server'],
  66: ['str', 'tftp_server_name', 'TFTP Server Name'],
  67: ['str', 'bootfile_name', 'Bootfile name'],
  68: ['ips', 'mobile_ip_home_agent', 'Mobile IP Home Agent'],
  69: ['ips', 'smtp_server', 'SMTP Server'],
  70: ['ips', 'pop3_server', 'POP3 Server'],
  71: ['ips', 'nntp_server', 'NNTP Server'],
  72: ['ips', 'default_www_server', 'Default WWW Server'],
  73: ['ips', 'default_finger_server', 'Default Finger Server'],
  74: ['ips', 'default_irc_server', 'Default IRC Server'],
  75: ['ips', 'streettalk_server', 'StreetTalk Server'],
  76: ['ips', 'streettalk_da_server', 'StreetTalk Directory Assistance Server'],
  91: ['time', 'client_last_transaction_time', 'Client last transaction time'],
  92: ['ips', 'associated_ip_option', 'Associated IP option'],
  118: ['ips', 'subnet_selection_option', 'Subnet Selection Option'],
  150: ['ips', 'tftp_server_address', 'TFTP Server Address'],
  252: ['str', 'private_proxy_autodiscovery', 'Private/Proxy autodiscovery'],
};

const typedFields = new Map<number, FieldDef>();
for (const [code, [kind, suffix, label]] of Object.entries(TYPED)) {
  const spec: FieldSpec = { abbrev: `dhcp.option.${suffix}`, name: label, type: 'uint', bits: 32 };
  if (kind === 'ip1' || kind === 'ips') spec.type = 'ipv4';
  else if (kind === 'str') spec.type = 'string';
  else if (kind === 'u8') spec.bits = 8;
  else if (kind === 'u16') spec.bits = 16;
  typedFields.set(Number(code), fields({ f: spec }).f);
}

function optionName(code: number): string {
  return DHCP_OPTION_NAMES[code] ?? 'Unknown';
}

/** Lease times: "(3600s) 1 hour", all-ones meaning forever. */
function timeText(label: string, v: number): string {
  return `${label}: (${v}s) ${v === 0xffffffff ? 'infinity' : durationText(v)}`;
}

function dissectOptions(tvb: Tvb, pkt: Packet, top: Item, off: number): { msgType: number | undefined } {
  let msgType: number | undefined;
  const end = tvb.reported;
  while (off < end) {
    const code = tvb.u8(off);
    if (code === 255) {
      const it = pkt.add(top, hf.option_type, tvb, off, 1, 0, 'Option: (255) End');
      pkt.item(it, hf.option_end, tvb, off, 1);
      off++;
      if (off < end) {
        const n = Math.min(end, tvb.length) - off;
        if (n > 0) pkt.item(top, hf.option_padding, tvb, off, n);
      }
      return { msgType };
    }
    if (code === 0) {
      // consecutive pad bytes form one Padding option
      let n = 0;
      while (off + n < end && tvb.u8(off + n) === 0) n++;
      const it = pkt.add(top, hf.option_type, tvb, off, n, 0, 'Option: (0) Padding');
      pkt.item(it, hf.option_padding, tvb, off, n);
      off += n;
      continue;
    }
    const len = tvb.u8(off + 1);
    const d = off + 2;
    tvb.check(d, len);
    let title = `Option: (${code}) ${optionName(code)}`;
    const it = pkt.add(top, hf.option_type, tvb, off, 2 + len, code, title);
    pkt.item(it, hf.option_length, tvb, off + 1, 1);
    const typed = TYPED[code];
    const special = code === 53 || code === 55 || code === 61 || code === 81 || typed !== undefined;
    pkt.add(it, hf.option_value, tvb, d, len, tvb.slice(d, len), undefined, special ? HIDDEN : 0);
    if (code === 53 && len >= 1) {
      msgType = tvb.u8(d);
      const name = MSG_TYPES[msgType] ?? `Unknown Message Type (0x${msgType.toString(16).padStart(2, '0')})`;
      title += ` (${name})`;
      pkt.item(it, hf.option_dhcp, tvb, d, 1, MSG_TYPES[msgType] ? undefined : `DHCP: Unknown (${msgType})`);
    } else if (code === 55) {
      for (let i = 0; i < len; i++) {
        const c = tvb.u8(d + i);
        pkt.item(it, hf.request_list_item, tvb, d + i, 1, pkt.tree ? `Parameter Request List Item: (${c}) ${optionName(c)}` : undefined);
      }
    } else if (code === 61) {
      const ht = len >= 1 ? tvb.u8(d) : 0;
      if (len === 7 && ht === 1) {
        pkt.item(it, hf.hw_type, tvb, d, 1);
        addMac(pkt, it, tvb, d + 1);
      } else if (len >= 1) {
        pkt.item(it, hf.client_id_type, tvb, d, 1);
        if (len > 1 && ht === 0) pkt.add(it, hf.client_id_str, tvb, d + 1, len - 1, tvb.ascii(d + 1, len - 1));
        else if (len > 1) pkt.item(it, hf.client_id, tvb, d + 1, len - 1);
      }
    } else if (code === 81 && len >= 3) {
      const fl = pkt.item(it, hf.fqdn_flags, tvb, d, 1);
      for (const f of [hf.fqdn_mbz, hf.fqdn_n, hf.fqdn_e, hf.fqdn_o, hf.fqdn_s]) pkt.item(fl, f, tvb, d, 1);
      pkt.item(it, hf.fqdn_rcode1, tvb, d + 1, 1);
      pkt.item(it, hf.fqdn_rcode2, tvb, d + 2, 1);
      if (len > 3) pkt.add(it, hf.fqdn_name, tvb, d + 3, len - 3, tvb.ascii(d + 3, len - 3));
    } else if (typed) {
      const [kind, , label] = typed;
      const f = typedFields.get(code)!;
      switch (kind) {
        case 'ip1':
          if (len === 4) {
            pkt.item(it, f, tvb, d, 4);
            title += ` (${ipv4ToString(tvb.u32(d))})`;
          }
          break;
        case 'ips':
          for (let i = 0; i + 4 <= len; i += 4) pkt.item(it, f, tvb, d + i, 4);
          break;
        case 'str':
          pkt.add(it, f, tvb, d, len, tvb.ascii(d, len));
          break;
        case 'time':
          if (len === 4) {
            const v = tvb.u32(d);
            pkt.add(it, f, tvb, d, 4, v, pkt.tree ? timeText(label, v) : undefined);
          }
          break;
        default: {
          const n = kind === 'u8' ? 1 : kind === 'u16' ? 2 : 4;
          if (len === n) pkt.item(it, f, tvb, d, n);
        }
      }
    }
    it.text = title;
    off = d + len;
  }
  return { msgType };
}

function addMac(pkt: Packet, parent: Item, tvb: Tvb, off: number): void {
  const mac = tvb.slice(off, 6);
  pkt.add(parent, hf.hw_mac_addr, tvb, off, 6, mac, pkt.tree ? `Client MAC address: ${resolveEther(mac)} (${etherToString(mac)})` : undefined);
}

function fixedString(tvb: Tvb, off: number, len: number): string {
  const b = tvb.slice(off, len);
  let s = '';
  for (let i = 0; i < b.length && b[i] !== 0; i++) s += String.fromCharCode(b[i]!);
  return s;
}

export function dissectDhcp(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  pkt.protocolCol.set('BOOTP');
  pkt.info.clear();
  const top = pkt.proto(parent, proto_dhcp, tvb, 0, -1);
  pkt.guard('DHCP/BOOTP', () => {
    const op = tvb.u8(0);
    const htype = tvb.u8(1);
    const hlen = tvb.u8(2);
    const chaddr = 28;
    if (op === 1) {
      if (htype === 1 && hlen === 6) {
        const mac = tvb.slice(chaddr, 6);
        pkt.info.set(`Boot Request from ${etherToString(mac)} (${resolveEther(mac)})`);
      } else {
        pkt.info.set(`Boot Request from ${bytesToHex(tvb.slice(chaddr, Math.min(hlen, 16)), ':')}`);
      }
    } else {
      pkt.info.set(op === 2 ? 'Boot Reply' : `Unknown BOOTP message type (${op})`);
    }
    pkt.item(top, hf.type, tvb, 0, 1);
    pkt.item(top, hf.hw_type, tvb, 1, 1, HW_TYPES[htype] ? undefined : `Hardware type: Unknown (0x${htype.toString(16).padStart(2, '0')})`);
    pkt.item(top, hf.hw_len, tvb, 2, 1);
    pkt.item(top, hf.hops, tvb, 3, 1);
    pkt.item(top, hf.id, tvb, 4, 4);
    pkt.item(top, hf.secs, tvb, 8, 2);
    const flags = tvb.u16(10);
    const fl = pkt.item(
      top,
      hf.flags,
      tvb,
      10,
      2,
      `Bootp flags: 0x${flags.toString(16).padStart(4, '0')}${flags & 0x8000 ? ', Broadcast flag (Broadcast)' : ' (Unicast)'}`,
    );
    pkt.item(fl, hf.flags_bc, tvb, 10, 2);
    pkt.item(fl, hf.flags_reserved, tvb, 10, 2);
    pkt.item(top, hf.ip_client, tvb, 12, 4);
    pkt.item(top, hf.ip_your, tvb, 16, 4);
    pkt.item(top, hf.ip_server, tvb, 20, 4);
    pkt.item(top, hf.ip_relay, tvb, 24, 4);
    if (htype === 1 && hlen === 6) {
      addMac(pkt, top, tvb, chaddr);
      pkt.item(top, hf.hw_addr_padding, tvb, chaddr + 6, 10);
    } else if (hlen > 0 && hlen <= 16) {
      pkt.item(top, hf.hw_addr, tvb, chaddr, hlen);
      if (hlen < 16) pkt.item(top, hf.hw_addr_padding, tvb, chaddr + hlen, 16 - hlen);
    } else {
      pkt.item(top, hf.hw_addr, tvb, chaddr, 16);
    }
    const sname = fixedString(tvb, 44, 64);
    pkt.add(top, hf.server, tvb, 44, 64, sname, sname ? undefined : 'Server host name not given');
    const file = fixedString(tvb, 108, 128);
    pkt.add(top, hf.file, tvb, 108, 128, file, file ? undefined : 'Boot file name not given');
    if (tvb.reported <= 236) return;
    const cookie = tvb.u32(236);
    const isDhcp = cookie === 0x63825363;
    pkt.item(top, hf.cookie, tvb, 236, 4, isDhcp ? 'Magic cookie: DHCP' : undefined);
    const { msgType } = dissectOptions(tvb, pkt, top, 240);
    if (msgType !== undefined) {
      const name = MSG_TYPES[msgType] ?? `Unknown Message Type (0x${msgType.toString(16).padStart(2, '0')})`;
      pkt.protocolCol.set('DHCP');
      pkt.info.set(`DHCP ${name.padEnd(8)} - Transaction ID 0x${tvb.u32(4).toString(16)}`);
      if (pkt.tree) top.text = `Dynamic Host Configuration Protocol (${name})`;
    }
  });
  return tvb.reported;
}

register('udp.port', 67, dissectDhcp);
register('udp.port', 68, dissectDhcp);
register('udp.port', 4011, dissectDhcp);
