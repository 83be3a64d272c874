// UDP: header tree, stream index and timestamps per conversation, bad lengths, zero checksum, checksum validation.
import { describe, expect, it } from 'vitest';
import { treeText } from '../../src/core/dissect/label';
import { hex, load, protocols, row } from './link-util';

// 127.0.0.1.32823 > 127.0.0.1.11700: UDP, length 6
//   0x0000:  0000 0000 0000 0000 0000 0000 0800 4500
//   0x0010:  0022 c21f 4000 4011 7aa9 7f00 0001 7f00
//   0x0020:  0001 8037 2db4 000e 1008 6865 6c6c 6f0a
const hello = hex('000000000000000000000000080045000022c21f400040117aa97f0000017f00000180372db4000e100868656c6c6f0a');
// 127.0.0.1.11700 > 127.0.0.1.32823: UDP, length 9
//   0x0000:  0000 0000 0000 0000 0000 0000 0800 4500
//   0x0010:  0025 c220 4000 4011 7aa5 7f00 0001 7f00
//   0x0020:  0001 2db4 8037 0011 e635 6869 2074 6865
//   0x0030:  7265 0a
const reply = hex('000000000000000000000000080045000025c220400040117aa57f0000017f0000012db480370011e63568692074686572650a');
// 127.0.0.1.5 > 127.0.0.1.6: UDP, length 1
//   0x0000:  0000 0000 0000 0000 0000 0000 0800 4500
//   0x0010:  001d 0001 0000 4011 7ccd 7f00 0001 7f00
//   0x0020:  0001 0005 0006 0009 89ce 78
const other = hex('00000000000000000000000008004500001d0001000040117ccd7f0000017f000001000500060009 89ce78');
// UDP length 20 in a 13-byte IP payload
//   0x0020:  0001 8037 2db4 0014 100d 6865 6c6c 6f
const tooLong = hex('000000000000000000000000080045000021000200004011 7cc87f0000017f00000180372db40014100d68656c6c6f');
// checksum 0 (not computed by the sender)
//   0x0020:  0001 8037 2db4 000d 0000 6865 6c6c 6f
const zeroCk = hex('0000000000000000000000000800450000210003000040117cc77f0000017f00000180372db4000d000068656c6c6f');
// UDP length 4 (< 8)
//   0x0020:  0001 8037 2db4 0004 101d 6865 6c6c 6f
const tooShort = hex('0000000000000000000000000800450000210004000040117cc67f0000017f00000180372db40004101d68656c6c6f');

const FIELDS = [
  'udp.srcport',
  'udp.dstport',
  'udp.port',
  'udp.length',
  'udp.checksum',
  'udp.checksum.status',
  'udp.stream',
  'udp.time_relative',
  'udp.time_delta',
  'udp.payload',
];

describe('udp', () => {
  const cap = load([hello, reply, other, tooLong, zeroCk, tooShort], 1, [1000, 1000.000126, 1001, 1002, 1003, 1004]);

  it('shows the header, stream and timestamps as tshark', () => {
    const pkt = cap.dissect(1);
    const udp = pkt.items.find((i) => i.f.abbrev === 'udp')!;
    expect(treeText([udp])).toBe(`User Datagram Protocol, Src Port: 32823, Dst Port: 11700
  Source Port: 32823
  Destination Port: 11700
  Length: 14
  Checksum: 0x1008 [unverified]
  [Checksum Status: Unverified]
  [Stream index: 0]
  [Timestamps]
    [Time since first frame: 0.000000000 seconds]
    [Time since previous frame: 0.000000000 seconds]
  UDP payload (6 bytes)
`);
    expect(pkt.protocolCol.text).toBe('UDP');
    expect(pkt.info.text).toBe('32823 → 11700 Len=6');
    expect(protocols(pkt)).toBe('eth:ethertype:ip:udp:data');
  });

  it('prints -T fields like tshark (single pass)', () => {
    const want = [
      '32823\t11700\t32823,11700\t14\t0x1008\t2\t0\t0.000000000\t0.000000000\t68656c6c6f0a',
      '11700\t32823\t11700,32823\t17\t0xe635\t2\t0\t0.000126000\t0.000126000\t68692074686572650a',
      '5\t6\t5,6\t9\t0x89ce\t2\t1\t0.000000000\t0.000000000\t78',
      '32823\t11700\t32823,11700\t20\t0x100d\t2\t0\t2.000000000\t1.999874000\t68656c6c6f',
      '32823\t11700\t32823,11700\t13\t0x0000\t3\t0\t3.000000000\t1.000000000\t68656c6c6f',
      '32823\t11700\t32823,11700\t4\t\t\t\t\t\t',
    ];
    for (let n = 1; n <= want.length; n++) expect(row(cap.dissect(n), FIELDS), `frame ${n}`).toBe(want[n - 1]);
  });

  it('flags bad lengths in Info and the tree', () => {
    const long = cap.dissect(4);
    expect(long.info.text).toBe('32823 → 11700 [BAD UDP LENGTH 20 > IP PAYLOAD LENGTH] Len=12');
    expect(long.experts.map((e) => e.message)).toContain('Bad length value 20 > IP payload length');
    const short = cap.dissect(6);
    expect(short.info.text).toBe('32823 → 11700 [BAD UDP LENGTH 4 < 8]');
    expect(protocols(short)).toBe('eth:ethertype:ip:udp');
  });

  it('shows a zero checksum as not present', () => {
    const udp = cap.dissect(5).items.find((i) => i.f.abbrev === 'udp')!;
    expect(treeText([udp]).split('\n').slice(4, 6).join('\n')).toBe(
      '  Checksum: 0x0000 [zero-value ignored]\n    [Checksum Status: Not present]',
    );
  });

  it('validates the checksum when asked (pref udp.check_checksum)', () => {
    const c = load([hello, tooLong], 1, undefined, { udpCheckChecksum: true });
    const udp = c.dissect(1).items.find((i) => i.f.abbrev === 'udp')!;
    // tshark -o udp.check_checksum:TRUE: 0x1008 is right for these bytes
    expect(treeText([udp]).split('\n').slice(4, 7).join('\n')).toBe(
      '  Checksum: 0x1008 [correct]\n    [Calculated Checksum: 0x1008]\n  [Checksum Status: Good]',
    );
  });
});
