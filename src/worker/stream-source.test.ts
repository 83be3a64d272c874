// StreamingBlobSource: a file read as a stream, with the session reading records as bytes arrive; bytes of
// frames behind the readers come from the file itself; a stream that fails part way falls back to that.
import { describe, expect, it } from 'vitest';
import { pcap } from '../../test/helpers/pcap';
import { WorkerSession, type SessionHost } from './session';
import { StreamingBlobSource } from './source';
import type { Request, RequestBody, Response } from './protocol';

/** FileReaderSync's stand-in: Node's Blob has no synchronous read, so slices are read from the bytes. */
function readerOf(bytes: Uint8Array) {
  return {
    readAsArrayBuffer(b: Blob) {
      const { a, e } = b as unknown as { a: number; e: number };
      return bytes.slice(a, e).buffer;
    },
  };
}

/** A Blob-like over `bytes` whose stream() hands out `piece`-byte chunks, failing after `failAt` bytes. */
function fakeBlob(bytes: Uint8Array, piece: number, failAt = Infinity): Blob {
  return {
    size: bytes.length,
    slice: (a: number, e: number) => ({ a, e, arrayBuffer: async () => bytes.slice(a, e).buffer }),
    stream: () => {
      let off = 0;
      return new ReadableStream<Uint8Array>({
        pull(ctl) {
          if (off >= failAt) return ctl.error(new Error('disk went away'));
          if (off >= bytes.length) return ctl.close();
          const n = Math.min(piece, bytes.length - off);
          ctl.enqueue(bytes.slice(off, off + n));
          off += n;
        },
      });
    },
  } as unknown as Blob;
}

/** 9,000 frames of 1,400 bytes (12.7 MB: more than three 4 MiB blocks), each holding its number. */
function bigCapture(): Uint8Array {
  const frames = Array.from({ length: 9000 }, (_, i) => {
    const f = new Uint8Array(1400);
    new DataView(f.buffer).setUint32(100, i + 1);
    return f;
  });
  return pcap(frames);
}

async function load(blob: Blob, bytes: Uint8Array) {
  const out: Response[] = [];
  const queue: Array<() => void> = [];
  const host: SessionHost = { post: (m) => out.push(m), schedule: (fn) => queue.push(fn), now: () => performance.now() };
  let src: StreamingBlobSource | null = null;
  const s = new WorkerSession(host, {
    makeSource: async (b) => {
      src = new StreamingBlobSource(b, readerOf(bytes));
      await src.ready;
      return src;
    },
  });
  let id = 0;
  await s.handle({ type: 'open', file: blob, name: 'big.pcap', id: ++id } as Request);
  // run slices as the session asks for them, and let the stream deliver between them
  for (let i = 0; i < 100000 && !out.some((m) => m.type === 'loaded'); i++) {
    const fn = queue.shift();
    if (fn) fn();
    else await new Promise((r) => setTimeout(r, 0));
  }
  const send = (r: RequestBody) => s.handle({ ...r, id: ++id } as Request);
  return { s, out, send, src: src! };
}

describe('StreamingBlobSource', () => {
  const bytes = bigCapture();

  it('the session reads every record as the stream delivers; frames behind it are read from the file', async () => {
    const { s, out, src } = await load(fakeBlob(bytes, 65536), bytes);
    const loaded = out.find((m): m is Extract<Response, { type: 'loaded' }> => m.type === 'loaded')!;
    expect(loaded).toMatchObject({ frames: 9000, error: null, total: bytes.length });
    expect(out.find((m) => m.type === 'opened')).toMatchObject({ meta: { size: bytes.length } });
    expect(src.growing).toBe(false);
    // frame 1 lies in a block long dropped: its bytes come back through the file reader
    const cap = s.capture!;
    for (const num of [1, 2999, 6000, 9000]) expect(new DataView(cap.bytes(num).slice().buffer).getUint32(100)).toBe(num);
  });

  it('a stream that fails part way: the rest is read from the file, nothing is lost', async () => {
    const { out, s } = await load(fakeBlob(bytes, 1 << 20, 6 << 20), bytes);
    expect(out.find((m) => m.type === 'loaded')).toMatchObject({ frames: 9000, error: null });
    expect(new DataView(s.capture!.bytes(8500).slice().buffer).getUint32(100)).toBe(8500);
  });

  it('the stream ends after the session has read every byte it had: the first pass still finishes', async () => {
    // The last bytes arrive and wake the session, which reads every record and waits for more (the source is
    // still growing); only then does the stream say it is done. The capture was then done but still marked
    // waiting, the session stopped after one slice of the first pass, and the page sat at "Analysing… 0%".
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let off = 0;
    const blob = {
      size: bytes.length,
      slice: (a: number, e: number) => ({ a, e, arrayBuffer: async () => bytes.slice(a, e).buffer }),
      stream: () =>
        new ReadableStream<Uint8Array>({
          async pull(ctl) {
            if (off >= bytes.length) {
              await held;
              return ctl.close();
            }
            const n = Math.min(StreamingBlobSource.BLOCK, bytes.length - off);
            ctl.enqueue(bytes.slice(off, off + n));
            off += n;
          },
        }),
    } as unknown as Blob;
    const out: Response[] = [];
    const queue: Array<() => void> = [];
    const host: SessionHost = { post: (m) => out.push(m), schedule: (fn) => queue.push(fn), now: () => performance.now() };
    const s = new WorkerSession(host, {
      sliceFrames: 500,
      makeSource: async (b) => {
        const src = new StreamingBlobSource(b, readerOf(bytes));
        await src.ready;
        return src;
      },
    });
    await s.handle({ type: 'open', file: blob, name: 'big.pcap', id: 1 } as Request);
    const run = async () => {
      for (let idle = 0; idle < 50 && !out.some((m) => m.type === 'loaded'); ) {
        const fn = queue.shift();
        if (fn) {
          fn();
          idle = 0;
        } else {
          idle++;
          await new Promise((r) => setTimeout(r, 0));
        }
      }
    };
    await run();
    // every record read, the session idle, waiting for bytes
    expect(s.capture!.frames.count).toBe(9000);
    expect(s.capture!.waiting).toBe(true);
    release();
    await run();
    expect(out.find((m) => m.type === 'loaded')).toMatchObject({ frames: 9000, error: null });
    expect(s.capture!.analysed).toBe(9000);
  });

  it('before the readers start, the stream leaves the thread to other tasks (the first rows come at once)', async () => {
    // A stream whose bytes are all ready hands them over in one run of microtasks. Without turning to the
    // thread's tasks, the session's first slice waited until the stream was AHEAD bytes ahead.
    const src = new StreamingBlobSource(fakeBlob(bytes, 65536), readerOf(bytes));
    await src.ready;
    await new Promise((r) => setTimeout(r, 0));
    expect(src.growing).toBe(true);
    expect(src.size).toBeLessThan(StreamingBlobSource.BLOCK * 2);
    // once the readers are under way it reads on by itself to the end
    src.read(StreamingBlobSource.BLOCK, 10);
    while (src.growing) await new Promise((r) => setTimeout(r, 0));
    expect(src.size).toBe(bytes.length);
  });

  it("the stream's chunks are kept as they came and read in place; those well behind the readers are dropped", async () => {
    const src = new StreamingBlobSource(fakeBlob(bytes, 65536), readerOf(bytes));
    await src.ready;
    const first = src.view(100)!;
    expect(first.start).toBe(0);
    expect(first.bytes.length).toBe(65536);
    // a read inside one chunk is a view of it, not a copy
    expect(src.read(70000, 16).buffer).toBe(src.view(70000)!.bytes.buffer);
    expect(src.view(70000)!.start).toBe(65536);
    // the readers move 8 MiB on: the first chunks go, their bytes still come back (from the file)
    while (src.growing && src.size < (9 << 20)) await new Promise((r) => setTimeout(r, 0));
    expect(src.view(8 << 20)).not.toBeNull();
    expect(src.view(100)).toBeNull();
    expect(Array.from(src.read(100, 8))).toEqual(Array.from(bytes.subarray(100, 108)));
  });

  it('reads that straddle two blocks are joined; reads past what has arrived are short', async () => {
    const b = fakeBlob(bytes, 3 << 20);
    const src = new StreamingBlobSource(b, readerOf(bytes));
    await src.ready;
    const B = StreamingBlobSource.BLOCK;
    while (src.growing && src.size < B + 100) await new Promise((r) => setTimeout(r, 0));
    expect(Array.from(src.read(B - 3, 6))).toEqual(Array.from(bytes.subarray(B - 3, B + 3)));
    const size = src.size;
    if (src.growing) expect(src.read(size - 10, 100).length).toBe(10);
  });
});
