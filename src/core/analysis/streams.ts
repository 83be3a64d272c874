// Which frames belong to a TCP stream or a UDP stream, from what the first pass recorded (no dissection):
// TCP keeps `stream index + 1` per frame in a typed array (tcp-state.ts), UDP keeps its stream index in the
// per-frame data of the 'udp' key (dissectors/udp.ts). Both are filled while the capture is read, so the
// answers cover the frames loaded so far.

import type { Session } from '../dissect/session';
import { tcpState } from './tcp-state';

export type StreamKind = 'tcp' | 'udp';

/** What the UDP dissector saves per frame in the first pass (only the stream index is read here). */
interface UdpFrameData {
  stream: number;
}

/** The TCP stream index of frame `num` (its first TCP layer), or -1 when it has none. */
export function tcpStreamOf(session: Session, num: number): number {
  const s = tcpState(session).frames.stream;
  return num > 0 && num < s.length && s[num]! > 0 ? s[num]! - 1 : -1;
}

/** The UDP stream index of frame `num` (its first UDP layer), or -1 when it has none. */
export function udpStreamOf(session: Session, num: number): number {
  const d = session.frameData<UdpFrameData>('udp', num);
  return d && typeof d.stream === 'number' ? d.stream : -1;
}

export function streamOf(session: Session, kind: StreamKind, num: number): number {
  return kind === 'tcp' ? tcpStreamOf(session, num) : udpStreamOf(session, num);
}

/** A growable list of frame numbers. */
class Frames {
  buf = new Uint32Array(64);
  n = 0;
  push(v: number): void {
    if (this.n === this.buf.length) {
      const b = new Uint32Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.n++] = v;
  }
  done(): Uint32Array {
    return this.buf.slice(0, this.n);
  }
}

/** Frames (ascending) of TCP stream `stream` among frames 1..count (default: all frames read so far). */
export function tcpStreamFrames(session: Session, stream: number, count = session.frames.count()): Uint32Array {
  const out = new Frames();
  if (stream < 0) return out.done();
  const s = tcpState(session).frames.stream;
  const want = stream + 1;
  const end = Math.min(count, s.length - 1);
  for (let num = 1; num <= end; num++) if (s[num] === want) out.push(num);
  return out.done();
}

/** Frames (ascending) of UDP stream `stream` among frames 1..count (default: all frames read so far). */
export function udpStreamFrames(session: Session, stream: number, count = session.frames.count()): Uint32Array {
  const out = new Frames();
  if (stream < 0) return out.done();
  for (let num = 1; num <= count; num++) {
    const d = session.frameData<UdpFrameData>('udp', num);
    if (d && d.stream === stream) out.push(num);
  }
  return out.done();
}

export function streamFrames(session: Session, kind: StreamKind, stream: number, count?: number): Uint32Array {
  return kind === 'tcp' ? tcpStreamFrames(session, stream, count) : udpStreamFrames(session, stream, count);
}

/** Number of TCP streams seen so far. */
export function tcpStreamCount(session: Session): number {
  return tcpState(session).streams.length;
}
