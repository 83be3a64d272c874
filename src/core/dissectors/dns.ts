// DNS over UDP and TCP (port 53): header and flags, questions, resource records, EDNS0, query/response pairing.
import { fields, protocol, type FieldDef } from '../fields/registry';
import { bitmaskPrefix, bytesToHex, ipv4ToString, ipv6ToString } from '../fields/format';
import { GENERATED, type Item, type Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { register, registerHeuristic } from '../dissect/tables';
import { tcpDissectPdus } from './tcp';
import {
  DNS_CLASSES,
  DNS_OPCODES,
  DNS_RCODES,
  DNS_TYPE_DESC,
  DNS_TYPE_SHORT,
  EDNS_EXT_ERRORS,
  EDNS_OPTIONS,
  durationText,
  nameLength,
  readDnsName,
} from './dns-names';

export const proto_dns = protocol('dns', 'Domain Name System');

const u16 = (abbrev: string, name: string, extra: Partial<FieldDefSpec> = {}) =>
  ({ abbrev, name, type: 'uint', bits: 16, ...extra }) as const;
type FieldDefSpec = Parameters<typeof fields>[0][string];

export const hf = fields({
  length: u16('dns.length', 'Length'),
  id: u16('dns.id', 'Transaction ID', { base: 'hex' }),
  flags: u16('dns.flags', 'Flags', { base: 'hex' }),
  response: {
    abbrev: 'dns.flags.response', name: 'Response', type: 'bool', bits: 16, mask: 0x8000,
    tf: ['Message is a response', 'Message is a query'],
  },
  opcode: u16('dns.flags.opcode', 'Opcode', { mask: 0x7800, values: DNS_OPCODES }),
  authoritative: {
    abbrev: 'dns.flags.authoritative', name: 'Authoritative', type: 'bool', bits: 16, mask: 0x0400,
    tf: ['Server is an authority for domain', 'Server is not an authority for domain'],
  },
  truncated: {
    abbrev: 'dns.flags.truncated', name: 'Truncated', type: 'bool', bits: 16, mask: 0x0200,
    tf: ['Message is truncated', 'Message is not truncated'],
  },
  recdesired: {
    abbrev: 'dns.flags.recdesired', name: 'Recursion desired', type: 'bool', bits: 16, mask: 0x0100,
    tf: ['Do query recursively', "Don't do query recursively"],
  },
  recavail: {
    abbrev: 'dns.flags.recavail', name: 'Recursion available', type: 'bool', bits: 16, mask: 0x0080,
    tf: ['Server can do recursive queries', "Server can't do recursive queries"],
  },
  z: u16('dns.flags.z', 'Z', { mask: 0x0040, values: { 0: 'reserved' } }),
  authenticated: {
    abbrev: 'dns.flags.authenticated', name: 'Answer authenticated', type: 'bool', bits: 16, mask: 0x0020,
    tf: ['Answer/authority portion was authenticated by the server', 'Answer/authority portion was not authenticated by the server'],
  },
  checkdisable: {
    abbrev: 'dns.flags.checkdisable', name: 'Non-authenticated data', type: 'bool', bits: 16, mask: 0x0010,
    tf: ['Acceptable', 'Unacceptable'],
  },
  rcode: u16('dns.flags.rcode', 'Reply code', { mask: 0x000f, values: DNS_RCODES }),
  count_queries: u16('dns.count.queries', 'Questions'),
  count_answers: u16('dns.count.answers', 'Answer RRs'),
  count_auth: u16('dns.count.auth_rr', 'Authority RRs'),
  count_add: u16('dns.count.add_rr', 'Additional RRs'),
  count_zones: u16('dns.count.zones', 'Zones'),
  count_prereq: u16('dns.count.prerequisites', 'Prerequisites'),
  count_updates: u16('dns.count.updates', 'Updates'),
  qry_name: { abbrev: 'dns.qry.name', name: 'Name', type: 'string' },
  qry_name_len: u16('dns.qry.name.len', 'Name Length'),
  count_labels: u16('dns.count.labels', 'Label Count'),
  qry_type: u16('dns.qry.type', 'Type', { values: DNS_TYPE_DESC }),
  qry_class: u16('dns.qry.class', 'Class', { base: 'hex', values: DNS_CLASSES }),
  resp_name: { abbrev: 'dns.resp.name', name: 'Name', type: 'string' },
  resp_type: u16('dns.resp.type', 'Type', { values: DNS_TYPE_DESC }),
  resp_class: u16('dns.resp.class', 'Class', { base: 'hex', values: DNS_CLASSES }),
  resp_ttl: { abbrev: 'dns.resp.ttl', name: 'Time to live', type: 'uint', bits: 32 },
  resp_len: u16('dns.resp.len', 'Data length'),
  a: { abbrev: 'dns.a', name: 'Address', type: 'ipv4' },
  aaaa: { abbrev: 'dns.aaaa', name: 'AAAA Address', type: 'ipv6' },
  cname: { abbrev: 'dns.cname', name: 'CNAME', type: 'string' },
  ns: { abbrev: 'dns.ns', name: 'Name Server', type: 'string' },
  ptr: { abbrev: 'dns.ptr.domain_name', name: 'Domain Name', type: 'string' },
  dname: { abbrev: 'dns.dname', name: 'Dname', type: 'string' },
  mx_pref: u16('dns.mx.preference', 'Preference'),
  mx_exchange: { abbrev: 'dns.mx.mail_exchange', name: 'Mail Exchange', type: 'string' },
  soa_mname: { abbrev: 'dns.soa.mname', name: 'Primary name server', type: 'string' },
  soa_rname: { abbrev: 'dns.soa.rname', name: "Responsible authority's mailbox", type: 'string' },
  soa_serial: { abbrev: 'dns.soa.serial_number', name: 'Serial Number', type: 'uint', bits: 32 },
  soa_refresh: { abbrev: 'dns.soa.refresh_interval', name: 'Refresh Interval', type: 'uint', bits: 32 },
  soa_retry: { abbrev: 'dns.soa.retry_interval', name: 'Retry Interval', type: 'uint', bits: 32 },
  soa_expire: { abbrev: 'dns.soa.expire_limit', name: 'Expire limit', type: 'uint', bits: 32 },
  soa_minimum: { abbrev: 'dns.soa.minimum_ttl', name: 'Minimum TTL', type: 'uint', bits: 32 },
  srv_service: { abbrev: 'dns.srv.service', name: 'Service', type: 'string' },
  srv_proto: { abbrev: 'dns.srv.proto', name: 'Protocol', type: 'string' },
  srv_name: { abbrev: 'dns.srv.name', name: 'Name', type: 'string' },
  srv_priority: u16('dns.srv.priority', 'Priority'),
  srv_weight: u16('dns.srv.weight', 'Weight'),
  srv_port: u16('dns.srv.port', 'Port'),
  srv_target: { abbrev: 'dns.srv.target', name: 'Target', type: 'string' },
  txt_length: { abbrev: 'dns.txt.length', name: 'TXT Length', type: 'uint', bits: 8 },
  txt: { abbrev: 'dns.txt', name: 'TXT', type: 'string' },
  spf_length: { abbrev: 'dns.spf.length', name: 'SPF Length', type: 'uint', bits: 8 },
  spf: { abbrev: 'dns.spf', name: 'SPF', type: 'string' },
  hinfo_cpu_len: { abbrev: 'dns.hinfo.cpu_length', name: 'CPU Length', type: 'uint', bits: 8 },
  hinfo_cpu: { abbrev: 'dns.hinfo.cpu', name: 'CPU', type: 'string' },
  hinfo_os_len: { abbrev: 'dns.hinfo.os_length', name: 'OS Length', type: 'uint', bits: 8 },
  hinfo_os: { abbrev: 'dns.hinfo.os', name: 'OS', type: 'string' },
  caa_flags: { abbrev: 'dns.caa.flags', name: 'CAA Flags', type: 'uint', bits: 8, base: 'hex' },
  caa_critical: {
    abbrev: 'dns.caa.flags.issuer_critical', name: 'Issuer Critical', type: 'bool', bits: 8, mask: 0x80,
    tf: ['Critical', 'Not critical'],
  },
  caa_tag_len: { abbrev: 'dns.caa.tag_length', name: 'Tag length', type: 'uint', bits: 8 },
  caa_tag: { abbrev: 'dns.caa.tag', name: 'Tag', type: 'string' },
  caa_value: { abbrev: 'dns.caa.value', name: 'Value', type: 'string' },
  caa_issue: { abbrev: 'dns.caa.issue', name: 'Issue', type: 'string' },
  caa_unknown: { abbrev: 'dns.caa.unknown', name: 'Unknown tag', type: 'string' },
  data: { abbrev: 'dns.data', name: 'Data', type: 'bytes' },
  udp_payload_size: u16('dns.rr.udp_payload_size', 'UDP payload size'),
  ext_rcode: { abbrev: 'dns.resp.ext_rcode', name: 'Higher bits in extended RCODE', type: 'uint', bits: 8, base: 'hex' },
  edns0_version: { abbrev: 'dns.resp.edns0_version', name: 'EDNS0 version', type: 'uint', bits: 8 },
  resp_z: u16('dns.resp.z', 'Z', { base: 'hex' }),
  resp_z_do: {
    abbrev: 'dns.resp.z.do', name: 'DO bit', type: 'bool', bits: 16, mask: 0x8000,
    tf: ['Accepts DNSSEC security RRs', 'Cannot handle DNSSEC security RRs'],
  },
  resp_z_reserved: u16('dns.resp.z.reserved', 'Reserved', { mask: 0x7fff, base: 'hex' }),
  opt: { abbrev: 'dns.opt', name: 'Option', type: 'none' },
  opt_code: u16('dns.opt.code', 'Option Code', { values: EDNS_OPTIONS }),
  opt_len: u16('dns.opt.len', 'Option Length'),
  opt_data: { abbrev: 'dns.opt.data', name: 'Option Data', type: 'bytes' },
  opt_cookie_client: { abbrev: 'dns.opt.cookie.client', name: 'Client Cookie', type: 'bytes' },
  opt_cookie_server: { abbrev: 'dns.opt.cookie.server', name: 'Server Cookie', type: 'bytes' },
  opt_padding: { abbrev: 'dns.opt.padding', name: 'Padding', type: 'bytes' },
  opt_client_family: u16('dns.opt.client.family', 'Family', { values: { 1: 'IPv4', 2: 'IPv6' } }),
  opt_client_netmask: { abbrev: 'dns.opt.client.netmask', name: 'Source Netmask', type: 'uint', bits: 8 },
  opt_client_scope: { abbrev: 'dns.opt.client.scope', name: 'Scope Netmask', type: 'uint', bits: 8 },
  opt_client_addr4: { abbrev: 'dns.opt.client.addr4', name: 'Client Subnet', type: 'ipv4' },
  opt_client_addr6: { abbrev: 'dns.opt.client.addr6', name: 'Client Subnet', type: 'ipv6' },
  opt_ext_error_code: u16('dns.opt.ext_error.info_code', 'Info Code', { values: EDNS_EXT_ERRORS }),
  opt_ext_error_text: { abbrev: 'dns.opt.ext_error.extra_text', name: 'Extra Text', type: 'string' },
  response_in: { abbrev: 'dns.response_in', name: 'Response In', type: 'framenum' },
  response_to: { abbrev: 'dns.response_to', name: 'Request In', type: 'framenum' },
  time: { abbrev: 'dns.time', name: 'Time', type: 'time_rel' },
  unsolicited: { abbrev: 'dns.unsolicited', name: 'Unsolicited', type: 'bool', tf: ['True', 'False'] },
  retransmission: { abbrev: 'dns.retransmission', name: 'Retransmission', type: 'bool', tf: ['True', 'False'] },
  retransmit_request_in: { abbrev: 'dns.retransmit_request_in', name: 'Retransmitted request. Original request in', type: 'framenum' },
  retransmit_response_in: {
    abbrev: 'dns.retransmit_response_in', name: 'Retransmitted response. Original response in', type: 'framenum',
  },
  undecoded_type: { abbrev: 'dns.undecoded.type', name: 'Undecoded option', type: 'none' },
  ttl_high_bit: { abbrev: 'dns.ttl.high_bit_set', name: 'The uppermost bit of the TTL is set (RFC 2181, section 8)', type: 'none' },
  retransmit_request: { abbrev: 'dns.retransmit_request', name: 'DNS query retransmission', type: 'none' },
  retransmit_response: { abbrev: 'dns.retransmit_response', name: 'DNS response retransmission', type: 'none' },
});

const SECTION_TITLES = ['Answers', 'Authoritative nameservers', 'Additional records'];
const UPDATE_TITLES = ['Prerequisites', 'Updates', 'Additional records'];

function typeShort(t: number): string {
  return DNS_TYPE_SHORT[t] ?? `Unknown (${t})`;
}
function typeLabel(t: number): string {
  return `Type: ${DNS_TYPE_DESC[t] ?? 'Unknown'} (${t})`;
}
function classShort(c: number): string {
  return DNS_CLASSES[c] ?? 'Unknown';
}
function classLabel(c: number): string {
  return `Class: ${DNS_CLASSES[c] ?? 'Unknown'} (0x${c.toString(16).padStart(4, '0')})`;
}

/** Label count as Wireshark shows it: markers such as <Root> count as one label. */
function labelCount(n: number): number {
  return n || 1;
}

// ---- request/response pairing (per conversation, by transaction id) ----

interface Transaction {
  req: number;
  rep: number;
  reqSec: number;
  reqNsec: number;
}

interface FrameResult {
  /** for responses: the matched request, or 0 if none */
  trans: Transaction | null;
  isResponse: boolean;
  retransmitOf: number;
}

interface PairState {
  convs: Map<string, Map<number, Transaction[]>>;
}

/** Retransmitted queries within this many seconds of the first stay one transaction (tshark's default). */
const RETRANSMISSION_TIMER = 5;

function addrKey(a: Uint8Array | number | undefined): string {
  if (a === undefined) return '';
  if (typeof a === 'number') return String(a);
  return bytesToHex(a);
}

function convKey(pkt: Packet, tcp: boolean): string {
  const a = `${addrKey(pkt.p.srcAddr)}/${pkt.p.srcPort ?? 0}`;
  const b = `${addrKey(pkt.p.dstAddr)}/${pkt.p.dstPort ?? 0}`;
  return `${tcp ? 't' : 'u'}|${a < b ? a + '|' + b : b + '|' + a}`;
}

function pairing(pkt: Packet, tcp: boolean, id: number, isResponse: boolean, idx: number): FrameResult {
  if (!pkt.firstPass) {
    const saved = pkt.session.frameData<FrameResult[]>('dns.pair', pkt.num)?.[idx];
    if (saved) return saved;
  }
  // Inside an ICMP error the quoted message is shown but takes no part in the pairing.
  if (pkt.p.inError) return { trans: null, isResponse, retransmitOf: 0 };
  const st = pkt.session.state<PairState>('dns.pairs', () => ({ convs: new Map() }));
  const ck = convKey(pkt, tcp);
  let conv = st.convs.get(ck);
  if (!conv) st.convs.set(ck, (conv = new Map()));
  let list = conv.get(id);
  if (!list) conv.set(id, (list = []));
  const last = list.length ? list[list.length - 1]! : undefined;
  const t = pkt.meta.tsSec + pkt.meta.tsNsec / 1e9;
  let res: FrameResult;
  if (!isResponse) {
    if (last && last.rep === 0 && last.req !== pkt.num && t - (last.reqSec + last.reqNsec / 1e9) < RETRANSMISSION_TIMER) {
      res = { trans: last, isResponse, retransmitOf: last.req };
    } else {
      const tr: Transaction = { req: pkt.num, rep: 0, reqSec: pkt.meta.tsSec, reqNsec: pkt.meta.tsNsec };
      list.push(tr);
      res = { trans: tr, isResponse, retransmitOf: 0 };
    }
  } else if (!last) {
    res = { trans: null, isResponse, retransmitOf: 0 };
  } else if (last.rep !== 0 && last.rep !== pkt.num) {
    res = { trans: last, isResponse, retransmitOf: last.rep };
  } else {
    last.rep = pkt.num;
    res = { trans: last, isResponse, retransmitOf: 0 };
  }
  if (pkt.firstPass) {
    const arr = pkt.session.frameData<FrameResult[]>('dns.pair', pkt.num) ?? [];
    arr[idx] = res;
    pkt.session.setFrameData('dns.pair', pkt.num, arr);
  }
  return res;
}

// ---- resource records ----

interface Ctx {
  pkt: Packet;
  msg: Tvb;
  info: string[];
}

function addName(ctx: Ctx, parent: Item, f: FieldDef, off: number): { name: string; used: number } {
  const n = readDnsName(ctx.msg, off);
  ctx.pkt.add(parent, f, ctx.msg, off, n.used, n.name);
  return n;
}

/** A <character-string>: length byte then text, returning the offset after it. */
function charString(ctx: Ctx, parent: Item, lenF: FieldDef, f: FieldDef, off: number): [number, string] {
  const len = ctx.msg.u8(off);
  ctx.pkt.item(parent, lenF, ctx.msg, off, 1);
  const s = ctx.msg.ascii(off + 1, len);
  ctx.pkt.add(parent, f, ctx.msg, off + 1, len, s);
  return [off + 1 + len, s];
}

function ttlText(v: number): string {
  return `Time to live: ${v} (${durationText(v)})`;
}

function dissectOpt(ctx: Ctx, rr: Item, off: number, rdlen: number): void {
  const { pkt, msg } = ctx;
  const end = off + rdlen;
  while (off < end) {
    const code = msg.u16(off);
    const len = msg.u16(off + 2);
    const name = EDNS_OPTIONS[code] ?? `Unknown (${code})`;
    const opt = pkt.add(rr, hf.opt, msg, off, 4 + len, undefined, `Option: ${name}`);
    pkt.item(opt, hf.opt_code, msg, off, 2, EDNS_OPTIONS[code] ? undefined : `Option Code: Unknown (${code})`);
    pkt.item(opt, hf.opt_len, msg, off + 2, 2);
    const d = off + 4;
    if (len === 0) {
      pkt.add(opt, hf.opt_data, msg, d, 0, new Uint8Array(0), 'Option Data: <MISSING>');
    } else {
      pkt.item(opt, hf.opt_data, msg, d, len);
    }
    switch (code) {
      case 8: {
        if (len < 4) break;
        const fam = msg.u16(d);
        pkt.item(opt, hf.opt_client_family, msg, d, 2);
        pkt.item(opt, hf.opt_client_netmask, msg, d + 2, 1);
        pkt.item(opt, hf.opt_client_scope, msg, d + 3, 1);
        const alen = len - 4;
        if (fam === 1) {
          const b = new Uint8Array(4);
          b.set(msg.slice(d + 4, Math.min(alen, 4)));
          const v = ((b[0]! << 24) >>> 0) + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
          pkt.add(opt, hf.opt_client_addr4, msg, d + 4, alen, v);
        } else if (fam === 2) {
          const b = new Uint8Array(16);
          b.set(msg.slice(d + 4, Math.min(alen, 16)));
          pkt.add(opt, hf.opt_client_addr6, msg, d + 4, alen, b);
        }
        break;
      }
      case 10: {
        const cl = Math.min(8, len);
        pkt.item(opt, hf.opt_cookie_client, msg, d, cl);
        if (len > 8) pkt.item(opt, hf.opt_cookie_server, msg, d + 8, len - 8);
        else pkt.add(opt, hf.opt_cookie_server, msg, d + cl, 0, new Uint8Array(0), 'Server Cookie: <MISSING>');
        break;
      }
      case 12:
        if (len) pkt.item(opt, hf.opt_padding, msg, d, len);
        else pkt.add(opt, hf.opt_padding, msg, d, 0, new Uint8Array(0), 'Padding: <MISSING>');
        break;
      case 15: {
        if (len < 2) break;
        const ic = msg.u16(d);
        pkt.item(opt, hf.opt_ext_error_code, msg, d, 2, EDNS_EXT_ERRORS[ic] ? undefined : `Info Code: Unknown (${ic})`);
        if (len > 2) pkt.add(opt, hf.opt_ext_error_text, msg, d + 2, len - 2, msg.utf8(d + 2, len - 2));
        break;
      }
    }
    off += 4 + len;
  }
}

/** One resource record at `off`; returns its length. */
function dissectRR(ctx: Ctx, sect: Item, off: number): number {
  const { pkt, msg } = ctx;
  const n = readDnsName(msg, off);
  let p = off + n.used;
  const type = msg.u16(p);
  const cls = msg.u16(p + 2);
  const ttl = msg.u32(p + 4);
  const rdlen = msg.u16(p + 8);
  const total = n.used + 10 + rdlen;
  const rr = pkt.text(sect, msg, off, total, '');
  let summary = type === 41 ? `${n.name}: type OPT` : `${n.name}: type ${typeShort(type)}, class ${classShort(cls)}`;
  const isSrv = type === 33;
  if (isSrv) {
    // SRV owner names are _service._proto.name
    const labels = n.name.split('.');
    pkt.add(rr, hf.srv_service, msg, off, n.used, labels[0] ?? '');
    pkt.add(rr, hf.srv_proto, msg, off, n.used, labels[1] ?? '');
    if (labels.length > 2) pkt.add(rr, hf.srv_name, msg, off, n.used, labels.slice(2).join('.'));
  } else {
    pkt.add(rr, hf.resp_name, msg, off, n.used, n.name);
  }
  pkt.item(rr, hf.resp_type, msg, p, 2, DNS_TYPE_DESC[type] ? undefined : typeLabel(type));
  if (type === 41) {
    pkt.item(rr, hf.udp_payload_size, msg, p + 2, 2);
    pkt.item(rr, hf.ext_rcode, msg, p + 4, 1);
    pkt.item(rr, hf.edns0_version, msg, p + 5, 1);
    const z = pkt.item(rr, hf.resp_z, msg, p + 6, 2);
    pkt.item(z, hf.resp_z_do, msg, p + 6, 2);
    pkt.item(z, hf.resp_z_reserved, msg, p + 6, 2);
  } else {
    pkt.item(rr, hf.resp_class, msg, p + 2, 2, DNS_CLASSES[cls] ? undefined : classLabel(cls));
    const ti = pkt.add(rr, hf.resp_ttl, msg, p + 4, 4, ttl, pkt.tree ? ttlText(ttl) : undefined);
    if (ttl >= 0x80000000) pkt.expert(ti, 'warn', 'protocol', hf.ttl_high_bit.name, hf.ttl_high_bit);
  }
  pkt.item(rr, hf.resp_len, msg, p + 8, 2);
  p += 10;
  const d = p;
  let info = typeShort(type);
  msg.check(d, rdlen);
  switch (type) {
    case 1: {
      if (rdlen < 4) break;
      const v = msg.u32(d);
      pkt.add(rr, hf.a, msg, d, 4, v);
      summary += `, addr ${ipv4ToString(v)}`;
      info += ` ${ipv4ToString(v)}`;
      break;
    }
    case 28: {
      if (rdlen < 16) break;
      const v = msg.slice(d, 16);
      pkt.add(rr, hf.aaaa, msg, d, 16, v);
      summary += `, addr ${ipv6ToString(v)}`;
      info += ` ${ipv6ToString(v)}`;
      break;
    }
    case 2:
    case 5:
    case 12:
    case 39: {
      const f = type === 2 ? hf.ns : type === 5 ? hf.cname : type === 12 ? hf.ptr : hf.dname;
      const t = readDnsName(msg, d);
      pkt.add(rr, f, msg, d, rdlen, t.name);
      summary += type === 2 ? `, ns ${t.name}` : type === 5 ? `, cname ${t.name}` : type === 12 ? `, ${t.name}` : `, dname ${t.name}`;
      info += ` ${t.name}`;
      break;
    }
    case 15: {
      const pref = msg.u16(d);
      pkt.item(rr, hf.mx_pref, msg, d, 2);
      const t = readDnsName(msg, d + 2);
      pkt.add(rr, hf.mx_exchange, msg, d + 2, t.used, t.name);
      summary += `, preference ${pref}, mx ${t.name}`;
      info += ` ${pref} ${t.name}`;
      break;
    }
    case 6: {
      const m = readDnsName(msg, d);
      pkt.add(rr, hf.soa_mname, msg, d, m.used, m.name);
      const r = readDnsName(msg, d + m.used);
      pkt.add(rr, hf.soa_rname, msg, d + m.used, r.used, r.name);
      let q = d + m.used + r.used;
      pkt.item(rr, hf.soa_serial, msg, q, 4);
      const timed: [FieldDef, string][] = [
        [hf.soa_refresh, 'Refresh Interval'],
        [hf.soa_retry, 'Retry Interval'],
        [hf.soa_expire, 'Expire limit'],
        [hf.soa_minimum, 'Minimum TTL'],
      ];
      q += 4;
      for (const [f, label] of timed) {
        const v = msg.u32(q);
        pkt.add(rr, f, msg, q, 4, v, pkt.tree ? `${label}: ${v} (${durationText(v)})` : undefined);
        q += 4;
      }
      summary += `, mname ${m.name}`;
      info += ` ${m.name}`;
      break;
    }
    case 33: {
      const pr = msg.u16(d);
      const w = msg.u16(d + 2);
      const port = msg.u16(d + 4);
      pkt.item(rr, hf.srv_priority, msg, d, 2);
      pkt.item(rr, hf.srv_weight, msg, d + 2, 2);
      pkt.item(rr, hf.srv_port, msg, d + 4, 2);
      const t = readDnsName(msg, d + 6);
      pkt.add(rr, hf.srv_target, msg, d + 6, t.used, t.name);
      summary += `, priority ${pr}, weight ${w}, port ${port}, target ${t.name}`;
      info += ` ${pr} ${w} ${port} ${t.name}`;
      break;
    }
    case 16:
    case 99: {
      let q = d;
      while (q < d + rdlen) {
        [q] = type === 16 ? charString(ctx, rr, hf.txt_length, hf.txt, q) : charString(ctx, rr, hf.spf_length, hf.spf, q);
      }
      break;
    }
    case 13: {
      const [q, cpu] = charString(ctx, rr, hf.hinfo_cpu_len, hf.hinfo_cpu, d);
      const [, os] = charString(ctx, rr, hf.hinfo_os_len, hf.hinfo_os, q);
      summary += `, CPU ${cpu}, OS ${os}`;
      info += ` ${cpu} ${os}`;
      break;
    }
    case 257: {
      const fl = pkt.item(rr, hf.caa_flags, msg, d, 1);
      pkt.item(fl, hf.caa_critical, msg, d, 1);
      const tl = msg.u8(d + 1);
      const tag = msg.ascii(d + 2, tl);
      const vl = rdlen - 2 - tl;
      const val = msg.ascii(d + 2 + tl, vl);
      const known = tag === 'issue' || tag === 'issuewild' || tag === 'iodef';
      const title = tag === 'issue' ? 'Issue' : tag === 'issuewild' ? 'Issue Wildcard' : tag === 'iodef' ? 'Iodef' : `Unknown tag`;
      const head = pkt.add(
        rr,
        tag === 'issue' ? hf.caa_issue : hf.caa_unknown,
        msg,
        d + 1,
        rdlen - 1,
        val,
        `${title}: ${val}`,
      );
      if (!known) head.f = hf.caa_unknown;
      pkt.item(head, hf.caa_tag_len, msg, d + 1, 1);
      pkt.add(head, hf.caa_tag, msg, d + 2, tl, tag);
      pkt.add(head, hf.caa_value, msg, d + 2 + tl, vl, val);
      break;
    }
    case 41:
      dissectOpt(ctx, rr, d, rdlen);
      break;
    default: {
      if (rdlen === 0) break;
      const msgText = `Dissector for DNS Type (${type}) code not implemented, Contact Wireshark developers if you want this supported`;
      pkt.expert(rr, 'note', 'undecoded', msgText, hf.undecoded_type);
      pkt.item(rr, hf.data, msg, d, rdlen);
    }
  }
  rr.text = summary;
  ctx.info.push(info);
  return total;
}

// ---- the message ----

/**
 * Dissect one DNS message. For TCP, `pdu` starts with the 2-byte length prefix (shown as dns.length);
 * `msgIndex` numbers the messages within one frame (several can share a TCP segment).
 */
function dissectMessage(pdu: Tvb, pkt: Packet, parent: Item | null, tcp: boolean, msgIndex: number): number {
  const msg = tcp ? pdu.sub(2) : pdu;
  const id = msg.u16(0);
  const flags = msg.u16(2);
  const isResponse = (flags & 0x8000) !== 0;
  const opcode = (flags >> 11) & 0xf;
  const rcode = flags & 0xf;
  const opName = DNS_OPCODES[opcode] ?? 'Unknown operation';
  const top = pkt.proto(parent, proto_dns, pdu, 0, -1, `Domain Name System (${isResponse ? 'response' : 'query'})`);
  pkt.protocolCol.set('DNS');
  if (tcp) pkt.item(top, hf.length, pdu, 0, 2);
  let infoHead = `${DNS_OPCODES[opcode] ?? `Unknown operation (${opcode})`}${isResponse ? ' response' : ''} 0x${id
    .toString(16)
    .padStart(4, '0')}`;
  if (isResponse && rcode !== 0) infoHead += ` ${DNS_RCODES[rcode] ?? `Unknown error (${rcode})`}`;
  pkt.info.set(infoHead);
  const idItem = pkt.item(top, hf.id, msg, 0, 2);
  const pair = pairing(pkt, tcp, id, isResponse, msgIndex);
  if (pair.retransmitOf) {
    const f = isResponse ? hf.retransmit_response : hf.retransmit_request;
    const what = isResponse ? 'response retransmission. Original response' : 'query retransmission. Original request';
    pkt.expert(idItem, 'warn', 'protocol', `DNS ${what} in frame ${pair.retransmitOf}`, f);
  }
  let flagsText = `Flags: 0x${flags.toString(16).padStart(4, '0')} ${opName}`;
  if (isResponse) flagsText += ` response, ${DNS_RCODES[rcode] ?? 'Unknown error'}`;
  const fl = pkt.item(top, hf.flags, msg, 2, 2, flagsText);
  pkt.item(fl, hf.response, msg, 2, 2);
  pkt.item(fl, hf.opcode, msg, 2, 2, DNS_OPCODES[opcode] ? undefined : unknownBits(hf.opcode, opcode));
  if (isResponse) pkt.item(fl, hf.authoritative, msg, 2, 2);
  pkt.item(fl, hf.truncated, msg, 2, 2);
  pkt.item(fl, hf.recdesired, msg, 2, 2);
  if (isResponse) pkt.item(fl, hf.recavail, msg, 2, 2);
  pkt.item(fl, hf.z, msg, 2, 2);
  if (isResponse) pkt.item(fl, hf.authenticated, msg, 2, 2);
  else if (flags & 0x20) pkt.item(fl, hf.authenticated, msg, 2, 2, '.... .... ..1. .... = AD bit: Set');
  pkt.item(fl, hf.checkdisable, msg, 2, 2);
  if (isResponse) {
    pkt.item(
      fl,
      hf.rcode,
      msg,
      2,
      2,
      DNS_RCODES[rcode] ? undefined : unknownBits(hf.rcode, rcode),
    );
  }
  const qd = msg.u16(4);
  const an = msg.u16(6);
  const ns = msg.u16(8);
  const ar = msg.u16(10);
  // Dynamic updates (opcode 5) name the same four sections differently.
  const update = ((flags >> 11) & 0xf) === 5;
  pkt.item(top, update ? hf.count_zones : hf.count_queries, msg, 4, 2);
  pkt.item(top, update ? hf.count_prereq : hf.count_answers, msg, 6, 2);
  pkt.item(top, update ? hf.count_updates : hf.count_auth, msg, 8, 2);
  pkt.item(top, hf.count_add, msg, 10, 2);

  const ctx: Ctx = { pkt, msg, info: [] };
  let off = 12;
  // The Info column is built as records are read, so a malformed record still leaves what came before it.
  const flushInfo = () => {
    if (ctx.info.length) pkt.info.set(infoHead + ' ' + ctx.info.join(' '));
  };
  try {
    if (qd > 0) {
      const sect = pkt.text(top, msg, off, 0, update ? 'Zone' : 'Queries');
      const start = off;
      for (let i = 0; i < qd; i++) {
        const n = readDnsName(msg, off);
        const type = msg.u16(off + n.used);
        const cls = msg.u16(off + n.used + 2);
        const q = pkt.text(
          sect,
          msg,
          off,
          n.used + 4,
          `${n.name}: type ${typeShort(type)}, class ${classShort(cls)}`,
        );
        pkt.add(q, hf.qry_name, msg, off, n.used, n.name);
        pkt.add(q, hf.qry_name_len, msg, off, n.used, nameLength(n), undefined, GENERATED);
        pkt.add(q, hf.count_labels, msg, off, n.used, labelCount(n.labels), undefined, GENERATED);
        pkt.item(q, hf.qry_type, msg, off + n.used, 2, DNS_TYPE_DESC[type] ? undefined : typeLabel(type));
        pkt.item(q, hf.qry_class, msg, off + n.used + 2, 2, DNS_CLASSES[cls] ? undefined : classLabel(cls));
        ctx.info.push(`${typeShort(type)} ${n.name}`);
        off += n.used + 4;
        sect.len = off - start;
      }
      flushInfo();
    }
    const counts = [an, ns, ar];
    for (let s = 0; s < 3; s++) {
      if (counts[s]! === 0) continue;
      const sect = pkt.text(top, msg, off, 0, (update ? UPDATE_TITLES : SECTION_TITLES)[s]!);
      const start = off;
      for (let i = 0; i < counts[s]!; i++) {
        off += dissectRR(ctx, sect, off);
        sect.len = off - start;
        flushInfo();
      }
    }
  } finally {
    flushInfo();
  }

  // pairing, after the records as Wireshark adds it
  {
    const r = pair;
    if (!isResponse) {
      if (r.retransmitOf) {
        pkt.gen(top, hf.retransmit_request_in, r.retransmitOf);
        pkt.gen(top, hf.retransmission, 1);
      } else if (!pkt.firstPass && r.trans && r.trans.rep) {
        pkt.gen(top, hf.response_in, r.trans.rep);
      }
    } else if (r.retransmitOf) {
      pkt.gen(top, hf.retransmit_response_in, r.retransmitOf);
      pkt.gen(top, hf.retransmission, 1);
    } else if (r.trans) {
      pkt.gen(top, hf.response_to, r.trans.req);
      const dt = pkt.meta.tsSec - r.trans.reqSec + (pkt.meta.tsNsec - r.trans.reqNsec) / 1e9;
      pkt.gen(top, hf.time, dt);
    } else {
      pkt.gen(top, hf.unsolicited, 1);
    }
  }
  return off;
}

/** The label of a masked value with no name: "bits = Name: Unknown (v)". */
function unknownBits(f: FieldDef, v: number): string {
  return `${bitmaskPrefix(f, v)}${f.name}: Unknown (${v})`;
}

/** DNS over UDP: one message per datagram. */
export function dissectDnsUdp(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  if (tvb.length < 12 && tvb.reported < 12) return 0;
  pkt.guard('DNS', () => {
    dissectMessage(tvb, pkt, parent, false, 0);
  });
  return tvb.reported;
}

/** DNS over TCP: messages with a 2-byte length prefix, reassembled across segments by TCP. */
export function dissectDnsTcp(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  let n = 0;
  return tcpDissectPdus(
    tvb,
    pkt,
    parent,
    true,
    2,
    (t, _p, off) => t.u16(off) + 2,
    (pdu, p, par) => {
      const idx = n++;
      if (idx > 0) p.info.setFence();
      p.guard('DNS', () => {
        dissectMessage(pdu, p, par, true, idx);
      });
    },
  );
}

/** The UDP heuristic: a plausible DNS header (tshark tries it for unknown ports). */
function heurDnsUdp(tvb: Tvb, pkt: Packet, parent: Item | null): number | boolean {
  if (tvb.length < 12) return false;
  const flags = tvb.u16(2);
  const qd = tvb.u16(4);
  const an = tvb.u16(6);
  const ns = tvb.u16(8);
  const ar = tvb.u16(10);
  const opcode = (flags >> 11) & 0xf;
  if (opcode > 6 || opcode === 3) return false;
  if (qd !== 1) return false;
  if ((flags & 0x8000) === 0 && (an > 0 || ns > 0 || ar > 1)) return false;
  if (an + ns + ar > 100) return false;
  // the question name must parse and end inside the datagram
  try {
    const n = readDnsName(tvb, 12);
    if (n.name.startsWith('<') && n.name !== '<Root>') return false;
    if (12 + n.used + 4 > tvb.length) return false;
  } catch {
    return false;
  }
  return dissectDnsUdp(tvb, pkt, parent);
}

register('udp.port', 53, dissectDnsUdp);
register('tcp.port', 53, dissectDnsTcp);
register('tcp.port', 5353, dissectDnsTcp);
registerHeuristic('udp', heurDnsUdp);
