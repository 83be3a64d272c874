// DNS: a query and its response over UDP, the tree and -T fields values as tshark 4.0 prints them.
import { describe, expect, it } from 'vitest';
import type { Capture } from '../../src/core/capture';
import { treeText } from '../../src/core/dissect/label';
import { fieldText } from '../../src/core/fields/format';
import type { Item, Packet } from '../../src/core/dissect/packet';
import { Tvb } from '../../src/core/dissect/tvb';
import { dissectDnsTcp } from '../../src/core/dissectors/dns';
import { readDnsName } from '../../src/core/dissectors/dns-names';
import { hex, loadFrames } from '../helpers/pcap';

/** A capture (Ethernet) of the given frames, one second apart, first pass done. */
const open = (frames: Uint8Array[]): Capture => loadFrames(frames);

/** The -T fields text of every occurrence of a field, joined with ',' (tshark -E occurrence=a). */
function fieldValues(pkt: Packet, abbrev: string): string {
  const out: string[] = [];
  const walk = (items: readonly Item[]) => {
    for (const it of items) {
      if (it.f.abbrev === abbrev) out.push(fieldText(it.f, it.v));
      if (it.children) walk(it.children);
    }
  };
  walk(pkt.items);
  return out.join(',');
}

function layer(pkt: Packet, abbrev: string): Item {
  const it = pkt.items.find((i) => i.f.abbrev === abbrev);
  if (!it) throw new Error(`no ${abbrev} layer`);
  return it;
}

// 10.0.0.1.40000 > 10.0.0.2.53: 4660+ A? www.example.org. (33)
//   0x0000:  0001 0203 0405 0001 0203 0406 0800 4500  ..............E.
//   0x0010:  003d 0001 0000 4011 66ad 0a00 0001 0a00  .=....@.f.......
//   0x0020:  0002 9c40 0035 0029 0000 1234 0100 0001  ...@.5.)...4....
//   0x0030:  0000 0000 0000 0377 7777 0765 7861 6d70  .......www.examp
//   0x0040:  6c65 036f 7267 0000 0100 01              le.org.....
const query = hex(`000102030405000102030406080045 00
  003d0001000040116 6ad0a0000010a00 00029c4000350029 0000
  12340100000100000000000003777777076578616d706c65036f72670000010001`);

// 10.0.0.2.53 > 10.0.0.1.40000: 4660 1/0/0 A 93.184.216.34 (49)
//   0x0000:  0001 0203 0405 0001 0203 0406 0800 4500  ..............E.
//   0x0010:  004d 0001 0000 4011 669d 0a00 0002 0a00  .M....@.f.......
//   0x0020:  0001 0035 9c40 0039 0000 1234 8180 0001  ...5.@.9...4....
//   0x0030:  0001 0000 0000 0377 7777 0765 7861 6d70  .......www.examp
//   0x0040:  6c65 036f 7267 0000 0100 01c0 0c00 0100  le.org..........
//   0x0050:  0100 000e 1000 045d b8d8 22              .......].."
const response = hex(`000102030405000102030406080045 00
  004d000100004011669d0a0000020a00 000100359c400039 0000
  12348180000100010000000003777777076578616d706c65036f72670000010001c00c0001000100000e1000045db8d822`);

describe('dns', () => {
  it('dissects a query as tshark does', () => {
    const cap = open([query]);
    const pkt = cap.dissect(1);
    expect(treeText([layer(pkt, 'dns')])).toBe(`Domain Name System (query)
  Transaction ID: 0x1234
  Flags: 0x0100 Standard query
    0... .... .... .... = Response: Message is a query
    .000 0... .... .... = Opcode: Standard query (0)
    .... ..0. .... .... = Truncated: Message is not truncated
    .... ...1 .... .... = Recursion desired: Do query recursively
    .... .... .0.. .... = Z: reserved (0)
    .... .... ...0 .... = Non-authenticated data: Unacceptable
  Questions: 1
  Answer RRs: 0
  Authority RRs: 0
  Additional RRs: 0
  Queries
    www.example.org: type A, class IN
      Name: www.example.org
      [Name Length: 15]
      [Label Count: 3]
      Type: A (Host Address) (1)
      Class: IN (0x0001)
`);
    expect(pkt.protocolCol.text).toBe('DNS');
    expect(pkt.info.text).toBe('Standard query 0x1234 A www.example.org');
    // tshark: 0x1234  0  www.example.org  1    0
    expect(fieldValues(pkt, 'dns.id')).toBe('0x1234');
    expect(fieldValues(pkt, 'dns.flags.response')).toBe('0');
    expect(fieldValues(pkt, 'dns.qry.name')).toBe('www.example.org');
    expect(fieldValues(pkt, 'dns.qry.type')).toBe('1');
    expect(fieldValues(pkt, 'dns.count.answers')).toBe('0');
  });

  it('dissects the response and pairs it with the query', () => {
    const cap = open([query, response]);
    const pkt = cap.dissect(2);
    const text = treeText([layer(pkt, 'dns')]);
    expect(text).toContain(`  Answers
    www.example.org: type A, class IN, addr 93.184.216.34
      Name: www.example.org
      Type: A (Host Address) (1)
      Class: IN (0x0001)
      Time to live: 3600 (1 hour)
      Data length: 4
      Address: 93.184.216.34
  [Request In: 1]
  [Time: 1.000000000 seconds]
`);
    expect(pkt.info.text).toBe('Standard query response 0x1234 A www.example.org A 93.184.216.34');
    // tshark: 0x1234  1  www.example.org  1  93.184.216.34  1  1  1.000000000
    expect(fieldValues(pkt, 'dns.flags.response')).toBe('1');
    expect(fieldValues(pkt, 'dns.a')).toBe('93.184.216.34');
    expect(fieldValues(pkt, 'dns.count.answers')).toBe('1');
    expect(fieldValues(pkt, 'dns.response_to')).toBe('1');
    expect(fieldValues(pkt, 'dns.time')).toBe('1.000000000');
    // a query learns its response only after the first pass
    expect(fieldValues(cap.dissect(1), 'dns.response_in')).toBe('2');
  });

  it('stops at compression pointer loops', () => {
    // header, then a question whose name is a pointer to itself (offset 12)
    const msg = new Tvb(hex('2222 8180 0001 0000 0000 0000 c00c 0001 0001'), 0, 0);
    expect(readDnsName(msg, 12)).toEqual({ name: '<Name contains a pointer that loops>', used: 2, labels: 0 });
  });

  it('asks TCP for the rest of a length-prefixed message', () => {
    const cap = open([query]);
    const pkt = cap.dissect(1);
    pkt.p.canDesegment = true;
    // length 33 announced, only 10 bytes of the message here
    dissectDnsTcp(new Tvb(hex('0021 1234 0100 0001 0000 0000'), 0, 0), pkt, null);
    expect(pkt.p.desegmentOffset).toBe(0);
    expect(pkt.p.desegmentLen).toBe(23);
  });
});
