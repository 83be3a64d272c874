// Turning literal text into typed values, with tshark 4.0's acceptance rules and error messages.
import type { FieldDef, TimeValue } from '../fields/registry';
import { fail } from './errors';
import { intBytes, prettyName, type VType } from './types';

/** An IPv4 value with its netmask (32 bits unless written in CIDR form). */
export interface IPv4Lit {
  addr: number;
  bits: number;
}
/** An IPv6 value with its prefix length (128 unless written with /N). */
export interface IPv6Lit {
  addr: Uint8Array;
  bits: number;
}

const utf8Dec = new TextDecoder('utf-8', { fatal: true });
const utf8Enc = new TextEncoder();

/** Bytes of a quoted string as a JS string: UTF-8 if valid, else one char per byte. */
export function bytesToJsString(b: Uint8Array): string {
  try {
    return utf8Dec.decode(b);
  } catch {
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
}

/** Bytes of a field's string value (ASCII fast path, else UTF-8). */
export function jsStringToBytes(s: string): Uint8Array {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (!ascii) return utf8Enc.encode(s);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// ---------------------------------------------------------------- integers

/** Parse C-style integer text (decimal, 0x hex, 0 octal, 0b binary) as a BigInt, or null. */
export function parseIntText(text: string): bigint | null {
  if (/^0[xX][0-9A-Fa-f]+$/.test(text)) return BigInt(text);
  if (/^0[bB][01]*$/.test(text)) return text.length === 2 ? 0n : BigInt('0b' + text.slice(2));
  if (/^0[0-7]*$/.test(text)) return text.length === 1 ? 0n : BigInt('0o' + text.slice(1));
  if (/^[1-9][0-9]*$/.test(text)) return BigInt(text);
  return null;
}

const U64_MAX = (1n << 64n) - 1n;

export function intMax(t: VType): bigint {
  const bits = intBytes(t.bits) * 8;
  return t.type === 'int' ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
}

function valueNameLookup(f: FieldDef | undefined, name: string): number | undefined {
  const vals = f?.values;
  if (!vals) return undefined;
  const want = name.toLowerCase();
  for (const k of Object.keys(vals)) {
    if (vals[Number(k)]!.toLowerCase() === want) return Number(k);
  }
  return undefined;
}

function notAmong(text: string, f: FieldDef | undefined, start: number, end: number): never {
  fail(`"${text}" cannot be found among the possible values for ${f?.abbrev ?? ''}.`, start, end);
}

/** An unquoted word as an integer of type t (value names of `f` are accepted too). */
export function parseIntLiteral(text: string, t: VType, f: FieldDef | undefined, start: number, end: number, negated = false): number {
  const n = parseIntText(text);
  const max = intMax(t);
  if (n !== null && n <= max) return Number(n);
  if (f?.values && !negated) {
    const v = valueNameLookup(f, text);
    if (v !== undefined) return v;
    notAmong(text, f, start, end);
  }
  if (n === null) fail(`"${text}" is not a valid number.`, start, end);
  if (n > U64_MAX) fail(`"${text}" causes an integer overflow.`, start, end);
  fail(`"${text}" too big for this field, maximum ${max}.`, start, end);
}

/** An unquoted word as a boolean (numbers, True/False, or the field's true/false strings). */
export function parseBoolLiteral(text: string, f: FieldDef | undefined, start: number, end: number): number {
  const n = parseIntText(text);
  if (n !== null) return n !== 0n ? 1 : 0;
  if (text === 'True' || text === 'TRUE') return 1;
  if (text === 'False' || text === 'FALSE') return 0;
  return boolFromName(text, f, start, end);
}

export function boolFromName(text: string, f: FieldDef | undefined, start: number, end: number): number {
  const tf = f?.tf ?? ['Set', 'Not set'];
  if (text.toLowerCase() === tf[0].toLowerCase()) return 1;
  if (text.toLowerCase() === tf[1].toLowerCase()) return 0;
  notAmong(text, f, start, end);
}

/** A quoted string given for an integer field: only its value names can match. */
export function intFromString(s: string, t: VType, f: FieldDef | undefined, start: number, end: number): number {
  if (f?.values) {
    const v = valueNameLookup(f, s);
    if (v !== undefined) return v;
    notAmong(s, f, start, end);
  }
  fail(`${prettyName(t)} cannot be converted from a string ("${s}").`, start, end);
}

// ---------------------------------------------------------------- floats and times

export function parseFloatLiteral(text: string, start: number, end: number): number {
  let v: number;
  if (/^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(text)) v = Number(text);
  else if (/^0[xX][0-9A-Fa-f]+(?:\.[0-9A-Fa-f]*)?(?:[pP][+-]?[0-9]+)?$/.test(text)) v = parseHexFloat(text);
  else if (/^inf(?:inity)?$/i.test(text)) v = Infinity;
  else fail(`"${text}" is not a valid floating-point number.`, start, end);
  if (v === Infinity && !/^inf/i.test(text)) fail(`"${text}" causes floating-point overflow.`, start, end);
  if (v === 0 && /[1-9]/.test(text.replace(/[eEpP].*$/, ''))) fail(`"${text}" causes floating-point underflow.`, start, end);
  return v;
}

function parseHexFloat(text: string): number {
  const m = /^0[xX]([0-9A-Fa-f]+)(?:\.([0-9A-Fa-f]*))?(?:[pP]([+-]?[0-9]+))?$/.exec(text)!;
  let v = parseInt(m[1]!, 16);
  const frac = m[2] ?? '';
  for (let i = 0; i < frac.length; i++) v += parseInt(frac[i]!, 16) / 16 ** (i + 1);
  return v * 2 ** Number(m[3] ?? 0);
}

/** A relative time: seconds with up to 9 decimals. Returns seconds. */
export function parseRelTime(text: string, start: number, end: number): number {
  const m = /^([0-9]+)(?:\.([0-9]{1,9}))?$/.exec(text);
  if (!m) fail(`"${text}" is not a valid time.`, start, end);
  return Number(m[1]) + (m[2] ? Number(m[2].padEnd(9, '0')) / 1e9 : 0);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * An absolute time, "YYYY-MM-DD[( |T)HH[:MM[:SS[.frac]]]][Z|±hh[:]mm]" or
 * "Mon DD, YYYY HH:MM:SS[.frac][ UTC]" — local time unless a zone is given. Like tshark, the longest
 * field sequence that parses is used and anything left over is an error.
 */
export function parseAbsTime(text: string, start: number, end: number): TimeValue {
  const bad = () =>
    fail(
      `"${text}" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`,
      start,
      end,
    );
  let y: number, mo: number, d: number;
  let h = 0,
    mi = 0,
    sec = 0;
  let rest: string;
  let hasSeconds = false;
  let iso = false;
  const date = /^([0-9]{1,4})-([0-9]{1,2})-([0-9]{1,2})/.exec(text);
  if (date) {
    iso = true;
    y = Number(date[1]);
    mo = Number(date[2]);
    d = Number(date[3]);
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return bad();
    rest = text.slice(date[0].length);
    // time fields, each only if in range (strptime's fallbacks)
    const tm = /^[ T]([0-9]{1,2})(?::([0-9]{1,2})(?::([0-9]{1,2}))?)?/.exec(rest);
    if (tm && Number(tm[1]) <= 23) {
      h = Number(tm[1]);
      let used = 1 + tm[1]!.length;
      if (tm[2] !== undefined && Number(tm[2]) <= 59) {
        mi = Number(tm[2]);
        used += 1 + tm[2].length;
        if (tm[3] !== undefined && Number(tm[3]) <= 61) {
          sec = Number(tm[3]);
          used += 1 + tm[3].length;
          hasSeconds = true;
        }
      }
      rest = rest.slice(used);
    }
  } else {
    const leg = /^([A-Za-z]{3}) +([0-9]{1,2}), +([0-9]{1,4}) +([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})/.exec(text);
    if (!leg) return bad();
    const m = MONTHS.indexOf(leg[1]!.toLowerCase());
    if (m < 0) return bad();
    y = Number(leg[3]);
    mo = m + 1;
    d = Number(leg[2]);
    h = Number(leg[4]);
    mi = Number(leg[5]);
    sec = Number(leg[6]);
    if (d < 1 || d > 31 || h > 23 || mi > 59 || sec > 61) return bad();
    hasSeconds = true;
    rest = text.slice(leg[0].length);
  }
  let ns = 0;
  if (rest.startsWith('.')) {
    if (!hasSeconds) fail('Subsecond precision requires a seconds field.', start, end);
    const fm = /^\.([0-9]*)/.exec(rest)!;
    const digits = fm[1]!;
    rest = rest.slice(fm[0].length);
    if (digits === '' && rest !== '' && !/^[ Z+-]/.test(rest)) fail('Subseconds value is not a number.', start, end);
    ns = digits ? Number(digits.slice(0, 9).padEnd(9, '0')) : 0;
  }
  let offsetMin: number | null = null;
  if (iso) {
    if (rest === 'Z') {
      offsetMin = 0;
      rest = '';
    } else {
      const tz = /^([+-])([0-9]{2}):?([0-9]{2})$/.exec(rest);
      if (tz) {
        offsetMin = (tz[1] === '-' ? -1 : 1) * (Number(tz[2]) * 60 + Number(tz[3]));
        rest = '';
      }
    }
  }
  if (rest === ' UTC') {
    offsetMin = 0;
    rest = '';
  }
  if (rest !== '') fail('Unexpected data after time value.', start, end);
  let ms: number;
  if (offsetMin === null) {
    const dt = new Date(2000, mo - 1, d, h, mi, sec);
    dt.setFullYear(y, mo - 1, d);
    ms = dt.getTime();
  } else {
    const dt = new Date(Date.UTC(2000, mo - 1, d, h, mi, sec));
    dt.setUTCFullYear(y, mo - 1, d);
    ms = dt.getTime() - offsetMin * 60000;
  }
  if (!Number.isFinite(ms)) return bad();
  return { s: Math.floor(ms / 1000), ns };
}

// ---------------------------------------------------------------- addresses and bytes

/** Strict dotted-quad IPv4 (no leading zeros), as a uint32. */
export function parseIPv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    if (part.length > 1 && part[0] === '0') return null;
    const n = Number(part);
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v;
}

export function parseIPv4Literal(text: string, start: number, end: number): IPv4Lit {
  const slash = text.indexOf('/');
  const addrText = slash >= 0 ? text.slice(0, slash) : text;
  const addr = parseIPv4(addrText);
  if (addr === null) fail(`"${addrText}" is not a valid hostname or IPv4 address.`, start, end);
  let bits = 32;
  if (slash >= 0) {
    const b = text.slice(slash + 1);
    if (!/^[0-9]+$/.test(b)) fail(`"${text}" is not a valid hostname or IPv4 address.`, start, end);
    bits = Number(b);
    if (bits > 32) fail(`Netmask bits in a CIDR IPv4 address should be <= 32, not ${bits}`, start, end);
  }
  return { addr, bits };
}

/** IPv6 text (RFC 4291 forms, with an optional trailing dotted quad) as 16 bytes. */
export function parseIPv6(text: string): Uint8Array | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return null;
  let s = text;
  let tail: number[] = [];
  if (s.includes('.')) {
    const lc = s.lastIndexOf(':');
    if (lc < 0) return null;
    const v4 = parseIPv4(s.slice(lc + 1));
    if (v4 === null) return null;
    tail = [(v4 >>> 16) & 0xffff, v4 & 0xffff];
    s = s.slice(0, lc + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const want = 8 - tail.length;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const gs = part.split(':');
    const out: number[] = [];
    for (const g of gs) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl >= 0) {
    const head = parseGroups(s.slice(0, dbl));
    const rest = parseGroups(s.slice(dbl + 2));
    if (!head || !rest) return null;
    const fill = want - head.length - rest.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest, ...tail];
  } else {
    const all = parseGroups(s);
    if (!all) return null;
    if (all.length !== want) return null;
    groups = [...all, ...tail];
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

export function parseIPv6Literal(text: string, start: number, end: number): IPv6Lit {
  const slash = text.indexOf('/');
  const addrText = slash >= 0 ? text.slice(0, slash) : text;
  const addr = parseIPv6(addrText);
  if (!addr) fail(`"${addrText}" is not a valid hostname or IPv6 address.`, start, end);
  let bits = 128;
  if (slash >= 0) {
    const b = text.slice(slash + 1);
    if (!/^[0-9]+$/.test(b)) fail(`"${text}" is not a valid hostname or IPv6 address.`, start, end);
    bits = Number(b);
    if (bits > 128) fail(`Prefix in a IPv6 address should be <= 128, not ${bits}`, start, end);
  }
  return { addr, bits };
}

/**
 * Hex digits in groups separated by ':', '-' or '.'; each group gives bytes from its digit pairs
 * (an odd last digit is a byte of its own). A lone 0xNN is one byte.
 */
export function parseByteString(text: string): Uint8Array | null {
  if (/^0[xX][0-9A-Fa-f]{2}$/.test(text)) return Uint8Array.of(parseInt(text.slice(2), 16));
  const groups = text.split(/[:.-]/);
  const out: number[] = [];
  for (const g of groups) {
    if (!/^[0-9A-Fa-f]+$/.test(g)) return null;
    for (let i = 0; i < g.length; i += 2) out.push(parseInt(g.slice(i, i + 2), 16));
  }
  return Uint8Array.from(out);
}

export function parseBytesLiteral(text: string, start: number, end: number): Uint8Array {
  const b = parseByteString(text);
  if (!b) fail(`"${text}" is not a valid byte string.`, start, end);
  return b;
}

export function parseEtherLiteral(text: string, start: number, end: number): Uint8Array {
  const b = parseByteString(text);
  if (!b) fail(`"${text}" is not a valid Ethernet address.`, start, end);
  if (b.length < 6) fail(`"${text}" contains too few bytes to be a valid Ethernet address.`, start, end);
  if (b.length > 6) fail(`"${text}" contains too many bytes to be a valid Ethernet address.`, start, end);
  return b;
}
