// DEFLATE (RFC 1951) with gzip/zlib wrappers, for HTTP Content-Encoding; synchronous and DOM-free so it runs in the worker.

class BitReader {
  pos = 0;
  bit = 0;
  constructor(readonly b: Uint8Array) {}
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      if (this.pos >= this.b.length) throw new Error('inflate: input ends early');
      v |= ((this.b[this.pos]! >> this.bit) & 1) << i;
      if (++this.bit === 8) {
        this.bit = 0;
        this.pos++;
      }
    }
    return v;
  }
  align(): void {
    if (this.bit) {
      this.bit = 0;
      this.pos++;
    }
  }
}

interface Huffman {
  counts: Uint16Array;
  symbols: Uint16Array;
}

function huffman(lengths: ArrayLike<number>): Huffman {
  const counts = new Uint16Array(16);
  for (let i = 0; i < lengths.length; i++) counts[lengths[i]!]!++;
  counts[0] = 0;
  const offs = new Uint16Array(16);
  for (let i = 1; i < 16; i++) offs[i] = offs[i - 1]! + counts[i - 1]!;
  const symbols = new Uint16Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) if (lengths[i]) symbols[offs[lengths[i]!]!++] = i;
  return { counts, symbols };
}

function decodeSym(r: BitReader, h: Huffman): number {
  let code = 0;
  let first = 0;
  let index = 0;
  for (let len = 1; len < 16; len++) {
    code |= r.bits(1);
    const count = h.counts[len]!;
    if (code - count < first) return h.symbols[index + (code - first)]!;
    index += count;
    first += count;
    first <<= 1;
    code <<= 1;
  }
  throw new Error('inflate: bad code');
}

const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CLORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

let fixed: [Huffman, Huffman] | null = null;
function fixedTables(): [Huffman, Huffman] {
  if (fixed) return fixed;
  const l = new Uint8Array(288);
  l.fill(8, 0, 144);
  l.fill(9, 144, 256);
  l.fill(7, 256, 280);
  l.fill(8, 280, 288);
  fixed = [huffman(l), huffman(new Uint8Array(30).fill(5))];
  return fixed;
}

class Out {
  buf = new Uint8Array(1 << 16);
  n = 0;
  constructor(readonly limit: number) {}
  push(v: number): void {
    if (this.n === this.buf.length) {
      if (this.n >= this.limit) throw new Error('inflate: output too large');
      const nb = new Uint8Array(this.buf.length * 2);
      nb.set(this.buf);
      this.buf = nb;
    }
    this.buf[this.n++] = v;
  }
}

/** Raw DEFLATE data → bytes (throws on corrupt input). */
export function inflateRaw(data: Uint8Array, limit = 64 << 20): Uint8Array {
  const r = new BitReader(data);
  const out = new Out(limit);
  let last = 0;
  while (!last) {
    last = r.bits(1);
    const type = r.bits(2);
    if (type === 0) {
      r.align();
      if (r.pos + 4 > data.length) throw new Error('inflate: input ends early');
      const len = data[r.pos]! | (data[r.pos + 1]! << 8);
      r.pos += 4;
      if (r.pos + len > data.length) throw new Error('inflate: input ends early');
      for (let i = 0; i < len; i++) out.push(data[r.pos++]!);
      continue;
    }
    let lit: Huffman, dist: Huffman;
    if (type === 1) [lit, dist] = fixedTables();
    else if (type === 2) {
      const hlit = r.bits(5) + 257;
      const hdist = r.bits(5) + 1;
      const hclen = r.bits(4) + 4;
      const cl = new Uint8Array(19);
      for (let i = 0; i < hclen; i++) cl[CLORDER[i]!] = r.bits(3);
      const clh = huffman(cl);
      const lens = new Uint8Array(hlit + hdist);
      for (let i = 0; i < hlit + hdist; ) {
        const sym = decodeSym(r, clh);
        if (sym < 16) lens[i++] = sym;
        else {
          let rep = 0;
          let val = 0;
          if (sym === 16) {
            if (i === 0) throw new Error('inflate: bad repeat');
            val = lens[i - 1]!;
            rep = 3 + r.bits(2);
          } else if (sym === 17) rep = 3 + r.bits(3);
          else rep = 11 + r.bits(7);
          if (i + rep > lens.length) throw new Error('inflate: bad lengths');
          lens.fill(val, i, i + rep);
          i += rep;
        }
      }
      lit = huffman(lens.subarray(0, hlit));
      dist = huffman(lens.subarray(hlit));
    } else throw new Error('inflate: bad block type');
    for (;;) {
      const sym = decodeSym(r, lit);
      if (sym < 256) out.push(sym);
      else if (sym === 256) break;
      else {
        const li = sym - 257;
        if (li >= 29) throw new Error('inflate: bad length');
        const len = LBASE[li]! + r.bits(LEXT[li]!);
        const di = decodeSym(r, dist);
        if (di >= 30) throw new Error('inflate: bad distance');
        const d = DBASE[di]! + r.bits(DEXT[di]!);
        if (d > out.n) throw new Error('inflate: distance too far');
        for (let k = 0; k < len; k++) out.push(out.buf[out.n - d]!);
      }
    }
  }
  return out.buf.slice(0, out.n);
}

/** gzip member (RFC 1952) → bytes. */
export function gunzip(data: Uint8Array): Uint8Array {
  if (data.length < 18 || data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) throw new Error('gunzip: not gzip');
  const flg = data[3]!;
  let p = 10;
  if (flg & 4) p += 2 + (data[p]! | (data[p + 1]! << 8));
  if (flg & 8) while (p < data.length && data[p++] !== 0);
  if (flg & 16) while (p < data.length && data[p++] !== 0);
  if (flg & 2) p += 2;
  return inflateRaw(data.subarray(p));
}

/** "deflate" content coding: zlib-wrapped per the RFC, raw in practice from some servers. */
export function inflateAny(data: Uint8Array): Uint8Array {
  if (data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0) {
    try {
      return inflateRaw(data.subarray(2));
    } catch {
      /* fall through to raw */
    }
  }
  return inflateRaw(data);
}
