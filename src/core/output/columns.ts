// Packet-list columns: the built-in ones, custom field columns ("Apply as Column") and the text Wireshark shows
// in them, and the `gui.column.format` preference that lists them (tshark's -o, the CLI's too).
import { getField, type FieldDef, type Value } from '../fields/registry';
import { bytesToHex, displayValue, fieldText, shownHexDigits } from '../fields/format';
import type { Item, Packet } from '../dissect/packet';
import type { RowSummary } from '../summary';
import { collect, columnValue, type ColumnField } from './tshark';

export type BuiltinColumn = 'num' | 'time' | 'src' | 'dst' | 'protocol' | 'length' | 'info';

/** Wireshark's titles of the built-in columns, in the default order. */
export const BUILTIN_TITLES: Readonly<Record<BuiltinColumn, string>> = {
  num: 'No.',
  time: 'Time',
  src: 'Source',
  dst: 'Destination',
  protocol: 'Protocol',
  length: 'Length',
  info: 'Info',
};
export const BUILTIN_COLUMNS = Object.keys(BUILTIN_TITLES) as BuiltinColumn[];

/** A custom column: a field's values, all occurrences (0), the n-th (1…) or n-th from the end (−1…). */
export interface CustomColumn {
  field: string;
  occurrence: number;
  /** show value names and Set/Not set ('R' in the preference, what Apply as Column makes) or raw values ('U') */
  resolved: boolean;
}

export type ColumnKind = { builtin: BuiltinColumn } | { custom: CustomColumn };

// the gui.column.format codes of the built-in columns (the ones Wireshark's default layout uses)
const CODES: Readonly<Record<string, BuiltinColumn>> = { '%m': 'num', '%t': 'time', '%s': 'src', '%d': 'dst', '%p': 'protocol', '%L': 'length', '%i': 'info' };

// the column pseudo-field that prints each built-in column
const BUILTIN_FIELD: Readonly<Record<BuiltinColumn, ColumnField>> = {
  num: '_ws.col.No.',
  time: '_ws.col.Time',
  src: '_ws.col.Source',
  dst: '_ws.col.Destination',
  protocol: '_ws.col.Protocol',
  length: '_ws.col.Length',
  info: '_ws.col.Info',
};

/**
 * Parse a `gui.column.format` value: pairs of quoted strings, a title and a format, e.g.
 * `"No.","%m","TTL","%Cus:ip.ttl:0:R"`. Returns the columns or what is wrong.
 */
export function parseColumnFormat(text: string): { ok: true; columns: { title: string; kind: ColumnKind }[] } | { ok: false; message: string } {
  const strings: string[] = [];
  const re = /\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return { ok: false, message: `column format "${text}" is not a list of quoted strings` };
    strings.push(m[1]!.replace(/\\(.)/g, '$1'));
    at = re.lastIndex;
  }
  if (!strings.length || strings.length % 2) return { ok: false, message: 'column format needs a title and a format for each column' };
  const columns: { title: string; kind: ColumnKind }[] = [];
  for (let i = 0; i < strings.length; i += 2) {
    const title = strings[i]!;
    const fmt = strings[i + 1]!;
    const builtin = CODES[fmt];
    if (builtin) {
      columns.push({ title, kind: { builtin } });
      continue;
    }
    const cus = /^%Cus:([^:]+)(?::(-?\d+))?(?::([RU]))?$/.exec(fmt);
    if (!cus) return { ok: false, message: `column format "${fmt}" is not supported (use %m %t %s %d %p %L %i or %Cus:FIELD:OCCURRENCE:R|U)` };
    if (!getField(cus[1]!)) return { ok: false, message: `"${cus[1]}" is not a valid field in column "${title}"` };
    columns.push({ title, kind: { custom: { field: cus[1]!, occurrence: Number(cus[2] ?? 0), resolved: (cus[3] ?? 'R') === 'R' } } });
  }
  return { ok: true, columns };
}

/** The format string of a column, as `gui.column.format` writes it. */
export function columnFormatCode(kind: ColumnKind): string {
  if ('builtin' in kind) return Object.keys(CODES).find((k) => CODES[k] === kind.builtin)!;
  const c = kind.custom;
  return `%Cus:${c.field}:${c.occurrence}:${c.resolved ? 'R' : 'U'}`;
}

// Wireshark cuts a byte value in a column after this many bytes and adds an ellipsis
const COLUMN_BYTES = 36;

/** One value in a custom column: raw values ('U') or with names resolved ('R'). */
export function columnValueText(f: FieldDef, v: Value, resolved: boolean): string {
  switch (f.type) {
    case 'protocol':
    case 'none':
      return '✓';
    case 'bool':
      return resolved ? (v ? f.tf[0] : f.tf[1]) : v ? '1' : '0';
    case 'uint':
    case 'int': {
      if (typeof v !== 'number') return String(v);
      const name = f.values?.[v];
      if (f.base === 'none') return name === undefined ? String(v) : resolved ? name : `"${name}"`;
      if (resolved && name !== undefined) return name;
      const hx = '0x' + v.toString(16).padStart(shownHexDigits(f), '0');
      switch (f.base) {
        case 'hex':
          return hx;
        case 'hex_dec':
          return resolved ? `${hx} (${v})` : hx;
        case 'dec_hex':
          return resolved ? `${v} (${hx})` : String(v);
        case 'oct':
          return '0' + v.toString(8);
        case 'dec':
          return String(v);
      }
      return String(v);
    }
    case 'bytes': {
      const b = v as Uint8Array;
      return b.length > COLUMN_BYTES ? bytesToHex(b.subarray(0, COLUMN_BYTES)) + '…' : bytesToHex(b);
    }
    case 'time_abs':
      return displayValue(f, v);
    case 'framenum':
    case 'float':
    case 'ipv4':
    case 'ipv6':
    case 'ether':
    case 'string':
    case 'time_rel':
      return fieldText(f, v);
  }
}

/** A custom column's text from the field's items in one frame, in tree order. */
export function customColumnText(f: FieldDef, items: readonly Item[], c: CustomColumn): string {
  let list = items;
  if (c.occurrence > 0) list = items.slice(c.occurrence - 1, c.occurrence);
  else if (c.occurrence < 0) list = items.slice(items.length + c.occurrence, items.length + c.occurrence + 1);
  // a protocol or a label is ticked once, however often it occurs
  if (f.type === 'protocol' || f.type === 'none') return list.length ? '✓' : '';
  const out: string[] = [];
  for (const it of list) {
    if (it.v !== undefined) out.push(columnValueText(f, it.v, c.resolved));
  }
  return out.join(',');
}

/** Texts of a list of columns for dissected frames; `keep` names the items a dissection must keep for them. */
export class ColumnWriter {
  private readonly want = new Map<number, Item[]>();
  private readonly defs: (FieldDef | null)[];
  /** the field ids the custom columns read */
  readonly keep: ReadonlySet<number>;

  constructor(readonly columns: readonly ColumnKind[]) {
    this.defs = columns.map((k) => ('custom' in k ? getField(k.custom.field) ?? null : null));
    for (const d of this.defs) if (d) this.want.set(d.id, []);
    this.keep = new Set(this.want.keys());
  }

  /** The cells of frame `pkt`; `time` is its Time column text. */
  cells(pkt: Packet, time: string): string[] {
    for (const l of this.want.values()) l.length = 0;
    collect(pkt.items, this.want);
    return this.columns.map((k, i) => {
      if ('builtin' in k) return columnValue(BUILTIN_FIELD[k.builtin], pkt, time);
      const d = this.defs[i];
      return d ? customColumnText(d, this.want.get(d.id)!, k.custom) : '';
    });
  }
}

/** A key naming a list of custom columns (rows fetched for another list are not shown). */
export function customColumnsKey(cols: readonly CustomColumn[]): string {
  return cols.map((c) => `${c.field}:${c.occurrence}:${c.resolved ? 'R' : 'U'}`).join('|');
}

/** A packet-list row's text in a built-in column (`timeText`: its Time column in the chosen format). */
export function builtinColumnText(b: BuiltinColumn, r: RowSummary, timeText: string): string {
  switch (b) {
    case 'num':
      return String(r.num);
    case 'time':
      return timeText;
    case 'src':
      return r.src;
    case 'dst':
      return r.dst;
    case 'protocol':
      return r.protocol;
    case 'length':
      return String(r.length);
    case 'info':
      return r.info;
  }
}
