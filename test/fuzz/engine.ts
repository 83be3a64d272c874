// The mutation fuzzer's core, shared by `npm run fuzz` (test/fuzz/main.ts, in worker threads) and the short
// fixed-seed pass that vitest runs (test/fuzz/fuzz-pass.test.ts). Every input is rebuilt from
// (seed, worker, iteration), so a crash report is its own reproducer recipe.
//
// Targets, mixed so a busy machine still gets through many inputs:
//   file    a whole fixture (big ones cut to 64 KB), mutated with structure-aware and byte mutations
//           (lengths 0 / max / past the end, link types, block types, cuts, repeated records, splices),
//           through the whole pipeline (targets.ts: reader, first pass with tree, tree text, rows, second
//           pass, conversations, follow, ladder, filters);
//   window  1–12 consecutive frames of a fixture (some frames mutated, sometimes another link type, frames
//           spliced from other files) written as a new pcap, through the whole pipeline: cheap, and deep
//           in the dissectors, reassembly and analysis state;
//   frame   one frame of a fixture, mutated (sometimes under another link type), alone in a pcap: the
//           first pass with tree, tree text, -V text and a second pass with filters (no analysis);
//   reader  a mutated file through the reader alone;
//   filter  a mutated or generated display-filter string through the compiler (and matched when it
//           compiles): it must compile or return a positioned error.

import { Rng } from './rng';
import { LINK_TYPES, mutateBytes, mutateFile } from './mutate';
import { writePcap, writePcapng, type WriteFrame } from './pcap-writer';
import { runCapture, runFilter, runReader } from './targets';
import type { Corpus } from './corpus';
import { compileFilter, type CompiledFilter } from '../../src/core/filter';
import { allFields } from '../../src/core/fields/registry';

export type TargetName = 'file' | 'window' | 'frame' | 'reader' | 'filter';
export const TARGETS: readonly TargetName[] = ['file', 'window', 'frame', 'reader', 'filter'];

export interface FuzzInput {
  target: TargetName;
  bytes?: Uint8Array;
  text?: string;
  /** how it was made, for the report */
  desc: string;
}

/** Default share of each target (out of 100). */
export const DEFAULT_MIX: Record<TargetName, number> = { file: 1, window: 6, frame: 33, reader: 25, filter: 35 };

function pickTarget(rng: Rng, mix: Record<TargetName, number>): TargetName {
  let total = 0;
  for (const t of TARGETS) total += mix[t];
  let r = rng.int(total);
  for (const t of TARGETS) {
    if (r < mix[t]) return t;
    r -= mix[t];
  }
  return 'filter';
}

// -----------------------------------------------------------------------------------------------
// filter strings

const TOKENS = [
  ' ', ' && ', ' || ', ' and ', ' or ', '!', ' not ', '==', '!=', '===', '!==', '~=', ' eq ', ' ne ', ' gt ', ' lt ', ' ge ', ' le ',
  '>', '<', '>=', '<=', ' contains ', ' matches ', ' in ', ' any ', ' all ', '(', ')', '[', ']', '{', '}', ':', '-', ',', '#', '.', '..',
  '"', "'", '\\', '\\x', '\\u', '\\U0010ffff', 'r"', '${', '}', '$1', '${private_ipv4:', '0x', '0b', '0', '1', '255', '65536', '4294967296',
  '18446744073709551616', '-1', '1e309', '1.5', 'nan', 'inf', '10.0.0.1', '10.0.0.0/8', '::1', 'fe80::/10', '00:11:22:33:44:55', 'aa-bb',
  'True', 'False', 'len(', 'count(', 'lower(', 'upper(', 'string(', 'max(', 'min(', 'abs(', 'frame', 'tcp', 'udp', 'ip', 'ipv6', 'dns',
  'http', 'tls', 'eth', 'frame.len', 'frame.time', '"2024-01-31 12:00:00"', 'Jan 31, 2024', '+', '*', '/', '%', '&', '|', '^', '~',
  '(?i)', '.*', '[a-z]+', '\t', '\n', '\u00e9', '\u{1F600}', '\0',
];

function fieldNames(): string[] {
  return allFields().map((f) => f.abbrev);
}
let names: string[] | null = null;

export function mutateFilter(rng: Rng, seeds: readonly string[]): string {
  names ??= fieldNames();
  let s = rng.pick(seeds);
  const steps = rng.small(5);
  for (let k = 0; k < steps; k++) {
    const at = rng.int(s.length + 1);
    switch (rng.int(10)) {
      case 0:
        s = s.slice(0, at) + rng.pick(TOKENS) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + rng.pick(names) + s.slice(at);
        break;
      case 2: {
        const n = rng.small(8);
        s = s.slice(0, at) + s.slice(at + n);
        break;
      }
      case 3:
        s = s.slice(0, at) + String.fromCharCode(rng.chance(0.8) ? rng.range(32, 126) : rng.int(0x3000)) + s.slice(at);
        break;
      case 4:
        s = `${s}${rng.pick([' && ', ' || ', ' ', ''])}${rng.pick(seeds)}`;
        break;
      case 5: {
        // deep nesting
        const d = rng.chance(0.1) ? rng.range(100, 3000) : rng.small(20);
        const open = rng.pick(['(', '!', 'not ', '{', '-', 'len(']);
        const close = open === '(' || open === 'len(' ? ')' : open === '{' ? '}' : '';
        s = open.repeat(d) + s + close.repeat(rng.chance(0.8) ? d : rng.int(d));
        break;
      }
      case 6: {
        // repeat a slice
        const n = rng.small(16);
        const piece = s.slice(at, at + n);
        s = s.slice(0, at) + piece.repeat(rng.small(12)) + s.slice(at);
        break;
      }
      case 7:
        s = s.replace(/\d+/, () => rng.pick(['0', '-0', '99999999999999999999', '4294967295', '0x' + 'f'.repeat(rng.small(30)), '1e-400']));
        break;
      case 8: {
        // a random sequence of tokens
        const n = rng.small(12);
        let t = '';
        for (let i = 0; i < n; i++) t += rng.chance(0.4) ? rng.pick(names) : rng.pick(TOKENS);
        s = rng.chance(0.5) ? t : s.slice(0, at) + t + s.slice(at);
        break;
      }
      default:
        if (s.length) {
          const b = rng.int(s.length);
          s = s.slice(0, b) + s.slice(b + 1, b + 2) + s.slice(b, b + 1) + s.slice(b + 2);
        }
    }
  }
  return s.length > 20_000 ? s.slice(0, 20_000) : s;
}

// -----------------------------------------------------------------------------------------------
// capture inputs

function makeWindow(rng: Rng, c: Corpus): Uint8Array {
  const file = rng.pick(c.frames);
  const k = rng.small(12);
  const start = rng.int(Math.max(1, file.length - k + 1));
  const picked = file.slice(start, start + k);
  const link = rng.chance(0.1) ? rng.pick(LINK_TYPES) : picked[0]!.link;
  const frames: WriteFrame[] = [];
  const donors = () => rng.pick(c.frames).map((f) => f.data);
  let t = 1_700_000_000;
  for (const f of picked) {
    let data = f.data;
    if (rng.chance(0.35)) {
      const n = rng.small(4);
      const d = rng.chance(0.2) ? donors() : [];
      for (let i = 0; i < n; i++) data = mutateBytes(rng, data, d, 96);
    }
    t += rng.chance(0.1) ? -rng.int(1000) : rng.int(1000) / 1000;
    frames.push({ data, ts: Math.max(0, t), origLen: rng.chance(0.1) ? data.length + rng.int(2000) : undefined });
  }
  if (rng.chance(0.1)) frames.push({ data: rng.pick(rng.pick(c.frames)).data, ts: t + 1 });
  if (rng.chance(0.15)) {
    // several interfaces with different link types in one pcapng
    const links = [link, rng.pick(LINK_TYPES)];
    return writePcapng(
      frames.map((f, i) => ({ ...f, iface: i % 2 })),
      links.map((l) => ({ linkType: l & 0xffff, snaplen: rng.chance(0.1) ? 0 : 262144 })),
    );
  }
  return writePcap(frames, { linkType: link, snaplen: rng.chance(0.05) ? 0 : 262144 });
}

function makeFrame(rng: Rng, c: Corpus): Uint8Array {
  const f = rng.pick(rng.pick(c.frames));
  let data = f.data;
  const n = rng.small(6);
  const donors = rng.chance(0.2) ? rng.pick(c.frames).map((x) => x.data) : [];
  for (let i = 0; i < n; i++) data = mutateBytes(rng, data, donors, 96);
  const link = rng.chance(0.08) ? rng.pick(LINK_TYPES) : f.link;
  return writePcap([{ data, origLen: rng.chance(0.1) ? data.length + rng.int(3000) : undefined }], { linkType: link });
}

function makeFile(rng: Rng, c: Corpus): Uint8Array {
  let b = rng.pick(c.files).bytes;
  const n = rng.small(4);
  const donors = c.files.map((f) => f.bytes);
  for (let i = 0; i < n; i++) b = rng.chance(0.7) ? mutateFile(rng, b, donors) : mutateBytes(rng, b, donors);
  return b;
}

/** Build input `iter` of worker `worker` for a run seeded `seed`. */
export function makeInput(c: Corpus, seed: number, worker: number, iter: number, mix: Record<TargetName, number> = DEFAULT_MIX): FuzzInput {
  const rng = new Rng(seed, worker, iter);
  const target = pickTarget(rng, mix);
  switch (target) {
    case 'filter':
      return { target, text: mutateFilter(rng, c.filters), desc: 'filter' };
    case 'window':
      return { target, bytes: makeWindow(rng, c), desc: 'window' };
    case 'frame':
      return { target, bytes: makeFrame(rng, c), desc: 'frame' };
    case 'file':
    case 'reader':
      return { target, bytes: makeFile(rng, c), desc: target };
  }
}

const someFilters: CompiledFilter[] = [];
function pipelineFilters(c: Corpus): CompiledFilter[] {
  if (!someFilters.length) {
    for (const t of ['tcp.port == 80 || dns', 'http.request.uri contains "a" || tls.handshake.extensions_server_name', 'frame[10:4] == 00:00:00:00', 'ip.src == 10.0.0.0/8 and tcp.analysis.flags', 'udp.length > 10 && !icmp', 'len(eth.src) == 6 or ipv6.addr == ::1']) {
      const r = compileFilter(t);
      if (r.ok) someFilters.push(r.filter);
    }
    void c;
  }
  return someFilters;
}

/** Run one input. Throws FuzzFailure on a crash. `tick` is called now and then (time checks). */
export function runInput(c: Corpus, inp: FuzzInput, tick?: () => void): void {
  switch (inp.target) {
    case 'filter':
      runFilter(inp.text!, c.packets);
      return;
    case 'reader':
      runReader(inp.bytes!);
      return;
    case 'frame':
      runCapture(inp.bytes!, { filters: pipelineFilters(c), analysis: false, tick });
      return;
    case 'window':
      runCapture(inp.bytes!, { filters: pipelineFilters(c), analysisLimit: 3, tick });
      return;
    case 'file':
      runCapture(inp.bytes!, { maxFrames: 400, filters: pipelineFilters(c).slice(0, 2), analysisLimit: 3, tick });
      return;
  }
}
