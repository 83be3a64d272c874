// Frames of TCP / UDP streams from the first pass, against tshark's tcp.stream / udp.stream of every frame.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import {
  streamFrames,
  streamOf,
  tcpStreamCount,
  tcpStreamFrames,
  tcpStreamOf,
  udpStreamFrames,
  udpStreamOf,
} from '../../src/core/analysis/streams';

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

function load(path: string, maxFrames = Infinity): Capture {
  const cap = new Capture(new MemorySource(new Uint8Array(readFileSync(path))));
  cap.load(maxFrames);
  return cap;
}

describe('streams of the sample', () => {
  const cap = load(join(ROOT, 'public/samples/http-get.pcap'));

  it('TCP stream 0 has all 12 frames (tshark -Y "tcp.stream eq 0" | wc -l)', () => {
    expect([...tcpStreamFrames(cap.session, 0)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(tcpStreamCount(cap.session)).toBe(1);
    expect(tcpStreamOf(cap.session, 4)).toBe(0);
    expect(streamOf(cap.session, 'tcp', 12)).toBe(0);
  });

  it('no UDP, no other stream, no frame 0 or beyond the end', () => {
    expect(udpStreamOf(cap.session, 1)).toBe(-1);
    expect(tcpStreamOf(cap.session, 0)).toBe(-1);
    expect(tcpStreamOf(cap.session, 13)).toBe(-1);
    expect(tcpStreamFrames(cap.session, 1).length).toBe(0);
    expect(tcpStreamFrames(cap.session, -1).length).toBe(0);
    expect(udpStreamFrames(cap.session, 0).length).toBe(0);
  });

  it('covers the frames read so far, and a count limits it', () => {
    const part = load(join(ROOT, 'public/samples/http-get.pcap'), 5);
    expect([...tcpStreamFrames(part.session, 0)]).toEqual([1, 2, 3, 4, 5]);
    expect([...tcpStreamFrames(cap.session, 0, 3)]).toEqual([1, 2, 3]);
  });
});

const CASES = [
  join(FIX, 'zeek__retransmit-fast009.pcap'),
  join(FIX, 'zeek__smtp.pcap'),
  join(FIX, 'tcpdump__dns_udp.pcap'),
  join(FIX, '03_udp_port_unreachable.pcap'),
  join(FIX, 'zeek__ipv6-fragmented-dns.pcap'),
  join(FIX, 'zeek__communityid-icmp6.pcap'),
  join(SHARED, 'public/chrissanders__http_espn.pcapng'),
];

describe.skipIf(!TSHARK)('stream frames match tshark’s tcp.stream and udp.stream', () => {
  for (const path of CASES) {
    it.skipIf(!existsSync(path))(path.split('/').pop()!, () => {
      const out = execFileSync('tshark', ['-n', '-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'udp.stream'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const want = { tcp: new Map<number, number[]>(), udp: new Map<number, number[]>() };
      for (const line of out.trim().split('\n')) {
        const [num, tcp, udp] = line.split('\t');
        // a frame quoting another layer in an ICMP error lists both streams: the first one is the frame's
        for (const [k, v] of [
          ['tcp', tcp],
          ['udp', udp],
        ] as const) {
          if (!v) continue;
          const s = Number(v.split(',')[0]);
          const list = want[k].get(s) ?? [];
          list.push(Number(num));
          want[k].set(s, list);
        }
      }
      const cap = load(path);
      for (const k of ['tcp', 'udp'] as const) {
        for (const [s, frames] of want[k]) expect([...streamFrames(cap.session, k, s)], `${k}.stream eq ${s}`).toEqual(frames);
      }
      if (path.includes('retransmit-fast009')) expect(tcpStreamFrames(cap.session, 0).length).toBe(39);
    });
  }
});
