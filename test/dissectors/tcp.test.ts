// TCP dissector: header fields, flags, every option form, Info column, reassembly of PDUs, quoted headers in ICMP.
// Expected trees and columns are what tshark 4.0.17 prints for the same bytes (tshark -r X -V -O tcp,
// tshark -r X -T fields -e _ws.col.Info); each frame below was cut out with `editcap -r X out N`.
import { describe, expect, it } from 'vitest';
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import { DEFAULT_PREFS } from '../../src/core/dissect/session';
import { treeText } from '../../src/core/dissect/label';
import { fieldText } from '../../src/core/fields/format';
import { protocol, fields } from '../../src/core/fields/registry';
import { register } from '../../src/core/dissect/tables';
import { DESEGMENT_UNTIL_FIN, type Item, type Packet } from '../../src/core/dissect/packet';
import type { Tvb } from '../../src/core/dissect/tvb';
import { tcpDissectPdus } from '../../src/core/dissectors/tcp';
import { hex, pcap } from '../helpers/pcap';


/** The first (single) pass over the frames, as tshark prints them; and the capture for later dissections. */
function run(frames: Uint8Array[], times?: number[]): { first: Packet[]; cap: Capture } {
  const cap = new Capture(new MemorySource(pcap(frames, { times: times ?? frames.map((_, i) => 1 + i / 10) })));
  const first: Packet[] = [];
  cap.load(Infinity, (p) => first.push(p), { tree: true });
  return { first, cap };
}

function find(items: readonly Item[], abbrev: string): Item | undefined {
  for (const it of items) {
    if (it.f.abbrev === abbrev) return it;
    const c = it.children && find(it.children, abbrev);
    if (c) return c;
  }
  return undefined;
}

function values(items: readonly Item[], abbrev: string, out: string[] = []): string[] {
  for (const it of items) {
    if (it.f.abbrev === abbrev) out.push(fieldText(it.f, it.v));
    if (it.children) values(it.children, abbrev, out);
  }
  return out;
}

/** The TCP tree (and, for reassembled PDUs, the segment list after it) as tshark -V prints them, 2-space indents. */
function tcpTree(pkt: Packet): string {
  const top = pkt.items.filter((i) => i.f.abbrev === 'tcp' || i.f.abbrev === 'tcp.segments');
  if (top.length) return treeText(top);
  return treeText([find(pkt.items, 'tcp')!]);
}

// Generated capture 01_http_get_loopback.pcap (curl → python http.server on 127.0.0.1:11699), frames 1-3.
// 00:46:18.338004 IP 127.0.0.1.43874 > 127.0.0.1.11699: Flags [S], seq 2115888271, win 65495, options [mss 65495,sackOK,TS val 2660436950 ecr 0,nop,wscale 10], length 0
//   0x0000:  0000 0000 0000 0000 0000 0000 0800 4500
//   0x0010:  003c baf8 4000 4006 81c1 7f00 0001 7f00
//   0x0020:  0001 ab62 2db3 7e1d e48f 0000 0000 a002
//   0x0030:  ffd7 fe30 0000 0204 ffd7 0402 080a 9e93
//   0x0040:  0bd6 0000 0000 0103 030a
const syn = hex('00000000000000000000000008004500003cbaf84000400681c17f0000017f000001ab622db37e1de48f00000000a002ffd7fe3000000204ffd70402080a9e930bd6000000000103030a');
// 00:46:18.338018 IP 127.0.0.1.11699 > 127.0.0.1.43874: Flags [S.], seq 3971247654, ack 2115888272, win 65483, options [mss 65495,sackOK,TS val 2525540368 ecr 2660436950,nop,wscale 10], length 0
//   0x0000:  0000 0000 0000 0000 0000 0000 0800 4500
//   0x0010:  003c 0000 4000 4006 3cba 7f00 0001 7f00
//   0x0020:  0001 2db3 ab62 ecb4 6e26 7e1d e490 a012
//   0x0030:  ffcb fe30 0000 0204 ffd7 0402 080a 9688
//   0x0040:  b010 9e93 0bd6 0103 030a
const synAck = hex('00000000000000000000000008004500003c0000400040063cba7f0000017f0000012db3ab62ecb46e267e1de490a012ffcbfe3000000204ffd70402080a9688b0109e930bd60103030a');
// 00:46:18.338031 IP 127.0.0.1.43874 > 127.0.0.1.11699: Flags [.], ack 3971247655, win 64, options [nop,nop,TS val 2660436950 ecr 2525540368], length 0
//   0x0000:  0000 0000 0000 0000 0000 0000 0800 4500
//   0x0010:  0034 baf9 4000 4006 81c8 7f00 0001 7f00
//   0x0020:  0001 ab62 2db3 7e1d e490 ecb4 6e27 8010
//   0x0030:  0040 fe28 0000 0101 080a 9e93 0bd6 9688
//   0x0040:  b010
const ack3 = hex('000000000000000000000000080045000034baf94000400681c87f0000017f000001ab622db37e1de490ecb46e2780100040fe2800000101080a9e930bd69688b010');
const HANDSHAKE_TIMES = [1795308378.338004000, 1795308378.338018000, 1795308378.338031000];

describe('tcp header', () => {
  const { first, cap } = run([syn, synAck, ack3], HANDSHAKE_TIMES);

  it('shows a SYN with its options as tshark does', () => {
    expect(first.map((p) => p.info.text)).toEqual(['43874 → 11699 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=2660436950 TSecr=0 WS=1024', '11699 → 43874 [SYN, ACK] Seq=0 Ack=1 Win=65483 Len=0 MSS=65495 SACK_PERM TSval=2525540368 TSecr=2660436950 WS=1024', '43874 → 11699 [ACK] Seq=1 Ack=1 Win=65536 Len=0 TSval=2660436950 TSecr=2525540368']);
    expect(tcpTree(first[0]!)).toBe(`Transmission Control Protocol, Src Port: 43874, Dst Port: 11699, Seq: 0, Len: 0
  Source Port: 43874
  Destination Port: 11699
  [Stream index: 0]
  [Conversation completeness: Incomplete (0)]
  [TCP Segment Len: 0]
  Sequence Number: 0    (relative sequence number)
  Sequence Number (raw): 2115888271
  [Next Sequence Number: 1    (relative sequence number)]
  Acknowledgment Number: 0
  Acknowledgment number (raw): 0
  1010 .... = Header Length: 40 bytes (10)
  Flags: 0x002 (SYN)
    000. .... .... = Reserved: Not set
    ...0 .... .... = Accurate ECN: Not set
    .... 0... .... = Congestion Window Reduced: Not set
    .... .0.. .... = ECN-Echo: Not set
    .... ..0. .... = Urgent: Not set
    .... ...0 .... = Acknowledgment: Not set
    .... .... 0... = Push: Not set
    .... .... .0.. = Reset: Not set
    .... .... ..1. = Syn: Set
      [Expert Info (Chat/Sequence): Connection establish request (SYN): server port 11699]
        [Connection establish request (SYN): server port 11699]
        [Severity level: Chat]
        [Group: Sequence]
    .... .... ...0 = Fin: Not set
    [TCP Flags: ··········S·]
  Window: 65495
  [Calculated window size: 65495]
  Checksum: 0xfe30 [unverified]
  [Checksum Status: Unverified]
  Urgent Pointer: 0
  Options: (20 bytes), Maximum segment size, SACK permitted, Timestamps, No-Operation (NOP), Window scale
    TCP Option - Maximum segment size: 65495 bytes
      Kind: Maximum Segment Size (2)
      Length: 4
      MSS Value: 65495
    TCP Option - SACK permitted
      Kind: SACK Permitted (4)
      Length: 2
    TCP Option - Timestamps: TSval 2660436950, TSecr 0
      Kind: Time Stamp Option (8)
      Length: 10
      Timestamp value: 2660436950
      Timestamp echo reply: 0
    TCP Option - No-Operation (NOP)
      Kind: No-Operation (1)
    TCP Option - Window scale: 10 (multiply by 1024)
      Kind: Window Scale (3)
      Length: 3
      Shift count: 10
      [Multiplier: 1024]
  [Timestamps]
    [Time since first frame in this TCP stream: 0.000000000 seconds]
    [Time since previous frame in this TCP stream: 0.000000000 seconds]
`);
  });

  it('shows the window scale factor, relative numbers and the handshake RTT on the third segment', () => {
    expect(tcpTree(first[2]!)).toBe(`Transmission Control Protocol, Src Port: 43874, Dst Port: 11699, Seq: 1, Ack: 1, Len: 0
  Source Port: 43874
  Destination Port: 11699
  [Stream index: 0]
  [Conversation completeness: Incomplete, CLIENT_ESTABLISHED (3)]
  [TCP Segment Len: 0]
  Sequence Number: 1    (relative sequence number)
  Sequence Number (raw): 2115888272
  [Next Sequence Number: 1    (relative sequence number)]
  Acknowledgment Number: 1    (relative ack number)
  Acknowledgment number (raw): 3971247655
  1000 .... = Header Length: 32 bytes (8)
  Flags: 0x010 (ACK)
    000. .... .... = Reserved: Not set
    ...0 .... .... = Accurate ECN: Not set
    .... 0... .... = Congestion Window Reduced: Not set
    .... .0.. .... = ECN-Echo: Not set
    .... ..0. .... = Urgent: Not set
    .... ...1 .... = Acknowledgment: Set
    .... .... 0... = Push: Not set
    .... .... .0.. = Reset: Not set
    .... .... ..0. = Syn: Not set
    .... .... ...0 = Fin: Not set
    [TCP Flags: ·······A····]
  Window: 64
  [Calculated window size: 65536]
  [Window size scaling factor: 1024]
  Checksum: 0xfe28 [unverified]
  [Checksum Status: Unverified]
  Urgent Pointer: 0
  Options: (12 bytes), No-Operation (NOP), No-Operation (NOP), Timestamps
    TCP Option - No-Operation (NOP)
      Kind: No-Operation (1)
    TCP Option - No-Operation (NOP)
      Kind: No-Operation (1)
    TCP Option - Timestamps: TSval 2660436950, TSecr 2525540368
      Kind: Time Stamp Option (8)
      Length: 10
      Timestamp value: 2660436950
      Timestamp echo reply: 2525540368
  [Timestamps]
    [Time since first frame in this TCP stream: 0.000027000 seconds]
    [Time since previous frame in this TCP stream: 0.000013000 seconds]
  [SEQ/ACK analysis]
    [This is an ACK to the segment in frame: 2]
    [The RTT to ACK the segment was: 0.000013000 seconds]
    [iRTT: 0.000027000 seconds]
`);
    // later dissections show the same
    expect(tcpTree(cap.dissect(3))).toBe(tcpTree(first[2]!));
  });

  it('gives -T fields values as tshark', () => {
    const p = first[0]!;
    expect(values(p.items, 'tcp.flags')).toEqual(['0x0002']);
    expect(values(p.items, 'tcp.options')).toEqual(['0204ffd70402080a9e930bd6000000000103030a']);
    expect(values(p.items, 'tcp.option_kind')).toEqual(['2', '4', '8', '1', '3']);
    expect(values(p.items, 'tcp.option_len')).toEqual(['4', '2', '10', '3']);
    expect(values(p.items, 'tcp.hdr_len')).toEqual(['40']);
    expect(values(p.items, 'tcp.port')).toEqual(['43874', '11699']);
    expect(values(first[2]!.items, 'tcp.window_size_scalefactor')).toEqual(['1024']);
    expect(values(first[2]!.items, 'tcp.window_size')).toEqual(['65536']);
  });
});

describe('tcp flags and broken headers', () => {
  // 00:00:01.000000 IP 10.0.0.1.1000 > 10.0.0.2.2000: Flags [FSRP.UEW], seq 5, ack 7, win 1000, urg 3, length 0
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  0028 0001 4000 4006 26cd 0a00 0001 0a00
  //   0x0020:  0002 03e8 07d0 0000 0005 0000 0007 5fff
  //   0x0030:  03e8 7c34 0003
  it('every flag bit set (a SYN/ACK with FIN and RST too)', () => {
    const { first } = run([hex('02000000000202000000000108004500002800014000400626cd0a0000010a00000203e807d000000005000000075fff03e87c340003')]);
    expect(first[0]!.info.text).toBe('1000 → 2000 [FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE, Reserved] Seq=0 Ack=1 Win=1000 Urg=3 Len=0');
    expect(tcpTree(first[0]!)).toBe(`Transmission Control Protocol, Src Port: 1000, Dst Port: 2000, Seq: 0, Ack: 1, Len: 0
  Source Port: 1000
  Destination Port: 2000
  [Stream index: 0]
  [Conversation completeness: Incomplete (0)]
  [TCP Segment Len: 0]
  Sequence Number: 0    (relative sequence number)
  Sequence Number (raw): 5
  [Next Sequence Number: 1    (relative sequence number)]
  Acknowledgment Number: 1    (relative ack number)
  Acknowledgment number (raw): 7
  0101 .... = Header Length: 20 bytes (5)
  Flags: 0xfff (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE, Reserved)
    111. .... .... = Reserved: Set
    ...1 .... .... = Accurate ECN: Set
    .... 1... .... = Congestion Window Reduced: Set
    .... .1.. .... = ECN-Echo: Set
    .... ..1. .... = Urgent: Set
    .... ...1 .... = Acknowledgment: Set
    .... .... 1... = Push: Set
    .... .... .1.. = Reset: Set
      [Expert Info (Warning/Sequence): Connection reset (RST)]
        [Connection reset (RST)]
        [Severity level: Warning]
        [Group: Sequence]
    .... .... ..1. = Syn: Set
      [Expert Info (Chat/Sequence): Connection establish acknowledge (SYN+ACK): server port 1000]
        [Connection establish acknowledge (SYN+ACK): server port 1000]
        [Severity level: Chat]
        [Group: Sequence]
    .... .... ...1 = Fin: Set
      [Expert Info (Chat/Sequence): Connection finish (FIN)]
        [Connection finish (FIN)]
        [Severity level: Chat]
        [Group: Sequence]
    [TCP Flags: RRRACEUAPRSF]
      [Expert Info (Note/Sequence): This frame initiates the connection closing]
        [This frame initiates the connection closing]
        [Severity level: Note]
        [Group: Sequence]
  Window: 1000
  [Calculated window size: 1000]
  Checksum: 0x7c34 [unverified]
  [Checksum Status: Unverified]
  Urgent Pointer: 3
  [Timestamps]
    [Time since first frame in this TCP stream: 0.000000000 seconds]
    [Time since previous frame in this TCP stream: 0.000000000 seconds]
`);
  });
  // 00:00:01.100000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [none], win 1000, length 0
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  0028 0001 4000 4006 26cd 0a00 0001 0a00
  //   0x0020:  0002 0001 0002 0000 0005 0000 0007 5000
  //   0x0030:  03e8 97e8 0003
  it('no flags at all, with a nonzero ACK field and urgent pointer', () => {
    const { first } = run([hex('02000000000202000000000108004500002800014000400626cd0a0000010a000002000100020000000500000007500003e897e80003')]);
    expect(first[0]!.info.text).toBe('1 → 2 [<None>] Seq=1 Win=1000 Len=0');
    expect(tcpTree(first[0]!)).toBe(`Transmission Control Protocol, Src Port: 1, Dst Port: 2, Seq: 1, Len: 0
  Source Port: 1
  Destination Port: 2
  [Stream index: 0]
  [Conversation completeness: Incomplete (0)]
  [TCP Segment Len: 0]
  Sequence Number: 1    (relative sequence number)
  Sequence Number (raw): 5
  [Next Sequence Number: 1    (relative sequence number)]
  Acknowledgment Number: 7
    [Expert Info (Note/Protocol): The acknowledgment number field is nonzero while the ACK flag is not set]
      [The acknowledgment number field is nonzero while the ACK flag is not set]
      [Severity level: Note]
      [Group: Protocol]
  Acknowledgment number (raw): 7
  0101 .... = Header Length: 20 bytes (5)
  Flags: 0x000 (<None>)
    000. .... .... = Reserved: Not set
    ...0 .... .... = Accurate ECN: Not set
    .... 0... .... = Congestion Window Reduced: Not set
    .... .0.. .... = ECN-Echo: Not set
    .... ..0. .... = Urgent: Not set
    .... ...0 .... = Acknowledgment: Not set
    .... .... 0... = Push: Not set
    .... .... .0.. = Reset: Not set
    .... .... ..0. = Syn: Not set
    .... .... ...0 = Fin: Not set
    [TCP Flags: ············]
  Window: 1000
  [Calculated window size: 1000]
  [Window size scaling factor: -1 (unknown)]
  Checksum: 0x97e8 [unverified]
  [Checksum Status: Unverified]
  Urgent Pointer: 3
    [Expert Info (Note/Protocol): The urgent pointer field is nonzero while the URG flag is not set]
      [The urgent pointer field is nonzero while the URG flag is not set]
      [Severity level: Note]
      [Group: Protocol]
  [Timestamps]
    [Time since first frame in this TCP stream: 0.000000000 seconds]
    [Time since previous frame in this TCP stream: 0.000000000 seconds]
`);
  });
  // 00:00:01.500000 IP 10.0.0.1.9 > 10.0.0.2.10:  tcp 4 [bad hdr length 16 - too short, < 20]
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  0028 0001 4000 4006 26cd 0a00 0001 0a00
  //   0x0020:  0002 0009 000a 0000 0005 0000 0007 4010
  //   0x0030:  03e8 a7cb 0000
  it('a header length below 20 bytes', () => {
    const { first } = run([hex('02000000000202000000000108004500002800014000400626cd0a0000010a0000020009000a0000000500000007401003e8a7cb0000')]);
    expect(first[0]!.info.text).toBe('9 → 10 [ACK] Seq=1 Ack=1 Win=1000, bogus TCP header length (16, must be at least 20)');
    expect(tcpTree(first[0]!)).toBe(`Transmission Control Protocol, Src Port: 9, Dst Port: 10, Seq: 1
  Source Port: 9
  Destination Port: 10
  [Stream index: 0]
  [Conversation completeness: Incomplete (0)]
  [TCP Segment Len: 4]
  Sequence Number: 1    (relative sequence number)
  Sequence Number (raw): 5
  0100 .... = Header Length: 16 bytes (4)
    [Expert Info (Error/Protocol): Bogus TCP header length (16, must be at least 20)]
      [Bogus TCP header length (16, must be at least 20)]
      [Severity level: Error]
      [Group: Protocol]
`);
  });
});

interface OptionCase {
  name: string;
  bytes: string;
  info: string;
  options: string;
}

const OPTION_CASES: OptionCase[] = [
  // four NOPs at the start of the options: a warning before the fourth
  // 00:00:01.000000 IP 10.0.0.1.100 > 10.0.0.2.9999: Flags [S], seq 100, win 1000, options [nop,nop,nop,nop,mss 1460], length 0
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  0030 0001 4000 4006 26c5 0a00 0001 0a00
  //   0x0020:  0002 0064 270f 0000 0064 0000 0000 7002
  //   0x0030:  03e8 465f 0000 0101 0101 0204 05b4
  {
    name: 'four NOPs at the start of the options: a warning before the fourth',
    bytes: '02000000000202000000000108004500003000014000400626c50a0000010a0000020064270f0000006400000000700203e8465f000001010101020405b4',
    info: '100 → 9999 [SYN] Seq=0 Win=1000 Len=0 MSS=1460',
    options: `Options: (8 bytes), No-Operation (NOP), No-Operation (NOP), No-Operation (NOP), No-Operation (NOP), Maximum segment size
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  [Expert Info (Warning/Protocol): 4 NOP in a row - a router may have removed some options]
    [4 NOP in a row - a router may have removed some options]
    [Severity level: Warning]
    [Group: Protocol]
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  TCP Option - Maximum segment size: 1460 bytes
    Kind: Maximum Segment Size (2)
    Length: 4
    MSS Value: 1460
`,
  },
  // a window scale shift over 14 (used as 14), then EOL and non-zero padding
  // 00:00:01.000000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 100, win 1000, options [nop,nop,nop,nop,mss 1460,wscale 15,eol], length 0
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  0040 0001 4000 4006 26b5 0a00 0001 0a00
  //   0x0020:  0002 0001 0002 0000 0064 0000 0000 b002
  //   0x0030:  03e8 12b0 0000 0101 0101 0204 05b4 0303
  //   0x0040:  0f00 080a 0000 0001 0000 0000 0101
  {
    name: 'a window scale shift over 14 (used as 14), then EOL and non-zero padding',
    bytes: '02000000000202000000000108004500004000014000400626b50a0000010a000002000100020000006400000000b00203e812b0000001010101020405b403030f00080a00000001000000000101',
    info: '1 → 2 [SYN] Seq=0 Win=1000 Len=0 MSS=1460 WS=16384',
    options: `Options: (24 bytes), No-Operation (NOP), No-Operation (NOP), No-Operation (NOP), No-Operation (NOP), Maximum segment size, Window scale, End of Option List (EOL)
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  [Expert Info (Warning/Protocol): 4 NOP in a row - a router may have removed some options]
    [4 NOP in a row - a router may have removed some options]
    [Severity level: Warning]
    [Group: Protocol]
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  TCP Option - Maximum segment size: 1460 bytes
    Kind: Maximum Segment Size (2)
    Length: 4
    MSS Value: 1460
  TCP Option - Window scale: 15 (multiply by 16384)
    Kind: Window Scale (3)
    Length: 3
    Shift count: 15
      [Expert Info (Warning/Protocol): Window scale shift exceeds 14]
        [Window scale shift exceeds 14]
        [Severity level: Warning]
        [Group: Protocol]
    [Multiplier: 16384]
  TCP Option - End of Option List (EOL)
    Kind: End of Option List (0)
  Non-zero header padding
    [Expert Info (Error/Protocol): Non-zero header padding]
      [Non-zero header padding]
      [Severity level: Error]
      [Group: Protocol]
`,
  },
  // a SYN without MSS: SACK permitted, EOL padding, and the missing-MSS note
  // 00:00:01.400000 IP 10.0.0.1.104 > 10.0.0.2.9999: Flags [S], seq 100, win 1000, options [sackOK,eol], length 0
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  002c 0001 4000 4006 26c9 0a00 0001 0a00
  //   0x0020:  0002 0068 270f 0000 0064 0000 0000 6002
  //   0x0030:  03e8 5c17 0000 0402 0000
  {
    name: 'a SYN without MSS: SACK permitted, EOL padding, and the missing-MSS note',
    bytes: '02000000000202000000000108004500002c00014000400626c90a0000010a0000020068270f0000006400000000600203e85c17000004020000',
    info: '104 → 9999 [SYN] Seq=0 Win=1000 Len=0 SACK_PERM',
    options: `Options: (4 bytes), SACK permitted, End of Option List (EOL), End of Option List (EOL)
  TCP Option - SACK permitted
    Kind: SACK Permitted (4)
    Length: 2
  TCP Option - End of Option List (EOL)
    Kind: End of Option List (0)
  TCP Option - End of Option List (EOL)
    Kind: End of Option List (0)
  [Expert Info (Note/Protocol): The SYN packet does not contain a MSS option]
    [The SYN packet does not contain a MSS option]
    [Severity level: Note]
    [Group: Protocol]
`,
  },
  // an option length below 2 ends the options
  // 00:00:01.500000 IP 10.0.0.1.105 > 10.0.0.2.9999: Flags [.], ack 0, win 1000, options [[bad opt]
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  002c 0001 4000 4006 26c9 0a00 0001 0a00
  //   0x0020:  0002 0069 270f 0000 0064 0000 0000 6010
  //   0x0030:  03e8 5e09 0000 0201 0000
  {
    name: 'an option length below 2 ends the options',
    bytes: '02000000000202000000000108004500002c00014000400626c90a0000010a0000020069270f0000006400000000601003e85e09000002010000',
    info: '105 → 9999 [ACK] Seq=1 Ack=1 Win=1000 Len=0',
    options: `Options: (4 bytes)
  Maximum segment size (with too-short option length = 1 byte)
    [Expert Info (Note/Sequence): Maximum segment size (with too-short option length = 1 byte)]
      [Maximum segment size (with too-short option length = 1 byte)]
      [Severity level: Note]
      [Group: Sequence]
`,
  },
  // a kind whose length byte lies past the options
  // 00:00:01.600000 IP 10.0.0.1.106 > 10.0.0.2.9999: Flags [.], ack 0, win 1000, options [nop,nop,nop, [|tcp]
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  002c 0001 4000 4006 26c9 0a00 0001 0a00
  //   0x0020:  0002 006a 270f 0000 0064 0000 0000 6010
  //   0x0030:  03e8 5e06 0000 0101 0102
  {
    name: 'a kind whose length byte lies past the options',
    bytes: '02000000000202000000000108004500002c00014000400626c90a0000010a000002006a270f0000006400000000601003e85e06000001010102',
    info: '106 → 9999 [ACK] Seq=1 Ack=1 Win=1000 Len=0',
    options: `Options: (4 bytes), No-Operation (NOP), No-Operation (NOP), No-Operation (NOP)
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  Maximum segment size (length byte past end of options)
    [Expert Info (Note/Sequence): Maximum segment size (length byte past end of options)]
      [Maximum segment size (length byte past end of options)]
      [Severity level: Note]
      [Group: Sequence]
`,
  },
  // an MSS of the wrong length in a non-SYN segment
  // 00:00:01.200000 IP 10.0.0.1.5 > 10.0.0.2.6: Flags [.], ack 0, win 1000, options [mss 1281[len 3]], length 0
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  002c 0001 4000 4006 26c9 0a00 0001 0a00
  //   0x0020:  0002 0005 0006 0000 0064 0000 0000 6010
  //   0x0030:  03e8 8073 0000 0203 0501
  {
    name: 'an MSS of the wrong length in a non-SYN segment',
    bytes: '02000000000202000000000108004500002c00014000400626c90a0000010a000002000500060000006400000000601003e88073000002030501',
    info: '5 → 6 [ACK] Seq=1 Ack=1 Win=1000 Len=0',
    options: `Options: (4 bytes), Maximum segment size, No-Operation (NOP)
  TCP Option - Maximum segment size
    [Expert Info (Warning/Protocol): The non-SYN packet does contain a MSS option]
      [The non-SYN packet does contain a MSS option]
      [Severity level: Warning]
      [Group: Protocol]
    Kind: Maximum Segment Size (2)
    Length: 3
      [Expert Info (Note/Sequence): option length should be 4]
        [option length should be 4]
        [Severity level: Note]
        [Group: Sequence]
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
`,
  },
  // an unknown kind, then an MSS in a non-SYN segment
  // 00:00:01.300000 IP 10.0.0.1.7 > 10.0.0.2.8: Flags [.], ack 0, win 1000, options [unknown-99 0x0102,mss 258], length 0
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  0030 0001 4000 4006 26c5 0a00 0001 0a00
  //   0x0020:  0002 0007 0008 0000 0064 0000 0000 7010
  //   0x0030:  03e8 1063 0000 6304 0102 0204 0102
  {
    name: 'an unknown kind, then an MSS in a non-SYN segment',
    bytes: '02000000000202000000000108004500003000014000400626c50a0000010a000002000700080000006400000000701003e8106300006304010202040102',
    info: '7 → 8 [ACK] Seq=1 Ack=1 Win=1000 Len=0 MSS=258',
    options: `Options: (8 bytes), Unknown (0x63), Maximum segment size
  TCP Option - Unknown
    Kind: Unknown (99)
    Length: 4
    Payload: 0102
  TCP Option - Maximum segment size: 258 bytes
    [Expert Info (Warning/Protocol): The non-SYN packet does contain a MSS option]
      [The non-SYN packet does contain a MSS option]
      [Severity level: Warning]
      [Group: Protocol]
    Kind: Maximum Segment Size (2)
    Length: 4
    MSS Value: 258
`,
  },
  // Echo, Echo reply, CC, CC.NEW and CC.ECHO
  // 00:00:01.900000 IP 10.0.0.1.109 > 10.0.0.2.9999: Flags [.], ack 0, win 1000, options [echo 5,echoreply 6,cc 7,ccnew 8, 9,eol], length 0
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  0048 0001 4000 4006 26ad 0a00 0001 0a00
  //   0x0020:  0002 006d 270f 0000 0064 0000 0000 d010
  //   0x0030:  03e8 bea8 0000 0606 0000 0005 0706 0000
  //   0x0040:  0006 0b06 0000 0007 0c06 0000 0008 0d06
  //   0x0050:  0000 0009 0000
  {
    name: 'Echo, Echo reply, CC, CC.NEW and CC.ECHO',
    bytes: '02000000000202000000000108004500004800014000400626ad0a0000010a000002006d270f0000006400000000d01003e8bea800000606000000050706000000060b06000000070c06000000080d06000000090000',
    info: '109 → 9999 [ACK] Seq=1 Ack=1 Win=1000 Len=0 ECHO=5 ECHO=6 CC=7 CC=8 CC=9',
    options: `Options: (32 bytes), Echo, Echo reply, CC, CC.NEW, CC.ECHO, End of Option List (EOL), End of Option List (EOL)
  TCP Option - Echo: 5
    Kind: Echo (6)
    Length: 6
    TCP Echo Option: 5
  TCP Option - Echo: 6
    Kind: Echo Reply (7)
    Length: 6
    TCP Echo Option: 6
  TCP Option - CC
    Kind: CC (11)
    Length: 6
    TCP CC Option: 7
  TCP Option - CC
    Kind: CC.NEW (12)
    Length: 6
    TCP CC Option: 8
  TCP Option - CC
    Kind: CC.ECHO (13)
    Length: 6
    TCP CC Option: 9
  TCP Option - End of Option List (EOL)
    Kind: End of Option List (0)
  TCP Option - End of Option List (EOL)
    Kind: End of Option List (0)
`,
  },
  // an MD5 signature and a user timeout
  // 00:00:02.000000 IP 10.0.0.1.110 > 10.0.0.2.9999: Flags [.], ack 0, win 1000, options [md5 shared secret not supplied with -M, can't check - 000102030405060708090a0b0c0d0e0f,uto 0x5 120,nop,nop], length 0
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  0040 0001 4000 4006 26b5 0a00 0001 0a00
  //   0x0020:  0002 006e 270f 0000 0064 0000 0000 b010
  //   0x0030:  03e8 a794 0000 1312 0001 0203 0405 0607
  //   0x0040:  0809 0a0b 0c0d 0e0f 1c04 0005 0101
  {
    name: 'an MD5 signature and a user timeout',
    bytes: '02000000000202000000000108004500004000014000400626b50a0000010a000002006e270f0000006400000000b01003e8a79400001312000102030405060708090a0b0c0d0e0f1c0400050101',
    info: '110 → 9999 [ACK] Seq=1 Ack=1 Win=1000 Len=0 MD5 USER_TO=5',
    options: `Options: (24 bytes), TCP MD5 signature, User Timeout, No-Operation (NOP), No-Operation (NOP)
  TCP Option - TCP MD5 signature
    Kind: MD5 Signature Option (19)
    Length: 18
    MD5 digest: 000102030405060708090a0b0c0d0e0f
  TCP Option - User Timeout
    Kind: User Timeout Option (28)
    Length: 4
    0... .... .... .... = Granularity: Seconds
    .000 0000 0000 0101 = User Timeout: 5
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
`,
  },
  // TCP Fast Open: cookie request and cookie, then a user timeout
  // 00:00:02.000000 IP 10.0.0.1.21 > 10.0.0.2.22: Flags [.], ack 0, win 1000, options [tfo  cookiereq,tfo  cookie 0102030405060708,uto 0x800a 16389,eol], length 0
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  003c 0001 4000 4006 26b9 0a00 0001 0a00
  //   0x0020:  0002 0015 0016 0000 0064 0000 0000 a010
  //   0x0030:  03e8 5718 0000 2202 220a 0102 0304 0506
  //   0x0040:  0708 1c04 800a 0000 0000
  {
    name: 'TCP Fast Open: cookie request and cookie, then a user timeout',
    bytes: '02000000000202000000000108004500003c00014000400626b90a0000010a000002001500160000006400000000a01003e8571800002202220a01020304050607081c04800a00000000',
    info: '21 → 22 [ACK] Seq=1 Ack=1 Win=1000 Len=0 TFO=R TFO=C USER_TO=10',
    options: `Options: (20 bytes), TCP Fast Open, TCP Fast Open, User Timeout, End of Option List (EOL), End of Option List (EOL), End of Option List (EOL), End of Option List (EOL)
  TCP Option - TCP Fast Open
    Kind: TCP Fast Open Cookie (34)
    Length: 2
    Fast Open Cookie Request
  TCP Option - TCP Fast Open
    Kind: TCP Fast Open Cookie (34)
    Length: 10
    Fast Open Cookie: 0102030405060708
  TCP Option - User Timeout
    Kind: User Timeout Option (28)
    Length: 4
    1... .... .... .... = Granularity: Minutes
    .000 0000 0000 1010 = User Timeout: 10
  TCP Option - End of Option List (EOL)
    Kind: End of Option List (0)
  TCP Option - End of Option List (EOL)
    Kind: End of Option List (0)
  TCP Option - End of Option List (EOL)
    Kind: End of Option List (0)
  TCP Option - End of Option List (EOL)
    Kind: End of Option List (0)
`,
  },
  // RFC 6994 experimental options: Fast Open and an unknown identifier
  // 00:00:01.900000 IP 10.0.0.1.19 > 10.0.0.2.20: Flags [.], ack 0, win 1000, options [exp-tfo (invalid),unknown-253 0x0102,nop,nop,nop,nop,eol], length 0
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  0038 0001 4000 4006 26bd 0a00 0001 0a00
  //   0x0020:  0002 0013 0014 0000 0064 0000 0000 9010
  //   0x0030:  03e8 5eb3 0000 fe06 f989 0102 fd04 0102
  //   0x0040:  0101 0101 0000
  {
    name: 'RFC 6994 experimental options: Fast Open and an unknown identifier',
    bytes: '02000000000202000000000108004500003800014000400626bd0a0000010a000002001300140000006400000000901003e85eb30000fe06f9890102fd040102010101010000',
    info: '19 → 20 [ACK] Seq=1 Ack=1 Win=1000 Len=0 TFO=C ExID=102',
    options: `Options: (16 bytes), Experimental, Experimental, No-Operation (NOP), No-Operation (NOP), No-Operation (NOP), No-Operation (NOP), End of Option List (EOL), End of Option List (EOL)
  TCP Option - Experimental: Fast Open
    Kind: RFC3692-style Experiment 2 (254)
    Length: 6
    Experiment Identifier: Fast Open (0xf989)
    Fast Open Cookie: 0102
  TCP Option - Experimental: Unknown
    Kind: RFC3692-style Experiment 1 (253)
    Length: 4
    Experiment Identifier: Unknown (0x0102)
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  TCP Option - No-Operation (NOP)
    Kind: No-Operation (1)
  TCP Option - End of Option List (EOL)
    Kind: End of Option List (0)
  TCP Option - End of Option List (EOL)
    Kind: End of Option List (0)
`,
  },
  // two SACK blocks
  // 00:00:01.500000 IP 10.0.0.1.105 > 10.0.0.2.9999: Flags [.], ack 1, win 1000, options [sack 2 {1:2}{3:4},eol], length 0
  //   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
  //   0x0010:  003c 0001 4000 4006 26b9 0a00 0001 0a00
  //   0x0020:  0002 0069 270f 0000 0064 0000 0001 a010
  //   0x0030:  03e8 1add 0000 0512 0000 0001 0000 0002
  //   0x0040:  0000 0003 0000 0004 0000
  {
    name: 'two SACK blocks',
    bytes: '02000000000202000000000108004500003c00014000400626b90a0000010a0000020069270f0000006400000001a01003e81add00000512000000010000000200000003000000040000',
    info: '105 → 9999 [ACK] Seq=1 Ack=1 Win=1000 Len=0 SLE=1 SRE=2 SLE=3 SRE=4',
    options: `Options: (20 bytes), SACK, End of Option List (EOL), End of Option List (EOL)
  TCP Option - SACK 1-2 3-4
    Kind: SACK (5)
    Length: 18
    left edge = 1 (relative)
    right edge = 2 (relative)
    left edge = 3 (relative)
    right edge = 4 (relative)
    [TCP SACK Count: 2]
  TCP Option - End of Option List (EOL)
    Kind: End of Option List (0)
  TCP Option - End of Option List (EOL)
    Kind: End of Option List (0)
`,
  },
];

describe('tcp options', () => {
  for (const c of OPTION_CASES) {
    it(c.name, () => {
      const { first } = run([hex(c.bytes)]);
      expect(first[0]!.info.text).toBe(c.info);
      expect(treeText([find(first[0]!.items, 'tcp.options')!])).toBe(c.options);
    });
  }
});


// A fake protocol on port 7777 framed like DNS over TCP (2-byte length, then the message), dissected with
// tcpDissectPdus. tshark read the same frames with `-d tcp.port==7777,dns`: the TCP parts below are its answers.
const proto_fake = protocol('tcpfake', 'Fake length-prefixed protocol');
const hfFake = fields({ len: { abbrev: 'tcpfake.len', name: 'Length', type: 'uint', bits: 16 } });
function dissectFake(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  return tcpDissectPdus(
    tvb,
    pkt,
    parent,
    true,
    2,
    (t, _p, off) => t.u16(off) + 2,
    (t, p, par) => {
      p.protocolCol.set('FAKE');
      p.info.clear();
      p.info.append(`PDU of ${t.reported} bytes`);
      const it = p.proto(par, proto_fake, t, 0, -1);
      p.item(it, hfFake.len, t, 0, 2);
    },
  );
}
register('tcp.port', 7777, dissectFake);

// 00:16:40.001000 IP 10.0.0.1.40000 > 10.0.0.2.7777: Flags [S], seq 1000, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0001 0a00
//   0x0020:  0002 9c40 1e61 0000 03e8 0000 0000 5002
//   0x0030:  03e8 d96e 0000
const seg1 = hex('02000000000202000000000108004500002800014000400626cd0a0000010a0000029c401e61000003e800000000500203e8d96e0000');
// 00:16:40.002000 IP 10.0.0.2.7777 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0002 0a00
//   0x0020:  0001 1e61 9c40 0000 1388 0000 03e9 5012
//   0x0030:  03e8 c5d5 0000
const seg2 = hex('02000000000202000000000108004500002800014000400626cd0a0000020a0000011e619c4000001388000003e9501203e8c5d50000');
// 00:16:40.003000 IP 10.0.0.1.40000 > 10.0.0.2.7777: Flags [.], ack 1, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0001 0a00
//   0x0020:  0002 9c40 1e61 0000 03e9 0000 1389 5010
//   0x0030:  03e8 c5d6 0000
const seg3 = hex('02000000000202000000000108004500002800014000400626cd0a0000010a0000029c401e61000003e900001389501003e8c5d60000');
// 00:16:40.004000 IP 10.0.0.1.40000 > 10.0.0.2.7777: Flags [P.], seq 1:13, ack 1, win 1000, length 12
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0034 0001 4000 4006 26c1 0a00 0001 0a00
//   0x0020:  0002 9c40 1e61 0000 03e9 0000 1389 5018
//   0x0030:  03e8 c4a1 0000 001f 0001 0100 0001 0000
//   0x0040:  0000
const seg4 = hex('02000000000202000000000108004500003400014000400626c10a0000010a0000029c401e61000003e900001389501803e8c4a10000001f00010100000100000000');
// 00:16:40.005000 IP 10.0.0.1.40000 > 10.0.0.2.7777: Flags [P.], seq 13:68, ack 1, win 1000, length 55
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  005f 0001 4000 4006 2696 0a00 0001 0a00
//   0x0020:  0002 9c40 1e61 0000 03f5 0000 1389 5018
//   0x0030:  03e8 6a1e 0000 0000 0566 6972 7374 0765
//   0x0040:  7861 6d70 6c65 0000 0100 0100 1b00 0201
//   0x0050:  0000 0100 0000 0000 0001 6207 6578 616d
//   0x0060:  706c 6500 0001 0001 0023 0003 01
const seg5 = hex('02000000000202000000000108004500005f00014000400626960a0000010a0000029c401e61000003f500001389501803e86a1e00000000056669727374076578616d706c650000010001001b0002010000010000000000000162076578616d706c6500000100010023000301');
// 00:16:40.006000 IP 10.0.0.1.40000 > 10.0.0.2.7777: Flags [P.], seq 68:100, ack 1, win 1000, length 32
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0048 0001 4000 4006 26ad 0a00 0001 0a00
//   0x0020:  0002 9c40 1e61 0000 042c 0000 1389 5018
//   0x0030:  03e8 0fba 0000 0000 0100 0000 0000 0005
//   0x0040:  7468 6972 6407 6578 616d 706c 6503 6f72
//   0x0050:  6700 0001 0001
const seg6 = hex('02000000000202000000000108004500004800014000400626ad0a0000010a0000029c401e610000042c00001389501803e80fba0000000001000000000000057468697264076578616d706c65036f72670000010001');
// 00:16:40.007000 IP 10.0.0.1.40000 > 10.0.0.2.7777: Flags [P.], seq 100:101, ack 1, win 1000, length 1
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0029 0001 4000 4006 26cc 0a00 0001 0a00
//   0x0020:  0002 9c40 1e61 0000 044c 0000 1389 5018
//   0x0030:  03e8 c56a 0000 00
const seg7 = hex('02000000000202000000000108004500002900014000400626cc0a0000010a0000029c401e610000044c00001389501803e8c56a000000');
// 00:16:40.008000 IP 10.0.0.1.40000 > 10.0.0.2.7777: Flags [P.], seq 101:132, ack 1, win 1000, length 31
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0047 0001 4000 4006 26ae 0a00 0001 0a00
//   0x0020:  0002 9c40 1e61 0000 044d 0000 1389 5018
//   0x0030:  03e8 6ac8 0000 1e00 0401 0000 0100 0000
//   0x0040:  0000 0004 666f 7572 0765 7861 6d70 6c65
//   0x0050:  0000 0100 01
const seg8 = hex('02000000000202000000000108004500004700014000400626ae0a0000010a0000029c401e610000044d00001389501803e86ac800001e00040100000100000000000004666f7572076578616d706c650000010001');
// 00:16:40.009000 IP 10.0.0.2.7777 > 10.0.0.1.40000: Flags [.], ack 132, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0002 0a00
//   0x0020:  0001 1e61 9c40 0000 1389 0000 046c 5010
//   0x0030:  03e8 c553 0000
const seg9 = hex('02000000000202000000000108004500002800014000400626cd0a0000020a0000011e619c40000013890000046c501003e8c5530000');
const REASM_TIMES = [1000.001000000, 1000.002000000, 1000.003000000, 1000.004000000, 1000.005000000, 1000.006000000, 1000.007000000, 1000.008000000, 1000.009000000];

describe('tcp reassembly', () => {
  const frames = [seg1, seg2, seg3, seg4, seg5, seg6, seg7, seg8, seg9];
  const { first, cap } = run(frames, REASM_TIMES);

  it('marks segments held for a PDU and hands complete PDUs on, several per segment', () => {
    expect(first.slice(3, 8).map((p) => `${p.protocolCol.text} ${p.info.text}`)).toEqual([
      'TCP 40000 → 7777 [PSH, ACK] Seq=1 Ack=1 Win=1000 Len=12 [TCP segment of a reassembled PDU]',
      'FAKE PDU of 33 bytesPDU of 29 bytes',
      'FAKE PDU of 37 bytes',
      'TCP 40000 → 7777 [PSH, ACK] Seq=100 Ack=1 Win=1000 Len=1 [TCP segment of a reassembled PDU]',
      'FAKE PDU of 32 bytes',
    ]);
    expect(first[4]!.sources.map((s) => s.name)).toEqual(['Frame', 'Reassembled TCP']);
    expect(values(first[4]!.items, 'tcpfake.len')).toEqual(['31', '27']);
  });

  it('frame 4: TCP tree and segment list as tshark', () => {
    expect(tcpTree(first[3]!)).toBe(`Transmission Control Protocol, Src Port: 40000, Dst Port: 7777, Seq: 1, Ack: 1, Len: 12
  Source Port: 40000
  Destination Port: 7777
  [Stream index: 0]
  [Conversation completeness: Incomplete, ESTABLISHED (7)]
  [TCP Segment Len: 12]
  Sequence Number: 1    (relative sequence number)
  Sequence Number (raw): 1001
  [Next Sequence Number: 13    (relative sequence number)]
  Acknowledgment Number: 1    (relative ack number)
  Acknowledgment number (raw): 5001
  0101 .... = Header Length: 20 bytes (5)
  Flags: 0x018 (PSH, ACK)
    000. .... .... = Reserved: Not set
    ...0 .... .... = Accurate ECN: Not set
    .... 0... .... = Congestion Window Reduced: Not set
    .... .0.. .... = ECN-Echo: Not set
    .... ..0. .... = Urgent: Not set
    .... ...1 .... = Acknowledgment: Set
    .... .... 1... = Push: Set
    .... .... .0.. = Reset: Not set
    .... .... ..0. = Syn: Not set
    .... .... ...0 = Fin: Not set
    [TCP Flags: ·······AP···]
  Window: 1000
  [Calculated window size: 1000]
  [Window size scaling factor: -2 (no window scaling used)]
  Checksum: 0xc4a1 [unverified]
  [Checksum Status: Unverified]
  Urgent Pointer: 0
  [Timestamps]
    [Time since first frame in this TCP stream: 0.003000000 seconds]
    [Time since previous frame in this TCP stream: 0.001000000 seconds]
  [SEQ/ACK analysis]
    [iRTT: 0.002000000 seconds]
    [Bytes in flight: 12]
    [Bytes sent since last PSH flag: 12]
  TCP payload (12 bytes)
  TCP segment data (12 bytes)
`);
  });
  it('frame 5: TCP tree and segment list as tshark', () => {
    expect(tcpTree(first[4]!)).toBe(`Transmission Control Protocol, Src Port: 40000, Dst Port: 7777, Seq: 13, Ack: 1, Len: 55
  Source Port: 40000
  Destination Port: 7777
  [Stream index: 0]
  [Conversation completeness: Incomplete, DATA (15)]
  [TCP Segment Len: 55]
  Sequence Number: 13    (relative sequence number)
  Sequence Number (raw): 1013
  [Next Sequence Number: 68    (relative sequence number)]
  Acknowledgment Number: 1    (relative ack number)
  Acknowledgment number (raw): 5001
  0101 .... = Header Length: 20 bytes (5)
  Flags: 0x018 (PSH, ACK)
    000. .... .... = Reserved: Not set
    ...0 .... .... = Accurate ECN: Not set
    .... 0... .... = Congestion Window Reduced: Not set
    .... .0.. .... = ECN-Echo: Not set
    .... ..0. .... = Urgent: Not set
    .... ...1 .... = Acknowledgment: Set
    .... .... 1... = Push: Set
    .... .... .0.. = Reset: Not set
    .... .... ..0. = Syn: Not set
    .... .... ...0 = Fin: Not set
    [TCP Flags: ·······AP···]
  Window: 1000
  [Calculated window size: 1000]
  [Window size scaling factor: -2 (no window scaling used)]
  Checksum: 0x6a1e [unverified]
  [Checksum Status: Unverified]
  Urgent Pointer: 0
  [Timestamps]
    [Time since first frame in this TCP stream: 0.004000000 seconds]
    [Time since previous frame in this TCP stream: 0.001000000 seconds]
  [SEQ/ACK analysis]
    [iRTT: 0.002000000 seconds]
    [Bytes in flight: 67]
    [Bytes sent since last PSH flag: 55]
  TCP payload (55 bytes)
  [PDU Size: 33]
  TCP segment data (21 bytes)
  [PDU Size: 29]
  TCP segment data (5 bytes)
[2 Reassembled TCP Segments (33 bytes): #4(12), #5(21)]
  [Frame: 4, payload: 0-11 (12 bytes)]
  [Frame: 5, payload: 12-32 (21 bytes)]
  [Segment count: 2]
  [Reassembled TCP length: 33]
  [Reassembled TCP Data: 001f000101000001000000000000056669727374076578616d706c650000010001]
`);
  });
  it('frame 6: TCP tree and segment list as tshark', () => {
    expect(tcpTree(first[5]!)).toBe(`Transmission Control Protocol, Src Port: 40000, Dst Port: 7777, Seq: 68, Ack: 1, Len: 32
  Source Port: 40000
  Destination Port: 7777
  [Stream index: 0]
  [Conversation completeness: Incomplete, DATA (15)]
  [TCP Segment Len: 32]
  Sequence Number: 68    (relative sequence number)
  Sequence Number (raw): 1068
  [Next Sequence Number: 100    (relative sequence number)]
  Acknowledgment Number: 1    (relative ack number)
  Acknowledgment number (raw): 5001
  0101 .... = Header Length: 20 bytes (5)
  Flags: 0x018 (PSH, ACK)
    000. .... .... = Reserved: Not set
    ...0 .... .... = Accurate ECN: Not set
    .... 0... .... = Congestion Window Reduced: Not set
    .... .0.. .... = ECN-Echo: Not set
    .... ..0. .... = Urgent: Not set
    .... ...1 .... = Acknowledgment: Set
    .... .... 1... = Push: Set
    .... .... .0.. = Reset: Not set
    .... .... ..0. = Syn: Not set
    .... .... ...0 = Fin: Not set
    [TCP Flags: ·······AP···]
  Window: 1000
  [Calculated window size: 1000]
  [Window size scaling factor: -2 (no window scaling used)]
  Checksum: 0x0fba [unverified]
  [Checksum Status: Unverified]
  Urgent Pointer: 0
  [Timestamps]
    [Time since first frame in this TCP stream: 0.005000000 seconds]
    [Time since previous frame in this TCP stream: 0.001000000 seconds]
  [SEQ/ACK analysis]
    [iRTT: 0.002000000 seconds]
    [Bytes in flight: 99]
    [Bytes sent since last PSH flag: 32]
  TCP payload (32 bytes)
  [PDU Size: 37]
  TCP segment data (32 bytes)
[2 Reassembled TCP Segments (37 bytes): #5(5), #6(32)]
  [Frame: 5, payload: 0-4 (5 bytes)]
  [Frame: 6, payload: 5-36 (32 bytes)]
  [Segment count: 2]
  [Reassembled TCP length: 37]
  [Reassembled TCP Data: 0023000301000001000000000000057468697264076578616d706c65036f726700000100…]
`);
  });
  it('frame 7: TCP tree and segment list as tshark', () => {
    expect(tcpTree(first[6]!)).toBe(`Transmission Control Protocol, Src Port: 40000, Dst Port: 7777, Seq: 100, Ack: 1, Len: 1
  Source Port: 40000
  Destination Port: 7777
  [Stream index: 0]
  [Conversation completeness: Incomplete, DATA (15)]
  [TCP Segment Len: 1]
  Sequence Number: 100    (relative sequence number)
  Sequence Number (raw): 1100
  [Next Sequence Number: 101    (relative sequence number)]
  Acknowledgment Number: 1    (relative ack number)
  Acknowledgment number (raw): 5001
  0101 .... = Header Length: 20 bytes (5)
  Flags: 0x018 (PSH, ACK)
    000. .... .... = Reserved: Not set
    ...0 .... .... = Accurate ECN: Not set
    .... 0... .... = Congestion Window Reduced: Not set
    .... .0.. .... = ECN-Echo: Not set
    .... ..0. .... = Urgent: Not set
    .... ...1 .... = Acknowledgment: Set
    .... .... 1... = Push: Set
    .... .... .0.. = Reset: Not set
    .... .... ..0. = Syn: Not set
    .... .... ...0 = Fin: Not set
    [TCP Flags: ·······AP···]
  Window: 1000
  [Calculated window size: 1000]
  [Window size scaling factor: -2 (no window scaling used)]
  Checksum: 0xc56a [unverified]
  [Checksum Status: Unverified]
  Urgent Pointer: 0
  [Timestamps]
    [Time since first frame in this TCP stream: 0.006000000 seconds]
    [Time since previous frame in this TCP stream: 0.001000000 seconds]
  [SEQ/ACK analysis]
    [iRTT: 0.002000000 seconds]
    [Bytes in flight: 100]
    [Bytes sent since last PSH flag: 1]
  TCP payload (1 byte)
  TCP segment data (1 byte)
`);
  });
  it('frame 8: TCP tree and segment list as tshark', () => {
    expect(tcpTree(first[7]!)).toBe(`Transmission Control Protocol, Src Port: 40000, Dst Port: 7777, Seq: 101, Ack: 1, Len: 31
  Source Port: 40000
  Destination Port: 7777
  [Stream index: 0]
  [Conversation completeness: Incomplete, DATA (15)]
  [TCP Segment Len: 31]
  Sequence Number: 101    (relative sequence number)
  Sequence Number (raw): 1101
  [Next Sequence Number: 132    (relative sequence number)]
  Acknowledgment Number: 1    (relative ack number)
  Acknowledgment number (raw): 5001
  0101 .... = Header Length: 20 bytes (5)
  Flags: 0x018 (PSH, ACK)
    000. .... .... = Reserved: Not set
    ...0 .... .... = Accurate ECN: Not set
    .... 0... .... = Congestion Window Reduced: Not set
    .... .0.. .... = ECN-Echo: Not set
    .... ..0. .... = Urgent: Not set
    .... ...1 .... = Acknowledgment: Set
    .... .... 1... = Push: Set
    .... .... .0.. = Reset: Not set
    .... .... ..0. = Syn: Not set
    .... .... ...0 = Fin: Not set
    [TCP Flags: ·······AP···]
  Window: 1000
  [Calculated window size: 1000]
  [Window size scaling factor: -2 (no window scaling used)]
  Checksum: 0x6ac8 [unverified]
  [Checksum Status: Unverified]
  Urgent Pointer: 0
  [Timestamps]
    [Time since first frame in this TCP stream: 0.007000000 seconds]
    [Time since previous frame in this TCP stream: 0.001000000 seconds]
  [SEQ/ACK analysis]
    [iRTT: 0.002000000 seconds]
    [Bytes in flight: 131]
    [Bytes sent since last PSH flag: 31]
  TCP payload (31 bytes)
  [PDU Size: 32]
  TCP segment data (31 bytes)
[2 Reassembled TCP Segments (32 bytes): #7(1), #8(31)]
  [Frame: 7, payload: 0-0 (1 byte)]
  [Frame: 8, payload: 1-31 (31 bytes)]
  [Segment count: 2]
  [Reassembled TCP length: 32]
  [Reassembled TCP Data: 001e00040100000100000000000004666f7572076578616d706c650000010001]
`);
  });

  it('gives the reassembly fields', () => {
    const p = first[5]!;
    expect(values(p.items, 'tcp.segment')).toEqual(['5', '6']);
    expect(values(p.items, 'tcp.segment.count')).toEqual(['2']);
    expect(values(p.items, 'tcp.reassembled.length')).toEqual(['37']);
    expect(values(p.items, 'tcp.pdu.size')).toEqual(['37']);
    // single pass: the first segment does not know where its PDU ends
    expect(values(first[3]!.items, 'tcp.reassembled_in')).toEqual([]);
  });

  it('rebuilds PDUs from the frames when dissected again, in any order, and then knows where they end', () => {
    const p6 = cap.dissect(6);
    expect(tcpTree(p6)).toBe(tcpTree(first[5]!));
    expect(p6.sources[1]!.bytes).toEqual(first[5]!.sources[1]!.bytes);
    const p4 = cap.dissect(4);
    expect(values(p4.items, 'tcp.reassembled_in')).toEqual(['5']);
    expect(p4.info.text).toBe(first[3]!.info.text);
    expect(cap.dissect(5).info.text).toBe('PDU of 33 bytesPDU of 29 bytes');
  });
});

// 00:16:40.001000 IP 10.0.0.1.40000 > 10.0.0.2.9999: Flags [S], seq 1000, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0001 0a00
//   0x0020:  0002 9c40 270f 0000 03e8 0000 0000 5002
//   0x0030:  03e8 d0c0 0000
const icmpCase1 = hex('02000000000202000000000108004500002800014000400626cd0a0000010a0000029c40270f000003e800000000500203e8d0c00000');
// 00:16:40.002000 IP 10.0.0.2.9999 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0002 0a00
//   0x0020:  0001 270f 9c40 0000 1388 0000 03e9 5012
//   0x0030:  03e8 bd27 0000
const icmpCase2 = hex('02000000000202000000000108004500002800014000400626cd0a0000020a000001270f9c4000001388000003e9501203e8bd270000');
// 00:16:40.003000 IP 10.0.0.1.40000 > 10.0.0.2.9999: Flags [.], ack 1, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0001 0a00
//   0x0020:  0002 9c40 270f 0000 03e9 0000 1389 5010
//   0x0030:  03e8 bd28 0000
const icmpCase3 = hex('02000000000202000000000108004500002800014000400626cd0a0000010a0000029c40270f000003e900001389501003e8bd280000');
// 00:16:40.004000 IP 10.0.0.1.40000 > 10.0.0.2.9999: Flags [P.], seq 1:26, ack 1, win 1000, length 25
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0041 0001 4000 4006 26b4 0a00 0001 0a00
//   0x0020:  0002 9c40 270f 0000 03e9 0000 1389 5018
//   0x0030:  03e8 e2c2 0000 6865 6c6c 6f20 776f 726c
//   0x0040:  642c 2074 6869 7320 6973 2064 6174 61
const icmpCase4 = hex('02000000000202000000000108004500004100014000400626b40a0000010a0000029c40270f000003e900001389501803e8e2c2000068656c6c6f20776f726c642c20746869732069732064617461');
// 00:16:40.005000 IP 10.0.0.254 > 10.0.0.1: ICMP 10.0.0.2 unreachable - need to frag (mtu 576), length 56
//   0x0000:  0200 0000 0001 0200 0000 0003 0800 4500
//   0x0010:  004c 0007 0000 4001 65ac 0a00 00fe 0a00
//   0x0020:  0001 0304 2dd5 0000 0240 4500 0041 0001
//   0x0030:  4000 4006 26b4 0a00 0001 0a00 0002 9c40
//   0x0040:  270f 0000 03e9 0000 1389 5018 03e8 e2c2
//   0x0050:  0000 6865 6c6c 6f20 776f
const icmpCase5 = hex('02000000000102000000000308004500004c00070000400165ac0a0000fe0a00000103042dd5000002404500004100014000400626b40a0000010a0000029c40270f000003e900001389501803e8e2c2000068656c6c6f20776f');
// 00:16:40.006000 IP 10.0.0.2.9999 > 10.0.0.1.40000: Flags [.], ack 26, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0002 0a00
//   0x0020:  0001 270f 9c40 0000 1389 0000 0402 5010
//   0x0030:  03e8 bd0f 0000
const icmpCase6 = hex('02000000000202000000000108004500002800014000400626cd0a0000020a000001270f9c400000138900000402501003e8bd0f0000');
const ICMP_TIMES = [1000.001000000, 1000.002000000, 1000.003000000, 1000.004000000, 1000.005000000, 1000.006000000];

describe('tcp inside an ICMP error', () => {
  it('shows the quoted header with raw numbers, in the stream, without analysis or columns', () => {
    const { first } = run([icmpCase1, icmpCase2, icmpCase3, icmpCase4, icmpCase5, icmpCase6], ICMP_TIMES);
    expect(tcpTree(first[4]!)).toBe(`Transmission Control Protocol, Src Port: 40000, Dst Port: 9999, Seq: 1001, Ack: 5001
  Source Port: 40000
  Destination Port: 9999
  Sequence Number: 1001
  [Stream index: 0]
  [Conversation completeness: Incomplete, DATA (15)]
  Acknowledgment Number: 5001    (relative ack number)
  Acknowledgment number (raw): 5001
  0101 .... = Header Length: 20 bytes (5)
  Flags: 0x018 (PSH, ACK)
    000. .... .... = Reserved: Not set
    ...0 .... .... = Accurate ECN: Not set
    .... 0... .... = Congestion Window Reduced: Not set
    .... .0.. .... = ECN-Echo: Not set
    .... ..0. .... = Urgent: Not set
    .... ...1 .... = Acknowledgment: Set
    .... .... 1... = Push: Set
    .... .... .0.. = Reset: Not set
    .... .... ..0. = Syn: Not set
    .... .... ...0 = Fin: Not set
    [TCP Flags: ·······AP···]
  Window: 1000
  [Calculated window size: 1000]
  [Window size scaling factor: -2 (no window scaling used)]
  Checksum: 0xe2c2 [unverified]
  [Checksum Status: Unverified]
  Urgent Pointer: 0
  [Timestamps]
    [Time since first frame in this TCP stream: 0.004000000 seconds]
    [Time since previous frame in this TCP stream: 0.001000000 seconds]
  TCP payload (8 bytes)
`);
    expect(first[4]!.info.text).toBe('Destination unreachable (Fragmentation needed)');
    expect(first[5]!.info.text).toBe('9999 → 40000 [ACK] Seq=1 Ack=26 Win=1000 Len=0');
  });
});


// A fake protocol on port 7778 whose server side runs until the connection closes (like an HTTP/1.0 response
// without Content-Length). tshark read the same frames with `-d tcp.port==7778,http`.
const proto_fin = protocol('tcpfakefin', 'Fake until-FIN protocol');
function dissectUntilFin(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  if (pkt.p.srcPort === 7778 && pkt.p.canDesegment && !pkt.p.tcpReassembled) {
    pkt.p.desegmentOffset = 0;
    pkt.p.desegmentLen = DESEGMENT_UNTIL_FIN;
    return tvb.reported;
  }
  pkt.protocolCol.set('FAKE');
  pkt.info.set(`${tvb.reported} bytes`);
  pkt.proto(parent, proto_fin, tvb, 0, -1);
  return tvb.reported;
}
register('tcp.port', 7778, dissectUntilFin);

// 00:16:40.001000 IP 10.0.0.1.40000 > 10.0.0.2.7778: Flags [S], seq 1000, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0001 0a00
//   0x0020:  0002 9c40 1e62 0000 03e8 0000 0000 5002
//   0x0030:  03e8 d96d 0000
const fin1 = hex('02000000000202000000000108004500002800014000400626cd0a0000010a0000029c401e62000003e800000000500203e8d96d0000');
// 00:16:40.002000 IP 10.0.0.2.7778 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0002 0a00
//   0x0020:  0001 1e62 9c40 0000 1388 0000 03e9 5012
//   0x0030:  03e8 c5d4 0000
const fin2 = hex('02000000000202000000000108004500002800014000400626cd0a0000020a0000011e629c4000001388000003e9501203e8c5d40000');
// 00:16:40.003000 IP 10.0.0.1.40000 > 10.0.0.2.7778: Flags [.], ack 1, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0001 0a00
//   0x0020:  0002 9c40 1e62 0000 03e9 0000 1389 5010
//   0x0030:  03e8 c5d5 0000
const fin3 = hex('02000000000202000000000108004500002800014000400626cd0a0000010a0000029c401e62000003e900001389501003e8c5d50000');
// 00:16:40.004000 IP 10.0.0.1.40000 > 10.0.0.2.7778: Flags [P.], seq 1:28, ack 1, win 1000, length 27
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0043 0001 4000 4006 26b2 0a00 0001 0a00
//   0x0020:  0002 9c40 1e62 0000 03e9 0000 1389 5018
//   0x0030:  03e8 71fe 0000 4745 5420 2f20 4854 5450
//   0x0040:  2f31 2e30 0d0a 486f 7374 3a20 780d 0a0d
//   0x0050:  0a
const fin4 = hex('02000000000202000000000108004500004300014000400626b20a0000010a0000029c401e62000003e900001389501803e871fe0000474554202f20485454502f312e300d0a486f73743a20780d0a0d0a');
// 00:16:40.005000 IP 10.0.0.2.7778 > 10.0.0.1.40000: Flags [P.], seq 1:46, ack 28, win 1000, length 45
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0055 0001 4000 4006 26a0 0a00 0002 0a00
//   0x0020:  0001 1e62 9c40 0000 1389 0000 0404 5018
//   0x0030:  03e8 592a 0000 4854 5450 2f31 2e30 2032
//   0x0040:  3030 204f 4b0d 0a43 6f6e 7465 6e74 2d54
//   0x0050:  7970 653a 2074 6578 742f 706c 6169 6e0d
//   0x0060:  0a0d 0a
const fin5 = hex('02000000000202000000000108004500005500014000400626a00a0000020a0000011e629c400000138900000404501803e8592a0000485454502f312e3020323030204f4b0d0a436f6e74656e742d547970653a20746578742f706c61696e0d0a0d0a');
// 00:16:40.006000 IP 10.0.0.2.7778 > 10.0.0.1.40000: Flags [P.], seq 46:106, ack 28, win 1000, length 60
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0064 0001 4000 4006 2691 0a00 0002 0a00
//   0x0020:  0001 1e62 9c40 0000 13b6 0000 0404 5018
//   0x0030:  03e8 1dd3 0000 6865 6c6c 6f20 6865 6c6c
//   0x0040:  6f20 6865 6c6c 6f20 6865 6c6c 6f20 6865
//   0x0050:  6c6c 6f20 6865 6c6c 6f20 6865 6c6c 6f20
//   0x0060:  6865 6c6c 6f20 6865 6c6c 6f20 6865 6c6c
//   0x0070:  6f20
const fin6 = hex('02000000000202000000000108004500006400014000400626910a0000020a0000011e629c40000013b600000404501803e81dd3000068656c6c6f2068656c6c6f2068656c6c6f2068656c6c6f2068656c6c6f2068656c6c6f2068656c6c6f2068656c6c6f2068656c6c6f2068656c6c6f20');
// 00:16:40.007000 IP 10.0.0.2.7778 > 10.0.0.1.40000: Flags [P.], seq 106:166, ack 28, win 1000, length 60
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0064 0001 4000 4006 2691 0a00 0002 0a00
//   0x0020:  0001 1e62 9c40 0000 13f2 0000 0404 5018
//   0x0030:  03e8 b932 0000 776f 726c 6420 776f 726c
//   0x0040:  6420 776f 726c 6420 776f 726c 6420 776f
//   0x0050:  726c 6420 776f 726c 6420 776f 726c 6420
//   0x0060:  776f 726c 6420 776f 726c 6420 776f 726c
//   0x0070:  6420
const fin7 = hex('02000000000202000000000108004500006400014000400626910a0000020a0000011e629c40000013f200000404501803e8b9320000776f726c6420776f726c6420776f726c6420776f726c6420776f726c6420776f726c6420776f726c6420776f726c6420776f726c6420776f726c6420');
// 00:16:40.008000 IP 10.0.0.2.7778 > 10.0.0.1.40000: Flags [F.], seq 166, ack 28, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0002 0a00
//   0x0020:  0001 1e62 9c40 0000 142e 0000 0404 5011
//   0x0030:  03e8 c514 0000
const fin8 = hex('02000000000202000000000108004500002800014000400626cd0a0000020a0000011e629c400000142e00000404501103e8c5140000');
// 00:16:40.009000 IP 10.0.0.1.40000 > 10.0.0.2.7778: Flags [F.], seq 28, ack 167, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0001 0a00
//   0x0020:  0002 9c40 1e62 0000 0404 0000 142f 5011
//   0x0030:  03e8 c513 0000
const fin9 = hex('02000000000202000000000108004500002800014000400626cd0a0000010a0000029c401e62000004040000142f501103e8c5130000');
// 00:16:40.010000 IP 10.0.0.2.7778 > 10.0.0.1.40000: Flags [.], ack 29, win 1000, length 0
//   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
//   0x0010:  0028 0001 4000 4006 26cd 0a00 0002 0a00
//   0x0020:  0001 1e62 9c40 0000 142f 0000 0405 5010
//   0x0030:  03e8 c513 0000
const fin10 = hex('02000000000202000000000108004500002800014000400626cd0a0000020a0000011e629c400000142f00000405501003e8c5130000');
const FIN_TIMES = [1000.001000000, 1000.002000000, 1000.003000000, 1000.004000000, 1000.005000000, 1000.006000000, 1000.007000000, 1000.008000000, 1000.009000000, 1000.010000000];

describe('tcp reassembly until FIN', () => {
  const frames = [fin1, fin2, fin3, fin4, fin5, fin6, fin7, fin8, fin9, fin10];
  const { first, cap } = run(frames, FIN_TIMES);

  it('holds the data and hands it on when the FIN arrives', () => {
    expect(first.slice(4, 8).map((p) => `${p.protocolCol.text} ${p.info.text}`)).toEqual([
      'TCP 7778 → 40000 [PSH, ACK] Seq=1 Ack=28 Win=1000 Len=45 [TCP segment of a reassembled PDU]',
      'TCP 7778 → 40000 [PSH, ACK] Seq=46 Ack=28 Win=1000 Len=60 [TCP segment of a reassembled PDU]',
      'TCP 7778 → 40000 [PSH, ACK] Seq=106 Ack=28 Win=1000 Len=60 [TCP segment of a reassembled PDU]',
      'FAKE 165 bytes',
    ]);
    expect(tcpTree(first[4]!)).toBe(`Transmission Control Protocol, Src Port: 7778, Dst Port: 40000, Seq: 1, Ack: 28, Len: 45
  Source Port: 7778
  Destination Port: 40000
  [Stream index: 0]
  [Conversation completeness: Incomplete, DATA (15)]
  [TCP Segment Len: 45]
  Sequence Number: 1    (relative sequence number)
  Sequence Number (raw): 5001
  [Next Sequence Number: 46    (relative sequence number)]
  Acknowledgment Number: 28    (relative ack number)
  Acknowledgment number (raw): 1028
  0101 .... = Header Length: 20 bytes (5)
  Flags: 0x018 (PSH, ACK)
    000. .... .... = Reserved: Not set
    ...0 .... .... = Accurate ECN: Not set
    .... 0... .... = Congestion Window Reduced: Not set
    .... .0.. .... = ECN-Echo: Not set
    .... ..0. .... = Urgent: Not set
    .... ...1 .... = Acknowledgment: Set
    .... .... 1... = Push: Set
    .... .... .0.. = Reset: Not set
    .... .... ..0. = Syn: Not set
    .... .... ...0 = Fin: Not set
    [TCP Flags: ·······AP···]
  Window: 1000
  [Calculated window size: 1000]
  [Window size scaling factor: -2 (no window scaling used)]
  Checksum: 0x592a [unverified]
  [Checksum Status: Unverified]
  Urgent Pointer: 0
  [Timestamps]
    [Time since first frame in this TCP stream: 0.004000000 seconds]
    [Time since previous frame in this TCP stream: 0.001000000 seconds]
  [SEQ/ACK analysis]
    [This is an ACK to the segment in frame: 4]
    [The RTT to ACK the segment was: 0.001000000 seconds]
    [iRTT: 0.002000000 seconds]
    [Bytes in flight: 45]
    [Bytes sent since last PSH flag: 45]
  TCP payload (45 bytes)
  TCP segment data (45 bytes)
`);
    expect(tcpTree(first[7]!)).toBe(`Transmission Control Protocol, Src Port: 7778, Dst Port: 40000, Seq: 166, Ack: 28, Len: 0
  Source Port: 7778
  Destination Port: 40000
  [Stream index: 0]
  [Conversation completeness: Incomplete, DATA (15)]
  [TCP Segment Len: 0]
  Sequence Number: 166    (relative sequence number)
  Sequence Number (raw): 5166
  [Next Sequence Number: 167    (relative sequence number)]
  Acknowledgment Number: 28    (relative ack number)
  Acknowledgment number (raw): 1028
  0101 .... = Header Length: 20 bytes (5)
  Flags: 0x011 (FIN, ACK)
    000. .... .... = Reserved: Not set
    ...0 .... .... = Accurate ECN: Not set
    .... 0... .... = Congestion Window Reduced: Not set
    .... .0.. .... = ECN-Echo: Not set
    .... ..0. .... = Urgent: Not set
    .... ...1 .... = Acknowledgment: Set
    .... .... 0... = Push: Not set
    .... .... .0.. = Reset: Not set
    .... .... ..0. = Syn: Not set
    .... .... ...1 = Fin: Set
      [Expert Info (Chat/Sequence): Connection finish (FIN)]
        [Connection finish (FIN)]
        [Severity level: Chat]
        [Group: Sequence]
    [TCP Flags: ·······A···F]
      [Expert Info (Note/Sequence): This frame initiates the connection closing]
        [This frame initiates the connection closing]
        [Severity level: Note]
        [Group: Sequence]
  Window: 1000
  [Calculated window size: 1000]
  [Window size scaling factor: -2 (no window scaling used)]
  Checksum: 0xc514 [unverified]
  [Checksum Status: Unverified]
  Urgent Pointer: 0
  [Timestamps]
    [Time since first frame in this TCP stream: 0.007000000 seconds]
    [Time since previous frame in this TCP stream: 0.001000000 seconds]
[4 Reassembled TCP Segments (165 bytes): #5(45), #6(60), #7(60), #8(0)]
  [Frame: 5, payload: 0-44 (45 bytes)]
  [Frame: 6, payload: 45-104 (60 bytes)]
  [Frame: 7, payload: 105-164 (60 bytes)]
  [Frame: 8 (no data)]
  [Segment count: 4]
  [Reassembled TCP length: 165]
  [Reassembled TCP Data: 485454502f312e3020323030204f4b0d0a436f6e74656e742d547970653a20746578742f…]
`);
    expect(tcpTree(cap.dissect(8))).toBe(tcpTree(first[7]!));
    expect(values(cap.dissect(6).items, 'tcp.reassembled_in')).toEqual(['8']);
  });
});


describe('tcp checksum validation (tcp.check_checksum:TRUE)', () => {
  it('flags the offloaded checksums of a loopback capture, as tshark -o tcp.check_checksum:TRUE', () => {
    const cap = new Capture(new MemorySource(pcap([syn], { times: HANDSHAKE_TIMES })), { ...DEFAULT_PREFS, tcpCheckChecksum: true });
    const first: Packet[] = [];
    cap.load(Infinity, (p) => first.push(p), { tree: true });
    expect(first[0]!.info.text).toBe(
      '43874 → 11699 [SYN] Seq=0 Win=65495 [TCP CHECKSUM INCORRECT] Len=0 MSS=65495 SACK_PERM TSval=2660436950 TSecr=0 WS=1024',
    );
    const tcp = find(first[0]!.items, 'tcp')!;
    const from = tcp.children!.findIndex((i) => i.f.abbrev === 'tcp.checksum');
    expect(treeText(tcp.children!.slice(from, from + 3))).toBe(`Checksum: 0xfe30 incorrect, should be 0x69d2(maybe caused by "TCP checksum offload"?)
  [Expert Info (Error/Checksum): Bad checksum [should be 0x69d2]]
    [Bad checksum [should be 0x69d2]]
    [Severity level: Error]
    [Group: Checksum]
[Checksum Status: Bad]
[Calculated Checksum: 0x69d2]
`);
  });
});
