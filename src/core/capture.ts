// A capture being read: the reader, the frame index, the dissection session, and on-demand dissection of one frame.
import { CaptureError, openCapture, type ByteSource, type CaptureInfo, type CaptureReader } from './formats/reader';
import { FrameTable } from './model/frames';
import { Session, DEFAULT_PREFS, type Prefs, type FrameAccess } from './dissect/session';
import { Packet, type FrameMeta } from './dissect/packet';
import { dissectFrame } from './dissectors';

export interface LoadProgress {
  frames: number;
  bytesRead: number;
  done: boolean;
}

export class Capture implements FrameAccess {
  readonly frames = new FrameTable();
  readonly session: Session;
  readonly reader: CaptureReader;
  /** why reading stopped early, if it did; frames read before it stay */
  error: CaptureError | null = null;
  done = false;
  /** the source is still growing (live capture) and its next record is not complete yet */
  waiting = false;

  constructor(
    readonly src: ByteSource,
    prefs: Prefs = DEFAULT_PREFS,
  ) {
    this.reader = openCapture(src);
    this.session = new Session(this, prefs);
  }

  get info(): CaptureInfo {
    return this.reader.info;
  }

  count(): number {
    return this.frames.count;
  }

  meta(num: number): FrameMeta {
    const i = num - 1;
    const t = this.frames;
    const iface = t.iface[i]!;
    return {
      num,
      capLen: t.capLen[i]!,
      origLen: t.origLen[i]!,
      tsSec: t.tsSec[i]!,
      tsNsec: t.tsNsec[i]!,
      iface,
      linkType: this.info.interfaces[iface]?.linkType ?? -1,
      comments: t.comments.get(num) ?? [],
      hasTs: !t.noTs.has(num),
      custom: t.custom.get(num) ?? null,
    };
  }

  iface(index: number): { name: string; description: string } | undefined {
    // pcap files have one nameless interface; Wireshark shows interface lines only for pcapng
    return this.info.format === 'pcapng' ? this.info.interfaces[index] : undefined;
  }

  epbFlags(num: number): number | undefined {
    return this.frames.epbFlags.get(num);
  }

  bytes(num: number): Uint8Array {
    const i = num - 1;
    return this.src.read(this.frames.offset[i]!, this.frames.capLen[i]!);
  }

  /**
   * Read up to `maxFrames` more records, dissecting each once in order (the first pass that
   * builds conversation and analysis state). Returns true when the file is finished.
   */
  load(
    maxFrames = Infinity,
    onFrame?: (pkt: Packet) => void,
    opts: { tree?: boolean; keep?: Packet['keep'] } = {},
  ): boolean {
    // Without a consumer of the items, keep none: the first pass then only builds analysis state and columns.
    const keep = opts.keep ?? (onFrame ? 'all' : 'none');
    let n = 0;
    this.waiting = false;
    while (!this.done && n < maxFrames) {
      let rec;
      try {
        rec = this.reader.next();
      } catch (e) {
        if (e instanceof CaptureError) {
          this.error = e;
          this.done = true;
          break;
        }
        throw e;
      }
      if (!rec) {
        if (this.src.growing) this.waiting = true;
        else this.done = true;
        break;
      }
      const num = this.frames.push(rec);
      const bytes = this.src.read(rec.offset, rec.capLen);
      const pkt = new Packet(this.meta(num), bytes, this.session, true, opts.tree ?? false, keep);
      dissectFrame(pkt);
      onFrame?.(pkt);
      n++;
    }
    return this.done;
  }

  progress(): LoadProgress {
    return { frames: this.frames.count, bytesRead: this.reader.position, done: this.done };
  }

  /** Dissect one frame again (after the first pass), with or without display texts. */
  dissect(num: number, tree = true, keep: Packet['keep'] = 'all'): Packet {
    const pkt = new Packet(this.meta(num), this.bytes(num), this.session, false, tree, keep);
    dissectFrame(pkt);
    return pkt;
  }
}
