// A capture being read: the reader, the frame index, the dissection session, and on-demand dissection of one frame.
import { CaptureError, openCapture, type ByteSource, type CaptureInfo, type CaptureReader } from './formats/reader';
import { FrameTable } from './model/frames';
import { HeaderIndex } from './model/header-index';
import type { IndexView } from './model/index-filter';
import { holding } from './model/typed-arrays';
import { tcpState } from './analysis/tcp-state';
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
  /** header values of plain frames, filled as records are read */
  readonly hdr = new HeaderIndex();
  /** frames 1..analysed have been through the first (dissection) pass */
  analysed = 0;
  /** by row, the id of the frame's protocol stack (first pass; see model/protocol-gate.ts) */
  stacks = new Uint32Array(1024);
  /** the layers of each stack id */
  readonly stackLayers: string[][] = [];
  private readonly stackIds = new Map<string, number>();
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

  /** Read the next record into the frame table and header index; false at the end (or at an error). */
  private readRecord(): boolean {
    if (this.done) return false;
    let rec;
    try {
      rec = this.reader.next();
    } catch (e) {
      if (e instanceof CaptureError) {
        this.error = e;
        this.done = true;
        this.waiting = false;
        return false;
      }
      throw e;
    }
    if (!rec) {
      // a source that has stopped growing is finished: no longer waiting (the session idles while waiting)
      this.waiting = !!this.src.growing;
      if (!this.waiting) this.done = true;
      return false;
    }
    this.waiting = false;
    this.frames.push(rec);
    // headers only: a plain Ethernet/IP/TCP stack fits in 256 bytes
    const head = this.reader.bytes(rec.offset, Math.min(rec.capLen, 256));
    this.hdr.add(head, rec.capLen, this.info.interfaces[rec.iface]?.linkType ?? -1, rec.origLen);
    return true;
  }

  /** Read up to `maxFrames` more records without dissecting them (frame table and header index only). */
  index(maxFrames = Infinity): boolean {
    let n = 0;
    while (n < maxFrames && this.readRecord()) n++;
    return this.done;
  }

  /**
   * The first pass over frames already read: dissect up to `maxFrames` more, in order, building the
   * conversation and analysis state. Returns true when every frame read so far has been through it.
   */
  analyse(maxFrames = Infinity, onFrame?: (pkt: Packet) => void, opts: { tree?: boolean; keep?: Packet['keep'] } = {}): boolean {
    const keep = opts.keep ?? (onFrame ? 'all' : 'none');
    const end = Math.min(this.frames.count, this.analysed + maxFrames);
    while (this.analysed < end) {
      const num = ++this.analysed;
      const pkt = new Packet(this.meta(num), this.bytes(num), this.session, true, opts.tree ?? false, keep);
      dissectFrame(pkt);
      this.noteStack(num, pkt.layers);
      onFrame?.(pkt);
    }
    return this.analysed === this.frames.count;
  }

  private noteStack(num: number, layers: readonly string[]): void {
    const key = layers.join(':');
    let id = this.stackIds.get(key);
    if (id === undefined) {
      id = this.stackLayers.length;
      this.stackLayers.push(layers.slice(1));
      this.stackIds.set(key, id);
    }
    this.stacks = holding(this.stacks, num - 1);
    this.stacks[num - 1] = id;
  }

  /** The index as filters see it (stream numbers for frames the first pass has seen). */
  indexView(): IndexView {
    const tf = tcpState(this.session).frames;
    return {
      frames: this.frames,
      hdr: this.hdr,
      tcpStream: (num) => (num <= this.analysed && num < tf.stream.length ? tf.stream[num]! : 0),
      udpStream: (num) => {
        if (num > this.analysed) return 0;
        const u = this.session.frameData<{ stream: number }>('udp', num);
        return u ? u.stream + 1 : 0;
      },
    };
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
    this.waiting = false;
    let n = 0;
    // frames indexed earlier but not analysed yet come first
    if (this.analysed < this.frames.count) n += this.analyseSome(maxFrames, onFrame, opts.tree ?? false, keep);
    while (n < maxFrames && this.readRecord()) {
      this.analyse(1, onFrame, { tree: opts.tree, keep });
      n++;
    }
    return this.done && this.analysed === this.frames.count;
  }

  private analyseSome(max: number, onFrame: ((pkt: Packet) => void) | undefined, tree: boolean, keep: Packet['keep']): number {
    const before = this.analysed;
    this.analyse(max, onFrame, { tree, keep });
    return this.analysed - before;
  }

  progress(): LoadProgress {
    return { frames: this.frames.count, bytesRead: this.reader.position, done: this.done };
  }

  /**
   * Dissect one frame as a first pass of its own, whatever came before (for answers that need no state
   * from earlier frames but reassembly among the frames dissected this way, e.g. IP fragments).
   */
  dissectAlone(num: number, keep: Packet['keep']): Packet {
    const pkt = new Packet(this.meta(num), this.bytes(num), this.session, true, false, keep);
    dissectFrame(pkt);
    return pkt;
  }

  /** Dissect one frame again (after the first pass), with or without display texts. */
  dissect(num: number, tree = true, keep: Packet['keep'] = 'all'): Packet {
    const pkt = new Packet(this.meta(num), this.bytes(num), this.session, false, tree, keep);
    dissectFrame(pkt);
    return pkt;
  }
}
