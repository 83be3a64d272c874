import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { MemorySource } from '../core/formats/reader';
import { WorkerSession, checkFilter, type SessionHost } from './session';
import { BlobSource, prepareSource } from './source';
import type { Request, RequestBody, Response } from './protocol';
import { pcap } from '../../test/helpers/pcap';

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

  it('answers rows with tcpdump lines when asked (what `tcpdump -n -r` printed, in local time), also filtered', async () => {
    const h = harness({ sliceMs: 0 });
    await h.send({ type: 'open', file: blob(sample), name: 'x' }).done;
    h.drain();
    const golden = readFileSync(new URL('../../test/fixtures/golden/tcpdump/01_http_get_loopback.pcap.txt', import.meta.url), 'latin1').split('\n');
    h.send({ type: 'rows', start: 0, count: 3 });
    expect(of(h.out, 'rows')[0]!.rows.every((r) => r.tcpdump === undefined)).toBe(true);
    h.send({ type: 'rows', start: 0, count: 3, tcpdump: true });
    const withLines = of(h.out, 'rows')[1]!;
    expect(withLines.tcpdump).toBe(true);
    // the golden was made with TZ=UTC; the worker writes the time of day in the machine's zone
    const clock = /^\d\d:\d\d:\d\d\.\d{6} /;
    for (const [i, r] of withLines.rows.entries()) {
      expect(r.tcpdump).toMatch(clock);
      expect(r.tcpdump!.slice(16)).toBe(golden[i]!.slice(16));
    }
    h.send({ type: 'filter', text: 'tcp.flags.fin == 1' });
    h.drain();
    h.send({ type: 'rows', start: 0, count: 10, tcpdump: true });
    const fins = of(h.out, 'rows')[2]!.rows;
    expect(fins.map((r) => r.num)).toEqual([10, 11]);
    expect(fins.map((r) => r.tcpdump!.slice(16))).toEqual([golden[9]!.slice(16), golden[10]!.slice(16)]);
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
    // records are read (indexed) ahead of the first pass, which does one slice's worth
    expect(p[0]!.frames).toBe(2490);
    expect(p[0]!.analysed).toBe(500);
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

  it('a filter that needs the first pass, applied while the first pass runs, still finishes (it used to wait forever)', async () => {
    // tshark -r 20_tcp_loss_nosack_netns.pcap -Y tcp.analysis.retransmission | wc -l → 7 (golden filters.tsv)
    const lossy = new Uint8Array(readFileSync(new URL('../../test/fixtures/captures/20_tcp_loss_nosack_netns.pcap', import.meta.url)));
    const golden = readFileSync(new URL('../../test/fixtures/golden/20_tcp_loss_nosack_netns.pcap/filters.tsv', import.meta.url), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('tcp.analysis.retransmission\t'))!
      .split('\t')[1]!
      .split(',')
      .map(Number);
    for (const before of ['', 'tcp.analysis.retransmission']) {
      // sliceFrames 2: each slice takes the first pass 2 frames on, so the filter arrives long before it ends
      const h = harness({ sliceFrames: 2 });
      if (before) h.send({ type: 'filter', text: before });
      await h.send({ type: 'open', file: blob(lossy), name: 'lossy' }).done;
      h.step();
      expect(h.s.capture!.analysed).toBeLessThan(125);
      const f = h.send({ type: 'filter', text: 'tcp.analysis.retransmission' });
      h.drain(10_000);
      expect(h.queue.length, `work left after 10,000 slices (filter first: ${before || 'none'})`).toBe(0);
      expect(of(h.out, 'loaded')[0]!.frames).toBe(125);
      const done = of(h.out, 'filtered').find((m) => m.id === f.id)!;
      expect(Array.from(done.frames!)).toEqual(golden);
    }
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

  it('a sequential walk reads runs of blocks in one call; random reads one block', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 13) & 255);
    const fake = { size: bytes.length, slice: (a: number, e: number) => ({ a, e }) } as unknown as Blob;
    const calls: Array<[number, number]> = [];
    const reader = {
      readAsArrayBuffer: (s: Blob) => {
        const { a, e } = s as unknown as { a: number; e: number };
        calls.push([a, e]);
        return bytes.slice(a, e).buffer;
      },
    };
    // blocks of 1000 bytes, 12 cached, runs of 4
    const src = new BlobSource(fake, reader, 1000, 12, 4);
    const mem = new MemorySource(bytes);
    // frames of 700 bytes read in order, as the first pass does
    for (let o = 0; o < 100_000; o += 700) expect(Array.from(src.read(o, 700))).toEqual(Array.from(mem.read(o, 700)));
    // block 0 alone, then runs of 4 blocks: 1-4, 5-8, …, 97-99 (the last run is cut at the file's end)
    expect(calls.slice(0, 3)).toEqual([[0, 1000], [1000, 5000], [5000, 9000]]);
    expect(calls.at(-1)).toEqual([97_000, 100_000]);
    expect(calls.length).toBe(1 + 25);
    // a read far away is one block, and so is the next read at random
    calls.length = 0;
    expect(Array.from(src.read(40_100, 50))).toEqual(Array.from(mem.read(40_100, 50)));
    expect(Array.from(src.read(10_100, 50))).toEqual(Array.from(mem.read(10_100, 50)));
    expect(calls).toEqual([[40_000, 41_000], [10_000, 11_000]]);
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

describe('WorkerSession analysis requests', () => {
  const sample = new Uint8Array(readFileSync(SAMPLE));
  const RETRANS = new URL('../../test/fixtures/captures/zeek__retransmit-fast009.pcap', import.meta.url);
  const ICMP6 = new URL('../../test/fixtures/captures/zeek__communityid-icmp6.pcap', import.meta.url);

  async function opened(bytes: Uint8Array, opts: { sliceFrames?: number } = {}) {
    const h = harness(opts);
    await h.send({ type: 'open', file: blob(bytes), name: 'x' }).done;
    return h;
  }

  it('ladder: the TCP stream of a frame, as a structured-clone-safe model', async () => {
    const h = await opened(sample);
    h.drain();
    const { id } = h.send({ type: 'ladder', target: { frame: 4 } });
    const m = of(h.out, 'ladder').find((x) => x.id === id)!;
    expect(m.frame).toBe(4);
    expect(m.conv).toEqual({ kind: 'tcp', stream: 0, filter: 'tcp.stream eq 0', label: '127.0.0.1:43874 ⇄ 127.0.0.1:11699' });
    expect(m.model!.rows.map((r) => r.frame)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(m.model!.rows[2]!.states[0]).toBe('ESTABLISHED');
    expect(structuredClone(m.model)).toEqual(m.model);
    h.send({ type: 'ladder', target: { kind: 'tcp', stream: 3 } });
    expect(of(h.out, 'ladder').at(-1)!.reason).toBe('There is no TCP stream 3.');
    h.send({ type: 'ladder', target: { frame: 40 } });
    expect(of(h.out, 'ladder').at(-1)!.model).toBeNull();
  });

  it('ladder: a lossy stream keeps every frame (tshark -Y "tcp.stream eq 0": 39)', async () => {
    const h = await opened(new Uint8Array(readFileSync(RETRANS)));
    h.drain();
    h.send({ type: 'ladder', target: { kind: 'tcp', stream: 0 } });
    const m = of(h.out, 'ladder').at(-1)!;
    expect(m.model!.rows.length).toBe(39);
    expect(m.model!.rows.some((r) => r.packet.badges?.includes('fast_retransmission'))).toBe(true);
  });

  it('ladder: an ICMPv6 frame gives the ICMP conversation between its two hosts', async () => {
    const h = await opened(new Uint8Array(readFileSync(ICMP6)));
    h.drain();
    h.send({ type: 'ladder', target: { frame: 1 } });
    const m = of(h.out, 'ladder').at(-1)!;
    expect(m.conv?.kind).toBe('icmp');
    expect(m.model!.transport).toBe('icmp');
    expect(m.model!.rows.length).toBeGreaterThan(0);
  });

  it('follow: the sample’s HTTP stream, bytes in one transferable buffer', async () => {
    const h = await opened(sample);
    h.drain();
    h.send({ type: 'follow', kind: 'tcp', frame: 8 });
    const f = of(h.out, 'follow').at(-1)!;
    const r = f.result!;
    expect(r.filter).toBe('tcp.stream eq 0');
    expect(r.nodes).toEqual(['127.0.0.1:43874', '127.0.0.1:11699']);
    expect(r.chunks).toEqual([
      { frame: 4, dir: 0, start: 0, len: 79 },
      { frame: 6, dir: 1, start: 79, len: 186 },
      { frame: 8, dir: 1, start: 265, len: 233 },
    ]);
    expect(new TextDecoder().decode(r.data.subarray(0, 14))).toBe('GET / HTTP/1.1');
    expect([r.bytes, r.packets, r.turns, r.maxStream]).toEqual([[79, 419], [1, 2], 1, 0]);
    h.send({ type: 'follow', kind: 'udp', frame: 8 });
    expect(of(h.out, 'follow').at(-1)!.reason).toBe('Frame 8 is not part of a UDP stream.');
  });

  it('conversations: computed in slices while loading, answered once complete', async () => {
    const h = await opened(sample, { sliceFrames: 4 });
    const { id } = h.send({ type: 'conversations' });
    h.drain();
    const done = of(h.out, 'conversations').filter((m) => m.id === id);
    expect(done).toHaveLength(1);
    expect(done[0]!.complete).toBe(true);
    expect(done[0]!.frames).toBe(12);
    expect(done[0]!.tables.tcp.map((r) => [r.addrA, r.portA, r.addrB, r.portB, r.packets, r.bytes, r.stream])).toEqual([
      ['127.0.0.1', 43874, '127.0.0.1', 11699, 12, 1306, 0],
    ]);
    // a second request is answered from the same tables
    const again = h.send({ type: 'conversations' });
    h.drain();
    expect(of(h.out, 'conversations').filter((m) => m.id === again.id)[0]!.tables).toEqual(done[0]!.tables);
  });
});

describe('every capture opens in the worker with tshark’s frame count', () => {
  // Golden counts come from `tshark -r FILE` (test/fixtures/golden/*/summary.txt, made by `npm run goldens`).
  const root = new URL('../../', import.meta.url).pathname;
  const caps: { name: string; path: string }[] = JSON.parse(readFileSync(`${root}test/fixtures/golden/captures.json`, 'utf8'));
  for (const c of caps) {
    const file = `${root}${c.path}`;
    it.skipIf(!existsSync(file))(c.name, async () => {
      const want = readFileSync(`${root}test/fixtures/golden/${c.name}/summary.txt`, 'utf8').split('\n').filter(Boolean).length;
      const h = harness();
      await h.send({ type: 'open', file: blob(new Uint8Array(readFileSync(file))), name: c.name }).done;
      h.drain();
      const loaded = of(h.out, 'loaded')[0]!;
      expect(loaded.frames).toBe(want);
      expect(loaded.error).toBeNull();
    }, 60_000);
  }

  it('a packet far ahead of the first pass waits for it; rows and progress go on meanwhile', async () => {
    // 8,000 frames of 60 bytes, each holding its number; the pass does 100 frames a slice
    const frames = Array.from({ length: 8000 }, (_, i) => {
      const f = new Uint8Array(60);
      new DataView(f.buffer).setUint32(40, i + 1);
      return f;
    });
    const h = harness({ sliceFrames: 100 });
    await h.send({ type: 'open', file: blob(pcap(frames)), name: 'x' }).done;
    while (h.s.capture!.frames.count < 8000 || h.s.capture!.analysed === 0) h.step();
    expect(h.s.capture!.analysed).toBeLessThan(1000);
    // End pressed: frame 8000 waits; the worker answers a row request at once and the pass moves on
    const sel = h.send({ type: 'select', frame: 8000 });
    expect(of(h.out, 'packet')).toEqual([]);
    expect(of(h.out, 'packet-waiting')).toEqual([{ id: sel.id, type: 'packet-waiting', generation: 1, frame: 8000, analysed: h.s.capture!.analysed }]);
    h.send({ type: 'rows', start: 7990, count: 10 });
    expect(of(h.out, 'rows').at(-1)!.rows.map((r) => r.num)).toEqual([7991, 7992, 7993, 7994, 7995, 7996, 7997, 7998, 7999, 8000]);
    const before = h.s.capture!.analysed;
    h.step();
    expect(h.s.capture!.analysed).toBeGreaterThan(before);
    expect(of(h.out, 'packet')).toEqual([]);
    // a newer select replaces it; it is answered once the pass is there
    const sel2 = h.send({ type: 'select', frame: 7000 });
    h.drain();
    const pkts = of(h.out, 'packet');
    expect(pkts.map((p) => [p.id, p.frame])).toEqual([[sel2.id, 7000]]);
    expect(new DataView(pkts[0]!.sources[0]!.bytes.buffer).getUint32(40)).toBe(7000);
    expect(of(h.out, 'loaded')).toHaveLength(1);
    // near the pass (or after it), a packet is answered at once
    h.send({ type: 'select', frame: 3 });
    expect(of(h.out, 'packet').at(-1)!.frame).toBe(3);
  });
});
