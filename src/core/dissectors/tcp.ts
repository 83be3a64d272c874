// TCP: header and options, stream index, sequence analysis, and hand-off to payload dissectors with PDU reassembly.
import {
  EXPERT,
  EXPERT_GROUP,
  EXPERT_MESSAGE,
  EXPERT_SEVERITY,
  MALFORMED,
  fields,
  protocol,
  type FieldDef,
} from '../fields/registry';
import { bytesToHex } from '../fields/format';
import {
  DESEGMENT_ONE_MORE_SEGMENT,
  DESEGMENT_UNTIL_FIN,
  GENERATED,
  HIDDEN,
  SEVERITY_VALUE,
  type ExpertGroup,
  type Item,
  type Packet,
  type Severity,
} from '../dissect/packet';
import { MalformedError, TruncatedError, Tvb } from '../dissect/tvb';
import { heuristicList, lookup, register } from '../dissect/tables';
import { dissectData } from './data';
import {
  AF,
  Conv,
  FB,
  FRAG_MULTIPLE_TAILS,
  FRAG_OVERLAP,
  FRAG_OVERLAP_CONFLICT,
  FRAG_TOO_LONG,
  MSP_ENTIRE_SEGMENT,
  seqLT,
  tcpState,
  type Flow,
  type Msp,
  type PayloadStep,
  type TcpState,
} from '../analysis/tcp-state';
import { analyzeSegment, setBaseSeq } from '../analysis/tcp-seq';
import { ReassemblyError, fragAdd, mspLookup, mspLookupLE, mspStore, releaseData, setPartial } from '../analysis/tcp-reassembly';

export const proto_tcp = protocol('tcp', 'Transmission Control Protocol');

const CHECKSUM_STATUS = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };

/** Option kinds as Wireshark names them in the Kind field. */
const OPTION_KINDS: Record<number, string> = {
  0: 'End of Option List',
  1: 'No-Operation',
  2: 'Maximum Segment Size',
  3: 'Window Scale',
  4: 'SACK Permitted',
  5: 'SACK',
  6: 'Echo',
  7: 'Echo Reply',
  8: 'Time Stamp Option',
  9: 'Partial Order Connection Permitted',
  10: 'Partial Order Service Profile',
  11: 'CC',
  12: 'CC.NEW',
  13: 'CC.ECHO',
  14: 'TCP Alternate Checksum Request',
  15: 'TCP Alternate Checksum Data',
  16: 'Skeeter',
  17: 'Bubba',
  18: 'Trailer Checksum Option',
  19: 'MD5 Signature Option',
  20: 'SCPS Capabilities',
  21: 'Selective Negative Acknowledgements',
  22: 'Record Boundaries',
  23: 'Corruption experienced',
  24: 'SNAP',
  25: 'Unassigned',
  26: 'TCP Compression Filter',
  27: 'Quick-Start Response',
  28: 'User Timeout Option',
  29: 'The TCP Authentication Option',
  30: 'Multipath TCP',
  34: 'TCP Fast Open Cookie',
  76: 'Riverbed Probe',
  78: 'Riverbed Transparency',
  172: 'Accurate ECN Order 0',
  174: 'Accurate ECN Order 1',
  253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
};

const QS_RATES: Record<number, string> = {
  0: '0 bit/s',
  1: '80 Kbit/s',
  2: '160 Kbit/s',
  3: '320 Kbit/s',
  4: '640 Kbit/s',
  5: '1.28 Mbit/s',
  6: '2.56 Mbit/s',
  7: '5.12 Mbit/s',
  8: '10.24 Mbit/s',
  9: '20.48 Mbit/s',
  10: '40.96 Mbit/s',
  11: '81.92 Mbit/s',
  12: '163.84 Mbit/s',
  13: '327.68 Mbit/s',
  14: '655.36 Mbit/s',
  15: '1.31072 Gbit/s',
};

const flagBit = (abbrev: string, name: string, mask: number): Parameters<typeof fields>[0][string] => ({
  abbrev,
  name,
  type: 'bool',
  bits: 12,
  mask,
});
const none = (abbrev: string, name: string) => ({ abbrev, name, type: 'none' as const });

export const hf = fields({
  srcport: { abbrev: 'tcp.srcport', name: 'Source Port', type: 'uint', bits: 16 },
  dstport: { abbrev: 'tcp.dstport', name: 'Destination Port', type: 'uint', bits: 16 },
  port: { abbrev: 'tcp.port', name: 'Source or Destination Port', type: 'uint', bits: 16 },
  stream: { abbrev: 'tcp.stream', name: 'Stream index', type: 'uint', bits: 32 },
  completeness: { abbrev: 'tcp.completeness', name: 'Conversation completeness', type: 'uint', bits: 8 },
  len: { abbrev: 'tcp.len', name: 'TCP Segment Len', type: 'uint', bits: 32 },
  seq: { abbrev: 'tcp.seq', name: 'Sequence Number', type: 'uint', bits: 32 },
  seq_raw: { abbrev: 'tcp.seq_raw', name: 'Sequence Number (raw)', type: 'uint', bits: 32 },
  nxtseq: { abbrev: 'tcp.nxtseq', name: 'Next Sequence Number', type: 'uint', bits: 32 },
  ack: { abbrev: 'tcp.ack', name: 'Acknowledgment Number', type: 'uint', bits: 32 },
  ack_raw: { abbrev: 'tcp.ack_raw', name: 'Acknowledgment number (raw)', type: 'uint', bits: 32 },
  hdr_len: { abbrev: 'tcp.hdr_len', name: 'Header Length', type: 'uint', bits: 8 },
  flags: { abbrev: 'tcp.flags', name: 'Flags', type: 'uint', bits: 16, mask: 0x0fff, base: 'hex' },
  flags_res: flagBit('tcp.flags.res', 'Reserved', 0xe00),
  flags_ae: flagBit('tcp.flags.ae', 'Accurate ECN', 0x100),
  flags_cwr: flagBit('tcp.flags.cwr', 'Congestion Window Reduced', 0x080),
  flags_ece: flagBit('tcp.flags.ece', 'ECN-Echo', 0x040),
  flags_urg: flagBit('tcp.flags.urg', 'Urgent', 0x020),
  flags_ack: flagBit('tcp.flags.ack', 'Acknowledgment', 0x010),
  flags_push: flagBit('tcp.flags.push', 'Push', 0x008),
  flags_reset: flagBit('tcp.flags.reset', 'Reset', 0x004),
  flags_syn: flagBit('tcp.flags.syn', 'Syn', 0x002),
  flags_fin: flagBit('tcp.flags.fin', 'Fin', 0x001),
  flags_str: { abbrev: 'tcp.flags.str', name: 'TCP Flags', type: 'string' },
  window_size_value: { abbrev: 'tcp.window_size_value', name: 'Window', type: 'uint', bits: 16 },
  window_size: { abbrev: 'tcp.window_size', name: 'Calculated window size', type: 'uint', bits: 32 },
  window_size_scalefactor: {
    abbrev: 'tcp.window_size_scalefactor',
    name: 'Window size scaling factor',
    type: 'int',
    bits: 32,
  },
  checksum: { abbrev: 'tcp.checksum', name: 'Checksum', type: 'uint', bits: 16, base: 'hex' },
  checksum_status: { abbrev: 'tcp.checksum.status', name: 'Checksum Status', type: 'uint', bits: 8, values: CHECKSUM_STATUS, base: 'none' },
  checksum_calculated: { abbrev: 'tcp.checksum_calculated', name: 'Calculated Checksum', type: 'uint', bits: 16, base: 'hex' },
  urgent_pointer: { abbrev: 'tcp.urgent_pointer', name: 'Urgent Pointer', type: 'uint', bits: 16 },
  options: { abbrev: 'tcp.options', name: 'TCP Options', type: 'bytes' },
  option_kind: { abbrev: 'tcp.option_kind', name: 'Kind', type: 'uint', bits: 8, values: OPTION_KINDS },
  option_len: { abbrev: 'tcp.option_len', name: 'Length', type: 'uint', bits: 8 },
  mss_val: { abbrev: 'tcp.options.mss_val', name: 'MSS Value', type: 'uint', bits: 16 },
  wscale_shift: { abbrev: 'tcp.options.wscale.shift', name: 'Shift count', type: 'uint', bits: 8 },
  wscale_multiplier: { abbrev: 'tcp.options.wscale.multiplier', name: 'Multiplier', type: 'uint', bits: 16 },
  sack_le: { abbrev: 'tcp.options.sack_le', name: 'TCP SACK Left Edge', type: 'uint', bits: 32 },
  sack_re: { abbrev: 'tcp.options.sack_re', name: 'TCP SACK Right Edge', type: 'uint', bits: 32 },
  sack_count: { abbrev: 'tcp.options.sack.count', name: 'TCP SACK Count', type: 'uint', bits: 8 },
  dsack_le: { abbrev: 'tcp.options.sack.dsack_le', name: 'TCP D-SACK Left Edge', type: 'uint', bits: 32 },
  dsack_re: { abbrev: 'tcp.options.sack.dsack_re', name: 'TCP D-SACK Right Edge', type: 'uint', bits: 32 },
  tsval: { abbrev: 'tcp.options.timestamp.tsval', name: 'Timestamp value', type: 'uint', bits: 32 },
  tsecr: { abbrev: 'tcp.options.timestamp.tsecr', name: 'Timestamp echo reply', type: 'uint', bits: 32 },
  echo_value: { abbrev: 'tcp.options.echo_value', name: 'TCP Echo Option', type: 'uint', bits: 32 },
  cc_value: { abbrev: 'tcp.options.cc_value', name: 'TCP CC Option', type: 'uint', bits: 32 },
  md5_digest: { abbrev: 'tcp.options.md5.digest', name: 'MD5 digest', type: 'bytes' },
  user_to_granularity: {
    abbrev: 'tcp.options.user_to_granularity',
    name: 'Granularity',
    type: 'bool',
    bits: 16,
    mask: 0x8000,
    tf: ['Minutes', 'Seconds'],
  },
  user_to_val: { abbrev: 'tcp.options.user_to_val', name: 'User Timeout', type: 'uint', bits: 16, mask: 0x7fff },
  tfo_request: none('tcp.options.tfo.request', 'Fast Open Cookie Request'),
  tfo_cookie: { abbrev: 'tcp.options.tfo.cookie', name: 'Fast Open Cookie', type: 'bytes' },
  exp_exid: {
    abbrev: 'tcp.options.experimental.exid',
    name: 'Experiment Identifier',
    type: 'uint',
    bits: 16,
    base: 'hex',
    values: { 0xf989: 'Fast Open' },
  },
  exp_data: { abbrev: 'tcp.options.experimental.data', name: 'Data', type: 'bytes' },
  unknown_payload: { abbrev: 'tcp.options.unknown.payload', name: 'Payload', type: 'bytes' },
  ao_keyid: { abbrev: 'tcp.options.ao.keyid', name: 'AO KeyID', type: 'uint', bits: 8 },
  ao_rnextkeyid: { abbrev: 'tcp.options.ao.rnextkeyid', name: 'AO RNextKeyID', type: 'uint', bits: 8 },
  ao_mac: { abbrev: 'tcp.options.ao.mac', name: 'AO MAC', type: 'bytes' },
  qs_rate: { abbrev: 'tcp.options.qs.rate', name: 'QS Rate', type: 'uint', bits: 8, mask: 0x0f, values: QS_RATES },
  qs_ttl_diff: { abbrev: 'tcp.options.qs.ttl_diff', name: 'QS Rate', type: 'uint', bits: 8 },
  payload: { abbrev: 'tcp.payload', name: 'TCP payload', type: 'bytes' },
  segment_data: { abbrev: 'tcp.segment_data', name: 'TCP segment data', type: 'bytes' },
  reset_cause: { abbrev: 'tcp.reset_cause', name: 'Reset cause', type: 'string' },
  reassembled_in: { abbrev: 'tcp.reassembled_in', name: 'Reassembled PDU in frame', type: 'framenum' },
  segments: none('tcp.segments', 'Reassembled TCP Segments'),
  segment: { abbrev: 'tcp.segment', name: 'TCP Segment', type: 'framenum' },
  segment_count: { abbrev: 'tcp.segment.count', name: 'Segment count', type: 'uint', bits: 32 },
  reassembled_length: { abbrev: 'tcp.reassembled.length', name: 'Reassembled TCP length', type: 'uint', bits: 32 },
  reassembled_data: { abbrev: 'tcp.reassembled.data', name: 'Reassembled TCP Data', type: 'bytes' },
  segment_overlap: { abbrev: 'tcp.segment.overlap', name: 'Segment overlap', type: 'bool', tf: ['True', 'False'] },
  segment_overlap_conflict: {
    abbrev: 'tcp.segment.overlap.conflict',
    name: 'Conflicting data in segment overlap',
    type: 'bool',
    tf: ['True', 'False'],
  },
  segment_multipletails: { abbrev: 'tcp.segment.multipletails', name: 'Multiple tail segments found', type: 'bool', tf: ['True', 'False'] },
  segment_toolong: { abbrev: 'tcp.segment.toolongfragment', name: 'Segment too long', type: 'bool', tf: ['True', 'False'] },
  segment_error: { abbrev: 'tcp.segment.error', name: 'Reassembling error', type: 'framenum' },
  pdu_size: { abbrev: 'tcp.pdu.size', name: 'PDU Size', type: 'uint', bits: 32 },
  pdu_time: { abbrev: 'tcp.pdu.time', name: 'Time until the last segment of this PDU', type: 'time_rel' },
  pdu_last_frame: { abbrev: 'tcp.pdu.last_frame', name: 'Last frame of this PDU', type: 'framenum' },
  continuation_to: { abbrev: 'tcp.continuation_to', name: 'This is a continuation to the PDU in frame', type: 'framenum' },
  fin_retransmission: { abbrev: 'tcp.fin_retransmission', name: 'Retransmission of FIN from frame', type: 'framenum' },
  time_relative: { abbrev: 'tcp.time_relative', name: 'Time since first frame in this TCP stream', type: 'time_rel' },
  time_delta: { abbrev: 'tcp.time_delta', name: 'Time since previous frame in this TCP stream', type: 'time_rel' },
  analysis: none('tcp.analysis', 'SEQ/ACK analysis'),
  analysis_flags: none('tcp.analysis.flags', 'TCP Analysis Flags'),
  acks_frame: { abbrev: 'tcp.analysis.acks_frame', name: 'This is an ACK to the segment in frame', type: 'framenum' },
  ack_rtt: { abbrev: 'tcp.analysis.ack_rtt', name: 'The RTT to ACK the segment was', type: 'time_rel' },
  initial_rtt: { abbrev: 'tcp.analysis.initial_rtt', name: 'iRTT', type: 'time_rel' },
  bytes_in_flight: { abbrev: 'tcp.analysis.bytes_in_flight', name: 'Bytes in flight', type: 'uint', bits: 32 },
  push_bytes_sent: { abbrev: 'tcp.analysis.push_bytes_sent', name: 'Bytes sent since last PSH flag', type: 'uint', bits: 32 },
  rto: { abbrev: 'tcp.analysis.rto', name: 'The RTO for this segment was', type: 'time_rel' },
  rto_frame: { abbrev: 'tcp.analysis.rto_frame', name: 'RTO based on delta from frame', type: 'framenum' },
  duplicate_ack: none('tcp.analysis.duplicate_ack', 'Duplicate ACK'),
  duplicate_ack_num: { abbrev: 'tcp.analysis.duplicate_ack_num', name: 'Duplicate ACK #', type: 'uint', bits: 32 },
  duplicate_ack_frame: { abbrev: 'tcp.analysis.duplicate_ack_frame', name: 'Duplicate to the ACK in frame', type: 'framenum' },
  // expert infos (filterable)
  retransmission: none('tcp.analysis.retransmission', 'This frame is a (suspected) retransmission'),
  fast_retransmission: none('tcp.analysis.fast_retransmission', 'This frame is a (suspected) fast retransmission'),
  spurious_retransmission: none('tcp.analysis.spurious_retransmission', 'This frame is a (suspected) spurious retransmission'),
  out_of_order: none('tcp.analysis.out_of_order', 'This frame is a (suspected) out-of-order segment'),
  reused_ports: none(
    'tcp.analysis.reused_ports',
    'A new tcp session is started with the same ports as an earlier session in this trace',
  ),
  lost_segment: none('tcp.analysis.lost_segment', 'Previous segment(s) not captured (common at capture start)'),
  ack_lost_segment: none('tcp.analysis.ack_lost_segment', "ACKed segment that wasn't captured (common at capture start)"),
  window_update: none('tcp.analysis.window_update', 'TCP window update'),
  window_full: none('tcp.analysis.window_full', 'TCP window specified by the receiver is now completely full'),
  keep_alive: none('tcp.analysis.keep_alive', 'TCP keep-alive segment'),
  keep_alive_ack: none('tcp.analysis.keep_alive_ack', 'ACK to a TCP keep-alive segment'),
  zero_window_probe: none('tcp.analysis.zero_window_probe', 'TCP Zero Window Probe'),
  zero_window: none('tcp.analysis.zero_window', 'TCP Zero Window segment'),
  zero_window_probe_ack: none('tcp.analysis.zero_window_probe_ack', 'ACK to a TCP Zero Window Probe'),
  connection_syn: none('tcp.connection.syn', 'Connection establish request (SYN)'),
  connection_synack: none('tcp.connection.synack', 'Connection establish acknowledge (SYN+ACK)'),
  connection_fin: none('tcp.connection.fin', 'Connection finish (FIN)'),
  connection_rst: none('tcp.connection.rst', 'Connection reset (RST)'),
  fin_active: none('tcp.connection.fin_active', 'This frame initiates the connection closing'),
  fin_passive: none('tcp.connection.fin_passive', 'This frame undergoes the connection closing'),
  checksum_bad: none('tcp.checksum_bad.expert', 'Bad checksum'),
  ack_nonzero: none('tcp.ack.nonzero', 'The acknowledgment number field is nonzero while the ACK flag is not set'),
  urgent_nonzero: none('tcp.urgent_pointer.non_zero', 'The urgent pointer field is nonzero while the URG flag is not set'),
  wscale_invalid: none('tcp.options.wscale.shift.invalid', 'Window scale shift exceeds 14'),
  mss_absent: none('tcp.options.mss.absent', 'The SYN packet does not contain a MSS option'),
  mss_present: none('tcp.options.mss.present', 'The non-SYN packet does contain a MSS option'),
  short_segment: none('tcp.short_segment', 'Short segment'),
  bogus_header_length: none('tcp.bogus_header_length', 'Bogus TCP header length'),
  nop4: none('tcp.nop', '4 NOP in a row - a router may have removed some options'),
  option_len_invalid: none('tcp.option.len.invalid', 'Invalid length for option'),
  eol_padding: none('tcp.non_zero_bytes_after_eol', 'Non zero bytes in option space after EOL option'),
  suboption_malformed: none('tcp.suboption_malformed', 'suboption would go past end of option'),
  dsack: none('tcp.options.sack.dsack', 'D-SACK Sequence'),
  reassembly_error: none('tcp.reassembly_error', 'Reassembly error'),
});

/** The option protocols (each option is a small protocol item in Wireshark). */
const opt = {
  nop: protocol('tcp.options.nop', 'TCP Option - No-Operation (NOP)'),
  eol: protocol('tcp.options.eol', 'TCP Option - End of Option List (EOL)'),
  mss: protocol('tcp.options.mss', 'TCP Option - Maximum segment size'),
  wscale: protocol('tcp.options.wscale', 'TCP Option - Window scale'),
  sack_perm: protocol('tcp.options.sack_perm', 'TCP Option - SACK permitted'),
  sack: protocol('tcp.options.sack', 'TCP Option - SACK'),
  timestamp: protocol('tcp.options.timestamp', 'TCP Option - Timestamps'),
  echo: protocol('tcp.options.echo', 'TCP Option - Echo'),
  echoreply: protocol('tcp.options.echoreply', 'TCP Option - Echo reply'),
  cc: protocol('tcp.options.cc', 'TCP Option - CC'),
  ccnew: protocol('tcp.options.ccnew', 'TCP Option - CC.NEW'),
  ccecho: protocol('tcp.options.ccecho', 'TCP Option - CC.ECHO'),
  md5: protocol('tcp.options.md5', 'TCP Option - TCP MD5 signature'),
  scps: protocol('tcp.options.scps', 'TCP Option - SCPS capabilities'),
  snack: protocol('tcp.options.snack', 'TCP Option - Selective Negative Acknowledgment'),
  scpsrec: protocol('tcp.options.scpsrec', 'TCP Option - SCPS record boundary'),
  scpscor: protocol('tcp.options.scpscor', 'TCP Option - SCPS corruption experienced'),
  qs: protocol('tcp.options.qs', 'TCP Option - Quick-Start'),
  user_to: protocol('tcp.options.user_to', 'TCP Option - User Timeout'),
  ao: protocol('tcp.options.ao', 'TCP Option - TCP AO'),
  tfo: protocol('tcp.options.tfo', 'TCP Option - TCP Fast Open'),
  acc_ecn: protocol('tcp.options.acc_ecn', 'TCP Option - Accurate ECN'),
  rvbd_probe: protocol('tcp.options.rvbd.probe', 'TCP Option - Riverbed Probe'),
  rvbd_trpy: protocol('tcp.options.rvbd.trpy', 'TCP Option - Riverbed Transparency'),
  experimental: protocol('tcp.options.experimental', 'TCP Option - Experimental'),
  unknown: protocol('tcp.options.unknown', 'TCP Option - Unknown'),
};

/** Per kind: the option protocol, its short name (listed in the Options line) and its fixed length (0 = any). */
const OPTIONS: Record<number, [FieldDef, string, number]> = {
  0: [opt.eol, 'End of Option List (EOL)', 1],
  1: [opt.nop, 'No-Operation (NOP)', 1],
  2: [opt.mss, 'Maximum segment size', 4],
  3: [opt.wscale, 'Window scale', 3],
  4: [opt.sack_perm, 'SACK permitted', 2],
  5: [opt.sack, 'SACK', 0],
  6: [opt.echo, 'Echo', 6],
  7: [opt.echoreply, 'Echo reply', 6],
  8: [opt.timestamp, 'Timestamps', 10],
  11: [opt.cc, 'CC', 6],
  12: [opt.ccnew, 'CC.NEW', 6],
  13: [opt.ccecho, 'CC.ECHO', 6],
  19: [opt.md5, 'TCP MD5 signature', 18],
  20: [opt.scps, 'SCPS capabilities', 0],
  21: [opt.snack, 'Selective Negative Acknowledgment', 0],
  22: [opt.scpsrec, 'SCPS record boundary', 0],
  23: [opt.scpscor, 'SCPS corruption experienced', 0],
  27: [opt.qs, 'Quick-Start', 8],
  28: [opt.user_to, 'User Timeout', 4],
  29: [opt.ao, 'TCP AO', 0],
  34: [opt.tfo, 'TCP Fast Open', 0],
  76: [opt.rvbd_probe, 'Riverbed Probe', 0],
  78: [opt.rvbd_trpy, 'Riverbed Transparency', 0],
  172: [opt.acc_ecn, 'Accurate ECN', 0],
  174: [opt.acc_ecn, 'Accurate ECN', 0],
  253: [opt.experimental, 'Experimental', 0],
  254: [opt.experimental, 'Experimental', 0],
};

// TCP header flag bits
const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;
const TH_URG = 0x20;
const TH_RES = 0xe00;

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];
const FLAG_LETTERS = 'RRRACEUAPRSF';

const FLAGS_TEXT: string[] = [];

/** "SYN, ACK" as Wireshark lists the set flags. */
export function tcpFlagsText(flags: number): string {
  const cached = FLAGS_TEXT[flags];
  if (cached !== undefined) return cached;
  let s = '';
  for (let i = 0; i < 9; i++) if (flags & (1 << i)) s += (s ? ', ' : '') + FLAG_NAMES[i];
  if (flags & TH_RES) s += (s ? ', ' : '') + 'Reserved';
  return (FLAGS_TEXT[flags] = s || '<None>');
}

/** The 12-character flag picture, "·······AP···". */
export function tcpFlagsLetters(flags: number): string {
  let s = '';
  for (let i = 11; i >= 0; i--) s += flags & (1 << i) ? FLAG_LETTERS[11 - i] : '\u00b7';
  return s;
}

// Conversation completeness bits
const C_SYN = 1;
const C_SYNACK = 2;
const C_ACK = 4;
const C_DATA = 8;
const C_FIN = 16;
const C_RST = 32;

function completenessText(v: number): string {
  let s: string;
  switch (v) {
    case C_SYN:
      s = 'Incomplete, SYN_SENT';
      break;
    case C_SYN | C_SYNACK:
      s = 'Incomplete, CLIENT_ESTABLISHED';
      break;
    case C_SYN | C_SYNACK | C_ACK:
      s = 'Incomplete, ESTABLISHED';
      break;
    case C_SYN | C_SYNACK | C_ACK | C_DATA:
      s = 'Incomplete, DATA';
      break;
    case C_SYN | C_SYNACK | C_ACK | C_DATA | C_FIN:
    case C_SYN | C_SYNACK | C_ACK | C_DATA | C_RST:
    case C_SYN | C_SYNACK | C_ACK | C_DATA | C_FIN | C_RST:
      s = 'Complete, WITH_DATA';
      break;
    case C_SYN | C_SYNACK | C_ACK | C_FIN:
    case C_SYN | C_SYNACK | C_ACK | C_RST:
    case C_SYN | C_SYNACK | C_ACK | C_FIN | C_RST:
      s = 'Complete, NO_DATA';
      break;
    default:
      s = 'Incomplete';
  }
  return `Conversation completeness: ${s} (${v})`;
}

// ---------------------------------------------------------------------------------------------
// Expert infos laid out as tshark prints them

const SEV_NAME: Record<Severity, string> = { comment: 'Comment', chat: 'Chat', note: 'Note', warn: 'Warning', error: 'Error' };
const GROUP_INFO: Record<ExpertGroup, [number, string]> = {
  checksum: [0x01000000, 'Checksum'],
  sequence: [0x02000000, 'Sequence'],
  response: [0x03000000, 'Response code'],
  request: [0x04000000, 'Request code'],
  undecoded: [0x05000000, 'Undecoded'],
  reassemble: [0x06000000, 'Reassemble'],
  malformed: [0x07000000, 'Malformed'],
  protocol: [0x09000000, 'Protocol'],
  security: [0x0a000000, 'Security'],
  comment: [0x0b000000, 'Comment'],
  deprecated: [0x0e000000, 'Deprecated'],
};

/**
 * An expert info under `at`: "[Expert Info (Sev/Group): msg]" with the message (as the filterable field
 * `f`), the severity and the group below it.
 */
function expert(pkt: Packet, at: Item | null, sev: Severity, group: ExpertGroup, msg: string, f: FieldDef): void {
  pkt.experts.push({ severity: sev, group, message: msg, abbrev: f.abbrev });
  if (pkt.keep === 'none') return;
  const g = GROUP_INFO[group];
  const head = pkt.add(at, EXPERT, null, 0, 0, undefined, pkt.tree ? `Expert Info (${SEV_NAME[sev]}/${g[1]}): ${msg}` : undefined, GENERATED);
  pkt.add(head, EXPERT_MESSAGE, null, 0, 0, msg, undefined, HIDDEN | GENERATED);
  pkt.add(head, f, null, 0, 0, undefined, msg, GENERATED);
  pkt.add(head, EXPERT_SEVERITY, null, 0, 0, SEVERITY_VALUE[sev], `Severity level: ${SEV_NAME[sev]}`, GENERATED);
  pkt.add(head, EXPERT_GROUP, null, 0, 0, g[0], `Group: ${g[1]}`, GENERATED);
}

/** A text line carrying an expert info (Wireshark's proto_tree_add_expert_format). */
function expertText(pkt: Packet, parent: Item | null, tvb: Tvb | null, off: number, len: number, sev: Severity, group: ExpertGroup, msg: string, f: FieldDef): void {
  const t = pkt.text(parent, tvb, off, len, msg);
  expert(pkt, t, sev, group, msg, f);
}

/** Prepend to the Info column and keep the prefix behind the fence (Wireshark's col_prepend_fence_fstr). */
function infoPrependFence(pkt: Packet, s: string): void {
  const c = pkt.info;
  c.text = s + c.text;
  c.fence = c.fence > 0 ? c.fence + s.length : s.length;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

// ---------------------------------------------------------------------------------------------
// Per-frame context passed between the pieces of one TCP dissection (one object per packet layer).

interface Ctx {
  pkt: Packet;
  tvb: Tvb;
  top: Item;
  /** the tree TCP was given (reassembled segment trees and payload protocols go there) */
  parent: Item | null;
  st: TcpState;
  conv: Conv | null;
  fwd: Flow | null;
  rev: Flow | null;
  sport: number;
  dport: number;
  flags: number;
  /** analysis flags of this frame */
  af: number;
  /** relative (or raw) sequence number of this segment and of the next byte after it */
  seq: number;
  nxtseq: number;
  inError: boolean;
  /** relative (or raw) acknowledgment number */
  ackRel: number;
  /** columns may be written (not inside an ICMP error) */
  cols: boolean;
  /** an MSS option was seen */
  sawMss: boolean;
  /** a SACK option was seen */
  sackSeen: boolean;
  /** an option ran past its data: the frame is reported malformed once the header is shown */
  malformed: boolean;
}

// ---------------------------------------------------------------------------------------------
// Options

function optionName(kind: number): string {
  return OPTIONS[kind]?.[1] ?? `Unknown (0x${kind.toString(16).padStart(2, '0')})`;
}

/** Thrown by an option that runs past its data: the options end there, the rest of the header is still shown. */
const OPTIONS_ABORTED = new Error('TCP option past its data');

/** Dissect the option area [20, hlen) of the header. */
function dissectOptions(c: Ctx, optItem: Item, hlen: number): void {
  try {
    optionLoop(c, optItem, hlen);
  } catch (e) {
    if (e !== OPTIONS_ABORTED) throw e;
  }
}

function optionLoop(c: Ctx, optItem: Item, hlen: number): void {
  const { pkt, tvb } = c;
  let off = 20;
  let afterEol = false;
  let nopRun = 0;
  let nopRunStart = 0;
  let nopWarned = false;
  while (off < hlen) {
    const kind = tvb.u8(off);
    if (afterEol && kind !== 0) {
      expertText(pkt, optItem, tvb, off, hlen - off, 'error', 'protocol', 'Non-zero header padding', hf.eol_padding);
      return;
    }
    let len: number;
    if (kind === 0 || kind === 1) {
      len = 1;
    } else {
      const name = optionName(kind);
      if (off + 1 >= hlen) {
        expertText(pkt, optItem, tvb, off, 1, 'note', 'sequence', `${name} (length byte past end of options)`, hf.option_len_invalid);
        return;
      }
      len = tvb.u8(off + 1);
      if (len < 2) {
        expertText(
          pkt,
          optItem,
          tvb,
          off,
          2,
          'note',
          'sequence',
          `${name} (with too-short option length = ${len} byte${plural(len, '', 's')})`,
          hf.option_len_invalid,
        );
        return;
      }
      if (off + len > hlen) {
        expertText(
          pkt,
          optItem,
          tvb,
          off,
          hlen - off - 1,
          'note',
          'sequence',
          `${name} (option length = ${len} byte${plural(len, '', 's')} says option goes past end of options)`,
          hf.option_len_invalid,
        );
        return;
      }
    }
    if (kind === 1) {
      if (nopRun === 0) nopRunStart = off - 20;
      nopRun++;
      // Wireshark warns once when an aligned run of NOPs reaches four
      if (nopRun === 4 && nopRunStart % 4 === 0 && !nopWarned) {
        nopWarned = true;
        expert(pkt, optItem, 'warn', 'protocol', '4 NOP in a row - a router may have removed some options', hf.nop4);
      }
    } else nopRun = 0;
    dissectOption(c, optItem, kind, off, len);
    if (pkt.tree && optItem !== NO_ITEM) optItem.text += `, ${optionName(kind)}`;
    if (kind === 0) afterEol = true;
    off += len;
  }
  if (c.flags & TH_SYN && !c.sawMss) {
    expert(pkt, optItem, 'note', 'protocol', 'The SYN packet does not contain a MSS option', hf.mss_absent);
  }
}

/** Kind and Length items; returns the Length item (or null for one-byte options). */
function kindLen(pkt: Packet, it: Item, tvb: Tvb, off: number, len: number): Item | null {
  const kind = tvb.u8(off);
  pkt.item(it, hf.option_kind, tvb, off, 1, pkt.tree && !(kind in OPTION_KINDS) ? `Kind: Unknown (${kind})` : undefined);
  if (len > 1) return pkt.item(it, hf.option_len, tvb, off + 1, 1);
  return null;
}

/** Wireshark's check of a fixed option length: a note on the Length item when it is wrong. */
function lenOk(pkt: Packet, lenItem: Item | null, len: number, want: number): boolean {
  if (len === want) return true;
  expert(pkt, lenItem, 'note', 'sequence', `option length should be ${want}`, hf.option_len_invalid);
  return false;
}

/**
 * The common options when no tree is kept: only what they do to the columns and the analysis state.
 * Returns false for anything else (then the full dissection runs).
 */
function optionFast(c: Ctx, kind: number, off: number, len: number): boolean {
  const { pkt, tvb } = c;
  const info = c.cols ? pkt.info : null;
  switch (kind) {
    case 0:
    case 1:
      return true;
    case 2:
      if (len !== 4 || !(c.flags & TH_SYN)) return false;
      c.sawMss = true;
      info?.append(` MSS=${tvb.u16(off + 2)}`);
      return true;
    case 3: {
      if (len !== 3) return false;
      const shift = Math.min(tvb.u8(off + 2), 14);
      info?.append(` WS=${2 ** shift}`);
      if (c.fwd && pkt.firstPass && !c.inError) c.fwd.winScale = shift;
      return true;
    }
    case 4:
      if (len !== 2) return false;
      info?.append(' SACK_PERM');
      return true;
    case 8:
      if (len !== 10) return false;
      info?.append(` TSval=${tvb.u32(off + 2)} TSecr=${tvb.u32(off + 6)}`);
      return true;
    default:
      return false;
  }
}

function dissectOption(c: Ctx, parent: Item, kind: number, off: number, len: number): void {
  const { pkt, tvb } = c;
  if (pkt.keep === 'none' && optionFast(c, kind, off, len)) return;
  const def = OPTIONS[kind];
  const f = def ? def[0] : opt.unknown;
  const bytes = tvb.slice(off, len);
  const it = pkt.add(parent, f, tvb, off, len, bytes, pkt.tree ? f.name : undefined);
  const info = c.cols ? pkt.info : null;
  switch (kind) {
    case 0:
    case 1:
      kindLen(pkt, it, tvb, off, 1);
      return;
    case 2: {
      c.sawMss = true;
      if (!(c.flags & TH_SYN)) expert(pkt, it, 'warn', 'protocol', 'The non-SYN packet does contain a MSS option', hf.mss_present);
      const l = kindLen(pkt, it, tvb, off, len);
      if (!lenOk(pkt, l, len, 4)) return;
      const mss = tvb.u16(off + 2);
      pkt.item(it, hf.mss_val, tvb, off + 2, 2);
      if (pkt.tree) it.text += `: ${mss} bytes`;
      info?.append(` MSS=${mss}`);
      return;
    }
    case 3: {
      const l = kindLen(pkt, it, tvb, off, len);
      if (!lenOk(pkt, l, len, 3)) return;
      let shift = tvb.u8(off + 2);
      const si = pkt.item(it, hf.wscale_shift, tvb, off + 2, 1);
      if (shift > 14) {
        expert(pkt, si, 'warn', 'protocol', 'Window scale shift exceeds 14', hf.wscale_invalid);
      }
      const shown = shift;
      if (shift > 14) shift = 14;
      const mult = 2 ** shift;
      pkt.gen(it, hf.wscale_multiplier, mult);
      if (pkt.tree) it.text += `: ${shown} (multiply by ${mult})`;
      info?.append(` WS=${mult}`);
      if (c.fwd && pkt.firstPass && !c.inError) c.fwd.winScale = shift;
      return;
    }
    case 4: {
      const l = kindLen(pkt, it, tvb, off, len);
      if (!lenOk(pkt, l, len, 2)) return;
      info?.append(' SACK_PERM');
      return;
    }
    case 5:
      dissectSack(c, it, off, len);
      return;
    case 6:
    case 7: {
      const l = kindLen(pkt, it, tvb, off, len);
      if (!lenOk(pkt, l, len, 6)) return;
      const v = tvb.u32(off + 2);
      pkt.item(it, hf.echo_value, tvb, off + 2, 4);
      if (pkt.tree) it.text = `${opt.echo.name}: ${v}`;
      info?.append(` ECHO=${v}`);
      return;
    }
    case 8: {
      const l = kindLen(pkt, it, tvb, off, len);
      if (!lenOk(pkt, l, len, 10)) return;
      const tsval = tvb.u32(off + 2);
      const tsecr = tvb.u32(off + 6);
      pkt.item(it, hf.tsval, tvb, off + 2, 4);
      pkt.item(it, hf.tsecr, tvb, off + 6, 4);
      if (pkt.tree) it.text += `: TSval ${tsval}, TSecr ${tsecr}`;
      info?.append(` TSval=${tsval} TSecr=${tsecr}`);
      return;
    }
    case 11:
    case 12:
    case 13: {
      if (pkt.tree) it.text = opt.cc.name;
      const l = kindLen(pkt, it, tvb, off, len);
      if (!lenOk(pkt, l, len, 6)) return;
      const v = tvb.u32(off + 2);
      pkt.item(it, hf.cc_value, tvb, off + 2, 4);
      info?.append(` CC=${v}`);
      return;
    }
    case 19: {
      const l = kindLen(pkt, it, tvb, off, len);
      if (!lenOk(pkt, l, len, 18)) return;
      pkt.item(it, hf.md5_digest, tvb, off + 2, 16);
      info?.append(' MD5');
      return;
    }
    case 27: {
      const l = kindLen(pkt, it, tvb, off, len);
      if (!lenOk(pkt, l, len, 8)) return;
      const rate = tvb.u8(off + 2) & 0x0f;
      pkt.item(it, hf.qs_rate, tvb, off + 2, 1);
      pkt.item(it, hf.qs_ttl_diff, tvb, off + 3, 1);
      info?.append(` QSresp=${QS_RATES[rate]}`);
      return;
    }
    case 28: {
      const l = kindLen(pkt, it, tvb, off, len);
      if (!lenOk(pkt, l, len, 4)) return;
      pkt.item(it, hf.user_to_granularity, tvb, off + 2, 2);
      pkt.item(it, hf.user_to_val, tvb, off + 2, 2);
      info?.append(` USER_TO=${tvb.u16(off + 2) & 0x7fff}`);
      return;
    }
    case 29: {
      kindLen(pkt, it, tvb, off, len);
      if (len >= 3) pkt.item(it, hf.ao_keyid, tvb, off + 2, 1);
      if (len >= 4) pkt.item(it, hf.ao_rnextkeyid, tvb, off + 3, 1);
      if (len > 4) pkt.item(it, hf.ao_mac, tvb, off + 4, len - 4);
      // Wireshark appends this one without a separating space
      info?.append('TCP AO');
      return;
    }
    case 34: {
      kindLen(pkt, it, tvb, off, len);
      tfo(c, it, off + 2, len - 2);
      return;
    }
    case 253:
    case 254: {
      kindLen(pkt, it, tvb, off, len);
      if (len < 4) return;
      const exid = tvb.u16(off + 2);
      const known = exid === 0xf989;
      pkt.item(
        it,
        hf.exp_exid,
        tvb,
        off + 2,
        2,
        pkt.tree && !known ? `Experiment Identifier: Unknown (0x${exid.toString(16).padStart(4, '0')})` : undefined,
      );
      if (pkt.tree) it.text += known ? ': Fast Open' : ': Unknown';
      if (known) tfo(c, it, off + 4, len - 4);
      else {
        if (len > 4) pkt.item(it, hf.exp_data, tvb, off + 4, len - 4);
        info?.append(` ExID=${exid.toString(16)}`);
      }
      return;
    }
    default: {
      kindLen(pkt, it, tvb, off, len);
      if (len > 2) pkt.item(it, def ? hf.exp_data : hf.unknown_payload, tvb, off + 2, len - 2);
    }
  }
}

function tfo(c: Ctx, it: Item, off: number, len: number): void {
  const { pkt, tvb } = c;
  const info = c.cols ? pkt.info : null;
  if (len === 0) {
    pkt.add(it, hf.tfo_request, tvb, off, 0, undefined);
    info?.append(' TFO=R');
  } else {
    pkt.item(it, hf.tfo_cookie, tvb, off, len);
    info?.append(' TFO=C');
  }
}

function dissectSack(c: Ctx, it: Item, off: number, len: number): void {
  const { pkt, tvb } = c;
  kindLen(pkt, it, tvb, off, len);
  const relative = !!c.rev && pkt.session.prefs.tcpAnalyze && pkt.session.prefs.tcpRelativeSeq;
  const base = relative && c.rev!.baseSet ? c.rev!.baseSeq : 0;
  const rel = relative ? ' (relative)' : '';
  const info = c.cols ? pkt.info : null;
  let p = off + 2;
  let left = len - 2;
  let count = 0;
  let firstLe = -1;
  let firstRe = -1;
  let secondLe = -1;
  let secondRe = -1;
  while (left > 0) {
    if (left < 4) {
      expertText(pkt, it, tvb, p, left, 'error', 'malformed', 'suboption would go past end of option', hf.suboption_malformed);
      break;
    }
    const le = (tvb.u32(p) - base) >>> 0;
    pkt.add(it, hf.sack_le, tvb, p, 4, le, pkt.tree ? `left edge = ${le}${rel}` : undefined);
    left -= 4;
    if (left < 4) {
      expertText(pkt, it, tvb, p + 4, left, 'error', 'malformed', 'suboption would go past end of option', hf.suboption_malformed);
      if (count === 0) firstLe = le;
      break;
    }
    const re = (tvb.u32(p + 4) - base) >>> 0;
    pkt.add(it, hf.sack_re, tvb, p + 4, 4, re, pkt.tree ? `right edge = ${re}${rel}` : undefined);
    left -= 4;
    if (pkt.tree) it.text += ` ${le}-${re}`;
    info?.append(` SLE=${le} SRE=${re}`);
    if (count === 0) {
      firstLe = le;
      firstRe = re;
    } else if (count === 1) {
      secondLe = le;
      secondRe = re;
    }
    count++;
    p += 8;
  }
  pkt.gen(it, hf.sack_count, count);
  if (pkt.firstPass && c.fwd && !c.inError) {
    // remembered for the other side's bytes in flight
    const raw: number[] = [];
    for (let q = off + 2, k = 0; k < count; k++, q += 8) raw.push(tvb.u32(q), tvb.u32(q + 4));
    c.fwd.sack = raw;
    c.sackSeen = true;
  }
  // RFC 2883: the first block reports a duplicate if it lies at or below the ACK, or inside the second block
  if (firstLe >= 0 && c.flags & TH_ACK && c.rev) {
    const ack = c.ackRel;
    if (firstRe < 0) {
      // only a left edge: Wireshark reports it, then fails reading the right edge (reported after the timestamps)
      pkt.add(it, hf.dsack_le, tvb, off + 2, 4, firstLe, pkt.tree ? `D-SACK Left Edge = ${firstLe}${rel}` : undefined, GENERATED);
      c.malformed = true;
      throw OPTIONS_ABORTED;
    }
    const dup =
      !seqLT(ack, firstRe) || (count > 1 && !seqLT(firstLe, secondLe) && !seqLT(secondRe, firstRe));
    if (dup) {
      pkt.add(it, hf.dsack_le, tvb, off + 2, 4, firstLe, pkt.tree ? `D-SACK Left Edge = ${firstLe}${rel}` : undefined, GENERATED);
      pkt.add(it, hf.dsack_re, tvb, off + 6, 4, firstRe, pkt.tree ? `D-SACK Right Edge = ${firstRe}${rel}` : undefined, GENERATED);
      expertText(pkt, it, null, 0, 0, 'warn', 'sequence', 'D-SACK Sequence', hf.dsack);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Conversations

function addrKey(a: Uint8Array | number | undefined, fallback: string | undefined): string {
  if (typeof a === 'number') return a.toString(36);
  if (a instanceof Uint8Array) {
    let s = '';
    for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]!);
    return s;
  }
  return fallback ?? '';
}

/** Wireshark's cmp_address on the source and destination (sign only). */
function cmpAddr(a: Uint8Array | number | undefined, b: Uint8Array | number | undefined): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return a.length - b.length;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  }
  return 0;
}

/** Index of the flow (0/1) this packet travels in, as Wireshark picks flow1/flow2. */
function direction(pkt: Packet, sport: number, dport: number): 0 | 1 {
  let d = cmpAddr(pkt.p.srcAddr, pkt.p.dstAddr);
  if (d === 0) d = sport > dport ? 1 : -1;
  return d >= 0 ? 0 : 1;
}

function convKey(pkt: Packet, sport: number, dport: number): string {
  const a = addrKey(pkt.p.srcAddr, pkt.p.netSrc) + '/' + sport;
  const b = addrKey(pkt.p.dstAddr, pkt.p.netDst) + '/' + dport;
  return (pkt.p.ipVersion ?? '') + '|' + (a < b ? a + '|' + b : b + '|' + a);
}

/** The current conversation of these endpoints (IPv4 ones are kept in maps of numbers: cheaper than strings). */
function findConv(st: TcpState, pkt: Packet, sport: number, dport: number): Conv | undefined {
  const sa = pkt.p.srcAddr;
  const da = pkt.p.dstAddr;
  if (typeof sa === 'number' && typeof da === 'number') {
    // each endpoint as one exact 48-bit number
    const x = sa * 65536 + sport;
    const y = da * 65536 + dport;
    return st.convs4.get(x < y ? x : y)?.get(x < y ? y : x);
  }
  return st.convs.get(convKey(pkt, sport, dport));
}

function newConv(st: TcpState, pkt: Packet, sport: number, dport: number): Conv {
  const dir = direction(pkt, sport, dport);
  const conv = new Conv(st.streams.length, dir === 0 ? sport : dport, dir === 0 ? dport : sport, pkt.meta.tsSec, pkt.meta.tsNsec);
  st.streams.push(conv);
  const sa = pkt.p.srcAddr;
  const da = pkt.p.dstAddr;
  if (typeof sa === 'number' && typeof da === 'number') {
    const x = sa * 65536 + sport;
    const y = da * 65536 + dport;
    const lo = x < y ? x : y;
    let m = st.convs4.get(lo);
    if (!m) st.convs4.set(lo, (m = new Map()));
    m.set(x < y ? y : x, conv);
  } else st.convs.set(convKey(pkt, sport, dport), conv);
  return conv;
}

/** Nanoseconds of this frame since the second the conversation started (exact in a double). */
function frameTime(conv: Conv, pkt: Packet): number {
  return (pkt.meta.tsSec - conv.sec0) * 1e9 + pkt.meta.tsNsec;
}

// ---------------------------------------------------------------------------------------------
// The dissector

export function dissectTcp(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  const inError = !!pkt.p.inError;
  const cols = !inError;
  const prefs = pkt.session.prefs;
  const num = pkt.num;
  // no items are kept in the fast first pass: only state and columns are built then
  const build = pkt.keep !== 'none';
  if (cols) {
    pkt.protocolCol.set('TCP');
    pkt.info.clear();
  }
  const sport = tvb.u16(0);
  const dport = tvb.u16(2);
  const top = pkt.proto(parent, proto_tcp, tvb, 0, -1);
  if (pkt.tree) top.text = `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}`;
  if (build) {
    pkt.item(top, hf.srcport, tvb, 0, 2);
    pkt.item(top, hf.dstport, tvb, 2, 2);
    pkt.hidden(top, hf.port, tvb, 0, 2, sport);
    pkt.hidden(top, hf.port, tvb, 2, 2, dport);
  }
  pkt.p.srcPort = sport;
  pkt.p.dstPort = dport;
  if (cols) pkt.info.set(`${sport} \u2192 ${dport}`);

  const seqRaw = tvb.u32(4);
  const ackRaw = tvb.u32(8);
  const hlen = (tvb.u8(12) >> 4) * 4;
  const flags = tvb.u16(12) & 0x0fff;
  const winRaw = tvb.u16(14);
  if (inError) pkt.add(top, hf.seq, tvb, 4, 4, seqRaw);

  // The conversation (stream) of this segment.
  const st = tcpState(pkt.session);
  const fr = st.frames;
  fr.ensure(num);
  let conv: Conv;
  let ts = 0;
  let isNew = false;
  const dir = direction(pkt, sport, dport);
  if (pkt.firstPass) {
    let found = findConv(st, pkt, sport, dport);
    if (!found) {
      found = newConv(st, pkt, sport, dport);
      isNew = true;
    } else if (!inError && (flags & (TH_SYN | TH_ACK)) === TH_SYN) {
      const f = found.flows[dir];
      if (f.baseSet && seqRaw !== f.baseSeq) {
        // a SYN with another ISN on these ports: a new connection reusing them
        found = newConv(st, pkt, sport, dport);
        found.completeness = C_SYN;
        fr.aflags[num] = fr.aflags[num]! | AF.REUSED_PORTS;
        fr.bits[num] = fr.bits[num]! | FB.HAS_TA;
      }
    } else if (!inError && (flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK)) {
      const f = found.flows[dir];
      if (f.baseSet && seqRaw !== f.baseSeq) {
        // a SYN/ACK with another ISN: the same conversation starts over on this side
        f.baseSet = false;
        fr.aflags[num] = fr.aflags[num]! | AF.REUSED_PORTS;
        fr.bits[num] = fr.bits[num]! | FB.HAS_TA;
      }
    }
    conv = found;
    ts = frameTime(conv, pkt);
    fr.stream[num] = conv.stream + 1;
    fr.completeness[num] = conv.completeness;
    fr.timeDelta[num] = ts - conv.tsPrev;
    conv.tsPrev = ts;
  } else {
    conv = st.streams[fr.stream[num]! - 1]!;
    ts = frameTime(conv, pkt);
  }
  const fwd = conv.flows[dir];
  const rev = conv.flows[1 - dir]!;
  pkt.p.tcpStream = conv.stream;

  const comp = fr.completeness[num]!;
  if (build) {
    pkt.gen(top, hf.stream, conv.stream);
    pkt.gen(top, hf.completeness, comp, pkt.tree ? completenessText(comp) : undefined);
  }

  const c: Ctx = {
    pkt,
    tvb,
    top,
    parent,
    st,
    conv,
    fwd,
    rev,
    sport,
    dport,
    flags,
    af: 0,
    seq: seqRaw,
    nxtseq: 0,
    inError,
    ackRel: ackRaw,
    cols,
    sawMss: false,
    sackSeen: false,
    malformed: false,
  };

  // Segment length, and the analysis of the segment in its stream.
  const reported = tvb.reported;
  let haveSeglen = !inError && !pkt.p.fragmented;
  let seglen = 0;
  if (haveSeglen && reported < hlen) {
    expertText(
      pkt,
      top,
      tvb,
      0,
      0,
      'warn',
      'malformed',
      'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)',
      hf.short_segment,
    );
    haveSeglen = false;
  } else if (haveSeglen) {
    seglen = reported - hlen;
    if (build) pkt.add(top, hf.len, tvb, 12, 1, seglen, undefined, GENERATED);
  }
  let seq = seqRaw;
  let ack = ackRaw;
  const analyze = prefs.tcpAnalyze && haveSeglen;
  if (analyze) {
    if (pkt.firstPass) {
      // the handshake round trip: from the latest SYN to the first ACK after it
      if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) {
        conv.tsMruSyn = ts;
        conv.haveMruSyn = true;
      } else if ((flags & (TH_SYN | TH_ACK)) === TH_ACK && conv.haveMruSyn && conv.firstRtt === 0) {
        conv.firstRtt = ts - conv.tsMruSyn;
      }
      analyzeSegment(fr, conv, fwd, rev, num, ts, seqRaw, ackRaw, seglen, flags, winRaw);
      if (conv.firstRtt !== 0) fr.bits[num] = fr.bits[num]! | FB.IRTT_KNOWN;
      fr.bits[num] = fr.bits[num]! | FB.ANALYZED;
      fr.winScale[num] = fwd.winScale;
      if (prefs.tcpRelativeSeq) {
        seq = (seqRaw - fwd.baseSeq) >>> 0;
        if (flags & TH_ACK) ack = (ackRaw - rev.baseSeq) >>> 0;
      }
      fr.relSeq[num] = seq;
      fr.relAck[num] = ack;
    } else {
      seq = fr.relSeq[num]!;
      ack = fr.relAck[num]!;
    }
    c.af = fr.aflags[num]!;
  } else if (pkt.firstPass) {
    fr.winScale[num] = fwd.winScale;
    if (!inError) {
      // not analyzed, but the ISNs are still learnt (for SACK edges and later segments)
      setBaseSeq(fwd, rev, seqRaw, ackRaw, flags);
    }
  }
  c.seq = seq;
  c.ackRel = ack;

  // The window as the sender means it: scaled unless this is a SYN.
  const scale = fr.winScale[num]!;
  let win = winRaw;
  if (haveSeglen && !(flags & TH_SYN) && scale >= 0) win = winRaw << scale;

  if (cols) {
    let s = ` [${tcpFlagsText(flags)}] Seq=${seq}`;
    if (flags & TH_ACK) s += ` Ack=${ack}`;
    s += ` Win=${win}`;
    pkt.info.append(s);
  }

  if (!inError && build) {
    const rel = prefs.tcpRelativeSeq && prefs.tcpAnalyze;
    pkt.add(top, hf.seq, tvb, 4, 4, seq, pkt.tree ? `Sequence Number: ${seq}${rel ? '    (relative sequence number)' : ''}` : undefined);
    pkt.add(top, hf.seq_raw, tvb, 4, 4, seqRaw);
  }
  if (pkt.tree) top.text += `, Seq: ${seq}`;

  if (hlen < 20) {
    const msg = `Bogus TCP header length (${hlen}, must be at least 20)`;
    if (cols) pkt.info.append(`, bogus TCP header length (${hlen}, must be at least 20)`);
    const it = pkt.add(top, hf.hdr_len, tvb, 12, 1, hlen, pkt.tree ? `${nibble(hlen >> 2)} .... = Header Length: ${hlen} bytes (${hlen >> 2})` : undefined);
    expert(pkt, it, 'error', 'protocol', msg, hf.bogus_header_length);
    return 12;
  }
  if (pkt.keep === 'all') top.len = Math.min(hlen, tvb.length);

  let nxtseq = 0;
  if (haveSeglen) {
    nxtseq = (seq + seglen + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0;
    const rel = prefs.tcpRelativeSeq && prefs.tcpAnalyze;
    if (build) pkt.gen(top, hf.nxtseq, nxtseq, pkt.tree ? `Next Sequence Number: ${nxtseq}${rel ? '    (relative sequence number)' : ''}` : undefined);
  }
  c.nxtseq = nxtseq;

  if (!build) {
    // nothing to show
  } else if (flags & TH_ACK) {
    const rel = prefs.tcpRelativeSeq && prefs.tcpAnalyze;
    pkt.add(top, hf.ack, tvb, 8, 4, ack, pkt.tree ? `Acknowledgment Number: ${ack}${rel ? '    (relative ack number)' : ''}` : undefined);
    pkt.add(top, hf.ack_raw, tvb, 8, 4, ackRaw);
    if (pkt.tree) top.text += `, Ack: ${ack}`;
  } else {
    const it = pkt.add(top, hf.ack, tvb, 8, 4, ackRaw);
    if (ackRaw !== 0) {
      expert(pkt, it, 'note', 'protocol', 'The acknowledgment number field is nonzero while the ACK flag is not set', hf.ack_nonzero);
    }
    pkt.add(top, hf.ack_raw, tvb, 8, 4, ackRaw);
  }
  if (haveSeglen && pkt.tree) top.text += `, Len: ${seglen}`;

  if (build) pkt.add(top, hf.hdr_len, tvb, 12, 1, hlen, pkt.tree ? `${nibble(hlen >> 2)} .... = Header Length: ${hlen} bytes (${hlen >> 2})` : undefined);
  flagsTree(c);

  if (build) pkt.item(top, hf.window_size_value, tvb, 14, 2);
  if (build) pkt.add(top, hf.window_size, tvb, 14, 2, win, undefined, GENERATED);
  if (build && !(flags & TH_SYN)) {
    const text =
      scale === -1
        ? 'Window size scaling factor: -1 (unknown)'
        : scale === -2
          ? 'Window size scaling factor: -2 (no window scaling used)'
          : undefined;
    pkt.add(top, hf.window_size_scalefactor, tvb, 14, 2, scale < 0 ? scale : 2 ** scale, pkt.tree ? text : undefined, GENERATED);
  }

  const cksum = tvb.u16(16);
  // with validation on (off by default), a bad checksum also stops the payload from being reassembled
  let checksumOk = true;
  const calc = prefs.tcpCheckChecksum && haveSeglen && tvb.length >= reported ? expectedChecksum(pkt, tvb) : -1;
  const hexCk = (v: number) => '0x' + v.toString(16).padStart(4, '0');
  if (calc < 0) {
    if (build) {
      pkt.add(top, hf.checksum, tvb, 16, 2, cksum, pkt.tree ? `Checksum: ${hexCk(cksum)} [unverified]` : undefined);
      pkt.add(top, hf.checksum_status, null, 0, 0, 2, pkt.tree ? 'Checksum Status: Unverified' : undefined, GENERATED);
    }
  } else if (calc === cksum) {
    if (build) {
      pkt.add(top, hf.checksum, tvb, 16, 2, cksum, pkt.tree ? `Checksum: ${hexCk(cksum)} [correct]` : undefined);
      pkt.add(top, hf.checksum_status, null, 0, 0, 1, pkt.tree ? 'Checksum Status: Good' : undefined, GENERATED);
      pkt.add(top, hf.checksum_calculated, tvb, 16, 2, calc, undefined, GENERATED);
    }
  } else {
    checksumOk = false;
    if (cols) pkt.info.append(' [TCP CHECKSUM INCORRECT]');
    if (build) {
      const it = pkt.add(
        top,
        hf.checksum,
        tvb,
        16,
        2,
        cksum,
        pkt.tree ? `Checksum: ${hexCk(cksum)} incorrect, should be ${hexCk(calc)}(maybe caused by "TCP checksum offload"?)` : undefined,
      );
      expert(pkt, it, 'error', 'checksum', `Bad checksum [should be ${hexCk(calc)}]`, hf.checksum_bad);
      pkt.add(top, hf.checksum_status, null, 0, 0, 0, pkt.tree ? 'Checksum Status: Bad' : undefined, GENERATED);
      pkt.add(top, hf.checksum_calculated, tvb, 16, 2, calc, undefined, GENERATED);
    }
  }
  const urp = tvb.u16(18);
  const urpItem = build ? pkt.item(top, hf.urgent_pointer, tvb, 18, 2) : null;
  if (flags & TH_URG) {
    if (cols) pkt.info.append(` Urg=${urp}`);
  } else if (urp !== 0 && build) {
    expert(pkt, urpItem, 'note', 'protocol', 'The urgent pointer field is nonzero while the URG flag is not set', hf.urgent_nonzero);
  }
  if (haveSeglen && cols) pkt.info.append(` Len=${seglen}`);

  if (hlen > 20) {
    const n = hlen - 20;
    const avail = Math.max(0, Math.min(n, tvb.length - 20));
    const optItem = build
      ? pkt.add(top, hf.options, tvb, 20, avail, tvb.bytes.subarray(20, 20 + avail), pkt.tree ? `Options: (${n} bytes)` : undefined)
      : NO_ITEM;
    dissectOptions(c, optItem, hlen);
  }
  if (pkt.firstPass && !inError && flags & TH_SYN) verifyWindowScaling((flags & TH_ACK) !== 0, fwd, rev);
  if (pkt.firstPass && analyze && !c.sackSeen) fwd.sack = NO_SACK;

  // Timestamps relative to the stream
  if (build) {
    const tsTree = pkt.text(top, null, 0, 0, 'Timestamps');
    tsTree.flags |= GENERATED;
    pkt.gen(tsTree, hf.time_relative, (ts - conv.tsFirst) / 1e9);
    pkt.gen(tsTree, hf.time_delta, fr.timeDelta[num]! / 1e9);
  }

  if (analyze) printAnalysis(c, num);

  // Conversation completeness, learnt from this segment after it is shown
  if (pkt.firstPass && !inError) {
    if (isNew) {
      if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) conv.completeness |= C_SYN;
    } else if (!(fr.aflags[num]! & AF.REUSED_PORTS) || (flags & (TH_SYN | TH_ACK)) !== TH_SYN) {
      if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK)) conv.completeness |= C_SYNACK;
      if ((flags & (TH_SYN | TH_ACK)) === TH_ACK) conv.completeness |= seglen > 0 ? C_DATA : C_ACK;
      if ((flags & (TH_FIN | TH_ACK)) === (TH_FIN | TH_ACK)) conv.completeness |= C_FIN;
      if (flags & TH_RST) conv.completeness |= C_RST;
    }
  }

  // The payload (a header longer than the segment fails here, as in Wireshark)
  const off = hlen;
  if (c.malformed || off > tvb.reported) throw new MalformedError();
  if (off > tvb.length) throw new TruncatedError();
  const captured = Math.max(0, tvb.length - off);
  if (captured > 0 && build) {
    const n = haveSeglen ? seglen : captured;
    pkt.add(top, hf.payload, tvb, off, captured, tvb.bytes.subarray(off, off + captured), pkt.tree ? `TCP payload (${n} byte${plural(n, '', 's')})` : undefined);
  }
  pkt.p.tcpTree = top;
  // for payload dissectors: a FIN ends this side's data (a PDU "until FIN" ends here)
  pkt.p.tcpFin = (flags & TH_FIN) !== 0;
  try {
    if (haveSeglen && flags & TH_FIN && fwd.untilFin && finReassembly(c, tvb.sub(off), seglen)) return tvb.length;
    if (captured > 0) {
      if (flags & TH_RST) {
        pkt.add(top, hf.reset_cause, tvb, off, captured, tvb.ascii(off, captured));
      } else {
        let nx = nxtseq;
        if (flags & (TH_FIN | TH_SYN) && seglen > 0) nx = (nx - 1) >>> 0;
        dissectPayload(c, tvb.sub(off), seq, nx, haveSeglen && seglen > 0 && captured >= seglen && checksumOk);
      }
    }
  } catch (e) {
    if (!(e instanceof ReassemblyError)) throw e;
    if (pkt.firstPass) {
      recordStep(c, { k: 'error', msg: e.message });
      st.frames.payloadKind[num] = 2;
    }
    reassemblyError(pkt, e.message);
  }
  return tvb.length;
}

const NO_SACK: number[] = [];
/** Parent for items nobody keeps (the fast first pass): never shown, never filled */
const NO_ITEM: Item = { f: proto_tcp, v: undefined, src: 0, start: 0, len: 0, text: undefined, flags: 0, children: null };

/** The checksum the segment should carry (the pseudo header of its IPv4 or IPv6 packet included), or -1. */
function expectedChecksum(pkt: Packet, tvb: Tvb): number {
  const s = pkt.p.srcAddr;
  const d = pkt.p.dstAddr;
  const len = tvb.reported;
  let sum: number;
  if (typeof s === 'number' && typeof d === 'number') {
    sum = (s >>> 16) + (s & 0xffff) + (d >>> 16) + (d & 0xffff) + 6 + len;
  } else if (s instanceof Uint8Array && d instanceof Uint8Array) {
    sum = 6 + Math.floor(len / 0x10000) + (len & 0xffff);
    for (let i = 0; i < 16; i += 2) sum += ((s[i]! << 8) | s[i + 1]!) + ((d[i]! << 8) | d[i + 1]!);
  } else return -1;
  const b = tvb.bytes;
  for (let i = 0; i + 1 < len; i += 2) if (i !== 16) sum += (b[i]! << 8) | b[i + 1]!;
  if (len & 1) sum += b[len - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  const c = ~sum & 0xffff;
  return c === 0 ? 0xffff : c;
}

function nibble(v: number): string {
  return (v & 15).toString(2).padStart(4, '0');
}

/** Wireshark's verify_tcp_window_scaling: without the option on both SYNs, windows are not scaled. */
function verifyWindowScaling(synAck: boolean, fwd: Flow, rev: Flow): void {
  if (fwd.winScale === -1) {
    fwd.winScale = -2;
    rev.winScale = -2;
  } else if (synAck && rev.winScale === -2) {
    fwd.winScale = -2;
  }
}

const FLAG_FIELDS = [
  hf.flags_ae,
  hf.flags_cwr,
  hf.flags_ece,
  hf.flags_urg,
  hf.flags_ack,
  hf.flags_push,
  hf.flags_reset,
  hf.flags_syn,
  hf.flags_fin,
];

function flagsTree(c: Ctx): void {
  const { pkt, tvb, top, flags, sport, dport, conv, fwd, rev } = c;
  const fr = c.st.frames;
  // what the flags teach about the connection: the server port, and who closes first (kept per frame)
  if (pkt.firstPass && !c.inError) {
    if (flags & TH_SYN) conv!.serverPort = flags & TH_ACK ? sport : dport;
    if (flags & TH_FIN) {
      if (rev!.closing) fr.bits[pkt.num] = fr.bits[pkt.num]! | FIN_PASSIVE;
      else fwd!.closing = true;
    }
  }
  if (pkt.keep === 'none') return;
  const ft = pkt.add(top, hf.flags, tvb, 12, 2, flags, pkt.tree ? `Flags: 0x${flags.toString(16).padStart(3, '0')} (${tcpFlagsText(flags)})` : undefined);
  const res = (flags >> 9) & 7;
  pkt.add(ft, hf.flags_res, tvb, 12, 2, res ? 1 : 0, pkt.tree ? `${res.toString(2).padStart(3, '0')}. .... .... = Reserved: ${res ? 'Set' : 'Not set'}` : undefined);
  for (const f of FLAG_FIELDS) {
    const it = pkt.add(ft, f, tvb, 12, 2, flags & f.mask ? 1 : 0);
    if (f === hf.flags_reset && flags & TH_RST) {
      expert(pkt, it, 'warn', 'sequence', 'Connection reset (RST)', hf.connection_rst);
    } else if (f === hf.flags_syn && flags & TH_SYN) {
      if (flags & TH_ACK) {
        expert(pkt, it, 'chat', 'sequence', `Connection establish acknowledge (SYN+ACK): server port ${sport}`, hf.connection_synack);
      } else {
        expert(pkt, it, 'chat', 'sequence', `Connection establish request (SYN): server port ${dport}`, hf.connection_syn);
      }
    } else if (f === hf.flags_fin && flags & TH_FIN) {
      expert(pkt, it, 'chat', 'sequence', 'Connection finish (FIN)', hf.connection_fin);
    }
  }
  const str = pkt.add(ft, hf.flags_str, tvb, 12, 2, tcpFlagsLetters(flags), undefined, GENERATED);
  if (flags & TH_FIN) {
    if (!(fr.bits[pkt.num]! & FIN_PASSIVE)) {
      expert(pkt, str, 'note', 'sequence', 'This frame initiates the connection closing', hf.fin_active);
    } else expert(pkt, str, 'note', 'sequence', 'This frame undergoes the connection closing', hf.fin_passive);
  }
}
/** per-frame bit: the FIN answered the other side's FIN */
const FIN_PASSIVE = 0x80;
/** per-frame bit: the payload was handed on without the option to ask for more */
const NO_DESEGMENT = 0x40;

/** The [SEQ/ACK analysis] subtree and the Info prefixes of the analysis flags. */
function printAnalysis(c: Ctx, num: number): void {
  const { pkt, top, st, conv } = c;
  const fr = st.frames;
  const bits = fr.bits[num]!;
  if (!(bits & FB.HAS_TA)) return;
  if (pkt.keep === 'none') {
    if (c.cols) infoPrefixes(c, fr.aflags[num]!);
    return;
  }
  const tree = pkt.add(top, hf.analysis, null, 0, 0, undefined, pkt.tree ? 'SEQ/ACK analysis' : undefined, GENERATED);
  const acked = fr.acksFrame[num]!;
  if (acked) {
    pkt.gen(tree, hf.acks_frame, acked);
    if (bits & FB.HAS_RTT) pkt.gen(tree, hf.ack_rtt, fr.ackRtt[num]! / 1e9);
  }
  if (bits & FB.IRTT_KNOWN) pkt.gen(tree, hf.initial_rtt, conv!.firstRtt / 1e9);
  const bif = fr.bif[num]!;
  if (bif) pkt.gen(tree, hf.bytes_in_flight, bif);
  const push = fr.pushBytes[num]!;
  if (push) pkt.gen(tree, hf.push_bytes_sent, push);
  const af = fr.aflags[num]!;
  if (!af) return;
  const ft = pkt.add(tree, hf.analysis_flags, null, 0, 0, undefined, pkt.tree ? 'TCP Analysis Flags' : undefined, GENERATED);
  const pre = (s: string) => {
    if (c.cols) infoPrependFence(pkt, s);
  };
  const retrans = () => expert(pkt, ft, 'note', 'sequence', 'This frame is a (suspected) retransmission', hf.retransmission);
  if (af & AF.REUSED_PORTS) {
    expert(pkt, ft, 'note', 'sequence', 'A new tcp session is started with the same ports as an earlier session in this trace', hf.reused_ports);
    pre('[TCP Port numbers reused] ');
  }
  if (af & AF.RETRANSMISSION) {
    retrans();
    pre('[TCP Retransmission] ');
    const rto = fr.rto.get(num);
    if (rto && rto[0] !== 0) {
      pkt.gen(ft, hf.rto, rto[0] / 1e9);
      pkt.gen(ft, hf.rto_frame, rto[1]);
    }
  }
  if (af & AF.SPURIOUS_RETRANSMISSION) {
    expert(pkt, ft, 'note', 'sequence', 'This frame is a (suspected) spurious retransmission', hf.spurious_retransmission);
    retrans();
    pre('[TCP Spurious Retransmission] ');
  }
  if (af & AF.FAST_RETRANSMISSION) {
    expert(pkt, ft, 'note', 'sequence', 'This frame is a (suspected) fast retransmission', hf.fast_retransmission);
    retrans();
    pre('[TCP Fast Retransmission] ');
  }
  if (af & AF.OUT_OF_ORDER) {
    expert(pkt, ft, 'warn', 'sequence', 'This frame is a (suspected) out-of-order segment', hf.out_of_order);
    pre('[TCP Out-Of-Order] ');
  }
  if (af & AF.LOST_PACKET) {
    expert(pkt, ft, 'warn', 'sequence', 'Previous segment(s) not captured (common at capture start)', hf.lost_segment);
    pre('[TCP Previous segment not captured] ');
  }
  if (af & AF.ACK_LOST_PACKET) {
    expert(pkt, ft, 'warn', 'sequence', "ACKed segment that wasn't captured (common at capture start)", hf.ack_lost_segment);
    pre('[TCP ACKed unseen segment] ');
  }
  if (af & AF.WINDOW_UPDATE) {
    expert(pkt, ft, 'chat', 'sequence', 'TCP window update', hf.window_update);
    pre('[TCP Window Update] ');
  }
  if (af & AF.WINDOW_FULL) {
    expert(pkt, ft, 'warn', 'sequence', 'TCP window specified by the receiver is now completely full', hf.window_full);
    pre('[TCP Window Full] ');
  }
  if (af & AF.KEEP_ALIVE) {
    expert(pkt, ft, 'note', 'sequence', 'TCP keep-alive segment', hf.keep_alive);
    pre('[TCP Keep-Alive] ');
  }
  if (af & AF.KEEP_ALIVE_ACK) {
    expert(pkt, ft, 'note', 'sequence', 'ACK to a TCP keep-alive segment', hf.keep_alive_ack);
    pre('[TCP Keep-Alive ACK] ');
  }
  if (af & AF.DUPLICATE_ACK) {
    const d = fr.dupAck.get(num) ?? [0, 0];
    pkt.add(ft, hf.duplicate_ack, null, 0, 0, undefined, pkt.tree ? 'This is a TCP duplicate ack' : undefined, GENERATED);
    pre(`[TCP Dup ACK ${d[1]}#${d[0]}] `);
    pkt.gen(tree, hf.duplicate_ack_num, d[0]);
    const it = pkt.gen(tree, hf.duplicate_ack_frame, d[1]);
    expert(pkt, it, 'note', 'sequence', `Duplicate ACK (#${d[0]})`, hf.duplicate_ack);
  }
  if (af & AF.ZERO_WINDOW_PROBE) {
    expert(pkt, ft, 'note', 'sequence', 'TCP Zero Window Probe', hf.zero_window_probe);
    pre('[TCP ZeroWindowProbe] ');
  }
  if (af & AF.ZERO_WINDOW) {
    expert(pkt, ft, 'warn', 'sequence', 'TCP Zero Window segment', hf.zero_window);
    pre('[TCP ZeroWindow] ');
  }
  if (af & AF.ZERO_WINDOW_PROBE_ACK) {
    expert(pkt, ft, 'note', 'sequence', 'ACK to a TCP Zero Window Probe', hf.zero_window_probe_ack);
    pre('[TCP ZeroWindowProbeAck] ');
  }
}

/** The Info prefixes alone (when no tree is kept), in the order printAnalysis adds them. */
function infoPrefixes(c: Ctx, af: number): void {
  const p = (s: string) => infoPrependFence(c.pkt, s);
  if (af & AF.REUSED_PORTS) p('[TCP Port numbers reused] ');
  if (af & AF.RETRANSMISSION) p('[TCP Retransmission] ');
  if (af & AF.SPURIOUS_RETRANSMISSION) p('[TCP Spurious Retransmission] ');
  if (af & AF.FAST_RETRANSMISSION) p('[TCP Fast Retransmission] ');
  if (af & AF.OUT_OF_ORDER) p('[TCP Out-Of-Order] ');
  if (af & AF.LOST_PACKET) p('[TCP Previous segment not captured] ');
  if (af & AF.ACK_LOST_PACKET) p('[TCP ACKed unseen segment] ');
  if (af & AF.WINDOW_UPDATE) p('[TCP Window Update] ');
  if (af & AF.WINDOW_FULL) p('[TCP Window Full] ');
  if (af & AF.KEEP_ALIVE) p('[TCP Keep-Alive] ');
  if (af & AF.KEEP_ALIVE_ACK) p('[TCP Keep-Alive ACK] ');
  if (af & AF.DUPLICATE_ACK) {
    const d = c.st.frames.dupAck.get(c.pkt.num) ?? [0, 0];
    p(`[TCP Dup ACK ${d[1]}#${d[0]}] `);
  }
  if (af & AF.ZERO_WINDOW_PROBE) p('[TCP ZeroWindowProbe] ');
  if (af & AF.ZERO_WINDOW) p('[TCP ZeroWindow] ');
  if (af & AF.ZERO_WINDOW_PROBE_ACK) p('[TCP ZeroWindowProbeAck] ');
}

function reassemblyError(pkt: Packet, msg: string): void {
  pkt.layers.push('_ws.malformed');
  const it = pkt.add(null, MALFORMED, null, 0, 0, undefined, `[Reassembly error, protocol TCP: ${msg}]`);
  expert(pkt, it, 'error', 'malformed', msg, hf.reassembly_error);
  pkt.info.append(`[Reassembly error, protocol TCP: ${msg}]`);
}

// ---------------------------------------------------------------------------------------------
// Payload hand-off and reassembly

/** Wireshark's decode_tcp_ports: the server port, then the lower and the higher port, then heuristics, else data. */
function handOff(c: Ctx, tvb: Tvb): boolean {
  const { pkt, parent, af } = c;
  if (af & AF.KEEP_ALIVE) {
    // keep-alive payload is garbage: shown as data
    dissectData(tvb, pkt, parent);
    return true;
  }
  // tcp.no_subdissector_on_error (on by default): out-of-order and retransmitted data is not dissected
  if (af & (AF.SPURIOUS_RETRANSMISSION | AF.OUT_OF_ORDER | AF.RETRANSMISSION)) return false;
  const saveOff = pkt.p.desegmentOffset;
  const saveLen = pkt.p.desegmentLen;
  const server = c.conv ? c.conv.serverPort : 0;
  if (server !== 0 && tryPort(c, server, tvb)) return true;
  const low = Math.min(c.sport, c.dport);
  const high = Math.max(c.sport, c.dport);
  if (low !== 0 && low !== server && tryPort(c, low, tvb)) return true;
  if (high !== 0 && high !== server && tryPort(c, high, tvb)) return true;
  for (const h of heuristicList('tcp')) {
    const r = h(tvb, pkt, parent);
    if (r !== false && r !== 0 && r !== undefined) return true;
  }
  pkt.p.desegmentOffset = saveOff;
  pkt.p.desegmentLen = saveLen;
  dissectData(tvb, pkt, parent);
  return false;
}

function tryPort(c: Ctx, port: number, tvb: Tvb): boolean {
  const d = lookup('tcp.port', port);
  if (!d) return false;
  const r = d(tvb, c.pkt, c.parent);
  return r !== false && r !== 0;
}

function recordStep(c: Ctx, s: PayloadStep): void {
  const fr = c.st.frames;
  const num = c.pkt.num;
  let plan = fr.reasm.get(num);
  if (!plan) fr.reasm.set(num, (plan = []));
  plan.push(s);
}

function segData(c: Ctx, tvb: Tvb, off: number, n: number, prefix = ''): void {
  const avail = Math.max(0, Math.min(n, tvb.length - off));
  c.pkt.add(c.top, hf.segment_data, tvb, off, avail, tvb.bytes.subarray(off, off + avail), c.pkt.tree ? `${prefix}TCP segment data (${n} byte${plural(n, '', 's')})` : undefined);
}

/** The payload of a segment: desegmented when the subdissectors may ask for more, else handed on as is. */
function dissectPayload(c: Ctx, tvb: Tvb, seq: number, nxtseq: number, complete: boolean): void {
  const { pkt } = c;
  const canDesegment = complete && pkt.session.prefs.tcpDesegment && !c.inError && !!c.fwd;
  if (!pkt.firstPass) {
    replay(c, tvb);
    return;
  }
  if (!canDesegment) {
    c.st.frames.bits[pkt.num] = c.st.frames.bits[pkt.num]! | NO_DESEGMENT;
    pkt.p.canDesegment = false;
    pkt.p.desegmentOffset = 0;
    pkt.p.desegmentLen = 0;
    pkt.p.tcpSeq = seq;
    pkt.p.tcpNxtseq = nxtseq;
    handOff(c, tvb);
    return;
  }
  desegment(c, tvb, seq, nxtseq);
  // compact record for the common cases
  const fr = c.st.frames;
  const plan = fr.reasm.get(pkt.num);
  if (!plan) return;
  if (plan.length === 1) {
    const s = plan[0]!;
    if (s.k === 'call' && s.off === 0) {
      fr.reasm.delete(pkt.num);
    } else if (s.k === 'seg' && s.off === 0 && s.tsr && s.msp) {
      fr.reasm.delete(pkt.num);
      fr.payloadKind[pkt.num] = 1;
      fr.mspRef[pkt.num] = mspIndex(c.st, s.msp);
      return;
    }
  }
  if (fr.reasm.has(pkt.num)) fr.payloadKind[pkt.num] = 2;
}

const MSP_INDEX = new WeakMap<Msp, number>();
function mspIndex(st: TcpState, msp: Msp): number {
  let i = MSP_INDEX.get(msp);
  if (i === undefined) {
    st.msps.push(msp);
    i = st.msps.length;
    MSP_INDEX.set(msp, i);
  }
  return i;
}

const u32 = (x: number) => x >>> 0;

/** Call the payload dissectors with desegmentation allowed; returns what they asked for. */
function callDesegmentable(c: Ctx, tvb: Tvb, seq: number, nxtseq: number, reassembled: boolean): void {
  const p = c.pkt.p;
  p.canDesegment = true;
  p.desegmentOffset = 0;
  p.desegmentLen = 0;
  p.tcpSeq = seq;
  p.tcpNxtseq = nxtseq;
  p.tcpReassembled = reassembled;
  handOff(c, tvb);
}

function desegment(c: Ctx, tvb: Tvb, seqIn: number, nxtseq: number): void {
  const { pkt } = c;
  const flow = c.fwd!;
  const frame = pkt.num;
  const at = tvb.src === 0 ? tvb.base : -1;
  let seq = seqIn >>> 0;
  let offset = 0;

  // A retransmission of the first segment of a PDU we already know: not handed on again.
  const first = mspLookup(flow, seq);
  if (first && u32(nxtseq) <= first.nxtpdu && first.lastFrame !== frame && first.firstFrame !== frame) {
    recordStep(c, { k: 'retrans', off: 0 });
    segData(c, tvb, 0, tvb.reported, 'Retransmitted ');
    return;
  }
  // (a spurious retransmission's data was already delivered too: tshark does not reassemble it either)
  if (pkt.session.prefs.tcpAnalyze && c.af & (AF.RETRANSMISSION | AF.SPURIOUS_RETRANSMISSION)) {
    recordStep(c, { k: 'retrans', off: 0 });
    segData(c, tvb, 0, tvb.reported, 'Retransmitted ');
    return;
  }
  let protoSaved: string | null = null;
  for (;;) {
    let lastFragLen = 0;
    let mustDesegment = false;
    let called = false;
    let anotherPduFollows = 0;
    let desegOffset = offset;
    let head: Msp | null = null;
    pkt.p.desegmentOffset = 0;
    pkt.p.desegmentLen = 0;
    const msp = mspLookupLE(flow, u32(seq - 1));
    if (msp && msp.seq <= seq && msp.nxtpdu > seq) {
      msp.lastFrame = frame;
      const len = msp.flags & MSP_ENTIRE_SEGMENT ? tvb.length - offset : Math.min(u32(nxtseq), msp.nxtpdu) - seq;
      lastFragLen = len;
      const done = fragAdd(msp, frame, u32(seq - msp.seq), tvb.slice(offset, len), at < 0 ? -1 : at + offset, seqLT(nxtseq, msp.nxtpdu));
      if (msp.flags & MSP_ENTIRE_SEGMENT) {
        msp.flags &= ~MSP_ENTIRE_SEGMENT;
        msp.nxtpdu = u32(nxtseq);
      }
      if (msp.nxtpdu < u32(nxtseq) && msp.nxtpdu >= seq && len > 0) anotherPduFollows = msp.nxtpdu - seq;
      if (done) head = msp;
    } else {
      recordStep(c, { k: 'call', off: offset });
      callDesegmentable(c, offset ? tvb.sub(offset) : tvb, seq, nxtseq, false);
      if (protoSaved !== null) pkt.protocolCol.text = protoSaved;
      called = true;
      if (pkt.p.desegmentLen) {
        mustDesegment = true;
        desegOffset = offset + (pkt.p.desegmentOffset ?? 0);
      }
    }

    if (head) {
      const data = head.data!;
      const rtvb = pkt.addSource('Reassembled TCP', data);
      const step: PayloadStep = { k: 'pdu', msp: head, len: data.length, off: offset, n: -1 };
      recordStep(c, step);
      callDesegmentable(c, rtvb, head.seq, nxtseq, true);
      if (protoSaved !== null) pkt.protocolCol.text = protoSaved;
      called = true;
      const oldLen = data.length - lastFragLen;
      const dl = pkt.p.desegmentLen ?? 0;
      if (dl && (pkt.p.desegmentOffset ?? 0) <= oldLen) {
        // the subdissector needs more for what we thought was complete
        setPartial(head);
        if (dl === DESEGMENT_ONE_MORE_SEGMENT) {
          head.nxtpdu = u32(Math.max(u32(seq + (tvb.reported - offset)), head.nxtpdu) + 1);
          head.flags |= MSP_ENTIRE_SEGMENT;
        } else if (dl === DESEGMENT_UNTIL_FIN) {
          flow.untilFin = true;
        } else if (u32(seq + lastFragLen) >= head.nxtpdu) {
          head.nxtpdu = u32(seq + lastFragLen + dl);
        } else {
          head.nxtpdu = u32(head.nxtpdu + dl);
        }
        anotherPduFollows = 0;
        offset += lastFragLen;
        seq = u32(seq + lastFragLen);
        if (tvb.length - offset > 0) continue;
      } else {
        const n = anotherPduFollows > 0 ? anotherPduFollows : tvb.reported - offset;
        step.n = n;
        segData(c, tvb, offset, n);
        fragmentTree(c, head, data.length, rtvb);
        if (dl) {
          mustDesegment = true;
          desegOffset = tvb.reported - (data.length - (pkt.p.desegmentOffset ?? 0));
        }
      }
      releaseData(head);
    }

    let started: Msp | null = null;
    if (mustDesegment) {
      const dl = pkt.p.desegmentLen!;
      if (dl === DESEGMENT_UNTIL_FIN) flow.untilFin = true;
      const desegSeq = u32(seq + (desegOffset - offset));
      if (u32(nxtseq - desegSeq) <= 1024 * 1024) {
        let nm: Msp;
        if (dl === DESEGMENT_ONE_MORE_SEGMENT) {
          nm = mspStore(flow, desegSeq, nxtseq + 1, frame);
          nm.flags |= MSP_ENTIRE_SEGMENT;
        } else if (dl === DESEGMENT_UNTIL_FIN) {
          nm = mspStore(flow, desegSeq, nxtseq + 0x40000000, frame);
        } else {
          nm = mspStore(flow, desegSeq, nxtseq + dl, frame);
        }
        started = nm;
        const len = u32(nxtseq - desegSeq);
        fragAdd(nm, frame, 0, tvb.slice(desegOffset, Math.min(len, tvb.length - desegOffset)), at < 0 ? -1 : at + desegOffset, seqLT(nxtseq, nm.nxtpdu));
      }
    }

    if (!called || pkt.p.desegmentLen) {
      const tsr = (pkt.p.desegmentOffset ?? 0) === 0;
      const step: PayloadStep = { k: 'seg', off: desegOffset, tsr, msp: called ? started : msp ?? null };
      recordStep(c, step);
      segStep(c, tvb, step, protoSaved !== null);
    }
    pkt.p.canDesegment = false;
    pkt.p.desegmentOffset = 0;
    pkt.p.desegmentLen = 0;
    if (anotherPduFollows) {
      recordStep(c, { k: 'fence' });
      pkt.info.setFence();
      if (protoSaved === null) protoSaved = pkt.protocolCol.text;
      offset += anotherPduFollows;
      seq = u32(seq + anotherPduFollows);
      continue;
    }
    break;
  }
}

/** "TCP segment data" for the rest of the segment, marked as part of a PDU reassembled elsewhere. */
function segStep(c: Ctx, tvb: Tvb, s: Extract<PayloadStep, { k: 'seg' }>, protoLocked: boolean): void {
  const { pkt } = c;
  if (!pkt.firstPass && s.msp && s.msp.reassembledIn && s.msp.reassembledIn !== pkt.num && !s.msp.partial) {
    pkt.gen(c.top, hf.reassembled_in, s.msp.reassembledIn);
  }
  if (s.tsr && c.cols) {
    if (!protoLocked) pkt.protocolCol.set('TCP');
    pkt.info.appendSep(' ', '[TCP segment of a reassembled PDU]');
  }
  segData(c, tvb, s.off, tvb.reported - s.off);
}

/** The "[N Reassembled TCP Segments (…)]" tree, placed right after the TCP tree. */
function fragmentTree(c: Ctx, msp: Msp, len: number, rtvb: Tvb): void {
  const { pkt } = c;
  if (pkt.keep === 'none') return;
  const frags = msp.frags.filter((f) => f.off < len || (f.len === 0 && f.off === len));
  let text = '';
  if (pkt.tree) {
    text = `${frags.length} Reassembled TCP Segments (${len} bytes): `;
    text += frags.map((f) => `#${f.frame}(${f.len})`).join(', ');
    if (text.length > 239) text = text.slice(0, 239);
  }
  const head = pkt.add(c.parent, hf.segments, rtvb, 0, len, undefined, pkt.tree ? text : undefined, GENERATED);
  for (const f of frags) {
    const end = Math.min(f.off + f.len, len);
    const text = f.len === 0 ? `Frame: ${f.frame} (no data)` : `Frame: ${f.frame}, payload: ${f.off}-${f.off + f.len - 1} (${f.len} byte${plural(f.len, '', 's')})`;
    const it = pkt.add(head, hf.segment, rtvb, f.off, Math.max(0, end - f.off), f.frame, pkt.tree ? text : undefined, GENERATED);
    if (f.flags & FRAG_OVERLAP) pkt.gen(it, hf.segment_overlap, 1);
    if (f.flags & FRAG_OVERLAP_CONFLICT) pkt.gen(it, hf.segment_overlap_conflict, 1);
    if (f.flags & FRAG_MULTIPLE_TAILS) pkt.gen(it, hf.segment_multipletails, 1);
    if (f.flags & FRAG_TOO_LONG) pkt.gen(it, hf.segment_toolong, 1);
  }
  pkt.add(head, hf.segment_count, null, 0, 0, frags.length, undefined, GENERATED);
  pkt.add(head, hf.reassembled_length, rtvb, 0, len, len, undefined, GENERATED);
  const shown = rtvb.bytes.subarray(0, Math.min(len, rtvb.length));
  pkt.add(head, hf.reassembled_data, rtvb, 0, len, shown, pkt.tree ? `Reassembled TCP Data: ${hexPreview(shown)}` : undefined, GENERATED);
  // Wireshark moves this tree right behind the TCP tree
  if (pkt.keep === 'all') {
    const list = c.parent ? c.parent.children! : pkt.items;
    const i = list.lastIndexOf(head);
    const t = list.lastIndexOf(c.top);
    if (i > t + 1 && t >= 0) {
      list.splice(i, 1);
      list.splice(t + 1, 0, head);
    }
  }
}

function hexPreview(b: Uint8Array): string {
  const n = Math.min(b.length, 36);
  const s = bytesToHex(b.subarray(0, n));
  return b.length > n ? s + '\u2026' : s;
}

/** The bytes of a PDU as reassembled in the first pass, read again from the frames. */
function rebuild(pkt: Packet, msp: Msp, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let pos = 0;
  for (const f of msp.frags) {
    if (f.off >= len) continue;
    const end = Math.min(f.off + f.len, len);
    if (end <= pos) continue;
    const src = f.bytes ?? pkt.session.frames.bytes(f.frame).subarray(f.at, f.at + f.len);
    const from = Math.max(pos, f.off);
    out.set(src.subarray(from - f.off, end - f.off), from);
    pos = end;
  }
  return out;
}

/** Later dissections: hand the payload on as the first pass did. */
function replay(c: Ctx, tvb: Tvb): void {
  const { pkt, st } = c;
  const fr = st.frames;
  const num = pkt.num;
  pkt.p.canDesegment = false;
  pkt.p.desegmentOffset = 0;
  pkt.p.desegmentLen = 0;
  pkt.p.tcpSeq = c.seq;
  const kind = fr.payloadKind[num]!;
  if (kind === 0) {
    if (fr.bits[num]! & NO_DESEGMENT) handOff(c, tvb);
    else callDesegmentable(c, tvb, c.seq, c.nxtseq, false);
    return;
  }
  if (kind === 1) {
    segStep(c, tvb, { k: 'seg', off: 0, tsr: true, msp: st.msps[fr.mspRef[num]! - 1]! }, false);
    return;
  }
  let protoSaved: string | null = null;
  for (const s of fr.reasm.get(num) ?? []) {
    switch (s.k) {
      case 'call':
        // as in the first pass; what the dissectors ask for now is not acted on
        callDesegmentable(c, s.off ? tvb.sub(s.off) : tvb, c.seq + s.off, c.nxtseq, false);
        if (protoSaved !== null) pkt.protocolCol.text = protoSaved;
        break;
      case 'pdu': {
        const data = rebuild(pkt, s.msp, s.len);
        const rtvb = pkt.addSource('Reassembled TCP', data);
        if (s.n === FIN_PDU) {
          // ended by a FIN: the segment list comes first, and the dissectors may not ask for more
          fragmentTree(c, s.msp, s.len, rtvb);
          pkt.p.tcpSeq = s.msp.seq;
          handOff(c, rtvb);
          break;
        }
        callDesegmentable(c, rtvb, s.msp.seq, c.nxtseq, true);
        if (protoSaved !== null) pkt.protocolCol.text = protoSaved;
        if (s.n >= 0) {
          segData(c, tvb, s.off, s.n);
          fragmentTree(c, s.msp, s.len, rtvb);
        }
        break;
      }
      case 'seg':
        segStep(c, tvb, s, protoSaved !== null);
        break;
      case 'retrans':
        segData(c, tvb, s.off, tvb.reported - s.off, 'Retransmitted ');
        break;
      case 'fence':
        pkt.info.setFence();
        if (protoSaved === null) protoSaved = pkt.protocolCol.text;
        break;
      case 'error':
        reassemblyError(pkt, s.msg);
        break;
    }
  }
}

/** `n` of the 'pdu' step of a PDU ended by a FIN */
const FIN_PDU = -2;

/** A FIN ends a PDU that was to run until the end of the stream. Returns true when it was handled. */
function finReassembly(c: Ctx, tvb: Tvb, seglen: number): boolean {
  const { pkt } = c;
  const flow = c.fwd!;
  if (!pkt.firstPass) {
    const plan = c.st.frames.reasm.get(pkt.num);
    if (!plan || plan[0]?.k !== 'pdu' || plan.length !== 1) return false;
    replay(c, tvb);
    return true;
  }
  if (flow.fin !== 0 && flow.fin !== pkt.num) return false;
  flow.fin = pkt.num;
  const msp = mspLookupLE(flow, u32(c.seq - 1));
  if (!msp) return false;
  const at = tvb.src === 0 ? tvb.base : -1;
  const done = fragAdd(msp, pkt.num, u32(c.seq - msp.seq), tvb.slice(0, Math.min(seglen, tvb.length)), at, false);
  if (!done) return false;
  const data = msp.data!;
  const rtvb = pkt.addSource('Reassembled TCP', data);
  recordStep(c, { k: 'pdu', msp, len: data.length, off: 0, n: FIN_PDU });
  c.st.frames.payloadKind[pkt.num] = 2;
  fragmentTree(c, msp, data.length, rtvb);
  pkt.p.canDesegment = false;
  pkt.p.tcpSeq = msp.seq;
  handOff(c, rtvb);
  releaseData(msp);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Helpers for payload dissectors

/** Add "[PDU Size: n]" to the TCP tree of this packet (as Wireshark's tcp_dissect_pdus does). */
export function addPduSize(pkt: Packet, tvb: Tvb, off: number, size: number): void {
  const t = pkt.p.tcpTree as Item | undefined;
  if (!t) return;
  pkt.add(t, hf.pdu_size, tvb, off, Math.max(0, Math.min(size, tvb.length - off)), size, undefined, GENERATED);
}

/**
 * Wireshark's tcp_dissect_pdus: split a TCP payload into PDUs of `getLen` bytes (read from the first
 * `fixedLen` bytes), asking TCP for more data when a PDU runs past the segment, and dissect each one.
 */
export function tcpDissectPdus(
  tvb: Tvb,
  pkt: Packet,
  parent: Item | null,
  desegment: boolean,
  fixedLen: number,
  getLen: (tvb: Tvb, pkt: Packet, off: number) => number,
  dissectPdu: (tvb: Tvb, pkt: Packet, parent: Item | null) => void,
): number {
  let off = 0;
  const can = desegment && !!pkt.p.canDesegment;
  while (tvb.reported - off > 0) {
    const avail = tvb.length - off;
    if (avail <= 0) throw new MalformedError();
    if (can && avail < fixedLen) {
      pkt.p.desegmentOffset = off;
      pkt.p.desegmentLen = DESEGMENT_ONE_MORE_SEGMENT;
      return tvb.reported;
    }
    const plen = getLen(tvb, pkt, off);
    if (plen === 0) {
      pkt.p.desegmentOffset = off;
      pkt.p.desegmentLen = DESEGMENT_ONE_MORE_SEGMENT;
      return tvb.reported;
    }
    if (plen < fixedLen) throw new MalformedError();
    if (can && avail < plen) {
      pkt.p.desegmentOffset = off;
      pkt.p.desegmentLen = plen - avail;
      return tvb.reported;
    }
    addPduSize(pkt, tvb, off, plen);
    const sub = new Tvb(tvb.bytes.subarray(off, off + Math.min(avail, plen)), tvb.src, tvb.base + off, plen);
    dissectPdu(sub, pkt, parent);
    off += plen;
  }
  return tvb.reported;
}

register('ip.proto', 6, dissectTcp);
