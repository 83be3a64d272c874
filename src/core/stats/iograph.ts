// I/O graph series (Wireshark's Statistics › I/O Graphs): packets, bytes or bits per time interval, each
// series counting only the frames its own display filter matches. Intervals start at the capture's first
// frame. For each interval the first matching frame is kept, so a click on the graph can select a packet.
//
//   const c = new IoGraphCollector(specs, intervalMs, firstSec, firstNsec);   // specs' filters compiled here
//   for (each frame) c.add(cap.dissect(num, false));
//   c.result()

import type { Packet } from '../dissect/packet';
import type { Capture } from '../capture';
import { compileFilter, type CompiledFilter } from '../filter';

export type IoUnit = 'packets' | 'bytes' | 'bits';

export interface IoSeriesSpec {
  name: string;
  /** display filter ('' = all frames) */
  filter: string;
  unit: IoUnit;
}

export interface IoSeries extends IoSeriesSpec {
  /** value per interval */
  values: number[];
  /** first matching frame per interval (0 = none) */
  frames: number[];
  /** the filter did not compile: the message (values are empty) */
  error?: string;
  total: number;
}

export interface IoGraphData {
  /** interval length in milliseconds */
  intervalMs: number;
  /** number of intervals (from the first frame to the last) */
  buckets: number;
  series: IoSeries[];
  frames: number;
  /** frames beyond MAX_BUCKETS intervals, left out */
  clipped: number;
}

/** Interval choices offered (ms), as Wireshark's list. */
export const IO_INTERVALS_MS = [1, 10, 100, 1000, 10_000, 60_000, 600_000, 3_600_000, 86_400_000];

/** Most intervals a graph has; frames later than that are counted in `clipped` (choose a longer interval). */
export const MAX_BUCKETS = 100_000;

interface Running {
  spec: IoSeriesSpec;
  f: CompiledFilter | null;
  error?: string;
  values: number[];
  frames: number[];
  total: number;
}

export class IoGraphCollector {
  private readonly runs: Running[];
  private buckets = 0;
  count = 0;
  clipped = 0;

  constructor(
    specs: readonly IoSeriesSpec[],
    readonly intervalMs: number,
    private readonly sec0: number,
    private readonly nsec0: number,
  ) {
    if (!(intervalMs > 0)) throw new Error(`invalid interval ${intervalMs}`);
    this.runs = specs.map((spec) => {
      const t = spec.filter.trim();
      if (!t) return { spec, f: null, values: [], frames: [], total: 0 };
      const r = compileFilter(t);
      if (!r.ok) return { spec, f: null, error: r.error.message, values: [], frames: [], total: 0 };
      return { spec, f: r.filter, values: [], frames: [], total: 0 };
    });
  }

  /** The interval index of a time (frames without a timestamp count at the start). */
  bucketOf(hasTs: boolean, sec: number, nsec: number): number {
    if (!hasTs) return 0;
    const ns = (sec - this.sec0) * 1e9 + (nsec - this.nsec0);
    return Math.max(0, Math.floor(ns / (this.intervalMs * 1e6)));
  }

  /** Count one frame (dissected with keep = 'all', as for filtering). */
  add(pkt: Packet): void {
    this.count++;
    const m = pkt.meta;
    const b = this.bucketOf(m.hasTs, m.tsSec, m.tsNsec);
    if (b >= MAX_BUCKETS) {
      this.clipped++;
      return;
    }
    if (b + 1 > this.buckets) this.buckets = b + 1;
    for (const r of this.runs) {
      if (r.error) continue;
      let ok = true;
      if (r.f) {
        try {
          ok = r.f.match(pkt);
        } catch {
          ok = false;
        }
      }
      if (!ok) continue;
      const v = r.spec.unit === 'packets' ? 1 : r.spec.unit === 'bytes' ? m.origLen : m.origLen * 8;
      while (r.values.length <= b) {
        r.values.push(0);
        r.frames.push(0);
      }
      r.values[b]! += v;
      r.total += v;
      if (!r.frames[b]) r.frames[b] = m.num;
    }
  }

  result(): IoGraphData {
    const n = this.buckets;
    return {
      intervalMs: this.intervalMs,
      buckets: n,
      frames: this.count,
      clipped: this.clipped,
      series: this.runs.map((r) => {
        const values = r.values.slice();
        const frames = r.frames.slice();
        while (values.length < n && !r.error) {
          values.push(0);
          frames.push(0);
        }
        const s: IoSeries = { ...r.spec, values, frames, total: r.total };
        if (r.error) s.error = r.error;
        return s;
      }),
    };
  }
}

/** I/O graph data of all frames read so far. */
export function computeIoGraph(cap: Capture, specs: readonly IoSeriesSpec[], intervalMs: number): IoGraphData {
  const first = cap.frames.count ? cap.meta(1) : null;
  const c = new IoGraphCollector(specs, intervalMs, first?.hasTs ? first.tsSec : 0, first?.hasTs ? first.tsNsec : 0);
  for (let n = 1; n <= cap.frames.count; n++) c.add(cap.dissect(n, false));
  return c.result();
}

/** A sensible default interval: about 100 or more intervals over the capture's duration, at least 1 ms. */
export function defaultIntervalMs(durationSec: number): number {
  for (const ms of IO_INTERVALS_MS) if (durationSec * 1000 / ms <= 400) return ms;
  return IO_INTERVALS_MS[IO_INTERVALS_MS.length - 1]!;
}
