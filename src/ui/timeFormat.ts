// View › Time Display Format: the formats as menu entries, and Wireshark's Ctrl+Alt+digit shortcuts for them.
import type { MenuEntry } from './Menu';
import { t } from './i18n';
import { setTimeFormat, useStore } from './store';
import type { TimeFormat } from '../core/time';

/** In Wireshark's menu order, with its shortcut digit where it has one. */
const ENTRIES: { fmt: TimeFormat; key: string; digit?: number }[] = [
  { fmt: 'ad', key: 'time.ad', digit: 1 },
  { fmt: 'adoy', key: 'time.adoy' },
  { fmt: 'a', key: 'time.a', digit: 2 },
  { fmt: 'e', key: 'time.e', digit: 3 },
  { fmt: 'r', key: 'time.r', digit: 4 },
  { fmt: 'd', key: 'time.d', digit: 5 },
  { fmt: 'dd', key: 'time.dd', digit: 6 },
  { fmt: 'ud', key: 'time.ud', digit: 7 },
  { fmt: 'udoy', key: 'time.udoy' },
  { fmt: 'u', key: 'time.u', digit: 8 },
];

export function timeFormatEntries(): MenuEntry[] {
  const cur = useStore.getState().timeFormat;
  return ENTRIES.map(
    (x): MenuEntry => ({
      label: t(x.key),
      radio: true,
      checked: cur === x.fmt,
      ...(x.digit ? { shortcut: `Ctrl+Alt+${x.digit}` } : {}),
      onSelect: () => setTimeFormat(x.fmt),
    }),
  );
}

/** The format of Ctrl+Alt+`code` (Digit1…Digit8), or null. */
export function timeFormatOfKey(code: string): TimeFormat | null {
  const m = /^(?:Digit|Numpad)([1-8])$/.exec(code);
  return m ? (ENTRIES.find((x) => x.digit === Number(m[1]))?.fmt ?? null) : null;
}
