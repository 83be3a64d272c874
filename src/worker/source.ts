// Byte sources over Blobs for the worker: synchronous reads with FileReaderSync (with a small block
// cache, since the core reads each frame on its own), and gzip detection + decompression.

import { isGzip, MemorySource, type ByteSource } from '../core/formats/reader';

/** FileReaderSync exists only in workers (the project's TS lib is DOM, not WebWorker). */
interface FileReaderSyncLike {
  readAsArrayBuffer(blob: Blob): ArrayBuffer;
}
type FileReaderSyncCtor = new () => FileReaderSyncLike;

export function fileReaderSync(): FileReaderSyncLike | null {
  const Ctor = (globalThis as { FileReaderSync?: FileReaderSyncCtor }).FileReaderSync;
  return Ctor ? new Ctor() : null;
}

/**
 * Random access to a Blob with FileReaderSync over blob.slice(a, b). Reads are served from
 * 1 MiB blocks kept in a small LRU cache; large reads go straight to the blob. A miss on the block after
 * one just read (a sequential walk: the first pass, a filter that re-dissects) reads a run of blocks in one
 * call, since each FileReaderSync call costs ~8 ms whatever its size (256 MiB in Chromium here: 2.8 s in
 * 1 MiB reads, 1.5 s in 4 MiB, 1.0 s in 16 MiB, as fast as a stream).
 */
export class BlobSource implements ByteSource {
  readonly size: number;
  private readonly cache = new Map<number, Uint8Array>();
  /** the block last read from the file: the next one missed after it starts a run */
  private lastRead = -2;
  /** blocks a sequential miss reads at once: at most half the cache, so a run never evicts itself */
  private readonly run: number;

  constructor(
    private readonly blob: Blob,
    private readonly reader: FileReaderSyncLike,
    private readonly blockSize = 1 << 20,
    private readonly maxBlocks = 24,
    run = 8,
  ) {
    this.size = blob.size;
    this.run = Math.max(1, Math.min(run, maxBlocks >> 1));
  }

  private readRaw(a: number, b: number): Uint8Array {
    return new Uint8Array(this.reader.readAsArrayBuffer(this.blob.slice(a, b)));
  }

  private block(i: number): Uint8Array {
    let b = this.cache.get(i);
    if (b) {
      // refresh LRU position
      this.cache.delete(i);
      this.cache.set(i, b);
      return b;
    }
    const B = this.blockSize;
    const sequential = i === this.lastRead + 1;
    const last = Math.min(Math.ceil(this.size / B) - 1, sequential ? i + this.run - 1 : i);
    const bytes = this.readRaw(i * B, Math.min(this.size, (last + 1) * B));
    for (let k = i; k <= last; k++) {
      // blocks already cached (read back at random) are replaced by the run's equal bytes
      this.cache.delete(k);
      this.cache.set(k, bytes.subarray((k - i) * B, Math.min(bytes.length, (k - i + 1) * B)));
      if (this.cache.size > this.maxBlocks) this.cache.delete(this.cache.keys().next().value!);
    }
    this.lastRead = last;
    b = this.cache.get(i)!;
    // the block asked for is the one just used: newest in the LRU order, ahead of the run's later blocks
    this.cache.delete(i);
    this.cache.set(i, b);
    return b;
  }

  /** sequential chunks read ahead asynchronously (the file is read while the previous chunk is parsed) */
  private readonly ahead = new Map<number, Uint8Array | null>();
  private static readonly AHEAD = 3;

  /**
   * Start reading the chunks after `offset` (a chunk of `n` bytes) with Blob.arrayBuffer(), which the
   * browser does off this thread; a later read of such a chunk takes it instead of waiting for the disk.
   */
  private readAhead(offset: number, n: number): void {
    if (typeof this.blob.arrayBuffer !== 'function') return;
    for (let k = 1; k <= BlobSource.AHEAD; k++) {
      const a = offset + k * n;
      if (a >= this.size || this.ahead.has(a)) continue;
      this.ahead.set(a, null);
      this.blob
        .slice(a, Math.min(this.size, a + n))
        .arrayBuffer()
        .then(
          (buf) => {
            // still wanted (not read synchronously meanwhile)
            if (this.ahead.has(a)) this.ahead.set(a, new Uint8Array(buf));
          },
          () => this.ahead.delete(a),
        );
    }
  }

  read(offset: number, length: number): Uint8Array {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.max(start, Math.min(this.size, offset + length));
    const n = end - start;
    if (n === 0) return new Uint8Array(0);
    if (n >= this.blockSize * 2) {
      // a reader's sequential chunk: from the read-ahead when it has arrived
      const got = this.ahead.get(start);
      this.ahead.delete(start);
      for (const a of this.ahead.keys()) if (a < start) this.ahead.delete(a);
      if (start % length === 0) this.readAhead(start, length);
      if (got && got.length === n) return got;
      return this.readRaw(start, end);
    }
    const first = Math.floor(start / this.blockSize);
    const last = Math.floor((end - 1) / this.blockSize);
    if (first === last) {
      const b = this.block(first);
      const o = start - first * this.blockSize;
      return b.subarray(o, o + n);
    }
    const out = new Uint8Array(n);
    let pos = start;
    for (let i = first; i <= last; i++) {
      const b = this.block(i);
      const bStart = i * this.blockSize;
      const from = pos - bStart;
      const to = Math.min(b.length, end - bStart);
      out.set(b.subarray(from, to), pos - start);
      pos = bStart + to;
    }
    return out;
  }
}

/**
 * A file read from start to end as a stream (Blob.stream(), read by the browser off this thread), so that
 * reading the records runs while the next bytes are on their way instead of after each synchronous read.
 * While the stream runs, `size` is what has arrived and `growing` is true: the readers wait for a record
 * that is not complete yet, as for a live capture. Only the blocks near the readers' position are kept,
 * and only up to AHEAD bytes are read ahead of them; bytes of earlier frames (a selected packet, the first
 * pass) come from the file itself with FileReaderSync. If the stream fails, the rest is read that way too.
 */
export class StreamingBlobSource implements ByteSource {
  /** the first this many bytes make the source ready; the readers are woken once per half of it */
  static readonly BLOCK = 4 << 20;
  private static readonly AHEAD = 64 << 20;
  /**
   * The stream's own chunks, kept as they came (file offset of each in `starts`): copying them into blocks
   * of our own cost more than reading the file (fresh memory is paged in on its first write: 3.6 s for
   * 952 MB against 0.1 s into memory already touched).
   */
  private starts: number[] = [];
  private chunks: Uint8Array[] = [];
  /** the index in `chunks` last found, where a sequential reader looks first */
  private hint = 0;
  private received = 0;
  private ended = false;
  /** the readers' sequential position: chunks more than BLOCK behind it are dropped */
  private reading = 0;
  private wake: (() => void) | null = null;
  private notified = 0;
  private readonly fallback: BlobSource;
  readonly total: number;
  /** called when bytes arrive or the stream ends (the session reads on) */
  onData: (() => void) | null = null;
  /** resolves once the first block is in (the file header can be read) or the stream has ended */
  readonly ready: Promise<void>;

  constructor(
    private readonly blob: Blob,
    reader: FileReaderSyncLike,
  ) {
    this.total = blob.size;
    this.fallback = new BlobSource(blob, reader);
    let first!: () => void;
    this.ready = new Promise((r) => (first = r));
    void this.pump(first);
  }

  get size(): number {
    return this.ended ? this.total : this.received;
  }

  get growing(): boolean {
    return !this.ended;
  }

  private async pump(first: () => void): Promise<void> {
    const want = Math.min(this.total, StreamingBlobSource.BLOCK);
    try {
      const r = this.blob.stream().getReader();
      for (;;) {
        while (this.received - this.reading > StreamingBlobSource.AHEAD) {
          await new Promise<void>((res) => (this.wake = res));
        }
        const { done, value } = await r.read();
        if (done) break;
        this.append(value);
        if (this.received >= want) first();
        // wake the readers for every half block's worth, not for every small piece the stream hands over
        if (this.received - this.notified >= StreamingBlobSource.BLOCK / 2) {
          this.notified = this.received;
          this.onData?.();
          // and let them start: a stream with bytes ready hands them over without the thread turning to
          // its other tasks, so the session's first slice (the first rows) waited until AHEAD bytes had come
          // (0.45 s). Once the readers are under way, the stream runs ahead of them as it likes.
          if (this.reading === 0) await nextTask();
        }
      }
    } catch {
      // the rest is read from the file directly
    }
    this.ended = true;
    first();
    this.onData?.();
  }

  private append(v: Uint8Array): void {
    // more bytes than the file's size said: ignore them
    const n = Math.min(v.length, this.total - this.received);
    if (n <= 0) return;
    this.starts.push(this.received);
    this.chunks.push(n === v.length ? v : v.subarray(0, n));
    this.received += n;
  }

  /** The index of the kept chunk holding file offset `off`, or -1. */
  private find(off: number): number {
    const s = this.starts;
    const last = s.length - 1;
    if (last < 0 || off < s[0]! || off >= this.received) return -1;
    const h = this.hint;
    if (h <= last && s[h]! <= off) {
      if (h === last || off < s[h + 1]!) return h;
      if (h + 1 === last || off < s[h + 2]!) return (this.hint = h + 1);
    }
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    return (this.hint = lo);
  }

  /** The readers are at `off`: drop what lies well behind them, let the stream read further ahead. */
  private moveTo(off: number): void {
    if (off < this.reading) return;
    this.reading = off;
    let k = 0;
    while (k < this.chunks.length - 1 && this.starts[k]! + this.chunks[k]!.length <= off - StreamingBlobSource.BLOCK) k++;
    if (k > 0) {
      this.starts.splice(0, k);
      this.chunks.splice(0, k);
      this.hint = Math.max(0, this.hint - k);
    }
    this.wake?.();
    this.wake = null;
  }

  /**
   * The chunk in memory holding `off` (its file offset and bytes), for a reader that takes records from it
   * in place; null when `off` has not arrived or was dropped.
   */
  view(off: number): { start: number; bytes: Uint8Array } | null {
    const i = this.find(off);
    if (i < 0) return null;
    const start = this.starts[i]!;
    this.moveTo(start);
    const j = this.find(off);
    return { start, bytes: this.chunks[j]! };
  }

  read(offset: number, length: number): Uint8Array {
    const size = this.size;
    const start = Math.max(0, Math.min(offset, size));
    const end = Math.max(start, Math.min(size, offset + length));
    if (end === start) return new Uint8Array(0);
    if (end <= this.received) {
      let i = this.find(start);
      if (i >= 0) {
        this.moveTo(this.starts[i]!);
        i = this.find(start);
        const c0 = this.starts[i]!;
        const c = this.chunks[i]!;
        if (end <= c0 + c.length) return c.subarray(start - c0, end - c0);
        // straddles chunks, which lie end to end up to what has arrived: join them
        const out = new Uint8Array(end - start);
        for (let pos = start, k = i; pos < end; k++) {
          const s = this.starts[k]!;
          const n = Math.min(end, s + this.chunks[k]!.length) - pos;
          out.set(this.chunks[k]!.subarray(pos - s, pos - s + n), pos - start);
          pos += n;
        }
        return out;
      }
    }
    // behind the readers (dropped), or what a failed stream never delivered: from the file
    return this.fallback.read(start, end - start);
  }
}

/** A macrotask without setTimeout's 4 ms clamp (MessageChannel), where there is one. */
function nextTask(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise((r) => setTimeout(r, 0));
  return new Promise((r) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      r();
    };
    ch.port2.postMessage(0);
  });
}

export interface PreparedSource {
  src: ByteSource;
  gzip: boolean;
  /** set when a gzip stream ended early or was damaged: the bytes before the damage are used */
  gzipError: string | null;
}

/** How to turn a Blob into a synchronous ByteSource (FileReaderSync in a worker, memory elsewhere). */
export type MakeSource = (blob: Blob) => Promise<ByteSource>;

export const workerMakeSource: MakeSource = async (blob) => {
  const r = fileReaderSync();
  if (r && typeof blob.stream === 'function') {
    const src = new StreamingBlobSource(blob, r);
    await src.ready;
    return src;
  }
  if (r) return new BlobSource(blob, r);
  return new MemorySource(new Uint8Array(await blob.arrayBuffer()));
};

/**
 * Decompress a gzip Blob with DecompressionStream into a Blob. If the stream is damaged or cut
 * short, whatever was decompressed before that is kept and the problem is reported.
 */
export async function gunzipBlob(blob: Blob, onBytes?: (n: number) => void): Promise<{ blob: Blob; error: string | null }> {
  const parts: Uint8Array[] = [];
  let total = 0;
  let error: string | null = null;
  const reader = blob.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      total += value.length;
      onBytes?.(total);
    }
  } catch (e) {
    error = `The compressed file appears to be damaged or cut short (${e instanceof Error ? e.message : String(e)}).`;
  }
  return { blob: new Blob(parts as BlobPart[]), error };
}

/** Detect gzip by its magic bytes (1f 8b), decompress if needed, and make a synchronous source. */
export async function prepareSource(file: Blob, make: MakeSource = workerMakeSource): Promise<PreparedSource> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  if (!isGzip(head)) return { src: await make(file), gzip: false, gzipError: null };
  const { blob, error } = await gunzipBlob(file);
  return { src: await make(blob), gzip: true, gzipError: error };
}

/**
 * A source that grows as bytes arrive (a live capture stream): `growing` stays true until end(),
 * so the readers wait for a record that is not complete yet instead of calling the file cut short.
 * Bytes are kept in one buffer that doubles when full; views handed out earlier stay valid.
 */
export class GrowingSource implements ByteSource {
  private buf = new Uint8Array(1 << 16);
  private len = 0;
  private open = true;

  get size(): number {
    return this.len;
  }

  get growing(): boolean {
    return this.open;
  }

  append(bytes: Uint8Array): void {
    if (!this.open) throw new Error('the stream has ended');
    if (this.len + bytes.length > this.buf.length) {
      let n = this.buf.length * 2;
      while (n < this.len + bytes.length) n *= 2;
      const b = new Uint8Array(n);
      b.set(this.buf.subarray(0, this.len));
      this.buf = b;
    }
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /** No more bytes will come: a record still incomplete is now cut short. */
  end(): void {
    this.open = false;
  }

  read(offset: number, length: number): Uint8Array {
    const a = Math.max(0, Math.min(offset, this.len));
    return this.buf.subarray(a, Math.max(a, Math.min(this.len, offset + length)));
  }

  /** All bytes received so far (a view). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
