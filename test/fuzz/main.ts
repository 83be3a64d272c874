// `npm run fuzz -- --minutes N [--seed S] [--workers W] [--timeout MS] [--mix file=1,window=6,frame=33,reader=25,filter=35]`
// `npm run fuzz -- --repro SEED:WORKER:ITER`  (rebuild and run one input, printing the stack)
// `npm run fuzz -- --run test/fuzz/crashes/X.pcap`  (run a saved input: .pcap through the pipeline, .txt as a filter)
// `npm run fuzz -- --minimize test/fuzz/crashes/X.pcap`  (shrink it, print a hex dump for regressions.test.ts)
//
// Runs the mutation fuzzer (engine.ts) in worker threads for the given time and reports executions,
// executions per second, crashes and hangs. A watchdog in the main thread reads each worker's current
// iteration from shared memory: an input still running after --timeout ms is a hang (the worker is
// replaced and goes on after it). Reproducers go to test/fuzz/crashes/ (gitignored): the input (.pcap or
// .txt) and a .json with the recipe, the message and the stack.

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { loadCorpus, repoRoot, type Corpus } from './corpus';
import { DEFAULT_MIX, makeInput, runInput, TARGETS, type FuzzInput, type TargetName } from './engine';
import { FuzzFailure } from './targets';
import { toHex } from './pcap-writer';

interface WorkerInit {
  seed: number;
  worker: number;
  startIter: number;
  mix: Record<TargetName, number>;
  shared: boolean;
  /** Float64Array over a SharedArrayBuffer: [iter, startMs] per worker */
  slots: SharedArrayBuffer;
}

interface CrashMsg {
  type: 'crash';
  iter: number;
  target: TargetName;
  kind: string;
  message: string;
  stack: string;
}
interface StatsMsg {
  type: 'stats';
  execs: number;
  perTarget: Record<TargetName, number>;
  refused: number;
}
interface ReadyMsg {
  type: 'ready';
  corpus: { files: number; frames: number; filters: number };
}
type FromWorker = CrashMsg | StatsMsg | ReadyMsg;

function failureOf(e: unknown): { kind: string; message: string; stack: string } {
  if (e instanceof FuzzFailure) {
    const orig = e.original instanceof Error ? e.original.stack ?? '' : '';
    return { kind: e.kind, message: e.message, stack: orig || (e.stack ?? '') };
  }
  return { kind: 'exception', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), stack: e instanceof Error ? e.stack ?? '' : '' };
}

// -----------------------------------------------------------------------------------------------
// worker thread

function workerMain(init: WorkerInit): void {
  const corpus = loadCorpus({ shared: init.shared });
  // Dissectors and the filter compiler throw errors as control flow (bounds errors, syntax errors); capturing
  // their stacks is most of the cost of a malformed input. Stacks are captured again for a crash.
  const stackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const slots = new Float64Array(init.slots);
  const port = parentPort!;
  port.postMessage({ type: 'ready', corpus: { files: corpus.files.length, frames: corpus.frames.reduce((a, f) => a + f.length, 0), filters: corpus.filters.length } } satisfies ReadyMsg);
  const perTarget = Object.fromEntries(TARGETS.map((t) => [t, 0])) as Record<TargetName, number>;
  let execs = 0;
  let lastPost = Date.now();
  for (let iter = init.startIter; ; iter++) {
    slots[init.worker * 2] = iter;
    slots[init.worker * 2 + 1] = Date.now();
    let inp: FuzzInput | null = null;
    try {
      inp = makeInput(corpus, init.seed, init.worker, iter, init.mix);
    } catch (e) {
      // a bug of the fuzzer (a mutator), not of the code under test: reported apart
      const f = failureOf(e);
      port.postMessage({ type: 'crash', iter, target: 'filter', kind: 'fuzzer-bug', message: `making the input: ${f.message}`, stack: f.stack } satisfies CrashMsg);
      continue;
    }
    try {
      runInput(corpus, inp);
    } catch (e) {
      let f = failureOf(e);
      // run it again with stack traces on, for the report
      Error.stackTraceLimit = stackLimit;
      try {
        runInput(corpus, makeInput(corpus, init.seed, init.worker, iter, init.mix));
      } catch (e2) {
        f = failureOf(e2);
      }
      Error.stackTraceLimit = 0;
      port.postMessage({ type: 'crash', iter, target: inp?.target ?? 'filter', ...f } satisfies CrashMsg);
    }
    execs++;
    if (inp) perTarget[inp.target]++;
    if ((execs & 63) === 0) {
      const now = Date.now();
      if (now - lastPost > 500) {
        port.postMessage({ type: 'stats', execs, perTarget: { ...perTarget }, refused: 0 } satisfies StatsMsg);
        execs = 0;
        for (const t of TARGETS) perTarget[t] = 0;
        lastPost = now;
      }
    }
  }
}

// -----------------------------------------------------------------------------------------------
// main thread

interface Args {
  ms: number;
  seed: number;
  workers: number;
  timeout: number;
  mix: Record<TargetName, number>;
  shared: boolean;
  repro: string | null;
  run: string[];
  minimize: string | null;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    ms: 60_000,
    seed: Date.now() % 1_000_000_007,
    workers: Math.max(1, Math.min(2, availableParallelism())),
    timeout: 2000,
    mix: { ...DEFAULT_MIX },
    shared: true,
    repro: null,
    run: [],
    minimize: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    if (k === '--minutes') a.ms = Number(v()) * 60_000;
    else if (k === '--seconds') a.ms = Number(v()) * 1000;
    else if (k === '--seed') a.seed = Number(v());
    else if (k === '--workers') a.workers = Math.max(1, Number(v()));
    else if (k === '--timeout') a.timeout = Number(v());
    else if (k === '--no-shared') a.shared = false;
    else if (k === '--repro') a.repro = v();
    else if (k === '--run') a.run.push(v());
    else if (k === '--minimize') a.minimize = v();
    else if (k === '--mix') {
      for (const part of v().split(',')) {
        const [t, n] = part.split('=');
        if (!TARGETS.includes(t as TargetName)) throw new Error(`unknown target ${t}`);
        a.mix[t as TargetName] = Number(n);
      }
    } else if (k === '--help' || k === '-h') {
      console.log('npm run fuzz -- [--minutes N | --seconds N] [--seed S] [--workers W] [--timeout MS] [--mix file=1,window=6,frame=33,reader=25,filter=35] [--no-shared] [--repro SEED:WORKER:ITER] [--run FILE.pcap|FILE.txt …] [--minimize FILE.pcap]');
      process.exit(0);
    } else throw new Error(`unknown option ${k}`);
  }
  return a;
}

const crashDir = () => join(repoRoot(), 'test', 'fuzz', 'crashes');

function saveReproducer(corpus: Corpus, seed: number, worker: number, iter: number, mix: Record<TargetName, number>, info: { kind: string; message: string; stack: string }): string {
  const inp = makeInput(corpus, seed, worker, iter, mix);
  const dir = crashDir();
  mkdirSync(dir, { recursive: true });
  const data = inp.text !== undefined ? Buffer.from(inp.text, 'utf8') : Buffer.from(inp.bytes!);
  const id = `${info.kind}-${inp.target}-${createHash('sha1').update(data).digest('hex').slice(0, 10)}`;
  const file = join(dir, `${id}.${inp.text !== undefined ? 'txt' : 'pcap'}`);
  writeFileSync(file, data);
  writeFileSync(join(dir, `${id}.json`), JSON.stringify({ recipe: `${seed}:${worker}:${iter}`, mix, target: inp.target, ...info }, null, 2) + '\n');
  return file;
}

/** Group crashes by message with numbers and hex stripped, so one bug is counted once. */
const signature = (kind: string, msg: string) => `${kind}: ${msg.replace(/0x[0-9a-f]+|\d+/gi, 'N').slice(0, 160)}`;

async function repro(a: Args): Promise<void> {
  const [seed, worker, iter] = a.repro!.split(':').map(Number) as [number, number, number];
  const corpus = loadCorpus({ shared: a.shared });
  const inp = makeInput(corpus, seed, worker, iter, a.mix);
  console.log(`input ${a.repro}: target ${inp.target}, ${inp.text !== undefined ? JSON.stringify(inp.text) : `${inp.bytes!.length} bytes`}`);
  const t0 = Date.now();
  try {
    runInput(corpus, inp);
    console.log(`no crash (${Date.now() - t0} ms)`);
  } catch (e) {
    const f = failureOf(e);
    console.log(`${f.kind}: ${f.message}\n${f.stack}`);
    console.log(`saved ${saveReproducer(corpus, seed, worker, iter, a.mix, f)}`);
    process.exitCode = 1;
  }
}

/** Run saved inputs (.pcap → file pipeline, .txt → filter compiler) and print what happens. */
function runFiles(a: Args): void {
  const corpus = loadCorpus({ shared: a.shared });
  for (const file of a.run) {
    const data = readFileSync(file);
    const inp: FuzzInput = file.endsWith('.txt') ? { target: 'filter', text: data.toString('utf8'), desc: file } : { target: 'file', bytes: Uint8Array.from(data), desc: file };
    const t0 = Date.now();
    try {
      runInput(corpus, inp);
      console.log(`${file}: ok (${Date.now() - t0} ms)`);
    } catch (e) {
      const f = failureOf(e);
      console.log(`${file}: ${f.kind}: ${f.message}\n${f.stack}`);
      process.exitCode = 1;
    }
  }
}

/**
 * Shrink a saved .pcap input while it fails the same way (same kind and message signature): remove chunks,
 * then zero bytes. Writes FILE.min.pcap and prints it as a hex dump for a regression test.
 */
function minimize(a: Args, file: string): void {
  const corpus = loadCorpus({ shared: a.shared });
  const sigOf = (b: Uint8Array): string | null => {
    try {
      runInput(corpus, { target: 'file', bytes: b, desc: '' });
      return null;
    } catch (e) {
      const f = failureOf(e);
      return signature(f.kind, f.message);
    }
  };
  let cur = Uint8Array.from(readFileSync(file));
  const want = sigOf(cur);
  if (!want) {
    console.log(`${file}: does not fail`);
    return;
  }
  console.log(`${file}: ${want}`);
  for (let chunk = cur.length >> 1; chunk >= 1; chunk >>= 1) {
    for (let at = 0; at + chunk <= cur.length; ) {
      const cand = new Uint8Array(cur.length - chunk);
      cand.set(cur.subarray(0, at));
      cand.set(cur.subarray(at + chunk), at);
      if (sigOf(cand) === want) cur = cand;
      else at += chunk;
    }
  }
  for (let i = 0; i < cur.length; i++) {
    if (cur[i] === 0) continue;
    const cand = cur.slice();
    cand[i] = 0;
    if (sigOf(cand) === want) cur = cand;
  }
  const out = file.replace(/(\.min)?\.pcap$/, '') + '.min.pcap';
  writeFileSync(out, cur);
  console.log(`${cur.length} bytes → ${out}\n${toHex(cur)}`);
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (a.repro) return repro(a);
  if (a.minimize) return minimize(a, a.minimize);
  if (a.run.length) return runFiles(a);
  const corpus = loadCorpus({ shared: a.shared });
  const slots = new SharedArrayBuffer(8 * 2 * a.workers);
  const view = new Float64Array(slots);
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const end = t0 + a.ms;
  let execs = 0;
  const perTarget = Object.fromEntries(TARGETS.map((t) => [t, 0])) as Record<TargetName, number>;
  const crashes = new Map<string, { count: number; first: string; file: string }>();
  let crashCount = 0;
  let hangCount = 0;
  const hangs: string[] = [];
  const workers: (Worker | null)[] = [];
  let readyOnce = false;

  const record = (w: number, iter: number, info: { kind: string; message: string; stack: string }) => {
    const sig = signature(info.kind, info.message);
    const seen = crashes.get(sig);
    if (seen) {
      seen.count++;
      return;
    }
    let file: string;
    try {
      file = saveReproducer(corpus, a.seed, w, iter, a.mix, info);
    } catch (e) {
      // the input could not be rebuilt (a bug of the fuzzer itself, e.g. in a mutator): report it as such
      file = `(not saved: ${e instanceof Error ? e.message : String(e)})`;
    }
    crashes.set(sig, { count: 1, first: `${a.seed}:${w}:${iter}`, file });
    console.log(`\n[crash] ${info.kind} at ${a.seed}:${w}:${iter}: ${info.message}\n        → ${file}`);
  };

  const start = (w: number, startIter: number) => {
    view[w * 2] = startIter;
    view[w * 2 + 1] = Date.now() + 60_000; // corpus loading is not a hang
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { seed: a.seed, worker: w, startIter, mix: a.mix, shared: a.shared, slots } satisfies WorkerInit,
    });
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') {
        view[w * 2 + 1] = Date.now();
        if (!readyOnce) {
          readyOnce = true;
          console.log(`corpus: ${m.corpus.files} files, ${m.corpus.frames} frames, ${m.corpus.filters} filters; ${a.workers} worker(s), seed ${a.seed}, timeout ${a.timeout} ms`);
        }
      } else if (m.type === 'stats') {
        execs += m.execs;
        for (const t of TARGETS) perTarget[t] += m.perTarget[t];
      } else if (m.type === 'crash') {
        crashCount++;
        record(w, m.iter, m);
      }
    });
    worker.on('error', (e) => {
      // an error escaping the worker's loop (stack overflow outside the try, out of memory…)
      crashCount++;
      const iter = view[w * 2]!;
      record(w, iter, failureOf(e));
      workers[w] = null;
      if (Date.now() < end) start(w, iter + 1);
    });
    workers[w] = worker;
  };
  for (let w = 0; w < a.workers; w++) start(w, 0);

  let lastLine = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = Date.now();
      for (let w = 0; w < a.workers; w++) {
        const wk = workers[w];
        if (!wk) continue;
        const started = view[w * 2 + 1]!;
        if (now - started > a.timeout) {
          const iter = view[w * 2]!;
          hangCount++;
          const rec = `${a.seed}:${w}:${iter}`;
          hangs.push(rec);
          workers[w] = null;
          void wk.terminate();
          const file = saveReproducer(corpus, a.seed, w, iter, a.mix, { kind: 'hang', message: `input ran longer than ${a.timeout} ms`, stack: '' });
          console.log(`\n[hang] ${rec}: still running after ${a.timeout} ms → ${file}`);
          if (now < end) start(w, iter + 1);
        }
      }
      if (now - lastLine > 10_000) {
        lastLine = now;
        const s = (now - t0) / 1000;
        console.log(`${s.toFixed(0)} s: ${execs.toLocaleString('en-US')} execs, ${Math.round(execs / s).toLocaleString('en-US')}/s, ${crashCount} crashes, ${hangCount} hangs`);
      }
      if (now >= end) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
  });
  // collect the last stats messages
  await new Promise((r) => setTimeout(r, 700));
  await Promise.all(workers.map((w) => w?.terminate()));
  const secs = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  console.log('\n== fuzz summary ==');
  console.log(`seed ${a.seed}, ${a.workers} worker(s), ${secs.toFixed(1)} s`);
  console.log(`executions: ${execs.toLocaleString('en-US')} (${Math.round(execs / secs).toLocaleString('en-US')}/s; ${cpuSecs.toFixed(0)} CPU s, ${Math.round(execs / cpuSecs).toLocaleString('en-US')} per CPU second; load average ${loadavg()[0]!.toFixed(1)})`);
  console.log(`  ${TARGETS.map((t) => `${t} ${perTarget[t].toLocaleString('en-US')}`).join(', ')}`);
  console.log(`crashes: ${crashCount} (${crashes.size} unique)`);
  for (const [sig, c] of crashes) console.log(`  ${c.count}× ${sig}\n     first ${c.first} → ${c.file}`);
  console.log(`hangs: ${hangCount}${hangs.length ? ` (${hangs.slice(0, 10).join(', ')})` : ''}`);
  process.exitCode = crashCount || hangCount ? 1 : 0;
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e);
    process.exit(2);
  });
} else {
  workerMain(workerData as WorkerInit);
}
