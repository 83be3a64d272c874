// IPv6: addresses with embedded IPv4 (6to4, Teredo), data after "no next header", hop-by-hop options with bad lengths.
import { describe, expect, it } from 'vitest';
import { treeText } from '../../src/core/dissect/label';
import type { Packet } from '../../src/core/dissect/packet';
import { hex, load, protocols, row } from './link-util';

const ipv6 = (pkt: Packet) => treeText([pkt.items.find((i) => i.f.abbrev === 'ipv6')!]);
const FIELDS = ['ipv6.src_6to4_gw_ipv4', 'ipv6.6to4_sla_id', 'ipv6.dst_tc_port', 'ipv6.tc_ipv4', 'ipv6.opt.router_alert', 'ipv6.opt_unknown_data', 'data.len'];

// Crafted: 2002:c000:201:5::1 > 2001:0:4136:e378:8000:63bf:3fff:fdd2: no next header, 8 bytes follow
//   0x0000:  0200 0000 0002 0200 0000 0001 86dd 6000
//   0x0010:  0000 0008 3b40 2002 c000 0201 0005 0000
//   0x0020:  0000 0000 0001 2001 0000 4136 e378 8000
//   0x0030:  63bf 3fff fdd2 0000 0000 0000 0000
const embedded = hex(
  '02000000000202000000000186dd6000000000083b402002c000020100050000000000000001200100004136e378800063bf3ffffdd20000000000000000',
);
// Crafted: fe80::1 > fe80::2: hop-by-hop header holding a router alert of length 4 (2 bytes left over)
//   0x0000:  0200 0000 0002 0200 0000 0001 86dd 6000
//   0x0010:  0000 0008 0040 fe80 0000 0000 0000 0000
//   0x0020:  0000 0000 0001 fe80 0000 0000 0000 0000
//   0x0030:  0000 0000 0002 3b00 0504 0000 0102
const raLong = hex(
  '02000000000202000000000186dd6000000000080040fe800000000000000000000000000001fe800000000000000000000000000002' +
    '3b00050400000102',
);
// the same with a router alert claiming 240 bytes: its leftover runs past the datagram
//   0x0030:  0000 0000 0002 3b00 05f0 0000 0000
const raPast = hex(
  '02000000000202000000000186dd6000000000080040fe800000000000000000000000000001fe800000000000000000000000000002' +
    '3b0005f000000000',
);

describe('IPv6 details', () => {
  const cap = load([embedded, raLong, raPast]);
  it('shows the IPv4 parts of 6to4 and Teredo addresses and the data after "no next header"', () => {
    const pkt = cap.dissect(1);
    expect(pkt.info.text).toBe('IPv6 no next header');
    expect(protocols(pkt)).toBe('eth:ethertype:ipv6:data');
    expect(row(pkt, FIELDS)).toBe('192.0.2.1\t5\t40000\t192.0.2.45\t\t\t8');
    expect(ipv6(pkt).split('\n').slice(11, 16)).toEqual([
      '  [Source 6to4 Gateway IPv4: 192.0.2.1]',
      '  [Source 6to4 SLA ID: 5]',
      '  [Destination Teredo Server IPv4: 65.54.227.120]',
      '  [Destination Teredo Port: 40000]',
      '  [Destination Teredo Client IPv4: 192.0.2.45]',
    ]);
  });
  it('flags a router alert of the wrong length and shows its leftover bytes', () => {
    const pkt = cap.dissect(2);
    expect(pkt.info.text).toBe('IPv6 no next header');
    expect(row(pkt, FIELDS)).toBe('\t\t\t\t0\t0102\t');
    expect(pkt.experts.map((e) => e.message)).toEqual(['Router alert: Invalid Length (4 bytes)', 'Unknown Data (not interpreted)']);
  });
  it('is malformed when an option runs past the datagram', () => {
    const pkt = cap.dissect(3);
    expect(pkt.info.text).toBe('IPv6 hop-by-hop options[Malformed Packet]');
    expect(protocols(pkt)).toBe('eth:ethertype:ipv6:ipv6.hopopts');
  });
});
