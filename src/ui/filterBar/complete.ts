// Filter-bar autocomplete: what to offer at the caret. Pure functions over the field list the worker
// sends (no DOM, no dissectors), fast enough to run on every keystroke over tens of thousands of fields:
// the names are sorted once, a prefix is two binary searches, and only the matches are ranked.
import type { FieldInfo } from '../../worker/protocol';

export interface Completion {
  kind: 'field' | 'value';
  /** what the list shows in its first column (abbrev or value name) */
  label: string;
  /** the text that replaces [start, end) */
  insert: string;
  /** the field's display name (for values: the field it belongs to) */
  name: string;
  /** the field's type name */
  type: string;
  description?: string;
  /** how many leading characters of `label` the typed text matched (0 = matched inside) */
  matched: number;
}

export interface CompletionList {
  items: Completion[];
  /** the span of the text the accepted item replaces */
  start: number;
  end: number;
  /** matches in all (items may be capped) */
  total: number;
}

/** Characters of a field or protocol name (Wireshark also allows '-', as in mac-lte). */
const TOKEN = /[A-Za-z0-9_.-]/;
const BARE_VALUE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** comparison operators after which a value is expected */
const CMP_BEFORE = /(?:===|!==|==|!=|~=|\b(?:eq|ne|any_eq|all_eq|any_ne|all_ne))\s*$/;

export class FieldIndex {
  readonly fields: readonly FieldInfo[];
  private readonly lower: string[];
  /** '.' + the lower-case name with '_' as '.': a word start is where '.' + word occurs */
  private readonly words: string[];
  /** dots in each name (its depth) */
  private readonly dots: Uint8Array;
  private readonly byAbbrev = new Map<string, FieldInfo>();

  constructor(fields: readonly FieldInfo[]) {
    const sorted = fields.map((f) => ({ f, l: f.abbrev.toLowerCase() })).sort((a, b) => (a.l < b.l ? -1 : a.l > b.l ? 1 : 0));
    this.fields = sorted.map((x) => x.f);
    this.lower = sorted.map((x) => x.l);
    this.words = sorted.map((x) => '.' + x.l.replace(/_/g, '.'));
    this.dots = Uint8Array.from(sorted, (x) => Math.min(255, x.l.split('.').length - 1));
    for (const f of fields) this.byAbbrev.set(f.abbrev, f);
  }

  get(abbrev: string): FieldInfo | undefined {
    return this.byAbbrev.get(abbrev);
  }

  /** Indices [lo, hi) of the names starting with `prefix` (lower case). */
  prefixRange(prefix: string): [number, number] {
    const a = this.lower;
    let lo = 0,
      hi = a.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (a[m]! < prefix) lo = m + 1;
      else hi = m;
    }
    const start = lo;
    hi = a.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (a[m]!.startsWith(prefix) || a[m]! < prefix) lo = m + 1;
      else hi = m;
    }
    return [start, lo];
  }

  /** Fields whose name starts with `prefix` (shallow names first), then those containing it. */
  match(prefix: string, limit: number): { items: FieldInfo[]; matched: number[]; total: number } {
    const p = prefix.toLowerCase();
    const [lo, hi] = this.prefixRange(p);
    // shallow names first (tcp.port before tcp.flags.syn), alphabetical within a depth: a pass over the
    // range per depth, comparing precomputed dot counts, until `limit` are found
    let pd = 0;
    for (let j = 0; j < p.length; j++) if (p.charCodeAt(j) === 46) pd++;
    let maxDots = pd;
    for (let i = lo; i < hi; i++) if (this.dots[i]! > maxDots) maxDots = this.dots[i]!;
    const items: FieldInfo[] = [];
    const matched: number[] = [];
    let total = hi - lo;
    for (let d = pd; d <= maxDots && items.length < limit; d++) {
      for (let i = lo; i < hi && items.length < limit; i++) {
        if (this.dots[i] !== d) continue;
        items.push(this.fields[i]!);
        matched.push(prefix.length);
      }
    }
    // a name typed from one of its words ("srcport" → tcp.srcport, udp.srcport) once it is specific
    // enough: matches at the start of a dot- or underscore-separated part
    // (not looked for once the names starting with it fill the list; the count is then of those)
    if (p.length >= 3 && !p.includes('.') && items.length < limit) {
      const dp = '.' + p;
      for (let i = 0; i < this.lower.length && items.length < limit; i++) {
        if (i >= lo && i < hi) continue;
        if (this.words[i]!.includes(dp)) {
          total++;
          items.push(this.fields[i]!);
          matched.push(0);
        }
      }
    }
    return { items, matched, total };
  }
}

/** Is position `pos` inside a double-quoted string? (returns the opening quote's index, or -1) */
function openQuote(text: string, pos: number): number {
  let q = -1;
  for (let i = 0; i < pos; i++) {
    const c = text[i];
    if (q >= 0) {
      if (c === '\\') i++;
      else if (c === '"') q = -1;
    } else if (c === '"') q = i;
  }
  return q;
}

/** A value name as a filter literal: bare when it lexes as one word, else a quoted string. */
export function valueLiteral(name: string): string {
  if (BARE_VALUE.test(name)) return name;
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The completions at `caret`: field and protocol names while one is being typed, or the value names
 * of the field on the left of a comparison. null when there is nothing to offer.
 */
export function completionsAt(text: string, caret: number, index: FieldIndex, limit = 200): CompletionList | null {
  const q = openQuote(text, caret);
  let start = caret;
  if (q < 0) while (start > 0 && TOKEN.test(text[start - 1]!)) start--;
  const valueStart = q >= 0 ? q : start;

  // a value after "field ==": the field's value names
  const before = text.slice(0, valueStart);
  const cmp = CMP_BEFORE.exec(before);
  if (cmp) {
    let fe = cmp.index;
    while (fe > 0 && /\s/.test(text[fe - 1]!)) fe--;
    let fs = fe;
    while (fs > 0 && TOKEN.test(text[fs - 1]!)) fs--;
    const f = index.get(text.slice(fs, fe));
    if (!f?.values?.length) return null;
    const typed = (q >= 0 ? text.slice(q + 1, caret) : text.slice(start, caret)).toLowerCase();
    let end = caret;
    if (q >= 0) {
      const close = text.indexOf('"', caret);
      end = close >= 0 ? close + 1 : text.length;
    } else while (end < text.length && TOKEN.test(text[end]!)) end++;
    const starts: Completion[] = [];
    const inside: Completion[] = [];
    for (const v of f.values) {
      const l = v.toLowerCase();
      const at = typed ? l.indexOf(typed) : 0;
      if (at < 0) continue;
      const c: Completion = { kind: 'value', label: v, insert: valueLiteral(v), name: `${f.abbrev} value`, type: f.name, matched: at === 0 ? typed.length : 0 };
      (at === 0 ? starts : inside).push(c);
    }
    const all = [...starts, ...inside];
    if (!all.length || (all.length === 1 && all[0]!.label.toLowerCase() === typed)) return null;
    return { items: all.slice(0, limit), start: valueStart, end, total: all.length };
  }

  if (q >= 0) return null;
  const prefix = text.slice(start, caret);
  if (!prefix || /^[0-9]/.test(prefix) || prefix.startsWith('.')) return null;
  // after a slice's bracket or a number-ish context nothing is offered
  let end = caret;
  while (end < text.length && TOKEN.test(text[end]!)) end++;
  const m = index.match(prefix, limit);
  if (!m.items.length) return null;
  // the name is complete and nothing longer starts with it
  if (m.total === 1 && m.items[0]!.abbrev === prefix) return null;
  const items = m.items.map(
    (f, i): Completion => ({
      kind: 'field',
      label: f.abbrev,
      insert: f.abbrev,
      name: f.name,
      type: f.type,
      description: f.description,
      matched: m.matched[i]!,
    }),
  );
  return { items, start, end, total: m.total };
}

/** The text after accepting `item` of `list`, and where the caret goes. */
export function applyCompletion(text: string, list: CompletionList, item: Completion): { text: string; caret: number } {
  const out = text.slice(0, list.start) + item.insert + text.slice(list.end);
  return { text: out, caret: list.start + item.insert.length };
}
