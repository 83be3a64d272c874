// Odd files through the worker session (as the page opens them): each opens, or is refused with a clear
// message. And a 2 GiB capture read through BlobSource (File.slice + FileReaderSync in the worker) without the
// file ever being in memory.
import { describe, expect, it } from 'vitest';
import { WorkerSession, type SessionHost } from '../../src/worker/session';
import { BlobSource } from '../../src/worker/source';
import { openCapture } from '../../src/core/formats/reader';
import type { Request, RequestBody, Response } from '../../src/worker/protocol';
import { backwardsTimestamps, emptyPcap, emptyPcapng, hugePcap, jumboFrame, notACapture, pcapng100Interfaces, snaplenZero, xssCapture } from './odd-captures';

function harness() {
  const out: Response[] = [];
  const queue: Array<() => void> = [];
  const host: SessionHost = { post: (m) => out.push(m), schedule: (fn) => queue.push(fn), now: () => 0 };
  const s = new WorkerSession(host, { sliceMs: 1e9 });
  let id = 0;
  const send = (r: RequestBody) => s.handle({ ...r, id: ++id } as Request);
  const drain = () => {
    for (let i = 0; i < 1e6 && queue.length; i++) queue.shift()!();
  };
  return { out, send, drain };
}
const of = <T extends Response['type']>(out: Response[], type: T) => out.filter((m): m is Extract<Response, { type: T }> => m.type === type);
const blob = (b: Uint8Array) => new Blob([b as BlobPart]);

async function open(bytes: Uint8Array, name: string) {
  const h = harness();
  await h.send({ type: 'open', file: blob(bytes), name });
  h.drain();
  return h;
}

function labels(tree: { label: string; children: unknown[] | null }[], out: string[] = []): string[] {
  for (const n of tree) {
    out.push(n.label);
    if (n.children) labels(n.children as typeof tree, out);
  }
  return out;
}

describe('odd files open or are refused with a message', () => {
  it('one 256 KiB jumbo frame', async () => {
    const h = await open(jumboFrame(), 'jumbo.pcap');
    expect(of(h.out, 'loaded')[0]).toMatchObject({ frames: 1, error: null });
    h.send({ type: 'select', frame: 1 });
    const pkt = of(h.out, 'packet')[0]!;
    expect(pkt.tree[0]!.label).toMatch(/^Frame 1: 262144 bytes on wire \(2097152 bits\), 262144 bytes captured/);
    expect(pkt.sources[0]!.bytes.length).toBe(262144);
  });

  it('a pcap with 0 packets', async () => {
    const h = await open(emptyPcap(), 'empty.pcap');
    expect(of(h.out, 'opened')[0]!.meta.format).toBe('pcap');
    expect(of(h.out, 'loaded')[0]).toMatchObject({ frames: 0, displayed: 0, error: null });
    h.send({ type: 'rows', start: 0, count: 10 });
    expect(of(h.out, 'rows')[0]!.rows).toEqual([]);
  });

  it('a pcapng with 0 packets (and no interfaces)', async () => {
    const h = await open(emptyPcapng(), 'empty.pcapng');
    expect(of(h.out, 'opened')[0]!.meta.format).toBe('pcapng');
    expect(of(h.out, 'loaded')[0]).toMatchObject({ frames: 0, error: null });
  });

  it('a pcapng with 100 interfaces', async () => {
    const h = await open(pcapng100Interfaces(), '100.pcapng');
    expect(of(h.out, 'loaded')[0]).toMatchObject({ frames: 10, error: null });
    h.send({ type: 'select', frame: 10 });
    const all = labels(of(h.out, 'packet')[0]!.tree);
    expect(all).toContain('Interface id: 90 (if90)');
    expect(all.some((l) => l.startsWith('User Datagram Protocol, Src Port: 1090'))).toBe(true);
  });

  it('timestamps going backwards: negative relative times, in file order', async () => {
    const h = await open(backwardsTimestamps(), 'back.pcap');
    expect(of(h.out, 'loaded')[0]).toMatchObject({ frames: 5, error: null });
    h.send({ type: 'rows', start: 0, count: 5 });
    const rows = of(h.out, 'rows')[0]!.rows;
    expect(rows.map((r) => r.num)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.map((r) => Math.round(r.time))).toEqual([0, -50, -25, -100000100, -1700000100]);
  });

  it('snaplen 0 in the file header', async () => {
    const h = await open(snaplenZero(), 'snap0.pcap');
    expect(of(h.out, 'loaded')[0]).toMatchObject({ frames: 3, error: null });
  });

  it('not a capture: refused with a message', async () => {
    const h = await open(notACapture(), 'x.zip');
    const err = of(h.out, 'error')[0]!;
    expect(err.error.message).toBe('not a pcap or pcapng file: first bytes 50 4b 03 04');
  });

  it('a file cut in the middle of a record: the frames before it, and a message', async () => {
    const whole = snaplenZero();
    const h = await open(whole.subarray(0, whole.length - 5), 'cut.pcap');
    const loaded = of(h.out, 'loaded')[0]!;
    expect(loaded.frames).toBe(2);
    expect(loaded.error?.message).toMatch(/cut short in the middle of a packet/);
  });

  it('the XSS capture opens (18 frames) and keeps its strings as they are', async () => {
    const h = await open(xssCapture(), 'xss.pcap');
    expect(of(h.out, 'loaded')[0]).toMatchObject({ frames: 18, error: null });
    h.send({ type: 'rows', start: 0, count: 18 });
    const rows = of(h.out, 'rows')[0]!.rows;
    expect(rows[0]!.info).toContain('<script>alert(1)</script>');
    expect(rows[5]!.info).toBe('GET /<script>alert(1)</script>?q=<img src=x onerror=window.__xss=1> HTTP/1.1 ');
  });
});

/** A 2 GiB pcap that exists only as a function of the offset: a Blob look-alike and a FileReaderSync look-alike. */
function virtualHugeFile(total: number) {
  // the file is a header then identical records: build the header and one record with the real generator
  const parts: Uint8Array[] = [];
  hugePcap(24 + 2 * 1530, (c) => parts.push(c.slice()));
  const head = parts[0]!;
  const rec = parts[1]!.subarray(0, parts[1]!.length / 2);
  const frames = Math.floor((total - head.length) / rec.length);
  const size = head.length + frames * rec.length;
  const period = new Uint8Array(rec.length * 2 + (8 << 20));
  for (let o = 0; o < period.length; o += rec.length) period.set(rec.subarray(0, Math.min(rec.length, period.length - o)), o);
  const stats = { reads: 0, maxRead: 0, bytes: 0 };
  const blobLike = {
    size,
    slice: (a: number, b: number) => ({ a, b: Math.min(b, size) }),
  } as unknown as Blob;
  const reader = {
    readAsArrayBuffer(s: Blob): ArrayBuffer {
      const { a, b } = s as unknown as { a: number; b: number };
      const n = Math.max(0, b - a);
      stats.reads++;
      stats.maxRead = Math.max(stats.maxRead, n);
      stats.bytes += n;
      if (n > period.length - rec.length) throw new Error(`a read of ${n} bytes: the reader wants the file in memory`);
      const out = new Uint8Array(n);
      let o = 0;
      if (a < head.length) {
        const k = Math.min(n, head.length - a);
        out.set(head.subarray(a, a + k));
        o = k;
      }
      if (o < n) {
        const phase = (a + o - head.length) % rec.length;
        out.set(period.subarray(phase, phase + (n - o)), o);
      }
      return out.buffer;
    },
  };
  return { blobLike, reader, frames, size, stats };
}

describe('a 2 GiB capture', () => {
  it('is read record by record through Blob slices, never whole', () => {
    const v = virtualHugeFile(2 ** 31);
    expect(v.size).toBeGreaterThan(2 ** 31 - 2000);
    const src = new BlobSource(v.blobLike, v.reader);
    const r = openCapture(src);
    let n = 0;
    let last = 0;
    for (let rec = r.next(); rec; rec = r.next()) {
      n++;
      last = rec.offset;
    }
    expect(n).toBe(v.frames);
    expect(last).toBeGreaterThan(2 ** 31 - 3000);
    // every byte was read (about once), in slices of a few MiB at most
    expect(v.stats.bytes).toBeGreaterThanOrEqual(v.size);
    expect(v.stats.bytes).toBeLessThan(v.size * 1.1);
    expect(v.stats.maxRead).toBeLessThanOrEqual(8 << 20);
    // and a frame near the end reads back as the frame it is
    const b = src.read(last, 1514);
    expect(b.length).toBe(1514);
    expect(b[12]).toBe(0x08);
  }, 120_000);
});
