// The worker's statistics and export answers: capture file properties, protocol hierarchy, endpoints,
// I/O graphs, TCP stream graphs, Export Specified Packets (pcap/pcapng) and Export Packet Dissections
// (text/CSV/JSON). Work over many frames runs in time-boxed slices (progress is reported), and waits for
// the capture to finish loading so the answer covers every frame. A job stops when another capture opens.

import type { Capture } from '../core/capture';
import { captureProperties, type CaptureProperties } from '../core/stats/properties';
import { PhsCollector, type PhsNode } from '../core/stats/phs';
import { EndpointCollector, endpointKeepSet, type EndpointTables } from '../core/stats/endpoints';
import { IoGraphCollector, type IoGraphData, type IoSeriesSpec } from '../core/stats/iograph';
import { buildTcpGraph, graphDirection, tcpStreamFacts, type TcpGraphData } from '../core/stats/tcp-graph';
import { DissectionWriter, writeFrame, type CsvColumns, type DissectionFormat } from '../core/stats/export';
import { writePcap, writePcapng, WriteError, type WriteFrame } from '../core/formats/writer';
import { streamFrames, tcpStreamCount, tcpStreamOf } from '../core/analysis/streams';
import type { Packet } from '../core/dissect/packet';
import type { Response } from './protocol';

export type { CaptureProperties, PhsNode, EndpointTables, IoGraphData, IoSeriesSpec, TcpGraphData };

export type StatsQuery =
  /** `marked`: the marked frames (the page keeps the marks) */
  | { kind: 'properties'; marked?: Uint32Array }
  | { kind: 'phs' }
  | { kind: 'endpoints' }
  | { kind: 'iograph'; series: IoSeriesSpec[]; intervalMs: number }
  /** the stream of `frame` (direction: the one `frame` sends data in), or stream `stream`; `dir` forces a direction */
  | { kind: 'tcpgraph'; frame?: number; stream?: number; dir?: 0 | 1 };

export type StatsResult =
  | { kind: 'properties'; props: CaptureProperties }
  | { kind: 'phs'; tree: PhsNode[]; frames: number; bytes: number }
  | { kind: 'endpoints'; tables: EndpointTables; frames: number }
  | { kind: 'iograph'; data: IoGraphData }
  | { kind: 'tcpgraph'; data: TcpGraphData | null; reason?: string; streams: number };

export type ExportRange = 'displayed' | 'all' | 'marked';
export type ExportFormat = 'pcap' | 'pcapng' | DissectionFormat;

export interface ExportQuery {
  range: ExportRange;
  format: ExportFormat;
  /** the marked frames, for range 'marked' */
  marked?: Uint32Array;
  /** CSV: the packet list's columns and time format as shown (Wireshark's default columns when absent) */
  csv?: CsvColumns;
}

export interface ExportResult {
  data: Uint8Array;
  mime: string;
  /** a file name for the download */
  fileName: string;
  packets: number;
  /** frames left out (pcapng custom blocks are not packets) */
  skipped: number;
}

/** What the statistics see of the current capture (from the session). */
export interface StatsContext {
  gen: number;
  cap: Capture;
  loading: boolean;
  name: string;
  size: number;
  /** the displayed frames when a filter is applied, else null (= all) */
  displayed: ArrayLike<number> | null;
}

export interface StatsHost {
  post(msg: Response, transfer?: Transferable[]): void;
  schedule(fn: () => void): void;
  now(): number;
}

interface Job {
  id: number;
  gen: number;
  /** frames to visit, or null for 1..count (all frames, waiting for the load to finish) */
  list: ArrayLike<number> | null;
  cursor: number;
  t0: number;
  step(num: number): void;
  finish(total: number): void;
}

const MIME: Record<ExportFormat, string> = {
  pcap: 'application/vnd.tcpdump.pcap',
  pcapng: 'application/octet-stream',
  text: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
};
const EXT: Record<ExportFormat, string> = { pcap: 'pcap', pcapng: 'pcapng', text: 'txt', csv: 'csv', json: 'json' };

export class StatsWorker {
  constructor(
    private readonly host: StatsHost,
    private readonly ctx: () => StatsContext | null,
    private readonly sliceMs = 50,
  ) {}

  handle(req: { id: number; type: 'stats'; query: StatsQuery } | { id: number; type: 'export'; query: ExportQuery }): void {
    const c = this.ctx();
    if (!c) {
      this.host.post({ id: req.id, type: 'error', request: req.type, error: { kind: 'exception', message: 'No capture is open.' } });
      return;
    }
    if (req.type === 'export') return this.export(req.id, c, req.query);
    const q = req.query;
    switch (q.kind) {
      case 'properties':
        return this.answer(req.id, c, {
          kind: 'properties',
          props: captureProperties(c.cap, { name: c.name, size: c.size, displayed: c.displayed, marked: q.marked ?? null }),
        });
      case 'tcpgraph':
        return this.answer(req.id, c, this.tcpGraph(c.cap, q));
      case 'phs': {
        const col = new PhsCollector();
        return this.run(req.id, c, null, (n) => col.add(c.cap.dissect(n, false)), () => ({ kind: 'phs', tree: col.tree(), frames: col.count, bytes: col.bytes }));
      }
      case 'endpoints': {
        const col = new EndpointCollector();
        const keep = endpointKeepSet();
        return this.run(req.id, c, null, (n) => col.add(c.cap.dissect(n, false, keep)), () => ({ kind: 'endpoints', tables: col.tables(), frames: col.count }));
      }
      case 'iograph': {
        let col: IoGraphCollector | null = null;
        const make = () => {
          const m = c.cap.frames.count ? c.cap.meta(1) : null;
          return new IoGraphCollector(q.series, q.intervalMs, m?.hasTs ? m.tsSec : 0, m?.hasTs ? m.tsNsec : 0);
        };
        return this.run(
          req.id,
          c,
          null,
          (n) => (col ??= make()).add(c.cap.dissect(n, false)),
          () => ({ kind: 'iograph', data: (col ??= make()).result() }),
        );
      }
    }
  }

  private answer(id: number, c: StatsContext, result: StatsResult): void {
    this.host.post({ id, type: 'stats', generation: c.gen, result, complete: !c.loading });
  }

  private tcpGraph(cap: Capture, q: Extract<StatsQuery, { kind: 'tcpgraph' }>): StatsResult {
    const streams = tcpStreamCount(cap.session);
    const stream = q.stream ?? (q.frame ? tcpStreamOf(cap.session, q.frame) : -1);
    if (stream < 0) return { kind: 'tcpgraph', data: null, reason: q.frame ? `Frame ${q.frame} is not part of a TCP stream.` : 'Select a TCP packet first.', streams };
    const frames = streamFrames(cap.session, 'tcp', stream);
    if (!frames.length) return { kind: 'tcpgraph', data: null, reason: `There is no TCP stream ${stream}.`, streams };
    const facts = tcpStreamFacts(cap, frames);
    const dir = q.dir ?? graphDirection(facts, q.frame ?? 0);
    return { kind: 'tcpgraph', data: buildTcpGraph(stream, facts, dir), streams };
  }

  /** Visit frames in slices; all frames (list = null) waits for the capture to be read to the end. */
  private run(id: number, c: StatsContext, list: ArrayLike<number> | null, step: (num: number) => void, result: () => StatsResult): void {
    this.start({
      id,
      gen: c.gen,
      list,
      cursor: 0,
      t0: this.host.now(),
      step,
      finish: () => {
        const now = this.ctx();
        if (now) this.answer(id, now, result());
      },
    });
  }

  private start(job: Job): void {
    this.host.schedule(() => this.slice(job));
  }

  private slice(job: Job): void {
    const c = this.ctx();
    if (!c || c.gen !== job.gen) {
      this.host.post({ id: job.id, type: 'cancelled' });
      return;
    }
    // all frames: count them once the capture is read to the end (frames still being read have not been
    // through the first pass yet)
    if (!job.list && c.loading) {
      this.host.post({ id: job.id, type: 'stats-progress', generation: job.gen, done: 0, total: c.cap.frames.count, loading: true });
      setTimeout(() => this.slice(job), 50);
      return;
    }
    const total = job.list ? job.list.length : c.cap.frames.count;
    const deadline = this.host.now() + this.sliceMs;
    try {
      while (job.cursor < total) {
        const end = Math.min(total, job.cursor + 64);
        for (let i = job.cursor; i < end; i++) {
          const num = job.list ? job.list[i]! : i + 1;
          try {
            job.step(num);
          } catch {
            // a frame the dissectors fail on is left out
          }
          job.cursor = i + 1;
        }
        if (this.host.now() >= deadline) break;
      }
      if (job.cursor >= total) {
        job.finish(total);
        return;
      }
    } catch (e) {
      this.host.post({ id: job.id, type: 'error', request: 'stats', error: { kind: 'exception', message: `Internal error: ${e instanceof Error ? e.message : String(e)}` } });
      return;
    }
    this.host.post({ id: job.id, type: 'stats-progress', generation: job.gen, done: job.cursor, total, loading: false });
    this.start(job);
  }

  // -------------------------------------------------------------------------------------------
  // export

  private export(id: number, c: StatsContext, q: ExportQuery): void {
    const fail = (message: string) => this.host.post({ id, type: 'error', request: 'export', error: { kind: 'exception', message } });
    // wait for the capture (and the displayed list) to be complete
    if (c.loading) {
      setTimeout(() => {
        const now = this.ctx();
        if (!now || now.gen !== c.gen) this.host.post({ id, type: 'cancelled' });
        else this.export(id, now, q);
      }, 30);
      return;
    }
    const cap = c.cap;
    let frames: ArrayLike<number>;
    if (q.range === 'marked') frames = Uint32Array.from(q.marked ?? []).sort();
    else if (q.range === 'displayed' && c.displayed) frames = Uint32Array.from(c.displayed);
    else frames = Uint32Array.from({ length: cap.frames.count }, (_, i) => i + 1);
    if (!frames.length) return fail(q.range === 'marked' ? 'No packets are marked.' : 'There are no packets to export.');
    const base = c.name.replace(/\.(pcapng|pcap|cap|ntar|dmp)(\.gz)?$/i, '') || 'capture';
    const suffix = q.range === 'all' ? '' : `-${q.range}`;
    const fileName = `${base}${suffix}.${EXT[q.format]}`;
    const done = (data: Uint8Array, packets: number, skipped: number) => {
      const result: ExportResult = { data, mime: MIME[q.format], fileName, packets, skipped };
      this.host.post({ id, type: 'exported', generation: c.gen, result }, [data.buffer as ArrayBuffer]);
    };
    if (q.format === 'pcap' || q.format === 'pcapng') {
      const list: WriteFrame[] = [];
      let skipped = 0;
      for (let i = 0; i < frames.length; i++) {
        const f = writeFrame(cap, frames[i]!);
        if (f) list.push(f);
        else skipped++;
      }
      try {
        const data =
          q.format === 'pcap'
            ? writePcap(cap.info, list, cap.info.format === 'pcapng' ? undefined : cap.src.read(0, 24))
            : writePcapng(cap.info, list, { application: 'Wirelens' });
        done(data, list.length, skipped);
      } catch (e) {
        fail(e instanceof WriteError ? e.message : `Internal error: ${e instanceof Error ? e.message : String(e)}`);
      }
      return;
    }
    const w = new DissectionWriter(cap, q.format, q.csv);
    this.start({
      id,
      gen: c.gen,
      list: frames,
      cursor: 0,
      t0: this.host.now(),
      step: (n) => w.add(cap.dissect(n, w.needsTree) as Packet),
      finish: () => done(new TextEncoder().encode(w.result()), frames.length, 0),
    });
  }
}
