// LadderPacket from a dissected Packet: tree or flat items, missing fields, ICMP errors, and (when the
// TCP dissector is there) the real sample capture against tshark's facts.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ladderKeepSet, ladderPacketFromPacket, type PacketLike } from '../../src/core/analysis/ladder-from-packet';
import type { Item } from '../../src/core/dissect/packet';
import { getField, type FieldDef, type Value } from '../../src/core/fields/registry';
import { DEMO_SETS } from '../../src/ui/diagram/demo-data';

/** The registered field, or a stand-in with the same abbrev (the function only reads abbrev/proto). */
function fd(abbrev: string): FieldDef {
  return getField(abbrev) ?? ({ abbrev, proto: abbrev.split('.')[0]!, type: 'none' } as unknown as FieldDef);
}
function it_(abbrev: string, v?: Value, children?: Item[]): Item {
  return { f: fd(abbrev), v, src: 0, start: 0, len: 0, text: undefined, flags: 0, children: children ?? null };
}
function pkt(items: Item[], info = '', layers: string[] = [], num = 4): PacketLike {
  return {
    items,
    info: { text: info } as PacketLike['info'],
    layers,
    experts: [],
    meta: { num, capLen: 0, origLen: 0, tsSec: 100, tsNsec: 500_000_000, iface: 0, linkType: 1, comments: [] } as unknown as PacketLike['meta'],
  };
}
const flatten = (items: Item[]): Item[] => items.flatMap((i) => [{ ...i, children: null }, ...flatten(i.children ?? [])]);

const ip4 = (s: string) => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);

function httpGetItems(): Item[] {
  return [
    it_('frame', undefined, [it_('frame.time_relative', 0.000093)]),
    it_('eth', undefined, [it_('eth.src', new Uint8Array(6))]),
    it_('ip', undefined, [it_('ip.src', ip4('127.0.0.1')), it_('ip.dst', ip4('127.0.0.2'))]),
    it_('tcp', undefined, [
      it_('tcp.srcport', 43874),
      it_('tcp.dstport', 11699),
      it_('tcp.stream', 0),
      it_('tcp.seq', 1),
      it_('tcp.seq_raw', 2115888272),
      it_('tcp.ack', 1),
      it_('tcp.ack_raw', 3971247655),
      it_('tcp.flags', 0x018, [it_('tcp.flags.push', 1), it_('tcp.flags.ack', 1)]),
      it_('tcp.window_size_value', 512),
      it_('tcp.window_size', 65536),
      it_('tcp.options', undefined, [
        it_('tcp.options.mss', undefined, [it_('tcp.option_kind', 2), it_('tcp.options.mss_val', 1460)]),
        it_('tcp.options.sack_perm', undefined, [it_('tcp.option_kind', 4)]),
        it_('tcp.options.timestamp.tsval', 2660436950),
        it_('tcp.options.timestamp.tsecr', 2525540368),
        it_('tcp.options.wscale', undefined, [it_('tcp.options.wscale.shift', 7), it_('tcp.options.wscale.multiplier', 128)]),
      ]),
      it_('tcp.analysis', undefined, [it_('tcp.analysis.flags', undefined, [it_('tcp.analysis.retransmission')])]),
      it_('tcp.len', 79),
    ]),
    it_('http', undefined, [
      it_('http.request.method', 'GET'),
      it_('http.request.uri', '/'),
      it_('http.request.version', 'HTTP/1.1'),
    ]),
  ];
}

const expected = {
  frame: 4,
  timeSec: 0.000093,
  srcAddr: '127.0.0.1',
  dstAddr: '127.0.0.2',
  transport: 'tcp',
  srcPort: 43874,
  dstPort: 11699,
  stream: 0,
  flags: 0x18,
  seq: 1,
  ack: 1,
  seqRaw: 2115888272,
  ackRaw: 3971247655,
  len: 79,
  win: 65536,
  options: { mss: 1460, ws: 7, sackPerm: true, ts: { val: 2660436950, ecr: 2525540368 } },
  app: 'GET / HTTP/1.1',
  badges: ['retransmission'],
};

describe('ladderPacketFromPacket', () => {
  it('reads a full tree', () => {
    expect(ladderPacketFromPacket(pkt(httpGetItems(), 'GET / HTTP/1.1 ', ['frame', 'eth', 'ip', 'tcp', 'http']))).toEqual(expected);
  });

  it('reads a flat item list (Packet keep = a field set)', () => {
    expect(ladderPacketFromPacket(pkt(flatten(httpGetItems()), 'GET / HTTP/1.1'))).toEqual(expected);
  });

  it('tolerates missing fields and falls back to the frame time', () => {
    const p = ladderPacketFromPacket(
      pkt([it_('ip', undefined, [it_('ip.src', ip4('10.0.0.1')), it_('ip.dst', ip4('10.0.0.2'))]), it_('tcp', undefined, [])], '', [], 9),
      { firstSec: 100, firstNsec: 0 },
    );
    expect(p).toEqual({ frame: 9, timeSec: 0.5, srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', transport: 'tcp', flags: 0 });
  });

  it('analysis from the expert list, window from the raw field', () => {
    const base = pkt([
      it_('ip.src', ip4('1.2.3.4')),
      it_('ip.dst', ip4('5.6.7.8')),
      it_('tcp.srcport', 1),
      it_('tcp.window_size_value', 0),
    ]);
    const p = ladderPacketFromPacket({ ...base, experts: [{ severity: 'warn', group: 'sequence', message: 'zero', abbrev: 'tcp.analysis.zero_window' }] });
    expect(p?.badges).toEqual(['zero_window']);
    expect(p?.win).toBe(0);
  });

  it('IPv6 addresses', () => {
    const a = new Uint8Array(16);
    a[15] = 1;
    const b = new Uint8Array(16);
    b[0] = 0x20;
    b[1] = 0x01;
    b[2] = 0x0d;
    b[3] = 0xb8;
    b[15] = 2;
    const p = ladderPacketFromPacket(pkt([it_('ipv6.src', a), it_('ipv6.dst', b), it_('udp', undefined, [it_('udp.srcport', 53), it_('udp.dstport', 5353), it_('udp.length', 20)])]));
    expect(p).toMatchObject({ srcAddr: '::1', dstAddr: '2001:db8::2', transport: 'udp', srcPort: 53, dstPort: 5353, len: 12 });
  });

  it('an ICMP error: outer addresses, the quoted header ignored, Info kept', () => {
    const items = [
      it_('ip', undefined, [it_('ip.src', ip4('10.0.0.2')), it_('ip.dst', ip4('10.0.0.1'))]),
      it_('icmp', undefined, [
        it_('icmp.type', 3),
        it_('icmp.code', 3),
        it_('ip', undefined, [it_('ip.src', ip4('10.0.0.1')), it_('ip.dst', ip4('10.0.0.2'))]),
        it_('udp', undefined, [it_('udp.srcport', 40000), it_('udp.dstport', 9)]),
      ]),
    ];
    const p = ladderPacketFromPacket(pkt(items, 'Destination unreachable (Port unreachable)'));
    expect(p).toEqual({
      frame: 4,
      timeSec: 100.5,
      srcAddr: '10.0.0.2',
      dstAddr: '10.0.0.1',
      transport: 'icmp',
      flags: 0,
      info: 'Destination unreachable (Port unreachable)',
    });
  });

  it('DNS and TLS summaries come from the Info column; a TCP-style Info is not one', () => {
    const udp = [it_('ip.src', ip4('1.1.1.1')), it_('ip.dst', ip4('2.2.2.2')), it_('udp.srcport', 53), it_('udp.dstport', 999)];
    expect(ladderPacketFromPacket(pkt([...udp, it_('dns')], 'Standard query response 0x1234 A example.com A 93.184.216.34', ['dns']))?.app).toBe(
      'Standard query response 0x1234 A example.com A 93.184.216.34',
    );
    const tcp = [it_('ip.src', ip4('1.1.1.1')), it_('ip.dst', ip4('2.2.2.2')), it_('tcp.srcport', 443)];
    expect(ladderPacketFromPacket(pkt([...tcp, it_('tls')], 'Client Hello', ['tls']))?.app).toBe('Client Hello');
    expect(ladderPacketFromPacket(pkt([...tcp, it_('tls'), it_('tls.handshake.type', 2), it_('tls.handshake.type', 11)], '443 → 5000 [ACK] Seq=1', ['tls']))?.app).toBe(
      'Server Hello, Certificate',
    );
    expect(ladderPacketFromPacket(pkt(tcp, '443 → 5000 [ACK] Seq=1 Ack=1'))?.app).toBeUndefined();
  });

  it('not IP: null', () => {
    expect(ladderPacketFromPacket(pkt([it_('arp', undefined, [it_('arp.opcode', 1)])]))).toBeNull();
  });

  it('keep set: ids of the registered ladder fields', () => {
    const s = ladderKeepSet();
    for (const id of s) expect(typeof id).toBe('number');
  });
});

describe('with the real dissectors', async () => {
  await import('../../src/core/dissectors');
  const ready = !!getField('tcp.seq') && !!getField('tcp.flags') && !!getField('tcp.window_size');
  const { cleanInfo } = await import('../../src/core/analysis/ladder-labels');
  for (const [name, set] of Object.entries(DEMO_SETS)) {
    it.skipIf(!ready)(`${set.file} gives tshark's facts (${name})`, async () => {
      const { Capture } = await import('../../src/core/capture');
      const { MemorySource } = await import('../../src/core/formats/reader');
      const bytes = new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', 'captures', set.file)));
      const cap = new Capture(new MemorySource(bytes));
      cap.load();
      for (const w of set.packets) {
        const got = ladderPacketFromPacket(cap.dissect(w.frame, false));
        expect(got).not.toBeNull();
        const { timeSec, app, info, ...rest } = w;
        expect(got).toMatchObject(rest);
        expect(got!.timeSec).toBeCloseTo(timeSec, 6);
        if (app) expect(got!.app).toBe(app);
        if (info) expect(got!.info).toBe(cleanInfo(info));
      }
    });
  }
});
