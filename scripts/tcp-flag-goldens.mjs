// `node scripts/tcp-flag-goldens.mjs`: one small crafted TCP connection per analysis flag (the cases below), each
// written to test/fixtures/golden/tcp-flags/<case>.pcap with tshark's answer for every tcp.analysis field beside it
// (<case>.tsv). test/analysis/tcp-flags.test.ts builds the same bytes, checks they equal the committed pcap, and
// compares our analysis with the TSV row by row.
//
// Every frame is Ethernet / IPv4 (DF, TTL 64) / TCP between the client 10.0.0.1:40000 and the server
// 10.0.0.2:9999, correct checksums, payload bytes 'x'. Sequence and acknowledgement numbers in the cases are
// relative: the builder adds the ISNs (client 1000, server 5000; `isn` overrides the client's).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const GOLDEN_DIR = join(root, 'test', 'fixtures', 'golden', 'tcp-flags');

/** Every tcp.analysis field tshark 4.0 has, the expert infos, then the Info column. */
export const FIELDS = [
  'frame.number',
  'tcp.stream',
  'tcp.seq',
  'tcp.ack',
  'tcp.len',
  'tcp.window_size',
  'tcp.analysis.flags',
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission',
  'tcp.analysis.out_of_order',
  'tcp.analysis.lost_segment',
  'tcp.analysis.ack_lost_segment',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.zero_window',
  'tcp.analysis.zero_window_probe',
  'tcp.analysis.zero_window_probe_ack',
  'tcp.analysis.window_full',
  'tcp.analysis.window_update',
  'tcp.analysis.keep_alive',
  'tcp.analysis.keep_alive_ack',
  'tcp.analysis.reused_ports',
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.initial_rtt',
  'tcp.analysis.bytes_in_flight',
  'tcp.analysis.push_bytes_sent',
  'tcp.analysis.rto',
  'tcp.analysis.rto_frame',
  // the expert infos the flags raise, with Wireshark's severities (Note, Warning…) and groups
  '_ws.expert.message',
  '_ws.expert.severity',
  '_ws.expert.group',
  '_ws.col.Info',
];

const ISN_C = 1000;
const ISN_S = 5000;
const FLAG = { F: 1, S: 2, R: 4, P: 8, A: 16, U: 32, E: 64, C: 128 };
/** SYN options: MSS 1460, SACK permitted, window scale 7 (ws: true) or none. */
const synOpts = (ws) => [2, 4, 0x05, 0xb4, 4, 2, ...(ws ? [1, 3, 3, 7] : [])];

/**
 * A segment: [ms since start, 'c'|'s' (sender), flags ('S','SA','A','PA','FA','R'…), relative seq, relative ack,
 * payload length, raw window, extra] where extra may hold { sack: [[le, re], …] (relative), isn }.
 */
function tcpFrame(seg, kase) {
  const [, dir, flagStr, seq, ack, len = 0, win = 1000, extra = {}] = seg;
  const cAddr = [10, 0, 0, 1];
  const sAddr = [10, 0, 0, 2];
  const client = dir === 'c';
  const isnC = extra.isn ?? kase.isnC ?? ISN_C;
  const isnS = extra.isnS ?? kase.isnS ?? ISN_S;
  const [src, dst] = client ? [cAddr, sAddr] : [sAddr, cAddr];
  const [sp, dp] = client ? [40000, 9999] : [9999, 40000];
  const flags = [...flagStr].reduce((a, ch) => a | FLAG[ch], 0);
  let opts = [];
  if (flags & FLAG.S) opts = synOpts(kase.ws !== false);
  if (extra.sack) {
    const base = client ? isnS : isnC;
    opts = [1, 1, 5, 2 + 8 * extra.sack.length];
    for (const [le, re] of extra.sack) opts.push(...be32(base + le), ...be32(base + re));
  }
  while (opts.length % 4) opts.push(1);
  const rawSeq = (client ? isnC : isnS) + seq;
  const rawAck = flags & FLAG.A ? (client ? isnS : isnC) + ack : 0;
  const tcp = [
    ...be16(sp), ...be16(dp), ...be32(rawSeq), ...be32(rawAck),
    ...be16((((20 + opts.length) / 4) << 12) | flags), ...be16(win), 0, 0, 0, 0,
    ...opts, ...new Array(len).fill(0x78),
  ];
  const tc = checksum([...src, ...dst, 0, 6, ...be16(tcp.length), ...tcp]);
  tcp[16] = tc >>> 8;
  tcp[17] = tc & 255;
  const ip = [0x45, 0, ...be16(20 + tcp.length), 0, 1, 0x40, 0, 64, 6, 0, 0, ...src, ...dst];
  const ic = checksum(ip);
  ip[10] = ic >>> 8;
  ip[11] = ic & 255;
  const macC = [2, 0, 0, 0, 0, 1];
  const macS = [2, 0, 0, 0, 0, 2];
  return [...(client ? macS : macC), ...(client ? macC : macS), 8, 0, ...ip, ...tcp];
}

function checksum(b) {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}
function be16(v) {
  return [(v >>> 8) & 255, v & 255];
}
function be32(v) {
  v >>>= 0;
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}

/** A microsecond little-endian pcap (Ethernet) of the case's segments, starting at second 1700000000. */
export function pcapOf(kase) {
  const out = [];
  const le32 = (v) => out.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
  le32(0xa1b2c3d4);
  out.push(2, 0, 4, 0);
  le32(0), le32(0), le32(65535), le32(1);
  for (const seg of kase.segs) {
    const f = tcpFrame(seg, kase);
    const us = Math.round(seg[0] * 1000);
    le32(1700000000 + Math.floor(us / 1e6)), le32(us % 1e6), le32(f.length), le32(f.length);
    out.push(...f);
  }
  return Uint8Array.from(out);
}

// The three-way handshake every case starts with (RTT 10 ms: SYN at 0, SYN/ACK at 5, ACK at 10).
const HS = [
  [0, 'c', 'S', 0, 0, 0, 64240],
  [5, 's', 'SA', 0, 1, 0, 65160],
  [10, 'c', 'A', 1, 1, 0, 502],
];

/** name → { title, ws?, segs }. Each table: #, ms, sender, flags, seq, ack, len, window — and what it shows. */
export const CASES = {
  //  #  ms   dir flags seq   ack  len  win
  //  4  20   c   PA    1     1    100  502   data
  //  5  320  c   PA    1     1    100  502   the same bytes again 300 ms later (no ACK came): retransmission, RTO 0.3 s
  //  6  325  s   A     1     101  0    509   ACK of both: acks frame 5
  retransmission: {
    title: 'a segment sent again after a timeout',
    segs: [...HS, [20, 'c', 'PA', 1, 1, 100, 502], [320, 'c', 'PA', 1, 1, 100, 502], [325, 's', 'A', 1, 101, 0, 509]],
  },
  //  4  20   c   A     1     1    100       first segment
  //  5  21   c   A     201   1    100       101..200 not captured: previous segment lost
  //  6  22   c   A     301   1    100
  //  7  23   c   PA    401   1    100
  //  8  25   s   A     1     101            ACK of frame 4
  //  9  26   s   A     1     101            dup ACK #1 (SACK 201-301)
  // 10  27   s   A     1     101            dup ACK #2 (SACK 201-401)
  // 11  28   s   A     1     101            dup ACK #3 (SACK 201-501)
  // 12  29   c   A     101   1    100       the missing bytes within 20 ms of the third dup ACK: fast retransmission
  // 13  34   s   A     1     501            everything acknowledged
  fast_retransmission: {
    title: 'three duplicate ACKs (with SACK blocks), then the hole is filled at once',
    segs: [
      ...HS,
      [20, 'c', 'A', 1, 1, 100, 502],
      [21, 'c', 'A', 201, 1, 100, 502],
      [22, 'c', 'A', 301, 1, 100, 502],
      [23, 'c', 'PA', 401, 1, 100, 502],
      [25, 's', 'A', 1, 101, 0, 509],
      [26, 's', 'A', 1, 101, 0, 509, { sack: [[201, 301]] }],
      [27, 's', 'A', 1, 101, 0, 509, { sack: [[201, 401]] }],
      [28, 's', 'A', 1, 101, 0, 509, { sack: [[201, 501]] }],
      [29, 'c', 'A', 101, 1, 100, 502],
      [34, 's', 'A', 1, 501, 0, 509],
    ],
  },
  //  4  20   c   PA    1     1    100       data
  //  5  25   s   A     1     101            acknowledged
  //  6  400  c   PA    1     1    100       sent again although the ACK came: spurious retransmission
  //  7  405  s   A     1     101            (a duplicate ACK)
  spurious_retransmission: {
    title: 'data sent again after it was acknowledged',
    segs: [...HS, [20, 'c', 'PA', 1, 1, 100, 502], [25, 's', 'A', 1, 101, 0, 509], [400, 'c', 'PA', 1, 1, 100, 502], [405, 's', 'A', 1, 101, 0, 509]],
  },
  //  4  20   c   A     101   1    100       bytes 1..100 not seen yet: previous segment lost
  //  5  21   c   PA    1     1    100       they arrive 1 ms later (under the 10 ms handshake RTT): out-of-order
  //  6  26   s   A     1     201            both acknowledged
  out_of_order: {
    title: 'two segments arrive swapped',
    segs: [...HS, [20, 'c', 'A', 101, 1, 100, 502], [21, 'c', 'PA', 1, 1, 100, 502], [26, 's', 'A', 1, 201, 0, 509]],
  },
  //  4  20   c   A     1     1    100
  //  5  21   c   PA    201   1    100       101..200 missing: previous segment not captured
  //  6  26   s   A     1     101            the receiver still waits for 101
  lost_segment: {
    title: 'a gap in the sequence numbers',
    segs: [...HS, [20, 'c', 'A', 1, 1, 100, 502], [21, 'c', 'PA', 201, 1, 100, 502], [26, 's', 'A', 1, 101, 0, 509]],
  },
  //  4  20   c   A     1     1    100
  //  5  21   c   PA    201   1    100       lost segment (101..200 not captured)
  //  6  26   s   A     1     301            acknowledges 101..200 the capture never saw: ACKed unseen segment
  ack_lost_segment: {
    title: 'an ACK for data the capture missed',
    segs: [...HS, [20, 'c', 'A', 1, 1, 100, 502], [21, 'c', 'PA', 201, 1, 100, 502], [26, 's', 'A', 1, 301, 0, 509]],
  },
  //  4  20   s   PA    1     1    200       server data
  //  5  25   c   A     1     201            ACK
  //  6  30   c   A     1     201            same ACK, window, no data: dup ACK #1 of frame 5
  //  7  35   c   A     1     201            dup ACK #2 of frame 5
  //  8  40   c   A     1     201  0  600    window changed: a window update, not a dup ACK (and resets the count)
  duplicate_ack: {
    title: 'the same ACK repeated, then a window change',
    segs: [
      ...HS,
      [20, 's', 'PA', 1, 1, 200, 509],
      [25, 'c', 'A', 1, 201, 0, 502],
      [30, 'c', 'A', 1, 201, 0, 502],
      [35, 'c', 'A', 1, 201, 0, 502],
      [40, 'c', 'A', 1, 201, 0, 600],
    ],
  },
  //  4  20   c   PA    1     1    300
  //  5  25   s   A     1     301  0  0      receive window closed: zero window
  //  6  225  c   A     301   1    1         one byte at the next sequence number into the closed window: probe
  //  7  230  s   A     1     301  0  0      still closed, the byte not taken: ACK to the zero-window probe (and zero window)
  //  8  430  c   A     301   1    1         probe again
  //  9  435  s   A     1     302  0  509    the byte is taken and the window opens; tshark: ACKed unseen segment (a
  //                                          probe does not advance the next expected sequence number)
  zero_window: {
    title: 'zero window, zero-window probes and their ACKs, window opens',
    segs: [
      ...HS,
      [20, 'c', 'PA', 1, 1, 300, 502],
      [25, 's', 'A', 1, 301, 0, 0],
      [225, 'c', 'A', 301, 1, 1, 502],
      [230, 's', 'A', 1, 301, 0, 0],
      [430, 'c', 'A', 301, 1, 1, 502],
      [435, 's', 'A', 1, 302, 0, 509],
    ],
  },
  //  (no window scaling: the SYNs carry no window-scale option)
  //  2   5   s   SA    0     1    0  300    the server's window is 300 bytes
  //  4  25   c   A     1     1    200       200 bytes in flight
  //  5  26   c   PA    201   1    100       300 in flight = the window: window full
  //  6  31   s   A     1     301  0  0      zero window
  //  7  60   s   A     1     301  0  300    same ACK, window opens: window update
  window_full: {
    title: 'the sender fills the receiver window exactly, which closes and opens again',
    ws: false,
    segs: [
      [0, 'c', 'S', 0, 0, 0, 64240],
      [5, 's', 'SA', 0, 1, 0, 300],
      [10, 'c', 'A', 1, 1, 0, 64240],
      [25, 'c', 'A', 1, 1, 200, 64240],
      [26, 'c', 'PA', 201, 1, 100, 64240],
      [31, 's', 'A', 1, 301, 0, 0],
      [60, 's', 'A', 1, 301, 0, 300],
    ],
  },
  //  4  20   c   PA    1     1    10
  //  5  25   s   A     1     11   0  509
  //  6  26   s   A     1     11   0  700    same seq/ack, no data, bigger window: window update
  //  7  27   s   A     1     11   0  700    unchanged: dup ACK
  window_update: {
    title: 'an ACK that only moves the window',
    segs: [...HS, [20, 'c', 'PA', 1, 1, 10, 502], [25, 's', 'A', 1, 11, 0, 509], [26, 's', 'A', 1, 11, 0, 700], [27, 's', 'A', 1, 11, 0, 700]],
  },
  //  4  20   c   PA    1     1    10
  //  5  25   s   A     1     11
  //  6  1025 c   A     10    1    0         one before the next expected byte, no data: keep-alive
  //  7  1030 s   A     1     11             its answer, unchanged: ACK to a keep-alive
  //  8  2030 c   A     10    1    1         the one-byte form of a keep-alive (garbage byte)
  //  9  2035 s   A     1     11             ACK to a keep-alive
  keep_alive: {
    title: 'keep-alives without and with a garbage byte, and their ACKs',
    segs: [
      ...HS,
      [20, 'c', 'PA', 1, 1, 10, 502],
      [25, 's', 'A', 1, 11, 0, 509],
      [1025, 'c', 'A', 10, 1, 0, 502],
      [1030, 's', 'A', 1, 11, 0, 509],
      [2030, 'c', 'A', 10, 1, 1, 502],
      [2035, 's', 'A', 1, 11, 0, 509],
    ],
  },
  //  1-3 handshake, 4 data, 5 ACK, 6-8 FIN/ACK exchange
  //  9  1000 c   S     0 (ISN 90000)          the same ports again with another ISN: reused ports, a new stream
  // 10  1005 s   SA    0 (ISN 7000)    1
  // 11  1010 c   A     1     1
  reused_ports: {
    title: 'a new connection on the same ports with a new ISN',
    segs: [
      ...HS,
      [20, 'c', 'PA', 1, 1, 10, 502],
      [25, 's', 'A', 1, 11, 0, 509],
      [30, 'c', 'FA', 11, 1, 0, 502],
      [35, 's', 'FA', 1, 12, 0, 509],
      [40, 'c', 'A', 12, 2, 0, 502],
      [1000, 'c', 'S', 0, 0, 0, 64240, { isn: 90000 }],
      [1005, 's', 'SA', 0, 1, 0, 65160, { isn: 90000, isnS: 7000 }],
      [1010, 'c', 'A', 1, 1, 0, 502, { isn: 90000, isnS: 7000 }],
    ],
  },
  //  4  20   c   A     1     1    100       bytes in flight 100, push bytes (no PSH yet) 100
  //  5  21   c   A     101   1    100       in flight 200
  //  6  22   c   PA    201   1    50        in flight 250, 250 bytes since the last PSH
  //  7  30   s   A     1     201            acks frame 5 (partially covers the flight), RTT 9 ms
  //  8  31   c   PA    251   1    20        in flight 70 (50 unacked + 20), push bytes 20
  //  9  40   s   PA    1     271  30        acks frame 8, RTT 9 ms; the server's own data: in flight 30
  // 10  45   c   A     271   31             acks frame 9, RTT 5 ms
  rtt_and_flight: {
    title: 'ACK RTTs, the initial RTT, bytes in flight and bytes since the last PSH',
    segs: [
      ...HS,
      [20, 'c', 'A', 1, 1, 100, 502],
      [21, 'c', 'A', 101, 1, 100, 502],
      [22, 'c', 'PA', 201, 1, 50, 502],
      [30, 's', 'A', 1, 201, 0, 509],
      [31, 'c', 'PA', 251, 1, 20, 502],
      [40, 's', 'PA', 1, 271, 30, 509],
      [45, 'c', 'A', 271, 31, 0, 502],
    ],
  },
};

function main() {
  mkdirSync(GOLDEN_DIR, { recursive: true });
  const fieldArgs = FIELDS.flatMap((f) => ['-e', f]);
  for (const [name, kase] of Object.entries(CASES)) {
    const file = join(GOLDEN_DIR, `${name}.pcap`);
    writeFileSync(file, pcapOf(kase));
    const tsv = execFileSync('tshark', ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fieldArgs], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, LC_ALL: 'C.UTF-8', TZ: 'UTC' },
    });
    writeFileSync(join(GOLDEN_DIR, `${name}.tsv`), FIELDS.join('\t') + '\n' + tsv);
    console.log(`${name}: ${tsv.split('\n').filter(Boolean).length} frames`);
  }
  const version = execFileSync('tshark', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  writeFileSync(join(GOLDEN_DIR, 'VERSION'), version + '\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
