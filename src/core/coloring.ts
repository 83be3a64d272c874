// Packet-list colouring: Wireshark 4.0's default colouring rules (name, display filter, background, foreground,
// as its `colorfilters` file lists them), compiled with our display-filter compiler. The first rule whose filter
// matches a frame colours its row.
//
// Rules naming protocols we do not dissect (HSRP, OSPF, SCTP, SMB…) still compile: a test on a field we do
// not know is false (such a field can never be in our trees), so `!pim` is true and `smb || nbss` is false.
import type { Packet } from './dissect/packet';
import { allFields } from './fields/registry';
import { compileFilter, type CompiledFilter } from './filter';
import type { Arith, Entity, Test } from './filter/ast';
import { Lexer } from './filter/lexer';
import { lookupField } from './filter/names';
import { parseFilter } from './filter/parser';

export interface ColorRule {
  name: string;
  /** the display filter, exactly as Wireshark ships it */
  filter: string;
  /** CSS colours (#rrggbb) */
  bg: string;
  fg: string;
}

/** A colour as Wireshark stores it (16 bits per channel) → #rrggbb. */
function rgb16(r: number, g: number, b: number): string {
  return '#' + [r, g, b].map((v) => Math.round(v / 257).toString(16).padStart(2, '0')).join('');
}

// 16-bit colours of the default rules, [background][foreground]
const DARK = rgb16(4718, 10030, 11796); // #12272e, the dark text (or background) most rules use
const YELLOW = rgb16(65535, 64764, 40092); // #fffc9c
const RED_TEXT = rgb16(63479, 34695, 34695); // #f78787
const DARK_RED = rgb16(42148, 0, 0); // #a40000

/** Wireshark 4.0's default colouring rules, in their order (the first match wins). */
export const COLOR_RULES: readonly ColorRule[] = [
  { name: 'Bad TCP', filter: 'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack', bg: DARK, fg: RED_TEXT },
  { name: 'HSRP State Change', filter: 'hsrp.state != 8 && hsrp.state != 16', bg: DARK, fg: YELLOW },
  { name: 'Spanning Tree Topology  Change', filter: 'stp.type == 0x80', bg: DARK, fg: YELLOW },
  { name: 'OSPF State Change', filter: 'ospf.msg != 1', bg: DARK, fg: YELLOW },
  { name: 'ICMP errors', filter: 'icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }', bg: DARK, fg: rgb16(47031, 63479, 29812) },
  { name: 'ARP', filter: 'arp', bg: rgb16(64250, 61680, 55255), fg: DARK },
  { name: 'ICMP', filter: 'icmp || icmpv6', bg: rgb16(64764, 57568, 65535), fg: DARK },
  { name: 'TCP RST', filter: 'tcp.flags.reset eq 1', bg: DARK_RED, fg: YELLOW },
  { name: 'SCTP ABORT', filter: 'sctp.chunk_type eq ABORT', bg: DARK_RED, fg: YELLOW },
  {
    name: 'TTL low or unexpected',
    filter: '(ip.dst != 224.0.0.0/4 && ip.ttl < 5 && !pim && !ospf) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1 && !(vrrp || carp))',
    bg: DARK_RED,
    fg: rgb16(60652, 61680, 60395),
  },
  {
    name: 'Checksum Errors',
    filter:
      'eth.fcs.status=="Bad" || ip.checksum.status=="Bad" || tcp.checksum.status=="Bad" || udp.checksum.status=="Bad" || sctp.checksum.status=="Bad" || mstp.checksum.status=="Bad" || cdp.checksum.status=="Bad" || edp.checksum.status=="Bad" || wlan.fcs.status=="Bad" || stt.checksum.status=="Bad"',
    bg: DARK,
    fg: RED_TEXT,
  },
  { name: 'SMB', filter: 'smb || nbss || nbns || netbios', bg: rgb16(65278, 65535, 53456), fg: DARK },
  { name: 'HTTP', filter: 'http || tcp.port == 80 || http2', bg: rgb16(58596, 65535, 51143), fg: DARK },
  { name: 'DCERPC', filter: 'dcerpc', bg: rgb16(51199, 38706, 65533), fg: DARK },
  { name: 'Routing', filter: 'hsrp || eigrp || ospf || bgp || cdp || vrrp || carp || gvrp || igmp || ismp', bg: rgb16(65534, 62325, 54808), fg: DARK },
  { name: 'TCP SYN/FIN', filter: 'tcp.flags & 0x02 || tcp.flags.fin == 1', bg: rgb16(41026, 41026, 41026), fg: DARK },
  { name: 'TCP', filter: 'tcp', bg: rgb16(59345, 58980, 65535), fg: DARK },
  { name: 'UDP', filter: 'udp', bg: rgb16(56026, 61166, 65535), fg: DARK },
  { name: 'Broadcast', filter: 'eth[0] & 1', bg: rgb16(65535, 65535, 65535), fg: rgb16(47802, 48573, 46774) },
  { name: 'System Event', filter: 'systemd_journal || sysdig', bg: rgb16(59110, 59110, 59110), fg: rgb16(11565, 28527, 39578) },
];

// ------------------------------------------------------------------------------------------------
// Rules over unknown fields: the filter's syntax tree is reduced (tests of unknown fields are false)
// and printed back from the spans of the parts that remain.

type Reduced = { k: 'const'; v: boolean } | { k: 'text'; text: string };

function known(name: string): boolean {
  return lookupField(name) !== undefined;
}

/** Whether an operand names a field we do not know (an unknown bare word that could be a literal is not). */
function unknownIn(a: Arith | Entity, asField: boolean): boolean {
  switch (a.k) {
    case 'field':
      return !known(a.name);
    case 'unparsed':
      // a bare word: a field name when it looks like one (numbers and value names such as ABORT do not)
      return asField && /^[a-z_][a-z0-9_-]*(\.[a-z0-9_-]+)*$/.test(a.text) && !known(a.text);
    case 'slice':
      return unknownIn(a.of, true);
    case 'func':
      return a.args.some((x) => unknownIn(x, true));
    case 'arith':
      return unknownIn(a.a, asField) || unknownIn(a.b, asField);
    case 'neg':
    case 'group':
      return unknownIn(a.a, asField);
    default:
      return false;
  }
}

function reduce(t: Test, text: string): Reduced {
  const own = (): Reduced => ({ k: 'text', text: text.slice(t.start, t.end) });
  switch (t.k) {
    case 'and':
    case 'or': {
      const a = reduce(t.a, text);
      const b = reduce(t.b, text);
      const absorbing = t.k === 'or';
      if (a.k === 'const') return a.v === absorbing ? a : b;
      if (b.k === 'const') return b.v === absorbing ? b : a;
      return { k: 'text', text: `(${a.text}) ${t.k === 'and' ? '&&' : '||'} (${b.text})` };
    }
    case 'not': {
      const a = reduce(t.a, text);
      return a.k === 'const' ? { k: 'const', v: !a.v } : { k: 'text', text: `!(${a.text})` };
    }
    case 'bare':
      return unknownIn(t.a, true) ? { k: 'const', v: false } : own();
    case 'cmp':
      return unknownIn(t.a, true) || unknownIn(t.b, false) ? { k: 'const', v: false } : own();
    case 'contains':
    case 'matches':
    case 'in':
      return unknownIn(t.a, true) ? { k: 'const', v: false } : own();
  }
}

/** The filter reduced to what our dissectors can match: null when it can never match. */
export function reduceFilter(filter: string): string | null {
  const ast = parseFilter(new Lexer(filter, known));
  if (!ast) return '';
  const r = reduce(ast, filter);
  if (r.k === 'const') return r.v ? '' : null;
  return r.text;
}

interface Compiled {
  rule: ColorRule;
  /** null: the rule cannot match anything we dissect */
  filter: CompiledFilter | null;
  /** the filter text compiled (Wireshark's, or reduced) */
  text: string | null;
}

let compiled: Compiled[] | null = null;
let compiledFor = -1;

/** The default rules compiled (again when dissector modules have registered more fields since). */
export function compiledColorRules(): readonly Compiled[] {
  const n = allFields().length;
  if (compiled && compiledFor === n) return compiled;
  compiled = COLOR_RULES.map((rule) => {
    let text: string | null;
    try {
      text = reduceFilter(rule.filter);
    } catch {
      text = null;
    }
    if (text === null) return { rule, filter: null, text };
    const r = compileFilter(text);
    return { rule, filter: r.ok ? r.filter : null, text: r.ok ? text : null };
  });
  compiledFor = n;
  return compiled;
}

/** The index in COLOR_RULES of the rule colouring this (fully dissected) packet, or -1. */
export function colorRuleIndex(pkt: Packet): number {
  const rules = compiledColorRules();
  for (let i = 0; i < rules.length; i++) {
    const f = rules[i]!.filter;
    if (f && f.match(pkt)) return i;
  }
  return -1;
}
