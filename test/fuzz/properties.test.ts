// Property tests (fast-check, fixed seeds): any bytes open or are refused with a CaptureError; any frame on
// any link type dissects without a dissector bug and renders as text; any filter string compiles or gives a
// positioned error.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Capture } from '../../src/core/capture';
import { CaptureError, MemorySource } from '../../src/core/formats/reader';
import { treeText } from '../../src/core/dissect/label';
import { compileFilter } from '../../src/core/filter';
import { allFields } from '../../src/core/fields/registry';
import '../../src/core/dissectors';
import { writePcap, writePcapng } from './pcap-writer';
import { runCapture, runFilter, runReader } from './targets';
import { LINK_TYPES } from './mutate';

const RUNS = { seed: 4242, numRuns: 300 };

const pcapHeader = (le: boolean, link: number) => {
  const b = new Uint8Array(24);
  const d = new DataView(b.buffer);
  d.setUint32(0, 0xa1b2c3d4, le);
  d.setUint16(4, 2, le);
  d.setUint16(6, 4, le);
  d.setUint32(16, 65535, le);
  d.setUint32(20, link, le);
  return b;
};
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

describe('readers', { timeout: 30_000 }, () => {
  it('arbitrary bytes are read or refused with a CaptureError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (b) => {
        runReader(b);
      }),
      RUNS,
    );
  });

  it('a pcap header followed by arbitrary records', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.constantFrom(...LINK_TYPES), fc.uint8Array({ maxLength: 600 }), (le, link, rest) => {
        const b = concat(pcapHeader(le, link), rest);
        runReader(b);
        runCapture(b, { analysisLimit: 2 });
      }),
      RUNS,
    );
  });

  it('pcapng blocks of any type and length', () => {
    const block = fc.record({
      type: fc.constantFrom(0x0a0d0d0a, 1, 2, 3, 4, 5, 6, 0xbad, 0x40000bad, 0, 0xffffffff),
      len: fc.oneof(fc.integer({ min: 0, max: 64 }).map((n) => n * 4), fc.constantFrom(0, 3, 0xfffffffc, 0x7ffffff0)),
      body: fc.uint8Array({ maxLength: 80 }),
    });
    fc.assert(
      fc.property(fc.array(block, { maxLength: 8 }), (blocks) => {
        const parts = [writePcapng([], [{ linkType: 1 }])];
        for (const bl of blocks) {
          const h = new Uint8Array(8);
          const d = new DataView(h.buffer);
          d.setUint32(0, bl.type, true);
          d.setUint32(4, bl.len, true);
          const t = new Uint8Array(4);
          new DataView(t.buffer).setUint32(0, bl.len, true);
          parts.push(h, bl.body, t);
        }
        const b = concat(...parts);
        runReader(b);
        runCapture(b, { analysisLimit: 2 });
      }),
      RUNS,
    );
  });
});

describe('dissection', { timeout: 30_000 }, () => {
  it('any frame on any link type: no dissector bug, the tree renders as text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LINK_TYPES), fc.uint8Array({ maxLength: 300 }), (link, data) => {
        runCapture(writePcap([{ data }], { linkType: link }), { analysis: false });
      }),
      RUNS,
    );
  });

  it('IPv4/TCP and IPv4/UDP frames with arbitrary headers and payloads', () => {
    const eth = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00]);
    fc.assert(
      fc.property(
        fc.constantFrom(6, 17, 1),
        fc.integer({ min: 0, max: 15 }),
        fc.uint8Array({ minLength: 20, maxLength: 200 }),
        fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 6 }),
        (proto, ihl, head, payloads) => {
          const frames = payloads.map((p) => {
            const ip = Uint8Array.from(head);
            ip[0] = 0x40 | ihl;
            ip[9] = proto;
            return { data: concat(eth, ip, p) };
          });
          const b = writePcap(frames);
          const r = runCapture(b, { analysisLimit: 2 });
          expect(r.frames).toBe(frames.length);
        },
      ),
      { seed: 777, numRuns: 200 },
    );
  });

  it('every frame of a capture of random frames renders (tree text has one line per visible item)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 14, maxLength: 120 }), { minLength: 1, maxLength: 5 }), (frames) => {
        const cap = new Capture(new MemorySource(writePcap(frames.map((data) => ({ data })))));
        cap.load();
        expect(cap.error).toBeNull();
        for (let n = 1; n <= cap.count(); n++) {
          const text = treeText(cap.dissect(n).items);
          expect(text.startsWith(`Frame ${n}:`)).toBe(true);
        }
      }),
      { seed: 99, numRuns: 100 },
    );
  });
});

describe('display filters', { timeout: 30_000 }, () => {
  const names = allFields().map((f) => f.abbrev);
  const token = fc.oneof(
    fc.constantFrom(...names),
    fc.constantFrom('==', '!=', '&&', '||', '!', 'not', 'and', 'or', 'in', 'contains', 'matches', '(', ')', '[', ']', '{', '}', ':', ',', '-', '"', "'", '\\', '${', '}', '#', '.', 'len(', '0x1f', '1', '10.0.0.1/8', '::1', 'aa:bb:cc', 'r"', '"a"', ' '),
    fc.string({ maxLength: 4 }),
  );

  it('token soup compiles or fails with a positioned error', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 16 }), fc.constantFrom(' ', ''), (toks, sep) => {
        runFilter(toks.join(sep));
      }),
      { seed: 1234, numRuns: 1500 },
    );
  });

  it('arbitrary unicode strings compile or fail with a positioned error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: 'binary' }), (s) => {
        runFilter(s);
      }),
      { seed: 5678, numRuns: 400 },
    );
  });

  it('deep nesting does not overflow the stack', () => {
    for (const d of [10, 1000, 5000]) {
      for (const [open, close] of [['(', ')'], ['!', ''], ['{', '}'], ['-', ''], ['len(', ')']] as const) {
        const t = `${open.repeat(d)}tcp.port${close.repeat(d)} == 1`;
        const r = compileFilter(t);
        if (!r.ok) expect(r.error.message).not.toMatch(/^Internal error/);
      }
    }
  });

  it('errors point into the text', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 10 }), (toks) => {
        const t = toks.join(' ');
        const r = compileFilter(t);
        if (!r.ok) {
          expect(r.error.start).toBeGreaterThanOrEqual(0);
          expect(r.error.start).toBeLessThanOrEqual(t.length);
          expect(r.error.end).toBeLessThanOrEqual(t.length + 1);
        }
      }),
      { seed: 31337, numRuns: 500 },
    );
  });
});

it('CaptureError is what a refused file throws', () => {
  expect(() => new Capture(new MemorySource(Uint8Array.of(1, 2, 3, 4, 5)))).toThrow(CaptureError);
});
