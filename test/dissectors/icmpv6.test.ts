// ICMPv6: neighbor discovery with options, router advertisement, MLD/MLDv2, echo pairing, an error quoting IPv6+UDP.
import { describe, expect, it } from 'vitest';
import { treeText } from '../../src/core/dissect/label';
import type { Packet } from '../../src/core/dissect/packet';
import { hex, load, protocols, row } from './link-util';

const icmpv6 = (pkt: Packet) => treeText([pkt.items.find((i) => i.f.abbrev === 'icmpv6')!]);

// From generated/04_ipv6_fragmented_ping_netns.pcap, frame 1:
// fd00:200:1::1 > ff02::1:ff00:2: ICMP6, neighbor solicitation, who has fd00:200:1::2, length 32
//   0x0000:  3333 ff00 0002 0200 0ac8 0101 86dd 6000
//   0x0010:  0000 0020 3aff fd00 0200 0001 0000 0000
//   0x0020:  0000 0000 0001 ff02 0000 0000 0000 0000
//   0x0030:  0001 ff00 0002 8700 6dcd 0000 0000 fd00
//   0x0040:  0200 0001 0000 0000 0000 0000 0002 0101
//   0x0050:  0200 0ac8 0101
const ns = hex(
  '3333ff00000202000ac8010186dd6000000000203afffd000200000100000000000000000001ff0200000000000000000001ff00000287006dcd00000000fd000200000100000000000000000002010102000ac80101',
);
// frame 2: fd00:200:1::2 > fd00:200:1::1: ICMP6, neighbor advertisement, tgt is fd00:200:1::2, length 32
//   0x0000:  0200 0ac8 0101 0200 0ac8 0102 86dd 6000
//   0x0010:  0000 0020 3aff fd00 0200 0001 0000 0000
//   0x0020:  0000 0000 0002 fd00 0200 0001 0000 0000
//   0x0030:  0000 0000 0001 8800 0acf 6000 0000 fd00
//   0x0040:  0200 0001 0000 0000 0000 0000 0002 0201
//   0x0050:  0200 0ac8 0102
const na = hex(
  '02000ac8010102000ac8010286dd6000000000203afffd000200000100000000000000000002fd00020000010000000000000000000188000acf60000000fd000200000100000000000000000002020102000ac80102',
);
// frame 21: fe80::aff:fec8:101 > ff02::2: ICMP6, router solicitation, length 16
//   0x0000:  3333 0000 0002 0200 0ac8 0101 86dd 6000
//   0x0010:  0000 0010 3aff fe80 0000 0000 0000 0000
//   0x0020:  0aff fec8 0101 ff02 0000 0000 0000 0000
//   0x0030:  0000 0000 0002 8500 639c 0000 0000 0101
//   0x0040:  0200 0ac8 0101
const rs = hex(
  '33330000000202000ac8010186dd6000000000103afffe8000000000000000000afffec80101ff0200000000000000000000000000028500639c00000000010102000ac80101',
);
// From public/tcpdump__icmpv6.pcap (BSD-3-Clause, the-tcpdump-group/tcpdump tests/icmpv6.pcap), frame 2:
// fe80::215:17ff:fecc:e546 > ff02::16: HBH ICMP6, multicast listener report v2, 1 group record(s), length 28
//   0x0000:  3333 0000 0016 0015 17cc e546 86dd 6000
//   0x0010:  0000 0024 0001 fe80 0000 0000 0000 0215
//   0x0020:  17ff fecc e546 ff02 0000 0000 0000 0000
//   0x0030:  0000 0000 0016 3a00 0502 0000 0100 8f00
//   0x0040:  1fc5 0000 0001 0400 0000 ff02 0000 0000
//   0x0050:  0000 0000 0db8 1122 3344
const mldv2 = hex(
  '333300000016001517cce54686dd6000000000240001fe80000000000000021517fffecce546ff0200000000000000000000000000163a000502000001008f001fc50000000104000000ff0200000000000000000db811223344',
);
// frame 3: fe80::b2a8:6eff:fe0c:d4e8 > ff02::1: HBH ICMP6, multicast listener query v2 [max resp delay=10000] [gaddr ::] robustness=2 qqi=60, length 28
//   0x0000:  3333 0000 0001 b0a8 6e0c d4e8 86dd 6000
//   0x0010:  0000 0024 0001 fe80 0000 0000 0000 b2a8
//   0x0020:  6eff fe0c d4e8 ff02 0000 0000 0000 0000
//   0x0030:  0000 0000 0001 3a00 0502 0000 0100 8200
//   0x0040:  623a 2710 0000 0000 0000 0000 0000 0000
//   0x0050:  0000 0000 0000 023c 0000
const mldQuery = hex(
  '333300000001b0a86e0cd4e886dd6000000000240001fe80000000000000b2a86efffe0cd4e8ff0200000000000000000000000000013a000502000001008200623a2710000000000000000000000000000000000000023c0000',
);
// From public/zeek__communityid-icmp6.pcap (BSD-3-Clause, zeek/zeek testing/btest/Traces), frame 11:
// 3ffe:507:0:1:260:97ff:fe07:69ea > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, time exceeded in-transit, length 68
//   0x0000:  0000 8605 80da 0060 9707 69ea 86dd 6000
//   0x0010:  0000 0044 3a40 3ffe 0507 0000 0001 0260
//   0x0020:  97ff fe07 69ea 3ffe 0507 0000 0001 0200
//   0x0030:  86ff fe05 80da 0300 f752 0000 0000 6000
//   0x0040:  0000 0014 1101 3ffe 0507 0000 0001 0200
//   0x0050:  86ff fe05 80da 3ffe 0501 0410 0000 02c0
//   0x0060:  dfff fe47 033e a075 829b 0014 828b 0101
//   0x0070:  0000 f9c8 e736 f5ed 0800
const timeExceeded = hex(
  '0000860580da0060970769ea86dd6000000000443a403ffe050700000001026097fffe0769ea3ffe050700000001020086fffe0580da0300f7520000000060000000001411013ffe050700000001020086fffe0580da3ffe05010410000002c0dffffe47033ea075829b0014828b01010000f9c8e736f5ed0800',
);
// fd00:200:1::1 > fd00:200:1::2: ICMP6, echo request, id 6917, seq 1, length 16
//   0x0000:  0200 0000 0002 0200 0000 0001 86dd 6000
//   0x0010:  0000 0010 3a40 fd00 0200 0001 0000 0000
//   0x0020:  0000 0000 0001 fd00 0200 0001 0000 0000
//   0x0030:  0000 0000 0002 8000 d512 1b05 0001 6162
//   0x0040:  6364 6566 6768
const echoReq = hex(
  '02000000000202000000000186dd6000000000103a40fd000200000100000000000000000001fd0002000001000000000000000000028000d5121b0500016162636465666768',
);
// fd00:200:1::2 > fd00:200:1::1: ICMP6, echo reply, id 6917, seq 1, length 16
//   0x0030:  0000 0000 0001 8100 d412 1b05 0001 6162
const echoRep = hex(
  '02000000000202000000000186dd6000000000103a40fd000200000100000000000000000002fd0002000001000000000000000000018100d4121b0500016162636465666768',
);

const FIELDS = [
  'icmpv6.type',
  'icmpv6.code',
  'icmpv6.checksum.status',
  'icmpv6.nd.ns.target_address',
  'icmpv6.nd.na.flag',
  'icmpv6.opt.linkaddr',
  'icmpv6.opt.src_linkaddr',
  'icmpv6.opt.target_linkaddr',
  'icmpv6.mldr.nb_mcast_records',
  'icmpv6.mldr.mar.record_type',
  'icmpv6.mld.maximum_response_code',
  'icmpv6.mld.flag.qrv',
  'icmpv6.echo.identifier',
  'icmpv6.echo.sequence_number',
  'icmpv6.resp_to',
  'icmpv6.resptime',
  'udp.dstport',
];

describe('icmpv6', () => {
  const frames = [ns, na, rs, mldv2, mldQuery, timeExceeded, echoReq, echoRep];
  const cap = load(frames, 1, [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1006.000018]);

  it('prints Info, protocols and -T fields like tshark', () => {
    const want: [string, string, string][] = [
      ['Neighbor Solicitation for fd00:200:1::2 from 02:00:0a:c8:01:01', 'eth:ethertype:ipv6:icmpv6', '135\t0\t1\tfd00:200:1::2\t\t02:00:0a:c8:01:01\t02:00:0a:c8:01:01\t\t\t\t\t\t\t\t\t\t'],
      ['Neighbor Advertisement fd00:200:1::2 (sol, ovr) is at 02:00:0a:c8:01:02', 'eth:ethertype:ipv6:icmpv6', '136\t0\t1\t\t0x60000000\t02:00:0a:c8:01:02\t\t02:00:0a:c8:01:02\t\t\t\t\t\t\t\t\t'],
      ['Router Solicitation from 02:00:0a:c8:01:01', 'eth:ethertype:ipv6:icmpv6', '133\t0\t1\t\t\t02:00:0a:c8:01:01\t02:00:0a:c8:01:01\t\t\t\t\t\t\t\t\t\t'],
      ['Multicast Listener Report Message v2', 'eth:ethertype:ipv6:ipv6.hopopts:icmpv6', '143\t0\t1\t\t\t\t\t\t1\t4\t\t\t\t\t\t\t'],
      ['Multicast Listener Query', 'eth:ethertype:ipv6:ipv6.hopopts:icmpv6', '130\t0\t1\t\t\t\t\t\t\t\t10000\t2\t\t\t\t\t'],
      ['Time Exceeded (hop limit exceeded in transit)', 'eth:ethertype:ipv6:icmpv6:ipv6:udp:data', '3\t0\t1\t\t\t\t\t\t\t\t\t\t\t\t\t\t33435'],
      ['Echo (ping) request id=0x1b05, seq=1, hop limit=64', 'eth:ethertype:ipv6:icmpv6:data', '128\t0\t1\t\t\t\t\t\t\t\t\t\t0x1b05\t1\t\t\t'],
      ['Echo (ping) reply id=0x1b05, seq=1, hop limit=64 (request in 7)', 'eth:ethertype:ipv6:icmpv6:data', '129\t0\t1\t\t\t\t\t\t\t\t\t\t0x1b05\t1\t7\t0.018\t'],
    ];
    want.forEach(([info, protos, fields], i) => {
      const pkt = cap.dissect(i + 1);
      expect(pkt.protocolCol.text, `frame ${i + 1}`).toBe('ICMPv6');
      expect(pkt.info.text, `frame ${i + 1}`).toBe(info);
      expect(protocols(pkt), `frame ${i + 1}`).toBe(protos);
      expect(row(pkt, FIELDS), `frame ${i + 1}`).toBe(fields);
    });
  });

  it('dissects neighbor discovery and its options', () => {
    expect(icmpv6(cap.dissect(1))).toBe(`Internet Control Message Protocol v6
  Type: Neighbor Solicitation (135)
  Code: 0
  Checksum: 0x6dcd [correct]
  [Checksum Status: Good]
  Reserved: 00000000
  Target Address: fd00:200:1::2
  ICMPv6 Option (Source link-layer address : 02:00:0a:c8:01:01)
    Type: Source link-layer address (1)
    Length: 1 (8 bytes)
    Link-layer address: 02:00:0a:c8:01:01 (02:00:0a:c8:01:01)
`);
    expect(icmpv6(cap.dissect(2))).toBe(`Internet Control Message Protocol v6
  Type: Neighbor Advertisement (136)
  Code: 0
  Checksum: 0x0acf [correct]
  [Checksum Status: Good]
  Flags: 0x60000000, Solicited, Override
    0... .... .... .... .... .... .... .... = Router: Not set
    .1.. .... .... .... .... .... .... .... = Solicited: Set
    ..1. .... .... .... .... .... .... .... = Override: Set
    ...0 0000 0000 0000 0000 0000 0000 0000 = Reserved: 0
  Target Address: fd00:200:1::2
  ICMPv6 Option (Target link-layer address : 02:00:0a:c8:01:02)
    Type: Target link-layer address (2)
    Length: 1 (8 bytes)
    Link-layer address: 02:00:0a:c8:01:02 (02:00:0a:c8:01:02)
`);
  });

  it('dissects MLDv2 reports and MLD queries', () => {
    expect(icmpv6(cap.dissect(4))).toBe(`Internet Control Message Protocol v6
  Type: Multicast Listener Report Message v2 (143)
  Code: 0
  Checksum: 0x1fc5 [correct]
  [Checksum Status: Good]
  Reserved: 0000
  Number of Multicast Address Records: 1
  Multicast Address Record Changed to exclude: ff02::db8:1122:3344
    Record Type: Changed to exclude (4)
    Aux Data Len: 0
    Number of Sources: 0
    Multicast Address: ff02::db8:1122:3344
`);
    expect(icmpv6(cap.dissect(5))).toBe(`Internet Control Message Protocol v6
  Type: Multicast Listener Query (130)
  Code: 0
  Checksum: 0x623a [correct]
  [Checksum Status: Good]
  Maximum Response Code: 10000
  Reserved: 0000
  Multicast Address: ::
  Flags: 0x02
    .... 0... = Suppress Router-Side Processing: False
    .... .010 = QRV (Querier's Robustness Variable): 2
    0000 .... = Reserved: 0
  QQIC (Querier's Query Interval Code): 60
  Number of Sources: 0
`);
  });

  it('dissects the packet quoted by an error', () => {
    const pkt = cap.dissect(6);
    const lines = icmpv6(pkt).split('\n');
    expect(lines.slice(0, 7)).toEqual([
      'Internet Control Message Protocol v6',
      '  Type: Time Exceeded (3)',
      '  Code: 0 (hop limit exceeded in transit)',
      '  Checksum: 0xf752 [correct]',
      '  [Checksum Status: Good]',
      '  Reserved: 00000000',
      '  Internet Protocol Version 6, Src: 3ffe:507:0:1:200:86ff:fe05:80da, Dst: 3ffe:501:410:0:2c0:dfff:fe47:33e',
    ]);
    expect(lines.slice(17, 20)).toEqual([
      '    [Source SLAAC MAC: Megahert_05:80:da (00:00:86:05:80:da)]',
      '    [Destination SLAAC MAC: KYE_47:03:3e (00:c0:df:47:03:3e)]',
      '  User Datagram Protocol, Src Port: 41077, Dst Port: 33435',
    ]);
    // a UDP probe to 33435 quoted in an error: traceroute
    expect(pkt.experts.map((e) => e.message)).toEqual(['Possible traceroute: hop #1, attempt #1']);
    expect(pkt.p.netSrc).toBe('3ffe:507:0:1:260:97ff:fe07:69ea');
  });

  it('pairs an echo reply with its request', () => {
    expect(icmpv6(cap.dissect(8))).toBe(`Internet Control Message Protocol v6
  Type: Echo (ping) reply (129)
  Code: 0
  Checksum: 0xd412 [correct]
  [Checksum Status: Good]
  Identifier: 0x1b05
  Sequence: 1
  [Response To: 7]
  [Response Time: 0.018 ms]
  Data (8 bytes)
    Data: 6162636465666768
    [Length: 8]
`);
  });
});

// From public/tcpdump__icmpv6.pcap, frame 1: a router advertisement with prefix, RDNSS, DNSSL, MTU,
// source link-layer address, advertisement interval and home agent options.
//   0x0000:  3333 0000 0001 b099 28c8 d66c 86dd 6000
//   0x0010:  0000 00b0 3aff fe80 0000 0000 0000 b299
//   0x0020:  28ff fec8 d66c ff02 0000 0000 0000 0000
//   0x0030:  0000 0000 0001 8600 2401 4020 000f 0000
//   0x0040:  0000 0000 0000 0304 48c0 0027 8d00 0009
//   0x0050:  3a80 0000 0000 2222 3333 4444 5555 6600
//   0x0060:  0000 0000 0000 1905 0000 0000 0005 abcd
//   0x0070:  0000 0000 0000 0000 0000 0000 efef 1234
//   0x0080:  5678 0000 0000 0000 0000 0000 0001 1f07
//   0x0090:  0000 0000 0005 0765 7861 6d70 6c65 0363
//   0x00a0:  6f6d 0007 6578 616d 706c 6503 6f72 6700
//   0x00b0:  0464 6f6d 3104 646f 6d32 0374 6c64 0000
//   0x00c0:  0000 0000 0000 0501 0000 0000 0064 0101
//   0x00d0:  b099 28c8 d66c 0701 0000 0000 1388 0801
//   0x00e0:  0000 c351 000f
const ra = hex(
  '333300000001b09928c8d66c86dd6000000000b03afffe80000000000000b29928fffec8d66cff020000000000000000000000000001860024014020000f0000000000000000030448c000278d0000093a8000000000222233334444555566000000000000001905000000000005abcd000000000000000000000000efef123456780000000000000000000000011f07000000000005076578616d706c6503636f6d00076578616d706c65036f72670004646f6d3104646f6d3203746c64000000000000000005010000000000640101b09928c8d66c070100000000138808010000c351000f',
);

describe('icmpv6 router advertisement', () => {
  it('dissects the advertisement and every option as tshark', () => {
    const pkt = load([ra]).dissect(1);
    expect(pkt.info.text).toBe('Router Advertisement from b0:99:28:c8:d6:6c');
    expect(icmpv6(pkt)).toBe(`Internet Control Message Protocol v6
  Type: Router Advertisement (134)
  Code: 0
  Checksum: 0x2401 [correct]
  [Checksum Status: Good]
  Cur hop limit: 64
  Flags: 0x20, Home Agent, Prf (Default Router Preference): Medium
    0... .... = Managed address configuration: Not set
    .0.. .... = Other configuration: Not set
    ..1. .... = Home Agent: Set
    ...0 0... = Prf (Default Router Preference): Medium (0)
    .... .0.. = Proxy: Not set
    .... ..00 = Reserved: 0
  Router lifetime (s): 15
  Reachable time (ms): 0
  Retrans timer (ms): 0
  ICMPv6 Option (Prefix information : 2222:3333:4444:5555:6600::/72)
    Type: Prefix information (3)
    Length: 4 (32 bytes)
    Prefix Length: 72
    Flag: 0xc0, On-link flag(L), Autonomous address-configuration flag(A)
      1... .... = On-link flag(L): Set
      .1.. .... = Autonomous address-configuration flag(A): Set
      ..0. .... = Router address flag(R): Not set
      ...0 0000 = Reserved: 0
    Valid Lifetime: 2592000
    Preferred Lifetime: 604800
    Reserved
    Prefix: 2222:3333:4444:5555:6600::
  ICMPv6 Option (Recursive DNS Server abcd::efef 1234:5678::1)
    Type: Recursive DNS Server (25)
    Length: 5 (40 bytes)
    Reserved
    Lifetime: 5
    Recursive DNS Servers: abcd::efef
    Recursive DNS Servers: 1234:5678::1
  ICMPv6 Option (DNS Search List Option example.com example.org dom1.dom2.tld)
    Type: DNS Search List Option (31)
    Length: 7 (56 bytes)
    Reserved
    Lifetime: 5
    Domain Names: example.com
    Domain Names: example.org
    Domain Names: dom1.dom2.tld
    Padding
  ICMPv6 Option (MTU : 100)
    Type: MTU (5)
    Length: 1 (8 bytes)
    Reserved
    MTU: 100
  ICMPv6 Option (Source link-layer address : b0:99:28:c8:d6:6c)
    Type: Source link-layer address (1)
    Length: 1 (8 bytes)
    Link-layer address: Fujitsu_c8:d6:6c (b0:99:28:c8:d6:6c)
  ICMPv6 Option (Advertisement Interval : 5000)
    Type: Advertisement Interval (7)
    Length: 1 (8 bytes)
    Reserved
    Advertisement Interval: 5000
  ICMPv6 Option (Home Agent Information)
    Type: Home Agent Information (8)
    Length: 1 (8 bytes)
    Reserved
    Home Agent Preference: 50001
    Home Agent Preference: 15
`);
    expect(row(pkt, ['icmpv6.opt.prefix.flag', 'icmpv6.opt.dnssl', 'icmpv6.opt.rdnss', 'icmpv6.nd.ra.flag'])).toBe(
      '0xc0\texample.com,example.org,dom1.dom2.tld\tabcd::efef,1234:5678::1\t0x20',
    );
  });
});
