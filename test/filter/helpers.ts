// Test fields and synthetic packets for the display-filter specs.
//
// Fields are looked up by their real abbrevs; any not registered yet (dissectors are written in
// parallel) are registered here with Wireshark 4.0's types, as `tshark -G fields` lists them.
import { field, getField, type FieldDef, type FieldSpec, type FieldType, type Value } from '../../src/core/fields/registry';
import { Packet, HIDDEN, type FrameMeta, type Item } from '../../src/core/dissect/packet';
import { Session } from '../../src/core/dissect/session';
import { Tvb } from '../../src/core/dissect/tvb';

type Spec = [abbrev: string, type: FieldType, bits?: number, extra?: Partial<FieldSpec>];

/** The fields the specs use, with Wireshark's types (FT_UINT16 → uint/16 and so on). */
export const TEST_FIELDS: Spec[] = [
  ['frame', 'protocol'],
  ['frame.number', 'uint', 32],
  ['frame.len', 'uint', 32],
  ['frame.cap_len', 'uint', 32],
  ['frame.time', 'time_abs'],
  ['frame.time_relative', 'time_rel'],
  ['frame.time_delta', 'time_rel'],
  ['frame.protocols', 'string'],
  ['frame.comment', 'string'],
  ['frame.marked', 'bool', 0, { tf: ['True', 'False'] }],
  ['frame.encap_type', 'int', 16, { values: { 0: 'Unknown', 1: 'Ethernet', 7: 'Raw IP' } }],
  ['eth', 'protocol'],
  ['eth.dst', 'ether'],
  ['eth.src', 'ether'],
  ['eth.addr', 'ether'],
  ['eth.type', 'uint', 16, { base: 'hex', values: { 0x0800: 'IPv4', 0x0806: 'ARP', 0x86dd: 'IPv6' } }],
  ['arp', 'protocol'],
  ['arp.opcode', 'uint', 16, { values: { 1: 'request', 2: 'reply' } }],
  ['ip', 'protocol'],
  ['ip.version', 'uint', 8],
  ['ip.hdr_len', 'uint', 8],
  ['ip.len', 'uint', 16],
  ['ip.id', 'uint', 16, { base: 'hex_dec' }],
  ['ip.flags', 'uint', 8, { base: 'hex', mask: 0xe0 }],
  ['ip.flags.df', 'bool', 8, { mask: 0x40 }],
  ['ip.flags.mf', 'bool', 8, { mask: 0x20 }],
  ['ip.frag_offset', 'uint', 16, { mask: 0x1fff }],
  ['ip.ttl', 'uint', 8],
  ['ip.proto', 'uint', 8, { values: { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'IPv6-ICMP' } }],
  ['ip.src', 'ipv4', 0, { name: 'Source Address' }],
  ['ip.dst', 'ipv4'],
  ['ip.addr', 'ipv4'],
  ['ipv6', 'protocol'],
  ['ipv6.src', 'ipv6'],
  ['ipv6.dst', 'ipv6'],
  ['ipv6.addr', 'ipv6'],
  ['ipv6.nxt', 'uint', 8],
  ['ipv6.hlim', 'uint', 8],
  ['icmp', 'protocol'],
  ['icmp.type', 'uint', 8],
  ['icmp.code', 'uint', 8],
  ['udp', 'protocol'],
  ['udp.srcport', 'uint', 16],
  ['udp.dstport', 'uint', 16],
  ['udp.port', 'uint', 16],
  ['udp.length', 'uint', 16],
  ['udp.stream', 'uint', 32],
  ['tcp', 'protocol'],
  ['tcp.srcport', 'uint', 16],
  ['tcp.dstport', 'uint', 16],
  ['tcp.port', 'uint', 16],
  ['tcp.stream', 'uint', 32],
  ['tcp.len', 'uint', 32],
  ['tcp.seq', 'uint', 32],
  ['tcp.ack', 'uint', 32],
  ['tcp.hdr_len', 'uint', 8],
  ['tcp.flags', 'uint', 16, { base: 'hex', mask: 0xfff }],
  ['tcp.flags.fin', 'bool', 12, { mask: 0x1 }],
  ['tcp.flags.syn', 'bool', 12, { mask: 0x2 }],
  ['tcp.flags.reset', 'bool', 12, { mask: 0x4 }],
  ['tcp.flags.push', 'bool', 12, { mask: 0x8 }],
  ['tcp.flags.ack', 'bool', 12, { mask: 0x10 }],
  ['tcp.window_size_value', 'uint', 16],
  ['tcp.window_size', 'uint', 32],
  ['tcp.window_size_scalefactor', 'int', 32],
  ['tcp.options.mss', 'protocol'],
  ['tcp.options.mss_val', 'uint', 16],
  ['tcp.payload', 'bytes'],
  ['tcp.analysis.flags', 'none'],
  ['tcp.analysis.ack_rtt', 'time_rel'],
  ['tcp.analysis.retransmission', 'none'],
  ['tcp.analysis.fast_retransmission', 'none'],
  ['tcp.analysis.duplicate_ack', 'none'],
  ['tcp.analysis.out_of_order', 'none'],
  ['tcp.analysis.lost_segment', 'none'],
  ['tcp.analysis.zero_window', 'none'],
  ['tcp.analysis.window_update', 'none'],
  ['tcp.analysis.keep_alive', 'none'],
  ['http', 'protocol'],
  ['http.request', 'bool'],
  ['http.request.method', 'string'],
  ['http.request.uri', 'string'],
  ['http.host', 'string'],
  ['http.response.code', 'uint', 16],
  ['http.content_length', 'uint', 64],
  ['dns', 'protocol'],
  ['dns.id', 'uint', 16, { base: 'hex' }],
  ['dns.flags.response', 'bool', 16, { mask: 0x8000 }],
  ['dns.qry.name', 'string'],
  ['dns.a', 'ipv4'],
  ['tls', 'protocol'],
  ['tls.handshake.extensions_server_name', 'string'],
  ['dhcp', 'protocol'],
  ['_ws.ftypes.double', 'float'],
];

/** Register whatever of TEST_FIELDS is missing; returns the field for each abbrev. */
export function ensureTestFields(): Map<string, FieldDef> {
  const out = new Map<string, FieldDef>();
  for (const [abbrev, type, bits, extra] of TEST_FIELDS) {
    const f = getField(abbrev) ?? field({ abbrev, name: abbrev, type, bits: bits || undefined, ...extra });
    out.set(abbrev, f);
  }
  return out;
}

// ---------------------------------------------------------------- synthetic packets

/** A tree node: a field (or protocol) with a value and the bytes it covers. */
export interface Node {
  abbrev: string;
  v?: Value;
  off?: number;
  len?: number;
  hidden?: boolean;
  kids?: Node[];
}

/** A protocol node covering [off, off+len) of the frame. */
export function P(abbrev: string, off: number, len: number, kids: Node[] = []): Node {
  return { abbrev, off, len, kids };
}

/** A field node; off/len only matter for bytes-valued fields without an explicit value. */
export function F(abbrev: string, v?: Value, off = 0, len = 0, kids: Node[] = []): Node {
  return { abbrev, v, off, len, kids };
}

export function H(abbrev: string, v?: Value): Node {
  return { abbrev, v, hidden: true };
}

export function hex(s: string): Uint8Array {
  const clean = s.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function ascii(s: string): Uint8Array {
  return Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
}

export function ipv4(s: string): number {
  return s.split('.').reduce((a, p) => a * 256 + Number(p), 0);
}

export function ipv6(s: string): Uint8Array {
  const [head, tail] = s.split('::') as [string, string | undefined];
  const hg = head ? head.split(':') : [];
  const tg = tail ? tail.split(':') : [];
  const groups = tail === undefined ? hg : [...hg, ...new Array(8 - hg.length - tg.length).fill('0'), ...tg];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 255;
  });
  return out;
}

export function mac(s: string): Uint8Array {
  return hex(s);
}

/** Build a Packet from frame bytes and a tree of nodes. */
export function packet(num: number, bytes: Uint8Array, tree: Node[], ts: { s: number; ns: number } = { s: 1700000000, ns: 0 }): Packet {
  // (asserted: other fields may be added to FrameMeta meanwhile; the filter never reads them)
  const meta = {
    num,
    capLen: bytes.length,
    origLen: bytes.length,
    tsSec: ts.s,
    tsNsec: ts.ns,
    iface: 0,
    linkType: 1,
    comments: [],
    hasTs: true,
    custom: null,
  } as FrameMeta;
  const session = new Session({
    count: () => 1,
    meta: () => meta,
    bytes: () => bytes,
    iface: () => undefined,
    epbFlags: () => undefined,
  });
  const pkt = new Packet(meta, bytes, session, false, false);
  const tvb = new Tvb(bytes, 0, 0);
  const addAll = (parent: Item | null, nodes: Node[]) => {
    for (const n of nodes) {
      const f = getField(n.abbrev);
      if (!f) throw new Error(`test field ${n.abbrev} is not registered`);
      const it = pkt.add(parent, f, tvb, n.off ?? 0, n.len ?? 0, n.v, undefined, n.hidden ? HIDDEN : 0);
      if (n.kids?.length) addAll(it, n.kids);
    }
  };
  addAll(null, tree);
  return pkt;
}
