// ICMP/ICMPv6 RFC 4884 lengths and multi-part extensions, extended echo (RFC 8335), unknown ICMPv6 types and ND options.
import { describe, expect, it } from 'vitest';
import { treeText } from '../../src/core/dissect/label';
import type { Packet } from '../../src/core/dissect/packet';
import { hex, load, protocols, row } from './link-util';

const layer = (pkt: Packet, abbrev: string) => treeText([pkt.items.find((i) => i.f.abbrev === abbrev)!]);

// Crafted: fe80::1 > fe80::2: ICMP6, destination unreachable (port), RFC 4884 length 6 (48 bytes),
// quoting IPv6+UDP 5353 > 33434, then an extension with one MPLS label stack entry (label 20, S, TTL 30)
//   0x0000:  0200 0000 0002 0200 0000 0001 86dd 6000
//   0x0010:  0000 0044 3a40 fe80 0000 0000 0000 0000
//   0x0020:  0000 0000 0001 fe80 0000 0000 0000 0000
//   0x0030:  0000 0000 0002 0104 f59f 0600 0000 6000
//   0x0040:  0000 0008 1140 fe80 0000 0000 0000 0000
//   0x0050:  0000 0000 0002 fe80 0000 0000 0000 0000
//   0x0060:  0000 0000 0001 14e9 829a 0008 0000 2000
//   0x0070:  9dd7 0008 0101 0001 411e
const unreach6 = hex(
  '02000000000202000000000186dd6000000000443a40fe800000000000000000000000000001fe8000000000000000000000000000020104f59f060000006000000000081140fe800000000000000000000000000002fe80000000000000000000000000000114e9829a0008000020009dd7000801010001411e',
);
// Crafted: 10.0.0.1 > 10.0.0.2: ICMP extended echo request id 0x1234 seq 1, probing 10.1.2.3 by address
// (the extension checksum is deliberately wrong)
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  002c 1234 0000 4001 549b 0a00 0001 0a00
//   0x0020:  0002 2a00 dbc3 1234 0100 2000 b3f3 000c
//   0x0030:  0303 0001 0400 0a01 0203
const extEcho = hex(
  '02000000000202000000000108004500002c123400004001549b0a0000010a0000022a00dbc3123401002000b3f3000c0303000104000a010203',
);

describe('ICMP extensions', () => {
  const cap = load([unreach6, extEcho]);
  it('bounds the quoted datagram by the RFC 4884 length and decodes the MPLS extension', () => {
    const pkt = cap.dissect(1);
    expect(pkt.info.text).toBe('Destination Unreachable (Port unreachable)');
    // the extension comes through a dissector handle: "icmp" is listed
    expect(protocols(pkt)).toBe('eth:ethertype:ipv6:icmpv6:ipv6:udp:icmp');
    expect(row(pkt, ['icmpv6.length', 'icmp.ext.checksum.status', 'icmp.mpls.label', 'icmp.mpls.ttl'])).toBe('6\t1\t20\t30');
    const t = layer(pkt, 'icmpv6').split('\n');
    expect(t.slice(0, 7)).toEqual([
      'Internet Control Message Protocol v6',
      '  Type: Destination Unreachable (1)',
      '  Code: 4 (Port unreachable)',
      '  Checksum: 0xf59f [correct]',
      '  [Checksum Status: Good]',
      '  Length of original datagram: 6',
      '  Reserved: 000000',
    ]);
    expect(t.slice(t.indexOf('  ICMP Multi-Part Extensions')).join('\n')).toBe(`  ICMP Multi-Part Extensions
    Version: 2
    .... 0000 0000 0000 = Reserved: 0x000
    Checksum: 0x9dd7 [correct]
    [Checksum Status: Good]
    MPLS Stack Entry
      Length: 8
      Class: MPLS Label Stack Class (1)
      C-Type: 1
      Label: 20, Exp: 0, S: 1, TTL: 30
        0000 0000 0000 0001 0100 .... = Label: 20
        .... .... .... .... .... 000. = Experimental: 0
        .... .... .... .... .... ...1 = Stack bit: Set
        Time to live: 30
`);
  });
  it('decodes an extended echo request and its interface identification object', () => {
    const pkt = cap.dissect(2);
    expect(pkt.info.text).toBe('Extended Echo request (No error)');
    expect(protocols(pkt)).toBe('eth:ethertype:ip:icmp');
    expect(row(pkt, ['icmp.ext.checksum.status', 'icmp.int_ident.ipv4', 'icmp.ext.echo.seq'])).toBe('0\t10.1.2.3\t1');
    const t = layer(pkt, 'icmp').split('\n');
    expect(t.slice(5, 11)).toEqual([
      '  Identifier (BE): 4660 (0x1234)',
      '  Identifier (LE): 13330 (0x3412)',
      '  Sequence Number: 1 (0x01)',
      '  0000 000. = Reserved: 0x00',
      '  .... ...0 = Local bit: Not set',
      '  ICMP Multi-Part Extensions',
    ]);
    expect(t.slice(-10, -1).join('\n')).toBe(`    [Checksum Status: Bad]
    Interface Identification Object
      Length: 12
      Class: Interface Identification Object (3)
      C-Type: 3 (Identifies Interface By Address)
      Address Family Identifier: IPv4 (1)
      Address Length: 4
      Reserved: 00
      Address: 10.1.2.3`);
  });
});

// Crafted: fe80::1 > fe80::2: ICMP6 type 0 (unassigned) with 24 zero bytes
//   0x0000:  0200 0000 0002 0200 0000 0001 86dd 6000
//   0x0010:  0000 001c 3a40 fe80 0000 0000 0000 0000
//   0x0020:  0000 0000 0001 fe80 0000 0000 0000 0000
//   0x0030:  0000 0000 0002 0000 02a5 0000 0000 0000
//   0x0040:  0000 0000 0000 0000 0000 0000 0000 0000
//   0x0050:  0000
const type0 = hex(
  '02000000000202000000000186dd60000000001c3a40fe800000000000000000000000000001fe800000000000000000000000000002000002a5000000000000000000000000000000000000000000000000',
);
// Crafted: fe80::1 > fe80::2: ICMP6 router advertisement with a route information option (high preference,
// 2001:db8::/64, infinite lifetime) and an RA flags extension (M, O, preference high)
//   0x0000:  0200 0000 0002 0200 0000 0001 86dd 6000
//   0x0010:  0000 0030 3a40 fe80 0000 0000 0000 0000
//   0x0020:  0000 0000 0001 fe80 0000 0000 0000 0000
//   0x0030:  0000 0000 0002 8600 14ca 0000 0000 0000
//   0x0040:  0000 0000 0000 1803 4008 ffff ffff 2001
//   0x0050:  0db8 0000 0000 0000 0000 0000 0000 1a01
//   0x0060:  c800 0000 0000
const ra = hex(
  '02000000000202000000000186dd6000000000303a40fe800000000000000000000000000001fe800000000000000000000000000002860014ca00000000000000000000000018034008ffffffff20010db80000000000000000000000001a01c80000000000',
);

describe('ICMPv6 undecoded types and ND options', () => {
  it('flags a type tshark has no decoder for', () => {
    const cap = load([type0]);
    const pkt = cap.dissect(1);
    expect(pkt.info.text).toBe('Unknown (0)');
    expect(pkt.experts.map((e) => e.message)).toContain(
      'Dissector for ICMPv6 Type (0) code not implemented, Contact Wireshark developers if you want this supported',
    );
  });
  it('decodes route information and RA flags extension options', () => {
    const pkt = load([ra]).dissect(1);
    expect(pkt.info.text).toBe('Router Advertisement');
    const t = layer(pkt, 'icmpv6');
    expect(t).toContain(`  ICMPv6 Option (Route Information : High 2001:db8::/64)
    Type: Route Information (24)
    Length: 3 (24 bytes)
    Prefix Length: 64
    Flag: 0x08, Route Preference: High
      ...0 1... = Route Preference: High (1)
      000. .000 = Reserved: 0
    Route Lifetime: Infinity (4294967295)
    Prefix: 2001:db8::
`);
    expect(t).toContain(`  ICMPv6 Option (RA Flags Extension)
    Type: RA Flags Extension (26)
    Length: 1 (8 bytes)
    Flags Expansion Option: 0xc800, Managed address configuration, Other configuration, Prf (Default Router Preference): High
`);
  });
});
