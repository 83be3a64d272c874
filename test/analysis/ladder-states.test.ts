// TCP state inference of the ladder diagram (RFC 9293 state machine seen from one capture point).
import { describe, expect, it } from 'vitest';
import { inferStates, identifyEndpoints, type LadderPacket, type TcpState } from '../../src/core/analysis/ladder';

const C = { addr: '10.0.0.1', port: 40000 };
const S = { addr: '10.0.0.2', port: 80 };
const BITS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10 };

/** One TCP packet: dir 'c' (client to server) or 's', flags as letters ('SA' = SYN, ACK), relative seq/ack. */
function pk(frame: number, dir: 'c' | 's', flags: string, seq: number, ack: number, len = 0, t = frame * 0.001): LadderPacket {
  const [a, b] = dir === 'c' ? [C, S] : [S, C];
  let f = 0;
  for (const ch of flags) f |= BITS[ch]!;
  return { frame, timeSec: t, srcAddr: a.addr, srcPort: a.port, dstAddr: b.addr, dstPort: b.port, transport: 'tcp', flags: f, seq, ack, len };
}

const handshake = (): LadderPacket[] => [pk(1, 'c', 'S', 0, 0), pk(2, 's', 'SA', 0, 1), pk(3, 'c', 'A', 1, 1)];

function states(packets: LadderPacket[]): [TcpState | null, TcpState | null][] {
  const r = inferStates(packets);
  return r.client.map((c, i) => [c, r.server[i]!]);
}

describe('endpoints', () => {
  it('the SYN sender is the client', () => {
    const id = identifyEndpoints([pk(1, 's', 'A', 0, 0), pk(2, 'c', 'S', 0, 0)]);
    expect(id?.client).toEqual(C);
    expect(id?.by).toBe('syn');
  });
  it('without a SYN, the receiver of the SYN/ACK is the client', () => {
    expect(identifyEndpoints([pk(1, 's', 'SA', 0, 1), pk(2, 'c', 'A', 1, 1)])?.client).toEqual(C);
  });
  it('without a handshake, a well-known port marks the server', () => {
    expect(identifyEndpoints([pk(1, 's', 'PA', 1, 1, 10)])?.server).toEqual(S);
  });
  it('else the first sender is the client', () => {
    const p = { ...pk(1, 's', 'PA', 1, 1, 10), srcPort: 5000, dstPort: 6000 };
    expect(identifyEndpoints([p])?.client).toEqual({ addr: S.addr, port: 5000 });
  });
});

describe('three-way handshake', () => {
  it('CLOSED/LISTEN -> SYN_SENT/SYN_RECEIVED -> ESTABLISHED', () => {
    const r = inferStates(handshake());
    expect(r.initial).toEqual(['CLOSED', 'LISTEN']);
    expect(r.assumed).toBe(false);
    expect(states(handshake())).toEqual([
      ['SYN_SENT', 'SYN_RECEIVED'],
      ['ESTABLISHED', 'SYN_RECEIVED'],
      ['ESTABLISHED', 'ESTABLISHED'],
    ]);
  });

  it('a retransmitted SYN: the first copy counts as lost', () => {
    const r = inferStates([pk(1, 'c', 'S', 0, 0), pk(2, 'c', 'S', 0, 0), pk(3, 's', 'SA', 0, 1), pk(4, 'c', 'A', 1, 1)]);
    expect(r.server).toEqual(['LISTEN', 'SYN_RECEIVED', 'SYN_RECEIVED', 'ESTABLISHED']);
    expect(r.client).toEqual(['SYN_SENT', 'SYN_SENT', 'ESTABLISHED', 'ESTABLISHED']);
  });

  it('simultaneous open: both SYN_SENT, then SYN_RECEIVED, then ESTABLISHED', () => {
    const p = [pk(1, 'c', 'S', 0, 0), pk(2, 's', 'S', 0, 0), pk(3, 'c', 'SA', 0, 1), pk(4, 's', 'SA', 0, 1)];
    const r = inferStates(p);
    expect(r.initial).toEqual(['CLOSED', 'CLOSED']);
    expect(states(p)).toEqual([
      ['SYN_SENT', 'CLOSED'],
      ['SYN_RECEIVED', 'SYN_RECEIVED'],
      ['SYN_RECEIVED', 'ESTABLISHED'],
      ['ESTABLISHED', 'ESTABLISHED'],
    ]);
  });
});

describe('close', () => {
  it('active close by the client: FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT; the server CLOSE_WAIT, LAST_ACK, CLOSED', () => {
    const p = [
      ...handshake(),
      pk(4, 'c', 'PA', 1, 1, 100),
      pk(5, 's', 'A', 1, 101),
      pk(6, 'c', 'FA', 101, 1),
      pk(7, 's', 'A', 1, 102),
      pk(8, 's', 'FA', 1, 102),
      pk(9, 'c', 'A', 102, 2),
    ];
    expect(states(p).slice(5)).toEqual([
      ['FIN_WAIT_1', 'CLOSE_WAIT'],
      ['FIN_WAIT_2', 'CLOSE_WAIT'],
      ['TIME_WAIT', 'LAST_ACK'],
      ['TIME_WAIT', 'CLOSED'],
    ]);
  });

  it('passive close (the server closes first, the client answers FIN+ACK at once)', () => {
    const p = [...handshake(), pk(4, 's', 'FA', 1, 1), pk(5, 'c', 'FA', 1, 2), pk(6, 's', 'A', 2, 2)];
    expect(states(p).slice(3)).toEqual([
      ['CLOSE_WAIT', 'FIN_WAIT_1'],
      ['LAST_ACK', 'TIME_WAIT'],
      ['CLOSED', 'TIME_WAIT'],
    ]);
    const r = inferStates(p);
    // the server went through FIN_WAIT_2 on the ACK before the FIN of the same segment
    expect(r.transitions[4]!.filter((t) => t.side === 1).map((t) => t.to)).toEqual(['FIN_WAIT_2', 'TIME_WAIT']);
  });

  it('simultaneous close: both FIN_WAIT_1, both CLOSING, both TIME_WAIT', () => {
    // the server's FIN does not acknowledge the client's: it was sent before that FIN arrived
    const p = [...handshake(), pk(4, 'c', 'FA', 1, 1), pk(5, 's', 'FA', 1, 1), pk(6, 'c', 'A', 2, 2), pk(7, 's', 'A', 2, 2)];
    expect(states(p).slice(3)).toEqual([
      ['FIN_WAIT_1', 'ESTABLISHED'],
      ['CLOSING', 'CLOSING'],
      ['CLOSING', 'TIME_WAIT'],
      ['TIME_WAIT', 'TIME_WAIT'],
    ]);
  });

  it('half close: the server keeps sending after the client FIN', () => {
    const p = [
      ...handshake(),
      pk(4, 'c', 'FA', 1, 1),
      pk(5, 's', 'PA', 1, 1, 50), // sent before the FIN arrived (does not ack it)
      pk(6, 's', 'PA', 51, 2, 50),
      pk(7, 'c', 'A', 2, 101),
      pk(8, 's', 'FA', 101, 2),
      pk(9, 'c', 'A', 2, 102),
    ];
    expect(states(p).slice(3)).toEqual([
      ['FIN_WAIT_1', 'ESTABLISHED'],
      ['FIN_WAIT_1', 'CLOSE_WAIT'],
      ['FIN_WAIT_2', 'CLOSE_WAIT'],
      ['FIN_WAIT_2', 'CLOSE_WAIT'],
      ['TIME_WAIT', 'LAST_ACK'],
      ['TIME_WAIT', 'CLOSED'],
    ]);
  });

  it('a lost FIN that is retransmitted moves the receiver only when the copy arrives', () => {
    const p = [...handshake(), pk(4, 'c', 'FA', 1, 1), pk(5, 'c', 'FA', 1, 1), pk(6, 's', 'A', 1, 2)];
    expect(states(p).slice(3)).toEqual([
      ['FIN_WAIT_1', 'ESTABLISHED'],
      ['FIN_WAIT_1', 'CLOSE_WAIT'],
      ['FIN_WAIT_2', 'CLOSE_WAIT'],
    ]);
  });

  it('uses absolute numbers when every packet has them (wrapping at 2^32)', () => {
    const abs = (p: LadderPacket, isnC: number, isnS: number): LadderPacket => {
      const fromC = p.srcPort === C.port;
      return { ...p, seq: undefined, ack: undefined, seqRaw: (p.seq! + (fromC ? isnC : isnS)) >>> 0, ackRaw: (p.ack! + (fromC ? isnS : isnC)) >>> 0 };
    };
    const rel = [...handshake(), pk(4, 'c', 'FA', 1, 1), pk(5, 's', 'A', 1, 2), pk(6, 's', 'FA', 1, 2), pk(7, 'c', 'A', 2, 2)];
    const p = rel.map((x) => abs(x, 0xffffffff, 0xfffffffe));
    expect(states(p).at(-1)).toEqual(['TIME_WAIT', 'CLOSED']);
  });
});

describe('reset in each state', () => {
  it('SYN_SENT: connection refused (the server had no listener: CLOSED throughout)', () => {
    const p = [pk(1, 'c', 'S', 0, 0), pk(2, 's', 'RA', 1, 1)];
    const r = inferStates(p);
    expect(r.initial).toEqual(['CLOSED', 'CLOSED']);
    expect(states(p)).toEqual([
      ['SYN_SENT', 'CLOSED'],
      ['CLOSED', 'CLOSED'],
    ]);
  });

  it('SYN_RECEIVED: a passive opener returns to LISTEN', () => {
    const p = [pk(1, 'c', 'S', 0, 0), pk(2, 's', 'SA', 0, 1), pk(3, 'c', 'R', 1, 0)];
    expect(states(p).at(-1)).toEqual(['CLOSED', 'LISTEN']);
  });

  it('ESTABLISHED: both CLOSED (RST from either side)', () => {
    expect(states([...handshake(), pk(4, 's', 'RA', 1, 1)]).at(-1)).toEqual(['CLOSED', 'CLOSED']);
    expect(states([...handshake(), pk(4, 'c', 'R', 1, 0)]).at(-1)).toEqual(['CLOSED', 'CLOSED']);
  });

  it('FIN_WAIT_1 and CLOSE_WAIT', () => {
    const p = [...handshake(), pk(4, 'c', 'FA', 1, 1), pk(5, 's', 'RA', 1, 2)];
    expect(states(p).slice(3)).toEqual([
      ['FIN_WAIT_1', 'CLOSE_WAIT'],
      ['CLOSED', 'CLOSED'],
    ]);
  });

  it('FIN_WAIT_2', () => {
    const p = [...handshake(), pk(4, 'c', 'FA', 1, 1), pk(5, 's', 'A', 1, 2), pk(6, 's', 'R', 1, 0)];
    expect(states(p).slice(4)).toEqual([
      ['FIN_WAIT_2', 'CLOSE_WAIT'],
      ['CLOSED', 'CLOSED'],
    ]);
  });

  it('CLOSING', () => {
    const p = [...handshake(), pk(4, 'c', 'FA', 1, 1), pk(5, 's', 'FA', 1, 1), pk(6, 'c', 'R', 2, 0)];
    expect(states(p).slice(4)).toEqual([
      ['CLOSING', 'CLOSING'],
      ['CLOSED', 'CLOSED'],
    ]);
  });

  it('LAST_ACK', () => {
    const p = [...handshake(), pk(4, 'c', 'FA', 1, 1), pk(5, 's', 'FA', 1, 2), pk(6, 'c', 'R', 2, 0)];
    expect(states(p).slice(4)).toEqual([
      ['TIME_WAIT', 'LAST_ACK'],
      ['CLOSED', 'CLOSED'],
    ]);
  });

  it('TIME_WAIT', () => {
    const p = [...handshake(), pk(4, 'c', 'FA', 1, 1), pk(5, 's', 'FA', 1, 2), pk(6, 'c', 'A', 2, 2), pk(7, 's', 'R', 2, 0)];
    expect(states(p).slice(4)).toEqual([
      ['TIME_WAIT', 'LAST_ACK'],
      ['TIME_WAIT', 'CLOSED'],
      ['CLOSED', 'CLOSED'],
    ]);
  });

  it('after FIN then RST (the TLS sample: client resets in CLOSE_WAIT)', () => {
    const p = [...handshake(), pk(4, 's', 'FA', 1, 1), pk(5, 'c', 'RA', 1, 2)];
    expect(states(p).slice(3)).toEqual([
      ['CLOSE_WAIT', 'FIN_WAIT_1'],
      ['CLOSED', 'CLOSED'],
    ]);
  });
});

describe('capture starting mid-stream', () => {
  it('with data: both ESTABLISHED, marked as assumed', () => {
    const p = [pk(10, 'c', 'PA', 1000, 500, 10), pk(11, 's', 'A', 500, 1010)];
    const r = inferStates(p);
    expect(r.initial).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    expect(r.assumed).toBe(true);
    expect(states(p)).toEqual([
      ['ESTABLISHED', 'ESTABLISHED'],
      ['ESTABLISHED', 'ESTABLISHED'],
    ]);
  });

  it('starting at the SYN/ACK (SYN not seen): SYN_SENT/SYN_RECEIVED before it', () => {
    const p = [pk(2, 's', 'SA', 0, 1), pk(3, 'c', 'A', 1, 1), pk(4, 'c', 'PA', 1, 1, 10)];
    const r = inferStates(p);
    expect(r.initial).toEqual(['SYN_SENT', 'SYN_RECEIVED']);
    expect(r.assumed).toBe(true);
    expect(states(p)).toEqual([
      ['ESTABLISHED', 'SYN_RECEIVED'],
      ['ESTABLISHED', 'ESTABLISHED'],
      ['ESTABLISHED', 'ESTABLISHED'],
    ]);
  });

  it('starting at the third ACK, then an active close by the server', () => {
    const p = [pk(3, 'c', 'A', 1, 1), pk(4, 's', 'FA', 1, 1), pk(5, 'c', 'A', 1, 2), pk(6, 'c', 'FA', 1, 2), pk(7, 's', 'A', 2, 2)];
    expect(states(p)).toEqual([
      ['ESTABLISHED', 'ESTABLISHED'],
      ['CLOSE_WAIT', 'FIN_WAIT_1'],
      ['CLOSE_WAIT', 'FIN_WAIT_2'],
      ['LAST_ACK', 'TIME_WAIT'],
      ['CLOSED', 'TIME_WAIT'],
    ]);
  });

  it('starting with a RST: CLOSED', () => {
    expect(states([pk(7, 's', 'R', 5, 0)])).toEqual([['CLOSED', 'CLOSED']]);
  });

  it('an unanswered SYN leaves the server unknown', () => {
    const r = inferStates([pk(1, 'c', 'S', 0, 0), pk(2, 'c', 'S', 0, 0)]);
    expect(r.initial).toEqual(['CLOSED', null]);
    expect(r.client).toEqual(['SYN_SENT', 'SYN_SENT']);
    expect(r.server).toEqual([null, null]);
  });
});

describe('not TCP', () => {
  it('UDP has no states', () => {
    const u: LadderPacket = { frame: 1, timeSec: 0, srcAddr: 'a', srcPort: 1, dstAddr: 'b', dstPort: 2, transport: 'udp', flags: 0, len: 5 };
    const r = inferStates([u]);
    expect(r.client).toEqual([null]);
    expect(r.initial).toEqual([null, null]);
  });
});
