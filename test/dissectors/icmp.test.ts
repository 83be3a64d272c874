// ICMP: echo request/reply pairing (single pass), timestamps in echo data, an error quoting IPv4+UDP with columns kept.
import { describe, expect, it } from 'vitest';
import { treeText } from '../../src/core/dissect/label';
import { hex, load, protocols, row } from './link-util';

// 10.0.0.1.45815 > 10.0.0.2.11697: UDP, length 6
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0022 be2f 4000 4011 6899 0a00 0001 0a00
//   0x0020:  0002 b2f7 2db1 000e c74a 6865 6c6c 6f0a
const udp = hex('020000000002020000000001080045000022be2f4000401168990a0000010a000002b2f72db1000ec74a68656c6c6f0a');
// 10.0.0.1 > 10.0.0.2: ICMP echo request, id 7342, seq 1, length 48 (a little-endian timeval in the data)
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0044 1111 4000 4001 15a6 0a00 0001 0a00
//   0x0020:  0002 0800 add8 1cae 0001 00f1 5365 90d0
//   0x0030:  0300 0000 0000 0000 0000 1011 1213 1415
//   0x0040:  1617 1819 1a1b 1c1d 1e1f 2021 2223 2425
//   0x0050:  2627
const request = hex(
  '02000000000202000000000108004500004411114000400115a60a0000010a0000020800add81cae000100f1536590d003000000000000000000101112131415161718191a1b1c1d1e1f2021222324252627',
);
// 10.0.0.2 > 10.0.0.1: ICMP echo reply, id 7342, seq 1, length 48
//   0x0000:  0200 0000 0001 0200 0000 0002 0800 4500
//   0x0010:  0044 2222 0000 4001 4495 0a00 0002 0a00
//   0x0020:  0001 0000 b5d8 1cae 0001 00f1 5365 90d0
//   (data as in the request)
const reply = hex(
  '02000000000102000000000208004500004422220000400144950a0000020a0000010000b5d81cae000100f1536590d003000000000000000000101112131415161718191a1b1c1d1e1f2021222324252627',
);
// 10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 udp port 11697 unreachable, length 42
//   0x0000:  0200 0000 0001 0200 0000 0002 0800 45c0
//   0x0010:  003e 3333 0000 4001 32ca 0a00 0002 0a00
//   0x0020:  0001 0303 111f 0000 0000 4500 0022 be2f
//   0x0030:  4000 4011 6899 0a00 0001 0a00 0002 b2f7
//   0x0040:  2db1 000e c74a 6865 6c6c 6f0a
const unreachable = hex(
  '020000000001020000000002080045c0003e33330000400132ca0a0000020a0000010303111f0000000045000022be2f4000401168990a0000010a000002b2f72db1000ec74a68656c6c6f0a',
);

const T = 1700000000;
const FIELDS = [
  'icmp.type',
  'icmp.code',
  'icmp.ident',
  'icmp.seq',
  'icmp.seq_le',
  'icmp.resp_to',
  'icmp.resptime',
  'icmp.data_time_relative',
  'udp.stream',
  'udp.srcport',
  'ip.src',
  'ip.dst',
];

describe('icmp', () => {
  const cap = load([udp, request, reply, unreachable], 1, [T + 0.1, T + 0.5, T + 0.500733, T + 0.6]);

  it('shows an echo request with the timestamp found in its data', () => {
    const pkt = cap.dissect(2);
    expect(pkt.info.text).toBe('Echo (ping) request  id=0x1cae, seq=1/256, ttl=64');
    expect(pkt.protocolCol.text).toBe('ICMP');
    const icmp = pkt.items.find((i) => i.f.abbrev === 'icmp')!;
    expect(treeText([icmp])).toBe(`Internet Control Message Protocol
  Type: 8 (Echo (ping) request)
  Code: 0
  Checksum: 0xadd8 [correct]
  [Checksum Status: Good]
  Identifier (BE): 7342 (0x1cae)
  Identifier (LE): 44572 (0xae1c)
  Sequence Number (BE): 1 (0x0001)
  Sequence Number (LE): 256 (0x0100)
  Timestamp from icmp data: Nov 14, 2023 22:13:20.250000000 UTC
  [Timestamp from icmp data (relative): 0.250000000 seconds]
  Data (32 bytes)
    Data: 0000000000000000101112131415161718191a1b1c1d1e1f2021222324252627
    [Length: 32]
`);
    // a request cannot know its reply in one pass: no "(reply in 3)"
    expect(row(pkt, FIELDS)).toBe('8\t0\t7342\t1\t256\t\t\t0.250000000\t\t\t10.0.0.1\t10.0.0.2');
  });

  it('pairs the reply with its request', () => {
    const pkt = cap.dissect(3);
    expect(pkt.info.text).toBe('Echo (ping) reply    id=0x1cae, seq=1/256, ttl=64 (request in 2)');
    const icmp = pkt.items.find((i) => i.f.abbrev === 'icmp')!;
    expect(treeText([icmp]).split('\n').slice(9, 11)).toEqual(['  [Request frame: 2]', '  [Response time: 0.733 ms]']);
    expect(row(pkt, FIELDS)).toBe('0\t0\t7342\t1\t256\t2\t0.733\t0.250733000\t\t\t10.0.0.2\t10.0.0.1');
  });

  it('dissects the quoted packet of an error without touching the columns', () => {
    const pkt = cap.dissect(4);
    expect(pkt.protocolCol.text).toBe('ICMP');
    expect(pkt.info.text).toBe('Destination unreachable (Port unreachable)');
    expect(pkt.p.netSrc).toBe('10.0.0.2');
    expect(pkt.p.netDst).toBe('10.0.0.1');
    expect(protocols(pkt)).toBe('eth:ethertype:ip:icmp:ip:udp:data');
    // the quoted datagram finds the UDP conversation of frame 1
    expect(row(pkt, FIELDS)).toBe('3\t3\t\t\t\t\t\t\t0\t45815\t10.0.0.2,10.0.0.1\t10.0.0.1,10.0.0.2');
    const icmp = pkt.items.find((i) => i.f.abbrev === 'icmp')!;
    expect(treeText([icmp])).toBe(`Internet Control Message Protocol
  Type: 3 (Destination unreachable)
  Code: 3 (Port unreachable)
  Checksum: 0x111f [correct]
  [Checksum Status: Good]
  Unused: 00000000
  Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2
    0100 .... = Version: 4
    .... 0101 = Header Length: 20 bytes (5)
    Differentiated Services Field: 0x00 (DSCP: CS0, ECN: Not-ECT)
      0000 00.. = Differentiated Services Codepoint: Default (0)
      .... ..00 = Explicit Congestion Notification: Not ECN-Capable Transport (0)
    Total Length: 34
    Identification: 0xbe2f (48687)
    010. .... = Flags: 0x2, Don't fragment
      0... .... = Reserved bit: Not set
      .1.. .... = Don't fragment: Set
      ..0. .... = More fragments: Not set
    ...0 0000 0000 0000 = Fragment Offset: 0
    Time to Live: 64
    Protocol: UDP (17)
    Header Checksum: 0x6899 [validation disabled]
    [Header checksum status: Unverified]
    Source Address: 10.0.0.1
    Destination Address: 10.0.0.2
  User Datagram Protocol, Src Port: 45815, Dst Port: 11697
    Source Port: 45815
    Destination Port: 11697
    Length: 14
    Checksum: 0xc74a [unverified]
    [Checksum Status: Unverified]
    [Stream index: 0]
    UDP payload (6 bytes)
`);
    // tshark puts the UDP payload's data at the top level, after ICMP
    expect(pkt.items[pkt.items.length - 1]!.f.abbrev).toBe('data');
  });

  it('reads the same when dissected again out of order', () => {
    expect(cap.dissect(3).info.text).toBe('Echo (ping) reply    id=0x1cae, seq=1/256, ttl=64 (request in 2)');
    expect(cap.dissect(2).info.text).toBe('Echo (ping) request  id=0x1cae, seq=1/256, ttl=64');
  });
});
