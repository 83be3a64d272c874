// The worker's statistics and export requests (src/worker/stats.ts) over a loaded capture: answers come in
// slices with progress, wait for loading to finish, and exports give the bytes of a file to download.
import { describe, expect, it } from 'vitest';
import { StatsWorker, type StatsContext } from '../../src/worker/stats';
import type { Response } from '../../src/worker/protocol';
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import { loadCapture } from './util';

function harness(ctx: () => StatsContext | null) {
  const posted: Response[] = [];
  const queue: (() => void)[] = [];
  let t = 0;
  const w = new StatsWorker({ post: (m) => posted.push(m), schedule: (fn) => queue.push(fn), now: () => (t += 15) }, ctx, 20);
  const drain = async () => {
    for (let i = 0; i < 10_000; i++) {
      const fn = queue.shift();
      if (fn) fn();
      else if (!posted.some((m) => m.type === 'stats' || m.type === 'exported' || m.type === 'error' || m.type === 'cancelled')) await new Promise((r) => setTimeout(r, 60));
      else return;
    }
  };
  return { w, posted, drain };
}

describe('worker statistics', () => {
  it('protocol hierarchy in slices, with progress', async () => {
    const cap = loadCapture('05_tcp_zero_window_netns.pcap');
    const { w, posted, drain } = harness(() => ({ gen: 1, cap, loading: false, name: 'z.pcap', size: 1, displayed: null }));
    w.handle({ id: 7, type: 'stats', query: { kind: 'phs' } });
    await drain();
    expect(posted.some((m) => m.type === 'stats-progress')).toBe(true);
    const r = posted.find((m) => m.type === 'stats')!;
    expect(r.type === 'stats' && r.result.kind === 'phs' && r.result.frames).toBe(cap.frames.count);
    expect(r.type === 'stats' && r.result.kind === 'phs' && r.result.tree[0]!.abbrev).toBe('eth');
  });

  it('waits for the capture to be read before counting all frames', async () => {
    const cap = loadCapture('01_http_get_loopback.pcap');
    let loading = true;
    const { w, posted, drain } = harness(() => ({ gen: 1, cap, loading, name: 'a.pcap', size: 1, displayed: null }));
    w.handle({ id: 1, type: 'stats', query: { kind: 'endpoints' } });
    setTimeout(() => (loading = false), 150);
    await drain();
    const r = posted.find((m) => m.type === 'stats');
    expect(posted.find((m) => m.type === 'stats-progress' && m.loading)).toBeTruthy();
    expect(r?.type === 'stats' && r.result.kind === 'endpoints' && r.result.tables.tcp.length).toBe(2);
  });

  it('exports the displayed packets as pcapng and their columns as CSV', async () => {
    const cap = loadCapture('01_http_get_loopback.pcap');
    const { w, posted, drain } = harness(() => ({ gen: 3, cap, loading: false, name: 'a.pcap', size: 1, displayed: Uint32Array.of(1, 4, 8) }));
    w.handle({ id: 2, type: 'export', query: { range: 'displayed', format: 'pcapng' } });
    await drain();
    const r = posted.find((m) => m.type === 'exported');
    if (r?.type !== 'exported') throw new Error('no export');
    expect(r.result.fileName).toBe('a-displayed.pcapng');
    const back = new Capture(new MemorySource(r.result.data));
    back.load();
    expect(back.frames.count).toBe(3);
    expect([...back.bytes(2)]).toEqual([...cap.bytes(4)]);
    posted.length = 0;
    w.handle({ id: 3, type: 'export', query: { range: 'marked', format: 'csv', marked: Uint32Array.of(8, 2) } });
    await drain();
    const c = posted.find((m) => m.type === 'exported');
    if (c?.type !== 'exported') throw new Error('no csv');
    const lines = new TextDecoder().decode(c.result.data).trim().split('\n');
    expect(lines.map((l) => l.split(',')[0])).toEqual(['"No."', '"2"', '"8"']);
  });

  it('TCP stream graph of the selected frame, and a reason when there is none', () => {
    const cap = loadCapture('zeek__retransmit-fast009.pcap');
    const { w, posted } = harness(() => ({ gen: 1, cap, loading: false, name: 'r.pcap', size: 1, displayed: null }));
    w.handle({ id: 4, type: 'stats', query: { kind: 'tcpgraph', frame: 32 } });
    const r = posted[0]!;
    expect(r.type === 'stats' && r.result.kind === 'tcpgraph' && r.result.data?.segments.filter((s) => s.mark).length).toBe(3);
    const arp = loadCapture('zeek__communityid-arp.pcap');
    const h2 = harness(() => ({ gen: 1, cap: arp, loading: false, name: 'r.pcap', size: 1, displayed: null }));
    h2.w.handle({ id: 5, type: 'stats', query: { kind: 'tcpgraph', frame: 1 } });
    const r2 = h2.posted[0]!;
    expect(r2.type === 'stats' && r2.result.kind === 'tcpgraph' && r2.result.reason).toMatch(/not part of a TCP stream/);
  });
});
