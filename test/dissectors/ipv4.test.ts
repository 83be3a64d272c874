// IPv4: header tree, options, fragment reassembly (first pass and re-dissection in any order), malformed headers.
import { describe, expect, it } from 'vitest';
import { treeText } from '../../src/core/dissect/label';
import type { Packet } from '../../src/core/dissect/packet';
import { hex, load, protocols, row } from './link-util';

const ipTree = (pkt: Packet, n = 0) => treeText([pkt.items.filter((i) => i.f.abbrev === 'ip')[n]!]);

// An ICMP echo request (56 bytes) cut in 3 fragments of 24, 24 and 8 bytes.
// 10.200.0.1 > 10.200.0.2: ICMP echo request, id 6901, seq 1, length 24 (frag 47358:24@0+)
//   0x0000:  0200 0ac8 0002 0200 0ac8 0001 0800 4500
//   0x0010:  002c b8fe 2000 4001 8c40 0ac8 0001 0ac8
//   0x0020:  0002 0800 b2c7 1af5 0001 0001 0203 0405
//   0x0030:  0607 0809 0a0b 0c0d 0e0f
const frag1 = hex('02000ac8000202000ac8000108004500002cb8fe200040018c400ac800010ac800020800b2c71af50001000102030405060708090a0b0c0d0e0f');
// 10.200.0.1 > 10.200.0.2: ip-proto-1 (frag 47358:24@24+)
//   0x0000:  0200 0ac8 0002 0200 0ac8 0001 0800 4500
//   0x0010:  002c b8fe 2003 4001 8c3d 0ac8 0001 0ac8
//   0x0020:  0002 1011 1213 1415 1617 1819 1a1b 1c1d
//   0x0030:  1e1f 2021 2223 2425 2627
const frag2 = hex('02000ac8000202000ac8000108004500002cb8fe200340018c3d0ac800010ac80002101112131415161718191a1b1c1d1e1f2021222324252627');
// 10.200.0.1 > 10.200.0.2: ip-proto-1 (frag 47358:8@48)
//   0x0000:  0200 0ac8 0002 0200 0ac8 0001 0800 4500
//   0x0010:  001c b8fe 0006 4001 ac4a 0ac8 0001 0ac8
//   0x0020:  0002 2829 2a2b 2c2d 2e2f
const frag3 = hex('02000ac8000202000ac8000108004500001cb8fe00064001ac4a0ac800010ac8000228292a2b2c2d2e2f');

// 10.0.0.1.1234 > 10.0.0.2.5678: UDP with options NOP, Router Alert, Record Route (1 of 2 recorded), EOL
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4a00
//   0x0010:  0032 1234 0000 4011 34e1 0a00 0001 0a00
//   0x0020:  0002 0194 0400 0007 0b08 0a00 0001 0000
//   0x0030:  0000 0000 0000 0000 04d2 162e 000a 686e
//   0x0040:  6869
const withOptions = hex('02000000000202000000000108004a00003212340000401134e10a0000010a0000020194040000070b080a000001000000000000000004d2162e000a686e6869');
// Time Stamp option (flag 1: address + time stamp)
//   0x0020:  0002 440c 0501 0000 0001 0000 0002 04d2
const withTimestamp = hex('02000000000202000000000108004800002a123400004011087d0a0000010a000002440c0501000000010000000204d2162e000a686e6869');
// header length 16 (bogus)
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4400
const shortHeader = hex('02000000000202000000000108004400001e12340000401155990a0000010a00000204d2162e000a686e6869');
// total length 16 < header length 20
//   0x0010:  0010 1234 0000 4011 54a7 0a00 0001 0a00
const shortTotal = hex('02000000000202000000000108004500001012340000401154a70a0000010a00000204d2162e000a686e6869');
// TTL 1
//   0x0010:  001e 1234 0000 0111 9399 0a00 0001 0a00
const ttl1 = hex('02000000000202000000000108004500001e12340000011193990a0000010a00000204d2162e000a686e6869');

describe('ipv4 fragments', () => {
  const FIELDS = [
    'ip.flags',
    'ip.flags.mf',
    'ip.frag_offset',
    'ip.id',
    'ip.fragment',
    'ip.fragment.count',
    'ip.reassembled.length',
    'ip.reassembled_in',
    'ip.fragments',
    'icmp.seq',
    'data.len',
  ];
  const whole =
    '0800b2c71af50001000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f';

  it('shows earlier fragments as data and reassembles on the last (tshark single pass)', () => {
    const cap = load([frag1, frag2, frag3]);
    const first = cap.dissect(1);
    expect(first.protocolCol.text).toBe('IPv4');
    expect(first.info.text).toBe('Fragmented IP protocol (proto=ICMP 1, off=0, ID=b8fe)');
    expect(protocols(first)).toBe('eth:ethertype:ip:data');
    expect(row(first, FIELDS)).toBe('0x01\t1\t0\t0xb8fe\t\t\t\t\t\t\t24');
    expect(cap.dissect(2).info.text).toBe('Fragmented IP protocol (proto=ICMP 1, off=24, ID=b8fe)');
    expect(row(cap.dissect(2), FIELDS)).toBe('0x01\t1\t3\t0xb8fe\t\t\t\t\t\t\t24');

    const last = cap.dissect(3);
    expect(last.protocolCol.text).toBe('ICMP');
    expect(last.info.text).toBe('Echo (ping) request  id=0x1af5, seq=1/256, ttl=64');
    expect(protocols(last)).toBe('eth:ethertype:ip:icmp:data');
    expect(row(last, FIELDS)).toBe(`0x00\t0\t6\t0xb8fe\t1,2,3\t3\t56\t\t${whole}\t1\t48`);
    expect(last.sources.map((s) => s.name)).toEqual(['Frame', 'Reassembled IPv4']);
    expect(ipTree(last)).toBe(`Internet Protocol Version 4, Src: 10.200.0.1, Dst: 10.200.0.2
  0100 .... = Version: 4
  .... 0101 = Header Length: 20 bytes (5)
  Differentiated Services Field: 0x00 (DSCP: CS0, ECN: Not-ECT)
    0000 00.. = Differentiated Services Codepoint: Default (0)
    .... ..00 = Explicit Congestion Notification: Not ECN-Capable Transport (0)
  Total Length: 28
  Identification: 0xb8fe (47358)
  000. .... = Flags: 0x0
    0... .... = Reserved bit: Not set
    .0.. .... = Don't fragment: Not set
    ..0. .... = More fragments: Not set
  ...0 0000 0000 0110 = Fragment Offset: 48
  Time to Live: 64
  Protocol: ICMP (1)
  Header Checksum: 0xac4a [validation disabled]
  [Header checksum status: Unverified]
  Source Address: 10.200.0.1
  Destination Address: 10.200.0.2
  [3 IPv4 Fragments (56 bytes): #1(24), #2(24), #3(8)]
    [Frame: 1, payload: 0-23 (24 bytes)]
    [Frame: 2, payload: 24-47 (24 bytes)]
    [Frame: 3, payload: 48-55 (8 bytes)]
    [Fragment count: 3]
    [Reassembled IPv4 length: 56]
    [Reassembled IPv4 data: 0800b2c71af50001000102030405060708090a0b0c0d0e0f101112131415161718191a1b…]
`);
    const icmp = last.items.find((i) => i.f.abbrev === 'icmp')!;
    expect(treeText([icmp])).toBe(`Internet Control Message Protocol
  Type: 8 (Echo (ping) request)
  Code: 0
  Checksum: 0xb2c7 [correct]
  [Checksum Status: Good]
  Identifier (BE): 6901 (0x1af5)
  Identifier (LE): 62746 (0xf51a)
  Sequence Number (BE): 1 (0x0001)
  Sequence Number (LE): 256 (0x0100)
  Data (48 bytes)
    Data: 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223…
    [Length: 48]
`);
  });

  it('gives the same results when frames are dissected again in another order', () => {
    const cap = load([frag1, frag2, frag3]);
    const again = [3, 1, 2, 3].map((n) => cap.dissect(n));
    expect(protocols(again[0]!)).toBe('eth:ethertype:ip:icmp:data');
    expect(protocols(again[1]!)).toBe('eth:ethertype:ip:data');
    expect(protocols(again[2]!)).toBe('eth:ethertype:ip:data');
    expect(row(again[3]!, ['ip.fragment', 'ip.reassembled.length', 'icmp.seq'])).toBe('1,2,3\t56\t1');
  });

  it('reassembles fragments that arrive out of order', () => {
    const cap = load([frag3, frag1, frag2]);
    expect(cap.dissect(1).info.text).toBe('Fragmented IP protocol (proto=ICMP 1, off=48, ID=b8fe)');
    const done = cap.dissect(3);
    expect(row(done, ['ip.fragment', 'ip.fragment.count', 'icmp.type'])).toBe('2,3,1\t3\t8');
  });

  it('hands on only the first fragment when reassembly is off (-o ip.defragment:FALSE)', () => {
    const cap = load([frag1, frag2, frag3], 1, undefined, { ipDefragment: false });
    expect(protocols(cap.dissect(1))).toBe('eth:ethertype:ip:icmp:data');
    expect(cap.dissect(1).info.text).toBe('Echo (ping) request  id=0x1af5, seq=1/256, ttl=64');
    expect(protocols(cap.dissect(3))).toBe('eth:ethertype:ip:data');
    expect(cap.dissect(3).info.text).toBe('Fragmented IP protocol (proto=ICMP 1, off=48, ID=b8fe)');
  });
});

describe('ipv4 options', () => {
  it('dissects NOP, Router Alert, Record Route and EOL as tshark', () => {
    const pkt = load([withOptions]).dissect(1);
    const t = ipTree(pkt).split('\n');
    expect(t[2]).toBe('  .... 1010 = Header Length: 40 bytes (10)');
    expect(t.slice(19).join('\n')).toBe(`  Options: (20 bytes), Router Alert, Record Route
    IP Option - No-Operation (NOP)
      Type: 1
        0... .... = Copy on fragmentation: No
        .00. .... = Class: Control (0)
        ...0 0001 = Number: No-Operation (NOP) (1)
    IP Option - Router Alert (4 bytes): Router shall examine packet (0)
      Type: 148
        1... .... = Copy on fragmentation: Yes
        .00. .... = Class: Control (0)
        ...1 0100 = Number: Router Alert (20)
      Length: 4
      Router Alert: Router shall examine packet (0)
    IP Option - Record Route (11 bytes)
      Type: 7
        0... .... = Copy on fragmentation: No
        .00. .... = Class: Control (0)
        ...0 0111 = Number: Record route (7)
      Length: 11
      Pointer: 8
      Recorded Route: 10.0.0.1
      Empty Route: 0.0.0.0 <- (next)
    IP Option - End of Options List (EOL)
      Type: 0
        0... .... = Copy on fragmentation: No
        .00. .... = Class: Control (0)
        ...0 0000 = Number: End of Option List (EOL) (0)
`);
    const F = ['ip.hdr_len', 'ip.opt.type', 'ip.opt.len', 'ip.opt.ra', 'ip.rec_rt', 'ip.empty_rt', 'ip.opt.ptr', 'ip.options.routeralert'];
    expect(row(pkt, F)).toBe('40\t1,148,7,0\t4,11\t0\t10.0.0.1\t0.0.0.0\t8\t94040000');
  });

  it('dissects a Time Stamp option', () => {
    const pkt = load([withTimestamp]).dissect(1);
    expect(ipTree(pkt).split('\n').slice(19).join('\n')).toBe(`  Options: (12 bytes), Time Stamp
    IP Option - Time Stamp (12 bytes)
      Type: 68
        0... .... = Copy on fragmentation: No
        .10. .... = Class: Debugging and measurement (2)
        ...0 0100 = Number: Time stamp (4)
      Length: 12
      Pointer: 5
      0000 .... = Overflow: 0
      .... 0001 = Flag: Time stamp and address (0x1)
      Address: 0.0.0.1
      Time stamp: 2
`);
    expect(row(pkt, ['ip.opt.ptr', 'ip.opt.time_stamp', 'ip.opt.time_stamp_addr', 'ip.opt.flag'])).toBe('5\t2\t0.0.0.1\t0x01');
  });
});

describe('ipv4 malformed and checks', () => {
  it('stops at a bogus header length', () => {
    const pkt = load([shortHeader]).dissect(1);
    expect(pkt.info.text).toBe('Bogus IP header length (16, must be at least 20)');
    expect(pkt.protocolCol.text).toBe('IPv4');
    expect(protocols(pkt)).toBe('eth:ethertype:ip');
    expect(row(pkt, ['ip.hdr_len', 'ip.len'])).toBe('16\t');
    expect(pkt.experts.map((e) => e.message)).toEqual(['Bogus IP header length (16, must be at least 20)']);
  });

  it('stops at a total length below the header length', () => {
    const pkt = load([shortTotal]).dissect(1);
    expect(pkt.info.text).toBe('Bogus IP length (16, less than header length 20)');
    expect(ipTree(pkt).split('\n')[6]).toBe('  Total Length: 16 bytes (bogus, less than header length 20)');
  });

  it('notes a TTL below 5', () => {
    const pkt = load([ttl1]).dissect(1);
    expect(pkt.experts.map((e) => `${e.severity}/${e.group}: ${e.message}`)).toEqual(['note/sequence: "Time To Live" only 1']);
  });

  it('validates the header checksum when asked (pref ip.check_checksum)', () => {
    const bad = withTimestamp.slice();
    bad[24] = 0xff;
    bad[25] = 0xff;
    const cap = load([withTimestamp, bad], 1, undefined, { ipCheckChecksum: true });
    const good = ipTree(cap.dissect(1)).split('\n');
    expect(good.slice(15, 18)).toEqual([
      '  Header Checksum: 0x087d [correct]',
      '  [Header checksum status: Good]',
      '  [Calculated Checksum: 0x087d]',
    ]);
    const wrong = cap.dissect(2);
    expect(row(wrong, ['ip.checksum', 'ip.checksum.status', 'ip.checksum_calculated'])).toBe('0xffff\t0\t0x087d');
    expect(wrong.experts.map((e) => e.message)).toEqual(['Bad checksum [should be 0x087d]']);
  });
});
