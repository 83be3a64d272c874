// The Time column's display formats (tshark -t, Wireshark's View › Time Display Format), printed exactly.
import type { FrameTable } from './model/frames';
import type { CaptureInfo } from './formats/reader';
import { duration } from './fields/format';

/** tshark's -t letters. */
export const TIME_FORMATS = ['ad', 'adoy', 'a', 'ud', 'udoy', 'u', 'e', 'r', 'd', 'dd'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

export function isTimeFormat(s: string): s is TimeFormat {
  return (TIME_FORMATS as readonly string[]).includes(s);
}

/** What a format measures from: nothing (a clock time), the first frame, the previous captured or displayed frame. */
function timeReference(fmt: TimeFormat): 'none' | 'first' | 'prev' | 'prevDisplayed' {
  switch (fmt) {
    case 'r':
      return 'first';
    case 'd':
      return 'prev';
    case 'dd':
      return 'prevDisplayed';
    case 'a':
    case 'ad':
    case 'adoy':
    case 'u':
    case 'ud':
    case 'udoy':
    case 'e':
      return 'none';
  }
}

/** tshark's error for an unknown -t letter, word for word. */
export const TIME_FORMAT_USAGE = `it must be one of:
\t"a"    for absolute
\t"ad"   for absolute with YYYY-MM-DD date
\t"adoy" for absolute with YYYY/DOY date
\t"d"    for delta
\t"dd"   for delta displayed
\t"e"    for epoch
\t"r"    for relative
\t"u"    for absolute UTC
\t"ud"   for absolute UTC with YYYY-MM-DD date
\t"udoy" for absolute UTC with YYYY/DOY date`;

/** A timestamp: whole seconds since 1970 and nanoseconds. */
export interface Stamp {
  sec: number;
  nsec: number;
}

/**
 * Digits after the point for a frame whose interface counts `units` ticks a second, as tshark prints each
 * frame at its own precision: 10^n for n ≤ 3 gives n digits, finer ones 6 (µs) or 9 (ns).
 */
function unitsDecimals(units: number): number {
  const n = Math.ceil(Math.log10(Math.max(1, units)) - 1e-9);
  return n <= 3 ? n : n <= 6 ? 6 : 9;
}

/** Digits after the point for a frame captured on interface `iface` (µs when the interface is unknown). */
export function frameDecimals(info: CaptureInfo, iface: number): number {
  return unitsDecimals(info.interfaces[iface]?.tsUnitsPerSec ?? 1e6);
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/**
 * `sec` seconds plus `nsec` nanoseconds (either may be negative) with `decimals` digits after the point,
 * from the integers themselves: a double cannot hold an epoch time to the nanosecond.
 */
export function secondsText(sec: number, nsec: number, decimals: number): string {
  // one sign for both parts
  const { s, ns: n } = duration(sec + Math.trunc(nsec / 1e9), nsec % 1e9, 0, 0);
  const neg = s < 0 || n < 0;
  const whole = String(Math.abs(s));
  const frac = decimals > 0 ? '.' + pad(Math.abs(n), 9).slice(0, decimals) : '';
  return (neg ? '-' : '') + whole + frac;
}

/** The clock time of `t` (local, or UTC), with the date as `YYYY-MM-DD `, `YYYY/DOY ` or none. */
function clockText(t: Stamp, utc: boolean, date: 'ymd' | 'doy' | 'none', decimals: number): string {
  const d = new Date(t.sec * 1000);
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const mo = utc ? d.getUTCMonth() : d.getMonth();
  const day = utc ? d.getUTCDate() : d.getDate();
  const hms = `${pad(utc ? d.getUTCHours() : d.getHours(), 2)}:${pad(utc ? d.getUTCMinutes() : d.getMinutes(), 2)}:${pad(utc ? d.getUTCSeconds() : d.getSeconds(), 2)}`;
  const frac = decimals > 0 ? '.' + pad(t.nsec, 9).slice(0, decimals) : '';
  let prefix = '';
  if (date === 'ymd') prefix = `${y}-${pad(mo + 1, 2)}-${pad(day, 2)} `;
  else if (date === 'doy') prefix = `${y}/${pad(Math.round((Date.UTC(y, mo, day) - Date.UTC(y, 0, 1)) / 86_400_000) + 1, 3)} `;
  return prefix + hms + frac;
}

/**
 * The Time column for a frame stamped `t`. `ref` is the frame the format measures from (see timeReference):
 * the first frame, the previous captured or the previous displayed one; null when there is none (then 0).
 */
export function timeText(fmt: TimeFormat, t: Stamp, ref: Stamp | null, decimals: number): string {
  switch (fmt) {
    case 'r':
    case 'd':
    case 'dd':
      return ref ? secondsText(t.sec - ref.sec, t.nsec - ref.nsec, decimals) : secondsText(0, 0, decimals);
    case 'e':
      return secondsText(t.sec, t.nsec, decimals);
    case 'a':
    case 'ad':
    case 'adoy':
    case 'u':
    case 'ud':
    case 'udoy': {
      const [utc, date] = CLOCKS[fmt];
      return clockText(t, utc, date, decimals);
    }
  }
}

/** The clock formats: UTC or local, and the date shown before the time. */
const CLOCKS: Record<'a' | 'ad' | 'adoy' | 'u' | 'ud' | 'udoy', [boolean, 'ymd' | 'doy' | 'none']> = {
  a: [false, 'none'],
  ad: [false, 'ymd'],
  adoy: [false, 'doy'],
  u: [true, 'none'],
  ud: [true, 'ymd'],
  udoy: [true, 'doy'],
};

/**
 * The Time column over frames met in capture order (the CLI): `saw` every frame read, `text` for those shown.
 * It keeps the first, previous captured and previous displayed stamps each format needs.
 */
export class TimeColumn {
  private first: Stamp | null = null;
  private prev: Stamp | null = null;
  private cur: Stamp | null = null;
  private prevShown: Stamp | null = null;
  constructor(readonly fmt: TimeFormat) {}

  /** Every frame, in order, before it is filtered. */
  saw(sec: number, nsec: number): void {
    this.prev = this.cur;
    this.cur = { sec, nsec };
    this.first ??= this.cur;
  }

  /** The text for the frame last `saw`, which is shown (it becomes the previous displayed frame). */
  text(decimals: number): string {
    const t = this.cur!;
    const refs = { none: null, first: this.first, prev: this.prev, prevDisplayed: this.prevShown };
    this.prevShown = t;
    return timeText(this.fmt, t, refs[timeReference(this.fmt)], decimals);
  }
}

/**
 * The Time column of frame `num` from the frame index (the packet list): `prevShown` is the frame displayed
 * just before it, 0 for none. A frame without a timestamp shows none, but the time its record was given still
 * counts for the frames measured from it, as in tshark.
 */
export function frameTimeText(frames: FrameTable, info: CaptureInfo, fmt: TimeFormat, num: number, prevShown: number): string {
  if (frames.noTs.has(num)) return '';
  const at = (n: number): Stamp => ({ sec: frames.tsSec[n - 1]!, nsec: frames.tsNsec[n - 1]! });
  const refNum = { none: 0, first: 1, prev: num - 1, prevDisplayed: prevShown }[timeReference(fmt)];
  return timeText(fmt, at(num), refNum >= 1 ? at(refNum) : null, frameDecimals(info, frames.iface[num - 1]!));
}
