// Mutators: generic byte mutations, and structure-aware ones that know where pcap / pcapng keep their
// lengths, link types and block types (set to 0, to the maximum, or past the end of the file).

import type { Rng } from './rng';

export const LINK_TYPES = [0, 1, 101, 108, 113, 228, 229, 276, 105, 127, 147, 0xffff, 0x0fffffff];
export const BLOCK_TYPES = [0x0a0d0d0a, 1, 2, 3, 4, 5, 6, 0x00000bad, 0x40000bad, 0, 0xffffffff, 7, 0x80000001];
const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xff, 0x40, 0x20];
const INTERESTING_16 = [0, 1, 0x7fff, 0x8000, 0xffff, 0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8, 53, 80, 443, 67, 68];
const INTERESTING_32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x00040000, 0x00040001, 0x10000];

function setU16(b: Uint8Array, off: number, v: number, le: boolean): void {
  if (off < 0 || off + 2 > b.length) return;
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint16(off, v & 0xffff, le);
}
function setU32(b: Uint8Array, off: number, v: number, le: boolean): void {
  if (off < 0 || off + 4 > b.length) return;
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(off, v >>> 0, le);
}

/** One generic mutation; returns a new array (the length may change). */
export function mutateBytes(rng: Rng, input: Uint8Array, donors: readonly Uint8Array[] = [], hot = 0): Uint8Array {
  let b = input.slice();
  if (b.length === 0) return rng.chance(0.5) ? b : Uint8Array.of(rng.int(256));
  // most interesting bytes of a frame are its headers: bias offsets towards the first `hot` bytes
  const at = () => (hot && rng.chance(0.6) ? rng.int(Math.min(hot, b.length)) : rng.int(b.length));
  switch (rng.int(12)) {
    case 0: {
      const n = rng.small(8);
      for (let i = 0; i < n; i++) {
        const o = at();
        b[o]! ^= 1 << rng.int(8);
      }
      break;
    }
    case 1:
      b[at()] = rng.pick(INTERESTING_8);
      break;
    case 2:
      b[at()] = rng.int(256);
      break;
    case 3: {
      // a length-like 16-bit field: 0, max, or around the bytes that follow
      const o = at();
      const rest = b.length - o;
      const v = rng.pick([0, 0xffff, rest, rest - 2, rest + 1, rest + rng.int(64), rng.pick(INTERESTING_16), rng.int(65536)]);
      setU16(b, o, v, rng.chance(0.2));
      break;
    }
    case 4: {
      const o = at();
      const rest = b.length - o;
      setU32(b, o, rng.pick([...INTERESTING_32, rest, rest + 1, rng.u32()]), rng.chance(0.5));
      break;
    }
    case 5:
      // truncate
      b = b.slice(0, rng.int(b.length + 1));
      break;
    case 6: {
      // delete a chunk
      const o = at();
      const n = Math.min(b.length - o, rng.small(64));
      const nb = new Uint8Array(b.length - n);
      nb.set(b.subarray(0, o));
      nb.set(b.subarray(o + n), o);
      b = nb;
      break;
    }
    case 7: {
      // insert random or repeated bytes
      const o = at();
      const n = rng.small(64);
      const ins = new Uint8Array(n);
      const fill = rng.int(256);
      for (let i = 0; i < n; i++) ins[i] = rng.chance(0.5) ? fill : rng.int(256);
      const nb = new Uint8Array(b.length + n);
      nb.set(b.subarray(0, o));
      nb.set(ins, o);
      nb.set(b.subarray(o), o + n);
      b = nb;
      break;
    }
    case 8: {
      // copy a chunk over another place of the same input
      const from = rng.int(b.length);
      const to = rng.int(b.length);
      const n = Math.min(rng.small(128), b.length - from, b.length - to);
      b.copyWithin(to, from, from + n);
      break;
    }
    case 9: {
      // splice: the head of this input, the tail of another
      if (!donors.length) break;
      const d = rng.pick(donors);
      const cut = rng.int(b.length + 1);
      const dcut = rng.int(d.length + 1);
      const nb = new Uint8Array(cut + d.length - dcut);
      nb.set(b.subarray(0, cut));
      nb.set(d.subarray(dcut), cut);
      b = nb;
      break;
    }
    case 10: {
      // duplicate a region (repeated options, nested headers, long label chains)
      const o = at();
      const n = Math.min(rng.small(32), b.length - o);
      const times = rng.small(8);
      const nb = new Uint8Array(b.length + n * times);
      nb.set(b.subarray(0, o + n));
      for (let t = 1; t <= times; t++) nb.set(b.subarray(o, o + n), o + n * t);
      nb.set(b.subarray(o + n), o + n * (times + 1));
      b = nb;
      break;
    }
    default: {
      // a run of one byte value (0 / ff / 0xc0 is a DNS compression pointer)
      const o = at();
      const n = Math.min(rng.small(16), b.length - o);
      b.fill(rng.pick([0, 0xff, 0xc0, 0x01, 0x41]), o, o + n);
    }
  }
  return b;
}

/** Where a capture file keeps the fields worth mutating. */
export interface Layout {
  le: boolean;
  /** [offset, size] of length fields */
  lengths: [number, number][];
  /** [offset, size] of link-type fields */
  links: [number, number][];
  /** offsets of pcapng block types */
  blockTypes: number[];
  /** [offset, length] of each record's packet data */
  records: [number, number][];
  /** offsets of record/block starts */
  starts: number[];
}

/** Walk a pcap or pcapng file leniently, noting its fields. */
export function layoutOf(b: Uint8Array): Layout {
  const L: Layout = { le: true, lengths: [], links: [], blockTypes: [], records: [], starts: [] };
  if (b.length < 24) return L;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = dv.getUint32(0, false);
  if (magic === 0x0a0d0d0a) {
    let off = 0;
    let le = dv.getUint32(8, true) === 0x1a2b3c4d;
    L.le = le;
    while (off + 12 <= b.length && L.starts.length < 100_000) {
      if (dv.getUint32(off, true) === 0x0a0d0d0a && off + 12 <= b.length) le = dv.getUint32(off + 8, true) === 0x1a2b3c4d;
      const type = dv.getUint32(off, le);
      const total = dv.getUint32(off + 4, le);
      if (total < 12 || off + total > b.length) break;
      L.starts.push(off);
      L.blockTypes.push(off);
      L.lengths.push([off + 4, 4], [off + total - 4, 4]);
      if (type === 1) {
        L.links.push([off + 8, 2]);
        L.lengths.push([off + 12, 4]); // snaplen
        if (off + 20 < off + total - 4) L.lengths.push([off + 18, 2]); // first option length
      } else if (type === 6 && total >= 32) {
        L.lengths.push([off + 20, 4], [off + 24, 4]);
        L.links.push([off + 8, 4]); // interface id
        const cap = dv.getUint32(off + 20, le);
        if (28 + cap <= total) L.records.push([off + 28, cap]);
        const optAt = off + 28 + cap + ((4 - (cap % 4)) % 4); // not (cap + 3) & ~3: cap may be ≥ 2^31
        if (optAt + 4 <= off + total - 4) L.lengths.push([optAt + 2, 2]);
      } else if (type === 3 && total >= 16) {
        L.lengths.push([off + 8, 4]);
        L.records.push([off + 12, total - 16]);
      } else if (type === 0x0a0d0d0a && total >= 28) {
        L.lengths.push([off + 16, 4], [off + 20, 4]);
        if (total > 32) L.lengths.push([off + 26, 2]);
      }
      off += total;
    }
    return L;
  }
  const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  L.le = le;
  L.links.push([20, 4]);
  L.lengths.push([16, 4]);
  let off = 24;
  while (off + 16 <= b.length && L.starts.length < 100_000) {
    const cap = dv.getUint32(off + 8, le);
    L.starts.push(off);
    L.lengths.push([off + 8, 4], [off + 12, 4]);
    if (off + 16 + cap > b.length) break;
    L.records.push([off + 16, cap]);
    off += 16 + cap;
  }
  return L;
}

/** One mutation that knows the file's structure (falls back to a generic one). */
export function mutateFile(rng: Rng, input: Uint8Array, donors: readonly Uint8Array[] = []): Uint8Array {
  const L = layoutOf(input);
  const b = input.slice();
  const fieldValue = (off: number, size: number) => {
    const past = b.length - off + rng.int(1024);
    const vals = size === 2 ? [0, 1, 0xffff, 0x8000, past & 0xffff] : [0, 1, 0xffffffff, 0x7fffffff, 262144, 262145, past, 12, 13, 16];
    return rng.chance(0.2) ? rng.u32() : rng.pick(vals);
  };
  const set = (off: number, size: number, v: number) => (size === 2 ? setU16(b, off, v, L.le) : setU32(b, off, v, L.le));
  switch (rng.int(7)) {
    case 0:
      if (L.lengths.length) {
        const [o, s] = rng.pick(L.lengths);
        set(o, s, fieldValue(o, s));
        return b;
      }
      break;
    case 1:
      if (L.links.length) {
        const [o, s] = rng.pick(L.links);
        set(o, s, rng.chance(0.8) ? rng.pick(LINK_TYPES) : rng.u32());
        return b;
      }
      break;
    case 2:
      if (L.blockTypes.length) {
        set(rng.pick(L.blockTypes), 4, rng.pick(BLOCK_TYPES));
        return b;
      }
      break;
    case 3:
      if (L.records.length) {
        // mutate inside one packet's bytes (headers first)
        const [o, n] = rng.pick(L.records);
        if (n > 0) {
          const k = rng.small(4);
          for (let i = 0; i < k; i++) {
            const p = o + (rng.chance(0.7) ? rng.int(Math.min(n, 80)) : rng.int(n));
            if (rng.chance(0.5)) b[p] = rng.int(256);
            else b[p]! ^= 1 << rng.int(8);
          }
          return b;
        }
      }
      break;
    case 4:
      if (L.starts.length) {
        // cut at a record boundary or just after one
        const s = rng.pick(L.starts);
        return b.slice(0, Math.min(b.length, s + rng.pick([0, 1, 4, 8, 12, 15, 16, 20, 27, 28])));
      }
      break;
    case 5:
      if (L.starts.length > 1) {
        // records out of order / duplicated: copy one record over the tail
        const i = rng.int(L.starts.length - 1);
        const a = L.starts[i]!;
        const e = L.starts[i + 1]!;
        const rec = input.subarray(a, e);
        const at = rng.pick(L.starts);
        const nb = new Uint8Array(at + rec.length + (input.length - at));
        nb.set(input.subarray(0, at));
        nb.set(rec, at);
        nb.set(input.subarray(at), at + rec.length);
        return nb;
      }
      break;
  }
  return mutateBytes(rng, input, donors);
}
