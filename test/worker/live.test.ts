// Live capture on the worker side: the readers over a growing source, the session fed by a (fake)
// WebSocket, and the pcapng the capture is saved as.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureError, MemorySource, openCapture, type CaptureRecord } from '../../src/core/formats/reader';
import { Capture } from '../../src/core/capture';
import { GrowingSource } from '../../src/worker/source';
import { WorkerSession, type SessionHost } from '../../src/worker/session';
import { LiveFeed, type LiveSocket } from '../../src/worker/live';
import type { Request, RequestBody, Response } from '../../src/worker/protocol';
import { writePcapng } from '../../src/core/formats/pcapng-writer';

const FIX = new URL('../fixtures/captures/', import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, FIX)));
const PCAP = fixture('01_http_get_loopback.pcap');
const PCAPNG = fixture('07_merged_multi_interface_comments.pcapng');

function allRecords(bytes: Uint8Array): CaptureRecord[] {
  const r = openCapture(new MemorySource(bytes));
  const out: CaptureRecord[] = [];
  for (let x = r.next(); x; x = r.next()) out.push(x);
  return out;
}

/** Deterministic pseudo-random chunk sizes (1..max). */
function chunks(bytes: Uint8Array, seed: number, max: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let s = seed;
  for (let o = 0; o < bytes.length; ) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (s % max);
    out.push(bytes.subarray(o, Math.min(bytes.length, o + n)));
    o += n;
  }
  return out;
}

describe('readers over a growing source', () => {
  for (const [name, bytes] of [
    ['pcap', PCAP],
    ['pcapng', PCAPNG],
  ] as const) {
    it(`${name}: bytes arriving in small pieces give the same records, never "cut short" while open`, () => {
      const want = allRecords(bytes);
      for (const seed of [1, 2, 3]) {
        const src = new GrowingSource();
        const parts = chunks(bytes, seed, 61);
        let i = 0;
        // feed until the header is complete
        let reader = null;
        while (!reader) {
          src.append(parts[i++]!);
          try {
            reader = openCapture(src);
          } catch (e) {
            expect(e).toBeInstanceOf(CaptureError);
            expect((e as CaptureError).kind === 'cut-short' || src.size < 4).toBe(true);
          }
        }
        const got: CaptureRecord[] = [];
        for (;;) {
          const pos = reader.position;
          const r = reader.next();
          if (r) {
            got.push(r);
            continue;
          }
          // "no more yet": the reader stops at a block boundary (pcapng may have read interface blocks)
          expect(reader.position).toBeGreaterThanOrEqual(pos);
          expect(reader.position).toBeLessThanOrEqual(src.size);
          if (i >= parts.length) break;
          src.append(parts[i++]!);
        }
        src.end();
        expect(reader.next()).toBeNull();
        expect(got).toEqual(want);
      }
    });
  }

  it('a stream that ends in the middle of a record is cut short once it has ended', () => {
    const src = new GrowingSource();
    src.append(PCAP.subarray(0, 24 + 16 + 10));
    const cap = new Capture(src);
    expect(cap.load()).toBe(false);
    expect(cap.waiting).toBe(true);
    expect(cap.frames.count).toBe(0);
    src.end();
    expect(cap.load()).toBe(true);
    expect(cap.error?.kind).toBe('cut-short');
  });

  it('Capture.load waits, then goes on as bytes arrive', () => {
    const src = new GrowingSource();
    const want = allRecords(PCAP).length;
    src.append(PCAP.subarray(0, 24));
    const cap = new Capture(src);
    for (const part of chunks(PCAP.subarray(24), 7, 300)) {
      src.append(part);
      expect(cap.load()).toBe(false);
    }
    expect(cap.frames.count).toBe(want);
    src.end();
    expect(cap.load()).toBe(true);
    expect(cap.error).toBeNull();
  });

  it('GrowingSource keeps earlier views valid when it grows', () => {
    const src = new GrowingSource();
    src.append(Uint8Array.of(1, 2, 3));
    const v = src.read(0, 3);
    src.append(new Uint8Array(1 << 17).fill(9));
    expect([...v]).toEqual([1, 2, 3]);
    expect(src.size).toBe(3 + (1 << 17));
    expect(src.read(2, 3)).toEqual(Uint8Array.of(3, 9, 9));
    src.end();
    expect(() => src.append(Uint8Array.of(1))).toThrow();
  });
});

/** A fake WebSocket the test drives. */
class FakeSocket implements LiveSocket {
  binaryType = 'blob';
  onopen: LiveSocket['onopen'] = null;
  onmessage: LiveSocket['onmessage'] = null;
  onclose: LiveSocket['onclose'] = null;
  onerror: LiveSocket['onerror'] = null;
  closed: { code?: number; reason?: string } | null = null;
  constructor(readonly url: string) {}
  close(code?: number, reason?: string) {
    this.closed = { code, reason };
  }
  open() {
    this.onopen?.({});
  }
  send(b: Uint8Array) {
    this.onmessage?.({ data: b.slice().buffer });
  }
  drop(code: number, reason = '') {
    this.onclose?.({ code, reason });
  }
}

function liveHarness() {
  const out: Response[] = [];
  const queue: Array<() => void> = [];
  const sockets: FakeSocket[] = [];
  const host: SessionHost = { post: (m) => out.push(m), schedule: (fn) => queue.push(fn), now: () => 0 };
  const s = new WorkerSession(host, {
    sliceMs: 1e9,
    connectLive: (url) => {
      const k = new FakeSocket(url);
      sockets.push(k);
      return k;
    },
  });
  let id = 0;
  const send = (r: RequestBody) => {
    const req = { ...r, id: ++id } as Request;
    void s.handle(req);
    return req.id;
  };
  const drain = () => {
    for (let i = 0; i < 1e5 && queue.length; i++) queue.shift()!();
  };
  const of = <T extends Response['type']>(type: T) => out.filter((m): m is Extract<Response, { type: T }> => m.type === type);
  return { s, out, send, drain, sockets, queue, of };
}

describe('live capture in the worker session', () => {
  const recs = allRecords(PCAP);
  /** whole records [a, b) of the fixture (0-based, without the file header) */
  const slice = (a: number, b: number) => PCAP.subarray(a === 0 ? 24 : recs[a - 1]!.offset + recs[a - 1]!.capLen, recs[b - 1]!.offset + recs[b - 1]!.capLen);

  it('shows frames as they arrive, keeps loading open, and stops on request', () => {
    const h = liveHarness();
    const id = h.send({ type: 'live-open', url: 'ws://127.0.0.1:1234/abc', name: 'Live: lo' });
    expect(h.sockets[0]!.url).toBe('ws://127.0.0.1:1234/abc');
    expect(h.sockets[0]!.binaryType).toBe('arraybuffer');
    expect(h.of('live').map((m) => m.state)).toEqual(['connecting']);
    h.sockets[0]!.open();
    expect(h.of('live').map((m) => m.state)).toEqual(['connecting', 'live']);
    // the header alone opens the capture
    h.sockets[0]!.send(PCAP.subarray(0, 24));
    expect(h.of('opened')[0]).toMatchObject({ id, meta: { name: 'Live: lo', format: 'pcap' } });
    h.drain();
    expect(h.queue.length).toBe(0); // nothing to do: no busy loop while waiting
    expect(h.of('loaded')).toEqual([]);
    h.sockets[0]!.send(slice(0, 3));
    h.drain();
    expect(h.s.capture!.frames.count).toBe(3);
    expect(h.of('progress').at(-1)).toMatchObject({ frames: 3, displayed: 3 });
    // a filter applied while live applies to frames still to come
    h.send({ type: 'filter', text: 'tcp.len > 0' });
    h.drain();
    h.sockets[0]!.send(slice(3, recs.length));
    h.drain();
    expect(h.s.capture!.frames.count).toBe(recs.length);
    expect(h.of('loaded')).toEqual([]);
    const filtered = h.of('filtered').at(-1)!;
    expect(filtered.text).toBe('tcp.len > 0');
    expect(h.queue.length).toBe(0);
    // rows of the newest frames
    h.send({ type: 'rows', start: recs.length - 1, count: 5 });
    h.send({ type: 'filter', text: '' });
    h.send({ type: 'rows', start: recs.length - 1, count: 5 });
    expect(h.of('rows').at(-1)!.rows.map((r) => r.num)).toEqual([recs.length]);
    // Stop: the socket is closed, everything received stays, loading finishes without error
    h.send({ type: 'live-stop' });
    expect(h.sockets[0]!.closed).toEqual({ code: 1000, reason: 'stopped' });
    h.drain();
    expect(h.of('live').at(-1)).toMatchObject({ id, state: 'stopped', bytes: PCAP.length });
    expect(h.of('loaded')[0]).toMatchObject({ id, frames: recs.length, error: null });
  });

  it('answers the conversation tables while live, counting on as packets arrive', () => {
    const h = liveHarness();
    h.send({ type: 'live-open', url: 'ws://127.0.0.1:1/t', name: 'live' });
    h.sockets[0]!.open();
    h.sockets[0]!.send(PCAP.subarray(0, 24));
    h.sockets[0]!.send(slice(0, 3));
    h.drain();
    h.send({ type: 'conversations' });
    h.drain();
    const first = h.of('conversations').at(-1)!;
    expect(first).toMatchObject({ frames: 3, complete: false });
    expect(first.tables.tcp[0]).toMatchObject({ packets: 3 });
    h.sockets[0]!.send(slice(3, recs.length));
    h.drain();
    h.send({ type: 'conversations' });
    h.drain();
    const second = h.of('conversations').at(-1)!;
    expect(second).toMatchObject({ frames: recs.length, complete: false });
    expect(second.tables.tcp[0]).toMatchObject({ packets: recs.length });
  });

  it('a stream that breaks keeps what was received and says so', () => {
    const h = liveHarness();
    h.send({ type: 'live-open', url: 'ws://127.0.0.1:1/t', name: 'live' });
    h.sockets[0]!.open();
    h.sockets[0]!.send(PCAP.subarray(0, 24));
    h.sockets[0]!.send(slice(0, 4));
    // half a record, then the connection drops
    const next = PCAP.subarray(recs[3]!.offset + recs[3]!.capLen, recs[4]!.offset + 5);
    h.sockets[0]!.send(next);
    h.drain();
    expect(h.s.capture!.frames.count).toBe(4);
    h.sockets[0]!.drop(1006);
    h.drain();
    const st = h.of('live').at(-1)!;
    expect(st.state).toBe('broken');
    expect(st.message).toMatch(/stream broke .*code 1006/);
    const loaded = h.of('loaded')[0]!;
    expect(loaded.frames).toBe(4);
    expect(loaded.error?.kind).toBe('cut-short');
  });

  it('the bridge ending the capture normally is "ended"', () => {
    const h = liveHarness();
    h.send({ type: 'live-open', url: 'ws://127.0.0.1:1/t', name: 'live' });
    h.sockets[0]!.open();
    h.sockets[0]!.send(PCAP);
    h.sockets[0]!.drop(1000, 'tcpdump exited');
    h.drain();
    expect(h.of('live').at(-1)).toMatchObject({ state: 'ended', message: 'The capture bridge ended the capture: tcpdump exited' });
    expect(h.of('loaded')[0]).toMatchObject({ frames: recs.length, error: null });
  });

  it('a refused connection is reported and opens nothing', () => {
    const h = liveHarness();
    h.send({ type: 'live-open', url: 'ws://127.0.0.1:1/wrong', name: 'live' });
    h.sockets[0]!.drop(1006);
    expect(h.of('live').at(-1)).toMatchObject({ state: 'broken', message: expect.stringMatching(/Could not connect/) });
    expect(h.of('opened')).toEqual([]);
  });

  it('a stream that is not a capture is an error and the socket is closed', () => {
    const h = liveHarness();
    const id = h.send({ type: 'live-open', url: 'ws://127.0.0.1:1/t', name: 'live' });
    h.sockets[0]!.open();
    h.sockets[0]!.send(new TextEncoder().encode('HTTP/1.1 200 OK\r\n\r\n'));
    expect(h.of('error')[0]).toMatchObject({ id, request: 'open', error: { kind: 'not-capture' } });
    expect(h.sockets[0]!.closed).not.toBeNull();
    expect(h.of('live').at(-1)!.state).toBe('stopped');
  });

  it('opening a file stops the live capture', async () => {
    const h = liveHarness();
    h.send({ type: 'live-open', url: 'ws://127.0.0.1:1/t', name: 'live' });
    h.sockets[0]!.open();
    h.sockets[0]!.send(PCAP.subarray(0, 24 + 10));
    h.sockets[0]!.send(slice(0, 2).subarray(10));
    h.drain();
    await h.s.handle({ id: 100, type: 'open', file: new Blob([PCAPNG as BlobPart]), name: 'f.pcapng' });
    h.sockets[0]!.send(slice(2, 3));
    expect(h.sockets[0]!.closed).not.toBeNull();
    h.drain();
    expect(h.s.capture!.info.format).toBe('pcapng');
  });

  it('rejects addresses that are not WebSocket URLs', () => {
    const states: string[] = [];
    const f = new LiveFeed('http://127.0.0.1/x', { data: () => {}, state: (s, m) => states.push(`${s}: ${m}`) }, () => {
      throw new Error('must not connect');
    });
    expect(f.done).toBe(true);
    expect(states).toEqual(['broken: “http://127.0.0.1/x” is not a WebSocket address (ws://…).']);
  });
});

describe('saving as pcapng', () => {
  function roundTrip(bytes: Uint8Array) {
    const cap = new Capture(new MemorySource(bytes));
    cap.load();
    const h = liveHarness();
    h.send({ type: 'live-open', url: 'ws://127.0.0.1:1/t', name: 'live' });
    h.sockets[0]!.open();
    h.sockets[0]!.send(bytes);
    h.drain();
    h.send({ type: 'save' });
    const saved = h.of('saved')[0]!;
    expect(saved.frames).toBe(cap.frames.count);
    const back = new Capture(new MemorySource(saved.data));
    back.load();
    expect(back.error).toBeNull();
    expect(back.info.format).toBe('pcapng');
    expect(back.frames.count).toBe(cap.frames.count);
    for (let n = 1; n <= cap.frames.count; n++) {
      const a = cap.meta(n);
      const b = back.meta(n);
      expect([b.tsSec, b.tsNsec, b.origLen, b.capLen, b.linkType, b.comments]).toEqual([a.tsSec, a.tsNsec, a.origLen, a.capLen, a.linkType, a.comments]);
      expect(back.bytes(n)).toEqual(cap.bytes(n));
    }
    return saved.data;
  }

  it('keeps frames, timestamps (µs and ns), lengths, link types and comments', () => {
    roundTrip(PCAP);
    roundTrip(fixture('01_http_get_loopback_nsec.pcap'));
    roundTrip(PCAPNG);
  });

  it('tshark reads the saved file with the same frames', () => {
    const data = roundTrip(PCAP);
    const dir = mkdtempSync(join(tmpdir(), 'wl-live-'));
    writeFileSync(join(dir, 'a.pcapng'), data);
    const ours = execFileSync('tshark', ['-r', join(dir, 'a.pcapng'), '-T', 'fields', '-e', 'frame.len', '-e', 'frame.time_epoch'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'b.pcap'), PCAP);
    const theirs = execFileSync('tshark', ['-r', join(dir, 'b.pcap'), '-T', 'fields', '-e', 'frame.len', '-e', 'frame.time_epoch'], { encoding: 'utf8' });
    expect(ours).toBe(theirs);
  });

  it('writes an empty capture as a valid file', () => {
    const b = writePcapng([{ linkType: 1, snaplen: 262144, tsUnitsPerSec: 1e6 }], []);
    const c = new Capture(new MemorySource(b));
    expect(c.load()).toBe(true);
    expect(c.frames.count).toBe(0);
    expect(c.info.interfaces[0]).toMatchObject({ linkType: 1, snaplen: 262144 });
  });
});
