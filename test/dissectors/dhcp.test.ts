// DHCP/BOOTP: a Discover over UDP 68 > 67, tree, columns and fields as tshark 4.0 prints them.
import { describe, expect, it } from 'vitest';
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import { treeText } from '../../src/core/dissect/label';
import { fieldText } from '../../src/core/fields/format';
import type { Item, Packet } from '../../src/core/dissect/packet';
import { resolveEther } from '../../src/core/dissectors/names';
import { hex, pcap } from '../helpers/pcap';


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

// 10.0.0.1.68 > 10.0.0.2.67: BOOTP/DHCP, Request from 00:0b:82:01:fc:42, length 262
//   0x0000:  0001 0203 0405 0001 0203 0406 0800 4500  ..............E.
//   0x0010:  0122 0001 0000 4011 65c8 0a00 0001 0a00  ."....@.e.......
//   0x0020:  0002 0044 0043 010e 0000 0101 0600 0000  ...D.C..........
//   0x0030:  3d1d 0000 8000 0000 0000 0000 0000 0000  =...............
//   0x0040:  0000 0000 0000 000b 8201 fc42 0000 0000  ...........B....
//   0x0050:  (zeros: hardware padding, sname, file) ...
//   0x0110:  0000 0000 0000 6382 5363 3501 0132 04c0  ......c.Sc5..2..
//   0x0120:  a800 0a0c 0474 6573 7437 0401 030f 06ff  .....test7......
const discover = hex(
  '000102030405000102030406080045000122000100004011 65c80a0000010a000002 00440043010e0000' +
    '010106000000' + '3d1d00008000' + '00'.repeat(16) + '000b8201fc42' + '00'.repeat(10 + 64 + 128) +
    '63825363' + '350101' + '3204c0a8000a' + '0c0474657374' + '370401030f06' + 'ff',
);

describe('dhcp', () => {
  it('dissects a Discover as tshark does', () => {
    const cap = new Capture(new MemorySource(pcap([discover])));
    cap.load();
    const pkt = cap.dissect(1);
    const mac = resolveEther(hex('000b8201fc42'));
    const top = pkt.items.find((i) => i.f.abbrev === 'dhcp')!;
    expect(treeText([top])).toBe(`Dynamic Host Configuration Protocol (Discover)
  Message type: Boot Request (1)
  Hardware type: Ethernet (0x01)
  Hardware address length: 6
  Hops: 0
  Transaction ID: 0x00003d1d
  Seconds elapsed: 0
  Bootp flags: 0x8000, Broadcast flag (Broadcast)
    1... .... .... .... = Broadcast flag: Broadcast
    .000 0000 0000 0000 = Reserved flags: 0x0000
  Client IP address: 0.0.0.0
  Your (client) IP address: 0.0.0.0
  Next server IP address: 0.0.0.0
  Relay agent IP address: 0.0.0.0
  Client MAC address: ${mac} (00:0b:82:01:fc:42)
  Client hardware address padding: 00000000000000000000
  Server host name not given
  Boot file name not given
  Magic cookie: DHCP
  Option: (53) DHCP Message Type (Discover)
    Length: 1
    DHCP: Discover (1)
  Option: (50) Requested IP Address (192.168.0.10)
    Length: 4
    Requested IP Address: 192.168.0.10
  Option: (12) Host Name
    Length: 4
    Host Name: test
  Option: (55) Parameter Request List
    Length: 4
    Parameter Request List Item: (1) Subnet Mask
    Parameter Request List Item: (3) Router
    Parameter Request List Item: (15) Domain Name
    Parameter Request List Item: (6) Domain Name Server
  Option: (255) End
    Option End: 255
`);
    expect(pkt.protocolCol.text).toBe('DHCP');
    expect(pkt.info.text).toBe('DHCP Discover - Transaction ID 0x3d1d');
    // tshark: 1  00:0b:82:01:fc:42  192.168.0.10  test  53,50,12,55,0
    expect(fieldValues(pkt, 'dhcp.option.dhcp')).toBe('1');
    expect(fieldValues(pkt, 'dhcp.hw.mac_addr')).toBe('00:0b:82:01:fc:42');
    expect(fieldValues(pkt, 'dhcp.option.requested_ip_address')).toBe('192.168.0.10');
    expect(fieldValues(pkt, 'dhcp.option.hostname')).toBe('test');
    expect(fieldValues(pkt, 'dhcp.option.type')).toBe('53,50,12,55,0');
  });

  it('names a truncated BOOTP request by its client address', () => {
    const cut = discover.subarray(0, 42 + 100);
    const cap = new Capture(new MemorySource(pcap([cut])));
    cap.load();
    const pkt = cap.dissect(1);
    expect(pkt.protocolCol.text).toBe('BOOTP');
    expect(pkt.info.text.startsWith(`Boot Request from 00:0b:82:01:fc:42 (${resolveEther(hex('000b8201fc42'))})`)).toBe(true);
  });
});
