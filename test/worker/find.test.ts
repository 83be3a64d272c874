// Find Packet and Next/Previous Packet in Conversation in the worker, against tshark's answers
// (test/fixtures/golden/find.json, made by scripts/find-goldens.mjs): the frames a display filter, a hex value
// or a string in the bytes selects, the packet-list rows and `tshark -V` lines holding a string, and each
// frame's conversation. Searches go through the session (request, slices, answer) as the page's do.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { WorkerSession, type SessionHost } from '../../src/worker/session';
import { parseHex, findBytes } from '../../src/core/find';
import { itemLabel } from '../../src/core/dissect/label';
import { HIDDEN, type Item } from '../../src/core/dissect/packet';
import { conversationFilter } from '../../src/worker/analysis';
import type { FindAnswer, FindDirection, FindFrom, FindMatch, FindQuery, Request, RequestBody, Response } from '../../src/worker/protocol';

const FIX = new URL('../fixtures/captures/', import.meta.url);
const golden = JSON.parse(readFileSync(new URL('../fixtures/golden/find.json', import.meta.url), 'utf8')) as {
  find: { capture: string; query: FindQuery; frames?: number[]; lines?: [number, string][] }[];
  conversations: { capture: string; frames: [number, string | null][]; filters: Record<string, number[]> }[];
};

/** A session with a capture loaded; `find` runs one search to its answer. */
async function session(capture: string, opts: { sliceMs?: number; clockStep?: number } = {}) {
  const out: Response[] = [];
  const queue: Array<() => void> = [];
  let t = 0;
  // clockStep: time passes by this much each time the session looks at the clock
  const host: SessionHost = { post: (m) => out.push(m), schedule: (fn) => queue.push(fn), now: () => (t += opts.clockStep ?? 0) };
  const s = new WorkerSession(host, { sliceMs: opts.sliceMs ?? 1e9 });
  let id = 0;
  const send = (r: RequestBody) => {
    const req = { ...r, id: ++id } as Request;
    return { id: req.id, done: s.handle(req) };
  };
  const drain = () => {
    while (queue.length) queue.shift()!();
  };
  await send({ type: 'open', file: new Blob([readFileSync(new URL(capture, FIX))]), name: capture }).done;
  drain();
  const answerOf = (rid: number) => out.find((m): m is Extract<Response, { type: 'found' }> => m.type === 'found' && m.id === rid);
  const find = (query: FindQuery, from: FindFrom | null, dir: FindDirection = 'next'): FindAnswer => {
    const r = send({ type: 'find', query, from, dir });
    drain();
    const a = answerOf(r.id);
    if (!a) throw new Error('no answer');
    return a.answer;
  };
  return { s, out, send, drain, find, answerOf, queue };
}

/** Find Next (or Previous) from nothing selected until the search wraps: every match in order. */
function walk(find: (q: FindQuery, from: FindFrom | null, dir?: FindDirection) => FindAnswer, q: FindQuery, dir: FindDirection = 'next'): FindMatch[] {
  const out: FindMatch[] = [];
  let from: FindFrom | null = null;
  for (let i = 0; i < 10000; i++) {
    const a = find(q, from, dir);
    if (a.kind !== 'found') {
      expect(a.kind).toBe('none');
      return out;
    }
    if (a.wrapped) return out;
    out.push(a.match);
    from = { frame: a.match.frame, ...(a.match.pos >= 0 ? { pos: a.match.pos } : {}) };
  }
  throw new Error('no end');
}

const unique = (xs: number[]) => xs.filter((x, i) => xs.indexOf(x) === i);

describe('find: tshark is the oracle', () => {
  for (const g of golden.find) {
    const q = g.query;
    const name = `${g.capture}: ${q.kind}${q.kind === 'string' ? ` in ${q.scope}${q.caseSensitive ? ' (case sensitive)' : ''}` : ''} "${'text' in q ? q.text : ''}"`;
    it(name, async () => {
      const h = await session(g.capture);
      const fwd = walk(h.find, q);
      const back = walk(h.find, q, 'prev');
      if (g.lines) {
        // every tree line tshark -V prints with the string, in order, and the item found is that line
        const labels = fwd.map((m) => {
          let items: readonly Item[] = h.s.capture!.dissect(m.frame, true).items;
          let label = '';
          for (const i of m.path!) {
            const it = items.filter((x) => !(x.flags & HIDDEN))[i]!;
            label = itemLabel(it);
            items = it.children ?? [];
          }
          return [m.frame, label];
        });
        expect(labels).toEqual(g.lines);
        expect(back.map((m) => [m.frame, m.pos])).toEqual(fwd.map((m) => [m.frame, m.pos]).reverse());
      } else {
        expect(unique(fwd.map((m) => m.frame))).toEqual(g.frames);
        expect(unique(back.map((m) => m.frame))).toEqual([...g.frames!].reverse());
      }
    });
  }
});

describe('find: bytes', () => {
  it('finds every occurrence in a frame before moving on, and marks where', async () => {
    const h = await session('01_http_get_loopback.pcap');
    // "\r\n" occurs in frame 4's request line and each header line
    const bytes = h.s.capture!.bytes(4);
    const expected: number[] = [];
    for (let i = bytes.indexOf(13); i >= 0; i = bytes.indexOf(13, i + 1)) if (bytes[i + 1] === 10) expected.push(i);
    const matches = walk(h.find, { kind: 'hex', text: '0d0a' }).filter((m) => m.frame === 4);
    expect(matches.map((m) => m.pos)).toEqual(expected);
    expect(matches.every((m) => m.len === 2)).toBe(true);
    const get = h.find({ kind: 'string', scope: 'bytes', text: 'GET', caseSensitive: true }, null);
    expect(get).toMatchObject({ kind: 'found', match: { frame: 4, pos: Buffer.from(bytes).indexOf('GET'), len: 3 } });
  });

  it('parses hex with or without separators and says what is wrong', () => {
    for (const t of ['47:45:54', '47 45 54', '474554', '47-45-54', ' 47:45:54 ']) expect(parseHex(t)).toEqual({ ok: true, bytes: Uint8Array.of(0x47, 0x45, 0x54) });
    expect(parseHex('47:4')).toMatchObject({ ok: false, message: 'A byte needs two hex digits.', start: 3, end: 4 });
    expect(parseHex('4:45')).toMatchObject({ ok: false, start: 0, end: 1 });
    expect(parseHex('47:zz')).toMatchObject({ ok: false, message: '"z" is not a hex digit.', start: 3, end: 4 });
    expect(parseHex('')).toMatchObject({ ok: false });
  });

  it('folds ASCII letters only when case is ignored', () => {
    const hay = new TextEncoder().encode('xHoSt host');
    const needle = new TextEncoder().encode('host');
    expect(findBytes(hay, needle, 0, false, true)).toBe(1);
    expect(findBytes(hay, needle, 0, false, false)).toBe(6);
    expect(findBytes(hay, needle, hay.length, true, true)).toBe(6);
    expect(findBytes(hay, needle, 5, true, true)).toBe(1);
    expect(findBytes(hay, needle, 7, false, false)).toBe(-1);
  });
});

describe('find: the search', () => {
  it('starts after the selected packet, wraps round once and says so', async () => {
    const h = await session('01_http_get_loopback.pcap');
    const http: FindQuery = { kind: 'filter', text: 'http' };
    expect(h.find(http, { frame: 1 })).toEqual({ kind: 'found', match: { frame: 4, pos: -1 }, wrapped: false });
    expect(h.find(http, { frame: 4 })).toEqual({ kind: 'found', match: { frame: 8, pos: -1 }, wrapped: false });
    expect(h.find(http, { frame: 8 })).toEqual({ kind: 'found', match: { frame: 4, pos: -1 }, wrapped: true });
    expect(h.find(http, { frame: 4 }, 'prev')).toEqual({ kind: 'found', match: { frame: 8, pos: -1 }, wrapped: true });
    // the only match is the selected packet: found again, after going all the way round
    expect(h.find({ kind: 'filter', text: 'http.request' }, { frame: 4 })).toEqual({ kind: 'found', match: { frame: 4, pos: -1 }, wrapped: true });
    expect(h.find({ kind: 'filter', text: 'udp' }, { frame: 4 })).toEqual({ kind: 'none' });
  });

  it('searches only the displayed packets', async () => {
    const h = await session('01_http_get_loopback.pcap');
    h.send({ type: 'filter', text: 'tcp.srcport == 11699' });
    h.drain();
    // frames 2, 5, 6, 8, 10, 12 are displayed; 4 (the GET) is hidden
    expect(h.find({ kind: 'string', scope: 'bytes', text: 'HTTP', caseSensitive: true }, null)).toMatchObject({ kind: 'found', match: { frame: 6 } });
    expect(h.find({ kind: 'hex', text: '47:45:54' }, null)).toEqual({ kind: 'none' });
    // from a hidden selected packet (4): its neighbours in the list
    expect(h.find({ kind: 'filter', text: 'tcp' }, { frame: 4 })).toMatchObject({ match: { frame: 5 }, wrapped: false });
    expect(h.find({ kind: 'filter', text: 'tcp' }, { frame: 4 }, 'prev')).toMatchObject({ match: { frame: 2 }, wrapped: false });
    expect(h.find({ kind: 'filter', text: 'tcp.flags.syn == 1' }, { frame: 4 })).toMatchObject({ match: { frame: 2 }, wrapped: true });
  });

  it('reports a bad filter or hex value with the compiler positions', async () => {
    const h = await session('01_http_get_loopback.pcap');
    const bad = h.find({ kind: 'filter', text: '  tcp.port == ' }, null);
    expect(bad).toMatchObject({ kind: 'invalid' });
    if (bad.kind === 'invalid') {
      expect(bad.message.length).toBeGreaterThan(5);
      expect(bad.start).toBeGreaterThanOrEqual(2);
    }
    expect(h.find({ kind: 'filter', text: 'nosuchproto' }, null)).toMatchObject({ kind: 'invalid', start: 0, end: 11 });
    expect(h.find({ kind: 'hex', text: 'GET' }, null)).toMatchObject({ kind: 'invalid', message: '"G" is not a hex digit.', start: 0, end: 1 });
    expect(h.find({ kind: 'string', scope: 'list', text: '', caseSensitive: false }, null)).toMatchObject({ kind: 'invalid' });
  });

  it('runs in slices with progress, and a newer search or a cancel stops it', async () => {
    // the clock moves on 1 ms each time it is read: a slice tests about one frame
    const h = await session('26_tcp_port_reuse_netns.pcap', { sliceMs: 1, clockStep: 1 });
    const q: FindQuery = { kind: 'string', scope: 'details', text: 'no such text anywhere', caseSensitive: true };
    const a = h.send({ type: 'find', query: q, from: null, dir: 'next' });
    h.queue.shift()!();
    h.queue.shift()!();
    const progress = h.out.filter((m) => m.type === 'find-progress' && m.id === a.id);
    expect(progress.length).toBeGreaterThan(0);
    const b = h.send({ type: 'find', query: { kind: 'filter', text: 'tcp' }, from: null, dir: 'next' });
    expect(h.out).toContainEqual({ id: a.id, type: 'cancelled' });
    h.send({ type: 'cancel', target: b.id });
    expect(h.out).toContainEqual({ id: b.id, type: 'cancelled' });
    h.drain();
    expect(h.answerOf(a.id)).toBeUndefined();
    expect(h.answerOf(b.id)).toBeUndefined();
    // a search that runs to its end says how much it searched
    const d = h.send({ type: 'find', query: q, from: null, dir: 'next' });
    h.drain();
    expect(h.answerOf(d.id)).toMatchObject({ answer: { kind: 'none' }, searched: 27, total: 27 });
  });
});

describe('next / previous packet in conversation: tshark is the oracle', () => {
  for (const g of golden.conversations) {
    it(g.capture, async () => {
      const h = await session(g.capture);
      for (const [num, filter] of g.frames) {
        expect(conversationFilter(h.s.capture!, num), `frame ${num}`).toBe(filter);
        if (!filter) continue;
        const conv = g.filters[filter]!;
        const i = conv.indexOf(num);
        expect(i, `frame ${num} is in its conversation`).toBeGreaterThanOrEqual(0);
        const next = conv[(i + 1) % conv.length]!;
        const prev = conv[(i - 1 + conv.length) % conv.length]!;
        expect(h.find({ kind: 'conversation' }, { frame: num }), `next from ${num}`).toMatchObject({ match: { frame: next }, wrapped: i + 1 >= conv.length });
        expect(h.find({ kind: 'conversation' }, { frame: num }, 'prev'), `previous from ${num}`).toMatchObject({ match: { frame: prev }, wrapped: i === 0 });
      }
    });
  }

  it('needs a selected packet', async () => {
    const h = await session('01_http_get_loopback.pcap');
    expect(h.find({ kind: 'conversation' }, null)).toMatchObject({ kind: 'invalid' });
  });
});
