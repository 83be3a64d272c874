// Conversation tables against `tshark -n -q -z conv,eth -z conv,ip -z conv,ipv6 -z conv,tcp -z conv,udp`
// (run live when tshark is installed): the same conversations with the same address order (A first),
// packet and byte counts in total and per direction, relative start and duration.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import {
  computeConversations,
  conversationFilter,
  endpointText,
  type ConvKind,
  type ConvRow,
} from '../../src/core/analysis/conversations';

const ROOT = join(__dirname, '../..');
const FIX = join(ROOT, 'test/fixtures/captures');
const SHARED = join(ROOT, '../shared/captures');

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const TSHARK = hasTshark();

function load(path: string): Capture {
  const cap = new Capture(new MemorySource(new Uint8Array(readFileSync(path))));
  cap.load();
  return cap;
}

/** tshark 4.0 prints byte counts below 10 000 as 'N bytes', then in whole kB / MB / GB (rounded down). */
function tsharkSize(n: number): string {
  if (n < 10_000) return `${n} bytes`;
  if (n < 10_000_000) return `${Math.floor(n / 1000)} kB`;
  if (n < 10_000_000_000) return `${Math.floor(n / 1e6)} MB`;
  return `${Math.floor(n / 1e9)} GB`;
}

const TITLES: Record<string, ConvKind> = {
  'Ethernet Conversations': 'eth',
  'IPv4 Conversations': 'ipv4',
  'IPv6 Conversations': 'ipv6',
  'TCP Conversations': 'tcp',
  'UDP Conversations': 'udp',
};

/** One line per conversation, in tshark's text form. */
function tsharkConv(path: string): Record<ConvKind, string[]> {
  const out = execFileSync(
    'tshark',
    ['-n', '-r', path, '-q', '-z', 'conv,eth', '-z', 'conv,ip', '-z', 'conv,ipv6', '-z', 'conv,tcp', '-z', 'conv,udp'],
    { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const res = { eth: [], ipv4: [], ipv6: [], tcp: [], udp: [] } as Record<ConvKind, string[]>;
  let kind: ConvKind | null = null;
  for (const line of out.split('\n')) {
    if (TITLES[line.trim()]) kind = TITLES[line.trim()]!;
    const m = /^(\S+)\s+<->\s+(\S+)\s+(\d+) (\d+ \w+)\s+(\d+) (\d+ \w+)\s+(\d+) (\d+ \w+)\s+(-?[\d.]+)\s+(-?[\d.]+)$/.exec(line);
    if (!m || !kind) continue;
    // <- is B→A, -> is A→B
    res[kind].push(
      [m[1], m[2], `total ${m[7]} ${m[8]}`, `A→B ${m[5]} ${m[6]}`, `B→A ${m[3]} ${m[4]}`, `start ${Number(m[9]).toFixed(6)}`, `dur ${m[10]}`].join(' | '),
    );
  }
  return res;
}

/** Our row in the same form (tshark writes IPv6 endpoints with ports without brackets). */
function line(r: ConvRow): string {
  const ep = (a: string, p?: number) => (p === undefined ? a : `${a}:${p}`);
  return [
    ep(r.addrA, r.portA),
    ep(r.addrB, r.portB),
    `total ${r.packets} ${tsharkSize(r.bytes)}`,
    `A→B ${r.packetsAB} ${tsharkSize(r.bytesAB)}`,
    `B→A ${r.packetsBA} ${tsharkSize(r.bytesBA)}`,
    `start ${r.relStart.toFixed(6)}`,
    `dur ${r.duration.toFixed(4)}`,
  ].join(' | ');
}

/** tshark lists conversations by packet count, largest first (ties in order of first appearance). */
function tsharkOrder(rows: ConvRow[]): ConvRow[] {
  return rows.map((r, i) => [r, i] as const).sort((a, b) => b[0].packets - a[0].packets || a[1] - b[1]).map(([r]) => r);
}

function captures(): string[] {
  const out = [join(ROOT, 'public/samples/http-get.pcap')];
  for (const f of readdirSync(FIX)) if (/\.(pcap|pcapng|cap)$/.test(f)) out.push(join(FIX, f));
  for (const f of ['public/chrissanders__http_espn.pcapng', 'public/wiregasm__http.cap', 'public/tcpreplay__test.pcap', 'public/wiregasm__dhcp.pcap']) {
    if (existsSync(join(SHARED, f))) out.push(join(SHARED, f));
  }
  return out;
}

describe.skipIf(!TSHARK)('conversations match tshark -z conv,…', () => {
  for (const path of captures()) {
    it(path.split('/').pop()!, { timeout: 60_000 }, () => {
      const cap = load(path);
      const ours = computeConversations(cap);
      const want = tsharkConv(path);
      for (const k of ['eth', 'ipv4', 'ipv6', 'tcp', 'udp'] as ConvKind[]) {
        expect(tsharkOrder(ours[k]).map(line), `${k} conversations`).toEqual(want[k]);
      }
    });
  }
});

describe('conversations of the sample', () => {
  const cap = load(join(ROOT, 'public/samples/http-get.pcap'));
  const t = computeConversations(cap);

  it('one TCP conversation: 6 packets each way, A is the client', () => {
    expect(t.tcp).toHaveLength(1);
    const r = t.tcp[0]!;
    expect([endpointText(r.addrA, r.portA), endpointText(r.addrB, r.portB)]).toEqual(['127.0.0.1:43874', '127.0.0.1:11699']);
    expect([r.packets, r.bytes, r.packetsAB, r.bytesAB, r.packetsBA, r.bytesBA]).toEqual([12, 1306, 6, 483, 6, 823]);
    expect(r.stream).toBe(0);
    expect(r.firstFrame).toBe(1);
    expect(r.lastFrame).toBe(12);
    expect(r.duration).toBeCloseTo(0.008139, 6);
    expect(t.udp).toEqual([]);
    expect(t.ipv6).toEqual([]);
  });

  it('a loopback IP conversation counts everything as A→B, like tshark', () => {
    expect(t.ipv4.map((r) => [r.addrA, r.addrB, r.packetsAB, r.packetsBA])).toEqual([['127.0.0.1', '127.0.0.1', 12, 0]]);
  });

  it('filters as Wireshark applies them', () => {
    expect(conversationFilter(t.tcp[0]!)).toBe('tcp.stream eq 0');
    expect(conversationFilter(t.ipv4[0]!)).toBe('ip.addr==127.0.0.1 && ip.addr==127.0.0.1');
    expect(conversationFilter({ kind: 'eth', addrA: '00:00:00:00:00:01', addrB: 'ff:ff:ff:ff:ff:ff' })).toBe(
      'eth.addr==00:00:00:00:00:01 && eth.addr==ff:ff:ff:ff:ff:ff',
    );
    expect(conversationFilter({ kind: 'ipv6', addrA: '::1', addrB: '2001:db8::1' })).toBe('ipv6.addr==::1 && ipv6.addr==2001:db8::1');
    expect(conversationFilter({ kind: 'udp', addrA: '10.0.0.1', portA: 5353, addrB: '10.0.0.2', portB: 53 })).toBe(
      'ip.addr==10.0.0.1 && udp.port==5353 && ip.addr==10.0.0.2 && udp.port==53',
    );
    expect(conversationFilter({ kind: 'udp', addrA: 'a', addrB: 'b', stream: 3 })).toBe('udp.stream eq 3');
  });
});
