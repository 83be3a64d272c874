// A minimal pcap / pcapng writer for tests, fuzzing and the fixture generators (our own code, no library).

export interface WriteFrame {
  data: Uint8Array;
  /** on-wire length (default: data.length) */
  origLen?: number;
  /** seconds since 1970 (fractional); default 1_700_000_000 + index */
  ts?: number;
  /** pcapng only: interface index within the section */
  iface?: number;
  /** pcapng only: packet comment */
  comment?: string;
}

export interface PcapOptions {
  linkType?: number;
  snaplen?: number;
  nsec?: boolean;
  bigEndian?: boolean;
}

class Buf {
  private b = new Uint8Array(1024);
  len = 0;
  constructor(private readonly le = true) {}
  private room(n: number): void {
    if (this.len + n <= this.b.length) return;
    let cap = this.b.length * 2;
    while (cap < this.len + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.b.subarray(0, this.len));
    this.b = nb;
  }
  u8(v: number): this {
    this.room(1);
    this.b[this.len++] = v & 255;
    return this;
  }
  u16(v: number): this {
    this.room(2);
    new DataView(this.b.buffer).setUint16(this.len, v & 0xffff, this.le);
    this.len += 2;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    new DataView(this.b.buffer).setUint32(this.len, v >>> 0, this.le);
    this.len += 4;
    return this;
  }
  bytes(d: Uint8Array): this {
    this.room(d.length);
    this.b.set(d, this.len);
    this.len += d.length;
    return this;
  }
  pad4(): this {
    while (this.len % 4) this.u8(0);
    return this;
  }
  /** overwrite a u32 at `at` */
  put32(at: number, v: number): void {
    new DataView(this.b.buffer).setUint32(at, v >>> 0, this.le);
  }
  done(): Uint8Array {
    return this.b.slice(0, this.len);
  }
}

function splitTs(ts: number, units: number): [number, number] {
  const sec = Math.floor(ts);
  return [sec, Math.round((ts - sec) * units)];
}

/** A classic pcap file (little-endian, µs unless `nsec`). */
export function writePcap(frames: readonly WriteFrame[], opts: PcapOptions = {}): Uint8Array {
  const { linkType = 1, snaplen = 262144, nsec = false, bigEndian = false } = opts;
  const w = new Buf(!bigEndian);
  w.u32(nsec ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).u32(0).u32(0).u32(snaplen).u32(linkType);
  frames.forEach((f, i) => {
    const [s, frac] = splitTs(f.ts ?? 1_700_000_000 + i, nsec ? 1e9 : 1e6);
    w.u32(s).u32(frac).u32(f.data.length).u32(f.origLen ?? f.data.length).bytes(f.data);
  });
  return w.done();
}

export interface NgInterface {
  linkType: number;
  snaplen?: number;
  name?: string;
}

function option(w: Buf, code: number, val: Uint8Array): void {
  w.u16(code).u16(val.length).bytes(val).pad4();
}
const enc = new TextEncoder();

/** A pcapng file with one section (little-endian, µs timestamps), its interfaces and EPBs. */
export function writePcapng(frames: readonly WriteFrame[], interfaces: readonly NgInterface[] = [{ linkType: 1 }]): Uint8Array {
  const w = new Buf(true);
  const block = (type: number, body: (w: Buf) => void) => {
    const start = w.len;
    w.u32(type).u32(0);
    body(w);
    w.pad4();
    const total = w.len - start + 4;
    w.u32(total);
    w.put32(start + 4, total);
  };
  block(0x0a0d0d0a, (w) => {
    w.u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff);
    option(w, 4, enc.encode('wirelens test writer'));
    w.u32(0);
  });
  for (const ifc of interfaces) {
    block(1, (w) => {
      w.u16(ifc.linkType).u16(0).u32(ifc.snaplen ?? 262144);
      if (ifc.name) {
        option(w, 2, enc.encode(ifc.name));
        w.u32(0);
      }
    });
  }
  frames.forEach((f, i) => {
    block(6, (w) => {
      const us = Math.round((f.ts ?? 1_700_000_000 + i) * 1e6);
      w.u32(f.iface ?? 0)
        .u32(Math.floor(us / 2 ** 32))
        .u32(us % 2 ** 32)
        .u32(f.data.length)
        .u32(f.origLen ?? f.data.length)
        .bytes(f.data)
        .pad4();
      if (f.comment !== undefined) {
        option(w, 1, enc.encode(f.comment));
        w.u32(0);
      }
    });
  });
  return w.done();
}

/** Bytes from a hex dump (whitespace, newlines and `#` comments ignored). */
export function fromHex(s: string): Uint8Array {
  const clean = s.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (clean.length % 2) throw new Error('odd number of hex digits');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A hex dump, 32 bytes a line. */
export function toHex(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 32) {
    out += Array.from(b.subarray(i, i + 32), (x) => x.toString(16).padStart(2, '0')).join('') + '\n';
  }
  return out;
}
