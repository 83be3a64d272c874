import { describe, expect, it } from 'vitest';
import { RowCache, WINDOW } from './rowCache';
import type { RowSummary } from '../worker/protocol';

const row = (num: number): RowSummary => ({ num, time: 0, src: '', dst: '', protocol: 'X', length: 1, info: '' });
const rowsFrom = (start: number, n: number) => Array.from({ length: n }, (_, i) => row(start + i + 1));

describe('RowCache', () => {
  it('requests each missing window once and serves rows from it', () => {
    const asked: number[] = [];
    const c = new RowCache((start) => asked.push(start));
    c.reset(1);
    c.ensure(0, WINDOW + 5, 10_000);
    c.ensure(0, WINDOW + 5, 10_000);
    expect(asked).toEqual([0, WINDOW]);
    expect(c.put(1, 0, rowsFrom(0, WINDOW))).toBe(true);
    expect(c.get(3)?.num).toBe(4);
    expect(c.get(WINDOW)).toBeUndefined();
  });

  it('ignores answers for another view and re-asks for a window that was short while loading', () => {
    const asked: number[] = [];
    const c = new RowCache((start) => asked.push(start));
    c.reset(2);
    c.ensure(0, 10, 40);
    expect(c.put(1, 0, rowsFrom(0, 40))).toBe(false);
    expect(c.put(2, 0, rowsFrom(0, 40))).toBe(true);
    c.ensure(0, 10, 40);
    expect(asked).toEqual([0]);
    c.ensure(0, 60, 80); // more rows were loaded since
    expect(asked).toEqual([0, 0]);
  });
});
