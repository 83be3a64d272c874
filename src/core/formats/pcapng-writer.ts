// A minimal pcapng writer: one section header, one interface description per interface, and an
// enhanced packet block per frame (with its comments). Used to save a live capture.

export interface WriterInterface {
  linkType: number;
  snaplen: number;
  /** units per second of the interface's timestamps (1e6 = µs, 1e9 = ns); other values are written in µs */
  tsUnitsPerSec: number;
  name?: string;
}

export interface WriterFrame {
  /** index into the interfaces */
  iface: number;
  tsSec: number;
  tsNsec: number;
  origLen: number;
  bytes: Uint8Array;
  comments?: readonly string[] | null;
}

const utf8 = new TextEncoder();
const pad4 = (n: number) => (n + 3) & ~3;

/** Little-endian pcapng blocks, collected into one buffer. */
class BlockWriter {
  private parts: Uint8Array[] = [];
  private total = 0;

  /** A block of `type` whose body is `body` followed by `options` (code, value) and opt_endofopt. */
  block(type: number, body: Uint8Array, options: [number, Uint8Array][] = []): void {
    let optLen = 0;
    for (const [, v] of options) optLen += 4 + pad4(v.length);
    if (options.length) optLen += 4;
    const len = 12 + pad4(body.length) + optLen;
    const b = new Uint8Array(len);
    const d = new DataView(b.buffer);
    d.setUint32(0, type, true);
    d.setUint32(4, len, true);
    b.set(body, 8);
    let o = 8 + pad4(body.length);
    for (const [code, v] of options) {
      d.setUint16(o, code, true);
      d.setUint16(o + 2, v.length, true);
      b.set(v, o + 4);
      o += 4 + pad4(v.length);
    }
    if (options.length) o += 4; // opt_endofopt: code 0, length 0
    d.setUint32(o, len, true);
    this.parts.push(b);
    this.total += len;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.total);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** The frames as a pcapng file (little-endian). */
export function writePcapng(interfaces: readonly WriterInterface[], frames: Iterable<WriterFrame>, application = 'Wirelens'): Uint8Array {
  const w = new BlockWriter();

  // Section Header Block: byte-order magic, version 1.0, section length unknown (-1)
  const shb = new Uint8Array(16);
  const sd = new DataView(shb.buffer);
  sd.setUint32(0, 0x1a2b3c4d, true);
  sd.setUint16(4, 1, true);
  sd.setUint16(6, 0, true);
  sd.setInt32(8, -1, true);
  sd.setInt32(12, -1, true);
  w.block(0x0a0d0d0a, shb, [[4, utf8.encode(application)]]);

  // Interface Description Blocks; nanosecond interfaces say so with if_tsresol = 9
  const nano = interfaces.map((i) => i.tsUnitsPerSec === 1e9);
  interfaces.forEach((iface, k) => {
    const body = new Uint8Array(8);
    const d = new DataView(body.buffer);
    d.setUint16(0, iface.linkType, true);
    d.setUint32(4, iface.snaplen, true);
    const opts: [number, Uint8Array][] = [];
    if (iface.name) opts.push([2, utf8.encode(iface.name)]);
    if (nano[k]) opts.push([9, Uint8Array.of(9)]);
    w.block(1, body, opts);
  });

  // Enhanced Packet Blocks
  for (const f of frames) {
    const units = nano[f.iface] ? 1_000_000_000n : 1_000_000n;
    const frac = nano[f.iface] ? BigInt(f.tsNsec) : BigInt(Math.floor(f.tsNsec / 1000));
    const ts = BigInt(f.tsSec) * units + frac;
    const body = new Uint8Array(20 + f.bytes.length);
    const d = new DataView(body.buffer);
    d.setUint32(0, f.iface, true);
    d.setUint32(4, Number(ts >> 32n), true);
    d.setUint32(8, Number(ts & 0xffffffffn), true);
    d.setUint32(12, f.bytes.length, true);
    d.setUint32(16, f.origLen, true);
    body.set(f.bytes, 20);
    const opts: [number, Uint8Array][] = (f.comments ?? []).map((c) => [1, utf8.encode(c)]);
    w.block(6, body, opts);
  }
  return w.bytes();
}
