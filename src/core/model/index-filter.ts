// Display filters answered from the frame index (FrameTable + HeaderIndex + first-pass stream numbers)
// without dissecting: the compiled filter runs on a stand-in packet whose items come from typed arrays.
import type { CompiledFilter, Plan } from '../filter';
import { getField, type FieldDef } from '../fields/registry';
import type { Item, Packet } from '../dissect/packet';
import type { FrameTable } from './frames';
import { F_COMPLEX, F_ETH, F_ICMP, F_ICMP6, F_IP4, F_IP6, F_TCP, F_UDP, type HeaderIndex } from './header-index';

/** What the index knows. Stream numbers exist only for frames the first (dissection) pass has seen. */
export interface IndexView {
  frames: FrameTable;
  hdr: HeaderIndex;
  /** tcp.stream + 1 by frame number (0: none), from the first pass */
  tcpStream?: (num: number) => number;
  /** udp.stream + 1 by frame number (0: none), from the first pass */
  udpStream?: (num: number) => number;
}

type Push = (v: number | Uint8Array) => void;
/** Push the field's values for row i (frame i + 1) whose kind bits are `k`. */
type Fill = (x: IndexView, i: number, k: number, push: Push) => void;

interface Spec {
  /** kind bit the frame must have for the field to be present (0: always) */
  need: number;
  fill: Fill;
  /** needs the first pass (stream numbers) */
  analysis?: boolean;
  /** the field's one value (or two, with `get2`) whenever `need` holds: read without a callback */
  get?: Get;
  get2?: Get;
  /** the typed arrays `get` and `get2` read, indexed by row: scanned a chunk at a time without a call per row */
  col?: Col;
  col2?: Col;
}
type Get = (x: IndexView, i: number) => number | Uint8Array;
type Col = (x: IndexView) => ArrayLike<number>;

const one = (need: number, get: Get): Spec => ({
  need,
  fill: (x, i, _k, push) => push(get(x, i)),
  get,
});
/** a field that is one typed-array column */
const column = (need: number, col: Col): Spec => ({ ...one(need, (x, i) => col(x)[i]!), col });
const two = (need: number, a: Get, b: Get): Spec => ({
  need,
  fill: (x, i, _k, push) => {
    push(a(x, i));
    push(b(x, i));
  },
  get: a,
  get2: b,
});
/** a field whose two occurrences are two columns (source and destination) */
const columns = (need: number, a: Col, b: Col): Spec => ({
  ...two(need, (x, i) => a(x)[i]!, (x, i) => b(x)[i]!),
  col: a,
  col2: b,
});
const flag = (mask: number): Spec => one(F_TCP, (x, i) => (x.hdr.tcpFlags[i]! & mask ? 1 : 0));
const present = (need: number): Spec => ({ need, fill: (_x, _i, _k, push) => push(0), get: () => 0 });

const ip6 = (x: IndexView, id: number) => x.hdr.ip6Table[id]!;

const SPECS: Record<string, Spec> = {
  frame: present(0),
  'frame.number': one(0, (_x, i) => i + 1),
  'frame.len': column(0, (x) => x.frames.origLen),
  'frame.cap_len': column(0, (x) => x.frames.capLen),
  eth: present(F_ETH),
  ip: present(F_IP4),
  'ip.src': column(F_IP4, (x) => x.hdr.ip4Src),
  'ip.dst': column(F_IP4, (x) => x.hdr.ip4Dst),
  'ip.addr': columns(F_IP4, (x) => x.hdr.ip4Src, (x) => x.hdr.ip4Dst),
  'ip.proto': column(F_IP4, (x) => x.hdr.proto),
  'ip.ttl': column(F_IP4, (x) => x.hdr.ttl),
  'ip.len': column(F_IP4, (x) => x.hdr.ipLen),
  'ip.id': column(F_IP4, (x) => x.hdr.ipId),
  'ip.hdr_len': column(F_IP4, (x) => x.hdr.ipHdr),
  // IPv6 headers carry ip.version too
  'ip.version': { need: 0, fill: (_x, _i, k, push) => (k & F_IP4 ? push(4) : k & F_IP6 ? push(6) : undefined) },
  ipv6: present(F_IP6),
  'ipv6.src': one(F_IP6, (x, i) => ip6(x, x.hdr.ip6Src[i]!)),
  'ipv6.dst': one(F_IP6, (x, i) => ip6(x, x.hdr.ip6Dst[i]!)),
  'ipv6.addr': two(F_IP6, (x, i) => ip6(x, x.hdr.ip6Src[i]!), (x, i) => ip6(x, x.hdr.ip6Dst[i]!)),
  'ipv6.nxt': column(F_IP6, (x) => x.hdr.proto),
  'ipv6.hlim': column(F_IP6, (x) => x.hdr.ttl),
  'ipv6.plen': column(F_IP6, (x) => x.hdr.ipLen),
  tcp: present(F_TCP),
  'tcp.srcport': column(F_TCP, (x) => x.hdr.sport),
  'tcp.dstport': column(F_TCP, (x) => x.hdr.dport),
  'tcp.port': columns(F_TCP, (x) => x.hdr.sport, (x) => x.hdr.dport),
  'tcp.seq_raw': column(F_TCP, (x) => x.hdr.tcpSeq),
  'tcp.ack_raw': column(F_TCP, (x) => x.hdr.tcpAck),
  'tcp.hdr_len': column(F_TCP, (x) => x.hdr.tcpHdr),
  'tcp.len': column(F_TCP, (x) => x.hdr.l4Len),
  'tcp.window_size_value': column(F_TCP, (x) => x.hdr.tcpWin),
  'tcp.flags': column(F_TCP, (x) => x.hdr.tcpFlags),
  'tcp.flags.fin': flag(0x001),
  'tcp.flags.syn': flag(0x002),
  'tcp.flags.reset': flag(0x004),
  'tcp.flags.push': flag(0x008),
  'tcp.flags.ack': flag(0x010),
  'tcp.flags.urg': flag(0x020),
  'tcp.flags.ece': flag(0x040),
  'tcp.flags.cwr': flag(0x080),
  'tcp.flags.ae': flag(0x100),
  'tcp.stream': {
    need: F_TCP,
    analysis: true,
    fill: (x, i, _k, push) => {
      const s = x.tcpStream?.(i + 1) ?? 0;
      if (s) push(s - 1);
    },
  },
  udp: present(F_UDP),
  'udp.srcport': column(F_UDP, (x) => x.hdr.sport),
  'udp.dstport': column(F_UDP, (x) => x.hdr.dport),
  'udp.port': columns(F_UDP, (x) => x.hdr.sport, (x) => x.hdr.dport),
  'udp.length': column(F_UDP, (x) => x.hdr.l4Len),
  'udp.stream': {
    need: F_UDP,
    analysis: true,
    fill: (x, i, _k, push) => {
      const s = x.udpStream?.(i + 1) ?? 0;
      if (s) push(s - 1);
    },
  },
  icmp: present(F_ICMP),
  icmpv6: present(F_ICMP6),
};

/** The fields the index can answer for plain frames. */
export const INDEXED_FIELDS: readonly string[] = Object.keys(SPECS);

/** How to push an indexed field's values for plain row i (nothing when the frame has not got the field). */
export function indexFiller(abbrev: string): (x: IndexView, i: number, push: Push) => void {
  const spec = SPECS[abbrev];
  if (!spec) throw new Error(`${abbrev} is not indexed`);
  const { need, fill } = spec;
  return (x, i, push) => {
    const k = x.hdr.kind[i]!;
    if (!need || k & need) fill(x, i, k, push);
  };
}

/** Values of an indexed field for row i, or null when the frame must be dissected to know. */
export function indexedValues(x: IndexView, abbrev: string, i: number): (number | Uint8Array)[] | null {
  const spec = SPECS[abbrev];
  const k = x.hdr.kind[i]!;
  if (!spec || k & F_COMPLEX) return null;
  const out: (number | Uint8Array)[] = [];
  if (spec.need && !(k & spec.need)) return out;
  spec.fill(x, i, k, (v) => out.push(v));
  return out;
}

/** Row i (frame i + 1) with kind bits k passes. */
type RowTest = (x: IndexView, i: number, k: number) => boolean;

/**
 * A filter's plan (see Plan in filter/compile.ts) as a test over the typed arrays: no packet, no items, no
 * allocation per frame, so a million frames take milliseconds. Null when a field is not in the index.
 */
function planTest(plan: Plan): RowTest | null {
  switch (plan.k) {
    case 'and': {
      const a = planTest(plan.a), b = planTest(plan.b);
      return a && b && ((x, i, k) => a(x, i, k) && b(x, i, k));
    }
    case 'or': {
      const a = planTest(plan.a), b = planTest(plan.b);
      return a && b && ((x, i, k) => a(x, i, k) || b(x, i, k));
    }
    case 'not': {
      const a = planTest(plan.a);
      return a && ((x, i, k) => !a(x, i, k));
    }
    case 'exists':
    case 'values': {
      const spec = SPECS[plan.f.abbrev];
      if (!spec || getField(plan.f.abbrev) !== plan.f) return null;
      const need = spec.need;
      const { get, get2 } = spec;
      if (plan.k === 'exists') {
        if (get) return need ? (_x, _i, k) => (k & need) !== 0 : () => true;
        return (x, i, k) => {
          if (need && !(k & need)) return false;
          let n = 0;
          spec.fill(x, i, k, () => n++);
          return n > 0;
        };
      }
      // a protocol's value is its bytes: the index knows only that it is there
      if (plan.f.type === 'protocol') return null;
      const { test, all } = plan;
      if (get && get2) {
        return all
          ? (x, i, k) => (!need || (k & need) !== 0) && test(get(x, i)) && test(get2(x, i))
          : (x, i, k) => (!need || (k & need) !== 0) && (test(get(x, i)) || test(get2(x, i)));
      }
      if (get) return (x, i, k) => (!need || (k & need) !== 0) && test(get(x, i));
      const vals: (number | Uint8Array)[] = [];
      const push = (v: number | Uint8Array) => void vals.push(v);
      return (x, i, k) => {
        if (need && !(k & need)) return false;
        while (vals.length) vals.pop();
        spec.fill(x, i, k, push);
        if (!vals.length) return false;
        return all ? vals.every(test) : vals.some(test);
      };
    }
  }
}

/** Marks out[j] = 1 when row from + j passes, else 0, for the rows [from, to) (at most CHUNK of them). */
type ChunkTest = (x: IndexView, from: number, to: number, out: Uint8Array) => void;

/** rows a chunk test takes at once (its masks are this long) */
export const CHUNK = 4096;

/**
 * A plan as tests over whole chunks of rows: a leaf on one column is one tight loop over its typed array,
 * and/or/not combine masks, so there is no call per row and node (a million rows in a few milliseconds).
 * Leaves without a column run their row test per row.
 */
function planChunks(plan: Plan): ChunkTest | null {
  switch (plan.k) {
    case 'and':
    case 'or': {
      const a = planChunks(plan.a), b = planChunks(plan.b);
      if (!a || !b) return null;
      const tmp = new Uint8Array(CHUNK);
      const and = plan.k === 'and';
      return (x, from, to, out) => {
        a(x, from, to, out);
        b(x, from, to, tmp);
        const n = to - from;
        if (and) for (let j = 0; j < n; j++) out[j]! &= tmp[j]!;
        else for (let j = 0; j < n; j++) out[j]! |= tmp[j]!;
      };
    }
    case 'not': {
      const a = planChunks(plan.a);
      return (
        a &&
        ((x, from, to, out) => {
          a(x, from, to, out);
          for (let j = 0, n = to - from; j < n; j++) out[j]! ^= 1;
        })
      );
    }
    case 'exists':
    case 'values': {
      const spec = SPECS[plan.f.abbrev];
      const row = planTest(plan);
      if (!spec || !row) return null;
      const need = spec.need;
      if (plan.k === 'values' && spec.col) {
        const { test, all } = plan;
        const { col, col2 } = spec;
        // one loop per shape, so none branches on the shape per row
        if (!col2)
          return (x, from, to, out) => {
            const kind = x.hdr.kind;
            const c = col(x);
            for (let i = from, j = 0; i < to; i++, j++) out[j] = (need === 0 || (kind[i]! & need) !== 0) && test(c[i]!) ? 1 : 0;
          };
        if (all)
          return (x, from, to, out) => {
            const kind = x.hdr.kind;
            const c = col(x), c2 = col2(x);
            for (let i = from, j = 0; i < to; i++, j++) out[j] = (need === 0 || (kind[i]! & need) !== 0) && test(c[i]!) && test(c2[i]!) ? 1 : 0;
          };
        return (x, from, to, out) => {
          const kind = x.hdr.kind;
          const c = col(x), c2 = col2(x);
          for (let i = from, j = 0; i < to; i++, j++) out[j] = (need === 0 || (kind[i]! & need) !== 0) && (test(c[i]!) || test(c2[i]!)) ? 1 : 0;
        };
      }
      return (x, from, to, out) => {
        const kind = x.hdr.kind;
        for (let i = from, j = 0; i < to; i++, j++) out[j] = row(x, i, kind[i]!) ? 1 : 0;
      };
    }
  }
}

/** A filter evaluated on the index; `match` is valid only for frames without F_COMPLEX. */
export class IndexMatcher {
  /** the filter reads stream numbers (valid only for frames the first pass has seen) */
  readonly analysis: boolean;
  private readonly slots: { f: FieldDef; spec: Spec; pool: Item[] }[];
  private readonly items: Item[] = [];
  private readonly pkt: Packet;

  private constructor(
    private readonly filter: CompiledFilter,
    specs: { f: FieldDef; spec: Spec }[],
  ) {
    this.analysis = specs.some((s) => s.spec.analysis);
    this.slots = specs.map((s) => ({ ...s, pool: [] }));
    this.pkt = { items: this.items, sources: [] } as unknown as Packet;
    this.fast = filter.plan ? planTest(filter.plan) : null;
    this.chunks = filter.plan && this.fast ? planChunks(filter.plan) : null;
  }

  private readonly chunks: ChunkTest | null;

  /**
   * Test rows [from, to) (to - from ≤ CHUNK) at once into `out` (1: passes); only for a planned matcher,
   * and valid only for rows without F_COMPLEX.
   */
  matchChunk(x: IndexView, from: number, to: number, out: Uint8Array): void {
    if (this.chunks) this.chunks(x, from, to, out);
    else for (let i = from; i < to; i++) out[i - from] = this.match(x, i) ? 1 : 0;
  }

  /** the filter as a test over the typed arrays, when its plan allows (else items are made per frame) */
  private readonly fast: RowTest | null;
  get planned(): boolean {
    return this.fast !== null;
  }

  /** A matcher for `filter`, or null when some field it reads is not in the index. */
  static for(filter: CompiledFilter): IndexMatcher | null {
    if (filter.usesLayers || filter.text.includes('${')) return null;
    const specs: { f: FieldDef; spec: Spec }[] = [];
    for (const f of filter.fields) {
      const spec = SPECS[f.abbrev];
      if (!spec || getField(f.abbrev) !== f) return null;
      // a protocol's value is its bytes: only its presence is indexed
      if (f.type === 'protocol' && filter.valued.has(f.id)) return null;
      specs.push({ f, spec });
    }
    return new IndexMatcher(filter, specs);
  }

  /** Test row i (frame i + 1); the caller makes sure it is not F_COMPLEX. */
  match(x: IndexView, i: number): boolean {
    const k = x.hdr.kind[i]!;
    if (this.fast) return this.fast(x, i, k);
    const items = this.items;
    items.length = 0;
    for (const s of this.slots) {
      if (s.spec.need && !(k & s.spec.need)) continue;
      let n = 0;
      s.spec.fill(x, i, k, (v) => {
        let it = s.pool[n];
        if (!it) s.pool.push((it = { f: s.f, v: undefined, src: 0, start: 0, len: 0, text: undefined, flags: 0, children: null }));
        it.v = v;
        items.push(it);
        n++;
      });
    }
    return this.filter.match(this.pkt);
  }
}

/** Whether every field can be read from the index (stream numbers excluded: they need the first pass). */
export function allIndexed(fields: readonly FieldDef[]): boolean {
  return fields.every((f) => {
    const spec = SPECS[f.abbrev];
    return !!spec && !spec.analysis && f.type !== 'protocol' && getField(f.abbrev) === f;
  });
}

