// Capture properties against capinfos, I/O graph buckets and TCP stream graph data against tshark's
// fields, and the dissection exports against tshark's -V / columns / -T json.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { captureProperties, utcTimeText } from '../../src/core/stats/properties';
import { computeIoGraph } from '../../src/core/stats/iograph';
import { computeTcpGraph, tcpStreamFacts, graphDirection } from '../../src/core/stats/tcp-graph';
import { exportDissections } from '../../src/core/stats/export';
import { streamFrames } from '../../src/core/analysis/streams';
import { FIX, loadCapture } from './util';

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TZ: 'UTC', LC_ALL: 'C.UTF-8' } });
}
function has(cmd: string): boolean {
  try {
    execFileSync(cmd, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const TSHARK = has('tshark');
const CAPINFOS = has('capinfos');

describe('capture file properties', () => {
  for (const name of ['01_http_get_loopback.pcap', '07_merged_multi_interface_comments.pcapng', 'tcpdump__tcp-handshake-nano.pcap', 'zeek__pcapng-multi-interface.pcapng', 'zeek__smtp.pcap']) {
    it.skipIf(!CAPINFOS)(`${name} as capinfos counts it`, () => {
      const cap = loadCapture(name);
      const p = captureProperties(cap, { name, size: 0 });
      const ci = run('capinfos', ['-M', join(FIX, name)]);
      const line = (k: string) => new RegExp(`^${k}:\\s+(.*)$`, 'm').exec(ci)?.[1]?.trim();
      expect(p.captured.packets).toBe(Number(line('Number of packets')));
      expect(`${p.captured.bytes} bytes`).toBe(line('Data size'));
      const digits = (k: string) => line(k)!.split(' ')[1]!.split('.')[1]!.length;
      expect(utcTimeText(p.captured.first, digits('First packet time'))).toBe(line('First packet time'));
      expect(utcTimeText(p.captured.last, digits('Last packet time'))).toBe(line('Last packet time'));
      expect(p.captured.elapsed).toBeCloseTo(Number(line('Capture duration')!.replace(' seconds', '')), 5);
      expect(`${p.captured.avgSize.toFixed(2)} bytes`).toBe(line('Average packet size'));
      // (capinfos divides by a duration computed from floating-point epoch times: equal to about 1e-6)
      const rate = (k: string) => Number(line(k)!.split(' ')[0]);
      const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.max(0.006, Math.abs(b) * 1e-4));
      near(p.captured.bytesPerSec, rate('Data byte rate'));
      near(p.captured.packetsPerSec, rate('Average packet rate'));
      for (const c of p.sectionComments) expect(ci).toContain(c);
      expect(p.interfaces.map((i) => i.packets)).toEqual([...ci.matchAll(/Number of packets = (\d+)/g)].map((m) => Number(m[1])));
    });
  }

  it('counts displayed and marked frames separately', () => {
    const cap = loadCapture('01_http_get_loopback.pcap');
    const p = captureProperties(cap, { name: 'x', size: 1, displayed: [1, 2, 3], marked: [4] });
    expect(p.displayed?.packets).toBe(3);
    expect(p.displayed?.bytes).toBe(cap.meta(1).origLen + cap.meta(2).origLen + cap.meta(3).origLen);
    expect(p.marked?.packets).toBe(1);
    expect(p.captured.packets).toBe(12);
  });
});

describe('I/O graph', () => {
  const CASES: [string, string, number][] = [
    ['05_http_download_2mb_slow_reader_netns.pcap', 'tcp.len > 0', 100],
    ['zeek__smtp.pcap', 'tcp.port == 25 || dns', 86_400_000],
    ['07_merged_multi_interface_comments.pcapng', '', 1000],
  ];
  for (const [name, filter, ms] of CASES) {
    it.skipIf(!TSHARK)(`${name} “${filter}” per ${ms} ms as tshark's frames fall`, { timeout: 60_000 }, () => {
      const cap = loadCapture(name);
      const d = computeIoGraph(cap, [
        { name: 'a', filter, unit: 'packets' },
        { name: 'b', filter, unit: 'bytes' },
        { name: 'bad', filter: 'tcp.port ==', unit: 'packets' },
      ], ms);
      const rows = run('tshark', ['-r', join(FIX, name), ...(filter ? ['-Y', filter] : []), '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_relative', '-e', 'frame.len'])
        .trim()
        .split('\n')
        .map((l) => l.split('\t').map(Number));
      const pk: number[] = [];
      const by: number[] = [];
      const first: number[] = [];
      for (const [num, t, len] of rows as [number, number, number][]) {
        const b = Math.floor((t * 1000 + 1e-6) / ms);
        pk[b] = (pk[b] ?? 0) + 1;
        by[b] = (by[b] ?? 0) + len;
        first[b] ??= num;
      }
      const dense = (a: number[]) => Array.from({ length: d.buckets }, (_, i) => a[i] ?? 0);
      expect(d.series[0]!.values).toEqual(dense(pk));
      expect(d.series[1]!.values).toEqual(dense(by));
      expect(d.series[0]!.frames).toEqual(dense(first));
      expect(d.series[0]!.total).toBe(rows.length);
      expect(d.series[2]!.error).toBeTruthy();
      expect(d.series[2]!.values).toEqual([]);
      expect(d.clipped).toBe(0);
    });
  }

  it('leaves out frames beyond the last interval it keeps, and says how many', () => {
    // zeek__smtp.pcap spans six years: at 1 s most of its frames are too far
    const d = computeIoGraph(loadCapture('zeek__smtp.pcap'), [{ name: 'all', filter: '', unit: 'packets' }], 1000);
    expect(d.buckets).toBeLessThanOrEqual(100_000);
    expect(d.clipped).toBeGreaterThan(0);
    expect(d.series[0]!.total + d.clipped).toBe(125);
  });
});

describe('TCP stream graph', () => {
  it.skipIf(!TSHARK)('zeek__retransmit-fast009: segments, retransmission marks and RTTs as tshark has them', { timeout: 60_000 }, () => {
    const name = 'zeek__retransmit-fast009.pcap';
    const cap = loadCapture(name);
    const frames = streamFrames(cap.session, 'tcp', 0);
    const facts = tcpStreamFacts(cap, frames);
    // frame 32 is a fast retransmission from the server: the server's direction is graphed
    const dir = graphDirection(facts, 32);
    const g = computeTcpGraph(cap, 0, dir)!;
    expect(g.from).toBe('192.168.0.27:80');
    const t = (filter: string, ...f: string[]) =>
      run('tshark', ['-r', join(FIX, name), '-Y', filter, '-T', 'fields', ...f.flatMap((x) => ['-e', x])])
        .trim()
        .split('\n')
        .filter(Boolean);
    expect(g.segments.map((s) => `${s.frame} ${s.seq} ${s.len}`)).toEqual(t('ip.src == 192.168.0.27', 'frame.number', 'tcp.seq', 'tcp.len').map((l) => l.replace(/\t/g, ' ')));
    expect(g.segments.filter((s) => s.mark === 'retransmission' || s.mark === 'fast_retransmission').map((s) => s.frame)).toEqual(
      t('tcp.analysis.retransmission || tcp.analysis.fast_retransmission', 'frame.number').map(Number),
    );
    expect(g.segments.find((s) => s.frame === 32)?.mark).toBe('fast_retransmission');
    expect(g.acks.map((a) => `${a.frame} ${a.ack} ${a.win}`)).toEqual(
      t('ip.src == 10.0.88.85 && tcp.flags.ack == 1', 'frame.number', 'tcp.ack', 'tcp.window_size').map((l) => l.replace(/\t/g, ' ')),
    );
    const rtts = t('ip.src == 10.0.88.85 && tcp.analysis.ack_rtt', 'frame.number', 'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt');
    expect(g.rtt.map((r) => `${r.frame}\t${r.segFrame}\t${r.rtt.toFixed(9)}`)).toEqual(rtts);
    expect(g.throughput.length).toBeGreaterThan(10);
    for (const p of g.throughput) expect(p.bps).toBeGreaterThanOrEqual(p.goodput);
    expect(g.retransmittedBytes).toBe(3 * 1430);
  });
});

describe('packet dissection exports', () => {
  it.skipIf(!TSHARK)('text is tshark -V, CSV the packet-list columns, JSON tshark -T json’s layout', { timeout: 60_000 }, () => {
    const name = '01_http_get_loopback.pcap';
    const cap = loadCapture(name);
    const all = Array.from({ length: cap.frames.count }, (_, i) => i + 1);
    // the same packets and protocol layers as tshark -V (details inside the layers are the dissectors' business)
    const top = (t: string) => t.split('\n').filter((l) => l && !l.startsWith(' ')).map((l) => l.replace(/ on interface unknown, id 0/, ''));
    const text = exportDissections(cap, all, 'text');
    expect(top(text)).toEqual(top(run('tshark', ['-r', join(FIX, name), '-V'])));
    expect(text.split('\n\n').filter((b) => b.trim())).toHaveLength(12);
    const csv = exportDissections(cap, [1, 4], 'csv').trim().split('\n');
    expect(csv[0]).toBe('"No.","Time","Source","Destination","Protocol","Length","Info"');
    const cols = run('tshark', ['-r', join(FIX, name), '-Y', 'frame.number == 1 || frame.number == 4', '-T', 'fields', '-E', 'quote=d', '-E', 'separator=,', ...['_ws.col.No.', '_ws.col.Time', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Length', '_ws.col.Info'].flatMap((f) => ['-e', f])]);
    expect(csv.slice(1)).toEqual(cols.trim().split('\n'));
    const ours = JSON.parse(exportDissections(cap, all, 'json')) as { _source: { layers: Record<string, Record<string, unknown>> } }[];
    const theirs = JSON.parse(run('tshark', ['-r', join(FIX, name), '-T', 'json'])) as typeof ours;
    expect(ours).toHaveLength(theirs.length);
    for (let i = 0; i < ours.length; i++) {
      const a = ours[i]!._source.layers;
      const b = theirs[i]!._source.layers;
      expect(Object.keys(a)).toEqual(Object.keys(b));
      for (const f of ['frame.number', 'frame.len', 'frame.time_epoch', 'frame.protocols']) expect(a.frame![f]).toBe(b.frame![f]);
      for (const f of ['ip.src', 'ip.dst', 'ip.ttl', 'ip.proto']) expect(a.ip![f]).toBe(b.ip![f]);
      for (const f of ['tcp.srcport', 'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.flags']) expect(a.tcp![f]).toBe(b.tcp![f]);
      expect(ours[i]).toMatchObject({ _index: theirs[i]!['_index' as never], _type: 'doc', _score: null });
    }
  });
});
