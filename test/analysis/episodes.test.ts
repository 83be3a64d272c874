// Episodes on real captures: the handshake, the FIN close, a refused connection, retransmissions and a
// fragmented ping, with the frame numbers tshark shows for them (noted per test).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import { episodesAt, fragmentEpisode, shortFlags, tcpEpisodes, type Episode } from '../../src/core/analysis/episodes';
import { buildLadder, type LadderPacket } from '../../src/core/analysis/ladder';

const FIX = join(__dirname, '../fixtures/captures');
const caps = new Map<string, Capture>();
function cap(name: string): Capture {
  let c = caps.get(name);
  if (!c) {
    c = new Capture(new MemorySource(new Uint8Array(readFileSync(join(FIX, name)))));
    c.load();
    caps.set(name, c);
  }
  return c;
}

/** '3-way handshake' style one-liners for compact assertions: 'handshake: 1 SYN, 2 SYN/ACK, 3 ACK'. */
const text = (e: Episode) =>
  `${e.kind}${e.complete ? '' : '?'}: ${e.steps.map((s) => `${s.frame} ${s.flags && s.role !== 'original' && s.role !== 'retransmission' ? s.flags : s.role}`).join(', ')}`;
const at = (name: string, frame: number) => episodesAt(cap(name), frame).map(text);

describe('TCP episodes', () => {
  // tshark -r public/samples/http-get.pcap: 1 [SYN], 2 [SYN, ACK], 3 [ACK] … 10 [FIN, ACK], 11 [FIN, ACK], 12 [ACK]
  it('names the 3-way handshake with its three packets, from any of them', () => {
    for (const f of [1, 2, 3]) expect(at('01_http_get_loopback.pcap', f)).toEqual(['handshake: 1 SYN, 2 SYN/ACK, 3 ACK']);
  });

  it('names the FIN close: FIN/ACK, FIN/ACK (acking the first), last ACK', () => {
    for (const f of [10, 11, 12]) expect(at('01_http_get_loopback.pcap', f)).toEqual(['teardown: 10 FIN/ACK, 11 FIN/ACK, 12 ACK']);
  });

  it('has nothing to say about a data segment in the middle', () => {
    expect(at('01_http_get_loopback.pcap', 4)).toEqual([]);
    expect(at('01_http_get_loopback.pcap', 7)).toEqual([]);
  });

  // tshark -r 02_tcp_connection_refused.pcap: 1 [SYN], 2 [RST, ACK]
  it('names a refused connection: SYN answered by RST/ACK (and not also as a reset)', () => {
    expect(at('02_tcp_connection_refused.pcap', 1)).toEqual(['refused: 1 SYN, 2 RST/ACK']);
    expect(at('02_tcp_connection_refused.pcap', 2)).toEqual(['refused: 1 SYN, 2 RST/ACK']);
  });

  // tshark -r zeek__retransmit-fast009.pcap -Y 'tcp.analysis.retransmission || tcp.analysis.fast_retransmission'
  //   32 [TCP Fast Retransmission] Seq=12871, 34 [TCP Retransmission] Seq=18591, 36 Seq=20021; 39 [RST, ACK]
  //   the server resent with other segment sizes; the first segments holding the first byte resent:
  //   tshark -r … -Y 'tcp.srcport==80 && tcp.seq<=18591 && tcp.nxtseq>18591' → 20 (Seq=17193 Len=1446) and 34
  //   … 12871 → 14 (Seq=11569 Len=1446) and 32; … 20021 → 21 (Seq=18639) and 36
  it('pairs a retransmission with the first transmission of the same bytes, and names a reset', () => {
    const c = cap('zeek__retransmit-fast009.pcap');
    expect(episodesAt(c, 34).map(text)).toEqual(['retransmission: 20 original, 34 retransmission']);
    expect(episodesAt(c, 32).map(text)).toEqual(['retransmission: 14 original, 32 retransmission']);
    expect(episodesAt(c, 36).map(text)).toEqual(['retransmission: 21 original, 36 retransmission']);
    expect(episodesAt(c, 20).map(text)).toContain('retransmission: 20 original, 34 retransmission');
    expect(episodesAt(c, 39).map(text)).toEqual(['reset: 39 RST/ACK']);
    // the handshake of this capture lacks nothing
    expect(episodesAt(c, 1).map(text)).toEqual(['handshake: 1 SYN, 2 SYN/ACK, 3 ACK']);
  });

  it('every retransmission tshark flags becomes an episode of its stream', () => {
    const c = cap('zeek__retransmit-fast009.pcap');
    const retrans = [32, 34, 36];
    for (const f of retrans) {
      const e = episodesAt(c, f).find((x) => x.kind === 'retransmission');
      expect(e, `frame ${f}`).toBeDefined();
      expect(e!.steps.at(-1)).toMatchObject({ frame: f, role: 'retransmission' });
    }
  });
});

describe('fragmented datagrams', () => {
  // tshark -r 04_ipv4_fragmented_ping_netns.pcap -T fields -e frame.number -e ip.fragment: 5 → 3,4,5; 8 → 6,7,8
  it('lists the fragments and the frame that reassembles them, from any fragment', () => {
    for (const f of [3, 4, 5]) expect(at('04_ipv4_fragmented_ping_netns.pcap', f)).toEqual(['fragmentation: 3 fragment, 4 fragment, 5 reassembled']);
    expect(at('04_ipv4_fragmented_ping_netns.pcap', 7)).toEqual(['fragmentation: 6 fragment, 7 fragment, 8 reassembled']);
    expect(at('04_ipv4_fragmented_ping_netns.pcap', 1)).toEqual([]);
  });

  it('works for IPv6 fragments too', () => {
    const c = cap('04_ipv6_fragmented_ping_netns.pcap');
    const found = [];
    for (let f = 1; f <= c.frames.count; f++) found.push(...episodesAt(c, f));
    const frag = found.filter((e) => e.kind === 'fragmentation');
    expect(frag.length).toBeGreaterThan(0);
    for (const e of frag) {
      expect(e.complete).toBe(true);
      expect(e.steps.length).toBeGreaterThan(1);
      expect(e.steps.at(-1)!.role).toBe('reassembled');
    }
  });

  it('fragmentEpisode sorts and marks the reassembling frame', () => {
    expect(fragmentEpisode([9, 7, 8], 9)).toEqual({
      kind: 'fragmentation',
      complete: true,
      steps: [
        { frame: 7, role: 'fragment' },
        { frame: 8, role: 'fragment' },
        { frame: 9, role: 'reassembled' },
      ],
    });
  });
});

describe('tcpEpisodes on hand-made ladders', () => {
  const base = { timeSec: 0, srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', transport: 'tcp' as const, len: 0 };
  const c2s = (frame: number, flags: number, seq: number, ack: number, len = 0): LadderPacket => ({ ...base, frame, timeSec: frame / 10, srcPort: 50000, dstPort: 80, flags, seq, ack, len });
  const s2c = (frame: number, flags: number, seq: number, ack: number, len = 0): LadderPacket => ({
    ...base,
    frame,
    timeSec: frame / 10,
    srcAddr: '10.0.0.2',
    dstAddr: '10.0.0.1',
    srcPort: 80,
    dstPort: 50000,
    flags,
    seq,
    ack,
    len,
  });
  const SYN = 0x002, ACK = 0x010, FIN = 0x001, RST = 0x004, PSH = 0x008;

  it('a retransmitted SYN stays in the handshake; a 4-packet close keeps the separate ACK', () => {
    const m = buildLadder([
      c2s(1, SYN, 0, 0),
      c2s(2, SYN, 0, 0),
      s2c(3, SYN | ACK, 0, 1),
      c2s(4, ACK, 1, 1),
      c2s(5, PSH | ACK, 1, 1, 10),
      s2c(6, ACK, 1, 11),
      c2s(7, FIN | ACK, 11, 1),
      s2c(8, ACK, 1, 12),
      s2c(9, FIN | ACK, 1, 12),
      c2s(10, ACK, 12, 2),
    ]);
    expect(tcpEpisodes(m).map(text)).toEqual(['handshake: 1 SYN, 2 SYN, 3 SYN/ACK, 4 ACK', 'teardown: 7 FIN/ACK, 8 ACK, 9 FIN/ACK, 10 ACK']);
  });

  it('a close without the last ACK is marked incomplete; a RST mid-stream is a reset', () => {
    const m = buildLadder([c2s(1, SYN, 0, 0), s2c(2, SYN | ACK, 0, 1), c2s(3, ACK, 1, 1), s2c(4, FIN | ACK, 1, 1), c2s(5, RST | ACK, 1, 2)]);
    expect(tcpEpisodes(m).map(text)).toEqual(['handshake: 1 SYN, 2 SYN/ACK, 3 ACK', 'teardown?: 4 FIN/ACK', 'reset: 5 RST/ACK']);
  });

  it('short flag names', () => {
    expect(shortFlags(0x012)).toBe('SYN/ACK');
    expect(shortFlags(0x011)).toBe('FIN/ACK');
    expect(shortFlags(0x014)).toBe('RST/ACK');
    expect(shortFlags(0x018)).toBe('PSH/ACK');
    expect(shortFlags(0)).toBe('none');
  });
});

describe("the worker's 'episodes' request", () => {
  it('answers with the episodes of the frame asked for', async () => {
    const { WorkerSession } = await import('../../src/worker/session');
    const out: import('../../src/worker/protocol').Response[] = [];
    const queue: Array<() => void> = [];
    const s = new WorkerSession({ post: (m) => out.push(m), schedule: (fn) => queue.push(fn), now: () => 0 }, { sliceMs: 1e9 });
    const bytes = new Uint8Array(readFileSync(join(__dirname, '../../public/samples/http-get.pcap')));
    await s.handle({ id: 1, type: 'open', file: new Blob([bytes as BlobPart]), name: 'http-get.pcap' });
    while (queue.length) queue.shift()!();
    s.handle({ id: 2, type: 'episodes', frame: 2 });
    const m = out.find((x) => x.type === 'episodes');
    expect(m).toMatchObject({ id: 2, frame: 2 });
    expect(m && m.type === 'episodes' && m.episodes.map(text)).toEqual(['handshake: 1 SYN, 2 SYN/ACK, 3 ACK']);
  });
});
