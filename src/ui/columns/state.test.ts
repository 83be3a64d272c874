// The column layout read back from storage: round trip, the v1 widths, and hand-edited nonsense.
import { describe, expect, it } from 'vitest';
import { defaultColumns, parseStored, serialize, type ListColumn } from './state';

const ids = (cols: ListColumn[]) => cols.map((c) => `${c.id}${c.hidden ? ' (hidden)' : ''} ${c.width}`);

describe('parseStored', () => {
  it('round-trips a custom layout', () => {
    const cols: ListColumn[] = [
      { id: 'num', kind: { builtin: 'num' }, title: '', width: 50, hidden: false },
      { id: 'f:ip.ttl:0', kind: { custom: { field: 'ip.ttl', occurrence: 0, resolved: false } }, title: 'Time to Live', width: 90, hidden: false },
      ...defaultColumns().slice(1).map((c) => (c.id === 'length' ? { ...c, hidden: true } : c)),
    ];
    expect(parseStored(serialize(cols), null)).toEqual(cols);
  });
  it('keeps the widths of the v1 list', () => {
    expect(ids(parseStored(null, '[70,100,160,160,80,70,500]'))).toEqual(['num 70', 'time 100', 'src 160', 'dst 160', 'protocol 80', 'length 70', 'info 500']);
  });
  it.each([
    ['{"nonsense": true', 'not JSON'],
    ['{"a":1}', 'not a list'],
    ['[{"builtin":"num","hidden":true}]', 'nothing shown'],
  ])('gives the defaults for %s (%s)', (text) => {
    expect(parseStored(text, null)).toEqual(defaultColumns());
  });
  it('drops unknown and repeated entries and brings missing built-ins back hidden', () => {
    const got = parseStored('[{"builtin":"info","width":9999},{"builtin":"info"},{"builtin":"bogus"},{"field":"bad field!"},{"field":"tcp.len","width":80}]', null);
    expect(ids(got)).toEqual([
      'info 420',
      'f:tcp.len:0 80',
      'num (hidden) 64',
      'time (hidden) 96',
      'src (hidden) 150',
      'dst (hidden) 150',
      'protocol (hidden) 76',
      'length (hidden) 68',
    ]);
  });
});
