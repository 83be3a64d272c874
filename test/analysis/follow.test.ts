// Follow TCP/UDP stream against `tshark -q -z follow,PROTO,raw,N` (run live when tshark is installed):
// the same nodes and the same chunks (direction and bytes), for every stream of the sample, of the
// fixtures with retransmitted / overlapping / out-of-order segments, and of a multi-segment download.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import {
  asciiText,
  followChunks,
  followRawText,
  followStream,
  summarize,
  type FollowSegment,
} from '../../src/core/analysis/follow';
import { tcpStreamCount } from '../../src/core/analysis/streams';

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

/** tshark's follow blocks, keyed by 'tcp 0': node labels and chunk lines ('\t' prefix = node 1). */
function tsharkFollow(path: string, specs: string[]): Map<string, { nodes: [string, string]; lines: string[] }> {
  const args = ['-n', '-r', path, '-q'];
  for (const s of specs) args.push('-z', `follow,${s.replace(' ', ',raw,')}`);
  const out = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  const res = new Map<string, { nodes: [string, string]; lines: string[] }>();
  const blocks = out.split(/^={20,}\n/m);
  for (const b of blocks) {
    const m = /^Follow: (\w+),raw\nFilter: \w+\.stream eq (\d+)\nNode 0: (.*)\nNode 1: (.*)\n([\s\S]*)$/.exec(b);
    if (!m) continue;
    const lines = m[5]!.split('\n').filter((l) => l.length > 0);
    res.set(`${m[1]} ${m[2]}`, { nodes: [m[3]!, m[4]!], lines });
  }
  return res;
}

function ours(cap: Capture, kind: 'tcp' | 'udp', stream: number) {
  const r = followStream(cap, kind, stream);
  return {
    nodes: r.nodes ? [r.nodes[0].label, r.nodes[1].label] : [':0', ':0'],
    lines: r.chunks.map((c) => (c.dir ? '\t' : '') + Buffer.from(c.data).toString('hex')),
    r,
  };
}

function udpStreamCount(cap: Capture): number {
  let max = -1;
  for (let n = 1; n <= cap.frames.count; n++) {
    const d = cap.session.frameData<{ stream: number }>('udp', n);
    if (d) max = Math.max(max, d.stream);
  }
  return max + 1;
}

const CASES: Array<[string, string]> = [
  ['sample http-get', join(ROOT, 'public/samples/http-get.pcap')],
  ['smtp with retransmissions and dup ACKs', join(FIX, 'zeek__smtp.pcap')],
  ['headers-only snapshot (no payload captured)', join(FIX, 'zeek__retransmit-fast009.pcap')],
  ['ctu retransmissions', join(FIX, 'zeek__ctu-64702-888.pcap')],
  ['dns over udp', join(FIX, 'tcpdump__dns_udp.pcap')],
  ['dns over tcp', join(FIX, 'tcpdump__dns_tcp.pcap')],
  ['ipv6 http', join(FIX, '06_ipv6_http_loopback.pcap')],
  ['udp port unreachable (ICMP error quoting UDP)', join(FIX, '03_udp_port_unreachable.pcap')],
  ['ipv6 fragmented dns', join(FIX, 'zeek__ipv6-fragmented-dns.pcap')],
  ['tls', join(FIX, 'zeek__tls-conn-with-extensions.pcap')],
  ['zero window', join(FIX, '05_tcp_zero_window_netns.pcap')],
  ['many out-of-order / retransmitted segments', join(FIX, 'zeek__206_example_b.pcap')],
  ['2 MB download (multi-segment)', join(FIX, '05_http_download_2mb_netns.pcap')],
  ['2 MB download, slow reader', join(FIX, '05_http_download_2mb_slow_reader_netns.pcap')],
  ['wiregasm http', join(SHARED, 'public/wiregasm__http.cap')],
  ['espn (many streams)', join(SHARED, 'public/chrissanders__http_espn.pcapng')],
  ['tcpreplay test', join(SHARED, 'public/tcpreplay__test.pcap')],
];

describe.skipIf(!TSHARK)('follow matches tshark -z follow,PROTO,raw,N', () => {
  for (const [name, path] of CASES) {
    it.skipIf(!existsSync(path))(name, { timeout: 60_000 }, () => {
      const cap = load(path);
      const specs: string[] = [];
      for (let s = 0; s < Math.min(60, tcpStreamCount(cap.session)); s++) specs.push(`tcp ${s}`);
      for (let s = 0; s < Math.min(60, udpStreamCount(cap)); s++) specs.push(`udp ${s}`);
      expect(specs.length).toBeGreaterThan(0);
      const want = tsharkFollow(path, specs);
      for (const spec of specs) {
        const [kind, n] = spec.split(' ') as ['tcp' | 'udp', string];
        const w = want.get(spec);
        expect(w, `tshark answered for ${spec}`).toBeDefined();
        const o = ours(cap, kind, Number(n));
        expect(o.nodes, `${spec} nodes`).toEqual(w!.nodes);
        expect(o.lines.length, `${spec} chunk count`).toBe(w!.lines.length);
        expect(o.lines, `${spec} chunks`).toEqual(w!.lines);
      }
    });
  }

  it('the raw text form is tshark’s', () => {
    const path = join(ROOT, 'public/samples/http-get.pcap');
    const cap = load(path);
    const want = execFileSync('tshark', ['-n', '-r', path, '-q', '-z', 'follow,tcp,raw,0'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(followRawText(followStream(cap, 'tcp', 0))).toBe(want);
  });
});

describe('follow on the sample', () => {
  const cap = load(join(ROOT, 'public/samples/http-get.pcap'));
  const r = followStream(cap, 'tcp', 0);

  it('request from the client, the response in two segments from the server', () => {
    expect(r.filter).toBe('tcp.stream eq 0');
    expect(r.nodes?.map((n) => n.label)).toEqual(['127.0.0.1:43874', '127.0.0.1:11699']);
    expect(r.chunks.map((c) => [c.frame, c.dir, c.data.length])).toEqual([
      [4, 0, 79],
      [6, 1, 186],
      [8, 1, 233],
    ]);
    expect(asciiText(r.chunks[0]!.data)).toMatch(/^GET \/ HTTP\/1\.1\r\n/);
    expect(asciiText(r.chunks[1]!.data)).toMatch(/^HTTP\/1\.0 200 OK\r\n/);
    expect(r.bytes).toEqual([79, 419]);
    expect(r.packets).toEqual([1, 2]);
    expect(r.turns).toBe(1);
  });

  it('a stream that does not exist is empty', () => {
    const e = followStream(cap, 'tcp', 7);
    expect(e.nodes).toBeNull();
    expect(e.chunks).toEqual([]);
    expect(followStream(cap, 'udp', 0).chunks).toEqual([]);
  });
});

describe('TCP ordering rules', () => {
  const b = (s: string) => new TextEncoder().encode(s);
  const seg = (frame: number, fromClient: boolean, seq: number, data: string, flags = 0x18): FollowSegment => ({
    frame,
    srcAddr: fromClient ? '10.0.0.1' : '10.0.0.2',
    srcPort: fromClient ? 40000 : 80,
    dstAddr: fromClient ? '10.0.0.2' : '10.0.0.1',
    dstPort: fromClient ? 80 : 40000,
    seq,
    flags,
    data: b(data),
  });
  const text = (segs: FollowSegment[]) =>
    followChunks('tcp', segs).chunks.map((c) => `${c.frame}${c.dir ? 'S' : 'C'}:${new TextDecoder().decode(c.data)}`);

  it('SYN takes one sequence number; a retransmission is dropped; an overlap gives only its new bytes', () => {
    expect(
      text([
        seg(1, true, 99, '', 0x02),
        seg(2, false, 499, '', 0x12),
        seg(3, true, 100, 'abc'),
        seg(4, true, 100, 'abc'),
        seg(5, true, 101, 'bcdef'),
        seg(6, false, 500, 'xyz'),
      ]),
    ).toEqual(['3C:abc', '5C:def', '6S:xyz']);
  });

  it('a segment after a gap waits for the gap to be filled', () => {
    expect(text([seg(1, true, 100, 'abc'), seg(2, true, 106, 'ghi'), seg(3, false, 7, 'R'), seg(4, true, 103, 'def')])).toEqual([
      '1C:abc',
      '3S:R',
      '4C:def',
      '2C:ghi',
    ]);
  });

  it('a gap the peer has acknowledged was lost before the capture: its size is reported and the data goes on', () => {
    const ack = (frame: number, n: number): FollowSegment => ({ ...seg(frame, true, 10, '', 0x10), ack: n });
    const { chunks } = followChunks('tcp', [ack(1, 100), seg(2, false, 100, 'abc'), ack(3, 110), seg(4, false, 110, 'klm'), seg(5, false, 103, 'def')]);
    expect(chunks.map((c) => [c.frame, c.dir, new TextDecoder().decode(c.data), c.missing])).toEqual([
      [2, 1, 'abc', undefined],
      [4, 1, '[7 bytes missing in capture file]\0', 7],
      [4, 1, 'klm', undefined],
    ]);
    // the late segment was before what was emitted: dropped; the notice counts neither as packet nor bytes
    expect(summarize(chunks)).toEqual({ bytes: [0, 6], packets: [0, 2], turns: 0 });
  });

  it('sequence numbers wrap around 2^32', () => {
    expect(text([seg(1, true, 0xfffffffe, 'ab'), seg(2, true, 0, 'cd'), seg(3, true, 0xffffffff, 'bc')])).toEqual(['1C:ab', '2C:cd']);
  });

  it('counts packets, bytes and turns per direction', () => {
    const { chunks } = followChunks('tcp', [seg(1, true, 1, 'a'), seg(2, false, 1, 'bb'), seg(3, false, 3, 'c'), seg(4, true, 2, 'dd')]);
    expect(summarize(chunks)).toEqual({ bytes: [3, 3], packets: [2, 2], turns: 2 });
  });
});
