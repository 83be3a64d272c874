// One frame being dissected: its protocol tree items, columns and the data sources its bytes live in.
import {
  EXPERT,
  EXPERT_GROUP,
  EXPERT_MESSAGE,
  EXPERT_SEVERITY,
  MALFORMED,
  SHORT,
  TEXT,
  type FieldDef,
  type Value,
} from '../fields/registry';
import { MalformedError, TruncatedError, Tvb } from './tvb';
import type { Session } from './session';

export const HIDDEN = 1;
/** desegmentLen value meaning "at least one more segment, length not known yet" */
export const DESEGMENT_ONE_MORE_SEGMENT = 0x0fffffff;
/** desegmentLen value meaning "everything until the stream's FIN" */
export const DESEGMENT_UNTIL_FIN = 0x0ffffffe;
export const GENERATED = 2;

export type Severity = 'comment' | 'chat' | 'note' | 'warn' | 'error';
export const SEVERITY_VALUE: Record<Severity, number> = {
  comment: 0x100000,
  chat: 0x200000,
  note: 0x400000,
  warn: 0x600000,
  error: 0x800000,
};
export type ExpertGroup =
  | 'checksum'
  | 'sequence'
  | 'response'
  | 'request'
  | 'undecoded'
  | 'reassemble'
  | 'malformed'
  | 'protocol'
  | 'security'
  | 'comment'
  | 'deprecated';
const GROUP_VALUE: Record<ExpertGroup, number> = {
  checksum: 0x01000000,
  sequence: 0x02000000,
  response: 0x03000000,
  request: 0x04000000,
  undecoded: 0x05000000,
  reassemble: 0x06000000,
  malformed: 0x07000000,
  protocol: 0x09000000,
  security: 0x0a000000,
  comment: 0x0b000000,
  deprecated: 0x0e000000,
};
const GROUP_NAME: Record<ExpertGroup, string> = {
  checksum: 'Checksum',
  sequence: 'Sequence',
  response: 'Response code',
  request: 'Request code',
  undecoded: 'Undecoded',
  reassemble: 'Reassemble',
  malformed: 'Malformed',
  protocol: 'Protocol',
  security: 'Security',
  comment: 'Comment',
  deprecated: 'Deprecated',
};
const SEVERITY_NAME: Record<Severity, string> = {
  comment: 'Comment',
  chat: 'Chat',
  note: 'Note',
  warn: 'Warning',
  error: 'Error',
};

export interface Expert {
  severity: Severity;
  group: ExpertGroup;
  message: string;
  /** the field abbrev of the expert info, e.g. 'tcp.analysis.retransmission' */
  abbrev?: string;
}

/** One node of the protocol tree; also the carrier of field values for filters and -T fields. */
export interface Item {
  f: FieldDef;
  v: Value | undefined;
  /** data source index (0 = frame) */
  src: number;
  start: number;
  len: number;
  /** display text overriding the standard "Name: value" */
  text: string | undefined;
  flags: number;
  children: Item[] | null;
}

/** The item returned for additions that are not kept; writes to it are ignored. */
const SCRATCH: Item = { f: TEXT, v: undefined, src: 0, start: 0, len: 0, text: undefined, flags: 0, children: null };

export interface DataSource {
  name: string;
  bytes: Uint8Array;
}

/** Metadata of the record being dissected, as the capture reader found it. */
export interface FrameMeta {
  num: number;
  capLen: number;
  origLen: number;
  tsSec: number;
  tsNsec: number;
  iface: number;
  linkType: number;
  comments: readonly string[];
  /** false when the record carried no timestamp (times are then shown empty, and count as 0 for others) */
  hasTs: boolean;
  /** set for a pcapng custom block listed as a frame */
  custom: { pen: number; copy: boolean } | null;
  /** pcapng direction/flags words etc. could go here later */
}

/** The Info column with Wireshark's fence semantics: text before the fence survives set/clear. */
export class Column {
  text = '';
  fence = 0;
  set(s: string): void {
    this.text = this.text.slice(0, this.fence) + s;
  }
  clear(): void {
    this.text = this.text.slice(0, this.fence);
  }
  append(s: string): void {
    this.text += s;
  }
  /** Append with a separator, omitted when the column (past the fence) is empty. */
  appendSep(sep: string, s: string): void {
    this.text += (this.text.length > this.fence ? sep : '') + s;
  }
  prepend(s: string): void {
    this.text = this.text.slice(0, this.fence) + s + this.text.slice(this.fence);
  }
  setFence(): void {
    this.fence = this.text.length;
  }
}

export class Packet {
  readonly items: Item[] = [];
  readonly sources: DataSource[];
  readonly protocolCol = new Column();
  readonly info = new Column();
  /** the layers for frame.protocols, in order */
  readonly layers: string[] = [];
  readonly experts: Expert[] = [];
  /** a per-dissection scratchpad for passing data between layers (like Wireshark's pinfo fields) */
  readonly p: PinfoScratch = {};

  constructor(
    readonly meta: FrameMeta,
    bytes: Uint8Array,
    readonly session: Session,
    /** true while the capture is read sequentially the first time (analysis state is built) */
    readonly firstPass: boolean,
    /** build display texts (tree view); false for filtering and fields */
    readonly tree: boolean,
    /**
     * Which items to keep: 'all' builds the whole tree; 'none' keeps no items (the fast first pass that only
     * builds analysis state and columns); a set of field ids keeps just those, flat (evaluating a filter).
     */
    readonly keep: 'all' | 'none' | ReadonlySet<number> = 'all',
  ) {
    this.sources = [{ name: 'Frame', bytes }];
  }

  get num(): number {
    return this.meta.num;
  }

  addSource(name: string, bytes: Uint8Array): Tvb {
    this.sources.push({ name, bytes });
    return new Tvb(bytes, this.sources.length - 1, 0);
  }

  private push(parent: Item | null, it: Item): Item {
    const keep = this.keep;
    if (keep === 'all') {
      if (parent && parent !== SCRATCH) (parent.children ??= []).push(it);
      else this.items.push(it);
      return it;
    }
    if (keep !== 'none' && keep.has(it.f.id)) {
      this.items.push(it);
      return it;
    }
    // Not kept: hand back an item nobody reads, so dissectors can still add children to it.
    return SCRATCH;
  }

  /** Add an item with an explicit value. */
  add(
    parent: Item | null,
    f: FieldDef,
    tvb: Tvb | null,
    off: number,
    len: number,
    v: Value | undefined,
    text?: string,
    flags = 0,
  ): Item {
    return this.push(parent, {
      f,
      v,
      src: tvb ? tvb.src : 0,
      start: tvb ? tvb.base + off : 0,
      len: tvb ? len : 0,
      text,
      flags,
      children: null,
    });
  }

  /** Add an item whose value is read from the bytes according to the field's type (big-endian). */
  item(parent: Item | null, f: FieldDef, tvb: Tvb, off: number, len: number, text?: string, flags = 0): Item {
    return this.add(parent, f, tvb, off, len, readValue(f, tvb, off, len), text, flags);
  }

  /** A generated item ([in brackets] in Wireshark): no bytes of its own unless given. */
  gen(parent: Item | null, f: FieldDef, v: Value | undefined, text?: string): Item {
    return this.add(parent, f, null, 0, 0, v, text, GENERATED);
  }

  hidden(parent: Item | null, f: FieldDef, tvb: Tvb | null, off: number, len: number, v: Value | undefined): Item {
    return this.add(parent, f, tvb, off, len, v, undefined, HIDDEN);
  }

  text(parent: Item | null, tvb: Tvb | null, off: number, len: number, text: string): Item {
    return this.add(parent, TEXT, tvb, off, len, undefined, text);
  }

  /** Start a protocol layer: adds the protocol item and records it in frame.protocols. */
  proto(parent: Item | null, f: FieldDef, tvb: Tvb, off: number, len: number, text?: string): Item {
    this.layers.push(f.abbrev);
    const avail = Math.max(0, Math.min(len < 0 ? tvb.length - off : len, tvb.length - off));
    return this.add(parent, f, tvb, off, avail, undefined, text);
  }

  /** Add expert info under `parent`, as Wireshark does (a generated subtree). */
  expert(parent: Item | null, severity: Severity, group: ExpertGroup, message: string, abbrev?: FieldDef): Item {
    this.experts.push({ severity, group, message, abbrev: abbrev?.abbrev });
    const head = abbrev ?? EXPERT;
    const it = this.add(
      parent,
      head,
      null,
      0,
      0,
      undefined,
      this.tree ? `Expert Info (${SEVERITY_NAME[severity]}/${GROUP_NAME[group]}): ${message}` : undefined,
      GENERATED,
    );
    const ex = this.gen(it, EXPERT, undefined, this.tree ? `Expert Info (${SEVERITY_NAME[severity]}/${GROUP_NAME[group]}): ${message}` : undefined);
    this.gen(ex, EXPERT_MESSAGE, message, message);
    this.gen(ex, EXPERT_SEVERITY, SEVERITY_VALUE[severity]);
    this.gen(ex, EXPERT_GROUP, GROUP_VALUE[group]);
    return it;
  }

  appendText(it: Item, s: string, standard: (it: Item) => string): void {
    if (!this.tree) return;
    it.text = (it.text ?? standard(it)) + s;
  }

  /**
   * Run a dissector, turning bounds errors into Wireshark's markers: a cut-short capture
   * gives "[Packet size limited during capture]", a bad length gives "[Malformed Packet]".
   * Returns false if the dissector threw.
   */
  guard(protoName: string, fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (e) {
      if (e instanceof TruncatedError) {
        this.add(null, SHORT, null, 0, 0, undefined, `[Packet size limited during capture: ${protoName} truncated]`);
        this.info.append('[Packet size limited during capture]'); // tshark adds no space here
      } else if (e instanceof MalformedError) {
        this.layers.push('_ws.malformed');
        this.add(null, MALFORMED, null, 0, 0, undefined, `[Malformed Packet: ${protoName}]`);
        this.experts.push({ severity: 'error', group: 'malformed', message: 'Malformed Packet (Exception occurred)' });
        this.info.append('[Malformed Packet]'); // no space, as tshark
      } else {
        // A bug in a dissector must not lose the frame: report it like a malformed packet.
        this.layers.push('_ws.malformed');
        this.add(null, MALFORMED, null, 0, 0, undefined, `[Dissector bug, protocol ${protoName}: ${String(e)}]`);
        this.info.append(' [Dissector bug]');
      }
      return false;
    }
  }
}

/** Addresses and ports found so far, as Wireshark's pinfo (used by columns and conversations). */
export interface PinfoScratch {
  netSrc?: string;
  netDst?: string;
  /** L3 addresses in raw form for conversation keys */
  srcAddr?: Uint8Array | number;
  dstAddr?: Uint8Array | number;
  srcPort?: number;
  dstPort?: number;
  ipProto?: number;
  /** TTL/hop limit of the outermost IP header */
  ttl?: number;
  /** set while dissecting the payload of an ICMP error (quoted header): no analysis, no conversations */
  inError?: boolean;
  dlSrc?: string;
  dlDst?: string;
  /** set by TCP before it calls a payload dissector: the dissector may ask for more bytes */
  canDesegment?: boolean;
  /**
   * Set by a payload dissector that needs more bytes: where its unfinished PDU starts within the tvb it
   * was given, and how many more bytes it needs (DESEGMENT_ONE_MORE_SEGMENT when unknown).
   */
  desegmentOffset?: number;
  desegmentLen?: number;
  [k: string]: unknown;
}

export function readValue(f: FieldDef, tvb: Tvb, off: number, len: number): Value | undefined {
  switch (f.type) {
    case 'bool':
    case 'uint':
    case 'int':
    case 'framenum': {
      let v: number;
      switch (len) {
        case 1:
          v = tvb.u8(off);
          break;
        case 2:
          v = tvb.u16(off);
          break;
        case 3:
          v = tvb.u24(off);
          break;
        case 4:
          v = tvb.u32(off);
          break;
        default: {
          // wider integers: read as many bytes as fit in 2^53
          tvb.check(off, len);
          v = 0;
          for (let i = 0; i < len; i++) v = v * 256 + tvb.bytes[off + i]!;
        }
      }
      if (f.mask) v = Math.floor((v & f.mask) >>> 0) / 2 ** f.shift;
      if (f.type === 'int' && f.bits && !f.mask) {
        const top = 2 ** (f.bits - 1);
        if (v >= top) v -= 2 * top;
      }
      return f.type === 'bool' ? (v ? 1 : 0) : v;
    }
    case 'ipv4':
      return tvb.u32(off);
    case 'ipv6':
    case 'ether':
    case 'bytes':
      return tvb.slice(off, len);
    case 'string':
      return tvb.ascii(off, len);
    case 'protocol':
    case 'none':
      return undefined;
    case 'float':
    case 'time_abs':
    case 'time_rel':
      throw new Error(`readValue: ${f.abbrev} of type ${f.type} needs an explicit value`);
  }
}
