// TCP sequence analysis on small crafted connections: every analysis flag, RTT, bytes in flight, streams.
// Expected rows are tshark 4.0.17's answers for the same bytes: the segments below were written to pcaps with
// this file's `pcapOf` and read with
//   tshark -r X.pcap -T fields -E occurrence=a -E aggregator=, -e tcp.stream -e tcp.seq -e tcp.ack -e tcp.len
//     -e tcp.window_size -e tcp.window_size_scalefactor -e tcp.analysis.acks_frame -e tcp.analysis.ack_rtt
//     -e tcp.analysis.initial_rtt -e tcp.analysis.bytes_in_flight -e tcp.analysis.push_bytes_sent
//     -e tcp.analysis.duplicate_ack_num -e tcp.analysis.duplicate_ack_frame -e tcp.analysis.rto
//     -e tcp.analysis.rto_frame -e tcp.completeness -e _ws.col.Info
// (trees: tshark -r X.pcap -V -O tcp -Y frame.number==N).
import { describe, expect, it } from 'vitest';
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import { treeText } from '../../src/core/dissect/label';
import { fieldText } from '../../src/core/fields/format';
import type { Item, Packet } from '../../src/core/dissect/packet';

interface Seg {
  /** seconds since the capture start */
  t: number;
  /** 'c' = client 10.0.0.1:40000 → server 10.0.0.2:9999, 's' = the reverse */
  dir: 'c' | 's';
  seq: number;
  ack?: number;
  flags: string;
  win?: number;
  /** payload length (bytes of 'x') */
  data?: number;
  opts?: number[];
}
const FLAG: Record<string, number> = { F: 1, S: 2, R: 4, P: 8, A: 16, U: 32, E: 64, C: 128 };

function csum(b: number[]): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}
const be16 = (v: number) => [(v >>> 8) & 255, v & 255];
const be32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

/**
 * One frame: Ethernet, IPv4 (DF, TTL 64), TCP. E.g. the first SYN of `handshake`:
 *   10.0.0.1.40000 > 10.0.0.2.9999: Flags [S], seq 1000, win 64240,
 *     options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0
 *   0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
 *   0x0010:  003c 0001 4000 4006 26b9 0a00 0001 0a00
 *   0x0020:  0002 9c40 270f 0000 03e8 0000 0000 a002
 *   0x0030:  faf0 71d4 0000 0204 05b4 0402 080a 0000
 *   0x0040:  0001 0000 0000 0103 0307
 */
function frame(s: Seg): Uint8Array {
  const c = [10, 0, 0, 1];
  const v = [10, 0, 0, 2];
  const [src, dst] = s.dir === 'c' ? [c, v] : [v, c];
  const [sp, dp] = s.dir === 'c' ? [40000, 9999] : [9999, 40000];
  const opts = [...(s.opts ?? [])];
  while (opts.length % 4) opts.push(0);
  const flags = [...s.flags].reduce((a, ch) => a | FLAG[ch]!, 0);
  const data = new Array<number>(s.data ?? 0).fill(0x78);
  const tcp = [
    ...be16(sp),
    ...be16(dp),
    ...be32(s.seq >>> 0),
    ...be32((s.ack ?? 0) >>> 0),
    ...be16((((20 + opts.length) / 4) << 12) | flags),
    ...be16(s.win ?? 1000),
    0,
    0,
    0,
    0,
    ...opts,
    ...data,
  ];
  const tc = csum([...src, ...dst, 0, 6, ...be16(tcp.length), ...tcp]);
  tcp[16] = tc >>> 8;
  tcp[17] = tc & 255;
  const ip = [0x45, 0, ...be16(20 + tcp.length), 0, 1, 0x40, 0, 64, 6, 0, 0, ...src, ...dst];
  const ic = csum(ip);
  ip[10] = ic >>> 8;
  ip[11] = ic & 255;
  const macC = [2, 0, 0, 0, 0, 1];
  const macS = [2, 0, 0, 0, 0, 2];
  const [ms, md] = s.dir === 'c' ? [macC, macS] : [macS, macC];
  return Uint8Array.from([...md, ...ms, 8, 0, ...ip, ...tcp]);
}

/** A microsecond pcap of the segments, starting at second 1700000000. */
function pcapOf(segs: Seg[]): Uint8Array {
  const out: number[] = [];
  const le32 = (v: number) => out.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
  le32(0xa1b2c3d4), out.push(2, 0, 4, 0), le32(0), le32(0), le32(65535), le32(1);
  for (const s of segs) {
    const f = frame(s);
    const us = Math.round(s.t * 1e6);
    le32(1700000000 + Math.floor(us / 1e6)), le32(us % 1e6), le32(f.length), le32(f.length);
    for (const b of f) out.push(b);
  }
  return Uint8Array.from(out);
}

const FIELDS = [
  'tcp.stream',
  'tcp.seq',
  'tcp.ack',
  'tcp.len',
  'tcp.window_size',
  'tcp.window_size_scalefactor',
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.initial_rtt',
  'tcp.analysis.bytes_in_flight',
  'tcp.analysis.push_bytes_sent',
  'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.rto',
  'tcp.analysis.rto_frame',
  'tcp.completeness',
];

function values(items: readonly Item[], abbrev: string, out: string[] = []): string[] {
  for (const it of items) {
    if (it.f.abbrev === abbrev) out.push(it.f.type === 'none' ? '1' : fieldText(it.f, it.v));
    if (it.children) values(it.children, abbrev, out);
  }
  return out;
}

/** A `tshark -T fields` row (FIELDS, then the Info column). */
function row(pkt: Packet): string {
  return [...FIELDS.map((f) => values(pkt.items, f).join(',')), pkt.info.text].join('\t');
}

/** The packets of the first (single) pass, as tshark prints them, and the capture for later dissections. */
function run(segs: Seg[]): { first: Packet[]; cap: Capture } {
  const cap = new Capture(new MemorySource(pcapOf(segs)));
  const first: Packet[] = [];
  cap.load(Infinity, (p) => first.push(p), { tree: true });
  return { first, cap };
}

function analysisTree(pkt: Packet): string {
  const tcp = pkt.items.find((i) => i.f.abbrev === 'tcp')!;
  return treeText(tcp.children!.filter((i) => i.f.abbrev === 'tcp.analysis'));
}

const MSS = [2, 4, 5, 0xb4];

/** Check every frame against tshark's rows, in the first pass and again when dissected later. */
function expectRows(segs: Seg[], want: string): { first: Packet[]; cap: Capture } {
  const r = run(segs);
  const lines = want.trim().split('\n');
  expect(r.first.map(row)).toEqual(lines);
  for (let i = 1; i <= r.cap.count(); i++) expect(row(r.cap.dissect(i, false))).toBe(lines[i - 1]);
  return r;
}

describe('tcp analysis', () => {
  it('follows a whole connection: RTTs, window scaling, bytes in flight, completeness', () => {
    const segs: Seg[] = [
      { t: 0, dir: 'c', seq: 1000, flags: 'S', win: 64240, opts: [...MSS, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7] },
      { t: 0.01, dir: 's', seq: 5000, ack: 1001, flags: 'SA', win: 65160, opts: [...MSS, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 1, 1, 3, 3, 7] },
      { t: 0.02, dir: 'c', seq: 1001, ack: 5001, flags: 'A', win: 502 },
      { t: 0.021, dir: 'c', seq: 1001, ack: 5001, flags: 'PA', win: 502, data: 100 },
      { t: 0.031, dir: 's', seq: 5001, ack: 1101, flags: 'A', win: 509 },
      { t: 0.032, dir: 's', seq: 5001, ack: 1101, flags: 'A', win: 509, data: 1448 },
      { t: 0.033, dir: 's', seq: 6449, ack: 1101, flags: 'PA', win: 509, data: 500 },
      { t: 0.043, dir: 'c', seq: 1101, ack: 6949, flags: 'A', win: 501 },
      { t: 0.05, dir: 's', seq: 6949, ack: 1101, flags: 'FA', win: 509 },
      { t: 0.06, dir: 'c', seq: 1101, ack: 6950, flags: 'FA', win: 501 },
      { t: 0.07, dir: 's', seq: 6950, ack: 1102, flags: 'A', win: 509 },
    ];
    expectRows(
      segs,
      `
0	0	0	0	64240											0	40000 → 9999 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=128
0	0	1	0	65160		1	0.010000000								1	9999 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=9 TSecr=1 WS=128
0	1	1	0	64256	128	2	0.010000000	0.020000000							3	40000 → 9999 [ACK] Seq=1 Ack=1 Win=64256 Len=0
0	1	1	100	64256	128			0.020000000	100	100					7	40000 → 9999 [PSH, ACK] Seq=1 Ack=1 Win=64256 Len=100
0	1	101	0	65152	128	4	0.010000000	0.020000000							15	9999 → 40000 [ACK] Seq=1 Ack=101 Win=65152 Len=0
0	1	101	1448	65152	128			0.020000000	1448	1448					15	9999 → 40000 [ACK] Seq=1 Ack=101 Win=65152 Len=1448
0	1449	101	500	65152	128			0.020000000	1948	1948					15	9999 → 40000 [PSH, ACK] Seq=1449 Ack=101 Win=65152 Len=500
0	101	1949	0	64128	128	7	0.010000000	0.020000000							15	40000 → 9999 [ACK] Seq=101 Ack=1949 Win=64128 Len=0
0	1949	101	0	65152	128										15	9999 → 40000 [FIN, ACK] Seq=1949 Ack=101 Win=65152 Len=0
0	101	1950	0	64128	128	9	0.010000000	0.020000000							31	40000 → 9999 [FIN, ACK] Seq=101 Ack=1950 Win=64128 Len=0
0	1950	102	0	65152	128	10	0.010000000	0.020000000							31	9999 → 40000 [ACK] Seq=1950 Ack=102 Win=65152 Len=0`,
    );
  });

  it('flags holes, unseen ACKed data, retransmissions (with RTO), spurious and out-of-order segments', () => {
    const segs: Seg[] = [
      { t: 0, dir: 'c', seq: 1000, flags: 'S' },
      { t: 0.001, dir: 's', seq: 5000, ack: 1001, flags: 'SA' },
      { t: 0.002, dir: 'c', seq: 1001, ack: 5001, flags: 'A' },
      { t: 0.003, dir: 's', seq: 5001, ack: 1001, flags: 'PA', data: 10 },
      { t: 0.004, dir: 'c', seq: 1001, ack: 5021, flags: 'A' },
      { t: 0.005, dir: 's', seq: 5031, ack: 1001, flags: 'PA', data: 10 },
      { t: 0.006, dir: 'c', seq: 1001, ack: 5041, flags: 'A' },
      { t: 0.5, dir: 'c', seq: 1001, ack: 5041, flags: 'PA', data: 5 },
      { t: 1.0, dir: 'c', seq: 1001, ack: 5041, flags: 'PA', data: 5 },
      { t: 1.001, dir: 's', seq: 5041, ack: 1006, flags: 'A' },
      { t: 1.5, dir: 'c', seq: 1001, ack: 5041, flags: 'PA', data: 5 },
      { t: 1.6, dir: 'c', seq: 1006, ack: 5041, flags: 'PA', data: 10 },
      { t: 1.6001, dir: 'c', seq: 1016, ack: 5041, flags: 'PA', data: 10 },
      { t: 1.6002, dir: 'c', seq: 1011, ack: 5041, flags: 'PA', data: 5 },
    ];
    const { first } = expectRows(
      segs,
      `
0	0	0	0	1000											0	40000 → 9999 [SYN] Seq=0 Win=1000 Len=0
0	0	1	0	1000		1	0.001000000								1	9999 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=1000 Len=0
0	1	1	0	1000	-2	2	0.001000000	0.002000000							3	40000 → 9999 [ACK] Seq=1 Ack=1 Win=1000 Len=0
0	1	1	10	1000	-2			0.002000000	10	10					7	9999 → 40000 [PSH, ACK] Seq=1 Ack=1 Win=1000 Len=10
0	1	21	0	1000	-2			0.002000000							15	[TCP ACKed unseen segment] 40000 → 9999 [ACK] Seq=1 Ack=21 Win=1000 Len=0
0	31	1	10	1000	-2			0.002000000							15	[TCP Previous segment not captured] 9999 → 40000 [PSH, ACK] Seq=31 Ack=1 Win=1000 Len=10
0	1	41	0	1000	-2	6	0.001000000	0.002000000							15	[TCP ACKed unseen segment] 40000 → 9999 [ACK] Seq=1 Ack=41 Win=1000 Len=0
0	1	41	5	1000	-2			0.002000000	5	5					15	40000 → 9999 [PSH, ACK] Seq=1 Ack=41 Win=1000 Len=5
0	1	41	5	1000	-2			0.002000000	5	5			0.500000000	8	15	[TCP Retransmission] 40000 → 9999 [PSH, ACK] Seq=1 Ack=41 Win=1000 Len=5
0	41	6	0	1000	-2	8	0.501000000	0.002000000							15	9999 → 40000 [ACK] Seq=41 Ack=6 Win=1000 Len=0
0	1	41	5	1000	-2			0.002000000	5	5					15	[TCP Spurious Retransmission] 40000 → 9999 [PSH, ACK] Seq=1 Ack=41 Win=1000 Len=5
0	6	41	10	1000	-2			0.002000000	15	10					15	40000 → 9999 [PSH, ACK] Seq=6 Ack=41 Win=1000 Len=10
0	16	41	10	1000	-2			0.002000000	25	10					15	40000 → 9999 [PSH, ACK] Seq=16 Ack=41 Win=1000 Len=10
0	11	41	5	1000	-2			0.002000000	25	5					15	[TCP Out-Of-Order] 40000 → 9999 [PSH, ACK] Seq=11 Ack=41 Win=1000 Len=5`,
    );
    expect(analysisTree(first[8]!)).toBe(`[SEQ/ACK analysis]
  [iRTT: 0.002000000 seconds]
  [Bytes in flight: 5]
  [Bytes sent since last PSH flag: 5]
  [TCP Analysis Flags]
    [Expert Info (Note/Sequence): This frame is a (suspected) retransmission]
      [This frame is a (suspected) retransmission]
      [Severity level: Note]
      [Group: Sequence]
    [The RTO for this segment was: 0.500000000 seconds]
    [RTO based on delta from frame: 8]
`);
    // the filter fields: spurious and fast retransmissions also carry the retransmission expert
    expect(values(first[10]!.items, 'tcp.analysis.spurious_retransmission')).toEqual(['1']);
    expect(values(first[10]!.items, 'tcp.analysis.retransmission')).toEqual(['1']);
    expect(values(first[13]!.items, 'tcp.analysis.out_of_order')).toEqual(['1']);
    expect(values(first[5]!.items, 'tcp.analysis.lost_segment')).toEqual(['1']);
    expect(values(first[4]!.items, 'tcp.analysis.ack_lost_segment')).toEqual(['1']);
    // retransmitted data is not handed on; spurious and out-of-order data are not dissected at all
    expect(values(first[8]!.items, 'tcp.segment_data').length).toBe(1);
    expect(first[10]!.layers.includes('data')).toBe(false);
    expect(first[11]!.layers.includes('data')).toBe(true);
  });

  it('counts duplicate ACKs and sees the fast retransmission; SACKed data is not in flight', () => {
    const sack = (re: number) => [1, 1, 5, 10, 0, 0, 0x14, 0x51, 0, 0, re >> 8, re & 255];
    const segs: Seg[] = [
      { t: 0, dir: 'c', seq: 1000, flags: 'S', opts: [...MSS, 1, 1, 4, 2] },
      { t: 0.01, dir: 's', seq: 5000, ack: 1001, flags: 'SA', opts: [...MSS, 1, 1, 4, 2] },
      { t: 0.02, dir: 'c', seq: 1001, ack: 5001, flags: 'A' },
      { t: 0.03, dir: 's', seq: 5001, ack: 1001, flags: 'A', data: 100 },
      { t: 0.0301, dir: 's', seq: 5201, ack: 1001, flags: 'A', data: 100 },
      { t: 0.0302, dir: 's', seq: 5301, ack: 1001, flags: 'A', data: 100 },
      { t: 0.0303, dir: 's', seq: 5401, ack: 1001, flags: 'PA', data: 100 },
      { t: 0.04, dir: 'c', seq: 1001, ack: 5101, flags: 'A' },
      { t: 0.041, dir: 'c', seq: 1001, ack: 5101, flags: 'A', opts: sack(0x14b5) },
      { t: 0.042, dir: 'c', seq: 1001, ack: 5101, flags: 'A', opts: sack(0x1519) },
      { t: 0.043, dir: 'c', seq: 1001, ack: 5101, flags: 'A', opts: sack(0x157d) },
      { t: 0.044, dir: 's', seq: 5101, ack: 1001, flags: 'A', data: 100 },
      { t: 0.054, dir: 'c', seq: 1001, ack: 5501, flags: 'A' },
    ];
    const { first } = expectRows(
      segs,
      `
0	0	0	0	1000											0	40000 → 9999 [SYN] Seq=0 Win=1000 Len=0 MSS=1460 SACK_PERM
0	0	1	0	1000		1	0.010000000								1	9999 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=1000 Len=0 MSS=1460 SACK_PERM
0	1	1	0	1000	-2	2	0.010000000	0.020000000							3	40000 → 9999 [ACK] Seq=1 Ack=1 Win=1000 Len=0
0	1	1	100	1000	-2			0.020000000	100	100					7	9999 → 40000 [ACK] Seq=1 Ack=1 Win=1000 Len=100
0	201	1	100	1000	-2			0.020000000							15	[TCP Previous segment not captured] 9999 → 40000 [ACK] Seq=201 Ack=1 Win=1000 Len=100
0	301	1	100	1000	-2										15	9999 → 40000 [ACK] Seq=301 Ack=1 Win=1000 Len=100
0	401	1	100	1000	-2										15	9999 → 40000 [PSH, ACK] Seq=401 Ack=1 Win=1000 Len=100
0	1	101	0	1000	-2	4	0.010000000	0.020000000							15	40000 → 9999 [ACK] Seq=1 Ack=101 Win=1000 Len=0
0	1	101	0	1000	-2			0.020000000			1	8			15	[TCP Dup ACK 8#1] 40000 → 9999 [ACK] Seq=1 Ack=101 Win=1000 Len=0 SLE=201 SRE=301
0	1	101	0	1000	-2			0.020000000			2	8			15	[TCP Dup ACK 8#2] 40000 → 9999 [ACK] Seq=1 Ack=101 Win=1000 Len=0 SLE=201 SRE=401
0	1	101	0	1000	-2			0.020000000			3	8			15	[TCP Dup ACK 8#3] 40000 → 9999 [ACK] Seq=1 Ack=101 Win=1000 Len=0 SLE=201 SRE=501
0	101	1	100	1000	-2			0.020000000	100	200					15	[TCP Fast Retransmission] 9999 → 40000 [ACK] Seq=101 Ack=1 Win=1000 Len=100
0	1	501	0	1000	-2	7	0.023700000	0.020000000							15	40000 → 9999 [ACK] Seq=1 Ack=501 Win=1000 Len=0`,
    );
    expect(analysisTree(first[8]!)).toBe(`[SEQ/ACK analysis]
  [iRTT: 0.020000000 seconds]
  [TCP Analysis Flags]
    [This is a TCP duplicate ack]
  [Duplicate ACK #: 1]
  [Duplicate to the ACK in frame: 8]
    [Expert Info (Note/Sequence): Duplicate ACK (#1)]
      [Duplicate ACK (#1)]
      [Severity level: Note]
      [Group: Sequence]
`);
    expect(analysisTree(first[11]!)).toBe(`[SEQ/ACK analysis]
  [iRTT: 0.020000000 seconds]
  [Bytes in flight: 100]
  [Bytes sent since last PSH flag: 200]
  [TCP Analysis Flags]
    [Expert Info (Note/Sequence): This frame is a (suspected) fast retransmission]
      [This frame is a (suspected) fast retransmission]
      [Severity level: Note]
      [Group: Sequence]
    [Expert Info (Note/Sequence): This frame is a (suspected) retransmission]
      [This frame is a (suspected) retransmission]
      [Severity level: Note]
      [Group: Sequence]
`);
    expect(values(first[8]!.items, 'tcp.analysis.duplicate_ack')).toEqual(['1', '1']);
    expect(values(first[11]!.items, 'tcp.analysis.fast_retransmission')).toEqual(['1']);
  });

  it('sees the window fill, close, get probed and open again, and keep-alives', () => {
    const segs: Seg[] = [
      { t: 0, dir: 'c', seq: 1000, flags: 'S', win: 1000 },
      { t: 0.01, dir: 's', seq: 5000, ack: 1001, flags: 'SA', win: 1000 },
      { t: 0.02, dir: 'c', seq: 1001, ack: 5001, flags: 'A', win: 300 },
      { t: 0.03, dir: 's', seq: 5001, ack: 1001, flags: 'A', win: 1000, data: 100 },
      { t: 0.031, dir: 's', seq: 5101, ack: 1001, flags: 'A', win: 1000, data: 200 },
      { t: 0.04, dir: 'c', seq: 1001, ack: 5301, flags: 'A', win: 0 },
      { t: 0.3, dir: 's', seq: 5301, ack: 1001, flags: 'A', win: 1000, data: 1 },
      { t: 0.31, dir: 'c', seq: 1001, ack: 5301, flags: 'A', win: 0 },
      { t: 0.5, dir: 'c', seq: 1001, ack: 5301, flags: 'A', win: 500 },
      { t: 0.51, dir: 's', seq: 5301, ack: 1001, flags: 'PA', win: 1000, data: 10 },
      { t: 0.52, dir: 'c', seq: 1001, ack: 5311, flags: 'A', win: 500 },
      { t: 5.52, dir: 'c', seq: 1000, ack: 5311, flags: 'A', win: 500 },
      { t: 5.53, dir: 's', seq: 5311, ack: 1001, flags: 'A', win: 1000 },
    ];
    const { first } = expectRows(
      segs,
      `
0	0	0	0	1000											0	40000 → 9999 [SYN] Seq=0 Win=1000 Len=0
0	0	1	0	1000		1	0.010000000								1	9999 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=1000 Len=0
0	1	1	0	300	-2	2	0.010000000	0.020000000							3	40000 → 9999 [ACK] Seq=1 Ack=1 Win=300 Len=0
0	1	1	100	1000	-2			0.020000000	100	100					7	9999 → 40000 [ACK] Seq=1 Ack=1 Win=1000 Len=100
0	101	1	200	1000	-2			0.020000000	300	300					15	[TCP Window Full] 9999 → 40000 [ACK] Seq=101 Ack=1 Win=1000 Len=200
0	1	301	0	0	-2	5	0.009000000	0.020000000							15	[TCP ZeroWindow] 40000 → 9999 [ACK] Seq=1 Ack=301 Win=0 Len=0
0	301	1	1	1000	-2			0.020000000	1	301					15	[TCP ZeroWindowProbe] 9999 → 40000 [ACK] Seq=301 Ack=1 Win=1000 Len=1
0	1	301	0	0	-2			0.020000000							15	[TCP ZeroWindowProbeAck] [TCP ZeroWindow] 40000 → 9999 [ACK] Seq=1 Ack=301 Win=0 Len=0
0	1	301	0	500	-2			0.020000000							15	[TCP Window Update] 40000 → 9999 [ACK] Seq=1 Ack=301 Win=500 Len=0
0	301	1	10	1000	-2			0.020000000	10	311					15	9999 → 40000 [PSH, ACK] Seq=301 Ack=1 Win=1000 Len=10
0	1	311	0	500	-2	10	0.010000000	0.020000000							15	40000 → 9999 [ACK] Seq=1 Ack=311 Win=500 Len=0
0	0	311	0	500	-2			0.020000000							15	[TCP Keep-Alive] 40000 → 9999 [ACK] Seq=0 Ack=311 Win=500 Len=0
0	311	1	0	1000	-2			0.020000000							15	[TCP Keep-Alive ACK] 9999 → 40000 [ACK] Seq=311 Ack=1 Win=1000 Len=0`,
    );
    expect(analysisTree(first[7]!)).toBe(`[SEQ/ACK analysis]
  [iRTT: 0.020000000 seconds]
  [TCP Analysis Flags]
    [Expert Info (Warning/Sequence): TCP Zero Window segment]
      [TCP Zero Window segment]
      [Severity level: Warning]
      [Group: Sequence]
    [Expert Info (Note/Sequence): ACK to a TCP Zero Window Probe]
      [ACK to a TCP Zero Window Probe]
      [Severity level: Note]
      [Group: Sequence]
`);
    const has = (n: number, f: string) => values(first[n - 1]!.items, f).length > 0;
    expect(has(5, 'tcp.analysis.window_full')).toBe(true);
    expect(has(6, 'tcp.analysis.zero_window')).toBe(true);
    expect(has(7, 'tcp.analysis.zero_window_probe')).toBe(true);
    expect(has(8, 'tcp.analysis.zero_window_probe_ack')).toBe(true);
    expect(has(9, 'tcp.analysis.window_update')).toBe(true);
    expect(has(12, 'tcp.analysis.keep_alive')).toBe(true);
    expect(has(13, 'tcp.analysis.keep_alive_ack')).toBe(true);
    expect(has(13, 'tcp.analysis.flags')).toBe(true);
    expect(has(11, 'tcp.analysis.flags')).toBe(false);
  });

  it('starts a new stream when a SYN reuses the ports with another ISN', () => {
    const segs: Seg[] = [
      { t: 0, dir: 'c', seq: 1000, flags: 'S' },
      { t: 0.001, dir: 's', seq: 5000, ack: 1001, flags: 'SA' },
      { t: 0.002, dir: 'c', seq: 1001, ack: 5001, flags: 'A' },
      { t: 0.003, dir: 'c', seq: 1001, ack: 5001, flags: 'FA' },
      { t: 0.004, dir: 's', seq: 5001, ack: 1002, flags: 'FA' },
      { t: 0.005, dir: 'c', seq: 1002, ack: 5002, flags: 'A' },
      { t: 1, dir: 'c', seq: 3000, flags: 'S' },
      { t: 1.001, dir: 's', seq: 9000, ack: 3001, flags: 'SA' },
      { t: 1.002, dir: 'c', seq: 3001, ack: 9001, flags: 'A' },
      { t: 2, dir: 'c', seq: 3000, flags: 'S' },
      { t: 2.001, dir: 's', seq: 9500, ack: 3001, flags: 'SA' },
    ];
    const { first } = expectRows(
      segs,
      `
0	0	0	0	1000											0	40000 → 9999 [SYN] Seq=0 Win=1000 Len=0
0	0	1	0	1000		1	0.001000000								1	9999 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=1000 Len=0
0	1	1	0	1000	-2	2	0.001000000	0.002000000							3	40000 → 9999 [ACK] Seq=1 Ack=1 Win=1000 Len=0
0	1	1	0	1000	-2										7	40000 → 9999 [FIN, ACK] Seq=1 Ack=1 Win=1000 Len=0
0	1	2	0	1000	-2	4	0.001000000	0.002000000							23	9999 → 40000 [FIN, ACK] Seq=1 Ack=2 Win=1000 Len=0
0	2	2	0	1000	-2	5	0.001000000	0.002000000							23	40000 → 9999 [ACK] Seq=2 Ack=2 Win=1000 Len=0
1	0	0	0	1000											1	[TCP Port numbers reused] 40000 → 9999 [SYN] Seq=0 Win=1000 Len=0
1	0	1	0	1000		7	0.001000000								1	9999 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=1000 Len=0
1	1	1	0	1000	-2	8	0.001000000	0.002000000							3	40000 → 9999 [ACK] Seq=1 Ack=1 Win=1000 Len=0
1	0	0	0	1000				0.002000000					1.000000000	7	7	[TCP Retransmission] 40000 → 9999 [SYN] Seq=0 Win=1000 Len=0
1	0	1	0	1000		10	0.001000000	0.002000000							7	[TCP Previous segment not captured] [TCP Port numbers reused] 9999 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=1000 Len=0`,
    );
    expect(analysisTree(first[10]!)).toBe(`[SEQ/ACK analysis]
  [This is an ACK to the segment in frame: 10]
  [The RTT to ACK the segment was: 0.001000000 seconds]
  [iRTT: 0.002000000 seconds]
  [TCP Analysis Flags]
    [Expert Info (Note/Sequence): A new tcp session is started with the same ports as an earlier session in this trace]
      [A new tcp session is started with the same ports as an earlier session in this trace]
      [Severity level: Note]
      [Group: Sequence]
    [Expert Info (Warning/Sequence): Previous segment(s) not captured (common at capture start)]
      [Previous segment(s) not captured (common at capture start)]
      [Severity level: Warning]
      [Group: Sequence]
`);
    expect(values(first[6]!.items, 'tcp.analysis.reused_ports')).toEqual(['1']);
  });
});
