// The packet list as `tcpdump -n -r FILE` prints it (Debian's tcpdump 4.99, no -v): one line per frame, from the
// frame's dissection (values, not labels) and tcpdump's own per-connection relative sequence numbers.
//
// tcpdump reads every packet alone: it neither reassembles IP fragments nor TCP streams, and decodes what the
// first fragment carries. So frames are dissected again for this view with a session of their own and
// reassembly and sequence analysis off (TCPDUMP_PREFS); Wireshark's IPv6, which shows an unreassembled first
// fragment as data, is asked to decode its next header as tcpdump does.
import type { Capture } from '../capture';
import { Packet, type Item } from '../dissect/packet';
import { DEFAULT_PREFS, Session, type Prefs } from '../dissect/session';
import { lookup } from '../dissect/tables';
import { Tvb } from '../dissect/tvb';
import { dissectFrame } from '../dissectors';
import { etherToString, ipv4ToString, ipv6ToString } from '../fields/format';
import { F_COMPLEX, F_IP6, F_TCP } from '../model/header-index';
import { FTP, HTTP, SMTP, bootpSummary, dnsSummary, textProto } from './tcpdump-apps';
import { all, bytes, get, isLayer, num, sublayer } from './tcpdump-items';

/** Per-packet dissection, as tcpdump sees packets. */
export const TCPDUMP_PREFS: Prefs = {
  ...DEFAULT_PREFS,
  ipCheckChecksum: false,
  tcpCheckChecksum: false,
  udpCheckChecksum: false,
  tcpDesegment: false,
  tcpRelativeSeq: false,
  tcpAnalyze: false,
  ipDefragment: false,
};

export interface TcpdumpOptions {
  /** timestamps in UTC instead of the local time zone (tcpdump uses the TZ it runs in) */
  utc?: boolean;
}

const LINK_LAYERS = new Set(['eth', 'vlan', 'ieee8021ad', 'sll', 'null', 'raw']);
const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;
const TH_URG = 0x20;
/** tcpdump's flag letters, in the order it writes them */
const FLAG_CHARS: [number, string][] = [
  [0x01, 'F'],
  [0x02, 'S'],
  [0x04, 'R'],
  [0x08, 'P'],
  [0x10, '.'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** tcpdump's default timestamp: HH:MM:SS.µs of the day (microseconds truncated, as libpcap reads them). */
export function tcpdumpClock(sec: number, nsec: number, utc: boolean): string {
  const d = new Date(sec * 1000);
  const [h, m, s] = utc ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()] : [d.getHours(), d.getMinutes(), d.getSeconds()];
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}.${String(Math.floor(nsec / 1000)).padStart(6, '0')}`;
}

/** Dissect frame `num` alone, with reassembly off, the way tcpdump reads a packet. */
export function dissectAsTcpdump(cap: Capture, num: number): Packet {
  const pkt = new Packet(cap.meta(num), cap.bytes(num), new Session(cap, TCPDUMP_PREFS), true, false, 'all');
  dissectFrame(pkt);
  decodeFirstFragment(pkt);
  return pkt;
}

/** An IPv6 first fragment left as data: hand its bytes to the next header's dissector, as tcpdump decodes it. */
function decodeFirstFragment(pkt: Packet): void {
  const i = pkt.items.findIndex((it) => it.f.abbrev === 'ipv6');
  const ip6 = pkt.items[i];
  const data = pkt.items[i + 1];
  if (!ip6 || !data || data.f.abbrev !== 'data' || data.src !== 0) return;
  const frag = ip6.children?.filter((c) => c.f.abbrev === 'ipv6.fraghdr').pop();
  if (!frag || num(frag, 'ipv6.fraghdr.offset') !== 0) return;
  const nxt = num(frag, 'ipv6.fraghdr.nxt');
  const d = nxt === undefined ? undefined : lookup('ip.proto', nxt);
  const plen = num(ip6, 'ipv6.plen');
  if (!d || plen === undefined) return;
  const frame = pkt.sources[0]!.bytes;
  const reported = ip6.start + 40 + plen - data.start;
  if (reported <= 0) return;
  pkt.items.splice(i + 1, 1);
  pkt.p.fragmented = true;
  const tvb = new Tvb(frame.subarray(data.start, Math.min(frame.length, data.start + reported)), 0, data.start, reported);
  pkt.guard(nxt === 58 ? 'ICMPv6' : 'IPv6', () => d(tvb, pkt, null));
}

// ---------------------------------------------------------------------------------------------
// tcpdump's relative sequence numbers
//
// tcpdump keeps a table of connections (addresses and ports, both directions in one entry), and only looks at
// segments with ACK set: the first such segment of a connection, or one with SYN too (a SYN/ACK), records its
// seq and ack-1 as the connection's bases and is printed with absolute numbers; later segments print seq and
// ack minus the bases of their direction. Segments without ACK (the first SYN, a bare RST) are absolute.

const ABSOLUTE = 0;
const RECORDED = 1;
const RELATIVE = 2;

interface TcpTuple {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
}

/** How frame `num`'s numbers are printed: subtract `seq` from its seq and `ack` from its ack and SACK blocks. */
export interface SeqBases {
  mode: typeof ABSOLUTE | typeof RECORDED | typeof RELATIVE;
  seq: number;
  ack: number;
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const hex4 = (n: number) => n.toString(16).padStart(4, '0');
const hexBytes = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

class SeqTable {
  private done = 0;
  private mode = new Uint8Array(0);
  private seqBase = new Uint32Array(0);
  private ackBase = new Uint32Array(0);
  /** per connection: the recording segment's direction (its first endpoint) and its seq and ack-1 */
  private readonly conns = new Map<string, { a: string; seq: number; ack: number }>();
  private readonly ip6Keys = new Map<number, string>();

  constructor(private readonly cap: Capture) {}

  bases(num: number): SeqBases {
    this.ensure(num);
    const i = num - 1;
    return { mode: this.mode[i] as SeqBases['mode'], seq: this.seqBase[i]!, ack: this.ackBase[i]! };
  }

  private ensure(num: number): void {
    if (num <= this.done) return;
    if (num > this.mode.length) {
      const n = Math.max(num, this.cap.frames.count, this.mode.length * 2);
      const grow = <T extends Uint8Array | Uint32Array>(a: T, make: (n: number) => T): T => {
        const b = make(n);
        b.set(a);
        return b;
      };
      this.mode = grow(this.mode, (n) => new Uint8Array(n));
      this.seqBase = grow(this.seqBase, (n) => new Uint32Array(n));
      this.ackBase = grow(this.ackBase, (n) => new Uint32Array(n));
    }
    while (this.done < num) {
      const f = ++this.done;
      const t = this.tuple(f);
      if (t && t.flags & TH_ACK) this.account(f - 1, t);
    }
  }

  /** The TCP header of frame `num` (from the header index when it is a plain frame), or null. */
  private tuple(frame: number): TcpTuple | null {
    const h = this.cap.hdr;
    const i = frame - 1;
    const k = h.kind[i]!;
    if (!(k & F_COMPLEX)) {
      if (!(k & F_TCP)) return null;
      const v6 = (k & F_IP6) !== 0;
      return {
        src: v6 ? this.ip6Key(h.ip6Src[i]!) : hex8(h.ip4Src[i]!),
        dst: v6 ? this.ip6Key(h.ip6Dst[i]!) : hex8(h.ip4Dst[i]!),
        sport: h.sport[i]!,
        dport: h.dport[i]!,
        seq: h.tcpSeq[i]!,
        ack: h.tcpAck[i]!,
        flags: h.tcpFlags[i]!,
      };
    }
    let pkt: Packet;
    try {
      pkt = dissectAsTcpdump(this.cap, frame);
    } catch {
      return null;
    }
    const layers = pkt.items.filter(isLayer);
    const t = layers.findIndex((l) => l.f.abbrev === 'tcp');
    const ip = layers.slice(0, t).reverse().find((l) => l.f.abbrev === 'ip' || l.f.abbrev === 'ipv6');
    if (t < 0 || !ip) return null;
    const tcp = layers[t]!;
    const v6 = ip.f.abbrev === 'ipv6';
    const src = v6 ? bytes(ip, 'ipv6.src') : num(ip, 'ip.src');
    const dst = v6 ? bytes(ip, 'ipv6.dst') : num(ip, 'ip.dst');
    const fields = ['tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags'].map((a) => num(tcp, a));
    if (src === undefined || dst === undefined || fields.some((x) => x === undefined)) return null;
    const [sport, dport, seq, ack, flags] = fields as number[];
    const key = (a: Uint8Array | number) => (typeof a === 'number' ? hex8(a) : hexBytes(a));
    return { src: key(src), dst: key(dst), sport: sport!, dport: dport!, seq: seq!, ack: ack!, flags: flags! };
  }

  private ip6Key(id: number): string {
    let k = this.ip6Keys.get(id);
    if (k === undefined) this.ip6Keys.set(id, (k = hexBytes(this.cap.hdr.ip6Table[id]!)));
    return k;
  }

  private account(i: number, t: TcpTuple): void {
    const a = t.src + hex4(t.sport);
    const b = t.dst + hex4(t.dport);
    // one entry for both directions (IPv4 and IPv6 keys differ in length, so they never meet)
    const key = a < b ? a + b : b + a;
    const c = this.conns.get(key);
    if (!c || t.flags & TH_SYN) {
      this.conns.set(key, { a, seq: t.seq, ack: (t.ack - 1) >>> 0 });
      this.mode[i] = RECORDED;
      this.seqBase[i] = t.seq;
      this.ackBase[i] = (t.ack - 1) >>> 0;
      return;
    }
    const same = c.a === a;
    this.mode[i] = RELATIVE;
    this.seqBase[i] = same ? c.seq : c.ack;
    this.ackBase[i] = same ? c.ack : c.seq;
  }
}

// ---------------------------------------------------------------------------------------------
// the line

export class TcpdumpView {
  private readonly seq: SeqTable;

  constructor(
    readonly cap: Capture,
    readonly opts: TcpdumpOptions = {},
  ) {
    this.seq = new SeqTable(cap);
  }

  /** Frame `num` as tcpdump prints it: its timestamp, then what it carries. */
  line(num: number): string {
    const m = this.cap.meta(num);
    const bases = this.seq.bases(num);
    const pkt = dissectAsTcpdump(this.cap, num);
    return `${tcpdumpClock(m.tsSec, m.tsNsec, !!this.opts.utc)} ${new LineWriter(pkt, bases).write()}`;
  }
}

const SLL_PKTTYPE = ['In', 'B', 'M', 'P', 'Out'];

/** The addresses a transport writes before its ports (`full`), or only the ports after them. */
interface Addr {
  src: string;
  dst: string;
  full: boolean;
}

class LineWriter {
  private readonly layers: Item[];
  private readonly frame: Uint8Array;

  constructor(
    private readonly pkt: Packet,
    private readonly bases: SeqBases,
  ) {
    this.layers = pkt.items.filter((it) => isLayer(it) && it.f.abbrev !== 'frame');
    this.frame = pkt.sources[0]!.bytes;
  }

  write(): string {
    let i = 0;
    let prefix = '';
    while (i < this.layers.length && LINK_LAYERS.has(this.layers[i]!.f.abbrev)) {
      const l = this.layers[i]!;
      // Linux cooked v2 names the interface and the direction (tcpdump looks the index up on its own machine:
      // in a network namespace of its own only index 1, lo, has a name)
      if (l.f.abbrev === 'sll' && this.pkt.meta.linkType === 276) {
        const ifindex = num(l, 'sll.ifindex');
        const type = num(l, 'sll.pkttype') ?? -1;
        prefix += `${(ifindex === 1 ? 'lo' : '?').padEnd(5)} ${(SLL_PKTTYPE[type] ?? '?').padEnd(3)} `;
      }
      i++;
    }
    return prefix + this.network(i);
  }

  /** What the layer at `i` and above print. */
  private network(i: number): string {
    const l = this.layers[i];
    switch (l?.f.abbrev) {
      case 'arp':
        return this.arp(l);
      case 'ip':
        return this.ipv4(i);
      case 'ipv6':
        return this.ipv6(i);
      case 'mpls':
        return this.mpls(i);
      default:
        return this.unknown(i);
    }
  }

  /** Wire bytes from the start of `l` to the end of the frame (the length tcpdump hands a layer). */
  private wireFrom(l: Item): number {
    return this.pkt.meta.origLen - l.start;
  }

  private unknown(i: number): string {
    const eth = this.layers.slice(0, i).reverse().find((l) => l.f.abbrev === 'eth');
    const type = eth && (num(this.layers[i - 1], 'vlan.etype') ?? num(eth, 'eth.type'));
    const src = bytes(eth, 'eth.src');
    const dst = bytes(eth, 'eth.dst');
    if (eth && src && dst && type !== undefined && type >= 0x600) {
      return `${etherToString(src)} > ${etherToString(dst)}, ethertype Unknown (0x${type.toString(16).padStart(4, '0')}), length ${this.pkt.meta.origLen}:`;
    }
    // a link type tcpdump has no printer for (it refuses the file); otherwise its mark for "cannot print on"
    if (i === 0) return `unsupported link type ${this.pkt.meta.linkType}, length ${this.pkt.meta.origLen}`;
    return `[|${this.layers[i]?.f.abbrev ?? 'frame'}]`;
  }

  private arp(l: Item): string {
    const op = num(l, 'arp.opcode');
    const spa = num(l, 'arp.src.proto_ipv4');
    const tpa = num(l, 'arp.dst.proto_ipv4');
    const sha = bytes(l, 'arp.src.hw_mac');
    const tha = bytes(l, 'arp.dst.hw_mac');
    const ip = (v: number | undefined) => (v === undefined ? '?' : ipv4ToString(v));
    const mac = (v: Uint8Array | undefined) => (v ? etherToString(v) : '?');
    let s: string;
    switch (op) {
      case 1:
        s = `Request who-has ${ip(tpa)}${tha && tha.some((x) => x) ? ` (${mac(tha)})` : ''} tell ${ip(spa)}`;
        break;
      case 2:
        s = `Reply ${ip(spa)} is-at ${mac(sha)}`;
        break;
      case 3:
        s = `Reverse Request who-is ${mac(tha)} tell ${mac(sha)}`;
        break;
      case 4:
        s = `Reverse Reply ${mac(tha)} at ${ip(tpa)}`;
        break;
      case 8:
        s = `Inverse Request who-is ${mac(tha)} tell ${mac(sha)}`;
        break;
      case 9:
        s = `Inverse Reply ${mac(sha)} at ${ip(spa)}`;
        break;
      default:
        s = `Unknown (${op ?? '?'})`;
    }
    return `ARP, ${s}, length ${this.wireFrom(l)}`;
  }

  private ipv4(i: number): string {
    const ip = this.layers[i]!;
    const src = ipv4ToString(num(ip, 'ip.src') ?? 0);
    const dst = ipv4ToString(num(ip, 'ip.dst') ?? 0);
    const proto = num(ip, 'ip.proto') ?? 0;
    const total = num(ip, 'ip.len') ?? 0;
    const hlen = num(ip, 'ip.hdr_len') ?? 20;
    const fragOff = num(ip, 'ip.frag_offset') ?? 0;
    let s = 'IP ';
    const wire = this.wireFrom(ip);
    if (total > wire) s += `truncated-ip - ${total - wire} bytes missing! `;
    // a later fragment: no transport header to decode
    if (fragOff !== 0) return `${s}${src} > ${dst}: ip-proto-${proto}`;
    const up = this.upper(i, proto, ip.start + total, { src, dst, full: true }, `${src} > ${dst}: `);
    return s + (up ?? `${src} > ${dst}: ip-proto-${proto} ${total - hlen}`);
  }

  /**
   * What the IP header at `i` carries (`proto`, its payload ending at `end`), or null for a protocol not decoded
   * here. `plain` goes before anything but TCP and UDP, which write the addresses with their ports themselves.
   */
  private upper(i: number, proto: number, end: number, addr: Addr, plain: string): string | null {
    const next = this.layers[i + 1];
    const is = (abbrev: string) => next?.f.abbrev === abbrev;
    switch (proto) {
      case 6:
        return is('tcp') ? this.tcp(next!, addr) : null;
      case 17:
        return is('udp') ? this.udp(i + 1, addr) : null;
      case 1:
        return is('icmp') ? plain + this.icmp(next!, end - next!.start) : null;
      case 58:
        return is('icmpv6') ? plain + this.icmp6(next!, end - next!.start) : null;
      case 4:
      case 41:
        return next ? plain + this.network(i + 1) : null;
      default:
        return null;
    }
  }

  private ipv6(i: number): string {
    const ip = this.layers[i]!;
    const src = ipv6ToString(bytes(ip, 'ipv6.src') ?? new Uint8Array(16));
    const dst = ipv6ToString(bytes(ip, 'ipv6.dst') ?? new Uint8Array(16));
    const plen = num(ip, 'ipv6.plen') ?? 0;
    const end = ip.start + 40 + plen;
    let nxt = num(ip, 'ipv6.nxt') ?? 59;
    // with extension headers, the addresses come first and the transport names only its ports
    const direct = nxt === 6 || nxt === 17;
    let s = 'IP6 ' + (direct ? '' : `${src} > ${dst}: `);
    for (const h of ip.children ?? []) {
      switch (h.f.abbrev) {
        case 'ipv6.hopopts':
          s += 'HBH ';
          nxt = num(h, 'ipv6.hopopts.nxt') ?? 59;
          break;
        case 'ipv6.dstopts':
          s += 'DSTOPT ';
          nxt = num(h, 'ipv6.dstopts.nxt') ?? 59;
          break;
        case 'ipv6.routing': {
          const type = num(h, 'ipv6.routing.type') ?? 0;
          s += `RT6 (len=${num(h, 'ipv6.routing.len') ?? 0}, type=${type}${type === 0 ? ' [Deprecated]' : ''}, segleft=${num(h, 'ipv6.routing.segleft') ?? 0}`;
          for (const [k, a] of all(h, 'ipv6.routing.src.addr').entries()) if (a.v instanceof Uint8Array) s += `, [${k}]${ipv6ToString(a.v)}`;
          s += ') ';
          nxt = num(h, 'ipv6.routing.nxt') ?? 59;
          break;
        }
        case 'ipv6.fraghdr': {
          const off = (num(h, 'ipv6.fraghdr.offset') ?? 0) * 8;
          s += `frag (${off}|${end - h.start - 8})`;
          if (off !== 0) return s;
          s += ' ';
          nxt = num(h, 'ipv6.fraghdr.nxt') ?? 59;
          break;
        }
      }
    }
    if (nxt === 59) return s.trimEnd();
    const up = this.upper(i, nxt, end, { src, dst, full: direct }, '');
    if (up !== null) return s + up;
    const next = this.layers[i + 1];
    const from = next && next.f.abbrev !== 'data' ? next.start : this.lastExt(ip);
    return `${s}ip-proto-${nxt} ${end - from}`;
  }

  /** Where the payload after the IPv6 header and its extension headers starts. */
  private lastExt(ip: Item): number {
    let end = ip.start + 40;
    for (const h of ip.children ?? []) if (h.f.abbrev.startsWith('ipv6.') && h.f.type === 'protocol') end = h.start + h.len;
    return end;
  }

  private mpls(i: number): string {
    let s = 'MPLS';
    let j = i;
    for (; this.layers[j]?.f.abbrev === 'mpls'; j++) {
      const l = this.layers[j]!;
      s += ` (label ${num(l, 'mpls.label') ?? 0}, tc ${num(l, 'mpls.exp') ?? 0}${num(l, 'mpls.bottom') ? ', [S]' : ''}, ttl ${num(l, 'mpls.ttl') ?? 0})`;
    }
    const next = this.layers[j]?.f.abbrev;
    return next === 'ip' || next === 'ipv6' ? `${s} ${this.network(j)}` : s;
  }

  private tcp(tcp: Item, addr: Addr): string {
    const sport = num(tcp, 'tcp.srcport') ?? 0;
    const dport = num(tcp, 'tcp.dstport') ?? 0;
    let s = addr.full ? `${addr.src}.${sport} > ${addr.dst}.${dport}: ` : `${sport} > ${dport}: `;
    const flags = num(tcp, 'tcp.flags');
    const rawSeq = num(tcp, 'tcp.seq_raw');
    const rawAck = num(tcp, 'tcp.ack_raw');
    const win = num(tcp, 'tcp.window_size_value');
    const len = num(tcp, 'tcp.len');
    if (flags === undefined || rawSeq === undefined || rawAck === undefined || win === undefined || len === undefined) return s + '[|tcp]';
    const b = this.bases;
    const rel = b.mode === RELATIVE;
    const seq = rel ? (rawSeq - b.seq) >>> 0 : rawSeq;
    const ack = rel ? (rawAck - b.ack) >>> 0 : rawAck;
    const letters = FLAG_CHARS.filter(([bit]) => flags & bit).map(([, c]) => c).join('');
    s += `Flags [${letters || 'none'}]`;
    if (len > 0 || flags & (TH_SYN | TH_FIN | TH_RST)) s += len > 0 ? `, seq ${seq}:${(seq + len) >>> 0}` : `, seq ${seq}`;
    if (flags & TH_ACK) s += `, ack ${ack}`;
    s += `, win ${win}`;
    if (flags & TH_URG) s += `, urg ${num(tcp, 'tcp.urgent_pointer') ?? 0}`;
    const opts = get(tcp, 'tcp.options');
    if (opts) s += `, options [${this.tcpOptions(opts)}]`;
    s += `, length ${len}`;
    if (len > 0) s += this.tcpPayload(tcp, sport, dport, len);
    return s;
  }

  private tcpOptions(opts: Item): string {
    const out: string[] = [];
    const sackBase = this.bases.mode === ABSOLUTE ? 0 : this.bases.ack;
    for (const o of opts.children ?? []) {
      const kind = num(o, 'tcp.option_kind');
      if (kind === undefined) continue;
      switch (kind) {
        case 0:
          out.push('eol');
          return out.join(',');
        case 1:
          out.push('nop');
          break;
        case 2:
          out.push(`mss ${num(o, 'tcp.options.mss_val') ?? 0}`);
          break;
        case 3:
          out.push(`wscale ${num(o, 'tcp.options.wscale.shift') ?? 0}`);
          break;
        case 4:
          out.push('sackOK');
          break;
        case 5: {
          const le = all(o, 'tcp.options.sack_le');
          const re = all(o, 'tcp.options.sack_re');
          const v = (it: Item | undefined) => ((typeof it?.v === 'number' ? it.v : 0) - sackBase) >>> 0;
          out.push(`sack ${le.length} ${le.map((l, k) => `{${v(l)}:${v(re[k])}}`).join('')}`);
          break;
        }
        case 8:
          out.push(`TS val ${num(o, 'tcp.options.timestamp.tsval') ?? 0} ecr ${num(o, 'tcp.options.timestamp.tsecr') ?? 0}`);
          break;
        default: {
          const raw = o.v instanceof Uint8Array ? o.v.subarray(2) : new Uint8Array(0);
          out.push(`unknown-${kind}${raw.length ? ' 0x' + hexBytes(raw) : ''}`);
        }
      }
    }
    return out.join(',');
  }

  /** What tcpdump prints after `length N` for the protocols it knows by port. */
  private tcpPayload(tcp: Item, sport: number, dport: number, len: number): string {
    const port = (p: number) => sport === p || dport === p;
    const payload = bytes(tcp, 'tcp.payload') ?? new Uint8Array(0);
    if (port(25)) return `: ${textProto(SMTP, payload, len)}`;
    if (port(21)) return `: ${textProto(FTP, payload, len)}`;
    if (port(80) || port(8080)) return `: ${textProto(HTTP, payload, len)}`;
    if (port(53)) {
      const dns = this.layers.find((l) => l.f.abbrev === 'dns');
      const dnsLen = num(dns, 'dns.length');
      if (dns && dnsLen !== undefined) return ` ${dnsSummary(dns, dnsLen, this.frame.length)}`;
    }
    return '';
  }

  private udp(i: number, addr: Addr): string {
    const udp = this.layers[i]!;
    const sport = num(udp, 'udp.srcport') ?? 0;
    const dport = num(udp, 'udp.dstport') ?? 0;
    const s = addr.full ? `${addr.src}.${sport} > ${addr.dst}.${dport}: ` : `${sport} > ${dport}: `;
    const len = (num(udp, 'udp.length') ?? 8) - 8;
    const port = (p: number) => sport === p || dport === p;
    const app = this.layers[i + 1];
    if (port(53) && app?.f.abbrev === 'dns') return s + dnsSummary(app, len, this.frame.length);
    if ((port(67) || port(68)) && app?.f.abbrev === 'dhcp') return s + bootpSummary(app, len);
    return `${s}UDP, length ${len}`;
  }

  private icmp(icmp: Item, len: number): string {
    const type = num(icmp, 'icmp.type') ?? -1;
    const code = num(icmp, 'icmp.code') ?? 0;
    const inner = sublayer(icmp, 'ip');
    const odst = ipv4ToString(num(inner, 'ip.dst') ?? 0);
    let s: string;
    switch (type) {
      case 0:
      case 8:
        s = `echo ${type ? 'request' : 'reply'}, id ${num(icmp, 'icmp.ident') ?? 0}, seq ${num(icmp, 'icmp.seq') ?? 0}`;
        break;
      case 3:
        s = unreachable(code, odst, num(inner, 'ip.proto') ?? 0, innerPort(icmp), num(icmp, 'icmp.mtu') ?? 0);
        break;
      case 4:
        s = 'source quench';
        break;
      case 5: {
        const gw = ipv4ToString(num(icmp, 'icmp.redir_gw') ?? 0);
        s = `${['redirect', 'redirect', 'redirect-tos', 'redirect-tos'][code] ?? 'redirect-#' + code} ${odst} to ${code & 1 ? 'host' : 'net'} ${gw}`;
        break;
      }
      case 10:
        s = 'router solicitation';
        break;
      case 11:
        s = code === 0 ? 'time exceeded in-transit' : code === 1 ? 'ip reassembly time exceeded' : `time exceeded-#${code}`;
        break;
      case 12:
        s = code === 0 ? `parameter problem - octet ${num(icmp, 'icmp.pointer') ?? 0}` : `parameter problem - code ${code}`;
        break;
      case 13:
        s = `time stamp query id ${num(icmp, 'icmp.ident') ?? 0} seq ${num(icmp, 'icmp.seq') ?? 0}`;
        break;
      case 15:
        s = 'information request';
        break;
      case 16:
        s = 'information reply';
        break;
      case 17:
        s = 'address mask request';
        break;
      case 18:
        s = `address mask is 0x${(num(icmp, 'icmp.address_mask') ?? 0).toString(16).padStart(8, '0')}`;
        break;
      default:
        s = `type-#${type}`;
    }
    return `ICMP ${s}, length ${len}`;
  }

  private icmp6(icmp: Item, len: number): string {
    const type = num(icmp, 'icmpv6.type') ?? -1;
    const code = num(icmp, 'icmpv6.code') ?? 0;
    const inner = sublayer(icmp, 'ipv6');
    const odst = ipv6ToString(bytes(inner, 'ipv6.dst') ?? new Uint8Array(16));
    const addr = (a: string) => ipv6ToString(bytes(icmp, a) ?? new Uint8Array(16));
    let s = ICMP6_TYPES[type] ?? `unknown icmp6 type (${type})`;
    switch (type) {
      case 1: {
        s += `,${ICMP6_UNREACH[code] ?? ` unknown unreach code (${code})`}`;
        if (code === 4) {
          const p = num(inner, 'ipv6.nxt');
          const port = innerPort(icmp);
          s += p === 6 || p === 17 ? `, ${odst} ${p === 6 ? 'tcp' : 'udp'} port ${port}` : `, ${odst} protocol ${p ?? 0} port ${port} unreachable`;
        } else if (code === 2) s += ` ${odst}, source address ${ipv6ToString(bytes(inner, 'ipv6.src') ?? new Uint8Array(16))}`;
        else s += ` ${odst}`;
        break;
      }
      case 2:
        s += `, mtu ${num(icmp, 'icmpv6.mtu') ?? 0}`;
        break;
      case 3:
        s += code === 0 ? ` in-transit for ${odst}` : code === 1 ? ' in-reassembly' : `, unknown code (${code})`;
        break;
      case 4:
        s += `, ${['errorneous', 'next header', 'option'][code] ?? `code-#${code}`} - octet ${num(icmp, 'icmpv6.pointer') ?? 0}`;
        break;
      case 128:
      case 129:
        s += `, id ${num(icmp, 'icmpv6.echo.identifier') ?? 0}, seq ${num(icmp, 'icmpv6.echo.sequence_number') ?? 0}`;
        break;
      case 130:
        if (len > 24) s += ` v2 [gaddr ${addr('icmpv6.mld.multicast_address')}]`;
        else s += ` max resp delay: ${num(icmp, 'icmpv6.mld.maximum_response_delay') ?? 0} addr: ${addr('icmpv6.mld.multicast_address')}`;
        break;
      case 131:
      case 132:
        s += ` max resp delay: ${num(icmp, 'icmpv6.mld.maximum_response_delay') ?? 0} addr: ${addr('icmpv6.mld.multicast_address')}`;
        break;
      case 135:
        s += `, who has ${addr('icmpv6.nd.ns.target_address')}`;
        break;
      case 136:
        s += `, tgt is ${addr('icmpv6.nd.na.target_address')}`;
        break;
      case 137:
        s += `, ${addr('icmpv6.nd.rd.destination_address')} to ${addr('icmpv6.nd.rd.target_address')}`;
        break;
      case 143:
        s += `, ${num(icmp, 'icmpv6.mldr.nb_mcast_records') ?? 0} group record(s)`;
        break;
    }
    return `ICMP6, ${s}, length ${len}`;
  }
}

/** The destination port of the TCP or UDP header an ICMP error quotes. */
function innerPort(icmp: Item): number {
  const l4 = sublayer(icmp, 'udp') ?? sublayer(icmp, 'tcp');
  return num(l4, 'udp.dstport') ?? num(l4, 'tcp.dstport') ?? 0;
}

function unreachable(code: number, dst: string, proto: number, port: number, mtu: number): string {
  switch (code) {
    case 0:
      return `net ${dst} unreachable`;
    case 1:
      return `host ${dst} unreachable`;
    case 2:
      return `${dst} protocol ${proto} unreachable`;
    case 3:
      return proto === 6 || proto === 17 ? `${dst} ${proto === 6 ? 'tcp' : 'udp'} port ${port} unreachable` : `${dst} protocol ${proto} port ${port} unreachable`;
    case 4:
      return mtu ? `${dst} unreachable - need to frag (mtu ${mtu})` : `${dst} unreachable - need to frag`;
    case 5:
      return `${dst} unreachable - source route failed`;
    case 6:
      return `net ${dst} unreachable - unknown`;
    case 7:
      return `host ${dst} unreachable - unknown`;
    case 8:
      return `${dst} unreachable - source host isolated`;
    case 9:
      return `net ${dst} unreachable - admin prohibited`;
    case 10:
      return `host ${dst} unreachable - admin prohibited`;
    case 11:
      return `net ${dst} unreachable - tos prohibited`;
    case 12:
      return `host ${dst} unreachable - tos prohibited`;
    case 13:
      return `host ${dst} unreachable - admin prohibited filter`;
    case 14:
      return `host ${dst} unreachable - host precedence violation`;
    case 15:
      return `host ${dst} unreachable - precedence cutoff`;
    default:
      return `${dst} unreachable - #${code}`;
  }
}

const ICMP6_TYPES: Record<number, string> = {
  1: 'destination unreachable',
  2: 'packet too big',
  3: 'time exceeded',
  4: 'parameter problem',
  128: 'echo request',
  129: 'echo reply',
  130: 'multicast listener query',
  131: 'multicast listener report',
  132: 'multicast listener done',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbor solicitation',
  136: 'neighbor advertisement',
  137: 'redirect',
  138: 'router renumbering',
  139: 'node information query',
  140: 'node information reply',
  141: 'inverse neighbor solicitation',
  142: 'inverse neighbor advertisement',
  143: 'multicast listener report v2',
  144: 'ha discovery request',
  145: 'ha discovery reply',
  146: 'mobile router solicitation',
  147: 'mobile router advertisement',
};
const ICMP6_UNREACH: Record<number, string> = {
  0: ' unreachable route',
  1: ' unreachable prohibited',
  2: ' beyond scope',
  3: ' unreachable address',
  4: ' unreachable port',
};
