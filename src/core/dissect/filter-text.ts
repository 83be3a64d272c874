// The display filter a tree item stands for (Wireshark's "Apply as Filter → Selected"), its value as the
// details pane's "Copy → Value" gives it, and how a new filter is combined with the one in the bar.
//
// The rules are Wireshark 4.0's, checked item by item against sharkd (test/dissect/filter-text.test.ts):
// - a protocol: its name alone (`tcp`); TCP options, which Wireshark registers as name-only protocols of type
//   bytes, by their bytes (`tcp.options.nop == 01`);
// - a field with a value: `abbrev == value`, the value written for the field's type and display base:
//   hex bases as 0x with the field's (masked) width (`tcp.flags == 0x018`, `eth.type == 0x0800`), decimal
//   otherwise, booleans 1/0, addresses numeric, bytes as aa:bb:cc, strings quoted with C escapes, relative
//   times with 9 decimals, absolute times as "YYYY-MM-DD hh:mm:ss.nnnnnnnnn+0000" (UTC, as we show times; no
//   fraction when it is 0), other numbers as C's %.17g (`icmp.resptime == 0.010999999999999999`), empty bytes as "";
// - a status field whose values are only names (checksum status, expert severity): the name, quoted;
// - an item without a value (a text line, a subtree head): when its bytes are in the frame,
//   `frame[start:len] == aa:bb:…`; when it has no bytes, its abbrev (`tcp.analysis`); otherwise none.
//   Wireshark offers the abbrev `text` for byte-less text lines, which selects nothing useful: we offer none.
import type { DataSource, Item } from './packet';
import type { FieldDef, TimeValue } from '../fields/registry';
import { displayValue, durationString, etherToString, ipv4ToString, ipv6ToString, relTimeString } from '../fields/format';

/**
 * Fields Wireshark shows with BASE_NONE and a value_string (checksum and FCS status, expert severity and group):
 * filters compare their value names.
 */
function namedOnly(f: FieldDef): boolean {
  return !!f.values && (f.abbrev.endsWith('.status') || f.abbrev === '_ws.expert.severity' || f.abbrev === '_ws.expert.group');
}

/** A double as C's "%.17g" writes it (Wireshark's filter text for floating-point fields). */
export function g17(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, expText] = v.toExponential(16).split('e') as [string, string];
  const exp = Number(expText);
  const strip = (t: string) => (t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t);
  if (exp < -4 || exp >= 17) return `${strip(mant)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return strip(v.toFixed(Math.max(0, 16 - exp)));
}

/**
 * A string literal as Wireshark writes it in a filter: quoted, with C escapes for quotes, backslashes and the
 * named control characters (\t \n \r \a \b \f \v); other characters, control ones too, stay as they are.
 */
export function quoteFilterString(s: string): string {
  return `"${s.replace(/["\\\n\r\t\x07\b\f\v]/g, (c) => ESCAPES[c]!)}"`;
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
};

const colonHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');

/** Hex digits Wireshark pads an integer to: the width of the mask (shifted down) or of the whole field. */
function hexDigits(f: FieldDef): number {
  if (f.mask) return Math.max(1, Math.ceil((Math.floor(Math.log2(f.mask / 2 ** f.shift)) + 1) / 4));
  return Math.ceil((f.bits || 32) / 4);
}

function absTime(t: TimeValue): string {
  const d = new Date(t.s * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return (
    `${String(d.getUTCFullYear()).padStart(4, '0')}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${t.ns ? '.' + String(t.ns).padStart(9, '0') : ''}+0000`
  );
}

/** The right-hand side of `abbrev == …` for the item's value, or null when it has none. */
function valueLiteral(it: Item): string | null {
  const { f, v } = it;
  if (v === undefined) return null;
  if (namedOnly(f) && typeof v === 'number' && f.values![v] !== undefined) return quoteFilterString(f.values![v]!);
  switch (f.type) {
    case 'bool':
      return v ? '1' : '0';
    case 'uint':
    case 'int': {
      if (typeof v !== 'number') return null;
      if (f.base === 'hex' || f.base === 'hex_dec') {
        const h = Math.abs(v).toString(16).padStart(hexDigits(f), '0');
        return `${v < 0 ? '-' : ''}0x${h}`;
      }
      if (f.base === 'oct') return v === 0 ? '0' : `${v < 0 ? '-' : ''}0${Math.abs(v).toString(8)}`;
      return String(v);
    }
    case 'framenum':
      return typeof v === 'number' ? String(v) : null;
    case 'float':
      return typeof v === 'number' && Number.isFinite(v) ? g17(v) : null;
    case 'time_rel':
      return typeof v === 'number' ? relTimeString(v) : typeof v === 'object' && 'ns' in v ? durationString(v) : null;
    case 'time_abs':
      return typeof v === 'object' && 'ns' in v ? quoteFilterString(absTime(v)) : null;
    case 'ipv4':
      return typeof v === 'number' ? ipv4ToString(v) : null;
    case 'ipv6':
      return v instanceof Uint8Array && v.length === 16 ? ipv6ToString(v) : null;
    case 'ether':
      return v instanceof Uint8Array ? etherToString(v) : null;
    case 'bytes':
      return v instanceof Uint8Array ? (v.length ? colonHex(v) : '""') : null;
    case 'string':
      return typeof v === 'string' ? quoteFilterString(v) : null;
    case 'protocol':
    case 'none':
      return null;
  }
}

/** Protocols Wireshark registers "in name only" with a bytes value: a filter compares the bytes they cover. */
const BYTES_PROTOCOL = /^tcp\.options\./;

/** The bytes an item covers in its data source (cut at the source's end), or null when they are not there. */
function coveredBytes(it: Item, sources: readonly Pick<DataSource, 'bytes'>[]): Uint8Array | null {
  const b = sources[it.src]?.bytes;
  if (!b || it.len <= 0 || it.start >= b.length) return null;
  return b.subarray(it.start, Math.min(b.length, it.start + it.len));
}

/**
 * The filter "Apply as Filter → Selected" puts in the bar for a tree item, or null when it has none.
 * `sources` are the packet's data sources (0 = the frame), for items matched by their bytes.
 */
export function itemFilter(it: Item, sources: readonly Pick<DataSource, 'bytes'>[] = []): string | null {
  const f = it.f;
  if (f.type === 'protocol') {
    if (!BYTES_PROTOCOL.test(f.abbrev)) return f.abbrev;
    const b = coveredBytes(it, sources);
    return b ? `${f.abbrev} == ${colonHex(b)}` : f.abbrev;
  }
  const lit = valueLiteral(it);
  if (lit !== null) return `${f.abbrev} == ${lit}`;
  if (it.len <= 0) return f.abbrev === '_ws.text' ? null : f.abbrev;
  // matched by the bytes at its place in the frame, which only works for the frame's own bytes
  const b = it.src === 0 ? coveredBytes(it, sources) : null;
  return b ? `frame[${it.start}:${b.length}] == ${colonHex(b)}` : null;
}

/** The value "Copy → Value" gives: the value as the tree shows it, or '' for an item without one. */
export function itemValueText(it: Item): string {
  if (it.v === undefined || it.f.type === 'protocol' || it.f.type === 'none') return '';
  try {
    return displayValue(it.f, it.v);
  } catch {
    return '';
  }
}

/** Wireshark's ways of putting a field's filter in the bar ("Apply/Prepare as Filter" submenu). */
export type FilterAction = 'selected' | 'not' | 'and' | 'or' | 'and-not' | 'or-not';

export const FILTER_ACTIONS: readonly { action: FilterAction; label: string }[] = [
  { action: 'selected', label: 'Selected' },
  { action: 'not', label: 'Not Selected' },
  { action: 'and', label: '…and Selected' },
  { action: 'or', label: '…or Selected' },
  { action: 'and-not', label: '…and not Selected' },
  { action: 'or-not', label: '…or not Selected' },
];

/** The new filter text: `selected` combined with the filter already in the bar, as Wireshark does it. */
export function combineFilter(current: string, selected: string, action: FilterAction): string {
  const cur = current.trim();
  switch (action) {
    case 'selected':
      return selected;
    case 'not':
      return `!(${selected})`;
    case 'and':
      return cur ? `(${cur}) && (${selected})` : selected;
    case 'or':
      return cur ? `(${cur}) || (${selected})` : selected;
    case 'and-not':
      return cur ? `(${cur}) && !(${selected})` : `!(${selected})`;
    case 'or-not':
      return cur ? `(${cur}) || !(${selected})` : `!(${selected})`;
  }
}
