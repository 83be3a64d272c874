// The tshark-compatible `wirelens` command: -r FILE [-Y FILTER] [-T fields -e F…] [-V] [-c N], same output as tshark.
import { writeSync } from 'node:fs';
import { basename } from 'node:path';
import { Capture } from '../core/capture';
import { CaptureError } from '../core/formats/reader';
import { openSource } from './source';
import { compileFilter } from '../core/filter';
import type { Packet } from '../core/dissect/packet';
import { ColumnWriter, parseColumnFormat, type ColumnKind } from '../core/output/columns';
import { FieldsWriter, IndexFieldsWriter, resolveFields, summaryLine, verboseLines } from '../core/output/tshark';
import { TIME_FORMAT_USAGE, TimeColumn, frameDecimals, isTimeFormat, type TimeFormat } from '../core/time';
import { DEFAULT_PREFS, type Prefs } from '../core/dissect/session';
import { F_COMPLEX } from '../core/model/header-index';
import { IndexMatcher, allIndexed } from '../core/model/index-filter';
import type { FieldDef } from '../core/fields/registry';

export class UsageError extends Error {}

interface Options {
  file: string;
  filter: string;
  format: 'text' | 'fields';
  fields: string[];
  verbose: boolean;
  count: number;
  occurrence: 'a' | 'f' | 'l';
  aggregator: string;
  separator: string;
  header: boolean;
  quote: '' | 'd' | 's';
  prefs: Prefs;
  /** the Time column's format (-t) */
  time: TimeFormat;
  /** the packet-list columns of -o gui.column.format (their texts are -e _ws.col.<title>) */
  columns: { title: string; kind: ColumnKind }[] | null;
}

const USAGE = `Usage: wirelens -r <infile> [-Y <display filter>] [-T fields|text] [-e <field>]... [-E <option>=<value>]... [-V] [-c <count>] [-t a|ad|adoy|d|dd|e|r|u|ud|udoy]`;

export function parseArgs(argv: string[]): Options {
  const o: Options = {
    file: '',
    filter: '',
    format: 'text',
    fields: [],
    verbose: false,
    count: Infinity,
    occurrence: 'a',
    aggregator: ',',
    separator: '\t',
    header: false,
    quote: '',
    prefs: { ...DEFAULT_PREFS },
    time: 'r',
    columns: null,
  };
  const need = (i: number, opt: string) => {
    const v = argv[i];
    if (v === undefined) throw new UsageError(`option requires an argument -- '${opt.replace(/^-/, '')}'`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    // tshark accepts both "-r FILE" and "-rFILE"
    const m = /^-([rYRTecEot])(.+)$/.exec(a);
    const opt = m ? `-${m[1]}` : a;
    const val = () => (m ? m[2]! : need(++i, opt));
    switch (opt) {
      case '-r':
        o.file = val();
        break;
      case '-Y':
      case '-R':
        o.filter = val();
        break;
      case '-T': {
        const t = val();
        if (t !== 'fields' && t !== 'text') throw new UsageError(`Invalid -T parameter "${t}"; it must be one of: fields text`);
        o.format = t;
        break;
      }
      case '-e':
        o.fields.push(val());
        break;
      case '-t': {
        const t = val();
        if (!isTimeFormat(t)) throw new UsageError(`Invalid time stamp type "${t}"; ${TIME_FORMAT_USAGE}`);
        o.time = t;
        break;
      }
      case '-c': {
        const v = val();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new UsageError(`The specified capture packet count "${v}" isn't a valid number.`);
        o.count = n === 0 ? Infinity : n;
        break;
      }
      case '-E': {
        const kv = val();
        const [k, v = ''] = kv.split(/=(.*)/s);
        switch (k) {
          case 'occurrence':
            if (v !== 'a' && v !== 'f' && v !== 'l') throw new UsageError(`Invalid -E parameter "${kv}"`);
            o.occurrence = v;
            break;
          case 'aggregator':
            o.aggregator = v === '/s' ? ' ' : v;
            break;
          case 'separator':
            o.separator = v === '/t' ? '\t' : v === '/s' ? ' ' : v;
            break;
          case 'header':
            o.header = v === 'y';
            break;
          case 'quote':
            o.quote = v === 'd' ? 'd' : v === 's' ? 's' : '';
            break;
          default:
            throw new UsageError(`Invalid -E parameter "${kv}"`);
        }
        break;
      }
      case '-o': {
        const kv = val();
        const [k, v = ''] = kv.split(/:(.*)/s);
        const on = /^(true|1|yes)$/i.test(v);
        switch (k) {
          case 'tcp.desegment_tcp_streams':
            o.prefs.tcpDesegment = on;
            break;
          case 'tcp.relative_sequence_numbers':
            o.prefs.tcpRelativeSeq = on;
            break;
          case 'tcp.analyze_sequence_numbers':
            o.prefs.tcpAnalyze = on;
            break;
          case 'ip.check_checksum':
            o.prefs.ipCheckChecksum = on;
            break;
          case 'ip.defragment':
            o.prefs.ipDefragment = on;
            break;
          case 'gui.column.format': {
            const r = parseColumnFormat(v);
            if (!r.ok) throw new UsageError(`Invalid -o flag "${kv}": ${r.message}`);
            o.columns = r.columns;
            break;
          }
          default:
            throw new UsageError(`Invalid -o flag "${kv}"`);
        }
        break;
      }
      case '-V':
        o.verbose = true;
        break;
      case '-n':
      case '-2':
      case '-l':
      case '-q':
        break; // no name resolution is our default for addresses; one pass gives tshark's -T fields answers
      case '-h':
      case '--help':
        throw new UsageError(USAGE);
      default:
        if (a.startsWith('-')) throw new UsageError(`invalid option -- '${a.replace(/^-+/, '')}'`);
        throw new UsageError(`unexpected argument "${a}"\n${USAGE}`);
    }
  }
  if (!o.file) throw new UsageError(`no capture file given (-r FILE)\n${USAGE}`);
  if (o.format === 'fields' && o.fields.length === 0) {
    throw new UsageError('"-Tfields" was specified, but no fields were specified with "-e".');
  }
  return o;
}

/** The output sink: buffered writes to stdout (fd 1), flushed in large blocks. */
class Out {
  private parts: string[] = [];
  private size = 0;
  /** where output goes instead of stdout (tests) */
  constructor(private readonly sink?: (s: string) => void) {}
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (!this.parts.length) return;
    if (this.sink) {
      this.sink(this.parts.join(''));
      this.parts = [];
      this.size = 0;
      return;
    }
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(1, buf, off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
        throw e;
      }
    }
    this.parts = [];
    this.size = 0;
  }
}

export interface RunResult {
  code: number;
}

export function run(argv: string[], err: (s: string) => void = (s) => process.stderr.write(s), sink?: (s: string) => void): number {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`wirelens: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  // Fields are checked before the file is opened, as tshark does. The columns of -o gui.column.format are
  // asked for as _ws.col.<title>; their cells come from a ColumnWriter and take their places among the fields.
  const colOf = (name: string) => (o.columns && name.startsWith('_ws.col.') ? o.columns.findIndex((c) => c.title === name.slice(8)) : -1);
  const colAsked = o.fields.map(colOf);
  if (o.columns && o.format !== 'fields') {
    err('wirelens: -o gui.column.format is supported with -T fields only (read the columns with -e _ws.col.<title>)\n');
    return 1;
  }
  const { specs, unknown } = resolveFields(o.fields.filter((_, i) => colAsked[i]! < 0));
  const colWriter = o.columns && colAsked.some((c) => c >= 0) ? new ColumnWriter(o.columns.map((c) => c.kind)) : null;
  if (unknown.length) {
    err(`wirelens: Some fields aren't valid:\n${unknown.map((n) => `\t${n}\n`).join('')}`);
    return 1;
  }
  const compiled = compileFilter(o.filter);
  if (!compiled.ok) {
    const e = compiled.error;
    err(`wirelens: ${e.message}\n    ${o.filter}\n    ${' '.repeat(e.start)}${'^'.repeat(Math.max(1, e.end - e.start))}\n`);
    return 2;
  }
  const filter = compiled.filter;
  let cap: Capture;
  try {
    cap = new Capture(openSource(o.file), o.prefs);
  } catch (e) {
    if (e instanceof CaptureError) {
      err(`wirelens: The file "${basename(o.file)}" isn't a capture file in a format wirelens understands: ${e.message}\n`);
      return 2;
    }
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      err(`wirelens: The file "${o.file}" doesn't exist.\n`);
      return 2;
    }
    throw e;
  }
  const out = new Out(sink);
  const clock = new TimeColumn(o.time);
  const quote = o.quote === 'd' ? '"' : o.quote === 's' ? "'" : '';
  const writer = new FieldsWriter(specs, { occurrence: o.occurrence, aggregator: o.aggregator, quote });
  if (o.header && o.format === 'fields') out.write(o.fields.join(o.separator) + '\n');
  let printed = 0;
  let stop = false;
  const fieldCells = (pkt: Packet, time: string): string[] => {
    const cells = writer.cells(pkt, time);
    if (!colWriter) return cells;
    const cols = colWriter.cells(pkt, time);
    let n = 0;
    return colAsked.map((c) => (c >= 0 ? (cols[c] ? quote + cols[c] + quote : '') : cells[n++]!));
  };
  const onFrame = (pkt: Packet) => {
    if (stop) return;
    // a frame without a timestamp has the time tshark measures the next ones from (see the readers)
    clock.saw(pkt.meta.tsSec, pkt.meta.tsNsec);
    if (o.filter && !filter.match(pkt)) return;
    const time = clock.text(frameDecimals(cap.info, pkt.meta.iface));
    if (o.format === 'fields') {
      out.write(fieldCells(pkt, time).join(o.separator) + '\n');
    } else if (o.verbose) {
      out.write(verboseLines(pkt.items).join('\n') + '\n\n');
    } else {
      out.write(summaryLine(pkt, time) + '\n');
    }
    printed++;
    if (printed >= o.count) stop = true;
  };
  const fieldDefs = specs.filter((f): f is FieldDef => typeof f !== 'string');
  const indexed = o.format === 'fields' && !o.verbose && !colWriter && fieldDefs.length === specs.length && allIndexed(fieldDefs);
  const matcher = indexed && o.filter ? IndexMatcher.for(filter) : null;
  if (indexed && (!o.filter || (matcher && !matcher.analysis))) {
    // Every answer is in the header index: read the records and dissect only the frames it cannot answer for.
    const view = cap.indexView();
    const keep = new Set([...fieldDefs, ...filter.fields].map((f) => f.id));
    const direct = new IndexFieldsWriter(fieldDefs, { occurrence: o.occurrence, aggregator: o.aggregator, quote }, o.separator);
    let next = 1;
    while (!stop) {
      const done = cap.index(65536);
      const t = cap.frames;
      for (; next <= t.count && !stop; next++) {
        const i = next - 1;
        if (cap.hdr.kind[i]! & F_COMPLEX) {
          const pkt = cap.dissectAlone(next, keep);
          if (o.filter && !filter.match(pkt)) continue;
          // no column fields on this path: the Time column is never asked for
          out.write(writer.cells(pkt, '').join(o.separator) + '\n');
        } else {
          if (matcher && !matcher.match(view, i)) continue;
          out.write(direct.line(view, i) + '\n');
        }
        if (++printed >= o.count) stop = true;
      }
      if (done) break;
    }
  } else {
    // Protocol fields print their item's text, so those need the tree's texts too.
    const tree = o.verbose || specs.some((f) => typeof f !== 'string' && f.type === 'protocol');
    // keep only the items the output and the filter read (all of them for -V)
    const keep: Packet['keep'] =
      o.verbose || o.format !== 'fields'
        ? o.filter
          ? new Set(filter.fields.map((f) => f.id))
          : 'none'
        : new Set([...fieldDefs.map((f) => f.id), ...filter.fields.map((f) => f.id), ...(colWriter?.keep ?? [])]);
    while (!stop && !cap.load(4096, onFrame, { tree, keep: o.verbose ? 'all' : keep })) {
      /* keep reading */
    }
  }
  out.flush();
  if (cap.error) {
    const e = cap.error;
    if (e.kind === 'cut-short') err(`wirelens: The file "${basename(o.file)}" appears to have been cut short in the middle of a packet.\n`);
    else err(`wirelens: The file "${basename(o.file)}" appears to be damaged or corrupt.\n(${e.message})\n`);
    return 2;
  }
  return 0;
}
