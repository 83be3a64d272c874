// The Time column in every tshark -t format: our CLI against tshark's goldens (scripts/time-goldens.mjs).
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, capturePath, root } from './cli-helpers';
import { secondsText, timeText, TIME_FORMATS } from '../../src/core/time';

// the goldens' time zone (Date reads process.env.TZ when it changes); a half-hour offset catches more mistakes
process.env.TZ = 'Asia/Kolkata';

const dir = join(root, 'test', 'fixtures', 'golden', 'time');

interface Golden {
  tz: string;
  filter: string;
  all: Record<string, string[]>;
  filtered: Record<string, string[]>;
}


describe('secondsText: exact seconds from whole seconds and nanoseconds', () => {
  it.each([
    // sec, nsec, decimals, text
    [0, 0, 6, '0.000000'],
    [1, 14_000, 6, '1.000014'],
    [1_795_308_378, 338_004_123, 9, '1795308378.338004123'],
    [1, -1_000, 6, '0.999999'],
    [0, -13_000, 6, '-0.000013'],
    [-2, 500_000_000, 6, '-1.500000'],
    [-1, -250_000_000, 9, '-1.250000000'],
    [3, 2_000_000_000, 6, '5.000000'],
  ])('%d s %d ns, %d digits → %s', (sec, nsec, decimals, text) => {
    expect(secondsText(sec, nsec, decimals)).toBe(text);
  });

  it('the day of the year and a date before 1970', () => {
    expect(timeText('udoy', { sec: Date.UTC(2024, 11, 31, 23, 59, 59) / 1000, nsec: 5 }, null, 9)).toBe('2024/366 23:59:59.000000005');
    expect(timeText('ud', { sec: -1, nsec: 0 }, null, 6)).toBe('1969-12-31 23:59:59.000000');
  });
});

describe('the wirelens -t option', () => {
  it('refuses an unknown format with tshark’s list', () => {
    const r = cli(['-r', capturePath('01_http_get_loopback.pcap'), '-t', 'x']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Invalid time stamp type "x"; it must be one of:\n\t"a"    for absolute\n');
  });

  it('pads the summary line’s Time as tshark does', () => {
    // TZ=Asia/Kolkata tshark -r 01_http_get_loopback.pcap -t ad -c 1
    const r = cli(['-r', capturePath('01_http_get_loopback.pcap'), '-t', 'ad', '-c', '1']);
    expect(r.out).toBe(
      '    1 2026-11-22 06:16:18.338004    127.0.0.1 → 127.0.0.1    TCP 74 43874 → 11699 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=2660436950 TSecr=0 WS=1024\n',
    );
  });
});

const goldens = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
describe.each(goldens)('%s: the Time column as tshark -t prints it', (file) => {
  const g = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Golden;
  const path = capturePath(file.replace(/\.json$/, ''));
  it('is made in the time zone this test sets', () => expect(g.tz).toBe(process.env.TZ));
  it.each(TIME_FORMATS.map((f) => [f]))('-t %s, all frames and the frames of a filter', (fmt) => {
    const all = cli(['-r', path, '-t', fmt, '-T', 'fields', '-e', '_ws.col.Time']);
    expect(all.out.split('\n').slice(0, -1)).toEqual(g.all[fmt]);
    const some = cli(['-r', path, '-t', fmt, '-Y', g.filter, '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Time']);
    expect(some.out.split('\n').slice(0, -1)).toEqual(g.filtered[fmt]);
  });
});
