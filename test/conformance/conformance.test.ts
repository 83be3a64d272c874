// Conformance with tshark, in-process: every fixture's frames, timestamps, conformance fields and filters
// compared with the golden answers tshark gave (`npm run goldens` regenerates them).
//
// Frames and timestamps must agree exactly. Field values and filter results are held by a ratchet:
// test/fixtures/golden/known-diffs.json lists the differences we still have (per capture and field/filter);
// the test fails when a difference appears that is not listed or grows. Run with UPDATE_KNOWN_DIFFS=1 to
// rewrite the list after fixing something (it may only shrink: review the diff).
import { describe, expect, it, afterAll } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Capture } from '../../src/core/capture';
import { openSource } from '../../src/cli/source';
import { FieldsWriter, resolveFields, timeDecimals } from '../../src/core/output/tshark';
import { compileFilter } from '../../src/core/filter';
import type { Packet } from '../../src/core/dissect/packet';
import { secondsText } from '../../src/core/time';
import { fieldGroups, filterList } from '../../scripts/goldens.mjs';

const root = join(__dirname, '..', '..');
const goldenDir = join(root, 'test', 'fixtures', 'golden');
const knownPath = join(goldenDir, 'known-diffs.json');
const caps: { name: string; path: string; copied: boolean }[] = JSON.parse(
  readFileSync(join(goldenDir, 'captures.json'), 'utf8'),
);
const groups = fieldGroups(readFileSync(join(goldenDir, 'fields.txt'), 'utf8')) as Record<string, string[]>;
const allFields = Object.values(groups).flat();
const filters = filterList(readFileSync(join(goldenDir, 'filters.txt'), 'utf8')) as string[];
const FRAME_FIELDS = ['frame.number', 'frame.len', 'frame.cap_len', 'frame.time_epoch', 'frame.time_relative', 'frame.time_delta'];

interface Known {
  fields: Record<string, Record<string, number>>;
  filters: Record<string, string[]>;
}
const known: Known = existsSync(knownPath) ? JSON.parse(readFileSync(knownPath, 'utf8')) : { fields: {}, filters: {} };
const seen: Known = { fields: {}, filters: {} };
const totals: Record<string, [number, number]> = {};

interface Result {
  count: number;
  rows: string[][];
  filterFrames: string[];
  error: string | null;
}

/** One pass over the capture, as tshark: fields of every frame, and each filter's frames. */
function runCapture(path: string): Result {
  const cap = new Capture(openSource(path));
  const { specs } = resolveFields(allFields.filter((f) => resolveFields([f]).unknown.length === 0));
  const present = new Set(specs.map((s) => (typeof s === 'string' ? s : s.abbrev)));
  const writer = new FieldsWriter(specs);
  const compiled = filters.map((f) => compileFilter(f));
  const matched: number[][] = filters.map(() => []);
  const rows: string[][] = [];
  const decimals = timeDecimals(cap.info);
  let t0s = 0,
    t0n = 0;
  cap.load(Infinity, (pkt: Packet) => {
    if (pkt.num === 1) {
      t0s = pkt.meta.tsSec;
      t0n = pkt.meta.tsNsec;
    }
    const cells = writer.cells(pkt, secondsText(pkt.meta.tsSec - t0s, pkt.meta.tsNsec - t0n, decimals));
    let k = 0;
    rows.push(allFields.map((f) => (present.has(f) ? cells[k++]! : '\u0000unsupported')));
    compiled.forEach((c, i) => {
      if (c.ok && c.filter.match(pkt)) matched[i]!.push(pkt.num);
    });
  });
  return {
    count: cap.frames.count,
    rows,
    filterFrames: compiled.map((c, i) => (c.ok ? matched[i]!.join(',') : 'REJECTED')),
    error: cap.error?.message ?? null,
  };
}

for (const c of caps) {
  const path = join(root, c.path);
  const dir = join(goldenDir, c.name);
  const runnable = existsSync(path) && existsSync(join(dir, 'fields.tsv'));
  describe.skipIf(!runnable)(`${c.name}${c.copied ? '' : ' (from ../shared)'}`, () => {
    let res: Result;
    let golden: string[][];
    const get = () => {
      if (!res) {
        res = runCapture(path);
        const lines = readFileSync(join(dir, 'fields.tsv'), 'utf8').split('\n');
        golden = lines.slice(1).filter((l, i, a) => i < a.length - 1 || l !== '').map((l) => l.split('\t'));
      }
      return { res, golden };
    };

    it('has the same frames and timestamps as tshark', { timeout: 120_000 }, () => {
      const { res, golden } = get();
      expect(res.count).toBe(golden.length);
      for (const f of FRAME_FIELDS) {
        const i = allFields.indexOf(f);
        const want = golden.map((r) => r[i] ?? '');
        const got = res.rows.map((r) => r[i] ?? '');
        expect(got, f).toEqual(want);
      }
    });

    it('agrees with tshark on the conformance fields (ratchet)', { timeout: 120_000 }, () => {
      const { res, golden } = get();
      const diffs: Record<string, number> = {};
      const examples: string[] = [];
      allFields.forEach((f, i) => {
        const g = Object.keys(groups).find((k) => groups[k]!.includes(f))!;
        const tot = (totals[g] ??= [0, 0]);
        for (let r = 0; r < golden.length; r++) {
          const want = golden[r]![i] ?? '';
          const got = res.rows[r]?.[i];
          tot[1]++;
          if (got === want) tot[0]++;
          else {
            diffs[f] = (diffs[f] ?? 0) + 1;
            if (examples.length < 8 && !(known.fields[c.name]?.[f] ?? 0))
              examples.push(`${f} #${r + 1}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
          }
        }
      });
      if (Object.keys(diffs).length) seen.fields[c.name] = diffs;
      const worse = Object.entries(diffs).filter(([f, n]) => n > (known.fields[c.name]?.[f] ?? 0));
      expect(worse.map(([f, n]) => `${f}: ${n} differ (known ${known.fields[c.name]?.[f] ?? 0})`), examples.join('\n')).toEqual([]);
    });

    it('selects the same frames as tshark for every conformance filter (ratchet)', { timeout: 120_000 }, () => {
      const { res } = get();
      const lines = readFileSync(join(dir, 'filters.tsv'), 'utf8').split('\n');
      const bad: string[] = [];
      filters.forEach((f, i) => {
        const want = (lines[i] ?? '').split('\t').slice(1).join('\t');
        if (res.filterFrames[i] !== want) bad.push(f);
      });
      if (bad.length) seen.filters[c.name] = bad;
      const worse = bad.filter((f) => !(known.filters[c.name] ?? []).includes(f));
      expect(worse).toEqual([]);
    });
  });
}

afterAll(() => {
  const pct = Object.entries(totals).map(([g, [ok, n]]) => `${g}: ${ok}/${n} (${((100 * ok) / Math.max(1, n)).toFixed(2)}%)`);
  if (pct.length) console.log(`conformance with tshark — ${pct.join(' · ')}`);
  if (process.env.UPDATE_KNOWN_DIFFS) {
    writeFileSync(knownPath, JSON.stringify(seen, null, 1) + '\n');
    console.log(`wrote ${knownPath}`);
  }
});
