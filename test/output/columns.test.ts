// Custom columns ("Apply as Column"): our CLI's -o gui.column.format against tshark's (scripts/column-goldens.mjs),
// each field as a column of values (U) and of resolved strings (R); the packet list shows the same texts.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, capturePath, root } from './cli-helpers';
import { columnFormatCode, parseColumnFormat } from '../../src/core/output/columns';
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import { exportDissections } from '../../src/core/stats/export';

const dir = join(root, 'test', 'fixtures', 'golden', 'columns');

interface Golden {
  frames: number;
  fields: Record<string, { values: string[]; strings: string[] }>;
}


const goldens = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('custom columns agree with tshark', () => {
  it('has goldens', () => expect(goldens.length).toBeGreaterThanOrEqual(10));
  it.each(goldens)('%s', (file) => {
    const g = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Golden;
    const fields = Object.keys(g.fields);
    const fmt = fields.flatMap((f, i) => [`"u${i}","%Cus:${f}:0:U"`, `"r${i}","%Cus:${f}:0:R"`]).join(',');
    const args = ['-r', capturePath(file.replace(/\.json$/, '')), '-c', String(g.frames), '-o', `gui.column.format:"No.","%m",${fmt}`, '-T', 'fields', '-E', 'separator=\u0001'];
    fields.forEach((_, i) => args.push('-e', `_ws.col.u${i}`, '-e', `_ws.col.r${i}`));
    const r = cli(args);
    expect(r.err).toBe('');
    const rows = r.out.split('\n').filter((l) => l !== '').map((l) => l.split('\u0001'));
    expect(rows.length).toBe(g.frames);
    const wrong: string[] = [];
    fields.forEach((f, i) => {
      for (let n = 0; n < g.frames; n++) {
        const want = [g.fields[f]!.values[n], g.fields[f]!.strings[n]];
        const got = [rows[n]![2 * i] ?? '', rows[n]![2 * i + 1] ?? ''];
        if (got[0] !== want[0] || got[1] !== want[1]) {
          wrong.push(`${f} frame ${n + 1}: got ${JSON.stringify(got)}, tshark ${JSON.stringify(want)}`);
          break;
        }
      }
    });
    expect(wrong).toEqual([]);
  });
});

describe('gui.column.format', () => {
  it.each([
    ['"No.","%m","TTL","%Cus:ip.ttl:0:R"', ['%m', '%Cus:ip.ttl:0:R']],
    ['"Time","%t", "Flags","%Cus:tcp.flags:2:U"', ['%t', '%Cus:tcp.flags:2:U']],
    ['"Last","%Cus:ip.src:-1"', ['%Cus:ip.src:-1:R']],
  ])('%s', (text, codes) => {
    const r = parseColumnFormat(text);
    expect(r.ok && r.columns.map((c) => columnFormatCode(c.kind))).toEqual(codes);
  });
  it.each([
    ['"No."', 'column format needs a title and a format for each column'],
    ['"X","%Cus:ip.nosuch:0:R"', '"ip.nosuch" is not a valid field in column "X"'],
    ['"X","%q"', 'column format "%q" is not supported (use %m %t %s %d %p %L %i or %Cus:FIELD:OCCURRENCE:R|U)'],
    ['No.,%m', 'column format "No.,%m" is not a list of quoted strings'],
  ])('%s is refused: %s', (text, message) => {
    expect(parseColumnFormat(text)).toEqual({ ok: false, message });
  });
  it('picks one occurrence', () => {
    // frame 2 is ICMP port unreachable quoting the UDP datagram's IP header: two ip.proto, 1 and 17
    const f = capturePath('03_udp_port_unreachable.pcap');
    const all = cli(['-r', f, '-o', 'gui.column.format:"A","%Cus:ip.proto:0:U","F","%Cus:ip.proto:1:U","L","%Cus:ip.proto:-1:R"', '-T', 'fields', '-e', '_ws.col.A', '-e', '_ws.col.F', '-e', '_ws.col.L', '-Y', 'icmp.type == 3']);
    expect(all.out).toBe('1,17\t1\tUDP\n');
  });
});

describe('CSV export has the columns shown', () => {
  it('custom columns and the time format, titled as the list', () => {
    const path = capturePath('01_http_get_loopback.pcap');
    const g = JSON.parse(readFileSync(join(dir, '01_http_get_loopback.pcap.json'), 'utf8')) as Golden;
    const cap = new Capture(new MemorySource(new Uint8Array(readFileSync(path))));
    while (!cap.load(4096)) {
      /* read it all */
    }
    const csv = exportDissections(cap, [1, 4, 8], 'csv', {
      time: 'dd',
      columns: [
        { title: 'No.', kind: { builtin: 'num' } },
        { title: 'Time', kind: { builtin: 'time' } },
        { title: 'Syn', kind: { custom: { field: 'tcp.flags.syn', occurrence: 0, resolved: true } } },
        { title: 'TTL', kind: { custom: { field: 'ip.ttl', occurrence: 0, resolved: false } } },
        { title: 'Info', kind: { builtin: 'info' } },
      ],
    });
    const syn = g.fields['tcp.flags.syn']!.strings;
    // tshark -t dd over frames 1, 4 and 8 alone: 0, then 4 − 1 and 8 − 4 (µs)
    expect(csv.split('\n')).toEqual([
      '"No.","Time","Syn","TTL","Info"',
      `"1","0.000000","${syn[0]}","64","43874 → 11699 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=2660436950 TSecr=0 WS=1024"`,
      `"4","0.000093","${syn[3]}","64","GET / HTTP/1.1 "`,
      `"8","0.007885","${syn[7]}","64","HTTP/1.0 200 OK  (text/html)"`,
      '',
    ]);
  });
});
