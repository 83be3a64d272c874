// Capture file readers: pcap (both byte orders, µs/ns) and pcapng (sections, interfaces, EPB/SPB/PB), pulled record by record.

/** Synchronous random access to the file's bytes (fs.readSync in Node, FileReaderSync in a worker, or memory). */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
  /**
   * True while more bytes may still be appended (a live capture stream). Readers then answer
   * "no more yet" (next() returns null without moving) for a record that is not complete yet,
   * instead of reporting the file as cut short.
   */
  readonly growing?: boolean;
  /** the final size while a file is still arriving (a streamed file: `size` is what has arrived so far) */
  readonly total?: number;
  /**
   * The run of bytes the source holds in memory around `off` (its file offset and bytes), for readers to
   * take records from in place; null when it holds none there. A source of stream chunks has this.
   */
  view?(off: number): { start: number; bytes: Uint8Array } | null;
}

export class MemorySource implements ByteSource {
  constructor(readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  read(offset: number, length: number): Uint8Array {
    return this.bytes.subarray(offset, Math.min(this.bytes.length, offset + length));
  }
}

export interface InterfaceInfo {
  linkType: number;
  snaplen: number;
  name: string;
  description: string;
  /** units per second of this interface's timestamps */
  tsUnitsPerSec: number;
  tsOffset: number;
  section: number;
}

export interface CaptureRecord {
  /** byte offset of the packet data within the (decompressed) file */
  offset: number;
  capLen: number;
  origLen: number;
  tsSec: number;
  tsNsec: number;
  /** global interface index (across pcapng sections) */
  iface: number;
  comments: string[] | null;
  /** pcapng epb_flags, or -1 */
  flags: number;
  /** false for records without a timestamp (pcapng simple packet blocks, custom blocks) */
  hasTs: boolean;
  /** a pcapng custom block shown as a frame, as tshark 4.0 does: its Private Enterprise Number and copy flag */
  custom: { pen: number; copy: boolean } | null;
}

export type FileFormat = 'pcap' | 'pcap-nsec' | 'pcapng';

export interface CaptureInfo {
  format: FileFormat;
  bigEndian: boolean;
  versionMajor: number;
  versionMinor: number;
  interfaces: InterfaceInfo[];
  sectionComments: string[];
  /** shb_userappl, shb_os, shb_hardware of the first section */
  application: string;
  os: string;
  hardware: string;
}

export type ReadErrorKind = 'not-capture' | 'cut-short' | 'bad-record' | 'unsupported';
export class CaptureError extends Error {
  constructor(
    readonly kind: ReadErrorKind,
    message: string,
    /** file offset where reading stopped */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Largest packet Wireshark accepts in a pcap/pcapng record (WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_PACKET = 262144;

const hexBytes = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Names what a non-capture file looks like, for the error message. */
export function describeNonCapture(head: Uint8Array): string {
  const first = hexBytes(head.subarray(0, 4));
  if (head.length === 0) return 'the file is empty';
  if (head.length < 4) return `the file is only ${head.length} byte${head.length === 1 ? '' : 's'} long`;
  return `not a pcap or pcapng file: first bytes ${first}`;
}

/** A buffered sequential view of a ByteSource. */
class Cursor {
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0;
  constructor(
    private readonly src: ByteSource,
    private readonly chunk = 4 << 20,
  ) {}
  /** Returns a view of `len` bytes at `off`, or fewer if the file ends. */
  get(off: number, len: number): Uint8Array {
    if (off >= this.bufStart && off + len <= this.bufStart + this.buf.length) {
      return this.buf.subarray(off - this.bufStart, off - this.bufStart + len);
    }
    const size = this.src.size;
    // a source of chunks in memory: read records in place; one that straddles two chunks, or has not
    // arrived yet, is read on its own
    if (this.src.view) {
      const v = this.src.view(off);
      if (v && off + len <= v.start + v.bytes.length) {
        this.buf = v.bytes;
        this.bufStart = v.start;
      } else {
        this.buf = this.src.read(off, Math.min(len, Math.max(0, size - off)));
        this.bufStart = off;
      }
      const i = off - this.bufStart;
      return this.buf.subarray(i, Math.min(i + len, this.buf.length));
    }
    // Blocks start at multiples of the chunk size, so a source can read ahead of us block by block (the
    // worker's Blob source does); what straddles two blocks is read on its own.
    const start = off - (off % this.chunk);
    if (off + len <= start + this.chunk) {
      this.buf = this.src.read(start, Math.min(this.chunk, Math.max(0, size - start)));
      this.bufStart = start;
    } else {
      this.buf = this.src.read(off, Math.min(len, Math.max(0, size - off)));
      this.bufStart = off;
    }
    const i = off - this.bufStart;
    return this.buf.subarray(i, Math.min(i + len, this.buf.length));
  }
  /**
   * Make `len` bytes at `off` readable with u32 (false if the file ends first); no view is made, which
   * matters once per record of a million-record file.
   */
  have(off: number, len: number): boolean {
    if (off >= this.bufStart && off + len <= this.bufStart + this.buf.length) return true;
    return this.get(off, len).length === len;
  }
  /** The 32-bit integer at file offset `off`, after have() said yes for it. */
  u32(off: number, le: boolean): number {
    const b = this.buf;
    const i = off - this.bufStart;
    return le
      ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0
      : ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }
}

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export interface CaptureReader {
  readonly info: CaptureInfo;
  /** The next record, or null at the end; throws CaptureError for a damaged or cut-short file. */
  next(): CaptureRecord | null;
  /** file offset of the next record */
  readonly position: number;
  /**
   * Bytes at `offset` served from the block the reader has just read when it holds them (a record's data
   * right after next() returned it), so a sequential pass reads the file once, not twice.
   */
  bytes(offset: number, length: number): Uint8Array;
}

/** Detect the format from the first bytes and return a reader, or throw CaptureError('not-capture'). */
export function openCapture(src: ByteSource): CaptureReader {
  const head = src.read(0, Math.min(src.size, 4));
  if (head.length === 4) {
    const m = dv(head).getUint32(0, false);
    switch (m) {
      case 0xa1b2c3d4:
      case 0xd4c3b2a1:
      case 0xa1b23c4d:
      case 0x4d3cb2a1:
        return new PcapReader(src);
      case 0x0a0d0d0a:
        return new PcapngReader(src);
    }
  }
  if (isGzip(head)) {
    throw new CaptureError('unsupported', 'the file is gzip-compressed; decompress it first', 0);
  }
  throw new CaptureError('not-capture', describeNonCapture(head), 0);
}

const CUT_SHORT = 'The capture file appears to have been cut short in the middle of a packet.';

class PcapReader implements CaptureReader {
  readonly info: CaptureInfo;
  private readonly cur: Cursor;
  private pos = 24;
  private readonly le: boolean;
  private readonly nsec: boolean;

  constructor(private readonly src: ByteSource) {
    this.cur = new Cursor(src);
    const h = this.cur.get(0, 24);
    if (h.length < 24) {
      throw new CaptureError('cut-short', 'The capture file appears to have been cut short in its file header.', 0);
    }
    const magicBE = dv(h).getUint32(0, false);
    this.le = magicBE === 0xd4c3b2a1 || magicBE === 0x4d3cb2a1;
    this.nsec = magicBE === 0xa1b23c4d || magicBE === 0x4d3cb2a1;
    const d = dv(h);
    const linkRaw = d.getUint32(20, this.le);
    this.info = {
      format: this.nsec ? 'pcap-nsec' : 'pcap',
      bigEndian: !this.le,
      versionMajor: d.getUint16(4, this.le),
      versionMinor: d.getUint16(6, this.le),
      interfaces: [
        {
          linkType: linkRaw & 0x0fffffff,
          snaplen: d.getUint32(16, this.le),
          name: '',
          description: '',
          tsUnitsPerSec: this.nsec ? 1e9 : 1e6,
          tsOffset: 0,
          section: 0,
        },
      ],
      sectionComments: [],
      application: '',
      os: '',
      hardware: '',
    };
  }

  get position(): number {
    return this.pos;
  }

  bytes(offset: number, length: number): Uint8Array {
    return this.cur.get(offset, length);
  }

  next(): CaptureRecord | null {
    if (this.pos >= this.src.size) return null;
    const cur = this.cur;
    const p = this.pos;
    if (!cur.have(p, 16)) {
      if (this.src.growing) return null;
      throw new CaptureError('cut-short', CUT_SHORT, this.pos);
    }
    const le = this.le;
    const sec = cur.u32(p, le);
    const frac = cur.u32(p + 4, le);
    const capLen = cur.u32(p + 8, le);
    const origLen = cur.u32(p + 12, le);
    if (capLen > MAX_PACKET) {
      throw new CaptureError(
        'bad-record',
        `The capture file appears to be damaged or corrupt: a record at offset ${this.pos} claims ${capLen} bytes, bigger than the maximum of ${MAX_PACKET}.`,
        this.pos,
      );
    }
    const dataOff = this.pos + 16;
    if (dataOff + capLen > this.src.size) {
      if (this.src.growing) return null;
      throw new CaptureError('cut-short', CUT_SHORT, this.pos);
    }
    this.pos = dataOff + capLen;
    return {
      offset: dataOff,
      capLen,
      origLen,
      tsSec: sec,
      tsNsec: this.nsec ? frac : frac * 1000,
      iface: 0,
      comments: null,
      flags: -1,
      hasTs: true,
      custom: null,
    };
  }
}

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 1;
const BT_PB = 2; // obsolete Packet Block
const BT_SPB = 3;
const BT_EPB = 6;
const BT_CB_COPY = 0x00000bad;
const BT_CB_NOCOPY = 0x40000bad;
/** Smallest valid total length of the blocks we read fields from (header, fixed fields, trailer). */
const MIN_BLOCK_LEN: Record<number, number> = { [BT_SHB]: 28, [BT_IDB]: 20, [BT_PB]: 32, [BT_EPB]: 32, [BT_SPB]: 16, [BT_CB_COPY]: 16, [BT_CB_NOCOPY]: 16 };

interface SectionState {
  le: boolean;
  /** global indexes of this section's interfaces */
  ifaces: number[];
}

const utf8 = new TextDecoder('utf-8');

class PcapngReader implements CaptureReader {
  readonly info: CaptureInfo = {
    format: 'pcapng',
    bigEndian: false,
    versionMajor: 1,
    versionMinor: 0,
    interfaces: [],
    sectionComments: [],
    application: '',
    os: '',
    hardware: '',
  };
  private readonly cur: Cursor;
  private pos = 0;
  private section: SectionState = { le: true, ifaces: [] };
  private sections = 0;

  constructor(private readonly src: ByteSource) {
    this.cur = new Cursor(src);
    // Read the first SHB eagerly so `info` is filled before the first record.
    this.readBlock(true);
  }

  get position(): number {
    return this.pos;
  }

  bytes(offset: number, length: number): Uint8Array {
    return this.cur.get(offset, length);
  }

  next(): CaptureRecord | null {
    for (;;) {
      if (this.pos >= this.src.size) return null;
      if (this.src.growing && !this.blockComplete()) return null;
      const r = this.readBlock(false);
      if (r) {
        this.lastSec = r.tsSec;
        this.lastNsec = r.tsNsec;
        return r;
      }
    }
  }
  private lastSec = 0;
  private lastNsec = 0;

  /** Whether the whole block at `pos` is there (for a growing source); a bad length counts as there, so readBlock reports it. */
  private blockComplete(): boolean {
    const h = this.cur.get(this.pos, 12);
    if (h.length < 12) return false;
    const d = dv(h);
    let le = this.section.le;
    if (d.getUint32(0, true) === BT_SHB) {
      const bom = d.getUint32(8, true);
      if (bom !== 0x1a2b3c4d && bom !== 0x4d3c2b1a) return true;
      le = bom === 0x1a2b3c4d;
    }
    return this.pos + d.getUint32(4, le) <= this.src.size;
  }

  /** Read one block at `pos`; returns a record for packet blocks, null for others. */
  private readBlock(first: boolean): CaptureRecord | null {
    const start = this.pos;
    const h = this.cur.get(start, 12);
    if (h.length < 12) {
      if (first) throw new CaptureError('cut-short', 'The capture file appears to have been cut short in its section header.', start);
      throw new CaptureError('cut-short', CUT_SHORT, start);
    }
    let d = dv(h);
    const typeLE = d.getUint32(0, true);
    if (typeLE === BT_SHB) {
      const bom = d.getUint32(8, true);
      if (bom === 0x1a2b3c4d) this.section = { le: true, ifaces: [] };
      else if (bom === 0x4d3c2b1a) this.section = { le: false, ifaces: [] };
      else throw new CaptureError('bad-record', `The pcapng file has a section header with an unknown byte-order magic 0x${bom.toString(16)}.`, start);
    }
    const le = this.section.le;
    const type = d.getUint32(0, le);
    const total = d.getUint32(4, le);
    if (total < 12 || total % 4 !== 0) {
      throw new CaptureError(
        'bad-record',
        `The capture file appears to be damaged or corrupt: a pcapng block at offset ${start} has an invalid length ${total}.`,
        start,
      );
    }
    if (total > 16 * MAX_PACKET + 4096 && type !== BT_SHB) {
      throw new CaptureError(
        'bad-record',
        `The capture file appears to be damaged or corrupt: a pcapng block at offset ${start} claims ${total} bytes.`,
        start,
      );
    }
    const minLen = MIN_BLOCK_LEN[type];
    if (minLen !== undefined && total < minLen) {
      throw new CaptureError(
        'bad-record',
        `The capture file appears to be damaged or corrupt: a pcapng block of type ${type} at offset ${start} is ${total} bytes long, shorter than its minimum of ${minLen}.`,
        start,
      );
    }
    if (start + total > this.src.size) throw new CaptureError('cut-short', CUT_SHORT, start);
    const block = this.cur.get(start, total);
    d = dv(block);
    this.pos = start + total;
    const body = 8;
    const bodyEnd = total - 4;
    switch (type) {
      case BT_SHB: {
        if (this.sections === 0) {
          this.info.bigEndian = !le;
          this.info.versionMajor = d.getUint16(12, le);
          this.info.versionMinor = d.getUint16(14, le);
        }
        const opts = this.options(block, 24, bodyEnd, le);
        for (const [code, val] of opts) {
          if (code === 1) this.info.sectionComments.push(utf8.decode(val));
          if (this.sections === 0) {
            if (code === 2) this.info.hardware = utf8.decode(val);
            if (code === 3) this.info.os = utf8.decode(val);
            if (code === 4) this.info.application = utf8.decode(val);
          }
        }
        this.sections++;
        return null;
      }
      case BT_IDB: {
        const iface: InterfaceInfo = {
          linkType: d.getUint16(body, le),
          snaplen: d.getUint32(body + 4, le),
          name: '',
          description: '',
          tsUnitsPerSec: 1e6,
          tsOffset: 0,
          section: this.sections - 1,
        };
        for (const [code, val] of this.options(block, body + 8, bodyEnd, le)) {
          if (code === 2) iface.name = utf8.decode(val);
          else if (code === 3) iface.description = utf8.decode(val);
          else if (code === 9 && val.length >= 1) {
            const r = val[0]!;
            iface.tsUnitsPerSec = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** (r & 0x7f);
          } else if (code === 14 && val.length >= 8) {
            const vd = dv(val);
            iface.tsOffset = vd.getUint32(le ? 4 : 0, le) * 2 ** 32 + vd.getUint32(le ? 0 : 4, le);
          }
        }
        this.section.ifaces.push(this.info.interfaces.length);
        this.info.interfaces.push(iface);
        return null;
      }
      case BT_EPB:
      case BT_PB: {
        if (total < 32) throw new CaptureError('bad-record', `The capture file appears to be damaged or corrupt: a packet block at offset ${start} is too short.`, start);
        const ifLocal = type === BT_EPB ? d.getUint32(body, le) : d.getUint16(body, le);
        const hi = d.getUint32(body + 4, le);
        const lo = d.getUint32(body + 8, le);
        const capLen = d.getUint32(body + 12, le);
        const origLen = d.getUint32(body + 16, le);
        const dataOff = body + 20;
        if (capLen > MAX_PACKET || dataOff + capLen > bodyEnd) {
          throw new CaptureError(
            'bad-record',
            `The capture file appears to be damaged or corrupt: a packet block at offset ${start} claims ${capLen} bytes of packet data.`,
            start,
          );
        }
        const gi = this.section.ifaces[ifLocal];
        if (gi === undefined) {
          throw new CaptureError('bad-record', `The capture file appears to be damaged or corrupt: a packet refers to interface ${ifLocal}, which has no description block.`, start);
        }
        const iface = this.info.interfaces[gi]!;
        const t = splitTimestamp(hi, lo, iface.tsUnitsPerSec);
        let comments: string[] | null = null;
        let flags = -1;
        const optStart = dataOff + ((capLen + 3) & ~3);
        for (const [code, val] of this.options(block, optStart, bodyEnd, le)) {
          if (code === 1) (comments ??= []).push(utf8.decode(val));
          else if (code === 2 && val.length >= 4) flags = dv(val).getUint32(0, le);
        }
        return {
          offset: start + dataOff,
          capLen,
          origLen,
          tsSec: t.s + iface.tsOffset,
          tsNsec: t.ns,
          iface: gi,
          comments,
          flags,
          hasTs: true,
          custom: null,
        };
      }
      case BT_SPB: {
        const gi = this.section.ifaces[0];
        if (gi === undefined) {
          throw new CaptureError('bad-record', `The capture file appears to be damaged or corrupt: a simple packet block comes before any interface description.`, start);
        }
        const iface = this.info.interfaces[gi]!;
        const origLen = d.getUint32(body, le);
        let capLen = Math.min(origLen, bodyEnd - (body + 4));
        if (iface.snaplen) capLen = Math.min(capLen, iface.snaplen);
        return { offset: start + body + 4, capLen, origLen, tsSec: 0, tsNsec: 0, iface: gi, comments: null, flags: -1, hasTs: false, custom: null };
      }
      case BT_CB_COPY:
      case BT_CB_NOCOPY: {
        // tshark 4.0 lists custom blocks as frames of their own (data after the PEN, no timestamp).
        // It has no time of its own; like wiretap we carry the previous record's (it is never shown).
        const pen = d.getUint32(body, le);
        const len = bodyEnd - (body + 4);
        return {
          offset: start + body + 4,
          capLen: len,
          origLen: len,
          tsSec: this.lastSec,
          tsNsec: this.lastNsec,
          iface: 0,
          comments: null,
          flags: -1,
          hasTs: false,
          custom: { pen, copy: type === BT_CB_COPY },
        };
      }
      default:
        return null; // NRB, ISB, DSB, custom and unknown blocks are skipped
    }
  }

  private options(block: Uint8Array, off: number, end: number, le: boolean): [number, Uint8Array][] {
    const out: [number, Uint8Array][] = [];
    const d = dv(block);
    while (off + 4 <= end) {
      const code = d.getUint16(off, le);
      const len = d.getUint16(off + 2, le);
      if (code === 0) break;
      if (off + 4 + len > end) break;
      out.push([code, block.subarray(off + 4, off + 4 + len)]);
      off += 4 + ((len + 3) & ~3);
    }
    return out;
  }
}

/** Split a 64-bit timestamp in `units` per second into whole seconds and nanoseconds, exactly. */
export function splitTimestamp(hi: number, lo: number, units: number): { s: number; ns: number } {
  const total = hi * 4294967296 + lo;
  if (total <= Number.MAX_SAFE_INTEGER && Number.isInteger(units)) {
    const s = Math.floor(total / units);
    const rem = total - s * units;
    return { s, ns: Math.round((rem * 1e9) / units) };
  }
  const big = (BigInt(hi) << 32n) | BigInt(lo);
  const u = BigInt(Math.round(units));
  const s = big / u;
  const rem = big % u;
  return { s: Number(s), ns: Number((rem * 1_000_000_000n) / u) };
}
