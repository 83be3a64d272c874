// HTTP message bodies by media type: line-based text, XML, JSON, images, other media, or plain data.
import { fields, protocol } from '../fields/registry';
import type { Item, Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { dissectData } from './data';

export const proto_text_lines = protocol('data-text-lines', 'Line-based text data');
export const proto_xml = protocol('xml', 'eXtensible Markup Language');
export const proto_json = protocol('json', 'JavaScript Object Notation');
export const proto_media = protocol('media', 'Media Type');
export const proto_png = protocol('png', 'Portable Network Graphics');
export const proto_jfif = protocol('image-jfif', 'JPEG File Interchange Format');
export const proto_gif = protocol('image-gif', 'Compuserve GIF');

const hf = fields({
  media_type: { abbrev: 'media.type', name: 'Media type', type: 'bytes' },
  png_signature: { abbrev: 'png.signature', name: 'PNG Signature', type: 'bytes' },
  gif_version: { abbrev: 'image-gif.version', name: 'Version', type: 'string' },
});

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Display text of a byte run as Wireshark's format_text writes it: UTF-8, C escapes for control characters. */
export function formatText(b: Uint8Array): string {
  const t = utf8.decode(b);
  let s = '';
  for (const ch of t) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c !== 0x7f) {
      s += ch;
      continue;
    }
    switch (c) {
      case 0x07: s += '\\a'; break;
      case 0x08: s += '\\b'; break;
      case 0x0c: s += '\\f'; break;
      case 0x0a: s += '\\n'; break;
      case 0x0d: s += '\\r'; break;
      case 0x09: s += '\\t'; break;
      case 0x0b: s += '\\v'; break;
      default: s += '\\' + c.toString(8).padStart(3, '0');
    }
  }
  return s;
}

function isTextType(t: string): boolean {
  if (t === 'text/xml') return false;
  return t.startsWith('text/') || t === 'application/x-javascript' || t === 'application/x-tia-rsp-xml';
}

function isXmlType(t: string): boolean {
  return t === 'text/xml' || t === 'application/xml' || t.endsWith('+xml');
}

function isJsonType(t: string): boolean {
  return t === 'application/json' || t === 'application/json-rpc' || t === 'application/jsonrequest' || t.endsWith('+json');
}

function startsWith(b: Uint8Array, sig: readonly number[]): boolean {
  if (b.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[i] !== sig[i]) return false;
  return true;
}

/** An XML declaration naming its encoding makes line-based text hand the body to XML. */
function hasXmlEncodingDecl(b: Uint8Array): boolean {
  if (!startsWith(b, [0x3c, 0x3f, 0x78, 0x6d, 0x6c])) return false;
  let end = b.indexOf(0x3e);
  if (end < 0) end = Math.min(b.length, 256);
  let s = '';
  for (let i = 0; i < end; i++) s += String.fromCharCode(b[i]!);
  return s.includes('encoding');
}

function lineBasedText(tvb: Tvb, pkt: Packet, parent: Item | null, mediaType: string): void {
  const b = tvb.bytes;
  // without a tree nobody reads the line count or the lines: skip scanning what can be megabytes
  if (!pkt.tree) {
    pkt.proto(parent, proto_text_lines, tvb, 0, -1, 'Line-based text data');
    return;
  }
  // a line ends at CRLF, LF, or a lone CR
  const lines: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0x0a || (c === 0x0d && b[i + 1] !== 0x0a)) {
      lines.push([start, i + 1]);
      start = i + 1;
    }
  }
  if (start < b.length) lines.push([start, b.length]);
  const top = pkt.proto(parent, proto_text_lines, tvb, 0, -1, `Line-based text data: ${mediaType} (${lines.length} lines)`);
  for (const [s, e] of lines) pkt.text(top, tvb, s, e - s, formatText(b.subarray(s, e)));
}

function xml(tvb: Tvb, pkt: Packet, parent: Item | null): void {
  pkt.proto(parent, proto_xml, tvb, 0, -1);
  pkt.protocolCol.append('/XML');
}

/**
 * Hand an HTTP body to the dissector for its media type, as tshark's HTTP does.
 * `mediaType` is the Content-Type without parameters, lower-cased ('' when absent).
 */
export function dissectMediaBody(tvb: Tvb, pkt: Packet, parent: Item | null, mediaType: string): void {
  const b = tvb.bytes;
  if (!mediaType) {
    dissectData(tvb, pkt, parent);
    return;
  }
  if (isTextType(mediaType)) {
    if (hasXmlEncodingDecl(b)) {
      pkt.layers.push('data-text-lines');
      xml(tvb, pkt, parent);
      return;
    }
    lineBasedText(tvb, pkt, parent, mediaType);
    pkt.info.append(` (${mediaType})`);
    return;
  }
  if (isXmlType(mediaType)) {
    xml(tvb, pkt, parent);
    return;
  }
  if (isJsonType(mediaType)) {
    pkt.proto(parent, proto_json, tvb, 0, -1, `JavaScript Object Notation: ${mediaType}`);
    pkt.protocolCol.append('/JSON');
    pkt.info.append(`, JavaScript Object Notation (${mediaType})`);
    return;
  }
  if (mediaType === 'application/octet-stream' || mediaType.startsWith('multipart/')) {
    dissectData(tvb, pkt, parent);
    return;
  }
  if (mediaType === 'image/png' && startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    const top = pkt.proto(parent, proto_png, tvb, 0, -1);
    pkt.item(top, hf.png_signature, tvb, 0, 8);
    pkt.info.append(' (PNG)');
    return;
  }
  if ((mediaType === 'image/jpeg' || mediaType === 'image/jpg' || mediaType === 'image/pjpeg') && startsWith(b, [0xff, 0xd8])) {
    pkt.proto(parent, proto_jfif, tvb, 0, -1);
    pkt.info.append(' (JPEG JFIF image)');
    return;
  }
  if (mediaType === 'image/gif' && b.length >= 6) {
    let sig = '';
    for (let i = 0; i < 6; i++) sig += String.fromCharCode(b[i]!);
    if (sig === 'GIF87a' || sig === 'GIF89a') {
      const top = pkt.proto(parent, proto_gif, tvb, 0, -1, `Compuserve GIF, Version: ${sig}`);
      pkt.add(top, hf.gif_version, tvb, 0, 6, sig);
      pkt.info.append(` (${sig})`);
      return;
    }
  }
  const top = pkt.proto(parent, proto_media, tvb, 0, -1, `Media Type`);
  pkt.add(top, hf.media_type, tvb, 0, b.length, b, `Media type: ${mediaType} (${tvb.reported} byte${tvb.reported === 1 ? '' : 's'})`);
  pkt.info.append(` (${mediaType})`);
}
