import { describe, expect, it } from 'vitest';
import { windowRate, type CountSample } from './rate';

describe('windowRate', () => {
  it('a burst shows for the two seconds after it arrived, however late the ticks come', () => {
    const samples: CountSample[] = [{ t: 0, n: 0 }];
    expect(windowRate(samples, 500, 0)).toBe(0);
    samples.push({ t: 3000, n: 80 }); // 80 packets at once, 3 s in
    // a tick delayed by a long task, 1.9 s after the burst: still counted
    expect(windowRate(samples, 4900, 0)).toBe(40);
    expect(windowRate(samples, 4999, 0)).toBe(40);
    // and gone once it is two seconds old
    expect(windowRate(samples, 5000, 0)).toBe(0);
    expect(samples).toEqual([{ t: 3000, n: 80 }]);
  });

  it('a steady flow: 10 packets every 100 ms is 100 packets/s; the first second is not diluted', () => {
    const samples: CountSample[] = [{ t: 0, n: 0 }];
    for (let t = 100; t <= 5000; t += 100) samples.push({ t, n: t / 10 });
    expect(windowRate(samples, 5000, 0)).toBe(100);
    const early: CountSample[] = [{ t: 0, n: 0 }, { t: 500, n: 50 }];
    expect(windowRate(early, 500, 0)).toBe(100);
  });
});
