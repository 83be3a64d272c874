// Node file access for the CLI and tests: a synchronous ByteSource over a file descriptor, gzip detected by magic.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { MemorySource, isGzip, type ByteSource } from '../core/formats/reader';

export class FileSource implements ByteSource {
  readonly size: number;
  /** the last block read (a new buffer each time, so views handed out stay valid) */
  private win: Uint8Array = new Uint8Array(0);
  private winStart = 0;
  private static readonly BLOCK = 1 << 20;
  /**
   * Large reads are the readers' sequential blocks (a record's bytes are read through the small window);
   * they reuse two buffers in turn, because filling fresh memory costs more than copying the file. A view
   * of a large read is valid until two more large reads: the readers hold only their current block.
   */
  private readonly ring: Buffer[] = [];
  private ringNext = 0;

  constructor(private readonly fd: number) {
    this.size = fstatSync(fd).size;
  }

  private readAt(offset: number, n: number, reuse = false): Uint8Array {
    let buf: Buffer;
    if (reuse) {
      const k = this.ringNext;
      this.ringNext = 1 - k;
      if (!this.ring[k] || this.ring[k]!.length < n) this.ring[k] = Buffer.allocUnsafe(n);
      buf = this.ring[k]!;
    } else buf = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const r = readSync(this.fd, buf, got, n - got, offset + got);
      if (r <= 0) break;
      got += r;
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, got);
  }

  read(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - offset));
    // records are read in order: serve them from 1 MiB blocks instead of one system call each
    if (offset >= this.winStart && offset + n <= this.winStart + this.win.length) {
      return this.win.subarray(offset - this.winStart, offset - this.winStart + n);
    }
    if (n >= FileSource.BLOCK / 2) return this.readAt(offset, n, true);
    this.win = this.readAt(offset, Math.min(FileSource.BLOCK, this.size - offset));
    this.winStart = offset;
    return this.win.subarray(0, Math.min(n, this.win.length));
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Open a capture file for reading; gzip-compressed files (by magic bytes, not name) are inflated in memory. */
export function openSource(file: string): ByteSource {
  const fd = openSync(file, 'r');
  const src = new FileSource(fd);
  if (isGzip(src.read(0, 2))) {
    src.close();
    return new MemorySource(new Uint8Array(gunzipSync(readFileSync(file))));
  }
  return src;
}
