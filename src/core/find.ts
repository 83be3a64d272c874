// Find Packet's matching primitives (Edit › Find Packet): a hex value parsed as the find bar takes it, a byte
// sequence looked for in a frame's bytes (ASCII letters folded when the search ignores case, as Wireshark does
// for its narrow strings), and the visible tree labels of a packet in the order the details pane shows them.
// The search over the displayed packets runs in the worker (src/worker/find.ts).
import { HIDDEN, type Item } from './dissect/packet';
import { itemLabel } from './dissect/label';

export type HexParse = { ok: true; bytes: Uint8Array } | { ok: false; message: string; start: number; end: number };

/** Separators allowed between (or within runs of) hex digits: "47:45:54", "47 45 54", "47-45-54", "474554". */
const SEPARATOR = /[\s:.-]/;

/** Parse a hex value: pairs of hex digits, optionally separated; positions of a mistake are in `text`. */
export function parseHex(text: string): HexParse {
  const out: number[] = [];
  let half = -1;
  let halfAt = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (SEPARATOR.test(c)) {
      if (half >= 0) return { ok: false, message: 'A byte needs two hex digits.', start: halfAt, end: i };
      continue;
    }
    const d = parseInt(c, 16);
    if (Number.isNaN(d)) return { ok: false, message: `"${c}" is not a hex digit.`, start: i, end: i + 1 };
    if (half < 0) {
      half = d;
      halfAt = i;
    } else {
      out.push(half * 16 + d);
      half = -1;
    }
  }
  if (half >= 0) return { ok: false, message: 'A byte needs two hex digits.', start: halfAt, end: text.length };
  if (!out.length) return { ok: false, message: 'Enter the bytes to find, e.g. 47:45:54.', start: 0, end: text.length };
  return { ok: true, bytes: Uint8Array.from(out) };
}

/** ASCII upper-case letters to lower case (other bytes, UTF-8 sequences included, stay). */
function fold(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
}

function matchesAt(hay: Uint8Array, needle: Uint8Array, at: number, caseless: boolean): boolean {
  for (let j = 0; j < needle.length; j++) {
    const a = hay[at + j]!;
    const b = needle[j]!;
    if (a !== b && !(caseless && fold(a) === fold(b))) return false;
  }
  return true;
}

/**
 * Where `needle` occurs in `hay`: the first start ≥ `from` (forward) or the last start ≤ `from` (backward);
 * -1 when it does not.
 */
export function findBytes(hay: Uint8Array, needle: Uint8Array, from: number, backward: boolean, caseless: boolean): number {
  const last = hay.length - needle.length;
  if (!needle.length || last < 0) return -1;
  if (backward) {
    for (let i = Math.min(from, last); i >= 0; i--) if (matchesAt(hay, needle, i, caseless)) return i;
  } else {
    for (let i = Math.max(0, from); i <= last; i++) if (matchesAt(hay, needle, i, caseless)) return i;
  }
  return -1;
}

/** A visible tree item: its label and its path of child indices among the visible items (as the page's tree). */
export interface LabelledItem {
  label: string;
  path: number[];
}

/** The visible (not hidden) items of a tree in pre-order, the order the details pane lists them when expanded. */
export function visibleLabels(items: readonly Item[]): LabelledItem[] {
  const out: LabelledItem[] = [];
  const walk = (list: readonly Item[], path: number[]) => {
    let i = 0;
    for (const it of list) {
      if (it.flags & HIDDEN) continue;
      const p = [...path, i++];
      let label: string;
      try {
        label = itemLabel(it);
      } catch {
        label = it.f.name;
      }
      out.push({ label, path: p });
      if (it.children) walk(it.children, p);
    }
  };
  walk(items, []);
  return out;
}

/** Whether `hay` contains `needle` (case folded by the locale-independent lower case when not case sensitive). */
export function includesText(hay: string, needle: string, caseSensitive: boolean): boolean {
  return caseSensitive ? hay.includes(needle) : hay.toLowerCase().includes(needle.toLowerCase());
}
