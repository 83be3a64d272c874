// The tcpdump view against the real tcpdump: every capture's lines compared with what `tcpdump -n -r` printed
// (test/fixtures/golden/tcpdump, made by scripts/tcpdump-goldens.mjs with TZ=UTC).
//
// Differences still open are listed by frame in test/fixtures/golden/tcpdump/known-diffs.json; the test fails
// when a frame differs that is not listed. After fixing something, UPDATE_KNOWN_DIFFS=1 rewrites the list (it
// may only shrink: review the diff). The common captures (loopback and namespace traffic, tcpdump's own
// samples) must agree on every line.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Capture } from '../../src/core/capture';
import { openSource } from '../../src/cli/source';
import { TcpdumpView } from '../../src/core/output/tcpdump';
import { packets } from '../../scripts/tcpdump-goldens.mjs';

const root = join(__dirname, '..', '..');
const goldenDir = join(root, 'test', 'fixtures', 'golden', 'tcpdump');
const knownPath = join(goldenDir, 'known-diffs.json');
const caps: { name: string; path: string; copied: boolean }[] = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'golden', 'captures.json'), 'utf8'));
const index: { version: string; captures: Record<string, { packets: number; error: string | null }> } = JSON.parse(readFileSync(join(goldenDir, 'index.json'), 'utf8'));
const known: Record<string, number[]> = existsSync(knownPath) ? JSON.parse(readFileSync(knownPath, 'utf8')) : {};
const seen: Record<string, number[]> = {};
let same = 0;
let total = 0;

/** Captures of everyday traffic: no line of theirs may differ. */
const COMMON = /^(0[1-8]_|2\d_|tcpdump__|xss_payloads)/;

for (const c of caps) {
  const path = join(root, c.path);
  const golden = join(goldenDir, `${c.name}.txt`);
  describe.skipIf(!existsSync(path) || !existsSync(golden) || !index.captures[c.name])(`tcpdump -n -r ${c.name}`, () => {
    it('prints every packet as tcpdump does (ratchet)', { timeout: 120_000 }, () => {
      const want = packets(readFileSync(golden, 'latin1'));
      const cap = new Capture(openSource(path));
      cap.index();
      // tcpdump stops at a pcapng interface whose link type differs from the first one's; frames before it count
      if (index.captures[c.name]!.error) expect(want.length).toBeLessThanOrEqual(cap.frames.count);
      else expect(cap.frames.count).toBe(want.length);
      const view = new TcpdumpView(cap, { utc: true });
      const bad: number[] = [];
      const examples: string[] = [];
      want.forEach((line, i) => {
        let got: string;
        try {
          got = view.line(i + 1);
        } catch (e) {
          got = `exception: ${String(e)}`;
        }
        total++;
        if (got === line) same++;
        else {
          bad.push(i + 1);
          if (examples.length < 6 && !(known[c.name] ?? []).includes(i + 1)) examples.push(`#${i + 1}\n  want ${line}\n  got  ${got}`);
        }
      });
      if (bad.length) seen[c.name] = bad;
      const fresh = bad.filter((n) => !(known[c.name] ?? []).includes(n));
      expect(fresh, examples.join('\n')).toEqual([]);
      if (COMMON.test(c.name)) expect(bad, `${c.name} is a common capture`).toEqual([]);
    });
  });
}

afterAll(() => {
  if (total) console.log(`tcpdump view: ${same}/${total} lines as ${index.version} prints them (${((100 * same) / total).toFixed(2)}%)`);
  if (process.env.UPDATE_KNOWN_DIFFS) {
    writeFileSync(knownPath, JSON.stringify(seen, null, 1).replace(/\[\n\s+([\d,\n\s]+?)\n\s+\]/g, (_, l: string) => `[${l.replace(/\s+/g, '')}]`) + '\n');
    console.log(`wrote ${knownPath}`);
  }
});
