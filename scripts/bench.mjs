// `npm run bench [-- --sizes 100000,1000000] [--runs 3] [--ops name,…] [--json] [--no-browser] [--no-cli] [--big]`: our CLI and tshark side by side
// on large captures made from real loopback traffic (scripts/make-bench-captures.sh), plus the browser's time from
// file chosen to `Packets: N` against the time the same page needs just to read the file's bytes. `--big` also opens
// a capture of over 2 GiB in the page (made on demand from the 1M one by scripts/make-big-capture.mjs).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
const big = args.includes('--big');
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
  return middle(samples);
}

/** The middle element of a sorted array (the upper of the two middle ones for an even count). */
function middle(sorted) {
  return sorted[Math.floor(sorted.length / 2)];
}

function median(xs) {
  return middle([...xs].sort((a, b) => a - b));
}

const rows = [];
// filters on indexed fields, then one that needs dissection (payload); each timed in the page once the capture is open
const BROWSER_FILTERS = ['tcp.port == 11699', 'ip.addr == 10.0.0.0/8 && tcp.flags.syn == 1', 'http.request.uri contains "a"'];
function countLines(cmd, argv) {
  const r = spawnSync(cmd, argv, { maxBuffer: 1 << 30 });
  return r.stdout.toString().split('\n').filter(Boolean).length;
}
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
  const only = opt('ops', '');
  for (const [name, argv] of cli ? ops.filter(([name]) => !only || only.split(',').some((o) => name.includes(o))) : []) {
    log(`${n} packets (${mb} MB): ${name}…`);
    const ours = timeCmd('node', [wl, ...argv]);
    const ts = timeCmd('tshark', argv);
    rows.push({ packets: n, op: `CLI ${name}`, ours: ours.sec, oursMB: ours.mb, tshark: ts.sec, tsharkMB: ts.mb, ratio: ours.sec / ts.sec });
  }
  if (browser) {
    try {
      // the displayed counts to wait for (our CLI agrees with tshark on them: test/cli/index-path.test.ts)
      const filters = BROWSER_FILTERS.map((f) => [f, countLines('node', [wl, '-r', file, '-Y', f, '-T', 'fields', '-e', 'frame.number'])]);
      // each figure is the median over `runs` page loads (a fresh browser each time)
      const all = [];
      for (let i = 0; i < runs; i++) {
        log(`${n} packets: browser run ${i + 1} of ${runs}…`);
        all.push(await browserLoad(file, n, filters));
      }
      const med = (get) => median(all.map(get).filter((x) => x !== undefined));
      const b = {
        load: med((r) => r.load),
        read: med((r) => r.read),
        firstRows: all.some((r) => r.firstRows === undefined) ? undefined : med((r) => r.firstRows),
        analysed: med((r) => r.analysed),
        filters: all[0].filters.map((f, k) => ({ ...f, sec: med((r) => r.filters[k].sec) })),
        memMB: med((r) => r.memMB),
        heapMB: med((r) => r.heapMB),
        longTaskMax: med((r) => r.longTaskMax),
        longTasks: all.map((r) => r.longTasks).join(', '),
        longTaskMaxes: all.map((r) => r.longTaskMax.toFixed(0)).join(', '),
      };
      rows.push({ packets: n, op: 'browser: file chosen → Packets: N', ours: b.load, baseline: b.read, ratio: b.load / b.read });
      rows.push({ packets: n, op: 'browser: file chosen → first rows', ours: b.firstRows });
      rows.push({ packets: n, op: 'browser: file chosen → first pass done (analysis, streams)', ours: b.analysed });
      for (const f of b.filters) {
        // tshark's time for the same filter on the same file, from the CLI rows of this run
        const ts = rows.find((r) => r.packets === n && (r.op.includes(`-Y ${JSON.stringify(f.text)}`) || r.op.includes(`-Y '${f.text}'`)));
        rows.push({
          packets: n,
          op: `browser: filter ${f.text} (capture open) → Displayed: ${f.displayed}`,
          ours: f.sec,
          tshark: ts?.tshark,
          ratio: ts?.tshark ? f.sec / ts.tshark : undefined,
        });
      }
      rows.push({ packets: n, op: 'browser: JS heap + array buffers after load, page + worker, live after GC (MB)', ours: b.heapMB });
      rows.push({ packets: n, op: 'browser: renderer resident memory after load, garbage and allocator caches included (MB)', ours: b.memMB });
      rows.push({ packets: n, op: `browser: longest task while flinging the list (ms; per run: ${b.longTaskMaxes} ms, ${b.longTasks} long tasks)`, ours: b.longTaskMax });
    } catch (e) {
      log(`browser measurement failed: ${e.message}`);
      rows.push({ packets: n, op: 'browser: file chosen → Packets: N', error: String(e.message) });
    }
  }
}

// over 2 GiB: it opens in a tab, its bytes read back with File.slice rather than held (one run: it is long)
if (big && browser) {
  const src = join(outDir, 'bench-1000000.pcap');
  if (!existsSync(src)) execFileSync('bash', [join(root, 'scripts', 'make-bench-captures.sh'), outDir, '1000000'], { stdio: 'inherit' });
  const file = join(outDir, 'bench-2g.pcap');
  const countFile = `${file}.packets`;
  if (!existsSync(file) || !existsSync(countFile)) {
    log('making the 2 GiB capture from the 1M one…');
    const n = execFileSync('node', [join(root, 'scripts', 'make-big-capture.mjs'), src, file], { encoding: 'utf8' }).trim();
    writeFileSync(countFile, n);
  }
  const n = Number(readFileSync(countFile, 'utf8'));
  const gb = (statSync(file).size / 2 ** 30).toFixed(2);
  try {
    log(`${n} packets (${gb} GiB): browser…`);
    const b = await browserLoad(file, n, []);
    rows.push({ packets: n, op: `browser ${gb} GiB: file chosen → Packets: N`, ours: b.load, baseline: b.read, ratio: b.load / b.read });
    rows.push({ packets: n, op: `browser ${gb} GiB: first pass done`, ours: b.analysed });
    rows.push({ packets: n, op: `browser ${gb} GiB: JS heap + array buffers, page + worker, after GC (MB)`, ours: b.heapMB });
    rows.push({ packets: n, op: `browser ${gb} GiB: renderer resident memory after load (MB)`, ours: b.memMB });
  } catch (e) {
    log(`browser measurement failed: ${e.message}`);
    rows.push({ packets: n, op: `browser ${gb} GiB: file chosen → Packets: N`, error: String(e.message) });
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

/** The pid of the Chromium that Playwright launched: a child of this process. */
function chromiumPid() {
  const ps = spawnSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' }).stdout.trim().split('\n').slice(1);
  for (const l of ps) {
    const m = l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/);
    if (m && +m[2] === process.pid && /chrom/.test(m[3])) return +m[1];
  }
  throw new Error('cannot find the Chromium process');
}

/**
 * What the page and its workers hold live: each target's V8 heap in use plus its ArrayBuffer backing
 * stores (the typed arrays of the index, the blocks kept for readers), after a full garbage collection.
 * Through the browser's CDP session, attaching to every page and worker target in turn.
 */
async function liveHeapBytes(browser) {
  const bs = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await bs.send('Target.getTargets');
    let total = 0;
    for (const t of targetInfos.filter((t) => t.type === 'page' || t.type === 'worker')) {
      const { sessionId } = await bs.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
      let next = 1;
      const call = (method) =>
        new Promise((res, rej) => {
          const id = next++;
          const on = (e) => {
            if (e.sessionId !== sessionId) return;
            const m = JSON.parse(e.message);
            if (m.id !== id) return;
            bs.off('Target.receivedMessageFromTarget', on);
            if (m.error) rej(new Error(`${method}: ${m.error.message}`));
            else res(m.result);
          };
          bs.on('Target.receivedMessageFromTarget', on);
          bs.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) }).catch(rej);
        });
      await call('HeapProfiler.enable');
      await call('HeapProfiler.collectGarbage');
      const h = await call('Runtime.getHeapUsage');
      total += h.usedSize + (h.backingStorageSize ?? 0);
      await bs.send('Target.detachFromTarget', { sessionId });
    }
    return total;
  } finally {
    await bs.detach();
  }
}

/** Resident memory (MB) of Chromium's renderer processes (the page and its workers live there). */
function rendererMB(browserPid) {
  const ps = spawnSync('ps', ['-eo', 'pid,ppid,rss,args'], { encoding: 'utf8' }).stdout.trim().split('\n').slice(1);
  const procs = ps.map((l) => {
    const m = l.trim().match(/^(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/);
    return m ? { pid: +m[1], ppid: +m[2], rss: +m[3], args: m[4] } : null;
  }).filter(Boolean);
  const tree = new Set([browserPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (!tree.has(p.pid) && tree.has(p.ppid)) (tree.add(p.pid), (grew = true));
  }
  return procs.filter((p) => tree.has(p.pid) && p.args.includes('--type=renderer')).reduce((a, p) => a + p.rss, 0) / 1024;
}

/**
 * Serve the built app and, in Chromium: time file chosen → `Packets: N` (and the first rows) against a plain
 * read of the same bytes by the same page; then filters on indexed fields (Enter → `Displayed:`), the
 * renderer's memory, and long tasks while flinging the list from top to bottom.
 */
async function browserLoad(file, n, filters) {
  const { chromium } = await import('@playwright/test');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', 'dist-bench'], { cwd: root, stdio: 'inherit' });
  const port = '4179';
  // its own process group, so that the preview server behind npx goes too
  const server = spawn('npx', ['vite', 'preview', '--outDir', 'dist-bench', '--port', port, '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'ignore', detached: true });
  let b;
  try {
    await new Promise((r) => setTimeout(r, 2500));
    b = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await b.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByRole('status').waitFor();
    await page.getByRole('status').filter({ hasText: 'Packets: 12' }).waitFor();
    const memBefore = rendererMB(chromiumPid());
    const heapBefore = (await liveHeapBytes(b)) / 1048576;
    // Baseline: the same page reading the same file's bytes, through an input of its own.
    await page.evaluate(() => {
      const el = document.createElement('input');
      el.type = 'file';
      el.id = 'bench-raw-read';
      el.style.display = 'none';
      document.body.appendChild(el);
    });
    await page.setInputFiles('#bench-raw-read', file);
    // Two ways to read the bytes, the faster one is the baseline: all at once with arrayBuffer() (which
    // Chromium refuses for 2 GiB and more) and as a stream, as the app reads, counting bytes.
    const reads = await page.evaluate(async () => {
      const f = document.getElementById('bench-raw-read').files[0];
      let t = performance.now();
      let whole = Infinity;
      if (f.size < 2 ** 31) {
        await f.arrayBuffer();
        whole = performance.now() - t;
      }
      t = performance.now();
      const r = f.stream().getReader();
      let bytes = 0;
      for (;;) {
        const { done, value } = await r.read();
        if (done) break;
        bytes += value.length;
      }
      if (bytes !== f.size) throw new Error(`the stream gave ${bytes} of ${f.size} bytes`);
      return { whole: whole / 1000, stream: (performance.now() - t) / 1000 };
    });
    log(`  raw read: arrayBuffer ${reads.whole.toFixed(2)} s, stream ${reads.stream.toFixed(2)} s`);
    const read = Math.min(reads.whole, reads.stream);
    const want = `Packets: ${n.toLocaleString('en-US')}`;
    // page-side clock: from the input's change event to the status text and to the first data row of the new file
    await page.evaluate((want) => {
      const w = window;
      w.__bench = { t0: 0, packets: 0, firstRow: 0 };
      document.addEventListener('change', () => (w.__bench.t0 = performance.now()), true);
      const check = () => {
        const b = w.__bench;
        if (!b.t0) return;
        const st = document.querySelector('[role="status"]')?.textContent ?? '';
        if (!b.packets && st.includes(want)) b.packets = performance.now();
        const row = document.querySelector('[role="grid"] [role="row"][aria-rowindex="2"] [role="gridcell"]');
        if (!b.firstRow && st.includes('Packets: ') && !st.includes('Packets: 12 ') && row && row.textContent) b.firstRow = performance.now();
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
    }, want);
    await page.locator('input[type=file]').first().setInputFiles(file);
    await page.getByRole('status').filter({ hasText: want }).waitFor({ timeout: 600_000 });
    const t = await page.evaluate(() => window.__bench);
    const load = (t.packets - t.t0) / 1000;
    const firstRows = t.firstRow ? (t.firstRow - t.t0) / 1000 : undefined;
    const out = { load, read, firstRows, analysed: 0, filters: [], memMB: 0, longTaskMax: 0, longTasks: 0 };
    // the capture is open once the first pass (dissection, streams) is through: no progress bar any more
    await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 1_800_000 });
    out.analysed = (await page.evaluate(() => performance.now() - window.__bench.t0)) / 1000;
    const box = page.getByRole('textbox', { name: 'Display filter' });
    for (const [text, expect] of filters) {
      await box.fill(text);
      const shown = `Displayed: ${expect.toLocaleString('en-US')}`;
      // page-side clock, as for the load: from the Enter keydown to the status saying so (Playwright's own
      // round trips and polling stay out of the figure)
      await page.evaluate((shown) => {
        const w = window;
        w.__filter = { t0: 0, t1: 0 };
        const box = document.querySelector('[role="textbox"][aria-label="Display filter"]');
        box.addEventListener('keydown', (e) => e.key === 'Enter' && (w.__filter.t0 = performance.now()), { capture: true, once: true });
        const st = document.querySelector('[role="status"]');
        const mo = new MutationObserver(() => {
          const text = st.textContent ?? '';
          if (w.__filter.t0 && text.includes(shown) && !text.includes('Filtering')) {
            w.__filter.t1 = performance.now();
            mo.disconnect();
          }
        });
        mo.observe(st, { subtree: true, childList: true, characterData: true });
      }, shown);
      await box.press('Enter');
      const ft = await page.waitForFunction(() => window.__filter.t1 && window.__filter, null, { timeout: 600_000 }).then((h) => h.jsonValue());
      out.filters.push({ text, sec: (ft.t1 - ft.t0) / 1000, displayed: expect });
    }
    await box.fill('');
    await box.press('Enter');
    await page.getByRole('status').filter({ hasText: `Displayed: ${n.toLocaleString('en-US')}` }).waitFor({ timeout: 600_000 });
    out.memMB = rendererMB(chromiumPid()) - memBefore;
    out.heapMB = (await liveHeapBytes(b)) / 1048576 - heapBefore;
    // a fling from top to bottom: wheel events as fast as the page takes them, long tasks observed
    await page.evaluate(() => {
      const w = window;
      w.__long = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) w.__long.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    const list = page.getByRole('grid', { name: 'Packet list' });
    const lb = await list.boundingBox();
    await page.mouse.move(lb.x + lb.width / 2, lb.y + lb.height / 2);
    for (let i = 0; i < 60; i++) {
      await page.mouse.wheel(0, 40000);
      await page.waitForTimeout(16);
    }
    await page.keyboard.press('End');
    await page.waitForTimeout(1000);
    const long = await page.evaluate(() => window.__long);
    out.longTasks = long.length;
    out.longTaskMax = long.length ? Math.max(...long) : 0;
    return out;
  } finally {
    await b?.close();
    try {
      process.kill(-server.pid);
    } catch {
      /* gone already */
    }
  }
}
