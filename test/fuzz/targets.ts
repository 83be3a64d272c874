// What the fuzzer runs each input through, and what counts as a crash.
//
// A capture goes through everything the page and the CLI do with it: the reader (src/core/formats), the
// first pass with the full tree (Capture.load), tree text (label.ts), packet-list rows, a second-pass
// dissection, the tcpdump view, the conversation tables, Follow TCP/UDP stream, the sequence diagram (ladder +
// Mermaid), and a few display filters. A filter string goes through the compiler and, when it compiles, is
// matched against a handful of packets.
//
// A crash is anything escaping but a CaptureError (an unreadable file is refused with a message, which is
// fine), a "[Dissector bug …]" item (Packet.guard caught an exception that is not a bounds error: the frame
// survives, but it is still a bug), a filter "Internal error", or an error position outside the text.

import { Capture } from '../../src/core/capture';
import { CaptureError, MemorySource, openCapture } from '../../src/core/formats/reader';
import { treeText } from '../../src/core/dissect/label';
import type { Item, Packet } from '../../src/core/dissect/packet';
import { summarize } from '../../src/core/summary';
import { computeConversations } from '../../src/core/analysis/conversations';
import { followStream, followRawText } from '../../src/core/analysis/follow';
import { streamFrames, tcpStreamCount } from '../../src/core/analysis/streams';
import { buildLadder, toMermaid, type LadderPacket } from '../../src/core/analysis/ladder';
import { ladderKeepSet, ladderPacketFromPacket } from '../../src/core/analysis/ladder-from-packet';
import { compileFilter, type CompiledFilter } from '../../src/core/filter';
import { summaryLine, verboseLines } from '../../src/core/output/tshark';
import { TcpdumpView } from '../../src/core/output/tcpdump';

/** An input made the code under test misbehave. */
export class FuzzFailure extends Error {
  constructor(
    readonly kind: 'exception' | 'dissector-bug' | 'filter-internal' | 'filter-position' | 'hang',
    message: string,
    readonly original?: unknown,
  ) {
    super(message);
  }
}

function dissectorBug(items: readonly Item[]): string | null {
  for (const it of items) {
    if (it.text !== undefined && it.text.startsWith('[Dissector bug')) return it.text;
    if (it.children) {
      const r = dissectorBug(it.children);
      if (r) return r;
    }
  }
  return null;
}

function wrap(stage: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof FuzzFailure) throw e;
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new FuzzFailure('exception', `${stage}: ${msg}`, e);
  }
}

function checkPacket(stage: string, pkt: Packet): void {
  const bug = dissectorBug(pkt.items);
  if (bug) throw new FuzzFailure('dissector-bug', `${stage}, frame ${pkt.num}: ${bug}`);
}

export interface PipelineOptions {
  /** stop reading after this many frames (bounds the work of one input) */
  maxFrames?: number;
  /** filters to match against every frame (compiled once by the caller) */
  filters?: readonly CompiledFilter[];
  /** how many streams/frames the analysis stages look at */
  analysisLimit?: number;
  /** called now and then; throw from it to abandon a slow input */
  tick?: () => void;
  /** run the second pass, the filters and the analysis stages (default true) */
  analysis?: boolean;
}

export interface PipelineResult {
  /** the file was refused or cut short with a CaptureError */
  refused: boolean;
  frames: number;
}

/** Run one capture file through everything. Throws FuzzFailure on a crash. */
export function runCapture(bytes: Uint8Array, opts: PipelineOptions = {}): PipelineResult {
  const { maxFrames = 2000, filters = [], analysisLimit = 4, tick, analysis = true } = opts;
  let cap: Capture;
  try {
    cap = new Capture(new MemorySource(bytes));
  } catch (e) {
    if (e instanceof CaptureError) return { refused: true, frames: 0 };
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new FuzzFailure('exception', `open: ${msg}`, e);
  }
  let firstSec = 0;
  let firstNsec = 0;
  wrap('first pass', () => {
    cap.load(maxFrames, (pkt) => {
      if (pkt.num === 1) {
        firstSec = pkt.meta.tsSec;
        firstNsec = pkt.meta.tsNsec;
      }
      checkPacket('first pass', pkt);
      treeText(pkt.items, 0, true);
      summarize(pkt, firstSec, firstNsec);
      if (pkt.num % 64 === 0) tick?.();
    }, { tree: true, keep: 'all' });
  });
  const n = cap.count();
  if (!analysis) return { refused: cap.error !== null, frames: n };
  // second pass, as the page does when a row is selected, and as the CLI prints -V and summary lines
  wrap('second pass', () => {
    const step = Math.max(1, Math.floor(n / 16));
    for (let num = 1; num <= n; num += step) {
      const pkt = cap.dissect(num, true, 'all');
      checkPacket('second pass', pkt);
      verboseLines(pkt.items);
      summaryLine(pkt, '0.000000');
      for (const f of filters) f.match(pkt);
      tick?.();
    }
  });
  wrap('filters', () => {
    if (!filters.length) return;
    for (let num = 1; num <= Math.min(n, 64); num++) {
      const pkt = cap.dissect(num, false, 'all');
      for (const f of filters) f.match(pkt);
    }
  });
  wrap('tcpdump view', () => {
    const view = new TcpdumpView(cap, { utc: true });
    for (let num = 1; num <= Math.min(n, 200); num++) view.line(num);
  });
  wrap('conversations', () => {
    computeConversations(cap);
  });
  tick?.();
  wrap('follow', () => {
    const tcp = Math.min(tcpStreamCount(cap.session), analysisLimit);
    for (let s = 0; s < tcp; s++) followRawText(followStream(cap, 'tcp', s));
    for (let s = 0; s < analysisLimit; s++) {
      if (!streamFrames(cap.session, 'udp', s).length) break;
      followRawText(followStream(cap, 'udp', s));
    }
  });
  tick?.();
  wrap('ladder', () => {
    const keep = ladderKeepSet();
    const tcp = Math.min(tcpStreamCount(cap.session), analysisLimit);
    const models = [];
    for (let s = 0; s < tcp; s++) {
      const pk: LadderPacket[] = [];
      for (const num of streamFrames(cap.session, 'tcp', s)) {
        const p = ladderPacketFromPacket(cap.dissect(num, false, keep));
        if (p) pk.push(p);
      }
      models.push(buildLadder(pk, { stream: s }));
    }
    // every frame that has ladder facts, as one (mixed) list: the builder must cope with anything
    const all: LadderPacket[] = [];
    for (let num = 1; num <= Math.min(n, 200); num++) {
      const p = ladderPacketFromPacket(cap.dissect(num, false, keep));
      if (p) all.push(p);
    }
    models.push(buildLadder(all));
    for (const m of models) toMermaid(m);
  });
  return { refused: cap.error !== null, frames: n };
}

/** Read every record without dissecting (the cheap reader-only target). */
export function runReader(bytes: Uint8Array, maxRecords = 100_000): number {
  let n = 0;
  try {
    const r = openCapture(new MemorySource(bytes));
    while (n < maxRecords && r.next()) n++;
  } catch (e) {
    if (e instanceof CaptureError) return n;
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new FuzzFailure('exception', `reader: ${msg}`, e);
  }
  return n;
}

/** Compile a filter (and match it against `packets` when it compiles). Throws FuzzFailure on a crash. */
export function runFilter(text: string, packets: readonly Packet[] = []): boolean {
  let r;
  try {
    r = compileFilter(text);
  } catch (e) {
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new FuzzFailure('exception', `compile: ${msg}`, e);
  }
  if (!r.ok) {
    const { message, start, end } = r.error;
    if (message.startsWith('Internal error')) throw new FuzzFailure('filter-internal', message);
    // tshark points just past the end for a missing closing quote or bracket, hence end ≤ length + 1
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && start <= text.length && end <= text.length + 1)) {
      throw new FuzzFailure('filter-position', `error span ${start}..${end} outside 0..${text.length}: ${message}`);
    }
    if (!message) throw new FuzzFailure('filter-position', 'empty error message');
    return false;
  }
  const f = r.filter;
  wrap('match', () => {
    for (const p of packets) f.match(p);
  });
  return true;
}
