// The frame index: one row per record, held as struct-of-arrays typed arrays (never an object per frame).
import type { CaptureRecord } from '../formats/reader';
import { resized as grow } from './typed-arrays';

export class FrameTable {
  count = 0;
  /** file offset of each frame's packet data */
  offset = new Float64Array(1024);
  capLen = new Uint32Array(1024);
  origLen = new Uint32Array(1024);
  tsSec = new Float64Array(1024);
  tsNsec = new Uint32Array(1024);
  iface = new Uint16Array(1024);
  /** pcapng packet comments, sparse */
  readonly comments = new Map<number, string[]>();
  /** pcapng epb_flags, sparse */
  readonly epbFlags = new Map<number, number>();
  /** frames whose record had no timestamp (pcapng SPB, custom blocks), sparse */
  readonly noTs = new Set<number>();
  /** pcapng custom blocks listed as frames, sparse */
  readonly custom = new Map<number, { pen: number; copy: boolean }>();

  /** Append a record; returns its 1-based frame number. */
  push(r: CaptureRecord): number {
    const i = this.count;
    if (i === this.offset.length) {
      const n = i * 2;
      this.offset = grow(this.offset, n);
      this.capLen = grow(this.capLen, n);
      this.origLen = grow(this.origLen, n);
      this.tsSec = grow(this.tsSec, n);
      this.tsNsec = grow(this.tsNsec, n);
      this.iface = grow(this.iface, n);
    }
    this.offset[i] = r.offset;
    this.capLen[i] = r.capLen;
    this.origLen[i] = r.origLen;
    this.tsSec[i] = r.tsSec;
    this.tsNsec[i] = r.tsNsec;
    this.iface[i] = r.iface;
    if (r.comments) this.comments.set(i + 1, r.comments);
    if (r.flags >= 0) this.epbFlags.set(i + 1, r.flags);
    if (!r.hasTs) this.noTs.add(i + 1);
    if (r.custom) this.custom.set(i + 1, r.custom);
    this.count = i + 1;
    return i + 1;
  }

  /** Seconds between two frames' timestamps (b − a), exact to the nanosecond for spans < 104 days. */
  delta(a: number, b: number): number {
    const ia = a - 1,
      ib = b - 1;
    return (this.tsSec[ib]! - this.tsSec[ia]!) + (this.tsNsec[ib]! - this.tsNsec[ia]!) / 1e9;
  }

  /** Nanoseconds between two frames (b − a) as an exact integer when it fits. */
  deltaNs(a: number, b: number): number {
    const ia = a - 1,
      ib = b - 1;
    return (this.tsSec[ib]! - this.tsSec[ia]!) * 1e9 + (this.tsNsec[ib]! - this.tsNsec[ia]!);
  }
}
