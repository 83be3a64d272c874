// The classroom bookmarks compile, without warnings, in our compiler and (when installed) in sharkd.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { compileFilter } from '../../core/filter';
import '../../core/dissectors';
import { BUILTIN_BOOKMARKS } from '../bookmarks';

describe('built-in bookmarks', () => {
  it.each(BUILTIN_BOOKMARKS.map((b) => [b.name, b.filter]))('%s: %s compiles cleanly', (_name, filter) => {
    const r = compileFilter(filter);
    expect(r.ok ? r.filter.warnings : r.error.message).toEqual([]);
  });

  it('names and filters are unique', () => {
    expect(new Set(BUILTIN_BOOKMARKS.map((b) => b.name)).size).toBe(BUILTIN_BOOKMARKS.length);
    expect(new Set(BUILTIN_BOOKMARKS.map((b) => b.filter)).size).toBe(BUILTIN_BOOKMARKS.length);
  });

  const input = BUILTIN_BOOKMARKS.map((b, i) => JSON.stringify({ jsonrpc: '2.0', id: i + 1, method: 'check', params: { filter: b.filter } })).join('\n') + '\n';
  const r = spawnSync('sharkd', ['-'], { input, encoding: 'utf8', timeout: 60_000 });
  const ran = !r.error && r.status !== null;
  it.skipIf(!ran)('sharkd (Wireshark 4.0) accepts each of them without a warning', () => {
    const status = new Map<number, string>();
    for (const line of r.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const m = JSON.parse(line) as { id: number; result?: { status: string }; error?: { message: string } };
      status.set(m.id, m.error ? m.error.message : m.result!.status);
    }
    expect(BUILTIN_BOOKMARKS.map((b, i) => `${b.filter}: ${status.get(i + 1)}`)).toEqual(BUILTIN_BOOKMARKS.map((b) => `${b.filter}: OK`));
  });
});
