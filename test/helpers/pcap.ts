// In-memory captures for unit tests: bytes from hex dumps, classic pcap files made of given frames.
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import { DEFAULT_PREFS, type Prefs } from '../../src/core/dissect/session';

/** Bytes from a hex string (whitespace ignored). */
export const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));

/** Bytes of an ASCII (Latin-1) string. */
export const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

export interface PcapOptions {
  /** LINKTYPE_ of the file (default 1, Ethernet) */
  linkType?: number;
  /** arrival time of frame i in seconds (default 1000 + i), written to the microsecond */
  times?: number[];
}

/** A little-endian microsecond pcap with one record per frame (captured length = original length). */
export function pcap(frames: readonly Uint8Array[], opts: PcapOptions = {}): Uint8Array {
  const { linkType = 1, times } = opts;
  const size = 24 + frames.reduce((n, f) => n + 16 + f.length, 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let o = 0;
  const u32 = (v: number) => (dv.setUint32(o, v >>> 0, true), (o += 4));
  const u16 = (v: number) => (dv.setUint16(o, v, true), (o += 2));
  u32(0xa1b2c3d4), u16(2), u16(4), u32(0), u32(0), u32(65535), u32(linkType);
  frames.forEach((f, i) => {
    const us = Math.round((times ? times[i]! : 1000 + i) * 1e6);
    u32(Math.floor(us / 1e6)), u32(us % 1e6), u32(f.length), u32(f.length);
    out.set(f, o);
    o += f.length;
  });
  return out;
}

/** A capture of `frames`, read and analysed (the first pass done). */
export function loadFrames(frames: readonly Uint8Array[], opts: PcapOptions = {}, prefs: Partial<Prefs> = {}): Capture {
  const cap = new Capture(new MemorySource(pcap(frames, opts)), { ...DEFAULT_PREFS, ...prefs });
  cap.load();
  return cap;
}

/**
 * A capture of `n` one-byte frames of link type USER0 (no dissector runs), one second apart: it only lends a
 * dissector under test a session, frame numbers and times.
 */
export function dummyCapture(n: number): Capture {
  return loadFrames(Array.from({ length: n }, () => new Uint8Array(1)), { linkType: 147 });
}
