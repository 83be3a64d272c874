import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { MemorySource } from '../core/formats/reader';
import { WorkerSession, checkFilter, type SessionHost } from './session';
import { BlobSource, prepareSource } from './source';
import type { Request, RequestBody, Response } from './protocol';

const CAPS = '/work/shared/captures';
const SAMPLE = new URL('../../public/samples/http-get.pcap', import.meta.url);
const BIG = `${CAPS}/generated/05_http_download_2mb_netns.pcap`;

/** A host that runs scheduled work only when asked, so tests can interleave requests with slices. */
function harness(opts: { sliceFrames?: number; sliceMs?: number } = {}) {
  const out: Response[] = [];
  const queue: Array<() => void> = [];
  let t = 0;
  const host: SessionHost = {
    post: (m) => out.push(m),
    schedule: (fn) => queue.push(fn),
    now: () => t,
  };
  const s = new WorkerSession(host, { sliceMs: opts.sliceMs ?? 1e9, sliceFrames: opts.sliceFrames });
  let id = 0;
  const send = (r: RequestBody) => {
    const req = { ...r, id: ++id } as Request;
    return { id: req.id, done: s.handle(req) };
  };
  const drain = (max = 1e6) => {
    for (let i = 0; i < max && queue.length; i++) queue.shift()!();
  };
  const step = () => queue.shift()?.();
  return { s, out, send, drain, step, queue, advance: (ms: number) => (t += ms) };
}

const blob = (b: Uint8Array) => new Blob([b as BlobPart]);
const of = <T extends Response['type']>(out: Response[], type: T) =>
  out.filter((m): m is Extract<Response, { type: T }> => m.type === type);

describe('WorkerSession', () => {
  const sample = new Uint8Array(readFileSync(SAMPLE));

  it('opens the sample and loads 12 frames', async () => {
    const h = harness();
    await h.send({ type: 'open', file: blob(sample), name: 'http-get.pcap' }).done;
    expect(of(h.out, 'opened')[0]!.meta).toMatchObject({ name: 'http-get.pcap', format: 'pcap', gzip: false, size: 1522 });
    h.drain();
    const loaded = of(h.out, 'loaded')[0]!;
    expect(loaded).toMatchObject({ frames: 12, displayed: 12, error: null, displayedFrames: null, total: 1522 });
  });

  it('answers rows and select with plain data', async () => {
    const h = harness();
    await h.send({ type: 'open', file: blob(sample), name: 'x' }).done;
    h.drain();
    h.send({ type: 'rows', start: 10, count: 5 });
    const rows = of(h.out, 'rows')[0]!;
    expect(rows.start).toBe(10);
    expect(rows.rows.map((r) => r.num)).toEqual([11, 12]);
    h.send({ type: 'select', frame: 1 });
    const pkt = of(h.out, 'packet')[0]!;
    expect(pkt.frame).toBe(1);
    expect(pkt.tree[0]!.label).toMatch(/^Frame 1: 74 bytes on wire/);
    expect(pkt.tree[0]!.abbrev).toBe('frame');
    expect(pkt.sources[0]!.name).toBe('Frame');
    expect(pkt.sources[0]!.bytes.length).toBe(74);
    // plain objects only: survives structuredClone
    expect(structuredClone(pkt.tree)).toEqual(pkt.tree);
  });

  it('keeps the previous capture when a non-capture is opened', async () => {
    const h = harness();
    await h.send({ type: 'open', file: blob(sample), name: 'a' }).done;
    h.drain();
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]);
    const { id } = h.send({ type: 'open', file: blob(zip), name: 'b.zip' });
    await h.s.handle({ id: 99, type: 'rows', start: 0, count: 1 });
    await new Promise((r) => setTimeout(r, 0));
    const err = of(h.out, 'error').find((e) => e.id === id);
    expect(err?.error.message).toBe('not a pcap or pcapng file: first bytes 50 4b 03 04');
    expect(h.s.capture?.frames.count).toBe(12);
  });

  it('reports a capture cut short with its whole frames', async () => {
    const h = harness();
    await h.send({ type: 'open', file: blob(sample.subarray(0, 1000)), name: 'cut' }).done;
    h.drain();
    const loaded = of(h.out, 'loaded')[0]!;
    expect(loaded.error?.kind).toBe('cut-short');
    expect(loaded.error?.message).toMatch(/cut short/);
    expect(loaded.frames).toBeGreaterThan(0);
    expect(loaded.frames).toBeLessThan(12);
  });

  it('opens a gzip-compressed capture', async () => {
    const h = harness();
    await h.send({ type: 'open', file: blob(gzipSync(sample)), name: 'x.pcap.gz' }).done;
    h.drain();
    expect(of(h.out, 'opened')[0]!.meta.gzip).toBe(true);
    expect(of(h.out, 'loaded')[0]!.frames).toBe(12);
  });

  it('treats a gzip cut short as a capture cut short', async () => {
    const h = harness();
    const gz = gzipSync(sample);
    await h.send({ type: 'open', file: blob(gz.subarray(0, gz.length - 30)), name: 'x.pcap.gz' }).done;
    h.drain();
    const loaded = of(h.out, 'loaded')[0]!;
    expect(loaded.error?.kind).toBe('cut-short');
  });

  it.skipIf(!existsSync(BIG))('loads in slices with progress, and answers rows between slices', async () => {
    const h = harness({ sliceFrames: 500 });
    await h.send({ type: 'open', file: blob(new Uint8Array(readFileSync(BIG))), name: 'big' }).done;
    h.step();
    const p = of(h.out, 'progress');
    expect(p.length).toBe(1);
    expect(p[0]!.frames).toBe(500);
    expect(p[0]!.bytesRead).toBeGreaterThan(0);
    h.send({ type: 'rows', start: 0, count: 3 });
    expect(of(h.out, 'rows')[0]!.rows.map((r) => r.num)).toEqual([1, 2, 3]);
    h.drain();
    const loaded = of(h.out, 'loaded')[0]!;
    expect(loaded.frames).toBe(2490); // tshark -r 05_http_download_2mb_netns.pcap | wc -l
    expect(loaded.bytesRead).toBe(loaded.total);
  });

  it('filters: empty shows all, a newer filter cancels an older one, errors keep the old filter', async () => {
    const h = harness({ sliceMs: 0 });
    await h.send({ type: 'open', file: blob(sample), name: 'x' }).done;
    h.drain();
    // a filter that matches every frame (the frame protocol is always present)
    const a = h.send({ type: 'filter', text: 'frame' });
    const b = h.send({ type: 'filter', text: 'frame' });
    expect(h.out.find((m) => m.id === a.id)?.type).toBe('cancelled');
    h.drain();
    const f = of(h.out, 'filtered').find((m) => m.id === b.id)!;
    expect(f.displayed).toBe(12);
    expect(f.frames).toBeInstanceOf(Uint32Array);
    expect(Array.from(f.frames!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(f.complete).toBe(true);

    const bad = h.send({ type: 'filter', text: 'frame &&' });
    expect(of(h.out, 'error').find((m) => m.id === bad.id)?.request).toBe('filter');
    const none = h.send({ type: 'filter', text: '!frame' });
    h.drain();
    expect(of(h.out, 'filtered').find((m) => m.id === none.id)!.displayed).toBe(0);
    h.send({ type: 'rows', start: 0, count: 5 });
    expect(of(h.out, 'rows').at(-1)!.rows).toEqual([]);

    const clear = h.send({ type: 'filter', text: '' });
    const cl = of(h.out, 'filtered').find((m) => m.id === clear.id)!;
    expect(cl.frames).toBeNull();
    expect(cl.displayed).toBe(12);
  });

  it('keeps a filter while loading and extends it as frames arrive', async () => {
    if (!existsSync(BIG)) return;
    const h = harness({ sliceFrames: 1000 });
    h.send({ type: 'filter', text: 'frame' });
    await h.send({ type: 'open', file: blob(new Uint8Array(readFileSync(BIG))), name: 'big' }).done;
    h.drain();
    const loaded = of(h.out, 'loaded')[0]!;
    expect(loaded.displayed).toBe(2490);
    expect(loaded.displayedFrames?.length).toBe(2490);
  });

  it('checks filters without applying them', () => {
    expect(checkFilter('').ok).toBe(true);
    expect(checkFilter('frame').ok).toBe(true);
    const r = checkFilter('  frame &&');
    expect(r.ok).toBe(false);
  });
});

describe('BlobSource', () => {
  it('reads across block boundaries like a MemorySource', async () => {
    const bytes = new Uint8Array(10_000).map((_, i) => (i * 7) & 255);
    // a Blob stand-in whose slice() remembers the range, and a FileReaderSync stand-in that reads it
    const fake = { size: bytes.length, slice: (a: number, e: number) => ({ a, e }) } as unknown as Blob;
    const reader = {
      readAsArrayBuffer: (s: Blob) => {
        const { a, e } = s as unknown as { a: number; e: number };
        return bytes.slice(a, e).buffer;
      },
    };
    const src = new BlobSource(fake, reader, 1000, 3);
    const mem = new MemorySource(bytes);
    for (const [o, n] of [[0, 10], [995, 10], [1000, 1000], [2999, 2500], [9990, 100], [0, 10_000], [5000, 0]] as const) {
      expect(Array.from(src.read(o, n))).toEqual(Array.from(mem.read(o, n)));
    }
  });

  it('prepareSource detects gzip by its magic bytes', async () => {
    const raw = new Uint8Array([1, 2, 3, 4, 5]);
    const p1 = await prepareSource(blob(raw));
    expect(p1.gzip).toBe(false);
    const p2 = await prepareSource(blob(gzipSync(raw)));
    expect(p2.gzip).toBe(true);
    expect(Array.from(p2.src.read(0, 5))).toEqual([1, 2, 3, 4, 5]);
  });
});
