// HTTP/1.x over TCP: request/response lines, headers, bodies (Content-Length, chunked, until FIN), request/response pairing.
import { fields, protocol, type FieldDef } from '../fields/registry';
import { bytesToHex } from '../fields/format';
import {
  DESEGMENT_ONE_MORE_SEGMENT,
  DESEGMENT_UNTIL_FIN,
  GENERATED,
  HIDDEN,
  type Item,
  type Packet,
} from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { register, registerHeuristic } from '../dissect/tables';
import { dissectMediaBody, formatText } from './http-media';
import { gunzip, inflateAny } from './http-inflate';
import { dissectData } from './data';

export const proto_http = protocol('http', 'Hypertext Transfer Protocol');

const STATUS: Record<number, string> = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints', 200: 'OK', 201: 'Created',
  202: 'Accepted', 203: 'Non-authoritative Information', 204: 'No Content', 205: 'Reset Content',
  206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used', 300: 'Multiple Choices',
  301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 305: 'Use Proxy',
  307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized',
  402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable',
  407: 'Proxy Authentication Required', 408: 'Request Time-out', 409: 'Conflict', 410: 'Gone', 411: 'Length Required',
  412: 'Precondition Failed', 413: 'Request Entity Too Large', 414: 'Request-URI Too Long',
  415: 'Unsupported Media Type', 416: 'Requested Range Not Satisfiable', 417: 'Expectation Failed',
  418: "I'm a teapot", 421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked',
  424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Time-out', 505: 'HTTP Version not supported', 506: 'Variant Also Negotiates',
  507: 'Insufficient Storage', 508: 'Loop Detected', 510: 'Not Extended', 511: 'Network Authentication Required',
  599: 'Server Error - Others',
};

const str = (abbrev: string, name: string) => ({ abbrev, name, type: 'string' }) as const;

export const hf = fields({
  request: { abbrev: 'http.request', name: 'Request', type: 'bool', tf: ['True', 'False'] },
  response: { abbrev: 'http.response', name: 'Response', type: 'bool', tf: ['True', 'False'] },
  request_number: { abbrev: 'http.request_number', name: 'Request number', type: 'uint', bits: 32 },
  response_number: { abbrev: 'http.response_number', name: 'Response number', type: 'uint', bits: 32 },
  authbasic: str('http.authbasic', 'Credentials'),
  response_line: str('http.response.line', 'Response line'),
  request_line: str('http.request.line', 'Request line'),
  method: str('http.request.method', 'Request Method'),
  uri: str('http.request.uri', 'Request URI'),
  uri_path: str('http.request.uri.path', 'Request URI Path'),
  uri_query: str('http.request.uri.query', 'Request URI Query'),
  uri_query_param: str('http.request.uri.query.parameter', 'Request URI Query Parameter'),
  req_version: str('http.request.version', 'Request Version'),
  resp_version: str('http.response.version', 'Response Version'),
  full_uri: str('http.request.full_uri', 'Full request URI'),
  code: { abbrev: 'http.response.code', name: 'Status Code', type: 'uint', bits: 16 },
  code_desc: str('http.response.code.desc', 'Status Code Description'),
  response_for_uri: str('http.response_for.uri', 'Request URI'),
  phrase: str('http.response.phrase', 'Response Phrase'),
  content_length: { abbrev: 'http.content_length', name: 'Content length', type: 'uint', bits: 64 },
  request_in: { abbrev: 'http.request_in', name: 'Request in frame', type: 'framenum' },
  response_in: { abbrev: 'http.response_in', name: 'Response in frame', type: 'framenum' },
  next_request_in: { abbrev: 'http.next_request_in', name: 'Next request in frame', type: 'framenum' },
  next_response_in: { abbrev: 'http.next_response_in', name: 'Next response in frame', type: 'framenum' },
  prev_request_in: { abbrev: 'http.prev_request_in', name: 'Prev request in frame', type: 'framenum' },
  prev_response_in: { abbrev: 'http.prev_response_in', name: 'Prev response in frame', type: 'framenum' },
  time: { abbrev: 'http.time', name: 'Time since request', type: 'time_rel' },
  chunk_boundary: { abbrev: 'http.chunk_boundary', name: 'Chunk boundary', type: 'bytes' },
  chunk_size: { abbrev: 'http.chunk_size', name: 'Chunk size', type: 'uint', bits: 32 },
  chunk_data: { abbrev: 'http.chunk_data', name: 'Chunk data', type: 'bytes' },
  chunked_trailer_part: str('http.chunked_trailer_part', 'trailer-part'),
  file_data: str('http.file_data', 'File Data'),
  unknown_header: str('http.unknown_header', 'Unknown header'),
  chat: { abbrev: 'http.chat', name: 'Formatted text', type: 'none' },
  cookie_pair: str('http.cookie_pair', 'Cookie pair'),
  decompression_failed: { abbrev: 'http.decompression_failed', name: 'Decompression failed', type: 'none' },
});

/** Headers with a field of their own (lower-case name → field). */
const HEADER_FIELDS: Record<string, FieldDef> = {};
const headerSpecs: [string, string, string][] = [
  ['authorization', 'http.authorization', 'Authorization'],
  ['proxy-authenticate', 'http.proxy_authenticate', 'Proxy-Authenticate'],
  ['proxy-authorization', 'http.proxy_authorization', 'Proxy-Authorization'],
  ['www-authenticate', 'http.www_authenticate', 'WWW-Authenticate'],
  ['content-type', 'http.content_type', 'Content-Type'],
  ['content-length', 'http.content_length_header', 'Content-Length'],
  ['content-encoding', 'http.content_encoding', 'Content-Encoding'],
  ['transfer-encoding', 'http.transfer_encoding', 'Transfer-Encoding'],
  ['upgrade', 'http.upgrade', 'Upgrade'],
  ['user-agent', 'http.user_agent', 'User-Agent'],
  ['host', 'http.host', 'Host'],
  ['connection', 'http.connection', 'Connection'],
  ['cookie', 'http.cookie', 'Cookie'],
  ['accept', 'http.accept', 'Accept'],
  ['referer', 'http.referer', 'Referer'],
  ['accept-language', 'http.accept_language', 'Accept-Language'],
  ['accept-encoding', 'http.accept_encoding', 'Accept Encoding'],
  ['date', 'http.date', 'Date'],
  ['cache-control', 'http.cache_control', 'Cache-Control'],
  ['server', 'http.server', 'Server'],
  ['location', 'http.location', 'Location'],
  ['sec-websocket-accept', 'http.sec_websocket_accept', 'Sec-WebSocket-Accept'],
  ['sec-websocket-extensions', 'http.sec_websocket_extensions', 'Sec-WebSocket-Extensions'],
  ['sec-websocket-key', 'http.sec_websocket_key', 'Sec-WebSocket-Key'],
  ['sec-websocket-protocol', 'http.sec_websocket_protocol', 'Sec-WebSocket-Protocol'],
  ['sec-websocket-version', 'http.sec_websocket_version', 'Sec-WebSocket-Version'],
  ['set-cookie', 'http.set_cookie', 'Set-Cookie'],
  ['last-modified', 'http.last_modified', 'Last-Modified'],
  ['x-forwarded-for', 'http.x_forwarded_for', 'X-Forwarded-For'],
  ['http2-settings', 'http.http2_settings', 'HTTP2-Settings'],
];
for (const [h, abbrev, name] of headerSpecs) HEADER_FIELDS[h] = fields({ f: str(abbrev, name) }).f;

/** Request methods tshark recognises at the start of a request line. */
const METHODS = new Set([
  'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'PROPFIND', 'PROPPATCH', 'MKCOL',
  'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'CHECKOUT', 'CHECKIN', 'UNCHECKOUT', 'MKWORKSPACE',
  'UPDATE', 'LABEL', 'MERGE', 'MKACTIVITY', 'VERSION-CONTROL', 'BASELINE-CONTROL', 'ORDERPATCH', 'ACL',
  'BIND', 'UNBIND', 'REBIND', 'MKCALENDAR', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE', 'M-SEARCH', 'POLL', 'BPROPFIND',
  'BPROPPATCH', 'BCOPY', 'BDELETE', 'BMOVE', 'RPC_IN_DATA', 'RPC_OUT_DATA', 'SSTP_DUPLEX_POST', 'PRI',
]);

// ---- conversation state: requests and responses in order ----

interface ReqRes {
  number: number;
  reqFrame: number;
  reqSec: number;
  reqNsec: number;
  resFrame: number;
  method: string;
  fullUri: string | undefined;
}

interface Conv {
  list: ReqRes[];
}

/** What one message learned about its place in the conversation (saved for later dissections). */
interface MsgInfo {
  number: number;
  prevReq: number;
  prevRes: number;
  /** responses: the request it answers */
  req: ReqRes | null;
  /** requests: its own entry (for response_in on later passes) */
  own: ReqRes | null;
}

function addrKey(a: Uint8Array | number | undefined): string {
  if (a === undefined) return '';
  return typeof a === 'number' ? String(a) : bytesToHex(a);
}

/** The TCP conversation key (both directions alike). */
export function tcpConvKey(pkt: Packet): string {
  const a = `${addrKey(pkt.p.srcAddr)}/${pkt.p.srcPort ?? 0}`;
  const b = `${addrKey(pkt.p.dstAddr)}/${pkt.p.dstPort ?? 0}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

interface HttpState {
  convs: Map<string, Conv>;
  /** conversations a heuristic found to be HTTP: later segments go to HTTP whatever they hold */
  claimed: Set<string>;
}

function state(pkt: Packet): HttpState {
  return pkt.session.state<HttpState>('http', () => ({ convs: new Map(), claimed: new Set() }));
}

function conv(pkt: Packet): Conv {
  const st = state(pkt);
  const k = tcpConvKey(pkt);
  let c = st.convs.get(k);
  if (!c) st.convs.set(k, (c = { list: [] }));
  return c;
}

function pairRequest(pkt: Packet, idx: number, method: string, fullUri: string | undefined): MsgInfo {
  const key = 'http.msg';
  if (!pkt.firstPass) {
    const saved = pkt.session.frameData<MsgInfo[]>(key, pkt.num)?.[idx];
    if (saved) return saved;
  }
  const c = conv(pkt);
  // the entry just before this one, whether or not it had a request
  const prevReq = c.list.length ? c.list[c.list.length - 1]!.reqFrame : 0;
  const own: ReqRes = {
    number: c.list.length + 1,
    reqFrame: pkt.num,
    reqSec: pkt.meta.tsSec,
    reqNsec: pkt.meta.tsNsec,
    resFrame: 0,
    method,
    fullUri,
  };
  if (!pkt.p.inError) c.list.push(own);
  const info: MsgInfo = { number: own.number, prevReq, prevRes: 0, req: null, own };
  save(pkt, key, idx, info);
  return info;
}

function pairResponse(pkt: Packet, idx: number): MsgInfo {
  const key = 'http.msg';
  if (!pkt.firstPass) {
    const saved = pkt.session.frameData<MsgInfo[]>(key, pkt.num)?.[idx];
    if (saved) return saved;
  }
  const c = conv(pkt);
  let entry = c.list.length ? c.list[c.list.length - 1]! : undefined;
  let matched: ReqRes | null = null;
  if (entry && entry.resFrame === 0 && entry.reqFrame !== 0) {
    entry.resFrame = pkt.num;
    matched = entry;
  } else {
    // a response nobody asked for gets an entry of its own
    entry = { number: c.list.length + 1, reqFrame: 0, reqSec: 0, reqNsec: 0, resFrame: pkt.num, method: '', fullUri: undefined };
    if (!pkt.p.inError) c.list.push(entry);
  }
  const i = c.list.indexOf(entry);
  const prev = i > 0 ? c.list[i - 1]! : undefined;
  const prevReq = prev ? prev.reqFrame : 0;
  const prevRes = prev ? prev.resFrame : 0;
  const info: MsgInfo = { number: entry.number, prevReq, prevRes, req: matched, own: null };
  save(pkt, key, idx, info);
  return info;
}

function save(pkt: Packet, key: string, idx: number, info: MsgInfo): void {
  if (!pkt.firstPass) return;
  const arr = pkt.session.frameData<MsgInfo[]>(key, pkt.num) ?? [];
  arr[idx] = info;
  pkt.session.setFrameData(key, pkt.num, arr);
}

// ---- parsing helpers ----

/** Will this packet keep items of field `f`? (Building a large value nobody keeps is wasted work.) */
function wants(pkt: Packet, f: FieldDef): boolean {
  const k = pkt.keep;
  return k === 'all' || (k !== 'none' && k.has(f.id));
}

function latin1(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]!);
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A string field's value from bytes, as Wireshark stores it: up to the first NUL, UTF-8 with replacement characters. */
function stringValue(b: Uint8Array, s: number, e: number): string {
  const nul = b.subarray(s, e).indexOf(0);
  return utf8.decode(b.subarray(s, nul < 0 ? e : s + nul));
}

/** End of the line starting at `off` (index of '\n'), or -1 if not within the captured bytes. */
function findLineEnd(b: Uint8Array, off: number): number {
  return b.indexOf(0x0a, off);
}

/** Length of a line without its terminator (CRLF or LF). */
function lineContentEnd(b: Uint8Array, start: number, nl: number): number {
  return nl > start && b[nl - 1] === 0x0d ? nl - 1 : nl;
}

type Kind = 'request' | 'response';

/** Is `line` an HTTP request or status line? */
function classify(line: string): { kind: Kind; method?: string } | null {
  if (/^HTTP\/\d\.\d /.test(line) || /^HTTP\/\d\.\d$/.test(line) || /^HTTP\/\d /.test(line)) return { kind: 'response' };
  const sp = line.indexOf(' ');
  if (sp <= 0) return null;
  const m = line.slice(0, sp);
  if (!METHODS.has(m)) return null;
  return { kind: 'request', method: m };
}

function base64Decode(s: string): string | null {
  const t = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return null;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const ch of t) {
    if (ch === '=') break;
    acc = (acc << 6) | alphabet.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}

interface Header {
  name: string;
  value: string;
  start: number;
  /** end including the line terminator */
  end: number;
  raw: string;
}

// ---- the message ----

/**
 * Dissect one HTTP message starting at `off`. Returns the bytes it used, or -1 after asking TCP for more
 * (the caller then stops).
 */
function dissectMessage(tvb: Tvb, off: number, pkt: Packet, parent: Item | null, idx: number): number {
  const b = tvb.bytes;
  const nl = findLineEnd(b, off);
  const firstEnd = nl < 0 ? b.length : lineContentEnd(b, off, nl);
  const firstLine = latin1(b, off, firstEnd);
  const cls = classify(firstLine);
  const seen = conv(pkt).list.length > 0 || idx > 0;
  if (!cls && nl < 0 && pkt.p.canDesegment && (seen || couldStartMessage(firstLine))) {
    // the first line is not complete yet
    pkt.p.desegmentOffset = off;
    pkt.p.desegmentLen = DESEGMENT_ONE_MORE_SEGMENT;
    return -1;
  }
  if (!cls) {
    // Before any message in the conversation, stray bytes are left unshown, as tshark does.
    if (!seen) return tvb.reported - off;
    // Otherwise they are body bytes we could not place.
    if (idx === 0) pkt.info.set('Continuation');
    pkt.protocolCol.set('HTTP');
    const top = pkt.proto(parent, proto_http, tvb, off, -1);
    const rest = tvb.sub(off);
    pkt.add(top, hf.file_data, tvb, off, rest.length, wants(pkt, hf.file_data) ? stringValue(b, off, b.length) : undefined, `File Data: ${rest.reported} bytes`);
    dissectMediaBody(rest, pkt, parent, '');
    return tvb.reported - off;
  }
  pkt.protocolCol.set('HTTP');
  if (idx === 0) pkt.info.set(formatText(b.subarray(off, firstEnd)) + ' ');
  else pkt.info.append(formatText(b.subarray(off, firstEnd)) + ' ');

  // Headers: up to the empty line.
  const headers: Header[] = [];
  let p = nl < 0 ? b.length : nl + 1;
  let headersEnd = -1;
  while (nl >= 0 && p < b.length) {
    const e = findLineEnd(b, p);
    if (e < 0) break;
    const ce = lineContentEnd(b, p, e);
    if (ce === p) {
      headersEnd = e + 1;
      break;
    }
    const raw = stringValue(b, p, ce);
    const colon = raw.indexOf(':');
    const name = colon >= 0 ? raw.slice(0, colon) : raw;
    const value = colon >= 0 ? raw.slice(colon + 1).replace(/^[ \t]+/, '').replace(/[ \t]+$/, '') : '';
    headers.push({ name, value, start: p, end: e + 1, raw });
    p = e + 1;
  }
  if (headersEnd < 0) {
    if (pkt.p.canDesegment && tvb.reported === tvb.length) {
      pkt.p.desegmentOffset = off;
      pkt.p.desegmentLen = DESEGMENT_ONE_MORE_SEGMENT;
      return -1;
    }
  }

  const hget = (n: string) => headers.find((h) => h.name.toLowerCase() === n)?.value;
  const isRequest = cls.kind === 'request';
  let code = 0;
  if (!isRequest) {
    const m = /^HTTP\/\S*\s+(\d{3})/.exec(firstLine);
    code = m ? Number(m[1]) : 0;
  }
  const st = state(pkt);
  st.claimed.add(tcpConvKey(pkt));

  // Body length
  const clHeader = hget('content-length');
  const te = hget('transfer-encoding');
  const chunked = te !== undefined && /chunked/i.test(te);
  const contentLength = clHeader !== undefined && /^\d+$/.test(clHeader.trim()) ? Number(clHeader.trim()) : undefined;
  const bodyStart = headersEnd < 0 ? b.length : headersEnd;
  const c = conv(pkt);
  const lastReq = c.list.length ? c.list[c.list.length - 1] : undefined;
  const headResponse = !isRequest && lastReq !== undefined && lastReq.resFrame === 0 && lastReq.method === 'HEAD';
  const noBody = !isRequest && (headResponse || (code >= 100 && code < 200) || code === 204 || code === 304);
  let bodyLen = 0;
  let chunks: { sizeLineStart: number; sizeLineEnd: number; size: number; dataStart: number }[] | null = null;
  let chunkEnd = 0;
  if (headersEnd >= 0 && !noBody) {
    if (chunked) {
      const r = parseChunks(b, bodyStart);
      if (!r.complete) {
        if (pkt.p.canDesegment) {
          pkt.p.desegmentOffset = off;
          pkt.p.desegmentLen = DESEGMENT_ONE_MORE_SEGMENT;
          return -1;
        }
      }
      chunks = r.chunks;
      chunkEnd = r.end;
      bodyLen = r.end - bodyStart;
    } else if (contentLength !== undefined) {
      const avail = tvb.reported - bodyStart;
      if (avail < contentLength && pkt.p.canDesegment) {
        pkt.p.desegmentOffset = off;
        pkt.p.desegmentLen = contentLength - avail;
        return -1;
      }
      bodyLen = Math.min(contentLength, avail);
    } else if (!isRequest) {
      // No length: the body runs until the connection closes.
      if (pkt.p.canDesegment && !pkt.p.tcpFin) {
        pkt.p.desegmentOffset = off;
        pkt.p.desegmentLen = DESEGMENT_UNTIL_FIN;
        return -1;
      }
      bodyLen = tvb.reported - bodyStart;
    }
  }
  const msgEnd = headersEnd < 0 ? tvb.reported : bodyStart + bodyLen;

  // ---- tree ----
  const top = pkt.proto(parent, proto_http, tvb, off, msgEnd - off);
  const firstLen = (nl < 0 ? b.length : nl + 1) - off;
  const chatText = formatText(b.subarray(off, off + firstLen));
  const fl = pkt.text(top, tvb, off, firstLen, chatText);
  pkt.expert(fl, 'chat', 'sequence', chatText, hf.chat);
  let fullUri: string | undefined;
  const host = hget('host');
  if (isRequest) {
    const parts = firstLine.split(' ');
    const method = cls.method!;
    // as tshark: the URI ends at the first space after it; whatever follows is the version, spaces and all
    const uri = parts[1] ?? '';
    const version = parts.length >= 3 ? parts.slice(2).join(' ') : '';
    pkt.add(fl, hf.method, tvb, off, method.length, method);
    const uriOff = off + method.length + 1;
    const uriItem = pkt.add(fl, hf.uri, tvb, uriOff, uri.length, uri);
    const q = uri.indexOf('?');
    if (q >= 0) {
      pkt.add(uriItem, hf.uri_path, tvb, uriOff, q, uri.slice(0, q));
      const query = uri.slice(q + 1);
      const qi = pkt.add(uriItem, hf.uri_query, tvb, uriOff + q + 1, query.length, query);
      let qo = uriOff + q + 1;
      for (const param of query.split('&')) {
        if (param) pkt.add(qi, hf.uri_query_param, tvb, qo, param.length, param);
        qo += param.length + 1;
      }
    }
    if (version) pkt.add(fl, hf.req_version, tvb, off + firstLine.length - version.length, version.length, version);
    if (host !== undefined) fullUri = uri.startsWith('/') || uri === '*' ? `http://${host}${uri}` : uri;
    else if (/^[a-z]+:\/\//i.test(uri)) fullUri = uri;
  } else {
    const m = /^(\S+)\s+(\d{3})(?:\s(.*))?$/.exec(firstLine);
    const version = m ? m[1]! : firstLine.split(' ')[0]!;
    pkt.add(fl, hf.resp_version, tvb, off, version.length, version);
    if (m) {
      const codeOff = off + firstLine.indexOf(m[2]!, version.length);
      pkt.add(fl, hf.code, tvb, codeOff, 3, code);
      pkt.add(fl, hf.code_desc, tvb, codeOff, 3, STATUS[code] ?? `Unknown (${code})`, undefined, GENERATED);
      if (m[3] !== undefined) pkt.add(fl, hf.phrase, tvb, codeOff + 4, m[3].length, m[3]);
    }
  }

  const lineField = isRequest ? hf.request_line : hf.response_line;
  let contentType = '';
  for (const h of headers) {
    const lname = h.name.toLowerCase();
    const label = formatText(b.subarray(h.start, h.end));
    const f = HEADER_FIELDS[lname];
    const len = h.end - h.start;
    let it: Item;
    if (f) {
      it = pkt.add(top, f, tvb, h.start, len, h.value, label);
    } else {
      it = pkt.text(top, tvb, h.start, len, label);
    }
    pkt.add(top, lineField, tvb, h.start, len, latin1(b, h.start, h.end), undefined, HIDDEN);
    if (lname === 'content-length' && contentLength !== undefined) {
      pkt.add(it, hf.content_length, tvb, h.start, len, contentLength, undefined, GENERATED);
    } else if (lname === 'content-type') {
      contentType = h.value.split(';')[0]!.trim().toLowerCase();
    } else if ((lname === 'authorization' || lname === 'proxy-authorization') && /^basic\s/i.test(h.value)) {
      const dec = base64Decode(h.value.slice(6).trim());
      if (dec !== null) pkt.add(it, hf.authbasic, tvb, h.start, len, dec);
    } else if (lname === 'cookie') {
      for (const pair of h.value.split(';')) {
        const v = pair.trim();
        if (v) pkt.add(it, hf.cookie_pair, tvb, h.start, len, v);
      }
    }
  }
  if (headersEnd >= 0) pkt.text(top, tvb, headersEnd - (b[headersEnd - 2] === 0x0d ? 2 : 1), b[headersEnd - 2] === 0x0d ? 2 : 1, b[headersEnd - 2] === 0x0d ? '\\r\\n' : '\\n');

  // pairing and generated items
  if (isRequest) {
    if (fullUri !== undefined) pkt.add(top, hf.full_uri, tvb, off, 0, fullUri, undefined, GENERATED);
    pkt.add(top, hf.request, tvb, off, 0, 1, undefined, HIDDEN);
    const mi = pairRequest(pkt, idx, cls.method!, fullUri);
    pkt.add(top, hf.request_number, tvb, off, 0, mi.number, pkt.tree ? `HTTP request ${mi.number}/${mi.number}` : undefined, GENERATED);
    if (mi.prevReq) pkt.gen(top, hf.prev_request_in, mi.prevReq);
    if (!pkt.firstPass && mi.own && mi.own.resFrame) pkt.gen(top, hf.response_in, mi.own.resFrame);
  } else {
    pkt.add(top, hf.response, tvb, off, 0, 1, undefined, HIDDEN);
    const mi = pairResponse(pkt, idx);
    pkt.add(top, hf.response_number, tvb, off, 0, mi.number, pkt.tree ? `HTTP response ${mi.number}/${mi.number}` : undefined, GENERATED);
    if (mi.req) {
      const dt = pkt.meta.tsSec - mi.req.reqSec + (pkt.meta.tsNsec - mi.req.reqNsec) / 1e9;
      pkt.gen(top, hf.time, dt);
    }
    if (mi.prevReq) pkt.gen(top, hf.prev_request_in, mi.prevReq);
    if (mi.prevRes) pkt.gen(top, hf.prev_response_in, mi.prevRes);
    if (mi.req) {
      pkt.gen(top, hf.request_in, mi.req.reqFrame);
      if (mi.req.fullUri !== undefined) pkt.gen(top, hf.response_for_uri, mi.req.fullUri);
    }
  }

  // body
  if (bodyLen > 0) {
    let body: Tvb;
    if (chunks) {
      const ct = pkt.add(top, proto_http_chunked, tvb, bodyStart, chunkEnd - bodyStart, undefined, `HTTP chunked ${isRequest ? 'request' : 'response'}`);
      const parts: Uint8Array[] = [];
      for (const ch of chunks) {
        if (ch.size === 0) {
          const end = pkt.text(ct, tvb, ch.sizeLineStart, ch.dataStart - ch.sizeLineStart, 'End of chunked encoding');
          pkt.add(end, hf.chunk_size, tvb, ch.sizeLineStart, ch.sizeLineEnd - ch.sizeLineStart, 0, 'Chunk size: 0 octets');
          continue;
        }
        const dc = pkt.text(ct, tvb, ch.sizeLineStart, ch.dataStart + ch.size + 2 - ch.sizeLineStart, `Data chunk (${ch.size} octets)`);
        pkt.add(dc, hf.chunk_size, tvb, ch.sizeLineStart, ch.sizeLineEnd - ch.sizeLineStart, ch.size, `Chunk size: ${ch.size} octet${ch.size === 1 ? '' : 's'}`);
        const avail = Math.max(0, Math.min(ch.size, b.length - ch.dataStart));
        const data = b.subarray(ch.dataStart, ch.dataStart + avail);
        pkt.add(dc, hf.chunk_data, tvb, ch.dataStart, avail, data, pkt.tree ? `Chunk data: ${hexPreview(data)}` : undefined);
        if (ch.dataStart + ch.size + 2 <= b.length) pkt.item(dc, hf.chunk_boundary, tvb, ch.dataStart + ch.size, 2);
        parts.push(data);
      }
      // the trailer's closing empty line
      const last = chunks[chunks.length - 1];
      if (last && last.size === 0 && last.dataStart < chunkEnd) pkt.text(ct, tvb, last.dataStart, chunkEnd - last.dataStart, '\\r\\n');
      const total = parts.reduce((n, x) => n + x.length, 0);
      const joined = new Uint8Array(total);
      let o = 0;
      for (const x of parts) {
        joined.set(x, o);
        o += x.length;
      }
      body = pkt.addSource('De-chunked entity body', joined);
    } else {
      body = tvb.sub(bodyStart, bodyLen);
    }
    const coding = (hget('content-encoding') ?? '').trim().toLowerCase();
    let undecodable = false;
    if (body.reported > 0 && (coding === 'gzip' || coding === 'x-gzip' || coding === 'deflate')) {
      let plain: Uint8Array | null = null;
      try {
        plain = coding === 'deflate' ? inflateAny(body.bytes) : gunzip(body.bytes);
      } catch {
        plain = null;
      }
      const label = `Content-encoded entity body (${coding}): ${body.reported} bytes`;
      if (plain) {
        pkt.text(top, body, 0, body.length, `${label} -> ${plain.length} bytes`);
        body = pkt.addSource('Uncompressed entity body', plain);
      } else {
        const ce = pkt.text(top, body, 0, body.length, label);
        pkt.expert(ce, 'warn', 'undecoded', 'Decompression failed', hf.decompression_failed);
        dissectData(body, pkt, ce);
        undecodable = true;
      }
    }
    if (body.reported > 0 && !undecodable) {
      pkt.add(top, hf.file_data, body, 0, body.length, wants(pkt, hf.file_data) ? stringValue(body.bytes, 0, body.length) : undefined, `File Data: ${body.reported} bytes`);
      // a 206 carries a byte range, not a whole entity of its type
      dissectMediaBody(body, pkt, parent, code === 206 ? '' : contentType);
    }
  }
  return msgEnd - off;
}

const proto_http_chunked = fields({ f: { abbrev: 'http.chunked', name: 'HTTP chunked', type: 'none' } }).f;

function hexPreview(b: Uint8Array): string {
  const n = Math.min(b.length, 36);
  return bytesToHex(b.subarray(0, n)) + (b.length > n ? '…' : '');
}

/** Walk chunked encoding from `start`: chunk heads, data, and the trailer up to its empty line. */
function parseChunks(
  b: Uint8Array,
  start: number,
): { complete: boolean; end: number; chunks: { sizeLineStart: number; sizeLineEnd: number; size: number; dataStart: number }[] } {
  const chunks: { sizeLineStart: number; sizeLineEnd: number; size: number; dataStart: number }[] = [];
  let p = start;
  for (;;) {
    const nl = b.indexOf(0x0a, p);
    if (nl < 0) return { complete: false, end: b.length, chunks };
    const line = latin1(b, p, lineContentEnd(b, p, nl));
    const size = parseInt(line.split(';')[0]!.trim(), 16);
    if (Number.isNaN(size)) return { complete: true, end: p, chunks };
    const c = { sizeLineStart: p, sizeLineEnd: nl + 1, size, dataStart: nl + 1 };
    chunks.push(c);
    if (size === 0) {
      // trailer lines until an empty one
      let q = nl + 1;
      for (;;) {
        const e = b.indexOf(0x0a, q);
        if (e < 0) return { complete: false, end: b.length, chunks };
        const empty = lineContentEnd(b, q, e) === q;
        q = e + 1;
        if (empty) return { complete: true, end: q, chunks };
      }
    }
    p = nl + 1 + size + 2;
    if (p > b.length) return { complete: false, end: b.length, chunks };
  }
}

/** HTTP over TCP: one or more messages per (reassembled) segment. */
export function dissectHttp(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  let off = 0;
  let idx = 0;
  while (off < tvb.reported) {
    let used = -1;
    const ok = pkt.guard('HTTP', () => {
      used = dissectMessage(tvb, off, pkt, parent, idx);
    });
    if (!ok || used <= 0) break;
    off += used;
    idx++;
  }
  return tvb.reported;
}

/** Could this unfinished first line still become a request or status line? */
function couldStartMessage(line: string): boolean {
  if (line.length === 0) return false;
  if ('HTTP/'.startsWith(line.slice(0, 5)) || line.startsWith('HTTP/')) return true;
  const sp = line.indexOf(' ');
  const word = sp < 0 ? line : line.slice(0, sp);
  if (sp >= 0) return METHODS.has(word);
  for (const m of METHODS) if (m.startsWith(word)) return true;
  return false;
}

/** Does the data start like an HTTP request or response line? */
function looksLikeHttp(tvb: Tvb): boolean {
  const b = tvb.bytes;
  const n = Math.min(b.length, 64);
  let line = '';
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0x0d || c === 0x0a) break;
    line += String.fromCharCode(c);
  }
  if (/^HTTP\/\d\.\d \d{3}/.test(line)) return true;
  const sp = line.indexOf(' ');
  return sp > 0 && METHODS.has(line.slice(0, sp)) && (/ HTTP\/\d\.\d$/.test(line) || line.length === n);
}

/** The TCP heuristic: HTTP on any port, remembered for the rest of the conversation. */
function heurHttp(tvb: Tvb, pkt: Packet, parent: Item | null): number | boolean {
  const st = state(pkt);
  if (!st.claimed.has(tcpConvKey(pkt)) && !looksLikeHttp(tvb)) return false;
  return dissectHttp(tvb, pkt, parent);
}

for (const port of [80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710, 631, 3689]) {
  register('tcp.port', port, dissectHttp);
}
registerHeuristic('tcp', heurHttp);
