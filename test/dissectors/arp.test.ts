// ARP/RARP: request, reply, RFC 5227 announcement and probe, gratuitous reply, reverse request, duplicate-IP detection.
import { describe, expect, it } from 'vitest';
import { treeText } from '../../src/core/dissect/label';
import { hex, load, protocols, row } from './link-util';

// ARP, Request who-has 10.200.0.2 tell 10.200.0.1, length 28
//   0x0000:  ffff ffff ffff 0200 0ac8 0001 0806 0001
//   0x0010:  0800 0604 0001 0200 0ac8 0001 0ac8 0001
//   0x0020:  0000 0000 0000 0ac8 0002
const request = hex('ffffffffffff02000ac800010806000108000604000102000ac800010ac800010000000000000ac80002');
// ARP, Reply 10.200.0.2 is-at 02:00:0a:c8:00:02, length 28
//   0x0000:  0200 0ac8 0001 0200 0ac8 0002 0806 0001
//   0x0010:  0800 0604 0002 0200 0ac8 0002 0ac8 0002
//   0x0020:  0200 0ac8 0001 0ac8 0001
const reply = hex('02000ac8000102000ac800020806000108000604000202000ac800020ac8000202000ac800010ac80001');
// ARP, Request who-has 10.200.0.1 tell 10.200.0.1 (an announcement: target MAC zero)
//   0x0000:  ffff ffff ffff 0200 0ac8 0001 0806 0001
//   0x0010:  0800 0604 0001 0200 0ac8 0001 0ac8 0001
//   0x0020:  0000 0000 0000 0ac8 0001
const announcement = hex('ffffffffffff02000ac800010806000108000604000102000ac800010ac800010000000000000ac80001');
// ARP, Reply 10.200.0.1 is-at 02:00:0a:c8:00:01 (gratuitous: sender and target IP equal)
//   0x0000:  ffff ffff ffff 0200 0ac8 0001 0806 0001
//   0x0010:  0800 0604 0002 0200 0ac8 0001 0ac8 0001
//   0x0020:  ffff ffff ffff 0ac8 0001
const gratuitousReply = hex('ffffffffffff02000ac800010806000108000604000202000ac800010ac80001ffffffffffff0ac80001');
// ARP, Request who-has 10.200.0.5 tell 0.0.0.0 (a probe)
//   0x0000:  ffff ffff ffff 0200 0ac8 0001 0806 0001
//   0x0010:  0800 0604 0001 0200 0ac8 0001 0000 0000
//   0x0020:  0000 0000 0000 0ac8 0005
const probe = hex('ffffffffffff02000ac80001080600010800060400010200 0ac80001000000000000000000000ac80005');
// RARP, Reverse Request who-is 02:00:0a:c8:00:01 tell 02:00:0a:c8:00:01
//   0x0000:  ffff ffff ffff 0200 0ac8 0001 8035 0001
//   0x0010:  0800 0604 0003 0200 0ac8 0001 0000 0000
//   0x0020:  0200 0ac8 0001 0000 0000
const rarp = hex('ffffffffffff02000ac800018035000108000604000302000ac800010000000002000ac8000100000000');
// ARP, Request who-has 10.200.0.9 tell 10.200.0.1 — but from 02:00:0a:c8:00:02: 10.200.0.1 used by two MACs
//   0x0000:  ffff ffff ffff 0200 0ac8 0002 0806 0001
//   0x0010:  0800 0604 0001 0200 0ac8 0002 0ac8 0001
//   0x0020:  0000 0000 0000 0ac8 0009
const duplicate = hex('ffffffffffff02000ac800020806000108000604000102000ac800020ac800010000000000000ac80009');

const FIELDS = [
  'arp.opcode',
  'arp.src.hw_mac',
  'arp.src.proto_ipv4',
  'arp.dst.hw_mac',
  'arp.dst.proto_ipv4',
  'arp.isgratuitous',
  'arp.isannouncement',
  'arp.isprobe',
  'arp.duplicate-address-frame',
  'arp.seconds-since-duplicate-address-frame',
  'eth.padding',
];

describe('arp', () => {
  const cap = load([request, reply, announcement, gratuitousReply, probe, rarp, duplicate], 1, [1000, 1000.5, 1001, 1002, 1003, 1004, 1007]);

  it('shows Protocol, Info and -T fields as tshark', () => {
    const want: [string, string, string][] = [
      ['ARP', 'Who has 10.200.0.2? Tell 10.200.0.1', '1\t02:00:0a:c8:00:01\t10.200.0.1\t00:00:00:00:00:00\t10.200.0.2\t\t\t\t\t\t'],
      ['ARP', '10.200.0.2 is at 02:00:0a:c8:00:02', '2\t02:00:0a:c8:00:02\t10.200.0.2\t02:00:0a:c8:00:01\t10.200.0.1\t\t\t\t\t\t'],
      ['ARP', 'ARP Announcement for 10.200.0.1', '1\t02:00:0a:c8:00:01\t10.200.0.1\t00:00:00:00:00:00\t10.200.0.1\t1\t1\t\t\t\t'],
      ['ARP', 'Gratuitous ARP for 10.200.0.1 (Reply)', '2\t02:00:0a:c8:00:01\t10.200.0.1\tff:ff:ff:ff:ff:ff\t10.200.0.1\t1\t\t\t\t\t'],
      ['ARP', 'Who has 10.200.0.5? (ARP Probe)', '1\t02:00:0a:c8:00:01\t0.0.0.0\t00:00:00:00:00:00\t10.200.0.5\t\t\t1\t\t\t'],
      ['RARP', 'Who is 02:00:0a:c8:00:01? Tell 02:00:0a:c8:00:01', '3\t02:00:0a:c8:00:01\t0.0.0.0\t02:00:0a:c8:00:01\t0.0.0.0\t\t\t\t\t\t'],
      [
        'ARP',
        'Who has 10.200.0.9? Tell 10.200.0.1 (duplicate use of 10.200.0.1 detected!)',
        '1\t02:00:0a:c8:00:02\t10.200.0.1\t00:00:00:00:00:00\t10.200.0.9\t\t\t\t4\t5\t',
      ],
    ];
    want.forEach(([proto, info, fields], i) => {
      const pkt = cap.dissect(i + 1);
      expect(pkt.protocolCol.text, `frame ${i + 1}`).toBe(proto);
      expect(pkt.info.text, `frame ${i + 1}`).toBe(info);
      expect(row(pkt, FIELDS), `frame ${i + 1}`).toBe(fields);
      expect(protocols(pkt)).toBe('eth:ethertype:arp');
    });
  });

  it('builds the tree as tshark', () => {
    const pkt = cap.dissect(1);
    expect(treeText(pkt.items.slice(1))).toBe(`Ethernet II, Src: 02:00:0a:c8:00:01 (02:00:0a:c8:00:01), Dst: Broadcast (ff:ff:ff:ff:ff:ff)
  Destination: Broadcast (ff:ff:ff:ff:ff:ff)
    Address: Broadcast (ff:ff:ff:ff:ff:ff)
    .... ..1. .... .... .... .... = LG bit: Locally administered address (this is NOT the factory default)
    .... ...1 .... .... .... .... = IG bit: Group address (multicast/broadcast)
  Source: 02:00:0a:c8:00:01 (02:00:0a:c8:00:01)
    Address: 02:00:0a:c8:00:01 (02:00:0a:c8:00:01)
    .... ..1. .... .... .... .... = LG bit: Locally administered address (this is NOT the factory default)
    .... ...0 .... .... .... .... = IG bit: Individual address (unicast)
  Type: ARP (0x0806)
Address Resolution Protocol (request)
  Hardware type: Ethernet (1)
  Protocol type: IPv4 (0x0800)
  Hardware size: 6
  Protocol size: 4
  Opcode: request (1)
  Sender MAC address: 02:00:0a:c8:00:01 (02:00:0a:c8:00:01)
  Sender IP address: 10.200.0.1
  Target MAC address: 00:00:00_00:00:00 (00:00:00:00:00:00)
  Target IP address: 10.200.0.2
`);
    // link-layer columns show resolved names
    expect(pkt.p.dlDst).toBe('Broadcast');
  });

  it('names the special forms in the protocol item', () => {
    const head = (n: number) => treeText([cap.dissect(n).items.find((i) => i.f.abbrev === 'arp')!]).split('\n')[0];
    expect(head(3)).toBe('Address Resolution Protocol (ARP Announcement)');
    expect(head(4)).toBe('Address Resolution Protocol (reply/gratuitous ARP)');
    expect(head(5)).toBe('Address Resolution Protocol (ARP Probe)');
    expect(head(6)).toBe('Address Resolution Protocol (reverse request)');
  });

  it('reports an IP address seen with two MACs', () => {
    const pkt = cap.dissect(7);
    const dup = pkt.items[pkt.items.length - 1]!;
    expect(treeText([dup]).split('\n')[0]).toBe(
      '[Duplicate IP address detected for 10.200.0.1 (02:00:0a:c8:00:02) - also in use by 02:00:0a:c8:00:01 (frame 4)]',
    );
    expect(pkt.experts.map((e) => `${e.severity}/${e.group}: ${e.message}`)).toEqual([
      'warn/sequence: Duplicate IP address configured (10.200.0.1)',
    ]);
  });
});
