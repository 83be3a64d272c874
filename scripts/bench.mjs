// `npm run bench [-- --sizes 100000,1000000] [--runs 3] [--json] [--no-browser] [--no-cli]`: our CLI and tshark side by side
// on large captures made from real loopback traffic (scripts/make-bench-captures.sh), plus the browser's time from
// file chosen to `Packets: N` against the time the same page needs just to read the file's bytes.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureApt, ensureNpm, root, CHROMIUM } from './ensure.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const sizes = opt('sizes', '100000,1000000').split(',').map(Number);
const runs = Number(opt('runs', '3'));
const asJson = args.includes('--json');
const browser = !args.includes('--no-browser');
const cli = !args.includes('--no-cli');
const log = (...a) => {
  if (!asJson) console.error(...a);
};

ensureNpm();
ensureApt([
  ['tshark', 'tshark'],
  ['tcpdump', 'tcpdump'],
  ['curl', 'curl'],
  ['chromium', 'chromium'],
]);
// GNU time measures peak memory; `command -v time` would find the shell keyword, so look for the file.
if (!existsSync('/usr/bin/time')) ensureApt([['/usr/bin/time', 'time']]);
const outDir = join(root, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const missing = sizes.filter((n) => !existsSync(join(outDir, `bench-${n}.pcap`)));
if (missing.length) {
  log(`making captures from loopback traffic: ${missing.join(', ')} packets (needs root; takes a while)…`);
  execFileSync('bash', [join(root, 'scripts', 'make-bench-captures.sh'), outDir, ...missing.map(String)], { stdio: 'inherit' });
}

/** Wall time (s) and peak RSS (MB) of a command, output discarded; median over `runs`. */
function timeCmd(cmd, argv) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...argv], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    const last = r.stderr.toString().trim().split('\n').pop();
    const [sec, kb] = last.split(' ').map(Number);
    samples.push({ sec, mb: kb / 1024 });
  }
  samples.sort((a, b) => a.sec - b.sec);
  return samples[Math.floor(samples.length / 2)];
}

const rows = [];
const wl = join(root, 'bin', 'wirelens.mjs');
// Warm the CLI bundle so its one-time build is not measured.
spawnSync('node', [wl, '--help'], { stdio: 'ignore' });
for (const n of sizes) {
  const file = join(outDir, `bench-${n}.pcap`);
  const mb = (statSync(file).size / 1e6).toFixed(0);
  const ops = [
    ['summary lines', ['-r', file]],
    ['-Y "tcp.port == 11699" -T fields -e frame.number', ['-r', file, '-Y', 'tcp.port == 11699', '-T', 'fields', '-e', 'frame.number']],
    [
      '-Y "ip.addr == 10.0.0.0/8 && tcp.flags.syn == 1" -T fields -e frame.number',
      ['-r', file, '-Y', 'ip.addr == 10.0.0.0/8 && tcp.flags.syn == 1', '-T', 'fields', '-e', 'frame.number'],
    ],
    ['-Y \'http.request.uri contains "a"\' -T fields -e frame.number', ['-r', file, '-Y', 'http.request.uri contains "a"', '-T', 'fields', '-e', 'frame.number']],
  ];
  for (const [name, argv] of cli ? ops : []) {
    log(`${n} packets (${mb} MB): ${name}…`);
    const ours = timeCmd('node', [wl, ...argv]);
    const ts = timeCmd('tshark', argv);
    rows.push({ packets: n, op: `CLI ${name}`, ours: ours.sec, oursMB: ours.mb, tshark: ts.sec, tsharkMB: ts.mb, ratio: ours.sec / ts.sec });
  }
  if (browser) {
    try {
      const b = await browserLoad(file, n);
      rows.push({ packets: n, op: 'browser: file chosen → Packets: N', ours: b.load, baseline: b.read, ratio: b.load / b.read, firstRows: b.firstRows });
    } catch (e) {
      log(`browser measurement failed: ${e.message}`);
      rows.push({ packets: n, op: 'browser: file chosen → Packets: N', error: String(e.message) });
    }
  }
}

if (asJson) console.log(JSON.stringify({ runs, rows }, null, 1));
else {
  const f = (x, d = 2) => (x === undefined ? '—' : typeof x === 'number' ? x.toFixed(d) : x);
  console.log(`\nmedian of ${runs} run(s); times in seconds, memory peak RSS in MB`);
  console.log(['packets', 'operation', 'ours', 'tshark / raw read', 'ratio', 'ours MB', 'tshark MB'].join(' | '));
  for (const r of rows) {
    console.log(
      [r.packets, r.op, f(r.ours), f(r.tshark ?? r.baseline), r.ratio ? `${f(r.ratio, 3)}×` : r.error ?? '—', f(r.oursMB, 0), f(r.tsharkMB, 0)].join(
        ' | ',
      ),
    );
  }
}

/** Serve the built app, choose the file in Chromium, and time `Packets: N` against a plain read of the bytes. */
async function browserLoad(file, n) {
  const { chromium } = await import('@playwright/test');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  const port = '4179';
  const server = spawn('npx', ['vite', 'preview', '--port', port, '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 2500));
    const b = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await b.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByRole('status').waitFor();
    // Baseline: the same page reading the same file's bytes, through an input of its own.
    await page.evaluate(() => {
      const el = document.createElement('input');
      el.type = 'file';
      el.id = 'bench-raw-read';
      el.style.display = 'none';
      document.body.appendChild(el);
    });
    await page.setInputFiles('#bench-raw-read', file);
    const read = await page.evaluate(async () => {
      const f = document.getElementById('bench-raw-read').files[0];
      const t = performance.now();
      await f.arrayBuffer();
      return (performance.now() - t) / 1000;
    });
    const input = page.locator('input[type=file]').first();
    await input.setInputFiles(file);
    const want = `Packets: ${n.toLocaleString('en-US')}`;
    const t0 = Date.now();
    await page.getByRole('status').filter({ hasText: want }).waitFor({ timeout: 600_000 });
    const load = (Date.now() - t0) / 1000;
    await b.close();
    return { load, read, firstRows: undefined };
  } finally {
    server.kill();
  }
}
