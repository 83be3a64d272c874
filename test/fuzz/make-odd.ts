// `node scripts/make-odd-captures.mjs [--out DIR] [--xss] [--huge GB] [--sparse]`
//   writes the odd captures of odd-captures.ts into DIR (default /tmp/wirelens-odd-captures);
//   --xss      (re)writes the committed fixture test/fixtures/captures/xss_payloads.pcap;
//   --huge GB  also writes huge_<GB>gb.pcap of that many GiB into DIR, in chunks (not in CI: open it in the
//              page to check that the worker reads it through File.slice without holding it in memory);
//   --sparse   also writes over_2gib.pcap: 8,193 frames of 256 KiB (2.0 GiB) as a sparse file (the e2e test's).
import { closeSync, ftruncateSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ODD_FILES, hugePcap, sparseJumboPcap, xssCapture } from './odd-captures';
import { repoRoot } from './corpus';

const args = process.argv.slice(2);
const opt = (k: string) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = opt('--out') ?? '/tmp/wirelens-odd-captures';
mkdirSync(out, { recursive: true });
for (const [name, make] of Object.entries(ODD_FILES)) {
  const b = make();
  writeFileSync(join(out, name), b);
  console.log(`${join(out, name)}: ${b.length} bytes`);
}
if (args.includes('--xss')) {
  const p = join(repoRoot(), 'test', 'fixtures', 'captures', 'xss_payloads.pcap');
  const b = xssCapture();
  writeFileSync(p, b);
  console.log(`${p}: ${b.length} bytes`);
}
const huge = opt('--huge');
if (huge) {
  const gb = Number(huge);
  const p = join(out, `huge_${gb}gb.pcap`);
  const fd = openSync(p, 'w');
  const n = hugePcap(Math.floor(gb * 2 ** 30), (c) => {
    writeSync(fd, c);
  });
  closeSync(fd);
  console.log(`${p}: ${n} frames`);
}
if (args.includes('--sparse')) {
  const p = join(out, 'over_2gib.pcap');
  const fd = openSync(p, 'w');
  ftruncateSync(fd, sparseJumboPcap(8193, (offset, bytes) => void writeSync(fd, bytes, 0, bytes.length, offset)));
  closeSync(fd);
  console.log(`${p}: 8193 frames`);
}
