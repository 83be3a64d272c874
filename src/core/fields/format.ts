// How field values are written: tshark's `-T fields` text and the tree's "Name: value" labels.
import type { FieldDef, TimeValue, Value } from './registry';

export function ipv4ToString(v: number): string {
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

const HEX = '0123456789abcdef';
export function hex2(b: number): string {
  return HEX[(b >> 4) & 15]! + HEX[b & 15]!;
}

export function etherToString(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i ? ':' : '') + hex2(b[i]!);
  return s;
}

export function bytesToHex(b: Uint8Array, sep = ''): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i && sep ? sep : '') + hex2(b[i]!);
  return s;
}

/** RFC 5952 text form of an IPv6 address (longest run of ≥2 zero groups becomes ::, first on ties). */
export function ipv6ToString(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms as inet_ntop writes them
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  }
  let bestStart = -1,
    bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) return g.map((x) => x.toString(16)).join(':');
  const head = g.slice(0, bestStart).map((x) => x.toString(16)).join(':');
  const tail = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(':');
  return `${head}::${tail}`;
}

export function timeEpochString(t: TimeValue): string {
  return `${t.s}.${String(t.ns).padStart(9, '0')}`;
}

/** Seconds with 9 decimals, as tshark prints relative times (rounded to the nanosecond). */
export function relTimeString(sec: number): string {
  const neg = sec < 0;
  const ns = Math.round(Math.abs(sec) * 1e9);
  const s = Math.floor(ns / 1e9);
  const frac = ns - s * 1e9;
  return `${neg && ns ? '-' : ''}${s}.${String(frac).padStart(9, '0')}`;
}

/** A signed duration between two timestamps, exact to the nanosecond (s and ns carry the same sign). */
export function duration(s1: number, ns1: number, s0: number, ns0: number): TimeValue {
  let s = s1 - s0;
  let ns = ns1 - ns0;
  if (s > 0 && ns < 0) {
    s -= 1;
    ns += 1e9;
  } else if (s < 0 && ns > 0) {
    s += 1;
    ns -= 1e9;
  }
  return { s, ns };
}

export function durationString(d: TimeValue): string {
  const neg = d.s < 0 || d.ns < 0;
  return `${neg ? '-' : ''}${Math.abs(d.s)}.${String(Math.abs(d.ns)).padStart(9, '0')}`;
}

/** Seconds as a number, from a relative-time value (a number already, or an exact duration). */
export function relSeconds(v: Value): number {
  return typeof v === 'number' ? v : typeof v === 'object' && 'ns' in v ? v.s + v.ns / 1e9 : NaN;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
let zoneParts: Intl.DateTimeFormat | undefined;
/** The time zone's short name at `d` ("UTC", "EST"; zones without a US English abbreviation get "GMT+5:30"). */
function zoneName(d: Date): string {
  // a timestamp beyond what Date holds has no zone (formatToParts would throw)
  if (Number.isNaN(d.getTime())) return 'UTC';
  zoneParts ??= new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
  return zoneParts.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
}

/** "Nov 22, 2026 00:46:18.338004000 UTC" — Wireshark's absolute time, in local time as tshark prints it. */
export function absTimeString(t: TimeValue): string {
  const d = new Date(t.s * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  // The day of the month is padded with a space ("Jan  8, 1996"), as tshark prints it.
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')}, ${d.getFullYear()} ${p2(d.getHours())}:${p2(
    d.getMinutes(),
  )}:${p2(d.getSeconds())}.${String(t.ns).padStart(9, '0')} ${zoneName(d)}`;
}

/**
 * Escape a string as tshark 4.0 prints it in -T fields and tree labels: CR, LF and TAB become \r \n \t;
 * other bytes (other control characters, backslashes) are left as they are.
 */
export function escapeString(s: string): string {
  if (!/[\n\r\t]/.test(s)) return s;
  return s.replace(/[\n\r\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

function hexDigits(f: FieldDef): number {
  const bits = f.bits || 32;
  return Math.ceil(bits / 4);
}

/** Hex digits Wireshark shows for a value of `f`: a bit field as many as its mask spans once shifted down. */
export function shownHexDigits(f: FieldDef): number {
  return f.mask ? Math.ceil((Math.floor(Math.log2(f.mask / 2 ** f.shift)) + 1) / 4) : hexDigits(f);
}

function intHex(f: FieldDef, v: number): string {
  return '0x' + v.toString(16).padStart(hexDigits(f), '0');
}

/** One value as `tshark -T fields` prints it. */
export function fieldText(f: FieldDef, v: Value | undefined): string {
  if (v === undefined) return '';
  switch (f.type) {
    case 'bool':
      return v ? '1' : '0';
    case 'uint':
    case 'int':
      if (typeof v !== 'number') return String(v);
      if (f.base === 'hex' || f.base === 'hex_dec') return intHex(f, v);
      if (f.base === 'oct') return '0' + v.toString(8);
      return String(v);
    case 'framenum':
      return String(v);
    case 'float':
      return typeof v === 'number' ? (f.decimals !== undefined ? v.toFixed(f.decimals) : String(v)) : String(v);
    case 'ipv4':
      return ipv4ToString(v as number);
    case 'ipv6':
      return ipv6ToString(v as Uint8Array);
    case 'ether':
      return etherToString(v as Uint8Array);
    case 'bytes':
      return bytesToHex(v as Uint8Array);
    case 'string':
      return escapeString(v as string);
    case 'time_abs':
      return absTimeString(v as TimeValue);
    case 'time_rel':
      return typeof v === 'number' ? relTimeString(v) : durationString(v as TimeValue);
    case 'protocol':
    case 'none':
      return '';
  }
}

/** The bit picture Wireshark draws before a masked field: "0100 .... = ". */
export function bitmaskPrefix(f: FieldDef, v: number): string {
  const bits = f.bits || 8;
  let s = '';
  const shifted = v * 2 ** f.shift;
  if (bits <= 32 && f.mask <= 0xffffffff && shifted >= 0 && shifted <= 0xffffffff) {
    // the common case, with integer bit operations (this runs for every bit field of every tree shown)
    const mask = f.mask >>> 0;
    const val = shifted >>> 0;
    for (let i = bits - 1; i >= 0; i--) {
      s += (mask >>> i) & 1 ? ((val >>> i) & 1 ? '1' : '0') : '.';
      if (i > 0 && i % 4 === 0) s += ' ';
    }
    return s + ' = ';
  }
  for (let i = bits - 1; i >= 0; i--) {
    const bit = 2 ** i;
    const inMask = Math.floor(f.mask / bit) % 2 === 1;
    s += inMask ? (Math.floor(shifted / bit) % 2 === 1 ? '1' : '0') : '.';
    if (i > 0 && i % 4 === 0) s += ' ';
  }
  return s + ' = ';
}

/** The value part of a tree label, as Wireshark displays it (value names, hex/dec bases). */
export function displayValue(f: FieldDef, v: Value | undefined): string {
  if (v === undefined) return '';
  switch (f.type) {
    case 'bool':
      return v ? f.tf[0] : f.tf[1];
    case 'uint':
    case 'int':
    case 'framenum': {
      const n = v as number;
      let num: string;
      const hx = '0x' + n.toString(16).padStart(shownHexDigits(f), '0');
      switch (f.base) {
        case 'hex':
          num = hx;
          break;
        case 'hex_dec':
          num = `${hx} (${n})`;
          break;
        case 'dec_hex':
          num = `${n} (${hx})`;
          break;
        case 'oct':
          num = '0' + n.toString(8);
          break;
        case 'dec':
          num = String(n);
          break;
        case 'none':
          // only the name is shown (a number without one as it is)
          return f.values?.[n] ?? String(n);
      }
      const name = f.values?.[n];
      if (name !== undefined) return `${name} (${num})`;
      return num + f.unit;
    }
    case 'float':
      return (f.decimals !== undefined ? (v as number).toFixed(f.decimals) : String(v)) + f.unit;
    case 'time_rel':
      return (typeof v === 'number' ? relTimeString(v) : durationString(v as TimeValue)) + ' seconds';
    case 'time_abs':
      return absTimeString(v as TimeValue);
    case 'string':
      return escapeString(v as string);
    case 'bytes':
      return bytesToHex(v as Uint8Array);
    default:
      return fieldText(f, v);
  }
}

/** Standard tree label of a field item: "[bits = ]Name: value". */
export function standardLabel(f: FieldDef, v: Value | undefined): string {
  if (f.type === 'protocol' || f.type === 'none') return f.name;
  const prefix = f.mask && typeof v === 'number' ? bitmaskPrefix(f, v) : '';
  return `${prefix}${f.name}: ${displayValue(f, v)}`;
}
