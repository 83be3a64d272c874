// Bounds-checked views of packet bytes; reading past the captured bytes throws a typed error.

/** Thrown when a read goes past the captured bytes but within the reported (on-wire) length. */
export class TruncatedError extends Error {
  constructor() {
    super('Packet size limited during capture');
  }
}
/** Thrown when a read goes past the reported length: the packet itself is malformed. */
export class MalformedError extends Error {
  constructor(message = 'Malformed Packet') {
    super(message);
  }
}

/**
 * A window onto one data source (the frame, or a reassembled buffer).
 * `length` is how many bytes were captured, `reported` how many were on the wire.
 */
export class Tvb {
  constructor(
    readonly bytes: Uint8Array,
    /** data-source index: 0 = the frame, others = reassembled buffers */
    readonly src: number,
    /** absolute offset of byte 0 of this view within its data source */
    readonly base: number,
    /** reported length (≥ captured) */
    readonly reported: number = bytes.length,
  ) {}

  get length(): number {
    return this.bytes.length;
  }

  check(off: number, len: number): void {
    if (off < 0 || len < 0) throw new MalformedError();
    if (off + len > this.bytes.length) {
      if (off + len > this.reported) throw new MalformedError();
      throw new TruncatedError();
    }
  }

  /** A sub-view starting at `off`; `len` defaults to the rest. Reported length shrinks alike. */
  sub(off: number, len?: number): Tvb {
    if (off > this.reported) throw new MalformedError();
    if (len === undefined || len < 0) {
      const start = Math.min(off, this.bytes.length);
      return new Tvb(this.bytes.subarray(start), this.src, this.base + off, this.reported - off);
    }
    if (off + len > this.reported) throw new MalformedError();
    const end = Math.min(off + len, this.bytes.length);
    const start = Math.min(off, end);
    return new Tvb(this.bytes.subarray(start, end), this.src, this.base + off, len);
  }

  /** Bytes available (captured) from off, capped at len. */
  available(off: number): number {
    return Math.max(0, this.bytes.length - off);
  }

  u8(o: number): number {
    this.check(o, 1);
    return this.bytes[o]!;
  }
  u16(o: number): number {
    this.check(o, 2);
    return (this.bytes[o]! << 8) | this.bytes[o + 1]!;
  }
  u16le(o: number): number {
    this.check(o, 2);
    return this.bytes[o]! | (this.bytes[o + 1]! << 8);
  }
  u24(o: number): number {
    this.check(o, 3);
    return (this.bytes[o]! << 16) | (this.bytes[o + 1]! << 8) | this.bytes[o + 2]!;
  }
  u32(o: number): number {
    this.check(o, 4);
    const b = this.bytes;
    return ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
  }
  u32le(o: number): number {
    this.check(o, 4);
    const b = this.bytes;
    return ((b[o + 3]! << 24) >>> 0) + ((b[o + 2]! << 16) | (b[o + 1]! << 8) | b[o]!);
  }
  /** A copy-free slice of captured bytes; throws if not all captured. */
  slice(o: number, len: number): Uint8Array {
    this.check(o, len);
    return this.bytes.subarray(o, o + len);
  }
  /** Latin-1/ASCII string of len bytes. */
  ascii(o: number, len: number): string {
    const b = this.slice(o, len);
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
  /** UTF-8 decoded string of len bytes. */
  utf8(o: number, len: number): string {
    return utf8Decoder.decode(this.slice(o, len));
  }
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });
