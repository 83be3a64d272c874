// Inputs the fuzzer found crashing (minimized, as hex dumps), kept so the bugs stay fixed. Each goes through
// the whole pipeline of test/fuzz/targets.ts (reader, first pass with tree, tree text, second pass,
// conversations, follow, ladder) or the filter compiler, and must not crash.
import { describe, expect, it } from 'vitest';
import { fromHex, writePcapng } from './pcap-writer';
import { layoutOf, mutateFile } from './mutate';
import { Rng } from './rng';
import { runCapture, runFilter } from './targets';
import { compileFilter } from '../../src/core/filter';
import '../../src/core/dissectors';
import { Capture } from '../../src/core/capture';
import { CaptureError, MemorySource } from '../../src/core/formats/reader';

interface CaptureCase {
  name: string;
  hex: string;
  /** the reader refuses it (CaptureError) with a message matching this */
  refused?: RegExp;
  frames?: number;
}

const SHB = '0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffff ffffffff 1c000000';

const CAPTURES: CaptureCase[] = [
  {
    // RangeError from DataView: an interface description block of 12 bytes has no link type / snaplen
    name: 'pcapng IDB shorter than its fixed fields',
    hex: `${SHB} 01000000 0c000000 0c000000`,
    refused: /block of type 1 at offset 28 is 12 bytes long/,
  },
  {
    // RangeError in the constructor: a 12-byte section header has no version fields
    name: 'pcapng SHB of 12 bytes',
    hex: '0a0d0d0a 0c000000 4d3c2b1a',
    refused: /shorter than its minimum of 28/,
  },
  {
    // a custom block of 12 bytes gave a record of -4 bytes
    name: 'pcapng custom block without a PEN',
    hex: `${SHB} 01000000 14000000 0100 0000 00000400 14000000 ad0b0000 0c000000 0c000000`,
    refused: /shorter than its minimum of 16/,
  },
];

interface FilterCase {
  name: string;
  text: string;
}

const FILTERS: FilterCase[] = [
  // missing closing quote: the error points just past the end, as tshark's caret does (not a crash)
  { name: 'unterminated string', text: 'http.host == "abc' },
  { name: 'unterminated slice', text: 'frame[1' },
  { name: "unterminated char constant", text: "frame.len == '\\b" },
];

/** Filters that overflowed the stack ("Internal error: Maximum call stack size exceeded"): now positioned errors. */
const TOO_DEEP: FilterCase[] = [
  { name: '150 nested parentheses', text: `${'('.repeat(150)}tcp${')'.repeat(150)}` },
  { name: '5000 nested nots', text: `${'!'.repeat(5000)}tcp` },
  { name: '3000 nested braces', text: `${'{'.repeat(3000)}frame.len${'}'.repeat(3000)} == 1` },
  { name: '3000 nested function calls', text: `${'len('.repeat(3000)}frame${')'.repeat(3000)} == 1` },
  { name: 'a chain of 20000 ands', text: `${'tcp && '.repeat(20000)}udp` },
  { name: 'a sum of 20000 terms', text: `${'frame.len + '.repeat(20000)}1 == 2` },
];

describe('fuzz regressions: captures', () => {
  for (const c of CAPTURES) {
    it(c.name, () => {
      const bytes = fromHex(c.hex);
      expect(() => runCapture(bytes)).not.toThrow();
      let err: unknown = null;
      let frames = 0;
      try {
        const cap = new Capture(new MemorySource(bytes));
        cap.load();
        err = cap.error;
        frames = cap.count();
      } catch (e) {
        err = e;
      }
      if (c.refused) {
        expect(err).toBeInstanceOf(CaptureError);
        expect((err as CaptureError).message).toMatch(c.refused);
      } else expect(err).toBeNull();
      if (c.frames !== undefined) expect(frames).toBe(c.frames);
    });
  }
});

describe('fuzz regressions: filters', () => {
  for (const c of FILTERS) {
    it(c.name, () => {
      expect(() => runFilter(c.text)).not.toThrow();
    });
  }
});

describe('fuzz regressions: filters nested or chained too deeply', () => {
  for (const c of TOO_DEEP) {
    it(c.name, () => {
      const r = compileFilter(c.text);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.message).toMatch(/nested too deeply|too long/);
      expect(r.error.start).toBeGreaterThan(0);
      expect(r.error.end).toBeLessThanOrEqual(c.text.length);
    });
  }
  it('100 levels and 1000 operators still compile', () => {
    expect(compileFilter(`${'('.repeat(100)}tcp${')'.repeat(100)}`).ok).toBe(true);
    expect(compileFilter(`${'tcp && '.repeat(1000)}udp`).ok).toBe(true);
  });
});

describe('fuzzer regressions', () => {
  it('the pcapng layout of a packet block claiming 2^31 bytes has no negative offsets', () => {
    const b = writePcapng([{ data: new Uint8Array(8) }]);
    const epb = b.length - 40; // the last block: 28 bytes of header and fixed fields, 8 of data, 4 of trailer
    expect(new DataView(b.buffer).getUint32(epb, true)).toBe(6);
    new DataView(b.buffer).setUint32(epb + 20, 0x80000001, true); // captured length ≥ 2^31 ((x + 3) & ~3 went negative)
    const L = layoutOf(b);
    expect(L.blockTypes).toContain(epb);
    for (const [o] of [...L.lengths, ...L.links]) expect(o).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < 200; i++) expect(() => mutateFile(new Rng(1, i), b)).not.toThrow();
  });
});

describe('absolute times beyond what Date holds', () => {
  // found by `npm run fuzz` (recipe 631658805:1:643443): a pcapng timestamp of ~2^63 ns made the tree's
  // Arrival Time throw "RangeError: Invalid time value" from Intl's time-zone name
  it('label without throwing', async () => {
    const { absTimeString } = await import('../../src/core/fields/format');
    expect(() => absTimeString({ s: 9.2e15, ns: 0 })).not.toThrow();
    expect(absTimeString({ s: 9.2e15, ns: 5 })).toMatch(/\.000000005 UTC$/);
  });
});
