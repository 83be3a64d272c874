// Find Packet and Go › Next/Previous Packet in Conversation, as the worker runs them: a query compiled into a
// per-frame matcher (a display filter; a hex value or a string in the frame's bytes; a string in the tree
// labels or the packet-list columns), then a search over the displayed packets from the selected one on, in
// either direction, wrapping round once. Free of worker globals: the session drives a FindRun in time slices
// (so a search can be cancelled) and tests run one to the end in Node.
import type { ColumnKind } from '../core/output/columns';
import type { TimeFormat } from '../core/time';
import { findBytes, includesText, parseHex, visibleLabels } from '../core/find';
import type { Packet } from '../core/dissect/packet';
import { compile, type DisplayFilter } from './filter';

export type FindScope = 'list' | 'details' | 'bytes';

export type FindQuery =
  | { kind: 'filter'; text: string }
  | { kind: 'hex'; text: string }
  /** `columns` and `time` say what the packet list shows (scope 'list'): its columns and the Time column's format */
  | { kind: 'string'; text: string; scope: FindScope; caseSensitive: boolean; columns?: ColumnKind[]; time?: TimeFormat }
  /** the packets of the conversation of the `from` frame (TCP/UDP stream, else IP pair, else Ethernet pair) */
  | { kind: 'conversation' };

export type FindDirection = 'next' | 'prev';

/** Where the search starts: the selected frame, and in it the match shown (to go on past it). */
export interface FindFrom {
  frame: number;
  /** the `pos` of the match shown in this frame (bytes and details searches go on within the frame) */
  pos?: number;
}

export interface FindMatch {
  frame: number;
  /** a byte offset in the frame (bytes searches), a tree item's pre-order index (details), else -1 */
  pos: number;
  /** bytes found: how many, from `pos` in the frame's bytes */
  len?: number;
  /** the tree item found: its child indices from the roots, in the tree the page shows (hidden items left out) */
  path?: number[];
}

export type FindAnswer =
  | { kind: 'found'; match: FindMatch; wrapped: boolean }
  /** every displayed packet was searched */
  | { kind: 'none' }
  /** the query is not valid (positions in its text, as the filter compiler gives them) */
  | { kind: 'invalid'; message: string; start: number; end: number };

/** What a search sees of the capture: the displayed frames and ways to look at one. */
export interface FindSource {
  /** how many frames are displayed */
  readonly count: number;
  /** frame number of displayed row `i` (ascending in `i`) */
  frameAt(i: number): number;
  bytes(num: number): Uint8Array;
  /** the frame dissected with its whole tree (the first pass having reached it) */
  tree(num: number): Packet;
  /** the packet-list column texts as the page shows them (the default columns and relative time when not given) */
  columns(num: number, columns?: readonly ColumnKind[], time?: TimeFormat): string[];
  /** test a frame against a display filter (on the header index when it can) */
  matches(f: DisplayFilter, num: number): boolean;
}

/**
 * The match in frame `num`, going on from `after` (a pos of an earlier match in the same frame: strictly
 * past it in the search direction); `after` undefined = the first (or, backward, the last) in the frame.
 */
export type FrameMatcher = (num: number, after: number | undefined, backward: boolean) => FindMatch | null;

export interface CompiledFind {
  match: FrameMatcher;
  /** matches have positions within a frame (several per frame) */
  positional: boolean;
}

export type FindCompile = { ok: true; find: CompiledFind } | { ok: false; message: string; start: number; end: number };

/** The bytes of a string as a narrow (UTF-8) string is in a packet. */
const utf8 = new TextEncoder();

function bytesMatcher(src: FindSource, needle: Uint8Array, caseless: boolean): CompiledFind {
  return {
    positional: true,
    match: (num, after, backward) => {
      const hay = src.bytes(num);
      const from = after === undefined ? (backward ? hay.length : 0) : backward ? after - 1 : after + 1;
      const at = findBytes(hay, needle, from, backward, caseless);
      return at < 0 ? null : { frame: num, pos: at, len: needle.length };
    },
  };
}

/** Compile a query (a conversation query needs its filter first: see conversationFilter in analysis.ts). */
export function compileFind(q: Exclude<FindQuery, { kind: 'conversation' }>, src: FindSource): FindCompile {
  const text = q.text;
  switch (q.kind) {
    case 'filter': {
      if (!text.trim()) return { ok: false, message: 'Enter a display filter to find.', start: 0, end: 0 };
      const r = compile(text.trim());
      const lead = text.length - text.trimStart().length;
      if (!r.ok) return { ok: false, message: r.error.message, start: r.error.start + lead, end: r.error.end + lead };
      const f = r.filter;
      return { ok: true, find: { positional: false, match: (num) => (src.matches(f, num) ? { frame: num, pos: -1 } : null) } };
    }
    case 'hex': {
      const h = parseHex(text);
      if (!h.ok) return h;
      return { ok: true, find: bytesMatcher(src, h.bytes, false) };
    }
    case 'string': {
      if (!text) return { ok: false, message: 'Enter the text to find.', start: 0, end: 0 };
      switch (q.scope) {
        case 'bytes':
          return { ok: true, find: bytesMatcher(src, utf8.encode(text), !q.caseSensitive) };
        case 'list':
          return {
            ok: true,
            find: {
              positional: false,
              match: (num) => (src.columns(num, q.columns, q.time).some((c) => includesText(c, text, q.caseSensitive)) ? { frame: num, pos: -1 } : null),
            },
          };
        case 'details':
          return {
            ok: true,
            find: {
              positional: true,
              match: (num, after, backward) => {
                const items = visibleLabels(src.tree(num).items);
                const first = after === undefined ? (backward ? items.length - 1 : 0) : backward ? after - 1 : after + 1;
                for (let i = first; i >= 0 && i < items.length; i += backward ? -1 : 1) {
                  if (includesText(items[i]!.label, text, q.caseSensitive)) return { frame: num, pos: i, path: items[i]!.path };
                }
                return null;
              },
            },
          };
      }
    }
  }
}

/** A run of frames to visit: displayed rows a..b (inclusive, either way round), the first one past `after`. */
interface Leg {
  a: number;
  b: number;
  wrapped: boolean;
  after?: number;
}

/** First displayed row whose frame is ≥ `num` (`count` when none). */
export function lowerBound(src: FindSource, num: number): number {
  let lo = 0;
  let hi = src.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (src.frameAt(mid) < num) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The order Wireshark's find visits the displayed packets in: from the one after the selected packet (or
 * within it, past the match shown) to the end, then round from the other end back to the selected packet,
 * which is tried last. With nothing selected, from the first (or last) packet, without wrapping.
 */
function legs(src: FindSource, from: FindFrom | null, backward: boolean, positional: boolean): Leg[] {
  const n = src.count;
  if (!n) return [];
  if (!from) return [backward ? { a: n - 1, b: 0, wrapped: false } : { a: 0, b: n - 1, wrapped: false }];
  const k = lowerBound(src, from.frame);
  const shown = k < n && src.frameAt(k) === from.frame;
  const out: Leg[] = [];
  const leg = (a: number, b: number, wrapped: boolean) => {
    if (backward ? a >= b : a <= b) out.push({ a, b, wrapped });
  };
  if (!shown) {
    // the selected packet is hidden by the filter: start with its neighbour in the list
    if (backward) {
      leg(k - 1, 0, false);
      leg(n - 1, k, true);
    } else {
      leg(k, n - 1, false);
      leg(0, k - 1, true);
    }
    return out;
  }
  if (positional && from.pos !== undefined) out.push({ a: k, b: k, wrapped: false, after: from.pos });
  if (backward) {
    leg(k - 1, 0, false);
    leg(n - 1, k + 1, true);
  } else {
    leg(k + 1, n - 1, false);
    leg(0, k - 1, true);
  }
  out.push({ a: k, b: k, wrapped: true });
  return out;
}

/** One search, run in steps; `step` returns the answer once it has one. */
export class FindRun {
  private readonly legs: Leg[];
  private leg = 0;
  /** the next row of the current leg */
  private row: number;
  /** frames tested so far */
  searched = 0;
  /** frames a whole search visits */
  readonly total: number;
  private readonly backward: boolean;

  constructor(
    private readonly src: FindSource,
    private readonly find: CompiledFind,
    from: FindFrom | null,
    dir: FindDirection,
  ) {
    this.backward = dir === 'prev';
    this.legs = legs(src, from, this.backward, find.positional);
    this.row = this.legs[0]?.a ?? 0;
    this.total = this.legs.reduce((t, l) => t + Math.abs(l.b - l.a) + 1, 0);
  }

  /** Test frames until `stop()` says so (checked after each frame); null while the search goes on. */
  step(stop: () => boolean = () => false): FindAnswer | null {
    const d = this.backward ? -1 : 1;
    while (this.leg < this.legs.length) {
      const l = this.legs[this.leg]!;
      const num = this.src.frameAt(this.row);
      const first = this.row === l.a;
      let m: FindMatch | null = null;
      try {
        m = this.find.match(num, first ? l.after : undefined, this.backward);
      } catch {
        // a frame the dissectors fail on does not match
      }
      this.searched++;
      if (m) return { kind: 'found', match: m, wrapped: l.wrapped };
      if (this.row === l.b) {
        this.leg++;
        this.row = this.legs[this.leg]?.a ?? 0;
      } else this.row += d;
      if (stop()) return null;
    }
    return { kind: 'none' };
  }
}
