// TCP reassembly tables: multi-segment PDUs per flow and their fragments, as Wireshark's desegmentation keeps them.
import {
  FRAG_MULTIPLE_TAILS,
  FRAG_OVERLAP,
  FRAG_OVERLAP_CONFLICT,
  FRAG_TOO_LONG,
  MSP_ENTIRE_SEGMENT,
  type Flow,
  type Frag,
  type Msp,
} from './tcp-state';

/** A fragment that cannot be added (Wireshark's ReassemblyError); reported on the frame. */
export class ReassemblyError extends Error {}

/** Unsigned comparison of 32-bit keys, as Wireshark's tree of PDUs orders them. */
function keyLE(a: number, b: number): boolean {
  return a >>> 0 <= b >>> 0;
}

/** Index of the last PDU whose seq is ≤ key (unsigned), or -1. */
function indexLE(msps: readonly Msp[], key: number): number {
  let lo = 0;
  let hi = msps.length - 1;
  let found = -1;
  key >>>= 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (keyLE(msps[mid]!.seq, key)) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The PDU starting at the greatest seq ≤ key. */
export function mspLookupLE(flow: Flow, key: number): Msp | undefined {
  const i = indexLE(flow.msps, key);
  return i < 0 ? undefined : flow.msps[i];
}

/** The PDU starting exactly at seq. */
export function mspLookup(flow: Flow, seq: number): Msp | undefined {
  const i = indexLE(flow.msps, seq);
  return i >= 0 && flow.msps[i]!.seq === seq >>> 0 ? flow.msps[i] : undefined;
}

/** Record a PDU that starts at seq and ends before nxtpdu (replacing one that started at the same seq). */
export function mspStore(flow: Flow, seq: number, nxtpdu: number, frame: number): Msp {
  const msp: Msp = {
    seq: seq >>> 0,
    nxtpdu: nxtpdu >>> 0,
    firstFrame: frame,
    lastFrame: frame,
    flags: 0,
    frags: [],
    datalen: -1,
    reassembledIn: 0,
    partial: false,
    defragmented: false,
    data: null,
    buf: null,
    bufLen: 0,
  };
  const i = indexLE(flow.msps, msp.seq);
  if (i >= 0 && flow.msps[i]!.seq === msp.seq) flow.msps[i] = msp;
  else flow.msps.splice(i + 1, 0, msp);
  return msp;
}

/** Append bytes at the end of the PDU's contiguous buffer, growing it as needed. */
function append(msp: Msp, bytes: Uint8Array): void {
  const need = msp.bufLen + bytes.length;
  let buf = msp.buf;
  if (!buf || buf.length < need) {
    // size for the PDU when its end is known, else double
    const expect = (msp.nxtpdu - msp.seq) >>> 0;
    let size = Math.max(need, buf ? buf.length * 2 : 0, expect <= 0x200000 ? expect : 0, 4096);
    if (size > need * 2 && size > 0x200000) size = need * 2;
    const nb = new Uint8Array(size);
    if (buf) nb.set(buf.subarray(0, msp.bufLen));
    msp.buf = buf = nb;
  }
  buf.set(bytes, msp.bufLen);
  msp.bufLen = need;
}

/**
 * Add a fragment (offset within the PDU) as Wireshark's fragment_add does; returns true when this
 * completes the PDU (msp.data then holds it). Adding to a completed PDU that may not grow throws.
 * Fragments that continue the data seen so far go into one growing buffer; others keep a copy.
 */
export function fragAdd(
  msp: Msp,
  frame: number,
  off: number,
  bytes: Uint8Array,
  at: number,
  more: boolean,
): boolean {
  const len = bytes.length;
  if (msp.defragmented) {
    if (off + len > msp.datalen) {
      if (msp.partial) {
        // continue the reassembly from the completed data
        const data = msp.data!;
        // the completed bytes become the buffer the rest is appended to
        if (!msp.buf || data.buffer !== msp.buf.buffer) msp.buf = data.slice();
        for (const f of msp.frags) f.inBuf = f.off + f.len <= data.length;
        msp.bufLen = data.length;
        msp.defragmented = false;
        msp.partial = false;
        msp.datalen = -1;
        msp.reassembledIn = 0;
      } else if (off >= msp.datalen) {
        throw new ReassemblyError('New fragment past old data limits');
      } else {
        throw new ReassemblyError('New fragment overlaps old data (retransmission?)');
      }
    } else {
      throw new ReassemblyError('New fragment overlaps old data (retransmission?)');
    }
  }
  const frag: Frag = { frame, off, len, bytes: null, at, flags: 0, inBuf: false };
  if (off === msp.bufLen) {
    append(msp, bytes);
    frag.inBuf = true;
    // bytes from a reassembled source cannot be read again from their frame later
    if (at < 0) frag.bytes = bytes.slice();
  } else frag.bytes = bytes.slice();
  if (!more) {
    if (msp.datalen < 0) msp.datalen = off + len;
    else if (msp.datalen !== off + len) frag.flags |= FRAG_MULTIPLE_TAILS;
  }
  // keep fragments sorted by offset, a new one after those with the same offset
  const frags = msp.frags;
  let i = frags.length;
  while (i > 0 && frags[i - 1]!.off > off) i--;
  if (i === frags.length) frags.push(frag);
  else frags.splice(i, 0, frag);
  if (msp.datalen < 0) return false;
  if (msp.bufLen < msp.datalen) {
    let max = 0;
    for (const f of frags) if (f.off <= max && f.off + f.len > max) max = f.off + f.len;
    if (max < msp.datalen) return false;
  }
  defragment(msp, frame);
  return true;
}

function defragment(msp: Msp, frame: number): void {
  const datalen = msp.datalen;
  const buf = msp.buf;
  let simple = !!buf && msp.bufLen >= datalen;
  if (simple) for (const f of msp.frags) if (!f.inBuf) simple = false;
  let data: Uint8Array;
  if (simple) {
    // everything arrived in order: the buffer is the PDU
    data = buf!.subarray(0, datalen);
    for (const f of msp.frags) if (f.off + f.len > datalen) f.flags |= FRAG_TOO_LONG;
  } else {
    data = new Uint8Array(datalen);
    let pos = 0;
    for (const f of msp.frags) {
      const b = f.bytes ?? buf!.subarray(f.off, f.off + f.len);
      if (f.off + f.len > datalen) f.flags |= FRAG_TOO_LONG;
      if (f.off < pos && f.off < datalen) {
        // bytes seen before: earlier fragments win, differences are noted
        f.flags |= FRAG_OVERLAP;
        const n = Math.min(f.len, pos - f.off, datalen - f.off);
        for (let i = 0; i < n; i++) {
          if (data[f.off + i] !== b[i]) {
            f.flags |= FRAG_OVERLAP_CONFLICT;
            break;
          }
        }
      }
      const end = Math.min(f.off + f.len, datalen);
      if (end > pos && f.off < datalen) {
        const from = Math.max(pos, f.off);
        data.set(b.subarray(from - f.off, end - f.off), from);
        pos = end;
      }
    }
  }
  // bytes that can be re-read from their frame are dropped; others (from a reassembled source) stay
  for (const f of msp.frags) {
    if (f.at >= 0) f.bytes = null;
    f.inBuf = false;
  }
  msp.buf = simple ? buf : null;
  msp.bufLen = simple ? msp.bufLen : 0;
  msp.data = data;
  msp.defragmented = true;
  msp.reassembledIn = frame;
}

/** The PDU is done with (not to be extended): drop its bytes, later dissections read them from the frames. */
export function releaseData(msp: Msp): void {
  if (msp.partial) return;
  msp.data = null;
  msp.buf = null;
  msp.bufLen = 0;
}

/** Wireshark's fragment_set_partial_reassembly: a completed PDU may still grow. */
export function setPartial(msp: Msp): void {
  if (msp.defragmented) msp.partial = true;
}

export { MSP_ENTIRE_SEGMENT };
