// Capture file writers: pcap and pcapng, for File › Export Specified Packets. Packet bytes, lengths and
// timestamps are written as read. A pcap exported from a pcap copies the file header and each record
// (header and data) byte for byte; a pcapng keeps the interfaces (names, descriptions, link types,
// snapshot lengths, timestamp resolutions and offsets), the section's comments, hardware, OS and
// application, and each packet's comments and flags.

import type { CaptureInfo, InterfaceInfo } from './reader';

export type WriteFormat = 'pcap' | 'pcapng';

/** One frame to write (what the reader found for it). */
export interface WriteFrame {
  bytes: Uint8Array;
  origLen: number;
  tsSec: number;
  tsNsec: number;
  /** global interface index */
  iface: number;
  comments: readonly string[];
  /** pcapng epb_flags, or -1 / undefined */
  flags?: number;
  hasTs: boolean;
  /** the record as it is in the source file (pcap only: 16-byte header + data), to copy unchanged */
  raw?: Uint8Array;
}

export class WriteError extends Error {}

/** A growable little-endian byte buffer. */
class Buf {
  private b = new Uint8Array(1 << 16);
  private dv = new DataView(this.b.buffer);
  n = 0;
  private need(k: number): void {
    if (this.n + k <= this.b.length) return;
    let size = this.b.length * 2;
    while (size < this.n + k) size *= 2;
    const nb = new Uint8Array(size);
    nb.set(this.b.subarray(0, this.n));
    this.b = nb;
    this.dv = new DataView(nb.buffer);
  }
  u16(v: number): void {
    this.need(2);
    this.dv.setUint16(this.n, v, true);
    this.n += 2;
  }
  u32(v: number): void {
    this.need(4);
    this.dv.setUint32(this.n, v >>> 0, true);
    this.n += 4;
  }
  i64(v: bigint): void {
    this.need(8);
    this.dv.setBigInt64(this.n, v, true);
    this.n += 8;
  }
  bytes(v: Uint8Array): void {
    this.need(v.length);
    this.b.set(v, this.n);
    this.n += v.length;
  }
  pad4(): void {
    while (this.n % 4) {
      this.need(1);
      this.b[this.n++] = 0;
    }
  }
  setU32(at: number, v: number): void {
    this.dv.setUint32(at, v >>> 0, true);
  }
  result(): Uint8Array {
    return this.b.slice(0, this.n);
  }
}

const utf8 = new TextEncoder();

/** Whether any interface stores timestamps finer than microseconds. */
function nanoseconds(info: CaptureInfo): boolean {
  return info.format === 'pcap-nsec' || info.interfaces.some((i) => i.tsUnitsPerSec > 1e6);
}

/**
 * A pcap file. `header` is the source's 24-byte pcap header, when the source is a pcap (it is copied, and
 * so are frames' `raw` records); otherwise a little-endian header is made (nanosecond magic when the
 * source's timestamps are finer than microseconds). All frames must share one link type.
 */
export function writePcap(info: CaptureInfo, frames: Iterable<WriteFrame>, header?: Uint8Array): Uint8Array {
  const linkTypes = new Set(info.interfaces.map((i) => i.linkType));
  const out = new Buf();
  const first = [...frames];
  const used = new Set(first.map((f) => info.interfaces[f.iface]?.linkType ?? -1));
  if (used.size > 1 || (used.size === 0 && linkTypes.size > 1)) {
    throw new WriteError('The packets have more than one link-layer type; pcap holds only one. Export as pcapng instead.');
  }
  const iface: InterfaceInfo | undefined = info.interfaces[first[0]?.iface ?? 0] ?? info.interfaces[0];
  const copy = header && header.length === 24;
  const nsec = copy ? info.format === 'pcap-nsec' : nanoseconds(info);
  if (copy) out.bytes(header);
  else {
    out.u32(nsec ? 0xa1b23c4d : 0xa1b2c3d4);
    out.u16(2);
    out.u16(4);
    out.u32(0); // thiszone
    out.u32(0); // sigfigs
    out.u32(Math.max(...info.interfaces.map((i) => i.snaplen || 262144), 0) || 262144);
    out.u32(iface?.linkType ?? 1);
  }
  for (const f of first) {
    if (copy && f.raw && f.raw.length === 16 + f.bytes.length) {
      out.bytes(f.raw);
      continue;
    }
    // (a copied header keeps its byte order; records written anew must follow it)
    const le = !copy || header[0] === 0xd4 || header[0] === 0x4d;
    const rec = new Uint8Array(16);
    const dv = new DataView(rec.buffer);
    const sec = f.hasTs ? f.tsSec : 0;
    const frac = f.hasTs ? (nsec ? f.tsNsec : Math.floor(f.tsNsec / 1000)) : 0;
    dv.setUint32(0, sec >>> 0, le);
    dv.setUint32(4, frac, le);
    dv.setUint32(8, f.bytes.length, le);
    dv.setUint32(12, f.origLen, le);
    out.bytes(rec);
    out.bytes(f.bytes);
  }
  return out.result();
}

function option(out: Buf, code: number, value: Uint8Array): void {
  out.u16(code);
  out.u16(value.length);
  out.bytes(value);
  out.pad4();
}

/** Write one block: type, length, body written by `body`, length again. */
function block(out: Buf, type: number, body: () => void): void {
  const start = out.n;
  out.u32(type);
  out.u32(0);
  body();
  out.pad4();
  const len = out.n - start + 4;
  out.u32(len);
  out.setU32(start + 4, len);
}

/** if_tsresol's byte for a number of units per second (10^n or 2^n). */
function tsresolByte(units: number): number | null {
  const d = Math.round(Math.log10(units));
  if (10 ** d === units) return d === 6 ? null : d;
  const b = Math.round(Math.log2(units));
  if (2 ** b === units) return 0x80 | b;
  return 9;
}

/** A pcapng file with one section: the source's interfaces (in order, so interface ids stay) and comments. */
export function writePcapng(info: CaptureInfo, frames: Iterable<WriteFrame>, opts: { application?: string } = {}): Uint8Array {
  const out = new Buf();
  // Section Header Block
  block(out, 0x0a0d0d0a, () => {
    out.u32(0x1a2b3c4d);
    out.u16(1);
    out.u16(0);
    out.i64(-1n);
    for (const c of info.sectionComments) option(out, 1, utf8.encode(c));
    if (info.hardware) option(out, 2, utf8.encode(info.hardware));
    if (info.os) option(out, 3, utf8.encode(info.os));
    const app = info.application || opts.application;
    if (app) option(out, 4, utf8.encode(app));
    out.u32(0); // opt_endofopt
  });
  // Interface Description Blocks
  const nsecPcap = info.format === 'pcap-nsec';
  const units = info.interfaces.map((i) => (info.format === 'pcapng' ? i.tsUnitsPerSec : nsecPcap ? 1e9 : 1e6));
  info.interfaces.forEach((iface, k) => {
    block(out, 1, () => {
      out.u16(iface.linkType);
      out.u16(0);
      out.u32(iface.snaplen);
      if (iface.name) option(out, 2, utf8.encode(iface.name));
      if (iface.description) option(out, 3, utf8.encode(iface.description));
      const r = tsresolByte(units[k]!);
      if (r !== null) option(out, 9, new Uint8Array([r]));
      if (iface.tsOffset) {
        const v = new Uint8Array(8);
        new DataView(v.buffer).setBigInt64(0, BigInt(iface.tsOffset), true);
        option(out, 14, v);
      }
      out.u32(0);
    });
  });
  // Enhanced Packet Blocks (Simple Packet Blocks for records without a timestamp)
  for (const f of frames) {
    if (!f.hasTs && f.iface === 0 && !f.comments.length) {
      block(out, 3, () => {
        out.u32(f.origLen);
        out.bytes(f.bytes);
      });
      continue;
    }
    const iface = info.interfaces[f.iface];
    const u = units[f.iface] ?? 1e6;
    let ts = 0n;
    if (f.hasTs) {
      const sec = BigInt(f.tsSec - (iface?.tsOffset ?? 0));
      const U = BigInt(Math.round(u));
      ts = sec * U + (BigInt(f.tsNsec) * U) / 1_000_000_000n;
    }
    block(out, 6, () => {
      out.u32(f.iface);
      out.u32(Number((ts >> 32n) & 0xffffffffn));
      out.u32(Number(ts & 0xffffffffn));
      out.u32(f.bytes.length);
      out.u32(f.origLen);
      out.bytes(f.bytes);
      out.pad4();
      let any = false;
      for (const c of f.comments) {
        option(out, 1, utf8.encode(c));
        any = true;
      }
      if (f.flags !== undefined && f.flags >= 0) {
        const v = new Uint8Array(4);
        new DataView(v.buffer).setUint32(0, f.flags, true);
        option(out, 2, v);
        any = true;
      }
      if (any) out.u32(0);
    });
  }
  return out.result();
}
