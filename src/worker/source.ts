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
 * 1 MiB blocks kept in a small LRU cache; large reads go straight to the blob.
 */
export class BlobSource implements ByteSource {
  readonly size: number;
  private readonly cache = new Map<number, Uint8Array>();

  constructor(
    private readonly blob: Blob,
    private readonly reader: FileReaderSyncLike,
    private readonly blockSize = 1 << 20,
    private readonly maxBlocks = 16,
  ) {
    this.size = blob.size;
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
    const a = i * this.blockSize;
    b = this.readRaw(a, Math.min(this.size, a + this.blockSize));
    this.cache.set(i, b);
    if (this.cache.size > this.maxBlocks) this.cache.delete(this.cache.keys().next().value!);
    return b;
  }

  read(offset: number, length: number): Uint8Array {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.max(start, Math.min(this.size, offset + length));
    const n = end - start;
    if (n === 0) return new Uint8Array(0);
    if (n >= this.blockSize * 2) return this.readRaw(start, end);
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
