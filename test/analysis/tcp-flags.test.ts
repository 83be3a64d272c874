// Every TCP analysis flag on a small crafted connection, compared with tshark's answer for the same bytes.
// The cases (with a table of their segments and what each shows) live in scripts/tcp-flag-goldens.mjs, which
// writes each as test/fixtures/golden/tcp-flags/<case>.pcap and asks tshark for every tcp.analysis field
// (<case>.tsv). Here the same bytes are rebuilt, checked against the committed pcap (so the golden belongs to
// them), dissected in one pass as tshark does, and every field of every frame compared.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import { FieldsWriter, resolveFields, timeDecimals } from '../../src/core/output/tshark';
import type { Packet } from '../../src/core/dissect/packet';
import { CASES, FIELDS, GOLDEN_DIR, pcapOf } from '../../scripts/tcp-flag-goldens.mjs';

function ours(bytes: Uint8Array): string[][] {
  const cap = new Capture(new MemorySource(bytes));
  const { specs, unknown } = resolveFields(FIELDS);
  expect(unknown, 'fields our registry lacks').toEqual([]);
  const writer = new FieldsWriter(specs);
  const decimals = timeDecimals(cap.info);
  const rows: string[][] = [];
  cap.load(Infinity, (pkt: Packet) => rows.push(writer.cells(pkt, (0).toFixed(decimals))));
  return rows;
}

function golden(name: string): string[][] {
  const lines = readFileSync(join(GOLDEN_DIR, `${name}.tsv`), 'utf8').split('\n');
  expect(lines[0]!.split('\t'), 'TSV header (regenerate: node scripts/tcp-flag-goldens.mjs)').toEqual(FIELDS);
  return lines.slice(1).filter((l) => l !== '').map((l) => l.split('\t'));
}

describe('tcp analysis flags, as tshark sets them', () => {
  for (const [name, kase] of Object.entries(CASES)) {
    it(`${name}: ${kase.title}`, () => {
      const bytes = pcapOf(kase);
      expect(Buffer.from(bytes).equals(readFileSync(join(GOLDEN_DIR, `${name}.pcap`))), 'committed pcap differs: run node scripts/tcp-flag-goldens.mjs').toBe(true);
      const want = golden(name);
      const got = ours(bytes);
      expect(got.length).toBe(want.length);
      const diffs: string[] = [];
      want.forEach((row, r) =>
        FIELDS.forEach((f, i) => {
          if ((got[r]![i] ?? '') !== (row[i] ?? '')) diffs.push(`#${r + 1} ${f}: tshark ${JSON.stringify(row[i])}, ours ${JSON.stringify(got[r]![i])}`);
        }),
      );
      expect(diffs).toEqual([]);
    });
  }

  it('each flag of the task appears in some case (the cases cover what they claim)', () => {
    const seen = new Set<string>();
    for (const name of Object.keys(CASES))
      for (const row of golden(name)) FIELDS.forEach((f, i) => row[i] && seen.add(f));
    const flags = FIELDS.filter((f) => f.startsWith('tcp.analysis.') && !f.startsWith('tcp.analysis.rto'));
    expect(flags.filter((f) => !seen.has(f))).toEqual([]);
  });
});
