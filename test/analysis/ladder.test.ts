// The ladder model: endpoints, labels, phases, layout (time-proportional and even), Mermaid output.
import { describe, expect, it } from 'vitest';
import {
  arrowLabel,
  buildLadder,
  conversationKey,
  DEFAULT_METRICS,
  flagsText,
  rowIndexOfFrame,
  toMermaid,
  visibleRows,
  type LadderModel,
  type LadderPacket,
} from '../../src/core/analysis/ladder';
import { DEMO_SETS } from '../../src/ui/diagram/demo-data';

const http = () => buildLadder(DEMO_SETS.httpGet!.packets);
const label = (m: LadderModel, i: number, mode: 'relative' | 'absolute' = 'relative') =>
  arrowLabel(m.rows[i]!.packet, m.rows[i]!.from, m, mode);

describe('the HTTP GET sample (01_http_get_loopback.pcap)', () => {
  it('client is the SYN sender, on the left, headed addr:port', () => {
    const m = http();
    expect(m.endpoints.map((e) => e.label)).toEqual(['127.0.0.1:43874', '127.0.0.1:11699']);
    expect(m.endpoints.map((e) => e.role)).toEqual(['client', 'server']);
    expect(m.clientBy).toBe('syn');
    expect(m.rows.map((r) => r.from)).toEqual([0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1]);
  });

  it('first three arrows: SYN / SYN, ACK / ACK with Seq=0, Seq=0 Ack=1, Seq=1 Ack=1', () => {
    const m = http();
    const l = [0, 1, 2].map((i) => label(m, i));
    expect(l.map((x) => x.head)).toEqual(['SYN', 'SYN, ACK', 'ACK']);
    expect(l[0]!.fields).toBe('Seq=0 Len=0 Win=65495');
    expect(l[1]!.fields).toBe('Seq=0 Ack=1 Len=0 Win=65483');
    expect(l[2]!.fields).toBe('Seq=1 Ack=1 Len=0 Win=65536');
    expect(l[0]!.extra).toBe('MSS=65495 WS=1024 SACK_PERM TS');
    expect(l[2]!.extra).toBe('');
  });

  it('application summaries and PSH', () => {
    const m = http();
    expect(label(m, 3).head).toBe('PSH, ACK');
    expect(label(m, 3).extra).toBe('GET / HTTP/1.1');
    expect(label(m, 7).extra).toBe('HTTP/1.0 200 OK');
    expect(label(m, 9).head).toBe('FIN, ACK');
  });

  it('absolute sequence numbers', () => {
    const m = http();
    expect(label(m, 1, 'absolute').fields).toBe('Seq=3971247654 Ack=2115888272 Len=0 Win=65483');
    expect(m.isn).toEqual([2115888271, 3971247654]);
  });

  it('client lifeline: ESTABLISHED after the third packet, CLOSED at the end; server TIME_WAIT', () => {
    const m = http();
    expect(m.rows[2]!.states).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    expect(m.rows[1]!.changed).toEqual([true, false]);
    expect(m.rows[2]!.changed).toEqual([false, true]);
    expect(m.rows.at(-1)!.states).toEqual(['CLOSED', 'TIME_WAIT']);
    expect(m.initialStates).toEqual(['CLOSED', 'LISTEN']);
  });

  it('phases: handshake, data transfer, connection release', () => {
    const m = http();
    expect(m.phases.map((p) => [p.label, p.first, p.last])).toEqual([
      ['3-way handshake', 0, 2],
      ['data transfer', 3, 8],
      ['connection release (FIN)', 9, 11],
    ]);
  });

  it('frames to rows', () => {
    const m = http();
    expect(rowIndexOfFrame(m, 7)).toBe(6);
    expect(rowIndexOfFrame(m, 99)).toBe(-1);
  });
});

describe('other samples', () => {
  it('connection refused: handshake then reset', () => {
    const m = buildLadder(DEMO_SETS.refused!.packets);
    expect(m.phases.map((p) => p.kind)).toEqual(['handshake', 'reset']);
    expect(label(m, 1).head).toBe('RST, ACK');
    expect(m.rows.map((r) => r.states)).toEqual([
      ['SYN_SENT', 'CLOSED'],
      ['CLOSED', 'CLOSED'],
    ]);
  });

  it('TLS: FIN then RST', () => {
    const m = buildLadder(DEMO_SETS.tlsHello!.packets);
    expect(m.phases.map((p) => p.kind)).toEqual(['handshake', 'data', 'release', 'reset']);
    expect(label(m, 3).extra).toBe('Client Hello');
    expect(m.rows.at(-1)!.states).toEqual(['CLOSED', 'CLOSED']);
  });

  it('zero window: badges are kept on the rows', () => {
    const m = buildLadder(DEMO_SETS.zeroWindow!.packets);
    const kinds = new Set(m.rows.flatMap((r) => r.packet.badges ?? []));
    expect(kinds.has('zero_window')).toBe(true);
    expect(kinds.has('keep_alive')).toBe(true);
    expect(m.rows.at(-1)!.states[0]).toMatch(/TIME_WAIT|CLOSED/);
  });

  it('UDP: no states, no phases, Len label', () => {
    const m = buildLadder(DEMO_SETS.udpHello!.packets);
    expect(m.transport).toBe('udp');
    expect(m.phases).toEqual([]);
    expect(m.rows[0]!.states).toEqual([null, null]);
    expect(label(m, 0)).toMatchObject({ head: 'UDP', fields: 'Len=6' });
  });

  it('ICMP: the echo request sender is the client, addresses without ports', () => {
    const m = buildLadder(DEMO_SETS.ping!.packets);
    expect(m.endpoints.map((e) => e.label)).toEqual(['10.200.0.1', '10.200.0.2']);
    expect(label(m, 0)).toMatchObject({ head: 'Echo (ping) request', fields: 'id=0x1af5, seq=1/256, ttl=64' });
    expect(label(m, 1).fields).toBe('id=0x1af5, seq=1/256, ttl=64');
  });
});

describe('edge cases', () => {
  it('no packets', () => {
    const m = buildLadder([]);
    expect(m.rows).toEqual([]);
    expect(m.phases).toEqual([]);
    expect(m.layouts.proportional.height).toBeGreaterThan(0);
    expect(toMermaid(m)).toMatch(/^sequenceDiagram/);
  });

  it('packets of another conversation are left out; unsorted input is sorted', () => {
    const p = [...DEMO_SETS.httpGet!.packets].reverse();
    const stray: LadderPacket = { ...p[0]!, frame: 99, srcAddr: '10.9.9.9' };
    const m = buildLadder([...p, stray]);
    expect(m.rows.map((r) => r.frame)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('timestamps going backwards keep the rows in order and apart', () => {
    const p = DEMO_SETS.httpGet!.packets.map((x, i) => (i === 5 ? { ...x, timeSec: 0 } : x));
    const L = buildLadder(p).layouts.proportional;
    for (let i = 1; i < L.yCap.length; i++) expect(L.yCap[i]! - L.yCap[i - 1]!).toBeGreaterThanOrEqual(DEFAULT_METRICS.minGap - 1e-9);
  });
});

describe('labels', () => {
  it('flags in words in Wireshark order', () => {
    expect(flagsText(0x002)).toBe('SYN');
    expect(flagsText(0x012)).toBe('SYN, ACK');
    expect(flagsText(0x018)).toBe('PSH, ACK');
    expect(flagsText(0x011)).toBe('FIN, ACK');
    expect(flagsText(0x019)).toBe('FIN, PSH, ACK');
    expect(flagsText(0x004)).toBe('RST');
    expect(flagsText(0x0c2)).toBe('SYN, ECE, CWR');
    expect(flagsText(0)).toBe('<None>');
  });

  it('relative numbers are derived from absolute ones when missing', () => {
    const p = DEMO_SETS.httpGet!.packets.map((x) => ({ ...x, seq: undefined, ack: undefined }));
    const m = buildLadder(p);
    // no relative numbers anywhere: ISNs are unknown, the absolute ones are shown
    expect(label(m, 2).fields).toBe('Seq=2115888272 Ack=3971247655 Len=0 Win=65536');
    const m2 = buildLadder(DEMO_SETS.httpGet!.packets.map((x, i) => (i < 2 ? x : { ...x, seq: undefined, ack: undefined })));
    expect(label(m2, 3).fields).toBe('Seq=1 Ack=1 Len=79 Win=65536');
  });

  it('conversation keys are the same both ways', () => {
    const [a, b] = DEMO_SETS.httpGet!.packets;
    expect(conversationKey(a!)).toBe(conversationKey(b!));
  });
});

describe('layout', () => {
  it('proportional: rows at least minGap apart; the 7.8 ms pause is shortened and marked', () => {
    const m = http();
    const L = m.layouts.proportional;
    for (let i = 1; i < L.yCap.length; i++) expect(L.yCap[i]! - L.yCap[i - 1]!).toBeGreaterThanOrEqual(DEFAULT_METRICS.minGap - 1e-9);
    expect(L.breaks).toHaveLength(1);
    expect(L.breaks[0]!.row).toBe(5);
    expect(L.breaks[0]!.gapSec).toBeCloseTo(0.00781, 6);
    // 66 µs (rows 2->3) is drawn taller than 13 µs (rows 1->2): time is proportional between breaks
    expect(L.yCap[3]! - L.yCap[2]!).toBeGreaterThan(L.yCap[2]! - L.yCap[1]! + 20);
  });

  it('every arrow slopes down; no reply leaves before its request arrives', () => {
    for (const set of Object.values(DEMO_SETS)) {
      const m = buildLadder(set.packets);
      for (const mode of ['proportional', 'even'] as const) {
        const L = m.layouts[mode];
        for (let i = 0; i < m.rows.length; i++) expect(L.yRecv[i]!).toBeGreaterThan(L.ySend[i]!);
      }
    }
    const L = http().layouts.proportional;
    // GET (row 3) and the server's ACK of it (row 4); the response (row 7) and its ACK (row 8)
    expect(L.yRecv[3]!).toBeLessThanOrEqual(L.ySend[4]! + 1e-6);
    expect(L.yRecv[7]!).toBeLessThanOrEqual(L.ySend[8]! + 1e-6);
    expect(L.yRecv[0]!).toBeLessThanOrEqual(L.ySend[1]! + 1e-6);
  });

  it('even: a constant pitch', () => {
    const L = http().layouts.even;
    for (let i = 1; i < L.yCap.length; i++) expect(L.yCap[i]! - L.yCap[i - 1]!).toBe(DEFAULT_METRICS.pitch);
    expect(L.height).toBeGreaterThan(L.yRecv[11]!);
  });

  it('a capture next to the client: client ends exact, server ends half a round trip away', () => {
    const C = { a: '192.0.2.1', p: 50000 };
    const S = { a: '198.51.100.7', p: 443 };
    const mk = (frame: number, t: number, c2s: boolean, flags: number, seq: number, ack: number, len = 0): LadderPacket => ({
      frame,
      timeSec: t,
      srcAddr: c2s ? C.a : S.a,
      srcPort: c2s ? C.p : S.p,
      dstAddr: c2s ? S.a : C.a,
      dstPort: c2s ? S.p : C.p,
      transport: 'tcp',
      flags,
      seq,
      ack,
      len,
    });
    const p = [
      mk(1, 0, true, 0x02, 0, 0),
      mk(2, 0.05, false, 0x12, 0, 1),
      mk(3, 0.0501, true, 0x10, 1, 1),
      mk(4, 0.0502, true, 0x18, 1, 1, 100),
      mk(5, 0.1003, false, 0x10, 1, 101),
      mk(6, 0.1010, false, 0x18, 1, 101, 1000),
      mk(7, 0.1011, true, 0x10, 101, 1001),
    ];
    const m = buildLadder(p);
    expect(m.captureSide).toBe('client');
    expect(m.oneWaySec).toBeCloseTo(0.025, 4);
    expect(m.irttSec).toBeCloseTo(0.0501, 6);
    expect(m.caption.proportional).toMatch(/next to the client/);
    const L = m.layouts.proportional;
    // server-sent rows: the client end (receiver) is at the capture time
    expect(L.yRecv[1]).toBe(L.yCap[1]);
    expect(L.ySend[1]!).toBeLessThan(L.yCap[1]!);
    // the SYN arrives at the server when the SYN/ACK leaves it
    expect(Math.abs(L.yRecv[0]! - L.ySend[1]!)).toBeLessThan(1);
    // client-sent rows start at the capture time
    expect(L.ySend[2]).toBe(L.yCap[2]);
  });

  it('visibleRows finds exactly the arrows crossing a window', () => {
    const m = buildLadder(DEMO_SETS.zeroWindow!.packets);
    for (const mode of ['proportional', 'even'] as const) {
      const L = m.layouts[mode];
      for (let y0 = 0; y0 < L.height; y0 += 377) {
        const y1 = y0 + 640;
        const [a, b] = visibleRows(L, y0, y1);
        for (let i = 0; i < m.rows.length; i++) {
          const inView = L.yRecv[i]! >= y0 && L.ySend[i]! <= y1;
          if (inView) expect(i >= a && i <= b).toBe(true);
        }
        expect(b - a).toBeLessThan(40);
      }
    }
  });

  it('100k packets build quickly', () => {
    const p: LadderPacket[] = [];
    let cs = 1;
    let ss = 1;
    for (let i = 0; i < 100_000; i++) {
      const c2s = i % 3 === 0;
      const f = c2s ? 0x10 : 0x18;
      const pk: LadderPacket = {
        frame: i + 1,
        timeSec: i * 1e-4 + (i % 7) * 1e-5,
        srcAddr: c2s ? '10.0.0.1' : '10.0.0.2',
        srcPort: c2s ? 40000 : 80,
        dstAddr: c2s ? '10.0.0.2' : '10.0.0.1',
        dstPort: c2s ? 80 : 40000,
        transport: 'tcp',
        flags: f,
        seq: c2s ? cs : ss,
        ack: c2s ? ss : cs,
        len: c2s ? 0 : 1448,
        win: 65535,
      };
      if (!c2s) ss += 1448;
      p.push(pk);
    }
    const t0 = performance.now();
    const m = buildLadder(p);
    const ms = performance.now() - t0;
    expect(m.rows).toHaveLength(100_000);
    expect(m.statesAssumed).toBe(true);
    expect(ms).toBeLessThan(3000);
    const [a, b] = visibleRows(m.layouts.proportional, 500_000, 501_000);
    expect(b - a).toBeLessThan(40);
  });
});

describe('Mermaid', () => {
  it('a sequenceDiagram naming both hosts, one message per packet', () => {
    const m = http();
    const t = toMermaid(m);
    const lines = t.trimEnd().split('\n');
    expect(lines[0]).toBe('sequenceDiagram');
    expect(t).toContain('participant C as 127.0.0.1:43874 (client)');
    expect(t).toContain('participant S as 127.0.0.1:11699 (server)');
    const msgs = lines.filter((l) => /^\s+[CS]-{1,2}(>>|x)[CS]: /.test(l));
    expect(msgs).toHaveLength(12);
    expect(msgs[0]).toBe('    C->>S: 1. SYN Seq=0 Len=0 Win=65495 | MSS=65495 WS=1024 SACK_PERM TS');
    expect(msgs[1]).toMatch(/^ {4}S->>C: 2\. SYN, ACK Seq=0 Ack=1/);
    expect(msgs[2]).toMatch(/^ {4}C-->>S: 3\. ACK Seq=1 Ack=1/);
    expect(t).toContain('Note over C,S: 3-way handshake');
    expect(t).toContain('Note left of C: ESTABLISHED');
    expect(t).toContain('Note right of S: TIME_WAIT');
  });

  it('escapes # ; < > and draws RST as a cross', () => {
    const base = DEMO_SETS.refused!.packets;
    const p = base.map((x, i) => (i === 0 ? { ...x, app: 'a#b;c<d>' } : x));
    const t = toMermaid(buildLadder(p));
    expect(t).toContain('a#35;b#59;c#60;d#62;');
    expect(t).toMatch(/S-xC: 2\. RST, ACK/);
    // nothing unescaped after the message colons
    for (const l of t.split('\n').filter((l) => /: /.test(l) && !l.includes('%%'))) expect(l.split(': ').slice(1).join(': ').replace(/#\d+;/g, '')).not.toMatch(/[#;<>]/);
  });
});
