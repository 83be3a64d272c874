// `node scripts/time-goldens.mjs [NAME…]`: the Time column tshark prints in each -t format, for every fixture
// capture, kept as test/fixtures/golden/time/<capture>.json; test/output/time.test.ts compares our CLI with it.
//
// tshark runs with TZ=Asia/Kolkata: local-time formats then differ from UTC ones, by a half-hour offset too.
// Each format is printed for all frames and for the frames of one filter (delta displayed needs one).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenCaptures, tsharkRows } from './goldens.mjs';
import { root } from './ensure.mjs';

const outDir = join(root, 'test', 'fixtures', 'golden', 'time');
export const TIME_TZ = 'Asia/Kolkata';
export const TIME_FILTER = 'frame.len > 100';
const FORMATS = ['r', 'd', 'dd', 'e', 'a', 'ad', 'adoy', 'u', 'ud', 'udoy'];

async function column(path, fmt, filter) {
  const args = ['-r', path, '-t', fmt, '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Time'];
  if (filter) args.push('-Y', filter);
  return tsharkRows(args, { tz: TIME_TZ, lc: 'C' });
}

async function main() {
  const { version, captures } = await goldenCaptures(outDir);
  for (const { name, path } of captures) {
    const golden = { tshark: version, tz: TIME_TZ, filter: TIME_FILTER, all: {}, filtered: {} };
    for (const fmt of FORMATS) {
      golden.all[fmt] = (await column(path, fmt, '')).map((r) => r[1] ?? '');
      golden.filtered[fmt] = (await column(path, fmt, TIME_FILTER)).map(([n, t]) => `${n}\t${t ?? ''}`);
    }
    writeFileSync(join(outDir, `${name}.json`), JSON.stringify(golden, null, 1) + '\n');
    console.log(`${name}: ${golden.all.r.length} frames`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
