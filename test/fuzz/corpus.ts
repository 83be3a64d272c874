// The fuzz corpus: every capture fixture (and ../shared/captures when present), the frames inside them,
// and display-filter strings from the filter specs and the shared conformance list.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Capture } from '../../src/core/capture';
import { MemorySource, openCapture } from '../../src/core/formats/reader';
import type { Packet } from '../../src/core/dissect/packet';

export interface SeedFile {
  name: string;
  bytes: Uint8Array;
}
export interface SeedFrame {
  link: number;
  data: Uint8Array;
}
export interface Corpus {
  /** whole files for structure-aware mutation (big files cut to a prefix) */
  files: SeedFile[];
  /** per file, its first frames in order (for windows of consecutive frames) */
  frames: SeedFrame[][];
  /** filter strings */
  filters: string[];
  /** packets (full items) to match compiled filters against */
  packets: Packet[];
}

const FILE_CAP = 24 << 10;
const FRAMES_PER_FILE = 400;

export function repoRoot(): string {
  // test/fuzz/corpus.ts → repo root; when bundled, the entry tells us (WIRELENS_ROOT)
  return process.env.WIRELENS_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

function captureFiles(dirs: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (!statSync(p).isFile() || !/\.(pcap|pcapng|cap)(\.gz)?$/.test(name)) continue;
      if (seen.has(name)) continue;
      seen.add(name);
      out.push(p);
    }
  }
  return out;
}

function unescapeJs(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

/** Filter strings: every string literal of test/filter/*.ts and every line of filters.txt. */
export function filterSeeds(root = repoRoot()): string[] {
  const out = new Set<string>();
  const specDir = join(root, 'test', 'filter');
  if (existsSync(specDir)) {
    for (const f of readdirSync(specDir)) {
      if (!f.endsWith('.ts')) continue;
      const src = readFileSync(join(specDir, f), 'utf8');
      for (const m of src.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\$]|\\.)*)`/g)) {
        const s = unescapeJs(m[1] ?? m[2] ?? m[3] ?? '');
        if (s.length > 0 && s.length < 300 && !s.startsWith('../') && !s.startsWith('vitest')) out.add(s);
      }
    }
  }
  for (const p of [join(root, '..', 'shared', 'conformance', 'filters.txt'), '/work/shared/conformance/filters.txt']) {
    if (!existsSync(p)) continue;
    for (const line of readFileSync(p, 'utf8').split('\n')) if (line.trim() && !line.startsWith('#')) out.add(line.trim());
    break;
  }
  for (const s of ['tcp', 'ip.src == 10.0.0.1', 'dns.qry.name contains "a"', 'frame[0:4] == 00:01:02:03', 'http.request.method in {"GET" "POST"}'])
    out.add(s);
  return [...out];
}

export interface CorpusOptions {
  root?: string;
  /** also read ../shared/captures (default: when present) */
  shared?: boolean;
  /** only these file names (for quick tests) */
  only?: (name: string) => boolean;
}

export function loadCorpus(opts: CorpusOptions = {}): Corpus {
  const root = opts.root ?? repoRoot();
  const dirs = [join(root, 'test', 'fixtures', 'captures')];
  if (opts.shared !== false) {
    for (const base of [join(root, '..', 'shared', 'captures'), '/work/shared/captures']) {
      if (existsSync(base)) {
        dirs.push(join(base, 'generated'), join(base, 'public'));
        break;
      }
    }
  }
  const files: SeedFile[] = [];
  const frames: SeedFrame[][] = [];
  for (const p of captureFiles(dirs)) {
    const name = p.split('/').pop()!;
    if (opts.only && !opts.only(name)) continue;
    let bytes: Uint8Array = readFileSync(p);
    if (name.endsWith('.gz')) bytes = gunzipSync(bytes);
    bytes = Uint8Array.from(bytes);
    const fr: SeedFrame[] = [];
    try {
      const r = openCapture(new MemorySource(bytes));
      for (let rec = r.next(); rec && fr.length < FRAMES_PER_FILE; rec = r.next()) {
        const link = r.info.interfaces[rec.iface]?.linkType ?? 1;
        fr.push({ link, data: bytes.slice(rec.offset, rec.offset + rec.capLen) });
      }
    } catch {
      // a fixture that is damaged on purpose: its frames so far are kept
    }
    files.push({ name, bytes: bytes.length > FILE_CAP ? bytes.slice(0, FILE_CAP) : bytes });
    if (fr.length) frames.push(fr);
  }
  // packets with full items, to match filters against
  const packets: Packet[] = [];
  for (const f of files) {
    if (packets.length >= 16) break;
    try {
      const cap = new Capture(new MemorySource(f.bytes));
      cap.load(4, (p) => packets.push(p), { tree: false, keep: 'all' });
    } catch {
      // not readable: skip
    }
  }
  return { files, frames, filters: filterSeeds(root), packets };
}
