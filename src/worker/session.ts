// The capture worker's logic, free of worker globals so it can be tested in Node: it opens captures,
// loads them in time-boxed slices, answers row/select/filter requests and reports progress.

import { Capture } from '../core/capture';
import { CaptureError, type ByteSource } from '../core/formats/reader';
import { rowSummary, type RowSummary } from '../core/summary';
import { frameTimeText, type TimeFormat } from '../core/time';
import { itemLabel } from '../core/dissect/label';
import { itemFilter, itemValueText } from '../core/dissect/filter-text';
import { DEFAULT_PREFS, type Prefs } from '../core/dissect/session';
import { HIDDEN, GENERATED, type Item, type Packet } from '../core/dissect/packet';
import { compile, type DisplayFilter } from './filter';
import { CHUNK } from '../core/model/index-filter';
import { resized } from '../core/model/typed-arrays';
import { ConversationCollector, conversationKeepSet } from '../core/analysis/conversations';
import { conversationFilter, followFor, ladderFor } from './analysis';
import { FindRun, compileFind, lowerBound, type FindAnswer, type FindDirection, type FindFrom, type FindQuery, type FindSource } from './find';
import { StatsWorker, type StatsContext } from './stats';
import { episodesAt } from '../core/analysis/episodes';
import { prepareSource, type MakeSource, type PreparedSource } from './source';
import { GrowingSource, StreamingBlobSource } from './source';

/** A live capture (its source grows for as long as the capture runs), as opposed to a file still being read. */
function isLive(cap: Capture): boolean {
  return cap.src instanceof GrowingSource;
}
import { F_COMPLEX } from '../core/model/header-index';
import { provisionalRow } from '../core/summary';
import { TcpdumpView } from '../core/output/tcpdump';
import { ColumnWriter, builtinColumnText, customColumnsKey, type ColumnKind, type CustomColumn } from '../core/output/columns';
import { LiveFeed, type ConnectLive } from './live';
import { openCapture } from '../core/formats/reader';
import { writePcapng } from '../core/formats/pcapng-writer';
import type { LiveState } from './protocol';
import type { CaptureMeta, ConvTarget, FieldInfo, FileErrorInfo, FilterCheck, Request, Response, SourceBytes, TreeNode } from './protocol';
import { allFields } from '../core/fields/registry';
import { prettyName, vtypeOf } from '../core/filter/types';

export interface SessionHost {
  post(msg: Response, transfer?: Transferable[]): void;
  /** Run `fn` soon, after messages already queued for the worker have been handled. */
  schedule(fn: () => void): void;
  now(): number;
}

export interface SessionOptions {
  /** most frames read per slice */
  sliceFrames?: number;
  /** time budget of one slice, ms */
  sliceMs?: number;
  /** how to make a synchronous source from a Blob (default: FileReaderSync, or memory outside a worker) */
  makeSource?: MakeSource;
  /** how to open the live capture WebSocket (default: the browser's WebSocket) */
  connectLive?: ConnectLive;
}

/** A growable list of frame numbers. */
class FrameList {
  buf = new Uint32Array(1024);
  count = 0;
  /** Room for `n` frames in all (a filter over the index knows how many it will test: no copies as it grows). */
  reserve(n: number): void {
    if (this.buf.length < n) this.buf = resized(this.buf, n);
  }
  push(n: number): void {
    if (this.count === this.buf.length) this.reserve(this.count * 2);
    this.buf[this.count++] = n;
  }
  /** A copy the caller may transfer. */
  copy(): Uint32Array {
    return this.buf.slice(0, this.count);
  }
}

interface ActiveFilter {
  /** id of the filter request */
  id: number;
  text: string;
  f: DisplayFilter;
  list: FrameList;
  /** frames 1..cursor have been tested */
  cursor: number;
  t0: number;
  /** the page has received this list (it is the displayed list) */
  published: boolean;
  /** a match() threw for some frame: counted as not matching */
  failures: number;
}

interface Loaded {
  gen: number;
  cap: Capture;
  meta: CaptureMeta;
  openId: number;
  t0: number;
  loading: boolean;
  ms: number;
  gzipError: string | null;
  /** the filter whose list is displayed (null = all frames) */
  shown: ActiveFilter | null;
  /** a newer filter still being computed; `shown` stays displayed until it catches up */
  pending: ActiveFilter | null;
  /** the conversation tables, collected once in slices when first asked for */
  conv: ConvJob | null;
  /** the tcpdump view's state (its relative sequence numbers), made when its lines are first asked for */
  tcpdump?: TcpdumpView;
}

interface ConvJob {
  collector: ConversationCollector;
  keep: Set<number>;
  /** frames 1..cursor are counted */
  cursor: number;
  t0: number;
  /** requests waiting for the tables */
  waiters: number[];
  /** a slice is scheduled */
  scheduled: boolean;
}

export function errorInfo(e: unknown): FileErrorInfo {
  if (e instanceof CaptureError) return { kind: e.kind, message: e.message };
  const msg = e instanceof Error ? e.message || e.name : String(e);
  return { kind: 'exception', message: `Internal error: ${msg}` };
}

/** The tree as plain objects: hidden items dropped, labels rendered. */
export function serializeTree(items: readonly Item[], sources: Packet['sources'] = []): TreeNode[] {
  const out: TreeNode[] = [];
  for (const it of items) {
    if (it.flags & HIDDEN) continue;
    let label: string;
    try {
      label = itemLabel(it);
    } catch (e) {
      label = `${it.f.name} [label error: ${e instanceof Error ? e.message : String(e)}]`;
    }
    const kids = it.children ? serializeTree(it.children, sources) : null;
    const filter = itemFilter(it, sources);
    const value = itemValueText(it);
    out.push({
      label,
      abbrev: it.f.abbrev,
      src: it.src,
      start: it.start,
      len: it.len,
      generated: (it.flags & GENERATED) !== 0,
      ...(filter !== null ? { filter } : {}),
      ...(value ? { value } : {}),
      children: kids && kids.length ? kids : null,
    });
  }
  return out;
}

function failedRow(num: number, e: unknown): RowSummary {
  return {
    num,
    time: 0,
    src: '',
    dst: '',
    protocol: '?',
    length: 0,
    info: `[Dissector bug: ${e instanceof Error ? e.message : String(e)}]`,
  };
}

export class WorkerSession {
  private cur: Loaded | null = null;
  private gen = 0;
  private view = 0;
  /** sequence of open requests: a slower, older open never replaces a newer one */
  private openSeq = 0;
  private pumping = false;
  /** the filter text in effect (kept across opens, like Wireshark's filter bar) */
  private filterText = '';
  /** dissection preferences (checksum validation…), set by an open request and kept for later opens */
  private prefs: Prefs = DEFAULT_PREFS;
  private readonly sliceFrames: number;
  private readonly sliceMs: number;
  /** a chunk's results from the index (see IndexMatcher.matchChunk) */
  private readonly mask = new Uint8Array(CHUNK);
  private readonly makeSource: MakeSource | undefined;
  private readonly connectLive: ConnectLive | undefined;
  /** row summaries already made for the current capture (LRU), since some frames are slow to dissect */
  private summaries = new Map<number, RowSummary>();
  /** the custom columns last asked for, and their texts by frame */
  private custom: { key: string; writer: ColumnWriter; cache: Map<number, string[]> } | null = null;
  private static readonly MAX_SUMMARIES = 20000;
  /** rows this close behind the first pass are worth waiting for (a few hundred ms at most) */
  private static readonly CATCH_UP_ROWS = 3000;
  /** a packet asked for far ahead of the first pass, answered once the pass gets there */
  private waitingSelect: { id: number; frame: number; gen: number } | null = null;

  constructor(
    private readonly host: SessionHost,
    opts: SessionOptions = {},
  ) {
    this.sliceFrames = opts.sliceFrames ?? 20000;
    this.sliceMs = opts.sliceMs ?? 50;
    this.makeSource = opts.makeSource;
    this.connectLive = opts.connectLive;
  }

  /** The capture currently shown (for tests). */
  get capture(): Capture | null {
    return this.cur?.cap ?? null;
  }

  get busy(): boolean {
    const c = this.cur;
    // waiting for a live capture's next packet, the first pass goes on; waiting for a streamed file's next
    // bytes, nothing does until they arrive (the source calls back)
    const waitingDone = c?.cap.waiting && (!isLive(c.cap) || c.cap.analysed >= c.cap.frames.count);
    return !!c && ((c.loading && !waitingDone) || !!c.pending || (!!c.shown && c.shown.cursor < c.cap.frames.count));
  }

  handle(req: Request): void | Promise<void> {
    try {
      switch (req.type) {
        case 'open':
          if (req.prefs) this.prefs = { ...DEFAULT_PREFS, ...req.prefs };
          return this.open(req.id, req.file, req.name);
        case 'rows':
          return this.rows(req.id, req.start, req.count, req.tcpdump, req.time, req.columns);
        case 'select':
          return this.select(req.id, req.frame);
        case 'filter':
          return this.filter(req.id, req.text);
        case 'check':
          return this.check(req.id, req.text);
        case 'cancel':
          return this.cancel(req.id, req.target);
        case 'ladder':
          return this.ladder(req.id, req.target);
        case 'follow':
          return this.follow(req.id, req.kind, req.frame, req.stream);
        case 'episodes': {
          const c = this.cur;
          this.host.post({ id: req.id, type: 'episodes', generation: c?.gen ?? 0, frame: req.frame, episodes: c ? episodesAt(c.cap, req.frame) : [] });
          return;
        }
        case 'conversations':
          return this.conversations(req.id);
        case 'stats':
        case 'export':
          return (this.statsWorker ??= new StatsWorker(this.host, () => this.statsContext())).handle(req);
        case 'live-open':
          return this.liveOpen(req.id, req.url, req.name);
        case 'live-stop':
          return this.live?.feed?.stop();
        case 'save':
          return this.save(req.id);
        case 'fields':
          return this.host.post({ id: req.id, type: 'fields', fields: fieldInfos() });
        case 'find':
          return this.find(req.id, req.query, req.from, req.dir);
      }
    } catch (e) {
      this.host.post({ id: req.id, type: 'error', request: req.type, error: errorInfo(e) });
    }
  }

  // -------------------------------------------------------------------------------------------
  // open

  async open(id: number, file: Blob, name: string): Promise<void> {
    const seq = ++this.openSeq;
    const t0 = this.host.now();
    let prep: PreparedSource;
    try {
      prep = await prepareSource(file, this.makeSource);
    } catch (e) {
      this.host.post({ id, type: 'error', request: 'open', error: errorInfo(e) });
      return;
    }
    if (seq !== this.openSeq) {
      this.host.post({ id, type: 'cancelled' });
      return;
    }
    this.openSource(id, prep, name, t0);
  }

  /** Replace the current capture with `prep` if it is a capture; otherwise report and keep the old one. */
  openSource(id: number, prep: PreparedSource, name: string, t0 = this.host.now()): void {
    if (prep.gzipError && prep.src.size === 0) {
      this.host.post({ id, type: 'error', request: 'open', error: { kind: 'not-capture', message: prep.gzipError } });
      return;
    }
    let cap: Capture;
    try {
      cap = new Capture(prep.src, this.prefs);
    } catch (e) {
      this.host.post({ id, type: 'error', request: 'open', error: errorInfo(e) });
      return;
    }
    const old = this.cur;
    if (old?.pending) this.host.post({ id: old.pending.id, type: 'cancelled' });
    const info = cap.info;
    const meta: CaptureMeta = {
      name,
      size: prep.src.total ?? prep.src.size,
      gzip: prep.gzip,
      format: info.format,
      linkTypes: [...new Set(info.interfaces.map((i) => i.linkType))],
    };
    // a streamed file: read on as its bytes arrive
    if (prep.src instanceof StreamingBlobSource) {
      const src = prep.src;
      src.onData = () => {
        if (this.cur?.cap.src === src) this.kick();
      };
    }
    const c: Loaded = {
      gen: ++this.gen,
      cap,
      meta,
      openId: id,
      t0,
      loading: true,
      ms: 0,
      gzipError: prep.gzipError,
      shown: null,
      pending: null,
      conv: null,
    };
    // keep the display filter across files
    if (this.filterText) {
      const r = compile(this.filterText);
      if (r.ok) c.shown = this.newFilter(id, this.filterText, r.filter, t0, true);
      else this.filterText = '';
    }
    this.cur = c;
    this.summaries = new Map();
    this.custom = null;
    this.view++;
    this.host.post({ id, type: 'opened', generation: c.gen, view: this.view, meta, filterText: this.filterText });
    this.kick();
  }

  private newFilter(id: number, text: string, f: DisplayFilter, t0: number, published: boolean): ActiveFilter {
    return { id, text, f, list: new FrameList(), cursor: 0, t0, published, failures: 0 };
  }

  // -------------------------------------------------------------------------------------------
  // the work loop: filter catch-up and loading, in time-boxed slices

  private kick(): void {
    if (this.pumping) return;
    this.pumping = true;
    this.host.schedule(() => this.pump());
  }

  /** One slice of work; reschedules itself while there is more. Public for tests. */
  pump(): void {
    this.pumping = false;
    const c = this.cur;
    if (!c) return;
    const deadline = this.host.now() + this.sliceMs;
    try {
      const filtered = this.catchUp(c, deadline);
      // every slice makes progress: it loads unless the filter catch-up used up its time. A filter stops
      // short of the end only at the deadline or behind the first pass, which only loading moves on (so a
      // filter on tcp.analysis.* applied while loading waited here forever).
      if (c.loading && (!filtered || this.host.now() < deadline)) this.loadSlice(c, deadline);
    } catch (e) {
      // an unexpected failure while loading: keep the frames we have and report it
      c.loading = false;
      c.ms = this.host.now() - c.t0;
      this.postLoaded(c, errorInfo(e));
    }
    if (this.cur === c && this.busy) this.kick();
  }

  /**
   * Test frames read so far against a filter that has not seen them yet: plain frames from the index when
   * the filter's fields are indexed, others by dissection once the first pass has been through them.
   * Returns whether there was filter work to do.
   */
  private catchUp(c: Loaded, deadline: number): boolean {
    const f = c.pending ?? (c.shown && c.shown.cursor < c.cap.frames.count ? c.shown : null);
    if (!f) return false;
    const before = f.cursor;
    this.advance(c, f, deadline);
    const n = c.cap.frames.count;
    if (f.cursor >= n && !f.published) this.publish(c, f);
    else if (!f.published) this.host.post({ id: f.id, type: 'filtering', tested: f.cursor, total: n });
    // blocked behind the first pass: let the load slice run
    return f.cursor > before || f.cursor >= n;
  }

  /** Move a filter's cursor as far as the index and the first pass allow, until the deadline. */
  private advance(c: Loaded, f: ActiveFilter, deadline: number): void {
    const cap = c.cap;
    const n = cap.frames.count;
    const m = f.f.index;
    const view = m ? cap.indexView() : null;
    const kind = cap.hdr.kind;
    // a filter the index answers as typed-array tests: one tight pass (milliseconds for a million frames)
    // that stops only where a frame needs dissection the first pass has not done yet
    if (m && m.planned && !m.analysis) {
      const list = f.list;
      list.reserve(n);
      const mask = this.mask;
      let chunks = 0;
      while (f.cursor < n) {
        const from = f.cursor; // row index of frame cursor + 1
        const to = Math.min(n, from + CHUNK);
        m.matchChunk(view!, from, to, mask);
        // plain frames straight into the list's buffer (reserved above); a complex one is dissected
        const buf = list.buf;
        let count = list.count;
        let i = from;
        for (; i < to; i++) {
          if (!(kind[i]! & F_COMPLEX)) {
            if (mask[i - from]) buf[count++] = i + 1;
            continue;
          }
          list.count = count;
          f.cursor = i;
          if (i + 1 > cap.analysed) return; // frames up to i are tested
          this.testFrame(c, f, i + 1);
          count = list.count;
        }
        list.count = count;
        f.cursor = i;
        if ((++chunks & 15) === 0 && this.host.now() >= deadline) return;
      }
      return;
    }
    while (f.cursor < n) {
      const end = Math.min(n, f.cursor + 4096);
      for (let num = f.cursor + 1; num <= end; num++) {
        if (m && !(kind[num - 1]! & F_COMPLEX) && (!m.analysis || num <= cap.analysed)) {
          let ok = false;
          try {
            ok = m.match(view!, num - 1);
          } catch {
            f.failures++;
          }
          if (ok) f.list.push(num);
          f.cursor = num;
        } else if (num <= cap.analysed) this.testFrame(c, f, num);
        else return;
      }
      if (this.host.now() >= deadline) return;
    }
  }

  /** Test frame `num` (through the first pass): by its protocol stack when that decides, else dissected. */
  private testFrame(c: Loaded, f: ActiveFilter, num: number): void {
    const g = f.f.gate;
    if (g && !g.needs(c.cap, num - 1)) {
      if (g.absent) f.list.push(num);
      f.cursor = num;
      return;
    }
    this.test(c, f, c.cap.dissect(num, false, f.f.keep));
  }

  private test(c: Loaded, f: ActiveFilter, pkt: Packet): void {
    let ok = false;
    try {
      ok = f.f.match(pkt);
    } catch {
      f.failures++;
    }
    if (ok) f.list.push(pkt.num);
    f.cursor = pkt.num;
    void c;
  }

  private publish(c: Loaded, f: ActiveFilter): void {
    f.published = true;
    c.shown = f;
    c.pending = null;
    this.filterText = f.text;
    this.view++;
    const frames = f.list.copy();
    this.host.post(
      {
        id: f.id,
        type: 'filtered',
        generation: c.gen,
        view: this.view,
        text: f.text,
        frames,
        displayed: f.list.count,
        complete: !c.loading,
        ms: Math.round(this.host.now() - f.t0),
      },
      [frames.buffer],
    );
  }

  private loadSlice(c: Loaded, deadline: number): void {
    const cap = c.cap;
    const f = c.shown;
    // Records are read first, into the frame table and the header index (fast: the list and index filters
    // work at once); the first pass (dissection, analysis) follows behind.
    let read = 0;
    while (!cap.done && read < this.sliceFrames * 8) {
      const before = cap.frames.count;
      cap.index(2048);
      read += cap.frames.count - before;
      if (cap.waiting || this.host.now() >= deadline) break;
    }
    if (f && f.cursor < cap.frames.count) this.advance(c, f, deadline);
    const onFrame = f
      ? (pkt: Packet) => {
          if (f.cursor === pkt.num - 1) this.test(c, f, pkt);
        }
      : undefined;
    let done = cap.done && cap.analysed === cap.frames.count;
    let analysed = 0;
    // a growing (live) source analyses what it has; a file analyses once every record is read
    // (each slice makes some progress, however short its time)
    while ((cap.done || isLive(cap)) && analysed < this.sliceFrames && (analysed === 0 || this.host.now() < deadline)) {
      const before = cap.analysed;
      const all = cap.analyse(Math.min(128, this.sliceFrames - analysed), onFrame, { keep: f ? f.f.keep : 'none' });
      analysed += cap.analysed - before;
      done = cap.done && all;
      if (all) break;
    }
    const total = c.meta.size;
    if (c.conv) this.kickConv(c);
    if (this.waitingSelect && !done) this.answerWaitingSelect(c);
    if (done) {
      c.loading = false;
      c.ms = this.host.now() - c.t0;
      let err: FileErrorInfo | null = cap.error ? errorInfo(cap.error) : null;
      if (!err && c.gzipError) err = { kind: 'cut-short', message: c.gzipError };
      this.postLoaded(c, err);
    } else {
      this.host.post({
        id: c.openId,
        type: 'progress',
        generation: c.gen,
        frames: cap.frames.count,
        displayed: this.displayedCount(c),
        bytesRead: cap.reader.position,
        total,
        analysed: cap.analysed,
      });
    }
  }

  private postLoaded(c: Loaded, error: FileErrorInfo | null): void {
    this.answerWaitingSelect(c);
    const frames = c.shown ? c.shown.list.copy() : null;
    this.host.post(
      {
        id: c.openId,
        type: 'loaded',
        generation: c.gen,
        frames: c.cap.frames.count,
        displayed: this.displayedCount(c),
        bytesRead: Math.min(c.cap.reader.position, c.meta.size),
        total: c.meta.size,
        ms: Math.round(c.ms),
        error,
        displayedFrames: frames,
      },
      frames ? [frames.buffer] : [],
    );
  }

  private displayedCount(c: Loaded): number {
    return c.shown ? c.shown.list.count : c.cap.frames.count;
  }

  // -------------------------------------------------------------------------------------------
  // requests

  /** Frame number of displayed row `index`, or 0 when out of range. */
  frameAt(index: number): number {
    const c = this.cur;
    if (!c || index < 0) return 0;
    if (c.shown) return index < c.shown.list.count ? c.shown.list.buf[index]! : 0;
    return index < c.cap.frames.count ? index + 1 : 0;
  }

  rows(id: number, start: number, count: number, tcpdump = false, time: TimeFormat = 'r', columns: readonly CustomColumn[] = []): void {
    const c = this.cur;
    const columnsKey = customColumnsKey(columns);
    if (!c) {
      this.host.post({ id, type: 'rows', generation: 0, view: this.view, start, rows: [], timeDigits: 6, time, columnsKey });
      return;
    }
    const rows: RowSummary[] = [];
    const n = this.displayedCount(c);
    const end = Math.min(n, start + Math.max(0, Math.min(count, 5000)));
    const digits = timeDigits(c.cap);
    const custom = columns.length ? this.customColumns(columnsKey, columns) : null;
    for (let i = Math.max(0, start); i < end; i++) {
      let r = this.summary(c, this.frameAt(i));
      // the Time column in the asked format, measured from the displayed row before for "dd"
      const timeText = frameTimeText(c.cap.frames, c.cap.info, time, r.num, i > 0 ? this.frameAt(i - 1) : 0);
      r = { ...r, timeText };
      if (tcpdump) r.tcpdump = this.tcpdumpLine(c, r.num);
      // a provisional row (ahead of the first pass) gets its custom texts when it is asked for again
      if (custom && !r.pending) r.custom = this.customCells(c, custom, r.num, timeText);
      rows.push(r);
    }
    this.host.post({ id, type: 'rows', generation: c.gen, view: this.view, start, rows, timeDigits: digits, time, columnsKey, ...(tcpdump ? { tcpdump } : {}) });
  }

  /** The writer of the custom columns asked for now (the cached texts belong to the previous list). */
  private customColumns(key: string, columns: readonly CustomColumn[]): { writer: ColumnWriter; cache: Map<number, string[]> } {
    if (this.custom?.key !== key) this.custom = { key, writer: new ColumnWriter(columns.map((custom) => ({ custom }))), cache: new Map() };
    return this.custom;
  }

  /** Frame `num`'s custom column texts, dissecting it for only the fields they read. */
  private customCells(c: Loaded, custom: { writer: ColumnWriter; cache: Map<number, string[]> }, num: number, timeText: string): string[] {
    const hit = custom.cache.get(num);
    if (hit) return hit;
    let cells: string[];
    try {
      cells = custom.writer.cells(c.cap.dissect(num, false, custom.writer.keep), timeText);
    } catch (e) {
      cells = custom.writer.columns.map(() => `[${e instanceof Error ? e.message : String(e)}]`);
    }
    custom.cache.set(num, cells);
    if (custom.cache.size > WorkerSession.MAX_SUMMARIES) custom.cache.delete(custom.cache.keys().next().value!);
    return cells;
  }

  /** Frame `num` as tcpdump prints it (in the browser's time zone, as tcpdump uses its machine's). */
  private tcpdumpLine(c: Loaded, num: number): string {
    try {
      return (c.tcpdump ??= new TcpdumpView(c.cap)).line(num);
    } catch (e) {
      return `[tcpdump view failed: ${e instanceof Error ? e.message : String(e)}]`;
    }
  }

  /** Run the first pass up to frame `num` now (a row or the tree of a frame it has not reached is wanted). */
  private analyseTo(c: Loaded, num: number): void {
    const f = c.shown;
    const onFrame = f
      ? (pkt: Packet) => {
          if (f.cursor === pkt.num - 1) this.test(c, f, pkt);
        }
      : undefined;
    c.cap.analyse(num - c.cap.analysed, onFrame, { keep: f ? f.f.keep : 'none' });
  }

  private summary(c: Loaded, num: number): RowSummary {
    if (num > c.cap.analysed) {
      // close behind the first pass: catch up now; far ahead: a provisional row from the index
      if (num - c.cap.analysed <= WorkerSession.CATCH_UP_ROWS) this.analyseTo(c, num);
      else return provisionalRow(c.cap, num);
    }
    const cached = this.summaries.get(num);
    if (cached) {
      this.summaries.delete(num);
      this.summaries.set(num, cached);
      return cached;
    }
    let r: RowSummary;
    try {
      r = rowSummary(c.cap, num);
    } catch (e) {
      r = failedRow(num, e);
    }
    this.summaries.set(num, r);
    if (this.summaries.size > WorkerSession.MAX_SUMMARIES) this.summaries.delete(this.summaries.keys().next().value!);
    return r;
  }

  select(id: number, frame: number): void {
    const c = this.cur;
    if (!c || frame < 1 || frame > c.cap.frames.count) {
      this.host.post({
        id,
        type: 'error',
        request: 'select',
        error: { kind: 'exception', message: `no frame ${frame}` },
      });
      return;
    }
    // The tree needs the first pass (sequence analysis, reassembly) up to this frame. Far ahead of a pass
    // still running, the packet waits for it instead of running it all here: the worker would answer
    // nothing else meanwhile (End pressed while a million frames load: 20 s without rows or progress).
    this.waitingSelect = null;
    if (frame > c.cap.analysed && c.loading && frame - c.cap.analysed > WorkerSession.CATCH_UP_ROWS) {
      this.waitingSelect = { id, frame, gen: c.gen };
      this.host.post({ id, type: 'packet-waiting', generation: c.gen, frame, analysed: c.cap.analysed });
      this.kick();
      return;
    }
    this.answerSelect(c, id, frame);
  }

  /** A select the first pass has now reached (or that loading stopped short of): answer it. */
  private answerWaitingSelect(c: Loaded): void {
    const w = this.waitingSelect;
    if (!w || w.gen !== c.gen || (c.loading && c.cap.analysed < w.frame)) return;
    this.waitingSelect = null;
    try {
      this.answerSelect(c, w.id, w.frame);
    } catch (e) {
      this.host.post({ id: w.id, type: 'error', request: 'select', error: errorInfo(e) });
    }
  }

  private answerSelect(c: Loaded, id: number, frame: number): void {
    if (frame > c.cap.analysed) this.analyseTo(c, frame);
    const pkt = c.cap.dissect(frame, true);
    const tree = serializeTree(pkt.items, pkt.sources);
    const sources: SourceBytes[] = pkt.sources.map((s) => ({ name: s.name, bytes: s.bytes.slice() }));
    this.host.post(
      { id, type: 'packet', generation: c.gen, frame, tree, sources },
      sources.map((s) => s.bytes.buffer as ArrayBuffer),
    );
  }

  check(id: number, text: string): void {
    this.host.post({ id, type: 'checked', text, result: checkFilter(text) });
  }

  filter(id: number, text: string): void {
    const t = text.trim();
    const c = this.cur;
    const t0 = this.host.now();
    if (c?.pending) {
      this.host.post({ id: c.pending.id, type: 'cancelled' });
      c.pending = null;
    }
    if (!t) {
      this.filterText = '';
      this.view++;
      if (c) c.shown = null;
      this.host.post({
        id,
        type: 'filtered',
        generation: c?.gen ?? 0,
        view: this.view,
        text: '',
        frames: null,
        displayed: c ? c.cap.frames.count : 0,
        complete: !c?.loading,
        ms: 0,
      });
      return;
    }
    const r = compile(t);
    if (!r.ok) {
      // the last good filter stays applied
      this.host.post({ id, type: 'error', request: 'filter', error: { kind: 'exception', message: r.error.message } });
      return;
    }
    if (!c) {
      this.filterText = t;
      this.view++;
      this.host.post({ id, type: 'filtered', generation: 0, view: this.view, text: t, frames: new Uint32Array(0), displayed: 0, complete: true, ms: 0 });
      return;
    }
    c.pending = this.newFilter(id, t, r.filter, t0, false);
    this.kick();
  }

  // -------------------------------------------------------------------------------------------
  // analysis

  ladder(id: number, target: ConvTarget): void {
    const c = this.cur;
    const frame = 'frame' in target ? target.frame : 0;
    if (!c) {
      this.host.post({ id, type: 'ladder', generation: 0, frame, conv: null, model: null, reason: 'No capture is open.' });
      return;
    }
    const r = ladderFor(c.cap, target);
    this.host.post({ id, type: 'ladder', generation: c.gen, frame, conv: r.conv, model: r.model, ...(r.reason ? { reason: r.reason } : {}) });
  }

  follow(id: number, kind: 'tcp' | 'udp', frame?: number, stream?: number): void {
    const c = this.cur;
    if (!c) {
      this.host.post({ id, type: 'follow', generation: 0, result: null, reason: 'No capture is open.' });
      return;
    }
    const r = followFor(c.cap, kind, frame, stream);
    this.host.post(
      { id, type: 'follow', generation: c.gen, result: r.result, ...(r.reason ? { reason: r.reason } : {}) },
      r.result ? [r.result.data.buffer as ArrayBuffer] : [],
    );
  }

  conversations(id: number): void {
    const c = this.cur;
    if (!c) {
      const empty = { eth: [], ipv4: [], ipv6: [], tcp: [], udp: [] };
      this.host.post({ id, type: 'conversations', generation: 0, tables: empty, frames: 0, complete: true, ms: 0 });
      return;
    }
    if (!c.conv) {
      const first = c.cap.frames.count ? c.cap.meta(1) : null;
      c.conv = {
        collector: new ConversationCollector(first?.hasTs ? first.tsSec : 0, first?.hasTs ? first.tsNsec : 0),
        keep: conversationKeepSet(),
        cursor: 0,
        t0: this.host.now(),
        waiters: [],
        scheduled: false,
      };
    }
    c.conv.waiters.push(id);
    this.kickConv(c);
  }

  private kickConv(c: Loaded): void {
    const j = c.conv;
    if (!j || j.scheduled || !j.waiters.length) return;
    j.scheduled = true;
    this.host.schedule(() => this.convSlice(c));
  }

  /** Count frames for the conversation tables for one time slice; answer the waiters when all are counted. */
  private convSlice(c: Loaded): void {
    const j = c.conv!;
    j.scheduled = false;
    if (this.cur !== c) return;
    // the first frame may have been read after the job started (it needs its time)
    if (j.cursor === 0 && c.cap.frames.count) {
      const m = c.cap.meta(1);
      j.collector = new ConversationCollector(m.hasTs ? m.tsSec : 0, m.hasTs ? m.tsNsec : 0);
    }
    const deadline = this.host.now() + this.sliceMs;
    // frames the first pass has been through (state such as reassembly is there for them)
    const n = c.cap.analysed;
    while (j.cursor < n) {
      const end = Math.min(n, j.cursor + 256);
      for (let num = j.cursor + 1; num <= end; num++) {
        try {
          j.collector.add(c.cap.dissect(num, false, j.keep));
        } catch {
          // a frame the dissectors fail on is left out of the tables
        }
        j.cursor = num;
      }
      if (this.host.now() >= deadline) break;
    }
    // a live capture never finishes loading: answer with the frames there so far
    if (j.cursor >= n && (!c.loading || isLive(c.cap))) {
      const tables = j.collector.tables();
      const ms = Math.round(this.host.now() - j.t0);
      for (const id of j.waiters) this.host.post({ id, type: 'conversations', generation: c.gen, tables, frames: n, complete: !c.loading, ms });
      j.waiters = [];
      return;
    }
    for (const id of j.waiters) this.host.post({ id, type: 'conversations-progress', generation: c.gen, done: j.cursor, total: Math.max(n, j.cursor) });
    // more frames now, or later when the next load slice arrives (loadSlice kicks the job again)
    if (j.cursor < n) this.kickConv(c);
  }

  private statsWorker: StatsWorker | null = null;
  /** What statistics and exports see of the current capture (see stats.ts). */
  private statsContext(): StatsContext | null {
    const c = this.cur;
    const displayed = c?.shown ? c.shown.list.buf.subarray(0, c.shown.list.count) : null;
    return c && { gen: c.gen, cap: c.cap, loading: c.loading, name: c.meta.name, size: c.meta.size, displayed };
  }

  // -------------------------------------------------------------------------------------------
  // Find Packet and Next/Previous Packet in Conversation (find.ts), in time slices

  private findJob: { id: number; gen: number; run: FindRun; t0: number } | null = null;

  find(id: number, query: FindQuery, from: FindFrom | null, dir: FindDirection): void {
    this.stopFind(); // a newer search replaces one still running
    const c = this.cur;
    const t0 = this.host.now();
    const answer = (a: FindAnswer) => this.host.post({ id, type: 'found', generation: c?.gen ?? 0, answer: a, searched: 0, total: 0, ms: 0 });
    if (!c) return answer({ kind: 'none' });
    let q = query;
    if (q.kind === 'conversation') {
      const num = from?.frame ?? 0;
      if (num < 1 || num > c.cap.frames.count) return answer({ kind: 'invalid', message: 'Select a packet first.', start: 0, end: 0 });
      if (num > c.cap.analysed) this.analyseTo(c, num);
      const text = conversationFilter(c.cap, num);
      if (!text) return answer({ kind: 'invalid', message: `Packet ${num} is not part of a TCP or UDP stream, nor of an IP or Ethernet conversation.`, start: 0, end: 0 });
      q = { kind: 'filter', text };
    }
    const r = compileFind(q, this.findSource(c));
    if (!r.ok) return answer({ kind: 'invalid', message: r.message, start: r.start, end: r.end });
    const job = { id, gen: c.gen, run: new FindRun(this.findSource(c), r.find, from, dir), t0 };
    this.findJob = job;
    this.host.schedule(() => this.findSlice(job));
  }

  private findSlice(job: NonNullable<WorkerSession['findJob']>): void {
    if (this.findJob !== job) return;
    if (this.cur?.gen !== job.gen) {
      this.stopFind();
      return;
    }
    const deadline = this.host.now() + this.sliceMs;
    const a = job.run.step(() => this.host.now() >= deadline);
    const { searched, total } = job.run;
    if (!a) {
      this.host.post({ id: job.id, type: 'find-progress', searched, total });
      this.host.schedule(() => this.findSlice(job));
      return;
    }
    this.findJob = null;
    this.host.post({ id: job.id, type: 'found', generation: job.gen, answer: a, searched, total, ms: Math.round(this.host.now() - job.t0) });
  }

  private stopFind(): void {
    if (this.findJob) this.host.post({ id: this.findJob.id, type: 'cancelled' });
    this.findJob = null;
  }

  /** The displayed frames as they are now (a search does not see frames displayed after it started). */
  private findSource(c: Loaded): FindSource {
    const cap = c.cap;
    const list = c.shown ? c.shown.list.buf.subarray(0, c.shown.list.count) : null;
    const reach = (num: number) => {
      if (num > cap.analysed) this.analyseTo(c, num);
    };
    const digits = timeDigits(cap);
    let view: ReturnType<Capture['indexView']> | null = null;
    // the custom columns of the last `kinds` asked for (one search asks with the same list for every frame)
    let asked: { kinds: readonly ColumnKind[]; custom: ReturnType<WorkerSession['customColumns']> | null } | null = null;
    const src: FindSource = {
      count: list ? list.length : cap.frames.count,
      frameAt: (i) => (list ? list[i]! : i + 1),
      bytes: (num) => cap.bytes(num),
      tree: (num) => {
        reach(num);
        return cap.dissect(num, true);
      },
      columns: (num, kinds, time = 'r') => {
        reach(num);
        const r = this.summary(c, num);
        // "since previous displayed" is measured from the row above in the list shown
        const row = time === 'dd' ? lowerBound(src, num) : 0;
        const prev = time === 'dd' ? (row > 0 ? src.frameAt(row - 1) : 0) : num - 1;
        const timeText = time === 'r' ? r.time.toFixed(digits) : frameTimeText(cap.frames, cap.info, time, num, prev);
        if (!kinds) return [String(r.num), timeText, r.src, r.dst, r.protocol, String(r.length), r.info];
        if (asked?.kinds !== kinds) {
          const custom = kinds.flatMap((k) => ('custom' in k ? [k.custom] : []));
          asked = { kinds, custom: custom.length ? this.customColumns(customColumnsKey(custom), custom) : null };
        }
        const cells = asked.custom ? this.customCells(c, asked.custom, num, timeText) : [];
        let n = 0;
        return kinds.map((k) => ('custom' in k ? cells[n++] ?? '' : builtinColumnText(k.builtin, r, timeText)));
      },
      matches: (f, num) => {
        const m = f.index;
        if (m && !(cap.hdr.kind[num - 1]! & F_COMPLEX) && (!m.analysis || num <= cap.analysed)) return m.match((view ??= cap.indexView()), num - 1);
        reach(num);
        if (f.gate && !f.gate.needs(cap, num - 1)) return f.gate.absent;
        return f.match(cap.dissect(num, false, f.keep));
      },
    };
    return src;
  }

  cancel(id: number, target: number): void {
    if (this.findJob?.id === target) this.stopFind();
    const c = this.cur;
    if (c?.pending && c.pending.id === target) {
      c.pending = null;
      this.host.post({ id: target, type: 'cancelled' });
    }
    this.host.post({ id, type: 'cancelled' });
  }

  // -------------------------------------------------------------------------------------------
  // live capture (src/worker/live.ts): a WebSocket's pcap stream appended to a growing source,
  // read by the same readers as files; loading pauses while no complete record is there yet

  private live: LiveRun | null = null;

  liveOpen(id: number, url: string, name: string): void {
    this.live?.feed?.stop('Replaced by a new live capture.');
    const run: LiveRun = { id, name, iface: '', src: new GrowingSource(), seq: ++this.openSeq, opened: false, feed: null };
    this.live = run;
    run.feed = new LiveFeed(
      url,
      { data: (b) => this.liveData(run, b), state: (st, msg) => this.liveState(run, st, msg), info: (i) => this.liveInfo(run, i) },
      this.connectLive,
    );
  }

  /** The bridge names its interface and capture filter: they name the capture. */
  private liveInfo(run: LiveRun, i: { interface?: string; filter?: string }): void {
    if (this.live !== run) return;
    run.iface = i.interface ?? '';
    const filter = i.filter ?? '';
    if (!run.opened && run.iface) run.name = `Live: ${run.iface}${filter ? ` · ${filter}` : ''}`;
    this.host.post({ id: run.id, type: 'live', state: 'live', message: '', bytes: run.src.size, iface: run.iface, filter });
  }

  private liveData(run: LiveRun, bytes: Uint8Array): void {
    if (this.live !== run) return;
    if (run.seq !== this.openSeq) {
      run.feed?.stop('Live capture stopped: another capture was opened.');
      return;
    }
    run.src.append(bytes);
    const c = this.cur;
    if (run.opened) {
      if (c && c.cap.src === run.src) {
        c.meta.size = run.src.size;
        if (c.loading) this.kick();
      }
      return;
    }
    // open once the file header is complete (a few bytes may come first)
    try {
      openCapture(run.src);
    } catch (e) {
      if (e instanceof CaptureError && (e.kind === 'cut-short' || run.src.size < 4)) return;
    }
    run.opened = true;
    this.openSource(run.id, { src: run.src, gzip: false, gzipError: null }, run.name);
    if (this.cur?.cap.src !== run.src) run.feed?.stop('Live capture stopped: the stream is not a capture.');
  }

  private liveState(run: LiveRun, state: LiveState, message: string): void {
    this.host.post({ id: run.id, type: 'live', state, message, bytes: run.src.size });
    if (state === 'connecting' || state === 'live') return;
    run.src.end();
    const c = this.cur;
    // read what is left: a record the stream broke in the middle of is reported as cut short
    if (c && c.cap.src === run.src && c.loading) this.kick();
  }

  /** The current capture as a pcapng file. */
  save(id: number): void {
    const c = this.cur;
    if (!c) {
      this.host.post({ id, type: 'error', request: 'save', error: { kind: 'exception', message: 'No capture is open.' } });
      return;
    }
    const cap = c.cap;
    const n = cap.frames.count;
    function* frames() {
      for (let num = 1; num <= n; num++) {
        const m = cap.meta(num);
        yield { iface: m.iface, tsSec: m.tsSec, tsNsec: m.tsNsec, origLen: m.origLen, bytes: cap.bytes(num), comments: m.comments };
      }
    }
    // a live capture's interface gets the name the bridge gave
    const live = this.live?.src === cap.src ? this.live.iface : '';
    const data = writePcapng(
      cap.info.interfaces.map((i) => ({ ...i, name: i.name || live })),
      frames(),
    );
    this.host.post({ id, type: 'saved', generation: c.gen, data, frames: n }, [data.buffer as ArrayBuffer]);
  }
}

interface LiveRun {
  id: number;
  name: string;
  /** the interface the bridge captures on */
  iface: string;
  src: GrowingSource;
  /** the open sequence number it took: a later open stops it */
  seq: number;
  /** the capture was opened (the file header arrived) */
  opened: boolean;
  feed: LiveFeed | null;
}

/** Decimals of the finest timestamp resolution among the capture's interfaces (6 = µs, 9 = ns). */
export function timeDigits(cap: Capture): number {
  let d = 0;
  for (const i of cap.info.interfaces) d = Math.max(d, Math.ceil(Math.log10(Math.max(1, i.tsUnitsPerSec)) - 1e-9));
  return Math.min(9, d || 6);
}

let fieldInfoCache: { n: number; list: FieldInfo[] } | null = null;

/** The registry's protocols and fields for the filter bar's autocomplete (by abbrev). */
export function fieldInfos(): FieldInfo[] {
  const all = allFields();
  if (fieldInfoCache?.n === all.length) return fieldInfoCache.list;
  const list: FieldInfo[] = [];
  for (const f of all) {
    if (f.abbrev.startsWith('_ws.') && f.type !== 'protocol' && !f.abbrev.startsWith('_ws.expert') && !f.abbrev.startsWith('_ws.malformed')) continue;
    const info: FieldInfo = { abbrev: f.abbrev, name: f.name, type: prettyName(vtypeOf(f)) };
    if (f.blurb) info.description = f.blurb;
    if (f.values) info.values = [...new Set(Object.values(f.values))];
    list.push(info);
  }
  list.sort((a, b) => (a.abbrev < b.abbrev ? -1 : a.abbrev > b.abbrev ? 1 : 0));
  fieldInfoCache = { n: all.length, list };
  return list;
}

export function checkFilter(text: string): FilterCheck {
  const t = text.trim();
  if (!t) return { ok: true, warnings: [] };
  const r = compile(t);
  if (r.ok) return { ok: true, warnings: r.filter.warnings };
  // positions refer to the trimmed text; shift them back to the text as typed
  const lead = text.length - text.trimStart().length;
  return { ok: false, message: r.error.message, start: r.error.start + lead, end: r.error.end + lead };
}

/** For tests and tools: open bytes already in memory. */
export function memoryPrepared(src: ByteSource): PreparedSource {
  return { src, gzip: false, gzipError: null };
}

