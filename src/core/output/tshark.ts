// tshark's text outputs for one dissected frame: the summary line, `-T fields` rows and the `-V` tree.
import { getField, type FieldDef } from '../fields/registry';
import { fieldText } from '../fields/format';
import { itemLabel } from '../dissect/label';
import { HIDDEN, type Item, type Packet } from '../dissect/packet';
import type { CaptureInfo } from '../formats/reader';
import { indexFiller, type IndexView } from '../model/index-filter';

/** Column pseudo-fields tshark accepts with -e (_ws.col.*). */
export const COLUMN_FIELDS = [
  '_ws.col.No.',
  '_ws.col.Time',
  '_ws.col.Source',
  '_ws.col.Destination',
  '_ws.col.Protocol',
  '_ws.col.Length',
  '_ws.col.Info',
] as const;
export type ColumnField = (typeof COLUMN_FIELDS)[number];

export type FieldSpec = FieldDef | ColumnField;

/** Resolve -e names; returns the unknown names when some are not fields. */
export function resolveFields(names: readonly string[]): { specs: FieldSpec[]; unknown: string[] } {
  const specs: FieldSpec[] = [];
  const unknown: string[] = [];
  for (const n of names) {
    if ((COLUMN_FIELDS as readonly string[]).includes(n)) specs.push(n as ColumnField);
    else {
      const f = getField(n);
      if (f) specs.push(f);
      else unknown.push(n);
    }
  }
  return { specs, unknown };
}

/** Digits after the point in the Time column: 9 for nanosecond files, else 6 (tshark's automatic precision). */
export function timeDecimals(info: CaptureInfo): number {
  if (info.format === 'pcap-nsec') return 9;
  if (info.format === 'pcapng' && info.interfaces.some((i) => i.tsUnitsPerSec > 1e6)) return 9;
  return 6;
}

/** A column's text; `time` is the frame's Time column as the chosen format prints it (core/time.ts). */
export function columnValue(name: ColumnField, pkt: Packet, time: string): string {
  switch (name) {
    case '_ws.col.No.':
      return String(pkt.num);
    case '_ws.col.Time':
      return pkt.meta.hasTs ? time : '';
    case '_ws.col.Source':
      return pkt.p.netSrc ?? pkt.p.dlSrc ?? '';
    case '_ws.col.Destination':
      return pkt.p.netDst ?? pkt.p.dlDst ?? '';
    case '_ws.col.Protocol':
      return pkt.protocolCol.text;
    case '_ws.col.Length':
      return String(pkt.meta.origLen);
    case '_ws.col.Info':
      return pkt.info.text;
  }
}

export interface FieldsOptions {
  occurrence: 'a' | 'f' | 'l';
  aggregator: string;
  quote: string;
}
export const DEFAULT_FIELDS_OPTIONS: FieldsOptions = { occurrence: 'a', aggregator: ',', quote: '' };

/** Gather, in tree order, the items of the fields `want` has lists for. */
export function collect(items: readonly Item[], want: Map<number, Item[]>): void {
  for (const it of items) {
    const list = want.get(it.f.id);
    if (list) list.push(it);
    if (it.children) collect(it.children, want);
  }
}

/** Builds `-T fields` cells for frames; reuses its buffers across calls. */
export class FieldsWriter {
  private readonly want = new Map<number, Item[]>();
  constructor(
    readonly specs: readonly FieldSpec[],
    readonly opts: FieldsOptions = DEFAULT_FIELDS_OPTIONS,
  ) {
    for (const f of specs) if (typeof f !== 'string') this.want.set(f.id, []);
  }

  cells(pkt: Packet, time: string): string[] {
    for (const l of this.want.values()) l.length = 0;
    collect(pkt.items, this.want);
    const out: string[] = [];
    for (const f of this.specs) {
      let vals: string[];
      if (typeof f === 'string') vals = [columnValue(f, pkt, time)];
      else {
        const items = this.want.get(f.id)!;
        // tshark prints "1" for a label-only field and the item's text for a protocol.
        if (f.type === 'none') vals = items.map(() => '1');
        else if (f.type === 'protocol') vals = items.map((it) => itemLabel(it));
        else vals = items.filter((it) => it.v !== undefined).map((it) => fieldText(f, it.v));
        if (this.opts.occurrence === 'f') vals = vals.slice(0, 1);
        else if (this.opts.occurrence === 'l') vals = vals.slice(-1);
      }
      out.push(vals.length ? this.opts.quote + vals.join(this.opts.aggregator) + this.opts.quote : '');
    }
    return out;
  }
}

/**
 * `-T fields` lines for plain frames read straight from the frame index: the text FieldsWriter gives for the
 * same values, without a stand-in packet per frame (the CLI's fast path over a million frames).
 */
export class IndexFieldsWriter {
  private readonly fills: ((x: IndexView, i: number, push: (v: number | Uint8Array) => void) => void)[];
  private readonly vals: string[] = [];
  private field!: FieldDef;
  private readonly push = (v: number | Uint8Array) => void this.vals.push(this.field.type === 'none' ? '1' : fieldText(this.field, v));

  constructor(
    private readonly fields: readonly FieldDef[],
    private readonly opts: FieldsOptions,
    private readonly sep: string,
  ) {
    this.fills = fields.map((f) => indexFiller(f.abbrev));
  }

  line(x: IndexView, i: number): string {
    const { occurrence, aggregator, quote } = this.opts;
    let out = '';
    for (let n = 0; n < this.fields.length; n++) {
      if (n) out += this.sep;
      const vals = this.vals;
      while (vals.length) vals.pop();
      this.field = this.fields[n]!;
      this.fills[n]!(x, i, this.push);
      if (!vals.length) continue;
      if (vals.length === 1) out += quote + vals[0]! + quote;
      else if (occurrence === 'f') out += quote + vals[0]! + quote;
      else if (occurrence === 'l') out += quote + vals[vals.length - 1]! + quote;
      else out += quote + vals.join(aggregator) + quote;
    }
    return out;
  }
}

/** tshark's default one-line summary: number, time, source → destination, protocol, length, info. */
export function summaryLine(pkt: Packet, timeText: string): string {
  const num = String(pkt.num).padStart(5);
  const time = (pkt.meta.hasTs ? timeText : '').padStart(10);
  const src = (pkt.p.netSrc ?? pkt.p.dlSrc ?? '').padStart(12);
  const dst = (pkt.p.netDst ?? pkt.p.dlDst ?? '').padEnd(12);
  return `${num} ${time} ${src} → ${dst} ${pkt.protocolCol.text} ${pkt.meta.origLen} ${pkt.info.text}`;
}

/** The protocol tree as `tshark -V` prints it (4 spaces a level, hidden items left out). */
export function verboseLines(items: readonly Item[], depth = 0, out: string[] = []): string[] {
  for (const it of items) {
    if (it.flags & HIDDEN) continue;
    out.push('    '.repeat(depth) + itemLabel(it));
    if (it.children) verboseLines(it.children, depth + 1, out);
  }
  return out;
}
