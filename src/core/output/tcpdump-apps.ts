// The application-layer parts of a tcpdump line: the DNS summary, the first line of text protocols (HTTP, SMTP,
// FTP) and BOOTP/DHCP, written as tcpdump 4.99 writes them without -v.
import type { Item } from '../dissect/packet';
import { etherToString, ipv4ToString, ipv6ToString } from '../fields/format';
import { all, get, num, str } from './tcpdump-items';
import { DNS_TYPE_SHORT } from '../dissectors/dns-names';

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, k) => a + k);
}

// ---------------------------------------------------------------------------------------------
// DNS

/** The RR types tcpdump 4.99 names (others print as TypeN), with its spellings where they differ from Wireshark's. */
const TCPDUMP_TYPES = [...range(1, 48), 50, 51, 99, 100, 101, 102, 103, 249, 250, 251, 252, 253, 254, 255];
const TCPDUMP_SPELLING: Record<number, string> = { 23: 'NSAP_PTR', 253: 'MAILB', 254: 'MAILA' };
const DNS_TYPES: Record<number, string> = Object.fromEntries(TCPDUMP_TYPES.map((t) => [t, TCPDUMP_SPELLING[t] ?? DNS_TYPE_SHORT[t]!]));
const DNS_CLASSES: Record<number, string> = { 1: 'IN', 3: 'CHAOS', 4: 'HS', 255: 'ANY' };
const DNS_OPCODES = ['', ' inv_q', ' stat', ' op3', ' notify', ' update', ' op6', ' op7', ' op8', ' updateA', ' updateD', ' updateDA', ' updateM', ' updateMA', ' zoneInit', ' zoneRef'];
const DNS_RCODES = ['', ' FormErr', ' ServFail', ' NXDomain', ' NotImp', ' Refused', ' YXDomain', ' YXRRSet', ' NXRRSet', ' NotAuth', ' NotZone'];

const typeName = (t: number) => DNS_TYPES[t] ?? `Type${t}`;
/** A domain name as tcpdump writes it: every label followed by a dot, the root as a lone dot. */
const fqdn = (name: string | undefined) => (name === undefined || name === '<Root>' || name === '' ? '.' : name + '.');

/** The record subtrees of the message (questions first, then answers, authority, additional), in order. */
function records(dns: Item): Item[] {
  const out: Item[] = [];
  for (const section of dns.children ?? []) {
    if (section.f.abbrev !== '_ws.text' || !section.children) continue;
    for (const rr of section.children) if (rr.children && (get(rr, 'dns.qry.name') || get(rr, 'dns.resp.type'))) out.push(rr);
  }
  return out;
}

/** One answer's text (" A 1.2.3.4"), or null when its data was not captured (tcpdump then stops with [|domain]). */
function answer(rr: Item, captured: number): { text: string; truncated: boolean } {
  const type = num(rr, 'dns.resp.type') ?? 0;
  const cls = num(rr, 'dns.resp.class') ?? 1;
  let text = ` ${typeName(type)}`;
  if (type !== 41 && (cls & 0x7fff) !== 1) text += ` ${DNS_CLASSES[cls & 0x7fff] ?? `(Class ${cls & 0x7fff})`}`;
  const rdlen = get(rr, 'dns.resp.len');
  if (!rdlen || rdlen.start + rdlen.len + (typeof rdlen.v === 'number' ? rdlen.v : 0) > captured) return { text, truncated: true };
  switch (type) {
    case 1: {
      const a = num(rr, 'dns.a');
      if (a !== undefined) text += ` ${ipv4ToString(a)}`;
      break;
    }
    case 28: {
      const a = get(rr, 'dns.aaaa')?.v;
      if (a instanceof Uint8Array) text += ` ${ipv6ToString(a)}`;
      break;
    }
    case 2:
      text += ` ${fqdn(str(rr, 'dns.ns'))}`;
      break;
    case 5:
      text += ` ${fqdn(str(rr, 'dns.cname'))}`;
      break;
    case 12:
      text += ` ${fqdn(str(rr, 'dns.ptr.domain_name'))}`;
      break;
    case 15:
      text += ` ${fqdn(str(rr, 'dns.mx.mail_exchange'))} ${num(rr, 'dns.mx.preference') ?? 0}`;
      break;
    case 16:
      for (const s of all(rr, 'dns.txt')) text += ` "${typeof s.v === 'string' ? s.v : ''}"`;
      break;
    case 33:
      text += ` ${fqdn(str(rr, 'dns.srv.target'))}:${num(rr, 'dns.srv.port') ?? 0} ${num(rr, 'dns.srv.priority') ?? 0} ${num(rr, 'dns.srv.weight') ?? 0}`;
      break;
    default:
      // tcpdump prints no data for the other types without -v
      break;
  }
  return { text, truncated: false };
}

/**
 * The DNS summary: `12345+ A? www.example.org. (35)` for a query, `12345 1/0/0 A 1.2.3.4 (51)` for a response.
 * `len` is the message length (the UDP payload, or the TCP payload after its length prefix); `captured` the
 * end of the captured frame bytes.
 */
export function dnsSummary(dns: Item, len: number, captured: number): string {
  const id = num(dns, 'dns.id') ?? 0;
  const flags = num(dns, 'dns.flags') ?? 0;
  const qd = num(dns, 'dns.count.queries') ?? 0;
  const an = num(dns, 'dns.count.answers') ?? 0;
  const ns = num(dns, 'dns.count.auth_rr') ?? 0;
  const ar = num(dns, 'dns.count.add_rr') ?? 0;
  const op = DNS_OPCODES[(flags >> 11) & 15]!;
  const rrs = records(dns);
  const questions = rrs.filter((r) => get(r, 'dns.qry.name'));
  const others = rrs.filter((r) => !get(r, 'dns.qry.name'));
  let s: string;
  if (flags & 0x8000) {
    const rcode = flags & 15;
    s = `${id}${op}${DNS_RCODES[rcode] ?? ` Resp${rcode}`}${flags & 0x400 ? '*' : ''}${flags & 0x80 ? '' : '-'}${flags & 0x200 ? '|' : ''}${flags & 0x20 ? '$' : ''}`;
    if (qd !== 1) s += ` [${qd}q]`;
    s += ` ${an}/${ns}/${ar}`;
    for (let i = 0; i < an; i++) {
      const rr = others[i];
      if (!rr) return s + ' [|domain]';
      const a = answer(rr, captured);
      s += (i ? ',' : '') + a.text;
      if (a.truncated) return s + ' [|domain]';
    }
  } else {
    s = `${id}${op}${flags & 0x100 ? '+' : ''}${flags & 0x10 ? '%' : ''}`;
    if (flags & 0x6cf) s += ` [b2&3=0x${(flags & 0x6cf).toString(16)}]`;
    if (an) s += ` [${an}a]`;
    if (qd !== 1) s += ` [${qd}q]`;
    if (ns) s += ` [${ns}n]`;
    if (ar) s += ` [${ar}au]`;
    for (let i = 0; i < qd; i++) {
      const q = questions[i];
      if (!q) return s + ' [|domain]';
      const type = num(q, 'dns.qry.type') ?? 0;
      const cls = num(q, 'dns.qry.class') ?? 1;
      const c = cls === 1 ? '' : cls === 255 ? ' ANY' : ` ${DNS_CLASSES[cls] ?? `(Class ${cls})`}`;
      s += ` ${typeName(type)}${c}? ${fqdn(str(q, 'dns.qry.name'))}`;
    }
  }
  return `${s} (${len})`;
}

// ---------------------------------------------------------------------------------------------
// Text protocols: tcpdump prints the protocol's name and, when the payload starts with a request or response
// line (or always, for protocols made only of such lines), that first line.

const HTTP_METHODS = [
  'OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY',
  'MOVE', 'LOCK', 'UNLOCK', 'ORDERPATCH',
];

export interface TextProto {
  name: string;
  /** request words; null: every first line is printed */
  commands: readonly string[] | null;
  /** the response code is the second token (HTTP/1.1 200 OK) */
  codeSecond: boolean;
}
export const HTTP: TextProto = { name: 'http', commands: HTTP_METHODS, codeSecond: true };
export const SMTP: TextProto = { name: 'smtp', commands: null, codeSecond: false };
export const FTP: TextProto = { name: 'ftp', commands: null, codeSecond: false };

const printable = (c: number) => c >= 0x20 && c <= 0x7e;

/** The next token from `i` (ended by a space, tab, CR or LF) and where the text after its blanks starts; null if none. */
function token(b: Uint8Array, i: number, len: number): { tok: string; next: number } | null {
  let tok = '';
  for (; i < len; i++) {
    if (i >= b.length) return null;
    const c = b[i]!;
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
    if (!printable(c)) return null;
    if (tok.length < 127) tok += String.fromCharCode(c);
  }
  if (!tok) return null;
  for (; i < len; i++) {
    if (i >= b.length) return null;
    const c = b[i]!;
    if (c === 0x0d || c === 0x0a) break;
    if (!printable(c) && c !== 0x09) return null;
    if (c !== 0x20 && c !== 0x09) break;
  }
  return { tok, next: i };
}

/** The first line: null when it holds other bytes than printable ASCII and tabs; `cut` when no line end follows. */
function firstLine(b: Uint8Array, len: number): { line: string; cut: boolean } | null {
  let line = '';
  for (let i = 0; i < len; i++) {
    if (i >= b.length) return { line, cut: true };
    const c = b[i]!;
    if (c === 0x0a) return { line, cut: false };
    if (c === 0x0d) return i + 1 < len && i + 1 < b.length && b[i + 1] === 0x0a ? { line, cut: false } : null;
    if (!printable(c) && c !== 0x09) return null;
    line += String.fromCharCode(c);
  }
  return { line, cut: true };
}

/** `HTTP: GET / HTTP/1.1`, or just `HTTP` for a segment that does not start with a request or response line. */
export function textProto(p: TextProto, payload: Uint8Array, len: number): string {
  let show = p.commands === null;
  if (!show) {
    let t = token(payload, 0, len);
    if (t && p.commands!.includes(t.tok.toUpperCase())) show = true;
    else {
      if (t && p.codeSecond) t = token(payload, t.next, len);
      if (t && /^\d{3}$/.test(t.tok)) show = true;
    }
  }
  let s = p.name.toUpperCase();
  if (!show) return s;
  const l = firstLine(payload, len);
  if (l) s += `: ${l.line}${l.cut ? ` [|${p.name}]` : ''}`;
  return s;
}

// ---------------------------------------------------------------------------------------------
// BOOTP / DHCP

export function bootpSummary(dhcp: Item, len: number): string {
  const op = num(dhcp, 'dhcp.type') ?? 0;
  let s = `BOOTP/DHCP, ${op === 1 ? 'Request' : op === 2 ? 'Reply' : `unknown (0x${op.toString(16).padStart(2, '0')})`}`;
  const mac = get(dhcp, 'dhcp.hw.mac_addr')?.v;
  if (op === 1 && num(dhcp, 'dhcp.hw.type') === 1 && num(dhcp, 'dhcp.hw.len') === 6 && mac instanceof Uint8Array) {
    s += ` from ${etherToString(mac)}`;
  }
  return `${s}, length ${len}`;
}
