// Link layers: NULL/loopback, raw IP, Linux cooked v1/v2, 802.1ad + 802.1Q with padding and trailer,
// 802.3 + LLC, the Ethernet FCS guess and non-zero padding, MPLS.
import { describe, expect, it } from 'vitest';
import { treeText } from '../../src/core/dissect/label';
import type { Packet } from '../../src/core/dissect/packet';
import { hex, load, protocols, row } from './link-util';

const layer = (pkt: Packet, abbrev: string, n = 0) => treeText([pkt.items.filter((i) => i.f.abbrev === abbrev)[n]!]);

// IPv4 10.0.0.1.1234 > 10.0.0.2.5678: UDP, length 2 (no link header)
//   0x0000:  4500 001e 1234 0000 4011 5499 0a00 0001
//   0x0010:  0a00 0002 04d2 162e 000a 686e 6869
const udp4 = '4500001e12340000401154990a0000010a00000204d2162e000a686e6869';
// IPv6 fe80::1.1234 > fe80::2.5678: UDP, length 2 (no link header)
//   0x0000:  6000 0000 000a 1140 fe80 0000 0000 0000
//   0x0010:  0000 0000 0000 0001 fe80 0000 0000 0000
//   0x0020:  0000 0000 0000 0002 04d2 162e 000a 8b79
//   0x0030:  6869
const udp6 = '60000000000a1140fe800000000000000000000000000001fe80000000000000000000000000000204d2162e000a8b796869';

describe('null/loopback', () => {
  // family 2 in little-endian order, 30 (Darwin IPv6) in big-endian order, 10 (unknown)
  //   0x0000:  0200 0000 4500 001e ...
  //   0x0000:  0000 001e 6000 0000 ...
  //   0x0000:  0a00 0000 4500 001e ...
  const cap = load([hex('02000000' + udp4), hex('0000001e' + udp6), hex('0a000000' + udp4)], 0);

  it('reads the family in either byte order and hands off by it', () => {
    expect(row(cap.dissect(1), ['null.family', 'frame.protocols', 'ip.src'])).toBe('2\tnull:ip:udp:data\t10.0.0.1');
    expect(layer(cap.dissect(1), 'null')).toBe('Null/Loopback\n  Family: IP (2)\n');
    expect(row(cap.dissect(2), ['null.family', 'frame.protocols', 'ipv6.src'])).toBe('30\tnull:ipv6:udp:data\tfe80::1');
    expect(layer(cap.dissect(2), 'null')).toBe('Null/Loopback\n  Family: IPv6 (30)\n');
  });

  it('shows an unknown family as data', () => {
    const pkt = cap.dissect(3);
    expect(layer(pkt, 'null')).toBe('Null/Loopback\n  Family: Unknown (10)\n');
    expect(protocols(pkt)).toBe('null:data');
    expect(pkt.protocolCol.text).toBe('N/A');
    expect(pkt.info.text).toBe('Null/Loopback');
  });
});

describe('raw IP', () => {
  it('dispatches LINKTYPE_RAW on the version nibble', () => {
    const cap = load([hex(udp4), hex(udp6), hex('55' + udp4.slice(2))], 101);
    expect(protocols(cap.dissect(1))).toBe('raw:ip:udp:data');
    expect(layer(cap.dissect(1), 'raw')).toBe('Raw packet data\n');
    expect(protocols(cap.dissect(2))).toBe('raw:ipv6:udp:data');
    const other = cap.dissect(3);
    expect(protocols(other)).toBe('raw:data');
    expect(other.protocolCol.text).toBe('N/A');
    expect(other.info.text).toBe('Raw packet data');
  });

  it('takes LINKTYPE_IPV4 / LINKTYPE_IPV6 without a link layer', () => {
    expect(protocols(load([hex(udp4)], 228).dissect(1))).toBe('ip:udp:data');
    expect(protocols(load([hex(udp6)], 229).dissect(1))).toBe('ipv6:udp:data');
  });

  it('passes an IPv6 packet found where IPv4 was expected on to IPv6', () => {
    const pkt = load([hex(udp6)], 228).dissect(1);
    expect(protocols(pkt)).toBe('ip:ipv6:udp:data');
    expect(row(pkt, ['ip.version', 'ipv6.src'])).toBe('6,6\tfe80::1');
  });
});

describe('linux cooked capture', () => {
  // From public/zeek__linuxsll-arp.pcap (BSD-3-Clause), frame 1: SLL v1, broadcast ARP request, 62 bytes
  //   0x0000:  0001 0001 0006 cc2d e026 1999 0000 0806
  //   0x0010:  0001 0800 0604 0001 cc2d e026 1999 c0a8
  //   0x0020:  1601 0000 0000 0000 c0a8 16a0 0000 0000
  //   0x0030:  0000 0000 0000 0000 0000 0000 0000
  const v1 = hex('000100010006cc2de0261999000008060001080006040001cc2de0261999c0a81601000000000000c0a816a0000000000000000000000000000000000000');
  // From public/zeek__linux_dlt_sll2.pcap (BSD-3-Clause), frame 5: SLL v2, outgoing ARP request on ifindex 26
  //   0x0000:  0806 0000 0000 001a 0001 0406 8e36 0644
  //   0x0010:  acaf 0000 0001 0800 0604 0001 8e36 0644
  //   0x0020:  acaf c000 0201 0000 0000 0000 c000 0202
  const v2 = hex('080600000000001a000104068e360644acaf000000010800060400018e360644acafc0000201000000000000c0000202');

  it('dissects v1 with padding and trailer as tshark', () => {
    const pkt = load([v1], 113).dissect(1);
    expect(layer(pkt, 'sll')).toBe(`Linux cooked capture v1
  Packet type: Broadcast (1)
  Link-layer address type: Ethernet (1)
  Link-layer address length: 6
  Source: Routerbo_26:19:99 (cc:2d:e0:26:19:99)
  Unused: 0000
  Protocol: ARP (0x0806)
  Padding: 00000000000000000000000000000000
  Trailer: 0000
`);
    expect(protocols(pkt)).toBe('sll:ethertype:arp');
    expect(pkt.info.text).toBe('Who has 192.168.22.160? Tell 192.168.22.1');
    expect(pkt.p.dlSrc).toBe('Routerbo_26:19:99');
    expect(row(pkt, ['sll.pkttype', 'sll.hatype', 'sll.halen', 'sll.src.eth', 'sll.etype', 'sll.trailer'])).toBe(
      '1\t1\t6\tcc:2d:e0:26:19:99\t0x0806\t0000',
    );
  });

  it('dissects v2 with the protocol first and the interface index', () => {
    const pkt = load([v2], 276).dissect(1);
    expect(layer(pkt, 'sll')).toBe(`Linux cooked capture v2
  Protocol: ARP (0x0806)
  Interface index: 26
  Link-layer address type: Ethernet (1)
  Packet type: Sent by us (4)
  Link-layer address length: 6
  Source: 8e:36:06:44:ac:af (8e:36:06:44:ac:af)
  Unused: 0000
`);
    expect(row(pkt, ['sll.ifindex', 'sll.pkttype', 'sll.etype', 'frame.protocols'])).toBe('26\t4\t0x0806\tsll:ethertype:arp');
  });
});

describe('vlan', () => {
  // From public/tcpdump__802.1ad_QinQ.pcap (BSD-3-Clause), frame 1: 802.1ad (S-VID 200) + 802.1Q (VID 2001) + ARP
  //   0x0000:  ffff ffff ffff 0020 d25a fb3f 88a8 00c8
  //   0x0010:  8100 07d1 0806 0001 0800 0604 0001 0020
  //   0x0020:  d25a fb3f ac15 4f61 0000 0000 0000 ac15
  //   0x0030:  4f64 0000 0000 0000 0000 0000 0000 0000
  const qinq = hex('ffffffffffff0020d25afb3f88a800c8810007d1080600010800060400010020d25afb3fac154f61000000000000ac154f640000000000000000000000000000');

  it('dissects QinQ, with padding and trailer under the inner tag', () => {
    const pkt = load([qinq]).dissect(1);
    expect(layer(pkt, 'ieee8021ad')).toBe(`IEEE 802.1ad, ID: 200
  000. .... .... .... = Priority: 0
  ...0 .... .... .... = DEI: 0
  .... 0000 1100 1000 = ID: 200
  Type: 802.1Q Virtual LAN (0x8100)
`);
    expect(layer(pkt, 'vlan')).toBe(`802.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 2001
  000. .... .... .... = Priority: Best Effort (default) (0)
  ...0 .... .... .... = DEI: Ineligible
  .... 0111 1101 0001 = ID: 2001
  Type: ARP (0x0806)
  Padding: 00000000000000000000
  Trailer: 00000000
`);
    expect(protocols(pkt)).toBe('eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:arp');
    expect(row(pkt, ['vlan.id', 'vlan.priority', 'vlan.dei', 'vlan.etype', 'ieee8021ad.id', 'vlan.trailer', 'eth.trailer'])).toBe(
      '2001\t0\t0\t0x0806\t200\t00000000\t',
    );
  });
});

describe('ethernet padding, trailer and FCS', () => {
  // From public/zeek__communityid-arp.pcap (BSD-3-Clause), frame 3: 18 bytes after the ARP reply, not all zero
  //   0x0000:  000d 549c 5c0b 0060 08af 8103 0806 0001
  //   0x0010:  0800 0604 0002 0060 08af 8103 c096 bb0e
  //   0x0020:  000d 549c 5c0b c096 bb32 0000 0000 0000
  //   0x0030:  0100 0000 0000 0000 0000 0000
  const badPadding = hex('000d549c5c0b006008af810308060001080006040002006008af8103c096bb0e000d549c5c0bc096bb32000000000000010000000000000000000000');
  // 10.0.0.1.1234 > 10.0.0.2.5678 in a 68-byte frame: 16 bytes of zero padding, a 4-byte trailer, 4 taken as FCS
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  001e 1234 0000 4011 5499 0a00 0001 0a00
  //   0x0020:  0002 04d2 162e 000a 686e 6869 0000 0000
  //   0x0030:  0000 0000 0000 0000 0000 0000 dead beef
  //   0x0040:  dead beef
  const withFcs = hex('020000000002020000000001080045' + '00001e12340000401154990a0000010a00000204d2162e000a686e6869' + '00'.repeat(16) + 'deadbeef'.repeat(2));

  it('shows non-zero padding as trailer, with a note', () => {
    const pkt = load([badPadding]).dissect(1);
    expect(row(pkt, ['eth.padding', 'eth.trailer'])).toBe('\t000000000000010000000000000000000000');
    expect(pkt.experts.map((e) => e.message)).toEqual([
      "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.",
    ]);
    expect(pkt.info.text).toBe('192.150.187.14 is at 00:60:08:af:81:03');
  });

  it('takes the last 4 bytes of a 64-byte or longer frame with a trailer as FCS', () => {
    const pkt = load([withFcs]).dissect(1);
    expect(row(pkt, ['eth.padding', 'eth.trailer', 'eth.fcs', 'eth.fcs.status'])).toBe('00000000000000000000000000000000\tdeadbeef\t0xdeadbeef\t2');
    expect(layer(pkt, 'eth').split('\n').slice(-6).join('\n')).toBe(`  Type: IPv4 (0x0800)
  Padding: 00000000000000000000000000000000
  Trailer: deadbeef
  Frame check sequence: 0xdeadbeef [unverified]
  [FCS Status: Unverified]
`);
  });
});

describe('802.3 and LLC', () => {
  // 802.3 frame, length 51: LLC DSAP/SSAP 0x00 (NULL LSAP), UI, 48 bytes of data
  //   0x0000:  0200 0000 0002 0200 0000 0001 0033 0000
  //   0x0010:  0361 6263 6465 6667 6861 6263 6465 6667
  //   ...
  const llc = hex('0200000000020200000000010033000003' + '6162636465666768'.repeat(6));

  it('dissects the 802.3 header and LLC as tshark', () => {
    const pkt = load([llc]).dissect(1);
    expect(layer(pkt, 'eth').split('\n')[0]).toBe('IEEE 802.3 Ethernet ');
    expect(layer(pkt, 'llc')).toBe(`Logical-Link Control
  DSAP: NULL LSAP (0x00)
    0000 000. = SAP: NULL LSAP
    .... ...0 = IG Bit: Individual
  SSAP: NULL LSAP (0x00)
    0000 000. = SAP: NULL LSAP
    .... ...0 = CR Bit: Command
  Control field: U, func=UI (0x03)
    000. 00.. = Command: Unnumbered Information (0x00)
    .... ..11 = Frame type: Unnumbered frame (0x3)
`);
    expect(protocols(pkt)).toBe('eth:llc:data');
    expect(pkt.protocolCol.text).toBe('LLC');
    expect(pkt.info.text).toBe('U, func=UI; DSAP NULL LSAP Individual, SSAP NULL LSAP Command');
    expect(row(pkt, ['eth.len', 'llc.dsap', 'llc.ssap', 'llc.control', 'llc.control.ftype'])).toBe('51\t0x00\t0x00\t0x0003\t0x03');
  });
});

describe('mpls', () => {
  // 10.0.0.1.1234 > 10.0.0.2.5678 under one MPLS label (18, TTL 64)
  //   0x0000:  0200 0000 0002 0200 0000 0001 8847 0001
  //   0x0010:  2140 4500 001e 1234 0000 4011 5499 0a00
  //   0x0020:  0001 0a00 0002 04d2 162e 000a 686e 6869
  const mpls = hex('0200000000020200000000018847' + '00012140' + udp4);

  it('dissects the label and hands IPv4 on', () => {
    const pkt = load([mpls]).dissect(1);
    expect(layer(pkt, 'mpls')).toBe(`MultiProtocol Label Switching Header, Label: 18, Exp: 0, S: 1, TTL: 64
  0000 0000 0000 0001 0010 .... .... .... = MPLS Label: 18 (0x00012)
  .... .... .... .... .... 000. .... .... = MPLS Experimental Bits: 0
  .... .... .... .... .... ...1 .... .... = MPLS Bottom Of Label Stack: 1
  .... .... .... .... .... .... 0100 0000 = MPLS TTL: 64
`);
    expect(row(pkt, ['frame.protocols', 'mpls.label', 'mpls.ttl', 'mpls.bottom', 'ip.src'])).toBe(
      'eth:ethertype:mpls:ip:udp:data\t18\t64\t1\t10.0.0.1',
    );
  });
});
