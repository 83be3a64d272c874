// TLS over TCP: records, handshake messages (hellos with extensions, certificates, key exchange), CCS, alerts, app data.
import { fields, protocol, type FieldDef, type FieldSpec } from '../fields/registry';
import { bytesToHex } from '../fields/format';
import { DESEGMENT_ONE_MORE_SEGMENT, GENERATED, type Item, type Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { register, registerHeuristic } from '../dissect/tables';
import {
  ALERT_DESC,
  ALERT_LEVEL,
  CIPHER_SUITES,
  COMP_METHODS,
  CONTENT_TYPES,
  EC_POINT_FORMATS,
  EXTENSIONS,
  GROUPS,
  HANDSHAKE_TYPES,
  PSK_KE_MODES,
  SIG_ALGS,
  SIG_HASH,
  SIG_SIG,
  VERSIONS,
} from './tls-values';
import { md5Hex } from './tls-md5';
import { durationText } from './dns-names';
import { tcpConvKey } from './http';

export const proto_tls = protocol('tls', 'Transport Layer Security');

const u8 = (abbrev: string, name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ abbrev, name, type: 'uint', bits: 8, ...extra });
const u16 = (abbrev: string, name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ abbrev, name, type: 'uint', bits: 16, ...extra });
const u24 = (abbrev: string, name: string): FieldSpec => ({ abbrev, name, type: 'uint', bits: 24 });
const bytes = (abbrev: string, name: string): FieldSpec => ({ abbrev, name, type: 'bytes' });
const str = (abbrev: string, name: string): FieldSpec => ({ abbrev, name, type: 'string' });
const none = (abbrev: string, name: string): FieldSpec => ({ abbrev, name, type: 'none' });

export const hf = fields({
  record: none('tls.record', 'Record Layer'),
  content_type: u8('tls.record.content_type', 'Content Type', { values: CONTENT_TYPES }),
  opaque_type: u8('tls.record.opaque_type', 'Opaque Type', { values: CONTENT_TYPES }),
  record_version: u16('tls.record.version', 'Version', { base: 'hex', values: VERSIONS }),
  record_length: u16('tls.record.length', 'Length'),
  app_data: bytes('tls.app_data', 'Encrypted Application Data'),
  app_data_proto: str('tls.app_data_proto', 'Application Data Protocol'),
  change_cipher_spec: none('tls.change_cipher_spec', 'Change Cipher Spec Message'),
  alert_message: none('tls.alert_message', 'Alert Message'),
  alert_level: u8('tls.alert_message.level', 'Level', { values: ALERT_LEVEL }),
  alert_desc: u8('tls.alert_message.desc', 'Description', { values: ALERT_DESC }),
  handshake: none('tls.handshake', 'Handshake Protocol'),
  hs_type: u8('tls.handshake.type', 'Handshake Type', { values: HANDSHAKE_TYPES }),
  hs_length: u24('tls.handshake.length', 'Length'),
  hs_version: u16('tls.handshake.version', 'Version', { base: 'hex', values: VERSIONS }),
  random: bytes('tls.handshake.random', 'Random'),
  // tshark prints this UTC time as text (not epoch seconds) in -T fields, so it is kept as its text
  random_time: str('tls.handshake.random_time', 'GMT Unix Time'),
  random_bytes: bytes('tls.handshake.random_bytes', 'Random Bytes'),
  session_id_length: u8('tls.handshake.session_id_length', 'Session ID Length'),
  session_id: bytes('tls.handshake.session_id', 'Session ID'),
  cipher_suites_length: u16('tls.handshake.cipher_suites_length', 'Cipher Suites Length'),
  ciphersuites: none('tls.handshake.ciphersuites', 'Cipher Suites'),
  ciphersuite: u16('tls.handshake.ciphersuite', 'Cipher Suite', { base: 'hex', values: CIPHER_SUITES }),
  comp_methods_length: u8('tls.handshake.comp_methods_length', 'Compression Methods Length'),
  comp_methods: none('tls.handshake.comp_methods', 'Compression Methods'),
  comp_method: u8('tls.handshake.comp_method', 'Compression Method', { values: COMP_METHODS }),
  extensions_length: u16('tls.handshake.extensions_length', 'Extensions Length'),
  extension_type: u16('tls.handshake.extension.type', 'Type', { values: EXTENSIONS }),
  extension_len: u16('tls.handshake.extension.len', 'Length'),
  extension_data: bytes('tls.handshake.extension.data', 'Data'),
  sni_list_len: u16('tls.handshake.extensions_server_name_list_len', 'Server Name list length'),
  sni_type: u8('tls.handshake.extensions_server_name_type', 'Server Name Type', { values: { 0: 'host_name' } }),
  sni_len: u16('tls.handshake.extensions_server_name_len', 'Server Name length'),
  sni: str('tls.handshake.extensions_server_name', 'Server Name'),
  ec_pf_length: u8('tls.handshake.extensions_ec_point_formats_length', 'EC point formats Length'),
  ec_pfs: none('tls.handshake.extensions_ec_point_formats', 'Elliptic curves point formats'),
  ec_pf: u8('tls.handshake.extensions_ec_point_format', 'EC point format', { values: EC_POINT_FORMATS }),
  groups_length: u16('tls.handshake.extensions_supported_groups_length', 'Supported Groups List Length'),
  groups: none('tls.handshake.extensions_supported_groups', 'Supported Groups'),
  group: u16('tls.handshake.extensions_supported_group', 'Supported Group', { base: 'hex', values: GROUPS }),
  alpn_len: u16('tls.handshake.extensions_alpn_len', 'ALPN Extension Length'),
  alpn_list: none('tls.handshake.extensions_alpn_list', 'ALPN Protocol'),
  alpn_str_len: u8('tls.handshake.extensions_alpn_str_len', 'ALPN string length'),
  alpn_str: str('tls.handshake.extensions_alpn_str', 'ALPN Next Protocol'),
  npn_str_len: u8('tls.handshake.extensions_npn_str_len', 'Protocol string length'),
  npn_str: str('tls.handshake.extensions_npn', 'Next Protocol'),
  sig_hash_alg_len: u16('tls.handshake.sig_hash_alg_len', 'Signature Hash Algorithms Length'),
  sig_hash_algs: none('tls.handshake.sig_hash_algs', 'Signature Hash Algorithms'),
  sig_hash_alg: u16('tls.handshake.sig_hash_alg', 'Signature Algorithm', { base: 'hex', values: SIG_ALGS }),
  sig_hash_hash: u8('tls.handshake.sig_hash_hash', 'Signature Hash Algorithm Hash', { values: SIG_HASH }),
  sig_hash_sig: u8('tls.handshake.sig_hash_sig', 'Signature Hash Algorithm Signature', { values: SIG_SIG }),
  supported_versions_len: u8('tls.handshake.extensions.supported_versions_len', 'Supported Versions length'),
  supported_version: u16('tls.handshake.extensions.supported_version', 'Supported Version', { base: 'hex', values: VERSIONS }),
  psk_ke_modes_length: u8('tls.extension.psk_ke_modes_length', 'PSK Key Exchange Modes Length'),
  psk_ke_mode: u8('tls.extension.psk_ke_mode', 'PSK Key Exchange Mode', { values: PSK_KE_MODES }),
  key_share_client_length: u16('tls.handshake.extensions_key_share_client_length', 'Client Key Share Length'),
  key_share_group: u16('tls.handshake.extensions_key_share_group', 'Group', { values: GROUPS }),
  key_share_selected_group: u16('tls.handshake.extensions_key_share_selected_group', 'Selected Group', { values: GROUPS }),
  key_share_ke_length: u16('tls.handshake.extensions_key_share_key_exchange_length', 'Key Exchange Length'),
  key_share_ke: bytes('tls.handshake.extensions_key_share_key_exchange', 'Key Exchange'),
  reneg_info_len: u8('tls.handshake.extensions_reneg_info_len', 'Renegotiation info extension length'),
  reneg_info: bytes('tls.handshake.extensions_reneg_info', 'Renegotiation info'),
  padding_data: bytes('tls.handshake.extensions_padding_data', 'Padding Data'),
  heartbeat_mode: u8('tls.handshake.extension.heartbeat.mode', 'Mode', {
    values: { 1: 'Peer allowed to send requests', 2: 'Peer not allowed to send requests' },
  }),
  record_size_limit: u16('tls.record_size_limit', 'Record Size Limit'),
  session_ticket_lifetime: { abbrev: 'tls.handshake.session_ticket_lifetime_hint', name: 'Session Ticket Lifetime Hint', type: 'uint', bits: 32 },
  session_ticket_len: u16('tls.handshake.session_ticket_length', 'Session Ticket Length'),
  session_ticket: bytes('tls.handshake.session_ticket', 'Session Ticket'),
  certificates_length: u24('tls.handshake.certificates_length', 'Certificates Length'),
  certificates: none('tls.handshake.certificates', 'Certificates'),
  certificate_length: u24('tls.handshake.certificate_length', 'Certificate Length'),
  certificate: bytes('tls.handshake.certificate', 'Certificate'),
  curve_type: u8('tls.handshake.server_curve_type', 'Curve Type', { base: 'hex', values: { 1: 'explicit_prime', 2: 'explicit_char2', 3: 'named_curve' } }),
  named_curve: u16('tls.handshake.server_named_curve', 'Named Curve', { base: 'hex', values: GROUPS }),
  server_point_len: u8('tls.handshake.server_point_len', 'Pubkey Length'),
  server_point: bytes('tls.handshake.server_point', 'Pubkey'),
  client_point_len: u8('tls.handshake.client_point_len', 'Pubkey Length'),
  client_point: bytes('tls.handshake.client_point', 'Pubkey'),
  sig_len: u16('tls.handshake.sig_len', 'Signature Length'),
  sig: bytes('tls.handshake.sig', 'Signature'),
  epms_len: u16('tls.handshake.epms_len', 'Encrypted PreMaster length'),
  epms: bytes('tls.handshake.epms', 'Encrypted PreMaster'),
  ja3_full: str('tls.handshake.ja3_full', 'JA3 Fullstring'),
  ja3: str('tls.handshake.ja3', 'JA3'),
  ja3s_full: str('tls.handshake.ja3s_full', 'JA3S Fullstring'),
  ja3s: str('tls.handshake.ja3s', 'JA3S'),
  resumed: none('tls.resumed', 'This session reuses previously negotiated keys (Session resumption)'),
  ignored: none('tls.ignored_unknown_record', 'Ignored Unknown Record'),
});

/** Short version names for the Protocol column and record titles. */
const VERSION_SHORT: Record<number, string> = {
  0x0002: 'SSLv2',
  0x0300: 'SSLv3',
  0x0301: 'TLSv1',
  0x0302: 'TLSv1.1',
  0x0303: 'TLSv1.2',
  0x0304: 'TLSv1.3',
};

const CT_PROTOCOL: Record<number, string> = {
  20: 'Change Cipher Spec',
  21: 'Alert',
  22: 'Handshake',
  23: 'Application Data',
  24: 'Heartbeat',
};

/** SHA-256 of "HelloRetryRequest": a ServerHello with this random is an HRR. */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
}

// ---- session state per TCP conversation ----

interface TlsSession {
  /** negotiated version, 0 while unknown */
  version: number;
  /** the server's port, once a hello told us who is who */
  serverPort: number;
  /** directions (by source port) that switched to encrypted records */
  encrypted: Set<number>;
  cipher: number;
  alpn: string;
  /** a ServerHello went by and no certificate or key exchange followed: the session was resumed */
  resumed: boolean;
}

interface TlsState {
  sessions: Map<string, TlsSession>;
  claimed: Set<string>;
}

function tlsState(pkt: Packet): TlsState {
  return pkt.session.state<TlsState>('tls', () => ({ sessions: new Map(), claimed: new Set() }));
}

function session(pkt: Packet): TlsSession {
  const st = tlsState(pkt);
  const k = tcpConvKey(pkt);
  let s = st.sessions.get(k);
  if (!s) st.sessions.set(k, (s = { version: 0, serverPort: 0, encrypted: new Set(), cipher: -1, alpn: '', resumed: false }));
  return s;
}

/**
 * Session facts change as a frame is read; later dissections (tree view, any order) replay the
 * state as it was when each record of the frame started, saved during the first pass.
 */
interface RecordSnap {
  version: number;
  encrypted: boolean;
  cipher: number;
  alpn: string;
  serverPort: number;
  resumed: boolean;
}

// ---- text helpers ----

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function gmtText(sec: number): string {
  const d = new Date(sec * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(
    d.getUTCMinutes(),
  )}:${p2(d.getUTCSeconds())}.000000000 UTC`;
}

function hexPreview(b: Uint8Array): string {
  const n = Math.min(b.length, 36);
  return bytesToHex(b.subarray(0, n)) + (b.length > n ? '…' : '');
}

function named(table: Record<number, string>, v: number, hex: boolean, digits = 4): string {
  const num = hex ? `0x${v.toString(16).padStart(digits, '0')}` : String(v);
  return `${table[v] ?? 'Unknown'} (${num})`;
}

function versionLabel(v: number): string {
  return named(VERSIONS, v, true);
}

function appProtoName(s: RecordSnap): string {
  if (s.alpn === 'h2' || s.alpn.startsWith('h2-')) return 'HyperText Transfer Protocol 2';
  if (s.alpn === 'http/1.1') return 'Hypertext Transfer Protocol';
  if (s.serverPort === 443) return 'Hypertext Transfer Protocol';
  return 'Application Data';
}

// ---- dissection ----

interface Ctx {
  pkt: Packet;
  tvb: Tvb;
  sess: TlsSession;
  snap: RecordSnap;
  /** descriptions for the Info column */
  info: string[];
}

function addBytes(pkt: Packet, parent: Item, f: FieldDef, tvb: Tvb, off: number, len: number, label: string): Item {
  const b = tvb.slice(off, len);
  return pkt.add(parent, f, tvb, off, len, b, pkt.tree ? `${label}: ${len ? hexPreview(b) : '<MISSING>'}` : undefined);
}

function dissectExtensions(ctx: Ctx, hs: Item, off: number, end: number, hsType: number, hrr: boolean, ja: number[]): void {
  const { pkt, tvb } = ctx;
  while (off + 4 <= end) {
    const type = tvb.u16(off);
    const len = tvb.u16(off + 2);
    const ext = pkt.text(hs, tvb, off, 4 + len, `Extension: ${EXTENSIONS[type] ?? 'Unknown type ' + type} (len=${len})`);
    pkt.item(ext, hf.extension_type, tvb, off, 2, EXTENSIONS[type] ? undefined : `Type: Unknown (${type})`);
    pkt.item(ext, hf.extension_len, tvb, off + 2, 2);
    ja.push(type);
    const d = off + 4;
    const de = d + len;
    switch (type) {
      case 0: {
        if (len === 0) break;
        const sni = pkt.text(ext, tvb, d, len, 'Server Name Indication extension');
        pkt.item(sni, hf.sni_list_len, tvb, d, 2);
        let p = d + 2;
        while (p + 3 <= de) {
          const nl = tvb.u16(p + 1);
          pkt.item(sni, hf.sni_type, tvb, p, 1);
          pkt.item(sni, hf.sni_len, tvb, p + 1, 2);
          pkt.add(sni, hf.sni, tvb, p + 3, nl, tvb.ascii(p + 3, nl));
          p += 3 + nl;
        }
        break;
      }
      case 10: {
        const l = tvb.u16(d);
        pkt.item(ext, hf.groups_length, tvb, d, 2);
        const g = pkt.add(ext, hf.groups, tvb, d + 2, l, undefined, `Supported Groups (${l >> 1} group${l >> 1 === 1 ? '' : 's'})`);
        for (let p = d + 2; p + 2 <= d + 2 + l; p += 2) pkt.item(g, hf.group, tvb, p, 2, GROUPS[tvb.u16(p)] ? undefined : `Supported Group: ${named(GROUPS, tvb.u16(p), true)}`);
        break;
      }
      case 11: {
        const l = tvb.u8(d);
        pkt.item(ext, hf.ec_pf_length, tvb, d, 1);
        const g = pkt.add(ext, hf.ec_pfs, tvb, d + 1, l, undefined, `Elliptic curves point formats (${l})`);
        for (let p = d + 1; p < d + 1 + l; p++) pkt.item(g, hf.ec_pf, tvb, p, 1);
        break;
      }
      case 13: {
        const l = tvb.u16(d);
        pkt.item(ext, hf.sig_hash_alg_len, tvb, d, 2);
        const g = pkt.add(ext, hf.sig_hash_algs, tvb, d + 2, l, undefined, `Signature Hash Algorithms (${l >> 1} algorithm${l >> 1 === 1 ? '' : 's'})`);
        for (let p = d + 2; p + 2 <= d + 2 + l; p += 2) {
          const v = tvb.u16(p);
          const a = pkt.item(g, hf.sig_hash_alg, tvb, p, 2, SIG_ALGS[v] ? undefined : `Signature Algorithm: ${sigAlgName(v)}`);
          pkt.item(a, hf.sig_hash_hash, tvb, p, 1, SIG_HASH[v >> 8] ? undefined : `Signature Hash Algorithm Hash: Unknown (${v >> 8})`);
          pkt.item(a, hf.sig_hash_sig, tvb, p + 1, 1, SIG_SIG[v & 0xff] ? undefined : `Signature Hash Algorithm Signature: Unknown (${v & 0xff})`);
        }
        break;
      }
      case 15:
        if (len >= 1) pkt.item(ext, hf.heartbeat_mode, tvb, d, 1);
        break;
      case 16: {
        const l = tvb.u16(d);
        pkt.item(ext, hf.alpn_len, tvb, d, 2);
        const g = pkt.add(ext, hf.alpn_list, tvb, d + 2, l, undefined, 'ALPN Protocol');
        for (let p = d + 2; p < d + 2 + l; ) {
          const sl = tvb.u8(p);
          pkt.item(g, hf.alpn_str_len, tvb, p, 1);
          const s = tvb.ascii(p + 1, sl);
          pkt.add(g, hf.alpn_str, tvb, p + 1, sl, s);
          if (hsType === 2) ctx.sess.alpn = s;
          p += 1 + sl;
        }
        break;
      }
      case 13172: {
        if (len === 0) break;
        const g = pkt.text(ext, tvb, d, len, 'Next Protocol Negotiation');
        for (let p = d; p < de; ) {
          const sl = tvb.u8(p);
          pkt.item(g, hf.npn_str_len, tvb, p, 1);
          pkt.add(g, hf.npn_str, tvb, p + 1, sl, tvb.ascii(p + 1, sl));
          p += 1 + sl;
        }
        break;
      }
      case 21:
        addBytes(pkt, ext, hf.padding_data, tvb, d, len, 'Padding Data');
        break;
      case 28:
        if (len >= 2) pkt.item(ext, hf.record_size_limit, tvb, d, 2);
        break;
      case 35:
        if (len === 0) pkt.add(ext, hf.extension_data, tvb, d, 0, new Uint8Array(0), 'Data (0 bytes)');
        else addBytes(pkt, ext, hf.extension_data, tvb, d, len, 'Data');
        break;
      case 43: {
        if (hsType === 1) {
          const l = tvb.u8(d);
          pkt.item(ext, hf.supported_versions_len, tvb, d, 1);
          for (let p = d + 1; p + 2 <= d + 1 + l; p += 2) pkt.item(ext, hf.supported_version, tvb, p, 2, VERSIONS[tvb.u16(p)] ? undefined : `Supported Version: ${versionLabel(tvb.u16(p))}`);
        } else if (len >= 2) {
          const v = tvb.u16(d);
          pkt.item(ext, hf.supported_version, tvb, d, 2, VERSIONS[v] ? undefined : `Supported Version: ${versionLabel(v)}`);
          if (hsType === 2) ctx.sess.version = v;
        }
        break;
      }
      case 45: {
        const l = tvb.u8(d);
        pkt.item(ext, hf.psk_ke_modes_length, tvb, d, 1);
        for (let p = d + 1; p < d + 1 + l; p++) pkt.item(ext, hf.psk_ke_mode, tvb, p, 1);
        break;
      }
      case 51: {
        const ks = pkt.text(ext, tvb, d, len, 'Key Share extension');
        const entry = (p: number, parent: Item): number => {
          const g = tvb.u16(p);
          const kl = tvb.u16(p + 2);
          const e = pkt.text(parent, tvb, p, 4 + kl, `Key Share Entry: Group: ${GROUPS[g] ?? 'Unknown'}, Key Exchange length: ${kl}`);
          pkt.item(e, hf.key_share_group, tvb, p, 2, GROUPS[g] ? undefined : `Group: Unknown (${g})`);
          pkt.item(e, hf.key_share_ke_length, tvb, p + 2, 2);
          addBytes(pkt, e, hf.key_share_ke, tvb, p + 4, kl, 'Key Exchange');
          return 4 + kl;
        };
        if (hsType === 1) {
          const l = tvb.u16(d);
          pkt.item(ks, hf.key_share_client_length, tvb, d, 2);
          for (let p = d + 2; p + 4 <= d + 2 + l; ) p += entry(p, ks);
        } else if (hrr) {
          pkt.item(ks, hf.key_share_selected_group, tvb, d, 2);
        } else if (len >= 4) {
          entry(d, ks);
        }
        break;
      }
      case 65281: {
        const l = tvb.u8(d);
        const r = pkt.text(ext, tvb, d, len, 'Renegotiation Info extension');
        pkt.item(r, hf.reneg_info_len, tvb, d, 1);
        if (l) addBytes(pkt, r, hf.reneg_info, tvb, d + 1, l, 'Renegotiation info');
        break;
      }
      case 22:
      case 23:
      case 49:
        break;
      default:
        if (len) addBytes(pkt, ext, hf.extension_data, tvb, d, len, 'Data');
    }
    off = de;
  }
}

function dissectHello(ctx: Ctx, hs: Item, off: number, end: number, type: number): boolean {
  const { pkt, tvb, sess } = ctx;
  const version = tvb.u16(off);
  pkt.item(hs, hf.hs_version, tvb, off, 2, VERSIONS[version] ? undefined : `Version: ${versionLabel(version)}`);
  const rnd = tvb.slice(off + 2, 32);
  const hrr = type === 2 && bytesToHex(rnd) === HRR_RANDOM;
  const r = pkt.add(hs, hf.random, tvb, off + 2, 32, rnd, pkt.tree ? `Random: ${bytesToHex(rnd)}${hrr ? ' (HelloRetryRequest magic)' : ''}` : undefined);
  if (!hrr && ctx.snap.version !== 0x0304) {
    const t = tvb.u32(off + 2);
    pkt.add(r, hf.random_time, tvb, off + 2, 4, gmtText(t));
    pkt.item(r, hf.random_bytes, tvb, off + 6, 28);
  }
  let p = off + 34;
  const sidLen = tvb.u8(p);
  pkt.item(hs, hf.session_id_length, tvb, p, 1);
  if (sidLen) pkt.item(hs, hf.session_id, tvb, p + 1, sidLen);
  p += 1 + sidLen;
  const ciphers: number[] = [];
  let cipher = -1;
  if (type === 1) {
    const cl = tvb.u16(p);
    pkt.item(hs, hf.cipher_suites_length, tvb, p, 2);
    const cs = pkt.add(hs, hf.ciphersuites, tvb, p + 2, cl, undefined, `Cipher Suites (${cl >> 1} suite${cl >> 1 === 1 ? '' : 's'})`);
    for (let q = p + 2; q + 2 <= p + 2 + cl; q += 2) {
      const v = tvb.u16(q);
      ciphers.push(v);
      pkt.item(cs, hf.ciphersuite, tvb, q, 2, CIPHER_SUITES[v] ? undefined : `Cipher Suite: ${named(CIPHER_SUITES, v, true)}`);
    }
    p += 2 + cl;
    const ml = tvb.u8(p);
    pkt.item(hs, hf.comp_methods_length, tvb, p, 1);
    const cm = pkt.add(hs, hf.comp_methods, tvb, p + 1, ml, undefined, `Compression Methods (${ml} method${ml === 1 ? '' : 's'})`);
    for (let q = p + 1; q < p + 1 + ml; q++) pkt.item(cm, hf.comp_method, tvb, q, 1);
    p += 1 + ml;
  } else {
    cipher = tvb.u16(p);
    pkt.item(hs, hf.ciphersuite, tvb, p, 2, CIPHER_SUITES[cipher] ? undefined : `Cipher Suite: ${named(CIPHER_SUITES, cipher, true)}`);
    pkt.item(hs, hf.comp_method, tvb, p + 2, 1);
    p += 3;
    sess.cipher = cipher;
    sess.resumed = !hrr && version !== 0x0304;
    if (version !== 0) sess.version = version;
    sess.serverPort = pkt.p.srcPort ?? 0;
  }
  const exts: number[] = [];
  const groups: number[] = [];
  const pointFormats: number[] = [];
  if (p + 2 <= end) {
    const el = tvb.u16(p);
    pkt.item(hs, hf.extensions_length, tvb, p, 2);
    // collect groups and point formats for JA3 before the tree walk
    for (let q = p + 2; q + 4 <= p + 2 + el; ) {
      const t = tvb.u16(q);
      const l = tvb.u16(q + 2);
      if (t === 10) for (let k = q + 6; k + 2 <= q + 6 + tvb.u16(q + 4); k += 2) groups.push(tvb.u16(k));
      if (t === 11) for (let k = q + 5; k < q + 5 + tvb.u8(q + 4); k++) pointFormats.push(tvb.u8(k));
      q += 4 + l;
    }
    dissectExtensions(ctx, hs, p + 2, Math.min(end, p + 2 + el), type, hrr, exts);
  }
  if (type === 2 && sess.version === 0x0304) sess.resumed = false;
  const nog = (a: number[]) => a.filter((v) => !isGrease(v)).join('-');
  if (type === 1) {
    const full = `${version},${nog(ciphers)},${nog(exts)},${nog(groups)},${pointFormats.join('-')}`;
    pkt.add(hs, hf.ja3_full, null, 0, 0, full, undefined, GENERATED);
    pkt.add(hs, hf.ja3, null, 0, 0, md5Hex(full), undefined, GENERATED);
  } else {
    const full = `${version},${cipher},${nog(exts)}`;
    pkt.add(hs, hf.ja3s_full, null, 0, 0, full, undefined, GENERATED);
    pkt.add(hs, hf.ja3s, null, 0, 0, md5Hex(full), undefined, GENERATED);
  }
  return hrr;
}

/** Legacy (TLS 1.2) hash/signature pairs without a name of their own read as "SHA224 ECDSA". */
function sigAlgName(v: number): string {
  const h = SIG_HASH[v >> 8];
  const g = SIG_SIG[v & 0xff];
  const name = h && g && (v >> 8) < 8 ? `${h} ${g}` : 'Unknown';
  return `${name} (0x${v.toString(16).padStart(4, '0')})`;
}

function isEcdhe(cipher: number): boolean {
  const n = CIPHER_SUITES[cipher] ?? '';
  return n.includes('_ECDHE_');
}

/** One handshake message; returns its name for the Info column. */
function dissectHandshakeMessage(ctx: Ctx, rec: Item, off: number, max: number): [number, string] {
  const { pkt, tvb, sess } = ctx;
  const type = tvb.u8(off);
  const len = tvb.u24(off + 1);
  let name = HANDSHAKE_TYPES[type] ?? `Unknown (${type})`;
  const hs = pkt.add(rec, hf.handshake, tvb, off, Math.min(4 + len, max - off), undefined, '');
  pkt.item(hs, hf.hs_type, tvb, off, 1);
  pkt.item(hs, hf.hs_length, tvb, off + 1, 3);
  const d = off + 4;
  const end = Math.min(d + len, max);
  if (type >= 11 && type <= 14) sess.resumed = false;
  switch (type) {
    case 1:
    case 2:
      if (dissectHello(ctx, hs, d, end, type)) name = 'Hello Retry Request';
      break;
    case 4: {
      const tl = tvb.u16(d + 4);
      const t = pkt.text(hs, tvb, d, 6 + tl, 'TLS Session Ticket');
      const life = tvb.u32(d);
      pkt.item(t, hf.session_ticket_lifetime, tvb, d, 4, pkt.tree ? `Session Ticket Lifetime Hint: ${life} seconds (${durationText(life)})` : undefined);
      pkt.item(t, hf.session_ticket_len, tvb, d + 4, 2);
      addBytes(pkt, t, hf.session_ticket, tvb, d + 6, tl, 'Session Ticket');
      break;
    }
    case 11: {
      const cl = tvb.u24(d);
      pkt.item(hs, hf.certificates_length, tvb, d, 3);
      const certs = pkt.add(hs, hf.certificates, tvb, d + 3, cl, undefined, `Certificates (${cl} bytes)`);
      for (let p = d + 3; p + 3 <= Math.min(d + 3 + cl, end); ) {
        const l = tvb.u24(p);
        pkt.item(certs, hf.certificate_length, tvb, p, 3);
        addBytes(pkt, certs, hf.certificate, tvb, p + 3, Math.min(l, end - p - 3), 'Certificate');
        p += 3 + l;
      }
      break;
    }
    case 12:
      if (isEcdhe(sess.cipher) && len >= 4) {
        const params = pkt.text(hs, tvb, d, len, 'EC Diffie-Hellman Server Params');
        pkt.item(params, hf.curve_type, tvb, d, 1);
        pkt.item(params, hf.named_curve, tvb, d + 1, 2);
        const pl = tvb.u8(d + 3);
        pkt.item(params, hf.server_point_len, tvb, d + 3, 1);
        addBytes(pkt, params, hf.server_point, tvb, d + 4, pl, 'Pubkey');
        let p = d + 4 + pl;
        if (ctx.snap.version >= 0x0303 && p + 2 <= end) {
          const v = tvb.u16(p);
          const a = pkt.item(params, hf.sig_hash_alg, tvb, p, 2);
          pkt.item(a, hf.sig_hash_hash, tvb, p, 1, SIG_HASH[v >> 8] ? undefined : `Signature Hash Algorithm Hash: Unknown (${v >> 8})`);
          pkt.item(a, hf.sig_hash_sig, tvb, p + 1, 1, SIG_SIG[v & 0xff] ? undefined : `Signature Hash Algorithm Signature: Unknown (${v & 0xff})`);
          p += 2;
        }
        if (p + 2 <= end) {
          const sl = tvb.u16(p);
          pkt.item(params, hf.sig_len, tvb, p, 2);
          addBytes(pkt, params, hf.sig, tvb, p + 2, sl, 'Signature');
        }
      }
      break;
    case 16:
      if (isEcdhe(sess.cipher) && len >= 1) {
        const params = pkt.text(hs, tvb, d, len, 'EC Diffie-Hellman Client Params');
        const pl = tvb.u8(d);
        pkt.item(params, hf.client_point_len, tvb, d, 1);
        addBytes(pkt, params, hf.client_point, tvb, d + 1, pl, 'Pubkey');
      } else if ((CIPHER_SUITES[sess.cipher] ?? '').startsWith('TLS_RSA_') && len >= 2) {
        const params = pkt.text(hs, tvb, d, len, 'RSA Encrypted PreMaster Secret');
        pkt.item(params, hf.epms_len, tvb, d, 2);
        addBytes(pkt, params, hf.epms, tvb, d + 2, tvb.u16(d), 'Encrypted PreMaster');
      }
      break;
  }
  if (pkt.tree) hs.text = `Handshake Protocol: ${name}`;
  return [4 + len, name];
}

/** One record at `off` (its 5-byte header known complete); returns the record length incl. header. */
function dissectRecord(ctx: Ctx, top: Item, off: number): number {
  const { pkt, tvb, sess } = ctx;
  const ct = tvb.u8(off);
  const rv = tvb.u16(off + 1);
  const len = tvb.u16(off + 3);
  const snap = ctx.snap;
  const verName = VERSION_SHORT[snap.version || rv] ?? 'SSL';
  const rec = pkt.add(top, hf.record, tvb, off, 5 + len, undefined, '');
  const encrypted = snap.encrypted;
  const tls13 = snap.version === 0x0304;
  pkt.item(rec, tls13 && ct === 23 ? hf.opaque_type : hf.content_type, tvb, off, 1, pkt.tree && tls13 && ct === 23 ? `Opaque Type: Application Data (23)` : undefined);
  pkt.item(rec, hf.record_version, tvb, off + 1, 2, VERSIONS[rv] ? undefined : `Version: ${versionLabel(rv)}`);
  pkt.item(rec, hf.record_length, tvb, off + 3, 2);
  const d = off + 5;
  const end = d + len;
  let title = `${verName} Record Layer: `;
  const push = (s: string) => ctx.info.push(s);
  switch (ct) {
    case 20:
      {
        const ccs = pkt.add(rec, hf.change_cipher_spec, tvb, d, len, undefined, 'Change Cipher Spec Message');
        if (snap.resumed) pkt.expert(ccs, 'note', 'sequence', hf.resumed.name, hf.resumed);
      }
      title += 'Change Cipher Spec Protocol: Change Cipher Spec';
      push('Change Cipher Spec');
      sess.encrypted.add(pkt.p.srcPort ?? 0);
      break;
    case 21:
      if (encrypted || len !== 2) {
        pkt.add(rec, hf.alert_message, tvb, d, len, undefined, 'Alert Message: Encrypted Alert');
        title += 'Encrypted Alert';
        push('Encrypted Alert');
      } else {
        const lv = tvb.u8(d);
        const ds = tvb.u8(d + 1);
        const desc = `Level: ${ALERT_LEVEL[lv] ?? 'Unknown'}, Description: ${ALERT_DESC[ds] ?? 'Unknown'}`;
        const am = pkt.add(rec, hf.alert_message, tvb, d, 2, undefined, 'Alert Message');
        pkt.item(am, hf.alert_level, tvb, d, 1);
        pkt.item(am, hf.alert_desc, tvb, d + 1, 1);
        title += `Alert (${desc})`;
        push(`Alert (${desc})`);
      }
      break;
    case 22: {
      if (encrypted) {
        pkt.add(rec, hf.handshake, tvb, d, len, undefined, 'Handshake Protocol: Encrypted Handshake Message');
        title += 'Handshake Protocol: Encrypted Handshake Message';
        push('Encrypted Handshake Message');
        break;
      }
      // A first message that cannot fit its record means the record is encrypted.
      const t0 = len >= 4 ? tvb.u8(d) : -1;
      const l0 = len >= 4 ? tvb.u24(d + 1) : 0;
      if (len < 4 || HANDSHAKE_TYPES[t0] === undefined || 4 + l0 > len || (t0 === 0 && len !== 4)) {
        pkt.add(rec, hf.handshake, tvb, d, len, undefined, 'Handshake Protocol: Encrypted Handshake Message');
        title += 'Handshake Protocol: Encrypted Handshake Message';
        push('Encrypted Handshake Message');
        break;
      }
      const names: string[] = [];
      for (let p = d; p + 4 <= end; ) {
        const [used, name] = dissectHandshakeMessage(ctx, rec, p, end);
        names.push(name);
        push(name);
        p += used;
      }
      title += `Handshake Protocol: ${names.length > 1 ? 'Multiple Handshake Messages' : names[0] ?? 'Encrypted Handshake Message'}`;
      break;
    }
    case 23: {
      const proto = appProtoName(snap);
      addBytes(pkt, rec, hf.app_data, tvb, d, len, 'Encrypted Application Data');
      pkt.add(rec, hf.app_data_proto, null, 0, 0, proto, pkt.tree ? `[Application Data Protocol: ${proto}]` : undefined, GENERATED);
      title += `Application Data Protocol: ${proto}`;
      push('Application Data');
      break;
    }
    case 24:
      title += 'Heartbeat';
      push(encrypted ? 'Encrypted Heartbeat' : 'Heartbeat Request');
      break;
  }
  if (pkt.tree) rec.text = title;
  return 5 + len;
}

function validRecordHeader(tvb: Tvb, off: number): boolean {
  const ct = tvb.u8(off);
  if (ct < 20 || ct > 24) return false;
  const major = tvb.u8(off + 1);
  const minor = tvb.u8(off + 2);
  if (major !== 3 || minor > 4) return false;
  return tvb.u16(off + 3) <= 16384 + 2048;
}

function snapshot(sess: TlsSession, pkt: Packet): RecordSnap {
  return {
    version: sess.version,
    // TLS 1.3's ChangeCipherSpec is only for middleboxes: its encrypted records are all type 23
    encrypted: sess.version !== 0x0304 && sess.encrypted.has(pkt.p.srcPort ?? 0),
    cipher: sess.cipher,
    alpn: sess.alpn,
    serverPort: sess.serverPort,
    resumed: sess.resumed,
  };
}

/** TLS over TCP: the records in this (reassembled) segment, asking TCP for the rest of a split record. */
export function dissectTls(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  const live = session(pkt);
  // Later dissections must not change the capture-wide session: they work on a copy and replay the
  // per-record state saved during the first pass.
  const sess: TlsSession = pkt.firstPass ? live : { ...live, encrypted: new Set(live.encrypted) };
  const saved = pkt.firstPass ? undefined : pkt.session.frameData<RecordSnap[]>('tls.snap', pkt.num);
  const calls = (pkt.p.tlsCalls as number | undefined) ?? 0;
  const known = (saved?.[0]?.version ?? sess.version) !== 0;
  if ((tvb.length < 5 || !validRecordHeader(tvb, 0)) && !known && calls === 0) {
    // Not TLS, and no session to continue: leave the bytes to others.
    return 0;
  }
  pkt.p.tlsCalls = calls + 1;
  pkt.protocolCol.set('TLS');
  if (calls === 0) pkt.info.clear();
  const top = pkt.proto(parent, proto_tls, tvb, 0, -1);
  const ctx: Ctx = { pkt, tvb, sess, snap: snapshot(sess, pkt), info: [] };
  let off = 0;
  let recIndex = (pkt.p.tlsRecords as number | undefined) ?? 0;
  const snaps: RecordSnap[] = [];
  let colVersion = 0;
  pkt.guard('TLS', () => {
    while (off < tvb.reported) {
      if (tvb.reported - off < 5 && pkt.p.canDesegment) {
        pkt.p.desegmentOffset = off;
        pkt.p.desegmentLen = DESEGMENT_ONE_MORE_SEGMENT;
        break;
      }
      if (tvb.reported - off < 5 || !validRecordHeader(tvb, off)) {
        // mid-record bytes (e.g. after a lost segment): tshark names them in Info only
        ctx.info.push('Continuation Data');
        off = tvb.reported;
        break;
      }
      const len = tvb.u16(off + 3);
      if (tvb.reported - off < 5 + len && pkt.p.canDesegment) {
        pkt.p.desegmentOffset = off;
        pkt.p.desegmentLen = 5 + len - (tvb.reported - off);
        break;
      }
      ctx.snap = saved?.[recIndex] ?? snapshot(sess, pkt);
      snaps[recIndex] = ctx.snap;
      recIndex++;
      const rv = tvb.u16(off + 1);
      off += dissectRecord(ctx, top, off);
      // the Protocol column names the session version once known, else the record's
      colVersion = sess.version || rv;
    }
  });
  pkt.p.tlsRecords = recIndex;
  if (pkt.firstPass && snaps.length) {
    const prev = pkt.session.frameData<RecordSnap[]>('tls.snap', pkt.num) ?? [];
    snaps.forEach((s, i) => (prev[i] = s));
    pkt.session.setFrameData('tls.snap', pkt.num, prev);
    pkt.session.setFrameData('tls.col', pkt.num, colVersion);
  } else if (!pkt.firstPass) {
    colVersion = pkt.session.frameData<number>('tls.col', pkt.num) ?? colVersion;
  }
  // Wireshark's separator goes in whenever the column holds text, even text before the fence
  for (const s of ctx.info) pkt.info.append(pkt.info.text.length > 0 ? ', ' + s : s);
  colVersion ||= sess.version;
  if (colVersion) pkt.protocolCol.set(VERSION_SHORT[colVersion] ?? 'TLS');
  if (pkt.firstPass) tlsState(pkt).claimed.add(tcpConvKey(pkt));
  return tvb.reported;
}

/** The TCP heuristic: a handshake or application-data record header (SSLv3 to TLS 1.2 versions), on any port. */
function heurTls(tvb: Tvb, pkt: Packet, parent: Item | null): number | boolean {
  const st = tlsState(pkt);
  if (st.claimed.has(tcpConvKey(pkt))) return dissectTls(tvb, pkt, parent);
  if (tvb.length < 5) return false;
  const ct = tvb.u8(0);
  if (ct !== 22 && ct !== 23) return false;
  const v = tvb.u16(1);
  if (v < 0x0300 || v > 0x0303) return false;
  return dissectTls(tvb, pkt, parent);
}

for (const port of [443, 465, 636, 853, 993, 995, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017, 324, 802, 1300]) {
  register('tcp.port', port, dissectTls);
}
registerHeuristic('tcp', heurTls);
