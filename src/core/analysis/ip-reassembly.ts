// IP fragment reassembly (IPv4 and IPv6): fragments collected in the first pass, results kept per frame.
import type { Packet } from '../dissect/packet';

/** One fragment as it was seen: where its payload lies so the completing frame can re-read it. */
export interface FragmentRef {
  frame: number;
  /** offset of the fragment's payload within the reassembled datagram */
  off: number;
  len: number;
  /** data source index and offset of the payload in that frame (source 0 = the frame's bytes) */
  src: number;
  at: number;
  /** the payload bytes when they are not in the frame itself (a reassembled source) */
  copy?: Uint8Array;
}

/** What a frame's dissection learns about its fragment, saved in the first pass. */
export interface FragmentResult {
  /** set on the frame that completed the datagram: all fragments by offset, and the total length */
  done?: { frags: FragmentRef[]; total: number };
}

interface Pending {
  frags: FragmentRef[];
  /** total length once the last fragment (more=false) was seen */
  total: number;
  /** bytes of each fragment, kept until the datagram completes */
  data: Map<FragmentRef, Uint8Array>;
}

class Table {
  readonly pending = new Map<string, Pending>();
}

/**
 * Add a fragment during the first pass; returns the reassembled payload when this fragment completes it.
 * On later dissections, returns the saved result (re-reading the fragments from their frames).
 */
export function addFragment(
  pkt: Packet,
  /** 'ip' or 'ipv6' */
  proto: string,
  key: string,
  off: number,
  bytes: Uint8Array,
  /** where `bytes` lives in the packet (source index, offset) */
  src: number,
  at: number,
  more: boolean,
): { frags: FragmentRef[]; total: number; data: Uint8Array } | null {
  const fdKey = `${proto}.frag`;
  if (!pkt.firstPass) {
    const r = pkt.session.frameData<FragmentResult>(fdKey, pkt.num);
    if (!r?.done) return null;
    return { ...r.done, data: rebuild(pkt, r.done.frags, r.done.total, bytes) };
  }
  const table = pkt.session.state(fdKey, () => new Table());
  let p = table.pending.get(key);
  if (!p) table.pending.set(key, (p = { frags: [], total: -1, data: new Map() }));
  const ref: FragmentRef = { frame: pkt.num, off, len: bytes.length, src, at };
  if (src !== 0) ref.copy = bytes.slice();
  // a retransmitted fragment (same offset and length as one already held) is not taken twice
  const dup = p.frags.some((f) => f.off === off && f.len === bytes.length);
  if (!dup) {
    p.frags.push(ref);
    p.data.set(ref, bytes.slice());
  }
  if (!more) p.total = off + bytes.length;
  if (p.total < 0) {
    pkt.session.setFrameData<FragmentResult>(fdKey, pkt.num, {});
    return null;
  }
  // complete when the fragments cover [0, total) without a gap
  const sorted = [...p.frags].sort((a, b) => a.off - b.off || a.frame - b.frame);
  let reach = 0;
  for (const f of sorted) {
    if (f.off > reach) break;
    reach = Math.max(reach, f.off + f.len);
  }
  if (reach < p.total) {
    pkt.session.setFrameData<FragmentResult>(fdKey, pkt.num, {});
    return null;
  }
  const data = new Uint8Array(p.total);
  for (const f of sorted) {
    // a fragment reaching past the end a last fragment declared adds nothing beyond it
    if (f.off >= p.total) continue;
    const b = p.data.get(f)!;
    data.set(b.subarray(0, Math.min(b.length, p.total - f.off)), f.off);
  }
  table.pending.delete(key);
  const done = { frags: sorted.map(({ frame, off: o, len, src: s, at: a, copy }) => ({ frame, off: o, len, src: s, at: a, copy })), total: p.total };
  pkt.session.setFrameData<FragmentResult>(fdKey, pkt.num, { done });
  return { ...done, data };
}

function rebuild(pkt: Packet, frags: FragmentRef[], total: number, own: Uint8Array): Uint8Array {
  const data = new Uint8Array(total);
  for (const f of frags) {
    let b: Uint8Array;
    if (f.copy) b = f.copy;
    else if (f.frame === pkt.num) b = own;
    else b = pkt.session.frames.bytes(f.frame).subarray(f.at, f.at + f.len);
    if (f.off >= total) continue;
    data.set(b.subarray(0, Math.min(b.length, total - f.off)), f.off);
  }
  return data;
}
