// IPv6: fixed header, extension headers (hop-by-hop, routing, destination options), fragments and reassembly, SLAAC MACs.
import { describe, expect, it } from 'vitest';
import { treeText } from '../../src/core/dissect/label';
import type { Packet } from '../../src/core/dissect/packet';
import { hex, load, protocols, row } from './link-util';

const ipv6 = (pkt: Packet) => pkt.items.find((i) => i.f.abbrev === 'ipv6')!;

// A UDP datagram of 72 bytes in three fragments (32 + 32 + 8), ident 0x01020304.
// 2001:db8:1::2 > 2001:db8:1::1: frag (0|32) 1234 > 5678: UDP, length 64
//   0x0000:  0010 db88 d2ef 0010 1895 316a 86dd 6000
//   0x0010:  0000 0028 2c40 2001 0db8 0001 0000 0000
//   0x0020:  0000 0000 0002 2001 0db8 0001 0000 0000
//   0x0030:  0000 0000 0001 1100 0001 0102 0304 04d2
//   0x0040:  162e 0048 cc0a 3031 3233 3435 3637 3839
//   0x0050:  6162 6364 6566 3031 3233 3435 3637
const frag1 = hex(
  '0010db88d2ef00101895316a86dd6000000000282c4020010db800010000000000000000000220010db8000100000000000000000001110000010102030404d2162e0048cc0a303132333435363738396162636465663031323334353637',
);
// 2001:db8:1::2 > 2001:db8:1::1: frag (32|32)
//   0x0030:  0000 0000 0001 1100 0021 0102 0304 3839
const frag2 = hex(
  '0010db88d2ef00101895316a86dd6000000000282c4020010db800010000000000000000000220010db800010000000000000000000111000021010203043839616263646566303132333435363738396162636465663031323334353637',
);
// 2001:db8:1::2 > 2001:db8:1::1: frag (64|8)
//   0x0010:  0000 0010 2c40 2001 0db8 0001 0000 0000
//   0x0030:  0000 0000 0001 1100 0040 0102 0304 3839
//   0x0040:  6162 6364 6566
const frag3 = hex(
  '0010db88d2ef00101895316a86dd6000000000102c4020010db800010000000000000000000220010db800010000000000000000000111000040010203043839616263646566',
);
// Hop-by-hop (Router Alert, PadN) > routing type 0 > destination options (PadN) > UDP; tclass 0xb8, flow 0x12345
//   0x0000:  0010 db88 d2ef 0010 1895 316a 86dd 6b81
//   0x0010:  2345 0022 0001 2001 0db8 0001 0000 0000
//   0x0020:  0000 0000 0002 2001 0db8 0001 0000 0000
//   0x0030:  0000 0000 0001 2b00 0502 0000 0100 3c00
//   0x0040:  0000 0000 0000 1100 0104 0000 0000 04d2
//   0x0050:  162e 000a 20fa 6869
const extHeaders = hex(
  '0010db88d2ef00101895316a86dd6b8123450022000120010db800010000000000000000000220010db80001000000000000000000012b000502000001003c00000000000000110001040000000004d2162e000a20fa6869',
);
// an atomic fragment (offset 0, no more fragments): dissected on at once
//   0x0030:  0000 0000 0001 1100 0000 0000 0000 04d2
const atomic = hex(
  '0010db88d2ef00101895316a86dd6000000000122c4020010db800010000000000000000000220010db8000100000000000000000001110000000000000004d2162e000a20fa6869',
);
// fe80::210:18ff:fe95:316a > fe80::aff:fec8:101: ICMP6, echo request, id 1, seq 1
//   0x0000:  0200 0000 0002 0200 0000 0001 86dd 6000
//   0x0010:  0000 0008 3a40 fe80 0000 0000 0000 0210
//   0x0020:  18ff fe95 316a fe80 0000 0000 0000 0000
//   0x0030:  0aff fec8 0101 8000 2ce1 0001 0001
const slaac = hex(
  '02000000000202000000000186dd6000000000083a40fe80000000000000021018fffe95316afe8000000000000000000afffec8010180002ce100010001',
);

const FIELDS = [
  'ipv6.plen',
  'ipv6.nxt',
  'ipv6.hlim',
  'ipv6.tclass',
  'ipv6.flow',
  'ipv6.fraghdr.offset',
  'ipv6.fraghdr.more',
  'ipv6.fraghdr.ident',
  'ipv6.fragment',
  'ipv6.fragment.count',
  'ipv6.reassembled.length',
  'udp.length',
  'ipv6.hopopts.len_oct',
  'ipv6.opt.type',
  'ipv6.opt.router_alert',
  'ipv6.routing.type',
  'ipv6.src_slaac_mac',
  'ipv6.dst_slaac_mac',
  'ipv6.slaac_mac',
];

describe('ipv6', () => {
  const cap = load([frag1, frag2, frag3, extHeaders, atomic, slaac]);

  it('prints -T fields like tshark', () => {
    const want = [
      '40\t44\t64\t0x00000000\t0x000000\t0\t1\t0x01020304\t\t\t\t\t\t\t\t\t\t\t',
      '40\t44\t64\t0x00000000\t0x000000\t4\t1\t0x01020304\t\t\t\t\t\t\t\t\t\t\t',
      '16\t44\t64\t0x00000000\t0x000000\t8\t0\t0x01020304\t1,2,3\t3\t72\t72\t\t\t\t\t\t\t',
      '34\t0\t1\t0x000000b8\t0x012345\t\t\t\t\t\t\t10\t8\t0x05,0x01,0x01\t0\t0\t\t\t',
      '18\t44\t64\t0x00000000\t0x000000\t0\t0\t0x00000000\t\t\t\t10\t\t\t\t\t\t\t',
      '8\t58\t64\t0x00000000\t0x000000\t\t\t\t\t\t\t\t\t\t\t\t00:10:18:95:31:6a\t\t00:10:18:95:31:6a',
    ];
    for (let n = 1; n <= want.length; n++) expect(row(cap.dissect(n), FIELDS), `frame ${n}`).toBe(want[n - 1]);
  });

  it('shows fragments, then the reassembled datagram', () => {
    const f1 = cap.dissect(1);
    expect(f1.protocolCol.text).toBe('IPv6');
    expect(f1.info.text).toBe('IPv6 fragment (off=0 more=y ident=0x01020304 nxt=17)');
    expect(protocols(f1)).toBe('eth:ethertype:ipv6:ipv6.fraghdr:data');
    expect(cap.dissect(2).info.text).toBe('IPv6 fragment (off=32 more=y ident=0x01020304 nxt=17)');
    const f3 = cap.dissect(3);
    expect(f3.info.text).toBe('1234 → 5678 Len=64');
    expect(protocols(f3)).toBe('eth:ethertype:ipv6:ipv6.fraghdr:udp:data');
    expect(treeText([ipv6(f3)])).toBe(`Internet Protocol Version 6, Src: 2001:db8:1::2, Dst: 2001:db8:1::1
  0110 .... = Version: 6
  .... 0000 0000 .... .... .... .... .... = Traffic Class: 0x00 (DSCP: CS0, ECN: Not-ECT)
    .... 0000 00.. .... .... .... .... .... = Differentiated Services Codepoint: Default (0)
    .... .... ..00 .... .... .... .... .... = Explicit Congestion Notification: Not ECN-Capable Transport (0)
  .... 0000 0000 0000 0000 0000 = Flow Label: 0x00000
  Payload Length: 16
  Next Header: Fragment Header for IPv6 (44)
  Hop Limit: 64
  Source Address: 2001:db8:1::2
  Destination Address: 2001:db8:1::1
  Fragment Header for IPv6
    Next header: UDP (17)
    Reserved octet: 0x00
    0000 0000 0100 0... = Offset: 8 (64 bytes)
    .... .... .... .00. = Reserved bits: 0
    .... .... .... ...0 = More Fragments: No
    Identification: 0x01020304
  [3 IPv6 Fragments (72 bytes): #1(32), #2(32), #3(8)]
    [Frame: 1, payload: 0-31 (32 bytes)]
    [Frame: 2, payload: 32-63 (32 bytes)]
    [Frame: 3, payload: 64-71 (8 bytes)]
    [Fragment count: 3]
    [Reassembled IPv6 length: 72]
    [Reassembled IPv6 data: 04d2162e0048cc0a30313233343536373839616263646566303132333435363738396162…]
`);
    expect(f3.sources[1]!.name).toBe('Reassembled IPv6');
  });

  it('walks hop-by-hop, routing and destination options headers', () => {
    const pkt = cap.dissect(4);
    expect(protocols(pkt)).toBe('eth:ethertype:ipv6:ipv6.hopopts:ipv6.routing:ipv6.dstopts:udp:data');
    const top = ipv6(pkt);
    expect(treeText([top]).split('\n').slice(0, 11).join('\n')).toBe(`Internet Protocol Version 6, Src: 2001:db8:1::2, Dst: 2001:db8:1::1
  0110 .... = Version: 6
  .... 1011 1000 .... .... .... .... .... = Traffic Class: 0xb8 (DSCP: EF PHB, ECN: Not-ECT)
    .... 1011 10.. .... .... .... .... .... = Differentiated Services Codepoint: Expedited Forwarding (46)
    .... .... ..00 .... .... .... .... .... = Explicit Congestion Notification: Not ECN-Capable Transport (0)
  .... 0001 0010 0011 0100 0101 = Flow Label: 0x12345
  Payload Length: 34
  Next Header: IPv6 Hop-by-Hop Option (0)
  Hop Limit: 1
  Source Address: 2001:db8:1::2
  Destination Address: 2001:db8:1::1`);
    const ext = (abbrev: string) => treeText([top.children!.find((c) => c.f.abbrev === abbrev)!]);
    expect(ext('ipv6.hopopts')).toBe(`IPv6 Hop-by-Hop Option
  Next Header: Routing Header for IPv6 (43)
  Length: 0
  [Length: 8 bytes]
  Router Alert
    Type: Router Alert (0x05)
      00.. .... = Action: Skip and continue (0)
      ..0. .... = May Change: No
      ...0 0101 = Low-Order Bits: 0x05
    Length: 2
    Router Alert: MLD (0)
  PadN
    Type: PadN (0x01)
      00.. .... = Action: Skip and continue (0)
      ..0. .... = May Change: No
      ...0 0001 = Low-Order Bits: 0x01
    Length: 0
    PadN: <none>
`);
    expect(ext('ipv6.dstopts')).toBe(`Destination Options for IPv6
  Next Header: UDP (17)
  Length: 0
  [Length: 8 bytes]
  PadN
    Type: PadN (0x01)
      00.. .... = Action: Skip and continue (0)
      ..0. .... = May Change: No
      ...0 0001 = Low-Order Bits: 0x01
    Length: 4
    PadN: 00000000
`);
    const rt = ext('ipv6.routing').split('\n');
    expect(rt.slice(0, 5)).toEqual([
      'Routing Header for IPv6 (Source Route)',
      '  Next Header: Destination Options for IPv6 (60)',
      '  Length: 0',
      '  [Length: 8 bytes]',
      '  Type: Source Route (0)',
    ]);
    expect(rt.slice(-3)).toEqual(['  Segments Left: 0', '  Reserved: 00000000', '']);
    expect(pkt.experts.map((e) => `${e.severity}/${e.group}: ${e.message}`)).toEqual(['note/deprecated: Routing header type is deprecated']);
  });

  it('dissects an atomic fragment at once', () => {
    const pkt = cap.dissect(5);
    expect(protocols(pkt)).toBe('eth:ethertype:ipv6:ipv6.fraghdr:udp:data');
    expect(pkt.info.text).toBe('1234 → 5678 Len=2');
  });

  it('shows the MAC a SLAAC address was made from (universal MACs only)', () => {
    const lines = treeText([ipv6(cap.dissect(6))]).split('\n');
    expect(lines[11]).toBe('  [Source SLAAC MAC: Broadcom_95:31:6a (00:10:18:95:31:6a)]');
    // fe80::aff:fec8:101 has the universal/local bit clear: no Destination SLAAC MAC
    expect(lines[12]).toBe('');
  });
});
