// File › Export Specified Packets and Export Packet Dissections: the chosen frames as a pcap/pcapng file,
// or their dissections as plain text (tshark -V), CSV of the packet-list columns (as Wireshark writes it),
// or JSON (tshark -T json's layout: layers › fields, a field's subtree under "<abbrev>_tree", repeated keys
// as arrays, text-only items under their label). Each writer takes one dissected frame at a time, so a
// caller can work in slices.

import type { Capture } from '../capture';
import type { Item, Packet } from '../dissect/packet';
import { HIDDEN } from '../dissect/packet';
import { itemLabel } from '../dissect/label';
import { fieldText } from '../fields/format';
import { verboseLines, timeDecimals } from '../output/tshark';
import { writePcap, writePcapng, type WriteFormat, type WriteFrame } from '../formats/writer';
import { ColumnWriter, type ColumnKind } from '../output/columns';
import { frameTimeText, type TimeFormat } from '../time';

export type DissectionFormat = 'text' | 'csv' | 'json';

/** The frame as the writers want it (custom pcapng blocks listed as frames are not packets: null). */
export function writeFrame(cap: Capture, num: number): WriteFrame | null {
  const m = cap.meta(num);
  if (m.custom) return null;
  const bytes = cap.bytes(num);
  const f: WriteFrame = {
    bytes,
    origLen: m.origLen,
    tsSec: m.tsSec,
    tsNsec: m.tsNsec,
    iface: m.iface,
    comments: m.comments,
    hasTs: m.hasTs,
  };
  const flags = cap.epbFlags(num);
  if (flags !== undefined) f.flags = flags;
  if (cap.info.format !== 'pcapng') {
    const off = cap.frames.offset[num - 1]!;
    if (off >= 16) f.raw = cap.src.read(off - 16, 16 + bytes.length);
  }
  return f;
}

/** The frames (1-based numbers, in order) as a capture file; frames that are not packets are left out. */
export function exportPackets(cap: Capture, frames: ArrayLike<number>, format: WriteFormat): { bytes: Uint8Array; written: number; skipped: number } {
  const list: WriteFrame[] = [];
  let skipped = 0;
  for (let i = 0; i < frames.length; i++) {
    const f = writeFrame(cap, frames[i]!);
    if (f) list.push(f);
    else skipped++;
  }
  const bytes =
    format === 'pcap'
      ? writePcap(cap.info, list, cap.info.format === 'pcapng' ? undefined : cap.src.read(0, 24))
      : writePcapng(cap.info, list, { application: 'Wirelens' });
  return { bytes, written: list.length, skipped };
}

// ---------------------------------------------------------------------------------------------
// dissections

function csvCell(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

export const CSV_HEADER = ['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info'].map(csvCell).join(',');

/** One packet-list row as Wireshark's CSV export writes it. */
export function csvLine(pkt: Packet, rel: number, decimals: number): string {
  return [
    String(pkt.num),
    pkt.meta.hasTs ? rel.toFixed(decimals) : '',
    pkt.p.netSrc ?? pkt.p.dlSrc ?? '',
    pkt.p.netDst ?? pkt.p.dlDst ?? '',
    pkt.protocolCol.text,
    String(pkt.meta.origLen),
    pkt.info.text,
  ]
    .map(csvCell)
    .join(',');
}

type JsonValue = string | null | JsonObject | JsonValue[];
interface JsonObject {
  [k: string]: JsonValue;
}

function put(obj: JsonObject, key: string, v: JsonValue): void {
  const old = obj[key];
  if (old === undefined) obj[key] = v;
  else if (Array.isArray(old)) old.push(v);
  else obj[key] = [old, v];
}

function jsonItems(items: readonly Item[], obj: JsonObject): JsonObject {
  for (const it of items) {
    const f = it.f;
    const kids = it.children?.length ? jsonItems(it.children, {}) : null;
    if (f.abbrev === '_ws.text') {
      put(obj, itemLabel(it), kids ?? '');
    } else if (f.type === 'protocol' || (f.type === 'none' && kids)) {
      put(obj, f.abbrev, kids ?? (f.type === 'protocol' ? itemLabel(it) : ''));
    } else {
      put(obj, f.abbrev, f.type === 'none' ? '' : it.v === undefined ? '' : fieldText(f, it.v));
      if (kids) put(obj, `${f.abbrev}_tree`, kids);
    }
  }
  return obj;
}

/** tshark -T json's object for one packet (dissected with its tree). */
export function jsonPacket(pkt: Packet): JsonObject {
  const d = new Date(pkt.meta.tsSec * 1000);
  const day = pkt.meta.hasTs ? d.toISOString().slice(0, 10) : '1970-01-01';
  const layers: JsonObject = {};
  for (const it of pkt.items) {
    if (it.flags & HIDDEN && !it.children) continue;
    put(layers, it.f.abbrev === '_ws.text' ? itemLabel(it) : it.f.abbrev, it.children?.length ? jsonItems(it.children, {}) : it.f.type === 'protocol' ? {} : itemLabel(it));
  }
  return { _index: `packets-${day}`, _type: 'doc', _score: null, _source: { layers } };
}

/** The packet list as the page shows it, for a CSV export: its columns, and the Time column's format. */
export interface CsvColumns {
  columns: { title: string; kind: ColumnKind }[];
  time: TimeFormat;
}

/** Renders the chosen frames' dissections frame by frame. */
export class DissectionWriter {
  private readonly chunks: string[] = [];
  private n = 0;
  private readonly decimals: number;
  private readonly sec0: number;
  private readonly nsec0: number;
  private readonly cols: { writer: ColumnWriter; time: TimeFormat } | null;
  /** the frame exported before (the Time column's "since previous displayed" is measured from it) */
  private prev = 0;

  constructor(
    readonly cap: Capture,
    readonly format: DissectionFormat,
    csv?: CsvColumns,
  ) {
    this.decimals = timeDecimals(cap.info);
    const t = cap.frames;
    this.sec0 = t.count ? t.tsSec[0]! : 0;
    this.nsec0 = t.count ? t.tsNsec[0]! : 0;
    this.cols = format === 'csv' && csv?.columns.length ? { writer: new ColumnWriter(csv.columns.map((c) => c.kind)), time: csv.time } : null;
    if (format === 'csv') this.chunks.push((csv?.columns.length ? csv.columns.map((c) => csvCell(c.title)).join(',') : CSV_HEADER) + '\n');
    if (format === 'json') this.chunks.push('[\n');
  }

  /** Whether frames must be dissected with display texts (tree = true). */
  get needsTree(): boolean {
    return this.format !== 'csv';
  }

  add(pkt: Packet): void {
    const m = pkt.meta;
    const rel = m.tsSec - this.sec0 + (m.tsNsec - this.nsec0) / 1e9;
    if (this.cols) {
      const time = frameTimeText(this.cap.frames, this.cap.info, this.cols.time, pkt.num, this.prev);
      this.chunks.push(this.cols.writer.cells(pkt, time).map(csvCell).join(',') + '\n');
    } else if (this.format === 'csv') this.chunks.push(csvLine(pkt, rel, this.decimals) + '\n');
    else if (this.format === 'text') this.chunks.push(verboseLines(pkt.items).join('\n') + '\n\n');
    else {
      const body = JSON.stringify(jsonPacket(pkt), null, 2)
        .split('\n')
        .map((l) => '  ' + l)
        .join('\n');
      this.chunks.push((this.n ? ',\n' : '') + body);
    }
    this.n++;
    this.prev = pkt.num;
  }

  /** Dissect and add frame `num`. */
  addFrame(num: number): void {
    this.add(this.cap.dissect(num, this.needsTree));
  }

  result(): string {
    if (this.format === 'json') return this.chunks.join('') + (this.n ? '\n' : '') + ']\n';
    return this.chunks.join('');
  }
}

export function exportDissections(cap: Capture, frames: ArrayLike<number>, format: DissectionFormat, csv?: CsvColumns): string {
  const w = new DissectionWriter(cap, format, csv);
  for (let i = 0; i < frames.length; i++) w.addFrame(frames[i]!);
  return w.result();
}
