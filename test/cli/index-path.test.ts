// The CLI's index path (-T fields whose fields and filter the header index answers, no dissection of plain
// frames) prints what tshark printed: compared with the golden fields and filter results of every fixture.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import { compileFilter } from '../../src/core/filter';
import { getField } from '../../src/core/fields/registry';
import { IndexMatcher, allIndexed } from '../../src/core/model/index-filter';
import { filterList } from '../../scripts/goldens.mjs';
import '../../src/core/dissectors';

const root = join(__dirname, '..', '..');
const goldenDir = join(root, 'test', 'fixtures', 'golden');
const caps: { name: string; path: string }[] = JSON.parse(readFileSync(join(goldenDir, 'captures.json'), 'utf8'));
const filters = (filterList(readFileSync(join(goldenDir, 'filters.txt'), 'utf8')) as string[]).filter((f) => {
  const r = compileFilter(f);
  if (!r.ok) return false;
  const m = IndexMatcher.for(r.filter);
  return !!m && !m.analysis;
});

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, (s) => (err += s), (s) => (out += s));
  return { code, out, err };
}

const present = caps.filter((c) => existsSync(join(root, c.path)) && existsSync(join(goldenDir, c.name, 'fields.tsv')));

describe('CLI index path', () => {
  it('covers a useful share of the conformance filters', () => {
    expect(filters.length).toBeGreaterThan(20);
  });

  it.each(present.map((c) => [c.name, c.path]))('%s: indexed fields and filters as tshark', (name, path) => {
    const golden = readFileSync(join(goldenDir, name, 'fields.tsv'), 'utf8').split('\n').filter(Boolean);
    const header = golden[0]!.split('\t');
    // the golden columns the index can answer
    const cols = header.map((h, i) => [h, i] as const).filter(([h]) => getField(h) && allIndexed([getField(h)!]));
    expect(cols.length).toBeGreaterThan(10);
    const res = cli(['-r', join(root, path), '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...cols.flatMap(([h]) => ['-e', h])]);
    const want = golden.slice(1).map((l) => {
      const cells = l.split('\t');
      return cols.map(([, i]) => cells[i] ?? '').join('\t');
    });
    expect(res.out.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '')).toEqual(want);

    // -E occurrence=f|l, quote=d and separator: the golden's aggregated cells give the first / last value
    for (const occ of ['f', 'l'] as const) {
      const r = cli(['-r', join(root, path), '-T', 'fields', '-E', `occurrence=${occ}`, '-E', 'quote=d', '-E', 'separator=;', ...cols.flatMap(([h]) => ['-e', h])]);
      const w = golden.slice(1).map((l) => {
        const cells = l.split('\t');
        return cols
          .map(([, i]) => {
            const c = cells[i] ?? '';
            if (!c) return '';
            const vs = c.split(',');
            return `"${occ === 'f' ? vs[0] : vs[vs.length - 1]}"`;
          })
          .join(';');
      });
      expect(r.out.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '')).toEqual(w);
    }

    const frames = new Map(
      readFileSync(join(goldenDir, name, 'filters.tsv'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.split('\t')[0]!, l.split('\t')[1] ?? ''] as const),
    );
    const diffs: string[] = [];
    for (const f of filters) {
      if (!frames.has(f)) continue;
      const r = cli(['-r', join(root, path), '-Y', f, '-T', 'fields', '-e', 'frame.number']);
      const got = r.out.split('\n').filter(Boolean).join(',');
      if (got !== frames.get(f)) diffs.push(`${f}: tshark ${frames.get(f)} ours ${got}`);
    }
    expect(diffs).toEqual([]);
  });
});
